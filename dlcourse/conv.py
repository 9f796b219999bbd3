"""2-D convolution and pooling in NumPy, with the names, shapes and results of PyTorch's.

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

"Convolution" means cross-correlation (the kernel is not flipped). Shapes are NCHW as in
torch (also (C, H, W), and an (H, W) image with a (kH, kW) kernel); sizes are an int or a pair
``(h, w)``. All-float32 input is computed in float32, anything else in float64.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided
from numpy.typing import ArrayLike

from ._validation import as_array, check_pair

__all__ = ["avg_pool2d", "conv2d", "conv_output_size", "max_pool2d"]

Pair = tuple[int, int]
IntOrPair = int | tuple[int, int]

_INPUT_SHAPES = "a 4-D batch (N, C, H, W), a 3-D unbatched (C, H, W) or a 2-D image (H, W)"


def _image_input(x: Any) -> np.ndarray:
    arr = as_array(x, "input", keep_float32=True)
    if arr.ndim not in (2, 3, 4):
        raise ValueError(f"`input` must be {_INPUT_SHAPES}; got an array of shape {arr.shape}.")
    return arr


def _as_batch(x: np.ndarray) -> np.ndarray:
    """View a (H, W) or (C, H, W) array as a batch (N, C, H, W) of one image."""
    return x.reshape((1,) * (4 - x.ndim) + x.shape)


def _unbatch(out: np.ndarray, ndim: int) -> np.ndarray:
    return out.reshape(out.shape[4 - ndim :])


def _output_hw(size: Pair, kernel: Pair, stride: Pair, padding: Pair, kernel_name: str) -> Pair:
    """``floor((n + 2p - k) / s) + 1`` for height and width; an error if the kernel won't fit."""
    padded = (size[0] + 2 * padding[0], size[1] + 2 * padding[1])
    if kernel[0] > padded[0] or kernel[1] > padded[1]:
        raise ValueError(
            f"`{kernel_name}`: the {kernel[0]}x{kernel[1]} kernel is larger than the padded "
            f"input {padded[0]}x{padded[1]} (input {size[0]}x{size[1]} plus `padding` "
            f"{padding} on each side); the kernel must fit inside the padded input."
        )
    return ((padded[0] - kernel[0]) // stride[0] + 1, (padded[1] - kernel[1]) // stride[1] + 1)


def _pad(x: np.ndarray, padding: Pair, value: float = 0.0) -> np.ndarray:
    """``x`` (N, C, H, W) with ``padding`` rows and columns of ``value`` on each side."""
    ph, pw = padding
    return np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=value)


