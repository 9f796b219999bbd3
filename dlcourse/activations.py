"""Activation functions, each next to its derivative, in NumPy.

Each elementwise activation ``f`` sits next to ``f_grad``, its derivative at each element, so
that a backward pass is ``grad_input = grad_output * f_grad(x)``. Softmax mixes its inputs:
it comes with its full Jacobian (:func:`softmax_jacobian`); maxout comes with its backward
pass (:func:`maxout_grad`).

Conventions: inputs are array-likes of numbers (torch tensors too); outputs are new float64
arrays of the same shape. NaN and inf are rejected with a ValueError naming the argument.
``exp`` is only ever taken of numbers <= 0, so nothing overflows for any finite input. At a
kink (``x = 0``) the derivative is the one torch's autograd uses, the left-hand one.
:data:`ACTIVATIONS` maps a name to its ``(function, derivative)`` pair.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_array, check_axis, check_scalar

__all__ = [
    "ACTIVATIONS",
    "elu",
    "elu_grad",
    "identity",
    "identity_grad",
    "leaky_relu",
    "leaky_relu_grad",
    "maxout",
    "maxout_grad",
    "relu",
    "relu_grad",
    "sigmoid",
    "sigmoid_grad",
    "softmax",
    "softmax_jacobian",
    "tanh",
    "tanh_grad",
]


def identity(x: ArrayLike) -> np.ndarray:
    """No activation: ``f(x) = x`` (a copy)."""
    return as_array(x, "x").copy()


def identity_grad(x: ArrayLike) -> np.ndarray:
    """``f'(x) = 1``."""
    return np.ones_like(as_array(x, "x"))


def sigmoid(x: ArrayLike) -> np.ndarray:
    """Logistic sigmoid ``1 / (1 + exp(-x))``, in (0, 1); as ``torch.sigmoid``.

    With ``z = exp(-|x|) <= 1`` it is ``1 / (1 + z)`` for ``x >= 0`` and ``z / (1 + z)``
    otherwise: no overflow.
    """
    x = as_array(x, "x")
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def sigmoid_grad(x: ArrayLike) -> np.ndarray:
    """``sigmoid(x) (1 - sigmoid(x))``, computed as ``z / (1 + z)**2`` with ``z = exp(-|x|)``.

    That form stays accurate in the tails, where ``1 - sigmoid(x)`` would lose every digit.
    """
    z = np.exp(-np.abs(as_array(x, "x")))
    return np.asarray(z / (1.0 + z) ** 2)


def tanh(x: ArrayLike) -> np.ndarray:
    """Hyperbolic tangent, in (-1, 1): ``tanh(x) = 2 sigmoid(2x) - 1``; as ``torch.tanh``."""
    return np.asarray(np.tanh(as_array(x, "x")))


def tanh_grad(x: ArrayLike) -> np.ndarray:
    """``1 - tanh(x)**2``, computed as ``4z / (1 + z)**2`` with ``z = exp(-2|x|)`` (stable)."""
    z = np.exp(-2.0 * np.abs(as_array(x, "x")))
    return np.asarray(4.0 * z / (1.0 + z) ** 2)


def relu(x: ArrayLike) -> np.ndarray:
    """Rectified linear unit ``max(0, x)``; as ``torch.nn.functional.relu``."""
    x = as_array(x, "x")
    return np.where(x > 0, x, 0.0)


def relu_grad(x: ArrayLike) -> np.ndarray:
    """1 where ``x > 0``, else 0 (0 at ``x = 0``, as in torch)."""
    return np.where(as_array(x, "x") > 0, 1.0, 0.0)


def leaky_relu(x: ArrayLike, negative_slope: float = 0.1) -> np.ndarray:
    """``x`` where ``x > 0``, else ``negative_slope * x``.

    The default 0.1 follows the slides; **torch's default is 0.01**, so pass it explicitly
    when comparing with ``torch.nn.functional.leaky_relu``. ``negative_slope >= 0``.
    """
    negative_slope = check_scalar(negative_slope, "negative_slope", low=0.0)
    x = as_array(x, "x")
    return np.where(x > 0, x, negative_slope * x)


