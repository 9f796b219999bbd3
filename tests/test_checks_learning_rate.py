"""The learning-rate checkers pass independent solutions and reject each mistake by name."""

import numpy as np
import torch
from _checkers import table_test

from dlcourse import checks


def steps_to_converge(grad, w0, lr, tol, max_steps):
    w, step = np.array(w0, dtype=float), 0
    while np.linalg.norm(grad(w)) >= tol:
        if step == max_steps:
            return None
        w, step = w - lr * grad(w), step + 1
    return step


def variant(grad, w0, lr, tol, max_steps, *, small=np.linalg.norm, late=0, sign=1, budget=False):
    w = np.array(w0, dtype=float)
    for step in range(max_steps + 1):
        if small(grad(w)) < tol:
            return step + late
        w = w - sign * lr * grad(w)
    return max_steps if budget else None


def divergence_threshold(H):
    return 2 / torch.linalg.eigvalsh(torch.as_tensor(H)).max().item()


TABLE = [
    (checks.check_steps_to_converge, steps_to_converge, [
        (lambda *a: variant(*a, late=1), "Off by one"),
        (lambda *a: variant(*a, small=lambda g: g @ g), "squared norm"),
        (lambda *a: variant(*a, budget=True), "not max_steps"),
        (lambda *a: variant(*a, sign=-1), "uphill"),
        (lambda g, *a: variant(lambda w: w, *a), "tested w itself"),
    ]),
    (checks.check_divergence_threshold, divergence_threshold, [
        (lambda H: 1 / np.linalg.eigvalsh(H).max(), "twice that"),
        (lambda H: 2 / np.linalg.eigvalsh(H).min(), "flattest"),
        (lambda H: 2 / H.diagonal().max(), "diagonal"),
        (lambda H: 2 / H.trace(), "sum of the eigenvalues"),
        (lambda H: np.linalg.eigvalsh(H).max() / 2, "Upside down"),
    ]),
]  # fmt: skip


test_checker_passes_a_solution_and_rejects_each_mistake_by_name = table_test(
    TABLE, no_runtime_warnings=True
)


def test_the_checker_is_protected_from_a_candidate_that_mutates_the_start():
    def mutating(grad, w0, lr, tol, max_steps):
        for step in range(max_steps + 1):
            if np.linalg.norm(grad(w0)) < tol:
                return step
            w0 -= lr * grad(w0)
        return None

    assert checks.check_steps_to_converge(mutating).passed
