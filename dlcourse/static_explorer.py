"""Explorers that stay interactive on the static website.

A live explorer needs a Python kernel: moving a slider calls ``draw`` again. The book's web
pages have none, so in the book build (:func:`dlcourse.widgets.precomputed_mode`) an explorer
draws *all* states of its controls ahead of time and the page gets this module's small,
self-contained HTML/JS version: the same controls (each control writes its own input, see
:meth:`dlcourse.widgets.Control.html`), and moving them swaps in that state's figure at once.

Figures are stored as lossless WebP (the same pixels as the live PNG, at a third of the
size), and states that look identical share one image. This module only needs an object with
the explorer's ``name``, ``controls``, ``values``, ``states()`` and ``render_pixels()``.
"""

from __future__ import annotations

import base64
import gc
import hashlib
import html
import io
import json
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["MAX_BYTES", "Precomputed", "precompute", "to_html"]

#: The most bytes the figures of one explorer may take (a chapter page must stay under 3 MB).
MAX_BYTES = 1_500_000


@dataclass(frozen=True)
class Precomputed:
    """Every state of an explorer, rendered: ``images[state_of[i]]`` (lossless WebP) is the
    figure of state ``i`` as ``states()`` numbers them; ``size`` is (width, height) in pixels."""

    images: list[bytes]
    state_of: list[int]
    size: tuple[int, int]

    n_states = property(lambda self: len(self.state_of))
    n_bytes = property(lambda self: sum(len(image) for image in self.images), doc="Total size.")


def _encode_image(pixels: np.ndarray) -> bytes:
    """Lossless WebP of RGB pixels of shape (height, width, 3), uint8 (as ``render_pixels``)."""
    from PIL import Image

    buffer = io.BytesIO()
    # quality is the effort in lossless mode: 25 is 2.5 times faster than 100, 3% larger
    Image.fromarray(pixels).save(buffer, format="WEBP", lossless=True, quality=25, method=4)
    return buffer.getvalue()


def _kind(x: Any) -> str:
    return f"an array of dtype {x.dtype}" if isinstance(x, np.ndarray) else type(x).__name__


def _check_explorer(explorer: Any) -> None:
    needed = ("name", "controls", "values", "states", "render_pixels")
    if not all(hasattr(explorer, attribute) for attribute in needed):
        raise TypeError(
            f"`explorer` must be a dlcourse.widgets.Explorer (what explore() returns); "
            f"got {_kind(explorer)}."
        )


def precompute(explorer: Any) -> Precomputed:
    """Render every state of ``explorer`` (an :class:`~dlcourse.widgets.Explorer`)."""
    _check_explorer(explorer)
    images: list[bytes] = []
    seen: dict[bytes, int] = {}
    state_of: list[int] = []
    size = (0, 0)
    # A kernel that has imported torch and matplotlib holds some 400,000 objects, and each full
    # collection of the garbage collector visits them all: a sixth of the drawing time. While
    # the states are drawn they are frozen (left out of collections), then given back.
    gc.freeze()
    try:
        for state in explorer.states():
            pixels = explorer.render_pixels(**state)
            size = (pixels.shape[1], pixels.shape[0])
            digest = hashlib.sha256(pixels.tobytes() + str(pixels.shape).encode()).digest()
            if digest not in seen:
                seen[digest] = len(images)
                images.append(_encode_image(pixels))
            state_of.append(seen[digest])
    finally:
        gc.unfreeze()
    result = Precomputed(images=images, state_of=state_of, size=size)
    if result.n_bytes > MAX_BYTES:
        raise ValueError(
            f"explorer {explorer.name!r}: its {result.n_states} precomputed figures take "
            f"{result.n_bytes / 1e6:.1f} MB, more than the {MAX_BYTES / 1e6:.1f} MB allowed per "
            f"explorer. Use a smaller `figsize` or `dpi`, or fewer states."
        )
    return result


def _tex(label: str) -> str:
    """Escape a label for HTML, turning ``$x$`` into MathJax's inline ``\\(x\\)``."""
    escaped = re.sub(r"\$(.+?)\$", r"\\(\1\\)", html.escape(label))
    return f'<span class="tex2jax_process">{escaped}</span>'


