"""Tests of dlcourse.optim: step for step against torch.optim, training, errors."""

from __future__ import annotations

import inspect
import itertools

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlcourse import optim as O
from dlcourse.losses import (
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
)
from dlcourse.mlp import MLP, Parameter

TOL = {"rtol": 1e-10, "atol": 1e-12}
SHAPES = [(3, 4), (5,), (), (2, 3, 2)]
TORCH = {O.SGD: torch.optim.SGD, O.RMSprop: torch.optim.RMSprop, O.Adam: torch.optim.Adam}


def compare_with_torch(cls, kwargs, *, steps=50, seed=0, shapes=SHAPES, none_grads=False):
    """Run ours and torch's optimizer on the same parameters and gradients; compare each step.

    Gradients are random at every step, with a scale that changes from step to step (so that
    Adam's and RMSprop's averages matter). With ``none_grads``, some parameters
    have no gradient at some steps (both optimizers skip them).
    """
    rng = np.random.default_rng(seed)
    ours = [Parameter(rng.normal(size=s)) for s in shapes]
    theirs = [torch.nn.Parameter(torch.tensor(p.data.copy())) for p in ours]
    opt = cls(ours, **kwargs)
    topt = TORCH[cls](theirs, **kwargs)
    for step in range(steps):
        scale = np.exp(rng.normal(scale=1.5))
        for p, tp in zip(ours, theirs, strict=True):
            if none_grads and rng.uniform() < 0.3:
                p.grad, tp.grad = None, None
                continue
            g = rng.normal(scale=scale, size=p.shape)
            p.grad = g.copy()
            tp.grad = torch.tensor(g)
        opt.step()
        topt.step()
        for i, (p, tp) in enumerate(zip(ours, theirs, strict=True)):
            np.testing.assert_allclose(
                p.data, tp.detach().numpy(), **TOL, err_msg=f"step {step}, param {i}"
            )
    # The state holds the same quantities, under the same keys.
    for i, tp in enumerate(theirs):
        state, tstate = opt.state[i], topt.state[tp]
        assert set(state) == set(tstate), (state.keys(), tstate.keys())
        for key, value in tstate.items():
            if key == "step":
                assert state[key] == int(value.item())
            else:
                np.testing.assert_allclose(state[key], value.numpy(), **TOL, err_msg=key)
    return opt


def combinations(**options):
    """All combinations of the given options, as keyword dictionaries."""
    names = list(options)
    return [dict(zip(names, values)) for values in itertools.product(*options.values())]


def case_id(kwargs):
    return ",".join(f"{k}={v}" for k, v in kwargs.items())


SGD_CASES = [
    c
    for c in combinations(
        lr=[0.05],
        momentum=[0.0, 0.9],
        weight_decay=[0.0, 0.01],
        nesterov=[False, True],
    )
    if not (c["nesterov"] and c["momentum"] == 0)
] + [{"lr": 0.0, "momentum": 0.5}, {"lr": 1.0, "momentum": 1.5}]

RMSPROP_CASES = [
    {},
    *combinations(
        lr=[0.01],
        alpha=[0.99, 0.5],
        weight_decay=[0.0, 0.1],
    ),
    {"eps": 1e-3, "alpha": 0.0},
    {"eps": 0.0, "alpha": 0.9},
    {"alpha": 1.0},
]

ADAM_CASES = [
    {},
    *combinations(
        lr=[0.01],
        betas=[(0.9, 0.999), (0.5, 0.9)],
        weight_decay=[0.0, 0.1],
    ),
    {"betas": (0.0, 0.0), "eps": 1e-3},
    {"betas": (0.99, 0.0), "lr": 0.1},
    {"eps": 0.0, "lr": 0.5},
]


@pytest.mark.parametrize("kwargs", SGD_CASES, ids=case_id)
def test_sgd_matches_torch(kwargs):
    compare_with_torch(O.SGD, kwargs)


@pytest.mark.parametrize("kwargs", RMSPROP_CASES, ids=case_id)
def test_rmsprop_matches_torch(kwargs):
    compare_with_torch(O.RMSprop, kwargs)