def _windows(xp: np.ndarray, kernel: Pair, stride: Pair) -> np.ndarray:
    """All windows of a padded batch: a read-only view (N, C, H_out, W_out, kH, kW), no copy.

    One step along the output's height moves ``stride_h`` rows, along the window's one row.
    """
    n, c, h, w = xp.shape
    (kh, kw), (sh, sw) = kernel, stride
    shape = (n, c, (h - kh) // sh + 1, (w - kw) // sw + 1, kh, kw)
    bn, bc, bh, bw = xp.strides
    return as_strided(xp, shape=shape, strides=(bn, bc, bh * sh, bw * sw, bh, bw), writeable=False)


def _window_reduce(win: np.ndarray, ufunc: np.ufunc) -> np.ndarray:
    """Combine each window into one value with ``ufunc``, one kernel position at a time.

    (``win.max(axis=(4, 5))`` is 10 to 20 times slower: short, strided last axes.)
    """
    out = win[..., 0, 0].copy()
    for u, v in list(np.ndindex(win.shape[4:]))[1:]:
        ufunc(out, win[..., u, v], out=out)
    return out


def conv_output_size(
    input_size: IntOrPair, kernel_size: IntOrPair, stride: IntOrPair = 1, padding: IntOrPair = 0
) -> int | Pair:
    """Output size of a convolution or pooling: ``floor((n + 2p - k) / s) + 1``.

    Each argument is an int or a pair; the result is an int if all are ints, else the pair
    ``(H_out, W_out)``. A ValueError if the kernel is larger than the padded input.
    """
    out = _output_hw(
        check_pair(input_size, "input_size", low=1),
        check_pair(kernel_size, "kernel_size", low=1),
        check_pair(stride, "stride", low=1),
        check_pair(padding, "padding", low=0),
        "kernel_size",
    )
    args = (input_size, kernel_size, stride, padding)
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
        Added to every pixel of output channel ``o`` (one number for a 2-D ``input``).
    stride : int or (int, int), default 1
        Step between windows (>= 1).
    padding : int or (int, int), default 0
        Zeros added on each side (>= 0).

    Returns
    -------
    numpy.ndarray, shape (N, C_out, H_out, W_out), (C_out, H_out, W_out) or (H_out, W_out)
        ``H_out = conv_output_size(H, kH, stride, padding)``, the same for ``W_out``;
        float32 if ``input`` and ``weight`` are float32, else float64.
    """
    stride = check_pair(stride, "stride", low=1)
    padding = check_pair(padding, "padding", low=0)
    x = _image_input(input)
    w = as_array(weight, "weight", keep_float32=True)
    ndim = x.ndim
    if w.ndim != (2 if ndim == 2 else 4):
        expected = "a 2-D kernel (kH, kW)" if ndim == 2 else "a 4-D array (C_out, C_in, kH, kW)"
        raise ValueError(
            f"`weight` must be {expected} for a {ndim}-D `input`; got an array of shape {w.shape}."
        )
    x, w = _as_batch(x), _as_batch(w)
    if x.shape[1] != w.shape[1]:
        raise ValueError(
            f"`input` has {x.shape[1]} channel(s) but `weight` expects {w.shape[1]} "
            f"(weight shape {w.shape} is (C_out, C_in, kH, kW)); the C_in of `weight` must "
            "equal the C of `input`."
        )
    dtype = np.float32 if x.dtype == w.dtype == np.float32 else np.float64
    if bias is not None:
        b = as_array(bias, "bias", keep_float32=True)
        if ndim == 2 and b.shape == ():
            b = b.reshape(1)
        if b.shape != (w.shape[0],):
            expected = f"shape ({w.shape[0]},), one value per output channel of `weight`"
            if ndim == 2:
                expected = "a single number for a 2-D image `input`"
            raise ValueError(f"`bias` must have {expected}; got shape {b.shape}.")
    x, w = x.astype(dtype, copy=False), w.astype(dtype, copy=False)
    n, c_out = x.shape[0], w.shape[0]
    h_out, w_out = _output_hw(x.shape[2:], w.shape[2:], stride, padding, "weight")
    # im2col: column i * W_out + j of cols[n] is the window under output pixel (i, j),
    # flattened like weight[o], so that the convolution is one matrix product per image.
    win = _windows(_pad(x, padding), w.shape[2:], stride)
    cols = win.transpose(0, 1, 4, 5, 2, 3).reshape(n, -1, h_out * w_out)
    out = np.matmul(w.reshape(c_out, -1), cols).reshape(n, c_out, h_out, w_out)
    if bias is not None:
        out += b.astype(dtype, copy=False)[:, None, None]
    return _unbatch(out, ndim)


def _pool(input, kernel_size, stride, padding, pad_value, ufunc) -> np.ndarray:
    """Check a pooling's arguments (torch's rules) and reduce every window with ``ufunc``."""
    kernel = check_pair(kernel_size, "kernel_size", low=1)
    stride = kernel if stride is None else check_pair(stride, "stride", low=1)
    padding = check_pair(padding, "padding", low=0)
    if 2 * padding[0] > kernel[0] or 2 * padding[1] > kernel[1]:
        raise ValueError(
            f"`padding` must be at most half of `kernel_size` (as in torch); got padding "
            f"{padding} for kernel_size {kernel}."
        )
    x = _image_input(input)
    _output_hw(x.shape[-2:], kernel, stride, padding, "kernel_size")
    out = _window_reduce(_windows(_pad(_as_batch(x), padding, pad_value), kernel, stride), ufunc)
    return _unbatch(out, x.ndim)


def max_pool2d(
    input: ArrayLike,
    kernel_size: IntOrPair,
    stride: IntOrPair | None = None,
    padding: IntOrPair = 0,
) -> np.ndarray:
    """2-D max pooling, as ``torch.nn.functional.max_pool2d``: the maximum of each window.

    Parameters
    ----------
    input : array_like, shape (N, C, H, W), (C, H, W) or (H, W)
        Each channel is pooled on its own.
    kernel_size : int or (int, int)
        Size of the window (>= 1).
    stride : int or (int, int), optional
        Step between windows; by default ``kernel_size`` (non-overlapping), as in torch.
    padding : int or (int, int), default 0
        ``-inf`` added on each side (it never wins a max); at most ``kernel_size / 2``.

    Returns
    -------
    numpy.ndarray, shape (N, C, H_out, W_out), (C, H_out, W_out) or (H_out, W_out)
        float32 if ``input`` is float32, else float64.
    """
    return _pool(input, kernel_size, stride, padding, -np.inf, np.maximum)


def avg_pool2d(
    input: ArrayLike,
    kernel_size: IntOrPair,
    stride: IntOrPair | None = None,
    padding: IntOrPair = 0,
) -> np.ndarray:
    """2-D average pooling, as ``torch.nn.functional.avg_pool2d``: the mean of each window.

    Arguments and shapes as :func:`max_pool2d`; padding adds zeros that count in the mean
    (torch's default ``count_include_pad=True``).
    """
    kernel = check_pair(kernel_size, "kernel_size", low=1)
    return _pool(input, kernel_size, stride, padding, 0.0, np.add) / (kernel[0] * kernel[1])
