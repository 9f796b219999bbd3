"""The backpropagation checkers pass correct solutions and explain the usual mistakes."""

import numpy as np
import pytest
import torch

from dlcourse.checks import (
    CheckResult,
    check_linear_backward,
    check_numerical_gradient,
    check_sigmoid_backward,
)
from dlcourse.checks.backprop import _central, _linear_backward, _sigmoid_backward


def skeleton(*args): ...  # what the notebook hands the reader: returns None


def crashes(*args):
    raise IndexError("index 5 is out of bounds")


# ------------------------------------------------------------- the references are right


def test_references_agree_with_torch_autograd():
    rng = np.random.default_rng(0)
    z, g = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    zt = torch.tensor(z, requires_grad=True)
    torch.sigmoid(zt).backward(torch.tensor(g))
    np.testing.assert_allclose(_sigmoid_backward(g, z), zt.grad.numpy(), rtol=1e-12)

    x, w, b = rng.normal(size=(5, 3)), rng.normal(size=(2, 3)), rng.normal(size=2)
    g = rng.normal(size=(5, 2))
    xt, wt, bt = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    torch.nn.functional.linear(xt, wt, bt).backward(torch.tensor(g))
    for ours, theirs in zip(_linear_backward(g, x, w), (wt.grad, bt.grad, xt.grad)):
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-12)

    x = rng.normal(size=(2, 2))
    np.testing.assert_allclose(_central(lambda v: np.sum(np.sin(v)), x, 1e-5), np.cos(x), atol=1e-9)


# -------------------------------------------------------------------- sigmoid backward


def sigmoid_backward(grad_output, z):
    s = 1 / (1 + np.exp(-z))
    return grad_output * s * (1 - s)


def test_sigmoid_backward_passes_the_solution():
    result = check_sigmoid_backward(sigmoid_backward)
    assert isinstance(result, CheckResult) and result.passed
    assert "s(1 - s)" in result.message


@pytest.mark.parametrize(
    ("wrong", "phrase"),
    [
        (lambda g, z: 1 / (1 + np.exp(-z)) * (1 - 1 / (1 + np.exp(-z))), "upstream gradient"),
        (lambda g, z: g * z * (1 - z), "not z itself"),
        (lambda g, z: g / (1 + np.exp(-z)), "sigmoid(z) only"),
        (lambda g, z: g + 1 / (1 + np.exp(-z)) * (1 - 1 / (1 + np.exp(-z))), "multiplies"),
        (lambda g, z: g * 0.25, "expected"),
        (lambda g, z: (g * 0.25)[:1], "shape"),
        (skeleton, "returned None"),
        (crashes, "IndexError"),
        ("not a function", "should be a function"),
    ],
)
def test_sigmoid_backward_explains_mistakes(wrong, phrase):
    result = check_sigmoid_backward(wrong)
    assert not result.passed
    assert phrase in result.message, result.message
    assert "Hint:" in result.message


# --------------------------------------------------------------------- linear backward


def linear_backward(grad_output, x, weight):
    return grad_output.T @ x, grad_output.sum(axis=0), grad_output @ weight


def test_linear_backward_passes_the_solution():
    assert check_linear_backward(linear_backward).passed
    # a list instead of a tuple is fine too
    assert check_linear_backward(lambda g, x, w: list(linear_backward(g, x, w))).passed


@pytest.mark.parametrize(
    ("wrong", "phrase"),
    [
        (lambda g, x, w: (x.T @ g, g.sum(axis=0), g @ w), "grad_output.T @ x"),
        (lambda g, x, w: (g.T @ x, g.mean(axis=0), g @ w), "ADD UP"),
        (lambda g, x, w: (g.T @ x, g, g @ w), "one row per sample"),
        (lambda g, x, w: (g.T @ x / len(x), g.sum(axis=0), g @ w), "divided by the number"),
        (lambda g, x, w: (g.T @ x, g.sum(axis=0), g @ w.T), "grad_output @ weight"),
        (lambda g, x, w: (g.T @ x, g.sum(axis=0)), "expected 3 values"),
        (lambda g, x, w: (g.sum(axis=0), g.T @ x, g @ w), "value 0 of the result"),
        (skeleton, "returned None"),
        (crashes, "raised IndexError"),
    ],
)
def test_linear_backward_explains_mistakes(wrong, phrase):
    result = check_linear_backward(wrong)
    assert not result.passed
    assert phrase in result.message, result.message


def test_linear_backward_catches_transposes_that_have_the_right_shape():
    # with square weights, g @ w.T and x.T @ g have the right shapes; the values give them away
    def square_only(bad):
        def candidate(g, x, w):
            right = linear_backward(g, x, w)
            return bad(g, x, w) if w.shape[0] == w.shape[1] else right

        return candidate

    result = check_linear_backward(square_only(lambda g, x, w: (g.T @ x, g.sum(0), g @ w.T)))
    assert not result.passed and "grad_output @ weight" in result.message
    result = check_linear_backward(square_only(lambda g, x, w: (x.T @ g, g.sum(0), g @ w)))
    assert not result.passed and "grad_output.T @ x" in result.message
    result = check_linear_backward(lambda g, x, w: (g.T @ x, g.sum(0), 1.01 * (g @ w)))
    assert not result.passed and "value 2 of the result" in result.message


# ------------------------------------------------------------------ numerical gradient


def numerical_gradient(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        f_plus = f(x)
        x[i] = old - eps
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def test_numerical_gradient_passes_the_solution_and_the_library():
    from dlcourse.gradcheck import numerical_gradient as library

    assert check_numerical_gradient(numerical_gradient).passed
    assert check_numerical_gradient(library).passed


def one_sided(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        nudged = x.copy()
        nudged[i] += eps
        grad[i] = (f(nudged) - f(x)) / eps
    return grad


def by_eps(f, x, eps=1e-6):
    return 2 * numerical_gradient(f, x, eps)


def forgets_to_restore(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] += eps
        f_plus = f(x)
        x[i] -= 2 * eps
        grad[i] = (f_plus - f(x)) / (2 * eps)
    return grad


def flat_only(f, x, eps=1e-6):
    return numerical_gradient(f, x, eps).ravel()  # right values, flattened


@pytest.mark.parametrize(
    ("wrong", "phrase"),
    [
        (one_sided, "one-sided difference"),
        (by_eps, "twice the gradient"),
        (forgets_to_restore, "Put each entry back"),
        (flat_only, "shape of x"),
        (lambda f, x, eps: np.zeros_like(x), "expected about"),
        (skeleton, "returned None"),
        (crashes, "raised IndexError"),
        (lambda f, x, eps: "grad", "array of numbers"),
        (42, "should be a function"),
    ],
)
def test_numerical_gradient_explains_mistakes(wrong, phrase):
    result = check_numerical_gradient(wrong)
    assert not result.passed
    assert phrase in result.message, result.message


def test_checkers_never_raise_on_strange_results():
    class Weird:
        def __array__(self, *args, **kwargs):
            raise RuntimeError("no")

    for checker in (check_sigmoid_backward, check_linear_backward, check_numerical_gradient):
        for candidate in (lambda *a: Weird(), lambda *a: object(), lambda *a: {"a": 1}):
            result = checker(candidate)
            assert isinstance(result, CheckResult) and not result.passed
