"""Tests of dlcourse.conv against torch.nn.functional (float64) as an independent reference."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from dlcourse import conv as C

# Sums of at most a few hundred products of O(1) numbers: both sides agree to ~1e-15.
TOL = {"rtol": 1e-10, "atol": 1e-12}
# float32 against torch's float32: different summation orders, ~1e-7 relative each.
TOL32 = {"rtol": 1e-4, "atol": 1e-5}

RNG = np.random.default_rng(20240607)


def t(a: np.ndarray, grad: bool = False) -> torch.Tensor:
    return torch.tensor(a, requires_grad=grad)


def pair(x):
    return (x, x) if isinstance(x, int) else tuple(x)


def torch_conv_and_grads(x, w, b, g, stride, padding):
    """torch's conv2d output and the gradients of sum(out * g) by autograd."""
    tx, tw, tb = t(x, True), t(w, True), t(b, True)
    out = F.conv2d(tx, tw, tb, stride=stride, padding=padding)
    out.backward(t(g))
    return out.detach().numpy(), (tx.grad.numpy(), tw.grad.numpy(), tb.grad.numpy())


def check_conv_against_torch(n, c_in, c_out, size, kernel, stride, padding):
    (h, w), (kh, kw) = pair(size), pair(kernel)
    x = RNG.normal(size=(n, c_in, h, w))
    weight = RNG.normal(size=(c_out, c_in, kh, kw))
    bias = RNG.normal(size=c_out)
    out = C.conv2d(x, weight, bias, stride=stride, padding=padding)
    g = RNG.normal(size=out.shape)
    expected, (gx, gw, gb) = torch_conv_and_grads(x, weight, bias, g, stride, padding)
    assert out.shape == expected.shape and out.dtype == np.float64
    np.testing.assert_allclose(out, expected, **TOL)
    np.testing.assert_allclose(
        C.conv2d(x, weight, stride=stride, padding=padding), out - bias[:, None, None], **TOL
    )

    grad_input, grad_weight, grad_bias = C.conv2d_backward(g, x, weight, stride, padding)
    assert grad_input.shape == x.shape and grad_weight.shape == weight.shape
    assert grad_bias.shape == (c_out,)
    np.testing.assert_allclose(grad_input, gx, **TOL)
    np.testing.assert_allclose(grad_weight, gw, **TOL)
    np.testing.assert_allclose(grad_bias, gb, **TOL)

    # The output-size formula gives the actual output shape.
    assert C.conv_output_size((h, w), (kh, kw), stride, padding) == out.shape[2:]
    if isinstance(size, int) and all(isinstance(a, int) for a in (kernel, stride, padding)):
        assert C.conv_output_size(h, kh, stride, padding) == out.shape[2] == out.shape[3]


def check_pools_against_torch(n, c, size, kernel, stride, padding):
    h, w = pair(size)
    x = RNG.normal(size=(n, c, h, w))
    tx = t(x, True)
    expected = F.max_pool2d(tx, kernel, stride, padding)
    out = C.max_pool2d(x, kernel, stride, padding)
    assert out.shape == expected.shape and out.dtype == np.float64
    np.testing.assert_array_equal(out, expected.detach().numpy())  # a max is exact

    g = RNG.normal(size=out.shape)
    expected.backward(t(g))
    grad = C.max_pool2d_backward(g, x, kernel, stride, padding)
    assert grad.shape == x.shape
    np.testing.assert_allclose(grad, tx.grad.numpy(), **TOL)

    avg = C.avg_pool2d(x, kernel, stride, padding)
    np.testing.assert_allclose(avg, F.avg_pool2d(t(x), kernel, stride, padding).numpy(), **TOL)

    s = kernel if stride is None else stride
    assert C.conv_output_size((h, w), pair(kernel), pair(s), pair(padding)) == out.shape[2:]


# ------------------------------------------------------------------ worked examples


SLIDE_1_INPUT = [
    [3, 3, 2, 1, 0],
    [0, 0, 1, 3, 1],
    [3, 1, 2, 2, 3],
    [2, 0, 0, 2, 2],
    [2, 0, 0, 0, 1],
]
SLIDE_1_KERNEL = [[0, 1, 2], [2, 2, 0], [0, 1, 2]]
SLIDE_1_OUTPUT = [[12, 12, 17], [10, 17, 19], [9, 6, 14]]

SLIDE_2_INPUT = [
    [2, 2, 3, 3, 3],
    [0, 1, 3, 0, 3],
    [2, 3, 0, 1, 3],
    [3, 3, 2, 1, 2],
    [3, 3, 0, 2, 3],
]
SLIDE_2_KERNEL = [[2, 0, 1], [1, 0, 0], [0, 1, 1]]
# The correct result, computed by hand, by torch and by us. The figure this example comes
# from (Dumoulin & Visin, "A guide to convolution arithmetic", numerical_padding_strides)
# prints [[1, 6, 5], [7, 10, 9], [7, 10, 8]], a known error of the figure that its authors
# confirmed (github.com/vdumoulin/conv_arithmetic/issues/17): e.g. the second value is
# 0*2 + 0*0 + 0*1 + 2*1 + 3*0 + 3*0 + 1*0 + 3*1 + 0*1 = 5, not 6.
SLIDE_2_OUTPUT = [[1, 5, 6], [7, 8, 3], [3, 10, 4]]
SLIDE_2_FIGURE_ERRATUM = [[1, 6, 5], [7, 10, 9], [7, 10, 8]]


