"""Checkers for the exercises on recurrent networks (chapter 12).

The layout is PyTorch's: ``W_ih`` is ``(hidden_size, input_size)``, ``W_hh`` is
``(hidden_size, hidden_size)``, one time step of a batch is ``(batch, input_size)`` and a batch
of sequences ``(batch, seq_len, input_size)`` (``batch_first=True``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._core import CheckResult, check_function


def _step(x, h, Wi, Wh, bi, bh, act=np.tanh):
    return act(x @ Wi.T + bi + h @ Wh.T + bh)


def _forward(X, h0, *w, keep=True):
    h, states = h0, []
    for t in range(X.shape[1]):
        h = _step(X[:, t], h if keep or not states else h0, *w)
        states.append(h)
    return np.stack(states, axis=1)


def _weights(rng, input_size, hidden_size):
    s = 1.0 / np.sqrt(hidden_size)
    sizes = ((hidden_size, input_size), (hidden_size, hidden_size), hidden_size, hidden_size)
    return tuple(rng.uniform(-s, s, size) for size in sizes)


def check_rnn_step(candidate: Any) -> CheckResult:
    """Check ``rnn_step(x_t, h_prev, W_ih, W_hh, b_ih, b_hh)`` for a batch: the new hidden state
    ``tanh(x_t W_ih^T + b_ih + h_prev W_hh^T + b_hh)``, as ``torch.nn.RNNCell``."""
    rng = np.random.default_rng(12)
    cases = [
        (rng.normal(size=(b, i)), rng.uniform(-1, 1, (b, h)), *_weights(rng, i, h))
        for b, i, h in [(4, 3, 3), (1, 1, 3), (4, 2, 3), (5, 3, 2), (2, 4, 4)]
    ]
    mistakes = [
        (lambda *a: _step(*a, act=lambda z: z), "Your result is the weighted sum without the "
         "activation: apply np.tanh."),
        (lambda x, h, Wi, Wh, bi, bh: np.tanh(x @ Wi.T + bi + h @ Wh + bh), "You used W_hh "
         "without transposing it: h_prev @ W_hh.T."),
        (lambda x, h, Wi, Wh, bi, bh: np.tanh(x @ Wi + bi + h @ Wh.T + bh), "You used W_ih "
         "without transposing it: x_t @ W_ih.T."),
        (lambda x, h, Wi, Wh, bi, bh: _step(x, h, Wi, Wh, bi, 0), "You left out b_hh: "
         "PyTorch's RNN has two biases, b_ih and b_hh, and adds both."),
        (lambda x, h, Wi, Wh, bi, bh: _step(x, h, Wi, Wh, 0, bh), "You left out b_ih: "
         "PyTorch's RNN has two biases, b_ih and b_hh, and adds both."),
        (lambda x, h, Wi, Wh, bi, bh: _step(x, 0 * h, Wi, Wh, bi, bh), "Your new state does "
         "not depend on h_prev: without h_prev @ W_hh.T the network has no memory."),
        (lambda *a: _step(*a, act=lambda z: np.maximum(0, z)), "You used the ReLU; nn.RNN's "
         "default activation is tanh."),
    ]  # fmt: skip
    return check_function(
        candidate, _step, cases, name="rnn_step", mistakes=mistakes,
        hint="with one example per row, a layer is x_t @ W_ih.T + b_ih, as in chapter 4. Add "
        "the same for the previous state, h_prev @ W_hh.T + b_hh, and apply np.tanh.",
        success="`rnn_step` computes the new hidden state of every sequence in the batch.",
    )  # fmt: skip


def check_rnn_forward(candidate: Any) -> CheckResult:
    """Check ``rnn_forward(X, h0, W_ih, W_hh, b_ih, b_hh)``: the hidden state of every time
    step, shape ``(batch, seq_len, hidden_size)``, the first output of ``nn.RNN``."""
    rng = np.random.default_rng(21)
    cases = [
        (rng.normal(size=(b, t, i)), rng.uniform(-1, 1, (b, h)), *_weights(rng, i, h))
        for b, t, i, h in [(3, 5, 2, 4), (1, 3, 1, 2), (2, 7, 3, 3)]
    ]
    mistakes = [
        (lambda *a: _forward(*a)[:, -1], "You returned only the last hidden state: return all "
         "of them, one per time step."),
        (lambda *a: _forward(*a).transpose(1, 0, 2), "Your time steps are on axis 0 (seq_len, "
         "batch, hidden_size): stack with axis=1."),
        (lambda X, h0, *w: _forward(X, 0 * h0, *w), "You started from zeros: the first step "
         "must use the given initial state h0."),
        (lambda *a: _forward(*a, keep=False), "Every step used h0: update h after each step so "
         "that the next one uses it."),
        (lambda X, h0, *w: _forward(X, h0, *w)[:, :-1], "You skipped the last time step."),
    ]  # fmt: skip
    return check_function(
        candidate, _forward, cases, name="rnn_forward", mistakes=mistakes,
        hint="start from h = h0, loop over t in range(X.shape[1]), update "
        "h = rnn_step(X[:, t], h, ...) and keep every h in a list; then "
        "np.stack(states, axis=1) puts the time steps on axis 1.",
        success="`rnn_forward` runs the recurrence over every time step, as nn.RNN does.",
    )  # fmt: skip


def _count(i, h, n, later=None, biases=2, recurrent=True):
    later = h if later is None else later
    return sum(h * (i if k == 0 else later) + h * h * recurrent + biases * h for k in range(n))


def check_rnn_parameters(candidate: Any) -> CheckResult:
    """Check ``rnn_parameters(input_size, hidden_size, num_layers)``: the learnable numbers of
    ``nn.RNN``; each layer has ``W_ih``, ``W_hh``, ``b_ih``, ``b_hh``."""
    cases = [(5, 4, 3), (1, 16, 1), (3, 8, 1), (1, 1, 1), (10, 20, 2), (7, 2, 4)]
    mistakes = [
        (lambda *a: _count(*a, biases=1), "You counted one bias vector per layer: PyTorch's "
         "RNN has two, b_ih and b_hh."),
        (lambda i, h, n: _count(i, h, 1), "Your count ignores num_layers."),
        (lambda i, h, n: n * _count(i, h, 1), "Only the first layer reads the input: the later "
         "layers read a hidden state of size hidden_size, so their W_ih is hidden_size x "
         "hidden_size."),
        (lambda *a: _count(*a, recurrent=False), "You forgot W_hh, the recurrent weights "
         "(hidden_size x hidden_size per layer)."),
        (lambda *a: float(_count(*a)), "A count is a whole number: return an int."),
    ]  # fmt: skip
    return check_function(
        candidate, _count, cases, name="rnn_parameters", mistakes=mistakes, returns=int,
        hint="one layer has W_ih (hidden_size x its input size), W_hh (hidden_size x "
        "hidden_size) and two bias vectors of hidden_size. A later layer's input is the hidden "
        "state of the layer below. The sequence length does not appear.",
        success="`rnn_parameters` counts the weights and biases of nn.RNN, layer by layer.",
    )  # fmt: skip


def _clip(grads, max_norm, each=False, always=False, upside_down=False):
    total, out = np.sqrt(sum(np.sum(g**2) for g in grads)), []
    for g in grads:
        norm = np.sqrt(np.sum(g**2)) if each else total
        if norm > max_norm or always:
            g = g * (norm / max_norm if upside_down else max_norm / norm)
        out.append(g)
    return tuple(out)


def check_clip_grad_norm(candidate: Any) -> CheckResult:
    """Check ``clip_grad_norm(grads, max_norm)``: if the total norm of all the arrays together
    exceeds ``max_norm``, multiply each by ``max_norm / total``, as
    ``torch.nn.utils.clip_grad_norm_``; otherwise return them unchanged."""
    rng = np.random.default_rng(33)
    cases = [
        ([np.array([[1.0, 2.0], [2.0, 0.0]]), np.array([4.0])], 2.5),  # total norm 5
        ([np.array([3.0, 4.0])], 1.0),  # norm 5 -> norm 1
        ([np.array([0.3, 0.4])], 1.0),  # norm 0.5: unchanged
        ([rng.normal(size=(3, 3)), rng.normal(size=3), rng.normal(size=(2, 3))], 1.0),
        ([rng.normal(size=4) * 0.01, rng.normal(size=2) * 0.01], 1.0),
    ]
    mistakes = [
        (lambda gs, m: [np.clip(g, -m, m) for g in gs], "You clipped every entry to "
         "[-max_norm, max_norm] (clipping by value); clipping by norm rescales the whole "
         "gradient and keeps its direction."),
        (lambda *a: _clip(*a, each=True), "You rescaled each array by its own norm: use one "
         "total norm over all arrays."),
        (lambda *a: _clip(*a, always=True), "You also scaled gradients that were small "
         "enough: rescale only when the total norm exceeds max_norm."),
        (lambda *a: _clip(*a, upside_down=True), "Upside down: the factor is max_norm / "
         "total, which is below 1 when the norm is too large."),
    ]  # fmt: skip
    return check_function(
        candidate, _clip, cases, name="clip_grad_norm", mistakes=mistakes, atol=1e-6,
        hint="compute ONE norm for all the arrays together: total = np.sqrt(sum(np.sum(g ** 2) "
        "for g in grads)). If total > max_norm, return [g * (max_norm / total) for g in "
        "grads]; otherwise return the gradients as they are.",
        success="`clip_grad_norm` rescales the gradients together when their norm is too "
        "large, like torch.nn.utils.clip_grad_norm_.",
    )  # fmt: skip
