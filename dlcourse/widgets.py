"""One pattern for every explorer in the course.

A chapter writes, in plain sight, a function that draws one state of an idea::

    def draw(ax, w1, w2, b):
        ...  # draw the data and the perceptron's boundary for these weights

and declares the controls a reader may move, each over a *finite* set of values::

    explore(draw, w1=Slider(-2, 2, 0.5, value=1), w2=Slider(-2, 2, 0.5, value=1),
            b=Dropdown([-1, 0, 1], value=0))

The builder wires ipywidgets to ``draw``: it draws the initial state at once (so an executed
notebook and the book's page show a real figure), and redraws the same
:class:`matplotlib.figure.Figure` whenever a control moves. Because every control has finitely
many values, every state of an explorer can be listed (:meth:`Explorer.states`) and rendered
ahead of time.

Figures are made with the object-oriented API (no ``pyplot``), so explorers never touch global
matplotlib state or pop up duplicate figures.
"""

from __future__ import annotations

import inspect
import io
import itertools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ._validation import check_callable, check_int, check_scalar

__all__ = [
    "MAX_STATES",
    "Checkbox",
    "Control",
    "Dropdown",
    "Explorer",
    "Slider",
    "explore",
    "progress",
]

#: The most states one explorer may declare: every state must stay cheap to precompute.
MAX_STATES = 400


class Control:
    """A declared control: a finite, ordered set of values and a starting value.

    Subclasses decide how the control looks; :attr:`values` is what matters for the logic.
    """

    values: tuple
    labels: tuple[str, ...]
    value: Any
    description: str | None

    def __len__(self) -> int:
        return len(self.values)

    def index(self, value: Any) -> int:
        """Position of ``value`` in :attr:`values` (floats match to 1e-9)."""
        for i, v in enumerate(self.values):
            if v is value or _same(v, value):
                return i
        shown = ", ".join(self.labels[:8]) + (", ..." if len(self.labels) > 8 else "")
        raise ValueError(f"{value!r} is not one of this control's values ({shown}).")

    def make_widget(self, name: str):  # pragma: no cover - overridden
        raise NotImplementedError


def _same(a: Any, b: Any) -> bool:
    try:
        if isinstance(a, (int, float, np.number)) and isinstance(b, (int, float, np.number)):
            return not isinstance(b, bool) and abs(float(a) - float(b)) <= 1e-9
        return bool(a == b)
    except (TypeError, ValueError):
        return False


class Slider(Control):
    """A slider over ``min, min + step, ..., max``.

    Parameters
    ----------
    min, max : float
        The ends of the range (``min < max``); ``max - min`` must be a whole number of steps.
    step : float
        The distance between neighbouring values (> 0).
    value : float, optional
        The starting value (snapped to the grid); the middle of the range by default.
    description : str, optional
        The label shown next to the slider; the parameter's name by default.
    fmt : str, optional
        A format spec for the readout, e.g. ``".2f"``; by default the shortest exact form.

    Notes
    -----
    When ``min``, ``max`` and ``step`` are all integers the values are ``int``; otherwise they
    are floats rounded to 10 decimals, so ``0.1 + 0.2`` reads ``0.3``.
    """

    def __init__(
        self,
        min: float,
        max: float,
        step: float,
        value: float | None = None,
        *,
        description: str | None = None,
        fmt: str | None = None,
    ) -> None:
        lo = check_scalar(min, "min")
        hi = check_scalar(max, "max")
        step_ = check_scalar(step, "step", low=0.0, low_inclusive=False)
        if not lo < hi:
            raise ValueError(f"`min` must be smaller than `max`; got min={lo:g}, max={hi:g}.")
        n = (hi - lo) / step_
        if abs(n - round(n)) > 1e-6:
            raise ValueError(
                f"`max - min` ({hi - lo:g}) must be a whole number of `step`s ({step_:g})."
            )
        n = int(round(n))
        if n + 1 > MAX_STATES:
            raise ValueError(f"a slider may have at most {MAX_STATES} values; got {n + 1}.")
        integral = all(_is_integral(v) for v in (min, max, step))
        if integral:
            self.values = tuple(int(round(lo)) + k * int(round(step_)) for k in range(n + 1))
        else:
            self.values = tuple(round(lo + k * step_, 10) for k in range(n + 1))
        if fmt is not None and not isinstance(fmt, str):
            raise TypeError(f"`fmt` must be a format spec string such as '.2f'; got {fmt!r}.")
        self.labels = tuple(format(v, fmt) if fmt else f"{v:g}" for v in self.values)
        if value is None:
            self.value = self.values[len(self.values) // 2]
        else:
            value = check_scalar(value, "value")
            nearest = int(np.argmin([abs(v - value) for v in self.values]))
            if abs(self.values[nearest] - value) > step_ / 2 + 1e-9:
                raise ValueError(f"`value` must lie in [{lo:g}, {hi:g}]; got {value:g}.")
            self.value = self.values[nearest]
        self.description = _check_description(description)

    def __repr__(self) -> str:
        return (
            f"Slider({self.values[0]}, {self.values[-1]}, n={len(self.values)}, value={self.value})"
        )

    def make_widget(self, name: str):
        import ipywidgets as widgets

        return widgets.SelectionSlider(
            options=list(zip(self.labels, self.values)),
            value=self.value,
            description=self.description or name,
            continuous_update=True,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="320px"),
        )


