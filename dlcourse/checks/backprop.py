"""Checkers for the exercises on backpropagation (chapter 7)."""

import numpy as np

from ..activations import sigmoid, sigmoid_grad
from ..gradcheck import numerical_gradient
from ._core import CheckResult, _named, check_function

# fmt: off


def check_sigmoid_backward(candidate) -> CheckResult:
    """Check ``sigmoid_backward(grad_output, z)``: ``grad_output * s * (1 - s)``."""
    rng = np.random.default_rng(21)
    cases = [(np.array([1.0]), np.array([0.0])),
             (np.array([-0.5379, 2.0, 1.0]), np.array([1.0, -2.0, 3.0])),
             (rng.standard_normal((3, 2)), 2.0 * rng.standard_normal((3, 2))),
             (rng.standard_normal((4, 1)), rng.standard_normal((4, 1)))]
    return check_function(candidate, lambda g, z: g * sigmoid_grad(z), cases,
        name="sigmoid_backward",
        hint="s = 1 / (1 + np.exp(-z)); return grad_output * s * (1 - s).", mistakes=[
        (lambda g, z: sigmoid_grad(z), "That is the local derivative sigmoid'(z) alone: multiply "
         "it by the upstream gradient."),
        (lambda g, z: g * z * (1 - z), "Use the sigmoid of z in s * (1 - s), not z itself."),
        (lambda g, z: g * sigmoid(z), "You multiplied by sigmoid(z) only; it is s * (1 - s)."),
        (lambda g, z: g + sigmoid_grad(z), "You added the gradients; the chain rule multiplies."),
    ])


def _linear_backward(g, x, w):
    return g.T @ x, g.sum(axis=0), g @ w


def check_linear_backward(candidate) -> CheckResult:
    """Check ``linear_backward(grad_output, x, weight)``, ``weight`` (out, in) as in nn.Linear."""
    rng = np.random.default_rng(23)
    cases = [(np.array([[-280.0]]), np.array([[26.0, 0.0]]), np.array([[2.0, 7.0]]))] + [
        tuple(rng.standard_normal(s) for s in ((n, o), (n, i), (o, i)))
        for n, i, o in [(3, 3, 3), (1, 3, 2), (4, 3, 2), (5, 2, 4), (3, 4, 1)]]
    return check_function(candidate, _linear_backward, cases, name="linear_backward",
        hint="each gradient has the shape of its variable: grad_output.T @ x, "
        "grad_output.sum(axis=0), grad_output @ weight.", mistakes=[
        (lambda g, x, w: (x.T @ g, g.sum(0), g @ w),
         "grad_weight is grad_output.T @ x, not x.T @ grad_output."),
        (lambda g, x, w: (g.T @ x, g.mean(0), g @ w), "Bias gradients ADD UP over samples."),
        (lambda g, x, w: (g.T @ x, g, g @ w), "grad_bias has one row per sample: sum over axis 0."),
        (lambda g, x, w: (g.T @ x / len(x), g.sum(0), g @ w), "grad_weight was divided by the "
         "number of samples."),
        (lambda g, x, w: (g.T @ x, g.sum(0), g @ w.T), "grad_input uses `weight` itself."),
    ])


def _differences(f, x, eps, *, central=True, restore=True, all_at_once=False):
    x, grad = np.array(x, dtype=float), np.zeros_like(x, dtype=float)
    for i in np.ndindex(x.shape):
        step = np.full_like(x, eps) if all_at_once else np.zeros_like(x)
        step[i] = eps
        grad[i] = (f(x + step) - (f(x - step) if central else f(x))) / ((1 + central) * eps)
        x[i] -= 0 if restore else eps
    return grad


def _restores_x(call) -> str | None:
    x = np.array([[0.5, -1.0], [2.0, 0.25]])
    call(_named("f(x) = x[0, 0] * x[1, 1] ** 2", lambda v: v[0, 0] * v[1, 1] ** 2), x, 1e-3)
    if not np.array_equal(x, [[0.5, -1.0], [2.0, 0.25]]):
        return f"after your function, x is {x.tolist()}: put each entry back after nudging it."
    return None


def check_numerical_gradient(candidate) -> CheckResult:
    """Check ``numerical_gradient(f, x, eps)``: central differences, ``x`` left as it was."""
    cases = [(_named("sum(x**2)", lambda v: np.sum(v**2)), np.array([1.0, -2.0, 3.0]), 1e-5),
             (_named("3 sum(sin(x))", lambda v: 3 * np.sum(np.sin(v))),
              np.random.default_rng(25).standard_normal((2, 3)), 1e-5),
             (_named("sum(exp(x))", lambda v: np.sum(np.exp(v))), np.array([0.5, -1.0]), 1e-2),
             (_named("x[0] * x[1] ** 2", lambda v: v[0] * v[1] ** 2), np.array([2.0, -1.5]), 1e-2)]
    return check_function(candidate, numerical_gradient, cases, name="numerical_gradient",
        properties=[_restores_x], atol=1e-7,
        hint="for i in np.ndindex(x.shape): set x[i] to old + eps and old - eps, evaluate f, put "
        "x[i] back, grad[i] = (f_plus - f_minus) / (2 * eps); start from np.zeros_like(x).",
        mistakes=[
        (lambda *a: _differences(*a, central=False), "That is the one-sided difference: use "
         "(f(x + eps) - f(x - eps)) / (2 * eps)."),
        (lambda *a: 2 * _differences(*a), "That is twice the gradient: divide by 2 * eps."),
        (lambda *a: _differences(*a, all_at_once=True), "You nudged every entry at once."),
        (lambda *a: _differences(*a).ravel(), "The gradient must have the shape of x."),
        (lambda *a: _differences(*a, restore=False), "Put each entry back before the next."),
    ])
