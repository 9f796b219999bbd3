"""The exercises as an nbgrader assignment, graded by the real nbgrader.

The conversion tests read the stored chapters. The grading test builds a temporary nbgrader
course with ``instructor/make_nbgrader.py``, runs ``nbgrader generate_assignment`` and
``nbgrader autograde`` on every chapter, and checks that the released notebooks hold no
solution, that the solutions get every autograded point and that untouched notebooks get none.
It executes every chapter twice (the autograder runs each submission), so it takes a few
minutes. nbgrader is an instructor tool (``requirements-instructor.txt``): outside CI the test
skips when it is missing; in CI (``CI=true``) that is a failure. ``DLCOURSE_NBGRADER_CHAPTERS``
(e.g. ``01,10a,13``) grades only those chapters, for a quick run while editing.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from itertools import pairwise
from pathlib import Path

import pytest
from _instructor import IN_CI, load_script

ROOT = Path(__file__).resolve().parents[1]


make_nbgrader = load_script("make_nbgrader")
CHAPTERS = make_nbgrader._toc_chapters()
IDS = [path.stem for path in CHAPTERS]
DETAILS = re.compile(r"<details>\s*<summary>\s*Answer", re.I)


def _source(cell) -> str:
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else source


def _code_lines(source: str) -> list[str]:
    """The lines of a cell without blank lines and the stub line ``...  # your code here``."""
    return [
        line for line in source.splitlines() if line.strip() not in ("", "...  # your code here")
    ]


def _notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- the conversion


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_every_exercise_becomes_a_graded_cell(path):
    nb = _notebook(path)
    stubs = sum(_source(c).startswith("# Solution") for c in nb["cells"])
    questions = sum(len(DETAILS.findall(_source(c))) for c in nb["cells"])
    converted, counts = make_nbgrader.convert_notebook(nb, prefix="nbgrader")
    assert counts == {"code": stubs, "questions": questions}
    assert stubs >= 1
    cells = converted["cells"]
    graded = [c["metadata"]["nbgrader"] for c in cells if "nbgrader" in c["metadata"]]
    answers = [c for c in cells if c["metadata"].get("nbgrader", {}).get("grade") is False]
    tests = [c for c in cells if c["metadata"].get("nbgrader", {}).get("locked")]
    written = [c for c in cells if c["cell_type"] == "markdown" and "nbgrader" in c["metadata"]]
    assert len(answers) == len(tests) == stubs
    assert len(written) == questions
    for answer in answers:
        assert "### BEGIN SOLUTION" in _source(answer) and "### END SOLUTION" in _source(answer)
    for test in tests:
        assert re.search(r"= check_\w+\(", _source(test)) and ".passed" in _source(test)
        assert test["metadata"]["nbgrader"]["points"] == make_nbgrader.CODE_POINTS
    assert not any(_source(c).startswith("# Solution") for c in cells)
    assert not any("# your code here" in _source(c) for c in cells)
    assert not any(DETAILS.search(_source(c)) for c in cells)
    assert len({g["grade_id"] for g in graded}) == len(graded)
    assert len({c["id"] for c in cells}) == len(cells)


def test_an_answer_keeps_the_stub_and_drops_the_illustration():
    stub = "def area(w, h):\n    ...  # your code here\n\n\nShape.area = area\ncheck_area(area)\n"
    solution = (
        "# Solution\ndef area(w, h):\n    return w * h   # width times height\n\n\n"
        "Shape.area = area\nprint(area(2, 3))\ncheck_area(area)\n"
    )
    nb = {
        "cells": [
            {"cell_type": "code", "id": "a", "metadata": {}, "source": stub, "outputs": []},
            {"cell_type": "code", "id": "b", "metadata": {}, "source": solution, "outputs": []},
        ],
        "metadata": {},
    }
    converted, _ = make_nbgrader.convert_notebook(nb, prefix="x")
    answer, test = converted["cells"]
    assert _source(answer) == (
        "def area(w, h):\n    ### BEGIN SOLUTION\n    return w * h   # width times height\n"
        "    ### END SOLUTION\n\n\nShape.area = area"
    )
    assert _source(test) == (
        "result = check_area(area)\n"
        'assert result.passed, "the checker did not pass: read its message above"'
    )


# ---------------------------------------------------------------- the real nbgrader


