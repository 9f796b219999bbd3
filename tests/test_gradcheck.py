"""Tests of dlcourse.gradcheck: exact cases, the course's own gradients, torch, errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dlcourse import activations as A
from dlcourse import losses as L
from dlcourse.gradcheck import GradcheckResult, gradcheck, numerical_gradient, relative_error
from dlcourse.mlp import MLP

RNG = np.random.default_rng(20240503)


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
def test_quadratic_with_default_eps(shape):
    x = RNG.normal(size=shape)
    c = RNG.normal(size=shape)
    w = RNG.uniform(0.5, 2.0, size=shape)

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


def test_x_is_restored_exactly_and_nudged_in_place():
    x = RNG.normal(size=(3, 4))
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


def test_x_is_restored_when_f_raises():
    x = RNG.normal(size=5)
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


# ------------------------------------------------------------------ relative_error


def test_relative_error():
    np.testing.assert_array_equal(
        relative_error([1.0, 0.0, 2.0, -1.0], [1.0, 0.0, 1.0, 1.0]), [0.0, 0.0, 0.5, 2.0]
    )
    assert relative_error(1e-3, 1.01e-3) == pytest.approx(relative_error(1.0, 1.01), rel=1e-12)
    assert relative_error(0.0, 1e-20) == 1.0
    r = relative_error(RNG.normal(size=(3, 2)), RNG.normal(size=(3, 2)))
    assert r.shape == (3, 2) and np.all((r >= 0) & (r <= 2))
    assert relative_error(2.0, 3.0).shape == ()


# Entries are 0 or at least 1e-200 in size: scaling a tiny number such as 5e-324 by 1e-3
# underflows to 0, and no relative error can be scale-free then.
ENTRIES = st.floats(-1e6, 1e6).map(lambda v: 0.0 if abs(v) < 1e-200 else v)


@settings(max_examples=50, deadline=None, database=None)
@given(
    a=hnp.arrays(np.float64, 4, elements=ENTRIES),
    b=hnp.arrays(np.float64, 4, elements=ENTRIES),
    scale=st.floats(1e-3, 1e3),
)
def test_relative_error_is_symmetric_bounded_and_scale_free(a, b, scale):
    r = relative_error(a, b)
    np.testing.assert_array_equal(r, relative_error(b, a))
    assert np.all((r >= 0) & (r <= 2))
    np.testing.assert_allclose(relative_error(scale * a, scale * b), r, rtol=1e-9, atol=1e-12)


def test_bad_relative_error_arguments():
    with pytest.raises(
        ValueError, match=r"`b` must have the same shape as `a`, \(2,\); got shape \(3,\)"
    ):
        relative_error(np.ones(2), np.ones(3))
    with pytest.raises(ValueError, match="`a` contains NaN"):
        relative_error([np.nan], [1.0])
    with pytest.raises(TypeError, match="`b`"):
        relative_error([1.0], "x")


# -------------------------------------------------- the course's own gradients


ELEMENTWISE = [name for name in A.ACTIVATIONS]


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_activation_derivatives_pass(name):
    fn, grad_fn = A.ACTIVATIONS[name]
    x = RNG.normal(scale=2.0, size=(4, 5))
    x[np.abs(x) < 1e-3] = 0.5  # stay away from the kinks at 0
    w = RNG.normal(size=x.shape)  # a random upstream gradient
    result = gradcheck(lambda v: np.sum(w * fn(v)), x, w * grad_fn(x), atol=1e-7, rtol=1e-6)
    assert result.passed, str(result)


def test_softmax_and_log_softmax_backward_pass():
    x = RNG.normal(size=(3, 5))
    w = RNG.normal(size=x.shape)
    for fn, backward in [(A.softmax, A.softmax_backward), (L.log_softmax, L.log_softmax_backward)]:
        result = gradcheck(
            lambda v, fn=fn: np.sum(w * fn(v)), x, backward(w, fn(x)), atol=1e-7, rtol=1e-6
        )
        assert result.passed, str(result)


def _targets(shape):
    return RNG.uniform(size=shape)


LOSS_CASES = {
    "mse": (
        L.mse_loss,
        L.mse_loss_grad,
        lambda: (RNG.normal(size=(4, 3)), RNG.normal(size=(4, 3))),
        {},
    ),
    "bce": (
        L.binary_cross_entropy,
        L.binary_cross_entropy_grad,
        lambda: (RNG.uniform(0.05, 0.95, size=(4, 3)), _targets((4, 3))),
        {"weight": RNG.uniform(size=3)},
    ),
    "bce_logits": (
        L.binary_cross_entropy_with_logits,
        L.binary_cross_entropy_with_logits_grad,
        lambda: (RNG.normal(scale=3.0, size=(4, 3)), _targets((4, 3))),
        {},
    ),
    "cross_entropy": (
        L.cross_entropy,
        L.cross_entropy_grad,
        lambda: (RNG.normal(scale=2.0, size=(6, 4)), RNG.integers(0, 4, size=6)),
        {"label_smoothing": 0.1},
    ),
    "cross_entropy_probs": (
        L.cross_entropy,
        L.cross_entropy_grad,
        lambda: (RNG.normal(size=(3, 5)), _targets((3, 5))),
        {},
    ),
}


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("case", list(LOSS_CASES))
def test_loss_gradients_pass(case, reduction):
    loss, grad, make, kwargs = LOSS_CASES[case]
    x, t = make()

    def f(v):
        return np.sum(loss(v, t, reduction=reduction, **kwargs))

    result = gradcheck(
        f, x, lambda v: grad(v, t, reduction=reduction, **kwargs), atol=1e-8, rtol=1e-6
    )
    assert result.passed, str(result)
    assert result.max_rel_error < 1e-6


def test_mlp_parameter_gradients_agree_with_numerical_and_torch():
    model = MLP([3, 5, 4, 2], activation="tanh", seed=1)
    x = RNG.normal(size=(7, 3))
    y = RNG.integers(0, 2, size=7)

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


def test_input_gradient_of_an_mlp():
    model = MLP([2, 6, 1], activation="sigmoid", seed=2)
    x = RNG.normal(size=(5, 2))
    t = np.array([[0.0], [1.0], [1.0], [0.0], [1.0]])
    model.zero_grad()
    logits = model(x)
    grad_x = model.backward(L.binary_cross_entropy_with_logits_grad(logits, t))
    assert gradcheck(lambda v: L.binary_cross_entropy_with_logits(model(v), t), x, grad_x)


# ----------------------------------------------------------- detecting mistakes


def test_detects_a_missing_factor_of_two():
    x, t = RNG.normal(size=(3, 3)), RNG.normal(size=(3, 3))
    wrong = (x - t) / x.size  # forgot the 2 of d/dx (x - t)**2
    result = gradcheck(lambda v: L.mse_loss(v, t), x, wrong)
    assert not result.passed and not bool(result)
    assert result.n_failed == 9
    assert result.max_rel_error == pytest.approx(0.5, rel=1e-5)
    assert "FAILED at 9 entries" in str(result)


def test_detects_and_locates_a_single_wrong_entry():
    x = RNG.normal(size=(4, 5))
    w = RNG.normal(size=(4, 5))
    grad = w * A.tanh_grad(x)
    grad[2, 3] += 1e-2
    result = gradcheck(lambda v: np.sum(w * A.tanh(v)), x, grad)
    assert not result.passed
    assert result.n_failed == 1 and result.worst_index == (2, 3)
    assert result.max_abs_error == pytest.approx(1e-2, rel=1e-5)
    assert "worst entry (2, 3)" in str(result)


def test_detects_a_transposed_weight_gradient():
    model = MLP([3, 3, 1], seed=0)
    x = RNG.normal(size=(4, 3))
    t = RNG.normal(size=(4, 1))
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


def test_bad_f():
    for fn in (numerical_gradient, lambda f, x: gradcheck(f, x, np.zeros_like(x))):
        with pytest.raises(TypeError, match="`f` must be callable"):
            fn(np.ones(3), np.ones(3))
        with pytest.raises(ValueError, match=r"`f` must return a scalar .* shape \(3,\)"):
            fn(lambda v: v, np.ones(3))
        with pytest.raises(ValueError, match=r"`f` must return a scalar .* shape \(1,\)"):
            fn(lambda v: np.sum(v, keepdims=True), np.ones(3))
        with pytest.raises(TypeError, match="`f` must return a real number; got NoneType"):
            fn(lambda v: None, np.ones(3))
        with pytest.raises(TypeError, match="`f` must return a real number"):
            fn(lambda v: "loss", np.ones(3))
        with pytest.raises(TypeError, match="`f` must return a real number"):
            fn(lambda v: 1j, np.ones(3))
        with pytest.raises(ValueError, match="`f` returned nan; expected a finite number"):
            fn(lambda v: float("nan"), np.ones(3))
        with pytest.raises(ValueError, match="`f` returned inf"):
            fn(lambda v: np.inf, np.ones(3))


def test_bad_eps_and_tolerances():
    f = lambda v: np.sum(v**2)  # noqa: E731
    for bad in (0.0, -1e-6, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="`eps`"):
            numerical_gradient(f, np.ones(2), eps=bad)
        with pytest.raises(ValueError, match="`eps`"):
            gradcheck(f, np.ones(2), np.ones(2), eps=bad)
    with pytest.raises(TypeError, match="`eps` must be a real number"):
        numerical_gradient(f, np.ones(2), eps="1e-6")
    with pytest.raises(ValueError, match=r"`atol` must be in \[0, inf\]"):
        gradcheck(f, np.ones(2), np.ones(2), atol=-1.0)
    with pytest.raises(ValueError, match=r"`rtol` must be in \[0, inf\]"):
        gradcheck(f, np.ones(2), np.ones(2), rtol=-1.0)


def test_bad_x_and_analytic_grad():
    f = lambda v: np.sum(v**2)  # noqa: E731
    for fn in (numerical_gradient, lambda f, x: gradcheck(f, x, np.zeros(3))):
        with pytest.raises(ValueError, match="`x` contains NaN"):
            fn(f, np.array([1.0, np.nan, 0.0]))
        with pytest.raises(TypeError, match="`x`"):
            fn(f, "abc")
        with pytest.raises(ValueError, match="`x` is empty"):
            fn(f, np.zeros(0))
    with pytest.raises(
        ValueError, match=r"`analytic_grad` must have the shape of `x`, \(3,\); got shape \(2,\)"
    ):
        gradcheck(f, np.ones(3), np.ones(2))
    with pytest.raises(
        ValueError, match=r"`analytic_grad` must have the shape of `x`, \(3,\); got shape \(1, 3\)"
    ):
        gradcheck(f, np.ones(3), lambda v: v[None, :])
    with pytest.raises(ValueError, match="`analytic_grad` contains NaN"):
        gradcheck(f, np.ones(3), [1.0, np.inf, 0.0])
