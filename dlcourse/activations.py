"""Activation functions and their derivatives, in NumPy.

Each activation ``f`` comes with its derivative ``f_grad`` (elementwise: ``f_grad(x)[i]`` is
``f'(x[i])``), so that a backward pass multiplies the upstream gradient by it:
``grad_input = grad_output * f_grad(x)``. Softmax and maxout mix their inputs, so they come
with a vector-Jacobian product instead (:func:`softmax_backward`, :func:`maxout_grad`) and,
for softmax, the full Jacobian of one vector (:func:`softmax_jacobian`).

Conventions
-----------
* Input: any array-like of numbers (a torch tensor is accepted too); output: a new
  ``float64`` array of the same shape (a 0-d array for a scalar input).
* NaN and infinite inputs are **rejected** with a :class:`ValueError` naming the argument
  (``torch`` would propagate them silently; the course prefers a clear error).
* Every function is stable for inputs up to ``|x| = 1e4`` and beyond: no overflow, no
  ``RuntimeWarning``, no NaN (``exp`` is only ever taken of non-positive numbers).
* At a kink (``x = 0`` for ReLU, leaky ReLU and ELU) the derivative is the one PyTorch's
  autograd uses: the left-hand one (0 for ReLU, ``negative_slope`` for leaky ReLU,
  ``alpha`` for ELU).

:data:`ACTIVATIONS` maps a name to its ``(function, derivative)`` pair, for explorers and
for :mod:`dlcourse.mlp`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_array, check_int, check_scalar

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
    "softmax_backward",
    "softmax_jacobian",
    "tanh",
    "tanh_grad",
]


def _input(x: ArrayLike, name: str = "x") -> np.ndarray:
    """``x`` as a finite float64 array of any shape (not empty).

    NumPy ufuncs turn a 0-d array into a scalar, so the functions below wrap such results in
    ``np.asarray``: the output is always an array, of the input's shape.
    """
    return as_array(x, name)


def _check_negative_slope(negative_slope: float) -> float:
    return check_scalar(negative_slope, "negative_slope", low=0.0)


def _check_alpha(alpha: float) -> float:
    return check_scalar(alpha, "alpha", low=0.0, low_inclusive=False)


def _check_axis(axis: int, ndim: int) -> int:
    axis = check_int(axis, "axis")
    if not -ndim <= axis < ndim:
        raise ValueError(
            f"`axis` must be in [{-ndim}, {ndim - 1}] for an array with {ndim} "
            f"dimension{'s' if ndim != 1 else ''}; got {axis}."
        )
    return axis


# --------------------------------------------------------------------------- identity


def identity(x: ArrayLike) -> np.ndarray:
    """The identity ``f(x) = x`` (a layer with no activation).

    Parameters
    ----------
    x : array_like of any shape

    Returns
    -------
    numpy.ndarray of the same shape, dtype float64
        A copy of ``x``.
    """
    return _input(x).copy()


def identity_grad(x: ArrayLike) -> np.ndarray:
    """Derivative of :func:`identity`: ones, shape of ``x``."""
    return np.ones_like(_input(x))


# ---------------------------------------------------------------------------- sigmoid


def sigmoid(x: ArrayLike) -> np.ndarray:
    """The logistic sigmoid ``1 / (1 + exp(-x))``, squashing any number into (0, 1).

    Computed without overflow: with ``z = exp(-|x|)`` (at most 1), the value is
    ``1 / (1 + z)`` for ``x >= 0`` and ``z / (1 + z)`` for ``x < 0``.

    Parameters
    ----------
    x : array_like of any shape
        Finite numbers.

    Returns
    -------
    numpy.ndarray of the same shape, dtype float64
        Values in [0, 1] (exactly 0 or 1 only where the true value rounds to it).

    See Also
    --------
    torch.sigmoid
    """
    x = _input(x)
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def sigmoid_grad(x: ArrayLike) -> np.ndarray:
    """Derivative of :func:`sigmoid`: ``sigmoid(x) * (1 - sigmoid(x))``.

    Evaluated as ``z / (1 + z)**2`` with ``z = exp(-|x|)``, which is accurate in the tails too
    (the textbook form loses every digit of ``1 - sigmoid(x)`` for large ``x``).

    Parameters
    ----------
    x : array_like of any shape

    Returns
    -------
    numpy.ndarray of the same shape, dtype float64
        Values in [0, 0.25]; 0.25 at ``x = 0``.
    """
    x = _input(x)
    z = np.exp(-np.abs(x))
    return np.asarray(z / (1.0 + z) ** 2)


# ------------------------------------------------------------------------------- tanh


def tanh(x: ArrayLike) -> np.ndarray:
    """The hyperbolic tangent, squashing any number into (-1, 1); ``tanh(x) = 2 sigmoid(2x) - 1``.

    Parameters
    ----------
    x : array_like of any shape

    Returns
    -------
    numpy.ndarray of the same shape, dtype float64

    See Also
    --------
    torch.tanh
    """
    return np.asarray(np.tanh(_input(x)))


def tanh_grad(x: ArrayLike) -> np.ndarray:
    """Derivative of :func:`tanh`: ``1 - tanh(x)**2``.

    Evaluated as ``4 z / (1 + z)**2`` with ``z = exp(-2|x|)`` (that is, ``1 / cosh(x)**2``),
    which neither overflows nor cancels for large ``|x|``.

    Parameters
    ----------
    x : array_like of any shape

    Returns
    -------
    numpy.ndarray of the same shape, dtype float64
        Values in [0, 1]; 1 at ``x = 0``.
    """
    x = _input(x)
    z = np.exp(-2.0 * np.abs(x))
    return np.asarray(4.0 * z / (1.0 + z) ** 2)


# ------------------------------------------------------------------------------- ReLU


def relu(x: ArrayLike) -> np.ndarray:
    """The rectified linear unit ``max(0, x)``.

    Parameters
    ----------
    x : array_like of any shape

    Returns
    -------
    numpy.ndarray of the same shape, dtype float64

    See Also
    --------
    torch.nn.functional.relu
    """
    x = _input(x)
    return np.where(x > 0, x, 0.0)


def relu_grad(x: ArrayLike) -> np.ndarray:
    """Derivative of :func:`relu`: 1 where ``x > 0``, else 0 (0 at ``x = 0``, as in torch).

    Parameters
    ----------
    x : array_like of any shape

    Returns
    -------
    numpy.ndarray of the same shape, dtype float64
    """
    x = _input(x)
    return np.where(x > 0, 1.0, 0.0)


def leaky_relu(x: ArrayLike, negative_slope: float = 0.1) -> np.ndarray:
    """The leaky ReLU: ``x`` where ``x > 0``, else ``negative_slope * x``.

    For ``negative_slope <= 1`` this is the slides' ``max(negative_slope * x, x)``.

    Parameters
    ----------
    x : array_like of any shape
    negative_slope : float, default 0.1
        Slope for negative inputs (finite, ``>= 0``; 0 gives :func:`relu`). The default 0.1
        follows the course slides; **PyTorch's default is 0.01**, so pass it explicitly when
        comparing with ``torch.nn.functional.leaky_relu`` or ``torch.nn.LeakyReLU``.

    Returns
    -------
    numpy.ndarray of the same shape, dtype float64

    See Also
    --------
    torch.nn.functional.leaky_relu
    """
    negative_slope = _check_negative_slope(negative_slope)
    x = _input(x)
    return np.where(x > 0, x, negative_slope * x)


def leaky_relu_grad(x: ArrayLike, negative_slope: float = 0.1) -> np.ndarray:
    """Derivative of :func:`leaky_relu`: 1 where ``x > 0``, else ``negative_slope``.

    At ``x = 0`` it is ``negative_slope``, as in torch's autograd.

    Parameters
    ----------
    x : array_like of any shape
    negative_slope : float, default 0.1
        As in :func:`leaky_relu` (torch's default is 0.01).

    Returns
    -------
    numpy.ndarray of the same shape, dtype float64
    """
    negative_slope = _check_negative_slope(negative_slope)
    x = _input(x)
    return np.where(x > 0, 1.0, negative_slope)


# -------------------------------------------------------------------------------- ELU


def elu(x: ArrayLike, alpha: float = 1.0) -> np.ndarray:
    """The exponential linear unit: ``x`` where ``x > 0``, else ``alpha * (exp(x) - 1)``.

    Uses ``np.expm1(min(x, 0))``: accurate near 0 and never overflows.

    Parameters
    ----------
    x : array_like of any shape
    alpha : float, default 1.0
        Value the function approaches as ``x -> -inf`` is ``-alpha`` (finite, ``> 0``).
        Same default as torch.

    Returns
    -------
    numpy.ndarray of the same shape, dtype float64

    See Also
    --------
    torch.nn.functional.elu
    """
    alpha = _check_alpha(alpha)
    x = _input(x)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def elu_grad(x: ArrayLike, alpha: float = 1.0) -> np.ndarray:
    """Derivative of :func:`elu`: 1 where ``x > 0``, else ``alpha * exp(x)``.

    At ``x = 0`` it is ``alpha``, as in torch's autograd (equal to 1 for the default).

    Parameters
    ----------
    x : array_like of any shape
    alpha : float, default 1.0

    Returns
    -------
    numpy.ndarray of the same shape, dtype float64
    """
    alpha = _check_alpha(alpha)
    x = _input(x)
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))


# ---------------------------------------------------------------------------- softmax


def softmax(x: ArrayLike, axis: int = -1) -> np.ndarray:
    """The softmax ``exp(x_i) / sum_j exp(x_j)`` along ``axis``.

    Stable: the maximum along ``axis`` is subtracted first, which leaves the result unchanged
    (softmax is invariant to adding a constant) and makes every exponent ``<= 0``.

    Parameters
    ----------
    x : array_like with at least 1 dimension
        Scores (logits); e.g. shape (n_samples, n_classes) with ``axis=-1``.
    axis : int, default -1
        The axis to normalise along (``-x.ndim <= axis < x.ndim``).

    Returns
    -------
    numpy.ndarray of the same shape, dtype float64
        Non-negative values summing to 1 along ``axis``.

    See Also
    --------
    torch.softmax
    """
    x = as_array(x, "x")
    if x.ndim == 0:
        raise ValueError("`x` must have at least 1 dimension for softmax; got a scalar.")
    axis = _check_axis(axis, x.ndim)
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def softmax_jacobian(x: ArrayLike) -> np.ndarray:
    """The Jacobian of :func:`softmax` at one vector ``x``.

    ``J[i, j] = d y_i / d x_j = y_i * (delta_ij - y_j)``, i.e. ``diag(y) - y y^T`` with
    ``y = softmax(x)``. It is symmetric and each row sums to 0.

    Parameters
    ----------
    x : array_like of shape (k,)

    Returns
    -------
    numpy.ndarray of shape (k, k), dtype float64
    """
    x = as_array(x, "x", shape=("k",))
    y = softmax(x)
    return np.diag(y) - np.outer(y, y)


def softmax_backward(grad_output: ArrayLike, y: ArrayLike, axis: int = -1) -> np.ndarray:
    """Backward pass of :func:`softmax`: the vector-Jacobian product ``grad_output @ J``.

    Given the softmax *output* ``y`` (as torch's autograd stores it) and the gradient of a
    loss with respect to ``y``, returns the gradient with respect to the input:
    ``y * (grad_output - sum(grad_output * y, axis))``. This costs O(k) per vector instead of
    building the (k, k) Jacobian.

    Parameters
    ----------
    grad_output : array_like, same shape as ``y``
        Gradient of the loss with respect to the softmax output.
    y : array_like with at least 1 dimension
        The softmax output ``softmax(x, axis)``.
    axis : int, default -1
        The axis softmax was taken along.

    Returns
    -------
    numpy.ndarray of the same shape as ``y``, dtype float64
        Gradient of the loss with respect to ``x``.
    """
    y = as_array(y, "y")
    if y.ndim == 0:
        raise ValueError("`y` must have at least 1 dimension (a softmax output); got a scalar.")
    grad_output = as_array(grad_output, "grad_output", shape=y.shape)
    axis = _check_axis(axis, y.ndim)
    return y * (grad_output - np.sum(grad_output * y, axis=axis, keepdims=True))


# ----------------------------------------------------------------------------- maxout


def _maxout_inputs(x, weight, bias) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = as_array(x, "x", shape=("n_samples", "d"))
    weight = as_array(weight, "weight", shape=("k", x.shape[1], "m"))
    bias = as_array(bias, "bias", shape=weight.shape[:1] + weight.shape[2:])
    return x, weight, bias


def _maxout_pieces(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """The k linear pieces ``x @ weight[j] + bias[j]``, shape (n_samples, k, m)."""
    return np.einsum("nd,kdm->nkm", x, weight) + bias


def maxout(x: ArrayLike, weight: ArrayLike, bias: ArrayLike) -> np.ndarray:
    """A maxout layer: the maximum over ``k`` linear pieces.

    ``out[n, i] = max_j (x[n] @ weight[j, :, i] + bias[j, i])``. With one output (``m = 1``)
    and two pieces this is the slides' ``max(w1 . x + b1, w2 . x + b2)``; ReLU is the special
    case with pieces ``w . x + b`` and ``0``.

    Parameters
    ----------
    x : array_like of shape (n_samples, d)
        Inputs.
    weight : array_like of shape (k, d, m)
        ``weight[j]`` is the (d, m) weight matrix of piece ``j`` (``x @ weight[j]``).
    bias : array_like of shape (k, m)
        ``bias[j]`` is the bias of piece ``j``.

    Returns
    -------
    numpy.ndarray of shape (n_samples, m), dtype float64
    """
    x, weight, bias = _maxout_inputs(x, weight, bias)
    return _maxout_pieces(x, weight, bias).max(axis=1)


def maxout_grad(
    grad_output: ArrayLike, x: ArrayLike, weight: ArrayLike, bias: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward pass of :func:`maxout`: gradients with respect to ``x``, ``weight``, ``bias``.

    The gradient flows only through the winning piece of each output (like ReLU's gate). On
    a tie the first winning piece (lowest ``j``, as ``np.argmax``) receives it all.

    Parameters
    ----------
    grad_output : array_like of shape (n_samples, m)
        Gradient of the loss with respect to ``maxout(x, weight, bias)``.
    x : array_like of shape (n_samples, d)
    weight : array_like of shape (k, d, m)
    bias : array_like of shape (k, m)

    Returns
    -------
    grad_x : numpy.ndarray of shape (n_samples, d)
    grad_weight : numpy.ndarray of shape (k, d, m)
    grad_bias : numpy.ndarray of shape (k, m)
    """
    x, weight, bias = _maxout_inputs(x, weight, bias)
    k, _, m = weight.shape
    grad_output = as_array(grad_output, "grad_output", shape=(x.shape[0], m))
    winner = _maxout_pieces(x, weight, bias).argmax(axis=1)  # (n_samples, m)
    # Gradient with respect to each piece: grad_output where the piece won, else 0.
    grad_pieces = (np.arange(k)[None, :, None] == winner[:, None, :]) * grad_output[:, None, :]
    grad_x = np.einsum("nkm,kdm->nd", grad_pieces, weight)
    grad_weight = np.einsum("nd,nkm->kdm", x, grad_pieces)
    grad_bias = grad_pieces.sum(axis=0)
    return grad_x, grad_weight, grad_bias


# --------------------------------------------------------------------------- registry

ACTIVATIONS: dict[str, tuple[Callable[..., np.ndarray], Callable[..., np.ndarray]]] = {
    "identity": (identity, identity_grad),
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "relu": (relu, relu_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad),
    "elu": (elu, elu_grad),
}
"""Elementwise activations by name: ``name -> (function, derivative)``.

Both take ``x`` (and, for ``"leaky_relu"`` and ``"elu"``, an optional ``negative_slope`` or
``alpha``, default 0.1 and 1.0). Softmax and maxout are not elementwise and are not listed.
"""
