"""Checkers for training in practice: batches, epochs and optimizer steps (chapter 8)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._core import CheckResult, _Failed, check_function


def _steps(n, b, drop_last=False):
    return n // b if drop_last else math.ceil(n / b)


def check_steps_per_epoch(candidate: Any) -> CheckResult:
    """Check ``steps_per_epoch(n_samples, batch_size, drop_last=False)``: the number of
    mini-batches a ``DataLoader`` yields per epoch, an int."""
    cases = [((n, b), {"drop_last": d}) for n, b, d in [
        (1000, 64, False), (1000, 100, False), (60_000, 128, False), (10, 32, False),
        (1, 1, False), (1000, 64, True), (1000, 100, True), (10, 32, True)]]  # fmt: skip
    mistakes = [
        (lambda n, b, drop_last=False: n // b, "The last, smaller batch is still a step: "
         "round up, unless drop_last is True."),
        (lambda n, b, drop_last=False: math.ceil(n / b), "With drop_last=True the last, "
         "incomplete batch is skipped: n_samples // batch_size."),
        (lambda n, b, drop_last=False: n / b, "A number of steps is a whole number: n / b is "
         "a float; round up with math.ceil (or down with // for drop_last)."),
        (lambda n, b, drop_last=False: n // b + (not drop_last), "n // b + 1 counts an "
         "empty extra batch when batch_size divides n_samples: use math.ceil(n / b)."),
    ]  # fmt: skip
    return check_function(
        candidate, _steps, cases, name="steps_per_epoch", mistakes=mistakes, returns=int,
        hint="one epoch visits every example once, batch_size at a time. If batch_size does "
        "not divide n_samples, the last batch is smaller but still a step: "
        "math.ceil(n_samples / batch_size). With drop_last=True it is skipped: "
        "n_samples // batch_size.",
        success="`steps_per_epoch` counts the mini-batches of an epoch, with and without "
        "drop_last.",
    )  # fmt: skip


def _batches(call, n, b, rng) -> list[np.ndarray]:
    got = call(n, b, rng)
    if isinstance(got, np.ndarray) and got.ndim == 1:
        raise _Failed(f"`minibatches({n}, {b}, rng)` returned one flat array; expected a list "
                      "of index arrays, one per mini-batch.")  # fmt: skip
    try:
        batches = [np.asarray(batch) for batch in got]
    except TypeError:
        raise _Failed(f"`minibatches` should return a list of arrays; got {got!r}.") from None
    if any(batch.ndim != 1 or batch.dtype.kind not in "iu" for batch in batches):
        raise _Failed(f"`minibatches({n}, {b}, rng)`: every batch should be a 1-D array of "
                      "integer indices.")  # fmt: skip
    return batches


def _epochs(call) -> str | None:
    for n, b in [(100, 16), (10, 3), (64, 64), (7, 7), (5, 10), (50, 1)]:
        batches = _batches(call, n, b, np.random.default_rng(3))
        sizes, want = [len(batch) for batch in batches], [b] * (n // b) + [n % b] * (n % b > 0)
        if sizes != want:
            return (f"`minibatches({n}, {b}, rng)` gave batches of sizes {sizes}; expected "
                    f"{want}: batches of batch_size, the last one holding what is left.")  # fmt: skip
        order = np.concatenate(batches)
        if not np.array_equal(np.sort(order), np.arange(n)):
            return (f"`minibatches({n}, {b}, rng)` does not use every index exactly once: "
                    "shuffle with rng.permutation, do not draw with replacement.")  # fmt: skip
        if n >= 4 * b >= 16 and np.array_equal(np.sort(batches[0]), np.arange(b)):
            return (f"`minibatches({n}, {b}, rng)`: the first batch holds the first examples: "
                    "shuffle all the indices before cutting them into batches.")  # fmt: skip
    first, again = (np.concatenate(_batches(call, 100, 16, np.random.default_rng(11)))
                    for _ in range(2))  # fmt: skip
    if not np.array_equal(first, again):
        return ("two generators with the same seed gave different batches: draw the order "
                "from the `rng` argument (rng.permutation), not from np.random.")  # fmt: skip
    if np.array_equal(first, np.concatenate(_batches(call, 100, 16, np.random.default_rng(12)))):
        return "two different generators gave the same order: draw it from `rng`."
    rng = np.random.default_rng(13)
    if np.array_equal(*(np.concatenate(_batches(call, 100, 16, rng)) for _ in range(2))):
        return ("two calls with one generator (two epochs) gave the same order: reshuffle at "
                "every call, from rng itself, not from a copy or a re-seeded generator.")  # fmt: skip
    return None


def check_minibatches(candidate: Any) -> CheckResult:
    """Check ``minibatches(n_samples, batch_size, rng)``: a random order of the indices drawn
    from ``rng`` (fresh at each call), cut into batches of ``batch_size`` (the last may be
    smaller), as a list of 1-D integer arrays."""
    return check_function(
        candidate, None, [], name="minibatches", properties=[_epochs],
        hint="order = rng.permutation(n_samples) shuffles the indices; then "
        "[order[i:i + batch_size] for i in range(0, n_samples, batch_size)] cuts them into "
        "batches (the last one may be smaller).",
        success="`minibatches` shuffles the examples afresh and cuts them into mini-batches.",
    )  # fmt: skip


def _nesterov(w, g, buffer, lr, momentum=0.9, *, nesterov=True):
    new = momentum * buffer + g
    direction = g + momentum * new if nesterov else new
    return w - lr * direction, new


def check_nesterov_step(candidate: Any) -> CheckResult:
    """Check ``nesterov_step(w, grad, buffer, lr, momentum=0.9)`` -> ``(w, buffer)``: one step of
    ``torch.optim.SGD(momentum=momentum, nesterov=True)``: ``buffer = momentum * buffer + grad``,
    then ``w = w - lr * (grad + momentum * buffer)``."""
    rng = np.random.default_rng(21)
    cases = [
        ((np.array([1.0, -2.0]), np.array([0.5, 0.25]), np.array([1.0, -1.0]), 0.1), {}),
        ((np.array([1.0, -2.0]), np.array([0.5, 0.25]), np.zeros(2), 0.1), {"momentum": 0.9}),
        ((*rng.normal(size=(3, 3, 2)), 0.05), {"momentum": 0.5}),
        ((np.array(2.0), np.array(-1.0), np.array(0.5), 0.2), {"momentum": 0.0}),
    ]
    mistakes = [
        (lambda *a, **k: _nesterov(*a, **k, nesterov=False), "That is the ordinary momentum "
         "step w - lr * buffer; Nesterov's steps along grad + momentum * buffer."),
        (lambda *a, **k: _nesterov(*a, **k)[::-1], "The two results are swapped: return "
         "(w, buffer), in that order."),
        (lambda *a, **k: _nesterov(*a, **k)[0], "Return two values, (w, buffer)."),
        (lambda w, g, b, lr, momentum=0.9: (_nesterov(w, g, b, lr, momentum)[0], b), "Return "
         "the updated buffer, momentum * buffer + grad, not the old one."),
        (lambda w, g, b, lr, momentum=0.9: _nesterov(w, g, b, lr), "You ignore the momentum "
         "argument: use it instead of 0.9."),
    ]  # fmt: skip
    return check_function(
        candidate, _nesterov, cases, name="nesterov_step", mistakes=mistakes, atol=1e-10,
        hint="first update the buffer exactly as for momentum, buffer = momentum * buffer + "
        "grad; then step along grad + momentum * buffer (the gradient plus a look-ahead along "
        "the new buffer) instead of along the buffer alone, and return (w, buffer).",
        success="`nesterov_step` takes the same steps as torch.optim.SGD(nesterov=True).",
    )  # fmt: skip
