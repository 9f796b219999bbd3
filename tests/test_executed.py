"""tests/_executed.py finds solutions that do not pass and stubs that do not fail."""

import nbformat
from _executed import exercise_problems
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output


def cell(source, text=None, error=None, stream=None):
    c = new_code_cell(source)
    if text is not None:
        c.outputs.append(new_output("execute_result", {"text/plain": text}, execution_count=1))
    if stream is not None:
        c.outputs.append(new_output("stream", name="stdout", text=stream))
    if error is not None:
        c.outputs.append(new_output("error", ename=error, evalue="boom", traceback=[]))
    return c


STUB = "def f(x):\n    ...  # your code here\n\n\ncheck_f(f)"
SOLUTION = "# Solution\ndef f(x):\n    return x\n\n\ncheck_f(f)"


def test_a_passing_solution_and_a_failing_stub_are_fine():
    notebook = new_notebook(cells=[
        new_markdown_cell("# Solution in words is not a cell to check"),
        cell(STUB, "✘ Not yet: `f(1)` returned None."),
        cell(SOLUTION, "✔ Correct: `f` passes every test."),
        cell("w = 0.0  # change these\n\ncheck_w(w)", "✘ Not yet: w is wrong."),
        cell("print(1 + 1)", stream="2\n"),
    ])  # fmt: skip
    assert exercise_problems(nbformat.from_dict(notebook)) == []


def test_each_kind_of_problem_is_reported():
    notebook = new_notebook(cells=[
        cell(SOLUTION, "✘ Not yet: `f(1)` returned 2."),  # a solution that fails
        cell(STUB, "✔ Correct: `f` passes every test."),  # a stub that passes
        cell(SOLUTION + "\nresult = 1", None),  # the result discarded
        cell(STUB, error="IndexError"),  # the checker (or the cell) crashed
        cell("# Solution\nx = 1", "1"),  # no checker at all
        cell(SOLUTION, "✔ Correct: x\n✘ Not yet: the check itself could not run (E)."),
    ])  # fmt: skip
    problems = exercise_problems(nbformat.from_dict(notebook))
    assert [p.split(":")[0] for p in problems] == [f"cell {i}" for i in range(6)], problems
    assert "does not show '✔ Correct'" in problems[0] and "'✘ Not yet'" in problems[1]
    assert "raised IndexError" in problems[3] and "calls no checker" in problems[4]
    assert "crashed" in problems[5]
