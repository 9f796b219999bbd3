"""Checkers for the exercises on softmax, log-sum-exp and the cross-entropy loss.

Each checker runs the learner's function on small cases *and* on huge logits such as
``[1000, 1001, 1002]``, where the textbook formulas overflow. NumPy's overflow warnings are
silenced while the learner's code runs (the checker reports the ``inf`` or ``nan`` instead),
so the notebook output stays clean.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ._core import CheckResult, _call, _compare, _failed, _passed, _show

__all__ = ["check_cross_entropy", "check_logsumexp", "check_softmax_cross_entropy_grad"]


# -- references -------------------------------------------------------------------------------


def _logsumexp_rows(Z: np.ndarray) -> np.ndarray:
    m = Z.max(axis=1)
    return m + np.log(np.exp(Z - m[:, None]).sum(axis=1))


def _log_softmax_rows(Z: np.ndarray) -> np.ndarray:
    return Z - _logsumexp_rows(Z)[:, None]


def _cross_entropy(Z: np.ndarray, labels: np.ndarray) -> float:
    return float(-_log_softmax_rows(Z)[np.arange(len(labels)), labels].mean())


def _one_hot(labels: np.ndarray, n_classes: int) -> np.ndarray:
    return np.eye(n_classes)[labels]


def _cross_entropy_grad(Z: np.ndarray, labels: np.ndarray) -> np.ndarray:
    P = np.exp(_log_softmax_rows(Z))
    return (P - _one_hot(labels, Z.shape[1])) / len(labels)


# -- shared machinery -------------------------------------------------------------------------


def _quiet_call(candidate: Callable, args: Sequence) -> tuple[bool, Any]:
    """Call the learner's function with NumPy's overflow warnings (and any others) silenced."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return _call(candidate, args, {})


def _as_float_array(value: Any) -> np.ndarray | None:
    if value is None:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None


def _not_finite(name: str, shown: str, got: np.ndarray) -> str:
    return (
        f"for `{name}({shown})` your result contains nan or inf: {_show(got)}. "
        "np.exp(1000) overflows to inf (and inf / inf is nan), and np.exp(-1000) underflows "
        "to 0 (and np.log(0) is -inf)."
    )


def _run(
    candidate: Any,
    name: str,
    reference: Callable,
    cases: Sequence[tuple],
    hint: str,
    diagnose: Callable[[np.ndarray, np.ndarray, tuple], str | None],
    success: str,
) -> CheckResult:
    """Run every case; on a mismatch, let ``diagnose`` name the likely mistake."""
    try:
        if not callable(candidate):
            return _failed(f"`{name}` should be a function; got {type(candidate).__name__}.", hint)
        for args in cases:
            expected = reference(*args)
            ok, got = _quiet_call(candidate, args)
            shown = ", ".join(_show(a) for a in args)
            if not ok:
                return _failed(f"`{name}({shown})` raised {got}", hint)
            got_arr = _as_float_array(got)
            expected_arr = np.asarray(expected, dtype=float)
            if got_arr is not None and got_arr.shape == expected_arr.shape:
                if not np.all(np.isfinite(got_arr)):
                    return _failed(_not_finite(name, shown, got_arr), hint)
                if not np.allclose(got_arr, expected_arr, atol=1e-8, rtol=1e-6):
                    problem = diagnose(got_arr, expected_arr, args)
                    if problem:
                        return _failed(f"for `{name}({shown})`: {problem}", hint)
            elif got_arr is not None:
                problem = diagnose(got_arr, expected_arr, args)
                if problem:
                    return _failed(f"for `{name}({shown})`: {problem}", hint)
            problem = _compare(got, expected, 1e-8)
            if problem:
                return _failed(f"for `{name}({shown})`: {problem}", hint)
        return _passed(success)
    except Exception as exc:  # a checker must never stop the notebook
        return _failed(f"the check itself could not run ({type(exc).__name__}: {exc}).", hint)


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, atol=1e-8, rtol=1e-6))


# -- log-sum-exp ------------------------------------------------------------------------------


def check_logsumexp(candidate: Any) -> CheckResult:
    """Check ``logsumexp(Z)``: ``log(sum(exp(Z), axis=1))`` for every row, stable for big logits.

    ``Z`` has shape (n_samples, n_classes); the result has shape (n_samples,). The cases
    include rows such as ``[1000, 1001, 1002]`` (``exp`` overflows) and
    ``[-1000, -1001, -1002]`` (``exp`` underflows to 0), where only the shifted form
    ``m + log(sum(exp(Z - m)))`` with ``m`` the row's maximum gives a finite answer.
    """
    hint = (
        "take each row's maximum, m = Z.max(axis=1), and return "
        "m + np.log(np.exp(Z - m[:, None]).sum(axis=1)). Subtracting m makes every exponent "
        "<= 0, so np.exp cannot overflow, and the largest term is exp(0) = 1, so the sum "
        "cannot be 0."
    )
    rng = np.random.default_rng(11)
    cases = [
        (np.array([[1.0, 2.0, 3.0]]),),
        (rng.standard_normal((4, 3)),),
        (3.0 * rng.standard_normal((3, 5)),),
        (np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1002.0]]),),
        (np.array([[0.0, -800.0], [750.0, 750.0]]),),
    ]

    def diagnose(got: np.ndarray, expected: np.ndarray, args: tuple) -> str | None:
        (Z,) = args
        if got.shape == (len(Z), 1) or got.shape == (1, len(Z)):
            return (
                f"the values may be right, but return one number per row, shape {expected.shape}, "
                f"not {got.shape}: leave out keepdims=True, or index with [:, 0]."
            )
        if got.shape == (Z.shape[1],) and got.shape != expected.shape:
            return (
                f"your result has shape {got.shape}, one number per COLUMN; each row is one data "
                f"point's logits, so sum along axis=1 to get shape {expected.shape}."
            )
        if _close(got, expected - Z.max(axis=1)):
            return (
                f"expected {_show(expected)}; got {_show(got)}. You subtracted each row's "
                "maximum m but did not add it back: log(sum(exp(z))) = m + log(sum(exp(z - m)))."
            )
        if _close(got, Z.max(axis=1)):
            return (
                f"expected {_show(expected)}; got {_show(got)}, the maximum of each row. "
                "Log-sum-exp is close to the maximum but a little larger: add "
                "log(sum(exp(Z - m))) to it."
            )
        return None

    return _run(
        candidate,
        "logsumexp",
        _logsumexp_rows,
        cases,
        hint,
        diagnose,
        "`logsumexp` gives log(sum(exp(z))) for every row, also where np.exp would overflow.",
    )


