"""The chapters are stored clean and follow the anatomy of a chapter.

nbval (run by the same `pytest`) executes every chapter; these tests check the stored files.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def test_there_are_chapters():
    assert len(CHAPTERS) >= 2


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_stored_without_outputs(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    dirty = [
        i
        for i, c in enumerate(notebook["cells"])
        if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))
    ]
    assert not dirty, f"{path.name}: cells {dirty} have outputs; run `nbstripout {path}`"
    assert "widgets" not in notebook["metadata"], f"{path.name} stores widget state"
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_listed_in_the_table_of_contents(path):
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    assert f"chapters/{path.stem}" in toc


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_follows_the_anatomy_of_a_chapter(path):
    text = "\n".join("".join(c["source"]) for c in cells(path) if c["cell_type"] == "markdown")
    assert re.search(r"^# ", text, re.M), "a title"
    assert "**What you'll learn**" in text, "learning objectives up front"
    assert "## Exercises" in text and "## Summary" in text
    assert "<summary>Answer</summary>" in text, "a question with a hidden answer"
    assert "{term}`" in text, "glossary cross-references"
    assert "{cite" in text, "references"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_code_exercise_has_a_checker_and_a_hidden_solution(path):
    code = [c for c in cells(path) if c["cell_type"] == "code"]
    exercises = [
        i
        for i, c in enumerate(code)
        if "# your code here" in "".join(c["source"]) or "# change these" in "".join(c["source"])
    ]
    assert exercises, "at least one code exercise"
    for i in exercises:
        assert "check_" in "".join(code[i]["source"]), "the exercise cell runs a checker"
        solution = code[i + 1]
        assert "".join(solution["source"]).startswith("# Solution")
        assert "hide-input" in solution["metadata"].get("tags", [])
        assert solution["metadata"].get("jupyter", {}).get("source_hidden") is True


def test_nbstripout_would_change_nothing():
    """What README says to run before committing has been run (ids, metadata, outputs)."""
    nbstripout = Path(sys.executable).with_name("nbstripout")
    result = subprocess.run(
        [str(nbstripout), "--verify", *map(str, CHAPTERS)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
