"""Checkers for the exercises on multi-layer perceptrons."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import numpy as np

from ._core import CheckResult, check_function


def _forward_relu_network(x, W_hidden, w_output):
    return float(np.asarray(w_output) @ np.maximum(0.0, np.asarray(W_hidden) @ np.asarray(x)))


def check_forward_relu_network(candidate: Any) -> CheckResult:
    """Check ``forward_relu_network(x, W_hidden, w_output)`` for one data point.

    The network has one hidden layer of ReLU units (weights ``W_hidden``, one row per unit) and
    one output unit without activation (weights ``w_output``); no biases.
    """
    rng = np.random.default_rng(11)
    cases = [
        (np.array([3.0, 5.0]), np.array([[2.0, 4.0], [4.0, -5.0]]), np.array([2.0, 7.0])),
        (np.array([1.0, 2.0]), np.array([[1.0, 1.0], [2.0, -1.5]]), np.array([-1.0, 2.0])),
        (np.array([1.0, -2.0, 0.5]), rng.standard_normal((4, 3)), rng.standard_normal(4)),
        (np.array([2.0, 3.0]), np.array([[1.0, 1.0], [-1.0, 1.0]]), np.array([2.0, -1.0])),
    ]
    return check_function(
        candidate,
        _forward_relu_network,
        cases,
        name="forward_relu_network",
        hint="hidden = relu(W_hidden @ x) with relu(z) = np.maximum(0, z), then "
        "output = w_output @ hidden. The ReLU goes on the hidden units only: the output unit "
        "has no activation, so the output may be negative.",
        success="`forward_relu_network` propagates forward through a ReLU hidden layer: "
        "for the slides' customer it gives 52.",
    )


def _count_parameters(layer_sizes):
    sizes = [int(n) for n in layer_sizes]
    return sum(n_in * n_out + n_out for n_in, n_out in pairwise(sizes))


def check_count_parameters(candidate: Any) -> CheckResult:
    """Check ``count_parameters(layer_sizes)``: weights plus biases of a fully connected MLP."""
    cases = [([2, 2, 1],), ([2, 8, 1],), ([2, 8, 8, 1],), ([784, 128, 10],), ([3, 1],)]
    return check_function(
        candidate,
        _count_parameters,
        cases,
        name="count_parameters",
        hint="between a layer of n_in units and the next layer of n_out units there are "
        "n_in * n_out weights and n_out biases (one per unit of the next layer; the input "
        "layer has none). Add this up over consecutive pairs of layers, for example with "
        "zip(layer_sizes[:-1], layer_sizes[1:]).",
        success="`count_parameters` counts every weight and bias of a fully connected network.",
    )


def _mlp_forward(X, weights, biases):
    h = np.asarray(X, dtype=float)
    for i, (W, b) in enumerate(zip(weights, biases)):
        h = h @ np.asarray(W, dtype=float).T + np.asarray(b, dtype=float)
        if i < len(weights) - 1:
            h = np.maximum(0.0, h)
    return h


def check_mlp_forward(candidate: Any) -> CheckResult:
    """Check ``mlp_forward(X, weights, biases)``: ReLU after every layer but the last.

    ``weights[l]`` has PyTorch's shape ``(out_features, in_features)``; ``X`` holds one data
    point per row; the result has shape ``(n_samples, out_features)``.
    """
    rng = np.random.default_rng(13)

    def layers(*sizes):
        ws = [rng.standard_normal((n_out, n_in)) for n_in, n_out in pairwise(sizes)]
        return ws, [rng.standard_normal(n) for n in sizes[1:]]

    slides_w = [np.array([[2.0, 4.0], [4.0, -5.0]]), np.array([[2.0, 7.0]])]
    slides_b = [np.zeros(2), np.zeros(1)]
    cases = [
        (np.array([[3.0, 5.0], [2.0, 3.0]]), slides_w, slides_b),
        (rng.standard_normal((5, 2)), *layers(2, 4, 3)),
        (rng.standard_normal((6, 3)), *layers(3, 5, 4, 2)),
        (rng.standard_normal((4, 2)), *layers(2, 1)),
    ]
    return check_function(
        candidate,
        _mlp_forward,
        cases,
        name="mlp_forward",
        hint="loop over the layers: h = h @ W.T + b, then h = np.maximum(0, h) for every "
        "layer except the last one (the output layer has no activation). Start with h = X.",
        success="`mlp_forward` runs a multi-layer perceptron of any depth on a whole batch.",
    )
