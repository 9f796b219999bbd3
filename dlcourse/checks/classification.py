"""Checkers for the exercises on log-sum-exp and the cross-entropy loss (chapter 9); the cases
include logits of +-1000, where the textbook formulas overflow."""

import numpy as np

from ..losses import cross_entropy, cross_entropy_grad, log_softmax
from ._core import CheckResult, check_function
from .activations import _softmax  # the textbook formula, which overflows

# fmt: off

_OVERFLOW = "np.exp(1000) overflows (np.log(0) is -inf): subtract each row's maximum first."


def _lse(Z):
    return Z[:, 0] - log_softmax(Z, axis=1)[:, 0]


def check_logsumexp(candidate) -> CheckResult:
    """Check ``logsumexp(Z)``: ``log(sum(exp(Z), axis=1))``, shape (n,), stable for +-1000."""
    rng = np.random.default_rng(11)
    cases = [(np.array([[1.0, 2.0, 3.0]]),), (rng.standard_normal((4, 3)),),
             (3.0 * rng.standard_normal((3, 5)),), (np.array([[0.0, -800.0], [750.0, 750.0]]),),
             (np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1002.0]]),)]
    return check_function(candidate, _lse, cases, name="logsumexp",
        hint="m = Z.max(axis=1); return m + np.log(np.exp(Z - m[:, None]).sum(axis=1)).", mistakes=[
        (lambda Z: np.log(np.exp(Z).sum(axis=1)), _OVERFLOW),
        (lambda Z: np.log(np.exp(Z - Z.max()).sum(1)) + Z.max(), "Not the whole array's max."),
        (lambda Z: _lse(Z) - Z.max(axis=1), "You did not add the maximum back."),
        (lambda Z: Z.max(axis=1), "That is the maximum of each row: add log(sum(exp(Z - m)))."),
        (lambda Z: _lse(Z)[:, None], "Return shape (n,): leave out keepdims=True."),
        (lambda Z: _lse(Z.T), "You summed each COLUMN; sum each row (axis=1)."),
    ])


def _cases() -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(12)
    return [(np.array([[2.0, 0.5, -1.0], [0.0, 0.0, 3.0]]), np.array([0, 2])),
            (np.array([[2.0, 1.0, 0.1]]), np.array([0])),
            (2.0 * rng.standard_normal((6, 4)), rng.integers(0, 4, size=6)),
            (np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1002.0]]), np.array([0, 2])),
            (np.array([[1000.0, 0.0, -1000.0]]), np.array([2]))]


def _pick(log_p, labels):
    return log_p[np.arange(len(labels)), labels]


def check_cross_entropy(candidate) -> CheckResult:
    """Check ``cross_entropy(Z, labels)``: the mean of ``-log softmax(Z)[i, labels[i]]``."""
    return check_function(candidate, cross_entropy, _cases(), name="cross_entropy",
        hint="log_p = Z - logsumexp(Z)[:, None]; return -log_p[np.arange(len(labels)), "
        "labels].mean().", mistakes=[
        (lambda Z, t: -_pick(np.log(_softmax(Z)), t).mean(), _OVERFLOW),
        (lambda Z, t: -_pick(log_softmax(Z, axis=1), t), "Those are per-sample losses."),
        (lambda Z, t: len(t) * cross_entropy(Z, t), "That is the sum of the per-sample losses."),
        (lambda Z, t: -cross_entropy(Z, t), "Check the sign: MINUS log p."),
        (lambda Z, t: -_pick(Z, t).mean(), "You used the raw logit; take the log-softmax first."),
        (lambda Z, t: -log_softmax(Z, axis=1)[:, t].mean(), "[:, labels] picks a whole column."),
    ])


def check_softmax_cross_entropy_grad(candidate) -> CheckResult:
    """Check ``softmax_cross_entropy_grad(Z, labels)``: ``(softmax(Z) - one_hot(labels)) / N``."""
    def p(Z):
        return np.exp(log_softmax(Z, axis=1))
    return check_function(candidate, cross_entropy_grad, _cases(),
        name="softmax_cross_entropy_grad",
        hint="P = softmax(Z) (stably); subtract 1 at each sample's true class; divide by N.",
        mistakes=[
        (lambda Z, t: (_softmax(Z) - np.eye(Z.shape[1])[t]) / len(t), _OVERFLOW),
        (lambda Z, t: len(t) * cross_entropy_grad(Z, t), "N times too large: the loss is a MEAN."),
        (lambda Z, t: -cross_entropy_grad(Z, t), "The sign is flipped (y - p): it is p - y."),
        (lambda Z, t: p(Z) / len(t), "That is the softmax itself: subtract the one-hot targets."),
        (lambda Z, t: p(Z), "That is the softmax itself: subtract one-hot targets, / N."),
        (lambda Z, t: (p(Z) - 1) / len(t), "You subtracted 1 from every entry."),
    ])