class Dropdown(Control):
    """A choice among a few options.

    Parameters
    ----------
    options : sequence or mapping
        The values to choose from, or a mapping ``{label: value}`` (values may be any object,
        a function included).
    value : optional
        The starting value; the first option by default.
    description : str, optional
        The label shown next to the menu; the parameter's name by default.
    """

    def __init__(
        self, options: Sequence | Mapping, value: Any = None, *, description: str | None = None
    ) -> None:
        if isinstance(options, Mapping):
            labels, values = list(options.keys()), list(options.values())
            if not all(isinstance(label, str) for label in labels):
                raise TypeError("`options` given as a mapping must have string labels as keys.")
        elif isinstance(options, Sequence) and not isinstance(options, (str, bytes)):
            values = list(options)
            labels = [f"{v:g}" if isinstance(v, float) else str(v) for v in values]
        else:
            raise TypeError(
                f"`options` must be a list of values or a dict of label -> value; "
                f"got {type(options).__name__}."
            )
        if not values:
            raise ValueError("`options` must offer at least one value.")
        if len(values) > MAX_STATES:
            raise ValueError(f"`options` may have at most {MAX_STATES} values; got {len(values)}.")
        if len(set(labels)) != len(labels):
            raise ValueError(f"`options` must have distinct labels; got {labels}.")
        self.values, self.labels = tuple(values), tuple(labels)
        if value is None:
            self.value = self.values[0]
        else:
            try:
                self.value = self.values[self.index(value)]
            except ValueError as exc:
                raise ValueError(f"`value` must be one of the options: {exc}") from None
        self.description = _check_description(description)

    def __repr__(self) -> str:
        return f"Dropdown({list(self.labels)}, value={self.labels[self.index(self.value)]!r})"

    def make_widget(self, name: str):
        import ipywidgets as widgets

        return widgets.Dropdown(
            options=list(zip(self.labels, self.values)),
            value=self.value,
            description=self.description or name,
            style={"description_width": "initial"},
        )


class Checkbox(Control):
    """An on/off switch.

    Parameters
    ----------
    value : bool, default False
    description : str, optional
    """

    def __init__(self, value: bool = False, *, description: str | None = None) -> None:
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"`value` must be True or False; got {value!r}.")
        self.values, self.labels = (False, True), ("off", "on")
        self.value = bool(value)
        self.description = _check_description(description)

    def __repr__(self) -> str:
        return f"Checkbox(value={self.value})"

    def make_widget(self, name: str):
        import ipywidgets as widgets

        return widgets.Checkbox(
            value=self.value, description=self.description or name, indent=False
        )


def _is_integral(x: Any) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


def _check_description(description: Any) -> str | None:
    if description is not None and not isinstance(description, str):
        raise TypeError(f"`description` must be a string; got {type(description).__name__}.")
    return description


