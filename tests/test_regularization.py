"""Tests of dlcourse.regularization and of the Dropout layer and train/eval modes of dlcourse.mlp.

PyTorch is the reference: given the same mask, the outputs and the gradients must be those of
``torch.nn.functional.dropout`` and autograd. The masks themselves come from different random
generators, so they are compared on their statistics.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from matplotlib.figure import Figure

from dlcourse import mlp as M
from dlcourse import plotting
from dlcourse import regularization as R
from dlcourse.regularization import _keep_mask, dropout

TOL = {"rtol": 1e-12, "atol": 1e-14}


def torch_dropout_with_its_mask(x: np.ndarray, p: float, seed: int):
    """torch's dropout of ``x`` (float64, with autograd) and the keep-mask it used."""
    torch.manual_seed(seed)
    ones = F.dropout(torch.ones(x.shape, dtype=torch.float64), p, training=True)
    torch.manual_seed(seed)  # the same draws again, now on x
    xt = torch.tensor(x, requires_grad=True)
    out = F.dropout(xt, p, training=True)
    return xt, out, (ones != 0).numpy()


# --------------------------------------------------------------------- statistics


@pytest.mark.parametrize("p", [0.1, 0.3, 0.5, 0.8])
def test_fraction_zeroed_is_p_and_survivors_are_scaled(p):
    x = np.ones((400, 500))
    out = dropout(x, p, rng=0)
    n = x.size
    zeroed = np.mean(out == 0)
    assert abs(zeroed - p) < 5 * np.sqrt(p * (1 - p) / n)  # five standard errors
    np.testing.assert_allclose(out[out != 0], 1 / (1 - p), rtol=1e-15)
    # the mean is preserved (its standard error is sqrt(p / (1 - p) / n))
    assert abs(out.mean() - 1.0) < 5 * np.sqrt(p / (1 - p) / n)


def test_expected_value_of_every_element_is_preserved():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(3, 4))
    p, repeats = 0.4, 20_000
    total = np.zeros_like(x)
    generator = np.random.default_rng(2)
    for _ in range(repeats):
        total += dropout(x, p, rng=generator)
    average = total / repeats
    standard_error = np.abs(x) * np.sqrt(p / (1 - p) / repeats)
    assert np.all(np.abs(average - x) < 5 * standard_error + 1e-12)


def test_masks_are_independent_per_element_and_per_call():
    generator = np.random.default_rng(0)
    a = _keep_mask((200, 50), 0.5, generator)
    b = _keep_mask((200, 50), 0.5, generator)
    assert a.dtype == bool and a.shape == (200, 50)
    assert 0.4 < np.mean(a != b) < 0.6  # a fresh mask on each call
    assert len({row.tobytes() for row in a}) == 200  # each example gets its own mask
    # a seed gives the same mask every time, and dropout uses exactly that mask
    x = np.arange(1.0, 13.0).reshape(3, 4)
    np.testing.assert_array_equal(dropout(x, 0.25, rng=3), x * _keep_mask(x.shape, 0.25, 3) / 0.75)


def test_torch_fraction_zeroed_agrees_with_ours():
    x = np.ones((300, 300))
    torch.manual_seed(0)
    theirs = F.dropout(torch.tensor(x), 0.3, training=True).numpy()
    ours = dropout(x, 0.3, rng=0)
    assert abs(np.mean(theirs == 0) - np.mean(ours == 0)) < 0.01
    np.testing.assert_allclose(np.unique(theirs), np.unique(ours), rtol=1e-12)


# ------------------------------------------------------------ semantics of torch's dropout


@pytest.mark.parametrize("p", [0.0, 0.2, 0.5, 0.9])
def test_same_mask_gives_torchs_output(p, monkeypatch):
    x = np.random.default_rng(0).normal(size=(6, 9))
    _, theirs, mask = torch_dropout_with_its_mask(x, p, seed=4)
    monkeypatch.setattr(R, "_keep_mask", lambda shape, p, rng: mask)  # torch's mask
    np.testing.assert_allclose(dropout(x, p, rng=0), theirs.detach().numpy(), **TOL)


@pytest.mark.parametrize("p", [0.0, 0.3, 0.7])
def test_evaluation_mode_is_the_identity_like_torch(p):
    x = np.random.default_rng(0).normal(size=(4, 5))
    assert dropout(x, p, training=False) is x  # no copy, as torch returns its input
    assert dropout(x, p, training=False, rng=0) is x
    np.testing.assert_array_equal(
        dropout(x, p, training=False), F.dropout(torch.tensor(x), p, False)
    )
    xt = torch.tensor(x)
    assert F.dropout(xt, p, training=False) is xt
    np.testing.assert_array_equal(dropout(x.tolist(), p, training=False), x)  # array-likes
    np.testing.assert_array_equal(dropout(torch.tensor(x), p, training=False), x)


