"""Drawing computational graphs, with the values of a forward pass and the gradients of a
backward pass written on them.

A chapter declares a :class:`Node` for every value (inputs, parameters, intermediate results,
the loss) and an edge from every value to each value computed from it; it computes the values
and gradients itself, and :func:`draw_graph` writes them above (values) and below (gradients
``∂L/∂node``) the nodes, in two colours.
"""

from __future__ import annotations

import graphlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np

from ._validation import check_ax, check_bool, check_option, check_scalar, describe
from .plotting import CLASS_COLORS

__all__ = ["GRAD_COLOR", "NODE_KINDS", "VALUE_COLOR", "Node", "draw_graph"]

#: Colour of forward values (blue) and of gradients (vermillion): Okabe-Ito, colour-blind safe.
VALUE_COLOR, GRAD_COLOR = CLASS_COLORS[0], CLASS_COLORS[3]

#: How each kind of node is drawn: (shape, face colour).
NODE_KINDS: dict[str, tuple[str, str]] = {
    "input": ("box", "#f2f2f2"),  # data: an input or a target
    "param": ("box", "#e3f1e9"),  # a learnable parameter (light green)
    "op": ("circle", "white"),  # a value computed from other values
    "loss": ("circle", "#fdf0d5"),  # the scalar at the end (light orange)
}


class Node(NamedTuple):
    """A node: position ``x, y`` (data units), ``label`` (default: its name; MathText is
    fine) and ``kind``, one of :data:`NODE_KINDS` (inputs and parameters are boxes)."""

    x: float
    y: float
    label: str | None = None
    kind: str = "op"


def _unknown(what: str, item: Any, nodes: Mapping[str, Node]) -> ValueError:
    """The error for ``item`` that ``what`` names but that is not a node."""
    return ValueError(f"{what} names {item!r}, which is not one of the nodes ({', '.join(nodes)}).")


def _check_nodes(nodes: Any) -> dict[str, Node]:
    if not isinstance(nodes, Mapping):
        raise TypeError(
            "`nodes` must be a mapping of names to Node(x, y, label, kind) or (x, y) tuples; "
            f"got {describe(nodes)}."
        )
    if not nodes:
        raise ValueError("`nodes` is empty; declare at least one node.")
    checked: dict[str, Node] = {}
    for name, spec in nodes.items():
        where = f"nodes[{name!r}]"
        if not isinstance(name, str) or not name:
            raise TypeError(f"`nodes` must have non-empty strings as names; got {name!r}.")
        if isinstance(spec, (str, bytes)) or not isinstance(spec, Sequence):
            raise TypeError(f"`{where}` must be Node(x, y, label, kind); got {spec!r}.")
        if not 2 <= len(spec) <= 4:
            raise ValueError(f"`{where}` must be Node(x, y, label, kind); got {spec!r}.")
        node = Node(*spec)
        label = name if node.label is None else node.label
        if not isinstance(label, str):
            raise TypeError(f"`{where}.label` must be a string; got {describe(label)}.")
        check_option(node.kind, f"{where}.kind", list(NODE_KINDS))
        x, y = check_scalar(node.x, f"{where}.x"), check_scalar(node.y, f"{where}.y")
        checked[name] = Node(x, y, label, node.kind)
    return checked


def _check_edges(edges: Any, nodes: Mapping[str, Node], name: str = "edges") -> list:
    if isinstance(edges, (str, bytes, Mapping)) or not isinstance(edges, Iterable):
        raise TypeError(
            f"`{name}` must be a list of (source, target) pairs of node names; got "
            f"{describe(edges)}."
        )
    checked = []
    for k, edge in enumerate(edges):
        if isinstance(edge, (str, bytes)) or not isinstance(edge, Sequence) or len(edge) != 2:
            raise ValueError(
                f"`{name}[{k}]` must be a (source, target) pair of node names; got {edge!r}."
            )
        source, target = edge
        for end in (source, target):
            if end not in nodes:
                raise _unknown(f"`{name}[{k}]` = {tuple(edge)!r}", end, nodes)
        if source == target:
            raise ValueError(f"`{name}[{k}]` joins {source!r} to itself; a graph has no loops.")
        if (source, target) in checked:
            raise ValueError(f"`{name}[{k}]` = {tuple(edge)!r} is listed twice.")
        checked.append((source, target))
    return checked


