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
from dlcourse import plotting as P

# Sums of at most a few hundred products of O(1) numbers: both sides agree to ~1e-15.
TOL = {"rtol": 1e-10, "atol": 1e-12}
# float32 against torch's float32: different summation orders, ~1e-7 relative each.
TOL32 = {"rtol": 1e-4, "atol": 1e-5}

_SEED = 20240607


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
    rng = np.random.default_rng(0)  # seeded here: the data never depend on test order
    (h, w), (kh, kw) = pair(size), pair(kernel)
    x = rng.normal(size=(n, c_in, h, w))
    weight = rng.normal(size=(c_out, c_in, kh, kw))
    bias = rng.normal(size=c_out)
    out = C.conv2d(x, weight, bias, stride=stride, padding=padding)
    g = rng.normal(size=out.shape)
    expected, _ = torch_conv_and_grads(x, weight, bias, g, stride, padding)
    assert out.shape == expected.shape and out.dtype == np.float64
    np.testing.assert_allclose(out, expected, **TOL)
    np.testing.assert_allclose(
        C.conv2d(x, weight, stride=stride, padding=padding), out - bias[:, None, None], **TOL
    )

    # The output-size formula gives the actual output shape.
    assert C.conv_output_size((h, w), (kh, kw), stride, padding) == out.shape[2:]
    if isinstance(size, int) and all(isinstance(a, int) for a in (kernel, stride, padding)):
        assert C.conv_output_size(h, kh, stride, padding) == out.shape[2] == out.shape[3]


def check_pools_against_torch(n, c, size, kernel, stride, padding):
    rng = np.random.default_rng(0)  # seeded here: the data never depend on test order
    h, w = pair(size)
    x = rng.normal(size=(n, c, h, w))
    expected = F.max_pool2d(t(x), kernel, stride, padding)
    out = C.max_pool2d(x, kernel, stride, padding)
    assert out.shape == expected.shape and out.dtype == np.float64
    np.testing.assert_array_equal(out, expected.numpy())  # a max is exact

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
def test_conv2d_matches_torch(n, c_in, c_out, size, kernel, stride, padding):
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
def test_conv2d_matches_torch_on_random_shapes(n, c_in, c_out, kernel, stride, padding, extra):
    # Input sizes from the smallest that fits the kernel (counting the padding) upwards.
    size = tuple(max(1, k - 2 * p) + e for k, p, e in zip(kernel, padding, extra))
    check_conv_against_torch(n, c_in, c_out, size, kernel, stride, padding)


def test_unbatched_3d_input_matches_torch(rng):
    x, w, b = rng.normal(size=(3, 9, 8)), rng.normal(size=(4, 3, 3, 2)), rng.normal(size=4)
    out = C.conv2d(x, w, b, stride=(2, 1), padding=1)
    expected = F.conv2d(t(x), t(w), t(b), stride=(2, 1), padding=1)  # torch's unbatched form
    assert out.shape == expected.shape == (4, 5, 9)
    np.testing.assert_allclose(out, expected.numpy(), **TOL)
    np.testing.assert_allclose(out, C.conv2d(x[None], w, b, stride=(2, 1), padding=1)[0])


def test_single_2d_image_with_2d_kernel(rng):
    x, k = rng.normal(size=(6, 7)), rng.normal(size=(3, 2))
    out = C.conv2d(x, k, bias=0.5, stride=2, padding=(1, 0))
    expected = F.conv2d(t(x[None, None]), t(k[None, None]), t(np.array([0.5])), 2, (1, 0))
    assert out.shape == (3, 3)
    np.testing.assert_allclose(out, expected[0, 0].numpy(), **TOL)
    np.testing.assert_allclose(C.conv2d(x, k, bias=[0.5], stride=2, padding=(1, 0)), out)


def test_inputs_are_not_modified_and_torch_tensors_and_lists_work(rng):
    x, w, b = rng.normal(size=(2, 2, 5, 5)), rng.normal(size=(3, 2, 3, 3)), rng.normal(size=3)
    copies = [a.copy() for a in (x, w, b)]
    out = C.conv2d(x, w, b, padding=1)
    C.max_pool2d(x, 2)
    for a, copy in zip((x, w, b), copies):
        np.testing.assert_array_equal(a, copy)
    np.testing.assert_array_equal(C.conv2d(t(x), t(w), t(b), padding=1), out)
    np.testing.assert_array_equal(C.conv2d(x.tolist(), w.tolist(), b.tolist(), padding=1), out)
    assert out.flags.c_contiguous


def test_non_contiguous_inputs_work(rng):
    # The windows are built from the input's strides: views with odd strides must work too.
    base = rng.normal(size=(3, 2, 12, 10))
    w = rng.normal(size=(8, 4, 3, 3))
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


