"""The training checkers pass the reference solutions and fail wrong ones with useful messages."""

import math

import numpy as np
import pytest
import torch

from dlcourse.checks import (
    CheckResult,
    check_minibatches,
    check_nesterov_step,
    check_steps_per_epoch,
)
from dlcourse.checks.training import _nesterov_step


def skeleton(*args, **kwargs): ...  # what the notebook hands the reader: returns None


def crashes(*args, **kwargs):
    raise IndexError("index 5 is out of bounds")


# -- the solutions a reader would write ---------------------------------------------------


def steps_per_epoch(n_samples, batch_size, drop_last=False):
    if drop_last:
        return n_samples // batch_size
    return math.ceil(n_samples / batch_size)


def minibatches(n_samples, batch_size, rng):
    order = rng.permutation(n_samples)
    return [order[i : i + batch_size] for i in range(0, n_samples, batch_size)]


def nesterov_step(w, grad, buffer, lr, momentum=0.9):
    buffer = momentum * buffer + grad
    return w - lr * (grad + momentum * buffer), buffer


def assert_fails(result, *words):
    assert isinstance(result, CheckResult)
    assert not result.passed, result.message
    assert result.message.startswith("✘ Not yet")
    assert "Hint:" in result.message
    for word in words:
        assert word in result.message, result.message


# -- steps_per_epoch ----------------------------------------------------------------------


def test_steps_per_epoch_passes_solutions():
    for solution in (
        steps_per_epoch,
        lambda n, b, drop_last=False: n // b if drop_last else (n + b - 1) // b,
        lambda n, b, drop_last=False: len(
            torch.utils.data.DataLoader(range(n), batch_size=b, drop_last=drop_last)
        ),
    ):
        result = check_steps_per_epoch(solution)
        assert result.passed, result.message
        assert result.message.startswith("✔ Correct")


