"""Activation functions in NumPy, each ``f`` next to its derivative ``f_grad``.

A backward pass is ``grad_input = grad_output * f_grad(x)``; softmax comes with its Jacobian,
maxout with its backward pass. Outputs are new float64 arrays of the input's shape. ``exp`` is
only taken of numbers <= 0 (no overflow); at a kink the derivative is torch's, the left one.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_array, as_array_with_axis, check_scalar

__all__ = [
    "ACTIVATIONS", "elu", "elu_grad", "identity", "identity_grad", "leaky_relu", "leaky_relu_grad",
    "maxout", "maxout_grad", "relu", "relu_grad", "sigmoid", "sigmoid_grad", "softmax",
    "softmax_jacobian", "tanh", "tanh_grad"
]  # fmt: skip


def identity(x: ArrayLike) -> np.ndarray:
    """No activation: ``f(x) = x`` (a copy)."""
    return as_array(x, "x").copy()


def identity_grad(x: ArrayLike) -> np.ndarray:
    """``f'(x) = 1``."""
    return np.ones_like(as_array(x, "x"))


def sigmoid(x: ArrayLike) -> np.ndarray:
    """``1 / (1 + exp(-x))``, as ``1 / (1 + z)`` (x >= 0) or ``z / (1 + z)``, ``z = exp(-|x|)``."""
    x = as_array(x, "x")
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def sigmoid_grad(x: ArrayLike) -> np.ndarray:
    """``sigmoid(x) (1 - sigmoid(x)) = z / (1 + z)**2``, ``z = exp(-|x|)`` (exact in the tails)."""
    z = np.exp(-np.abs(as_array(x, "x")))
    return np.asarray(z / (1.0 + z) ** 2)


def tanh(x: ArrayLike) -> np.ndarray:
    """``tanh(x) = 2 sigmoid(2x) - 1``, in (-1, 1)."""
    return np.asarray(np.tanh(as_array(x, "x")))


def tanh_grad(x: ArrayLike) -> np.ndarray:
    """``1 - tanh(x)**2 = 4z / (1 + z)**2`` with ``z = exp(-2|x|)`` (stable)."""
    z = np.exp(-2.0 * np.abs(as_array(x, "x")))
    return np.asarray(4.0 * z / (1.0 + z) ** 2)


def relu(x: ArrayLike) -> np.ndarray:
    """``max(0, x)``."""
    x = as_array(x, "x")
    return np.where(x > 0, x, 0.0)


def relu_grad(x: ArrayLike) -> np.ndarray:
    """1 where ``x > 0``, else 0 (0 at ``x = 0``, as in torch)."""
    return np.where(as_array(x, "x") > 0, 1.0, 0.0)


def leaky_relu(x: ArrayLike, negative_slope: float = 0.1) -> np.ndarray:
    """``x`` where ``x > 0``, else ``negative_slope * x`` (0.1 as the slides; torch: 0.01)."""
    negative_slope = check_scalar(negative_slope, "negative_slope", low=0.0)
    x = as_array(x, "x")
    return np.where(x > 0, x, negative_slope * x)


def leaky_relu_grad(x: ArrayLike, negative_slope: float = 0.1) -> np.ndarray:
    """1 where ``x > 0``, else ``negative_slope`` (also at ``x = 0``, as in torch)."""
    negative_slope = check_scalar(negative_slope, "negative_slope", low=0.0)
    return np.where(as_array(x, "x") > 0, 1.0, negative_slope)


def elu(x: ArrayLike, alpha: float = 1.0) -> np.ndarray:
    """``x`` where ``x > 0``, else ``alpha (exp(x) - 1)``; ``alpha > 0``."""
    alpha = check_scalar(alpha, "alpha", low=0.0, low_inclusive=False)
    x = as_array(x, "x")
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def elu_grad(x: ArrayLike, alpha: float = 1.0) -> np.ndarray:
    """1 where ``x > 0``, else ``alpha exp(x)`` (``alpha`` at ``x = 0``, as in torch)."""
    alpha = check_scalar(alpha, "alpha", low=0.0, low_inclusive=False)
    x = as_array(x, "x")
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))


def softmax(x: ArrayLike, axis: int = -1) -> np.ndarray:
    """``exp(x_i) / sum_j exp(x_j)`` along ``axis``, after subtracting the maximum (stable)."""
    x, axis = as_array_with_axis(x, axis, "softmax")
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def softmax_jacobian(x: ArrayLike) -> np.ndarray:
    """Jacobian of :func:`softmax` at ``x`` (k,): ``J[i, j] = y_i (delta_ij - y_j)``, (k, k)."""
    y = softmax(as_array(x, "x", shape=("k",)))
    return np.diag(y) - np.outer(y, y)


def _maxout_inputs(x, weight, bias) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = as_array(x, "x", shape=("n_samples", "d"))
    weight = as_array(weight, "weight", shape=("k", x.shape[1], "m"))
    bias = as_array(bias, "bias", shape=weight.shape[:1] + weight.shape[2:])
    return x, weight, bias


def maxout(x: ArrayLike, weight: ArrayLike, bias: ArrayLike) -> np.ndarray:
    """A maxout layer: ``out[n, i] = max_j (x[n] @ weight[j, :, i] + bias[j, i])``.

    ``x`` (n_samples, d), ``weight`` (k, d, m): ``k`` pieces, ``bias`` (k, m); out (n_samples, m).
    """
    x, weight, bias = _maxout_inputs(x, weight, bias)
    return (np.einsum("nd,kdm->nkm", x, weight) + bias).max(axis=1)


def maxout_grad(
    grad_output: ArrayLike, x: ArrayLike, weight: ArrayLike, bias: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward pass of :func:`maxout`: ``(grad_x, grad_weight, grad_bias)``.

    ``grad_output`` (n_samples, m) flows only through each output's winning piece (the first
    on a tie).
    """
    x, weight, bias = _maxout_inputs(x, weight, bias)
    k, _, m = weight.shape
    grad_output = as_array(grad_output, "grad_output", shape=(x.shape[0], m))
    winner = (np.einsum("nd,kdm->nkm", x, weight) + bias).argmax(axis=1)  # (n_samples, m)
    grad_pieces = (np.arange(k)[None, :, None] == winner[:, None, :]) * grad_output[:, None, :]
    grad_x = np.einsum("nkm,kdm->nd", grad_pieces, weight)
    grad_weight = np.einsum("nd,nkm->kdm", x, grad_pieces)
    return grad_x, grad_weight, grad_pieces.sum(axis=0)


ACTIVATIONS: dict[str, tuple[Callable[..., np.ndarray], Callable[..., np.ndarray]]] = {
    "identity": (identity, identity_grad),
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "relu": (relu, relu_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad),
    "elu": (elu, elu_grad),
}
"""Elementwise activations by name: ``name -> (function, derivative)``."""