def test_slide_example_no_padding_stride_1_holds_exactly():
    out = C.conv2d(SLIDE_1_INPUT, SLIDE_1_KERNEL)
    assert out.shape == (3, 3) and out.dtype == np.float64
    np.testing.assert_array_equal(out, SLIDE_1_OUTPUT)
    expected = F.conv2d(torch.tensor([[SLIDE_1_INPUT]]), torch.tensor([[SLIDE_1_KERNEL]]))
    np.testing.assert_array_equal(expected[0, 0].numpy(), SLIDE_1_OUTPUT)
    # The same through the batched and unbatched forms.
    x4, w4 = np.array([[SLIDE_1_INPUT]]), np.array([[SLIDE_1_KERNEL]])
    np.testing.assert_array_equal(C.conv2d(x4, w4), [[SLIDE_1_OUTPUT]])
    np.testing.assert_array_equal(C.conv2d(x4[0], w4), [SLIDE_1_OUTPUT])
    np.testing.assert_array_equal(
        C.conv2d(SLIDE_1_INPUT, SLIDE_1_KERNEL, bias=1.5), np.add(SLIDE_1_OUTPUT, 1.5)
    )
    # Cross-correlation, not convolution: flipping the kernel changes the result.
    assert not np.array_equal(C.conv2d(SLIDE_1_INPUT, np.flip(SLIDE_1_KERNEL)), out)


def test_slide_example_padding_1_stride_2_holds_exactly():
    out = C.conv2d(SLIDE_2_INPUT, SLIDE_2_KERNEL, padding=1, stride=2)
    assert out.shape == (3, 3)
    np.testing.assert_array_equal(out, SLIDE_2_OUTPUT)
    expected = F.conv2d(
        torch.tensor([[SLIDE_2_INPUT]]), torch.tensor([[SLIDE_2_KERNEL]]), padding=1, stride=2
    )
    np.testing.assert_array_equal(expected[0, 0].numpy(), SLIDE_2_OUTPUT)
    assert not np.array_equal(out, SLIDE_2_FIGURE_ERRATUM)
    # By hand: the top-middle window of the padded input, times the kernel.
    padded = np.pad(SLIDE_2_INPUT, 1)
    assert np.sum(padded[0:3, 2:5] * np.array(SLIDE_2_KERNEL)) == out[0, 1] == 5


