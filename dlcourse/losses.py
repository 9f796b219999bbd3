"""Loss functions and their gradients, in NumPy, with the names and results of PyTorch.

Each loss ``name(input, target, ...)`` sits next to ``name_grad(input, target, ...)``, the
gradient of the loss with respect to ``input``: the first step of every backward pass. The
names, argument names, reductions and values are those of ``torch.nn.functional``, so that
a chapter can compute a loss here and check it against PyTorch line by line.

>>> import numpy as np
>>> from dlcourse.losses import cross_entropy, cross_entropy_grad
>>> logits = np.array([[2.0, 0.5, -1.0], [0.0, 0.0, 3.0]])   # (N=2 samples, C=3 classes)
>>> labels = np.array([0, 2])
>>> round(cross_entropy(logits, labels), 6)           # mean of -log softmax(logits)[label]
0.168117
>>> cross_entropy_grad(logits, labels).round(3)       # (softmax(logits) - onehot(labels)) / N
array([[-0.107,  0.088,  0.02 ],
       [ 0.023,  0.023, -0.045]])

Conventions
-----------
* ``reduction`` is ``"mean"`` (the default, as in torch), ``"sum"`` or ``"none"``. With
  ``"mean"`` or ``"sum"`` the loss is a Python ``float``; with ``"none"`` it is an array with
  one loss per element (per sample for :func:`cross_entropy`).
* ``reduction`` and ``label_smoothing`` are **keyword-only**: in torch the third positional
  argument is ``weight`` (or ``size_average``), so a positional call could mean different
  things here and there.
* A gradient function returns an array of ``input``'s shape: the gradient of the reduced
  loss. For ``reduction="none"`` it is the gradient of ``loss.sum()`` (the backward pass with
  an upstream gradient of ones); multiply it by an upstream gradient ``g`` elementwise (for
  :func:`cross_entropy_grad`, row by row: ``g[:, None] * grad``) for any other.
* ``input`` and ``target`` must have the same shape (torch would broadcast with a warning);
  NaN and infinite values are rejected with a :class:`ValueError` naming the argument.
* Every function is stable for logits up to ``|x| = 1e4`` and beyond: no overflow, no
  ``RuntimeWarning``, no NaN (``exp`` is only taken of non-positive numbers).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_array, check_option, check_scalar
from .activations import _check_axis, sigmoid

__all__ = [
    "REDUCTIONS",
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "binary_cross_entropy_with_logits",
    "binary_cross_entropy_with_logits_grad",
    "cross_entropy",
    "cross_entropy_grad",
    "log_softmax",
    "log_softmax_backward",
    "mse_loss",
    "mse_loss_grad",
]

Reduction = Literal["none", "mean", "sum"]

REDUCTIONS: tuple[str, ...] = ("none", "mean", "sum")
"""The allowed values of ``reduction``, as in torch."""

_LOG_CLAMP = -100.0
"""torch's binary cross-entropy clamps each ``log`` at -100, so the loss stays finite."""

_BCE_GRAD_EPS = float(np.float32(1e-12))
"""torch's floor for ``x (1 - x)`` in the BCE gradient: the C++ float constant ``1e-12f``."""


# ------------------------------------------------------------------------ helpers


def _check_reduction(reduction: str) -> str:
    return check_option(reduction, "reduction", REDUCTIONS)


