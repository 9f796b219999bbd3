"""Checkers for the exercises on multi-layer perceptrons (chapter 4)."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import numpy as np

from ._core import CheckResult, check_function


def _relu_network(x, W, w, hidden=lambda z: np.maximum(0.0, z), out=lambda z: z):
    return out(w @ hidden(W @ x))


def check_forward_relu_network(candidate: Any) -> CheckResult:
    """Check ``forward_relu_network(x, W_hidden, w_output)`` for one data point: a hidden layer
    of ReLU units (one row of ``W_hidden`` per unit), one linear output unit, no biases."""
    rng = np.random.default_rng(11)
    cases = [
        (np.array([3.0, 5.0]), np.array([[2.0, 4.0], [4.0, -5.0]]), np.array([2.0, 7.0])),
        (np.array([1.0, 2.0]), np.array([[1.0, 1.0], [2.0, -1.5]]), np.array([-1.0, 2.0])),
        (np.array([1.0, -2.0, 0.5]), rng.standard_normal((3, 3)), rng.standard_normal(3)),
        (np.array([2.0, 3.0]), np.array([[1.0, 1.0], [-1.0, 1.0]]), np.array([2.0, -1.0])),
    ]
    mistakes = [
        (lambda x, W, w: w @ (W @ x), "You left out the ReLU on the hidden units."),
        (lambda x, W, w: _relu_network(x, W, w, out=lambda z: np.maximum(0, z)), "The output "
         "unit has no activation: leave out the ReLU there, the output may be negative."),
        (lambda x, W, w: _relu_network(x, W.T, w), "You used W_hidden transposed: each ROW "
         "holds one hidden unit's weights, so compute W_hidden @ x."),
        (lambda x, W, w: np.maximum(0, W @ x), "You returned the hidden layer: multiply it by "
         "w_output to get the output."),
        (lambda x, W, w: _relu_network(x, W, w, hidden=lambda z: 1 / (1 + np.exp(-z))),
         "You used the sigmoid; the hidden units are ReLUs, max(0, z)."),
    ]  # fmt: skip
    return check_function(
        candidate, _relu_network, cases, name="forward_relu_network", mistakes=mistakes,
        hint="hidden = relu(W_hidden @ x) with relu(z) = np.maximum(0, z), then "
        "output = w_output @ hidden. The output unit has no activation.",
        success="`forward_relu_network` propagates forward through a ReLU hidden layer: "
        "for the slides' customer it gives 52.",
    )  # fmt: skip


def _count(sizes, bias=lambda n_in, n_out: n_out):
    return sum(n_in * n_out + bias(n_in, n_out) for n_in, n_out in pairwise(sizes))


def check_count_parameters(candidate: Any) -> CheckResult:
    """Check ``count_parameters(layer_sizes)``: weights plus biases of a fully connected MLP."""
    cases = [([2, 2, 1],), ([2, 8, 1],), ([2, 8, 8, 1],), ([784, 128, 10],), ([3, 1],)]
    mistakes = [
        (lambda s: _count(s, lambda i, o: 0), "You counted the weights only: every unit after "
         "the input layer also has a bias."),
        (lambda s: _count(s, lambda i, o: i), "You gave the biases to the layer BEFORE each "
         "pair; the input layer has none, each later unit has one."),
        (lambda s: _count(s) + s[0], "You gave the input units biases too; they have none."),
        (lambda s: sum(s), "You counted the units, not the weights and biases."),
        (lambda s: float(_count(s)), "A count is a whole number: return an int."),
    ]  # fmt: skip
    return check_function(
        candidate, _count, cases, name="count_parameters", mistakes=mistakes, returns=int,
        hint="between a layer of n_in units and the next layer of n_out units there are "
        "n_in * n_out weights and n_out biases. Add this up over consecutive pairs of layers, "
        "for example with zip(layer_sizes[:-1], layer_sizes[1:]).",
        success="`count_parameters` counts every weight and bias of a fully connected network.",
    )  # fmt: skip


def _mlp(X, weights, biases, act=lambda z: np.maximum(0.0, z), last=False, T=True):
    h = X
    for i, (W, b) in enumerate(zip(weights, biases)):
        h = h @ (W.T if T else W) + b
        h = act(h) if (i < len(weights) - 1 or last) else h
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
    cases = [
        (rng.standard_normal((4, 3)), *layers(3, 3, 3, 3)),
        (np.array([[3.0, 5.0], [2.0, 3.0]]), slides_w, [np.zeros(2), np.zeros(1)]),
        (rng.standard_normal((5, 2)), *layers(2, 4, 3)),
        (rng.standard_normal((6, 3)), *layers(3, 5, 4, 2)),
        (rng.standard_normal((4, 2)), *layers(2, 1)),
    ]
    mistakes = [
        (lambda *a: _mlp(*a, last=True), "You applied the ReLU after the last layer too; the "
         "output layer has no activation."),
        (lambda *a: _mlp(*a, act=lambda z: z), "You left out the ReLU between the layers."),
        (lambda X, W, b: _mlp(X, W, [0 * v for v in b]), "You left out the biases."),
        (lambda *a: _mlp(*a, T=False), "weights[l] has shape (out_features, in_features): "
         "multiply by its transpose, h @ W.T."),
        (lambda *a: _mlp(*a, act=lambda z: 1 / (1 + np.exp(-z))), "You used the sigmoid; "
         "the hidden layers use the ReLU."),
    ]  # fmt: skip
    return check_function(
        candidate, _mlp, cases, name="mlp_forward", mistakes=mistakes,
        hint="loop over the layers: h = h @ W.T + b, then h = np.maximum(0, h) for every "
        "layer except the last one. Start with h = X.",
        success="`mlp_forward` runs a multi-layer perceptron of any depth on a whole batch.",
    )  # fmt: skip
