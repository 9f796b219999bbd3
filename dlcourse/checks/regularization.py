"""Checkers for the exercises on dropout: inverted dropout, its backward pass, its scaling."""

import numpy as np

from ._core import CheckResult, _Failed, _floats, _rejected, _rng_problem, check_function

# fmt: off


def _dropped(call, x, p, rng) -> np.ndarray:
    """The learner's dropout of ``x`` in training mode, as an array of the shape of ``x``."""
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    out = call(x, p, True, rng)
    try:
        out = np.asarray(out, dtype=float)
    except (TypeError, ValueError):
        raise _Failed(f"`dropout` should return an array; got {type(out).__name__}.") from None
    if out.shape != x.shape:
        raise _Failed(f"`dropout` returned shape {out.shape} for x of shape {x.shape}.")
    return out


def _drops_each_with_probability_p(call) -> str | None:
    for p in (0.3, 0.5):
        out = _dropped(call, np.ones((400, 250)), p, 0)
        zeros, tolerance = np.mean(out == 0), 6 * np.sqrt(p * (1 - p) / out.size) + 1e-3
        case = f"on an array of ones with p = {p:g}"
        if np.any(out == 0) and np.any(out != 0) and len({r.tobytes() for r in out[:50]}) < 45:
            return f"{case}, many rows got the same mask: draw rng.random(x.shape)."
        if abs(zeros - (1 - p)) < tolerance < abs(zeros - p):
            return f"{case}, {zeros:.1%} are zero: you drop with probability 1 - p, not p."
        if abs(zeros - p) > tolerance:
            return f"{case}, {zeros:.1%} are zero; about {p:.0%} should be."
        counts = np.sum(out == 0, axis=1)
        if not 0.6 < counts.var() / (250 * p * (1 - p)) < 1.4:
            return (f"{case}, the count of dropped units per row has variance {counts.var():.3g}, "
                    f"not {250 * p * (1 - p):.3g}: drop each unit on its own with probability p; "
                    "do not pick a fixed number of units to drop.")
        kept = out[out != 0]
        if not np.allclose(kept, 1 / (1 - p)):
            named = {1.0: "not at all", 1 / p: "by 1 / p", 1 - p: "by 1 - p"}
            how = next((v for k, v in named.items() if np.isclose(k, kept[0])), f"by {kept[0]:.4g}")
            return f"{case}, you scale the kept elements {how}; the factor is 1 / (1 - p)."
    return None


def _draws_from_rng(call) -> str | None:
    x = np.random.default_rng(3).normal(size=(60, 40))
    out = _dropped(call, given := x.copy(), 0.25, 1)
    if not np.array_equal(given, x):
        return "your function changed its input x; return a new array."
    if not np.allclose(out[out != 0], x[out != 0] / 0.75):
        return "the kept elements should be x / (1 - p), each its own input value scaled."
    return _rng_problem(lambda rng: _dropped(call, x, 0.25, rng), "mask")


def check_dropout(candidate) -> CheckResult:
    """Check inverted ``dropout(x, p, training, rng)``, each element on its own."""
    x, rng = np.random.default_rng(6).normal(size=(6, 5)), np.random.default_rng(7)
    cases = [(x, 0.5, False, rng), (x, 0.2, False, rng), (x, 0.0, True, rng)]
    return check_function(candidate, lambda x, p, training, rng: x, cases, name="dropout",
        properties=[_drops_each_with_probability_p, _draws_from_rng],
        hint="in training keep = rng.random(x.shape) >= p and return x * keep / (1 - p); "
        "when training is False return x.", mistakes=[
        (lambda x, p, t, rng: x * (rng.random(x.shape) >= p) / (1 - p), "Evaluation mode "
         "(training=False) does nothing: return x."),
        (lambda x, p, t, rng: (1 - p) * x, "Multiplying by 1 - p is the test-time rule of the "
         "original dropout; inverted dropout returns x."),
    ])


def check_dropout_backward(candidate) -> CheckResult:
    """Check ``dropout_backward(grad_output, mask, p)``: ``grad * mask / (1 - p)``."""
    rng, cases = np.random.default_rng(11), []
    for shape, p in (((2, 3), 0.5), ((5, 4), 0.2), ((3, 6), 0.75), ((4, 4), 0.0)):
        mask = rng.random(shape) >= p
        mask[0, 0], mask[-1, -1] = True, p == 0.0  # at least one kept, one dropped
        cases.append((np.round(rng.normal(size=shape), 2), mask, p))
    return check_function(candidate, lambda g, m, p: g * m / (1 - p), cases,
        name="dropout_backward", atol=1e-10,
        hint="out = x * mask / (1 - p), so multiply grad_output by the same mask / (1 - p).",
        mistakes=[
        (lambda g, m, p: g * m, "You apply the mask but not the scale 1 / (1 - p)."),
        (lambda g, m, p: g / (1 - p), "You scale but forget the mask."),
        (lambda g, m, p: g * ~m / (1 - p), "You pass the gradient to the DROPPED units."),
        (lambda g, m, p: g * m * (1 - p), "You multiply by 1 - p; the forward pass divided by it."),
        (lambda g, m, p: g * m / p, "You divide by p; the factor is 1 / (1 - p)."),
    ])


def check_dropout_scale(p, train_factor, test_factor) -> CheckResult:
    """Check the (train, test) factors of the original or the inverted dropout."""
    numbers = _floats(p, train_factor, test_factor)
    if numbers is None or numbers.size != 3:
        return _rejected(f"p, train_factor and test_factor must be three numbers; got {p!r}, "
                         f"{train_factor!r}, {test_factor!r}.")
    p, train, test = numbers
    if not 0 < p < 1:
        return _rejected(f"p = {p:g}: a dropout rate is strictly between 0 and 1 (with p = 0 "
                         "nothing is dropped and nothing needs scaling).")
    original = np.isclose(train, 1)
    return check_function(lambda: (train, test), lambda: (1.0, 1 - p) if original else
        (1 / (1 - p), 1.0), [()], name=f"(train_factor, test_factor) for p = {p:g}",
        hint="a kept unit's expected output is (1 - p) * train_factor * a in training and "
        "test_factor * a at test; the original dropout keeps train_factor = 1, inverted dropout "
        "test_factor = 1.", success=f"with p = {p:g}, (1 - p) x {train:g} = {test:g}: " + (
        "the original dropout" if original else "inverted dropout, as in PyTorch") + ".", mistakes=[
        (lambda: (1.0, 1.0), "With no scaling at all, training expects (1 - p) a, testing a."),
        (lambda: (1.0, p), "p is the probability of DROPPING; the keep probability is 1 - p."),
        (lambda: (1 / p, 1.0), "You divide by p; inverted dropout divides by 1 - p."),
        (lambda: (1 - p, 1.0), "Inverted dropout DIVIDES by 1 - p in training."),
        (lambda: (train, (1 - p) * train), "Your pair keeps the expectations equal, but it is "
         "neither scheme: one of the factors is 1."),
    ])