# ----------------------------------------------------------------------- dtype rule


def test_float32_in_float32_out_and_close_to_torch_float32(rng):
    x = rng.normal(size=(4, 3, 10, 10)).astype(np.float32)
    w = rng.normal(size=(5, 3, 3, 3)).astype(np.float32)
    b = rng.normal(size=5).astype(np.float32)
    out = C.conv2d(x, w, b, stride=2, padding=1)
    assert out.dtype == np.float32
    expected = F.conv2d(torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b), 2, 1)
    np.testing.assert_allclose(out, expected.numpy(), **TOL32)
    # float32 tensors count as float32; a float64 bias is cast to float32.
    assert (
        C.conv2d(torch.from_numpy(x), torch.from_numpy(w), b.astype(np.float64)).dtype == np.float32
    )

    for pool in (C.max_pool2d, C.avg_pool2d):
        assert pool(x, 2).dtype == np.float32
        np.testing.assert_allclose(pool(x, 3, 2, 1), pool(x.astype(np.float64), 3, 2, 1), **TOL32)


def test_anything_but_all_float32_computes_in_float64(rng):
    x32 = rng.normal(size=(1, 1, 4, 4)).astype(np.float32)
    w32 = np.ones((1, 1, 2, 2), np.float32)
    assert C.conv2d(x32, w32.astype(np.float64)).dtype == np.float64
    assert C.conv2d(x32.astype(np.float16), w32).dtype == np.float64
    assert C.conv2d(np.ones((1, 1, 4, 4), int), np.ones((1, 1, 2, 2), int)).dtype == np.float64
    assert C.max_pool2d(x32.astype(np.float16), 2).dtype == np.float64


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
def test_pools_match_torch(n, c, size, kernel, stride, padding):
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


def test_pool_unbatched_and_2d_forms(rng):
    x = rng.normal(size=(3, 6, 6))
    for pool, torch_pool in ((C.max_pool2d, F.max_pool2d), (C.avg_pool2d, F.avg_pool2d)):
        out = pool(x, 2)
        assert out.shape == (3, 3, 3)
        np.testing.assert_allclose(out, torch_pool(t(x), 2).numpy(), **TOL)  # unbatched torch
        np.testing.assert_array_equal(pool(x[0], 2), out[0])  # a single 2-D image


def test_max_pool_padding_is_minus_infinity_and_avg_pool_counts_padding():
    x = -np.arange(1.0, 10.0).reshape(3, 3)  # all negative: zero padding would win the max
    np.testing.assert_array_equal(C.max_pool2d(x, 2, stride=2, padding=1), [[-1, -2], [-4, -5]])
    # count_include_pad=True: the corner window holds one real pixel and three zeros.
    np.testing.assert_array_equal(
        C.avg_pool2d(x, 2, stride=2, padding=1), [[-1 / 4, -5 / 4], [-11 / 4, -28 / 4]]
    )
    assert C.avg_pool2d(x, 3, padding=1)[0, 0] == pytest.approx((-1 - 2 - 4 - 5) / 9)


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


def test_max_pool_stride_defaults_to_kernel_size(rng):
    x = rng.normal(size=(1, 1, 6, 6))
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


# ------------------------------------------------------------------------- drawing


def _axes():
    from matplotlib.figure import Figure

    return Figure().subplots()


def test_plot_grid_draws_every_number_the_window_and_the_kernel_subscripts():
    import matplotlib

    before = dict(matplotlib.rcParams)
    ax = _axes()
    padded = np.pad(np.array(SLIDE_2_INPUT, dtype=float), 1)
    art = P.plot_grid(ax, padded, padding=1, window=(0, 2, 3, 3), kernel=SLIDE_2_KERNEL)
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
    art = P.plot_grid(ax, [[0.0, 10.0]], fmt=".1f")
    assert [t.get_text() for t in art["texts"]] == ["0.0", "10.0"]
    assert [t.get_color() for t in art["texts"]] == ["black", "white"]
    assert art["window"] is None and art["subscripts"] == [] and art["padding"] == []
    # A constant grid gets a valid colour scale; vmin and vmax are honoured.
    assert P.plot_grid(_axes(), np.zeros((2, 2)))["image"].norm.vmax == 1.0
    assert P.plot_grid(_axes(), np.eye(2), vmin=-3, vmax=3)["image"].norm.vmin == -3
    # cmap=None: white cells and black numbers, whatever the values.
    art = P.plot_grid(_axes(), [[0.0, 10.0]], cmap=None)
    assert [t.get_color() for t in art["texts"]] == ["black", "black"]
    assert np.all(art["image"].get_array() == 0)
