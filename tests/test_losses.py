"""Tests of dlcourse.losses: values and gradients against torch.nn.functional and autograd."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dlcourse import losses as L
from dlcourse.activations import sigmoid, softmax

TOL = {"rtol": 1e-12, "atol": 1e-14}
REDUCTIONS = ["mean", "sum", "none"]
_SEED = 20240502
SHAPES = [(), (1,), (7,), (4, 3), (2, 3, 5), (1, 1, 1, 6)]
_LARGE = [20.0, 40.0, 100.0, 710.0, 745.0, 800.0, 1e3, 1e4]
# torch computes BCE with logits as (1 - t) x - log(sigmoid(x)), which cancels for large
# negative x (absolute error about 1e-16 |x|, so 1e-12 at |x| = 1e4); our max(x, 0) - x t +
# log1p(exp(-|x|)) does not (see test_bce_with_logits_does_not_cancel).
LOGIT_TOL = {"rtol": 1e-12, "atol": 1e-11}
EXTREME_LOGITS = np.array([*(-v for v in reversed(_LARGE)), -1e-300, -0.0, 0.0, 1e-300, *_LARGE])


class NoWarnings:
    """``with NoWarnings():`` turns every warning and floating-point error into an error."""

    def __enter__(self):
        self._warnings = warnings.catch_warnings()
        self._warnings.__enter__()
        warnings.simplefilter("error")
        self._errstate = np.errstate(over="raise", invalid="raise", divide="raise")
        self._errstate.__enter__()

    def __exit__(self, *exc):
        self._errstate.__exit__(*exc)
        return self._warnings.__exit__(*exc)


def torch_loss(torch_fn, x, *args, **kwargs):
    """``torch_fn(x, *args, **kwargs)`` and its gradient w.r.t. ``x`` (of ``loss.sum()``)."""
    tx = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    targs = [torch.as_tensor(np.asarray(a)) for a in args]
    tkwargs = {k: torch.as_tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    loss = torch_fn(tx, *targs, **tkwargs)
    (grad,) = torch.autograd.grad(loss.sum(), tx)
    return loss.detach().numpy(), grad.numpy()


def check(ours, grad_fn, torch_fn, x, *args, tol=TOL, **kwargs):
    """Our loss and gradient agree with torch's for every reduction."""
    for reduction in REDUCTIONS:
        expected, expected_grad = torch_loss(torch_fn, x, *args, reduction=reduction, **kwargs)
        with NoWarnings():
            value = ours(x, *args, reduction=reduction, **kwargs)
        if reduction == "none":
            assert isinstance(value, np.ndarray) and value.shape == expected.shape
        else:
            assert type(value) is float
        np.testing.assert_allclose(value, expected, **tol, err_msg=reduction)
        if grad_fn is None:  # binary_cross_entropy: the course uses its value only
            continue
        with NoWarnings():
            grad = grad_fn(x, *args, reduction=reduction, **kwargs)
        assert isinstance(grad, np.ndarray) and grad.shape == np.shape(x)
        assert grad.dtype == np.float64
        np.testing.assert_allclose(grad, expected_grad, **tol, err_msg=reduction)


# ---------------------------------------------------------------------------- MSE


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_mse_matches_torch(rng, shape):
    x, t = rng.normal(scale=3.0, size=shape), rng.normal(scale=3.0, size=shape)
    check(L.mse_loss, L.mse_loss_grad, F.mse_loss, x, t)


def test_mse_is_the_mean_of_squares_and_its_gradient():
    x, t = np.array([1.0, 2.0, 4.0]), np.array([0.0, 2.0, 1.0])
    assert L.mse_loss(x, t) == 10.0 / 3
    assert L.mse_loss(x, t, reduction="sum") == 10.0
    np.testing.assert_array_equal(L.mse_loss(x, t, reduction="none"), [1.0, 0.0, 9.0])
    np.testing.assert_allclose(L.mse_loss_grad(x, t), [2 / 3, 0.0, 2.0], rtol=1e-15)
    np.testing.assert_array_equal(L.mse_loss_grad(x, t, reduction="sum"), [2.0, 0.0, 6.0])


def test_mse_large_values():
    x = np.array([1e4, -1e4, 1e150])
    t = np.array([-1e4, 1e4, 0.0])
    check(L.mse_loss, L.mse_loss_grad, F.mse_loss, x, t)


# ----------------------------------------------------------- binary cross-entropy


