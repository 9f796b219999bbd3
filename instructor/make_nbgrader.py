"""Turn the chapters' exercises into an nbgrader course folder (one assignment per chapter).

Usage (from the repository root)::

    python instructor/make_nbgrader.py                 # writes _build/nbgrader/
    python instructor/make_nbgrader.py --out /srv/nbgrader/dlcourse chapters/04_*.ipynb

The chapters stay the one source: this writes generated files only. In
``<out>/source/<chapter>/<chapter>.ipynb`` each chapter is the whole notebook, with

- every **code exercise** (a stub with a checker call, such as
  ``def f(...): ...  # your code here``, followed by its ``# Solution`` cell) as an
  *autograded answer* cell: the stub's ``def`` line(s) with the solution's body between
  nbgrader's ``### BEGIN SOLUTION`` and ``### END SOLUTION`` markers (a stub of values to
  change keeps its lines, the solution's follow in the region), followed by a read-only
  *autograder test* cell worth
  :data:`CODE_POINTS` points that runs the course's checker and asserts that it passed;
- every **question** (``<details><summary>Answer</summary>...</details>`` in the text) as the
  question's text followed by a *manually graded answer* cell worth :data:`QUESTION_POINTS`
  point, holding the model answer (students see "YOUR ANSWER HERE").

``<out>/nbgrader_config.py`` makes nbgrader release the stub exactly as the book shows it
(``...  # your code here``) and gives cells the book's time limit. Then, in ``<out>``::

    nbgrader generate_assignment 04_multilayer_perceptron   # -> release/ (no solutions)
    nbgrader autograde 04_multilayer_perceptron             # grades submitted/*/...
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "_build" / "nbgrader"
CODE_POINTS = 2
QUESTION_POINTS = 1
SOLUTION_MARKER = "# Solution"
CODE_STUB = "...  # your code here"
DETAILS = re.compile(
    r"<details>\s*<summary>\s*Answer\s*</summary>\s*(.*?)\s*</details>[ \t]*\n?", re.S | re.I
)
CONFIG = """\
# nbgrader configuration written by instructor/make_nbgrader.py (generated: do not edit).
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "dlcourse"
# released stubs look exactly like the book's exercise cells
c.ClearSolutions.code_stub = {{"python": {code_stub!r}}}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# the book's limit per cell (_config.yml: execute.timeout); chapter 13 trains a CNN
c.Execute.timeout = {timeout}
c.Execute.interrupt_on_timeout = True
# a busy grading machine may flush a cell's output late: wait for it (nbclient waits 4 s)
c.Execute.iopub_timeout = 120
# and may take longer than nbclient's 60 s to start a kernel
c.Execute.startup_timeout = 300
"""

__all__ = ["CODE_POINTS", "QUESTION_POINTS", "convert_notebook", "make_course"]


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _nbgrader(grade_id: str, *, grade: bool, solution: bool, locked: bool, points=None) -> dict:
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if grade:
        meta["points"] = points
    return meta


def _cell(cell_type: str, source: str, cell_id: str, nbgrader: dict | None = None) -> dict:
    cell = {"cell_type": cell_type, "id": cell_id, "metadata": {}, "source": source}
    if cell_type == "code":
        cell.update(execution_count=None, outputs=[])
    if nbgrader is not None:
        cell["metadata"]["nbgrader"] = nbgrader
    return cell


def _is_checker_call(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Call)
        and isinstance(statement.value.func, ast.Name)
        and statement.value.func.id.startswith("check_")
    )


def _is_stub_function(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.FunctionDef)
        and len(statement.body) == 1
        and isinstance(statement.body[0], ast.Expr)
        and isinstance(statement.body[0].value, ast.Constant)
        and statement.body[0].value.value is Ellipsis
    )


def _lines(source: str, first: int, last: int) -> list[str]:
    """Lines ``first`` to ``last`` (1-based, inclusive) of ``source``."""
    return source.splitlines()[first - 1 : last]


def _answer_source(stub: str, solution: str) -> tuple[str, list[str]]:
    """The answer cell's source, and the checker calls of the stub.

    The stub stays as it is, without its checker calls, and the ``...`` body of each of its
    functions becomes the solution's body between the solution markers. Solution lines
    outside those functions (prints and asserts that use the chapter's variables) are left
    out: they are the book's illustration, not the answer. A stub of another shape (values
    to change) keeps its lines, and the solution's lines follow them in the solution region.
    """
    stub_tree, solution_tree = ast.parse(stub), ast.parse(solution)
    checks = [ast.get_source_segment(stub, s) for s in stub_tree.body if _is_checker_call(s)]
    solved = {s.name: s for s in solution_tree.body if isinstance(s, ast.FunctionDef)}
    functions = [s for s in stub_tree.body if _is_stub_function(s)]
    if not functions or any(f.name not in solved for f in functions):
        # values to fill in: the stub's lines stay (students edit them), the solution's
        # follow in the solution region
        given = [_with_comment(stub, s) for s in stub_tree.body if not _is_checker_call(s)]
        body = [_with_comment(solution, s) for s in solution_tree.body if not _is_checker_call(s)]
        return "\n".join([*given, "### BEGIN SOLUTION", *body, "### END SOLUTION"]), checks
    lines = stub.splitlines()
    replace = {}  # line number of a stub's `...` -> the solution region in its place
    for function in functions:
        body_line = function.body[0].lineno
        indent = re.match(r"\s*", lines[body_line - 1]).group(0)
        solved_function = solved[function.name]
        body = _lines(solution, solved_function.body[0].lineno, solved_function.end_lineno)
        replace[body_line] = [f"{indent}### BEGIN SOLUTION", *body, f"{indent}### END SOLUTION"]
    dropped = {
        n for s in stub_tree.body if _is_checker_call(s) for n in range(s.lineno, s.end_lineno + 1)
    }
    answer = []
    for number, line in enumerate(lines, start=1):
        if number not in dropped:
            answer += replace.get(number, [line])
    return "\n".join(answer).rstrip(), checks


def _with_comment(source: str, statement: ast.stmt) -> str:
    """The whole lines of ``statement``, trailing comments included."""
    return "\n".join(_lines(source, statement.lineno, statement.end_lineno))


def _test_source(checks: list[str]) -> str:
    lines = []
    for k, call in enumerate(checks):
        name = "result" if len(checks) == 1 else f"result_{k + 1}"
        lines += [
            f"{name} = {call}",
            f'assert {name}.passed, "the checker did not pass: read its message above"',
        ]
    return "\n".join(lines)


def convert_notebook(nb: dict, prefix: str) -> tuple[dict, dict[str, int]]:
    """An nbgrader source notebook from a chapter; also ``{"code": n, "questions": n}``."""
    nb = copy.deepcopy(nb)
    cells, counts = [], {"code": 0, "questions": 0}
    source_cells = nb["cells"]
    i = 0
    while i < len(source_cells):
        cell = source_cells[i]
        source = _source(cell)
        cell.get("metadata", {}).pop("slideshow", None)
        nxt = source_cells[i + 1] if i + 1 < len(source_cells) else None
        if (
            cell["cell_type"] == "code"
            and nxt is not None
            and nxt["cell_type"] == "code"
            and _source(nxt).startswith(SOLUTION_MARKER)
        ):
            counts["code"] += 1
            k = counts["code"]
            solution = _source(nxt).split("\n", 1)[1]
            answer, checks = _answer_source(source, solution)
            if checks:
                cells.append(
                    _cell(
                        "code",
                        answer,
                        f"{prefix}-exercise-{k}",
                        _nbgrader(f"exercise_{k}", grade=False, solution=True, locked=False),
                    )
                )
                cells.append(
                    _cell(
                        "code",
                        _test_source(checks),
                        f"{prefix}-exercise-{k}-test",
                        _nbgrader(
                            f"exercise_{k}_test",
                            grade=True,
                            solution=False,
                            locked=True,
                            points=CODE_POINTS,
                        ),
                    )
                )
            else:  # no checker: a human grades the code
                cells.append(
                    _cell(
                        "code",
                        answer,
                        f"{prefix}-exercise-{k}",
                        _nbgrader(
                            f"exercise_{k}",
                            grade=True,
                            solution=True,
                            locked=False,
                            points=CODE_POINTS,
                        ),
                    )
                )
            i += 2
            continue
        if cell["cell_type"] == "markdown" and DETAILS.search(source):
            rest = source
            while (match := DETAILS.search(rest)) is not None:
                counts["questions"] += 1
                k = counts["questions"]
                question = rest[: match.start()].strip()
                if question:
                    cells.append(_cell("markdown", question, f"{prefix}-question-{k}"))
                cells.append(
                    _cell(
                        "markdown",
                        match.group(1).strip(),
                        f"{prefix}-question-{k}-answer",
                        _nbgrader(
                            f"question_{k}",
                            grade=True,
                            solution=True,
                            locked=False,
                            points=QUESTION_POINTS,
                        ),
                    )
                )
                rest = rest[match.end() :]
            if rest.strip():
                cells.append(_cell("markdown", rest.strip(), f"{prefix}-after-questions-{k}"))
            i += 1
            continue
        cells.append(cell)
        i += 1
    nb["cells"] = cells
    return nb, counts


def _toc_chapters() -> list[Path]:
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [c["file"] for part in toc.get("parts", []) for c in part["chapters"]]
    return [ROOT / f"{f}.ipynb" for f in files if f.startswith("chapters/")]


def _timeout() -> int:
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    return int(config.get("execute", {}).get("timeout", 300))


def make_course(chapters: list[Path], out: Path) -> dict[str, dict[str, int]]:
    """Write the nbgrader course folder; return the exercise counts of each assignment."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "nbgrader_config.py").write_text(
        CONFIG.format(code_stub=CODE_STUB, timeout=_timeout()), encoding="utf-8"
    )
    summary = {}
    for path in chapters:
        nb = json.loads(path.read_text(encoding="utf-8"))
        converted, counts = convert_notebook(nb, prefix="nbgrader")
        folder = out / "source" / path.stem
        folder.mkdir(parents=True, exist_ok=True)
        (folder / path.name).write_text(
            json.dumps(converted, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        summary[path.stem] = counts
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapters", nargs="*", type=Path, help="default: every chapter of _toc.yml")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the nbgrader course folder")
    args = parser.parse_args(argv)
    chapters = [p.resolve() for p in args.chapters] or _toc_chapters()
    summary = make_course(chapters, args.out)
    for stem, counts in summary.items():
        points = counts["code"] * CODE_POINTS + counts["questions"] * QUESTION_POINTS
        print(
            f"{stem}: {counts['code']} autograded exercises, {counts['questions']} questions "
            f"graded by hand, {points} points"
        )
    print(f"nbgrader course folder: {args.out} (run nbgrader there; see README)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
