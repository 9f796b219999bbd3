"""Checkers for the exercises on training in practice: batches, epochs and optimizer steps."""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from ._core import CheckResult, _call, _compare, _failed, _passed, _show


def _steps_per_epoch(n_samples: int, batch_size: int, drop_last: bool = False) -> int:
    """Reference: how many mini-batches one pass over ``n_samples`` examples takes."""
    if drop_last:
        return n_samples // batch_size
    return math.ceil(n_samples / batch_size)


def check_steps_per_epoch(candidate: Any) -> CheckResult:
    """Check ``steps_per_epoch(n_samples, batch_size, drop_last=False)``.

    The answer must be ``ceil(n_samples / batch_size)``, the number of mini-batches a
    ``torch.utils.data.DataLoader`` yields per epoch, or ``n_samples // batch_size`` when the
    last, smaller batch is dropped (``drop_last=True``).
    """
    hint = (
        "one epoch visits every example once, batch_size at a time. If batch_size does not "
        "divide n_samples, the last batch is smaller but still a step, so round up: "
        "math.ceil(n_samples / batch_size), or (n_samples + batch_size - 1) // batch_size. "
        "With drop_last=True that last, incomplete batch is skipped: n_samples // batch_size."
    )
    cases = [
        (1000, 100, False),
        (1000, 64, False),
        (60_000, 128, False),
        (10, 32, False),
        (1, 1, False),
        (1000, 64, True),
        (1000, 100, True),
        (10, 32, True),
    ]
    try:
        if not callable(candidate):
            return _failed(
                f"`steps_per_epoch` should be a function; got {type(candidate).__name__}.", hint
            )
        for n, b, drop in cases:
            expected = _steps_per_epoch(n, b, drop)
            call = f"steps_per_epoch({n}, {b}, drop_last={drop})"
            ok, got = _call(candidate, (n, b), {"drop_last": drop})
            if not ok:
                return _failed(f"`{call}` raised {got}", hint)
            if got is None:
                return _failed(
                    f"`{call}` returned None. Did you forget the `return` statement?", hint
                )
            if isinstance(got, (bool, np.bool_)) or not isinstance(got, numbers.Real):
                return _failed(f"`{call}` should return a whole number; got {_show(got)}.", hint)
            if got != expected:
                if not float(got).is_integer():
                    problem = (
                        f"`{call}` returned {float(got):g}, but a number of steps is a whole "
                        f"number (expected {expected})."
                    )
                elif not drop and got == n // b:
                    problem = (
                        f"`{call}` returned {int(got)}, but the last {n % b} examples still "
                        f"make a (smaller) batch: expected {expected}."
                    )
                elif drop and got == math.ceil(n / b):
                    problem = (
                        f"`{call}` returned {int(got)}, but with drop_last=True the last, "
                        f"incomplete batch of {n % b} examples is skipped: expected {expected}."
                    )
                else:
                    problem = f"`{call}` returned {_show(got)}; expected {expected}."
                return _failed(problem, hint)
        return _passed(
            "`steps_per_epoch` counts the mini-batches of an epoch, with and without drop_last."
        )
    except Exception as exc:  # a checker must never stop the notebook
        return _failed(f"the check itself could not run ({type(exc).__name__}: {exc}).", hint)