_SCRIPT = """(function () {
  var root = document.currentScript.parentElement, img = root.querySelector("img.dlx-figure");
  var data = JSON.parse(root.querySelector("script.dlx-data").textContent);
  var inputs = root.querySelectorAll("[data-dlx-control]");
  function update() {
    var state = 0;
    data.controls.forEach(function (control, k) {
      var el = inputs[k], i = el.type === "checkbox" ? +el.checked : parseInt(el.value, 10);
      state = state * control.labels.length + i;
      var readout = root.querySelector('[data-dlx-readout="' + k + '"]');
      if (readout) { readout.textContent = control.labels[i]; }
    });
    img.src = "data:image/webp;base64," + data.images[data.state_of[state]];
    img.setAttribute("data-state", state);
  }
  inputs.forEach(function (el) { ["input", "change"].forEach(function (e) {
    el.addEventListener(e, update); }); });
})();"""
_STYLE = (
    "<style>.dlx{border:1px solid #d0d7de;border-radius:6px;padding:10px;margin:8px 0}"
    ".dlx-controls{display:flex;flex-wrap:wrap;gap:6px 22px;align-items:center;margin-bottom:6px;"
    "font-size:0.9em}.dlx-controls label{display:flex;gap:6px;align-items:center}"
    ".dlx-controls input[type=range]{width:180px}.dlx-readout{min-width:3em;font-family:monospace}"
    ".dlx-figure{max-width:100%;height:auto;display:block}"
    ".dlx-note{font-size:0.8em;color:#57606a;margin:6px 0 0}</style>"
)


def to_html(explorer: Any, precomputed: Precomputed | None = None) -> str:
    """One self-contained ``<div class="dlx">``: controls, figure, note, every state, a script.

    ``precomputed`` (from :func:`precompute`) is computed when omitted. The same explorer always
    gives the same HTML: its id is a hash of its content.
    """
    _check_explorer(explorer)
    if precomputed is not None and not isinstance(precomputed, Precomputed):
        raise TypeError(
            f"`precomputed` must be what precompute() returns; got {_kind(precomputed)}."
        )
    pre = precompute(explorer) if precomputed is None else precomputed
    current = explorer.values
    controls_html, controls_data, current_state = [], [], 0
    for k, (name, control) in enumerate(explorer.controls.items()):
        index = control.index(current[name])
        current_state = current_state * len(control) + index
        controls_html.append(control.html(k, index, _tex(control.description or name)))
        controls_data.append({"name": name, "labels": list(control.labels)})
    encoded = [base64.b64encode(image).decode("ascii") for image in pre.images]
    data = json.dumps(
        {"name": explorer.name, "controls": controls_data, "state_of": pre.state_of,
         "images": encoded},
        separators=(",", ":"),
    ).replace("<", "\\u003c")  # fmt: skip
    uid = "dlx-" + hashlib.sha1(f"{current_state} {data}".encode()).hexdigest()[:12]
    width, height = pre.size
    alt = html.escape(f"{explorer.name}: " + ", ".join(f"{k}={v}" for k, v in current.items()))
    note = (
        f"Precomputed explorer: all {pre.n_states} states were drawn when this book was built, "
        "so it works without Python. For the live version, and to change the code, run this "
        "chapter in JupyterLab or launch it on Binder (rocket icon at the top of the page)."
    )
    return (
        f'{_STYLE}<div class="dlx" id="{uid}" data-explorer="{html.escape(explorer.name)}" '
        f'data-n-states="{pre.n_states}">'
        f'<div class="dlx-controls">{"".join(controls_html)}</div>'
        f'<img class="dlx-figure" alt="{alt}" width="{width}" height="{height}" '
        f'data-state="{current_state}" '
        f'src="data:image/webp;base64,{encoded[pre.state_of[current_state]]}">'
        f'<p class="dlx-note">{note}</p>'
        f'<script type="application/json" class="dlx-data">{data}</script>'
        f"<script>{_SCRIPT}</script></div>"
    )