class Explorer:
    """A figure driven by controls: the live version is an ipywidget.

    Build it with :func:`explore`. Displaying it (as the last expression of a cell) shows the
    controls above the figure.

    Attributes
    ----------
    name : str
        Identifies the explorer in messages (the draw function's name by default).
    controls : dict of str -> Control
        The declared controls, in display order.
    figure : matplotlib.figure.Figure
        The one figure every state is drawn on.
    """

    def __init__(
        self,
        draw: Callable,
        controls: Mapping[str, Control],
        *,
        nrows: int = 1,
        ncols: int = 1,
        figsize: tuple[float, float] = (6.0, 4.0),
        dpi: int = 100,
        name: str | None = None,
    ) -> None:
        self.draw = check_callable(draw, "draw")
        self.name = name if name is not None else getattr(draw, "__name__", "explorer")
        if not isinstance(self.name, str):
            raise TypeError(f"`name` must be a string; got {type(self.name).__name__}.")
        if not isinstance(controls, Mapping):
            raise TypeError(
                f"explorer {self.name!r}: `controls` must map names to controls; "
                f"got {type(controls).__name__}."
            )
        if not controls:
            raise ValueError(f"explorer {self.name!r}: `controls` is empty; declare at least one.")
        for key, control in controls.items():
            if not isinstance(control, Control):
                raise TypeError(
                    f"explorer {self.name!r}: control `{key}` must be a Slider, Dropdown or "
                    f"Checkbox; got {type(control).__name__}."
                )
        self.controls = dict(controls)
        _check_signature(self.draw, self.controls, self.name)
        self.nrows = check_int(nrows, "nrows", low=1, high=6)
        self.ncols = check_int(ncols, "ncols", low=1, high=6)
        if not isinstance(figsize, (tuple, list)) or len(figsize) != 2:
            raise TypeError(f"`figsize` must be (width, height) in inches; got {figsize!r}.")
        self.figsize = tuple(check_scalar(v, "figsize", low=1.0, high=30.0) for v in figsize)
        self.dpi = check_int(dpi, "dpi", low=30, high=300)
        if self.n_states > MAX_STATES:
            sizes = " x ".join(f"{len(c)} ({k})" for k, c in self.controls.items())
            raise ValueError(
                f"explorer {self.name!r} declares {self.n_states} states ({sizes}); at most "
                f"{MAX_STATES} are allowed so that every state can be precomputed. Use fewer "
                f"values per control (a coarser `step`) or fewer controls."
            )
        self.figure = Figure(figsize=self.figsize, dpi=self.dpi, layout="constrained")
        FigureCanvasAgg(self.figure)
        self._widget = None
        self._sliders: dict[str, Any] = {}
        self._image = None
        self._error = None
        self._layout: list | None = None  # axes positions of the initial state (see _place)

    # -- the logic: states and rendering -------------------------------------------------
    @property
    def n_states(self) -> int:
        """How many combinations of control values there are."""
        return math.prod(len(c) for c in self.controls.values())

    @property
    def values(self) -> dict[str, Any]:
        """The current value of every control."""
        if self._widget is not None:
            return {k: w.value for k, w in self._sliders.items()}
        return {k: c.value for k, c in self.controls.items()}

    def states(self) -> Iterator[dict[str, Any]]:
        """Every combination of control values, the last control varying fastest."""
        keys = list(self.controls)
        for combo in itertools.product(*(self.controls[k].values for k in keys)):
            yield dict(zip(keys, combo))

    def draw_state(self, **values: Any) -> Figure:
        """Clear the figure and draw the state given by ``values`` (missing ones: current).

        Returns
        -------
        matplotlib.figure.Figure
            :attr:`figure`, drawn.
        """
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(
                f"explorer {self.name!r} has no control named {sorted(unknown)}; "
                f"its controls are {list(self.controls)}."
            )
        state = {**self.values, **values}
        for key, value in state.items():
            self.controls[key].index(value)  # raises for a value outside the grid
        self.figure.clear()
        axes = self.figure.subplots(self.nrows, self.ncols, squeeze=True)
        self.draw(axes, **state)
        return self.figure

    def render_pixels(self, **values: Any) -> np.ndarray:
        """Draw a state and return its pixels.

        Returns
        -------
        numpy.ndarray of shape (height, width, 3), dtype uint8
            The RGB image (at most 128 distinct colours), the same for the same state
            every time.
        """
        from PIL import Image

        # Unhinted text renders about 8% faster and looks the same at screen resolution;
        # rc_context restores the reader's settings at once.
        with matplotlib.rc_context({"text.hinting": "no_hinting"}):
            self._place(values)
            self.figure.canvas.draw()
        rgb = Image.fromarray(np.asarray(self.figure.canvas.buffer_rgba())[..., :3])
        # An adaptive palette of 128 colours: invisible on a plot (a mean change of about one
        # level in 255), and it makes the images a third smaller, which matters when the
        # book stores every state of every explorer in the page.
        palette = rgb.quantize(
            colors=128, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
        )
        return np.asarray(palette.convert("RGB"))

    def _place(self, values: Mapping[str, Any]) -> None:
        """Draw a state on one layout shared by every state.

        Constrained layout (which keeps labels from overlapping) costs about 40% of a redraw,
        so it is computed once per explorer, not per state: for the initial state and for
        each control at its two ends, keeping for every axes the box that fits all of them
        (the widest tick labels seen get their room). The panels then stay still while a
        control moves. A state that draws a different number of axes (a colorbar that
        comes and goes) gets a constrained layout of its own.
        """
        if self._layout is None:
            self._layout = self._shared_layout()
        self.figure.set_layout_engine("none")
        self.draw_state(**values)
        if len(self.figure.axes) == len(self._layout):
            for ax, position in zip(self.figure.axes, self._layout):
                ax.set_position(position)
        else:
            self.figure.set_layout_engine("constrained")

    def _shared_layout(self) -> list:
        from matplotlib.transforms import Bbox

        initial = {k: c.value for k, c in self.controls.items()}
        samples = [initial]
        for key, control in self.controls.items():
            for value in (control.values[0], control.values[-1]):
                sample = {**initial, key: value}
                if sample not in samples:
                    samples.append(sample)
        boxes: list[list] = []
        for k, sample in enumerate(samples):
            self.figure.set_layout_engine("constrained")
            try:
                self.draw_state(**sample)
                self.figure.canvas.draw()
            except Exception:
                if k == 0:
                    raise  # the initial state must draw
                continue  # that state's error is shown when a reader gets there
            positions = [ax.get_position(original=True) for ax in self.figure.axes]
            if not boxes or len(positions) == len(boxes[0]):
                boxes.append(positions)
        return [
            Bbox.from_extents(
                max(b.x0 for b in column),
                max(b.y0 for b in column),
                min(b.x1 for b in column),
                min(b.y1 for b in column),
            )
            for column in zip(*boxes)
        ]

    def render(self, **values: Any) -> bytes:
        """Draw a state and return it as PNG bytes (the same bytes every time)."""
        from PIL import Image

        buffer = io.BytesIO()
        Image.fromarray(self.render_pixels(**values)).save(buffer, format="PNG")
        return buffer.getvalue()

    # -- the live widget -------------------------------------------------------------------
    @property
    def widget(self):
        """The ipywidgets box (controls above the figure), built and drawn on first use."""
        if self._widget is None:
            self._build()
        return self._widget

    def _build(self) -> None:
        import ipywidgets as widgets

        self._sliders = {k: c.make_widget(k) for k, c in self.controls.items()}
        self._image = widgets.Image(
            format="png",
            value=self.render(),
            layout=widgets.Layout(max_width="100%", height="auto"),
        )
        self._error = widgets.HTML(value="")
        for control in self._sliders.values():
            control.observe(self._on_change, names="value")
        box = widgets.HBox(
            list(self._sliders.values()),
            layout=widgets.Layout(flex_flow="row wrap", grid_gap="4px 16px"),
        )
        self._widget = widgets.VBox([box, self._image, self._error])

    def _on_change(self, change: Mapping[str, Any]) -> None:
        try:
            self._image.value = self.render()
            self._error.value = ""
        except Exception as exc:  # shown to the reader rather than lost in a log
            self._error.value = (
                f"<pre style='color:#D55E00'>draw failed for {self.values}: "
                f"{type(exc).__name__}: {exc}</pre>"
            )

    def set(self, **values: Any) -> None:
        """Move controls programmatically, as a reader would (redraws once per control)."""
        if self._widget is None:
            self._build()
        for key, value in values.items():
            if key not in self._sliders:
                raise ValueError(f"explorer {self.name!r} has no control named {key!r}.")
            self._sliders[key].value = self.controls[key].values[self.controls[key].index(value)]

    @property
    def image(self) -> bytes:
        """The PNG bytes currently shown by the live widget."""
        if self._widget is None:
            self._build()
        return bytes(self._image.value)

    def __repr__(self) -> str:
        return (
            f"<Explorer {self.name!r}: {len(self.controls)} controls, "
            f"{self.n_states} states; run the notebook to move them>"
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        from . import static_explorer

        if static_explorer.enabled():  # the book build: a kernel-free HTML/JS explorer
            return {"text/html": static_explorer.to_html(self), "text/plain": repr(self)}
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude)
        bundle["text/plain"] = repr(self)
        return bundle


