"""The practice checkers pass independent solutions and name each classic mistake."""

import math

import numpy as np
import pytest
import torch

from dlcourse.checks import (
    CheckResult,
    check_batch_norm_train,
    check_early_stopping_epoch,
    check_he_std,
)

# -- solutions written independently of the checkers' references (torch, another loop) ------


def he_std(fan_in, fan_out):
    return torch.nn.init.calculate_gain("relu") / math.sqrt(fan_in)


def batch_norm_train(x, gamma, beta):
    out = torch.nn.functional.batch_norm(
        torch.tensor(x), None, None, torch.tensor(gamma), torch.tensor(beta), training=True
    )
    return out.numpy()


def early_stopping_epoch(val_losses, patience):
    # the first epoch whose best-so-far has not improved for `patience` epochs ends training
    for stop in range(len(val_losses)):
        seen = val_losses[: stop + 1]
        best = int(np.argmin(seen))  # first occurrence of the minimum: ties do not improve
        if stop - best >= patience:
            return best + 1
    return int(np.argmin(val_losses)) + 1


def skeleton(*args): ...


def assert_fails(result, *words):
    assert isinstance(result, CheckResult)
    assert not result.passed, result.message
    assert result.message.startswith("✘ Not yet")
    assert "Hint:" in result.message
    for word in words:
        assert word in result.message, result.message


@pytest.mark.parametrize(
    ("check", "solution"),
    [
        (check_he_std, he_std),
        (check_batch_norm_train, batch_norm_train),
        (check_early_stopping_epoch, early_stopping_epoch),
    ],
)
def test_solutions_pass_and_skeletons_fail(check, solution):
    result = check(solution)
    assert result.passed, result.message
    assert result.message.startswith("✔ Correct")
    assert_fails(check(skeleton), "returned None")
    assert_fails(check(42), "should be a function")


@pytest.mark.parametrize(
    ("wrong", "words"),
    [
        (lambda fan_in, fan_out: math.sqrt(2 / fan_out), ["fan_out"]),
        (lambda fan_in, fan_out: 2 / fan_in, ["variance", "square root"]),
        (lambda fan_in, fan_out: math.sqrt(2 / (fan_in + fan_out)), ["Xavier"]),
        (lambda fan_in, fan_out: math.sqrt(1 / fan_in), ["factor 2"]),
    ],
)
def test_he_std_names_the_mistake(wrong, words):
    assert_fails(check_he_std(wrong), *words)


def _bn_torch(x, gamma, beta, unbiased=False, eps=1e-5, dim=0):
    x, gamma, beta = torch.tensor(x), torch.as_tensor(gamma), torch.as_tensor(beta)
    var = x.var(dim=dim, keepdim=True, correction=int(unbiased))
    return (gamma * (x - x.mean(dim=dim, keepdim=True)) / torch.sqrt(var + eps) + beta).numpy()


@pytest.mark.parametrize(
    ("wrong", "words"),
    [
        (lambda x, g, b: _bn_torch(x, g, b, unbiased=True), ["biased variance", "ddof"]),
        (lambda x, g, b: _bn_torch(x, g, b, eps=0.0), ["forgot eps"]),
        (lambda x, g, b: _bn_torch(x, g, b, dim=1), ["axis 0"]),
    ],
)
def test_batch_norm_names_the_mistake(wrong, words):
    assert_fails(check_batch_norm_train(wrong), *words)


def test_batch_norm_rejects_a_missing_gamma_and_beta():
    assert_fails(check_batch_norm_train(lambda x, g, b: _bn_torch(x, 1.0, 0.0)), "expected")


@pytest.mark.parametrize(
    ("wrong", "words"),
    [
        (lambda v, p: int(np.argmin(v)) + 1, ["never saw the later epochs"]),
        (lambda v, p: early_stopping_epoch(v, p) - 1, ["Off by one"]),
        (lambda v, p: min(len(v), early_stopping_epoch(v, p) + p), ["where training stops"]),
    ],
)
def test_early_stopping_names_the_mistake(wrong, words):
    assert_fails(check_early_stopping_epoch(wrong), *words)


def test_early_stopping_counts_ties_as_no_improvement():
    def improves_on_ties(v, p):
        best, best_epoch, waited = math.inf, 0, 0
        for epoch, loss in enumerate(v, start=1):
            if loss <= best:
                best, best_epoch, waited = loss, epoch, 0
            else:
                waited += 1
                if waited == p:
                    break
        return best_epoch

    assert_fails(check_early_stopping_epoch(improves_on_ties), "expected")