def test_module_docstring_examples_run():
    result = doctest.testmod(C, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 4 and result.failed == 0


# -------------------------------------------------------------- convolution vs torch


CONV_CASES = [
    # n, c_in, c_out, size, kernel, stride, padding
    (1, 1, 1, 5, 3, 1, 0),
    (2, 1, 8, 28, 3, 1, 1),  # MNIST-like, 'same' padding
    (3, 8, 16, 14, 3, 1, 1),
    (2, 3, 4, 7, 3, 2, 1),
    (2, 3, 2, 8, 3, 2, 0),  # the stride does not divide: the last row is never used
    (1, 2, 3, 9, 5, 3, 2),
    (2, 2, 2, 6, 1, 1, 0),  # 1x1 convolution
    (2, 2, 2, 6, 1, 2, 1),
    (1, 1, 1, 4, 4, 1, 0),  # kernel as large as the input: one output pixel
    (1, 1, 2, 2, 4, 1, 1),  # kernel as large as the padded input
    (1, 2, 1, 3, 2, 5, 0),  # stride larger than the input
    (2, 3, 5, (6, 9), (2, 4), (1, 2), (1, 0)),  # rectangular everything
    (1, 4, 3, (10, 5), (3, 1), (3, 1), (0, 2)),
    (1, 1, 1, 1, 1, 1, 0),
    (1, 1, 1, 1, 3, 1, 1),
    (2, 1, 1, 7, [3, 2], [2, 3], [1, 1]),  # lists work like tuples
]


@pytest.mark.parametrize(("n", "c_in", "c_out", "size", "kernel", "stride", "padding"), CONV_CASES)
def test_conv2d_and_backward_match_torch(n, c_in, c_out, size, kernel, stride, padding):
    check_conv_against_torch(n, c_in, c_out, size, kernel, stride, padding)


@settings(max_examples=80, deadline=None, database=None)
@given(
    n=st.integers(1, 3),
    c_in=st.integers(1, 4),
    c_out=st.integers(1, 4),
    kernel=st.tuples(st.integers(1, 5), st.integers(1, 5)),
    stride=st.tuples(st.integers(1, 4), st.integers(1, 4)),
    padding=st.tuples(st.integers(0, 3), st.integers(0, 3)),
    extra=st.tuples(st.integers(0, 7), st.integers(0, 7)),
)
def test_conv2d_and_backward_match_torch_on_random_shapes(
    n, c_in, c_out, kernel, stride, padding, extra
):
    # Input sizes from the smallest that fits the kernel (counting the padding) upwards.
    size = tuple(max(1, k - 2 * p) + e for k, p, e in zip(kernel, padding, extra))
    check_conv_against_torch(n, c_in, c_out, size, kernel, stride, padding)


def test_unbatched_3d_input_matches_torch():
    x, w, b = RNG.normal(size=(3, 9, 8)), RNG.normal(size=(4, 3, 3, 2)), RNG.normal(size=4)
    out = C.conv2d(x, w, b, stride=(2, 1), padding=1)
    expected = F.conv2d(t(x), t(w), t(b), stride=(2, 1), padding=1)  # torch's unbatched form
    assert out.shape == expected.shape == (4, 5, 9)
    np.testing.assert_allclose(out, expected.numpy(), **TOL)
    np.testing.assert_allclose(out, C.conv2d(x[None], w, b, stride=(2, 1), padding=1)[0])

    g = RNG.normal(size=out.shape)
    tx, tw = t(x, True), t(w, True)
    F.conv2d(tx, tw, stride=(2, 1), padding=1).backward(t(g))
    grad_input, grad_weight, grad_bias = C.conv2d_backward(g, x, w, stride=(2, 1), padding=1)
    assert grad_input.shape == x.shape
    np.testing.assert_allclose(grad_input, tx.grad.numpy(), **TOL)
    np.testing.assert_allclose(grad_weight, tw.grad.numpy(), **TOL)
    np.testing.assert_allclose(grad_bias, g.sum(axis=(1, 2)), **TOL)


def test_single_2d_image_with_2d_kernel():
    x, k = RNG.normal(size=(6, 7)), RNG.normal(size=(3, 2))
    out = C.conv2d(x, k, bias=0.5, stride=2, padding=(1, 0))
    expected = F.conv2d(t(x[None, None]), t(k[None, None]), t(np.array([0.5])), 2, (1, 0))
    assert out.shape == (3, 3)
    np.testing.assert_allclose(out, expected[0, 0].numpy(), **TOL)
    np.testing.assert_allclose(C.conv2d(x, k, bias=[0.5], stride=2, padding=(1, 0)), out)

    g = RNG.normal(size=out.shape)
    grad_input, grad_kernel, grad_bias = C.conv2d_backward(g, x, k, stride=2, padding=(1, 0))
    gx4, gk4, gb4 = C.conv2d_backward(g[None, None], x[None, None], k[None, None], 2, (1, 0))
    assert grad_input.shape == x.shape and grad_kernel.shape == k.shape and grad_bias.shape == ()
    np.testing.assert_array_equal(grad_input, gx4[0, 0])
    np.testing.assert_array_equal(grad_kernel, gk4[0, 0])
    assert grad_bias == gb4[0] == pytest.approx(g.sum())


def test_grad_input_is_a_full_convolution_with_the_flipped_kernel():
    # The textbook statement of the input gradient, checked with our own conv2d.
    (sh, sw), (ph, pw), (kh, kw) = (2, 3), (1, 0), (3, 2)
    x, w = RNG.normal(size=(2, 3, 9, 8)), RNG.normal(size=(4, 3, kh, kw))
    g = RNG.normal(size=C.conv2d(x, w, stride=(sh, sw), padding=(ph, pw)).shape)
    grad_input = C.conv2d_backward(g, x, w, stride=(sh, sw), padding=(ph, pw))[0]

    h_out, w_out = g.shape[2:]
    dilated = np.zeros((2, 4, sh * (h_out - 1) + 1, sw * (w_out - 1) + 1))
    dilated[:, :, ::sh, ::sw] = g  # stride - 1 zeros between the gradients
    flipped = w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3)  # rotated, channels swapped
    full = C.conv2d(dilated, flipped, padding=(kh - 1, kw - 1))
    padded = np.zeros((2, 3, 9 + 2 * ph, 8 + 2 * pw))  # rows the stride skipped get 0
    padded[:, :, : full.shape[2], : full.shape[3]] = full
    np.testing.assert_allclose(grad_input, padded[:, :, ph : ph + 9, pw : pw + 8], **TOL)


def test_backward_is_the_gradient_of_a_scalar_loss_by_finite_differences():
    # Independent of torch: loss = sum(conv2d(x, w, b) * g), central differences in x and w.
    x, w, b = RNG.normal(size=(1, 2, 5, 4)), RNG.normal(size=(3, 2, 3, 2)), RNG.normal(size=3)
    kwargs = {"stride": (2, 1), "padding": (1, 1)}
    g = RNG.normal(size=C.conv2d(x, w, b, **kwargs).shape)

    def loss(x_, w_, b_):
        return np.sum(C.conv2d(x_, w_, b_, **kwargs) * g)

    grads = C.conv2d_backward(g, x, w, **kwargs)
    args, h = [x, w, b], 1e-6
    for which, grad in enumerate(grads):
        numeric = np.zeros_like(args[which])
        for idx in np.ndindex(numeric.shape):
            step = np.zeros_like(numeric)
            step[idx] = h
            plus = [a + step if i == which else a for i, a in enumerate(args)]
            minus = [a - step if i == which else a for i, a in enumerate(args)]
            numeric[idx] = (loss(*plus) - loss(*minus)) / (2 * h)
        np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-8)


