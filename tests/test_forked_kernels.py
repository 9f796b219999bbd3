"""tools/forked_kernels.py: a kernel forked from the build's template runs a notebook as a
kernel started as usual does; interrupts reach it, it ends with its launcher, and the
template ends with its build."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from jupyter_client import KernelManager
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / "tools" / "forked_kernels.py"
_spec = importlib.util.spec_from_file_location("forked_kernels", TOOL)
forked_kernels = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(forked_kernels)

FOLDER = ROOT / "chapters"
CELLS = [
    'import sys\nprint("torch imported before the first cell:", "torch" in sys.modules)',
    "import os\nprint(os.getcwd(), os.environ.get('DLCOURSE_WORKERS'))",
    "import torch\ntorch.manual_seed(0)\nprint(torch.randn(3), torch.get_num_threads() >= 1)",
    "import matplotlib.pyplot as plt\nfig, ax = plt.subplots(figsize=(2, 1.5))\n"
    "ax.plot([0, 1, 2], [1, 0, 1])\nplt.show()",
    "from dlcourse.widgets import Slider, explore\nexplore(lambda ax, w: ax.plot([0, w]), "
    "w=Slider(0, 2, 1))",
]


def run(cells: list[str], **options) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}  # fmt: skip
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    options = {"timeout": 600, **options}  # timeout_func, if given, takes precedence
    NotebookClient(notebook, resources={"metadata": {"path": str(FOLDER)}}, **options).execute()
    return notebook


def outputs(notebook: nbformat.NotebookNode) -> list:
    """Each cell's outputs, without execution counts, and each run of one stream joined up.

    A kernel sends what a cell prints in pieces, each time its buffer is flushed (every 0.2 s):
    on a busy machine ``print("agg")`` can arrive as "agg" and then "\\n".
    """
    cells = []
    for cell in notebook.cells:
        joined: list[dict] = []
        for output in cell.outputs:
            output = {k: v for k, v in output.items() if k != "execution_count"}
            last = joined[-1] if joined else {}
            streams = output["output_type"] == last.get("output_type") == "stream"
            if streams and last["name"] == output["name"]:
                last["text"] += output["text"]
            else:
                joined.append(output)
        cells.append(joined)
    return cells


@pytest.fixture(scope="module")
def template():
    """The build's environment (explorers precomputed, workers set), and the template."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DLCOURSE_WORKERS", "1")
        env.setenv("DLCOURSE_STATIC_EXPLORERS", "1")
        env.delenv("MPLBACKEND", raising=False)  # conftest sets it; the build does not
        # pytest names the current test in the environment; no library reads these on import
        per_kernel = ("PYTEST_CURRENT_TEST", "COLUMNS", "LINES")
        with forked_kernels.forked_kernels(FOLDER, per_kernel=per_kernel) as forked:
            yield forked


def test_a_forked_kernel_runs_a_notebook_as_a_started_one(template, monkeypatch):
    assert template, "the template did not start"
    forked = outputs(run(CELLS))
    _ours, *others = os.environ["JUPYTER_PATH"].split(os.pathsep)
    monkeypatch.setenv("JUPYTER_PATH", os.pathsep.join(others))  # python3: the usual kernel
    started = outputs(run(CELLS))
    assert forked[0][0]["text"] == "torch imported before the first cell: True\n"
    assert started[0][0]["text"] == "torch imported before the first cell: False\n"
    assert forked[1][0]["text"] == f"{FOLDER} 1\n"
    assert "image/png" in forked[3][0]["data"]
    assert "data-dlx-control" in forked[4][0]["data"]["text/html"]  # a precomputed explorer
    assert forked[1:] == started[1:]


def test_a_kernel_for_another_environment_starts_as_usual(template, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "agg")  # would change what matplotlib does when imported
    notebook = run([CELLS[0], "import matplotlib\nprint(matplotlib.get_backend())"])
    assert outputs(notebook)[0][0]["text"] == "torch imported before the first cell: False\n"
    assert outputs(notebook)[1][0]["text"] == "agg\n"


def test_an_interrupt_reaches_a_forked_kernel(template):
    cells = [CELLS[0], "import time\ntime.sleep(600)", "print('still running')"]

    def timeout(cell) -> int:  # only the sleep times out: the other cells have all the time
        return 5 if "sleep" in cell.source else 600

    notebook = run(cells, timeout_func=timeout, interrupt_on_timeout=True, allow_errors=True)
    got = outputs(notebook)
    assert got[0][0]["text"] == "torch imported before the first cell: True\n"
    assert got[1][0]["ename"] == "KeyboardInterrupt"
    assert got[2][0]["text"] == "still running\n"


def test_a_forked_kernel_ends_with_its_launcher(template):
    manager = KernelManager(kernel_name="python3")
    manager.start_kernel(cwd=str(FOLDER))
    client, texts = manager.client(), []
    client.start_channels()
    try:
        client.wait_for_ready(timeout=600)
        reply = client.execute_interactive(
            "import os; print(os.getpid())", timeout=600,
            output_hook=lambda msg: texts.append(msg["content"].get("text", "")),
        )  # fmt: skip
    finally:
        client.stop_channels()
    assert reply["content"]["status"] == "ok"
    kernel = int("".join(texts))
    launcher = manager.provisioner.process.pid
    assert kernel != launcher  # forked by the template, not the launcher itself
    os.kill(launcher, signal.SIGKILL)
    manager.provisioner.process.wait()
    deadline = time.monotonic() + 120  # it takes 0.05 s
    while _alive(kernel) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(kernel)
    manager.cleanup_resources()


def test_a_template_ends_when_its_build_is_killed(tmp_path):
    """A build killed outright (SIGKILL) must not leave its template running for ever."""
    path = tmp_path / "template.sock"
    build = subprocess.Popen([sys.executable, "-c", (
        "import subprocess, sys, time\n"
        f"subprocess.Popen([sys.executable, {str(TOOL)!r}, 'serve', {str(path)!r}])\n"
        "time.sleep(600)"
    )])  # fmt: skip
    deadline = time.monotonic() + 600
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert path.exists(), "the template did not start"
    children = Path(f"/proc/{build.pid}/task/{build.pid}/children").read_text().split()
    assert len(children) == 1
    template = int(children[0])
    build.kill()
    build.wait()
    deadline = time.monotonic() + 120  # it takes 0.05 s
    while _alive(template) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(template)


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs (an ended one not yet collected by its parent does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"
