"""Checkers for convolutions and pooling (chapter 11) and the MNIST assignment (chapter 13)."""

import numpy as np

from ..conv import avg_pool2d, conv2d, conv_output_size, max_pool2d
from ._core import CheckResult, check_function

# fmt: off


def check_conv_parameters(candidate) -> CheckResult:
    """Check ``conv_parameters(in_channels, out_channels, kernel_size)``: ``o * i * k * k + o``."""
    return check_function(candidate, lambda i, o, k: o * i * k * k + o, [(1, 8, 5), (8, 16, 5),
        (3, 64, 3), (16, 1, 1), (2, 3, 7)], name="conv_parameters", returns=int,
        hint="each of the out_channels filters has a k x k kernel per input channel and a bias.",
        mistakes=[
        (lambda i, o, k: o * i * k * k, "You left out the biases, one per filter."),
        (lambda i, o, k: o * i * k * k + i, "One bias per FILTER, not per input channel."),
        (lambda i, o, k: o * k * k + o, "A filter has one kernel per INPUT channel."),
        (lambda i, o, k: o * i * k + o, "A kernel has k x k weights, not k."),
        (lambda i, o, k: float(o * i * k * k + o), "A count is a whole number: return an int."),
    ])


def _confusion(y_true, y_pred, n_classes, repeats=True, dtype=np.int64):
    matrix = np.zeros((n_classes, n_classes), dtype=dtype)
    if repeats:
        np.add.at(matrix, (y_true, y_pred), 1)
    else:
        matrix[y_true, y_pred] += 1
    return matrix


def check_confusion_matrix(candidate) -> CheckResult:
    """Check ``confusion_matrix(y_true, y_pred, n_classes)``: [i, j] counts true i predicted j."""
    rng = np.random.default_rng(7)
    cases = [(np.array([0, 1, 1, 2]), np.array([0, 1, 2, 2]), 3),
             (np.array([1, 0]), np.array([0, 1]), 2),
             (np.array([0, 0, 1, 1, 1]), np.array([1, 1, 1, 0, 0]), 2),  # rows are the truth
             (rng.integers(0, 10, 200), rng.integers(0, 10, 200), 10),
             (np.array([3, 3, 3]), np.array([3, 3, 3]), 5)]  # classes that never occur: zeros
    return check_function(candidate, _confusion, cases, name="confusion_matrix", returns=int,
        hint="matrix = np.zeros((n_classes, n_classes), dtype=int); np.add.at(matrix, (y_true, "
        "y_pred), 1): rows are the true class, columns the prediction.", mistakes=[
        (lambda t, p, n: _confusion(p, t, n), "Rows and columns are swapped: rows are the truth."),
        (lambda t, p, n: _confusion(t, p, n, repeats=False), "matrix[y_true, y_pred] += 1 counts a "
         "repeated pair only once."),
        (lambda t, p, n: _confusion(t, p, max(t.max(), p.max()) + 1), "The size is n_classes."),
        (lambda t, p, n: _confusion(t, p, n, dtype=float), "Counts are whole: use dtype=int."),
    ])


def _conv(image, kernel, stride=1, padding=0):
    return conv2d(image, kernel, stride=stride, padding=padding)


_SLIDES = [((np.array([[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2],
                       [2, 0, 0, 0, 1]], dtype=float),
             np.array([[0, 1, 2], [2, 2, 0], [0, 1, 2]], dtype=float)), {}),
           ((np.array([[2, 2, 3, 3, 3], [0, 1, 3, 0, 3], [2, 3, 0, 1, 3], [3, 3, 2, 1, 2],
                       [3, 3, 0, 2, 3]], dtype=float),
             np.array([[2, 0, 1], [1, 0, 0], [0, 1, 1]], dtype=float)),
            {"stride": 2, "padding": 1})]


