"""Argument checks shared by every public function of :mod:`dlcourse` (internal).

Errors name the argument and what was expected: :class:`TypeError` for the wrong kind of
object, :class:`ValueError` for a wrong value (shape, range). Each public function checks once.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np


def describe(x: Any) -> str:
    """A short description of ``x`` for error messages."""
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape} and dtype {x.dtype}"
    return type(x).__name__ if isinstance(x, (list, tuple)) else f"{type(x).__name__} {x!r}"


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
    keep_float32: bool = False,
) -> np.ndarray:
    """``x`` (array-like or torch tensor) as a checked float64 (``dtype=int``: int64) array.

    ``shape`` entries that are ints must match; a str (the axis's name in messages) or None
    matches any length. Rejects non-numbers (TypeError), a wrong ``ndim`` or shape, empty
    arrays unless ``allow_empty``, NaN/inf unless not ``finite``, and non-whole ints.
    ``keep_float32``: a float32 array stays float32 (not copied).
    """
    if x is None or isinstance(x, (str, bytes, dict, set)):
        raise TypeError(f"`{name}` must be a numeric array-like; got {describe(x)}.")
    if hasattr(x, "detach") and hasattr(x, "numpy"):  # a torch tensor
        x = x.detach().cpu().numpy()
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:  # ragged lists and the like
        raise ValueError(
            f"`{name}` must be a rectangular numeric array-like; could not convert it: {exc}"
        ) from None
    if arr.dtype == object or arr.dtype.kind in "USVOMm":
        raise TypeError(f"`{name}` must hold numbers; got {describe(x)}.")
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
            raise ValueError(f"`{name}` must be {expected}; got {describe(arr)}.")
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
    if not (keep_float32 and arr.dtype == np.float32):
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
    """A finite real number (not a bool) within ``[low, high]`` (or the open variant)."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        raise TypeError(f"`{name}` must be a real number; got {describe(x)}.")
    value = float(x)
    if not np.isfinite(value):
        raise ValueError(f"`{name}` must be finite; got {value}.")
    _check_bounds(value, name, low, high, low_inclusive, high_inclusive)
    return value


def check_int(x: Any, name: str, *, low: int | None = None, high: int | None = None) -> int:
    """An integer (not a bool, not a float) in ``[low, high]``."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Integral):
        raise TypeError(f"`{name}` must be an integer; got {describe(x)}.")
    value = int(x)
    _check_bounds(value, name, low, high, True, True)
    return value


def _check_bounds(value, name, low, high, low_inclusive, high_inclusive) -> None:
    too_low = low is not None and (value < low if low_inclusive else value <= low)
    too_high = high is not None and (value > high if high_inclusive else value >= high)
    if too_low or too_high:
        left, right = "[" if low_inclusive else "(", "]" if high_inclusive else ")"
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        raise ValueError(f"`{name}` must be in {left}{lo}, {hi}{right}; got {value:g}.")


def check_bool(x: Any, name: str) -> bool:
    """True or False (NumPy bools too)."""
    if not isinstance(x, (bool, np.bool_)):
        raise TypeError(f"`{name}` must be True or False; got {describe(x)}.")
    return bool(x)


def check_option(x: Any, name: str, options: Sequence[Any]) -> Any:
    """One of ``options``; the error lists them."""
    try:
        ok = x in options
    except TypeError:
        ok = False
    if not ok:
        listed = ", ".join(repr(o) for o in options)
        raise ValueError(f"`{name}` must be one of {listed}; got {x!r}.")
    return x


def check_pair(x: Any, name: str, low: int) -> tuple[int, int]:
    """An int or a pair ``(h, w)`` of ints, each at least ``low``, as a pair."""
    if isinstance(x, (tuple, list)):
        if len(x) != 2:
            raise ValueError(
                f"`{name}` must be an int or a pair (h, w) of ints; "
                f"got a {type(x).__name__} of length {len(x)}."
            )
        return (check_int(x[0], f"{name}[0]", low=low), check_int(x[1], f"{name}[1]", low=low))
    if isinstance(x, numbers.Integral) and not isinstance(x, (bool, np.bool_)):
        value = check_int(x, name, low=low)
        return (value, value)
    raise TypeError(f"`{name}` must be an int or a pair (h, w) of ints; got {describe(x)}.")


def check_callable(f: Any, name: str) -> Callable:
    """Something that can be called."""
    if not callable(f):
        raise TypeError(f"`{name}` must be callable (a function); got {describe(f)}.")
    return f


def check_rng(seed: Any, name: str = "seed") -> np.random.Generator:
    """A NumPy Generator from an integer seed >= 0 (a Generator passes through).

    Only explicit seeds are accepted, so that every random result in the course repeats.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(check_int(seed, name, low=0))


def as_array_with_axis(x: Any, axis: Any, what: str) -> tuple[np.ndarray, int]:
    """``x`` as an array of at least 1 dimension, and ``axis``, one of its axes, for ``what``."""
    x = as_array(x, "x")
    if x.ndim == 0:
        raise ValueError(f"`x` must have at least 1 dimension for {what}; got a scalar.")
    ndim, axis = x.ndim, check_int(axis, "axis")
    if not -ndim <= axis < ndim:
        raise ValueError(
            f"`axis` must be in [{-ndim}, {ndim - 1}] for an array with {ndim} "
            f"dimension{'s' if ndim != 1 else ''}; got {axis}."
        )
    return x, axis


def check_probability(p: Any, name: str = "p") -> float:
    """A dropout probability in ``[0, 1)``; ``p = 1`` (allowed by torch) is rejected."""
    if isinstance(p, (bool, np.bool_)) or not isinstance(p, numbers.Real):
        raise TypeError(f"`{name}` must be a real number in [0, 1); got {describe(p)}.")
    if p == 1:
        raise ValueError(
            f"`{name}` must be in [0, 1); got 1. With {name} = 1 every element is dropped and "
            "the output is all zeros: nothing could be learned (PyTorch allows it)."
        )
    return check_scalar(p, name, low=0.0, high=1.0, high_inclusive=False)


def check_ax(ax: Any) -> Any:
    """A matplotlib Axes (matplotlib is imported only here, when a drawing is asked for)."""
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise TypeError(f"`ax` must be a matplotlib Axes; got {type(ax).__name__}.")
    return ax
