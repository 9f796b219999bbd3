"""Precomputed explorers: the static site shows exactly what the live explorer would."""

import base64
import gc
import json
import re

import nbformat
import numpy as np
import pytest
from _images import decode_image
from nbclient import NotebookClient

from dlcourse import sphinxext, static_explorer
from dlcourse.widgets import PRECOMPUTED_ENV, Checkbox, Dropdown, Slider, explore


def draw_wave(ax, frequency, phase, dashed):
    x = np.linspace(0, 2 * np.pi, 200)
    ax.plot(x, np.sin(frequency * x + phase), "--" if dashed else "-")
    ax.set_title(f"sin({frequency:g} x + {phase:g})")


def make():
    return explore(
        draw_wave,
        figsize=(3, 2),
        dpi=60,
        frequency=Slider(1, 3, 0.5, value=2),
        phase=Dropdown({"0": 0.0, "π/2": np.pi / 2}),
        dashed=Checkbox(False),
    )


def embedded(html):
    data = re.search(r'<script type="application/json" class="dlx-data">(.*?)</script>', html, re.S)
    return json.loads(data.group(1))


def test_precomputed_figures_equal_the_live_figures_byte_for_byte():
    pre = static_explorer.precompute(make())  # every state, in order, as the build does
    live = make()  # a reader moving the controls in another order
    states = list(live.states())
    assert pre.n_states == len(states) == 5 * 2 * 2
    rng = np.random.default_rng(0)
    for i in rng.choice(len(states), size=8, replace=False):
        live.set(**states[i])
        shown = decode_image(live.image)
        precomputed = decode_image(pre.images[pre.state_of[i]])
        assert shown.shape == precomputed.shape
        assert shown.tobytes() == precomputed.tobytes()


def test_identical_states_share_one_image():
    def draw(ax, a, unused):
        ax.plot([0, 1], [0, a])

    pre = static_explorer.precompute(
        explore(draw, figsize=(2, 2), dpi=40, a=Slider(1, 2, 1), unused=Checkbox())
    )
    assert pre.n_states == 4 and len(pre.images) == 2
    assert pre.state_of == [0, 0, 1, 1]


def test_html_has_controls_figure_note_and_every_state():
    explorer = make()
    explorer.set(frequency=2.5, dashed=True)
    html = static_explorer.to_html(explorer)
    assert html.count("data-dlx-control=") == 3
    assert 'type="range"' in html and "<select" in html and 'type="checkbox"' in html
    assert "all 20 states were drawn when this book was built" in html
    assert "Binder" in html
    data = embedded(html)
    assert [c["name"] for c in data["controls"]] == ["frequency", "phase", "dashed"]
    assert data["controls"][1]["labels"] == ["0", "π/2"]
    # the figure shown first is the explorer's current state, numbered like states()
    shown = int(re.search(r'data-state="(\d+)"', html).group(1))
    assert list(explorer.states())[shown] == explorer.values
    src = re.search(r'class="dlx-figure"[^>]*src="data:image/webp;base64,([^"]+)"', html)
    assert src.group(1) == data["images"][data["state_of"][shown]]
    decoded = decode_image(base64.b64decode(src.group(1)))
    np.testing.assert_array_equal(decoded, explorer.render_pixels())


def test_labels_with_maths_are_handed_to_mathjax():
    def draw(ax, w):
        ax.plot([0, w])

    html = static_explorer.to_html(explore(draw, w=Slider(0, 1, 1, description="$w_1$")))
    assert r"\(w_1\)" in html and "tex2jax_process" in html


def test_the_same_explorer_gives_the_same_html():
    first, second = static_explorer.to_html(make()), static_explorer.to_html(make())
    assert first == second
    other = make()
    other.controls["frequency"].value = 3
    third = static_explorer.to_html(other)
    ids = [re.search(r'<div class="dlx" id="(dlx-[0-9a-f]+)"', h).group(1) for h in (first, third)]
    assert ids[0] != ids[1]


def test_static_mode_mimebundle_is_html_without_widgets(monkeypatch):
    monkeypatch.setenv(PRECOMPUTED_ENV, "1")
    explorer = make()
    bundle = explorer._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/plain"}
    assert explorer._widget is None  # no ipywidget was made


def test_an_explorer_over_the_size_budget_is_refused_by_name(monkeypatch):
    monkeypatch.setattr(static_explorer, "MAX_BYTES", 1000)
    with pytest.raises(ValueError, match="explorer 'draw_wave': its 20 precomputed figures"):
        static_explorer.precompute(make())


def test_the_sphinx_extension_turns_static_mode_on_for_the_kernels(monkeypatch, tmp_path):
    # setenv (not delenv) so that monkeypatch removes what setup() sets when the test ends
    monkeypatch.setenv(PRECOMPUTED_ENV, "0")
    metadata = sphinxext.setup(app=None)
    assert metadata["parallel_read_safe"]
    # A kernel started afterwards (as the book build starts them) inherits the switch, and
    # an explorer in it renders as precomputed HTML.
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(f"import os; print(os.environ.get('{PRECOMPUTED_ENV}'))"),
            nbformat.v4.new_code_cell(
                "from dlcourse.widgets import explore, Slider\n"
                "def draw(ax, k):\n    ax.plot([0, k])\n"
                "explore(draw, figsize=(2, 2), dpi=40, k=Slider(1, 3, 1))"
            ),
        ]
    )
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    NotebookClient(notebook, timeout=120, resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert notebook.cells[0].outputs[0]["text"].strip() == "1"
    output = notebook.cells[1].outputs[0]
    assert "application/vnd.jupyter.widget-view+json" not in output["data"]
    assert 'class="dlx"' in output["data"]["text/html"]
    assert "widgets" not in notebook.metadata


def test_precompute_leaves_older_objects_out_of_collections_while_drawing_then_gives_them_back():
    frozen = []

    def draw(ax, k):
        frozen.append(gc.get_freeze_count())
        ax.plot([0, k])

    gc.unfreeze()  # nothing frozen before (a frozen object that dies would lower the count)
    static_explorer.precompute(explore(draw, figsize=(2, 2), dpi=40, k=Slider(0, 2, 1)))
    assert len(frozen) >= 3 and min(frozen) > 0
    assert gc.get_freeze_count() == 0
