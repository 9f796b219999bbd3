import subprocess
import sys
import threading

import ipywidgets
import numpy as np
import pytest

from dlcourse import widgets
from dlcourse.widgets import MAX_STATES, Checkbox, Dropdown, Explorer, Slider, explore


def draw_line(ax, slope, intercept, dashed):
    xs = np.array([-1.0, 1.0])
    ax.plot(xs, slope * xs + intercept, "--" if dashed else "-")
    ax.set_ylim(-5, 5)
    ax.set_title(f"y = {slope:g} x + {intercept:g}")


def make():
    return explore(
        draw_line,
        slope=Slider(-2, 2, 0.5, value=1),
        intercept=Dropdown([-1, 0, 1], value=0),
        dashed=Checkbox(False),
    )


def test_slider_values_are_exact():
    s = Slider(0, 1, 0.1)
    assert s.values[3] == 0.3 and len(s) == 11 and s.value == 0.5
    assert Slider(1, 9, 2, value=4).value in (3, 5)
    assert Slider(1, 5, 1).values == (1, 2, 3, 4, 5)
    assert all(isinstance(v, int) for v in Slider(1, 5, 1).values)
    assert Slider(0, 1, 0.25, fmt=".2f").labels[1] == "0.25"


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"min": 1, "max": 0, "step": 0.1}, ValueError, "`min` must be smaller than `max`"),
        ({"min": 0, "max": 1, "step": 0}, ValueError, "`step` must be in"),
        ({"min": 0, "max": 1, "step": 0.3}, ValueError, "whole number of `step`s"),
        ({"min": 0, "max": 1, "step": 0.5, "value": 3}, ValueError, "`value` must lie in"),
        ({"min": "0", "max": 1, "step": 0.5}, TypeError, "`min` must be a real number"),
        ({"min": 0, "max": 1000, "step": 1}, ValueError, "at most"),
    ],
)
def test_slider_rejects_bad_declarations(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        Slider(**kwargs)


def test_dropdown_and_checkbox():
    d = Dropdown({"sigmoid": np.tanh, "relu": abs}, value=abs)
    assert d.labels == ("sigmoid", "relu") and d.value is abs
    with pytest.raises(ValueError, match="at least one value"):
        Dropdown([])
    with pytest.raises(TypeError, match="`options` must be a list"):
        Dropdown("abc")
    with pytest.raises(ValueError, match="is not one of"):
        Dropdown([1, 2], value=3)
    with pytest.raises(TypeError, match="`value` must be True or False"):
        Checkbox("yes")


def test_states_are_the_full_grid():
    e = make()
    assert e.n_states == 9 * 3 * 2
    states = list(e.states())
    assert len(states) == e.n_states
    assert len({tuple(s.items()) for s in states}) == e.n_states
    assert states[0] == {"slope": -2.0, "intercept": -1, "dashed": False}


def test_initial_state_is_drawn_at_once_and_figure_is_reused():
    e = make()
    widget = e.widget
    assert isinstance(widget, ipywidgets.VBox)
    first = e.image
    assert first.startswith(b"\x89PNG") and len(first) > 1000
    figure = e.figure
    e.set(slope=-1.5)
    assert e.figure is figure
    assert e.image != first
    assert e.figure.axes[0].get_title() == "y = -1.5 x + 0"


def test_moving_each_control_by_its_widget_redraws():
    e = make()
    e.widget  # noqa: B018 - build it
    sliders = e.widget.children[0].children
    seen = {e.image}
    sliders[0].value = 2.0
    seen.add(e.image)
    sliders[1].value = 1
    seen.add(e.image)
    sliders[2].value = True
    seen.add(e.image)
    assert len(seen) == 4
    assert e.values == {"slope": 2.0, "intercept": 1, "dashed": True}
    assert e.figure.axes[0].lines[0].get_linestyle() == "--"


def test_a_state_looks_the_same_whatever_was_drawn_before():
    live = make()
    for state in [{"slope": 2.0, "dashed": True}, {"intercept": 1}, {"slope": 0.5}]:
        live.set(**state)
    fresh = make()  # another explorer that draws this state first, as the build does
    state = {"slope": 0.5, "intercept": 1, "dashed": True}
    assert live.values == state
    assert fresh.render(**state) == live.image
    assert fresh.render(**state) != fresh.render(slope=0.5, intercept=1, dashed=False)


def draw_ticks(ax, style):
    ax.plot([0.0, 3.0], [1.0, 50.0])
    if style == "custom":  # everything a reader might do to ticks, on recycled ticks next
        ax.set_yscale("log")
        ax.minorticks_on()
        ax.grid(True, which="both")
        ax.tick_params(direction="in", length=9, width=2, pad=12, colors="red", labelsize=14,
                       labelrotation=30, labeltop=True, grid_color="blue")  # fmt: skip
        for label in ax.get_xticklabels() + ax.get_yticklabels():
            label.set(ha="right", rotation_mode="anchor", bbox={"facecolor": "yellow"},
                      fontweight="bold", alpha=0.5, zorder=5, wrap=True)  # fmt: skip
        for line in ax.get_xticklines():
            line.set(marker="o", color="green")
    ax.set_xticks([0, 1, 2, 3], labels=["a", "b", "c", "d"])


def make_ticks():
    return explore(draw_ticks, style=Dropdown(["plain", "custom"]))


def drawn_first(make_explorer, layout, **state):
    """A state's pixels from a new explorer that drew nothing before (no ticks to reuse)."""
    explorer = make_explorer()
    explorer._layout = layout  # the layout of the explorer compared with, not one of its own
    return explorer.render_pixels(**state)


@pytest.mark.parametrize("before", ["custom", "plain"])
def test_ticks_reused_from_the_previous_state_look_fresh(before):
    e = make_ticks()
    e.render_pixels(style=before)
    plain = e.render_pixels(style="plain")
    np.testing.assert_array_equal(plain, drawn_first(make_ticks, e._layout, style="plain"))
    e.render_pixels(style="plain")
    custom = e.render_pixels(style="custom")
    np.testing.assert_array_equal(custom, drawn_first(make_ticks, e._layout, style="custom"))
    assert not np.array_equal(custom, plain)


def test_ticks_are_reused_and_made_anew_if_matplotlib_cannot_reset_them(monkeypatch):
    import matplotlib.axis

    def ticks(e):  # the tick objects themselves: kept alive, so no id is given to a new one
        return [t for ax in e.figure.axes for t in ax.xaxis.majorTicks + ax.yaxis.majorTicks]

    def shared(a, b):
        return {id(t) for t in a} & {id(t) for t in b}

    e = make()
    e.render_pixels(slope=1.0)
    before = ticks(e)
    e.render_pixels(slope=2.0)
    assert len(shared(before, ticks(e))) >= 5  # reused: all but the first of each axis

    reset = matplotlib.axis.Axis._copy_tick_props

    def changed(axis, src, dest):  # as if a later matplotlib refused to reset a reused tick
        if all(dest is not t for t in axis.majorTicks + axis.minorTicks):
            raise AttributeError("changed")
        reset(axis, src, dest)

    monkeypatch.setattr(matplotlib.axis.Axis, "_copy_tick_props", changed)
    before = ticks(e)
    pixels = e.render_pixels(slope=-1.0)
    assert not shared(before, ticks(e))
    np.testing.assert_array_equal(pixels, drawn_first(make, e._layout, slope=-1.0))


def test_the_live_png_holds_the_pixels_of_the_static_page():
    from _images import decode_image

    e = make()
    state = {"slope": -1.5, "intercept": 1, "dashed": True}
    png = e.render(**state)
    assert png[1:4] == b"PNG" and png[25] == 3  # colour type 3: a palette image
    np.testing.assert_array_equal(decode_image(png), e.render_pixels(**state))


def test_a_state_drawn_once_is_not_drawn_again():
    calls = []

    def draw(ax, k):
        calls.append(k)
        ax.plot([0, k])

    e = explore(draw, figsize=(2, 2), dpi=40, k=Slider(1, 3, 1, value=1))
    e.set(k=2)
    n = len(calls)
    e.set(k=1)
    e.set(k=2)
    assert len(calls) == n  # both shown from the cache
    assert e.image == e.render(k=2)
    e.set(k=3)
    assert calls[-1] == 3


def _nearest_first(arrived: list, here: tuple, children: int) -> bool:
    """Whether states arrived nearest first, as far as ``children`` drawing at once allows.

    The children take states nearest first, one at a time each, so the i-th to arrive was
    among the first ``i + children`` taken; they may finish out of order.
    """
    distances = [widgets._distance(key, here) for key in arrived]
    ordered = sorted(distances)
    return all(d <= ordered[min(i + children - 1, len(ordered) - 1)]
               for i, d in enumerate(distances))  # fmt: skip


def _finish(prefetch) -> None:
    for process in prefetch._processes:
        process.join(timeout=120)
    prefetch._receiver.join(timeout=120)


@pytest.mark.parametrize("children", [1, 2])
def test_states_near_the_readers_are_drawn_ahead_in_other_processes(
    drawing_ahead, monkeypatch, children
):
    monkeypatch.setattr(widgets, "fair_thread_count", lambda: children)  # one per core
    calls = []

    def draw(ax, a, b):
        calls.append((a, b))
        ax.plot([0, 1], [b, a])
        ax.set_title(f"{a} {b}")
        formula = r"$\alpha_1 + \beta^2 \cdot \sum_k \gamma_{ij}$"  # parsed before the fork
        for y in np.linspace(0, 1, 20):  # drawn often, so two children read glyphs at once
            ax.text(0, y, formula, fontsize=6, in_layout=False)

    e = explore(draw, figsize=(2, 2), dpi=40, a=Slider(0, 4, 1, value=2), b=Dropdown([0, 1, 2]))
    arrived = []
    e._arrived = lambda key, show=e._arrived: (arrived.append(key), show(key))
    e.set(a=3)  # the first move starts drawing ahead, around a=3, b=0
    prefetch = drawing_ahead.current
    assert prefetch is not None and prefetch.explorer is e
    assert len(prefetch._processes) == children
    assert widgets._keys(e) == [e._state(state)[1] for state in e.states()]
    _finish(prefetch)
    assert len(e._pngs) == e.n_states  # every state, drawn once each
    assert len(set(arrived)) == len(arrived) and len(calls) < e.n_states
    here = e.controls["a"].index(3), e.controls["b"].index(0)
    assert _nearest_first(arrived, here, children)
    assert widgets._distance(arrived[0], here) == (1, 1)  # neighbours first
    fresh = explore(draw, figsize=(2, 2), dpi=40, a=Slider(0, 4, 1, value=2),
                    b=Dropdown([0, 1, 2]))  # fmt: skip
    for state in e.states():  # the same bytes as drawn in the kernel
        assert e._pngs[e._state(state)[1]] == fresh.render(**state)
    n = len(calls)
    e.set(a=0, b=2)
    assert len(calls) == n and e.image == fresh.render(a=0, b=2)


def test_nearest_first_allows_children_to_finish_out_of_order():
    here = (2,)
    assert _nearest_first([(1,), (3,), (0,), (4,)], here, children=1)
    assert not _nearest_first([(1,), (0,), (3,), (4,)], here, children=1)
    assert _nearest_first([(1,), (0,), (3,), (4,)], here, children=2)
    assert not _nearest_first([(0,), (1,), (3,), (4,)], here, children=2)


def test_displaying_an_explorer_draws_ahead_around_its_first_state(drawing_ahead):
    def draw(ax, k):
        ax.plot([0, k])

    e = explore(draw, figsize=(2, 2), dpi=40, k=Slider(0, 4, 1, value=2))
    arrived = []
    e._arrived = lambda key, show=e._arrived: (arrived.append(key), show(key))
    e._repr_mimebundle_()  # what the notebook does when a cell shows the explorer
    prefetch = drawing_ahead.current
    assert prefetch is not None and prefetch.explorer is e  # before any move
    children = len(prefetch._processes)
    _finish(prefetch)
    assert len(e._pngs) == e.n_states
    assert _nearest_first(arrived, (2,), children)
    assert arrived[0] in [(1,), (3,)]  # the shown state's neighbours first


def test_drawing_ahead_stops_when_a_cell_runs_or_another_explorer_starts(drawing_ahead):
    def draw(ax, k):
        ax.plot([0, k])

    first, second = (explore(draw, figsize=(2, 2), dpi=40, k=Slider(0, 300, 1)) for _ in "ab")
    first.set(k=10)
    processes = drawing_ahead.current._processes
    second.set(k=20)
    assert drawing_ahead.current.explorer is second
    assert processes and not any(p.is_alive() for p in processes)
    processes = drawing_ahead.current._processes
    widgets._a_cell_runs()  # what IPython calls before a cell runs
    assert drawing_ahead.current is None and not any(p.is_alive() for p in processes)


def test_the_kernels_objects_stay_out_of_collections_while_the_reader_explores(monkeypatch):
    import gc
    import weakref
    from types import SimpleNamespace

    import IPython
    from IPython.core.events import EventManager, available_events

    freezes = []  # each call of gc.freeze (the frozen count itself drops as objects die)
    freeze = gc.freeze
    monkeypatch.setattr(gc, "freeze", lambda: (freezes.append(1), freeze()))
    e = explore(lambda ax, k: ax.plot([0, k]), figsize=(2, 2), dpi=40, k=Slider(0, 4, 1))
    monkeypatch.setattr(IPython, "get_ipython", lambda: None)
    e.set(k=1)
    assert not freezes and gc.get_freeze_count() == 0  # no IPython: no cell gives them back
    shell = SimpleNamespace()
    shell.events = EventManager(shell, available_events)
    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)
    e.set(k=3)  # the reader's move
    assert len(freezes) == 1 and gc.get_freeze_count() > 0
    e.set(k=4)
    assert len(freezes) == 1  # frozen once: what drawing makes is not

    class Cycle:
        pass

    garbage = Cycle()
    garbage.me = garbage
    gone = weakref.ref(garbage)
    del garbage
    gc.collect()
    assert gone() is None  # garbage made while exploring is still collected
    shell.events.trigger("pre_run_cell", None)  # a cell runs
    assert gc.get_freeze_count() == 0 and not widgets._frozen


