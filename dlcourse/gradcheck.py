"""Gradient checking: compare an analytic gradient with central differences.

A backward pass is easy to get subtly wrong (a missing factor 2, a transposed matrix, a sum
over the wrong axis). The cure is to compare it with a *numerical* gradient, which needs
nothing but the function itself: nudge one entry of ``x`` by ``±eps`` and watch the output,

    df/dx_i ≈ (f(x + eps e_i) - f(x - eps e_i)) / (2 eps),

whose error shrinks like ``eps**2`` (against ``eps`` for the one-sided difference).

>>> import numpy as np
>>> from dlcourse.activations import tanh, tanh_grad
>>> from dlcourse.gradcheck import gradcheck
>>> x = np.array([-1.0, 0.5, 2.0])
>>> result = gradcheck(lambda x: np.sum(tanh(x)), x, tanh_grad(x))
>>> result.passed
True

It costs two evaluations of ``f`` per entry of ``x``, so check small examples.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._validation import _describe, as_array, check_callable, check_scalar

__all__ = ["GradcheckResult", "gradcheck", "numerical_gradient", "relative_error"]


def _scalar_output(value: Any) -> float:
    """The value returned by ``f`` as a float; it must be one finite real number."""
    if hasattr(value, "detach") and hasattr(value, "numpy"):  # a torch tensor
        value = value.detach().cpu().numpy()
    arr = np.asarray(value) if not isinstance(value, (str, bytes)) else None
    if arr is None or arr.dtype.kind not in "iuf":
        raise TypeError(f"`f` must return a real number; got {_describe(value)}.")
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
    """Gradient of a scalar function by central differences, one entry at a time.

    ``grad[i] = (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)``.

    If ``x`` is a float64 NumPy array, its entries are nudged **in place**, one at a time,
    and each is restored to its exact original value before the next (also if ``f`` raises).
    So ``f`` may ignore its argument and read ``x`` through something that shares it, such
    as ``lambda _: loss(model)`` with ``x = model.layers[0].weight.data``. Any other ``x``
    (a list, an integer or float32 array) is first copied to a float64 array.

    Parameters
    ----------
    f : callable
        ``f(x)`` returns one real number (a Python or NumPy scalar, or a 0-d array).
    x : array_like of any shape
        The point at which to differentiate.
    eps : float, default 1e-6
        The step (> 0). The truncation error is of order ``eps**2``; the rounding error of
        order ``1e-16 * |f| / eps``: about 1e-6 balances the two for float64.

    Returns
    -------
    numpy.ndarray of ``x``'s shape, dtype float64

    Raises
    ------
    TypeError
        If ``f`` is not callable or returns something that is not a number.
    ValueError
        If ``eps <= 0``, or ``f`` returns an array with a shape, NaN or infinity.
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


def relative_error(a: ArrayLike, b: ArrayLike) -> np.ndarray:
    """Elementwise relative error ``|a - b| / max(|a|, |b|)`` (0 where ``a == b``).

    Symmetric in ``a`` and ``b``, in [0, 2], and independent of the scale: multiplying both
    by 1000 does not change it. Take ``.max()`` for one number. For entries near 0 (where
    any difference looks large relatively), look at the absolute error ``|a - b|`` too.

    Parameters
    ----------
    a : array_like of any shape
    b : array_like of the same shape

    Returns
    -------
    numpy.ndarray of the same shape, dtype float64
        A 0-d array for scalar inputs.
    """
    a = as_array(a, "a", allow_empty=True)
    b = as_array(b, "b", allow_empty=True)
    if a.shape != b.shape:
        raise ValueError(f"`b` must have the same shape as `a`, {a.shape}; got shape {b.shape}.")
    diff = np.abs(a - b)
    scale = np.maximum(np.abs(a), np.abs(b))
    return np.divide(diff, scale, out=np.zeros_like(diff), where=scale > 0)


@dataclass(frozen=True)
class GradcheckResult:
    """The outcome of :func:`gradcheck`; true in an ``if`` or ``assert`` when it passed.

    Attributes
    ----------
    passed : bool
        Whether every entry satisfies ``|analytic - numerical| <= atol + rtol * |numerical|``.
    max_abs_error : float
        The largest ``|analytic - numerical|``.
    max_rel_error : float
        The largest :func:`relative_error` of the two.
    worst_index : tuple of int
        Index (into ``x``) of the entry furthest outside its tolerance, or, if all pass,
        closest to it: where to look first.
    n_failed : int
        Number of entries outside the tolerance.
    analytic, numerical : numpy.ndarray of ``x``'s shape
        The two gradients that were compared.
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

    An entry passes if ``|analytic - numerical| <= atol + rtol * |numerical|`` (as
    :func:`numpy.isclose`, with the numerical gradient as the reference).

    Parameters
    ----------
    f : callable
        ``f(x)`` returns one real number.
    x : array_like of any shape
        The point at which to check (nudged in place and restored if a float64 array; see
        :func:`numerical_gradient`).
    analytic_grad : array_like of ``x``'s shape, or callable
        The gradient to check, or a function returning it when called as ``analytic_grad(x)``
        (called once, before the numerical gradient).
    eps : float, default 1e-6
        Step of the central differences (> 0).
    atol : float, default 1e-5
        Absolute tolerance (>= 0).
    rtol : float, default 1e-3
        Relative tolerance (>= 0).

    Returns
    -------
    GradcheckResult
        ``passed``, ``max_abs_error``, ``max_rel_error``, ``worst_index`` (where), ``n_failed``
        and both gradients. ``print(result)`` gives a one-line summary.
    """
    check_callable(f, "f")
    eps = check_scalar(eps, "eps", low=0.0, low_inclusive=False)
    atol = check_scalar(atol, "atol", low=0.0)
    rtol = check_scalar(rtol, "rtol", low=0.0)
    x_shape = as_array(x, "x").shape
    if callable(analytic_grad):
        analytic_grad = analytic_grad(x)
    analytic = as_array(analytic_grad, "analytic_grad").copy()
    if analytic.shape != x_shape:
        raise ValueError(
            f"`analytic_grad` must have the shape of `x`, {x_shape}; got shape {analytic.shape}."
        )
    numerical = numerical_gradient(f, x, eps)

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
        max_rel_error=float(relative_error(analytic, numerical).max()),
        worst_index=tuple(int(i) for i in worst),
        n_failed=n_failed,
        analytic=analytic,
        numerical=numerical,
    )
