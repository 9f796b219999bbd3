"""The recurrent-network checkers pass the solutions, fail wrong ones helpfully, never raise.

The reference solutions are themselves checked against PyTorch (nn.RNNCell, nn.RNN,
clip_grad_norm_), so a checker cannot be wrong in the same way as its reference.
"""

import numpy as np
import pytest
import torch

from dlcourse import checks


def rnn_step(x_t, h_prev, W_ih, W_hh, b_ih, b_hh):
    return np.tanh(x_t @ W_ih.T + b_ih + h_prev @ W_hh.T + b_hh)


def rnn_forward(X, h0, W_ih, W_hh, b_ih, b_hh):
    h, states = h0, []
    for t in range(X.shape[1]):
        h = rnn_step(X[:, t], h, W_ih, W_hh, b_ih, b_hh)
        states.append(h)
    return np.stack(states, axis=1)


def rnn_parameters(input_size, hidden_size, num_layers):
    total = 0
    for layer in range(num_layers):
        n_in = input_size if layer == 0 else hidden_size
        total += hidden_size * n_in + hidden_size * hidden_size + 2 * hidden_size
    return total


def clip_grad_norm(grads, max_norm):
    total = np.sqrt(sum(np.sum(g**2) for g in grads))
    if total > max_norm:
        return [g * (max_norm / total) for g in grads]
    return grads


def skeleton(*args): ...


def crashes(*args):
    raise IndexError("index 5 is out of bounds")


# -- the solutions agree with PyTorch -------------------------------------------------------
def _torch_rnn(input_size, hidden_size, num_layers=1):
    torch.manual_seed(0)
    return torch.nn.RNN(input_size, hidden_size, num_layers, batch_first=True).double()


def test_rnn_step_and_forward_solutions_match_torch():
    rnn = _torch_rnn(3, 5)
    W_ih, W_hh, b_ih, b_hh = (p.detach().numpy() for p in rnn.parameters())
    X = torch.randn(4, 6, 3, dtype=torch.float64)
    h0 = torch.randn(1, 4, 5, dtype=torch.float64)
    with torch.no_grad():
        output, h_n = rnn(X, h0)
        cell = torch.nn.RNNCell(3, 5).double()
        cell.load_state_dict({k.removesuffix("_l0"): v for k, v in rnn.state_dict().items()})
        first = cell(X[:, 0], h0[0])
    ours = rnn_forward(X.numpy(), h0[0].numpy(), W_ih, W_hh, b_ih, b_hh)
    np.testing.assert_allclose(ours, output.numpy(), atol=1e-12)
    np.testing.assert_allclose(ours[:, -1], h_n[0].numpy(), atol=1e-12)
    np.testing.assert_allclose(
        rnn_step(X[:, 0].numpy(), h0[0].numpy(), W_ih, W_hh, b_ih, b_hh), first.numpy(), atol=1e-12
    )


@pytest.mark.parametrize(
    ("input_size", "hidden_size", "num_layers"), [(1, 16, 1), (3, 8, 1), (10, 20, 2), (5, 4, 3)]
)
def test_rnn_parameters_solution_matches_torch(input_size, hidden_size, num_layers):
    rnn = _torch_rnn(input_size, hidden_size, num_layers)
    assert rnn_parameters(input_size, hidden_size, num_layers) == sum(
        p.numel() for p in rnn.parameters()
    )


def test_clip_grad_norm_solution_matches_torch():
    rng = np.random.default_rng(0)
    for scale in (0.05, 1.0, 10.0):
        grads = [scale * rng.normal(size=(3, 4)), scale * rng.normal(size=4)]
        params = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
        for p, g in zip(params, grads):
            p.grad = torch.tensor(g)
        torch.nn.utils.clip_grad_norm_(params, max_norm=1.0)
        for ours, p in zip(clip_grad_norm(grads, 1.0), params):
            np.testing.assert_allclose(ours, p.grad.numpy(), rtol=1e-5)