def probabilities(shape, rng):
    return rng.uniform(size=shape)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_bce_matches_torch(rng, shape):
    x, t = probabilities(shape, rng), probabilities(shape, rng)
    check(L.binary_cross_entropy, None, F.binary_cross_entropy, x, t)
    labels = (rng.uniform(size=shape) < 0.5).astype(float)
    check(L.binary_cross_entropy, None, F.binary_cross_entropy, x, labels)


def test_bce_clamps_the_log_at_minus_100_like_torch():
    x = np.array([0.0, 0.0, 1.0, 1.0, 1e-50, 1 - 1e-16, 1e-20, 0.5, 1e-44, 0.3])
    t = np.array([1.0, 0.3, 0.0, 0.7, 1.0, 0.3, 0.0, 0.5, 1.0, 1.0])
    check(L.binary_cross_entropy, None, F.binary_cross_entropy, x, t)
    loss = L.binary_cross_entropy(x, t, reduction="none")
    assert loss[0] == 100.0 and loss[2] == 100.0 and loss[4] == 100.0
    assert np.all(np.isfinite(loss))


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_bce_with_logits_matches_torch(rng, shape):
    x, t = rng.normal(scale=4.0, size=shape), probabilities(shape, rng)
    check(
        L.binary_cross_entropy_with_logits,
        L.binary_cross_entropy_with_logits_grad,
        F.binary_cross_entropy_with_logits,
        x,
        t,
    )


@pytest.mark.parametrize("target", [0.0, 1.0, 0.5, 0.1, 0.999])
def test_bce_with_logits_extreme_logits(target):
    x = EXTREME_LOGITS
    t = np.full_like(x, target)
    check(
        L.binary_cross_entropy_with_logits,
        L.binary_cross_entropy_with_logits_grad,
        F.binary_cross_entropy_with_logits,
        x,
        t,
        tol=LOGIT_TOL,
    )
    with NoWarnings():
        loss = L.binary_cross_entropy_with_logits(x, t, reduction="none")
    assert np.all(np.isfinite(loss)) and np.all(loss >= 0)


def test_bce_with_logits_does_not_cancel():
    # The exact loss is -x t = 0.09999 (log1p(exp(-9999)) is 0 in float64); torch is off by
    # about 1e-12 here, from (1 - t) x + 9999.
    x, t = np.array([-9999.0]), np.array([1e-5])
    assert L.binary_cross_entropy_with_logits(x, t) == 9999 * 1e-5
    assert L.binary_cross_entropy_with_logits(np.array([1e4]), np.array([1.0])) == 0.0


def test_bce_with_logits_is_bce_of_the_sigmoid(rng):
    x = rng.normal(scale=3.0, size=50)
    t = probabilities(50, rng)
    np.testing.assert_allclose(
        L.binary_cross_entropy_with_logits(x, t, reduction="none"),
        L.binary_cross_entropy(sigmoid(x), t, reduction="none"),
        rtol=1e-10,
    )
    # ... exactly where the probability version has to clamp:
    assert L.binary_cross_entropy_with_logits(np.array([-1e4]), np.array([1.0])) == 1e4
    assert L.binary_cross_entropy(sigmoid(np.array([-1e4])), np.array([1.0])) == 100.0
    # and its gradient sigmoid(x) - t is that of the chain rule through the sigmoid.
    np.testing.assert_allclose(L.binary_cross_entropy_with_logits_grad(x, t), (sigmoid(x) - t) / 50)


# ------------------------------------------------------------------- log-softmax


@pytest.mark.parametrize(
    ("shape", "axis"), [((5,), -1), ((5,), 0), ((4, 7), -1), ((4, 7), 0), ((2, 3, 6), 1)]
)
def test_log_softmax_matches_torch(rng, shape, axis):
    x = rng.normal(scale=5.0, size=shape)
    y = L.log_softmax(x, axis=axis)
    np.testing.assert_allclose(y, F.log_softmax(torch.tensor(x), dim=axis).numpy(), **TOL)
    np.testing.assert_allclose(np.exp(y), softmax(x, axis=axis), rtol=1e-13)


def test_log_softmax_extreme_values():
    x = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [0.0, 710.0, 800.0], [-800, -745, 0]])
    with NoWarnings():
        y = L.log_softmax(x)
    assert np.all(np.isfinite(y)) and np.all(y <= 0)
    np.testing.assert_allclose(y, F.log_softmax(torch.tensor(x), dim=-1).numpy(), **TOL)
    assert y[0, 1] == -2e4  # exact, where log(softmax) would give -inf
    np.testing.assert_allclose(y[1], -np.log(3.0), rtol=1e-15)