def _check_acyclic(nodes: Mapping[str, Node], edges: list[tuple[str, str]]) -> None:
    """A ValueError naming the nodes of a cycle, if the edges contain one."""
    inputs = {name: [source for source, target in edges if target == name] for name in nodes}
    try:
        graphlib.TopologicalSorter(inputs).prepare()
    except graphlib.CycleError as exc:
        cycle = sorted(set(exc.args[1]), key=list(nodes).index)
        raise ValueError(
            f"`edges` contain a cycle through {', '.join(cycle)}: a computational graph "
            "must be acyclic (each value computed from values that come before it)."
        ) from None


def _check_numbers(mapping: Any, nodes: Mapping[str, Node], name: str) -> dict[str, float]:
    if mapping is None:
        return {}
    if not isinstance(mapping, Mapping):
        raise TypeError(
            f"`{name}` must be a mapping of node names to numbers; got {describe(mapping)}."
        )
    checked = {}
    for key, value in mapping.items():
        if key not in nodes:
            raise _unknown(f"`{name}` has an entry that", key, nodes)
        if isinstance(value, np.ndarray) and value.shape == ():
            value = value.item()
        checked[key] = check_scalar(value, f"{name}[{key!r}]")
    return checked


def _names(arg: Any, nodes: Mapping[str, Node], name: str) -> set[str]:
    if arg is None:
        return set()
    items = [arg] if isinstance(arg, str) else arg
    if not isinstance(items, Iterable):
        raise TypeError(f"`{name}` must be a node name or a list of names; got {describe(arg)}.")
    items = list(items)
    for item in items:
        if item not in nodes:
            raise _unknown(f"`{name}`", item, nodes)
    return set(items)


def _format(value: float) -> str:
    if value == int(value) and abs(value) < 1e6:
        return str(int(value))  # whole numbers in full: 19600, not 1.96e+04
    return format(value, ".4g")


