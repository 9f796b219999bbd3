"""One pattern for every explorer in the course: ``explore(draw, **controls)``.

A chapter writes a visible ``draw(ax, **values)`` that draws one state, and declares controls
over *finite* sets of values, e.g. ``explore(draw, w=Slider(-2, 2, 0.5), b=Dropdown([0, 1]))``.
Live (JupyterLab, Binder, Colab, nbval) it is an ipywidget; a state once drawn is kept as PNG
bytes, and redraws run in a background thread that draws only the *latest* state asked for, so
a fast-dragged slider never queues redraws. From the moment an explorer is displayed,
low-priority processes draw the states next to the one shown while the reader looks at it (see
:class:`_Prefetch`). In :func:`precomputed_mode` (the book build) every state is drawn ahead of
time into the kernel-free HTML of :mod:`dlcourse.static_explorer`.
Figures use the object-oriented API: explorers never touch global matplotlib state.
"""

from __future__ import annotations

import gc
import html
import inspect
import io
import itertools
import math
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from . import static_explorer
from ._validation import check_callable, check_int, check_scalar
from .reproducibility import fair_thread_count, set_threads

__all__ = ["MAX_STATES", "PRECOMPUTED_ENV", "Checkbox", "Control", "Dropdown", "Explorer",
           "Slider", "explore", "precomputed_mode", "progress"]  # fmt: skip

#: The most states one explorer may declare: every state must stay cheap to precompute.
MAX_STATES = 400
#: Settings every state is drawn with. Unhinted text renders faster and looks the same at
#: screen resolution; a title at a fixed height spares matplotlib measuring every tick label
#: to see whether the title must move up (it never must here: no explorer has ticks on top).
_RC = {"text.hinting": "no_hinting", "axes.titley": 1.0}
#: The switch between live and precomputed explorers: an environment variable, because the
#: kernels that execute the chapters are processes started by the build and inherit it.
PRECOMPUTED_ENV = "DLCOURSE_STATIC_EXPLORERS"


def precomputed_mode() -> bool:
    """Whether explorers render as precomputed HTML (the book build), not live widgets.

    True when the environment variable :data:`PRECOMPUTED_ENV` is ``"1"``: set by
    :mod:`dlcourse.sphinxext` when a build starts, and by any script that executes chapters for
    the build (before it starts the kernels). Nothing else in :mod:`dlcourse` reads it.
    """
    return os.environ.get(PRECOMPUTED_ENV, "") == "1"


# -- controls -------------------------------------------------------------------------------


class Control:
    """A finite, ordered set of values with labels and a starting value.

    A control type is one subclass: it sets ``values``, ``labels``, ``value`` and
    ``description`` and draws itself live (:meth:`widget`) and on the static page (:meth:`html`).
    """

    values: tuple
    labels: tuple[str, ...]
    value: Any
    description: str | None

    def __len__(self) -> int:
        return len(self.values)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self.labels)}, value={self.value!r})"

    def index(self, value: Any) -> int:
        """Position of ``value`` in :attr:`values` (floats match to 1e-9)."""
        for i, v in enumerate(self.values):
            if v is value or _same(v, value):
                return i
        shown = ", ".join(self.labels[:8]) + (", ..." if len(self.labels) > 8 else "")
        raise ValueError(f"{value!r} is not one of this control's values ({shown}).")

    def widget(self, name: str):
        """The ipywidget for this control; its ``value`` is one of :attr:`values`."""
        raise NotImplementedError

    def html(self, k: int, index: int, label: str) -> str:
        """The static input of control ``k`` at value ``index``, labelled ``label`` (HTML).

        It carries ``data-dlx-control="k"`` and its ``value`` is the index (checkbox: checked).
        """
        raise NotImplementedError


