"""Checkers for the exercises on activation functions (chapter 3)."""

import numpy as np

from .. import activations
from ._core import CheckResult, _floats, _rejected, check_function

# fmt: off


def check_elu_grad(candidate) -> CheckResult:
    """Check ``elu_grad(x, alpha)``: 1 where ``x > 0``, else ``alpha * exp(x)`` (no ``x = 0``)."""
    cases = [(np.array([-3.0, -1.0, -0.5, 0.5, 2.0]), 1.0),
             (np.array([-2.0, -0.25, 0.75, 4.0]), 0.5),
             (3.0 * np.random.default_rng(7).standard_normal(8), 2.0),
             (np.array([[-1.5, 0.3, -0.01], [2.0, -4.0, 1.0]]), 1.5)]
    return check_function(candidate, activations.elu_grad, cases, name="elu_grad",
        hint="np.where(x > 0, 1.0, alpha * np.exp(x)): slope 1 for x > 0, alpha * exp(x) else.",
        mistakes=[
        (lambda x, a: np.where(x > 0, x, a * (np.exp(x) - 1)), "That is the ELU itself."),
        (lambda x, a: np.where(x > 0, 1, a * (np.exp(x) - 1)), "The constant -1 disappears."),
        (lambda x, a: np.where(x > 0, 1.0, np.exp(x)), "You ignore alpha."),
        (lambda x, a: a * np.exp(x), "You forgot the positive side, where the slope is 1."),
        (lambda x, a: np.where(x > 0, x, a * np.exp(x)), "For x > 0 the slope is 1, not x."),
        (lambda x, a: np.where(x > 0, 1.0, 0.0), "That is ReLU's derivative."),
    ])


def _softmax(Z, shift=0.0, axis=1):
    e = np.exp(Z - shift)
    return e / e.sum(axis=axis, keepdims=True)


def check_softmax(candidate) -> CheckResult:
    """Check ``softmax(Z)``: the softmax of every row of a 2-D array, stable for large logits."""
    rng = np.random.default_rng(9)
    cases = [(np.array([[2.0, 1.0, 0.1], [0.5, -1.0, 2.0], [0.0, 0.0, 3.0]]),),
             (rng.standard_normal((4, 3)),), (3.0 * rng.standard_normal((3, 5)),),
             (np.array([[1000.0, 1000.0, 999.0], [-1000.0, -1001.0, -1002.0]]),)]
    return check_function(candidate, lambda Z: activations.softmax(Z, axis=1), cases,
        name="softmax", hint="e = np.exp(Z - Z.max(axis=1, keepdims=True)); return "
        "e / e.sum(axis=1, keepdims=True): subtract each row's maximum so np.exp cannot overflow.",
        mistakes=[
        (_softmax, "np.exp(1000) overflows: inf / inf is nan."),
        (lambda Z: _softmax(Z, Z.max()), "You used the whole array's maximum: use each row's."),
        (lambda Z: _softmax(Z, axis=0), "Your COLUMNS add up to 1; each ROW should (axis=1)."),
        (lambda Z: np.exp(Z) / np.exp(Z).sum(), "Divide each row by its own sum."),
        (lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1), "Without keepdims=True sums divide columns."),
        (lambda Z: 1 / (1 + np.exp(-Z)), "You applied the sigmoid to each entry."),
    ])


_MAXOUT_TARGETS = {
    "relu": ("ReLU", lambda x: np.maximum(0.0, x)),
    "leaky_relu": ("leaky ReLU max(0.1x, x)", lambda x: np.maximum(0.1 * x, x)),
    "abs": ("absolute value", np.abs),
    "identity": ("identity", lambda x: x),
}


def check_maxout_weights(target: str, w1, b1, w2, b2) -> CheckResult:
    """Check that ``max(w1*x + b1, w2*x + b2)`` computes ``target``, a key of _MAXOUT_TARGETS."""
    numbers = _floats(w1, b1, w2, b2)
    if not isinstance(target, str) or target.lower() not in _MAXOUT_TARGETS:
        return _rejected(f"unknown target {target!r}; choose one of {', '.join(_MAXOUT_TARGETS)}.")
    if numbers is None or numbers.size != 4:
        return _rejected(f"`w1`, `b1`, `w2` and `b2` must be four numbers; got {w1!r}, {b1!r}, ...")
    (a, c, d, e), (title, function) = numbers, _MAXOUT_TARGETS[target.lower()]
    mistakes = [(lambda x: 0 * x, "Your unit is 0 everywhere."),
                (lambda x: np.maximum(0.01 * x, x), "Slope 0.01 is PyTorch's default; use 0.1.")]
    mistakes += [(f, f"Your unit is the {name}.") for name, f in _MAXOUT_TARGETS.values()]
    unit = f"max({a:g}x + {c:g}, {d:g}x + {e:g})"
    return check_function(lambda x: np.maximum(a * x + c, d * x + e), function,
        [(np.linspace(-3, 3, 13),)], name=unit, mistakes=mistakes,
        success=f"{unit} is the {title}.",
        hint="the unit outputs the larger of two lines: one right for x > 0, one for x < 0.")