def leaky_relu_grad(x: ArrayLike, negative_slope: float = 0.1) -> np.ndarray:
    """1 where ``x > 0``, else ``negative_slope`` (also at ``x = 0``, as in torch)."""
    negative_slope = check_scalar(negative_slope, "negative_slope", low=0.0)
    return np.where(as_array(x, "x") > 0, 1.0, negative_slope)


def elu(x: ArrayLike, alpha: float = 1.0) -> np.ndarray:
    """Exponential linear unit: ``x`` where ``x > 0``, else ``alpha (exp(x) - 1)``; ``alpha > 0``.

    Uses ``expm1(min(x, 0))``: accurate near 0, never overflows. As torch's ``elu``.
    """
    alpha = check_scalar(alpha, "alpha", low=0.0, low_inclusive=False)
    x = as_array(x, "x")
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def elu_grad(x: ArrayLike, alpha: float = 1.0) -> np.ndarray:
    """1 where ``x > 0``, else ``alpha exp(x)`` (``alpha`` at ``x = 0``, as in torch)."""
    alpha = check_scalar(alpha, "alpha", low=0.0, low_inclusive=False)
    x = as_array(x, "x")
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))


def _at_least_1d(x: ArrayLike, axis: int, what: str) -> tuple[np.ndarray, int]:
    x = as_array(x, "x")
    if x.ndim == 0:
        raise ValueError(f"`x` must have at least 1 dimension for {what}; got a scalar.")
    return x, check_axis(axis, x.ndim)


def softmax(x: ArrayLike, axis: int = -1) -> np.ndarray:
    """``exp(x_i) / sum_j exp(x_j)`` along ``axis``; as ``torch.softmax``.

    Stable: the maximum is subtracted first (softmax does not change), so every exponent is
    <= 0. ``x`` has at least 1 dimension, e.g. logits (n_samples, n_classes).
    """
    x, axis = _at_least_1d(x, axis, "softmax")
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def softmax_jacobian(x: ArrayLike) -> np.ndarray:
    """Jacobian of :func:`softmax` at one vector ``x`` (k,): ``diag(y) - y y^T``, (k, k).

    ``J[i, j] = y_i (delta_ij - y_j)`` with ``y = softmax(x)``; symmetric, rows sum to 0.
    """
    y = softmax(as_array(x, "x", shape=("k",)))
    return np.diag(y) - np.outer(y, y)


def _maxout_inputs(x, weight, bias) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = as_array(x, "x", shape=("n_samples", "d"))
    weight = as_array(weight, "weight", shape=("k", x.shape[1], "m"))
    bias = as_array(bias, "bias", shape=weight.shape[:1] + weight.shape[2:])
    return x, weight, bias


def maxout(x: ArrayLike, weight: ArrayLike, bias: ArrayLike) -> np.ndarray:
    """A maxout layer: ``out[n, i] = max_j (x[n] @ weight[j, :, i] + bias[j, i])``.

    With ``m = 1`` and two pieces it is the slides' ``max(w1 . x + b1, w2 . x + b2)``; ReLU
    is the case with pieces ``w . x + b`` and ``0``.

    Parameters
    ----------
    x : array_like of shape (n_samples, d)
    weight : array_like of shape (k, d, m)
        ``weight[j]`` is the weight matrix of piece ``j``.
    bias : array_like of shape (k, m)

    Returns
    -------
    numpy.ndarray of shape (n_samples, m)
    """
    x, weight, bias = _maxout_inputs(x, weight, bias)
    return (np.einsum("nd,kdm->nkm", x, weight) + bias).max(axis=1)


def maxout_grad(
    grad_output: ArrayLike, x: ArrayLike, weight: ArrayLike, bias: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward pass of :func:`maxout`: ``(grad_x, grad_weight, grad_bias)``.

    The gradient ``grad_output`` (n_samples, m) flows only through the winning piece of each
    output (on a tie, the first, as ``np.argmax``). The results have the shapes of ``x``,
    ``weight`` and ``bias``.
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
