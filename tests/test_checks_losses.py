"""The loss checkers pass solutions computed with PyTorch and reject each known mistake by name."""

import numpy as np
import torch
import torch.nn.functional as F
from _checkers import table_test

from dlcourse import checks


def bce_with_logits(z, y):
    return F.binary_cross_entropy_with_logits(torch.tensor(z), torch.tensor(y)).item()


def linear_regression_gradients(X, y, w, b):
    wt, bt = torch.tensor(w, requires_grad=True), torch.tensor(float(b), requires_grad=True)
    F.mse_loss(torch.tensor(X) @ wt + bt, torch.tensor(y)).backward()
    return wt.grad.numpy(), bt.grad.item()


def textbook(z, y, clip=0.0, typo=False):
    p = np.clip(1 / (1 + np.exp(-z)), clip, 1 - clip)
    second = np.log(p) if typo else np.log(1 - p)
    return -np.mean(y * np.log(p) + (1 - y) * second)


def gradients(X, y, w, b, two=2, sign=1, mean=True, bias=1):
    r = sign * (X @ w + bias * b - y)
    m = len(y) if mean else 1
    return two * X.T @ r / m, two * r.sum() / m


TABLE = [
    (checks.check_binary_cross_entropy_with_logits, bce_with_logits, [
        (textbook, "write the loss with the logit itself"),
        (lambda z, y: textbook(z, y, clip=1e-7), "Clipping the probabilities"),
        (lambda z, y: textbook(z, y, typo=True), "slide's typo"),
        (lambda z, y: -bce_with_logits(z, y), "wrong sign"),
        (lambda z, y: len(z) * bce_with_logits(z, y), "SUM over the examples"),
        (lambda z, y: (1 - y) * z + np.logaddexp(0, -z), "Return one number"),
    ]),
    (checks.check_linear_regression_gradients, linear_regression_gradients, [
        (lambda *a: gradients(*a, two=1), "half the right size"),
        (lambda *a: gradients(*a, sign=-1), "wrong sign"),
        (lambda *a: gradients(*a, mean=False), "m times too large"),
        (lambda *a: gradients(*a, bias=0), "leave out b"),
        (lambda *a: gradients(*a)[::-1], "dJ/dw first"),
    ]),
]  # fmt: skip


test_checker_passes_a_solution_and_rejects_each_mistake_by_name = table_test(TABLE)


def test_gradients_as_lists_or_numpy_scalars_pass():
    def as_list(X, y, w, b):
        grad_w, grad_b = linear_regression_gradients(X, y, w, b)
        return [list(grad_w), np.float64(grad_b)]

    assert checks.check_linear_regression_gradients(as_list).passed
