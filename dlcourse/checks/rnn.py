"""Checkers for the exercises on recurrent networks.

The layout is PyTorch's: ``W_ih`` has shape ``(hidden_size, input_size)``, ``W_hh`` has shape
``(hidden_size, hidden_size)``, a batch of inputs at one time step is ``(batch, input_size)``
and a batch of sequences is ``(batch, seq_len, input_size)`` (``batch_first=True``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._core import CheckResult, _call, _compare, _failed, _passed, _show, check_function

__all__ = [
    "check_clip_grad_norm",
    "check_rnn_forward",
    "check_rnn_parameters",
    "check_rnn_step",
]


# -- references ---------------------------------------------------------------------------
def _rnn_step(x_t, h_prev, W_ih, W_hh, b_ih, b_hh):
    return np.tanh(x_t @ W_ih.T + b_ih + h_prev @ W_hh.T + b_hh)


def _rnn_forward(X, h0, W_ih, W_hh, b_ih, b_hh):
    h, states = h0, []
    for t in range(X.shape[1]):
        h = _rnn_step(X[:, t], h, W_ih, W_hh, b_ih, b_hh)
        states.append(h)
    return np.stack(states, axis=1)


def _rnn_parameters(input_size, hidden_size, num_layers=1):
    first = hidden_size * (input_size + hidden_size) + 2 * hidden_size
    later = hidden_size * (hidden_size + hidden_size) + 2 * hidden_size
    return first + (num_layers - 1) * later


def _clip_grad_norm(grads, max_norm):
    total = np.sqrt(sum(float(np.sum(np.asarray(g, dtype=float) ** 2)) for g in grads))
    scale = min(1.0, max_norm / total) if total > 0 else 1.0
    return tuple(np.asarray(g, dtype=float) * scale for g in grads)


# -- helpers ------------------------------------------------------------------------------
def _weights(rng, input_size, hidden_size):
    scale = 1.0 / np.sqrt(hidden_size)
    return (
        rng.uniform(-scale, scale, (hidden_size, input_size)) * 2,
        rng.uniform(-scale, scale, (hidden_size, hidden_size)) * 2,
        rng.uniform(-scale, scale, hidden_size),
        rng.uniform(-scale, scale, hidden_size),
    )


def _matches(candidate: Callable, args: tuple, variant: Callable) -> bool:
    """Whether the candidate's output on ``args`` equals ``variant(*args)`` (a known slip)."""
    ok, got = _call(candidate, args, {})
    if not ok or got is None:
        return False
    try:
        with np.errstate(all="ignore"):
            return _compare(got, variant(*args), 1e-8) is None
    except Exception:
        return False


def _diagnose(candidate, args, result, slips) -> CheckResult:
    """Add the first matching slip's explanation to a failed result."""
    if result.passed:
        return result
    for variant, explanation in slips:
        if _matches(candidate, args, variant):
            return CheckResult(False, result.message.replace("\nHint:", f"\n{explanation}\nHint:"))
    return result


# -- checkers -----------------------------------------------------------------------------
def check_rnn_step(candidate: Any) -> CheckResult:
    """Check ``rnn_step(x_t, h_prev, W_ih, W_hh, b_ih, b_hh)`` for a batch.

    ``x_t`` has shape ``(batch, input_size)`` and ``h_prev`` shape ``(batch, hidden_size)``;
    the result is the new hidden state ``tanh(x_t W_ih^T + b_ih + h_prev W_hh^T + b_hh)`` of
    shape ``(batch, hidden_size)``, as ``torch.nn.RNNCell`` computes it.
    """
    hint = (
        "`W_ih @ x_t` works for one vector, not for a batch with one example per row. With "
        "one example per row, a layer is `x_t @ W_ih.T + b_ih`, as in chapter 4 "
        "(W_ih has one row per hidden unit). Add the same for the previous state, "
        "`h_prev @ W_hh.T + b_hh`, and apply np.tanh to the sum."
    )
    rng = np.random.default_rng(12)
    cases = []
    for batch, input_size, hidden_size in [(1, 1, 3), (4, 2, 3), (5, 3, 2), (2, 4, 4)]:
        x_t = rng.normal(size=(batch, input_size))
        h_prev = rng.uniform(-1, 1, (batch, hidden_size))
        cases.append((x_t, h_prev, *_weights(rng, input_size, hidden_size)))
    result = check_function(
        candidate,
        _rnn_step,
        cases,
        name="rnn_step",
        hint=hint,
        success="`rnn_step` computes the new hidden state of every sequence in the batch.",
    )
    slips = [
        (
            lambda x, h, Wi, Wh, bi, bh: x @ Wi.T + bi + h @ Wh.T + bh,
            "Your result is the weighted sum without the activation: apply np.tanh.",
        ),
        (
            lambda x, h, Wi, Wh, bi, bh: np.tanh(x @ Wi.T + bi + h @ Wh + bh),
            "You used W_hh without transposing it: `h_prev @ W_hh` mixes the hidden units "
            "by columns instead of rows.",
        ),
        (
            lambda x, h, Wi, Wh, bi, bh: np.tanh(x @ Wi.T + bi + h @ Wh.T),
            "You left out one bias: PyTorch's RNN has two, b_ih and b_hh, and adds both.",
        ),
        (
            lambda x, h, Wi, Wh, bi, bh: np.tanh(x @ Wi.T + h @ Wh.T + bh),
            "You left out one bias: PyTorch's RNN has two, b_ih and b_hh, and adds both.",
        ),
        (
            lambda x, h, Wi, Wh, bi, bh: np.tanh(x @ Wi.T + bi + bh),
            "Your new state does not depend on h_prev: without `h_prev @ W_hh.T` the network "
            "has no memory.",
        ),
    ]
    return _diagnose(candidate, cases[2], result, slips)


