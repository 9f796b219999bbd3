"""Set the slideshow metadata of every chapter by rule, so that the decks need no hand edits.

Usage (from the repository root)::

    python instructor/tag_slides.py            # rewrite chapters/*.ipynb where needed
    python instructor/tag_slides.py --check    # exit 1 if a chapter is not up to date

Which cell starts a slide is stored in the notebooks as the standard
``{"slideshow": {"slide_type": ...}}`` cell metadata (the same that JupyterLab's property
inspector, RISE and nbconvert's slides exporter read). This script derives it from the cells
themselves, so it can be re-run after any edit or merge and gives the same result
(idempotent); it only touches cells whose value changes, and ``"-"`` (continue the current
slide, the default) is stored as no metadata at all, to keep the diff small.

The rules, first match wins:

1. a cell tagged ``slides-manual`` keeps whatever slideshow metadata it has (set it in
   JupyterLab's property inspector *and* add the tag, or the next run overwrites it);
2. ``skip``: cells tagged ``remove-cell``, the setup heading and the setup cell, exercise
   stubs (``...  # your code here``, or any code cell followed by a solution) and solutions
   (``# Solution``);
3. ``slide``: the title cell (``# ``, with the learning objectives) and every ``## `` heading
   cell (sections, the exercises, the summary);
4. ``subslide``: every ``### `` heading cell, and every cell that shows a figure or an
   explorer (code cells tagged ``hide-input`` or calling ``explore(``), so that each main
   figure gets a slide of its own;
5. ``notes``: prose cells without a heading longer than :data:`NOTES_CHARS` characters:
   they go to the speaker notes (press ``s`` in a deck). A prose cell with a ``##``/``###``
   heading further down stays on the slide; ``build_slides.py`` starts a new slide at the
   heading;
6. everything else continues the current slide (``-``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MANUAL_TAG = "slides-manual"
NOTES_CHARS = 1000
SETUP_MARKER = "google.colab"  # the setup cell installs the course package on Colab
STUB_MARKER = "# your code here"
SOLUTION_MARKER = "# Solution"

__all__ = ["main", "slide_type", "tag_notebook"]


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def slide_type(cell, index: int, next_cell=None) -> str | None:
    """The slide type the rules give ``cell``, the ``index``-th of its notebook.

    ``next_cell`` is the cell after it (an exercise's stub is followed by its solution).
    ``None`` means "leave as it is" (a manually tagged cell).
    """
    if MANUAL_TAG in _tags(cell):
        return None
    source = _source(cell).strip()
    first_line = source.splitlines()[0] if source else ""
    if cell["cell_type"] == "code":
        if (
            "remove-cell" in _tags(cell)
            or SETUP_MARKER in source
            or STUB_MARKER in source
            or source.startswith(SOLUTION_MARKER)
            or (next_cell is not None and _source(next_cell).startswith(SOLUTION_MARKER))
        ):
            return "skip"
        if "hide-input" in _tags(cell) or re.search(r"\bexplore\(", source):
            return "subslide"
        return "-"
    if cell["cell_type"] != "markdown":
        return "skip"
    if "remove-cell" in _tags(cell) or first_line.lower() == "## setup":
        return "skip"
    if index == 0 or first_line.startswith(("# ", "## ")):
        return "slide"
    if first_line.startswith("### "):
        return "subslide"
    if re.search(r"^#{2,3} ", source, re.M):  # a section starts inside: the build splits it
        return "-"
    if len(source) > NOTES_CHARS:
        return "notes"
    return "-"


def tag_notebook(nb: dict) -> int:
    """Set the slideshow metadata of every cell of ``nb`` in place; return how many changed."""
    changed = 0
    cells = nb["cells"]
    for index, cell in enumerate(cells):
        wanted = slide_type(cell, index, cells[index + 1] if index + 1 < len(cells) else None)
        if wanted is None:
            continue
        metadata = cell.setdefault("metadata", {})
        current = metadata.get("slideshow", {}).get("slide_type", "-")
        if current == wanted and (wanted != "-" or "slideshow" not in metadata):
            continue
        updated = {k: v for k, v in metadata.items() if k != "slideshow"}
        if wanted != "-":
            updated["slideshow"] = {"slide_type": wanted}
        cell["metadata"] = dict(sorted(updated.items()))  # nbformat writes keys sorted
        changed += 1
    return changed


def chapters() -> list[Path]:
    return sorted((ROOT / "chapters").glob("*.ipynb"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: chapters/*.ipynb")
    parser.add_argument("--check", action="store_true", help="only report; exit 1 if stale")
    args = parser.parse_args(argv)
    stale = []
    for path in args.notebooks or chapters():
        text = path.read_text(encoding="utf-8")
        nb = json.loads(text)
        changed = tag_notebook(nb)
        if not changed:
            continue
        stale.append(f"{path.name}: {changed} cells")
        if not args.check:
            path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    verb = "would change" if args.check else "changed"
    print(f"{verb}: " + ", ".join(stale) if stale else "slideshow metadata up to date")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