def draw_graph(
    ax,
    nodes: Mapping[str, Node | tuple],
    edges: Sequence[tuple[str, str]],
    *,
    values: Mapping[str, float] | None = None,
    grads: Mapping[str, float] | None = None,
    highlight: str | Iterable[str] | None = None,
    highlight_edges: Iterable[tuple[str, str]] | None = None,
    legend: bool = False,
    fontsize: float = 10,
) -> dict[str, Any]:
    """Draw a computational graph, with values and gradients written on it.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    nodes : mapping of str to Node
        ``{name: Node(x, y, label, kind)}``; a plain tuple ``(x, y[, label[, kind]])`` works too.
    edges : sequence of (str, str)
        Acyclic ``(source, target)`` pairs of node names, ``target`` computed from ``source``.
    values : mapping of str to float, optional
        Forward values written above the nodes that have one so far (in :data:`VALUE_COLOR`).
    grads : mapping of str to float, optional
        Gradients ``∂L/∂node`` written below nodes (in :data:`GRAD_COLOR`).
    highlight : str or iterable of str, optional
        Node(s) drawn with a thick outline: the current step.
    highlight_edges : iterable of (str, str), optional
        Edges drawn thick and dark: the values the current step uses.
    legend : bool, default False
        Add a legend that explains the two colours.
    fontsize : float, default 10
        Size of the labels; numbers are a little smaller.

    Returns
    -------
    dict
        ``"nodes"``: {name: patch}, ``"labels"``: {name: Text}, ``"edges"``:
        {(source, target): FancyArrowPatch}, ``"values"`` and ``"grads"``: {name: Text},
        ``"legend"``: the Legend or None.
    """
    from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

    ax = check_ax(ax)
    nodes = _check_nodes(nodes)
    edges = _check_edges(edges, nodes)
    _check_acyclic(nodes, edges)
    values = _check_numbers(values, nodes, "values")
    grads = _check_numbers(grads, nodes, "grads")
    highlighted = _names(highlight, nodes, "highlight")
    bold_edges = set(
        _check_edges([] if highlight_edges is None else highlight_edges, nodes, "highlight_edges")
    )
    unknown = bold_edges - set(edges)
    if unknown:
        raise ValueError(f"`highlight_edges` lists {sorted(unknown)}, which are not in `edges`.")
    check_bool(legend, "legend")
    r = 0.28  # radius of the circles, half the height of the boxes
    fontsize = check_scalar(fontsize, "fontsize", low=1.0)

    def boundary(node: Node, towards: Node) -> tuple[float, float]:
        """Where the straight line from ``node`` to ``towards`` leaves ``node``'s shape."""
        dx, dy = towards.x - node.x, towards.y - node.y
        length = np.hypot(dx, dy) or 1.0
        if NODE_KINDS[node.kind][0] == "circle":
            t = r / length
        else:  # a box of half-width 1.5 r and half-height r
            t = min(1.5 * r / abs(dx) if dx else np.inf, r / abs(dy) if dy else np.inf)
        return node.x + t * dx, node.y + t * dy

    artists: dict[str, Any] = {"nodes": {}, "labels": {}, "edges": {}, "values": {}, "grads": {}}
    for source, target in edges:
        a, b = nodes[source], nodes[target]
        bold = (source, target) in bold_edges
        style = dict(mutation_scale=14, color="0.1", lw=2.6, zorder=2) if bold else {}
        style = {"mutation_scale": 10, "color": "0.6", "lw": 1.0, "zorder": 1, **style}
        arrow = FancyArrowPatch(
            boundary(a, b), boundary(b, a), arrowstyle="-|>", shrinkA=0, shrinkB=0, **style
        )
        ax.add_artist(arrow)  # not add_patch: the limits are set below, skip autoscaling
        artists["edges"][(source, target)] = arrow

    number_box = dict(boxstyle="round,pad=0.1", fc="white", ec="none")  # hides arrows below
    for name, node in nodes.items():
        shape, face = NODE_KINDS[node.kind]
        thick = name in highlighted
        style = dict(fc=face, ec="k" if thick else "0.35", lw=3.0 if thick else 1.1, zorder=3)
        if shape == "circle":
            patch = Circle((node.x, node.y), r, **style)
        else:
            corner = (node.x - 1.5 * r, node.y - r)
            rounding = f"round,pad=0,rounding_size={0.3 * r}"
            patch = FancyBboxPatch(corner, 3 * r, 2 * r, boxstyle=rounding, **style)
        ax.add_artist(patch)
        artists["nodes"][name] = patch
        artists["labels"][name] = ax.text(
            node.x, node.y, node.label, ha="center", va="center", fontsize=fontsize, zorder=4
        )
        number = dict(ha="center", fontsize=0.9 * fontsize, zorder=5, bbox=number_box)
        number["fontweight"] = "bold" if thick else "normal"
        if name in values:
            text = _format(values[name])
            artists["values"][name] = ax.text(
                node.x, node.y + 1.12 * r, text, va="bottom", color=VALUE_COLOR, **number
            )
        if name in grads:
            text = "∂ " + _format(grads[name])
            artists["grads"][name] = ax.text(
                node.x, node.y - 1.12 * r, text, va="top", color=GRAD_COLOR, **number
            )

    # Everything stays inside the limits set below, so layout engines need not measure it
    # (this makes a redraw several times faster).
    for group in ("nodes", "labels", "edges", "values", "grads"):
        for artist in artists[group].values():
            artist.set_in_layout(False)

    xs = [n.x for n in nodes.values()]
    ys = [n.y for n in nodes.values()]
    ax.set_xlim(min(xs) - 4 * r, max(xs) + 4 * r)
    ax.set_ylim(min(ys) - 3 * r, max(ys) + 3 * r)
    ax.set_aspect("equal")
    ax.set_xticks([])  # hidden anyway; without ticks, layout engines need not compute them
    ax.set_yticks([])
    ax.axis("off")
    artists["legend"] = None
    if legend:
        from matplotlib.lines import Line2D

        grad_label = "∂ = ∂L/∂node (backward pass)"
        handles = [
            Line2D([], [], ls="none", marker="s", color=VALUE_COLOR, label="value (forward pass)"),
            Line2D([], [], ls="none", marker="s", color=GRAD_COLOR, label=grad_label),
        ]
        artists["legend"] = ax.legend(
            handles=handles, loc="lower right", fontsize=0.85 * fontsize, frameon=False,
            handlelength=1.0,
        )  # fmt: skip
    return artists