def test_p_zero_in_training_is_the_identity():
    x = np.random.default_rng(0).normal(size=(4, 5))
    np.testing.assert_array_equal(dropout(x, 0.0), x)  # no rng needed: nothing is random
    np.testing.assert_array_equal(dropout(x, 0.0, rng=0), x)


def test_any_shape_and_integer_input():
    out = dropout(np.ones((2, 3, 4), dtype=int), 0.5, rng=0)
    assert out.shape == (2, 3, 4) and out.dtype == np.float64
    assert set(np.unique(out)) <= {0.0, 2.0}
    assert dropout(3.0, 0.5, rng=1).shape == ()


# ----------------------------------------------------------------- the Dropout layer


@pytest.mark.parametrize("p", [0.2, 0.5])
def test_layer_forward_and_backward_match_torch_given_torchs_mask(p, monkeypatch):
    rng = np.random.default_rng(0)
    x, g = rng.normal(size=(8, 10)), rng.normal(size=(8, 10))
    xt, out, mask = torch_dropout_with_its_mask(x, p, seed=7)
    (out * torch.tensor(g)).sum().backward()  # autograd: the gradient with torch's mask

    monkeypatch.setattr(M, "_keep_mask", lambda shape, p, rng: mask)
    layer = M.Dropout(p, seed=0)
    np.testing.assert_allclose(layer(x), out.detach().numpy(), **TOL)
    np.testing.assert_array_equal(layer.mask, mask)
    np.testing.assert_allclose(layer.backward(g), xt.grad.numpy(), **TOL)


def test_layer_backward_uses_the_mask_of_the_last_forward():
    layer = M.Dropout(0.5, seed=3)
    x = np.ones((50, 40))
    out = layer(x)
    np.testing.assert_array_equal(out, dropout(x, 0.5, rng=3))  # same seed, same mask
    grad = layer.backward(np.ones_like(x))
    np.testing.assert_array_equal(grad, out)  # zero exactly where the unit was dropped
    out2 = layer(x)  # a new forward draws a new mask
    assert np.any(out2 != out)
    np.testing.assert_array_equal(layer.backward(np.ones_like(x)), out2)


def test_layer_in_evaluation_mode_is_the_identity():
    layer = M.Dropout(0.6, seed=0)
    assert layer.training and repr(layer) == "Dropout(p=0.6)" and layer.parameters() == []
    x = np.random.default_rng(0).normal(size=(5, 3))
    assert layer.eval() is layer and not layer.training
    assert layer(x) is x and layer.mask is None
    g = np.arange(15.0).reshape(5, 3)
    np.testing.assert_array_equal(layer.backward(g), g)
    np.testing.assert_array_equal(torch.nn.Dropout(0.6).eval()(torch.tensor(x)).numpy(), x)
    layer.train()
    assert layer.training and np.any(layer(x) == 0)


class FixedDropout(torch.nn.Module):
    """torch's dropout with a mask chosen by the test (so autograd sees our masks)."""

    def __init__(self, p: float) -> None:
        super().__init__()
        self.p, self.mask = p, None

    def forward(self, x):
        if not self.training:
            return x
        return x * torch.from_numpy(self.mask) / (1 - self.p)


def test_mlp_with_dropout_matches_torch_autograd_given_the_same_masks():
    model = M.MLP([3, 16, 12, 2], "tanh", dropout=0.4, seed=0)
    kinds = [repr(layer).split("(")[0] for layer in model.layers]
    assert kinds == ["Linear", "Tanh", "Dropout", "Linear", "Tanh", "Dropout", "Linear"]
    assert list(model.state_dict()) == [
        "0.weight", "0.bias", "3.weight", "3.bias", "6.weight", "6.bias",
    ]  # fmt: skip
    net = torch.nn.Sequential(
        torch.nn.Linear(3, 16), torch.nn.Tanh(), FixedDropout(0.4),
        torch.nn.Linear(16, 12), torch.nn.Tanh(), FixedDropout(0.4),
        torch.nn.Linear(12, 2),
    ).double()  # fmt: skip
    net.load_state_dict({k: torch.from_numpy(v) for k, v in model.state_dict().items()})

    rng = np.random.default_rng(1)
    x, g = rng.normal(size=(20, 3)), rng.normal(size=(20, 2))
    out = model(x)
    grad_x = model.backward(g)
    for i in (2, 5):
        net[i].mask = model.layers[i].mask
        assert 0.2 < 1 - model.layers[i].mask.mean() < 0.6  # units were really dropped
    xt = torch.tensor(x, requires_grad=True)
    t_out = net(xt)
    (t_out * torch.tensor(g)).sum().backward()
    np.testing.assert_allclose(out, t_out.detach().numpy(), **TOL)
    np.testing.assert_allclose(grad_x, xt.grad.numpy(), **TOL)
    t_params = dict(net.named_parameters())
    for name, p in model.named_parameters():
        np.testing.assert_allclose(p.grad, t_params[name].grad.numpy(), **TOL, err_msg=name)

    # evaluation mode: torch's real Dropout layers, and ours, are the identity
    real = torch.nn.Sequential(*[torch.nn.Dropout(0.4) if isinstance(m, FixedDropout) else m
                                 for m in net]).eval()  # fmt: skip
    with torch.no_grad():
        np.testing.assert_allclose(model.eval()(x), real(torch.tensor(x)).numpy(), **TOL)


