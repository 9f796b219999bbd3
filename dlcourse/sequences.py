"""Sequence data for recurrent networks: a noisy sine wave, sliding windows, a diagram.

Shapes follow PyTorch's ``batch_first=True``: a batch of windows is ``(n_windows, window)``,
or ``(n_windows, window, n_features)``. The recurrence itself is written out in the chapter.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._validation import as_array, check_ax, check_bool, check_int, check_rng, check_scalar

__all__ = ["draw_unrolled_rnn", "make_sine_wave", "sliding_windows"]


def make_sine_wave(
    n_steps: int = 500,
    *,
    period: float = 20.0,
    noise: float = 0.1,
    seed: int = 0,
) -> np.ndarray:
    """``sin(2 pi t / period) + noise * eps_t`` for ``t = 0 .. n_steps - 1``, shape (n_steps,)."""
    n_steps = check_int(n_steps, "n_steps", low=1)
    period = check_scalar(period, "period", low=0.0, low_inclusive=False)
    noise = check_scalar(noise, "noise", low=0.0)
    rng = check_rng(seed)
    t = np.arange(n_steps, dtype=np.float64)
    clean = np.sin(2.0 * np.pi * t / period)
    return clean + noise * rng.standard_normal(n_steps)


def sliding_windows(series: Any, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Cut a series into (last ``window`` values, next value) pairs, stepping by one.

    ``X[i] = series[i : i + window]`` and ``y[i] = series[i + window]``. ``series`` is
    (n_steps,) or (n_steps, n_features); ``X`` is (n_steps - window, window[, n_features]).
    """
    values = as_array(series, "series", ndim=(1, 2))
    window = check_int(window, "window", low=1)
    n_steps = values.shape[0]
    if window >= n_steps:
        raise ValueError(
            f"`window` must be smaller than the length of `series` ({n_steps}) so that at "
            f"least one value follows a window; got window={window}."
        )
    n_windows = n_steps - window
    index = np.arange(n_windows)[:, None] + np.arange(window)[None, :]  # (n_windows, window)
    return values[index], values[window:].copy()


def draw_unrolled_rnn(
    ax,
    n_steps: int = 4,
    *,
    show_folded: bool = True,
    show_weights: bool = True,
    show_gradient: bool = False,
) -> dict[str, list]:
    """Draw a recurrent network, folded (one cell with a loop) and unrolled in time.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    n_steps : int, default 4
        Time steps in the unrolled picture (1 to 8).
    show_folded : bool, default True
        Also draw the folded network on the left.
    show_weights : bool, default True
        Write the weight names on the arrows.
    show_gradient : bool, default False
        Draw backpropagation through time as dashed arrows under the chain.

    Returns
    -------
    dict
        ``"nodes"`` (patches), ``"arrows"`` (FancyArrowPatch) and ``"texts"`` (Text).
    """
    from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

    from .plotting import CLASS_COLORS

    ax = check_ax(ax)
    n_steps = check_int(n_steps, "n_steps", low=1, high=8)
    check_bool(show_folded, "show_folded")
    check_bool(show_weights, "show_weights")
    check_bool(show_gradient, "show_gradient")
    colours = {"x": CLASS_COLORS[0], "h": CLASS_COLORS[1], "y": CLASS_COLORS[2]}
    gradient_colour = CLASS_COLORS[3]
    y_in, y_hidden, y_out = 0.0, 1.6, 3.2
    radius, half = 0.42, 0.36
    nodes: list = []
    arrows: list = []
    texts: list = []

    def text(x, y, label, **style):
        style = {"ha": "center", "va": "center", "fontsize": 8.5, "color": "0.2", **style}
        texts.append(ax.text(x, y, label, **style))

    def node(x, y, label, kind, dashed=False):
        style = dict(fc="white", ec=colours.get(kind, "0.5"), lw=1.8, zorder=2)
        if kind.startswith("h"):
            patch = Circle((x, y), radius, ls="--" if dashed else "-", **style)
        else:
            rounding = "round,pad=0.02,rounding_size=0.08"
            patch = FancyBboxPatch(
                (x - half, y - half), 2 * half, 2 * half, boxstyle=rounding, **style
            )
        nodes.append(ax.add_patch(patch))
        text(x, y, label, fontsize=11, color="black", zorder=3)

    def arrow(start, end, label=None, offset=(0.0, 0.0), colour="0.25", **style):
        patch = FancyArrowPatch(
            start, end, arrowstyle="-|>", mutation_scale=12, color=colour, lw=1.4, **style
        )
        arrows.append(ax.add_patch(patch))
        if label is not None and show_weights:
            mid = ((start[0] + end[0]) / 2 + offset[0], (start[1] + end[1]) / 2 + offset[1])
            text(*mid, label, zorder=3)

    def column(x, t, w_ih, offset):
        """Input, hidden state and output of time step ``t`` (a subscript), and their arrows."""
        for kind, y in (("x", y_in), ("h", y_hidden), ("y", y_out)):
            node(x, y, f"${kind}_{t}$", kind)
        arrow((x, y_in + half), (x, y_hidden - radius), w_ih, (offset, 0))
        arrow((x, y_hidden + radius), (x, y_out - half), "$W_{ho}$", (offset, 0))

    x_left = 0.0
    if show_folded:
        column(0.0, "t", "$W_{ih}$", 0.38)
        # the loop: out of the top left of h_t and back into its bottom left
        dx, dy = -radius * 0.5, radius * 0.87
        arrow((dx, y_hidden + dy), (dx, y_hidden - dy), connectionstyle="arc3,rad=1.2")
        if show_weights:
            text(-0.95, y_hidden + 0.45, "$W_{hh}$")
        text(1.45, y_hidden, "=", fontsize=22, color="black")
        text(0.0, y_in - 0.8, "folded", fontsize=9, color="0.35")
        x_left = 2.4

    x_h0 = x_left + 0.2
    node(x_h0, y_hidden, "$h_0$", "h0", dashed=True)
    xs = [x_h0 + 1.6 * (t + 1) for t in range(n_steps)]
    previous = x_h0
    for t, x in enumerate(xs, start=1):
        column(x, f"{{{t}}}", None if show_gradient else "$W_{ih}$", 0.36)
        arrow((previous + radius, y_hidden), (x - radius, y_hidden), "$W_{hh}$", (0.0, 0.22))
        text(x, y_in - 0.8, f"t = {t}", fontsize=9, color="0.35")
        previous = x
    if show_gradient:
        chain = [x_h0, *xs]
        y = y_hidden - radius * 0.75
        for right, left in zip(chain[:0:-1], chain[-2::-1]):
            arrow((right - radius * 0.7, y), (left + radius * 0.7, y), colour=gradient_colour,
                  linestyle="--", connectionstyle="arc3,rad=-0.35")  # fmt: skip
        label = "gradient flows back through every $W_{hh}$"
        text((x_h0 + xs[-1]) / 2, y_in - 1.3, label, color=gradient_colour)
    ax.set_xlim(-1.6 if show_folded else x_h0 - 0.8, xs[-1] + 0.8)
    ax.set_ylim(y_in - (1.6 if show_gradient else 1.1), y_out + 0.7)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return {"nodes": nodes, "arrows": arrows, "texts": texts}
