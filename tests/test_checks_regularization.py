"""The dropout checkers pass independent solutions and reject each known mistake by name,
including the not-really-random ones."""

import copy

import numpy as np
import pytest
from _checkers import table_test

from dlcourse import checks


def dropout(x, p, training, rng):  # another way to draw the mask than the chapter's
    if not training:
        return x
    return x * rng.binomial(1, 1 - p, size=x.shape) / (1 - p)


def drop(x, p, training, rng, *, keep_p=None, scale=None, rows=False, eval_scale=1.0):
    if not training:
        return x * eval_scale
    shape = x.shape[-1:] if rows else x.shape
    keep = rng.random(shape) >= (p if keep_p is None else 1 - keep_p)
    return x * keep * (1 / (1 - p) if scale is None else scale)


def exactly_per_row(x, p, training, rng):  # the example: round(p * n) of every row
    if not training:
        return x
    keep = np.ones(x.shape, dtype=bool)
    for row in keep.reshape(-1, x.shape[-1]):
        row[rng.permutation(x.shape[-1])[: round(p * x.shape[-1])]] = False
    return x * keep / (1 - p)


def in_place(x, p, training, rng):
    if training:
        x *= (rng.random(x.shape) >= p) / (1 - p)
    return x


WRONG_DROPOUTS = [
    (lambda x, p, t, rng: drop(x, p, t, rng, keep_p=p), "probability 1 - p"),
    (lambda x, p, t, rng: drop(x, p, t, rng, scale=1.0), "not at all"),
    (lambda x, p, t, rng: drop(x, p, t, rng, scale=1 / p), "by 1 / p"),
    (lambda x, p, t, rng: drop(x, p, t, rng, scale=1 - p), "by 1 - p"),
    (lambda x, p, t, rng: drop(x, p, t, rng, rows=True), "same mask"),
    (exactly_per_row, "do not pick a fixed number"),
    (lambda x, p, t, rng: drop(x, p, t, np.random.default_rng()), "`rng` argument"),
    (lambda x, p, t, rng: drop(x, p, t, np.random.default_rng(0)), "different generators"),
    (lambda x, p, t, rng: drop(x, p, t, copy.deepcopy(rng)), "not from a copy"),
    (in_place, "changed its input"),
    (lambda x, p, t, rng: drop(x, p, True, rng), "does nothing"),
    (lambda x, p, t, rng: drop(x, p, t, rng, eval_scale=1 - p), "test-time rule"),
]


def seeded_once(x, p, training, rng):  # a fresh generator per call, seeded from rng
    return dropout(x, p, training, np.random.default_rng(rng.integers(2**32)))


TABLE = [
    (checks.check_dropout, dropout, WRONG_DROPOUTS),
    (checks.check_dropout_backward, lambda g, m, p: np.where(m, g / (1 - p), 0.0), [
        (lambda g, m, p: g * m, "not the scale"),
        (lambda g, m, p: g / (1 - p), "forget the mask"),
        (lambda g, m, p: np.where(m, 0.0, g / (1 - p)), "DROPPED units"),
        (lambda g, m, p: g * m * (1 - p), "multiply by 1 - p"),
        (lambda g, m, p: g * m / p, "divide by p"),
    ]),
]  # fmt: skip


test_checker_passes_a_solution_and_rejects_each_mistake_by_name = table_test(TABLE)


def test_other_correct_dropouts_pass():
    chapter = lambda x, p, t, rng: x * (rng.random(x.shape) >= p) / (1 - p) if t else x  # noqa: E731
    assert checks.check_dropout(chapter).passed and checks.check_dropout(seeded_once).passed


SCALES = [  # p, train_factor, test_factor, passes, words
    (0.2, 1.0, 0.8, True, "original dropout"),
    (0.2, 1.25, 1.0, True, "inverted dropout"),
    (0.5, 2, 1, True, "inverted dropout"),
    (0.2, 1.0, 1.0, False, "no scaling at all"),
    (0.2, 1.0, 0.2, False, "probability of DROPPING"),
    (0.2, 5.0, 1.0, False, "divide by p"),
    (0.2, 0.8, 1.0, False, "DIVIDES by 1 - p"),
    (0.2, 2.5, 2.0, False, "neither scheme"),
    (0.0, 1.0, 1.0, False, "strictly between 0 and 1"),
    (1.0, 1.0, 0.0, False, "strictly between 0 and 1"),
    ("p", 1, 1, False, "three numbers"),
]


@pytest.mark.parametrize(("p", "train", "test", "passes", "words"), SCALES)
def test_check_dropout_scale(p, train, test, passes, words):
    result = checks.check_dropout_scale(p, train, test)
    assert result.passed is passes and words in result.message, result.message
