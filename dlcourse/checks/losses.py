"""Checkers for the exercises on loss functions and gradient descent (chapter 5)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import losses
from ._core import CheckResult, check_function


def _bce(z, y, clip=0.0, first=None):
    """The textbook formula on probabilities; ``first`` replaces log(1 - p) (the slide typo)."""
    p = np.clip(1 / (1 + np.exp(-z)), clip, 1 - clip)
    return -(y * np.log(p) + (1 - y) * (np.log(1 - p) if first is None else first(p)))


def check_binary_cross_entropy_with_logits(candidate: Any) -> CheckResult:
    """Check ``bce_with_logits(z, y)``: the mean binary cross-entropy of ``sigmoid(z)`` and ``y``,
    one number, exact even for logits of +-1000 where ``sigmoid(z)`` rounds to 0 or 1."""
    rng = np.random.default_rng(11)
    cases = [
        (np.array([2.0, -1.0, 0.5, 0.0]), np.array([1.0, 0.0, 0.0, 1.0])),
        (rng.normal(scale=2.0, size=12), rng.integers(0, 2, size=12).astype(float)),
        (np.array([0.3, -0.7, 1.5]), np.array([1.0, 1.0, 0.0])),
        (np.array([40.0, -40.0, 1000.0, -1000.0]), np.array([0.0, 1.0, 1.0, 0.0])),
    ]
    mistakes = [
        (lambda z, y: np.mean(_bce(z, y)), "For a logit of 40, sigmoid(z) rounds to exactly "
         "1.0 and log(1 - sigmoid(z)) is log(0) = -inf: write the loss with the logit itself."),
        (lambda z, y: np.mean(_bce(z, y, clip=1e-7)), "Clipping the probabilities avoids "
         "log(0) but gives the wrong loss for large logits: write it with the logit itself."),
        (lambda z, y: np.mean(_bce(z, y, first=np.log)), "Your loss uses log(y_hat) in both "
         "terms, the slide's typo: the second is (1 - y) * log(1 - y_hat)."),
        (lambda z, y: -losses.binary_cross_entropy_with_logits(z, y), "Your loss has the "
         "wrong sign: the logarithm of a probability is <= 0, so the formula starts with a "
         "minus."),
        (lambda z, y: len(z) * losses.binary_cross_entropy_with_logits(z, y), "You returned "
         "the SUM over the examples; the cost is their mean (np.mean)."),
        (lambda z, y: (1 - y) * z + np.logaddexp(0, -z), "Return one number, the mean over "
         "the examples."),
    ]  # fmt: skip
    return check_function(
        candidate, losses.binary_cross_entropy_with_logits, cases, name="bce_with_logits",
        mistakes=mistakes, rtol=1e-6, atol=1e-9,
        hint="log sigmoid(z) = -log(1 + exp(-z)) and log(1 - sigmoid(z)) = -z - log(1 + "
        "exp(-z)), so the loss of one example is (1 - y) * z + log(1 + exp(-z)). "
        "np.logaddexp(0, -z) computes log(1 + exp(-z)) without overflowing; average with "
        "np.mean.",
        success="`bce_with_logits` is the binary cross-entropy, exact even for logits of "
        "+-1000.",
    )  # fmt: skip


def _gradients(X, y, w, b, factor=2.0, sign=1.0, mean=True, bias=True):
    r = sign * (X @ w + b * bias - y)
    n = len(y) if mean else 1
    return factor * X.T @ r / n, float(factor * np.sum(r) / n)


def check_linear_regression_gradients(candidate: Any) -> CheckResult:
    """Check ``linear_regression_gradients(X, y, w, b)`` -> ``(dJ/dw, dJ/db)`` for the cost
    ``J = mean((X @ w + b - y) ** 2)``: an array of shape (d,) and a number."""
    rng = np.random.default_rng(5)
    cases = [
        (np.array([[1.0], [2.0], [3.0]]), np.array([2.0, 4.0, 7.0]), np.array([1.5]), 0.5),
        (rng.normal(size=(6, 2)), rng.normal(size=6), np.array([0.3, -0.8]), -0.2),
        (rng.normal(size=(10, 3)), rng.normal(size=10), rng.normal(size=3), 1.0),
        (np.array([[0.0, 1.0], [2.0, 3.0]]), np.array([1.0, -1.0]), np.zeros(2), 0.0),
    ]
    mistakes = [
        (lambda *a: _gradients(*a, factor=1.0), "Your gradients are half the right size: the "
         "derivative of r**2 is 2 * r."),
        (lambda *a: _gradients(*a, sign=-1.0), "Your gradients have the wrong sign: the "
         "residual is the prediction minus the label, r = X @ w + b - y."),
        (lambda *a: _gradients(*a, mean=False), "Your gradients are m times too large: the "
         "cost is the MEAN of the squared errors, so divide the sums by m."),
        (lambda *a: _gradients(*a, bias=False), "Your residuals leave out b: the prediction "
         "is X @ w + b."),
        (lambda *a: _gradients(*a)[::-1], "Return dJ/dw first, then dJ/db."),
    ]  # fmt: skip
    return check_function(
        candidate, _gradients, cases, name="linear_regression_gradients", mistakes=mistakes,
        hint="with the residuals r = X @ w + b - y (shape (m,)), dJ/dw = 2 / m * X.T @ r and "
        "dJ/db = 2 * np.mean(r). Return both: return grad_w, grad_b.",
        success="`linear_regression_gradients` gives the gradient of the MSE cost for any "
        "number of features.",
    )  # fmt: skip
