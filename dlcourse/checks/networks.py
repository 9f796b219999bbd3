"""Checkers for the exercises on multi-layer perceptrons (chapter 4)."""

from itertools import pairwise

import numpy as np

from ..activations import relu, sigmoid
from ._core import CheckResult, check_function

# fmt: off


def _network(x, W, w, hidden=relu, out=lambda z: z):
    return out(w @ hidden(W @ x))


def check_forward_relu_network(candidate) -> CheckResult:
    """Check ``forward_relu_network(x, W_hidden, w_output)``: no biases, linear output."""
    rng = np.random.default_rng(11)
    cases = [(np.array([3.0, 5.0]), np.array([[2.0, 4.0], [4.0, -5.0]]), np.array([2.0, 7.0])),
             (np.array([1.0, 2.0]), np.array([[1.0, 1.0], [2.0, -1.5]]), np.array([-1.0, 2.0])),
             (np.array([1.0, -2.0, 0.5]), rng.standard_normal((3, 3)), rng.standard_normal(3)),
             (np.array([2.0, 3.0]), np.array([[1.0, 1.0], [-1.0, 1.0]]), np.array([2.0, -1.0]))]
    return check_function(candidate, _network, cases, name="forward_relu_network",
        hint="hidden = np.maximum(0, W_hidden @ x), then output = w_output @ hidden.", mistakes=[
        (lambda x, W, w: w @ (W @ x), "You left out the ReLU on the hidden units."),
        (lambda x, W, w: _network(x, W, w, out=relu), "The output unit has no activation."),
        (lambda x, W, w: _network(x, W.T, w), "You used W_hidden transposed."),
        (lambda x, W, w: relu(W @ x), "You returned the hidden layer: multiply by w_output."),
        (lambda x, W, w: _network(x, W, w, hidden=sigmoid), "You used the sigmoid, not the ReLU."),
    ])


def _count(sizes, bias=lambda n_in, n_out: n_out):
    return sum(n_in * n_out + bias(n_in, n_out) for n_in, n_out in pairwise(sizes))


def check_count_parameters(candidate) -> CheckResult:
    """Check ``count_parameters(layer_sizes)``: weights plus biases of a fully connected MLP."""
    cases = [([2, 2, 1],), ([2, 8, 1],), ([2, 8, 8, 1],), ([784, 128, 10],), ([3, 1],)]
    return check_function(candidate, _count, cases, name="count_parameters", returns=int,
        hint="each pair of consecutive layers has n_in * n_out weights and n_out biases.",
        mistakes=[
        (lambda s: _count(s, lambda i, o: 0), "You counted the weights only; add the biases."),
        (lambda s: _count(s, lambda i, o: i), "Biases go AFTER, not BEFORE each pair."),
        (lambda s: _count(s) + s[0], "You gave the input units biases too; they have none."),
        (lambda s: sum(s), "You counted the units, not the weights and biases."),
        (lambda s: float(_count(s)), "A count is a whole number: return an int."),
    ])


def _mlp(X, weights, biases, act=relu, last=False, T=True):
    for i, (W, b) in enumerate(zip(weights, biases)):
        X = X @ (W.T if T else W) + b
        X = act(X) if (i < len(weights) - 1 or last) else X
    return X


def check_mlp_forward(candidate) -> CheckResult:
    """Check ``mlp_forward(X, weights, biases)``: weights (out, in) as in nn.Linear."""
    rng = np.random.default_rng(13)

    def layers(*sizes):
        ws = [rng.standard_normal((n_out, n_in)) for n_in, n_out in pairwise(sizes)]
        return ws, [rng.standard_normal(n) for n in sizes[1:]]

    slides = ([np.array([[2.0, 4.0], [4.0, -5.0]]), np.array([[2.0, 7.0]])],
              [np.zeros(2), np.zeros(1)])
    cases = [(rng.standard_normal((4, 3)), *layers(3, 3, 3, 3)),
             (np.array([[3.0, 5], [2, 3]]), *slides),
             (rng.standard_normal((5, 2)), *layers(2, 4, 3)),
             (rng.standard_normal((4, 2)), *layers(2, 1)),
             (rng.standard_normal((6, 3)), *layers(3, 5, 4, 2))]
    return check_function(candidate, _mlp, cases, name="mlp_forward",
        hint="h = X; for each layer h = h @ W.T + b, then np.maximum(0, h) except after the last.",
        mistakes=[
        (lambda *a: _mlp(*a, last=True), "You applied the ReLU after the last layer too."),
        (lambda *a: _mlp(*a, act=lambda z: z), "You left out the ReLU between the layers."),
        (lambda X, W, b: _mlp(X, W, [0 * v for v in b]), "You left out the biases."),
        (lambda *a: _mlp(*a, T=False), "Multiply by the transpose, h @ W.T."),
        (lambda *a: _mlp(*a, act=sigmoid), "You used the sigmoid, not the ReLU."),
    ])