def test_train_and_eval_modes_reach_every_layer():
    model = M.MLP([2, 8, 8, 1], dropout=0.5, seed=0)
    assert model.training and all(layer.training for layer in model.layers)
    assert model.eval() is model
    assert not model.training and not any(layer.training for layer in model.layers)
    assert model.train() is model and all(layer.training for layer in model.layers)
    model.train(False)
    assert not any(layer.training for layer in model.layers)


def test_dropout_does_not_change_the_initial_weights_or_the_evaluation_output():
    plain = M.MLP([2, 8, 8, 1], seed=4)
    with_dropout = M.MLP([2, 8, 8, 1], dropout=0.5, seed=4)
    for a, b in zip(plain.parameters(), with_dropout.parameters(), strict=True):
        np.testing.assert_array_equal(a.data, b.data)
    x = np.random.default_rng(0).normal(size=(30, 2))
    np.testing.assert_array_equal(with_dropout.eval()(x), plain(x))
    assert np.any(with_dropout.train()(x) != plain(x))


def test_predict_uses_evaluation_mode_and_restores_the_state():
    model = M.MLP([2, 16, 1], dropout=0.5, seed=0)
    plain = M.MLP([2, 16, 1], seed=0)
    rng = np.random.default_rng(0)
    x, other = rng.normal(size=(10, 2)), rng.normal(size=(25, 2))
    out = model(x)  # training mode: a pending backward with this mask
    mask = model.layers[2].mask.copy()
    np.testing.assert_array_equal(model.predict_proba(other), plain.predict_proba(other))
    np.testing.assert_array_equal(model.predict_proba(other), model.predict_proba(other))
    assert model.training and model.layers[2].training
    np.testing.assert_array_equal(model.layers[2].mask, mask)
    grad = model.backward(np.ones((10, 1)))
    assert grad.shape == (10, 2)
    assert np.all(model.layers[0].weight.grad[~mask.any(axis=0)] == 0)  # dropped everywhere
    model.eval()
    model.predict(other)
    assert not model.training  # the mode is left as it was
    assert out.shape == (10, 1)


def test_train_puts_the_model_in_training_mode_and_is_deterministic():
    X = np.random.default_rng(0).normal(size=(40, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    histories = []
    for _ in range(2):
        model = M.MLP([2, 16, 1], dropout=0.3, seed=1).eval()
        histories.append(M.train(model, X, y, lr=0.5, steps=50))
        assert model.training
    np.testing.assert_array_equal(*histories)
    plain = M.train(M.MLP([2, 16, 1], seed=1), X, y, lr=0.5, steps=50)
    assert not np.allclose(histories[0], plain)  # the masks changed the training


# --------------------------------------------------------------------------- drawings


def test_draw_network_marks_dropped_units():
    ax = Figure().subplots()
    mask = _keep_mask((3, 5), 0.5, 2)
    inactive = [~mask[0, :4], ~mask[1], [False]]
    out = plotting.draw_network(ax, [4, 5, 1], inactive=inactive)
    strokes = out["edges"][2].get_segments()  # each dropped unit is crossed by two strokes
    assert len(strokes) == 2 * int(np.sum(~mask[0, :4]) + np.sum(~mask[1]))
    greyed = [c for row in out["nodes"] for c in row if c.get_linestyle() == "--"]
    assert 2 * len(greyed) == len(strokes)


def test_p_equal_to_one_explains_why_it_is_rejected():
    with pytest.raises(ValueError, match="all zeros"):
        dropout(np.ones(3), 1.0, rng=0)


def test_backward_before_forward_is_a_runtime_error():
    layer = M.Dropout(0.5, seed=0)
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.ones(3))
    layer(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"`grad_output` must have shape \(2, 3\)"):
        layer.backward(np.ones((3, 2)))
