"""Checkers for the exercises on loss functions and gradient descent."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._core import CheckResult, _call, _compare, _failed, _passed, _show

__all__ = [
    "check_binary_cross_entropy_with_logits",
    "check_linear_regression_gradients",
]


def _close(got: Any, expected: Any) -> bool:
    """True when ``got`` is numerically ``expected`` (same shape), never raising."""
    try:
        got_arr = np.asarray(got, dtype=float)
        expected_arr = np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        return False
    return got_arr.shape == expected_arr.shape and bool(
        np.allclose(got_arr, expected_arr, rtol=1e-6, atol=1e-9)
    )


def _diagnose(got: Any, known_mistakes: list[tuple[Any, str]]) -> str | None:
    """The explanation of the first known mistake whose result ``got`` reproduces."""
    for wrong_result, explanation in known_mistakes:
        if _close(got, wrong_result):
            return explanation
    return None


# -- binary cross-entropy computed from the logits -------------------------------------------


def _bce_with_logits(z: np.ndarray, y: np.ndarray) -> float:
    """Mean of ``-[y log sigmoid(z) + (1 - y) log(1 - sigmoid(z))]``, exact for any ``z``."""
    return float(np.mean((1.0 - y) * z + np.logaddexp(0.0, -z)))


def check_binary_cross_entropy_with_logits(candidate: Any) -> CheckResult:
    """Check ``bce_with_logits(z, y)``: the mean binary cross-entropy of ``sigmoid(z)`` and ``y``.

    ``z`` holds logits (any real numbers, up to ``|z| = 1000``) and ``y`` labels 0 or 1, both
    of shape (m,). The result must be one number, finite even where ``sigmoid(z)`` rounds to
    exactly 0 or 1. The messages recognise the slide's typo (``log y_hat`` twice), a missing
    minus sign, a sum instead of a mean, and overflow.
    """
    hint = (
        "log sigmoid(z) = -log(1 + exp(-z)) and log(1 - sigmoid(z)) = -z - log(1 + exp(-z)), "
        "so the loss of one example is (1 - y) * z + log(1 + exp(-z)). np.logaddexp(0, -z) "
        "computes log(exp(0) + exp(-z)) = log(1 + exp(-z)) without overflowing; average "
        "with np.mean."
    )
    rng = np.random.default_rng(11)
    cases = [
        (np.array([2.0, -1.0, 0.5, 0.0]), np.array([1.0, 0.0, 0.0, 1.0])),
        (rng.normal(scale=2.0, size=12), rng.integers(0, 2, size=12).astype(float)),
        (np.array([0.3, -0.7, 1.5]), np.array([1.0, 1.0, 0.0])),
        (np.array([40.0, -40.0, 1000.0, -1000.0]), np.array([0.0, 1.0, 1.0, 0.0])),
    ]
    try:
        if not callable(candidate):
            return _failed(
                f"`bce_with_logits` should be a function; got {type(candidate).__name__}.", hint
            )
        for z, y in cases:
            with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
                ok, got = _call(candidate, (z, y), {})
                shown = f"z={_show(z)}, y={_show(y)}"
                if not ok:
                    return _failed(f"`bce_with_logits({shown})` raised {got}", hint)
                expected = _bce_with_logits(z, y)
                if _close(got, expected):
                    continue
                log_p = -np.logaddexp(0.0, -z)  # log sigmoid(z)
                log_1mp = -np.logaddexp(0.0, z)  # log(1 - sigmoid(z))
                per_example = -(y * log_p + (1.0 - y) * log_1mp)
                mistake = _diagnose(
                    got,
                    [
                        (
                            float(-np.mean(log_p)),
                            "your loss is -log(y_hat) for every example, the slide's typo. "
                            "The second term must be (1 - y) * log(1 - y_hat), so that an "
                            "example with label 0 is rewarded for a small y_hat.",
                        ),
                        (
                            -expected,
                            "your loss has the wrong sign (it is negative). The logarithm "
                            "of a probability is <= 0, so the formula starts with a minus.",
                        ),
                        (
                            expected * z.size,
                            f"your loss is the SUM over the {z.size} examples; the cost "
                            "is their average (np.mean).",
                        ),
                        (per_example, "return one number, the mean over the examples."),
                    ],
                )
                if mistake:
                    return _failed(f"for `bce_with_logits({shown})`: {mistake}", hint)
                try:
                    got_arr = None if got is None else np.asarray(got, dtype=float)
                except (TypeError, ValueError):
                    got_arr = None
                if got_arr is not None and got_arr.size and not np.all(np.isfinite(got_arr)):
                    return _failed(
                        f"for `bce_with_logits({shown})` your result is {_show(got)}. For a "
                        "logit of 40, sigmoid(z) rounds to exactly 1.0, so log(1 - "
                        "sigmoid(z)) is log(0) = -inf; for -1000, np.exp(1000) overflows. "
                        "Write the loss with the logit itself instead of sigmoid(z).",
                        hint,
                    )
                problem = _compare(got, expected, 1e-9)
                return _failed(f"for `bce_with_logits({shown})`: {problem}", hint)
        return _passed(
            "`bce_with_logits` is the binary cross-entropy, exact even for logits of +-1000."
        )
    except Exception as exc:  # a checker must never stop the notebook
        return _failed(f"the check itself could not run ({type(exc).__name__}: {exc}).", hint)


# -- the gradient of the mean squared error of a linear model --------------------------------


def _linear_regression_gradients(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float
) -> tuple[np.ndarray, float]:
    """``dJ/dw = 2/m X^T (Xw + b - y)`` and ``dJ/db = 2/m sum(Xw + b - y)``."""
    residual = X @ w + b - y
    return 2.0 * X.T @ residual / len(y), float(2.0 * np.mean(residual))


def _scaled(pair: tuple[np.ndarray, float], factor: float) -> tuple[np.ndarray, float]:
    return pair[0] * factor, pair[1] * factor


def check_linear_regression_gradients(candidate: Any) -> CheckResult:
    """Check ``linear_regression_gradients(X, y, w, b)`` for the MSE cost of ``X @ w + b``.

    ``X`` has shape (m, d), ``y`` shape (m,), ``w`` shape (d,) and ``b`` is a float; the
    function returns the tuple ``(dJ/dw, dJ/db)`` of the cost
    ``J = mean((X @ w + b - y) ** 2)``: an array of shape (d,) and a number. The messages
    recognise a missing factor 2, a flipped sign and a sum instead of a mean.
    """
    hint = (
        "with the residuals r = X @ w + b - y (shape (m,)), dJ/dw = 2 / m * X.T @ r (one "
        "entry per weight: each feature column times the residuals, summed) and "
        "dJ/db = 2 * np.mean(r). Return both: return grad_w, grad_b."
    )
    rng = np.random.default_rng(5)
    cases = [
        (np.array([[1.0], [2.0], [3.0]]), np.array([2.0, 4.0, 7.0]), np.array([1.5]), 0.5),
        (rng.normal(size=(6, 2)), rng.normal(size=6), np.array([0.3, -0.8]), -0.2),
        (rng.normal(size=(10, 3)), rng.normal(size=10), rng.normal(size=3), 1.0),
        (np.array([[0.0, 1.0], [2.0, 3.0]]), np.array([1.0, -1.0]), np.zeros(2), 0.0),
    ]
    try:
        if not callable(candidate):
            return _failed(
                "`linear_regression_gradients` should be a function; got "
                f"{type(candidate).__name__}.",
                hint,
            )
        for X, y, w, b in cases:
            ok, got = _call(candidate, (X, y, w, b), {})
            shown = f"X of shape {X.shape}, y={_show(y)}, w={_show(w)}, b={b:g}"
            if not ok:
                return _failed(f"`linear_regression_gradients({shown})` raised {got}", hint)
            expected = _linear_regression_gradients(X, y, w, b)
            problem = _compare(got, expected, 1e-9)
            if problem is None:
                continue
            m = len(y)
            mistake = None
            if isinstance(got, (tuple, list)) and len(got) == 2:
                checks_ = [
                    (
                        0.5,
                        "your gradients are half the right size: the derivative of r**2 is "
                        "2 * r, so both gradients have a factor 2.",
                    ),
                    (
                        -1.0,
                        "your gradients have the wrong sign: the residual is the "
                        "prediction minus the label, r = X @ w + b - y.",
                    ),
                    (
                        float(m),
                        f"your gradients are {m} times too large: the cost is the "
                        "MEAN of the squared errors, so divide the sums by m.",
                    ),
                ]
                for factor, explanation in checks_:
                    wrong = _scaled(expected, factor)
                    if _close(got[0], wrong[0]) and _close(got[1], wrong[1]):
                        mistake = explanation
                        break
                if mistake is None and _close(got[0], expected[0]):
                    mistake = "dJ/dw is right but dJ/db is not. " + (problem or "")
                elif mistake is None and _close(got[1], expected[1]):
                    mistake = "dJ/db is right but dJ/dw is not. " + (problem or "")
            return _failed(
                f"for `linear_regression_gradients({shown})`: {mistake or problem}", hint
            )
        return _passed(
            "`linear_regression_gradients` gives the gradient of the MSE cost for any "
            "number of features."
        )
    except Exception as exc:  # a checker must never stop the notebook
        return _failed(f"the check itself could not run ({type(exc).__name__}: {exc}).", hint)
