"""Checkers for training in practice: batches, epochs and optimizer steps (chapter 8)."""

import math

import numpy as np

from ._core import CheckResult, _Failed, _rng_problem, check_function

# fmt: off


def _steps(n, b, drop_last=False):
    return n // b if drop_last else math.ceil(n / b)


def check_steps_per_epoch(candidate) -> CheckResult:
    """Check ``steps_per_epoch(n_samples, batch_size, drop_last=False)``: a DataLoader's length."""
    cases = [((n, b), {"drop_last": d}) for n, b, d in [(1000, 64, False), (1000, 100, False),
             (60_000, 128, False), (10, 32, False), (1, 1, False), (1000, 64, True),
             (1000, 100, True), (10, 32, True)]]
    return check_function(candidate, _steps, cases, name="steps_per_epoch", returns=int,
        hint="math.ceil(n_samples / batch_size): the last, smaller batch is a step too; with "
        "drop_last=True it is skipped: n_samples // batch_size.", mistakes=[
        (lambda n, b, drop_last=False: n // b, "The last, smaller batch is still a step."),
        (lambda n, b, drop_last=False: math.ceil(n / b), "drop_last: incomplete batch is skipped."),
        (lambda n, b, drop_last=False: n / b, "n / b is a float: a number of steps is whole."),
        (lambda n, b, drop_last=False: n // b + (not drop_last), "+ 1 adds an empty extra batch."),
    ])


def _batches(call, n, b, rng) -> list[np.ndarray]:
    got = call(n, b, rng)
    if isinstance(got, np.ndarray) and got.ndim == 1:
        raise _Failed(f"`minibatches({n}, {b}, rng)` returned one flat array, not a list of "
         f"batches.")
    try:
        batches = [np.asarray(batch) for batch in got]
    except TypeError:
        raise _Failed(f"`minibatches` should return a list of arrays; got {got!r}.") from None
    if any(batch.ndim != 1 or batch.dtype.kind not in "iu" for batch in batches):
        raise _Failed(f"`minibatches({n}, {b}, rng)`: each batch must hold integer indices.")
    return batches


def _epochs(call) -> str | None:
    for n, b in [(100, 16), (10, 3), (64, 64), (7, 7), (5, 10), (50, 1)]:
        batches = _batches(call, n, b, np.random.default_rng(3))
        sizes, want = [len(batch) for batch in batches], [b] * (n // b) + [n % b] * (n % b > 0)
        if sizes != want:
            return f"`minibatches({n}, {b}, rng)` gave batches of sizes {sizes}; expected {want}."
        if not np.array_equal(np.sort(np.concatenate(batches)), np.arange(n)):
            return f"`minibatches({n}, {b}, rng)` does not use every index exactly once."
        if n >= 4 * b >= 16 and np.array_equal(np.sort(batches[0]), np.arange(b)):
            return f"`minibatches({n}, {b}, rng)`: the first batch holds the first examples."
    return _rng_problem(lambda rng: np.concatenate(_batches(call, 100, 16, rng)), "order")


def check_minibatches(candidate) -> CheckResult:
    """Check ``minibatches(n_samples, batch_size, rng)``: shuffled index batches."""
    return check_function(candidate, None, [], name="minibatches", properties=[_epochs],
        hint="order = rng.permutation(n_samples); return [order[i:i + batch_size] for i in "
        "range(0, n_samples, batch_size)].")


def _nesterov(w, g, buffer, lr, momentum=0.9, *, nesterov=True):
    new = momentum * buffer + g
    return w - lr * (g + momentum * new if nesterov else new), new


def check_nesterov_step(candidate) -> CheckResult:
    """Check ``nesterov_step(w, grad, buffer, lr, momentum=0.9)`` -> ``(w, buffer)``."""
    rng = np.random.default_rng(21)
    w, g = np.array([1.0, -2.0]), np.array([0.5, 0.25])
    cases = [((w, g, np.array([1.0, -1.0]), 0.1), {}),
             ((w, g, np.zeros(2), 0.1), {"momentum": 0.9}),
             ((*rng.normal(size=(3, 3, 2)), 0.05), {"momentum": 0.5}),
             ((np.array(2.0), np.array(-1.0), np.array(0.5), 0.2), {"momentum": 0.0})]
    return check_function(candidate, _nesterov, cases, name="nesterov_step", atol=1e-10,
        hint="buffer = momentum * buffer + grad; then step along grad + momentum * buffer; "
        "return (w, buffer).", mistakes=[
        (lambda *a, **k: _nesterov(*a, **k, nesterov=False), "That is the ordinary momentum step."),
        (lambda *a, **k: _nesterov(*a, **k)[::-1], "The two results are swapped: (w, buffer)."),
        (lambda *a, **k: _nesterov(*a, **k)[0], "Return two values, (w, buffer)."),
        (lambda w, g, b, lr, momentum=0.9: (_nesterov(w, g, b, lr, momentum)[0], b),
         "Return the updated buffer, not the old one."),
        (lambda w, g, b, lr, momentum=0.9: _nesterov(w, g, b, lr),
         "You ignore the momentum argument."),
    ])