def _same(a: Any, b: Any) -> bool:
    try:
        if isinstance(a, (int, float, np.number)) and isinstance(b, (int, float, np.number)):
            return not isinstance(b, bool) and abs(float(a) - float(b)) <= 1e-9
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def _check_description(description: Any) -> str | None:
    if description is not None and not isinstance(description, str):
        raise TypeError(f"`description` must be a string; got {type(description).__name__}.")
    return description


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

    def __init__(self, min: float, max: float, step: float, value: float | None = None, *,
                 description: str | None = None, fmt: str | None = None) -> None:  # fmt: skip
        lo, hi = check_scalar(min, "min"), check_scalar(max, "max")
        step_ = check_scalar(step, "step", low=0.0, low_inclusive=False)
        if not lo < hi:
            raise ValueError(f"`min` must be smaller than `max`; got min={lo:g}, max={hi:g}.")
        n = (hi - lo) / step_
        if abs(n - round(n)) > 1e-6:
            raise ValueError(f"`max - min` ({hi - lo:g}) must be a whole number of `step`s "
                             f"({step_:g}).")  # fmt: skip
        n = int(round(n))
        if n + 1 > MAX_STATES:
            raise ValueError(f"a slider may have at most {MAX_STATES} values; got {n + 1}.")
        if all(
            isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in (min, max, step)
        ):
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

    def widget(self, name: str):
        import ipywidgets as widgets

        return widgets.SelectionSlider(
            options=list(zip(self.labels, self.values)), value=self.value,
            description=self.description or name, style={"description_width": "initial"},
            continuous_update=True,  # the explorer coalesces redraws (see _Latest)
            layout=widgets.Layout(width="320px"))  # fmt: skip

    def html(self, k: int, index: int, label: str) -> str:
        return (
            f"<label>{label}"
            f'<input type="range" data-dlx-control="{k}" min="0" max="{len(self) - 1}" '
            f'step="1" value="{index}">'
            f'<span class="dlx-readout" data-dlx-readout="{k}">'
            f"{html.escape(self.labels[index])}</span></label>"
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
            raise TypeError(f"`options` must be a list of values or a dict of label -> value; "
                            f"got {type(options).__name__}.")  # fmt: skip
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

    def widget(self, name: str):
        import ipywidgets as widgets

        return widgets.Dropdown(options=list(zip(self.labels, self.values)), value=self.value,
                                description=self.description or name,
                                style={"description_width": "initial"})  # fmt: skip

    def html(self, k: int, index: int, label: str) -> str:
        options = "".join(
            f'<option value="{i}"{" selected" if i == index else ""}>{html.escape(text)}</option>'
            for i, text in enumerate(self.labels)
        )
        return f'<label>{label}<select data-dlx-control="{k}">{options}</select></label>'


class Checkbox(Control):
    """An on/off switch.

    Parameters
    ----------
    value : bool, default False
        The starting state.
    description : str, optional
        The label shown next to the box; the parameter's name by default.
    """

    def __init__(self, value: bool = False, *, description: str | None = None) -> None:
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"`value` must be True or False; got {value!r}.")
        self.values, self.labels = (False, True), ("off", "on")
        self.value = bool(value)
        self.description = _check_description(description)

    def widget(self, name: str):
        import ipywidgets as widgets

        return widgets.Checkbox(
            value=self.value, description=self.description or name, indent=False
        )

    def html(self, k: int, index: int, label: str) -> str:
        checked = " checked" if index else ""
        return f'<label><input type="checkbox" data-dlx-control="{k}"{checked}>{label}</label>'


# -- redraws that never queue -----------------------------------------------------------------


