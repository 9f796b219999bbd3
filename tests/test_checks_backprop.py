"""The backpropagation checkers pass solutions computed by torch.autograd and reject each known
mistake by name."""

import numpy as np
import torch
from _checkers import table_test

from dlcourse import checks


def sigmoid_backward(grad_output, z):
    zt = torch.tensor(z, requires_grad=True)
    torch.sigmoid(zt).backward(torch.tensor(grad_output))
    return zt.grad.numpy()


def linear_backward(grad_output, x, weight):
    xt, wt = torch.tensor(x, requires_grad=True), torch.tensor(weight, requires_grad=True)
    bt = torch.zeros(len(weight), dtype=torch.float64, requires_grad=True)
    torch.nn.functional.linear(xt, wt, bt).backward(torch.tensor(grad_output))
    return wt.grad.numpy(), bt.grad.numpy(), xt.grad.numpy()


def numerical_gradient(f, x, eps=1e-6):  # nudges copies, not x itself
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[i] = eps
        grad[i] = (f(x + step) - f(x - step)) / (2 * eps)
    return grad


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def differences(f, x, eps, central=True, restore=True, all_at_once=False):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        if all_at_once:
            grad[i] = (f(x + eps) - f(x - eps)) / (2 * eps)
            continue
        x[i] = old + eps
        f_plus = f(x)
        x[i] = old - eps if central else old
        grad[i] = (f_plus - f(x)) / ((1 + central) * eps)
        x[i] = old if restore else x[i]
    return grad


TABLE = [
    (checks.check_sigmoid_backward, sigmoid_backward, [
        (lambda g, z: sigmoid(z) * (1 - sigmoid(z)), "local derivative sigmoid'(z) alone"),
        (lambda g, z: g * z * (1 - z), "not z itself"),
        (lambda g, z: g * sigmoid(z), "sigmoid(z) only"),
        (lambda g, z: g + sigmoid(z) * (1 - sigmoid(z)), "added the gradients"),
    ]),
    (checks.check_linear_backward, linear_backward, [
        (lambda g, x, w: (x.T @ g, g.sum(0), g @ w), "not x.T @ grad_output"),
        (lambda g, x, w: (g.T @ x, g.mean(0), g @ w), "ADD UP"),
        (lambda g, x, w: (g.T @ x, g, g @ w), "one row per sample"),
        (lambda g, x, w: (g.T @ x / len(x), g.sum(0), g @ w), "divided by the number"),
        (lambda g, x, w: (g.T @ x, g.sum(0), g @ w.T), "`weight` itself"),
    ]),
    (checks.check_numerical_gradient, numerical_gradient, [
        (lambda f, x, eps: differences(f, x, eps, central=False), "one-sided"),
        (lambda f, x, eps: 2 * differences(f, x, eps), "twice the gradient"),
        (lambda f, x, eps: differences(f, x, eps, all_at_once=True), "every entry at once"),
        (lambda f, x, eps: differences(f, x, eps).ravel(), "shape of x"),
        (lambda f, x, eps: differences(f, x, eps, restore=False), "put each entry back"),
    ]),
]  # fmt: skip


test_checker_passes_a_solution_and_rejects_each_mistake_by_name = table_test(TABLE)


def test_the_chapter_solution_that_nudges_x_in_place_passes():
    def in_place(f, x, eps=1e-6):
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

    assert checks.check_numerical_gradient(in_place).passed