def check_conv2d_single(candidate) -> CheckResult:
    """Check ``conv2d_single(image, kernel, stride=1, padding=0)`` of one image, as F.conv2d."""
    rng = np.random.default_rng(21)
    cases = [*_SLIDES,
             ((rng.integers(-3, 4, (6, 7)).astype(float), rng.normal(size=(3, 3))), {"padding": 1}),
             ((rng.normal(size=(7, 6)), rng.normal(size=(2, 3))), {"stride": 2, "padding": 0}),
             ((rng.normal(size=(8, 8)), rng.normal(size=(3, 3))), {"stride": 3, "padding": 2})]
    return check_function(candidate, _conv, cases, name="conv2d_single",
        hint="padded = np.pad(image, padding); out[i, j] = np.sum(kernel * padded[i*stride : "
        "i*stride + kH, j*stride : j*stride + kW]) for (H + 2p - kH) // stride + 1 rows.",
        mistakes=[
        (lambda im, k, stride=1, padding=0: _conv(im, np.flip(k), stride, padding),
         "You flipped the kernel: deep learning's convolution uses it as it is."),
        (lambda im, k, stride=1, padding=0: _conv(im, k, 1, padding), "The stride is ignored."),
        (lambda im, k, stride=1, padding=0: _conv(im, k, stride), "The padding is ignored."),
        (lambda im, k, stride=1, padding=0: _conv(np.pad(im, (0, padding)), k, stride),
         "You padded one side only; np.pad(image, padding) pads every side."),
        (lambda im, k, stride=1, padding=0: _conv(im, k, stride, padding).T,
         "Rows and columns are swapped."),
    ])


def check_output_size(candidate) -> CheckResult:
    """Check ``output_size(n, kernel_size, stride, padding)``: ``(n + 2p - k) // s + 1``, an int."""
    cases = [(5, 3, 1, 0), (5, 3, 2, 1), (28, 5, 1, 2), (28, 2, 2, 0), (7, 2, 2, 0),
             (224, 7, 2, 3), (32, 5, 1, 0), (6, 3, 4, 0), (4, 4, 1, 0)]
    return check_function(candidate, conv_output_size, cases, name="output_size", returns=int,
        hint="the kernel fits at n + 2p - k + 1 positions, of which every s-th is used: "
        "(n + 2 * padding - kernel_size) // stride + 1.", mistakes=[
        (lambda n, k, s, p: (n + 2 * p - k) / s + 1, "/ (true division) gives a float: use //."),
        (lambda n, k, s, p: -(-(n + 2 * p - k) // s) + 1, "You rounded up: use //, not math.ceil."),
        (lambda n, k, s, p: (n + 2 * p - k) // s, "The + 1 is missing: the first position counts."),
        (lambda n, k, s, p: (n + p - k) // s + 1, "The padding is counted once; it is on both "
         "sides."),
        (lambda n, k, s, p: (n + 2 * p - k + 1) // s, "The + 1 is inside the division."),
        (lambda n, k, s, p: n + 2 * p - k + 1, "The stride is ignored."),
    ])


def _ceil_pool(x, k, s):
    starts = [range(0, n - k + s, s) for n in x.shape]  # ceil_mode: partial windows too
    return np.array([[x[i : i + k, j : j + k].max() for j in starts[1]] for i in starts[0]])


def check_max_pool(candidate) -> CheckResult:
    """Check ``max_pool(x, pool_size, stride)``: the maximum of each window that fits in ``x``."""
    rng = np.random.default_rng(23)
    cases = [(np.array([[1.0, 3, 2, 0], [4, 6, 5, 1], [3, 1, 0, 2], [1, 2, 4, 3]]), 2, 2),
             (rng.normal(size=(6, 6)), 3, 3), (rng.normal(size=(5, 5)), 2, 2),
             (rng.normal(size=(5, 5)), 3, 1), (rng.normal(size=(4, 7)), 2, 1),
             (rng.normal(size=(7, 6)), 3, 2)]
    return check_function(candidate, max_pool2d, cases, name="max_pool",
        hint="out[i, j] = x[i*stride : i*stride + pool_size, j*stride : j*stride + "
        "pool_size].max(), for (H - pool_size) // stride + 1 rows.", mistakes=[
        (lambda x, k, s: -max_pool2d(-x, k, s), "You took the minimum of each window."),
        (avg_pool2d, "You took the average of each window: that is average pooling."),
        (lambda x, k, s: max_pool2d(x, k, k), "The stride is ignored: start every `stride`."),
        (lambda x, k, s: max_pool2d(x, k, s).T, "Rows and columns are swapped."),
        (_ceil_pool, "Only windows that fit entirely inside x count."),
    ])
