"""Exercise checkers: run a learner's function on test cases and say what went wrong.

Every checker returns a :class:`CheckResult` that displays as a short pass/fail message with a
hint. A checker never raises, whatever the learner's code does (returns ``None``, crashes,
loops over the wrong axis): the notebook must still run top to bottom.

A chapter uses them like this::

    def weighted_sum(x, w, b):
        ...  # your code here

    check_weighted_sum(weighted_sum)

:func:`check_function` is the general tool; the named checkers below are built on it.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._validation import as_array, check_scalar
from .datasets import logic_gate, make_linearly_separable
from .perceptron import step

__all__ = [
    "CheckResult",
    "check_function",
    "check_gate_weights",
    "check_learn_angle",
    "check_mean_squared_error",
    "check_perceptron_epoch",
    "check_perceptron_predict",
    "check_weighted_sum",
]


@dataclass(frozen=True)
class CheckResult:
    """The outcome of a check.

    Attributes
    ----------
    passed : bool
    message : str
        What the learner reads: what was tested, what went wrong, and a hint.
    """

    passed: bool
    message: str

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return self.message

    def _repr_html_(self) -> str:
        colour, border = ("#e8f5e9", "#009E73") if self.passed else ("#fff3e0", "#D55E00")
        body = html.escape(self.message).replace("\n", "<br>")
        return (
            f'<div class="dlcourse-check" style="background:{colour};border-left:4px solid '
            f'{border};padding:6px 10px;font-family:monospace;white-space:normal">'
            f"{body}</div>"
        )


def _passed(what: str) -> CheckResult:
    return CheckResult(True, f"✔ Correct: {what}")


def _failed(problem: str, hint: str | None) -> CheckResult:
    text = f"✘ Not yet: {problem}"
    if hint:
        text += f"\nHint: {hint}"
    return CheckResult(False, text)


def _show(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=4, separator=", ", threshold=12)
    if isinstance(value, float):
        return f"{value:.6g}"
    return repr(value)


def _call(fn: Callable, args: Sequence, kwargs: dict) -> tuple[bool, Any]:
    """Call the learner's function on copies of the inputs (so it cannot spoil them)."""
    args = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    try:
        return True, fn(*args, **kwargs)
    except Exception as exc:  # the learner's bug, reported rather than raised
        return False, f"{type(exc).__name__}: {exc}"


def _compare(got: Any, expected: Any, atol: float) -> str | None:
    """Return None when ``got`` matches ``expected``, else a description of the mismatch."""
    if got is None:
        return "your function returned None. Did you forget the `return` statement?"
    if isinstance(expected, tuple):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            return f"expected {len(expected)} values (a tuple); got {_show(got)}."
        for i, (g, e) in enumerate(zip(got, expected)):
            problem = _compare(g, e, atol)
            if problem:
                return f"value {i} of the result: {problem}"
        return None
    try:
        got_arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return f"expected a number or an array of numbers; got {type(got).__name__}."
    expected_arr = np.asarray(expected, dtype=float)
    if got_arr.shape != expected_arr.shape:
        if got_arr.size == expected_arr.size:
            return (
                f"the values may be right but the shape is {got_arr.shape}; "
                f"expected {expected_arr.shape}."
            )
        return f"expected shape {expected_arr.shape}; got shape {got_arr.shape}."
    if not np.allclose(got_arr, expected_arr, atol=atol, rtol=1e-6, equal_nan=False):
        return f"expected {_show(expected)}; got {_show(got)}."
    return None


def check_function(
    candidate: Any,
    reference: Callable,
    cases: Sequence[tuple],
    *,
    name: str,
    hint: str | None = None,
    atol: float = 1e-8,
    success: str | None = None,
) -> CheckResult:
    """Compare ``candidate`` with ``reference`` on each case; never raises.

    Parameters
    ----------
    candidate : callable
        The learner's function.
    reference : callable
        A correct implementation.
    cases : sequence of tuple
        Positional arguments for each call. A case may also be ``(args, kwargs)`` with a tuple
        and a dict.
    name : str
        The function's name as the exercise calls it (used in messages).
    hint : str, optional
        Shown when a case fails.
    atol : float, default 1e-8
        Absolute tolerance for numbers.
    success : str, optional
        The message shown on success.

    Returns
    -------
    CheckResult
    """
    try:
        if not callable(candidate):
            return _failed(f"`{name}` should be a function; got {type(candidate).__name__}.", hint)
        for case in cases:
            if len(case) == 2 and isinstance(case[0], tuple) and isinstance(case[1], dict):
                args, kwargs = case
            else:
                args, kwargs = case, {}
            expected = reference(*args, **kwargs)
            ok, got = _call(candidate, args, kwargs)
            shown = ", ".join(_show(a) for a in args)
            if not ok:
                return _failed(f"`{name}({shown})` raised {got}", hint)
            problem = _compare(got, expected, atol)
            if problem:
                return _failed(f"for `{name}({shown})`: {problem}", hint)
        return _passed(success or f"`{name}` gives the right answer on {len(cases)} test cases.")
    except Exception as exc:  # a checker must never stop the notebook
        return _failed(f"the check itself could not run ({type(exc).__name__}: {exc}).", hint)


# -- chapter exercises ----------------------------------------------------------------------


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