def _pair(input: ArrayLike, target: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """``input`` and ``target`` as float64 arrays of the same (any) shape."""
    input = as_array(input, "input")
    target = as_array(target, "target")
    if target.shape != input.shape:
        raise ValueError(
            f"`target` must have the same shape as `input`, {input.shape}; got shape "
            f"{target.shape}."
        )
    return input, target


def _check_probabilities(p: np.ndarray, name: str) -> None:
    if not np.all((p >= 0.0) & (p <= 1.0)):
        bad = p[(p < 0.0) | (p > 1.0)][0]
        raise ValueError(f"`{name}` must hold probabilities in [0, 1]; got {bad:g}.")


def _reduce(loss: np.ndarray, reduction: str, n: int | None = None) -> float | np.ndarray:
    """Apply ``reduction`` to per-element losses; ``"mean"`` divides by ``n`` (default: size)."""
    if reduction == "none":
        return np.asarray(loss)
    total = float(np.sum(loss))
    return total if reduction == "sum" else total / (loss.size if n is None else n)


def _reduce_grad(grad: np.ndarray, reduction: str, n: int | None = None) -> np.ndarray:
    """The gradient of the reduced loss from the per-element derivatives ``grad``."""
    if reduction == "mean":
        grad = grad / (np.size(grad) if n is None else n)
    return np.asarray(grad)  # NumPy turns 0-d results into scalars


# ---------------------------------------------------------------------------- MSE


def mse_loss(
    input: ArrayLike, target: ArrayLike, *, reduction: Reduction = "mean"
) -> float | np.ndarray:
    """Mean squared error: ``(input - target)**2``, reduced.

    Parameters
    ----------
    input : array_like of any shape
        Predictions.
    target : array_like of the same shape
        Targets.
    reduction : {"mean", "sum", "none"}, default "mean"
        ``"mean"``: average over all elements; ``"sum"``: their sum; ``"none"``: no reduction.

    Returns
    -------
    float, or numpy.ndarray of ``input``'s shape for ``reduction="none"``

    See Also
    --------
    torch.nn.functional.mse_loss
    """
    reduction = _check_reduction(reduction)
    input, target = _pair(input, target)
    return _reduce((input - target) ** 2, reduction)


def mse_loss_grad(
    input: ArrayLike, target: ArrayLike, *, reduction: Reduction = "mean"
) -> np.ndarray:
    """Gradient of :func:`mse_loss` with respect to ``input``: ``2 (input - target)``, reduced.

    For ``reduction="mean"`` it is divided by the number of elements ``N``.

    Parameters
    ----------
    input : array_like of any shape
    target : array_like of the same shape
    reduction : {"mean", "sum", "none"}, default "mean"

    Returns
    -------
    numpy.ndarray of ``input``'s shape, dtype float64
    """
    reduction = _check_reduction(reduction)
    input, target = _pair(input, target)
    return _reduce_grad(2.0 * (input - target), reduction)


# ------------------------------------------------------------- binary cross-entropy


def _bce_inputs(input, target, weight) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    input, target = _pair(input, target)
    _check_probabilities(input, "input")
    _check_probabilities(target, "target")
    if weight is not None:
        weight = as_array(weight, "weight")
        try:
            weight = np.broadcast_to(weight, input.shape)
        except ValueError:
            raise ValueError(
                f"`weight` must be broadcastable to the shape of `input`, {input.shape}; got "
                f"shape {weight.shape}."
            ) from None
    return input, target, weight


def binary_cross_entropy(
    input: ArrayLike,
    target: ArrayLike,
    weight: ArrayLike | None = None,
    *,
    reduction: Reduction = "mean",
) -> float | np.ndarray:
    """Binary cross-entropy between predicted probabilities and targets.

    ``-w [t log(x) + (1 - t) log(1 - x)]`` for each element, where each logarithm is clamped
    at -100 exactly as torch does (so a confident wrong prediction, ``x = 0`` with ``t = 1``,
    costs 100 and not infinity). ``log(1 - x)`` is computed as ``log1p(-x)``, as in torch.

    Prefer :func:`binary_cross_entropy_with_logits` when the probabilities come from a
    sigmoid: it is exact where this one clamps.

    Parameters
    ----------
    input : array_like of any shape
        Predicted probabilities ``x`` in [0, 1].
    target : array_like of the same shape
        Target probabilities ``t`` in [0, 1] (usually labels 0 or 1).
    weight : array_like, optional
        Weight ``w`` of each element's loss, broadcastable to ``input``'s shape.
    reduction : {"mean", "sum", "none"}, default "mean"

    Returns
    -------
    float, or numpy.ndarray of ``input``'s shape for ``reduction="none"``

    See Also
    --------
    torch.nn.functional.binary_cross_entropy
    """
    reduction = _check_reduction(reduction)
    x, t, w = _bce_inputs(input, target, weight)
    with np.errstate(divide="ignore"):  # log(0) = -inf, then clamped to -100
        log_x = np.maximum(np.log(x), _LOG_CLAMP)
        log_1mx = np.maximum(np.log1p(-x), _LOG_CLAMP)
    loss = -(t * log_x + (1.0 - t) * log_1mx)
    return _reduce(loss if w is None else w * loss, reduction)


def binary_cross_entropy_grad(
    input: ArrayLike,
    target: ArrayLike,
    weight: ArrayLike | None = None,
    *,
    reduction: Reduction = "mean",
) -> np.ndarray:
    """Gradient of :func:`binary_cross_entropy` with respect to ``input``.

    The derivative of ``-[t log x + (1 - t) log(1 - x)]`` is ``(x - t) / (x (1 - x))``. As in
    torch's autograd, the denominator is floored at ``1e-12`` (so the gradient is large but
    finite at ``x = 0`` or ``1``) and the clamp of the logarithms is ignored. Multiplied by
    ``weight``, and divided by the number of elements for ``reduction="mean"``.

    Parameters
    ----------
    input : array_like of any shape
        Predicted probabilities in [0, 1].
    target : array_like of the same shape
        Target probabilities in [0, 1].
    weight : array_like, optional
        Broadcastable to ``input``'s shape.
    reduction : {"mean", "sum", "none"}, default "mean"

    Returns
    -------
    numpy.ndarray of ``input``'s shape, dtype float64
    """
    reduction = _check_reduction(reduction)
    x, t, w = _bce_inputs(input, target, weight)
    grad = (x - t) / np.maximum(x * (1.0 - x), _BCE_GRAD_EPS)
    return _reduce_grad(grad if w is None else w * grad, reduction)


def binary_cross_entropy_with_logits(
    input: ArrayLike, target: ArrayLike, *, reduction: Reduction = "mean"
) -> float | np.ndarray:
    """Binary cross-entropy of ``sigmoid(input)`` and ``target``, computed from the logits.

    ``-[t log sigmoid(x) + (1 - t) log(1 - sigmoid(x))]`` simplifies to
    ``max(x, 0) - x t + log(1 + exp(-|x|))``, which never overflows and never takes the
    logarithm of 0: exact for any logit, where :func:`binary_cross_entropy` of
    ``sigmoid(x)`` has to clamp.

    Parameters
    ----------
    input : array_like of any shape
        Logits ``x`` (any real numbers).
    target : array_like of the same shape
        Target probabilities ``t`` in [0, 1] (torch does not check this range).
    reduction : {"mean", "sum", "none"}, default "mean"

    Returns
    -------
    float, or numpy.ndarray of ``input``'s shape for ``reduction="none"``

    See Also
    --------
    torch.nn.functional.binary_cross_entropy_with_logits
    """
    reduction = _check_reduction(reduction)
    x, t = _pair(input, target)
    _check_probabilities(t, "target")
    loss = np.maximum(x, 0.0) - x * t + np.log1p(np.exp(-np.abs(x)))
    return _reduce(loss, reduction)


def binary_cross_entropy_with_logits_grad(
    input: ArrayLike, target: ArrayLike, *, reduction: Reduction = "mean"
) -> np.ndarray:
    """Gradient of :func:`binary_cross_entropy_with_logits` w.r.t. ``input``: ``sigmoid(x) - t``.

    Divided by the number of elements for ``reduction="mean"``.

    Parameters
    ----------
    input : array_like of any shape
        Logits.
    target : array_like of the same shape
        Target probabilities in [0, 1].
    reduction : {"mean", "sum", "none"}, default "mean"

    Returns
    -------
    numpy.ndarray of ``input``'s shape, dtype float64
    """
    reduction = _check_reduction(reduction)
    x, t = _pair(input, target)
    _check_probabilities(t, "target")
    return _reduce_grad(sigmoid(x) - t, reduction)


# ----------------------------------------------------------------------- log-softmax


def log_softmax(x: ArrayLike, axis: int = -1) -> np.ndarray:
    """The logarithm of the softmax along ``axis``: ``x - logsumexp(x)``.

    Stable: ``logsumexp(x) = m + log(sum(exp(x - m)))`` with ``m = max(x)``, so every exponent
    is ``<= 0`` and the sum is at least 1 (its logarithm is never ``-inf``).

    Parameters
    ----------
    x : array_like with at least 1 dimension
        Scores (logits), e.g. of shape (n_samples, n_classes) with ``axis=-1``.
    axis : int, default -1
        The axis to normalise along (torch calls it ``dim``).

    Returns
    -------
    numpy.ndarray of the same shape, dtype float64
        Values ``<= 0``; their ``exp`` sums to 1 along ``axis``.

    See Also
    --------
    torch.nn.functional.log_softmax
    """
    x = as_array(x, "x")
    if x.ndim == 0:
        raise ValueError("`x` must have at least 1 dimension for log_softmax; got a scalar.")
    axis = _check_axis(axis, x.ndim)
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def log_softmax_backward(grad_output: ArrayLike, y: ArrayLike, axis: int = -1) -> np.ndarray:
    """Backward pass of :func:`log_softmax`: ``grad_output - exp(y) * sum(grad_output, axis)``.

    Given the *output* ``y = log_softmax(x, axis)`` and the gradient of a loss with respect to
    it, returns the gradient with respect to ``x`` (``exp(y)`` is ``softmax(x)``).

    Parameters
    ----------
    grad_output : array_like, same shape as ``y``
    y : array_like with at least 1 dimension
        The log-softmax output.
    axis : int, default -1

    Returns
    -------
    numpy.ndarray of ``y``'s shape, dtype float64
    """
    y = as_array(y, "y")
    if y.ndim == 0:
        raise ValueError("`y` must have at least 1 dimension (a log_softmax output); got a scalar.")
    grad_output = as_array(grad_output, "grad_output", shape=y.shape)
    axis = _check_axis(axis, y.ndim)
    return grad_output - np.exp(y) * np.sum(grad_output, axis=axis, keepdims=True)


# --------------------------------------------------------------------- cross-entropy


def _cross_entropy_inputs(
    input: ArrayLike, target: ArrayLike, label_smoothing: float
) -> tuple[np.ndarray, np.ndarray, int]:
    """Logits (..., C), smoothed target probabilities of the same shape, and N for the mean."""
    label_smoothing = check_scalar(label_smoothing, "label_smoothing", low=0.0, high=1.0)
    x = as_array(input, "input", ndim=(1, 2))
    n_classes = x.shape[-1]
    n = x.shape[0] if x.ndim == 2 else 1
    t = as_array(target, "target")
    if t.shape == x.shape:  # class probabilities
        _check_probabilities(t, "target")
        q = t
    elif t.shape == x.shape[:-1]:  # class indices
        labels = as_array(target, "target", dtype=int, allow_empty=True)
        bad = (labels < 0) | (labels >= n_classes)
        if np.any(bad):
            raise ValueError(
                f"`target` must hold class indices in [0, {n_classes - 1}] for `input` with "
                f"{n_classes} classes; got {labels[bad].flat[0]}."
            )
        q = np.zeros_like(x)
        np.put_along_axis(q, labels[..., None], 1.0, axis=-1)  # one-hot
    else:
        expected = f"({n}, {n_classes}) or ({n},)" if x.ndim == 2 else f"({n_classes},) or ()"
        raise ValueError(
            f"`target` must hold class indices of shape {x.shape[:-1]} or class probabilities "
            f"of shape {x.shape} to match `input`, i.e. {expected}; got shape {t.shape}."
        )
    if label_smoothing > 0.0:
        q = (1.0 - label_smoothing) * q + label_smoothing / n_classes
    return x, q, n


def cross_entropy(
    input: ArrayLike,
    target: ArrayLike,
    *,
    reduction: Reduction = "mean",
    label_smoothing: float = 0.0,
) -> float | np.ndarray:
    """Cross-entropy between the softmax of logits and target classes: ``-sum_c q_c log p_c``.

    ``log p = log_softmax(input)`` is computed stably with log-sum-exp; ``q`` is the one-hot
    vector of the target class (then the loss is ``-log p[target]``) or the given class
    probabilities. With ``label_smoothing = e``, ``q`` becomes ``(1 - e) q + e / C``.

    Parameters
    ----------
    input : array_like of shape (N, C) or (C,)
        Logits: N samples (or one, unbatched) and C classes.
    target : array_like of shape (N,) or (N, C); () or (C,) for an unbatched ``input``
        Class indices in ``[0, C)`` (whole numbers), or class probabilities in [0, 1] of
        ``input``'s shape (each row usually summing to 1; not checked, as in torch).
    reduction : {"mean", "sum", "none"}, default "mean"
        ``"mean"`` divides the sum of the N per-sample losses by N.
    label_smoothing : float, default 0.0
        In [0, 1].

    Returns
    -------
    float, or numpy.ndarray of shape (N,) (or ()) for ``reduction="none"``

    See Also
    --------
    torch.nn.functional.cross_entropy : also has ``weight`` and ``ignore_index``, not
        supported here (a negative class index is an error, not "ignored").
    """
    reduction = _check_reduction(reduction)
    x, q, n = _cross_entropy_inputs(input, target, label_smoothing)
    loss = -np.sum(q * log_softmax(x, axis=-1), axis=-1)
    return _reduce(loss, reduction, n)


def cross_entropy_grad(
    input: ArrayLike,
    target: ArrayLike,
    *,
    reduction: Reduction = "mean",
    label_smoothing: float = 0.0,
) -> np.ndarray:
    """Gradient of :func:`cross_entropy` with respect to the logits ``input``.

    For each sample, ``softmax(x) * sum(q) - q``, which is the familiar ``softmax(x) - q``
    when the target probabilities ``q`` sum to 1 (always so for class indices, where ``q`` is
    one-hot, with or without label smoothing). Divided by N for ``reduction="mean"``.

    Parameters
    ----------
    input : array_like of shape (N, C) or (C,)
    target : array_like of shape (N,) or (N, C); () or (C,) for an unbatched ``input``
    reduction : {"mean", "sum", "none"}, default "mean"
    label_smoothing : float, default 0.0

    Returns
    -------
    numpy.ndarray of ``input``'s shape, dtype float64
    """
    reduction = _check_reduction(reduction)
    x, q, n = _cross_entropy_inputs(input, target, label_smoothing)
    p = np.exp(log_softmax(x, axis=-1))  # softmax
    return _reduce_grad(p * np.sum(q, axis=-1, keepdims=True) - q, reduction, n)
