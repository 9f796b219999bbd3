"""Checkers for the exercises on dropout (inverted dropout, its backward pass, its scaling)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._core import CheckResult, _call, _compare, _failed, _passed, _show

_DROPOUT_HINT = (
    "in training mode, draw one uniform number per element, keep = rng.random(x.shape) >= p "
    "(True with probability 1 - p), and return x * keep / (1 - p); when training is False, "
    "return x unchanged."
)


def _as_float_array(value: Any) -> np.ndarray | None:
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None


def _run_dropout(candidate, x, p, training, seed):
    """Call ``candidate(x, p, training, rng)``; return (error message or None, array)."""
    shown = f"dropout(x, p={p:g}, training={training}, rng)"
    ok, got = _call(candidate, (x, p, training, np.random.default_rng(seed)), {})
    if not ok:
        return f"`{shown}` raised {got}", None
    if got is None:
        return f"`{shown}` returned None. Did you forget the `return` statement?", None
    arr = _as_float_array(got)
    if arr is None:
        return f"`{shown}` should return an array of numbers; got {type(got).__name__}.", None
    if arr.shape != x.shape:
        return (
            f"`{shown}` for x of shape {x.shape} returned shape {arr.shape}; dropout keeps "
            "the shape of its input.",
            None,
        )
    if not np.all(np.isfinite(arr)):
        return f"`{shown}` returned nan or inf values.", None
    return None, arr


def check_dropout(candidate: Any) -> CheckResult:
    """Check ``dropout(x, p, training, rng)``, inverted dropout with a NumPy generator.

    The mask is random, so the check tests what must hold for *any* correct mask: in training
    mode, the fraction of zeros is close to ``p``, every kept element equals ``x / (1 - p)``,
    the mean is preserved, each row gets its own mask, and the result comes from ``rng``
    (the same generator state gives the same result); in evaluation mode, and for ``p = 0``,
    the output is ``x``.
    """
    hint = _DROPOUT_HINT
    try:
        if not callable(candidate):
            return _failed(f"`dropout` should be a function; got {type(candidate).__name__}.", hint)
        ones = np.ones((400, 250))
        n = ones.size
        for p in (0.3, 0.5):
            problem, out = _run_dropout(candidate, ones, p, True, 0)
            if problem:
                return _failed(problem, hint)
            zeroed = float(np.mean(out == 0))
            tolerance = 6 * np.sqrt(p * (1 - p) / n) + 1e-3
            case = f"on an array of ones with p = {p:g}"
            if np.any(out == 0) and len({row.tobytes() for row in out[:50]}) < 45:
                return _failed(
                    f"{case}, many rows got exactly the same mask. Each element (each unit of "
                    "each example) needs its own random number: draw rng.random(x.shape).",
                    hint,
                )
            if abs(zeroed - (1 - p)) < tolerance and abs(zeroed - p) > tolerance:
                return _failed(
                    f"{case}, {zeroed:.1%} of the elements are zero: you drop with "
                    f"probability 1 - p = {1 - p:g}, but p is the probability of DROPPING "
                    "an element.",
                    "rng.random(x.shape) >= p is True with probability 1 - p: use it as the "
                    "mask of the elements you keep.",
                )
            if abs(zeroed - p) > tolerance:
                return _failed(
                    f"{case}, {zeroed:.1%} of the elements are zero; about {p:.0%} should be "
                    "(each element is dropped with probability p, independently).",
                    hint,
                )
            kept = np.unique(out[out != 0])
            scale = 1 / (1 - p)
            if not np.allclose(kept, scale, rtol=1e-9):
                if np.allclose(kept, 1.0):
                    problem = (
                        f"{case}, the elements you keep are still 1. Inverted dropout scales "
                        f"them by 1 / (1 - p) = {scale:.4g}, so that the mean stays 1."
                    )
                elif np.allclose(kept, 1 / p):
                    problem = (
                        f"{case}, you scale the kept elements by 1 / p = {1 / p:.4g}; the "
                        f"right factor is 1 / (1 - p) = {scale:.4g}, one over the probability "
                        "of KEEPING an element."
                    )
                else:
                    problem = (
                        f"{case}, the kept elements are {_show(kept[:6])}; every one should "
                        f"be 1 / (1 - p) = {scale:.4g}."
                    )
                return _failed(problem, hint)
        # the real values are scaled, not replaced
        x = np.random.default_rng(3).normal(size=(60, 40))
        problem, out = _run_dropout(candidate, x, 0.25, True, 1)
        if problem:
            return _failed(problem, hint)
        kept = out != 0
        if not np.allclose(out[kept], x[kept] / 0.75, rtol=1e-9):
            return _failed(
                "on random x with p = 0.25, the kept elements should be x / (1 - p) = "
                "x / 0.75, each one its own input value scaled.",
                hint,
            )
        # the randomness comes from rng
        problem, again = _run_dropout(candidate, x, 0.25, True, 1)
        if problem:
            return _failed(problem, hint)
        if not np.array_equal(out, again):
            return _failed(
                "two calls with generators in the same state gave different results: draw "
                "the random numbers from the `rng` argument (rng.random(...)), not from "
                "np.random, so that the results repeat.",
                hint,
            )
        # evaluation mode and p = 0 are the identity
        for p, training in ((0.5, False), (0.25, False), (0.0, True)):
            problem, out = _run_dropout(candidate, x, p, training, 2)
            if problem:
                return _failed(problem, hint)
            if np.array_equal(out, x):
                continue
            what = f"with p = {p:g} and training = {training}"
            if not training and np.allclose(out, (1 - p) * x):
                return _failed(
                    f"{what}, you multiply by 1 - p. That is the test-time rule of the "
                    "original dropout, which does not scale in training; inverted dropout "
                    "has already scaled in training, so evaluation mode returns x unchanged.",
                    hint,
                )
            return _failed(
                f"{what}, the output should be x itself; got {_show(out[0, :4])} for "
                f"x[0, :4] = {_show(x[0, :4])}.",
                "when `training` is False, dropout does nothing: return x."
                if not training
                else "with p = 0 nothing is dropped and 1 / (1 - p) = 1.",
            )
        return _passed(
            "`dropout` drops about p of the elements, scales the others by 1 / (1 - p) and "
            "is the identity in evaluation mode."
        )
    except Exception as exc:  # a checker must never stop the notebook
        return _failed(f"the check itself could not run ({type(exc).__name__}: {exc}).", hint)


def _dropout_backward(grad_output, mask, p):
    return np.asarray(grad_output, dtype=float) * np.asarray(mask) / (1 - p)


def check_dropout_backward(candidate: Any) -> CheckResult:
    """Check ``dropout_backward(grad_output, mask, p)``: ``grad_output * mask / (1 - p)``.

    ``mask`` is the boolean keep-mask of the forward pass (True = kept).
    """
    hint = (
        "the forward pass computed out = x * mask / (1 - p), so d out / d x is mask / (1 - p) "
        "element by element: multiply grad_output by the same mask and the same 1 / (1 - p). "
        "A dropped unit got no say in the output, so it gets no gradient."
    )
    try:
        if not callable(candidate):
            return _failed(
                f"`dropout_backward` should be a function; got {type(candidate).__name__}.", hint
            )
        rng = np.random.default_rng(11)
        cases = []
        for shape, p in (((2, 3), 0.5), ((5, 4), 0.2), ((3, 6), 0.75), ((4, 4), 0.0)):
            grad = np.round(rng.normal(size=shape), 2)
            mask = rng.random(shape) >= p
            mask[0, 0], mask[-1, -1] = True, p == 0.0  # at least one kept, one dropped
            cases.append((grad, mask, p))
        for grad, mask, p in cases:
            expected = _dropout_backward(grad, mask, p)
            ok, got = _call(candidate, (grad, mask, p), {})
            shown = f"dropout_backward(grad_output, mask, p={p:g})"
            if not ok:
                return _failed(f"`{shown}` raised {got}", hint)
            problem = _compare(got, expected, 1e-10)
            if problem is None:
                continue
            arr = _as_float_array(got)
            if arr is not None and arr.shape == grad.shape:
                if p > 0 and np.allclose(arr, grad * mask):
                    problem = (
                        "you apply the mask but not the scale: the forward pass multiplied the "
                        f"kept elements by 1 / (1 - p) = {1 / (1 - p):.4g}, and so must the "
                        "backward pass."
                    )
                elif np.allclose(arr, grad / (1 - p)):
                    problem = "you scale but forget the mask: a dropped unit gets no gradient."
                elif np.allclose(arr, grad * ~mask / (1 - p)):
                    problem = "you pass the gradient to the DROPPED units; mask is True where kept."
            return _failed(f"for `{shown}`: {problem}", hint)
        return _passed(
            "`dropout_backward` sends the gradient through the kept units, scaled by "
            "1 / (1 - p), and none through the dropped ones."
        )
    except Exception as exc:
        return _failed(f"the check itself could not run ({type(exc).__name__}: {exc}).", hint)


def check_dropout_scale(p: Any, train_factor: Any, test_factor: Any) -> CheckResult:
    """Check a pair of factors that keeps a unit's expected output the same in both modes.

    With dropout rate ``p``, a kept unit's output ``a`` is multiplied by ``train_factor`` in
    training and by ``test_factor`` at test time (when nothing is dropped). In training its
    expected output is ``(1 - p) * train_factor * a``; at test time it is ``test_factor * a``.
    The pair is right when these agree: inverted dropout uses ``(1 / (1 - p), 1)``, the
    original dropout ``(1, 1 - p)``.
    """
    hint = (
        "in training a unit survives with probability 1 - p, so its expected output is "
        "(1 - p) * train_factor * a. At test time every unit is present and the output is "
        "test_factor * a. Choose the factors so that both are equal."
    )
    try:
        try:
            p_ = float(p)
            train_, test_ = float(train_factor), float(test_factor)
        except (TypeError, ValueError):
            return _failed(
                f"`p`, `train_factor` and `test_factor` must be three numbers; got {p!r}, "
                f"{train_factor!r}, {test_factor!r}.",
                "for example check_dropout_scale(0.25, 1.0, 1.0), with your factors.",
            )
        if not 0.0 <= p_ < 1.0:
            return _failed(f"`p` must be a dropout rate in [0, 1); got {p_:g}.", None)
        if not (np.isfinite(train_) and np.isfinite(test_)) or train_ <= 0 or test_ <= 0:
            return _failed(
                f"the factors must be positive numbers; got {train_:g} and {test_:g}.", hint
            )
        expected_train = (1 - p_) * train_
        if np.isclose(expected_train, test_, rtol=1e-6, atol=1e-9):
            if np.isclose(test_, 1.0) and p_ > 0:
                scheme = (
                    "inverted dropout, as in PyTorch: scale in training, nothing to do at test time"
                )
            elif np.isclose(train_, 1.0) and p_ > 0:
                scheme = (
                    "the original dropout of Srivastava et al.: no scaling in training, "
                    "weights multiplied by the keep probability at test time"
                )
            else:
                scheme = "a valid, if unusual, pair"
            return _passed(
                f"with p = {p_:g}, the expected output in training, (1 - p) x {train_:g} x a "
                f"= {expected_train:.4g} a, equals the test-time output {test_:.4g} a: {scheme}."
            )
        ratio = test_ / expected_train
        change = f"{ratio:.3g} times larger" if ratio > 1 else f"{1 / ratio:.3g} times smaller"
        return _failed(
            f"with p = {p_:g}, a unit's expected output in training is (1 - p) x {train_:g} x a "
            f"= {expected_train:.4g} a, but at test time it is {test_:.4g} a: the next layer "
            f"would receive inputs {change} than the ones it was trained on.",
            hint,
        )
    except Exception as exc:
        return _failed(f"the check itself could not run ({type(exc).__name__}: {exc}).", hint)
