"""The one harness behind every exercise checker: :func:`check_function`."""

from __future__ import annotations

import contextlib
import copy
import html
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

Mistake = tuple[Callable[..., Any], str]  # (what the wrong code computes, what to tell)
Property = Callable[[Callable[..., Any]], "str | None"]  # call -> a problem, or None


@dataclass(frozen=True)
class CheckResult:
    """The outcome of a check: ``passed`` and the ``message`` the learner reads."""

    passed: bool
    message: str

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        return self.message

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour, border = ("#e8f5e9", "#009E73") if self.passed else ("#fff3e0", "#D55E00")
        body = html.escape(self.message).replace("\n", "<br>")
        return (
            f'<div class="dlcourse-check" style="background:{colour};border-left:4px solid '
            f'{border};padding:6px 10px;font-family:monospace;white-space:normal">'
            f"{body}</div>"
        )


@contextlib.contextmanager
def _quiet():
    """Silence NumPy's overflow warnings: the message reports the inf or nan instead."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


class _Failed(Exception):
    """The learner's function raised, or returned None, while a property was tested."""


def _show(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=4, separator=", ", threshold=12)
    if isinstance(value, (list, tuple)) and any(isinstance(v, np.ndarray) for v in value):
        inner = ", ".join(f"array of shape {v.shape}" if isinstance(v, np.ndarray) else _show(v)
                          for v in value)  # fmt: skip
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    if isinstance(value, np.random.Generator) or callable(value):
        return getattr(value, "__name__", "rng")
    return f"{value:.6g}" if isinstance(value, float) else repr(value)


