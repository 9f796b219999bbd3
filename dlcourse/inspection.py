"""Look inside a network: record what every layer outputs, and draw feature maps.

:func:`record_activations` works for any ``torch.nn.Module``: it attaches a forward hook to
every layer, runs one forward pass, and removes the hooks again, so the model is left
exactly as it was. The drawing helpers tile many small maps into one image on the ``ax`` you
pass.

PyTorch is imported only when these functions are called.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes

from ._validation import as_array, check_int, check_option

__all__ = ["mosaic", "plot_feature_maps", "plot_kernels", "record_activations"]


def _leaf_layers(model) -> list[tuple[str, Any]]:
    """The modules of ``model`` that have no children (the layers that compute)."""
    leaves = [
        (name, module)
        for name, module in model.named_modules()
        if not any(True for _ in module.children())
    ]
    return leaves


def record_activations(model, x, *, layers: Sequence[str] | None = None) -> OrderedDict:
    """Run ``model(x)`` once and return the output of each layer, in the order computed.

    Parameters
    ----------
    model : torch.nn.Module
        Any module: a ``Sequential``, a custom class, nested blocks.
    x : torch.Tensor
        The input batch, e.g. of shape (N, C, H, W) for a CNN.
    layers : sequence of str, optional
        Names (as in ``model.named_modules()``) of the layers to record. By default every
        leaf module (one without submodules) is recorded.

    Returns
    -------
    collections.OrderedDict of str -> torch.Tensor
        Detached outputs, keyed by layer name, in the order the forward pass produced them.
        A layer used twice in one pass appears twice, the second time as ``"name#2"``. The
        model's own output is included under the key ``"output"``.

    Notes
    -----
    The forward pass runs under ``torch.no_grad()`` and in the model's current mode (call
    ``model.eval()`` first to record what the trained network computes at test time). The
    hooks are removed even if the forward pass fails.
    """
    import torch

    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"`model` must be a torch.nn.Module; got {type(model).__name__}.")
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"`x` must be a torch.Tensor (a batch of inputs); got {type(x).__name__}.")
    modules = dict(model.named_modules())
    if layers is None:
        chosen = _leaf_layers(model)
        if not chosen or (len(chosen) == 1 and chosen[0][1] is model and not chosen[0][0]):
            chosen = [(type(model).__name__, model)]
    else:
        if isinstance(layers, str) or not isinstance(layers, Sequence):
            raise TypeError("`layers` must be a list of layer names such as ['0', '3'].")
        if not layers:
            raise ValueError("`layers` is empty; name at least one layer, or pass None for all.")
        unknown = [name for name in layers if name not in modules]
        if unknown:
            known = [name for name in modules if name]
            raise ValueError(
                f"`layers` names {unknown}, which the model does not have; its layers are {known}."
            )
        chosen = [(name, modules[name]) for name in layers]

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


def mosaic(maps, *, ncols: int | None = None, gap: int = 1, normalize: str = "each"):
    """Tile maps of shape (n, H, W) into one 2-D image with gaps of NaN between them.

    Parameters
    ----------
    maps : array_like of shape (n, H, W), (1, n, H, W) or (H, W)
    ncols : int, optional
        Tiles per row; about ``sqrt(n)`` by default.
    gap : int, default 1
        Pixels of NaN between tiles.
    normalize : {"each", "all", "none"}, default "each"
        Scale each map to [0, 1] on its own (shows every map's pattern), all maps together
        (shows which maps respond most), or not at all.

    Returns
    -------
    numpy.ndarray of shape (rows * (H + gap) - gap, ncols * (W + gap) - gap)
    """
    if hasattr(maps, "detach"):
        maps = maps.detach().cpu().numpy()
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
    check_option(normalize, "normalize", ("each", "all", "none"))
    gap = check_int(gap, "gap", low=0, high=10)
    n, h, w = maps.shape
    ncols = int(np.ceil(np.sqrt(n))) if ncols is None else check_int(ncols, "ncols", low=1)
    rows = int(np.ceil(n / ncols))
    if normalize == "each":
        low = maps.min(axis=(1, 2), keepdims=True)
        span = maps.max(axis=(1, 2), keepdims=True) - low
        maps = (maps - low) / np.where(span > 0, span, 1.0)
    elif normalize == "all":
        span = maps.max() - maps.min()
        maps = (maps - maps.min()) / (span if span > 0 else 1.0)
    image = np.full((rows * (h + gap) - gap, ncols * (w + gap) - gap), np.nan)
    for i in range(n):
        r, c = divmod(i, ncols)
        image[r * (h + gap) : r * (h + gap) + h, c * (w + gap) : c * (w + gap) + w] = maps[i]
    return image


def plot_feature_maps(
    ax,
    maps,
    *,
    ncols: int | None = None,
    cmap: str = "viridis",
    normalize: str = "each",
    title: str | None = None,
):
    """Draw every feature map of one layer, tiled, on ``ax``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    maps : array_like or torch.Tensor of shape (C, H, W), (1, C, H, W) or (H, W)
        One example's output of a convolution, activation or pooling layer.
    ncols : int, optional
        Maps per row.
    cmap : str, default "viridis"
        A perceptually uniform colour map.
    normalize : {"each", "all", "none"}, default "each"
        See :func:`mosaic`.
    title : str, optional

    Returns
    -------
    matplotlib.image.AxesImage
    """
    if not isinstance(ax, Axes):
        raise TypeError(f"`ax` must be a matplotlib Axes; got {type(ax).__name__}.")
    image = mosaic(maps, ncols=ncols, normalize=normalize)
    artist = ax.imshow(image, cmap=cmap, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(title)
    return artist


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
    if not isinstance(ax, Axes):
        raise TypeError(f"`ax` must be a matplotlib Axes; got {type(ax).__name__}.")
    if hasattr(weight, "detach"):
        weight = weight.detach().cpu().numpy()
    weight = as_array(weight, "weight", ndim=4)
    out_channels, in_channels, kh, kw = weight.shape
    image = mosaic(
        weight.reshape(out_channels * in_channels, kh, kw),
        ncols=in_channels if in_channels > 1 else None,
        normalize="none",
    )
    limit = float(np.nanmax(np.abs(image))) or 1.0
    artist = ax.imshow(image, cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(title)
    return artist