class _Latest:
    """Run ``work(item)`` in a background thread on the latest item requested only.

    Requests arriving while ``work`` runs replace one another (nothing queues); :meth:`wait`
    blocks until all is done.
    """

    _NOTHING = object()

    def __init__(self, work: Callable[[Any], None]) -> None:
        self._work, self._pending, self._thread = work, self._NOTHING, None
        self._lock, self._idle = threading.Lock(), threading.Event()
        self._idle.set()

    def request(self, item: Any) -> None:
        with self._lock:
            self._pending = item
            if self._thread is None:
                self._idle.clear()
                self._thread = threading.Thread(target=self._run, daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                item, self._pending = self._pending, self._NOTHING
                if item is self._NOTHING:
                    self._thread = None
                    self._idle.set()
                    return
            self._work(item)

    def wait(self) -> None:
        self._idle.wait()


# -- drawing ahead, while the reader looks ------------------------------------------------------


class _Prefetch:
    """Draw the states nearest the one shown in forked, low-priority processes (Linux only).

    A reader mostly moves one control at a time, so the states that differ from the current one
    in one control come first, then two, and so on. Each child is a copy of the kernel made when
    the explorer is displayed or a control moves (the explorer, its data and its states
    included); there is one per core the kernel may use (:func:`fair_thread_count`: a kernel
    waiting for its reader leaves its cores idle), each with one thread for torch and BLAS, at
    the lowest CPU priority, so they yield to everything else. The children share one table of
    the states taken, so no state is drawn twice; each sends its states' PNGs back through a
    pipe, follows the reader's moves, and stops when every state is drawn, when another
    explorer starts drawing ahead, or when a cell runs (the kernel then needs the cores).
    """

    current: _Prefetch | None = None  # at most one per kernel

    def __init__(self, explorer: Explorer, key: tuple) -> None:
        if _Prefetch.current is not None:
            _Prefetch.current.stop()
        _Prefetch.current, self.explorer = self, explorer
        fork = multiprocessing.get_context("fork")
        self._index = {k: i for i, k in enumerate(_keys(explorer))}
        self._taken = fork.Array("b", len(self._index))  # states drawn, or being drawn
        for k in [*explorer._pngs, key]:  # the kernel draws the state the reader is on
            self._taken[self._index[k]] = 1
        children = min(fair_thread_count(), len(self._index) - sum(self._taken))
        self._conns, self._processes = [], []
        with explorer._drawing:  # fork while no state is being drawn on this figure
            for _ in range(children):
                conn, child = multiprocessing.Pipe()
                args = (explorer, key, child, self._taken)
                process = fork.Process(target=self._draw_ahead, args=args, daemon=True)
                process.start()
                child.close()
                self._conns.append(conn)
                self._processes.append(process)
        self._receiver = threading.Thread(target=self._receive, daemon=True)
        self._receiver.start()
        _when_a_cell_runs()

    @staticmethod
    def allowed() -> bool:
        return sys.platform == "linux" and not precomputed_mode()

    def move(self, key: tuple) -> None:
        """The reader moved to ``key``: the kernel draws it; the children draw around it."""
        self._taken.get_obj()[self._index[key]] = 1  # no lock: the kernel never waits
        for conn in self._conns:
            try:
                conn.send(key)
            except OSError:  # that child has finished
                pass

    def stop(self) -> None:
        for process in self._processes:
            if process.is_alive():
                process.terminate()
            process.join()  # its pipe then ends; the receiving thread stops after the last
        if _Prefetch.current is self:
            _Prefetch.current = None

    def _receive(self) -> None:
        from multiprocessing.connection import wait

        open_ = list(self._conns)
        while open_:
            for conn in wait(open_):
                try:
                    key, png = conn.recv()
                except (EOFError, OSError):
                    open_.remove(conn)
                    conn.close()
                    continue
                self.explorer._pngs.setdefault(key, png)
                self.explorer._arrived(key)

    @staticmethod
    def _draw_ahead(explorer: Explorer, key: tuple, conn, taken) -> None:
        from matplotlib.backends.backend_agg import RendererAgg
        from matplotlib.mathtext import MathTextParser

        os.nice(19)
        sys.stdout = sys.stderr = open(os.devnull, "w")  # the kernel's streams are not ours
        set_threads(1)
        RendererAgg.lock = threading.RLock()  # locks held by other threads at the fork
        # Formulas parsed before the fork hold fonts whose open file (and its read position)
        # every process shares: two reading glyphs at once garble them. Parse afresh.
        MathTextParser._parse_cached.cache_clear()
        gc.freeze()  # the kernel's objects: out of collections, which would visit (and copy) them
        explorer._drawing = threading.RLock()
        parent, keys = os.getppid(), _keys(explorer)
        while os.getppid() == parent:
            while conn.poll():
                key = conn.recv()
            with taken.get_lock():  # take the nearest state no other child has taken
                todo = [i for i, taken_ in enumerate(taken.get_obj()) if not taken_]
                if not todo:
                    return
                nearest = min(todo, key=lambda i: _distance(keys[i], key))
                taken[nearest] = 1
            values = dict(zip(explorer.controls, _values(explorer, keys[nearest])))
            try:
                png = explorer.render(**values)
            except Exception:  # the kernel shows the error if the reader goes there
                continue
            conn.send((keys[nearest], png))


def _recycle_ticks(old, new) -> None:
    """Give the fresh axes ``new`` the ticks of ``old`` (the previous state's), reset.

    Making a tick (two lines, a grid line, two labels) takes 0.4 ms on a fast machine, and a
    state starts on fresh axes that need a dozen ticks or more. A recycled tick is reset to
    the new axis's own fresh first tick, as matplotlib resets every tick it adds
    (``Axis._copy_tick_props``), plus the label properties that it does not copy (checked in
    ``tests/test_widgets.py``), so a state looks the same, pixel for pixel, whichever state
    was drawn before it. A state of a plot with many ticks costs up to 25% less; an image
    without axes, nothing. ``_copy_tick_props`` is private: should a later matplotlib change
    it, a tick that cannot be reset is not reused, and new ticks are made as before.
    """
    if type(old) is not type(new):
        return
    for old_axis, axis in ((old.xaxis, new.xaxis), (old.yaxis, new.yaxis)):
        for ticks, spare in ((axis.majorTicks, old_axis.majorTicks),
                             (axis.minorTicks, old_axis.minorTicks)):  # fmt: skip
            first = ticks[0]  # made with the new axes: the pristine tick
            for tick in spare[1:]:  # the new axis made its own first tick: the rest are reused
                if type(tick) is not type(first):
                    break
                try:
                    tick.axes = None  # an artist's axes can only be set while it has none
                    tick.axes = new
                    axis._copy_tick_props(first, tick)
                    for label, pristine in zip(
                        (tick.label1, tick.label2), (first.label1, first.label2)
                    ):
                        label.set(
                            rotation_mode=pristine.get_rotation_mode(),
                            bbox=None,
                            wrap=pristine.get_wrap(),
                            zorder=pristine.get_zorder(),
                        )
                except (AttributeError, TypeError, ValueError):
                    return  # not reset: not reused (the axes makes new ticks when it needs them)
                ticks.append(tick)


def _keys(explorer: Explorer) -> list[tuple]:
    """Every state's key (its values' indices), in the order of :meth:`Explorer.states`."""
    return list(itertools.product(*(range(len(c)) for c in explorer.controls.values())))


def _distance(a: tuple, b: tuple) -> tuple[int, int]:
    """How far state ``a`` is from ``b``: controls that differ, then steps along them."""
    return sum(i != j for i, j in zip(a, b)), sum(abs(i - j) for i, j in zip(a, b))


def _values(explorer: Explorer, key: tuple) -> list:
    return [c.values[i] for c, i in zip(explorer.controls.values(), key)]


def _when_a_cell_runs() -> bool:
    """Have IPython call :func:`_a_cell_runs` before each cell; False outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    if _a_cell_runs not in shell.events.callbacks["pre_run_cell"]:
        shell.events.register("pre_run_cell", _a_cell_runs)
    return True


def _freeze_while_exploring() -> None:
    """Leave the kernel's objects out of garbage collections until a cell runs.

    A chapter's kernel tracks about 400,000 objects (torch, matplotlib, IPython). A full
    collection visits every one of them (0.3 s on a fast machine) and falls every 10 to 13
    states drawn, in the middle of a reader's move. From the reader's first move, what the
    kernel held is frozen (:func:`gc.freeze`); each draw's own garbage is still collected.
    Outside IPython nothing is frozen: no cell would give the objects back.
    """
    global _frozen
    if not _frozen and _when_a_cell_runs():
        gc.freeze()
        _frozen = True


_frozen = False  # whether _freeze_while_exploring froze the kernel's objects


def _a_cell_runs(*_: Any) -> None:
    """A cell is about to run: the kernel needs its cores and its full collections back."""
    global _frozen
    if _Prefetch.current is not None:
        _Prefetch.current.stop()
    if _frozen:
        gc.unfreeze()
        _frozen = False


# -- the explorer -----------------------------------------------------------------------------


class Explorer:
    """A figure driven by controls (build it with :func:`explore`).

    Attributes
    ----------
    name : str
        Identifies the explorer in messages (the draw function's name by default).
    controls : dict of str -> Control
        The declared controls, in display order.
    figure : matplotlib.figure.Figure
        The figure every state is drawn on.
    """

    def __init__(self, draw: Callable, controls: Mapping[str, Control], *, nrows: int = 1,
                 ncols: int = 1, figsize: tuple[float, float] = (6.0, 4.0), dpi: int = 100,
                 name: str | None = None) -> None:  # fmt: skip
        self.draw = check_callable(draw, "draw")
        self.name = name if name is not None else getattr(draw, "__name__", "explorer")
        if not isinstance(self.name, str):
            raise TypeError(f"`name` must be a string; got {type(self.name).__name__}.")
        if not isinstance(controls, Mapping):
            raise TypeError(f"explorer {self.name!r}: `controls` must map names to controls.")
        if not controls:
            raise ValueError(f"explorer {self.name!r}: `controls` is empty; declare at least one.")
        for key, c in controls.items():
            if not isinstance(c, Control):
                raise TypeError(f"explorer {self.name!r}: control `{key}` must be a Slider, "
                                f"Dropdown or Checkbox; got {type(c).__name__}.")  # fmt: skip
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
            raise ValueError(f"explorer {self.name!r} declares {self.n_states} states "
                             f"({sizes}); at most {MAX_STATES} can be precomputed.")  # fmt: skip
        self.figure = Figure(figsize=self.figsize, dpi=self.dpi, layout="constrained")
        FigureCanvasAgg(self.figure)
        self._drawing = threading.RLock()  # one state at a time on the figure
        self._pngs: dict[tuple, bytes] = {}  # state key -> PNG, for states already drawn
        self._layout: list | None = None  # axes positions shared by every state (see _place)
        self._widget, self._fields = None, {}
        self._redraws, self._showing = _Latest(self._show), threading.Condition()
        self._shown: tuple | None = None  # the key of the state the widget shows

    # -- states and rendering -------------------------------------------------------------
    @property
    def n_states(self) -> int:
        """How many combinations of control values there are."""
        return math.prod(len(c) for c in self.controls.values())

    @property
    def values(self) -> dict[str, Any]:
        """The current value of every control."""
        if self._widget is not None:
            return {k: w.value for k, w in self._fields.items()}
        return {k: c.value for k, c in self.controls.items()}

    def states(self) -> Iterator[dict[str, Any]]:
        """Every combination of control values, the last control varying fastest."""
        keys = list(self.controls)
        for combo in itertools.product(*(self.controls[k].values for k in keys)):
            yield dict(zip(keys, combo))

    def _state(self, values: Mapping[str, Any]) -> tuple[dict, tuple]:
        """The full state (missing values: current) and its key, the values' indices."""
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            raise ValueError(f"explorer {self.name!r} has no control named {unknown}; "
                             f"its controls are {list(self.controls)}.")  # fmt: skip
        state = {**self.values, **values}
        return state, tuple(self.controls[k].index(v) for k, v in state.items())

    def _draw(self, state: Mapping[str, Any]) -> None:
        previous = self.figure.axes[: self.nrows * self.ncols]
        for ax in self.figure.axes:  # removed first: figure.clear() would clear each in vain
            self.figure.delaxes(ax)
        self.figure.clear()
        axes = self.figure.subplots(self.nrows, self.ncols, squeeze=True)
        for old, new in zip(previous, self.figure.axes):
            _recycle_ticks(old, new)
        self.draw(axes, **state)

    def render_pixels(self, **values: Any) -> np.ndarray:
        """Draw a state; its RGB pixels, (height, width, 3) uint8, the same every time.

        The image has at most 128 colours: invisible on a plot, and a third smaller when the
        book stores every state of every explorer in the page.
        """
        return np.asarray(self._paletted(values).convert("RGB"))

    def render(self, **values: Any) -> bytes:
        """Draw a state and return it as PNG bytes (the same bytes every time; kept)."""
        _, key = self._state(values)
        if key not in self._pngs:
            buffer = io.BytesIO()  # a palette PNG: 3 times faster to write than RGB, half the size
            self._paletted(values).save(buffer, format="PNG")
            self._pngs[key] = buffer.getvalue()
        return self._pngs[key]

    def _paletted(self, values: Mapping[str, Any]):
        """Draw a state; a PIL image of at most 128 colours (a palette image)."""
        from PIL import Image

        state, _ = self._state(values)
        with self._drawing:
            with matplotlib.rc_context(_RC):
                self._place(state)
                self.figure.canvas.draw()
            rgb = Image.fromarray(np.asarray(self.figure.canvas.buffer_rgba())[..., :3])
        return rgb.quantize(colors=128, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)

    def _place(self, state: Mapping[str, Any]) -> None:
        """Draw a state on one layout shared by all (constrained layout costs 40% of a draw).

        The layout fits the initial state and each control at its ends; a state with another
        number of axes (a colorbar that comes and goes) gets a constrained layout of its own.
        """
        if self._layout is None:
            self._layout = self._shared_layout()
        self.figure.set_layout_engine("none")
        self._draw(state)
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
            samples += [{**initial, key: v} for v in (control.values[0], control.values[-1])]
        samples = [s for i, s in enumerate(samples) if s not in samples[:i]]
        boxes: list[list] = []
        for k, sample in enumerate(samples):
            self.figure.set_layout_engine("constrained")
            try:
                self._draw(sample)
                self.figure.draw_without_rendering()  # the layout, no pixels
            except Exception:
                if k == 0:
                    raise  # the initial state must draw
                continue  # that state's error is shown when a reader gets there
            positions = [ax.get_position(original=True) for ax in self.figure.axes]
            if not boxes or len(positions) == len(boxes[0]):
                boxes.append(positions)
        return [
            Bbox.from_extents(*np.max([b.p0 for b in col], 0), *np.min([b.p1 for b in col], 0))
            for col in zip(*boxes)
        ]

    # -- the live widget ------------------------------------------------------------------
    @property
    def widget(self):
        """The ipywidgets box (controls above the figure), built and drawn on first use."""
        if self._widget is None:
            import ipywidgets as widgets

            fields = {k: c.widget(k) for k, c in self.controls.items()}
            layout = widgets.Layout(max_width="100%", height="auto")
            self._image = widgets.Image(format="png", value=self.render(), layout=layout)
            self._shown = self._state({})[1]
            self._error = widgets.HTML(value="")
            for field in fields.values():
                field.observe(self._on_change, names="value")
            box = widgets.HBox(
                list(fields.values()),
                layout=widgets.Layout(flex_flow="row wrap", grid_gap="4px 16px"),
            )
            self._fields = fields
            self._widget = widgets.VBox([box, self._image, self._error])
        return self._widget

    def _on_change(self, change: Mapping[str, Any]) -> None:
        _freeze_while_exploring()
        state, key = self._state({})
        if key in self._pngs:  # drawn before: show it at once
            self._show(state)
        else:  # drawn in the background; only the latest request waits
            self._redraws.request(state)
        self._draw_ahead_around(key)

    def _draw_ahead_around(self, key: tuple) -> None:
        """Draw the states nearest ``key`` ahead, while the reader looks at the figure."""
        if _Prefetch.current is not None and _Prefetch.current.explorer is self:
            _Prefetch.current.move(key)
        elif _Prefetch.allowed() and len(self._pngs) < self.n_states:
            _Prefetch(self, key)

    def _arrived(self, key: tuple) -> None:
        """A state drawn ahead arrived: show it if the reader is waiting for it."""
        state, current = self._state({})
        if current == key and self._shown != key:
            self._show(state)

    def _show(self, state: dict) -> None:
        key = self._state(state)[1]
        png, error = None, ""
        try:
            png = self.render(**state)
        except Exception as exc:  # shown to the reader rather than lost in a log
            error = f"<pre style='color:#D55E00'>draw failed for {state}: {exc!r}</pre>"
        with self._showing:
            if self._state({})[1] != key:
                return  # the reader has moved on: that state is shown or being drawn
            if png is not None:
                self._image.value = png
            self._error.value, self._shown = error, key
            self._showing.notify_all()

    def _wait_shown(self) -> None:
        with self._showing:
            self._showing.wait_for(lambda: self._shown == self._state({})[1])

    def set(self, **values: Any) -> None:
        """Move controls as a reader would, and wait until the figure shows the result."""
        self.widget  # noqa: B018 - built on first use
        for key, value in values.items():
            if key not in self.controls:
                raise ValueError(f"explorer {self.name!r} has no control named {key!r}.")
            self._fields[key].value = self.controls[key].values[self.controls[key].index(value)]
        self._wait_shown()

    @property
    def image(self) -> bytes:
        """The PNG bytes the live widget shows now."""
        self.widget  # noqa: B018 - built on first use
        self._wait_shown()
        return bytes(self._image.value)

    def __repr__(self) -> str:
        n, states = len(self.controls), self.n_states
        return f"<Explorer {self.name!r}: {n} controls, {states} states; run the notebook>"

    def _repr_mimebundle_(self, include=None, exclude=None):
        if precomputed_mode():  # the book build: a kernel-free HTML/JS explorer
            return {"text/html": static_explorer.to_html(self), "text/plain": repr(self)}
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude)
        bundle["text/plain"] = repr(self)
        self._draw_ahead_around(self._shown)  # shown: the reader's first move is drawn ahead
        return bundle


def _check_signature(draw: Callable, controls: Mapping[str, Control], name: str) -> None:
    try:
        params = inspect.signature(draw).parameters
    except (TypeError, ValueError):  # builtins without a signature: trust the caller
        return
    names, kinds = list(params), [p.kind for p in params.values()]
    if not names:
        raise TypeError(f"explorer {name!r}: `draw` must take the axes as its first argument.")
    missing = [
        k for k in controls if k not in names[1:] and inspect.Parameter.VAR_KEYWORD not in kinds
    ]
    if missing:
        raise TypeError(f"explorer {name!r}: `draw` has no parameter named {missing}; declare "
                        f"`controls` that match its parameters {names[1:]}.")  # fmt: skip
    keyword = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    unset = [p.name for p in list(params.values())[1:]
             if p.default is p.empty and p.kind in keyword and p.name not in controls]  # fmt: skip
    if unset:
        raise TypeError(f"explorer {name!r}: `draw` needs {unset} but no control sets it.")


def explore(draw: Callable, *, nrows: int = 1, ncols: int = 1,
            figsize: tuple[float, float] = (6.0, 4.0), dpi: int = 100, name: str | None = None,
            **controls: Control) -> Explorer:  # fmt: skip
    """Build an explorer for ``draw`` with the given controls.

    Parameters
    ----------
    draw : callable
        ``draw(ax, **values)`` draws one state on ``ax``: a single Axes, or an array of shape
        ``(nrows, ncols)`` (squeezed) when the figure has several panels. Keep it quick:
        compute what does not change with the controls once, outside ``draw`` (or in a
        function cached with :func:`functools.cache`).
    nrows, ncols : int, default 1
        The grid of panels.
    figsize : (float, float), default (6, 4)
        Figure size in inches.
    dpi : int, default 100
        Resolution of the rendered figure; the page shows it at this size, so a lower
        ``dpi`` is both smaller and faster to draw.
    name : str, optional
        How messages refer to the explorer; ``draw.__name__`` by default.
    **controls : Slider, Dropdown or Checkbox
        One per parameter of ``draw`` after ``ax``. At most :data:`MAX_STATES` combinations.

    Returns
    -------
    Explorer
        Display it (last expression of a cell) to show the live widget.

    Notes
    -----
    Live, a state once drawn is kept and shown again at once; a redraw runs in the
    background and, when controls move faster than it, draws only the latest state. In
    :func:`precomputed_mode` every state is drawn when the cell runs.

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
    """``tqdm.auto.tqdm(iterable, **kwargs)``, disabled in :func:`precomputed_mode`."""
    from tqdm.auto import tqdm

    kwargs.setdefault("disable", precomputed_mode())
    return tqdm(iterable, **kwargs)