def test_latest_runs_only_the_newest_request_while_busy():
    started, release, done = threading.Event(), threading.Event(), []

    def slow_draw(item):
        started.set()
        release.wait(timeout=30)  # a draw that lasts until the test lets it finish
        done.append(item)

    latest = widgets._Latest(slow_draw)
    latest.request(1)
    assert started.wait(timeout=30)
    for item in range(2, 11):  # a slider dragged on while the first draw runs
        latest.request(item)
    release.set()
    latest.wait()
    assert done == [1, 10]  # nothing queued: 2 to 9 were never drawn
    latest.request(11)
    latest.wait()
    assert done == [1, 10, 11]


def test_a_dragged_slider_draws_the_first_and_the_last_state_only():
    started, release, drawn, gate = threading.Event(), threading.Event(), [], []

    def draw(ax, k):
        if gate:  # once the widget is built, each draw waits until the test lets it finish
            started.set()
            release.wait(timeout=30)
        drawn.append(k)
        ax.plot([0, k])

    e = explore(draw, figsize=(2, 2), dpi=40, k=Slider(0, 9, 1, value=0))
    slider = e.widget.children[0].children[0]
    gate.append(True)
    n = len(drawn)
    slider.value = 1  # returns at once: the redraw runs in the background
    assert started.wait(timeout=30)
    for k in range(2, 10):  # the reader drags on while state 1 is being drawn
        slider.value = k
    release.set()
    e.set(k=9)  # already there: just waits for the figure
    assert drawn[n:] == [1, 9]
    assert e.image == e.render(k=9)


