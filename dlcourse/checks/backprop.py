"""Checkers for the exercises on backpropagation (chapter 7)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..activations import sigmoid, sigmoid_grad
from ..gradcheck import numerical_gradient
from ._core import CheckResult, check_function


def check_sigmoid_backward(candidate: Any) -> CheckResult:
    """Check ``sigmoid_backward(grad_output, z)``: ``grad_output * s * (1 - s)`` with
    ``s = sigmoid(z)``, elementwise: ``dL/dz`` from ``dL/da`` for ``a = sigmoid(z)``."""
    rng = np.random.default_rng(21)
    cases = [
        (np.array([1.0]), np.array([0.0])),
        (np.array([-0.5379, 2.0, 1.0]), np.array([1.0, -2.0, 3.0])),
        (rng.standard_normal((3, 2)), 2.0 * rng.standard_normal((3, 2))),
        (rng.standard_normal((4, 1)), rng.standard_normal((4, 1))),
    ]
    mistakes = [
        (lambda g, z: sigmoid_grad(z), "This is the local derivative sigmoid'(z) alone: the "
         "chain rule multiplies it by the upstream gradient `grad_output`."),
        (lambda g, z: g * z * (1 - z), "You used z * (1 - z); the derivative is "
         "sigmoid(z) * (1 - sigmoid(z)), with the sigmoid of z, not z itself."),
        (lambda g, z: g * sigmoid(z), "You multiplied by sigmoid(z) only; the derivative is "
         "sigmoid(z) * (1 - sigmoid(z))."),
        (lambda g, z: g + sigmoid_grad(z), "You added the gradients; the chain rule "
         "multiplies the upstream gradient by the local derivative."),
    ]  # fmt: skip
    return check_function(
        candidate, lambda g, z: g * sigmoid_grad(z), cases, name="sigmoid_backward",
        mistakes=mistakes,
        hint="compute s = 1 / (1 + np.exp(-z)) first; the local derivative is s * (1 - s), "
        "and the chain rule gives grad_output * s * (1 - s), entry by entry.",
        success="`sigmoid_backward` multiplies the upstream gradient by the sigmoid's local "
        "derivative s(1 - s).",
    )  # fmt: skip


def _linear_backward(g, x, w):
    return g.T @ x, g.sum(axis=0), g @ w


def check_linear_backward(candidate: Any) -> CheckResult:
    """Check ``linear_backward(grad_output, x, weight)`` for ``out = x @ weight.T + bias`` ->
    ``(grad_weight, grad_bias, grad_input)``, with ``weight`` of shape (out, in) as in
    ``torch.nn.Linear``."""
    rng = np.random.default_rng(23)

    def case(n, n_in, n_out):
        sizes = ((n, n_out), (n, n_in), (n_out, n_in))
        return tuple(rng.standard_normal(size) for size in sizes)

    cases = [
        (np.array([[-280.0]]), np.array([[26.0, 0.0]]), np.array([[2.0, 7.0]])),
        case(3, 3, 3),  # square weights: a transposed weight has the right shape here
        case(1, 3, 2),
        case(4, 3, 2),
        case(5, 2, 4),
        case(3, 4, 1),
    ]
    mistakes = [
        (lambda g, x, w: (x.T @ g, g.sum(axis=0), g @ w), "grad_weight must have the shape of "
         "`weight`, (out_features, in_features): use grad_output.T @ x, not x.T @ grad_output."),
        (lambda g, x, w: (g.T @ x, g.mean(axis=0), g @ w), "grad_bias is the mean of "
         "grad_output; the bias is used by every sample, so its gradients ADD UP: sum over "
         "axis 0."),
        (lambda g, x, w: (g.T @ x, g, g @ w), "grad_bias still has one row per sample; sum "
         "grad_output over axis 0."),
        (lambda g, x, w: (g.T @ x / len(x), g.sum(axis=0), g @ w), "grad_weight was divided "
         "by the number of samples; any averaging is already in grad_output."),
        (lambda g, x, w: (g.T @ x, g.sum(axis=0), g @ w.T), "grad_input must have the shape "
         "of x: multiply grad_output by `weight` itself, grad_output @ weight."),
    ]  # fmt: skip
    return check_function(
        candidate, _linear_backward, cases, name="linear_backward", mistakes=mistakes,
        hint="every gradient has the shape of the thing it belongs to: grad_weight = "
        "grad_output.T @ x, grad_bias = grad_output.sum(axis=0), grad_input = grad_output @ "
        "weight. Return the three as a tuple in that order.",
        success="`linear_backward` returns dL/dweight, dL/dbias and dL/dx of a linear layer, "
        "with the right shapes.",
    )  # fmt: skip


def _named(name: str, f):
    f.__name__ = name
    return f


def _differences(f, x, eps, *, central=True, restore=True, all_at_once=False):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        step = np.full_like(x, eps) if all_at_once else np.zeros_like(x)
        step[i] = eps
        low = f(x - step) if central else f(x)
        grad[i] = (f(x + step) - low) / ((1 + central) * eps)
        x[i] -= 0 if restore else eps
    return grad


def _restores_x(call) -> str | None:
    x = np.array([[0.5, -1.0], [2.0, 0.25]])
    call(_named("f(x) = x[0, 0] * x[1, 1] ** 2", lambda v: v[0, 0] * v[1, 1] ** 2), x, 1e-3)
    if not np.array_equal(x, [[0.5, -1.0], [2.0, 0.25]]):
        return f"after your function, x is {x.tolist()}: put each entry back after nudging it."
    return None


def check_numerical_gradient(candidate: Any) -> CheckResult:
    """Check ``numerical_gradient(f, x, eps)``: central differences for every entry of ``x``,
    of the shape of ``x``, leaving ``x`` as it was."""
    x_2d = np.random.default_rng(25).standard_normal((2, 3))
    cases = [
        (_named("f(x) = sum(x**2)", lambda v: np.sum(v**2)), np.array([1.0, -2.0, 3.0]), 1e-5),
        (_named("f(x) = 3 sum(sin(x))", lambda v: 3 * np.sum(np.sin(v))), x_2d, 1e-5),
        (_named("f(x) = sum(exp(x))", lambda v: np.sum(np.exp(v))), np.array([0.5, -1.0]), 1e-2),
        (_named("f(x) = x[0] * x[1] ** 2", lambda v: v[0] * v[1] ** 2), np.array([2.0, -1.5]), 1e-2),
    ]
    mistakes = [
        (lambda *a: _differences(*a, central=False), "That is the one-sided difference "
         "(f(x + eps) - f(x)) / eps, whose error shrinks only like eps; use the central "
         "difference (f(x + eps) - f(x - eps)) / (2 * eps)."),
        (lambda *a: 2 * _differences(*a), "That is twice the gradient: x - eps and x + eps are "
         "2 * eps apart, so divide by 2 * eps."),
        (lambda *a: _differences(*a, all_at_once=True), "You nudged every entry at once; "
         "nudge one entry at a time, so that grad[i] sees x[i] change alone."),
        (lambda *a: _differences(*a).ravel(), "The gradient must have the shape of x: start "
         "from grad = np.zeros_like(x)."),
        (lambda *a: _differences(*a, restore=False), "You did not put x[i] back before the "
         "next entry, so the later entries are measured at a moved point."),
    ]  # fmt: skip
    return check_function(
        candidate, numerical_gradient, cases, name="numerical_gradient", mistakes=mistakes,
        properties=[_restores_x], rtol=1e-6, atol=1e-7,
        hint="loop over every index i of x (np.ndindex(x.shape) works for any shape), nudge "
        "x[i] to old + eps and old - eps, evaluate f each time, put x[i] back to old, and "
        "store (f_plus - f_minus) / (2 * eps) in grad[i]. Start from grad = np.zeros_like(x).",
        success="`numerical_gradient` computes central differences for every entry, of any "
        "shape, and leaves x as it found it.",
    )  # fmt: skip
