"""Checkers for the exercises on dropout: inverted dropout, its backward pass, its scaling."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._core import CheckResult, _Failed, _floats, _rejected, check_function


def _masks(call, x, p, seed) -> np.ndarray:
    """The learner's dropout of ``x`` in training mode, checked to be an array like ``x``."""
    out = call(x, p, True, seed if isinstance(seed, np.random.Generator) else
               np.random.default_rng(seed))  # fmt: skip
    try:
        out = np.asarray(out, dtype=float)
    except (TypeError, ValueError):
        raise _Failed(f"`dropout` should return an array; got {type(out).__name__}.") from None
    if out.shape != x.shape:
        raise _Failed(f"for x of shape {x.shape}, `dropout` returned shape {out.shape}; "
                      "dropout keeps the shape of its input.")  # fmt: skip
    return out


def _drops_about_p(call) -> str | None:
    for p in (0.3, 0.5):
        out = _masks(call, np.ones((400, 250)), p, 0)
        zeros, tolerance = np.mean(out == 0), 6 * np.sqrt(p * (1 - p) / out.size) + 1e-3
        case = f"on an array of ones with p = {p:g}, {zeros:.1%} of the elements are zero"
        if np.any(out == 0) and np.any(out != 0) and len({r.tobytes() for r in out[:50]}) < 45:
            return (f"on an array of ones with p = {p:g}, many rows got the same mask: each "
                    "element needs its own random number, rng.random(x.shape).")  # fmt: skip
        if abs(zeros - (1 - p)) < tolerance < abs(zeros - p):
            return (f"{case}: you drop with probability 1 - p, but p is the probability of "
                    "DROPPING an element.")  # fmt: skip
        if abs(zeros - p) > tolerance:
            return f"{case}; about {p:.0%} should be (each dropped with probability p)."
        counts = np.sum(out == 0, axis=1)
        if not 0.6 < counts.var() / (250 * p * (1 - p)) < 1.4:
            return (f"on an array of ones with p = {p:g}, the number of dropped units per "
                    f"row varies with variance {counts.var():.3g}, but independent drops "
                    f"give {250 * p * (1 - p):.3g}: drop each unit on its own with "
                    "probability p, do not pick a fixed number of units to drop.")  # fmt: skip
        kept, scale = out[out != 0], 1 / (1 - p)
        if not np.allclose(kept, scale):
            named = {1.0: "not at all", 1 / p: "by 1 / p", 1 - p: "by 1 - p"}
            factor = next((v for k, v in named.items() if np.isclose(k, kept[0])), f"by {kept[0]:.4g}")
            return (f"with p = {p:g} you scale the kept elements {factor}; the right factor is "
                    f"1 / (1 - p) = {scale:.4g}, so that the mean stays the same.")  # fmt: skip
    return None


def _uses_rng(call) -> str | None:
    x = np.random.default_rng(3).normal(size=(60, 40))
    out = _masks(call, given := x.copy(), 0.25, 1)
    if not np.array_equal(given, x):
        return "your function changed its input x; return a new array (x * keep / (1 - p))."
    if not np.allclose(out[out != 0], x[out != 0] / 0.75):
        return "the kept elements should be x / (1 - p), each its own input value scaled."
    if not np.array_equal(out, _masks(call, x, 0.25, 1)):
        return ("two generators in the same state gave different masks: draw the random "
                "numbers from the `rng` argument, not from np.random.")  # fmt: skip
    if np.array_equal(out, _masks(call, x, 0.25, 2)):
        return "two different generators gave the same mask: draw it from `rng`."
    rng = np.random.default_rng(4)
    if np.array_equal(_masks(call, x, 0.25, rng), _masks(call, x, 0.25, rng)):
        return ("two calls with one generator gave the same mask; every step needs a fresh "
                "mask: draw from rng itself, not from a copy or a re-seeded generator.")  # fmt: skip
    return None


def check_dropout(candidate: Any) -> CheckResult:
    """Check ``dropout(x, p, training, rng)``, inverted dropout with a NumPy generator.

    The mask is random, so the check tests what holds for *any* correct mask: each element is
    dropped independently with probability ``p`` (so the count per row varies), the kept ones
    equal ``x / (1 - p)``, the randomness comes from ``rng``, and ``x`` is left unchanged;
    in evaluation mode, and for ``p = 0``, the output is ``x``.
    """
    x = np.random.default_rng(6).normal(size=(6, 5))
    cases = [(x, 0.5, False, np.random.default_rng(7)), (x, 0.2, False, np.random.default_rng(7)),
             (x, 0.0, True, np.random.default_rng(7))]  # fmt: skip
    mistakes = [
        (lambda x, p, training, rng: x * (rng.random(x.shape) >= p) / (1 - p), "In evaluation "
         "mode (training=False) dropout does nothing: return x."),
        (lambda x, p, training, rng: (1 - p) * x, "You multiply by 1 - p in evaluation mode: "
         "the test-time rule of the original dropout. Inverted dropout has already scaled in "
         "training, so evaluation mode returns x unchanged."),
    ]  # fmt: skip
    return check_function(
        candidate, lambda x, p, training, rng: x, cases,
        name="dropout", mistakes=mistakes, properties=[_drops_about_p, _uses_rng],
        hint="in training mode, keep = rng.random(x.shape) >= p (True with probability 1 - p) "
        "and return x * keep / (1 - p); when training is False, return x unchanged.",
        success="`dropout` drops each element with probability p, scales the others by "
        "1 / (1 - p) and is the identity in evaluation mode.",
    )  # fmt: skip


