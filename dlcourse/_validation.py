"""Argument checking shared by every public function of :mod:`dlcourse`.

A learner who passes the wrong thing should read *which* argument was wrong and *what was
expected*, never a bare NumPy traceback from deep inside a helper. Every public function
validates its inputs with these few functions, which raise :class:`TypeError` for the wrong
kind of object and :class:`ValueError` for the right kind with a wrong value (shape, range).
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

__all__ = [
    "as_array",
    "check_callable",
    "check_int",
    "check_option",
    "check_rng",
    "check_scalar",
]


def _describe(x: Any) -> str:
    """A short description of ``x`` for error messages."""
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape} and dtype {x.dtype}"
    return f"{type(x).__name__} {x!r}" if not isinstance(x, (list, tuple)) else type(x).__name__


def _shape_text(shape: Sequence[int | str | None]) -> str:
    parts = ["n" if s is None else str(s) for s in shape]
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


def as_array(
    x: Any,
    name: str,
    *,
    ndim: int | tuple[int, ...] | None = None,
    shape: Sequence[int | str | None] | None = None,
    dtype: type = float,
    allow_empty: bool = False,
    finite: bool = True,
) -> np.ndarray:
    """Convert ``x`` to a NumPy array and check it, naming ``name`` in any error.

    Parameters
    ----------
    x : array_like
        The value passed by the caller.
    name : str
        The argument's name, as the caller wrote it (``"X"``, ``"weight"``).
    ndim : int or tuple of int, optional
        Allowed numbers of dimensions.
    shape : sequence of int, str or None, optional
        Expected shape. An ``int`` must match exactly; a ``str`` or ``None`` matches any
        length (a ``str`` names the dimension in the error message, e.g. ``"n_samples"``).
        Implies ``ndim=len(shape)``.
    dtype : type, default float
        ``float`` or ``int``: the array is converted to ``float64`` or ``int64``.
        For ``int``, values that are not whole numbers are rejected.
    allow_empty : bool, default False
        Whether an array with no elements is acceptable.
    finite : bool, default True
        Reject NaN and infinite values.

    Returns
    -------
    numpy.ndarray
        A new or existing array of the requested dtype.

    Raises
    ------
    TypeError
        If ``x`` is not numeric array-like (strings, ``None``, objects, booleans only).
    ValueError
        If the shape is wrong, the array is empty, or values are not finite.
    """
    if x is None or isinstance(x, (str, bytes, dict, set)):
        raise TypeError(f"`{name}` must be a numeric array-like; got {_describe(x)}.")
    if hasattr(x, "detach") and hasattr(x, "numpy"):  # a torch tensor
        x = x.detach().cpu().numpy()
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:  # ragged lists and the like
        raise ValueError(
            f"`{name}` must be a rectangular numeric array-like; could not convert it: {exc}"
        ) from None
    if arr.dtype == object or arr.dtype.kind in "USVOMm":
        raise TypeError(f"`{name}` must hold numbers; got {_describe(x)}.")
    if arr.dtype.kind == "c":
        raise TypeError(f"`{name}` must hold real numbers; got complex values.")

    if shape is not None:
        ndim = len(shape)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            if shape is not None:
                expected = f"a {len(shape)}-D array of shape {_shape_text(shape)}"
            else:
                expected = " or ".join(f"{d}-D" for d in allowed) + " array"
                expected = ("an " if expected[0] == "8" else "a ") + expected
            raise ValueError(f"`{name}` must be {expected}; got {_describe(arr)}.")
    if shape is not None:
        for axis, (want, got) in enumerate(zip(shape, arr.shape)):
            if isinstance(want, int) and want != got:
                raise ValueError(
                    f"`{name}` must have shape {_shape_text(shape)}; got shape {arr.shape} "
                    f"(axis {axis} has length {got}, expected {want})."
                )
    if not allow_empty and arr.size == 0:
        raise ValueError(f"`{name}` is empty; expected at least one value (got shape {arr.shape}).")

    if dtype is int:
        if arr.dtype.kind == "f":
            if finite and not np.all(np.isfinite(arr)):
                raise ValueError(f"`{name}` contains NaN or infinite values.")
            if not np.all(arr == np.round(arr)):
                raise ValueError(f"`{name}` must hold whole numbers; got non-integer values.")
        return arr.astype(np.int64, copy=False)
    if dtype is not float:
        raise TypeError(f"`dtype` must be float or int; got {dtype!r}.")
    arr = arr.astype(np.float64, copy=False)
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(f"`{name}` contains NaN or infinite values; expected finite numbers.")
    return arr


def check_scalar(
    x: Any,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
) -> float:
    """Check that ``x`` is a finite real number within the given bounds; return it as float.

    Raises
    ------
    TypeError
        If ``x`` is not a real number (``bool`` is rejected too).
    ValueError
        If ``x`` is NaN, infinite or outside ``[low, high]`` (or the open variant).
    """
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        raise TypeError(f"`{name}` must be a real number; got {_describe(x)}.")
    value = float(x)
    if not np.isfinite(value):
        raise ValueError(f"`{name}` must be finite; got {value}.")
    _check_bounds(value, name, low, high, low_inclusive, high_inclusive)
    return value


def check_int(
    x: Any,
    name: str,
    *,
    low: int | None = None,
    high: int | None = None,
) -> int:
    """Check that ``x`` is an integer (not a bool, not a float) in ``[low, high]``."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Integral):
        raise TypeError(f"`{name}` must be an integer; got {_describe(x)}.")
    value = int(x)
    _check_bounds(value, name, low, high, True, True)
    return value


def _check_bounds(value, name, low, high, low_inclusive, high_inclusive) -> None:
    too_low = low is not None and (value < low if low_inclusive else value <= low)
    too_high = high is not None and (value > high if high_inclusive else value >= high)
    if too_low or too_high:
        left = "[" if low_inclusive else "("
        right = "]" if high_inclusive else ")"
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        raise ValueError(f"`{name}` must be in {left}{lo}, {hi}{right}; got {value:g}.")


def check_option(x: Any, name: str, options: Sequence[Any]) -> Any:
    """Check that ``x`` is one of ``options``; the error lists them."""
    try:
        ok = x in options
    except TypeError:
        ok = False
    if not ok:
        listed = ", ".join(repr(o) for o in options)
        raise ValueError(f"`{name}` must be one of {listed}; got {x!r}.")
    return x


def check_callable(f: Any, name: str) -> Callable:
    """Check that ``f`` can be called."""
    if not callable(f):
        raise TypeError(f"`{name}` must be callable (a function); got {_describe(f)}.")
    return f


def check_rng(seed: Any, name: str = "seed") -> np.random.Generator:
    """Return a NumPy Generator from an integer seed (or pass a Generator through).

    Only explicit seeds are accepted, so that every random result in the course repeats.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    seed = check_int(seed, name, low=0)
    return np.random.default_rng(seed)
