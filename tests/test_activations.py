"""Tests of dlcourse.activations against torch as an independent reference."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dlcourse import activations as A

# Values: tight relative tolerance; the tiny absolute tolerance only matters where a value
# underflows to a subnormal number or to 0.
VALUE_TOL = {"rtol": 1e-12, "atol": 1e-300}
# Derivatives: torch's autograd computes sigmoid' as s * (1 - s) and tanh' as 1 - t**2,
# which lose relative (not absolute) accuracy in the tails; ours are accurate there.
GRAD_TOL = {"rtol": 1e-12, "atol": 1e-15}

_SEED = 20240501
_LARGE = [1e-300, 20.0, 40.0, 100.0, 710.0, 745.0, 800.0, 1e3, 1e4]
EXTREME = np.array([*(-v for v in reversed(_LARGE)), -0.0, 0.0, *_LARGE])
INPUTS = {
    "normal": np.random.default_rng(_SEED).normal(scale=3.0, size=2000),
    "grid": np.concatenate([np.linspace(-40.0, 40.0, 16001), [0.0]]),
    "extreme": EXTREME,
    "wide": np.concatenate([np.linspace(-1e4, 1e4, 4001), -np.logspace(-8, 4, 500)]),
}

# name, our function, our derivative, torch function, keyword arguments
ELEMENTWISE = [
    ("identity", A.identity, A.identity_grad, lambda t: t * 1.0, {}),
    ("sigmoid", A.sigmoid, A.sigmoid_grad, torch.sigmoid, {}),
    ("tanh", A.tanh, A.tanh_grad, torch.tanh, {}),
    ("relu", A.relu, A.relu_grad, F.relu, {}),
    ("leaky_relu", A.leaky_relu, A.leaky_relu_grad, lambda t: F.leaky_relu(t, 0.1), {}),
    *[
        (
            f"leaky_relu({s})",
            A.leaky_relu,
            A.leaky_relu_grad,
            lambda t, s=s: F.leaky_relu(t, s),
            {"negative_slope": s},
        )
        for s in (0.0, 0.01, 0.3, 1.0, 2.5)
    ],
    ("elu", A.elu, A.elu_grad, F.elu, {}),
    *[
        (f"elu({a})", A.elu, A.elu_grad, lambda t, a=a: F.elu(t, alpha=a), {"alpha": a})
        for a in (0.1, 0.5, 2.0)
    ],
]
CASE_IDS = [case[0] for case in ELEMENTWISE]


def torch_value_and_grad(torch_fn, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """torch_fn(x) and its elementwise derivative by autograd."""
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    y = torch_fn(t)
    (grad,) = torch.autograd.grad(y.sum(), t)
    return y.detach().numpy(), grad.numpy()


@pytest.mark.parametrize("inputs", list(INPUTS), ids=list(INPUTS))
@pytest.mark.parametrize("case", ELEMENTWISE, ids=CASE_IDS)
def test_values_and_derivatives_match_torch(case, inputs):
    _, fn, grad_fn, torch_fn, kwargs = case
    x = INPUTS[inputs]
    expected, expected_grad = torch_value_and_grad(torch_fn, x)
    value, grad = fn(x, **kwargs), grad_fn(x, **kwargs)
    assert value.dtype == np.float64 and value.shape == x.shape
    assert grad.dtype == np.float64 and grad.shape == x.shape
    np.testing.assert_allclose(value, expected, **VALUE_TOL)
    np.testing.assert_allclose(grad, expected_grad, **GRAD_TOL)


@pytest.mark.parametrize("case", ELEMENTWISE, ids=CASE_IDS)
def test_extreme_inputs_give_no_warning_and_no_nan(case):
    _, fn, grad_fn, _, kwargs = case
    x = np.concatenate([EXTREME, INPUTS["wide"]])
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        value, grad = fn(x, **kwargs), grad_fn(x, **kwargs)
    assert np.all(np.isfinite(value)) and np.all(np.isfinite(grad))


def test_derivatives_at_the_kink_follow_torch_autograd():
    x = np.array([0.0])
    assert A.relu_grad(x)[0] == 0.0
    assert A.leaky_relu_grad(x)[0] == 0.1
    assert A.leaky_relu_grad(x, negative_slope=0.2)[0] == 0.2
    assert A.elu_grad(x, alpha=3.0)[0] == 3.0
    for grad_fn, torch_fn in [
        (A.relu_grad, F.relu),
        (A.leaky_relu_grad, lambda t: F.leaky_relu(t, 0.1)),
        (A.elu_grad, F.elu),
    ]:
        _, expected = torch_value_and_grad(torch_fn, x)
        assert grad_fn(x)[0] == expected[0]


def test_ranges_and_symmetries():
    x = np.concatenate([INPUTS["grid"], EXTREME])
    s = A.sigmoid(x)
    assert np.all((s >= 0) & (s <= 1))
    np.testing.assert_allclose(A.sigmoid(-x), 1 - s, rtol=0, atol=2e-16)
    assert A.sigmoid(0.0) == 0.5 and A.sigmoid_grad(0.0) == 0.25 and A.tanh_grad(0.0) == 1.0
    assert A.sigmoid(1e4) == 1.0 and A.sigmoid(-1e4) == 0.0
    assert np.all((A.sigmoid_grad(x) >= 0) & (A.sigmoid_grad(x) <= 0.25))
    assert np.all((A.tanh_grad(x) >= 0) & (A.tanh_grad(x) <= 1))
    np.testing.assert_allclose(A.tanh(x), 2 * A.sigmoid(2 * x) - 1, rtol=0, atol=1e-15)
    np.testing.assert_allclose(A.tanh_grad(x), 4 * A.sigmoid_grad(2 * x), rtol=1e-14, atol=0)
    assert A.elu(-1e4) == -1.0 and A.elu(-1e4, alpha=2.0) == -2.0


def test_leaky_relu_default_slope_is_the_course_0_1_not_torch_0_01():
    x = np.array([-2.0, -1.0, 3.0])
    np.testing.assert_array_equal(A.leaky_relu(x), [-0.2, -0.1, 3.0])
    np.testing.assert_array_equal(A.leaky_relu(x), np.maximum(0.1 * x, x))
    assert not np.allclose(A.leaky_relu(x), F.leaky_relu(torch.tensor(x)).numpy())
    np.testing.assert_array_equal(A.leaky_relu(x, negative_slope=0.0), A.relu(x))


@pytest.mark.parametrize("shape", [(), (1,), (3, 4), (2, 3, 5)])
@pytest.mark.parametrize("name", list(A.ACTIVATIONS))
def test_elementwise_keep_the_shape(rng, name, shape):
    fn, grad_fn = A.ACTIVATIONS[name]
    x = rng.normal(size=shape)
    for out in (fn(x), grad_fn(x)):
        assert isinstance(out, np.ndarray) and out.shape == shape and out.dtype == np.float64


@pytest.mark.parametrize("shape", [(0,), (2, 0)])
@pytest.mark.parametrize("name", list(A.ACTIVATIONS))
def test_an_empty_array_is_an_error_not_an_empty_answer(name, shape):
    fn, grad_fn = A.ACTIVATIONS[name]
    for f in (fn, grad_fn):
        with pytest.raises(ValueError, match="`x` is empty"):
            f(np.zeros(shape))


def test_accepts_lists_ints_and_tensors_and_does_not_modify_input():
    np.testing.assert_array_equal(A.relu([-1, 0, 2]), [0.0, 0.0, 2.0])
    np.testing.assert_allclose(A.tanh(torch.tensor([0.5])), np.tanh([0.5]))
    x = np.array([-1.0, 2.0])
    A.identity(x)[0] = 5.0
    A.elu(x)
    np.testing.assert_array_equal(x, [-1.0, 2.0])


def test_registry(rng):
    assert set(A.ACTIVATIONS) == {"identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu"}
    assert A.ACTIVATIONS["leaky_relu"] == (A.leaky_relu, A.leaky_relu_grad)
    assert A.ACTIVATIONS["sigmoid"] == (A.sigmoid, A.sigmoid_grad)
    x = rng.normal(size=50)
    for fn, grad_fn in A.ACTIVATIONS.values():  # derivative agrees with a central difference
        h = 1e-6
        np.testing.assert_allclose(grad_fn(x), (fn(x + h) - fn(x - h)) / (2 * h), atol=1e-7)


# -------------------------------------------------------------------------- softmax


@pytest.mark.parametrize(
    ("shape", "axis"),
    [
        ((5,), -1),
        ((5,), 0),
        ((4, 7), -1),
        ((4, 7), 0),
        ((4, 7), 1),
        ((2, 3, 6), 1),
        ((2, 3, 6), -3),
    ],
)
def test_softmax_matches_torch(rng, shape, axis):
    x = rng.normal(scale=5.0, size=shape)
    y = A.softmax(x, axis=axis)
    np.testing.assert_allclose(y, torch.softmax(torch.tensor(x), dim=axis).numpy(), **VALUE_TOL)
    np.testing.assert_allclose(y.sum(axis=axis), 1.0, rtol=0, atol=1e-15)
    np.testing.assert_allclose(A.softmax(x + 123.0, axis=axis), y, rtol=1e-12, atol=1e-300)


def test_softmax_extreme_values_are_stable():
    x = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [1e4, 1e4, 1e4 - 1.0], [0.0, 710, 800]])
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        y = A.softmax(x)
    assert np.all(np.isfinite(y))
    np.testing.assert_allclose(y, torch.softmax(torch.tensor(x), dim=-1).numpy(), **VALUE_TOL)
    np.testing.assert_array_equal(y[0], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(y[1], 1 / 3, rtol=1e-15)


def test_softmax_jacobian_matches_torch_autograd(rng):
    for k in (1, 2, 5, 10):
        x = rng.normal(scale=3.0, size=k)
        J = A.softmax_jacobian(x)
        expected = torch.autograd.functional.jacobian(
            lambda t: torch.softmax(t, dim=0), torch.tensor(x)
        ).numpy()
        assert J.shape == (k, k)
        np.testing.assert_allclose(J, expected, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(J, J.T, rtol=0, atol=1e-17)
        np.testing.assert_allclose(J.sum(axis=1), 0.0, atol=1e-15)


# --------------------------------------------------------------------------- maxout


def torch_maxout(x, weight, bias):
    pieces = torch.einsum("nd,kdm->nkm", x, weight) + bias
    return pieces.max(dim=1).values


@pytest.mark.parametrize(("n", "d", "k", "m"), [(1, 1, 2, 1), (7, 3, 2, 1), (20, 4, 3, 5)])
def test_maxout_and_gradients_match_torch(rng, n, d, k, m):
    x, w, b = rng.normal(size=(n, d)), rng.normal(size=(k, d, m)), rng.normal(size=(k, m))
    g = rng.normal(size=(n, m))
    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    out = torch_maxout(tx, tw, tb)
    out.backward(torch.tensor(g))

    got = A.maxout(x, w, b)
    assert got.shape == (n, m)
    np.testing.assert_allclose(got, out.detach().numpy(), rtol=1e-12, atol=1e-15)
    grad_x, grad_w, grad_b = A.maxout_grad(g, x, w, b)
    assert (grad_x.shape, grad_w.shape, grad_b.shape) == (x.shape, w.shape, b.shape)
    np.testing.assert_allclose(grad_x, tx.grad.numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(grad_w, tw.grad.numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(grad_b, tb.grad.numpy(), rtol=1e-12, atol=1e-14)


def test_maxout_is_the_slide_formula_and_generalises_relu(rng):
    x = rng.normal(size=(10, 3))
    w1, w2, b1, b2 = rng.normal(size=3), rng.normal(size=3), 0.3, -0.2
    weight = np.stack([w1, w2])[:, :, None]  # (k=2, d=3, m=1)
    bias = np.array([[b1], [b2]])
    np.testing.assert_allclose(
        A.maxout(x, weight, bias)[:, 0],
        np.maximum(x @ w1 + b1, x @ w2 + b2),
        rtol=1e-12,
        atol=1e-15,
    )
    # ReLU(w . x + b) is maxout with the pieces w . x + b and 0.
    zero = np.zeros(3)
    relu_weight = np.stack([w1, zero])[:, :, None]
    relu_bias = np.array([[b1], [0.0]])
    np.testing.assert_allclose(
        A.maxout(x, relu_weight, relu_bias)[:, 0], A.relu(x @ w1 + b1), rtol=1e-15
    )


def test_maxout_tie_sends_the_gradient_to_the_first_piece():
    x = np.ones((1, 1))
    weight = np.ones((3, 1, 1))
    bias = np.zeros((3, 1))
    _, grad_w, grad_b = A.maxout_grad(np.ones((1, 1)), x, weight, bias)
    np.testing.assert_array_equal(grad_b[:, 0], [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(grad_w[:, 0, 0], [1.0, 0.0, 0.0])


# ----------------------------------------------------------------------- properties

finite_arrays = hnp.arrays(
    np.float64,
    hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=6),
    elements=st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False),
)


@settings(max_examples=60, deadline=None, database=None)
@given(x=finite_arrays, shift=st.floats(-1e3, 1e3), data=st.data())
def test_softmax_properties(x, shift, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1), label="axis")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = A.softmax(x, axis=axis)
    assert y.shape == x.shape and np.all(np.isfinite(y)) and np.all(y >= 0)
    np.testing.assert_allclose(y.sum(axis=axis), 1.0, rtol=0, atol=1e-12)
    # The largest entry along the axis gets the largest probability.
    np.testing.assert_array_equal(
        np.take_along_axis(y, np.argmax(x, axis=axis, keepdims=True), axis),
        np.max(y, axis=axis, keepdims=True),
    )
    np.testing.assert_allclose(A.softmax(x + shift, axis=axis), y, rtol=1e-9, atol=1e-12)


@settings(max_examples=60, deadline=None, database=None)
@given(
    x=finite_arrays,
    negative_slope=st.floats(0.0, 5.0),
    alpha=st.floats(1e-3, 5.0),
)
def test_parametrised_activations_match_torch_on_random_arrays(x, negative_slope, alpha):
    cases = [
        (
            A.leaky_relu,
            A.leaky_relu_grad,
            lambda t: F.leaky_relu(t, negative_slope),
            negative_slope,
        ),
        (A.elu, A.elu_grad, lambda t: F.elu(t, alpha=alpha), alpha),
    ]
    for fn, grad_fn, torch_fn, param in cases:
        expected, expected_grad = torch_value_and_grad(torch_fn, x)
        np.testing.assert_allclose(fn(x, param), expected, **VALUE_TOL)
        np.testing.assert_allclose(grad_fn(x, param), expected_grad, **GRAD_TOL)


@settings(max_examples=60, deadline=None, database=None)
@given(x=finite_arrays)
def test_sigmoid_and_tanh_match_torch_on_random_arrays(x):
    for fn, grad_fn, torch_fn in [
        (A.sigmoid, A.sigmoid_grad, torch.sigmoid),
        (A.tanh, A.tanh_grad, torch.tanh),
    ]:
        expected, expected_grad = torch_value_and_grad(torch_fn, x)
        np.testing.assert_allclose(fn(x), expected, **VALUE_TOL)
        np.testing.assert_allclose(grad_fn(x), expected_grad, **GRAD_TOL)


# ------------------------------------------------------------------------ bad input
