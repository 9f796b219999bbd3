"""Checkers for the exercises on activation functions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._core import CheckResult, _call, _compare, _failed, _passed, _show, check_function


def _elu_grad(x, alpha):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))


def check_elu_grad(candidate: Any) -> CheckResult:
    """Check ``elu_grad(x, alpha)``: 1 where ``x > 0``, else ``alpha * exp(x)``, elementwise.

    The test inputs avoid ``x = 0``, where the derivative is a matter of convention.
    """
    rng = np.random.default_rng(7)
    cases = [
        (np.array([-3.0, -1.0, -0.5, 0.5, 2.0]), 1.0),
        (np.array([-2.0, -0.25, 0.75, 4.0]), 0.5),
        (3.0 * rng.standard_normal(8), 2.0),
        (np.array([[-1.5, 0.3, -0.01], [2.0, -4.0, 1.0]]), 1.5),
    ]
    return check_function(
        candidate,
        _elu_grad,
        cases,
        name="elu_grad",
        hint="where x > 0 the ELU is x, whose slope is 1; where x <= 0 it is "
        "alpha * (exp(x) - 1), whose derivative is alpha * exp(x) (the constant -1 "
        "disappears). np.where(x > 0, 1.0, alpha * np.exp(x)) picks one or the other for "
        "every entry.",
        success="`elu_grad` is the derivative of the ELU for every alpha.",
    )


def _softmax_rows(Z):
    Z = np.asarray(Z, dtype=float)
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def check_softmax(candidate: Any) -> CheckResult:
    """Check ``softmax(Z)``: the softmax of every row of a 2-D array, stable for large logits."""
    hint = (
        "exponentiate, then divide each row by its own sum: "
        "e / e.sum(axis=1, keepdims=True). For large logits first subtract each row's "
        "maximum, Z - Z.max(axis=1, keepdims=True), which does not change the result but "
        "keeps np.exp from overflowing."
    )
    rng = np.random.default_rng(9)
    cases = [
        np.array([[2.0, 1.0, 0.1]]),
        rng.standard_normal((4, 3)),
        3.0 * rng.standard_normal((3, 5)),
        np.array([[1000.0, 1000.0, 999.0], [-1000.0, -1001.0, -1002.0]]),
    ]
    try:
        if not callable(candidate):
            return _failed(f"`softmax` should be a function; got {type(candidate).__name__}.", hint)
        for Z in cases:
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                ok, got = _call(candidate, (Z,), {})
            shown = _show(Z)
            if not ok:
                return _failed(f"`softmax({shown})` raised {got}", hint)
            expected = _softmax_rows(Z)
            if got is not None:
                try:
                    got_arr = np.asarray(got, dtype=float)
                except (TypeError, ValueError):
                    got_arr = None
                if got_arr is not None and got_arr.shape == expected.shape:
                    if not np.all(np.isfinite(got_arr)):
                        return _failed(
                            f"for `softmax({shown})` your result contains nan or inf: "
                            f"{_show(got_arr)}. np.exp(1000) overflows to inf, and inf / inf "
                            "is nan.",
                            hint,
                        )
                    columns = np.allclose(got_arr.sum(axis=0), 1.0)
                    if columns and not np.allclose(got_arr.sum(axis=1), 1.0):
                        return _failed(
                            f"for `softmax({shown})` your columns add up to 1, but each ROW "
                            "(one data point's scores) should: normalise along axis=1.",
                            hint,
                        )
            problem = _compare(got, expected, 1e-8)
            if problem:
                return _failed(f"for `softmax({shown})`: {problem}", hint)
        return _passed(
            "`softmax` turns every row of logits into probabilities, even for huge logits."
        )
    except Exception as exc:
        return _failed(f"the check itself could not run ({type(exc).__name__}: {exc}).", hint)


_MAXOUT_TARGETS: dict[str, tuple[str, Callable[[np.ndarray], np.ndarray]]] = {
    "relu": ("ReLU max(0, x)", lambda x: np.maximum(0.0, x)),
    "leaky_relu": ("leaky ReLU max(0.1x, x)", lambda x: np.maximum(0.1 * x, x)),
    "abs": ("absolute value |x|", np.abs),
    "identity": ("identity x", lambda x: x),
}


def check_maxout_weights(target: str, w1: Any, b1: Any, w2: Any, b2: Any) -> CheckResult:
    """Check that the one-input maxout unit ``max(w1*x + b1, w2*x + b2)`` computes ``target``.

    Parameters
    ----------
    target : {"relu", "leaky_relu", "abs", "identity"}
        The function to reproduce (leaky ReLU with slope 0.1).
    w1, b1, w2, b2 : float
        The weights and biases of the two pieces.
    """
    hint = (
        "a maxout unit outputs the larger of its two lines. Pick one line that is right for "
        "x > 0 and one that is right for x < 0: for ReLU these are x and 0 (w2 = 0, b2 = 0)."
    )
    try:
        if not isinstance(target, str) or target.lower() not in _MAXOUT_TARGETS:
            return _failed(
                f"unknown target {target!r}; choose one of {', '.join(_MAXOUT_TARGETS)}.", None
            )
        name, function = _MAXOUT_TARGETS[target.lower()]
        try:
            w1_, b1_, w2_, b2_ = (float(v) for v in (w1, b1, w2, b2))
        except (TypeError, ValueError):
            return _failed(
                f"`w1`, `b1`, `w2` and `b2` must be four numbers; got {w1!r}, {b1!r}, "
                f"{w2!r}, {b2!r}.",
                "for example w1, b1 = 1.0, 0.0.",
            )
        x = np.linspace(-3.0, 3.0, 61)
        got = np.maximum(w1_ * x + b1_, w2_ * x + b2_)
        want = function(x)
        wrong = np.flatnonzero(~np.isclose(got, want, atol=1e-9))
        if wrong.size == 0:
            return _passed(
                f"max({w1_:g}x + {b1_:g}, {w2_:g}x + {b2_:g}) is the {name} for every x."
            )
        picks = wrong[np.linspace(0, wrong.size - 1, min(3, wrong.size)).astype(int)]
        rows = ", ".join(f"x = {x[i]:g}: yours {got[i]:.4g}, want {want[i]:.4g}" for i in picks)
        return _failed(f"the unit is not the {name} at {wrong.size} of 61 points ({rows}).", hint)
    except Exception as exc:
        return _failed(f"the check itself could not run ({type(exc).__name__}: {exc}).", hint)


# -- chapter 4: the multi-layer perceptron --------------------------------------------------