def check_rnn_forward(candidate: Any) -> CheckResult:
    """Check ``rnn_forward(X, h0, W_ih, W_hh, b_ih, b_hh)`` over whole sequences.

    ``X`` has shape ``(batch, seq_len, input_size)`` and ``h0`` shape ``(batch, hidden_size)``;
    the result stacks the hidden state of every time step, shape
    ``(batch, seq_len, hidden_size)``: the first output of
    ``torch.nn.RNN(input_size, hidden_size, batch_first=True)``.
    """
    hint = (
        "start from h = h0, loop over t in range(X.shape[1]), update "
        "h = rnn_step(X[:, t], h, ...) and keep every h in a list; then "
        "np.stack(states, axis=1) puts the time steps on axis 1."
    )
    rng = np.random.default_rng(21)
    cases = []
    for batch, seq_len, input_size, hidden_size in [(1, 3, 1, 2), (3, 5, 2, 4), (2, 7, 3, 3)]:
        X = rng.normal(size=(batch, seq_len, input_size))
        h0 = rng.uniform(-1, 1, (batch, hidden_size))
        cases.append((X, h0, *_weights(rng, input_size, hidden_size)))
    result = check_function(
        candidate,
        _rnn_forward,
        cases,
        name="rnn_forward",
        hint=hint,
        success="`rnn_forward` runs the recurrence over every time step, as nn.RNN does.",
    )
    slips = [
        (
            lambda X, h0, *w: _rnn_forward(X, h0, *w)[:, -1],
            "You returned only the last hidden state: return all of them, one per time step.",
        ),
        (
            lambda X, h0, *w: np.stack([_rnn_forward(X, h0, *w)[:, t] for t in range(X.shape[1])]),
            "Your time steps are on axis 0 (seq_len, batch, hidden_size): stack with axis=1.",
        ),
        (
            lambda X, h0, *w: _rnn_forward(X, np.zeros_like(h0), *w),
            "You started from zeros: the first step must use the given initial state h0.",
        ),
        (
            lambda X, h0, *w: np.stack(
                [_rnn_step(X[:, t], h0, *w) for t in range(X.shape[1])], axis=1
            ),
            "Every step used h0: update h after each step so that the next one uses it.",
        ),
    ]
    return _diagnose(candidate, cases[1], result, slips)


