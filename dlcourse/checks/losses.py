"""Checkers for the exercises on loss functions and gradient descent (chapter 5)."""

import numpy as np

from ..losses import binary_cross_entropy_with_logits as _bce
from ._core import CheckResult, check_function

# fmt: off


def _textbook(z, y, clip=0.0, typo=False):
    p = np.clip(1 / (1 + np.exp(-z)), clip, 1 - clip)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(p if typo else 1 - p))


def check_binary_cross_entropy_with_logits(candidate) -> CheckResult:
    """Check ``bce_with_logits(z, y)``: the mean BCE of ``sigmoid(z)``, exact at +-1000."""
    rng = np.random.default_rng(11)
    cases = [(np.array([2.0, -1.0, 0.5, 0.0]), np.array([1.0, 0.0, 0.0, 1.0])),
             (rng.normal(scale=2.0, size=12), rng.integers(0, 2, size=12).astype(float)),
             (np.array([0.3, -0.7, 1.5]), np.array([1.0, 1.0, 0.0])),
             (np.array([40.0, -40.0, 1000.0, -1000.0]), np.array([0.0, 1.0, 1.0, 0.0]))]
    return check_function(candidate, _bce, cases, name="bce_with_logits", atol=1e-9,
        hint="one example's loss is (1 - y) * z + log(1 + exp(-z)); np.logaddexp(0, -z) gives "
        "log(1 + exp(-z)) without overflow; average with np.mean.", mistakes=[
        (_textbook, "sigmoid(40) is 1, log(0) = -inf: write the loss with the logit itself."),
        (lambda z, y: _textbook(z, y, 1e-7), "Clipping the probabilities is wrong."),
        (lambda z, y: _textbook(z, y, typo=True), "log(y_hat) in both terms is the slide's typo."),
        (lambda z, y: -_bce(z, y), "Your loss has the wrong sign: it starts with a minus."),
        (lambda z, y: len(z) * _bce(z, y), "That is the SUM over the examples; take the mean."),
        (lambda z, y: (1 - y) * z + np.logaddexp(0, -z), "Return one number, the mean."),
    ])


def _gradients(X, y, w, b, factor=2.0, sign=1.0, mean=True, bias=True):
    r = sign * (X @ w + b * bias - y)
    n = len(y) if mean else 1
    return factor * X.T @ r / n, float(factor * np.sum(r) / n)


def check_linear_regression_gradients(candidate) -> CheckResult:
    """Check ``linear_regression_gradients(X, y, w, b)`` for mean squared residuals."""
    rng = np.random.default_rng(5)
    cases = [(np.array([[1.0], [2.0], [3.0]]), np.array([2.0, 4.0, 7.0]), np.array([1.5]), 0.5),
             (rng.normal(size=(6, 2)), rng.normal(size=6), np.array([0.3, -0.8]), -0.2),
             (rng.normal(size=(10, 3)), rng.normal(size=10), rng.normal(size=3), 1.0),
             (np.array([[0.0, 1.0], [2.0, 3.0]]), np.array([1.0, -1.0]), np.zeros(2), 0.0)]
    return check_function(candidate, _gradients, cases, name="linear_regression_gradients",
        hint="r = X @ w + b - y; return 2 / m * X.T @ r, 2 * np.mean(r).", mistakes=[
        (lambda *a: _gradients(*a, factor=1.0), "Half the right size: d(r**2) = 2r dr."),
        (lambda *a: _gradients(*a, sign=-1.0), "The wrong sign: r = X @ w + b - y."),
        (lambda *a: _gradients(*a, mean=False), "m times too large: the cost is a MEAN."),
        (lambda *a: _gradients(*a, bias=False), "Your residuals leave out b."),
        (lambda *a: _gradients(*a)[::-1], "Return dJ/dw first, then dJ/db."),
    ])
