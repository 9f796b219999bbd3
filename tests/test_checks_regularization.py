"""The dropout checkers pass the reference solutions and fail wrong ones with useful messages."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse.checks import (
    CheckResult,
    check_dropout,
    check_dropout_backward,
    check_dropout_scale,
)
from dlcourse.regularization import dropout as reference_dropout


def dropout(x, p, training, rng):
    if not training:
        return x
    keep = rng.random(x.shape) >= p
    return x * keep / (1 - p)


def dropout_backward(grad_output, mask, p):
    return grad_output * mask / (1 - p)


def skeleton(*args): ...


def crashes(*args):
    raise IndexError("index 5 is out of bounds")


def _binomial(x, p, training, rng):  # another correct way to draw the mask
    if not training:
        return x
    return x * rng.binomial(1, 1 - p, size=x.shape) / (1 - p)


GOOD_DROPOUTS = [
    dropout,
    _binomial,
    lambda x, p, training, rng: reference_dropout(x, p, training, rng=rng),
    lambda x, p, training, rng: x * (rng.random(x.shape) < 1 - p) / (1 - p) if training else x,
]

WRONG_DROPOUTS = [
    # no scaling
    (lambda x, p, t, rng: x * (rng.random(x.shape) >= p) if t else x, "still 1"),
    # scaled by 1/p
    (lambda x, p, t, rng: x * (rng.random(x.shape) >= p) / p if t else x, "1 / p"),
    # drops with probability 1 - p
    (lambda x, p, t, rng: x * (rng.random(x.shape) < p) / (1 - p) if t else x, "1 - p"),
    # ignores the training flag
    (lambda x, p, t, rng: x * (rng.random(x.shape) >= p) / (1 - p), "training = False"),
    # classic dropout at test time
    (
        lambda x, p, t, rng: x * (rng.random(x.shape) >= p) / (1 - p) if t else x * (1 - p),
        "test-time rule of the original dropout",
    ),
    # one mask shared by all rows
    (
        lambda x, p, t, rng: x * (rng.random(x.shape[1]) >= p) / (1 - p) if t else x,
        "same mask",
    ),
    # the global generator, not rng
    (
        lambda x, p, t, rng: x * (np.random.random(x.shape) >= p) / (1 - p) if t else x,  # noqa: NPY002
        "from the `rng` argument",
    ),
    # replaces the kept values by the scale
    (lambda x, p, t, rng: (rng.random(x.shape) >= p) / (1 - p) if t else x, "x / (1 - p)"),
    # wrong shape
    (lambda x, p, t, rng: (x * (rng.random(x.shape) >= p) / (1 - p)).ravel(), "shape"),
    # drops far too few
    (lambda x, p, t, rng: x * (rng.random(x.shape) >= p / 2) / (1 - p) if t else x, "about"),
]


@pytest.mark.parametrize("good", GOOD_DROPOUTS)
def test_check_dropout_passes_correct_solutions(good):
    result = check_dropout(good)
    assert isinstance(result, CheckResult)
    assert result.passed, result.message
    assert result.message.startswith("✔ Correct")


@pytest.mark.parametrize(("bad", "expected"), WRONG_DROPOUTS)
def test_check_dropout_fails_wrong_answers_with_a_useful_message(bad, expected):
    result = check_dropout(bad)
    assert not result.passed
    assert result.message.startswith("✘ Not yet")
    assert expected in result.message, result.message
    assert "Hint:" in result.message


WRONG_BACKWARDS = [
    (lambda g, mask, p: g * mask, "not the scale"),
    (lambda g, mask, p: g / (1 - p), "forget the mask"),
    (lambda g, mask, p: g * ~mask / (1 - p), "DROPPED"),
    (lambda g, mask, p: g * mask * (1 - p), "expected"),
]


def test_check_dropout_backward():
    result = check_dropout_backward(dropout_backward)
    assert result.passed, result.message
    for bad, expected in WRONG_BACKWARDS:
        result = check_dropout_backward(bad)
        assert not result.passed
        assert expected in result.message, result.message
        assert "Hint:" in result.message


@pytest.mark.parametrize("checker", [check_dropout, check_dropout_backward])
def test_checkers_never_raise(checker):
    for candidate in (skeleton, crashes, None, 42, "text", lambda *a: "abc", lambda *a: [1]):
        result = checker(candidate)
        assert isinstance(result, CheckResult) and not result.passed
    assert "returned None" in checker(skeleton).message
    assert "raised IndexError: index 5 is out of bounds" in checker(crashes).message
    assert "should be a function" in checker(None).message


def test_check_dropout_does_not_let_the_candidate_spoil_the_inputs():
    def in_place(x, p, training, rng):
        if training:
            x *= (rng.random(x.shape) >= p) / (1 - p)
        return x

    assert check_dropout(in_place).passed  # it works on copies, so this is still right


@pytest.mark.parametrize(
    ("p", "train", "test", "passed", "text"),
    [
        (0.25, 1 / 0.75, 1.0, True, "inverted dropout"),
        (0.25, 1.0, 0.75, True, "original dropout"),
        (0.5, 4.0, 2.0, True, "unusual"),
        (0.0, 1.0, 1.0, True, "Correct"),
        (0.25, 1 / 0.75, 0.75, False, "1.33 times smaller"),
        (0.25, 1.0, 1.0, False, "1.33 times larger"),
        (0.5, 1 / 0.5, 0.5, False, "times smaller"),
        (0.25, 4.0, 1.0, False, "times smaller"),
    ],
)
def test_check_dropout_scale(p, train, test, passed, text):
    result = check_dropout_scale(p, train, test)
    assert result.passed is passed, result.message
    assert text in result.message, result.message
    if not passed:
        assert "Hint:" in result.message


def test_check_dropout_scale_bad_values_do_not_raise():
    for args in (("a", 1, 1), (0.5, None, 1), (1.0, 1, 1), (-0.1, 1, 1), (0.5, -1, 1),
                 (0.5, float("nan"), 1), (0.5, 2, [1, 2])):  # fmt: skip
        result = check_dropout_scale(*args)
        assert isinstance(result, CheckResult) and not result.passed