# -- each checker passes the solution and explains wrong answers -----------------------------
CASES = [
    (
        checks.check_rnn_step,
        rnn_step,
        [
            (lambda x, h, Wi, Wh, bi, bh: x @ Wi.T + bi + h @ Wh.T + bh, "without the activation"),
            (lambda x, h, Wi, Wh, bi, bh: np.tanh(x @ Wi.T + bi + h @ Wh + bh), "transposing"),
            (lambda x, h, Wi, Wh, bi, bh: np.tanh(x @ Wi.T + bi + h @ Wh.T), "two, b_ih and b_hh"),
            (lambda x, h, Wi, Wh, bi, bh: np.tanh(x @ Wi.T + bi + bh), "no memory"),
            (lambda x, h, Wi, Wh, bi, bh: np.tanh(Wi @ x + bi + Wh @ h + bh), "raised"),
            (
                lambda x, h, Wi, Wh, bi, bh: 1 / (1 + np.exp(-(x @ Wi.T + bi + h @ Wh.T + bh))),
                "expected",
            ),  # a sigmoid
        ],
    ),
    (
        checks.check_rnn_forward,
        rnn_forward,
        [
            (lambda X, h0, *w: rnn_forward(X, h0, *w)[:, -1], "only the last hidden state"),
            (lambda X, h0, *w: rnn_forward(X, h0, *w).transpose(1, 0, 2), "axis=1"),
            (lambda X, h0, *w: rnn_forward(X, 0 * h0, *w), "initial state h0"),
            (
                lambda X, h0, *w: np.stack(
                    [rnn_step(X[:, t], h0, *w) for t in range(X.shape[1])], axis=1
                ),
                "update h after each step",
            ),
            (lambda X, h0, *w: rnn_forward(X[:, ::-1], h0, *w), "expected"),  # backwards in time
        ],
    ),
    (
        checks.check_rnn_parameters,
        rnn_parameters,
        [
            (lambda i, h, n: rnn_parameters(i, h, n) - n * h, "one bias vector"),
            (lambda i, h, n: rnn_parameters(i, h, 1), "ignores num_layers"),
            (lambda i, h, n: n * rnn_parameters(i, h, 1), "Only the first layer reads the input"),
            (lambda i, h, n: h * i + h * h + 2 * h + 20, "expected"),
        ],
    ),
    (
        checks.check_clip_grad_norm,
        clip_grad_norm,
        [
            (lambda g, m: [np.clip(a, -m, m) for a in g], "clipping by value"),
            (lambda g, m: [a * min(1.0, m / np.linalg.norm(a)) for a in g], "its own norm"),
            (
                lambda g, m: [a * (m / np.sqrt(sum(np.sum(b**2) for b in g))) for a in g],
                "already small enough",
            ),
            (lambda g, m: g, "expected"),  # no clipping at all
        ],
    ),
]


@pytest.mark.parametrize(("checker", "solution", "wrong"), CASES)
def test_rnn_checkers_pass_the_solution_and_fail_wrong_answers(
    checker, solution, wrong, checker_contract
):
    checker_contract.passes_and_fails(checker, solution, wrong)


@pytest.mark.parametrize(("checker", "solution", "wrong"), CASES)
def test_rnn_checkers_never_raise(checker, solution, wrong, checker_contract):
    checker_contract.never_raises(checker)


def test_clip_grad_norm_accepts_a_tuple_and_a_single_array():
    assert checks.check_clip_grad_norm(lambda g, m: tuple(clip_grad_norm(g, m))).passed
    result = checks.check_clip_grad_norm(lambda g, m: np.concatenate([a.ravel() for a in g]))
    assert not result.passed


def test_rnn_step_checker_does_not_accept_the_single_vector_form_silently():
    result = checks.check_rnn_step(lambda x, h, Wi, Wh, bi, bh: np.tanh(Wi @ x + bi + Wh @ h + bh))
    assert "one example per row" in result.message
