"""Binder and Colab: the two ways a reader runs a chapter without installing anything."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
REPOSITORY = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]


def requirement_names(path: Path) -> set[str]:
    names = set()
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            names.add(re.split(r"[<>=!~\[ ]", line)[0].lower())
    return names


def test_binder_configuration_is_python_311_with_cpu_torch():
    requirements = (ROOT / "binder" / "requirements.txt").read_text()
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in requirements
    assert re.search(r"^torch==[\d.]+\+cpu$", requirements, re.M)
    assert re.search(r"^-e \.$", requirements, re.M)
    # Binder gets everything a reader needs to run the chapters (not the book or test tools).
    runtime = {"jupyterlab", "ipywidgets", "ipykernel", "numpy", "matplotlib", "torch", "tqdm"}
    assert runtime <= requirement_names(ROOT / "requirements.txt")
    assert runtime <= requirement_names(ROOT / "binder" / "requirements.txt")


def test_repo2docker_builds_from_binder_requirements_on_python_311():
    repo2docker = Path(sys.executable).with_name("jupyter-repo2docker")
    result = subprocess.run(
        [str(repo2docker), "--no-build", "--debug", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    output = result.stdout + result.stderr
    assert "Building conda environment for python=3.11" in output
    assert re.search(r'pip install --no-cache-dir -r "binder/requirements.txt"', output)
    assert "COPY --chown=0:0 src/binder/requirements.txt" in output


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_setup_cell_installs_the_course_on_colab_only(path):
    cells = json.loads(path.read_text())["cells"]
    setup = next("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert 'if "google.colab" in sys.modules:' in setup
    assert f"git+{REPOSITORY}" in setup, "the Colab install must use repository.url"
    assert "enable_custom_widget_manager()" in setup
    # elsewhere the guarded block does nothing: running the cell here must not install
    guarded = setup.split('if "google.colab" in sys.modules:')[1].split("\n\n")[0]
    assert all(
        line.startswith((" ", "\t")) or not line.strip() for line in guarded.splitlines()[1:]
    ), "only the indented block is Colab's"
