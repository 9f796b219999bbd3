"""Checkers for the exercises on log-sum-exp and the cross-entropy loss (chapter 9).

The cases include huge logits such as ``[1000, 1001, 1002]``, where the textbook formulas
overflow; the learner's code runs with NumPy's warnings silenced and the message reports the
``inf`` or ``nan`` instead.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..losses import cross_entropy, cross_entropy_grad, log_softmax
from ._core import CheckResult, check_function

_OVERFLOW = (
    "np.exp(1000) overflows to inf (and inf / inf is nan), and np.exp(-1000) underflows to 0 "
    "(and np.log(0) is -inf): subtract each row's maximum first."
)


def _logsumexp(Z):
    return Z[:, 0] - log_softmax(Z, axis=1)[:, 0]


def _naive_log_softmax(Z):
    return np.log(np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True))


def check_logsumexp(candidate: Any) -> CheckResult:
    """Check ``logsumexp(Z)``: ``log(sum(exp(Z), axis=1))`` for every row of an (n, C) array,
    shape (n,), stable for logits of +-1000."""
    rng = np.random.default_rng(11)
    cases = [
        (np.array([[1.0, 2.0, 3.0]]),),
        (rng.standard_normal((4, 3)),),
        (3.0 * rng.standard_normal((3, 5)),),
        (np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1002.0]]),),
        (np.array([[0.0, -800.0], [750.0, 750.0]]),),
    ]
    mistakes = [
        (lambda Z: np.log(np.exp(Z).sum(axis=1)), _OVERFLOW),
        (lambda Z: np.log(np.exp(Z - Z.max()).sum(axis=1)) + Z.max(), "You subtracted the "
         "maximum of the whole array: a row far below it underflows to log(0). Use each "
         "row's own maximum."),
        (lambda Z: _logsumexp(Z) - Z.max(axis=1), "You subtracted each row's maximum m but "
         "did not add it back: log(sum(exp(z))) = m + log(sum(exp(z - m)))."),
        (lambda Z: Z.max(axis=1), "That is the maximum of each row; log-sum-exp is a little "
         "larger: add log(sum(exp(Z - m)))."),
        (lambda Z: _logsumexp(Z)[:, None], "Return one number per row, shape (n,): leave out "
         "keepdims=True."),
        (lambda Z: _logsumexp(Z.T), "You summed each COLUMN; each row is one data point's "
         "logits, so sum along axis=1."),
    ]  # fmt: skip
    return check_function(
        candidate, _logsumexp, cases, name="logsumexp", mistakes=mistakes,
        hint="take each row's maximum, m = Z.max(axis=1), and return "
        "m + np.log(np.exp(Z - m[:, None]).sum(axis=1)). Subtracting m makes every exponent "
        "<= 0, so np.exp cannot overflow, and the largest term is 1, so the sum is not 0.",
        success="`logsumexp` gives log(sum(exp(z))) for every row, also where np.exp would "
        "overflow.",
    )  # fmt: skip


def _label_cases() -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(12)
    return [
        (np.array([[2.0, 0.5, -1.0], [0.0, 0.0, 3.0]]), np.array([0, 2])),
        (np.array([[2.0, 1.0, 0.1]]), np.array([0])),
        (2.0 * rng.standard_normal((6, 4)), rng.integers(0, 4, size=6)),
        (np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1002.0]]), np.array([0, 2])),
        (np.array([[1000.0, 0.0, -1000.0]]), np.array([2])),
    ]


def _pick(log_p, labels):
    return log_p[np.arange(len(labels)), labels]


def check_cross_entropy(candidate: Any) -> CheckResult:
    """Check ``cross_entropy(Z, labels)``: the mean of ``-log softmax(Z)[i, labels[i]]``, one
    number, as ``torch.nn.functional.cross_entropy``; stable for logits of +-1000."""
    mistakes = [
        (lambda Z, t: -_pick(_naive_log_softmax(Z), t).mean(), _OVERFLOW),
        (lambda Z, t: -_pick(log_softmax(Z, axis=1), t), "You returned the per-sample losses; "
         "the loss is their mean, one number (use .mean())."),
        (lambda Z, t: len(t) * cross_entropy(Z, t), "That is the sum of the per-sample losses: "
         "take the mean."),
        (lambda Z, t: -cross_entropy(Z, t), "Check the sign: the loss is MINUS the "
         "log-probability of the true class, so it is never negative."),
        (lambda Z, t: -_pick(Z, t).mean(), "You used the raw logit of the true class; take "
         "the log-softmax first, log_p = Z - logsumexp(Z)[:, None]."),
        (lambda Z, t: -log_softmax(Z, axis=1)[:, t].mean(), "log_p[:, labels] picks a whole "
         "column for every label; use log_p[np.arange(len(labels)), labels]."),
    ]  # fmt: skip
    return check_function(
        candidate, cross_entropy, _label_cases(), name="cross_entropy", mistakes=mistakes,
        hint="compute the log-probabilities stably, log_p = Z - logsumexp(Z)[:, None], pick "
        "each sample's true class with log_p[np.arange(len(labels)), labels], and return "
        "minus their mean.",
        success="`cross_entropy` is the mean of -log p(true class), computed stably from the "
        "logits.",
    )  # fmt: skip


def check_softmax_cross_entropy_grad(candidate: Any) -> CheckResult:
    """Check ``softmax_cross_entropy_grad(Z, labels)``: ``(softmax(Z) - one_hot(labels)) / N``,
    the gradient of the mean cross-entropy with respect to the logits, as autograd computes."""
    softmax = lambda Z: np.exp(log_softmax(Z, axis=1))  # noqa: E731
    mistakes = [
        (lambda Z, t: (np.exp(_naive_log_softmax(Z)) - np.eye(Z.shape[1])[t]) / len(t),
         _OVERFLOW),
        (lambda Z, t: len(t) * cross_entropy_grad(Z, t), "Your gradient is N times too large: "
         "the loss is the MEAN over the N samples, so divide P - Y by N."),
        (lambda Z, t: -cross_entropy_grad(Z, t), "The sign is flipped (that is y - p): the "
         "gradient is p - y."),
        (lambda Z, t: softmax(Z) / len(t), "That is the softmax itself: subtract the one-hot "
         "targets Y (1 at each sample's true class), then divide by N."),
        (lambda Z, t: softmax(Z), "That is the softmax itself: subtract the one-hot targets Y "
         "(1 at each sample's true class), then divide by N."),
        (lambda Z, t: (softmax(Z) - 1) / len(t), "You subtracted 1 from every entry; subtract "
         "it only at each sample's true class (the one-hot targets)."),
    ]  # fmt: skip
    return check_function(
        candidate, cross_entropy_grad, _label_cases(), name="softmax_cross_entropy_grad",
        mistakes=mistakes,
        hint="compute P = softmax(Z) row by row (subtract each row's maximum first), subtract "
        "1 from each row's entry for the true class (P - Y with the one-hot targets Y), and "
        "divide by the number of samples N, because the loss is a mean.",
        success="`softmax_cross_entropy_grad` is (softmax(Z) - Y) / N, as autograd computes "
        "it.",
    )  # fmt: skip