@pytest.mark.parametrize("kwargs", ADAM_CASES, ids=case_id)
def test_adam_matches_torch(kwargs):
    compare_with_torch(O.Adam, kwargs)


@pytest.mark.parametrize(
    ("cls", "kwargs"),
    [
        (O.SGD, {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.1}),
        (O.RMSprop, {"alpha": 0.9}),
        (O.Adam, {"weight_decay": 0.01}),
    ],
)
def test_parameters_without_gradient_are_skipped_like_torch(cls, kwargs):
    opt = compare_with_torch(cls, kwargs, none_grads=True, seed=3)
    if cls is not O.SGD:  # each parameter counts its own steps
        assert len({s["step"] for s in opt.state}) > 1


@settings(max_examples=40, deadline=None, database=None)
@given(
    lr=st.floats(0.0, 1.0),
    momentum=st.floats(0.0, 1.0),
    weight_decay=st.floats(0.0, 0.5),
    nesterov=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_sgd_matches_torch_for_random_hyperparameters(lr, momentum, weight_decay, nesterov, seed):
    if nesterov:
        momentum = max(momentum, 0.1)
    kwargs = {
        "lr": lr,
        "momentum": momentum,
        "weight_decay": weight_decay,
        "nesterov": nesterov,
    }
    compare_with_torch(O.SGD, kwargs, steps=20, seed=seed, shapes=[(3, 2), (4,)])


@settings(max_examples=40, deadline=None, database=None)
@given(
    lr=st.floats(0.0, 0.1),
    alpha=st.floats(0.0, 1.0),
    eps=st.sampled_from([1e-8, 1e-4, 0.1]),
    weight_decay=st.floats(0.0, 0.5),
    seed=st.integers(0, 2**32 - 1),
)
def test_rmsprop_matches_torch_for_random_hyperparameters(lr, alpha, eps, weight_decay, seed):
    kwargs = {"lr": lr, "alpha": alpha, "eps": eps, "weight_decay": weight_decay}
    compare_with_torch(O.RMSprop, kwargs, steps=20, seed=seed, shapes=[(3, 2), (4,)])


@settings(max_examples=40, deadline=None, database=None)
@given(
    lr=st.floats(0.0, 0.1),
    beta1=st.floats(0.0, 0.999),
    beta2=st.floats(0.0, 0.9999),
    eps=st.sampled_from([1e-8, 1e-4, 0.1]),
    weight_decay=st.floats(0.0, 0.5),
    seed=st.integers(0, 2**32 - 1),
)
def test_adam_matches_torch_for_random_hyperparameters(lr, beta1, beta2, eps, weight_decay, seed):
    kwargs = {"lr": lr, "betas": (beta1, beta2), "eps": eps, "weight_decay": weight_decay}
    compare_with_torch(O.Adam, kwargs, steps=20, seed=seed, shapes=[(3, 2), (4,)])


# ------------------------------------------------------------- readable, small API


def test_defaults_and_argument_names_are_torchs():
    for cls, tcls in TORCH.items():
        ours = inspect.signature(cls.__init__).parameters
        theirs = inspect.signature(tcls.__init__).parameters
        # Positional arguments in torch's order (a positional call means the same thing);
        # options the course does not use (dampening, amsgrad, ...) are left out, so the
        # later ones are keyword-only.
        positional = [n for n, p in ours.items() if p.kind != p.KEYWORD_ONLY]
        assert positional == list(theirs)[: len(positional)], cls.__name__
        for name, p in ours.items():
            assert name in theirs, (cls.__name__, name)
            if name in ("self", "params"):
                continue
            if cls is O.SGD and name == "lr":  # torch 2.x: 1e-3; here it is required
                assert p.default is inspect.Parameter.empty
                continue
            assert p.default == theirs[name].default, (cls.__name__, name)


def test_sgd_requires_lr():
    with pytest.raises(TypeError, match="lr"):
        O.SGD([Parameter([1.0])])


def test_plain_sgd_is_data_minus_lr_times_grad():
    p = Parameter([1.0, 2.0])
    p.grad[...] = [0.5, -1.0]
    O.SGD([p], lr=0.1).step()
    np.testing.assert_allclose(p.data, [0.95, 2.1], rtol=1e-15)


def test_first_adam_step_has_size_lr_in_every_coordinate():
    # The bias correction makes m_hat = g and v_hat = g**2 at t = 1: the step is lr * sign(g).
    p = Parameter([0.0, 0.0, 0.0])
    p.grad[...] = [1e-3, -50.0, 7.0]
    O.Adam([p], lr=0.01, eps=0.0).step()
    np.testing.assert_allclose(p.data, [-0.01, 0.01, -0.01], rtol=1e-12)


def test_step_updates_data_in_place_and_leaves_grad_alone():
    params = [Parameter(np.ones((2, 2))), Parameter(np.zeros(3))]
    data_arrays = [p.data for p in params]
    for p in params:
        p.grad[...] = 1.0
    for opt in (
        O.SGD(params, lr=0.1, momentum=0.9, weight_decay=0.1),
        O.RMSprop(params, weight_decay=0.1),
        O.Adam(params, weight_decay=0.1),
    ):
        opt.step()
        for p, arr in zip(params, data_arrays, strict=True):
            assert p.data is arr
            np.testing.assert_array_equal(p.grad, 1.0)


def test_zero_grad_fills_zeros_in_place():
    params = [Parameter(np.ones(3)), Parameter(np.ones((2, 2)))]
    grads = [p.grad for p in params]
    for p in params:
        p.grad[...] = 5.0
    O.Adam(params).zero_grad()
    for p, g in zip(params, grads, strict=True):
        assert p.grad is g
        np.testing.assert_array_equal(p.grad, 0.0)


class Plain:
    """Any object with .data and .grad will do."""

    def __init__(self, data, grad=None):
        self.data = np.asarray(data, dtype=float)
        self.grad = grad


def test_any_object_with_data_and_grad():
    p = Plain([1.0, 2.0], grad=[1.0, 1.0])  # a list as gradient is fine
    q = Plain([3.0])  # no gradient: skipped
    opt = O.SGD([p, q], lr=0.5)
    opt.step()
    np.testing.assert_array_equal(p.data, [0.5, 1.5])
    np.testing.assert_array_equal(q.data, [3.0])
    opt.zero_grad()
    np.testing.assert_array_equal(p.grad, [0.0, 0.0])
    assert q.grad is None
    # a generator, such as (p for p in model.parameters()), is accepted too
    assert len(O.Adam(p for p in [p, q]).params) == 2


def test_state_and_repr_are_readable():
    model = MLP([2, 3, 1], seed=0)
    opt = O.Adam(model.parameters(), lr=0.01)
    assert opt.params == model.parameters()
    assert opt.state == [{}, {}, {}, {}]
    for p in model.parameters():
        p.grad[...] = 1.0
    opt.step()
    assert opt.state[0]["step"] == 1
    assert opt.state[0]["exp_avg"].shape == model.layers[0].weight.shape
    assert set(opt.state[0]) == {"step", "exp_avg", "exp_avg_sq"}
    assert repr(opt) == (
        "Adam(4 parameters, lr=0.01, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.0)"
    )
    assert "nesterov=False" in repr(O.SGD(model.parameters(), lr=0.1))
    assert "alpha=0.99" in repr(O.RMSprop(model.parameters()))


def test_changing_lr_between_steps_matches_torch_param_groups():
    rng = np.random.default_rng(5)
    p = Parameter(rng.normal(size=4))
    tp = torch.nn.Parameter(torch.tensor(p.data.copy()))
    opt = O.Adam([p], lr=0.1)
    topt = torch.optim.Adam([tp], lr=0.1)
    for step in range(10):
        if step == 5:
            opt.lr = 0.01
            topt.param_groups[0]["lr"] = 0.01
        g = rng.normal(size=4)
        p.grad = g.copy()
        tp.grad = torch.tensor(g)
        opt.step()
        topt.step()
    np.testing.assert_allclose(p.data, tp.detach().numpy(), **TOL)


# ------------------------------------------------------------------------ training

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([[0.0], [1.0], [1.0], [0.0]])


def train_xor(make_optimizer, steps=400, seed=0):
    model = MLP([2, 8, 1], activation="tanh", seed=seed)
    opt = make_optimizer(model.parameters())
    history = []
    for _ in range(steps):
        opt.zero_grad()
        logits = model(XOR_X)
        history.append(binary_cross_entropy_with_logits(logits, XOR_Y))
        model.backward(binary_cross_entropy_with_logits_grad(logits, XOR_Y))
        opt.step()
    return model, np.array(history)


@pytest.mark.parametrize(
    "make_optimizer",
    [
        lambda ps: O.SGD(ps, lr=0.5),
        lambda ps: O.SGD(ps, lr=0.2, momentum=0.9),
        lambda ps: O.SGD(ps, lr=0.2, momentum=0.9, nesterov=True),
        lambda ps: O.RMSprop(ps, lr=0.01),
        lambda ps: O.Adam(ps, lr=0.05),
    ],
    ids=["sgd", "momentum", "nesterov", "rmsprop", "adam"],
)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_training_an_mlp_on_xor_reduces_the_loss(make_optimizer, seed):
    model, history = train_xor(make_optimizer, seed=seed)
    assert np.all(np.isfinite(history))
    assert history[0] > 0.6  # about log 2 at the start
    assert history[-1] < 0.2 * history[0], history[::50]
    assert model.predict(XOR_X).tolist() == [0, 1, 1, 0]


def test_training_matches_torch_end_to_end():
    """The same MLP, loss and Adam in torch give the same weights after 100 steps."""
    model = MLP([2, 8, 1], activation="tanh", seed=4)
    net = torch.nn.Sequential(
        torch.nn.Linear(2, 8, dtype=torch.float64),
        torch.nn.Tanh(),
        torch.nn.Linear(8, 1, dtype=torch.float64),
    )
    net.load_state_dict({k: torch.from_numpy(v) for k, v in model.state_dict().items()})
    opt = O.Adam(model.parameters(), lr=0.05, weight_decay=1e-3)
    topt = torch.optim.Adam(net.parameters(), lr=0.05, weight_decay=1e-3)
    tx, ty = torch.tensor(XOR_X), torch.tensor(XOR_Y)
    for _ in range(100):
        opt.zero_grad()
        logits = model(XOR_X)
        model.backward(binary_cross_entropy_with_logits_grad(logits, XOR_Y))
        opt.step()
        topt.zero_grad()
        torch.nn.functional.binary_cross_entropy_with_logits(net(tx), ty).backward()
        topt.step()
    for name, value in model.state_dict().items():
        np.testing.assert_allclose(value, net.state_dict()[name].numpy(), rtol=1e-9, atol=1e-11)


# ----------------------------------------------------------------------- bad input


def params():
    return [Parameter(np.ones(2))]


# -------------------------------------------------------------- random hyperparameters


@settings(max_examples=40, deadline=None, database=None)
@given(
    which=st.sampled_from(["SGD", "RMSprop", "Adam"]),
    lr=st.floats(1e-4, 0.5),
    decay=st.floats(0.0, 0.2),
    momentum=st.floats(0.0, 0.99),
    beta1=st.floats(0.0, 0.99),
    beta2=st.floats(0.5, 0.9999),
    flag=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_random_hyperparameters_match_torch_step_for_step(
    which, lr, decay, momentum, beta1, beta2, flag, seed
):
    """Any valid combination, not just the grid above, gives torch's parameters and state."""
    kwargs = {
        "SGD": {"lr": lr, "momentum": momentum, "weight_decay": decay, "nesterov": flag},
        "RMSprop": {"lr": lr, "alpha": beta2, "weight_decay": decay},
        "Adam": {"lr": lr, "betas": (beta1, beta2), "weight_decay": decay},
    }[which]
    if which == "SGD" and flag and momentum == 0:
        kwargs["nesterov"] = False  # Nesterov needs momentum (torch refuses it too)
    compare_with_torch(getattr(O, which), kwargs, steps=30, seed=seed, shapes=[(3, 2), (4,)])
