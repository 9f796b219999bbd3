"""Gradient checking: compare an analytic gradient with central differences.

``df/dx_i ≈ (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)``, with an error of order ``eps**2``,
costs two evaluations of ``f`` per entry of ``x``: check small examples.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_array, check_callable, check_scalar, describe

__all__ = ["GradcheckResult", "gradcheck", "numerical_gradient"]


def _scalar_output(value: Any) -> float:
    """``f``'s value as a float; it must be one finite real number."""
    if hasattr(value, "detach") and hasattr(value, "numpy"):  # a torch tensor
        value = value.detach().cpu().numpy()
    arr = np.asarray(value) if not isinstance(value, (str, bytes)) else None
    if arr is None or arr.dtype.kind not in "iuf":
        raise TypeError(f"`f` must return a real number; got {describe(value)}.")
    if arr.ndim != 0:
        raise ValueError(
            f"`f` must return a scalar (one number, such as a loss); got an array of shape "
            f"{arr.shape}. Reduce it, e.g. with np.sum."
        )
    result = float(arr)
    if not np.isfinite(result):
        raise ValueError(f"`f` returned {result}; expected a finite number.")
    return result


def numerical_gradient(
    f: Callable[[np.ndarray], Any], x: ArrayLike, eps: float = 1e-6
) -> np.ndarray:
    """``grad[i] = (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)``, an array of ``x``'s shape.

    A float64 array ``x`` is nudged **in place** and restored exactly (also if ``f`` raises),
    so ``f`` may read ``x`` through something that shares it (``lambda _: loss(model)`` with
    ``x = layer.weight.data``); any other ``x`` is copied. ``eps`` about 1e-6 balances the
    truncation error (``eps**2``) and the rounding error (``1e-16 |f| / eps``) in float64.
    """
    check_callable(f, "f")
    eps = check_scalar(eps, "eps", low=0.0, low_inclusive=False)
    if not (isinstance(x, np.ndarray) and x.dtype == np.float64):
        x = as_array(x, "x").copy()
    else:
        as_array(x, "x")  # only checks: finite and not empty
    grad = np.empty_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        try:
            x[i] = old + eps
            f_plus = _scalar_output(f(x))
            x[i] = old - eps
            f_minus = _scalar_output(f(x))
        finally:
            x[i] = old
        grad[i] = (f_plus - f_minus) / (2.0 * eps)
    return grad


def _relative_error(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``|a - b| / max(|a|, |b|)`` elementwise (0 where both are 0)."""
    diff, scale = np.abs(a - b), np.maximum(np.abs(a), np.abs(b))
    return np.divide(diff, scale, out=np.zeros_like(diff), where=scale > 0)


@dataclass(frozen=True)
class GradcheckResult:
    """The outcome of :func:`gradcheck`; true in an ``if`` or ``assert`` when it passed.

    ``worst_index`` is the entry furthest outside (or closest to) its tolerance, where to look
    first; ``max_rel_error`` is the largest ``|a - n| / max(|a|, |n|)``.
    """

    passed: bool
    max_abs_error: float
    max_rel_error: float
    worst_index: tuple[int, ...]
    n_failed: int
    analytic: np.ndarray = field(repr=False)
    numerical: np.ndarray = field(repr=False)

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        i = self.worst_index
        entries = "entry" if self.n_failed == 1 else "entries"
        verdict = "passed" if self.passed else f"FAILED at {self.n_failed} {entries}"
        return (
            f"gradcheck {verdict}: max abs error {self.max_abs_error:.3g}, max relative error "
            f"{self.max_rel_error:.3g}; worst entry {i}: analytic {self.analytic[i]:.10g}, "
            f"numerical {self.numerical[i]:.10g}"
        )


def gradcheck(
    f: Callable[[np.ndarray], Any],
    x: ArrayLike,
    analytic_grad: ArrayLike | Callable[[np.ndarray], ArrayLike],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> GradcheckResult:
    """Compare an analytic gradient of ``f`` at ``x`` with :func:`numerical_gradient`.

    An entry passes if ``|analytic - numerical| <= atol + rtol * |numerical|``.

    Parameters
    ----------
    f : callable
        ``f(x)`` returns one real number.
    x : array_like of any shape
        The point at which to check.
    analytic_grad : array_like of ``x``'s shape, or callable
        The gradient to check, or a function called once as ``analytic_grad(x)``.
    eps : float, default 1e-6
        Step of the central differences (> 0).
    atol, rtol : float, default 1e-5 and 1e-3
        Absolute and relative tolerances (>= 0).

    Returns
    -------
    GradcheckResult
        ``print(result)`` gives a one-line summary.
    """
    atol = check_scalar(atol, "atol", low=0.0)
    rtol = check_scalar(rtol, "rtol", low=0.0)
    numerical = numerical_gradient(f, x, eps)  # checks f, x and eps
    x_shape = numerical.shape
    if callable(analytic_grad):
        analytic_grad = analytic_grad(x)
    analytic = as_array(analytic_grad, "analytic_grad").copy()
    if analytic.shape != x_shape:
        raise ValueError(
            f"`analytic_grad` must have the shape of `x`, {x_shape}; got shape {analytic.shape}."
        )

    abs_error = np.abs(analytic - numerical)
    tolerance = atol + rtol * np.abs(numerical)
    # How far each entry is outside (> 1) or inside (<= 1) its tolerance.
    ratio = np.divide(
        abs_error, tolerance, out=np.where(abs_error > 0, np.inf, 0.0), where=tolerance > 0
    )
    worst = np.unravel_index(np.argmax(ratio), x_shape)
    n_failed = int(np.sum(abs_error > tolerance))
    return GradcheckResult(
        passed=n_failed == 0,
        max_abs_error=float(abs_error.max()),
        max_rel_error=float(_relative_error(analytic, numerical).max()),
        worst_index=tuple(int(i) for i in worst),
        n_failed=n_failed,
        analytic=analytic,
        numerical=numerical,
    )
