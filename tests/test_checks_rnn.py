"""The recurrent-network checkers pass solutions computed by PyTorch (nn.RNNCell, nn.RNN,
clip_grad_norm_), not copies of their references, and reject each known mistake by name."""

import numpy as np
import torch
from _checkers import table_test

from dlcourse import checks


def _cell(W_ih, W_hh, b_ih, b_hh, nonlinearity="tanh"):
    cell = torch.nn.RNNCell(W_ih.shape[1], W_ih.shape[0], nonlinearity=nonlinearity).double()
    for name, value in zip(
        ("weight_ih", "weight_hh", "bias_ih", "bias_hh"), (W_ih, W_hh, b_ih, b_hh)
    ):
        getattr(cell, name).data = torch.tensor(value)
    return cell


def rnn_step(x_t, h_prev, W_ih, W_hh, b_ih, b_hh):
    with torch.no_grad():
        return _cell(W_ih, W_hh, b_ih, b_hh)(torch.tensor(x_t), torch.tensor(h_prev)).numpy()


def rnn_forward(X, h0, W_ih, W_hh, b_ih, b_hh):
    rnn = torch.nn.RNN(X.shape[2], h0.shape[1], batch_first=True).double()
    for name, value in zip(("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"),
                           (W_ih, W_hh, b_ih, b_hh)):  # fmt: skip
        getattr(rnn, name).data = torch.tensor(value)
    with torch.no_grad():
        return rnn(torch.tensor(X), torch.tensor(h0)[None])[0].numpy()


def rnn_parameters(input_size, hidden_size, num_layers):
    return sum(p.numel() for p in torch.nn.RNN(input_size, hidden_size, num_layers).parameters())


def clip_grad_norm(grads, max_norm):
    params = [torch.nn.Parameter(torch.zeros(g.shape, dtype=torch.float64)) for g in grads]
    for p, g in zip(params, grads):
        p.grad = torch.tensor(g)
    torch.nn.utils.clip_grad_norm_(params, max_norm)
    return [p.grad.numpy() for p in params]


def step(x, h, Wi, Wh, bi, bh):
    return np.tanh(x @ Wi.T + bi + h @ Wh.T + bh)


def forward(X, h0, *w, keep=True):
    h, states = h0, []
    for t in range(X.shape[1]):
        h = step(X[:, t], h if keep else h0, *w)
        states.append(h)
    return np.stack(states, axis=1)


def count(i, h, n, biases=2, recurrent=True):
    return sum(h * (i if k == 0 else h) + recurrent * h * h + biases * h for k in range(n))


def clip(grads, m, each=False, always=False, upside_down=False):
    total = np.sqrt(sum((g**2).sum() for g in grads))
    out = []
    for g in grads:
        norm = np.linalg.norm(g) if each else total
        out.append(g * (norm / m if upside_down else m / norm) if norm > m or always else g)
    return out


TABLE = [
    (checks.check_rnn_step, rnn_step, [
        (lambda x, h, Wi, Wh, bi, bh: x @ Wi.T + bi + h @ Wh.T + bh, "without the activation"),
        (lambda x, h, Wi, Wh, bi, bh: np.tanh(x @ Wi.T + bi + h @ Wh + bh), "W_hh without"),
        (lambda x, h, Wi, Wh, bi, bh: np.tanh(x @ Wi + bi + h @ Wh.T + bh), "W_ih without"),
        (lambda x, h, Wi, Wh, bi, bh: np.tanh(x @ Wi.T + bi + h @ Wh.T), "left out b_hh"),
        (lambda x, h, Wi, Wh, bi, bh: np.tanh(x @ Wi.T + h @ Wh.T + bh), "left out b_ih"),
        (lambda x, h, Wi, Wh, bi, bh: np.tanh(x @ Wi.T + bi + bh), "no memory"),
        (lambda x, h, *w: _relu_step(x, h, *w), "ReLU"),
    ]),
    (checks.check_rnn_forward, rnn_forward, [
        (lambda *a: rnn_forward(*a)[:, -1], "only the last hidden state"),
        (lambda *a: np.swapaxes(rnn_forward(*a), 0, 1), "axis 0"),
        (lambda X, h0, *w: rnn_forward(X, np.zeros_like(h0), *w), "started from zeros"),
        (lambda *a: forward(*a, keep=False), "Every step used h0"),
        (lambda *a: rnn_forward(*a)[:, :-1], "skipped the last"),
    ]),
    (checks.check_rnn_parameters, rnn_parameters, [
        (lambda *a: count(*a, biases=1), "one bias vector"),
        (lambda i, h, n: rnn_parameters(i, h, 1), "ignores num_layers"),
        (lambda i, h, n: n * rnn_parameters(i, h, 1), "Only the first layer"),
        (lambda *a: count(*a, recurrent=False), "forgot W_hh"),
        (lambda *a: float(rnn_parameters(*a)), "whole number"),
    ]),
    (checks.check_clip_grad_norm, clip_grad_norm, [
        (lambda gs, m: [np.clip(g, -m, m) for g in gs], "clipping by value"),
        (lambda *a: clip(*a, each=True), "its own norm"),
        (lambda *a: clip(*a, always=True), "small enough"),
        (lambda *a: clip(*a, upside_down=True), "Upside down"),
    ]),
]  # fmt: skip


def _relu_step(x, h, *w):
    with torch.no_grad():
        return _cell(*w, nonlinearity="relu")(torch.tensor(x), torch.tensor(h)).numpy()


test_checker_passes_a_solution_and_rejects_each_mistake_by_name = table_test(TABLE)
