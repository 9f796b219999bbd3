"""Drawing computational graphs, with the values of a forward pass and the gradients of a
backward pass written on them.

A chapter declares its graph in plain sight: a node for every value (inputs, parameters,
intermediate results, the loss), each with a position and a label, and an edge from every
value to each value computed from it::

    nodes = {
        "x": Node(0, 1, "$x$", "input"),
        "w": Node(0, 0, "$w$", "param"),
        "z": Node(1, 0.5, "$z$"),
        "L": Node(2, 0.5, "$L$", "loss"),
    }
    edges = [("x", "z"), ("w", "z"), ("z", "L")]
    draw_graph(ax, nodes, edges, values={"x": 1.5, "w": 0.8, "z": 1.2},
               grads={"L": 1.0}, highlight="z")

:func:`draw_graph` only draws: the values and gradients are computed by the chapter. Values
are written above a node in one colour, gradients (``∂L/∂node``) below it in another, so a
picture of a forward pass and a backward pass can be read at a glance.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np

from ._validation import check_ax, check_bool, check_scalar, describe
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
        if not isinstance(name, str) or not name:
            raise TypeError(f"`nodes` must have non-empty strings as names; got {name!r}.")
        if isinstance(spec, (str, bytes)) or not isinstance(spec, Sequence):
            raise TypeError(f"`nodes[{name!r}]` must be Node(x, y, label, kind); got {spec!r}.")
        if not 2 <= len(spec) <= 4:
            raise ValueError(f"`nodes[{name!r}]` must be Node(x, y, label, kind); got {spec!r}.")
        node = Node(*spec)
        x = check_scalar(node.x, f"nodes[{name!r}].x")
        y = check_scalar(node.y, f"nodes[{name!r}].y")
        label = name if node.label is None else node.label
        if not isinstance(label, str):
            raise TypeError(f"`nodes[{name!r}].label` must be a string; got {describe(label)}.")
        if node.kind not in NODE_KINDS:
            raise ValueError(
                f"`nodes[{name!r}].kind` must be one of {', '.join(map(repr, NODE_KINDS))}; "
                f"got {node.kind!r}."
            )
        checked[name] = Node(x, y, label, node.kind)
    return checked


def _check_edges(edges: Any, nodes: Mapping[str, Node], name: str = "edges") -> list:
    if isinstance(edges, (str, bytes, Mapping)) or not isinstance(edges, Iterable):
        raise TypeError(
            f"`{name}` must be a list of (source, target) pairs of node names; got "
            f"{describe(edges)}."
        )
    checked, seen = [], set()
    for k, edge in enumerate(edges):
        if isinstance(edge, (str, bytes)) or not isinstance(edge, Sequence) or len(edge) != 2:
            raise ValueError(
                f"`{name}[{k}]` must be a (source, target) pair of node names; got {edge!r}."
            )
        source, target = edge
        for end in (source, target):
            if end not in nodes:
                raise ValueError(
                    f"`{name}[{k}]` = {tuple(edge)!r} names {end!r}, which is not one of the "
                    f"nodes ({', '.join(nodes)})."
                )
        if source == target:
            raise ValueError(f"`{name}[{k}]` joins {source!r} to itself; a graph has no loops.")
        if (source, target) in seen:
            raise ValueError(f"`{name}[{k}]` = {tuple(edge)!r} is listed twice.")
        seen.add((source, target))
        checked.append((source, target))
    return checked


def _check_acyclic(names: list[str], edges: list[tuple[str, str]]) -> None:
    """A ValueError if the edges contain a cycle (Kahn's algorithm: remove nodes with no
    inputs until none is left; whatever remains lies on a cycle)."""
    n_inputs = dict.fromkeys(names, 0)
    for _, target in edges:
        n_inputs[target] += 1
    ready = [n for n in names if n_inputs[n] == 0]
    done = set()
    while ready:
        node = ready.pop()
        done.add(node)
        for source, target in edges:
            if source == node:
                n_inputs[target] -= 1
                if n_inputs[target] == 0:
                    ready.append(target)
    if len(done) < len(names):
        stuck = [n for n in names if n not in done]
        raise ValueError(
            f"`edges` contain a cycle through {', '.join(stuck)}: a computational graph "
            "must be acyclic (each value computed from values that come before it)."
        )


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
            raise ValueError(
                f"`{name}` has an entry for {key!r}, which is not one of the nodes "
                f"({', '.join(nodes)})."
            )
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
            raise ValueError(
                f"`{name}` names {item!r}, which is not one of the nodes ({', '.join(nodes)})."
            )
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
        ``{name: Node(x, y, label, kind)}``; a plain tuple ``(x, y[, label[, kind]])`` works
        too. See :class:`Node`.
    edges : sequence of (str, str)
        ``(source, target)`` pairs of node names: ``target`` is computed from ``source``.
        They must not form a cycle. Drawn as arrows from source to target.
    values : mapping of str to float, optional
        Forward values to write above nodes (in :data:`VALUE_COLOR`), for the nodes that have
        one so far.
    grads : mapping of str to float, optional
        Gradients ``∂L/∂node`` to write below nodes (in :data:`GRAD_COLOR`).
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
        {(source, target): FancyArrowPatch}, ``"values"`` and ``"grads"``: {name: Text} for
        the nodes that have one, and ``"legend"``: the Legend or None.
    """
    from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

    ax = check_ax(ax)
    nodes = _check_nodes(nodes)
    edges = _check_edges(edges, nodes)
    _check_acyclic(list(nodes), edges)
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
