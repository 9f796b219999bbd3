"""Plotting helpers: each draws on the ``ax`` it is given and returns the artists it made.

Nothing here touches global matplotlib state (``rcParams``, ``pyplot`` figures). Colours come
from the Okabe-Ito palette, distinguishable for colour-blind readers, and each class also gets
its own marker shape.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from matplotlib.colors import ListedColormap
from numpy.typing import ArrayLike

from ._validation import as_array, check_ax, check_callable, check_int, check_pair, check_scalar

__all__ = [
    "CLASS_COLORS",
    "CLASS_MARKERS",
    "NEGATIVE_COLOR",
    "POSITIVE_COLOR",
    "draw_network",
    "plot_data",
    "plot_decision_regions",
    "plot_grid",
    "plot_linear_boundary",
    "plot_probability_map",
]

#: Okabe-Ito colours, one per class (blue, orange, green, vermillion, purple, sky blue).
CLASS_COLORS: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9")
#: Marker shapes, one per class, so classes differ by more than colour.
CLASS_MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P")
#: Colours for positive and negative weights in network drawings.
POSITIVE_COLOR, NEGATIVE_COLOR = "#0072B2", "#D55E00"
_CENTRED = dict(ha="center", va="center", zorder=3)


def plot_data(ax, X, y, *, class_names: Sequence[str] | None = None, size: float = 30, **kwargs):
    """Scatter 2-D points coloured and shaped by class.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    X : array_like of shape (n_samples, 2)
    y : array_like of shape (n_samples,)
        Integer class labels ``0 .. n_classes - 1`` (at most 6 classes).
    class_names : sequence of str, optional
        Legend labels; ``"class k"`` by default.
    size : float, default 30
        Marker area in points².
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.scatter` (e.g. ``alpha``, ``zorder``).

    Returns
    -------
    list of matplotlib.collections.PathCollection
        One scatter per class present, in class order.
    """
    ax = check_ax(ax)
    X = as_array(X, "X", shape=("n_samples", 2))
    y = as_array(y, "y", shape=(X.shape[0],), dtype=int)
    if np.any(y < 0) or np.any(y >= len(CLASS_COLORS)):
        raise ValueError(f"`y` must hold class labels 0 to {len(CLASS_COLORS) - 1}.")
    if class_names is not None and len(class_names) <= int(y.max()):
        raise ValueError(
            f"`class_names` has {len(class_names)} names but `y` has labels up to {y.max()}."
        )
    size = check_scalar(size, "size", low=0.0, low_inclusive=False)
    kwargs.setdefault("edgecolors", "white")
    kwargs.setdefault("linewidths", 0.6)
    artists = []
    for k in np.unique(y):
        label = class_names[k] if class_names is not None else f"class {k}"
        mask = y == k
        style = dict(s=size, c=CLASS_COLORS[k], marker=CLASS_MARKERS[k], label=label)
        artists.append(ax.scatter(X[mask, 0], X[mask, 1], **style, **kwargs))
    if not ax.get_xlabel():
        ax.set_xlabel("$x_1$")
    if not ax.get_ylabel():
        ax.set_ylabel("$x_2$")
    return artists


def _on_grid(fn, name, xlim, ylim, resolution):
    """A grid ``xx, yy`` of ``resolution``² points over ``xlim`` x ``ylim``, and ``fn`` at
    each point, of the same shape."""
    fn = check_callable(fn, name)
    xlim = as_array(xlim, "xlim", shape=(2,))
    ylim = as_array(ylim, "ylim", shape=(2,))
    for lim_name, lim in (("xlim", xlim), ("ylim", ylim)):
        if lim[0] >= lim[1]:
            raise ValueError(f"`{lim_name}` must be (low, high) with low < high; got {tuple(lim)}.")
    resolution = check_int(resolution, "resolution", low=2, high=2000)
    xx, yy = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
    values = np.asarray(fn(np.column_stack([xx.ravel(), yy.ravel()])), dtype=float)
    if values.shape not in ((xx.size,), (xx.size, 1)):
        raise ValueError(
            f"`{name}` must map an array of shape (m, 2) to shape (m,); "
            f"it returned shape {values.shape}."
        )
    return xx, yy, values.reshape(xx.shape)


def _check_length(seq: Sequence, name: str, n: int, what: str) -> None:
    """A ValueError unless ``seq`` has ``n`` items."""
    if len(seq) != n:
        raise ValueError(f"`{name}` must have {n} {what}; got {len(seq)}.")


def plot_decision_regions(
    ax,
    predict: Callable,
    *,
    xlim=(-3.0, 3.0),
    ylim=(-3.0, 3.0),
    n_classes: int = 2,
    resolution: int = 200,
):
    """Shade the plane by the class a classifier predicts.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    predict : callable
        Maps points of shape (m, 2) to integer labels of shape (m,).
    xlim, ylim : (float, float)
        The region to shade.
    n_classes : int, default 2
        Number of classes (2 to 6), which fixes the colours.
    resolution : int, default 200
        Grid points per axis.

    Returns
    -------
    matplotlib.contour.QuadContourSet
    """
    ax = check_ax(ax)
    n_classes = check_int(n_classes, "n_classes", low=2, high=len(CLASS_COLORS))
    xx, yy, labels = _on_grid(predict, "predict", xlim, ylim, resolution)
    cmap = ListedColormap(CLASS_COLORS[:n_classes])
    levels = np.arange(n_classes + 1) - 0.5
    return ax.contourf(xx, yy, labels, levels=levels, cmap=cmap, alpha=0.25, antialiased=True)


def plot_probability_map(
    ax,
    predict_proba: Callable,
    *,
    xlim=(-3.0, 3.0),
    ylim=(-3.0, 3.0),
    resolution: int = 150,
):
    """Shade the plane by a binary classifier's probability of class 1, with the 0.5 contour.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    predict_proba : callable
        Maps points of shape (m, 2) to probabilities of class 1, shape (m,).
    xlim, ylim : (float, float)
    resolution : int, default 150

    Returns
    -------
    (matplotlib.image.AxesImage, matplotlib.contour.QuadContourSet)
        The shading and the decision boundary (possibly empty).
    """
    ax = check_ax(ax)
    xx, yy, proba = _on_grid(predict_proba, "predict_proba", xlim, ylim, resolution)
    if np.any(~np.isfinite(proba)) or proba.min() < 0 or proba.max() > 1:
        raise ValueError("`predict_proba` must return probabilities in [0, 1].")
    cmap = ListedColormap(np.linspace([0.0, 0.447, 0.698], [0.902, 0.624, 0.0], 256))
    extent = (xx[0, 0], xx[0, -1], yy[0, 0], yy[-1, 0])
    style = dict(origin="lower", vmin=0.0, vmax=1.0, aspect="auto", interpolation="bilinear")
    image = ax.imshow(proba, extent=extent, cmap=cmap, alpha=0.35, **style)
    boundary = ax.contour(xx, yy, proba, levels=[0.5], colors="k", linewidths=1.5)
    return image, boundary


def plot_linear_boundary(ax, weight, bias: float, *, xlim=None, **kwargs):
    """Draw the boundary ``w1 * x1 + w2 * x2 + b = 0`` of a linear unit.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    weight : array_like of shape (2,)
    bias : float
    xlim : (float, float), optional
        Horizontal extent; defaults to the axes' current x-limits.
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.plot` (``color``, ``label``, ...).

    Returns
    -------
    matplotlib.lines.Line2D
        The line; it has no points when ``weight`` is zero (there is no boundary).
    """
    ax = check_ax(ax)
    w = as_array(weight, "weight", shape=(2,))
    b = check_scalar(bias, "bias")
    x0, x1 = ax.get_xlim() if xlim is None else tuple(as_array(xlim, "xlim", shape=(2,)))
    y0, y1 = ax.get_ylim()
    kwargs.setdefault("color", "k")
    kwargs.setdefault("linewidth", 2)
    if abs(w[1]) > 1e-12:
        xs = np.array([x0, x1])
        ys = -(w[0] * xs + b) / w[1]
    elif abs(w[0]) > 1e-12:
        xs = np.full(2, -b / w[0])
        ys = np.array([y0, y1])
    else:
        xs = ys = np.array([])
    (line,) = ax.plot(xs, ys, **kwargs)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    return line


def draw_network(
    ax,
    layer_sizes: Sequence[int],
    *,
    weights: Sequence | None = None,
    node_labels: Sequence[Sequence[str]] | None = None,
    layer_names: Sequence[str] | None = None,
    show_weights: bool = False,
    inactive: Sequence | None = None,
):
    """Draw a fully connected network as circles (units) and lines (weights).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    layer_sizes : sequence of int
        Units per layer, input layer first, e.g. ``[2, 2, 1]`` (1 to 12 units per layer).
    weights : sequence of array_like, optional
        ``weights[l]`` of shape ``(layer_sizes[l + 1], layer_sizes[l])`` (PyTorch's layout):
        line width follows ``|w|``, colour its sign (blue positive, vermillion negative).
    node_labels : sequence of sequence of str, optional
        ``node_labels[l][i]`` is written inside unit ``i`` of layer ``l``.
    layer_names : sequence of str, optional
        A caption under each layer.
    show_weights : bool, default False
        Write each weight's value on its line (needs ``weights``).
    inactive : sequence of array_like of bool, optional
        ``inactive[l][i]`` greys out unit ``i`` of layer ``l`` and its lines (dropout).

    Returns
    -------
    dict
        ``"nodes"``: list of Circle patches per layer; ``"edges"``: three LineCollections
        (active weights, dotted lines of dropped units, crosses on dropped units);
        ``"texts"``: list of Text.
    """
    from matplotlib.collections import LineCollection
    from matplotlib.patches import Circle

    ax = check_ax(ax)
    if isinstance(layer_sizes, (str, bytes)) or not isinstance(layer_sizes, Sequence):
        raise TypeError("`layer_sizes` must be a sequence of ints such as [2, 3, 1].")
    sizes = [check_int(n, f"layer_sizes[{i}]", low=1, high=12) for i, n in enumerate(layer_sizes)]
    if len(sizes) < 1:
        raise ValueError("`layer_sizes` must name at least one layer.")
    if weights is not None:
        _check_length(weights, "weights", len(sizes) - 1, "matrices (one per pair of layers)")
        weights = [
            as_array(w, f"weights[{i}]", shape=(sizes[i + 1], sizes[i]))
            for i, w in enumerate(weights)
        ]
    if show_weights and weights is None:
        raise ValueError("`show_weights=True` needs `weights`.")
    if inactive is None:
        inactive = [np.zeros(n, dtype=bool) for n in sizes]
    _check_length(inactive, "inactive", len(sizes), "masks (one per layer)")
    inactive = [np.asarray(m, dtype=bool).reshape(sizes[i]) for i, m in enumerate(inactive)]
    if node_labels is not None:
        _check_length(node_labels, "node_labels", len(sizes), "lists of labels (one per layer)")

    radius = 0.32
    tallest = max(sizes)
    xs = [1.8 * layer for layer in range(len(sizes))]
    ys = [
        np.linspace((tallest - 1) / 2, -(tallest - 1) / 2, n) if n > 1 else np.zeros(1)
        for n in sizes
    ]
    wmax = max((np.abs(w).max() for w in weights), default=1.0) if weights else 1.0
    wmax = wmax or 1.0
    texts, nodes = [], []
    active, colors, widths, dropped = [], [], [], []  # one collection each: fast to draw
    for layer in range(len(sizes) - 1):
        for j in range(sizes[layer + 1]):
            for i in range(sizes[layer]):
                off = inactive[layer][i] or inactive[layer + 1][j]
                w = None if weights is None else weights[layer][j, i]
                color = "0.6" if w is None else (POSITIVE_COLOR if w >= 0 else NEGATIVE_COLOR)
                width = 1.2 if w is None else 0.6 + 3.0 * abs(w) / wmax
                segment = [
                    (xs[layer] + radius, ys[layer][i]),
                    (xs[layer + 1] - radius, ys[layer + 1][j]),
                ]
                if off:
                    dropped.append(segment)
                else:
                    active.append(segment)
                    colors.append(color)
                    widths.append(width)
                if show_weights and not off:
                    t = 0.25
                    tx = xs[layer] + radius + t * (xs[layer + 1] - xs[layer] - 2 * radius)
                    ty = ys[layer][i] + t * (ys[layer + 1][j] - ys[layer][i])
                    box = dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.9)
                    texts.append(ax.text(tx, ty, f"{w:g}", bbox=box, **_CENTRED, fontsize=9))
    edges = [
        ax.add_collection(LineCollection(active, colors=colors, linewidths=widths, zorder=1)),
        ax.add_collection(
            LineCollection(dropped, colors="0.85", linewidths=0.8, linestyles=":", zorder=1)
        ),
    ]
    crosses: list = []
    for layer, n in enumerate(sizes):
        row = []
        for i in range(n):
            off = inactive[layer][i]
            look = dict(fc="0.93", ec="0.7", ls="--") if off else dict(fc="white", ec="k", ls="-")
            row.append(
                ax.add_patch(Circle((xs[layer], ys[layer][i]), radius, lw=1.2, zorder=2, **look))
            )
            if off:  # a cross, as two strokes (much cheaper to draw than a text glyph)
                x, y, d = xs[layer], ys[layer][i], 0.35 * radius
                crosses += [[(x - d, y - d), (x + d, y + d)], [(x - d, y + d), (x + d, y - d)]]
            elif node_labels is not None:
                label = str(node_labels[layer][i])
                texts.append(ax.text(xs[layer], ys[layer][i], label, **_CENTRED, fontsize=10))
        nodes.append(row)
        if layer_names is not None:
            y = -(tallest - 1) / 2 - 0.8
            texts.append(ax.text(xs[layer], y, layer_names[layer], ha="center", va="top"))
    edges.append(ax.add_collection(LineCollection(crosses, colors="0.5", linewidths=1.5, zorder=3)))
    ax.set_xlim(xs[0] - 0.8, xs[-1] + 0.8)
    ax.set_ylim(-(tallest - 1) / 2 - 1.3, (tallest - 1) / 2 + 0.7)
    ax.set_aspect("equal")
    ax.axis("off")
    return {"nodes": nodes, "edges": edges, "texts": texts}


def plot_grid(
    ax,
    values: ArrayLike,
    *,
    window: tuple[int, int, int, int] | None = None,
    kernel: ArrayLike | None = None,
    padding: int | tuple[int, int] = 0,
    fmt: str = "g",
    cmap: str | None = "Blues",
    vmin: float | None = None,
    vmax: float | None = None,
    fontsize: float = 10.0,
    window_color: str = "#D55E00",
) -> dict:
    """Draw a small 2-D array as a grid of cells with its numbers in them, cell ``(i, j)``
    centred on ``x = j, y = i`` with row 0 at the top (as ``imshow``).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    values : array_like, shape (H, W)
    window : (top, left, height, width), optional
        A rectangle of cells to outline, in ``window_color``.
    kernel : array_like, shape (height, width), optional
        Written as small subscripts in the cells of ``window`` (needs ``window``).
    padding : int or (int, int), default 0
        How many outer rows and columns are padding: drawn grey, the real input framed.
    fmt : str, default "g"
        Format spec of the numbers.
    cmap : str or None, default "Blues"
        Colour map of the cells (None: white cells); text is white on dark cells.
    vmin, vmax : float, optional
        Ends of the colour scale (default: the smallest and largest value).
    fontsize : float, default 10
    window_color : str, default "#D55E00"

    Returns
    -------
    dict
        ``"image"`` (AxesImage), ``"lines"`` (cell borders), ``"texts"`` (the numbers, row
        by row), ``"subscripts"``, ``"window"`` (Rectangle or None) and ``"padding"``.
    """
    from matplotlib.collections import LineCollection
    from matplotlib.colors import Normalize
    from matplotlib.patches import Rectangle
    from matplotlib.patheffects import withStroke

    ax = check_ax(ax)
    grid = as_array(values, "values", ndim=2)
    h, w = grid.shape
    ph, pw = check_pair(padding, "padding", low=0)
    if 2 * ph >= h or 2 * pw >= w:
        raise ValueError(f"`padding` {(ph, pw)} leaves no real input inside the {h}x{w} grid.")
    box = None
    if window is not None:
        if not isinstance(window, (tuple, list)) or len(window) != 4:
            raise TypeError(f"`window` must be a tuple (top, left, height, width); got {window!r}.")
        box = [check_int(v, f"window[{i}]", low=0 if i < 2 else 1) for i, v in enumerate(window)]
        if box[0] + box[2] > h or box[1] + box[3] > w:
            raise ValueError(f"`window` {tuple(window)} reaches outside the {h}x{w} grid.")
    if kernel is not None:
        if box is None:
            raise ValueError("`kernel` needs a `window` to write its weights in.")
        kernel = as_array(kernel, "kernel", shape=box[2:])
    if not isinstance(fmt, str):
        raise TypeError(f"`fmt` must be a format spec string such as '.1f'; got {fmt!r}.")
    fontsize = check_scalar(fontsize, "fontsize", low=1.0)
    lo = float(grid.min()) if vmin is None else check_scalar(vmin, "vmin")
    hi = float(grid.max()) if vmax is None else check_scalar(vmax, "vmax")
    norm = Normalize(lo, hi if hi > lo else lo + 1.0)  # a constant grid: one light colour
    if cmap is None:  # white cells
        image = ax.imshow(np.zeros_like(grid), cmap="Greys", vmin=0, vmax=1)
    else:
        image = ax.imshow(grid, cmap=cmap, norm=norm, interpolation="nearest")
    segments = [[(-0.5, r - 0.5), (w - 0.5, r - 0.5)] for r in range(h + 1)]
    segments += [[(c - 0.5, -0.5), (c - 0.5, h - 0.5)] for c in range(w + 1)]
    lines = ax.add_collection(LineCollection(segments, colors="0.55", linewidths=0.8))

    in_padding = np.ones((h, w), dtype=bool)
    in_padding[ph : h - ph, pw : w - pw] = False
    padding_artists = []
    if in_padding.any():
        inner_h, inner_w = h - 2 * ph, w - 2 * pw
        strips = [(-0.5, -0.5, w, ph), (-0.5, h - ph - 0.5, w, ph)]
        strips += [(-0.5, ph - 0.5, pw, inner_h), (w - pw - 0.5, ph - 0.5, pw, inner_h)]
        for x0, y0, width, height in strips:
            if width and height:
                grey = Rectangle((x0, y0), width, height, fc="0.88", lw=0, zorder=1.5)
                padding_artists.append(ax.add_patch(grey))
        frame = Rectangle(
            (pw - 0.5, ph - 0.5), inner_w, inner_h, fill=False, ec="0.25", ls="--", lw=1.5
        )
        padding_artists.append(ax.add_patch(frame))

    texts, subscripts = [], []
    rgba = image.get_cmap()(image.norm(np.asarray(image.get_array())))  # (h, w, 4)
    dark = rgba[..., :3] @ np.array([0.299, 0.587, 0.114]) < 0.5  # perceived brightness
    for i, j in np.ndindex(h, w):
        colour = "0.5" if in_padding[i, j] else ("white" if dark[i, j] else "black")
        style = dict(ha="center", va="center", color=colour, fontsize=fontsize, in_layout=False)
        texts.append(ax.text(j, i, format(grid[i, j], fmt), **style))
    outline = None
    if box is not None:
        top, left, height, width = box
        corner = (left - 0.5, top - 0.5)
        rect = Rectangle(corner, width, height, fill=False, ec=window_color, lw=3, zorder=5)
        outline = ax.add_patch(rect)
        if kernel is not None:
            halo = [withStroke(linewidth=2, foreground="white")]  # readable on dark cells
            style = dict(ha="right", va="bottom", color=window_color, fontweight="bold")
            for u, v in np.ndindex(height, width):
                text = format(kernel[u, v], fmt)
                subscripts.append(
                    ax.text(left + v + 0.42, top + u + 0.42, text, fontsize=0.65 * fontsize,
                            zorder=6, path_effects=halo, in_layout=False, **style)
                )  # fmt: skip
    ax.set_xlim(-0.5, w - 0.5)
    ax.set_ylim(h - 0.5, -0.5)
    ax.set_xticks([])
    ax.set_yticks([])
    return {"image": image, "lines": lines, "texts": texts, "subscripts": subscripts,
            "window": outline, "padding": padding_artists}  # fmt: skip
