"""Tests of dlcourse.mlp: forward and backward against torch autograd, training, errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlcourse import mlp as M
from dlcourse.activations import ACTIVATIONS, sigmoid
from dlcourse.losses import (
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
)

TOL = {"rtol": 1e-10, "atol": 1e-13}

TORCH_ACTIVATIONS = {  # the course's leaky ReLU slope is 0.1 (torch's default 0.01)
    "identity": torch.nn.Identity,
    "sigmoid": torch.nn.Sigmoid,
    "tanh": torch.nn.Tanh,
    "relu": torch.nn.ReLU,
    "leaky_relu": lambda: torch.nn.LeakyReLU(0.1),
    "elu": torch.nn.ELU,
}


def to_torch(model: M.MLP) -> torch.nn.Sequential:
    """The same network in torch (float64), with the weights copied by state_dict."""
    layers = []
    for layer in model.layers:
        if isinstance(layer, M.Linear):
            layers.append(
                torch.nn.Linear(layer.in_features, layer.out_features, dtype=torch.float64)
            )
        else:
            layers.append(TORCH_ACTIVATIONS[layer.name]())
    net = torch.nn.Sequential(*layers)
    net.load_state_dict({k: torch.from_numpy(v) for k, v in model.state_dict().items()})
    return net


def check_against_torch(model: M.MLP, x: np.ndarray, weights: np.ndarray) -> None:
    """Forward output and every gradient of ``sum(weights * model(x))`` vs torch autograd."""
    net = to_torch(model)
    tx = torch.tensor(x, requires_grad=True)
    t_out = net(tx)
    (t_out * torch.tensor(weights)).sum().backward()

    model.zero_grad()
    out = model(x)
    grad_x = model.backward(weights)

    np.testing.assert_allclose(out, t_out.detach().numpy(), **TOL)
    np.testing.assert_allclose(grad_x, tx.grad.numpy(), **TOL)
    t_params = dict(net.named_parameters())
    named = model.named_parameters()
    assert [name for name, _ in named] == list(t_params)
    for name, p in named:
        np.testing.assert_allclose(p.grad, t_params[name].grad.numpy(), **TOL, err_msg=name)


ARCHITECTURES = [[2, 1], [2, 8, 1], [2, 8, 8, 1], [3, 5, 4, 2], [2, 8, 8, 8, 8, 1], [5, 1, 6, 3]]


@pytest.mark.parametrize("output_activation", [None, "sigmoid", "tanh"])
@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("sizes", ARCHITECTURES, ids=["-".join(map(str, s)) for s in ARCHITECTURES])
def test_forward_and_all_gradients_match_torch(sizes, activation, output_activation):
    seed = len(sizes) * 100 + sizes[1]
    model = M.MLP(sizes, activation, output_activation=output_activation, seed=seed)
    rng = np.random.default_rng(seed)
    x = rng.normal(scale=2.0, size=(17, sizes[0]))
    weights = rng.normal(size=(17, sizes[-1]))
    check_against_torch(model, x, weights)


@settings(max_examples=40, deadline=None, database=None)
@given(
    sizes=st.lists(st.integers(1, 8), min_size=2, max_size=5),
    activation=st.sampled_from(list(ACTIVATIONS)),
    n=st.integers(1, 30),
    seed=st.integers(0, 2**32 - 1),
)
def test_random_networks_match_torch(sizes, activation, n, seed):
    model = M.MLP(sizes, activation, seed=seed)
    rng = np.random.default_rng(seed)
    check_against_torch(
        model, rng.normal(scale=3.0, size=(n, sizes[0])), rng.normal(size=(n, sizes[-1]))
    )


@pytest.mark.parametrize("activation", ["relu", "tanh", "elu"])
def test_bce_loss_gradients_match_torch(activation):
    model = M.MLP([2, 8, 8, 1], activation, seed=3)
    rng = np.random.default_rng(3)
    x = rng.normal(size=(50, 2))
    y = rng.integers(0, 2, size=(50, 1)).astype(float)
    net = to_torch(model)
    t_loss = torch.nn.BCEWithLogitsLoss()(net(torch.tensor(x)), torch.tensor(y))
    t_loss.backward()

    out = model(x)
    loss = binary_cross_entropy_with_logits(out, y)
    model.backward(binary_cross_entropy_with_logits_grad(out, y))
    assert loss == pytest.approx(t_loss.item(), rel=1e-12)
    for p, tp in zip(model.parameters(), net.parameters(), strict=True):
        np.testing.assert_allclose(p.grad, tp.grad.numpy(), **TOL)


# ------------------------------------------------------------------------------ layers


def test_linear_matches_torch_linear():
    layer = M.Linear(3, 4, seed=0)
    assert layer.weight.shape == (4, 3) and layer.bias.shape == (4,)
    assert layer.parameters()[0] is layer.weight and layer.parameters()[1] is layer.bias
    t_layer = torch.nn.Linear(3, 4, dtype=torch.float64)
    with torch.no_grad():
        t_layer.weight.copy_(torch.from_numpy(layer.weight.data))
        t_layer.bias.copy_(torch.from_numpy(layer.bias.data))
    rng = np.random.default_rng(0)
    x, g = rng.normal(size=(6, 3)), rng.normal(size=(6, 4))
    tx = torch.tensor(x, requires_grad=True)
    t_out = t_layer(tx)
    t_out.backward(torch.tensor(g))
    np.testing.assert_allclose(layer(x), t_out.detach().numpy(), **TOL)
    np.testing.assert_allclose(layer.backward(g), tx.grad.numpy(), **TOL)
    np.testing.assert_allclose(layer.weight.grad, t_layer.weight.grad.numpy(), **TOL)
    np.testing.assert_allclose(layer.bias.grad, t_layer.bias.grad.numpy(), **TOL)


@pytest.mark.parametrize("in_features", [1, 2, 8, 100])
def test_linear_initialisation_is_torch_default_uniform(in_features):
    layer = M.Linear(in_features, 500, seed=1)
    bound = 1 / np.sqrt(in_features)
    for p in layer.parameters():
        assert np.all(np.abs(p.data) <= bound)
        assert np.all(p.grad == 0)
    w = layer.weight.data
    assert w.max() > 0.9 * bound and w.min() < -0.9 * bound  # spread over the whole range
    assert abs(w.mean()) < 0.05 * bound


def test_activation_layers_wrap_the_functions():
    x = np.array([[-2.0, 0.0, 3.0]])
    g = np.array([[1.0, 1.0, 2.0]])
    layer = M.Activation("leaky_relu")  # slope 0.1
    np.testing.assert_array_equal(layer(x), [[-0.2, 0.0, 3.0]])
    np.testing.assert_array_equal(layer.backward(g), [[0.1, 0.1, 2.0]])
    np.testing.assert_array_equal(M.Activation("relu").forward(x), [[0.0, 0.0, 3.0]])
    np.testing.assert_allclose(M.Activation("sigmoid")(x), sigmoid(x))
    elu = M.Activation("elu")
    elu(x)
    np.testing.assert_allclose(elu.backward(g), [[np.exp(-2.0), 1.0, 2.0]])
    assert M.Activation("tanh").parameters() == []
    assert [repr(M.Activation(name)) for name in ACTIVATIONS] == [
        "Identity()",
        "Sigmoid()",
        "Tanh()",
        "ReLU()",
        "LeakyReLU()",
        "ELU()",
    ]


def test_mlp_structure_and_state_dict_keys():
    model = M.MLP([2, 8, 8, 1], "tanh", output_activation="sigmoid", seed=0)
    kinds = [repr(layer).split("(")[0] for layer in model.layers]
    assert kinds == ["Linear", "Tanh", "Linear", "Tanh", "Linear", "Sigmoid"]
    assert (model.in_features, model.out_features) == (2, 1)
    assert list(model.state_dict()) == [
        "0.weight",
        "0.bias",
        "2.weight",
        "2.bias",
        "4.weight",
        "4.bias",
    ]
    shapes = [p.shape for p in model.parameters()]
    assert shapes == [(8, 2), (8,), (8, 8), (8,), (1, 8), (1,)]
    assert "Linear(in_features=2, out_features=8)" in repr(model)


def test_state_dict_round_trip_and_load_from_torch():
    a = M.MLP([2, 4, 3], seed=0)
    b = M.MLP([2, 4, 3], seed=1)
    state = a.state_dict()
    state["0.weight"][0, 0] = 123.0  # a copy: changing it does not change the model
    assert a.layers[0].weight.data[0, 0] != 123.0
    b.load_state_dict(a.state_dict())
    x = np.random.default_rng(0).normal(size=(5, 2))
    np.testing.assert_array_equal(a(x), b(x))

    net = torch.nn.Sequential(
        torch.nn.Linear(2, 4, dtype=torch.float64),
        torch.nn.ReLU(),
        torch.nn.Linear(4, 3, dtype=torch.float64),
    )
    a.load_state_dict(net.state_dict())  # torch tensors are accepted
    np.testing.assert_allclose(a(x), net(torch.tensor(x)).detach().numpy(), **TOL)


# ---------------------------------------------------------------------- gradient book-keeping


def test_zero_grad_clears_every_gradient():
    model = M.MLP([2, 5, 3], "elu", seed=0)
    x = np.random.default_rng(0).normal(size=(4, 2))
    model(x)
    model.backward(np.ones((4, 3)))
    assert all(np.any(p.grad != 0) for p in model.parameters())
    grads = [p.grad for p in model.parameters()]
    model.zero_grad()
    assert all(np.all(p.grad == 0) for p in model.parameters())
    assert all(p.grad is g for p, g in zip(model.parameters(), grads, strict=True))  # in place


def test_gradients_accumulate_across_backward_calls_like_torch():
    model = M.MLP([3, 6, 4, 2], "leaky_relu", seed=5)
    net = to_torch(model)
    rng = np.random.default_rng(5)
    x1, x2 = rng.normal(size=(7, 3)), rng.normal(size=(9, 3))
    g1, g2 = rng.normal(size=(7, 2)), rng.normal(size=(9, 2))
    for x, g in [(x1, g1), (x2, g2)]:
        net(torch.tensor(x)).backward(torch.tensor(g))
        model(x)
        model.backward(g)
    for p, tp in zip(model.parameters(), net.parameters(), strict=True):
        np.testing.assert_allclose(p.grad, tp.grad.numpy(), **TOL)

    # Two backward calls after one forward (torch: retain_graph=True) add up too.
    model.zero_grad()
    model(x1)
    model.backward(g1)
    once = [p.grad.copy() for p in model.parameters()]
    model.backward(g1)
    for p, g in zip(model.parameters(), once, strict=True):
        np.testing.assert_allclose(p.grad, 2 * g, rtol=1e-15)


def test_predict_proba_and_predict():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(20, 2))
    logits_model = M.MLP([2, 6, 1], seed=0)
    proba_model = M.MLP([2, 6, 1], output_activation="sigmoid", seed=0)
    p = logits_model.predict_proba(x)
    assert p.shape == (20,)
    expected = torch.sigmoid(to_torch(logits_model)(torch.tensor(x))).detach().numpy()[:, 0]
    np.testing.assert_allclose(p, expected, **TOL)
    np.testing.assert_allclose(proba_model.predict_proba(x), p, **TOL)
    pred = logits_model.predict(x)
    assert pred.dtype == np.int64 and set(np.unique(pred)) <= {0, 1}
    np.testing.assert_array_equal(pred, (p > 0.5).astype(int))
    np.testing.assert_array_equal(logits_model.predict(x, threshold=0.0), np.ones(20))


def test_predict_does_not_disturb_a_pending_backward():
    model = M.MLP([2, 6, 1], seed=0)
    rng = np.random.default_rng(0)
    x, other = rng.normal(size=(10, 2)), rng.normal(size=(10, 2))
    model(x)
    model.predict(other)
    model.backward(np.ones((10, 1)))
    reference = M.MLP([2, 6, 1], seed=0)
    reference(x)
    reference.backward(np.ones((10, 1)))
    for p, q in zip(model.parameters(), reference.parameters(), strict=True):
        np.testing.assert_array_equal(p.grad, q.grad)


# ------------------------------------------------------------------------------ losses


# ------------------------------------------------------------------------------ training


def xor_blobs(n: int = 400, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Four Gaussian blobs at (+-1, +-1); label 1 where the signs differ (XOR)."""
    rng = np.random.default_rng(seed)
    centers = rng.choice([-1.0, 1.0], size=(n, 2))
    X = centers + rng.normal(scale=0.25, size=(n, 2))
    y = (centers[:, 0] != centers[:, 1]).astype(float)
    return X, y


XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0, 1, 1, 0])


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_train_learns_the_four_xor_points(activation, seed):
    model = M.MLP([2, 8, 8, 1], activation, seed=seed)
    history = train_quietly(model, XOR_X, XOR_Y, lr=0.5, steps=500)
    assert history.shape == (500,) and history[-1] < 0.1 * history[0]
    np.testing.assert_array_equal(model.predict(XOR_X), XOR_Y)


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "elu", "tanh"])
def test_train_on_noisy_xor_reaches_95_percent(activation):
    X, y = xor_blobs()
    model = M.MLP([2, 8, 8, 1], activation, seed=1)
    history = train_quietly(model, X, y, lr=0.5, steps=500)
    assert history[-1] < 0.5 * history[0]
    assert np.mean(history[-50:]) < np.mean(history[:50])
    X_test, y_test = xor_blobs(seed=1)
    assert np.mean(model.predict(X) == y) >= 0.95
    assert np.mean(model.predict(X_test) == y_test) >= 0.95


def train_quietly(model, X, y, **kwargs):
    """train() with every NumPy floating-point warning turned into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return M.train(model, X, y, **kwargs)


def test_train_matches_torch_sgd():
    X, y = xor_blobs(n=60, seed=2)
    for loss, t_loss_fn in [
        ("bce", torch.nn.BCEWithLogitsLoss()),
        ("mse", torch.nn.MSELoss()),
    ]:
        model = M.MLP([2, 5, 4, 1], "elu", seed=2)
        net = to_torch(model)
        opt = torch.optim.SGD(net.parameters(), lr=0.3)
        t_history = []
        for _ in range(25):
            opt.zero_grad()
            t_loss = t_loss_fn(net(torch.tensor(X)), torch.tensor(y[:, None]))
            t_loss.backward()
            opt.step()
            t_history.append(t_loss.item())
        history = M.train(model, X, y, lr=0.3, steps=25, loss=loss)
        np.testing.assert_allclose(history, t_history, rtol=1e-10)
        for p, tp in zip(model.parameters(), net.parameters(), strict=True):
            np.testing.assert_allclose(p.data, tp.detach().numpy(), **TOL)


def test_train_with_mse_multiple_outputs_and_a_bare_linear_layer():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 3))
    true_w = rng.normal(size=(2, 3))
    Y = X @ true_w.T + 0.5
    layer = M.Linear(3, 2, seed=0)
    history = M.train(layer, X, Y, lr=0.1, steps=300, loss="mse")
    assert history[-1] < 1e-6
    np.testing.assert_allclose(layer.weight.data, true_w, atol=1e-3)
    model = M.MLP([3, 8, 2], "tanh", seed=0)
    history = M.train(model, X, Y, lr=0.05, steps=200, loss="mse")
    assert history[-1] < history[0]


def test_train_is_deterministic():
    X, y = xor_blobs()
    runs = []
    for _ in range(2):
        model = M.MLP([2, 8, 8, 1], "relu", seed=7)
        runs.append((model, M.train(model, X, y, lr=0.3, steps=100)))
    (a, ha), (b, hb) = runs
    np.testing.assert_array_equal(ha, hb)
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        np.testing.assert_array_equal(p.data, q.data)
    other = M.MLP([2, 8, 8, 1], "relu", seed=8)
    assert not np.array_equal(
        other.parameters()[0].data, M.MLP([2, 8, 8, 1], seed=7).layers[0].weight.data
    )
    np.testing.assert_array_equal(
        M.MLP([2, 3, 1], seed=np.random.default_rng(4)).parameters()[0].data,
        M.MLP([2, 3, 1], seed=4).parameters()[0].data,
    )


def test_train_divergence_is_a_clear_error():
    X, y = xor_blobs(n=50)
    with pytest.raises(FloatingPointError, match="smaller `lr`"):
        M.train(M.MLP([2, 8, 8, 1], seed=0), X, y * 100, lr=1e4, steps=500, loss="mse")
