"""The learning-rate checkers pass the reference solutions and fail wrong ones usefully."""

import numpy as np
import pytest
import torch

from dlcourse import checks


def steps_to_converge(grad, w0, lr, tol, max_steps):
    w = np.array(w0, dtype=float)
    for step in range(max_steps + 1):
        g = grad(w)
        if np.linalg.norm(g) < tol:
            return step
        if step < max_steps:
            w = w - lr * g
    return None


def steps_after_updating(grad, w0, lr, tol, max_steps):  # tests only after an update
    w = np.array(w0, dtype=float)
    for step in range(1, max_steps + 1):
        w = w - lr * grad(w)
        if np.linalg.norm(grad(w)) < tol:
            return step
    return None


def steps_or_budget(grad, w0, lr, tol, max_steps):  # max_steps instead of None
    result = steps_to_converge(grad, w0, lr, tol, max_steps)
    return max_steps if result is None else result


def steps_uphill(grad, w0, lr, tol, max_steps):  # the sign of the update is wrong
    return steps_to_converge(lambda w: -grad(w), w0, lr, tol, max_steps)


def steps_on_a_mutated_start(grad, w0, lr, tol, max_steps):  # w -= ... changes w0 in place
    w = w0
    for step in range(max_steps + 1):
        g = grad(w)
        if np.linalg.norm(g) < tol:
            return step
        if step < max_steps:
            w -= lr * g
    return None


def divergence_threshold(H):
    return 2 / np.linalg.eigvalsh(H).max()


def divergence_threshold_by_torch(H):  # an independent reference
    return 2 / torch.linalg.eigvalsh(torch.as_tensor(H)).max().item()


def skeleton(*args): ...


def crashes(*args):
    raise IndexError("index 5 is out of bounds")


CASES = [
    (
        checks.check_steps_to_converge,
        steps_to_converge,
        [
            (steps_after_updating, "Off by one"),
            (steps_or_budget, "the answer is None"),
            (steps_uphill, "go downhill"),
        ],
    ),
    (
        checks.check_divergence_threshold,
        divergence_threshold,
        [
            (lambda H: 1 / np.linalg.eigvalsh(H).max(), "twice as large"),
            (lambda H: 2 / np.linalg.eigvalsh(H).min(), "flattest direction"),
            (lambda H: 2 / np.diag(H).max(), "eigenvalues"),
            (lambda H: 2 / np.trace(H), "sum of the eigenvalues"),
            (lambda H: np.linalg.eigvalsh(H).max() / 2, "expected"),
        ],
    ),
]


@pytest.mark.parametrize(("checker", "solution", "wrong"), CASES)
def test_checker_passes_the_solution_and_fails_wrong_answers(
    checker, solution, wrong, checker_contract
):
    checker_contract.passes_and_fails(checker, solution, wrong)


@pytest.mark.parametrize(("checker", "solution", "wrong"), CASES)
def test_checker_never_raises(checker, solution, wrong, checker_contract):
    checker_contract.never_raises(checker)


def test_torch_eigenvalues_agree_with_the_reference():
    assert checks.check_divergence_threshold(divergence_threshold_by_torch).passed


def test_a_float_count_is_accepted_and_a_wrong_type_is_explained():
    as_float = checks.check_steps_to_converge(
        lambda *a: None if (s := steps_to_converge(*a)) is None else float(s)
    )
    assert as_float.passed, as_float.message
    as_text = checks.check_steps_to_converge(lambda *a: str(steps_to_converge(*a)))
    assert not as_text.passed and "whole number of steps" in as_text.message
    as_list = checks.check_divergence_threshold(lambda H: [1.0, 2.0])
    assert not as_list.passed and "one number" in as_list.message


def test_the_checker_is_protected_from_a_candidate_that_mutates_the_start():
    # `w = w0; w -= ...` updates the caller's array: the checker hands over copies, so the
    # answer is still right and the checker's own cases are unharmed.
    assert checks.check_steps_to_converge(steps_on_a_mutated_start).passed
    assert checks.check_steps_to_converge(steps_to_converge).passed


def test_diverging_candidates_stay_quiet(recwarn):
    def diverges_noisily(grad, w0, lr, tol, max_steps):
        w = np.array(w0, dtype=float)
        for _ in range(5000):
            w = w - 10.0 * grad(w)  # overflows to inf, then nan
        return None

    assert not checks.check_steps_to_converge(diverges_noisily).passed
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]