def _check_signature(draw: Callable, controls: Mapping[str, Control], name: str) -> None:
    try:
        params = inspect.signature(draw).parameters
    except (TypeError, ValueError):  # builtins without a signature: trust the caller
        return
    accepts_kwargs = any(p.kind is p.VAR_KEYWORD for p in params.values())
    names = list(params)
    if not names:
        raise TypeError(f"explorer {name!r}: `draw` must take the axes as its first argument.")
    missing = [k for k in controls if k not in names[1:] and not accepts_kwargs]
    if missing:
        raise TypeError(
            f"explorer {name!r}: `draw` has no parameter named {missing}; declare `controls` "
            f"that match its parameters {names[1:]}."
        )
    required = [
        p.name
        for p in list(params.values())[1:]
        if p.default is p.empty and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]
    unset = [k for k in required if k not in controls]
    if unset:
        raise TypeError(f"explorer {name!r}: `draw` needs {unset} but no control sets it.")


def explore(
    draw: Callable,
    *,
    nrows: int = 1,
    ncols: int = 1,
    figsize: tuple[float, float] = (6.0, 4.0),
    dpi: int = 100,
    name: str | None = None,
    **controls: Control,
) -> Explorer:
    """Build an explorer for ``draw`` with the given controls.

    Parameters
    ----------
    draw : callable
        ``draw(ax, **values)`` draws one state on ``ax``: a single Axes, or an array of shape
        ``(nrows, ncols)`` (squeezed) when the figure has several panels.
    nrows, ncols : int, default 1
        The grid of panels.
    figsize : (float, float), default (6, 4)
        Figure size in inches.
    dpi : int, default 100
        Resolution of the rendered figure.
    name : str, optional
        How messages refer to the explorer; ``draw.__name__`` by default.
    **controls : Slider, Dropdown or Checkbox
        One per parameter of ``draw`` after ``ax``. At most :data:`MAX_STATES` combinations.

    Returns
    -------
    Explorer
        Display it (last expression of a cell) to show the live widget.

    Examples
    --------
    >>> def draw(ax, slope):
    ...     ax.plot([0, 1], [0, slope])
    >>> explorer = explore(draw, slope=Slider(-2, 2, 0.5, value=1))
    >>> explorer.n_states
    9
    """
    return Explorer(draw, controls, nrows=nrows, ncols=ncols, figsize=figsize, dpi=dpi, name=name)


def progress(iterable=None, **kwargs):
    """A ``tqdm.auto`` progress bar, left out of the static website.

    In JupyterLab, Binder and Colab this is exactly ``tqdm.auto.tqdm(iterable, **kwargs)``. In
    the book build (see :mod:`dlcourse.static_explorer`) the bar is disabled: a finished bar on
    a static page tells the reader nothing, and it would need widget JavaScript.

    Parameters
    ----------
    iterable : iterable, optional
    **kwargs
        Passed to ``tqdm`` (``total``, ``desc``, ``unit``, ...).
    """
    from tqdm.auto import tqdm

    from . import static_explorer

    kwargs.setdefault("disable", static_explorer.enabled())
    return tqdm(iterable, **kwargs)