# ----------------------------------------------------------------- cross-entropy


def class_targets(n, c, kind, rng):
    """Class indices (n,), or probabilities (n, c) whose rows sum to 1."""
    if kind == "indices":
        return rng.integers(0, c, size=n)
    p = rng.uniform(size=(n, c)) ** 3
    return p / p.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("kind", ["indices", "probabilities"])
@pytest.mark.parametrize(("n", "c"), [(1, 1), (1, 2), (5, 3), (32, 10), (3, 100)])
def test_cross_entropy_matches_torch(rng, n, c, kind):
    x = rng.normal(scale=3.0, size=(n, c))
    t = class_targets(n, c, kind, rng)
    check(L.cross_entropy, L.cross_entropy_grad, F.cross_entropy, x, t)


def test_cross_entropy_unbatched(rng):
    x = rng.normal(size=6)
    for t in (np.array(4), class_targets(1, 6, "probabilities", rng)[0]):
        check(L.cross_entropy, L.cross_entropy_grad, F.cross_entropy, x, t)
    assert L.cross_entropy(x, 4, reduction="none").shape == ()
    assert L.cross_entropy(x, 4) == L.cross_entropy(x[None, :], [4])


def test_cross_entropy_unnormalised_probabilities_follow_torch(rng):
    # torch does not require the target rows to sum to 1; neither do we, and the gradient is
    # then softmax(x) * sum(q) - q rather than softmax(x) - q.
    x = rng.normal(size=(4, 5))
    t = rng.uniform(size=(4, 5))
    check(L.cross_entropy, L.cross_entropy_grad, F.cross_entropy, x, t)


@pytest.mark.parametrize("kind", ["indices", "probabilities"])
def test_cross_entropy_extreme_logits(rng, kind):
    x = np.array(
        [
            [1e4, -1e4, 0.0, 5.0],
            [-1e4, -1e4, -1e4, -1e4],
            [1e4, 1e4, 1e4 - 1.0, -1e4],
            [0.0, 710.0, 800.0, 745.0],
            [-800.0, -745.0, -1e3, -1e4],
            [1e-300, 0.0, -0.0, 1e4],
        ]
    )
    t = class_targets(len(x), 4, kind, rng)
    if kind == "indices":
        t[:3] = [1, 0, 3]  # the worst possible predictions: losses about 2e4
    check(L.cross_entropy, L.cross_entropy_grad, F.cross_entropy, x, t)
    with NoWarnings():
        loss = L.cross_entropy(x, t, reduction="none")
    assert np.all(np.isfinite(loss)) and np.all(loss >= 0)


def test_cross_entropy_gradient_is_softmax_minus_onehot_over_n(rng):
    x = rng.normal(size=(6, 4))
    y = np.array([0, 3, 1, 1, 2, 0])
    onehot = np.eye(4)[y]
    np.testing.assert_allclose(L.cross_entropy_grad(x, y), (softmax(x) - onehot) / 6, rtol=1e-13)
    np.testing.assert_allclose(
        L.cross_entropy_grad(x, y, reduction="sum"), softmax(x) - onehot, rtol=1e-13
    )
    # one-hot probabilities give the same loss and gradient as the indices, even as ints
    assert L.cross_entropy(x, onehot) == pytest.approx(L.cross_entropy(x, y), rel=1e-15)
    np.testing.assert_allclose(
        L.cross_entropy_grad(x, onehot.astype(int)), L.cross_entropy_grad(x, y)
    )
    # whole-number floats and lists are accepted as indices
    assert L.cross_entropy(x, y.astype(float)) == L.cross_entropy(x, y.tolist())


def test_cross_entropy_of_uniform_logits_is_log_c():
    assert L.cross_entropy(np.zeros((3, 10)), [0, 5, 9]) == pytest.approx(np.log(10), rel=1e-15)


# ---------------------------------------------------------------------- properties

finite_arrays = hnp.arrays(
    np.float64,
    hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=5),
    elements=st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False),
)
unit_floats = st.floats(0.0, 1.0, allow_nan=False)


