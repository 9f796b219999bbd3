"""Checkers for convolutions and pooling (chapter 11) and the MNIST assignment (chapter 13)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..conv import avg_pool2d, conv2d, conv_output_size, max_pool2d
from ._core import CheckResult, check_function


def check_conv_parameters(candidate: Any) -> CheckResult:
    """Check ``conv_parameters(in_channels, out_channels, kernel_size)``: the learnable numbers
    of ``nn.Conv2d`` with a square kernel and a bias, ``out * in * k * k + out``."""
    cases = [(1, 8, 5), (8, 16, 5), (3, 64, 3), (16, 1, 1), (2, 3, 7)]
    mistakes = [
        (lambda i, o, k: o * i * k * k, "You left out the biases, one per filter."),
        (lambda i, o, k: o * i * k * k + i, "There is one bias per FILTER (out_channels), not "
         "per input channel."),
        (lambda i, o, k: o * k * k + o, "Each filter has one k x k kernel per INPUT channel: "
         "multiply by in_channels."),
        (lambda i, o, k: o * i * k + o, "A kernel has k x k weights, not k."),
        (lambda i, o, k: float(o * i * k * k + o), "A count is a whole number: return an int."),
    ]  # fmt: skip
    return check_function(
        candidate, lambda i, o, k: o * i * k * k + o, cases, name="conv_parameters",
        mistakes=mistakes, returns=int,
        hint="each of the out_channels filters has one k x k kernel per input channel, plus "
        "one bias per filter. The image size does not matter: the weights are shared.",
        success="`conv_parameters` counts a convolution's weights and biases.",
    )  # fmt: skip


def _confusion(y_true, y_pred, n_classes, repeats=True, dtype=np.int64):
    matrix = np.zeros((n_classes, n_classes), dtype=dtype)
    if repeats:
        np.add.at(matrix, (y_true, y_pred), 1)
    else:
        matrix[y_true, y_pred] += 1
    return matrix


def check_confusion_matrix(candidate: Any) -> CheckResult:
    """Check ``confusion_matrix(y_true, y_pred, n_classes)``: ``[i, j]`` counts the examples of
    true class ``i`` predicted as ``j``, an integer array of shape (n_classes, n_classes)."""
    rng = np.random.default_rng(7)
    cases = [
        (np.array([0, 1, 1, 2]), np.array([0, 1, 2, 2]), 3),
        (np.array([1, 0]), np.array([0, 1]), 2),
        (np.array([0, 0, 1, 1, 1]), np.array([1, 1, 1, 0, 0]), 2),  # rows are the truth
        (rng.integers(0, 10, 200), rng.integers(0, 10, 200), 10),
        (np.array([3, 3, 3]), np.array([3, 3, 3]), 5),  # classes that never occur: zeros
    ]
    mistakes = [
        (lambda t, p, n: _confusion(p, t, n), "Rows and columns are swapped: rows are the "
         "true class, columns the prediction."),
        (lambda t, p, n: _confusion(t, p, n, repeats=False), "matrix[y_true, y_pred] += 1 counts a "
         "repeated (true, predicted) pair only once; use np.add.at or a loop."),
        (lambda t, p, n: _confusion(t, p, max(t.max(), p.max()) + 1), "The size comes from "
         "n_classes, not from the labels that happen to occur."),
        (lambda t, p, n: _confusion(t, p, n, dtype=float), "Counts are whole numbers: make "
         "the matrix with dtype=int."),
    ]  # fmt: skip
    return check_function(
        candidate, _confusion, cases, name="confusion_matrix", mistakes=mistakes, returns=int,
        hint="start from np.zeros((n_classes, n_classes), dtype=int) and add 1 at "
        "[true, predicted] for every example (np.add.at(matrix, (y_true, y_pred), 1) does it "
        "in one call). Rows are the true class, columns the prediction.",
        success="`confusion_matrix` counts every (true, predicted) pair.",
    )  # fmt: skip


def _conv(image, kernel, stride=1, padding=0):
    return conv2d(image, kernel, stride=stride, padding=padding)


_SLIDES = [
    (np.array([[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2],
               [2, 0, 0, 0, 1]], dtype=float),
     np.array([[0, 1, 2], [2, 2, 0], [0, 1, 2]], dtype=float)),
    (np.array([[2, 2, 3, 3, 3], [0, 1, 3, 0, 3], [2, 3, 0, 1, 3], [3, 3, 2, 1, 2],
               [3, 3, 0, 2, 3]], dtype=float),
     np.array([[2, 0, 1], [1, 0, 0], [0, 1, 1]], dtype=float)),
]  # fmt: skip


def check_conv2d_single(candidate: Any) -> CheckResult:
    """Check ``conv2d_single(image, kernel, stride=1, padding=0)`` on one 2-D image: the
    cross-correlation of deep learning (kernel not flipped), as ``F.conv2d``."""
    rng = np.random.default_rng(21)
    cases = [
        (_SLIDES[0], {}),
        (_SLIDES[1], {"stride": 2, "padding": 1}),
        ((rng.integers(-3, 4, (6, 7)).astype(float), rng.normal(size=(3, 3))), {"padding": 1}),
        ((rng.normal(size=(7, 6)), rng.normal(size=(2, 3))), {"stride": 2, "padding": 0}),
        ((rng.normal(size=(8, 8)), rng.normal(size=(3, 3))), {"stride": 3, "padding": 2}),
    ]
    mistakes = [
        (lambda im, k, stride=1, padding=0: _conv(im, np.flip(k), stride, padding), "You "
         "flipped the kernel: that is convolution as mathematics defines it; deep learning's "
         '"convolution" is cross-correlation, with the kernel as it is.'),
        (lambda im, k, stride=1, padding=0: _conv(im, k, 1, padding), "The stride is ignored: "
         "the window must move `stride` pixels at a time."),
        (lambda im, k, stride=1, padding=0: _conv(im, k, stride, 0), "The padding is ignored: "
         "pad the image with zeros before sliding the window."),
        (lambda im, k, stride=1, padding=0: _conv(np.pad(im, (0, padding)), k, stride),
         "You padded one side only; np.pad(image, padding) pads every side."),
        (lambda im, k, stride=1, padding=0: _conv(im, k, stride, padding).T, "Rows and "
         "columns are swapped in your result."),
    ]  # fmt: skip
    return check_function(
        candidate, _conv, cases, name="conv2d_single", mistakes=mistakes,
        hint="pad first: padded = np.pad(image, padding). The output has (H + 2p - kH) // "
        "stride + 1 rows (the same for columns); output pixel (i, j) is np.sum(window * "
        "kernel) for padded[i*stride : i*stride + kH, j*stride : j*stride + kW]. Do not flip "
        "the kernel.",
        success="`conv2d_single` computes the convolution of deep learning, with stride and "
        "padding, including both worked examples of the slides.",
    )  # fmt: skip


def check_output_size(candidate: Any) -> CheckResult:
    """Check ``output_size(n, kernel_size, stride, padding)``: ``(n + 2p - k) // s + 1``, an
    int."""
    cases = [(5, 3, 1, 0), (5, 3, 2, 1), (28, 5, 1, 2), (28, 2, 2, 0), (7, 2, 2, 0),
             (224, 7, 2, 3), (32, 5, 1, 0), (6, 3, 4, 0), (4, 4, 1, 0)]  # fmt: skip
    mistakes = [
        (lambda n, k, s, p: (n + 2 * p - k) / s + 1, "You used / (true division), which gives "
         "a float: a size is a whole number, and a window that would stick out does not "
         "count, so use // (floor division)."),
        (lambda n, k, s, p: -(-(n + 2 * p - k) // s) + 1, "You rounded up: use // (floor "
         "division), not math.ceil."),
        (lambda n, k, s, p: (n + 2 * p - k) // s, "The + 1 is missing: it counts the window "
         "at the very first position."),
        (lambda n, k, s, p: (n + p - k) // s + 1, "The padding is counted once: it is added on "
         "both sides, so the padded size is n + 2p."),
        (lambda n, k, s, p: (n + 2 * p - k + 1) // s, "The + 1 is inside the division: "
         "(n + 2p - k) // s + 1."),
        (lambda n, k, s, p: n + 2 * p - k + 1, "The stride is ignored: with stride s only "
         "every s-th position is used."),
    ]  # fmt: skip
    return check_function(
        candidate, conv_output_size, cases, name="output_size", mistakes=mistakes, returns=int,
        hint="the padded input has n + 2 * padding pixels; a kernel of size k fits at "
        "n + 2p - k + 1 positions one pixel apart, and with a stride s only every s-th of "
        "them is used: (n + 2 * padding - kernel_size) // stride + 1.",
        success="`output_size` is the output-size formula floor((n + 2p - k) / s) + 1.",
    )  # fmt: skip


def _ceil_pool(x, k, s):
    starts = [range(0, n - k + s, s) for n in x.shape]  # ceil_mode: partial windows too
    return np.array([[x[i : i + k, j : j + k].max() for j in starts[1]] for i in starts[0]])


def check_max_pool(candidate: Any) -> CheckResult:
    """Check ``max_pool(x, pool_size, stride)``: the maximum of each ``pool_size`` square
    window of a 2-D map, windows every ``stride`` pixels that fit inside ``x``."""
    rng = np.random.default_rng(23)
    cases = [
        (np.array([[1.0, 3, 2, 0], [4, 6, 5, 1], [3, 1, 0, 2], [1, 2, 4, 3]]), 2, 2),
        (rng.normal(size=(6, 6)), 3, 3),
        (rng.normal(size=(5, 5)), 2, 2),  # the last row and column are left over
        (rng.normal(size=(5, 5)), 3, 1),  # overlapping windows
        (rng.normal(size=(4, 7)), 2, 1),
        (rng.normal(size=(7, 6)), 3, 2),
    ]
    mistakes = [
        (lambda x, k, s: -max_pool2d(-x, k, s), "You took the minimum of each window."),
        (avg_pool2d, "You took the average of each window: that is average pooling."),
        (lambda x, k, s: max_pool2d(x, k, k), "The stride is ignored: the windows must start "
         "every `stride` pixels, not every `pool_size` pixels."),
        (lambda x, k, s: max_pool2d(x, k, s).T, "Rows and columns are swapped."),
        (_ceil_pool, "Only windows that fit entirely inside x count: the leftover rows and "
         "columns at the edge are dropped."),
    ]  # fmt: skip
    return check_function(
        candidate, max_pool2d, cases, name="max_pool", mistakes=mistakes,
        hint="the output has (H - pool_size) // stride + 1 rows (the same for columns), and "
        "output pixel (i, j) is x[i*stride : i*stride + pool_size, "
        "j*stride : j*stride + pool_size].max().",
        success="`max_pool` keeps the largest value of every window.",
    )  # fmt: skip
