"""Sequence data for recurrent networks: a noisy sine wave, sliding windows, a diagram.

A *sequence* is an ordered list of values :math:`x_1, x_2, \\dots, x_T`, one per time step.
The helpers here make the chapter's toy sequence (:func:`make_sine_wave`), cut a long
series into supervised examples "the last ``window`` values -> the next value"
(:func:`sliding_windows`), and draw a recurrent network unrolled in time
(:func:`draw_unrolled_rnn`). The recurrence itself is written out in the chapter.

Shapes follow PyTorch's ``batch_first=True`` convention: a batch of windows is
``(n_windows, window)`` for one feature per step, or ``(n_windows, window, n_features)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._validation import as_array, check_int, check_rng, check_scalar

__all__ = ["draw_unrolled_rnn", "make_sine_wave", "sliding_windows"]


def make_sine_wave(
    n_steps: int = 500,
    *,
    period: float = 20.0,
    amplitude: float = 1.0,
    phase: float = 0.0,
    noise: float = 0.1,
    seed: int = 0,
) -> np.ndarray:
    """A sine wave sampled at whole time steps, plus Gaussian noise.

    .. math:: x_t = A \\sin\\!\\left(\\frac{2\\pi t}{P} + \\varphi\\right) + \\sigma\\,
              \\varepsilon_t, \\qquad t = 0, 1, \\dots, n_\\text{steps} - 1,

    with independent standard normal :math:`\\varepsilon_t`. With ``noise=0`` the result is the
    clean wave, the same for every seed; for the same ``seed``, the noisy series minus the
    clean one is ``noise`` times the same standard normal draws whatever the other arguments.

    Parameters
    ----------
    n_steps : int, default 500
        Length of the series (at least 1).
    period : float, default 20.0
        Number of time steps per full oscillation, :math:`P` (> 0).
    amplitude : float, default 1.0
        Height of the wave, :math:`A` (>= 0).
    phase : float, default 0.0
        Phase shift :math:`\\varphi` in radians.
    noise : float, default 0.1
        Standard deviation :math:`\\sigma` of the noise (>= 0).
    seed : int, default 0
        Seed of the random generator.

    Returns
    -------
    numpy.ndarray of shape (n_steps,), dtype float64
        The series :math:`x_0, \\dots, x_{n_\\text{steps} - 1}`.

    Examples
    --------
    >>> make_sine_wave(5, period=4, noise=0.0).round(6)
    array([ 0.,  1.,  0., -1., -0.])
    """
    n_steps = check_int(n_steps, "n_steps", low=1)
    period = check_scalar(period, "period", low=0.0, low_inclusive=False)
    amplitude = check_scalar(amplitude, "amplitude", low=0.0)
    phase = check_scalar(phase, "phase")
    noise = check_scalar(noise, "noise", low=0.0)
    rng = check_rng(seed)
    t = np.arange(n_steps, dtype=np.float64)
    clean = amplitude * np.sin(2.0 * np.pi * t / period + phase)
    return clean + noise * rng.standard_normal(n_steps)


def sliding_windows(series: Any, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Cut a series into (last ``window`` values, next value) pairs.

    Row ``i`` of ``X`` holds ``series[i : i + window]`` and ``y[i]`` is ``series[i + window]``,
    the value that follows it: every window of consecutive values, stepping by one.

    Parameters
    ----------
    series : array_like of shape (n_steps,) or (n_steps, n_features)
        The sequence, oldest value first. Needs at least ``window + 1`` steps.
    window : int
        How many consecutive values each example sees (at least 1).

    Returns
    -------
    X : numpy.ndarray of shape (n_steps - window, window) or (n_steps - window, window, n_features)
        The windows, one per row (a new array, not a view of ``series``).
    y : numpy.ndarray of shape (n_steps - window,) or (n_steps - window, n_features)
        The value right after each window.

    Examples
    --------
    >>> X, y = sliding_windows([0, 1, 2, 3, 4], 3)
    >>> X
    array([[0., 1., 2.],
           [1., 2., 3.]])
    >>> y
    array([3., 4.])
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

    Each time step ``t`` has an input :math:`x_t` (bottom), a hidden state :math:`h_t`
    (middle, a circle) and an output :math:`y_t` (top). The arrows carry the shared weights:
    :math:`W_{ih}` from input to hidden state, :math:`W_{hh}` from one hidden state to the
    next, :math:`W_{ho}` from hidden state to output. The unrolled chain starts from
    :math:`h_0`.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    n_steps : int, default 4
        Time steps in the unrolled picture (1 to 8).
    show_folded : bool, default True
        Also draw the folded network (one cell and its loop) on the left.
    show_weights : bool, default True
        Write the weight names on the arrows.
    show_gradient : bool, default False
        Draw the path of backpropagation through time from :math:`h_T` back to
        :math:`h_0` as dashed arrows under the chain.

    Returns
    -------
    dict
        ``"nodes"``: list of patches (boxes and circles), ``"arrows"``: list of
        :class:`~matplotlib.patches.FancyArrowPatch`, ``"texts"``: list of Text.
    """
    from matplotlib.axes import Axes
    from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

    from .plotting import CLASS_COLORS

    if not isinstance(ax, Axes):
        raise TypeError(f"`ax` must be a matplotlib Axes; got {type(ax).__name__}.")
    n_steps = check_int(n_steps, "n_steps", low=1, high=8)
    for flag, name in [
        (show_folded, "show_folded"),
        (show_weights, "show_weights"),
        (show_gradient, "show_gradient"),
    ]:
        if not isinstance(flag, (bool, np.bool_)):
            raise TypeError(f"`{name}` must be True or False; got {flag!r}.")

    input_colour, hidden_colour, output_colour = CLASS_COLORS[0], CLASS_COLORS[1], CLASS_COLORS[2]
    gradient_colour = CLASS_COLORS[3]
    y_in, y_hidden, y_out = 0.0, 1.6, 3.2
    radius, half = 0.42, 0.36
    nodes: list = []
    arrows: list = []
    texts: list = []

    def box(x, y, label, colour):
        patch = FancyBboxPatch(
            (x - half, y - half),
            2 * half,
            2 * half,
            boxstyle="round,pad=0.02,rounding_size=0.08",
            facecolor="white",
            edgecolor=colour,
            linewidth=1.8,
            zorder=2,
        )
        ax.add_patch(patch)
        nodes.append(patch)
        texts.append(ax.text(x, y, label, ha="center", va="center", fontsize=11, zorder=3))

    def circle(x, y, label, colour, dashed=False):
        patch = Circle(
            (x, y),
            radius,
            facecolor="white",
            edgecolor=colour,
            linewidth=1.8,
            linestyle="--" if dashed else "-",
            zorder=2,
        )
        ax.add_patch(patch)
        nodes.append(patch)
        texts.append(ax.text(x, y, label, ha="center", va="center", fontsize=11, zorder=3))

    def arrow(start, end, colour="0.25", label=None, label_offset=(0.0, 0.0), **kwargs):
        patch = FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            mutation_scale=12,
            color=colour,
            linewidth=1.4,
            zorder=1,
            **kwargs,
        )
        ax.add_patch(patch)
        arrows.append(patch)
        if label is not None and show_weights:
            mid = (
                (start[0] + end[0]) / 2 + label_offset[0],
                (start[1] + end[1]) / 2 + label_offset[1],
            )
            texts.append(
                ax.text(*mid, label, ha="center", va="center", fontsize=8.5, color="0.2", zorder=3)
            )

    x_left = 0.0
    if show_folded:
        box(0.0, y_in, "$x_t$", input_colour)
        circle(0.0, y_hidden, "$h_t$", hidden_colour)
        box(0.0, y_out, "$y_t$", output_colour)
        arrow(
            (0.0, y_in + half), (0.0, y_hidden - radius), label="$W_{ih}$", label_offset=(0.38, 0)
        )
        arrow(
            (0.0, y_hidden + radius), (0.0, y_out - half), label="$W_{ho}$", label_offset=(0.38, 0)
        )
        # the loop: out of the top left of h_t and back into its bottom left
        arrow(
            (-radius * 0.5, y_hidden + radius * 0.87),
            (-radius * 0.5, y_hidden - radius * 0.87),
            connectionstyle="arc3,rad=1.2",
        )
        if show_weights:
            texts.append(
                ax.text(
                    -0.95,
                    y_hidden + 0.45,
                    "$W_{hh}$",
                    ha="center",
                    va="center",
                    fontsize=8.5,
                    color="0.2",
                )
            )
        texts.append(ax.text(1.45, y_hidden, "=", ha="center", va="center", fontsize=22))
        texts.append(
            ax.text(0.0, y_in - 0.8, "folded", ha="center", va="center", fontsize=9, color="0.35")
        )
        x_left = 2.4

    step_gap = 1.6
    x_h0 = x_left + 0.2
    circle(x_h0, y_hidden, "$h_0$", "0.5", dashed=True)
    xs = [x_h0 + step_gap * (t + 1) for t in range(n_steps)]
    previous = x_h0
    for t, x in enumerate(xs, start=1):
        box(x, y_in, f"$x_{{{t}}}$", input_colour)
        circle(x, y_hidden, f"$h_{{{t}}}$", hidden_colour)
        box(x, y_out, f"$y_{{{t}}}$", output_colour)
        arrow(
            (x, y_in + half),
            (x, y_hidden - radius),
            label=None if show_gradient else "$W_{ih}$",
            label_offset=(0.36, 0),
        )
        arrow((x, y_hidden + radius), (x, y_out - half), label="$W_{ho}$", label_offset=(0.36, 0))
        arrow(
            (previous + radius, y_hidden),
            (x - radius, y_hidden),
            label="$W_{hh}$",
            label_offset=(0.0, 0.22),
        )
        texts.append(
            ax.text(x, y_in - 0.8, f"t = {t}", ha="center", va="center", fontsize=9, color="0.35")
        )
        previous = x
    if show_gradient:
        chain = [x_h0, *xs]
        for right, left in zip(chain[:0:-1], chain[-2::-1]):
            arrow(
                (right - radius * 0.7, y_hidden - radius * 0.75),
                (left + radius * 0.7, y_hidden - radius * 0.75),
                colour=gradient_colour,
                linestyle="--",
                connectionstyle="arc3,rad=-0.35",
            )
        texts.append(
            ax.text(
                (x_h0 + xs[-1]) / 2,
                y_in - 1.3,
                "gradient flows back through every $W_{hh}$",
                ha="center",
                va="center",
                fontsize=8.5,
                color=gradient_colour,
            )
        )
    ax.set_xlim(-1.6 if show_folded else x_h0 - 0.8, xs[-1] + 0.8)
    ax.set_ylim(y_in - (1.6 if show_gradient else 1.1), y_out + 0.7)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return {"nodes": nodes, "arrows": arrows, "texts": texts}