def test_inputs_are_not_modified_and_torch_tensors_and_lists_work():
    x, w, b = RNG.normal(size=(2, 2, 5, 5)), RNG.normal(size=(3, 2, 3, 3)), RNG.normal(size=3)
    copies = [a.copy() for a in (x, w, b)]
    out = C.conv2d(x, w, b, padding=1)
    g = np.ones_like(out)
    C.conv2d_backward(g, x, w, padding=1)
    C.max_pool2d(x, 2)
    C.max_pool2d_backward(np.ones((2, 2, 2, 2)), x, 2)
    for a, copy in zip((x, w, b), copies):
        np.testing.assert_array_equal(a, copy)
    np.testing.assert_array_equal(C.conv2d(t(x), t(w), t(b), padding=1), out)
    np.testing.assert_array_equal(C.conv2d(x.tolist(), w.tolist(), b.tolist(), padding=1), out)
    assert out.flags.c_contiguous


def test_non_contiguous_inputs_work():
    # The windows are built from the input's strides: views with odd strides must work too.
    base = RNG.normal(size=(3, 2, 12, 10))
    w = RNG.normal(size=(8, 4, 3, 3))
    views = [
        base[:, :, ::2, ::-1],  # step and negative stride
        base.transpose(0, 1, 3, 2),  # height and width swapped
        np.asfortranarray(base),
        base[::-1, :, 1:-1, 2:],
    ]
    for x in views:
        weight = w[:, : x.shape[1], ::-1]  # a reversed view of the weight too
        expected = F.conv2d(t(np.ascontiguousarray(x)), t(weight.copy()), padding=(0, 1))
        np.testing.assert_allclose(C.conv2d(x, weight, padding=(0, 1)), expected.numpy(), **TOL)
        np.testing.assert_array_equal(C.max_pool2d(x, 2), F.max_pool2d(t(x.copy()), 2).numpy())
        g = np.ones(expected.shape)
        grads = C.conv2d_backward(g, x, weight, padding=(0, 1))
        grads_contiguous = C.conv2d_backward(g, x.copy(), weight.copy(), padding=(0, 1))
        for a, b in zip(grads, grads_contiguous):
            np.testing.assert_allclose(a, b, **TOL)


# ----------------------------------------------------------------------- dtype rule


def test_float32_in_float32_out_and_close_to_torch_float32():
    x = RNG.normal(size=(4, 3, 10, 10)).astype(np.float32)
    w = RNG.normal(size=(5, 3, 3, 3)).astype(np.float32)
    b = RNG.normal(size=5).astype(np.float32)
    out = C.conv2d(x, w, b, stride=2, padding=1)
    assert out.dtype == np.float32
    expected = F.conv2d(torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b), 2, 1)
    np.testing.assert_allclose(out, expected.numpy(), **TOL32)
    # float32 tensors count as float32; a float64 bias is cast to float32.
    assert (
        C.conv2d(torch.from_numpy(x), torch.from_numpy(w), b.astype(np.float64)).dtype == np.float32
    )

    g = np.ones_like(out)
    assert all(a.dtype == np.float32 for a in C.conv2d_backward(g, x, w, 2, 1))
    for pool in (C.max_pool2d, C.avg_pool2d):
        assert pool(x, 2).dtype == np.float32
        np.testing.assert_allclose(pool(x, 3, 2, 1), pool(x.astype(np.float64), 3, 2, 1), **TOL32)
    pooled = C.max_pool2d(x, 2)
    assert C.max_pool2d_backward(np.ones_like(pooled), x, 2).dtype == np.float32


def test_anything_but_all_float32_computes_in_float64():
    x32 = RNG.normal(size=(1, 1, 4, 4)).astype(np.float32)
    w32 = np.ones((1, 1, 2, 2), np.float32)
    assert C.conv2d(x32, w32.astype(np.float64)).dtype == np.float64
    assert C.conv2d(x32.astype(np.float16), w32).dtype == np.float64
    assert C.conv2d(np.ones((1, 1, 4, 4), int), np.ones((1, 1, 2, 2), int)).dtype == np.float64
    assert C.conv2d_backward(np.ones((1, 1, 3, 3)), x32, w32)[0].dtype == np.float64
    assert C.max_pool2d(x32.astype(np.float16), 2).dtype == np.float64
    assert C.max_pool2d_backward(np.ones((1, 1, 2, 2)), x32, 2).dtype == np.float64


# -------------------------------------------------------------------------- pooling


POOL_CASES = [
    # n, c, size, kernel, stride, padding
    (2, 3, 28, 2, None, 0),  # the usual 2x2 max pooling
    (2, 3, 7, 2, None, 0),  # odd size: the last row and column are dropped
    (1, 2, 8, 3, 1, 1),  # overlapping windows
    (1, 2, 9, 3, 2, 1),
    (2, 1, 6, 2, 1, 1),
    (1, 1, 5, 5, 1, 2),
    (1, 1, 1, 1, None, 0),
    (1, 1, 1, 2, 1, 1),  # padding k/2 around a single pixel
    (2, 2, (6, 9), (2, 3), (1, 2), (1, 1)),
    (1, 3, (5, 4), (4, 1), None, (2, 0)),
    (1, 1, 7, [3, 2], [2, 2], [1, 0]),
]


