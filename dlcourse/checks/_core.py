"""The machinery behind every exercise checker: :class:`CheckResult` and :func:`check_function`."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class CheckResult:
    """The outcome of a check.

    Attributes
    ----------
    passed : bool
    message : str
        What the learner reads: what was tested, what went wrong, and a hint.
    """

    passed: bool
    message: str

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return self.message

    def _repr_html_(self) -> str:
        colour, border = ("#e8f5e9", "#009E73") if self.passed else ("#fff3e0", "#D55E00")
        body = html.escape(self.message).replace("\n", "<br>")
        return (
            f'<div class="dlcourse-check" style="background:{colour};border-left:4px solid '
            f'{border};padding:6px 10px;font-family:monospace;white-space:normal">'
            f"{body}</div>"
        )


def _passed(what: str) -> CheckResult:
    return CheckResult(True, f"✔ Correct: {what}")


def _failed(problem: str, hint: str | None) -> CheckResult:
    text = f"✘ Not yet: {problem}"
    if hint:
        text += f"\nHint: {hint}"
    return CheckResult(False, text)


def _show(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=4, separator=", ", threshold=12)
    if isinstance(value, (list, tuple)) and any(isinstance(v, np.ndarray) for v in value):
        # a list of weight matrices, say: the shapes tell more than the numbers
        inner = ", ".join(
            f"array of shape {v.shape}" if isinstance(v, np.ndarray) else _show(v) for v in value
        )
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    if isinstance(value, float):
        return f"{value:.6g}"
    return repr(value)


def _call(fn: Callable, args: Sequence, kwargs: dict) -> tuple[bool, Any]:
    """Call the learner's function on copies of the inputs (so it cannot spoil them)."""
    args = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    try:
        return True, fn(*args, **kwargs)
    except Exception as exc:  # the learner's bug, reported rather than raised
        return False, f"{type(exc).__name__}: {exc}"


def _compare(got: Any, expected: Any, atol: float) -> str | None:
    """Return None when ``got`` matches ``expected``, else a description of the mismatch."""
    if got is None:
        return "your function returned None. Did you forget the `return` statement?"
    if isinstance(expected, tuple):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            return f"expected {len(expected)} values (a tuple); got {_show(got)}."
        for i, (g, e) in enumerate(zip(got, expected)):
            problem = _compare(g, e, atol)
            if problem:
                return f"value {i} of the result: {problem}"
        return None
    try:
        got_arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return f"expected a number or an array of numbers; got {type(got).__name__}."
    expected_arr = np.asarray(expected, dtype=float)
    if got_arr.shape != expected_arr.shape:
        if got_arr.size == expected_arr.size:
            return (
                f"the values may be right but the shape is {got_arr.shape}; "
                f"expected {expected_arr.shape}."
            )
        return f"expected shape {expected_arr.shape}; got shape {got_arr.shape}."
    if not np.allclose(got_arr, expected_arr, atol=atol, rtol=1e-6, equal_nan=False):
        return f"expected {_show(expected)}; got {_show(got)}."
    return None


def _matches(got: Any, wrong: Callable, args: Sequence, kwargs: dict, atol: float) -> bool:
    """Whether ``got`` equals what ``wrong(*args, **kwargs)`` computes; never raises."""
    try:
        with np.errstate(all="ignore"):
            return _compare(got, wrong(*args, **kwargs), atol) is None
    except Exception:  # that mistake is impossible for these arguments
        return False


def check_function(
    candidate: Any,
    reference: Callable,
    cases: Sequence[tuple],
    *,
    name: str,
    hint: str | None = None,
    atol: float = 1e-8,
    success: str | None = None,
    mistakes: Sequence[tuple[Callable, str]] = (),
) -> CheckResult:
    """Compare ``candidate`` with ``reference`` on each case; never raises.

    Parameters
    ----------
    candidate : callable
        The learner's function.
    reference : callable
        A correct implementation.
    cases : sequence of tuple
        Positional arguments for each call. A case may also be ``(args, kwargs)`` with a tuple
        and a dict.
    name : str
        The function's name as the exercise calls it (used in messages).
    hint : str, optional
        Shown when a case fails.
    atol : float, default 1e-8
        Absolute tolerance for numbers.
    success : str, optional
        The message shown on success.
    mistakes : sequence of (callable, str), optional
        Known wrong answers: ``(wrong, explanation)`` pairs. When a wrong result equals what
        ``wrong`` computes for the same arguments, the explanation is added to the message,
        so the learner reads which mistake it was.

    Returns
    -------
    CheckResult
    """
    try:
        if not callable(candidate):
            return _failed(f"`{name}` should be a function; got {type(candidate).__name__}.", hint)
        for case in cases:
            if len(case) == 2 and isinstance(case[0], tuple) and isinstance(case[1], dict):
                args, kwargs = case
            else:
                args, kwargs = case, {}
            expected = reference(*args, **kwargs)
            ok, got = _call(candidate, args, kwargs)
            shown = ", ".join(_show(a) for a in args)
            if not ok:
                return _failed(f"`{name}({shown})` raised {got}", hint)
            problem = _compare(got, expected, atol)
            if problem:
                for wrong, explanation in mistakes:
                    if _matches(got, wrong, args, kwargs, atol):
                        problem += f"\n{explanation}"
                        break
                return _failed(f"for `{name}({shown})`: {problem}", hint)
        return _passed(success or f"`{name}` gives the right answer on {len(cases)} test cases.")
    except Exception as exc:  # a checker must never stop the notebook
        return _failed(f"the check itself could not run ({type(exc).__name__}: {exc}).", hint)


# -- chapter exercises ----------------------------------------------------------------------