def test_draw_errors_are_shown_not_lost():
    def draw(ax, x):
        if x > 0:
            raise RuntimeError("boom")
        ax.plot([0, 1], [0, x])

    e = explore(draw, x=Slider(-1, 1, 1, value=0))
    e.set(x=1)
    assert "boom" in e.widget.children[2].value
    e.set(x=-1)
    assert e.widget.children[2].value == ""
    assert e.image == e.render(x=-1)


def test_mimebundle_is_a_widget_with_a_text_fallback():
    bundle = make()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "54 states" in bundle["text/plain"]


def test_several_panels():
    def draw(ax, k):
        left, right = ax
        left.plot([0, k])
        right.plot([k, 0])

    e = explore(draw, ncols=2, figsize=(6, 3), k=Slider(1, 3, 1))
    e.render()
    assert len(e.figure.axes) == 2


def test_explorer_rejects_bad_declarations():
    with pytest.raises(TypeError, match="`draw` has no parameter named \\['w'\\]"):
        explore(
            draw_line,
            slope=Slider(0, 1, 1),
            intercept=Slider(0, 1, 1),
            dashed=Checkbox(),
            w=Slider(0, 1, 1),
        )
    with pytest.raises(TypeError, match="`draw` needs \\['dashed'\\]"):
        explore(draw_line, slope=Slider(0, 1, 1), intercept=Slider(0, 1, 1))
    with pytest.raises(TypeError, match="control `slope` must be a Slider"):
        explore(draw_line, slope=[1, 2], intercept=Slider(0, 1, 1), dashed=Checkbox())
    with pytest.raises(ValueError, match="`controls` is empty; declare at least one"):
        Explorer(lambda ax: None, {})
    with pytest.raises(TypeError, match="`draw` must be callable"):
        explore("draw", x=Slider(0, 1, 1))