def _minibatches(n_samples: int, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Reference: a fresh random order of the examples, cut into consecutive batches."""
    order = rng.permutation(n_samples)
    return [order[i : i + batch_size] for i in range(0, n_samples, batch_size)]


def _as_batches(got: Any) -> list[np.ndarray] | str:
    """The learner's batches as a list of 1-D integer arrays, or a description of the problem."""
    if got is None:
        return "returned None. Did you forget the `return` statement?"
    if isinstance(got, np.ndarray) and got.ndim == 1:
        return (
            "returned one flat array; expected a list of index arrays, one per mini-batch "
            "(cut the shuffled order into pieces of batch_size)."
        )
    try:
        batches = [np.asarray(b) for b in got]
    except TypeError:
        return f"should return a list of index arrays; got {type(got).__name__}."
    for k, batch in enumerate(batches):
        if batch.ndim != 1 or (batch.size and batch.dtype.kind not in "iu"):
            return (
                f"batch {k} should be a 1-D array of integer indices; got "
                f"{_show(batch)} (dtype {batch.dtype})."
            )
    return batches


def check_minibatches(candidate: Any) -> CheckResult:
    """Check ``minibatches(n_samples, batch_size, rng)``: the index batches of one epoch.

    The result must be a list of 1-D integer arrays: a random order of ``range(n_samples)``
    drawn from ``rng`` (so every example appears exactly once), cut into batches of
    ``batch_size`` with a smaller last batch if needed. Two calls with the same generator must
    give different orders (a fresh shuffle every epoch), and two generators with the same
    seed the same order (all randomness comes from ``rng``).
    """
    hint = (
        "order = rng.permutation(n_samples) shuffles the indices 0, ..., n_samples - 1; then "
        "[order[i:i + batch_size] for i in range(0, n_samples, batch_size)] cuts them into "
        "batches (the slice stops at the end by itself, so the last batch may be smaller)."
    )
    cases = [(100, 16), (10, 3), (64, 64), (7, 7), (5, 10), (50, 1)]
    try:
        if not callable(candidate):
            return _failed(
                f"`minibatches` should be a function; got {type(candidate).__name__}.", hint
            )
        for n, b in cases:
            call = f"minibatches({n}, {b}, rng)"
            ok, got = _call(candidate, (n, b, np.random.default_rng(3)), {})
            if not ok:
                return _failed(f"`{call}` raised {got}", hint)
            batches = _as_batches(got)
            if isinstance(batches, str):
                return _failed(f"`{call}` {batches}", hint)
            sizes = [len(batch) for batch in batches]
            want = [b] * (n // b) + ([n % b] if n % b else [])
            if sizes != want:
                return _failed(
                    f"`{call}` gave batches of sizes {sizes}; expected {want} "
                    f"({len(want)} batches of {b}, the last one holding what is left).",
                    hint,
                )
            everything = np.concatenate(batches) if batches else np.array([], dtype=int)
            if not np.array_equal(np.sort(everything), np.arange(n)):
                repeated = len(everything) - len(np.unique(everything))
                problem = (
                    f"`{call}` does not use every index 0, ..., {n - 1} exactly once"
                    + (f" ({repeated} repeated)" if repeated else "")
                    + ". An epoch visits each example once: shuffle with rng.permutation "
                    "rather than drawing indices with replacement."
                )
                return _failed(problem, hint)
            if n >= 10 and np.array_equal(everything, np.arange(n)):
                return _failed(
                    f"`{call}` keeps the examples in their original order 0, 1, 2, ...: "
                    "shuffle them first, or every epoch sees the same batches.",
                    hint,
                )
        # randomness: from `rng` only, and fresh at every call
        first = _as_batches(_call(candidate, (100, 16, np.random.default_rng(11)), {})[1])
        again = _as_batches(_call(candidate, (100, 16, np.random.default_rng(11)), {})[1])
        if isinstance(first, str) or isinstance(again, str):
            return _failed("`minibatches(100, 16, rng)` failed when called a second time.", hint)
        if not np.array_equal(np.concatenate(first), np.concatenate(again)):
            return _failed(
                "two generators made with the same seed gave different batches: draw the "
                "random order from the `rng` argument (rng.permutation), not from np.random "
                "or another generator, so that a run can be repeated.",
                hint,
            )
        rng = np.random.default_rng(12)
        epoch_1 = _as_batches(_call(candidate, (100, 16, rng), {})[1])
        epoch_2 = _as_batches(_call(candidate, (100, 16, rng), {})[1])
        if isinstance(epoch_1, str) or isinstance(epoch_2, str):
            return _failed("`minibatches(100, 16, rng)` failed when called a second time.", hint)
        if np.array_equal(np.concatenate(epoch_1), np.concatenate(epoch_2)):
            return _failed(
                "two calls with the same generator (two epochs) gave the same order: "
                "reshuffle at every call, for example by calling rng.permutation inside the "
                "function, not by re-seeding it.",
                hint,
            )
        return _passed(
            "`minibatches` shuffles the examples afresh and cuts them into mini-batches."
        )
    except Exception as exc:  # a checker must never stop the notebook
        return _failed(f"the check itself could not run ({type(exc).__name__}: {exc}).", hint)


def _nesterov_step(w, grad, buffer, lr, momentum=0.9):
    """Reference: one step of ``torch.optim.SGD(momentum=..., nesterov=True)``."""
    buffer = momentum * buffer + grad
    return w - lr * (grad + momentum * buffer), buffer


def _momentum_step(w, grad, buffer, lr, momentum=0.9):
    buffer = momentum * buffer + grad
    return w - lr * buffer, buffer


def check_nesterov_step(candidate: Any) -> CheckResult:
    """Check ``nesterov_step(w, grad, buffer, lr, momentum=0.9)``: one Nesterov momentum step.

    The rule is PyTorch's (``torch.optim.SGD(..., momentum=momentum, nesterov=True)``)::

        buffer = momentum * buffer + grad
        w = w - lr * (grad + momentum * buffer)

    and the function returns ``(w, buffer)``, both new. It is tested on single steps from
    given buffers and on runs of several steps from ``buffer = 0``.
    """
    hint = (
        "first update the buffer exactly as for momentum, buffer = momentum * buffer + grad; "
        "then step along grad + momentum * buffer (the gradient plus a look-ahead along the "
        "new buffer) instead of along the buffer alone, and return (w, buffer)."
    )
    rng = np.random.default_rng(21)
    single = [
        (np.array([1.0, -2.0]), np.array([0.5, 0.25]), np.array([0.0, 0.0]), 0.1, 0.9),
        (np.array([1.0, -2.0]), np.array([0.5, 0.25]), np.array([1.0, -1.0]), 0.1, 0.9),
        (rng.normal(size=(3, 2)), rng.normal(size=(3, 2)), rng.normal(size=(3, 2)), 0.05, 0.5),
        (np.array(2.0), np.array(-1.0), np.array(0.5), 0.2, 0.0),
    ]
    try:
        if not callable(candidate):
            return _failed(
                f"`nesterov_step` should be a function; got {type(candidate).__name__}.", hint
            )
        for w, g, b, lr, mu in single:
            call = f"nesterov_step({_show(w)}, {_show(g)}, {_show(b)}, lr={lr:g}, momentum={mu:g})"
            ok, got = _call(candidate, (w, g, b, lr), {"momentum": mu})
            if not ok:
                return _failed(f"`{call}` raised {got}", hint)
            expected = _nesterov_step(w, g, b, lr, mu)
            problem = _compare(got, expected, 1e-10)
            if problem:
                if _compare(got, _momentum_step(w, g, b, lr, mu), 1e-10) is None and mu != 0:
                    problem = (
                        "this is the ordinary momentum step w - lr * buffer; Nesterov's steps "
                        "along grad + momentum * buffer."
                    )
                elif (
                    isinstance(got, (tuple, list))
                    and len(got) == 2
                    and _compare((got[1], got[0]), expected, 1e-10) is None
                ):
                    problem = "the two results are swapped: return (w, buffer), in that order."
                return _failed(f"for `{call}`: {problem}", hint)
        # a run of several steps from a zero buffer, as torch does it
        w, buffer = rng.normal(size=4), np.zeros(4)
        ref_w, ref_buffer = w.copy(), buffer.copy()
        for step in range(1, 7):
            g = rng.normal(size=4) * 2.0**-step
            ok, got = _call(candidate, (w, g, buffer, 0.1), {"momentum": 0.9})
            ref_w, ref_buffer = _nesterov_step(ref_w, g, ref_buffer, 0.1, 0.9)
            if not ok:
                return _failed(f"at step {step} of a run, `nesterov_step` raised {got}", hint)
            problem = _compare(got, (ref_w, ref_buffer), 1e-10)
            if problem:
                return _failed(
                    f"at step {step} of a run from buffer = 0 (lr=0.1, momentum=0.9): {problem}",
                    hint,
                )
            w, buffer = (np.asarray(v, dtype=float) for v in got)
        return _passed("`nesterov_step` takes the same steps as torch.optim.SGD(nesterov=True).")
    except Exception as exc:  # a checker must never stop the notebook
        return _failed(f"the check itself could not run ({type(exc).__name__}: {exc}).", hint)