def check_dropout_backward(candidate: Any) -> CheckResult:
    """Check ``dropout_backward(grad_output, mask, p)``: ``grad_output * mask / (1 - p)``, with
    ``mask`` the boolean keep-mask of the forward pass (True = kept)."""
    rng = np.random.default_rng(11)
    cases = []
    for shape, p in (((2, 3), 0.5), ((5, 4), 0.2), ((3, 6), 0.75), ((4, 4), 0.0)):
        mask = rng.random(shape) >= p
        mask[0, 0], mask[-1, -1] = True, p == 0.0  # at least one kept, one dropped
        cases.append((np.round(rng.normal(size=shape), 2), mask, p))
    mistakes = [
        (lambda g, m, p: g * m, "You apply the mask but not the scale: the forward pass "
         "multiplied the kept elements by 1 / (1 - p), and so must the backward pass."),
        (lambda g, m, p: g / (1 - p), "You scale but forget the mask: a dropped unit gets no "
         "gradient."),
        (lambda g, m, p: g * ~m / (1 - p), "You pass the gradient to the DROPPED units; mask "
         "is True where kept."),
        (lambda g, m, p: g * m * (1 - p), "You multiply by 1 - p; the forward pass divided by "
         "it, so the backward pass divides too."),
        (lambda g, m, p: g * m / p, "You divide by p; the factor is 1 / (1 - p), one over the "
         "probability of KEEPING a unit."),
    ]  # fmt: skip
    return check_function(
        candidate, lambda g, m, p: g * m / (1 - p), cases, name="dropout_backward",
        mistakes=mistakes, atol=1e-10,
        hint="the forward pass computed out = x * mask / (1 - p), so d out / d x is "
        "mask / (1 - p) element by element: multiply grad_output by the same mask and scale.",
        success="`dropout_backward` sends the gradient through the kept units, scaled by "
        "1 / (1 - p), and none through the dropped ones.",
    )  # fmt: skip


def check_dropout_scale(p: Any, train_factor: Any, test_factor: Any) -> CheckResult:
    """Check the factors of the original dropout ``(1, 1 - p)`` or of inverted dropout
    ``(1 / (1 - p), 1)``: a kept unit's output is multiplied by ``train_factor`` in training and
    every unit's by ``test_factor`` at test time, so that the expectations agree."""
    numbers = _floats(p, train_factor, test_factor)
    if numbers is None or numbers.size != 3:
        return _rejected(f"`p`, `train_factor` and `test_factor` must be three numbers; got "
                         f"{p!r}, {train_factor!r}, {test_factor!r}.")  # fmt: skip
    p, train, test = numbers
    if not 0 < p < 1:
        return _rejected(f"p = {p:g}: a dropout rate is strictly between 0 and 1 (with p = 0 "
                         "nothing is dropped and nothing needs scaling); keep p = 0.2.")  # fmt: skip
    inverted, original = (1 / (1 - p), 1.0), (1.0, 1 - p)
    mistakes = [
        (lambda: (1.0, 1.0), "With no scaling at all, a unit's expected output in training is "
         "(1 - p) a but a at test time: the next layer gets larger inputs than it learned on."),
        (lambda: (1.0, p), "You scale by p, the probability of DROPPING; the expected output "
         "in training is (1 - p) a, so the test-time factor is the keep probability 1 - p."),
        (lambda: (1 / p, 1.0), "You divide by p; inverted dropout divides by the keep "
         "probability 1 - p."),
        (lambda: (1 - p, 1.0), "You multiply by 1 - p in training, which shrinks the "
         "expectation twice; inverted dropout DIVIDES by 1 - p."),
        (lambda: (train, (1 - p) * train), "Your pair keeps the expectations equal, but it is "
         "neither scheme: the original dropout does not scale in training (train_factor = 1), "
         "inverted dropout does not scale at test time (test_factor = 1)."),
    ]  # fmt: skip
    return check_function(
        lambda: (train, test), lambda: original if np.isclose(train, 1) else inverted, [()],
        name=f"(train_factor, test_factor) for p = {p:g}", mistakes=mistakes,
        hint="in training a unit survives with probability 1 - p, so its expected output is "
        "(1 - p) * train_factor * a; at test time it is test_factor * a. The original dropout "
        "keeps train_factor = 1, inverted dropout keeps test_factor = 1.",
        success=f"with p = {p:g}, (1 - p) x {train:g} = {test:g}: "
        + ("the original dropout of Srivastava et al." if np.isclose(train, 1) else
           "inverted dropout, as in PyTorch") + ", the same expected output in both modes.",
    )  # fmt: skip