def _shown(name: str, args: Sequence, kwargs: dict) -> str:
    if not args and not kwargs:
        return name
    shown = [_show(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return f"{name}({', '.join(shown)})"


def _call(fn: Callable, args: Sequence, kwargs: dict, name: str, none: bool = False) -> Any:
    """Call the learner's function quietly; a crash (or a None) becomes :class:`_Failed`."""
    try:
        with _quiet():
            got = fn(*args, **kwargs)
    except Exception as exc:  # the learner's bug, reported rather than raised
        raise _Failed(f"`{_shown(name, args, kwargs)}` raised {type(exc).__name__}: {exc}") from exc
    if got is None and not none:
        raise _Failed(f"`{_shown(name, args, kwargs)}` returned None. Did you forget `return`?")
    return got


def _is_int(value: Any) -> bool:
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "iu"
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _compare(got: Any, expected: Any, atol: float, rtol: float, returns: type | None) -> str | None:
    """None when ``got`` matches ``expected``, else a description of the difference."""
    if got is None and expected is not None:
        return "your function returned None. Did you forget the `return` statement?"
    if expected is None or got is None:
        return None if got is expected else f"expected None; got {_show(got)}."
    if isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            return f"expected {len(expected)} values (a tuple); got {_show(got)}."
        for i, (g, e) in enumerate(zip(got, expected)):
            problem = _compare(g, e, atol, rtol, returns)
            if problem:
                return f"value {i} of the result: {problem}"
        return None
    try:
        got_arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return f"expected a number or an array of numbers; got {type(got).__name__}."
    want = np.asarray(expected, dtype=float)
    if got_arr.shape != want.shape:
        same = " (the values may be right)" if got_arr.size == want.size else ""
        return f"expected shape {want.shape}; got shape {got_arr.shape}{same}."
    with _quiet():
        close = np.allclose(got_arr, want, atol=atol, rtol=rtol, equal_nan=True)
    if not close:
        if np.all(np.isfinite(want)) and not np.all(np.isfinite(got_arr)):
            return (
                f"your result contains nan or inf: {_show(got)}. np.exp overflows for large "
                "inputs, and np.log(0) is -inf."
            )
        return f"expected {_show(expected)}; got {_show(got)}."
    if returns is int and not _is_int(got):
        return f"expected a whole number (int); got {_show(got)} of type {type(got).__name__}."
    return None


def _explain(mistakes: Sequence[Mistake], runs: list, atol: float, rtol: float) -> str | None:
    """The explanation of the known mistake whose results equal the learner's on every case
    (where the learner's function crashed, the mistake must crash too)."""
    for wrong, explanation in mistakes:
        for args, kwargs, ok, got in runs:
            try:
                with _quiet():
                    value = wrong(*copy.deepcopy(args), **kwargs)
            except Exception:  # that mistake cannot happen for these arguments
                if ok:
                    break
                continue
            if not ok or _compare(got, value, atol, rtol, None) is not None:
                break
        else:
            if any(ok for *_, ok, _ in runs):
                return explanation
    return None


def check_function(
    candidate: Any,
    reference: Callable | None,
    cases: Sequence[tuple],
    *,
    name: str,
    hint: str | None = None,
    mistakes: Sequence[Mistake] = (),
    properties: Sequence[Property] = (),
    returns: type | None = None,
    atol: float = 1e-8,
    rtol: float = 1e-6,
    success: str | None = None,
) -> CheckResult:
    """Compare ``candidate`` with ``reference`` (None: ``properties`` only) on each case.

    A case is the positional arguments, or ``(args, kwargs)``; each call gets copies. When the
    learner's results equal what a known mistake ``(wrong, sentence)`` computes on every case,
    the sentence is added (test each one in ``tests/test_checks*.py``). ``properties`` run
    first, for what a reference cannot pin down: ``test(call)`` returns a problem or None.
    ``returns=int`` asks for whole numbers. Never raises: the :class:`CheckResult` starts
    with "✔ Correct" or "✘ Not yet" (then the ``hint``).
    """
    try:
        if not callable(candidate):
            raise _Failed(f"`{name}` should be a function; got {type(candidate).__name__}.")
        for test in properties:
            problem = test(lambda *a, **k: _call(candidate, a, k, name))
            if problem:
                raise _Failed(problem)
        runs, problems = [], []
        for case in cases:
            args, kwargs = case if len(case) == 2 and isinstance(case[1], dict) else (case, {})
            try:
                got = _call(candidate, copy.deepcopy(args), kwargs, name, none=True)
            except _Failed as exc:
                runs.append((args, kwargs, False, exc))
                problems.append(str(exc))
                continue
            runs.append((args, kwargs, True, got))
            with _quiet():
                problem = _compare(got, reference(*args, **kwargs), atol, rtol, returns)
            if problem:
                problems.append(f"for `{_shown(name, args, kwargs)}`: {problem}")
        if problems:
            explanation = _explain(mistakes, runs, atol, rtol)
            if explanation:  # show a wrong value rather than a crash
                shown = [p for p in problems if p.startswith("for `")] or problems
                raise _Failed(f"{shown[0]}\n{explanation}")
            raise _Failed(problems[0])
        return CheckResult(True, f"✔ Correct: {success or f'`{name}` passes every test.'}")
    except _Failed as exc:
        return _rejected(str(exc), hint)
    except Exception as exc:  # a checker must never stop the notebook
        return _rejected(f"the check itself could not run ({type(exc).__name__}: {exc}).", hint)


def _named(name: str, f: Callable) -> Callable:
    """``f``, shown as ``name`` in messages."""
    f.__name__ = name
    return f


def _floats(*values: Any) -> np.ndarray | None:
    """Numbers the learner chose (weights, factors) as one flat float array; None if not numbers."""
    try:
        return np.concatenate([np.asarray(v, dtype=float).ravel() for v in values])
    except (TypeError, ValueError):
        return None


def _rejected(problem: str, hint: str | None = None) -> CheckResult:
    return CheckResult(False, f"✘ Not yet: {problem}" + (f"\nHint: {hint}" if hint else ""))


def _rotation(angle: float) -> np.ndarray:
    """The 2-D rotation by ``angle`` radians."""
    return np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])


def _rng_problem(draw: Callable, what: str) -> str | None:
    """What is wrong with how ``draw(rng)`` (the learner's code) uses its Generator, or None."""
    if not np.array_equal(draw(np.random.default_rng(1)), draw(np.random.default_rng(1))):
        return f"two generators with the same seed gave different {what}s: use the `rng` argument."
    if np.array_equal(draw(np.random.default_rng(1)), draw(np.random.default_rng(2))):
        return f"two different generators gave the same {what}: draw it from `rng`."
    rng = np.random.default_rng(3)
    if np.array_equal(draw(rng), draw(rng)):
        return (f"two calls with one generator gave the same {what}: draw from rng itself, not "
                "from a copy or a re-seeded generator.")  # fmt: skip
    return None
