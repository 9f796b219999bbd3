"""What an executed chapter must show in its exercises: every solution passes, every stub fails.

:func:`exercise_problems` reads a notebook executed by nbclient (``tests/test_determinism.py``
runs every chapter; it calls this on its first run, so no chapter is executed for this alone).
A solution cell starts with ``# Solution``; a stub cell holds ``...  # your code here`` (a
function to write) or ``# change these`` (numbers to choose). Each must end in a checker call
whose result the cell displays: "✔ Correct" for a solution, "✘ Not yet" for a stub. A checker
that crashes, or a cell that discards the result, is a problem too.
"""

from __future__ import annotations

STUB_MARKS = ("...  # your code here", "# change these")


def _shown(cell) -> str:
    """The text a cell displays: its results' plain text, its prints, and its errors."""
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            parts.append(output.get("text", ""))
        elif output.get("output_type") == "error":
            parts.append(f"{output.get('ename')}: {output.get('evalue')}")
        else:
            parts.append("".join(output.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def exercise_problems(notebook) -> list[str]:
    """The problems with the solution and stub cells of an executed notebook (empty if none)."""
    problems = []
    for index, cell in enumerate(notebook.cells):
        source = cell.source if isinstance(cell.source, str) else "".join(cell.source)
        if cell.cell_type != "code":
            continue
        if source.lstrip().startswith("# Solution"):
            kind, want = "solution", "✔ Correct"
        elif any(mark in source for mark in STUB_MARKS):
            kind, want = "exercise stub", "✘ Not yet"
        else:
            continue
        shown = _shown(cell)
        if "check_" not in source:
            problems.append(f"cell {index}: the {kind} calls no checker")
        elif any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            problems.append(f"cell {index}: the {kind} raised {shown.strip()[-200:]}")
        elif want not in shown:
            problems.append(f"cell {index}: the {kind} does not show {want!r}; it shows "
                            f"{shown.strip()[:200]!r}")  # fmt: skip
        elif "could not run" in shown:
            problems.append(f"cell {index}: the checker of the {kind} crashed: {shown[:200]!r}")
    return problems
