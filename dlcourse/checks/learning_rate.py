"""Checkers for the exercises on the learning rate: when gradient descent converges."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._core import CheckResult, _call, _failed, _passed, _show

# -- exercise: count the steps until the gradient is small ----------------------------------


def _steps_to_converge(grad, w0, lr, tol, max_steps):
    """The reference: the first t <= max_steps with ||grad(w_t)|| < tol, else None.

    Also says why a run that does not converge fails: "diverges" or "is too slow".
    """
    w = np.array(w0, dtype=float)
    with np.errstate(all="ignore"):
        for step in range(max_steps + 1):
            g = grad(w)
            if np.linalg.norm(g) < tol:
                return step, ""
            if step == max_steps:
                break
            w = w - lr * g
    grew = not np.all(np.isfinite(w)) or np.linalg.norm(w) > 1e3 * (1.0 + np.linalg.norm(w0))
    return None, "diverges" if grew else f"needs more than {max_steps} steps"


def _parabola_grad(w):
    return 2.0 * w


def _ravine_grad(w):
    return np.array([1.0, 10.0]) * w


def _bumpy_grad(w):
    return w**3 - 3.0 * w + 0.6


_GRADIENTS: dict[Callable, str] = {
    _parabola_grad: "the gradient of J(w) = w**2",
    _ravine_grad: "the gradient of the ravine 0.5 * (w1**2 + 10 * w2**2)",
    _bumpy_grad: "the gradient of the bumpy curve",
}


def check_steps_to_converge(candidate: Any) -> CheckResult:
    """Check ``steps_to_converge(grad, w0, lr, tol, max_steps)``.

    The function runs gradient descent ``w = w - lr * grad(w)`` from ``w0`` and returns the
    number of updates ``t`` after which the gradient's norm is first below ``tol`` (0 when
    ``w0`` already satisfies it), or ``None`` when that has not happened after ``max_steps``
    updates, as for a diverging run.
    """
    hint = (
        "loop over step = 0, 1, ..., max_steps: compute g = grad(w); if np.linalg.norm(g) < "
        "tol, return step; otherwise (and if step < max_steps) update w = w - lr * g. After "
        "the loop, return None. Test the gradient BEFORE updating, so that a start that is "
        "already at the minimum gives 0."
    )
    cases = [
        (_parabola_grad, np.array([1.5]), 0.1, 1e-6, 500),
        (_parabola_grad, np.array([1.5]), 0.5, 1e-6, 500),  # one step, straight to 0
        (_parabola_grad, np.array([0.0]), 0.1, 1e-6, 500),  # already there: 0 steps
        (_parabola_grad, np.array([1.5]), 0.01, 1e-6, 100),  # too slow for the budget
        (_parabola_grad, np.array([1.5]), 1.1, 1e-6, 500),  # diverges
        (_ravine_grad, np.array([-2.0, 1.0]), 0.15, 1e-4, 1000),
        (_ravine_grad, np.array([-2.0, 1.0]), 0.21, 1e-4, 1000),  # diverges across
        (_bumpy_grad, np.array([2.2]), 0.05, 1e-6, 1000),  # the local minimum counts too
    ]
    try:
        if not callable(candidate):
            return _failed(
                f"`steps_to_converge` should be a function; got {type(candidate).__name__}.",
                hint,
            )
        for grad, w0, lr, tol, max_steps in cases:
            expected, why = _steps_to_converge(grad, w0, lr, tol, max_steps)
            with np.errstate(all="ignore"):
                ok, got = _call(candidate, (grad, w0, lr, tol, max_steps), {})
            shown = (
                f"`steps_to_converge(grad, {_show(w0)}, lr={lr:g}, tol={tol:g}, "
                f"max_steps={max_steps})` with {_GRADIENTS[grad]}"
            )
            if not ok:
                return _failed(f"{shown} raised {got}", hint)
            if expected is None:
                if got is not None:
                    return _failed(
                        f"{shown}: this run {why}, so the answer is None; got {_show(got)}.",
                        hint,
                    )
                continue
            if got is None:
                return _failed(
                    f"{shown}: expected {expected} steps; your function returned None, as if "
                    "the run never converged. Did you forget the `return` statement? Does "
                    "your update go downhill (w - lr * g)?",
                    hint,
                )
            if isinstance(got, bool) or not isinstance(got, (int, np.integer, float)):
                return _failed(f"{shown}: expected a whole number of steps; got {got!r}.", hint)
            if got != expected:
                extra = ""
                if got == expected + 1 or got == expected - 1:
                    extra = (
                        " Off by one: count the updates, and test the gradient at the start "
                        "as well as after each update."
                    )
                return _failed(
                    f"{shown}: expected {expected} steps; got {_show(got)}.{extra}", hint
                )
        return _passed(
            "`steps_to_converge` stops when the gradient is small, without knowing where the "
            "minimum is, and gives up on runs that diverge or take too long."
        )
    except Exception as exc:  # a checker must never stop the notebook
        return _failed(f"the check itself could not run ({type(exc).__name__}: {exc}).", hint)


# -- exercise: the largest learning rate that does not diverge ------------------------------


def _rotation(angle: float) -> np.ndarray:
    return np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])


def check_divergence_threshold(candidate: Any) -> CheckResult:
    """Check ``divergence_threshold(H)``: ``2 / (largest eigenvalue of H)``.

    ``H`` is the symmetric, positive-definite Hessian of a quadratic loss
    ``J(w) = 0.5 * w @ H @ w``; gradient descent on it converges from every start exactly when
    ``0 < lr < divergence_threshold(H)``.
    """
    hint = (
        "along each eigenvector of H, gradient descent multiplies the distance to the minimum "
        "by (1 - lr * lambda) per step, which shrinks only if lr < 2 / lambda. The steepest "
        "direction, the largest eigenvalue, sets the limit: "
        "2 / np.linalg.eigvalsh(H).max()."
    )
    rng = np.random.default_rng(6)
    q, _ = np.linalg.qr(rng.standard_normal((3, 3)))
    cases = [
        np.array([[2.0]]),  # the parabola w**2
        np.diag([1.0, 10.0]),  # the ravine
        _rotation(0.6) @ np.diag([0.5, 8.0]) @ _rotation(0.6).T,  # a tilted ravine
        q @ np.diag([0.2, 3.0, 40.0]) @ q.T,
    ]
    try:
        if not callable(candidate):
            return _failed(
                f"`divergence_threshold` should be a function; got {type(candidate).__name__}.",
                hint,
            )
        for H in cases:
            eigenvalues = np.linalg.eigvalsh(H)
            expected = 2.0 / eigenvalues.max()
            ok, got = _call(candidate, (H,), {})
            shown = f"`divergence_threshold({_show(H)})`"
            if not ok:
                return _failed(f"{shown} raised {got}", hint)
            if got is None:
                return _failed(
                    f"{shown}: your function returned None. Did you forget the `return` statement?",
                    hint,
                )
            try:
                value = float(np.asarray(got, dtype=float).item())
            except (TypeError, ValueError):
                return _failed(f"{shown}: expected one number; got {_show(got)}.", hint)
            if np.isclose(value, expected, rtol=1e-6):
                continue
            guesses = {
                1.0 / eigenvalues.max(): (
                    "That is the learning rate that jumps to the minimum in one step along "
                    "the steepest direction; the threshold is twice as large."
                ),
                2.0 / eigenvalues.min(): (
                    "That is the limit for the flattest direction; the steepest direction "
                    "diverges first, at a smaller learning rate."
                ),
                2.0 / np.diag(H).max(): (
                    "You used the diagonal of H, which gives the curvatures only when H is "
                    "diagonal. For a tilted valley use the eigenvalues (np.linalg.eigvalsh)."
                ),
                2.0 / np.trace(H): "You used the sum of the eigenvalues, not the largest one.",
            }
            reason = next(
                (text for guess, text in guesses.items() if np.isclose(value, guess, rtol=1e-6)),
                "",
            )
            return _failed(
                f"{shown}: expected {expected:.6g}; got {value:.6g}. {reason}".rstrip(), hint
            )
        return _passed(
            "`divergence_threshold` finds the largest stable learning rate, 2 / (largest "
            "curvature), also for tilted valleys."
        )
    except Exception as exc:  # a checker must never stop the notebook
        return _failed(f"the check itself could not run ({type(exc).__name__}: {exc}).", hint)
