"""Checkers for the exercises on activation functions (chapter 3)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import activations
from ._core import CheckResult, _floats, _rejected, check_function


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
    mistakes = [
        (lambda x, a: np.where(x > 0, x, a * (np.exp(x) - 1)), "That is the ELU itself; the "
         "exercise asks for its derivative."),
        (lambda x, a: np.where(x > 0, 1.0, a * (np.exp(x) - 1)), "The derivative of "
         "alpha * (exp(x) - 1) is alpha * exp(x): the constant -1 disappears."),
        (lambda x, a: np.where(x > 0, 1.0, np.exp(x)), "You ignore alpha: the negative side "
         "is alpha * exp(x)."),
        (lambda x, a: a * np.exp(x), "You forgot the positive side, where the slope is 1."),
        (lambda x, a: np.where(x > 0, x, a * np.exp(x)), "Where x > 0 the ELU is x, whose "
         "slope is 1, not x."),
        (lambda x, a: np.where(x > 0, 1.0, 0.0), "That is ReLU's derivative; the ELU's slope "
         "for x <= 0 is alpha * exp(x)."),
    ]  # fmt: skip
    return check_function(
        candidate, activations.elu_grad, cases, name="elu_grad", mistakes=mistakes,
        hint="where x > 0 the ELU is x, whose slope is 1; where x <= 0 it is "
        "alpha * (exp(x) - 1), whose derivative is alpha * exp(x). "
        "np.where(x > 0, 1.0, alpha * np.exp(x)) picks one or the other for every entry.",
        success="`elu_grad` is the derivative of the ELU for every alpha.",
    )  # fmt: skip


def _naive_softmax(Z, shift=0.0):
    e = np.exp(Z - shift)
    return e / e.sum(axis=1, keepdims=True)


def check_softmax(candidate: Any) -> CheckResult:
    """Check ``softmax(Z)``: the softmax of every row of a 2-D array, stable for large logits."""
    rng = np.random.default_rng(9)
    cases = [
        np.array([[2.0, 1.0, 0.1], [0.5, -1.0, 2.0], [0.0, 0.0, 3.0]]),
        rng.standard_normal((4, 3)),
        3.0 * rng.standard_normal((3, 5)),
        np.array([[1000.0, 1000.0, 999.0], [-1000.0, -1001.0, -1002.0]]),
    ]
    mistakes = [
        (_naive_softmax, "np.exp(1000) overflows to inf, and inf / inf is nan: subtract each "
         "row's maximum before np.exp."),
        (lambda Z: _naive_softmax(Z, Z.max()), "You subtracted the maximum of the whole array: "
         "a row far below it underflows to 0 / 0. Subtract each row's own maximum."),
        (lambda Z: np.exp(Z) / np.exp(Z).sum(axis=0, keepdims=True), "Your COLUMNS add up to "
         "1; each ROW (one data point's scores) should: normalise along axis=1."),
        (lambda Z: np.exp(Z) / np.exp(Z).sum(), "You divided by one sum over the whole array: "
         "divide each row by its own sum."),
        (lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1), "Without keepdims=True the row sums "
         "have shape (n,) and divide the columns: use e.sum(axis=1, keepdims=True)."),
        (lambda Z: 1 / (1 + np.exp(-Z)), "You applied the sigmoid to each entry; softmax "
         "normalises each row."),
    ]  # fmt: skip
    return check_function(
        candidate, lambda Z: activations.softmax(Z, axis=1), [(Z,) for Z in cases],
        name="softmax", mistakes=mistakes,
        hint="exponentiate, then divide each row by its own sum: e / e.sum(axis=1, "
        "keepdims=True). For large logits first subtract each row's maximum, "
        "Z - Z.max(axis=1, keepdims=True), which keeps np.exp from overflowing.",
        success="`softmax` turns every row of logits into probabilities, even for huge logits.",
    )  # fmt: skip


_MAXOUT_TARGETS = {
    "relu": ("ReLU max(0, x)", lambda x: np.maximum(0.0, x)),
    "leaky_relu": ("leaky ReLU max(0.1x, x)", lambda x: np.maximum(0.1 * x, x)),
    "abs": ("absolute value |x|", np.abs),
    "identity": ("identity x", lambda x: x),
}


def check_maxout_weights(target: str, w1: Any, b1: Any, w2: Any, b2: Any) -> CheckResult:
    """Check that the one-input maxout unit ``max(w1*x + b1, w2*x + b2)`` computes ``target``:
    "relu", "leaky_relu" (slope 0.1), "abs" or "identity"."""
    numbers = _floats(w1, b1, w2, b2)
    if not isinstance(target, str) or target.lower() not in _MAXOUT_TARGETS:
        return _rejected(f"unknown target {target!r}; choose one of {', '.join(_MAXOUT_TARGETS)}.")
    if numbers is None or numbers.size != 4:
        return _rejected(
            f"`w1`, `b1`, `w2` and `b2` must be four numbers; got {w1!r}, {b1!r}, {w2!r}, {b2!r}.",
            "for example w1, b1 = 1.0, 0.0.",
        )
    a, c, d, e = numbers
    title, function = _MAXOUT_TARGETS[target.lower()]
    mistakes = [(lambda x: 0 * x, "Your unit is 0 everywhere.")]
    mistakes += [(lambda x: np.maximum(0.01 * x, x), "Your negative slope is 0.01, PyTorch's "
                  "default; the slides' leaky ReLU has 0.1.")]  # fmt: skip
    mistakes += [(f, f"Your unit is the {name}.") for name, f in _MAXOUT_TARGETS.values()]
    return check_function(
        lambda x: np.maximum(a * x + c, d * x + e), function, [(np.linspace(-3, 3, 13),)],
        name=f"max({a:g}x + {c:g}, {d:g}x + {e:g})", mistakes=mistakes,
        hint="a maxout unit outputs the larger of its two lines. Pick one line that is right "
        "for x > 0 and one that is right for x < 0: for ReLU these are x and 0.",
        success=f"max({a:g}x + {c:g}, {d:g}x + {e:g}) is the {title} for every x.",
    )  # fmt: skip
