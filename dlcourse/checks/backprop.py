"""Checkers for the exercises on backpropagation: backward passes and numerical gradients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._core import CheckResult, _failed, _passed, _show, check_function

__all__ = ["check_linear_backward", "check_numerical_gradient", "check_sigmoid_backward"]

# A known mistake: (what the wrong code computes, what to tell the learner).
Mistake = tuple[Callable[..., Any], str]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


# ------------------------------------------------------------------ sigmoid backward


def _sigmoid_backward(grad_output, z):
    s = _sigmoid(np.asarray(z, dtype=float))
    return np.asarray(grad_output, dtype=float) * s * (1.0 - s)


def check_sigmoid_backward(candidate: Any) -> CheckResult:
    """Check ``sigmoid_backward(grad_output, z)``: ``dL/dz`` for ``a = sigmoid(z)``.

    ``grad_output`` is ``dL/da``, of the shape of ``z``; the answer is
    ``grad_output * sigmoid(z) * (1 - sigmoid(z))``, elementwise.
    """
    rng = np.random.default_rng(21)
    cases = [
        (np.array([1.0]), np.array([0.0])),
        (np.array([-0.5379, 2.0, 1.0]), np.array([1.0, -2.0, 3.0])),
        (rng.standard_normal((3, 2)), 2.0 * rng.standard_normal((3, 2))),
        (rng.standard_normal((4, 1)), rng.standard_normal((4, 1))),
    ]
    mistakes: list[Mistake] = [
        (
            lambda g, z: _sigmoid(z) * (1 - _sigmoid(z)),
            "This is the local derivative sigmoid'(z) alone: the chain rule multiplies it by "
            "the upstream gradient `grad_output`.",
        ),
        (
            lambda g, z: g * z * (1 - z),
            "You used z * (1 - z); the derivative is sigmoid(z) * (1 - sigmoid(z)), with the "
            "sigmoid of z (the layer's output), not z itself.",
        ),
        (
            lambda g, z: g * _sigmoid(z),
            "You multiplied by sigmoid(z) only; the derivative is sigmoid(z) * (1 - sigmoid(z)).",
        ),
        (
            lambda g, z: g + _sigmoid(z) * (1 - _sigmoid(z)),
            "You added the gradients; the chain rule multiplies the upstream gradient by the "
            "local derivative.",
        ),
    ]
    return check_function(
        candidate,
        _sigmoid_backward,
        cases,
        mistakes=mistakes,
        name="sigmoid_backward",
        hint="compute s = 1 / (1 + np.exp(-z)) first; the local derivative is s * (1 - s), and "
        "the chain rule gives grad_output * s * (1 - s), entry by entry.",
        success="`sigmoid_backward` multiplies the upstream gradient by the sigmoid's local "
        "derivative s(1 - s).",
    )


# ------------------------------------------------------------------- linear backward


def _linear_backward(grad_output, x, weight):
    g = np.asarray(grad_output, dtype=float)
    x = np.asarray(x, dtype=float)
    weight = np.asarray(weight, dtype=float)
    return g.T @ x, g.sum(axis=0), g @ weight


def check_linear_backward(candidate: Any) -> CheckResult:
    """Check ``linear_backward(grad_output, x, weight)`` for ``out = x @ weight.T + bias``.

    ``x`` has shape (n_samples, in_features), ``weight`` (out_features, in_features) as in
    ``torch.nn.Linear``, and ``grad_output = dL/dout`` (n_samples, out_features). The function
    returns ``(grad_weight, grad_bias, grad_input)``: ``grad_output.T @ x``,
    ``grad_output.sum(axis=0)`` and ``grad_output @ weight``.
    """
    rng = np.random.default_rng(23)

    def case(n, n_in, n_out):
        return (
            rng.standard_normal((n, n_out)),
            rng.standard_normal((n, n_in)),
            rng.standard_normal((n_out, n_in)),
        )

    cases = [
        (np.array([[-280.0]]), np.array([[26.0, 0.0]]), np.array([[2.0, 7.0]])),
        case(1, 3, 2),
        case(4, 3, 2),
        case(5, 2, 4),
        case(3, 4, 1),
        case(3, 3, 3),  # square weights: a transposed weight has the right shape here
    ]
    mistakes: list[Mistake] = [
        (
            lambda g, x, w: (x.T @ g, g.sum(axis=0), g @ w),
            "grad_weight has the shape of x.T @ grad_output, (in_features, out_features); it "
            "must have the shape of `weight`, (out_features, in_features): use "
            "grad_output.T @ x.",
        ),
        (
            lambda g, x, w: (g.T @ x, g.mean(axis=0), g @ w),
            "grad_bias is the mean of grad_output over the samples; the bias is used by every "
            "sample, so its gradients ADD UP: sum over axis 0.",
        ),
        (
            lambda g, x, w: (g.T @ x, g, g @ w),
            "grad_bias still has one row per sample; the bias is shared by all samples, so sum "
            "grad_output over axis 0.",
        ),
        (
            lambda g, x, w: (g.T @ x / len(x), g.sum(axis=0), g @ w),
            "grad_weight was divided by the number of samples; any averaging is already in "
            "grad_output (from the loss), so here the samples' contributions just add up.",
        ),
        (
            lambda g, x, w: (g.T @ x, g.sum(axis=0), g @ w.T),
            "grad_input must have the shape of x: multiply grad_output by `weight` itself, "
            "grad_output @ weight.",
        ),
    ]
    return check_function(
        candidate,
        _linear_backward,
        cases,
        mistakes=mistakes,
        name="linear_backward",
        hint="every gradient has the shape of the thing it belongs to, which decides the "
        "products: grad_weight = grad_output.T @ x (out x in, like weight), grad_bias = "
        "grad_output.sum(axis=0) (out,), grad_input = grad_output @ weight (n x in, like x). "
        "Return the three as a tuple in that order.",
        success="`linear_backward` returns dL/dweight, dL/dbias and dL/dx of a linear layer, "
        "with the right shapes.",
    )


# --------------------------------------------------------------- numerical gradient


def _central(f, x, eps):
    x = np.array(x, dtype=float)
    grad = np.empty_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        f_plus = float(f(x))
        x[i] = old - eps
        f_minus = float(f(x))
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def _one_sided(f, x, eps):
    x = np.array(x, dtype=float)
    grad = np.empty_like(x)
    f0 = float(f(x.copy()))
    for i in np.ndindex(x.shape):
        nudged = x.copy()
        nudged[i] += eps
        grad[i] = (float(f(nudged)) - f0) / eps
    return grad


def check_numerical_gradient(candidate: Any) -> CheckResult:
    """Check ``numerical_gradient(f, x, eps)``: central differences for every entry of ``x``.

    The result must have the shape of ``x``, be accurate to the order of ``eps**2`` (a
    one-sided difference is not), and leave ``x`` as it was.
    """
    hint = (
        "loop over every index i of x (np.ndindex(x.shape) works for any shape), nudge x[i] "
        "to old + eps and old - eps, evaluate f each time, put x[i] back to old, and store "
        "(f_plus - f_minus) / (2 * eps) in grad[i]. Start from grad = np.zeros_like(x)."
    )
    rng = np.random.default_rng(25)
    x_2d = rng.standard_normal((2, 3))
    cases = [
        (
            "f(x) = sum(x**2)",
            lambda v: np.sum(v**2),
            np.array([1.0, -2.0, 3.0]),
            1e-5,
            lambda v: 2 * v,
            1e-6,
        ),
        (
            "f(x) = 3 sum(sin(x)), x of shape (2, 3)",
            lambda v: 3 * np.sum(np.sin(v)),
            x_2d,
            1e-5,
            lambda v: 3 * np.cos(v),
            1e-6,
        ),
        (
            "f(x) = sum(exp(x)), eps = 0.01",
            lambda v: np.sum(np.exp(v)),
            np.array([0.5, -1.0, 1.5]),
            1e-2,
            np.exp,
            1e-3,
        ),
        (
            "f(x) = x[0] * x[1] ** 2",
            lambda v: v[0] * v[1] ** 2,
            np.array([2.0, -1.5]),
            1e-5,
            lambda v: np.array([v[1] ** 2, 2 * v[0] * v[1]]),
            1e-6,
        ),
    ]
    try:
        if not callable(candidate):
            return _failed(
                f"`numerical_gradient` should be a function; got {type(candidate).__name__}.",
                hint,
            )
        for text, f, x, eps, derivative, rtol in cases:
            x_given = x.copy()
            try:
                got = candidate(f, x_given, eps)
            except Exception as exc:
                return _failed(
                    f"for {text}, `numerical_gradient` raised {type(exc).__name__}: {exc}", hint
                )
            where = f"for {text} at x = {_show(x)} with eps = {eps:g}"
            if got is None:
                return _failed(
                    f"{where}: your function returned None. Did you forget the `return grad`?", hint
                )
            try:
                got_arr = np.asarray(got, dtype=float)
            except (TypeError, ValueError):
                return _failed(
                    f"{where}: expected an array of numbers; got {type(got).__name__}.", hint
                )
            if got_arr.shape != x.shape:
                return _failed(
                    f"{where}: the gradient must have the shape of x, {x.shape}; "
                    f"got shape {got_arr.shape}.",
                    hint,
                )
            if not np.array_equal(x_given, x):
                return _failed(
                    f"{where}: after your function, x is {_show(x_given)} instead of "
                    f"{_show(x)}. Put each entry back to its old value after nudging it.",
                    hint,
                )
            exact = derivative(x)
            if not np.allclose(got_arr, exact, rtol=rtol, atol=1e-7):
                problem = (
                    f"{where}: expected about {np.array2string(exact, precision=8)}; got "
                    f"{np.array2string(got_arr, precision=8)}."
                )
                if np.allclose(got_arr, 2 * exact, rtol=10 * rtol, atol=1e-6):
                    problem += (
                        " That is twice the gradient: the two points x - eps and x + eps "
                        "are 2 * eps apart, so divide by 2 * eps."
                    )
                elif np.allclose(got_arr, _one_sided(f, x, eps), rtol=1e-6, atol=1e-9):
                    problem += (
                        " That is the one-sided difference (f(x + eps) - f(x)) / eps, "
                        "whose error shrinks only like eps; use the central difference "
                        "(f(x + eps) - f(x - eps)) / (2 * eps), whose error shrinks "
                        "like eps**2."
                    )
                return _failed(problem, hint)
        return _passed(
            "`numerical_gradient` computes central differences for every entry, of any shape, "
            "and leaves x as it found it."
        )
    except Exception as exc:
        return _failed(f"the check itself could not run ({type(exc).__name__}: {exc}).", hint)