@pytest.mark.parametrize(("n", "c", "size", "kernel", "stride", "padding"), POOL_CASES)
def test_pools_and_max_pool_backward_match_torch(n, c, size, kernel, stride, padding):
    check_pools_against_torch(n, c, size, kernel, stride, padding)


@settings(max_examples=80, deadline=None, database=None)
@given(
    n=st.integers(1, 3),
    c=st.integers(1, 3),
    kernel=st.tuples(st.integers(1, 5), st.integers(1, 5)),
    stride=st.none() | st.tuples(st.integers(1, 4), st.integers(1, 4)),
    padding_fraction=st.tuples(st.floats(0, 1), st.floats(0, 1)),
    extra=st.tuples(st.integers(0, 7), st.integers(0, 7)),
)
def test_pools_match_torch_on_random_shapes(n, c, kernel, stride, padding_fraction, extra):
    padding = tuple(int(f * (k // 2)) for f, k in zip(padding_fraction, kernel))
    size = tuple(max(1, k - 2 * p) + e for k, p, e in zip(kernel, padding, extra))
    check_pools_against_torch(n, c, size, kernel, stride, padding)


def test_pool_unbatched_and_2d_forms():
    x = RNG.normal(size=(3, 6, 6))
    for pool, torch_pool in ((C.max_pool2d, F.max_pool2d), (C.avg_pool2d, F.avg_pool2d)):
        out = pool(x, 2)
        assert out.shape == (3, 3, 3)
        np.testing.assert_allclose(out, torch_pool(t(x), 2).numpy(), **TOL)  # unbatched torch
        np.testing.assert_array_equal(pool(x[0], 2), out[0])  # a single 2-D image
    g = RNG.normal(size=(3, 3))
    grad = C.max_pool2d_backward(g, x[0], 2)
    assert grad.shape == (6, 6)
    np.testing.assert_array_equal(grad, C.max_pool2d_backward(g[None], x[:1], 2)[0])


def test_max_pool_padding_is_minus_infinity_and_avg_pool_counts_padding():
    x = -np.arange(1.0, 10.0).reshape(3, 3)  # all negative: zero padding would win the max
    np.testing.assert_array_equal(C.max_pool2d(x, 2, stride=2, padding=1), [[-1, -2], [-4, -5]])
    # count_include_pad=True: the corner window holds one real pixel and three zeros.
    np.testing.assert_array_equal(
        C.avg_pool2d(x, 2, stride=2, padding=1), [[-1 / 4, -5 / 4], [-11 / 4, -28 / 4]]
    )
    assert C.avg_pool2d(x, 3, padding=1)[0, 0] == pytest.approx((-1 - 2 - 4 - 5) / 9)


def test_max_pool_backward_ties_and_overlaps_follow_torch():
    # All equal: torch and we send each window's gradient to its first pixel (row by row);
    # with overlapping windows a pixel collects the gradients of every window it tops.
    for x, kernel, stride, padding in [
        (np.zeros((1, 1, 4, 4)), 2, None, 0),
        (np.zeros((1, 1, 4, 4)), 3, 1, 1),
        (np.ones((1, 2, 5, 5)), 2, 1, 0),
        (np.array([[[[1.0, 2.0, 2.0], [2.0, 0.0, 2.0], [1.0, 2.0, 1.0]]]]), 2, 1, 0),
    ]:
        tx = t(x, True)
        out = F.max_pool2d(tx, kernel, stride, padding)
        g = RNG.normal(size=out.shape)
        out.backward(t(g))
        np.testing.assert_allclose(
            C.max_pool2d_backward(g, x, kernel, stride, padding), tx.grad.numpy(), **TOL
        )
    grad = C.max_pool2d_backward(np.ones((1, 1, 4, 4)), np.zeros((1, 1, 4, 4)), 3, 1, 1)
    np.testing.assert_array_equal(grad[0, 0], [[4, 2, 2, 0], [2, 1, 1, 0], [2, 1, 1, 0], [0] * 4])


@pytest.mark.parametrize("pool", ["max_pool2d", "avg_pool2d"])
def test_pool_padding_rule_is_torchs(pool):
    # torch: "pad should be at most half of effective kernel size"; we refuse the same ones.
    x = np.zeros((1, 1, 6, 6))
    for kernel in [1, 2, 3, 4, 5, (3, 4), (4, 1)]:
        for padding in [0, 1, 2, 3, (2, 0), (0, 2), (1, 2)]:
            try:
                expected = getattr(F, pool)(t(x), kernel, 1, padding).numpy()
            except RuntimeError:
                with pytest.raises(ValueError, match="at most half of `kernel_size`"):
                    getattr(C, pool)(x, kernel, 1, padding)
            else:
                np.testing.assert_array_equal(getattr(C, pool)(x, kernel, 1, padding), expected)


def test_max_pool_stride_defaults_to_kernel_size():
    x = RNG.normal(size=(1, 1, 6, 6))
    np.testing.assert_array_equal(C.max_pool2d(x, 3), C.max_pool2d(x, 3, stride=3))
    np.testing.assert_array_equal(C.avg_pool2d(x, (2, 3)), C.avg_pool2d(x, (2, 3), (2, 3)))
    assert C.max_pool2d(x, (2, 3)).shape == (1, 1, 3, 2)


# ------------------------------------------------------------------ output-size formula


def test_conv_output_size_examples_and_return_types():
    assert C.conv_output_size(5, 3) == 3
    assert C.conv_output_size(5, 3, stride=2, padding=1) == 3
    assert C.conv_output_size(28, 3, padding=1) == 28
    assert C.conv_output_size(28, 2, stride=2) == 14
    assert C.conv_output_size(7, 2, stride=2) == 3  # floor: the last row is dropped
    assert C.conv_output_size(4, 5, padding=1) == 2
    assert C.conv_output_size(3, 7, padding=2) == 1  # the kernel fits exactly
    assert C.conv_output_size(10, 3, stride=20) == 1
    assert C.conv_output_size((28, 20), 3) == (26, 18)
    assert C.conv_output_size(28, (3, 5), stride=(1, 2), padding=(1, 0)) == (28, 12)
    assert C.conv_output_size(np.int64(5), np.int32(3)) == 3
    assert isinstance(C.conv_output_size(5, 3), int)


@pytest.mark.parametrize("n", [1, 2, 5, 8, 13, 28])
@pytest.mark.parametrize("k", [1, 2, 3, 5])
@pytest.mark.parametrize("s", [1, 2, 3])
@pytest.mark.parametrize("p", [0, 1, 2])
def test_conv_output_size_is_the_shape_torch_produces(n, k, s, p):
    if k > n + 2 * p:
        with pytest.raises(ValueError, match="kernel_size"):
            C.conv_output_size(n, k, s, p)
        return
    x = torch.zeros(1, 1, n, n)
    expected = F.conv2d(x, torch.zeros(1, 1, k, k), stride=s, padding=p).shape[-1]
    assert C.conv_output_size(n, k, s, p) == expected == (n + 2 * p - k) // s + 1
    if 2 * p <= k:
        assert F.max_pool2d(x, k, s, p).shape[-1] == expected


# ------------------------------------------------------------------------ bad input


X4 = np.ones((2, 3, 5, 5))
W4 = np.ones((4, 3, 3, 3))


@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [
        # the kernel does not fit
        (
            lambda: C.conv2d(X4, np.ones((4, 3, 8, 3)), padding=1),
            ValueError,
            r"`weight`: the 8x3 kernel is larger than the padded input 7x7",
        ),
        (
            lambda: C.conv2d(np.ones((3, 3)), np.ones((4, 4))),
            ValueError,
            r"`weight`.*larger than the padded input",
        ),
        (
            lambda: C.max_pool2d(np.ones((1, 1, 2, 2)), 3),
            ValueError,
            r"`kernel_size`: the 3x3 kernel is larger",
        ),
        (
            lambda: C.conv_output_size(4, 7, padding=1),
            ValueError,
            r"`kernel_size`.*larger than the padded input 6x6",
        ),
        # stride and padding out of range, or of the wrong kind
        (lambda: C.conv2d(X4, W4, stride=0), ValueError, r"`stride` must be in \[1, inf\]; got 0"),
        (lambda: C.conv2d(X4, W4, stride=-2), ValueError, r"`stride` must be in \[1, inf\]"),
        (
            lambda: C.conv2d(X4, W4, stride=(1, 0)),
            ValueError,
            r"`stride\[1\]` must be in \[1, inf\]",
        ),
        (
            lambda: C.conv2d(X4, W4, padding=-1),
            ValueError,
            r"`padding` must be in \[0, inf\]; got -1",
        ),
        (lambda: C.conv2d(X4, W4, padding=(0, -1)), ValueError, r"`padding\[1\]`"),
        (
            lambda: C.conv2d(X4, W4, stride=(1, 1, 1)),
            ValueError,
            r"`stride` must be an int or a pair \(h, w\).*length 3",
        ),
        (lambda: C.conv2d(X4, W4, stride=1.0), TypeError, r"`stride` must be an int or a pair"),
        (lambda: C.conv2d(X4, W4, stride=True), TypeError, r"`stride`"),
        (lambda: C.conv2d(X4, W4, padding="same"), TypeError, r"`padding`"),
        (lambda: C.conv2d(X4, W4, stride=(1, 1.5)), TypeError, r"`stride\[1\]` must be an integer"),
        (lambda: C.max_pool2d(X4, 2, stride=0), ValueError, r"`stride` must be in \[1, inf\]"),
        (lambda: C.max_pool2d(X4, 0), ValueError, r"`kernel_size` must be in \[1, inf\]"),
        (lambda: C.avg_pool2d(X4, 2, padding=-1), ValueError, r"`padding` must be in \[0, inf\]"),
        (lambda: C.conv_output_size(0, 1), ValueError, r"`input_size` must be in \[1, inf\]"),
        (lambda: C.conv_output_size(5, 3, stride=0), ValueError, r"`stride`"),
        (lambda: C.conv_output_size(5, 3, padding=-1), ValueError, r"`padding`"),
        # torch's rule for pooling: padding at most half the kernel
        (
            lambda: C.max_pool2d(X4, 2, padding=2),
            ValueError,
            r"`padding` must be at most half of `kernel_size`.*\(2, 2\).*\(2, 2\)",
        ),
        (lambda: C.avg_pool2d(X4, 3, padding=2), ValueError, r"at most half of `kernel_size`"),
        (lambda: C.max_pool2d(X4, (4, 1), padding=(2, 1)), ValueError, r"at most half"),
        # channels and bias
        (
            lambda: C.conv2d(X4, np.ones((4, 2, 3, 3))),
            ValueError,
            r"`input` has 3 channel\(s\) but `weight` expects 2",
        ),
        (
            lambda: C.conv2d(X4[0], np.ones((4, 1, 3, 3))),
            ValueError,
            r"`input` has 3 channel.*`weight` expects 1",
        ),
        (
            lambda: C.conv2d(X4, W4, np.ones(3)),
            ValueError,
            r"`bias` must have shape \(4,\).*got shape \(3,\)",
        ),
        (lambda: C.conv2d(X4, W4, np.ones((4, 1))), ValueError, r"`bias` must have shape \(4,\)"),
        (lambda: C.conv2d(X4, W4, 1.0), ValueError, r"`bias` must have shape \(4,\)"),
        (
            lambda: C.conv2d(np.ones((4, 4)), np.ones((2, 2)), [1.0, 2.0]),
            ValueError,
            r"`bias` must be a single number for a 2-D image `input`.*got shape \(2,\)",
        ),
        # number of dimensions
        (
            lambda: C.conv2d(np.ones(5), np.ones(3)),
            ValueError,
            r"`input` must be a 4-D batch \(N, C, H, W\), a 3-D unbatched \(C, H, W\) or a 2-D "
            r"image \(H, W\); got an array of shape \(5,\)",
        ),
        (
            lambda: C.conv2d(np.ones((1, 1, 1, 5, 5)), W4),
            ValueError,
            r"`input` must be a 4-D batch",
        ),
        (
            lambda: C.conv2d(X4, np.ones((3, 3))),
            ValueError,
            r"`weight` must be a 4-D array \(C_out, C_in, kH, kW\) for a 4-D `input`",
        ),
        (
            lambda: C.conv2d(np.ones((5, 5)), W4),
            ValueError,
            r"for a 2-D image `input` \(H, W\), `weight` must be a 2-D kernel",
        ),
        (lambda: C.max_pool2d(np.ones(5), 2), ValueError, r"`input` must be a 4-D batch"),
        (lambda: C.avg_pool2d(5.0, 2), ValueError, r"`input` must be a 4-D batch"),
        # values
        (
            lambda: C.conv2d(np.full((1, 1, 3, 3), np.nan), W4[:, :1]),
            ValueError,
            r"`input` contains NaN or infinite",
        ),
        (
            lambda: C.conv2d(
                np.full((1, 1, 3, 3), np.inf, np.float32), np.ones((1, 1, 2, 2), np.float32)
            ),
            ValueError,
            r"`input` contains NaN",
        ),
        (
            lambda: C.conv2d(X4, np.full((4, 3, 3, 3), np.nan, np.float32)),
            ValueError,
            r"`weight` contains NaN",
        ),
        (lambda: C.conv2d(X4, W4, np.array([1, 2, 3, np.nan])), ValueError, r"`bias` contains NaN"),
        (lambda: C.max_pool2d(np.full((2, 2), -np.inf), 2), ValueError, r"`input` contains NaN"),
        (lambda: C.conv2d(np.ones((1, 1, 0, 3)), W4), ValueError, r"`input` is empty"),
        (
            lambda: C.conv2d(np.ones((0, 4), np.float32), np.ones((1, 1))),
            ValueError,
            r"`input` is empty",
        ),
        (lambda: C.conv2d("image", W4), TypeError, r"`input` must be a numeric array-like"),
        (lambda: C.conv2d(X4, None), TypeError, r"`weight` must be a numeric array-like"),
        (lambda: C.max_pool2d(X4, "2"), TypeError, r"`kernel_size` must be an int or a pair"),
        # backward: grad_output must have the forward output's shape
        (
            lambda: C.conv2d_backward(np.ones((2, 4, 5, 5)), X4, W4),
            ValueError,
            r"`grad_output` must have the shape of the forward output, \(2, 4, 3, 3\); "
            r"got shape \(2, 4, 5, 5\)",
        ),
        (
            lambda: C.conv2d_backward(np.ones((3, 3)), np.ones((5, 5)), np.ones((3, 3)), padding=1),
            ValueError,
            r"`grad_output`.*\(5, 5\)",
        ),
        (
            lambda: C.conv2d_backward(np.ones((2, 4, 3, 3)), X4, np.ones((4, 2, 3, 3))),
            ValueError,
            r"`weight` expects 2",
        ),
        (
            lambda: C.conv2d_backward(np.full((2, 4, 3, 3), np.nan), X4, W4),
            ValueError,
            r"`grad_output` contains NaN",
        ),
        (
            lambda: C.conv2d_backward(np.ones((2, 4, 3, 3)), X4, W4, stride=0),
            ValueError,
            r"`stride`",
        ),
        (
            lambda: C.max_pool2d_backward(np.ones((2, 3, 3, 3)), X4, 2),
            ValueError,
            r"`grad_output` must have the shape of the forward output, \(2, 3, 2, 2\)",
        ),
        (
            lambda: C.max_pool2d_backward(np.ones((2, 2)), X4, 2, padding=2),
            ValueError,
            r"at most half",
        ),
        (lambda: C.max_pool2d_backward("g", X4, 2), TypeError, r"`grad_output`"),
    ],
)
def test_bad_input_raises_a_clear_error_naming_the_argument(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


# ------------------------------------------------------------------------- drawing


def _axes():
    from matplotlib.figure import Figure

    return Figure().subplots()


def test_plot_grid_draws_every_number_the_window_and_the_kernel_subscripts():
    import matplotlib

    before = dict(matplotlib.rcParams)
    ax = _axes()
    padded = np.pad(np.array(SLIDE_2_INPUT, dtype=float), 1)
    art = C.plot_grid(ax, padded, padding=1, window=(0, 2, 3, 3), kernel=SLIDE_2_KERNEL)
    assert dict(matplotlib.rcParams) == before  # no global state changed
    assert [t.get_text() for t in art["texts"]][:9] == ["0"] * 7 + ["0", "2"]
    assert len(art["texts"]) == 49 and art["texts"][8].get_position() == (1, 1)
    assert [t.get_text() for t in art["subscripts"]] == [
        "2",
        "0",
        "1",
        "1",
        "0",
        "0",
        "0",
        "1",
        "1",
    ]
    # The window's outline covers rows 0-2 and columns 2-4, in cell coordinates.
    assert art["window"].get_xy() == (1.5, -0.5)
    assert art["window"].get_width() == 3 and art["window"].get_height() == 3
    # Padding: four grey strips and the dashed frame of the real 5x5 input; grey numbers.
    assert len(art["padding"]) == 5 and art["padding"][-1].get_width() == 5
    assert art["texts"][0].get_color() == "0.5" and art["texts"][8].get_color() != "0.5"
    assert ax.get_xlim() == (-0.5, 6.5) and ax.get_ylim() == (6.5, -0.5)  # row 0 on top
    np.testing.assert_array_equal(art["image"].get_array(), padded)


def test_plot_grid_text_is_readable_on_dark_and_light_cells():
    ax = _axes()
    art = C.plot_grid(ax, [[0.0, 10.0]], fmt=".1f")
    assert [t.get_text() for t in art["texts"]] == ["0.0", "10.0"]
    assert [t.get_color() for t in art["texts"]] == ["black", "white"]
    assert art["window"] is None and art["subscripts"] == [] and art["padding"] == []
    assert C.plot_grid(_axes(), np.ones((28, 28)), show_values=False)["texts"] == []
    # A constant grid gets a valid colour scale; vmin and vmax are honoured.
    assert C.plot_grid(_axes(), np.zeros((2, 2)))["image"].norm.vmax == 1.0
    assert C.plot_grid(_axes(), np.eye(2), vmin=-3, vmax=3)["image"].norm.vmin == -3
    # cmap=None: white cells and black numbers, whatever the values.
    art = C.plot_grid(_axes(), [[0.0, 10.0]], cmap=None)
    assert [t.get_color() for t in art["texts"]] == ["black", "black"]
    assert np.all(art["image"].get_array() == 0)


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"ax": None}, TypeError, r"`ax` must be a matplotlib Axes"),
        ({"values": np.ones(4)}, ValueError, r"`values` must be a 2-D array"),
        ({"window": (0, 0, 4, 4)}, ValueError, r"`window` \(0, 0, 4, 4\).*outside the 3x3 grid"),
        ({"window": (0, 0, 0, 2)}, ValueError, r"`window\[2\] \(height\)` must be in \[1, inf\]"),
        (
            {"window": (0, 0, 2)},
            TypeError,
            r"`window` must be a tuple \(top, left, height, width\)",
        ),
        (
            {"window": (0, 0, 2, 2), "kernel": np.ones((3, 3))},
            ValueError,
            r"`kernel` must have shape \(2, 2\)",
        ),
        ({"kernel": np.ones((2, 2))}, ValueError, r"`kernel` needs a `window`"),
        ({"padding": 2}, ValueError, r"`padding` \(2, 2\) leaves no real input"),
        ({"padding": -1}, ValueError, r"`padding` must be in \[0, inf\]"),
        ({"fmt": 2}, TypeError, r"`fmt` must be a format spec"),
        ({"values": [[1.0, np.nan]]}, ValueError, r"`values` contains NaN"),
    ],
)
def test_plot_grid_bad_input_raises_a_clear_error(kwargs, error, pattern):
    arguments = {"ax": _axes(), "values": np.ones((3, 3)), **kwargs}
    with pytest.raises(error, match=pattern):
        C.plot_grid(arguments.pop("ax"), arguments.pop("values"), **arguments)