@settings(max_examples=60, deadline=None, database=None)
@given(x=finite_arrays, data=st.data())
def test_elementwise_losses_match_torch_on_random_arrays(x, data):
    t = data.draw(hnp.arrays(np.float64, x.shape, elements=unit_floats), label="target")
    p = data.draw(hnp.arrays(np.float64, x.shape, elements=unit_floats), label="probabilities")
    check(L.mse_loss, L.mse_loss_grad, F.mse_loss, x, t, tol={"rtol": 1e-12, "atol": 1e-6})
    check(
        L.binary_cross_entropy_with_logits,
        L.binary_cross_entropy_with_logits_grad,
        F.binary_cross_entropy_with_logits,
        x,
        t,
        tol=LOGIT_TOL,
    )
    check(
        L.binary_cross_entropy,
        None,
        F.binary_cross_entropy,
        p,
        t,
        tol={"rtol": 1e-12, "atol": 1e-12},
    )


@settings(max_examples=60, deadline=None, database=None)
@given(
    n=st.integers(1, 6),
    c=st.integers(1, 6),
    scale=st.sampled_from([0.1, 3.0, 100.0, 1e4]),
    kind=st.sampled_from(["indices", "probabilities"]),
    seed=st.integers(0, 2**32 - 1),
)
def test_cross_entropy_matches_torch_on_random_problems(n, c, scale, kind, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(scale=scale, size=(n, c))
    t = class_targets(n, c, kind, rng)
    # Losses up to about 2e4 * scale-sized logits: absolute rounding about 1e-16 * scale.
    tol = {"rtol": 1e-12, "atol": 1e-14 * scale}
    check(L.cross_entropy, L.cross_entropy_grad, F.cross_entropy, x, t, tol=tol)
    loss = L.cross_entropy(x, t, reduction="none")
    assert np.all(loss >= -1e-12 * scale)
    # The per-sample gradient rows sum to 0 (the loss is invariant to shifting the logits).
    np.testing.assert_allclose(
        L.cross_entropy_grad(x, t).sum(axis=1),
        0.0,
        atol=1e-15 * c,
    )


@settings(max_examples=40, deadline=None, database=None)
@given(x=finite_arrays.filter(lambda a: a.ndim >= 1), data=st.data())
def test_log_softmax_properties(x, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1), label="axis")
    with NoWarnings():
        y = L.log_softmax(x, axis=axis)
    assert np.all(y <= 0)
    np.testing.assert_allclose(np.exp(y).sum(axis=axis), 1.0, rtol=1e-12)
    np.testing.assert_allclose(y, F.log_softmax(torch.tensor(x), dim=axis).numpy(), **TOL)


@settings(max_examples=40, deadline=None, database=None)
@given(x=finite_arrays, data=st.data())
def test_mean_is_sum_over_n_and_none_sums_to_sum(x, data):
    t = data.draw(hnp.arrays(np.float64, x.shape, elements=unit_floats), label="target")
    for loss, grad in [
        (L.mse_loss, L.mse_loss_grad),
        (L.binary_cross_entropy_with_logits, L.binary_cross_entropy_with_logits_grad),
    ]:
        total = loss(x, t, reduction="sum")
        assert loss(x, t) == pytest.approx(total / x.size, rel=1e-12, abs=1e-300)
        assert np.sum(loss(x, t, reduction="none")) == pytest.approx(total, rel=1e-12, abs=1e-300)
        np.testing.assert_allclose(
            grad(x, t) * x.size, grad(x, t, reduction="sum"), rtol=1e-14, atol=1e-300
        )
        np.testing.assert_array_equal(grad(x, t, reduction="none"), grad(x, t, reduction="sum"))


# ---------------------------------------------------------------------- interface


def test_inputs_are_not_modified_and_tensors_are_accepted(rng):
    x = rng.normal(size=(3, 4))
    y = np.array([0, 1, 3])
    x0, y0 = x.copy(), y.copy()
    L.cross_entropy_grad(x, y)
    L.log_softmax(x)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(y, y0)
    assert L.cross_entropy(torch.tensor(x), torch.tensor(y)) == L.cross_entropy(x, y)


def test_reduction_is_keyword_only():
    # In torch the third positional argument is `weight` or `size_average`.
    x, t = np.zeros(3), np.zeros(3)
    with pytest.raises(TypeError):
        L.mse_loss(x, t, "sum")
    with pytest.raises(TypeError):
        L.binary_cross_entropy_with_logits(x, t, "sum")
    with pytest.raises(TypeError):
        L.cross_entropy(np.zeros((1, 3)), [0], "sum")
