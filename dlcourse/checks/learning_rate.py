"""Checkers for the exercises on the learning rate: when gradient descent converges (chapter 6)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._core import CheckResult, check_function


def _named(name: str, f):
    f.__name__ = name
    return f


_PARABOLA = _named("grad of w**2", lambda w: 2.0 * w)
_RAVINE = _named("grad of 0.5*(w1**2 + 10*w2**2)", lambda w: np.array([1.0, 10.0]) * w)
_BUMPY = _named("grad of a bumpy curve", lambda w: w**3 - 3.0 * w + 0.6)


def _steps(grad, w0, lr, tol, max_steps, *, small=np.linalg.norm, after=0, sign=1, give_up=None):
    """Gradient descent from ``w0``: the first step count with a small gradient, else None."""
    w = np.array(w0, dtype=float)
    for step in range(max_steps + 1):
        g = grad(w)
        if small(g) < tol:
            return step + after
        w = w - sign * lr * g
    return give_up


def check_steps_to_converge(candidate: Any) -> CheckResult:
    """Check ``steps_to_converge(grad, w0, lr, tol, max_steps)``: the number of updates
    ``w = w - lr * grad(w)`` after which the gradient's norm is first below ``tol`` (0 when
    ``w0`` already satisfies it), or None when that has not happened after ``max_steps``."""
    cases = [
        (_PARABOLA, np.array([1.5]), 0.1, 1e-6, 500),
        (_PARABOLA, np.array([1.5]), 0.5, 1e-6, 500),  # one step, straight to 0
        (_PARABOLA, np.array([0.0]), 0.1, 1e-6, 500),  # already there: 0 steps
        (_PARABOLA, np.array([1.5]), 0.01, 1e-6, 100),  # too slow for the budget
        (_PARABOLA, np.array([1.5]), 1.1, 1e-6, 500),  # diverges
        (_RAVINE, np.array([-2.0, 1.0]), 0.15, 1e-4, 1000),
        (_RAVINE, np.array([-2.0, 1.0]), 0.21, 1e-4, 1000),  # diverges across
        (_BUMPY, np.array([2.2]), 0.05, 1e-6, 1000),  # the local minimum counts too
    ]
    mistakes = [
        (lambda *a: _steps(*a, after=1), "Off by one: test the gradient BEFORE each update, "
         "so that a start at the minimum gives 0."),
        (lambda *a: _steps(*a, small=lambda g: np.sum(g**2)), "You compared the squared norm "
         "with tol; compare the norm itself, np.linalg.norm(g)."),
        (lambda *a: _steps(*a, give_up=a[-1]), "A run that has not converged after max_steps "
         "updates must return None, not max_steps."),
        (lambda *a: _steps(*a, sign=-1), "Your update goes uphill: w = w - lr * g."),
        (lambda g, w0, lr, tol, m: _steps(lambda w: w, w0, lr, tol, m), "You tested w itself; "
         "the function does not know where the minimum is: test the gradient's norm."),
    ]  # fmt: skip
    return check_function(
        candidate, _steps, cases, name="steps_to_converge", mistakes=mistakes, returns=int,
        hint="loop over step = 0, 1, ..., max_steps: compute g = grad(w); if "
        "np.linalg.norm(g) < tol, return step; otherwise update w = w - lr * g. After the "
        "loop, return None.",
        success="`steps_to_converge` stops when the gradient is small, without knowing where "
        "the minimum is, and gives up on runs that diverge or take too long.",
    )  # fmt: skip


def _rotation(angle: float) -> np.ndarray:
    return np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])


def check_divergence_threshold(candidate: Any) -> CheckResult:
    """Check ``divergence_threshold(H)``: ``2 / (largest eigenvalue of H)``, the learning rate
    below which gradient descent on ``J(w) = 0.5 * w @ H @ w`` converges from every start."""
    q, _ = np.linalg.qr(np.random.default_rng(6).standard_normal((3, 3)))
    cases = [
        (np.array([[2.0]]),),  # the parabola w**2
        (np.diag([1.0, 10.0]),),  # the ravine
        (_rotation(0.6) @ np.diag([0.5, 8.0]) @ _rotation(0.6).T,),  # a tilted ravine
        (q @ np.diag([0.2, 3.0, 40.0]) @ q.T,),
    ]
    mistakes = [
        (lambda H: 1 / np.linalg.eigvalsh(H).max(), "That is the learning rate that jumps to "
         "the minimum in one step along the steepest direction; the threshold is twice that."),
        (lambda H: 2 / np.linalg.eigvalsh(H).min(), "That is the limit of the flattest "
         "direction; the steepest one, the largest eigenvalue, diverges first."),
        (lambda H: 2 / np.diag(H).max(), "The diagonal of H gives the curvatures only when H "
         "is diagonal; for a tilted valley use the eigenvalues (np.linalg.eigvalsh)."),
        (lambda H: 2 / np.trace(H), "You used the sum of the eigenvalues, not the largest."),
        (lambda H: np.linalg.eigvalsh(H).max() / 2, "Upside down: the threshold is 2 / lambda."),
    ]  # fmt: skip
    return check_function(
        candidate, lambda H: 2 / np.linalg.eigvalsh(H).max(), cases,
        name="divergence_threshold", mistakes=mistakes,
        hint="along each eigenvector of H, one step multiplies the distance to the minimum by "
        "(1 - lr * lambda), which shrinks only if lr < 2 / lambda. The largest eigenvalue "
        "sets the limit: 2 / np.linalg.eigvalsh(H).max().",
        success="`divergence_threshold` finds the largest stable learning rate, 2 / (largest "
        "curvature), also for tilted valleys.",
    )  # fmt: skip