@pytest.mark.parametrize(
    ("wrong", "words"),
    [
        (lambda n, b, drop_last=False: n // b, ["last 40 examples still make a (smaller) batch"]),
        (lambda n, b, drop_last=False: n / b, ["returned 15.625", "whole number"]),
        (lambda n, b, drop_last=False: math.ceil(n / b), ["drop_last=True", "is skipped"]),
        (lambda n, b, drop_last=False: n * b, ["expected 10"]),
        (lambda n, b, drop_last=False: str(n // b), ["should return a whole number"]),
        (lambda n, b, drop_last=False: np.array([n // b]), ["should return a whole number"]),
        (lambda n, b: n // b, ["raised TypeError"]),  # no drop_last argument
        (skeleton, ["returned None"]),
        (crashes, ["raised IndexError: index 5 is out of bounds"]),
    ],
)
def test_steps_per_epoch_fails_wrong_answers(wrong, words):
    assert_fails(check_steps_per_epoch(wrong), *words)


# -- minibatches --------------------------------------------------------------------------


def test_minibatches_passes_solutions():
    def with_torch_style_split(n, b, rng):
        return np.array_split(rng.permutation(n), range(b, n, b))

    def as_tuple_of_lists(n, b, rng):
        order = rng.permutation(n).tolist()
        return tuple(order[i : i + b] for i in range(0, n, b))

    for solution in (minibatches, with_torch_style_split, as_tuple_of_lists):
        result = check_minibatches(solution)
        assert result.passed, result.message


@pytest.mark.parametrize(
    ("wrong", "words"),
    [
        (  # not shuffled
            lambda n, b, rng: [np.arange(n)[i : i + b] for i in range(0, n, b)],
            ["original order"],
        ),
        (  # drawn with replacement
            lambda n, b, rng: [rng.integers(0, n, size=min(b, n - i)) for i in range(0, n, b)],
            ["exactly once", "with replacement"],
        ),
        (  # drops the last, smaller batch
            lambda n, b, rng: [rng.permutation(n)[i * b : (i + 1) * b] for i in range(n // b)],
            ["sizes [16, 16, 16, 16, 16, 16]", "expected [16, 16, 16, 16, 16, 16, 4]"],
        ),
        (lambda n, b, rng: rng.permutation(n), ["one flat array"]),
        (  # the global generator, not rng
            lambda n, b, rng: minibatches(n, b, np.random.default_rng()),
            ["same seed gave different batches"],
        ),
        (  # re-seeds: every epoch the same order
            lambda n, b, rng: minibatches(n, b, np.random.default_rng(0)),
            ["same order"],
        ),
        (  # floats instead of indices
            lambda n, b, rng: [batch / 1.0 for batch in minibatches(n, b, rng)],
            ["integer indices"],
        ),
        (skeleton, ["returned None"]),
        (crashes, ["raised IndexError"]),
    ],
)
def test_minibatches_fails_wrong_answers(wrong, words):
    assert_fails(check_minibatches(wrong), *words)


# -- nesterov_step ------------------------------------------------------------------------


def test_nesterov_reference_matches_torch():
    """The checker's reference takes the same steps as torch.optim.SGD(nesterov=True)."""
    rng = np.random.default_rng(0)
    w0 = rng.normal(size=(3, 2))
    param = torch.nn.Parameter(torch.tensor(w0))
    optimizer = torch.optim.SGD([param], lr=0.05, momentum=0.8, nesterov=True)
    w, buffer = w0.copy(), np.zeros_like(w0)
    for _ in range(20):
        g = rng.normal(size=w0.shape)
        param.grad = torch.tensor(g)
        optimizer.step()
        w, buffer = _nesterov_step(w, g, buffer, 0.05, 0.8)
        np.testing.assert_allclose(w, param.detach().numpy(), rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(
            buffer, optimizer.state[param]["momentum_buffer"].numpy(), rtol=1e-12
        )


def test_nesterov_step_passes_solutions():
    def in_place(w, grad, buffer, lr, momentum=0.9):
        buffer *= momentum
        buffer += grad
        w -= lr * (grad + momentum * buffer)
        return w, buffer

    for solution in (nesterov_step, in_place):
        result = check_nesterov_step(solution)
        assert result.passed, result.message


@pytest.mark.parametrize(
    ("wrong", "words"),
    [
        (  # ordinary momentum
            lambda w, g, b, lr, momentum=0.9: (w - lr * (momentum * b + g), momentum * b + g),
            ["ordinary momentum step"],
        ),
        (  # swapped results
            lambda w, g, b, lr, momentum=0.9: nesterov_step(w, g, b, lr, momentum)[::-1],
            ["swapped"],
        ),
        (  # returns the old buffer
            lambda w, g, b, lr, momentum=0.9: (nesterov_step(w, g, b, lr, momentum)[0], b),
            ["value 1 of the result"],
        ),
        (  # looks ahead with the old buffer: that is ordinary momentum again
            lambda w, g, b, lr, momentum=0.9: (w - lr * (g + momentum * b), momentum * b + g),
            ["ordinary momentum step"],
        ),
        (  # returns only w
            lambda w, g, b, lr, momentum=0.9: nesterov_step(w, g, b, lr, momentum)[0],
            ["expected 2 values"],
        ),
        (  # ignores the momentum argument
            lambda w, g, b, lr, momentum=0.9: nesterov_step(w, g, b, lr, 0.9),
            ["momentum=0.5"],
        ),
        (skeleton, ["returned None"]),
        (crashes, ["raised IndexError"]),
    ],
)
def test_nesterov_step_fails_wrong_answers(wrong, words):
    assert_fails(check_nesterov_step(wrong), *words)


@pytest.mark.parametrize("checker", [check_steps_per_epoch, check_minibatches, check_nesterov_step])
def test_checkers_never_raise(checker):
    for candidate in (None, 42, "text", skeleton, crashes, lambda: 1):
        result = checker(candidate)
        assert not result.passed
    assert "should be a function" in checker(None).message
