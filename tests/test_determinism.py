"""Every chapter prints the same numbers every time it runs.

Each chapter is executed twice, each time in a fresh kernel, and the text it shows (printed
output and the plain-text form of results) must be identical. What depends on the machine's
speed or load is left out, by rule rather than case by case, so that the test measures the
chapter, never the machine:

- the outputs of cells tagged ``timing`` (a chapter prints how long something took only in
  such a cell; the benchmarks read them);
- widget outputs (a progress bar's text carries its speed);
- anything else that looks like a duration or a rate, with the spaces around it, so that a
  number printed with one more digit on a slower machine cannot change the padding.

Images are not compared: the numbers behind them are.
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
TIMING_TAG = "timing"
# a duration or a rate, and the padding before it: "  12.5 ms", "3 s", "40.1it/s", "00:05<00:00"
DURATION = re.compile(
    r"\s*\d+(?:\.\d+)?\s?(?:s|ms|µs|us|seconds|minutes|it/s|s/it|steps/s|GFLOP/s)\b"
    r"|\s*\d+:\d\d(?:<\d+:\d\d)?"
)


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
        if TIMING_TAG in cell.get("metadata", {}).get("tags", []):
            continue
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
    return DURATION.sub(" <duration>", "".join(text))


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "numerical     12.5 ms, backpropagation  0.51 ms",
            "numerical    123.4 ms, backpropagation 10.02 ms",
        ),
        ("trained in 9.9 s", "trained in 10.1 s"),
        (
            "epoch 1/3: 100%|##| 215/215 [00:05<00:00, 40.1it/s]",
            "epoch 1/3: 100%|##| 215/215 [01:15<00:00,  2.9it/s]",
        ),
    ],
)
def test_durations_are_masked_whatever_their_width(first, second):
    assert _masked(first) == _masked(second)
    assert _masked("3 epochs, 99.12% accuracy, 215 steps") == "3 epochs, 99.12% accuracy, 215 steps"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_a_chapter_prints_the_same_numbers_twice(path):
    first, second = text_outputs(path), text_outputs(path)
    assert first, f"{path.name} printed nothing"
    differences = [(a, b) for a, b in zip(first, second) if a != b]
    assert len(first) == len(second) and not differences, (
        f"{path.name} is not deterministic; first difference (cell, text): {differences[:1]}"
    )
