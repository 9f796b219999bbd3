"""Loss functions in NumPy, as ``torch.nn.functional``'s, each next to its gradient.

``name_grad(input, target)`` is the gradient of ``name`` with respect to ``input`` (for
``reduction="none"``, of ``loss.sum()``). ``reduction`` is ``"mean"`` (default), ``"sum"``
(a float) or ``"none"`` (one loss per element, per sample for :func:`cross_entropy`).
``input`` and ``target`` must have the same shape (torch would broadcast).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_array, as_array_with_axis, check_option
from .activations import sigmoid

__all__ = [
    "REDUCTIONS", "binary_cross_entropy", "binary_cross_entropy_with_logits",
    "binary_cross_entropy_with_logits_grad", "cross_entropy", "cross_entropy_grad", "log_softmax",
    "mse_loss", "mse_loss_grad"
]  # fmt: skip

Reduction = Literal["none", "mean", "sum"]
REDUCTIONS: tuple[str, ...] = ("none", "mean", "sum")
"""The allowed values of ``reduction``, as in torch."""


def _pair(input: ArrayLike, target: ArrayLike, reduction: str) -> tuple[np.ndarray, np.ndarray]:
    check_option(reduction, "reduction", REDUCTIONS)
    input, target = as_array(input, "input"), as_array(target, "target")
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
    """Apply ``reduction``; ``"mean"`` divides the sum by ``n`` (default: the size)."""
    if reduction == "none":
        return np.asarray(loss)
    total = float(np.sum(loss))
    return total if reduction == "sum" else total / (loss.size if n is None else n)


def _reduce_grad(grad: np.ndarray, reduction: str, n: int | None = None) -> np.ndarray:
    """The gradient of the reduced loss, from the per-element derivatives ``grad``."""
    if reduction == "mean":
        grad = grad / (np.size(grad) if n is None else n)
    return np.asarray(grad)


def mse_loss(
    input: ArrayLike, target: ArrayLike, *, reduction: Reduction = "mean"
) -> float | np.ndarray:
    """Mean squared error ``(input - target)**2``, reduced; as torch's ``mse_loss``."""
    input, target = _pair(input, target, reduction)
    return _reduce((input - target) ** 2, reduction)


def mse_loss_grad(
    input: ArrayLike, target: ArrayLike, *, reduction: Reduction = "mean"
) -> np.ndarray:
    """``2 (input - target)``, divided by the number of elements for ``"mean"``."""
    input, target = _pair(input, target, reduction)
    return _reduce_grad(2.0 * (input - target), reduction)


def binary_cross_entropy(
    input: ArrayLike, target: ArrayLike, *, reduction: Reduction = "mean"
) -> float | np.ndarray:
    """``-[t log(x) + (1 - t) log(1 - x)]``, each log clamped at -100 as in torch."""
    x, t = _pair(input, target, reduction)
    _check_probabilities(x, "input")
    _check_probabilities(t, "target")
    with np.errstate(divide="ignore"):  # log(0) = -inf, then clamped to -100
        log_x = np.maximum(np.log(x), -100.0)
        log_1mx = np.maximum(np.log1p(-x), -100.0)
    return _reduce(-(t * log_x + (1.0 - t) * log_1mx), reduction)


def binary_cross_entropy_with_logits(
    input: ArrayLike, target: ArrayLike, *, reduction: Reduction = "mean"
) -> float | np.ndarray:
    """Binary cross-entropy of ``sigmoid(x)``: ``max(x, 0) - x t + log(1 + exp(-|x|))``."""
    x, t = _pair(input, target, reduction)
    _check_probabilities(t, "target")
    return _reduce(np.maximum(x, 0.0) - x * t + np.log1p(np.exp(-np.abs(x))), reduction)


def binary_cross_entropy_with_logits_grad(
    input: ArrayLike, target: ArrayLike, *, reduction: Reduction = "mean"
) -> np.ndarray:
    """``sigmoid(x) - t``, divided by the number of elements for ``"mean"``."""
    x, t = _pair(input, target, reduction)
    _check_probabilities(t, "target")
    return _reduce_grad(sigmoid(x) - t, reduction)


def log_softmax(x: ArrayLike, axis: int = -1) -> np.ndarray:
    """``x - logsumexp(x)`` along ``axis``, with ``logsumexp(x) = m + log(sum(exp(x - m)))``."""
    x, axis = as_array_with_axis(x, axis, "log_softmax")
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def _cross_entropy_inputs(input, target, reduction) -> tuple[np.ndarray, np.ndarray, int]:
    """Logits (..., C), target probabilities ``q`` of the same shape, and N for the mean."""
    check_option(reduction, "reduction", REDUCTIONS)
    x = as_array(input, "input", ndim=(1, 2))
    n_classes, n = x.shape[-1], (x.shape[0] if x.ndim == 2 else 1)
    t = as_array(target, "target")
    if t.shape == x.shape:  # class probabilities
        _check_probabilities(t, "target")
        return x, t, n
    if t.shape != x.shape[:-1]:
        expected = f"({n}, {n_classes}) or ({n},)" if x.ndim == 2 else f"({n_classes},) or ()"
        raise ValueError(
            f"`target` must hold class indices of shape {x.shape[:-1]} or class probabilities "
            f"of shape {x.shape} to match `input`, i.e. {expected}; got shape {t.shape}."
        )
    labels = as_array(target, "target", dtype=int, allow_empty=True)
    bad = (labels < 0) | (labels >= n_classes)
    if np.any(bad):
        raise ValueError(
            f"`target` must hold class indices in [0, {n_classes - 1}] for `input` with "
            f"{n_classes} classes; got {labels[bad].flat[0]}."
        )
    q = np.zeros_like(x)
    np.put_along_axis(q, labels[..., None], 1.0, axis=-1)  # one-hot
    return x, q, n


def cross_entropy(
    input: ArrayLike, target: ArrayLike, *, reduction: Reduction = "mean"
) -> float | np.ndarray:
    """Cross-entropy ``-sum_c q_c log softmax(x)_c`` of logits and targets; as torch's.

    Parameters
    ----------
    input : array_like of shape (N, C) or (C,)
        Logits of N samples (or one) over C classes.
    target : array_like of shape (N,) or (N, C); () or (C,) for an unbatched ``input``
        Class indices in ``[0, C)`` (then ``q`` is one-hot and the loss ``-log p[target]``),
        or class probabilities ``q`` of ``input``'s shape.
    reduction : {"mean", "sum", "none"}, default "mean"
        ``"mean"`` divides the sum of the N per-sample losses by N.

    Returns
    -------
    float, or numpy.ndarray of shape (N,) for ``reduction="none"``
    """
    x, q, n = _cross_entropy_inputs(input, target, reduction)
    return _reduce(-np.sum(q * log_softmax(x, axis=-1), axis=-1), reduction, n)


def cross_entropy_grad(
    input: ArrayLike, target: ArrayLike, *, reduction: Reduction = "mean"
) -> np.ndarray:
    """``softmax(x) sum(q) - q`` per sample (``softmax(x) - q`` when ``q`` sums to 1), / N."""
    x, q, n = _cross_entropy_inputs(input, target, reduction)
    p = np.exp(log_softmax(x, axis=-1))
    return _reduce_grad(p * np.sum(q, axis=-1, keepdims=True) - q, reduction, n)