# -- cross-entropy ----------------------------------------------------------------------------


def _label_cases() -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(12)
    return [
        (np.array([[2.0, 1.0, 0.1]]), np.array([0])),
        (np.array([[2.0, 0.5, -1.0], [0.0, 0.0, 3.0]]), np.array([0, 2])),
        (2.0 * rng.standard_normal((6, 4)), rng.integers(0, 4, size=6)),
        (np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1002.0]]), np.array([0, 2])),
        (np.array([[1000.0, 0.0, -1000.0]]), np.array([2])),
    ]


def check_cross_entropy(candidate: Any) -> CheckResult:
    """Check ``cross_entropy(Z, labels)``: the mean of ``-log softmax(Z)[i, labels[i]]``.

    ``Z`` holds logits of shape (n_samples, n_classes) and ``labels`` the true classes,
    integers of shape (n_samples,); the result is one number, as
    ``torch.nn.functional.cross_entropy(Z, labels)`` returns. The cases include logits of
    ±1000, where ``-log(softmax(Z))`` computed naively gives ``inf`` or ``nan``.
    """
    hint = (
        "compute the log-probabilities stably, log_p = Z - logsumexp(Z)[:, None] (with the "
        "row maximum subtracted inside logsumexp), pick each sample's true class with "
        "log_p[np.arange(len(labels)), labels], and return minus their mean."
    )

    def diagnose(got: np.ndarray, expected: np.ndarray, args: tuple) -> str | None:
        Z, labels = args
        n = len(labels)
        per_sample = -_log_softmax_rows(Z)[np.arange(n), labels]
        if got.shape == (n,):
            if _close(got, per_sample):
                return (
                    f"you returned the per-sample losses {_show(got)}, shape {got.shape}; the "
                    "loss is their mean, one number (use .mean())."
                )
            return f"expected one number (the mean loss); got an array of shape {got.shape}."
        if got.shape != ():
            return None
        if n > 1 and np.isclose(got, n * expected, rtol=1e-6, atol=1e-8):
            return (
                f"expected {float(expected):.6g}; got {float(got):.6g}, {n} times too much: "
                "that is the sum of the per-sample losses. Take the mean."
            )
        if np.isclose(got, -expected, rtol=1e-6, atol=1e-8):
            return (
                f"expected {float(expected):.6g}; got {float(got):.6g}. Check the sign: the "
                "loss is MINUS the log-probability of the true class, so it is never negative."
            )
        return None

    return _run(
        candidate,
        "cross_entropy",
        _cross_entropy,
        _label_cases(),
        hint,
        diagnose,
        "`cross_entropy` is the mean of -log p(true class), computed stably from the logits.",
    )


# -- the gradient -----------------------------------------------------------------------------


def check_softmax_cross_entropy_grad(candidate: Any) -> CheckResult:
    """Check ``softmax_cross_entropy_grad(Z, labels)``: ``(softmax(Z) - one_hot(labels)) / N``.

    The gradient of the *mean* cross-entropy with respect to the logits ``Z``, an array of
    ``Z``'s shape (n_samples, n_classes), as ``torch.autograd`` computes it for
    ``torch.nn.functional.cross_entropy(Z, labels)``. Huge logits are among the cases.
    """
    hint = (
        "compute P = softmax(Z) row by row (subtract each row's maximum first), subtract 1 "
        "from each row's entry for the true class (P - Y with the one-hot targets Y), and "
        "divide by the number of samples N, because the loss is a mean."
    )

    def diagnose(got: np.ndarray, expected: np.ndarray, args: tuple) -> str | None:
        Z, labels = args
        n = len(labels)
        if got.shape != expected.shape:
            return None
        P = np.exp(_log_softmax_rows(Z))
        if n > 1 and _close(got, n * expected):
            return (
                f"your gradient is {n} times too large: {_show(got)}. The loss is the MEAN "
                "over the N samples, so divide P - Y by N."
            )
        if _close(got, -expected):
            return f"the sign is flipped (that is y - p): {_show(got)}. The gradient is p - y."
        if _close(got, P / n) or _close(got, P):
            return (
                f"got {_show(got)}, the softmax itself; subtract the one-hot targets Y "
                "(1 at each sample's true class), then divide by N."
            )
        return None

    return _run(
        candidate,
        "softmax_cross_entropy_grad",
        _cross_entropy_grad,
        _label_cases(),
        hint,
        diagnose,
        "`softmax_cross_entropy_grad` is (softmax(Z) - Y) / N, as autograd computes it.",
    )
