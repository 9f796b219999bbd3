"""Every chapter prints the same numbers every time it runs.

Each chapter is executed twice, each time in a fresh kernel, and the text it shows (printed
output and the plain-text form of results) must be identical. Two things are left out, by
rule rather than case by case: durations printed in seconds (a training loop may report how
long it took; the benchmark reads them) and widget outputs (a progress bar's text carries its
speed). Images are not compared: the numbers behind them are.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from _executed import exercise_problems
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
WIDGET = "application/vnd.jupyter.widget-view+json"
DURATION = re.compile(r"\b\d+(?:\.\d+)?\s?(?:s|ms|seconds)\b")


def text_outputs(path: Path) -> list[tuple[int, str]]:
    """Execute ``path`` in a fresh kernel; return (cell index, text) for every text output."""
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    problems = exercise_problems(notebook)  # issue 15: solutions pass, stubs fail
    assert not problems, f"{path.name}: " + "; ".join(problems)
    texts = []
    for index, cell in enumerate(notebook.cells):
        # a stream may arrive in more or fewer pieces from run to run: join each one up
        streams: dict[str, str] = {}
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                streams[output["name"]] = streams.get(output["name"], "") + output["text"]
            elif WIDGET not in output.get("data", {}):
                texts.append((index, _masked(output.get("data", {}).get("text/plain", ""))))
        texts += [(index, f"{name}: {_masked(text)}") for name, text in sorted(streams.items())]
    return texts


def _masked(text: str | list) -> str:
    return DURATION.sub("<duration>", "".join(text))


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_a_chapter_prints_the_same_numbers_twice(path):
    first, second = text_outputs(path), text_outputs(path)
    assert first, f"{path.name} printed nothing"
    differences = [(a, b) for a, b in zip(first, second) if a != b]
    assert len(first) == len(second) and not differences, (
        f"{path.name} is not deterministic; first difference (cell, text): {differences[:1]}"
    )
