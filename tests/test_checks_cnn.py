"""The chapter 11 checkers pass the reference solutions and name the usual mistakes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dlcourse import checks


def conv2d_single(image, kernel, stride=1, padding=0):
    """The loop the chapter asks for, written independently of dlcourse.conv."""
    padded = np.pad(np.asarray(image, dtype=float), padding)
    kh, kw = kernel.shape
    h_out = (padded.shape[0] - kh) // stride + 1
    w_out = (padded.shape[1] - kw) // stride + 1
    out = np.zeros((h_out, w_out))
    for i in range(h_out):
        for j in range(w_out):
            window = padded[i * stride : i * stride + kh, j * stride : j * stride + kw]
            out[i, j] = np.sum(window * kernel)
    return out


def output_size(n, kernel_size, stride, padding):
    return (n + 2 * padding - kernel_size) // stride + 1


def pool(x, pool_size, stride, reduce):
    h_out = (x.shape[0] - pool_size) // stride + 1
    w_out = (x.shape[1] - pool_size) // stride + 1
    out = np.zeros((h_out, w_out))
    for i in range(h_out):
        for j in range(w_out):
            out[i, j] = reduce(
                x[i * stride : i * stride + pool_size, j * stride : j * stride + pool_size]
            )
    return out


def max_pool(x, pool_size, stride):
    return pool(x, pool_size, stride, np.max)


def avg_pool(x, pool_size, stride):
    return pool(x, pool_size, stride, np.mean)


def skeleton(*args, **kwargs): ...  # what the notebook hands the reader: returns None


def crashes(*args, **kwargs):
    raise IndexError("index 5 is out of bounds")


CASES = [
    (
        checks.check_conv2d_single,
        conv2d_single,
        [
            # true convolution: the kernel flipped
            (
                lambda x, k, stride=1, padding=0: conv2d_single(x, np.flip(k), stride, padding),
                "you flipped the kernel",
            ),
            (
                lambda x, k, stride=1, padding=0: conv2d_single(x, k, 1, padding),
                "the stride is ignored",
            ),
            (
                lambda x, k, stride=1, padding=0: conv2d_single(x, k, stride, 0),
                "the padding is ignored",
            ),
            (
                lambda x, k, stride=1, padding=0: conv2d_single(x, k, stride, padding).T,
                "rows and columns are swapped",
            ),
            (
                lambda x, k, stride=1, padding=0: conv2d_single(x, k, stride, padding) + 1,
                "expected",
            ),
            # a loop that rounds the output size up runs off the end of the image
            (
                lambda x, k, stride=1, padding=0: conv2d_single(x, k, stride, padding)[:-1],
                "expected shape",
            ),
        ],
    ),
    (
        checks.check_output_size,
        output_size,
        [
            (lambda n, k, s, p: (n + 2 * p - k) / s + 1, "you did not round down"),
            (lambda n, k, s, p: math.ceil((n + 2 * p - k) / s) + 1, "you rounded up"),
            (lambda n, k, s, p: (n + 2 * p - k) // s, "the + 1 is missing"),
            (lambda n, k, s, p: (n + p - k) // s + 1, "the padding is counted once"),
            (lambda n, k, s, p: (n + 2 * p - k + 1) // s, "the + 1 is inside the division"),
            (lambda n, k, s, p: n - k + 1, "expected"),
        ],
    ),
    (
        checks.check_max_pool,
        max_pool,
        [
            (avg_pool, "average pooling"),
            (lambda x, k, s: -max_pool(-x, k, s), "minimum"),
            (lambda x, k, s: max_pool(x, k, k), "the stride is ignored"),
            (lambda x, k, s: max_pool(x, k, s).T, "rows and columns are swapped"),
            (lambda x, k, s: max_pool(np.pad(x, 1), k, s), "expected shape"),
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
    # a result that is not numbers at all
    assert "expected a number or an array" in checker(lambda *a, **k: "twelve").message


def test_conv2d_single_is_checked_on_both_slide_examples():
    seen = []

    def recording(image, kernel, stride=1, padding=0):
        seen.append((np.asarray(image).tolist(), stride, padding))
        return conv2d_single(image, kernel, stride, padding)

    assert checks.check_conv2d_single(recording).passed
    assert (
        [[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2], [2, 0, 0, 0, 1]],
        1,
        0,
    ) in seen
    assert (
        [[2, 2, 3, 3, 3], [0, 1, 3, 0, 3], [2, 3, 0, 1, 3], [3, 3, 2, 1, 2], [3, 3, 0, 2, 3]],
        2,
        1,
    ) in seen
    # the default arguments are used too: a function without them fails
    result = checks.check_conv2d_single(lambda image, kernel, stride, padding: None)
    assert not result.passed and "raised TypeError" in result.message


def test_conv2d_single_message_shows_the_failing_call():
    result = checks.check_conv2d_single(
        lambda x, k, stride=1, padding=0: conv2d_single(x, k, 1, padding)
    )
    assert "stride=2" in result.message and "padding=1" in result.message


def test_checkers_do_not_let_the_candidate_spoil_the_inputs():
    def mutating(x, k, s):
        out = max_pool(x, k, s)
        x[:] = 0
        return out

    assert checks.check_max_pool(mutating).passed  # the next case gets fresh inputs
    assert checks.check_max_pool(max_pool).passed
