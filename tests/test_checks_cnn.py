"""The convolution, pooling and assignment checkers pass solutions computed with PyTorch and
reject each known mistake by name."""

import math

import numpy as np
import torch
import torch.nn.functional as F
from _checkers import table_test

from dlcourse import checks


def t4(a):
    return torch.tensor(np.array(a, dtype=float))[None, None]


def conv2d_single(image, kernel, stride=1, padding=0):
    return F.conv2d(t4(image), t4(kernel), stride=stride, padding=padding)[0, 0].numpy()


def max_pool(x, pool_size, stride):
    return F.max_pool2d(t4(x), pool_size, stride)[0, 0].numpy()


def conv_parameters(in_channels, out_channels, kernel_size):
    layer = torch.nn.Conv2d(in_channels, out_channels, kernel_size)
    return sum(p.numel() for p in layer.parameters())


def output_size(n, kernel_size, stride, padding):
    layer = torch.nn.Conv2d(1, 1, kernel_size, stride=stride, padding=padding)
    return layer(torch.zeros(1, 1, n, n)).shape[-1]


def confusion_matrix(y_true, y_pred, n_classes):
    matrix = np.zeros((n_classes, n_classes), dtype=int)
    for t, p in zip(y_true, y_pred):
        matrix[t, p] += 1
    return matrix


def ceil_pool(x, k, s):
    return F.max_pool2d(t4(x), k, s, ceil_mode=True)[0, 0].numpy()


TABLE = [
    (checks.check_conv_parameters, conv_parameters, [
        (lambda i, o, k: o * i * k * k, "left out the biases"),
        (lambda i, o, k: o * i * k * k + i, "per FILTER"),
        (lambda i, o, k: o * k * k + o, "INPUT channel"),
        (lambda i, o, k: o * i * k + o, "k x k weights"),
        (lambda i, o, k: o * i * k**2 + o * 1.0, "whole number"),
    ]),
    (checks.check_confusion_matrix, confusion_matrix, [
        (lambda t, p, n: confusion_matrix(p, t, n), "swapped"),
        (lambda t, p, n: _fancy_increment(t, p, n), "only once"),
        (lambda t, p, n: confusion_matrix(t, p, max(max(t), max(p)) + 1), "n_classes"),
        (lambda t, p, n: confusion_matrix(t, p, n).astype(float), "dtype=int"),
    ]),
    (checks.check_conv2d_single, conv2d_single, [
        (lambda im, k, stride=1, padding=0: conv2d_single(im, k[::-1, ::-1], stride, padding),
         "flipped the kernel"),
        (lambda im, k, stride=1, padding=0: conv2d_single(im, k, 1, padding), "stride is ignored"),
        (lambda im, k, stride=1, padding=0: conv2d_single(im, k, stride), "padding is ignored"),
        (lambda im, k, stride=1, padding=0: conv2d_single(np.pad(im, [(0, padding)] * 2), k,
                                                          stride), "one side only"),
        (lambda im, k, stride=1, padding=0: conv2d_single(im, k, stride, padding).T, "swapped"),
    ]),
    (checks.check_output_size, output_size, [
        (lambda n, k, s, p: (n + 2 * p - k) / s + 1, "true division"),
        (lambda n, k, s, p: math.ceil((n + 2 * p - k) / s) + 1, "rounded up"),
        (lambda n, k, s, p: (n + 2 * p - k) // s, "+ 1 is missing"),
        (lambda n, k, s, p: (n + p - k) // s + 1, "counted once"),
        (lambda n, k, s, p: (n + 2 * p - k + 1) // s, "inside the division"),
        (lambda n, k, s, p: n + 2 * p - k + 1, "stride is ignored"),
    ]),
    (checks.check_max_pool, max_pool, [
        (lambda x, k, s: -max_pool(-x, k, s), "minimum"),
        (lambda x, k, s: F.avg_pool2d(t4(x), k, s)[0, 0].numpy(), "average pooling"),
        (lambda x, k, s: max_pool(x, k, k), "stride is ignored"),
        (lambda x, k, s: max_pool(x, k, s).T, "swapped"),
        (ceil_pool, "fit entirely"),
    ]),
]  # fmt: skip


def _fancy_increment(t, p, n):
    matrix = np.zeros((n, n), dtype=int)
    matrix[t, p] += 1
    return matrix


test_checker_passes_a_solution_and_rejects_each_mistake_by_name = table_test(TABLE)
