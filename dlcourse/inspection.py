"""Look inside a network: record what every layer outputs, and draw feature maps and kernels.

PyTorch is imported only when these functions are called.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numpy as np

from ._validation import as_array, check_ax, check_int

__all__ = ["plot_feature_maps", "plot_kernels", "record_activations"]


def record_activations(model, x) -> OrderedDict:
    """Run ``model(x)`` once and return the output of every layer, in the order computed.

    Parameters
    ----------
    model : torch.nn.Module
        Every leaf module (one without submodules) is recorded, through forward hooks
        removed afterwards.
    x : torch.Tensor
        The input batch, e.g. of shape (N, C, H, W) for a CNN.

    Returns
    -------
    collections.OrderedDict of str -> torch.Tensor
        Detached outputs keyed by layer name (``"name#2"`` for a second use of a layer), then
        the model's own output under ``"output"``. The pass runs under ``torch.no_grad()`` in
        the model's current mode (call ``model.eval()`` first for test-time activations).
    """
    import torch

    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"`model` must be a torch.nn.Module; got {type(model).__name__}.")
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"`x` must be a torch.Tensor (a batch of inputs); got {type(x).__name__}.")
    chosen = [(n, m) for n, m in model.named_modules() if next(m.children(), None) is None]
    if chosen == [("", model)]:
        chosen = [(type(model).__name__, model)]
    recorded: OrderedDict[str, Any] = OrderedDict()

    def hook_for(name):
        def hook(module, inputs, output):
            key, k = name, 1
            while key in recorded:
                k += 1
                key = f"{name}#{k}"
            if isinstance(output, torch.Tensor):
                recorded[key] = output.detach()

        return hook

    handles = [module.register_forward_hook(hook_for(name)) for name, module in chosen]
    try:
        with torch.no_grad():
            output = model(x)
    finally:
        for handle in handles:
            handle.remove()
    if isinstance(output, torch.Tensor):
        recorded["output"] = output.detach()
    return recorded


def _mosaic(maps, *, ncols: int | None = None, normalize: bool = True):
    """Tile maps (n, H, W), (1, n, H, W) or (H, W) into one image, with NaN gaps between.

    ``normalize`` scales each map to [0, 1] on its own.
    """
    maps = as_array(maps, "maps", ndim=(2, 3, 4))
    if maps.ndim == 4:
        if maps.shape[0] != 1:
            raise ValueError(
                f"`maps` of 4 dimensions must hold one example (1, n, H, W); "
                f"got shape {maps.shape}."
            )
        maps = maps[0]
    if maps.ndim == 2:
        maps = maps[None]
    gap = 1
    n, h, w = maps.shape
    ncols = int(np.ceil(np.sqrt(n))) if ncols is None else check_int(ncols, "ncols", low=1)
    rows = int(np.ceil(n / ncols))
    if normalize:
        low = maps.min(axis=(1, 2), keepdims=True)
        span = maps.max(axis=(1, 2), keepdims=True) - low
        maps = (maps - low) / np.where(span > 0, span, 1.0)
    image = np.full((rows * (h + gap) - gap, ncols * (w + gap) - gap), np.nan)
    for i in range(n):
        r, c = divmod(i, ncols)
        image[r * (h + gap) : r * (h + gap) + h, c * (w + gap) : c * (w + gap) + w] = maps[i]
    return image


def _show(ax, image: np.ndarray, title: str | None, **style):
    artist = ax.imshow(image, interpolation="nearest", **style)
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(title)
    return artist


def plot_feature_maps(ax, maps, *, ncols: int | None = None, title: str | None = None):
    """Draw every feature map of one layer, tiled, on ``ax``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    maps : array_like or torch.Tensor of shape (C, H, W), (1, C, H, W) or (H, W)
        One example's output of a convolution, activation or pooling layer.
    ncols : int, optional
        Maps per row.
    title : str, optional

    Returns
    -------
    matplotlib.image.AxesImage
    """
    ax = check_ax(ax)
    image = _mosaic(maps, ncols=ncols)  # each map scaled to [0, 1] on its own
    return _show(ax, image, title, cmap="viridis")


def plot_kernels(ax, weight, *, title: str | None = None):
    """Draw the kernels of a convolution layer, tiled, with 0 in white.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    weight : array_like or torch.Tensor of shape (out_channels, in_channels, kH, kW)
        Every (output, input) kernel is drawn; positive weights red, negative blue, on one
        shared, symmetric scale.
    title : str, optional

    Returns
    -------
    matplotlib.image.AxesImage
    """
    ax = check_ax(ax)
    weight = as_array(weight, "weight", ndim=4)
    out_channels, in_channels, kh, kw = weight.shape
    image = _mosaic(
        weight.reshape(out_channels * in_channels, kh, kw),
        ncols=in_channels if in_channels > 1 else None,
        normalize=False,
    )
    limit = float(np.nanmax(np.abs(image))) or 1.0
    return _show(ax, image, title, cmap="RdBu_r", vmin=-limit, vmax=limit)
