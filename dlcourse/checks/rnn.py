"""Checkers for the exercises on recurrent networks (chapter 12), in PyTorch's layout: ``W_ih``
(hidden, input), ``W_hh`` (hidden, hidden), a batch of sequences (batch, seq_len, input)."""

import numpy as np

from ._core import CheckResult, check_function

# fmt: off


def _step(x, h, Wi, Wh, bi, bh, act=np.tanh):
    return act(x @ Wi.T + bi + h @ Wh.T + bh)


def _forward(X, h0, *w, keep=True):
    h, states = h0, []
    for t in range(X.shape[1]):
        h = _step(X[:, t], h if keep else h0, *w)
        states.append(h)
    return np.stack(states, axis=1)


def _weights(rng, input_size, hidden_size):
    s, n = 1.0 / np.sqrt(hidden_size), hidden_size
    return tuple(rng.uniform(-s, s, size) for size in ((n, input_size), (n, n), n, n))


def check_rnn_step(candidate) -> CheckResult:
    """Check ``rnn_step(x_t, h_prev, W_ih, W_hh, b_ih, b_hh)``, as ``nn.RNNCell``."""
    rng = np.random.default_rng(12)
    cases = [(rng.normal(size=(b, i)), rng.uniform(-1, 1, (b, h)), *_weights(rng, i, h))
             for b, i, h in [(4, 3, 3), (1, 1, 3), (4, 2, 3), (5, 3, 2), (2, 4, 4)]]
    return check_function(candidate, _step, cases, name="rnn_step",
        hint="one example per row: np.tanh(x_t @ W_ih.T + b_ih + h_prev @ W_hh.T + b_hh).",
        mistakes=[
        (lambda *a: _step(*a, act=lambda z: z), "That is the weighted sum without the activation."),
        (lambda x, h, Wi, Wh, bi, bh: _step(x, h, Wi, Wh.T, bi, bh), "You used W_hh without .T."),
        (lambda x, h, Wi, Wh, bi, bh: _step(x, h, Wi.T, Wh, bi, bh), "You used W_ih without .T."),
        (lambda x, h, Wi, Wh, bi, bh: _step(x, h, Wi, Wh, bi, 0), "You left out b_hh."),
        (lambda x, h, Wi, Wh, bi, bh: _step(x, h, Wi, Wh, 0, bh), "You left out b_ih."),
        (lambda x, h, *w: _step(x, 0 * h, *w), "The new state ignores h_prev: no memory."),
        (lambda *a: _step(*a, act=lambda z: np.maximum(0, z)), "ReLU? nn.RNN uses tanh."),
    ])


def check_rnn_forward(candidate) -> CheckResult:
    """Check ``rnn_forward(X, h0, W_ih, W_hh, b_ih, b_hh)``, as ``nn.RNN(batch_first=True)``."""
    rng = np.random.default_rng(21)
    cases = [(rng.normal(size=(b, t, i)), rng.uniform(-1, 1, (b, h)), *_weights(rng, i, h))
             for b, t, i, h in [(3, 5, 2, 4), (1, 3, 1, 2), (2, 7, 3, 3)]]
    return check_function(candidate, _forward, cases, name="rnn_forward",
        hint="h = h0; for t in range(X.shape[1]): h = rnn_step(X[:, t], h, ...), keep each h; "
        "np.stack(states, axis=1).", mistakes=[
        (lambda *a: _forward(*a)[:, -1], "You returned only the last hidden state."),
        (lambda *a: _forward(*a).transpose(1, 0, 2), "Your time steps are on axis 0: use axis=1."),
        (lambda X, h0, *w: _forward(X, 0 * h0, *w), "You started from zeros, not from h0."),
        (lambda *a: _forward(*a, keep=False), "Every step used h0: carry h to the next step."),
        (lambda *a: _forward(*a)[:, :-1], "You skipped the last time step."),
    ])


def _count(i, h, n, biases=2, recurrent=True):
    return sum(h * (i if k == 0 else h) + h * h * recurrent + biases * h for k in range(n))


def check_rnn_parameters(candidate) -> CheckResult:
    """Check ``rnn_parameters(input_size, hidden_size, num_layers)``: the size of ``nn.RNN``."""
    return check_function(candidate, _count, [(5, 4, 3), (1, 16, 1), (3, 8, 1), (1, 1, 1),
        (10, 20, 2), (7, 2, 4)], name="rnn_parameters", returns=int,
        hint="a layer has W_ih (hidden x its input), W_hh (hidden x hidden) and two biases; "
        "layers after the first read the hidden state.", mistakes=[
        (lambda *a: _count(*a, biases=1), "You counted one bias vector per layer; there are two."),
        (lambda i, h, n: _count(i, h, 1), "Your count ignores num_layers."),
        (lambda i, h, n: n * _count(i, h, 1), "Only the first layer reads the input."),
        (lambda *a: _count(*a, recurrent=False), "You forgot W_hh, the recurrent weights."),
        (lambda *a: float(_count(*a)), "A count is a whole number: return an int."),
    ])


def _clip(grads, max_norm, each=False, always=False, upside_down=False):
    total, out = np.sqrt(sum(np.sum(g**2) for g in grads)), []
    for g in grads:
        norm = np.sqrt(np.sum(g**2)) if each else total
        if norm > max_norm or always:
            g = g * (norm / max_norm if upside_down else max_norm / norm)
        out.append(g)
    return out


def check_clip_grad_norm(candidate) -> CheckResult:
    """Check ``clip_grad_norm(grads, max_norm)``, as ``clip_grad_norm_``."""
    rng = np.random.default_rng(33)
    cases = [([np.array([[1.0, 2.0], [2.0, 0.0]]), np.array([4.0])], 2.5),  # total norm 5
             ([np.array([3.0, 4.0])], 1.0), ([np.array([0.3, 0.4])], 1.0),  # norm 0.5: unchanged
             ([rng.normal(size=(3, 3)), rng.normal(size=3), rng.normal(size=(2, 3))], 1.0),
             ([rng.normal(size=4) * 0.01, rng.normal(size=2) * 0.01], 1.0)]
    return check_function(candidate, _clip, cases, name="clip_grad_norm", atol=1e-6,
        hint="total = np.sqrt(sum(np.sum(g ** 2) for g in grads)); if total > max_norm return "
        "[g * (max_norm / total) for g in grads], else grads.", mistakes=[
        (lambda gs, m: [np.clip(g, -m, m) for g in gs], "That is clipping by value."),
        (lambda *a: _clip(*a, each=True), "Each array by its own norm: use the total."),
        (lambda *a: _clip(*a, always=True), "Gradients that are small enough stay as they are."),
        (lambda *a: _clip(*a, upside_down=True), "Upside down: the factor is max_norm / total."),
    ])
