"""Tests of dlcourse.gradcheck: exact cases, the course's own gradients, torch, errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from dlcourse import activations as A
from dlcourse import losses as L
from dlcourse.gradcheck import GradcheckResult, gradcheck, numerical_gradient
from dlcourse.mlp import MLP

_SEED = 20240503


# ------------------------------------------------------------------ exact cases


def test_exact_on_an_integer_quadratic():
    # With integer data and eps = 0.5 every number involved is exact in float64, and the
    # central difference of a quadratic has no truncation error: the result is exact.
    A_ = np.array([[2.0, -1.0, 0.0], [3.0, 1.0, 4.0], [0.0, 5.0, -2.0]])
    b = np.array([1.0, -2.0, 3.0])
    x = np.array([1.0, -3.0, 2.0])

    def f(x):
        return x @ A_ @ x + b @ x + 7.0

    np.testing.assert_array_equal(numerical_gradient(f, x, eps=0.5), (A_ + A_.T) @ x + b)


@pytest.mark.parametrize("shape", [(), (1,), (5,), (3, 4), (2, 3, 2)], ids=str)
def test_quadratic_with_default_eps(rng, shape):
    x = rng.normal(size=shape)
    c = rng.normal(size=shape)
    w = rng.uniform(0.5, 2.0, size=shape)

    def f(x):
        return np.sum(w * (x - c) ** 2)

    grad = numerical_gradient(f, x)
    assert grad.shape == np.shape(x) and grad.dtype == np.float64
    np.testing.assert_allclose(grad, 2 * w * (x - c), rtol=0, atol=1e-8)
    result = gradcheck(f, x, 2 * w * (x - c))
    assert result.passed and result.n_failed == 0 and result.max_abs_error < 1e-8


def test_linear_function_and_list_input():
    assert numerical_gradient(lambda x: 3 * x[0] - 2 * x[1], [1, 2]).tolist() == pytest.approx(
        [3.0, -2.0], abs=1e-9
    )
    assert numerical_gradient(lambda x: 5.0, np.zeros(3)).tolist() == [0.0, 0.0, 0.0]


def test_error_is_of_order_eps_squared():
    x = np.array([0.7])
    exact = np.cos(0.7)
    errors = [
        abs(numerical_gradient(lambda x: np.sin(x[0]), x, eps)[0] - exact) for eps in (1e-2, 1e-3)
    ]
    assert errors[0] / errors[1] == pytest.approx(100, rel=0.01)


# ------------------------------------------------------------- x is left intact


def test_x_is_restored_exactly_and_nudged_in_place(rng):
    x = rng.normal(size=(3, 4))
    x0 = x.copy()
    seen = []

    def f(_):  # reads x through the closure, like a loss of a model's weights
        seen.append(x.copy())
        return np.sum(np.sin(x))

    grad = numerical_gradient(f, x)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_allclose(grad, np.cos(x0), atol=1e-9)
    assert len(seen) == 2 * x.size
    assert sum(not np.array_equal(s, x0) for s in seen) == 2 * x.size  # each call saw a nudge


def test_x_is_restored_when_f_raises(rng):
    x = rng.normal(size=5)
    x0 = x.copy()
    calls = []

    def f(x):
        calls.append(1)
        if len(calls) == 4:
            raise RuntimeError("boom")
        return np.sum(x**2)

    with pytest.raises(RuntimeError, match="boom"):
        numerical_gradient(f, x)
    np.testing.assert_array_equal(x, x0)


def test_other_inputs_are_copied():
    for x in ([1.0, 2.0], np.array([1, 2]), np.array([1.0, 2.0], dtype=np.float32)):
        before = np.array(x, copy=True)
        np.testing.assert_allclose(
            numerical_gradient(lambda v: np.sum(v**2), x), 2 * before, atol=1e-6
        )
        np.testing.assert_array_equal(x, before)
    assert numerical_gradient(lambda v: v**3, np.array(2.0)).shape == ()


def test_f_may_return_numpy_or_torch_scalars_and_even_x_itself():
    x = np.array(3.0)
    # f returns the 0-d array x itself, which is restored afterwards: the value must be
    # read at once, not after the restore.
    assert numerical_gradient(lambda v: v, x) == pytest.approx(1.0)
    assert numerical_gradient(
        lambda v: torch.tensor(v).sum() * 2, np.ones(2)
    ).tolist() == pytest.approx([2.0, 2.0])
    assert numerical_gradient(lambda v: np.int64(1), np.ones(2)).tolist() == [0.0, 0.0]


# -------------------------------------------------- the course's own gradients


ELEMENTWISE = [name for name in A.ACTIVATIONS]


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_activation_derivatives_pass(rng, name):
    fn, grad_fn = A.ACTIVATIONS[name]
    x = rng.normal(scale=2.0, size=(4, 5))
    x[np.abs(x) < 1e-3] = 0.5  # stay away from the kinks at 0
    w = rng.normal(size=x.shape)  # a random upstream gradient
    result = gradcheck(lambda v: np.sum(w * fn(v)), x, w * grad_fn(x), atol=1e-7, rtol=1e-6)
    assert result.passed, str(result)


def test_softmax_jacobian_passes(rng):
    x = rng.normal(size=5)
    w = rng.normal(size=5)
    result = gradcheck(lambda v: np.sum(w * A.softmax(v)), x, w @ A.softmax_jacobian(x))
    assert result.passed, str(result)


def _targets(rng, shape):
    return rng.uniform(size=shape)


LOSS_CASES = {
    "mse": (
        L.mse_loss,
        L.mse_loss_grad,
        lambda rng: (rng.normal(size=(4, 3)), rng.normal(size=(4, 3))),
        {},
    ),
    "bce_logits": (
        L.binary_cross_entropy_with_logits,
        L.binary_cross_entropy_with_logits_grad,
        lambda rng: (rng.normal(scale=3.0, size=(4, 3)), _targets(rng, (4, 3))),
        {},
    ),
    "cross_entropy": (
        L.cross_entropy,
        L.cross_entropy_grad,
        lambda rng: (rng.normal(scale=2.0, size=(6, 4)), rng.integers(0, 4, size=6)),
        {},
    ),
    "cross_entropy_probs": (
        L.cross_entropy,
        L.cross_entropy_grad,
        lambda rng: (rng.normal(size=(3, 5)), _targets(rng, (3, 5))),
        {},
    ),
}


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("case", list(LOSS_CASES))
def test_loss_gradients_pass(rng, case, reduction):
    loss, grad, make, kwargs = LOSS_CASES[case]
    x, t = make(rng)

    def f(v):
        return np.sum(loss(v, t, reduction=reduction, **kwargs))

    result = gradcheck(
        f, x, lambda v: grad(v, t, reduction=reduction, **kwargs), atol=1e-8, rtol=1e-6
    )
    assert result.passed, str(result)
    assert result.max_rel_error < 1e-6


def test_mlp_parameter_gradients_agree_with_numerical_and_torch(rng):
    model = MLP([3, 5, 4, 2], activation="tanh", seed=1)
    x = rng.normal(size=(7, 3))
    y = rng.integers(0, 2, size=7)

    def loss(_=None):
        return L.cross_entropy(model(x), y)

    model.zero_grad()
    logits = model(x)
    model.backward(L.cross_entropy_grad(logits, y))

    net = torch.nn.Sequential(
        torch.nn.Linear(3, 5, dtype=torch.float64),
        torch.nn.Tanh(),
        torch.nn.Linear(5, 4, dtype=torch.float64),
        torch.nn.Tanh(),
        torch.nn.Linear(4, 2, dtype=torch.float64),
    )
    net.load_state_dict({k: torch.from_numpy(v) for k, v in model.state_dict().items()})
    torch.nn.functional.cross_entropy(net(torch.tensor(x)), torch.tensor(y)).backward()
    torch_grads = {name: p.grad.numpy() for name, p in net.named_parameters()}

    for name, p in model.named_parameters():
        before = p.data.copy()
        result = gradcheck(loss, p.data, p.grad, atol=1e-8, rtol=1e-6)  # nudges p.data in place
        assert result.passed, f"{name}: {result}"
        np.testing.assert_array_equal(p.data, before)
        np.testing.assert_allclose(result.numerical, torch_grads[name], rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(p.grad, torch_grads[name], rtol=1e-10, atol=1e-13)


def test_input_gradient_of_an_mlp(rng):
    model = MLP([2, 6, 1], activation="sigmoid", seed=2)
    x = rng.normal(size=(5, 2))
    t = np.array([[0.0], [1.0], [1.0], [0.0], [1.0]])
    model.zero_grad()
    logits = model(x)
    grad_x = model.backward(L.binary_cross_entropy_with_logits_grad(logits, t))
    assert gradcheck(lambda v: L.binary_cross_entropy_with_logits(model(v), t), x, grad_x)


# ----------------------------------------------------------- detecting mistakes


def test_detects_a_missing_factor_of_two(rng):
    x, t = rng.normal(size=(3, 3)), rng.normal(size=(3, 3))
    wrong = (x - t) / x.size  # forgot the 2 of d/dx (x - t)**2
    result = gradcheck(lambda v: L.mse_loss(v, t), x, wrong)
    assert not result.passed and not bool(result)
    assert result.n_failed == 9
    assert result.max_rel_error == pytest.approx(0.5, rel=1e-5)
    assert "FAILED at 9 entries" in str(result)


def test_detects_and_locates_a_single_wrong_entry(rng):
    x = rng.normal(size=(4, 5))
    w = rng.normal(size=(4, 5))
    grad = w * A.tanh_grad(x)
    grad[2, 3] += 1e-2
    result = gradcheck(lambda v: np.sum(w * A.tanh(v)), x, grad)
    assert not result.passed
    assert result.n_failed == 1 and result.worst_index == (2, 3)
    assert result.max_abs_error == pytest.approx(1e-2, rel=1e-5)
    assert "worst entry (2, 3)" in str(result)


def test_detects_a_transposed_weight_gradient(rng):
    model = MLP([3, 3, 1], seed=0)
    x = rng.normal(size=(4, 3))
    t = rng.normal(size=(4, 1))
    model.zero_grad()
    model.backward(L.mse_loss_grad(model(x), t))
    w = model.layers[0].weight
    assert gradcheck(lambda _: L.mse_loss(model(x), t), w.data, w.grad)
    assert not gradcheck(lambda _: L.mse_loss(model(x), t), w.data, w.grad.T)


def test_result_object():
    x = np.array([1.0, 2.0])
    result = gradcheck(lambda v: np.sum(v**2), x, 2 * x)
    assert isinstance(result, GradcheckResult)
    assert result.passed is True and result.n_failed == 0
    assert isinstance(result.max_abs_error, float) and isinstance(result.max_rel_error, float)
    assert isinstance(result.worst_index, tuple) and len(result.worst_index) == 1
    np.testing.assert_array_equal(result.analytic, 2 * x)
    assert result.numerical.shape == (2,)
    assert repr(result).startswith("GradcheckResult(passed=True, max_abs_error=")
    assert "analytic=" not in repr(result)
    assert str(result).startswith("gradcheck passed: max abs error")
    scalar = gradcheck(lambda v: v**2, np.array(3.0), 6.0)
    assert scalar.passed and scalar.worst_index == ()


def test_tolerances():
    x = np.array([1.0, 100.0])
    off = 2 * x + np.array([5e-6, 5e-3])  # inside atol + rtol * |g| = 1e-5 + 1e-3 |g|
    assert gradcheck(lambda v: np.sum(v**2), x, off).passed
    assert not gradcheck(lambda v: np.sum(v**2), x, off, rtol=0.0).passed
    exact = gradcheck(lambda v: np.sum(v**2), x, 2 * x, atol=0.0, rtol=0.0)
    assert exact.max_abs_error < 1e-6  # only passes if the numerical gradient is exact
    assert exact.worst_index in {(0,), (1,)}


# -------------------------------------------------------------------- bad input
