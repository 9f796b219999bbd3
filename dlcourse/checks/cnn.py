"""Checkers for the exercises on convolutional networks and evaluating classifiers."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._core import CheckResult, check_function


def check_conv_parameters(candidate: Any) -> CheckResult:
    """Check ``conv_parameters(in_channels, out_channels, kernel_size)``.

    The number of learnable numbers of ``nn.Conv2d(in_channels, out_channels, kernel_size)``
    with a square kernel and a bias: ``out * in * k * k + out``.
    """
    cases = [(1, 8, 5), (8, 16, 5), (3, 64, 3), (16, 1, 1), (2, 3, 7)]
    return check_function(
        candidate,
        lambda c_in, c_out, k: c_out * c_in * k * k + c_out,
        cases,
        name="conv_parameters",
        hint="each of the out_channels filters has one k x k kernel per input channel, "
        "plus one bias per filter. The image size does not matter: the weights are shared.",
        success="`conv_parameters` counts a convolution's weights and biases.",
    )


def _confusion_matrix(y_true, y_pred, n_classes):
    matrix = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(matrix, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return matrix


def check_confusion_matrix(candidate: Any) -> CheckResult:
    """Check ``confusion_matrix(y_true, y_pred, n_classes)``: ``[i, j]`` counts true ``i``
    predicted as ``j``."""
    rng = np.random.default_rng(7)
    cases = [
        (np.array([0, 1, 1, 2]), np.array([0, 1, 2, 2]), 3),
        (np.array([1, 0]), np.array([0, 1]), 2),  # rows are the truth, columns the guess
        (rng.integers(0, 10, 200), rng.integers(0, 10, 200), 10),
        (np.array([3, 3, 3]), np.array([3, 3, 3]), 5),  # classes that never occur: zeros
    ]
    return check_function(
        candidate,
        _confusion_matrix,
        cases,
        name="confusion_matrix",
        hint="start from np.zeros((n_classes, n_classes), dtype=int) and add 1 at "
        "[true, predicted] for every example. Rows are the true class, columns the "
        "prediction. With arrays, np.add.at(matrix, (y_true, y_pred), 1) does it in one call "
        "(matrix[y_true, y_pred] += 1 would count repeated pairs only once).",
        success="`confusion_matrix` counts every (true, predicted) pair.",
    )
