"""Checkers for the exercises on the learning rate: when gradient descent converges (chapter 6)."""

import numpy as np

from ._core import CheckResult, _named, _rotation, check_function

# fmt: off

_PARABOLA = _named("grad of w**2", lambda w: 2.0 * w)
_RAVINE = _named("grad of 0.5*(w1**2 + 10*w2**2)", lambda w: np.array([1.0, 10.0]) * w)
_BUMPY = _named("grad of a bumpy curve", lambda w: w**3 - 3.0 * w + 0.6)


def _steps(grad, w0, lr, tol, max_steps, *, small=np.linalg.norm, after=0, sign=1, give_up=None):
    w = np.array(w0, dtype=float)
    for step in range(max_steps + 1):
        g = grad(w)
        if small(g) < tol:
            return step + after
        w = w - sign * lr * g
    return give_up


def check_steps_to_converge(candidate) -> CheckResult:
    """Check ``steps_to_converge(grad, w0, lr, tol, max_steps)``: an int, or None."""
    cases = [(_PARABOLA, np.array([1.5]), 0.1, 1e-6, 500),
             (_PARABOLA, np.array([1.5]), 0.5, 1e-6, 500),  # one step, straight to 0
             (_PARABOLA, np.array([0.0]), 0.1, 1e-6, 500),  # already there: 0 steps
             (_PARABOLA, np.array([1.5]), 0.01, 1e-6, 100),  # too slow for the budget
             (_PARABOLA, np.array([1.5]), 1.1, 1e-6, 500),  # diverges
             (_RAVINE, np.array([-2.0, 1.0]), 0.15, 1e-4, 1000),
             (_RAVINE, np.array([-2.0, 1.0]), 0.21, 1e-4, 1000),  # diverges across
             (_BUMPY, np.array([2.2]), 0.05, 1e-6, 1000)]  # a local minimum counts too
    return check_function(candidate, _steps, cases, name="steps_to_converge", returns=int,
        hint="for step in range(max_steps + 1): if np.linalg.norm(grad(w)) < tol, return step; "
        "else w = w - lr * grad(w). After the loop, return None.", mistakes=[
        (lambda *a: _steps(*a, after=1), "Off by one: test the gradient BEFORE each update."),
        (lambda *a: _steps(*a, small=lambda g: np.sum(g**2)), "Not the squared norm: the norm."),
        (lambda *a: _steps(*a, give_up=a[-1]), "Return None, not max_steps, if it fails."),
        (lambda *a: _steps(*a, sign=-1), "Your update goes uphill: w = w - lr * g."),
        (lambda g, *a: _steps(lambda w: w, *a), "You tested w itself, not the gradient's norm."),
    ])


def check_divergence_threshold(candidate) -> CheckResult:
    """Check ``divergence_threshold(H)``: ``2 / (largest eigenvalue of H)``."""
    q, _ = np.linalg.qr(np.random.default_rng(6).standard_normal((3, 3)))
    cases = [(np.array([[2.0]]),), (np.diag([1.0, 10.0]),), (q @ np.diag([0.2, 3.0, 40.0]) @ q.T,),
             (_rotation(0.6) @ np.diag([0.5, 8.0]) @ _rotation(0.6).T,)]  # a tilted ravine
    return check_function(candidate, lambda H: 2 / np.linalg.eigvalsh(H).max(), cases,
        name="divergence_threshold", hint="each step multiplies the distance along an eigenvector "
        "by 1 - lr * lambda: 2 / np.linalg.eigvalsh(H).max().", mistakes=[
        (lambda H: 1 / np.linalg.eigvalsh(H).max(), "That jumps to the minimum: twice that."),
        (lambda H: 2 / np.linalg.eigvalsh(H).min(), "That is the flattest direction's limit."),
        (lambda H: 2 / np.diag(H).max(), "The diagonal fits only diagonal H."),
        (lambda H: 2 / np.trace(H), "You used the sum of the eigenvalues, not the largest."),
        (lambda H: np.linalg.eigvalsh(H).max() / 2, "Upside down: the threshold is 2 / lambda."),
    ])
