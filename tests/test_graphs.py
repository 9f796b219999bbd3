"""draw_graph draws what it is given, returns its artists, and rejects malformed graphs."""

import matplotlib.figure
import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from dlcourse.graphs import GRAD_COLOR, VALUE_COLOR, Node, draw_graph

NODES = {
    "x": Node(0, 1, "$x$", "input"),
    "w": Node(0, 0, "$w$", "param"),
    "z": Node(1, 0.5, "$z$"),
    "y": Node(2, 1.2, "$y$", "input"),
    "L": Node(2, 0.5, "$L$", "loss"),
}
EDGES = [("x", "z"), ("w", "z"), ("z", "L"), ("y", "L")]


def test_returns_one_artist_per_node_and_edge(ax):
    artists = draw_graph(ax, NODES, EDGES)
    assert set(artists["nodes"]) == set(NODES) and set(artists["labels"]) == set(NODES)
    assert set(artists["edges"]) == set(EDGES)
    assert artists["values"] == {} and artists["grads"] == {} and artists["legend"] is None
    assert all(isinstance(a, FancyArrowPatch) for a in artists["edges"].values())
    # inputs and parameters are boxes, computed values circles
    assert isinstance(artists["nodes"]["x"], FancyBboxPatch)
    assert isinstance(artists["nodes"]["w"], FancyBboxPatch)
    assert isinstance(artists["nodes"]["z"], Circle) and isinstance(artists["nodes"]["L"], Circle)
    # everything is on the axes, which are switched off and equal
    assert all(p in ax.patches for p in artists["nodes"].values())
    assert all(a in ax.patches for a in artists["edges"].values())
    assert not ax.axison and ax.get_aspect() == 1.0


def test_labels_values_and_grads_are_shown(ax):
    artists = draw_graph(
        ax,
        NODES,
        EDGES,
        values={"x": 1.5, "w": 0.8, "z": 1.2, "L": 19600.0},
        grads={"L": 1.0, "z": -0.105751, "w": np.float64(-0.15863)},
    )
    assert {n: t.get_text() for n, t in artists["labels"].items()} == {
        n: node.label for n, node in NODES.items()
    }
    values = {n: t.get_text() for n, t in artists["values"].items()}
    assert values == {"x": "1.5", "w": "0.8", "z": "1.2", "L": "19600"}
    grads = {n: t.get_text() for n, t in artists["grads"].items()}
    assert grads == {"L": "∂ 1", "z": "∂ -0.1058", "w": "∂ -0.1586"}
    assert all(to_hex(t.get_color()) == VALUE_COLOR.lower() for t in artists["values"].values())
    assert all(to_hex(t.get_color()) == GRAD_COLOR.lower() for t in artists["grads"].values())
    # values above their node, gradients below
    for name, text in artists["values"].items():
        assert text.get_position()[1] > NODES[name].y
    for name, text in artists["grads"].items():
        assert text.get_position()[1] < NODES[name].y
    texts = [t.get_text() for t in ax.texts]
    assert "$z$" in texts and "19600" in texts and "∂ -0.1058" in texts


def test_number_format_and_legend(ax):
    artists = draw_graph(ax, NODES, EDGES, values={"z": 2.0}, grads={"z": 0.123456}, legend=True)
    assert artists["values"]["z"].get_text() == "2"
    assert artists["grads"]["z"].get_text() == "∂ 0.1235"
    legend_texts = [t.get_text() for t in artists["legend"].get_texts()]
    assert legend_texts[0].startswith("value") and "∂L/∂node" in legend_texts[1]


def test_label_defaults_to_the_name_and_tuples_work(ax):
    artists = draw_graph(
        ax, {"a": (0, 0), "b": (1, 0, "B"), "c": (2, 0, None, "loss")}, [("a", "b"), ("b", "c")]
    )
    assert [artists["labels"][n].get_text() for n in "abc"] == ["a", "B", "c"]


def test_highlight(ax):
    artists = draw_graph(ax, NODES, EDGES, highlight="z", highlight_edges=[("x", "z")])
    assert artists["nodes"]["z"].get_linewidth() > 2 * artists["nodes"]["x"].get_linewidth()
    assert (
        artists["edges"][("x", "z")].get_linewidth()
        > 2 * artists["edges"][("w", "z")].get_linewidth()
    )
    both = draw_graph(ax, NODES, EDGES, highlight=["x", "w"])
    assert both["nodes"]["x"].get_linewidth() == both["nodes"]["w"].get_linewidth() == 3.0


def test_arrows_start_and_end_on_the_node_outlines(ax):
    artists = draw_graph(ax, {"a": (0, 0), "b": (2, 0)}, [("a", "b")])
    path = artists["edges"][("a", "b")]
    (x0, y0), (x1, y1) = path._posA_posB  # the circles have radius 0.28
    assert (x0, y0) == pytest.approx((0.28, 0.0)) and (x1, y1) == pytest.approx((1.72, 0.0))


def test_a_cycle_is_rejected_and_named(ax):
    with pytest.raises(ValueError, match="cycle through a, b"):
        draw_graph(ax, {"a": (0, 0), "b": (1, 0), "c": (2, 0)}, [("a", "b"), ("b", "a")])


def test_the_figure_renders():
    fig = matplotlib.figure.Figure(figsize=(4, 3))
    ax = fig.subplots()
    draw_graph(ax, NODES, EDGES, values={"z": 1.0}, grads={"z": 1.0}, highlight="z", legend=True)
    fig.canvas.draw()  # raises if any artist cannot be drawn
