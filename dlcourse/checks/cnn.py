"""Checkers for the exercises on convolutional networks and evaluating classifiers.

Chapter 11 (convolutions, padding, stride, pooling) and chapter 13 (the MNIST assignment).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ._core import CheckResult, _call, _compare, _failed, _passed, _show, check_function


def check_conv_parameters(candidate: Any) -> CheckResult:
    """Check ``conv_parameters(in_channels, out_channels, kernel_size)``.

    The number of learnable numbers of ``nn.Conv2d(in_channels, out_channels, kernel_size)``
    with a square kernel and a bias: ``out * in * k * k + out``.
    """
    cases = [(1, 8, 5), (8, 16, 5), (3, 64, 3), (16, 1, 1), (2, 3, 7)]
    return check_function(
        candidate,
        lambda c_in, c_out, k: c_out * c_in * k * k + c_out,
        cases,
        name="conv_parameters",
        hint="each of the out_channels filters has one k x k kernel per input channel, "
        "plus one bias per filter. The image size does not matter: the weights are shared.",
        success="`conv_parameters` counts a convolution's weights and biases.",
    )


def _confusion_matrix(y_true, y_pred, n_classes):
    matrix = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(matrix, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return matrix


def check_confusion_matrix(candidate: Any) -> CheckResult:
    """Check ``confusion_matrix(y_true, y_pred, n_classes)``: ``[i, j]`` counts true ``i``
    predicted as ``j``."""
    rng = np.random.default_rng(7)
    cases = [
        (np.array([0, 1, 1, 2]), np.array([0, 1, 2, 2]), 3),
        (np.array([1, 0]), np.array([0, 1]), 2),  # rows are the truth, columns the guess
        (rng.integers(0, 10, 200), rng.integers(0, 10, 200), 10),
        (np.array([3, 3, 3]), np.array([3, 3, 3]), 5),  # classes that never occur: zeros
    ]
    return check_function(
        candidate,
        _confusion_matrix,
        cases,
        name="confusion_matrix",
        hint="start from np.zeros((n_classes, n_classes), dtype=int) and add 1 at "
        "[true, predicted] for every example. Rows are the true class, columns the "
        "prediction. With arrays, np.add.at(matrix, (y_true, y_pred), 1) does it in one call "
        "(matrix[y_true, y_pred] += 1 would count repeated pairs only once).",
        success="`confusion_matrix` counts every (true, predicted) pair.",
    )


# -- convolution arithmetic: a loop-based convolution, the output size and max-pooling ------


def _as_float_or_none(value: Any) -> np.ndarray | None:
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None


def _check_with_diagnoses(
    candidate: Any,
    *,
    name: str,
    reference: Callable,
    cases: Sequence[tuple[tuple, dict]],
    variants: Sequence[tuple[Callable, str]],
    hint: str,
    success: str,
    atol: float = 1e-8,
) -> CheckResult:
    """Like :func:`check_function`, but a wrong answer that equals a known mistake says which.

    ``variants`` are ``(wrong_function, explanation)``: when the learner's result for a case
    matches ``wrong_function`` on the same arguments (and the right answer does not), the
    explanation is added to the message.
    """
    try:
        if not callable(candidate):
            return _failed(f"`{name}` should be a function; got {type(candidate).__name__}.", hint)
        for args, kwargs in cases:
            expected = reference(*args, **kwargs)
            ok, got = _call(candidate, args, kwargs)
            shown = ", ".join([_show(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()])
            if not ok:
                return _failed(f"`{name}({shown})` raised {got}", hint)
            problem = _compare(got, expected, atol)
            if problem is None:
                continue
            explanation = _explain(candidate, got, args, kwargs, cases, variants, atol)
            if explanation:
                problem += f" It looks as if {explanation}"
            return _failed(f"for `{name}({shown})`: {problem}", hint)
        return _passed(success)
    except Exception as exc:  # a checker must never stop the notebook
        return _failed(f"the check itself could not run ({type(exc).__name__}: {exc}).", hint)


def _same(got: Any, mistake: Any, atol: float) -> bool:
    got_arr, mistake_arr = _as_float_or_none(got), _as_float_or_none(mistake)
    return (
        got_arr is not None
        and mistake_arr is not None
        and got_arr.shape == mistake_arr.shape
        and bool(np.allclose(got_arr, mistake_arr, atol=atol))
    )


def _explain(candidate, got, args, kwargs, cases, variants, atol) -> str | None:
    """The explanation of the known mistake that ``candidate`` makes, if there is one.

    A mistake is recognised when the learner's results equal the wrong function's on every
    case where that differs from the right answer (so that, for a formula, one coincidence
    does not mislead); failing that, on the failing case ``args, kwargs`` alone.
    """

    def wrong_result(wrong, a, k):
        try:
            with np.errstate(all="ignore"):
                return True, wrong(*a, **k)
        except Exception:  # a variant that does not apply to this case
            return False, None

    others = [(a, k, _call(candidate, a, k)) for a, k in cases]
    fallback = None
    for wrong, explanation in variants:
        ok, mistake = wrong_result(wrong, args, kwargs)
        if not ok or not _same(got, mistake, atol):
            continue
        fallback = fallback or explanation
        agrees = True
        for a, k, (ran, result) in others:
            ok, mistake = wrong_result(wrong, a, k)
            if ok and ran and not _same(result, mistake, atol):
                agrees = False
                break
        if agrees:
            return explanation
    return fallback


def _reference_conv2d_single(image, kernel, stride=1, padding=0):
    from ..conv import conv2d

    return conv2d(
        np.asarray(image, dtype=float),
        np.asarray(kernel, dtype=float),
        stride=stride,
        padding=padding,
    )


_SLIDE_IMAGE = np.array(
    [[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2], [2, 0, 0, 0, 1]],
    dtype=float,
)
_SLIDE_KERNEL = np.array([[0, 1, 2], [2, 2, 0], [0, 1, 2]], dtype=float)
_SLIDE_IMAGE_2 = np.array(
    [[2, 2, 3, 3, 3], [0, 1, 3, 0, 3], [2, 3, 0, 1, 3], [3, 3, 2, 1, 2], [3, 3, 0, 2, 3]],
    dtype=float,
)
_SLIDE_KERNEL_2 = np.array([[2, 0, 1], [1, 0, 0], [0, 1, 1]], dtype=float)


def check_conv2d_single(candidate: Any) -> CheckResult:
    """Check ``conv2d_single(image, kernel, stride=1, padding=0)`` on one 2-D image.

    The result must be the cross-correlation that deep learning calls convolution (the
    kernel is *not* flipped), of the image padded with ``padding`` zeros on every side, with
    the window moving ``stride`` pixels at a time: an array of shape
    ``((H + 2p - kH) // s + 1, (W + 2p - kW) // s + 1)``, as ``torch.nn.functional.conv2d``.
    """
    rng = np.random.default_rng(21)
    cases = [
        ((_SLIDE_IMAGE, _SLIDE_KERNEL), {}),
        ((_SLIDE_IMAGE, _SLIDE_KERNEL), {"stride": 1, "padding": 0}),
        ((_SLIDE_IMAGE_2, _SLIDE_KERNEL_2), {"stride": 2, "padding": 1}),
        (
            (rng.integers(-3, 4, (6, 7)).astype(float), rng.normal(size=(3, 3))),
            {"stride": 1, "padding": 1},
        ),
        ((rng.normal(size=(7, 6)), rng.normal(size=(2, 3))), {"stride": 2, "padding": 0}),
        ((rng.normal(size=(8, 8)), rng.normal(size=(3, 3))), {"stride": 3, "padding": 2}),
    ]
    hint = (
        "pad first: padded = np.pad(image, padding) adds `padding` zeros on every side. "
        "The output has (H + 2p - kH) // stride + 1 rows (the same for columns); output "
        "pixel (i, j) is np.sum(window * kernel) for the window "
        "padded[i*stride : i*stride + kH, j*stride : j*stride + kW]. Do not flip the kernel."
    )
    variants = [
        (
            lambda image, kernel, stride=1, padding=0: _reference_conv2d_single(
                image, np.flip(kernel), stride, padding
            ),
            "you flipped the kernel. That is convolution as mathematics defines it; deep "
            'learning\'s "convolution" is cross-correlation: the kernel is used as it is.',
        ),
        (
            lambda image, kernel, stride=1, padding=0: _reference_conv2d_single(
                image, kernel, 1, padding
            ),
            "the stride is ignored: the window must move `stride` pixels at a time.",
        ),
        (
            lambda image, kernel, stride=1, padding=0: _reference_conv2d_single(
                image, kernel, stride, 0
            ),
            "the padding is ignored: pad the image with zeros before sliding the window.",
        ),
        (
            lambda image, kernel, stride=1, padding=0: (
                _reference_conv2d_single(image, kernel, stride, padding).T
            ),
            "rows and columns are swapped in your result.",
        ),
    ]
    return _check_with_diagnoses(
        candidate,
        name="conv2d_single",
        reference=_reference_conv2d_single,
        cases=cases,
        variants=variants,
        hint=hint,
        success="`conv2d_single` computes the convolution of deep learning, with stride and "
        "padding, including both worked examples of the slides.",
    )


def _output_size(n, kernel_size, stride=1, padding=0):
    return (n + 2 * padding - kernel_size) // stride + 1


def check_output_size(candidate: Any) -> CheckResult:
    """Check ``output_size(n, kernel_size, stride, padding)``: ``(n + 2p - k) // s + 1``."""
    cases = [
        ((5, 3, 1, 0), {}),
        ((5, 3, 2, 1), {}),
        ((28, 5, 1, 2), {}),
        ((28, 2, 2, 0), {}),
        ((7, 2, 2, 0), {}),  # the stride does not divide: round down
        ((224, 7, 2, 3), {}),
        ((32, 5, 1, 0), {}),
        ((6, 3, 4, 0), {}),
        ((4, 4, 1, 0), {}),
    ]
    variants = [
        (
            lambda n, k, s, p: (n + 2 * p - k) / s + 1,
            "you did not round down: a window that "
            "would stick out of the padded input does not count, so use // (floor division).",
        ),
        (
            lambda n, k, s, p: -(-(n + 2 * p - k) // s) + 1,
            "you rounded up: use // (floor division), not math.ceil.",
        ),
        (
            lambda n, k, s, p: (n + 2 * p - k) // s,
            "the + 1 is missing: it counts the window at the very first position.",
        ),
        (
            lambda n, k, s, p: (n + p - k) // s + 1,
            "the padding is counted once: it is added on both sides, so the padded size is n + 2p.",
        ),
        (
            lambda n, k, s, p: (n + 2 * p - k + 1) // s,
            "the + 1 is inside the division: it belongs after it, (n + 2p - k) // s + 1.",
        ),
    ]
    return _check_with_diagnoses(
        candidate,
        name="output_size",
        reference=_output_size,
        cases=cases,
        variants=variants,
        hint="the padded input has n + 2 * padding pixels; a kernel of size k fits at "
        "n + 2p - k + 1 positions one pixel apart, and with a stride s only every s-th of "
        "them is used: (n + 2 * padding - kernel_size) // stride + 1.",
        success="`output_size` is the output-size formula floor((n + 2p - k) / s) + 1.",
    )


def _reference_max_pool(x, pool_size, stride):
    from ..conv import max_pool2d

    return max_pool2d(np.asarray(x, dtype=float), pool_size, stride)


def check_max_pool(candidate: Any) -> CheckResult:
    """Check ``max_pool(x, pool_size, stride)``: the maximum of each window of a 2-D map.

    Windows are ``pool_size x pool_size``, start every ``stride`` pixels, and only windows
    that fit entirely inside ``x`` count (no padding), as ``torch.nn.functional.max_pool2d``.
    """
    rng = np.random.default_rng(23)
    cases = [
        ((np.array([[1.0, 3, 2, 0], [4, 6, 5, 1], [3, 1, 0, 2], [1, 2, 4, 3]]), 2, 2), {}),
        ((rng.normal(size=(6, 6)), 3, 3), {}),
        ((rng.normal(size=(5, 5)), 2, 2), {}),  # the last row and column are left over
        ((rng.normal(size=(5, 5)), 3, 1), {}),  # overlapping windows
        ((rng.normal(size=(4, 7)), 2, 1), {}),
        ((rng.normal(size=(7, 6)), 3, 2), {}),
    ]
    variants = [
        (
            lambda x, k, s: _reference_max_pool(-np.asarray(x, dtype=float), k, s) * -1,
            "you took the minimum of each window instead of the maximum.",
        ),
        (
            lambda x, k, s: _avg_pool(x, k, s),
            "you took the average of each window: that is average pooling.",
        ),
        (
            lambda x, k, s: _reference_max_pool(x, k, k),
            "the stride is ignored: here the "
            "windows must start every `stride` pixels, not every `pool_size` pixels.",
        ),
        (lambda x, k, s: _reference_max_pool(x, k, s).T, "rows and columns are swapped."),
    ]
    return _check_with_diagnoses(
        candidate,
        name="max_pool",
        reference=_reference_max_pool,
        cases=cases,
        variants=variants,
        hint="the output has (H - pool_size) // stride + 1 rows (the same for columns), and "
        "output pixel (i, j) is x[i*stride : i*stride + pool_size, "
        "j*stride : j*stride + pool_size].max().",
        success="`max_pool` keeps the largest value of every window.",
    )


def _avg_pool(x, k, s):
    from ..conv import avg_pool2d

    return avg_pool2d(np.asarray(x, dtype=float), k, s)
