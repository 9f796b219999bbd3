"""The training checkers pass independent solutions (PyTorch's DataLoader and SGD) and reject
each known mistake by name, including the not-really-random ones."""

import copy

import numpy as np
import torch
from _checkers import table_test

from dlcourse import checks


def steps_per_epoch(n_samples, batch_size, drop_last=False):
    loader = torch.utils.data.DataLoader(range(n_samples), batch_size, drop_last=drop_last)
    return len(loader)


def minibatches(n_samples, batch_size, rng):
    return np.array_split(rng.permutation(n_samples), range(batch_size, n_samples, batch_size))


def nesterov_step(w, grad, buffer, lr, momentum=0.9):
    param = torch.nn.Parameter(torch.tensor(w, dtype=torch.float64))
    optimizer = torch.optim.SGD([param], lr=lr, momentum=momentum, nesterov=momentum > 0)
    if momentum > 0:
        optimizer.state[param]["momentum_buffer"] = torch.tensor(buffer, dtype=torch.float64)
    param.grad = torch.tensor(grad, dtype=torch.float64)
    optimizer.step()
    new = optimizer.state[param].get("momentum_buffer", param.grad)
    return param.detach().numpy(), new.numpy()


def cut(order, b):
    return [order[i : i + b] for i in range(0, len(order), b)]


def momentum(w, g, b, lr, momentum=0.9):
    buffer = momentum * b + g
    return w - lr * buffer, buffer


TABLE = [
    (checks.check_steps_per_epoch, steps_per_epoch, [
        (lambda n, b, drop_last=False: n // b, "still a step"),
        (lambda n, b, drop_last=False: -(-n // b), "incomplete batch is skipped"),
        (lambda n, b, drop_last=False: n / b, "float"),
        (lambda n, b, drop_last=False: n // b + (0 if drop_last else 1), "empty extra batch"),
    ]),
    (checks.check_minibatches, minibatches, [
        (lambda n, b, rng: cut(np.arange(n), b), "first examples"),
        (lambda n, b, rng: [rng.permutation(np.arange(i, min(i + b, n))) for i in range(0, n, b)],
         "first examples"),
        (lambda n, b, rng: cut(rng.integers(0, n, n), b), "exactly once"),
        (lambda n, b, rng: cut(rng.permutation(n), b)[: n // b], "sizes"),
        (lambda n, b, rng: np.array_split(rng.permutation(n), -(-n // b)), "sizes"),
        (lambda n, b, rng: rng.permutation(n), "one flat array"),
        (lambda n, b, rng: cut(np.random.permutation(n), b), "same seed gave different"),  # noqa: NPY002
        (lambda n, b, rng: cut(np.random.default_rng(0).permutation(n), b), "different "
         "generators gave the same order"),
        (lambda n, b, rng: cut(copy.deepcopy(rng).permutation(n), b), "not from a copy"),
        (lambda n, b, rng: [c / 1.0 for c in cut(rng.permutation(n), b)], "integer indices"),
    ]),
    (checks.check_nesterov_step, nesterov_step, [
        (momentum, "ordinary momentum"),
        (lambda *a, **k: nesterov_step(*a, **k)[::-1], "swapped"),
        (lambda *a, **k: nesterov_step(*a, **k)[0], "two values"),
        (lambda w, g, b, lr, momentum=0.9: (nesterov_step(w, g, b, lr, momentum)[0], b),
         "updated buffer"),
        (lambda w, g, b, lr, momentum=0.9: nesterov_step(w, g, b, lr), "momentum argument"),
    ]),
]  # fmt: skip


test_checker_passes_a_solution_and_rejects_each_mistake_by_name = table_test(TABLE)


def test_other_correct_solutions_pass():
    def in_place(w, grad, buffer, lr, momentum=0.9):
        buffer *= momentum
        buffer += grad
        w -= lr * (grad + momentum * buffer)
        return w, buffer

    def as_tuple(n, b, rng):
        order = rng.permutation(n)
        return tuple(order[i : i + b] for i in range(0, n, b))

    assert checks.check_nesterov_step(in_place).passed
    assert checks.check_minibatches(as_tuple).passed