def test_explorer_refuses_too_many_states_naming_itself():
    def big(ax, a, b, c):
        pass

    with pytest.raises(ValueError, match=f"explorer 'big' declares 1331 states.*{MAX_STATES}"):
        explore(big, a=Slider(0, 10, 1), b=Slider(0, 10, 1), c=Slider(0, 10, 1))


def test_unknown_state_values_are_rejected():
    e = make()
    with pytest.raises(ValueError, match="no control named"):
        e.render(bogus=1)
    with pytest.raises(ValueError, match="is not one of"):
        e.render(slope=0.3)


def test_precomputed_mode_follows_the_one_switch(monkeypatch):
    monkeypatch.delenv(widgets.PRECOMPUTED_ENV, raising=False)
    assert not widgets.precomputed_mode()
    assert widgets.progress(range(3)).disable is False
    monkeypatch.setenv(widgets.PRECOMPUTED_ENV, "1")
    assert widgets.precomputed_mode()
    assert widgets.progress(range(3)).disable is True


def test_a_new_control_type_is_one_class(monkeypatch):
    class Toggle(widgets.Control):
        def __init__(self, options):
            self.values, self.labels = tuple(options), tuple(str(o) for o in options)
            self.value, self.description = options[0], None

        def widget(self, name):
            return ipywidgets.ToggleButtons(options=list(zip(self.labels, self.values)))

        def html(self, k, index, label):
            return f'<label>{label}<select data-dlx-control="{k}">{index}</select></label>'

    def draw(ax, k):
        ax.plot([0, k])

    e = explore(draw, figsize=(2, 2), dpi=40, k=Toggle([1, 2, 3]))
    e.set(k=3)
    assert e.image == e.render(k=3)
    monkeypatch.setenv(widgets.PRECOMPUTED_ENV, "1")
    html = e._repr_mimebundle_()["text/html"]
    assert '<select data-dlx-control="0">2</select>' in html  # current state: index 2


def test_static_explorer_does_not_import_widgets():
    code = "import sys, dlcourse.static_explorer; assert 'dlcourse.widgets' not in sys.modules"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