def _nbgrader(courses: list[Path], *args: str) -> None:
    """Run ``nbgrader *args`` in each course folder, all at once (one process each)."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")  # this checkout
    env["MPLBACKEND"] = "Agg"
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "nbgrader", *args],
            cwd=course,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for course in courses
    ]
    for run in runs:
        out, err = run.communicate()
        assert run.returncode == 0 and "| ERROR]" not in err, _failure(out + err)


def _failure(log: str) -> str:
    """The part of nbgrader's log that says what went wrong: its first traceback, and the end."""
    start = log.find("Traceback")
    first = log[max(start - 1500, 0) : start + 6000] if start >= 0 else ""
    return first + "\n[...]\n" + log[-2000:]


STUDENTS = {"solutions": "source", "untouched": "release"}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """One course folder per student, graded side by side; ``{student: folder}``."""
    if importlib.util.find_spec("nbgrader") is None:
        message = "nbgrader is not installed: `pip install -r requirements-instructor.txt`"
        if IN_CI:
            pytest.fail(f"{message} (required in CI)")
        pytest.skip(message)
    wanted = os.environ.get("DLCOURSE_NBGRADER_CHAPTERS", "")
    chapters = [p for p in CHAPTERS if not wanted or p.stem.split("_")[0] in wanted.split(",")]
    courses = {student: tmp_path_factory.mktemp(f"course_{student}") for student in STUDENTS}
    for folder in courses.values():
        make_nbgrader.make_course(chapters, folder)
    start = time.perf_counter()
    _nbgrader(list(courses.values()), "generate_assignment", "--assignment=*")
    for student, folder in courses.items():
        for path in chapters:
            target = folder / "submitted" / student / path.stem
            target.mkdir(parents=True)
            shutil.copy(folder / STUDENTS[student] / path.stem / path.name, target / path.name)
    _nbgrader(list(courses.values()), "autograde", "--assignment=*", "--create")
    print(f"\nnbgrader: {len(chapters)} chapters graded in {time.perf_counter() - start:.0f} s")
    return courses, chapters


def _scores(courses: dict[str, Path], chapters: list[Path]) -> dict:
    from nbgrader.api import Gradebook

    scores = {}
    for student, course in courses.items():
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
            for path in chapters:
                submission = gradebook.find_submission(path.stem, student)
                (nb,) = submission.notebooks
                scores[path.stem, student] = {
                    "code": nb.code_score,
                    "max_code": nb.max_code_score,
                    "written": nb.written_score,
                    "max_written": nb.max_written_score,
                }
    return scores


def test_released_notebooks_hold_no_solution(course):
    """Each answer cell is released as the book's stub; each written answer is blank."""
    courses, chapters = course
    course_dir = courses["untouched"]
    for path in chapters:
        text = (course_dir / "release" / path.stem / path.name).read_text(encoding="utf-8")
        assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
        released = json.loads(text)["cells"]
        cells = _notebook(path)["cells"]
        stubs = [_source(a) for a, b in pairwise(cells) if _source(b).startswith("# Sol")]
        answers = [c for c in released if c["metadata"].get("nbgrader", {}).get("solution")]
        code = [c for c in answers if c["cell_type"] == "code"]
        assert len(code) == len(stubs)
        for stub, cell in zip(stubs, code):
            expected = [line for line in _code_lines(stub) if not line.startswith("check_")]
            assert _code_lines(_source(cell)) == expected, f"{path.stem}: {_source(cell)}"
        for cell in answers:
            if cell["cell_type"] == "markdown":
                assert _source(cell) == "YOUR ANSWER HERE"


def test_solutions_score_full_marks_and_untouched_notebooks_zero(course):
    courses, chapters = course
    scores = _scores(courses, chapters)
    print("\nchapter                          solutions (auto)  untouched (auto + written)")
    for path in chapters:
        solved, untouched = scores[path.stem, "solutions"], scores[path.stem, "untouched"]
        print(
            f"{path.stem:32s} {solved['code']:4.0f} / {solved['max_code']:<4.0f}      "
            f"{untouched['code']:.0f} + {untouched['written']:.0f} / "
            f"{untouched['max_code'] + untouched['max_written']:.0f}"
        )
    for path in chapters:
        solved, untouched = scores[path.stem, "solutions"], scores[path.stem, "untouched"]
        assert solved["max_code"] > 0
        assert solved["code"] == solved["max_code"], f"{path.stem}: {solved}"
        assert untouched["code"] == 0 and untouched["written"] == 0, f"{path.stem}: {untouched}"