def check_rnn_parameters(candidate: Any) -> CheckResult:
    """Check ``rnn_parameters(input_size, hidden_size, num_layers)``.

    The number of learnable numbers of ``torch.nn.RNN(input_size, hidden_size, num_layers)``:
    each layer has ``W_ih``, ``W_hh``, ``b_ih`` and ``b_hh``; the first layer reads the input,
    every later layer reads the hidden state of the layer below.
    """
    hint = (
        "one layer has W_ih (hidden_size x its input size), W_hh (hidden_size x hidden_size) "
        "and two bias vectors of hidden_size each. The first layer's input size is "
        "input_size; a later layer's input is the hidden state of the layer below, of size "
        "hidden_size. The sequence length does not appear: the weights are shared in time."
    )
    cases = [(1, 16, 1), (3, 8, 1), (1, 1, 1), (10, 20, 2), (5, 4, 3), (7, 2, 4)]
    result = check_function(
        candidate,
        _rnn_parameters,
        cases,
        name="rnn_parameters",
        hint=hint,
        success="`rnn_parameters` counts the weights and biases of nn.RNN, layer by layer.",
    )
    slips = [
        (
            lambda i, h, n: _rnn_parameters(i, h, n) - n * h,
            "You counted one bias vector per layer: PyTorch's RNN has two, b_ih and b_hh.",
        ),
        (
            lambda i, h, n: _rnn_parameters(i, h, 1),
            "Your count ignores num_layers.",
        ),
        (
            lambda i, h, n: n * _rnn_parameters(i, h, 1),
            "Only the first layer reads the input: the later layers read a hidden state of "
            "size hidden_size, so their W_ih is hidden_size x hidden_size.",
        ),
    ]
    return _diagnose(candidate, cases[4], result, slips)


def check_clip_grad_norm(candidate: Any) -> CheckResult:
    """Check ``clip_grad_norm(grads, max_norm)``: rescale a list of gradient arrays.

    The total norm is ``sqrt(sum of every squared entry of every array)``. If it exceeds
    ``max_norm``, every array is multiplied by ``max_norm / total``; otherwise the gradients
    are returned unchanged. This is what ``torch.nn.utils.clip_grad_norm_`` does (in place).
    """
    hint = (
        "compute ONE norm for all the arrays together: "
        "total = np.sqrt(sum(np.sum(g ** 2) for g in grads)). If total > max_norm, return "
        "[g * (max_norm / total) for g in grads]; otherwise return the gradients as they are."
    )
    rng = np.random.default_rng(33)
    cases = [
        ([np.array([3.0, 4.0])], 1.0),  # norm 5 -> norm 1
        ([np.array([0.3, 0.4])], 1.0),  # norm 0.5: unchanged
        ([np.array([[1.0, 2.0], [2.0, 0.0]]), np.array([4.0])], 2.5),  # total norm 5
        ([rng.normal(size=(3, 3)), rng.normal(size=3), rng.normal(size=(2, 3))], 1.0),
        ([rng.normal(size=4) * 0.01, rng.normal(size=2) * 0.01], 1.0),
    ]
    try:
        if not callable(candidate):
            return _failed(
                f"`clip_grad_norm` should be a function; got {type(candidate).__name__}.", hint
            )
        for grads, max_norm in cases:
            shown = f"[{', '.join(_show(g) for g in grads)}], {max_norm:g}"
            expected = _clip_grad_norm(grads, max_norm)
            ok, got = _call(candidate, ([g.copy() for g in grads], max_norm), {})
            if not ok:
                return _failed(f"`clip_grad_norm({shown})` raised {got}", hint)
            if isinstance(got, np.ndarray) and len(grads) == 1:
                got = [got]
            problem = _compare(got, expected, 1e-6)
            if problem is None:
                continue
            extra = _clipping_slip(grads, max_norm, got)
            message = f"for `clip_grad_norm({shown})`: {problem}"
            if extra:
                message += f"\n{extra}"
            return _failed(message, hint)
        return _passed(
            "`clip_grad_norm` rescales the gradients together when their norm is too large, "
            "like torch.nn.utils.clip_grad_norm_."
        )
    except Exception as exc:
        return _failed(f"the check itself could not run ({type(exc).__name__}: {exc}).", hint)


def _clipping_slip(grads, max_norm, got) -> str | None:
    """Explain a known wrong way to clip, if ``got`` is one."""
    slips = [
        (
            tuple(np.clip(g, -max_norm, max_norm) for g in grads),
            "You clipped every entry to [-max_norm, max_norm] (clipping by value); clipping "
            "by norm rescales the whole gradient and keeps its direction.",
        ),
        (
            tuple(
                g * min(1.0, max_norm / np.linalg.norm(g)) if np.linalg.norm(g) > 0 else g
                for g in grads
            ),
            "You rescaled each array by its own norm: use one total norm over all arrays.",
        ),
        (
            tuple(g * (max_norm / np.sqrt(sum(np.sum(a**2) for a in grads))) for g in grads),
            "You also scaled gradients that were already small enough: rescale only when the "
            "total norm exceeds max_norm.",
        ),
    ]
    for variant, explanation in slips:
        if _compare(got, variant, 1e-8) is None:
            return explanation
    return None
