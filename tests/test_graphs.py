"""draw_graph draws what it is given, returns its artists, and rejects malformed graphs."""

import matplotlib.figure
import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from dlcourse.graphs import GRAD_COLOR, VALUE_COLOR, Node, draw_graph, topological_order

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


def test_fmt_prefix_and_legend(ax):
    artists = draw_graph(
        ax,
        NODES,
        EDGES,
        values={"z": 2.0},
        grads={"z": 0.5},
        fmt=".2f",
        grad_prefix="g=",
        legend=True,
    )
    assert artists["values"]["z"].get_text() == "2.00"
    assert artists["grads"]["z"].get_text() == "g=0.50"
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
    artists = draw_graph(ax, {"a": (0, 0), "b": (2, 0)}, [("a", "b")], node_size=0.25)
    path = artists["edges"][("a", "b")]
    (x0, y0), (x1, y1) = path._posA_posB
    assert (x0, y0) == pytest.approx((0.25, 0.0)) and (x1, y1) == pytest.approx((1.75, 0.0))


def test_the_figure_renders():
    fig = matplotlib.figure.Figure(figsize=(4, 3))
    ax = fig.subplots()
    draw_graph(ax, NODES, EDGES, values={"z": 1.0}, grads={"z": 1.0}, highlight="z", legend=True)
    fig.canvas.draw()  # raises if any artist cannot be drawn


# ------------------------------------------------------------------ topological order


def test_topological_order():
    assert topological_order(NODES, EDGES) == ["x", "w", "z", "y", "L"]
    order = topological_order(["L", "z", "a"], [("z", "L"), ("a", "z")])
    assert order == ["a", "z", "L"]
    with pytest.raises(ValueError, match="cycle through a, b"):
        topological_order(["a", "b", "c"], [("a", "b"), ("b", "a")])


# ------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"ax": "not an axes"}, TypeError, "`ax` must be a matplotlib Axes"),
        ({"nodes": [("x", 0, 0)]}, TypeError, "`nodes` must be a mapping"),
        ({"nodes": {}}, ValueError, "`nodes` is empty"),
        ({"nodes": {**NODES, "q": "here"}}, TypeError, r"`nodes\['q'\]` must be Node"),
        ({"nodes": {**NODES, "q": (1,)}}, ValueError, "2 to 4 entries"),
        ({"nodes": {**NODES, "q": (1, np.nan)}}, ValueError, r"nodes\['q'\].y"),
        ({"nodes": {**NODES, "q": (1, 2, 3)}}, TypeError, "label` must be a string"),
        ({"nodes": {**NODES, "q": (1, 2, "q", "leaf")}}, ValueError, "kind` must be one of"),
        ({"nodes": {1: (0, 0)}}, TypeError, "non-empty strings"),
        ({"edges": "xz"}, TypeError, "`edges` must be a list"),
        ({"edges": [("x", "z", "L")]}, ValueError, r"`edges\[0\]` must be a \(source, target\)"),
        ({"edges": [("x", "q")]}, ValueError, "names 'q', which is not one of the nodes"),
        ({"edges": [("x", "x")]}, ValueError, "joins 'x' to itself"),
        ({"edges": [("x", "z"), ("x", "z")]}, ValueError, "listed twice"),
        ({"edges": [("z", "L"), ("L", "z")]}, ValueError, "cycle"),
        ({"values": [1.0]}, TypeError, "`values` must be a mapping"),
        ({"values": {"q": 1.0}}, ValueError, "`values` has an entry for 'q'"),
        ({"values": {"x": "1"}}, TypeError, r"`values\['x'\]` must be a real number"),
        ({"values": {"x": True}}, TypeError, "must be a real number"),
        ({"grads": {"x": np.inf}}, ValueError, r"`grads\['x'\]` must be finite"),
        ({"grads": {"x": np.ones(2)}}, TypeError, "must be a real number"),
        ({"highlight": "q"}, ValueError, "`highlight` names 'q'"),
        ({"highlight": 3}, TypeError, "`highlight` must be a node name"),
        ({"highlight_edges": [("x", "L")]}, ValueError, "not in `edges`"),
        ({"fmt": 3}, TypeError, "`fmt` must be a format spec"),
        ({"fmt": "q!"}, ValueError, "not a valid format spec"),
        ({"grad_prefix": None}, TypeError, "`grad_prefix` must be a string"),
        ({"legend": "yes"}, TypeError, "`legend` must be True or False"),
        ({"node_size": 0}, ValueError, r"`node_size` must be in \(0"),
    ],
)
def test_bad_input_is_rejected(ax, kwargs, error, message):
    arguments = {"ax": ax, "nodes": NODES, "edges": EDGES, **kwargs}
    with pytest.raises(error, match=message):
        draw_graph(arguments.pop("ax"), arguments.pop("nodes"), arguments.pop("edges"), **arguments)
