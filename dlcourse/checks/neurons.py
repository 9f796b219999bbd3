"""Checkers for the exercises on neurons, the perceptron and measuring error (chapters 1-2)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import as_array, check_scalar
from ..datasets import logic_gate, make_linearly_separable
from ..perceptron import step
from ._core import CheckResult, _call, _failed, _passed, _show, check_function


def check_mean_squared_error(candidate: Any) -> CheckResult:
    """Check ``mean_squared_error(y_true, y_pred)``: the mean of ``(y_true - y_pred) ** 2``."""
    rng = np.random.default_rng(1)
    cases = [
        (np.array([3.0, 5.0]), np.array([4.0, 5.0])),
        (np.array([10.0, 20.0, 30.0]), np.array([12.0, 18.0, 30.0])),
        (rng.normal(size=20), rng.normal(size=20)),
        (np.array([1.0]), np.array([-1.0])),
    ]
    return check_function(
        candidate,
        lambda t, p: float(np.mean((t - p) ** 2)),
        cases,
        name="mean_squared_error",
        hint="square each difference (errors in both directions count and must not cancel "
        "out), then average with np.mean. Do not take the square root.",
        success="`mean_squared_error` measures the average squared distance to the truth.",
    )


def _rotate(X, angle: float) -> np.ndarray:
    """Rotate 2-D points counter-clockwise about the origin by ``angle`` degrees.

    Parameters
    ----------
    X : array_like of shape (n_samples, 2)
    angle : float
        Degrees; positive turns counter-clockwise.

    Returns
    -------
    numpy.ndarray of shape (n_samples, 2)
    """
    X = as_array(X, "X", shape=("n_samples", 2))
    theta = np.deg2rad(check_scalar(angle, "angle"))
    rotation = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    return X @ rotation.T


def _threshold_accuracy(X: np.ndarray, y: np.ndarray, angle: float) -> float:
    return float(np.mean((_rotate(X, angle)[:, 0] > 0).astype(int) == y))


def check_learn_angle(candidate: Any) -> CheckResult:
    """Check ``learn_angle(X, y)``: the angle whose rotated threshold rule fits ``y`` best.

    The rule classifies a point as 1 when its first coordinate, after rotating the data
    counter-clockwise by the angle, is positive. Any angle whose accuracy is within one percentage
    point of the best one on a 1-degree grid passes.
    """
    hint = (
        "loop over candidate angles (for example np.arange(0, 360)), rotate X by each, "
        "predict 1 where the first coordinate is > 0, compute the accuracy against y, and "
        "return the angle with the highest accuracy."
    )
    try:
        if not callable(candidate):
            return _failed(
                f"`learn_angle` should be a function; got {type(candidate).__name__}.", hint
            )
        X0, y = make_linearly_separable(80, margin=0.3, seed=6)
        for turn in (0.0, 70.0, 200.0):
            X = _rotate(X0, turn)
            best = max(_threshold_accuracy(X, y, a) for a in range(360))
            ok, got = _call(candidate, (X, y), {})
            if not ok:
                return _failed(f"`learn_angle(X, y)` raised {got}", hint)
            if got is None:
                return _failed("your function returned None. Did you forget `return`?", hint)
            try:
                angle = float(got)
            except (TypeError, ValueError):
                return _failed(
                    f"`learn_angle` must return one angle in degrees; got {got!r}.", hint
                )
            accuracy = _threshold_accuracy(X, y, angle)
            if accuracy < best - 0.01:
                return _failed(
                    f"on data turned by {turn:g} degrees your angle {angle:g} reaches "
                    f"{accuracy:.0%} accuracy, but {best:.0%} is possible.",
                    hint,
                )
        return _passed(
            "`learn_angle` finds the best representation by searching, as a "
            "learning algorithm does."
        )
    except Exception as exc:
        return _failed(f"the check itself could not run ({type(exc).__name__}: {exc}).", hint)


def check_weighted_sum(candidate: Any) -> CheckResult:
    """Check ``weighted_sum(x, w, b)``: ``x[0]*w[0] + ... + x[n-1]*w[n-1] + b``."""
    rng = np.random.default_rng(3)
    cases = [
        (np.array([2.0, 3.0]), np.array([1.0, 1.0]), 0.0),
        (np.array([2.0, 3.0]), np.array([-1.0, 1.0]), 0.5),
        (rng.normal(size=5), rng.normal(size=5), -1.5),
        (np.array([4.0]), np.array([0.25]), 2.0),
    ]
    return check_function(
        candidate,
        lambda x, w, b: float(np.dot(x, w) + b),
        cases,
        name="weighted_sum",
        hint="multiply each input by its weight, add the products up, then add the bias once "
        "(not once per input).",
        success="`weighted_sum` is the multiply-add at the heart of every neuron.",
    )


def check_perceptron_predict(candidate: Any) -> CheckResult:
    """Check ``perceptron_predict(X, w, b)``: ``1`` where ``X @ w + b > 0``, else ``0``."""
    X, _ = make_linearly_separable(12, seed=4)
    cases = [
        (X, np.array([1.0, 1.0]), 0.0),
        (X, np.array([-0.5, 2.0]), 0.3),
        (np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([1.0, 1.0]), -1.5),
        (np.array([[0.0, 0.0]]), np.array([1.0, 1.0]), 0.0),
    ]
    return check_function(
        candidate,
        lambda X, w, b: step(X @ w + b),
        cases,
        name="perceptron_predict",
        hint="compute all weighted sums at once with X @ w + b (shape (n_samples,)), then "
        "apply the step: 1 where the sum is > 0, else 0. A sum of exactly 0 gives 0.",
        success="`perceptron_predict` classifies every point with one matrix product.",
    )


def _perceptron_epoch(X, y, w, b, lr):
    w, b, mistakes = np.array(w, dtype=float), float(b), 0
    for x_i, y_i in zip(X, y):
        error = y_i - int(x_i @ w + b > 0)
        w = w + lr * error * x_i
        b = b + lr * error
        mistakes += error != 0
    return w, b, int(mistakes)


def check_perceptron_epoch(candidate: Any) -> CheckResult:
    """Check ``perceptron_epoch(X, y, w, b, lr)`` -> ``(w, b, n_mistakes)``.

    One pass of the perceptron learning rule over the samples, in order.
    """
    X, y = make_linearly_separable(10, seed=5)
    gx, gy = logic_gate("and")
    cases = [
        (X, y, np.zeros(2), 0.0, 1.0),
        (X, y, np.array([0.5, -1.0]), 0.2, 0.1),
        (gx, gy, np.zeros(2), 0.0, 1.0),
        (gx, gy, np.array([1.0, 1.0]), -1.5, 0.5),
    ]
    return check_function(
        candidate,
        _perceptron_epoch,
        cases,
        name="perceptron_epoch",
        hint="loop over the samples in order; for each, predict with the CURRENT w and b, "
        "compute error = y_i - prediction, then w = w + lr * error * x_i and "
        "b = b + lr * error. Count the samples with error != 0. Return (w, b, mistakes).",
        success="`perceptron_epoch` applies Rosenblatt's rule exactly like the reference.",
    )


def check_gate_weights(gate: str, w: Any, b: Any) -> CheckResult:
    """Check that a perceptron with weights ``w`` and bias ``b`` computes a logic ``gate``.

    Parameters
    ----------
    gate : {"and", "or", "nand", "nor", "xor"}
    w : array_like of shape (2,)
    b : float
    """
    try:
        X, y = logic_gate(gate)
        try:
            w_arr = np.asarray(w, dtype=float).reshape(2)
            b_val = float(b)
        except (TypeError, ValueError):
            return _failed(
                f"`w` must be two numbers and `b` one number; got w={w!r}, b={b!r}.",
                "for example w = np.array([1.0, 1.0]) and b = -0.5.",
            )
        got = step(X @ w_arr + b_val)
        if np.array_equal(got, y):
            return _passed(
                f"w={_show(w_arr)}, b={b_val:g} computes {gate.upper()} on all four inputs."
            )
        rows = ", ".join(
            f"{tuple(int(v) for v in x)} -> {g} (want {t})" for x, g, t in zip(X, got, y) if g != t
        )
        hint = (
            None
            if gate.lower() == "xor"
            else "write the four inequalities w1*a + w2*b + bias > 0 (or <= 0) for the inputs "
            "(0,0), (0,1), (1,0), (1,1) and find numbers that satisfy all of them."
        )
        return _failed(f"{gate.upper()} is wrong for {rows}.", hint)
    except Exception as exc:
        return _failed(f"could not check this gate ({type(exc).__name__}: {exc}).", None)


# -- chapter 3: activation functions --------------------------------------------------------
