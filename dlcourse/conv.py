"""2-D convolution and pooling in NumPy, with the names, shapes and results of PyTorch.

:func:`conv2d`, :func:`max_pool2d` and :func:`avg_pool2d` compute what
``torch.nn.functional`` computes for the same arguments, and :func:`conv2d_backward` and
:func:`max_pool2d_backward` give the gradients a CNN written from scratch needs.
:func:`plot_grid` draws a small array as a grid of numbered cells, with a window outlined,
for pictures of the sliding window.
:func:`conv_output_size` is the formula for the size of the output,
``floor((n + 2p - k) / s) + 1``.

As everywhere in deep learning, "convolution" means **cross-correlation**: the kernel is
slid over the input *without* flipping it, and each output value is the sum of the products
of the kernel with the window under it (plus the bias).

>>> import numpy as np
>>> from dlcourse.conv import conv2d, conv_output_size
>>> image = np.array([[3, 3, 2, 1, 0],
...                   [0, 0, 1, 3, 1],
...                   [3, 1, 2, 2, 3],
...                   [2, 0, 0, 2, 2],
...                   [2, 0, 0, 0, 1]])
>>> kernel = np.array([[0, 1, 2], [2, 2, 0], [0, 1, 2]])
>>> conv2d(image, kernel)
array([[12., 12., 17.],
       [10., 17., 19.],
       [ 9.,  6., 14.]])
>>> conv_output_size(5, 3, stride=2, padding=1)
3

Conventions
-----------
* Shapes are NCHW, as in torch: ``input`` is (N, C_in, H, W), ``weight`` is
  (C_out, C_in, kH, kW), ``bias`` is (C_out,) and the output is (N, C_out, H_out, W_out).
  An unbatched (C_in, H, W) input gives a (C_out, H_out, W_out) output, as in torch.
  For teaching, a single 2-D image (H, W) with a 2-D kernel (kH, kW) gives a 2-D
  (H_out, W_out) output (torch has no such form). The pooling functions accept
  (N, C, H, W), (C, H, W) and (H, W) inputs alike.
* ``kernel_size``, ``stride`` and ``padding`` are an int (the same for height and width) or
  a pair ``(h, w)``. Padding adds that many zeros on each side (``-inf`` for max pooling, so
  padding never wins a max); as in torch, pooling requires ``padding <= kernel_size / 2``.
* **dtype rule**: the computation runs in ``float32`` when the arrays it is about are all
  ``float32`` (NumPy arrays or torch tensors) and in ``float64`` otherwise (integers,
  lists, ``float16``, or a mix of ``float32`` and ``float64``); the result has that dtype.
  "The arrays it is about" are ``input`` and ``weight`` for :func:`conv2d` (``bias`` is cast
  to their dtype), ``grad_output``, ``input`` and ``weight`` for :func:`conv2d_backward`,
  ``input`` for pooling and ``grad_output`` and ``input`` for :func:`max_pool2d_backward`.
  ``float32`` is faster and is what networks are trained in; the tests compare with torch in
  ``float64``.
* NaN and infinite inputs are rejected with a :class:`ValueError` naming the argument, like
  every function of :mod:`dlcourse`.
* Vectorised: the windows are a view of the (padded) input made with
  :func:`numpy.lib.stride_tricks.as_strided` (no copy); a convolution copies them once into
  an "im2col" matrix and does one matrix product per image. No Python loop runs over pixels.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided
from numpy.typing import ArrayLike

from ._validation import as_array, check_int, check_scalar

__all__ = [
    "avg_pool2d",
    "conv2d",
    "conv2d_backward",
    "conv_output_size",
    "max_pool2d",
    "max_pool2d_backward",
    "plot_grid",
]

Pair = tuple[int, int]
IntOrPair = int | tuple[int, int]

_INPUT_SHAPES = "a 4-D batch (N, C, H, W), a 3-D unbatched (C, H, W) or a 2-D image (H, W)"


# --------------------------------------------------------------------------- checking


def _float_array(x: Any, name: str) -> np.ndarray:
    """``x`` checked by :func:`as_array`, as ``float32`` if it is ``float32``, else ``float64``.

    :func:`as_array` always returns ``float64``; a ``float32`` array (or tensor) gets the
    same checks here without that copy, so that the dtype rule of the module holds.
    """
    if hasattr(x, "detach") and hasattr(x, "numpy"):  # a torch tensor
        x = x.detach().cpu().numpy()
    if not (isinstance(x, np.ndarray) and x.dtype == np.float32):
        return as_array(x, name)
    if x.size == 0:
        raise ValueError(f"`{name}` is empty; expected at least one value (got shape {x.shape}).")
    if not np.isfinite(x).all():
        raise ValueError(f"`{name}` contains NaN or infinite values; expected finite numbers.")
    return x


def _common_dtype(*arrays: np.ndarray) -> np.dtype:
    """``float32`` if every array is ``float32``, else ``float64`` (the module's dtype rule)."""
    return np.dtype(np.float32 if all(a.dtype == np.float32 for a in arrays) else np.float64)


def _image_input(x: Any, name: str = "input") -> np.ndarray:
    """A finite 2-, 3- or 4-D float array."""
    arr = _float_array(x, name)
    if arr.ndim not in (2, 3, 4):
        raise ValueError(f"`{name}` must be {_INPUT_SHAPES}; got an array of shape {arr.shape}.")
    return arr


def _as_batch(x: np.ndarray) -> np.ndarray:
    """View a (H, W) or (C, H, W) array as a batch (N, C, H, W) of one image."""
    return x.reshape((1,) * (4 - x.ndim) + x.shape)


def _pair(x: Any, name: str, low: int) -> Pair:
    """An int or a pair of ints, each at least ``low``, as a pair ``(h, w)``."""
    if isinstance(x, (tuple, list)):
        if len(x) != 2:
            raise ValueError(
                f"`{name}` must be an int or a pair (h, w) of ints; "
                f"got a {type(x).__name__} of length {len(x)}."
            )
        return (check_int(x[0], f"{name}[0]", low=low), check_int(x[1], f"{name}[1]", low=low))
    if isinstance(x, numbers.Integral) and not isinstance(x, (bool, np.bool_)):
        value = check_int(x, name, low=low)
        return (value, value)
    raise TypeError(
        f"`{name}` must be an int or a pair (h, w) of ints; got {type(x).__name__} {x!r}."
    )


def _text(pair: Pair) -> str:
    """``(3, 3)`` as ``3x3``, for messages about kernels and images."""
    return f"{pair[0]}x{pair[1]}"


def _output_hw(size: Pair, kernel: Pair, stride: Pair, padding: Pair, kernel_name: str) -> Pair:
    """``floor((n + 2p - k) / s) + 1`` for height and width; an error if the kernel won't fit."""
    padded = (size[0] + 2 * padding[0], size[1] + 2 * padding[1])
    if kernel[0] > padded[0] or kernel[1] > padded[1]:
        raise ValueError(
            f"`{kernel_name}`: the {_text(kernel)} kernel is larger than the padded input "
            f"{_text(padded)} (input {_text(size)} plus `padding` {padding} on each side); "
            "the kernel must fit inside the padded input."
        )
    return (
        (padded[0] - kernel[0]) // stride[0] + 1,
        (padded[1] - kernel[1]) // stride[1] + 1,
    )


def _check_pool_padding(padding: Pair, kernel: Pair) -> None:
    """torch's rule: padding at most half the kernel, so every window holds a real pixel."""
    if 2 * padding[0] > kernel[0] or 2 * padding[1] > kernel[1]:
        raise ValueError(
            f"`padding` must be at most half of `kernel_size` (as in torch); got padding "
            f"{padding} for kernel_size {kernel}."
        )


def _check_grad_output(grad_output: Any, expected_shape: tuple[int, ...]) -> np.ndarray:
    grad = _float_array(grad_output, "grad_output")
    if grad.shape != expected_shape:
        raise ValueError(
            f"`grad_output` must have the shape of the forward output, {expected_shape}; "
            f"got shape {grad.shape}."
        )
    return grad


def _conv_inputs(input: Any, weight: Any) -> tuple[np.ndarray, np.ndarray, int]:
    """``input`` and ``weight`` checked against each other, as (N, C, H, W) and (O, C, kH, kW).

    Also returns the number of dimensions of ``input`` (2, 3 or 4), to shape the result.
    The arrays keep their own dtype; the caller applies the dtype rule.
    """
    x = _image_input(input)
    w = _float_array(weight, "weight")
    if x.ndim == 2:
        if w.ndim != 2:
            raise ValueError(
                "for a 2-D image `input` (H, W), `weight` must be a 2-D kernel (kH, kW); "
                f"got an array of shape {w.shape}."
            )
        return _as_batch(x), _as_batch(w), 2
    if w.ndim != 4:
        raise ValueError(
            f"`weight` must be a 4-D array (C_out, C_in, kH, kW) for a {x.ndim}-D `input`; "
            f"got an array of shape {w.shape}."
        )
    ndim = x.ndim
    x = _as_batch(x)
    if x.shape[1] != w.shape[1]:
        raise ValueError(
            f"`input` has {x.shape[1]} channel(s) but `weight` expects {w.shape[1]} "
            f"(weight shape {w.shape} is (C_out, C_in, kH, kW)); the C_in of `weight` must "
            "equal the C of `input`."
        )
    return x, w, ndim


# ----------------------------------------------------------------------------- helpers


def _unbatch(out: np.ndarray, ndim: int) -> np.ndarray:
    """Undo :func:`_as_batch`: drop the leading axes of length 1 an ``ndim``-D input lacked."""
    return out.reshape(out.shape[4 - ndim :])


def _pad(x: np.ndarray, padding: Pair, value: float = 0.0) -> np.ndarray:
    """``x`` (N, C, H, W) with ``padding`` rows and columns of ``value`` on each side."""
    ph, pw = padding
    if ph == pw == 0:
        return x
    n, c, h, w = x.shape
    shape = (n, c, h + 2 * ph, w + 2 * pw)
    out = np.zeros(shape, x.dtype) if value == 0 else np.full(shape, value, x.dtype)
    out[:, :, ph : ph + h, pw : pw + w] = x
    return out


def _windows(xp: np.ndarray, kernel: Pair, stride: Pair) -> np.ndarray:
    """All windows of a padded batch: a read-only view (N, C, H_out, W_out, kH, kW), no copy.

    ``windows[n, c, i, j]`` is the ``kH x kW`` patch whose top-left corner is at
    ``(i * stride_h, j * stride_w)`` of the padded image. The view only sets strides: one
    step along the output's height axis moves ``stride_h`` rows in memory, one step along
    the window's height axis moves one row, and the same for widths. (This is what
    :func:`numpy.lib.stride_tricks.sliding_window_view` followed by ``[..., ::s_h, ::s_w]``
    gives, with less overhead for small images.)
    """
    n, c, h, w = xp.shape
    (kh, kw), (sh, sw) = kernel, stride
    shape = (n, c, (h - kh) // sh + 1, (w - kw) // sw + 1, kh, kw)
    bn, bc, bh, bw = xp.strides  # bytes per step along each axis
    strides = (bn, bc, bh * sh, bw * sw, bh, bw)
    return as_strided(xp, shape=shape, strides=strides, writeable=False)


def _window_reduce(win: np.ndarray, ufunc: np.ufunc) -> np.ndarray:
    """Combine each window of ``win`` into one value with ``ufunc`` (``np.maximum``, ...).

    ``win`` has shape (N, C, H_out, W_out, kH, kW); the result (N, C, H_out, W_out). A loop
    over the ``kH * kW`` positions inside a window, each step one vectorised operation on
    all windows at once. (``win.max(axis=(4, 5))`` gives the same result but is 10 to 20
    times slower: NumPy reduces poorly over short, strided last axes.)
    """
    out = win[..., 0, 0].copy()
    for u, v in list(np.ndindex(win.shape[4:]))[1:]:
        ufunc(out, win[..., u, v], out=out)
    return out


def _im2col(xp: np.ndarray, kernel: Pair, stride: Pair) -> np.ndarray:
    """The windows as columns, one matrix per image: (N, C * kH * kW, H_out * W_out).

    Column ``i * W_out + j`` of ``cols[n]`` is the window under output pixel ``(i, j)``,
    flattened in the order of ``weight[o].ravel()``, so that the convolution of image ``n``
    is the single matrix product ``weight.reshape(C_out, -1) @ cols[n]``. This is the one
    copy a convolution makes (``kH * kW`` times the size of the input).
    """
    win = _windows(xp, kernel, stride)
    n, c, h_out, w_out, kh, kw = win.shape
    return win.transpose(0, 1, 4, 5, 2, 3).reshape(n, c * kh * kw, h_out * w_out)


def _conv(x: np.ndarray, w: np.ndarray, stride: Pair, padding: Pair) -> np.ndarray:
    """Cross-correlation of checked arrays (N, C, H, W) and (O, C, kH, kW), no bias."""
    n = x.shape[0]
    c_out = w.shape[0]
    h_out, w_out = _output_hw(x.shape[2:], w.shape[2:], stride, padding, "weight")
    cols = _im2col(_pad(x, padding), w.shape[2:], stride)
    # One matrix product per image, broadcast over the batch: (O, K) @ (N, K, P) -> (N, O, P).
    return np.matmul(w.reshape(c_out, -1), cols).reshape(n, c_out, h_out, w_out)


# ------------------------------------------------------------------------ public API


def conv_output_size(
    input_size: IntOrPair,
    kernel_size: IntOrPair,
    stride: IntOrPair = 1,
    padding: IntOrPair = 0,
) -> int | Pair:
    """Size of the output of a convolution or pooling: ``floor((n + 2p - k) / s) + 1``.

    ``n + 2p`` is the size of the padded input, ``n + 2p - k`` the number of steps of one
    pixel the kernel can take inside it, and every ``s``-th step gives an output pixel (the
    ``+ 1`` counts the first position). This is torch's formula with the default
    ``dilation=1`` and ``ceil_mode=False``.

    Parameters
    ----------
    input_size : int or (int, int)
        Height and width ``n`` of the input (``>= 1``).
    kernel_size : int or (int, int)
        Size ``k`` of the kernel or pooling window (``>= 1``).
    stride : int or (int, int), default 1
        Step ``s`` between windows (``>= 1``).
    padding : int or (int, int), default 0
        Rows and columns ``p`` added on each side (``>= 0``).

    Returns
    -------
    int or (int, int)
        An int if every argument is an int, else the pair ``(H_out, W_out)``.

    Raises
    ------
    ValueError
        If the kernel is larger than the padded input, or an argument is out of range.

    Examples
    --------
    >>> conv_output_size(28, 3, padding=1)
    28
    >>> conv_output_size((28, 28), 2, stride=2)
    (14, 14)
    """
    args = (input_size, kernel_size, stride, padding)
    size = _pair(input_size, "input_size", low=1)
    kernel = _pair(kernel_size, "kernel_size", low=1)
    stride = _pair(stride, "stride", low=1)
    padding = _pair(padding, "padding", low=0)
    out = _output_hw(size, kernel, stride, padding, "kernel_size")
    return out if any(isinstance(a, (tuple, list)) for a in args) else out[0]


def conv2d(
    input: ArrayLike,
    weight: ArrayLike,
    bias: ArrayLike | None = None,
    stride: IntOrPair = 1,
    padding: IntOrPair = 0,
) -> np.ndarray:
    """2-D convolution (cross-correlation), as ``torch.nn.functional.conv2d``.

    ``out[n, o, i, j] = bias[o] + sum over c, u, v of
    weight[o, c, u, v] * padded_input[n, c, i * s_h + u, j * s_w + v]``.

    Parameters
    ----------
    input : array_like, shape (N, C_in, H, W), (C_in, H, W) or (H, W)
        The images. A 2-D image goes with a 2-D ``weight``.
    weight : array_like, shape (C_out, C_in, kH, kW), or (kH, kW) for a 2-D ``input``
        The filters (kernels), not flipped.
    bias : array_like, shape (C_out,), optional
        Added to every pixel of output channel ``o``. For a 2-D ``input``, a single number
        (or shape (1,)). Default: no bias.
    stride : int or (int, int), default 1
        Step between windows (``>= 1``).
    padding : int or (int, int), default 0
        Zeros added on each side of the height and width (``>= 0``).

    Returns
    -------
    numpy.ndarray, shape (N, C_out, H_out, W_out), (C_out, H_out, W_out) or (H_out, W_out)
        ``H_out = conv_output_size(H, kH, stride, padding)``, the same for ``W_out``.
        ``float32`` if ``input`` and ``weight`` are ``float32``, else ``float64``.

    Raises
    ------
    ValueError
        For a wrong number of dimensions, a channel mismatch between ``input`` and
        ``weight``, a ``bias`` of the wrong length, a kernel larger than the padded input, a
        stride below 1, a negative padding, or NaN / infinite values.
    TypeError
        For non-numeric arrays or a non-integer ``stride`` / ``padding``.

    See Also
    --------
    torch.nn.functional.conv2d, conv2d_backward, conv_output_size
    """
    stride = _pair(stride, "stride", low=1)
    padding = _pair(padding, "padding", low=0)
    x, w, ndim = _conv_inputs(input, weight)
    dtype = _common_dtype(x, w)
    if bias is not None:
        b = _float_array(bias, "bias")
        if ndim == 2 and b.shape in ((), (1,)):
            b = b.reshape(1)
        elif ndim == 2:
            raise ValueError(
                "`bias` must be a single number for a 2-D image `input` (one kernel, one "
                f"output); got shape {b.shape}."
            )
        elif b.shape != (w.shape[0],):
            raise ValueError(
                f"`bias` must have shape ({w.shape[0]},), one value per output channel of "
                f"`weight` (shape {w.shape}); got shape {b.shape}."
            )
    out = _conv(x.astype(dtype, copy=False), w.astype(dtype, copy=False), stride, padding)
    if bias is not None:
        out += b.astype(dtype, copy=False)[:, None, None]
    return _unbatch(out, ndim)


def conv2d_backward(
    grad_output: ArrayLike,
    input: ArrayLike,
    weight: ArrayLike,
    stride: IntOrPair = 1,
    padding: IntOrPair = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of :func:`conv2d` with respect to its input, weight and bias.

    Given ``grad_output``, the gradient of a loss with respect to the output of
    ``conv2d(input, weight, bias, stride, padding)``:

    * ``grad_bias[o]`` is the sum of ``grad_output[:, o]`` (the bias touches every pixel);
    * ``grad_weight[o, c, u, v]`` is the sum over ``n, i, j`` of
      ``grad_output[n, o, i, j] * padded_input[n, c, i * s_h + u, j * s_w + v]``: the same
      windows as the forward pass, weighted by the upstream gradient;
    * ``grad_input[n, c, y, x]`` collects ``grad_output[n, o, i, j] * weight[o, c, u, v]``
      from every output pixel ``(i, j)`` whose window covered pixel ``(y, x)`` (at position
      ``(u, v)`` of the window), summed over ``o``: the forward pass run backwards (im2col's
      transpose). Equivalently, a "full" convolution (padding ``k - 1``) of
      ``grad_output`` with the **flipped** kernel (rotated by 180 degrees, input and output
      channels swapped) after putting ``stride - 1`` zeros between the rows and columns of
      ``grad_output``; the padding of the input is cut off at the end.

    The bias does not enter any of these, so it is not an argument.

    Parameters
    ----------
    grad_output : array_like, shape of the output of :func:`conv2d`
        (N, C_out, H_out, W_out), (C_out, H_out, W_out) or (H_out, W_out).
    input : array_like, shape (N, C_in, H, W), (C_in, H, W) or (H, W)
        The input of the forward pass.
    weight : array_like, shape (C_out, C_in, kH, kW), or (kH, kW) for a 2-D ``input``
        The weight of the forward pass.
    stride, padding : int or (int, int)
        As in the forward pass.

    Returns
    -------
    grad_input : numpy.ndarray, the shape of ``input``
    grad_weight : numpy.ndarray, the shape of ``weight``
    grad_bias : numpy.ndarray, shape (C_out,), or shape () for a 2-D ``input``
        All ``float32`` if the three arguments are ``float32``, else ``float64``.

    See Also
    --------
    conv2d
    """
    stride = _pair(stride, "stride", low=1)
    padding = _pair(padding, "padding", low=0)
    x, w, ndim = _conv_inputs(input, weight)
    n, c_in, h, wd = x.shape
    c_out, _, kh, kw = w.shape
    h_out, w_out = _output_hw((h, wd), (kh, kw), stride, padding, "weight")
    out_shape = (n, c_out, h_out, w_out)[4 - ndim :]
    g = _as_batch(_check_grad_output(grad_output, out_shape))
    dtype = _common_dtype(g, x, w)
    g, x, w = (a.astype(dtype, copy=False) for a in (g, x, w))

    grad_bias = g.sum(axis=(0, 2, 3))

    # grad_weight[o, (c, u, v)] = sum over n and pixels p of g[n, o, p] * cols[n, (c, u, v), p]:
    # one matrix product g[n] @ cols[n].T per image, summed over the batch. (Many small
    # products: np.tensordot would make one huge one, which is slower here.)
    cols = _im2col(_pad(x, padding), (kh, kw), stride)
    g_flat = g.reshape(n, c_out, h_out * w_out)
    grad_weight = np.matmul(g_flat, cols.transpose(0, 2, 1)).sum(axis=0).reshape(w.shape)

    # grad_input, the transpose of the forward pass: the gradient of the columns is
    # weight.T @ g[n] for each image, and every window position (u, v) adds its rows of it
    # back onto the pixels that im2col copied them from (all windows at once).
    grad_cols = np.matmul(w.reshape(c_out, -1).T, g_flat)
    grad_cols = grad_cols.reshape(n, c_in, kh, kw, h_out, w_out)
    (sh, sw), (ph, pw) = stride, padding
    grad_padded = np.zeros((n, c_in, h + 2 * ph, wd + 2 * pw), dtype)
    for u, v in np.ndindex(kh, kw):
        # Position (u, v) of every window: rows u, u + s_h, ... and columns v, v + s_w, ...
        rows = slice(u, u + sh * (h_out - 1) + 1, sh)
        columns = slice(v, v + sw * (w_out - 1) + 1, sw)
        grad_padded[:, :, rows, columns] += grad_cols[:, :, u, v]
    grad_input = np.ascontiguousarray(grad_padded[:, :, ph : ph + h, pw : pw + wd])

    if ndim == 2:
        return grad_input[0, 0], grad_weight[0, 0], grad_bias.reshape(())
    return _unbatch(grad_input, ndim), grad_weight, grad_bias


# ---------------------------------------------------------------------------- pooling


def _pool_setup(
    input: Any, kernel_size: Any, stride: Any, padding: Any
) -> tuple[np.ndarray, int, Pair, Pair, Pair, Pair]:
    """Checked arguments of a pooling.

    Returns the input as a batch (N, C, H, W), its original number of dimensions, the
    kernel, stride and padding as pairs, and the output size (H_out, W_out).
    """
    kernel = _pair(kernel_size, "kernel_size", low=1)
    stride = kernel if stride is None else _pair(stride, "stride", low=1)
    padding = _pair(padding, "padding", low=0)
    _check_pool_padding(padding, kernel)
    x = _image_input(input)
    out_hw = _output_hw(x.shape[-2:], kernel, stride, padding, "kernel_size")
    return _as_batch(x), x.ndim, kernel, stride, padding, out_hw


def max_pool2d(
    input: ArrayLike,
    kernel_size: IntOrPair,
    stride: IntOrPair | None = None,
    padding: IntOrPair = 0,
) -> np.ndarray:
    """2-D max pooling, as ``torch.nn.functional.max_pool2d``: the maximum of each window.

    Each channel is pooled on its own. Padding adds ``-inf``, which never wins a max.

    Parameters
    ----------
    input : array_like, shape (N, C, H, W), (C, H, W) or (H, W)
    kernel_size : int or (int, int)
        Size of the pooling window (``>= 1``).
    stride : int or (int, int), optional
        Step between windows; default ``kernel_size`` (non-overlapping windows), as in torch.
    padding : int or (int, int), default 0
        At most ``kernel_size / 2`` (torch's rule, which ensures that every window holds a
        real pixel).

    Returns
    -------
    numpy.ndarray, shape (N, C, H_out, W_out), (C, H_out, W_out) or (H_out, W_out)
        ``float32`` if ``input`` is ``float32``, else ``float64``.

    Raises
    ------
    ValueError
        For a wrong number of dimensions, a window larger than the padded input, a stride
        below 1, a padding that is negative or more than half the window, or NaN / infinite
        values.
    TypeError
        For a non-numeric ``input`` or non-integer ``kernel_size`` / ``stride`` /
        ``padding``.

    See Also
    --------
    torch.nn.functional.max_pool2d, max_pool2d_backward, avg_pool2d
    """
    x, ndim, kernel, stride, padding, _ = _pool_setup(input, kernel_size, stride, padding)
    out = _window_reduce(_windows(_pad(x, padding, -np.inf), kernel, stride), np.maximum)
    return _unbatch(out, ndim)


def avg_pool2d(
    input: ArrayLike,
    kernel_size: IntOrPair,
    stride: IntOrPair | None = None,
    padding: IntOrPair = 0,
) -> np.ndarray:
    """2-D average pooling, as ``torch.nn.functional.avg_pool2d``: the mean of each window.

    Padding adds zeros that **count** in the mean (torch's default
    ``count_include_pad=True``): every window sum is divided by ``kH * kW``.

    Parameters
    ----------
    input : array_like, shape (N, C, H, W), (C, H, W) or (H, W)
    kernel_size : int or (int, int)
        Size of the pooling window (``>= 1``).
    stride : int or (int, int), optional
        Step between windows; default ``kernel_size``, as in torch.
    padding : int or (int, int), default 0
        At most ``kernel_size / 2``, as in torch.

    Returns
    -------
    numpy.ndarray, shape (N, C, H_out, W_out), (C, H_out, W_out) or (H_out, W_out)
        ``float32`` if ``input`` is ``float32``, else ``float64``.

    Raises
    ------
    ValueError, TypeError
        As :func:`max_pool2d`.

    See Also
    --------
    torch.nn.functional.avg_pool2d, max_pool2d
    """
    x, ndim, kernel, stride, padding, _ = _pool_setup(input, kernel_size, stride, padding)
    out = _window_reduce(_windows(_pad(x, padding), kernel, stride), np.add)
    return _unbatch(out / (kernel[0] * kernel[1]), ndim)


def max_pool2d_backward(
    grad_output: ArrayLike,
    input: ArrayLike,
    kernel_size: IntOrPair,
    stride: IntOrPair | None = None,
    padding: IntOrPair = 0,
) -> np.ndarray:
    """Gradient of :func:`max_pool2d` with respect to its input.

    The maximum of a window passes the window's gradient to the one pixel that was the
    maximum (the first one, row by row, if several are equal, as in torch); the other pixels
    of the window get nothing from it. Where windows overlap (``stride < kernel_size``), a
    pixel that is the maximum of several windows receives the sum of their gradients.

    Parameters
    ----------
    grad_output : array_like, the shape of the output of :func:`max_pool2d`
        (N, C, H_out, W_out), (C, H_out, W_out) or (H_out, W_out).
    input : array_like, shape (N, C, H, W), (C, H, W) or (H, W)
        The input of the forward pass.
    kernel_size, stride, padding
        As in the forward pass.

    Returns
    -------
    numpy.ndarray, the shape of ``input``
        ``float32`` if ``grad_output`` and ``input`` are ``float32``, else ``float64``.

    See Also
    --------
    max_pool2d
    """
    x, ndim, kernel, stride, padding, (h_out, w_out) = _pool_setup(
        input, kernel_size, stride, padding
    )
    n, c, h, w = x.shape
    g = _as_batch(_check_grad_output(grad_output, (n, c, h_out, w_out)[4 - ndim :]))
    dtype = _common_dtype(g, x)
    xp = _pad(x, padding, -np.inf)
    hp, wp = xp.shape[2:]
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding

    # Where is the maximum of each window? Its index k = u * kW + v in the window, found by
    # scanning the positions (u, v) row by row and keeping the first of equal values (the
    # argmax of the flattened window, computed as in _window_reduce for speed).
    win = _windows(xp, kernel, stride)
    best = win[..., 0, 0]
    k = np.zeros(best.shape, np.intp)
    for index, (u, v) in enumerate(np.ndindex(kh, kw)):
        is_larger = win[..., u, v] > best
        best = np.where(is_larger, win[..., u, v], best)
        k[is_larger] = index
    rows = np.arange(h_out)[:, None] * sh + k // kw
    cols = np.arange(w_out) * sw + k % kw
    # Send each window's gradient to that pixel; bincount adds up where windows share one.
    image = np.arange(n * c).reshape(n, c, 1, 1)
    flat_index = (image * hp + rows) * wp + cols
    grad = np.bincount(flat_index.ravel(), weights=g.ravel(), minlength=n * c * hp * wp)
    grad = grad.reshape(n, c, hp, wp)[:, :, ph : ph + h, pw : pw + w]
    return _unbatch(grad.astype(dtype), ndim)


# --------------------------------------------------------------------------- drawing


def _window_box(window: Any, shape: tuple[int, int]) -> tuple[int, int, int, int]:
    """``window`` checked as (top, left, height, width) inside an array of ``shape``."""
    if not isinstance(window, (tuple, list)) or len(window) != 4:
        raise TypeError(
            "`window` must be a tuple (top, left, height, width) of ints; "
            f"got {type(window).__name__} {window!r}."
        )
    names = ("top", "left", "height", "width")
    top, left, height, width = (
        check_int(v, f"window[{i}] ({names[i]})", low=0 if i < 2 else 1)
        for i, v in enumerate(window)
    )
    if top + height > shape[0] or left + width > shape[1]:
        raise ValueError(
            f"`window` {tuple(window)} (top, left, height, width) reaches outside the "
            f"{_text(shape)} grid of `values`."
        )
    return top, left, height, width


def plot_grid(
    ax: Any,
    values: ArrayLike,
    *,
    window: tuple[int, int, int, int] | None = None,
    kernel: ArrayLike | None = None,
    padding: IntOrPair = 0,
    fmt: str = "g",
    cmap: str | None = "Blues",
    vmin: float | None = None,
    vmax: float | None = None,
    fontsize: float = 10.0,
    window_color: str = "#D55E00",
    show_values: bool = True,
) -> dict[str, Any]:
    """Draw a small 2-D array as a grid of cells with its numbers written in them.

    Cell ``(i, j)`` is the square centred on ``x = j, y = i``, row 0 at the top (as
    :meth:`~matplotlib.axes.Axes.imshow` draws it). This is the picture of the slides: an
    input (padded or not) with the kernel's window outlined and the kernel's weights as small
    subscripts, or an output with one cell outlined.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    values : array_like, shape (H, W)
        The numbers to draw (finite).
    window : (int, int, int, int), optional
        ``(top, left, height, width)`` of a rectangle of cells to outline, inside the grid.
    kernel : array_like, shape (height, width), optional
        Written as a small subscript in the corner of each cell of ``window`` (needs
        ``window``), like :math:`3_0` on the slides: the value times the weight.
    padding : int or (int, int), default 0
        How many outer rows and columns of ``values`` are padding: drawn in light grey with
        grey numbers, and the real input is framed by a dashed line.
    fmt : str, default "g"
        Format spec of the numbers, such as ``".1f"``.
    cmap : str or None, default "Blues"
        Colour map of the cells; the text is white on dark cells, black on light ones.
        ``None`` draws every cell white (numbers only).
    vmin, vmax : float, optional
        Ends of the colour scale; the smallest and largest value by default.
    fontsize : float, default 10
        Size of the numbers (the subscripts are 0.65 times as large).
    window_color : str, default "#D55E00" (Okabe-Ito vermillion)
        Colour of the outline of ``window``.
    show_values : bool, default True
        Write the numbers (turn off for large grids such as a 28x28 image).

    Returns
    -------
    dict
        ``"image"``: the :class:`~matplotlib.image.AxesImage`; ``"lines"``: the
        :class:`~matplotlib.collections.LineCollection` of cell borders; ``"texts"``: the
        list of number :class:`~matplotlib.text.Text` (row by row); ``"subscripts"``: the
        kernel's Text; ``"window"``: the outline :class:`~matplotlib.patches.Rectangle` or
        ``None``; ``"padding"``: the grey patches and the dashed frame (empty without
        padding).

    Raises
    ------
    TypeError, ValueError
        For a non-Axes ``ax``, a ``values`` that is not 2-D, a ``window`` outside the grid,
        a ``kernel`` whose shape is not the window's, or a ``padding`` that leaves no real
        input.

    Examples
    --------
    >>> import matplotlib
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> art = plot_grid(ax, np.pad(np.ones((3, 3)), 1), padding=1, window=(0, 0, 3, 3),
    ...                 kernel=np.eye(3))
    >>> len(art["texts"]), len(art["subscripts"])
    (25, 9)
    """
    from matplotlib.axes import Axes
    from matplotlib.collections import LineCollection
    from matplotlib.colors import Normalize
    from matplotlib.patches import Rectangle
    from matplotlib.patheffects import withStroke

    if not isinstance(ax, Axes):
        raise TypeError(f"`ax` must be a matplotlib Axes; got {type(ax).__name__}.")
    grid = as_array(values, "values", ndim=2)
    h, w = grid.shape
    pad = _pair(padding, "padding", low=0)
    if 2 * pad[0] >= h or 2 * pad[1] >= w:
        raise ValueError(
            f"`padding` {pad} leaves no real input inside the {_text((h, w))} grid of `values`."
        )
    box = None if window is None else _window_box(window, (h, w))
    weights = None
    if kernel is not None:
        if box is None:
            raise ValueError("`kernel` needs a `window` to write its weights in.")
        weights = as_array(kernel, "kernel", shape=box[2:])
    if not isinstance(fmt, str):
        raise TypeError(f"`fmt` must be a format spec string such as '.1f'; got {fmt!r}.")
    fontsize = check_scalar(fontsize, "fontsize", low=1.0)

    lo = float(grid.min()) if vmin is None else check_scalar(vmin, "vmin")
    hi = float(grid.max()) if vmax is None else check_scalar(vmax, "vmax")
    if hi <= lo:
        hi = lo + 1.0  # a constant grid: one light colour
    norm = Normalize(lo, hi)
    if cmap is None:  # white cells: a constant image at the light end of a grey scale
        image = ax.imshow(
            np.zeros_like(grid), cmap="Greys", vmin=0, vmax=1, interpolation="nearest"
        )
    else:
        image = ax.imshow(grid, cmap=cmap, norm=norm, interpolation="nearest")
    segments = [[(-0.5, r - 0.5), (w - 0.5, r - 0.5)] for r in range(h + 1)]
    segments += [[(c - 0.5, -0.5), (c - 0.5, h - 0.5)] for c in range(w + 1)]
    lines = ax.add_collection(LineCollection(segments, colors="0.55", linewidths=0.8))

    in_padding = np.zeros((h, w), dtype=bool)
    if pad[0]:
        in_padding[: pad[0]] = in_padding[h - pad[0] :] = True
    if pad[1]:
        in_padding[:, : pad[1]] = in_padding[:, w - pad[1] :] = True
    padding_artists = []
    if in_padding.any():
        (ph, pw), inner_h, inner_w = pad, h - 2 * pad[0], w - 2 * pad[1]
        strips = [  # (x, y, width, height) of the four borders, in cell coordinates
            (-0.5, -0.5, w, ph),
            (-0.5, h - ph - 0.5, w, ph),
            (-0.5, ph - 0.5, pw, inner_h),
            (w - pw - 0.5, ph - 0.5, pw, inner_h),
        ]
        for x0, y0, width, height in strips:
            if width and height:
                padding_artists.append(
                    ax.add_patch(
                        Rectangle(
                            (x0, y0),
                            width,
                            height,
                            facecolor="0.88",
                            linewidth=0,
                            zorder=1.5,
                        )
                    )
                )
        padding_artists.append(
            ax.add_patch(
                Rectangle(
                    (pw - 0.5, ph - 0.5),
                    inner_w,
                    inner_h,
                    fill=False,
                    edgecolor="0.25",
                    linestyle="--",
                    linewidth=1.5,
                )
            )
        )

    texts, subscripts = [], []
    if show_values:
        rgba = image.get_cmap()(image.norm(np.asarray(image.get_array())))  # (h, w, 4)
        dark = rgba[..., :3] @ np.array([0.299, 0.587, 0.114]) < 0.5  # perceived brightness
        for i, j in np.ndindex(h, w):
            colour = "0.5" if in_padding[i, j] else ("white" if dark[i, j] else "black")
            texts.append(
                ax.text(
                    j,
                    i,
                    format(grid[i, j], fmt),
                    ha="center",
                    va="center",
                    color=colour,
                    fontsize=fontsize,
                    in_layout=False,  # inside the cells: no need to lay them out (faster)
                )
            )
    outline = None
    if box is not None:
        top, left, height, width = box
        outline = ax.add_patch(
            Rectangle(
                (left - 0.5, top - 0.5),
                width,
                height,
                fill=False,
                edgecolor=window_color,
                linewidth=3,
                zorder=5,
            )
        )
        if weights is not None:
            halo = [withStroke(linewidth=2, foreground="white")]  # readable on dark cells
            for u, v in np.ndindex(height, width):
                subscripts.append(
                    ax.text(
                        left + v + 0.42,
                        top + u + 0.42,
                        format(weights[u, v], fmt),
                        ha="right",
                        va="bottom",
                        color=window_color,
                        fontsize=0.65 * fontsize,
                        fontweight="bold",
                        zorder=6,
                        path_effects=halo,
                        in_layout=False,
                    )
                )
    ax.set_xlim(-0.5, w - 0.5)
    ax.set_ylim(h - 0.5, -0.5)
    ax.set_xticks([])
    ax.set_yticks([])
    return {
        "image": image,
        "lines": lines,
        "texts": texts,
        "subscripts": subscripts,
        "window": outline,
        "padding": padding_artists,
    }
