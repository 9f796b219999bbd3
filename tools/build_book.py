"""Build the book: execute its notebooks in parallel into the build's cache, then build.

``jupyter-book build`` executes notebooks one at a time. This script first executes every
notebook of the table of contents that is not cached yet, several at once (as many as the
cores allow), into the same jupyter-cache that the build reads (``_build/.jupyter_cache``),
with the same switch the book's Sphinx extension sets (explorers precomputed for the static
site). It then runs the strict build, ``jupyter-book build . -W -n --keep-going``, which finds
every notebook cached and executes nothing again. A notebook that fails here is left to the
build, which executes it again and reports the error. Run from anywhere::

    .venv/bin/python tools/build_book.py             # what README's first command runs
    .venv/bin/python tools/build_book.py --workers 1 # one notebook at a time
    .venv/bin/python tools/build_book.py --no-fork   # each kernel started as usual
    .venv/bin/python tools/build_book.py --profile   # where each chapter's time goes, no build
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from pathlib import Path

import nbformat
import yaml
from forked_kernels import forked_kernels
from jupyter_cache import get_cache
from jupyter_cache.executors.basic import ExecutionWorkerLocalMProc, ProcessData

from dlcourse.reproducibility import WORKERS_ENV, fair_thread_count
from dlcourse.widgets import PRECOMPUTED_ENV as STATIC_EXPLORERS  # what dlcourse.sphinxext sets

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = str(Path(sys.executable).with_name("jupyter-book"))
BUILD = [JUPYTER_BOOK, "build", ".", "-W", "-n", "--keep-going"]

# Appended by --profile: the kernel's CPU seconds in all, and in drawing explorer states.
PROFILE_START = """
import time as _t
import dlcourse.static_explorer as _se
_drawing, _to_html = [0.0], _se.to_html
def _timed_to_html(*args, **kwargs):
    start = _t.process_time()
    try:
        return _to_html(*args, **kwargs)
    finally:
        _drawing[0] += _t.process_time() - start
_se.to_html = _timed_to_html
"""
PROFILE_END = 'print("DLCOURSE_PROFILE", _t.process_time(), _drawing[0])'


def toc_notebooks(root: Path) -> list[Path]:
    """The notebooks the table of contents lists, in its order."""
    files: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("file"), str):
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8")))
    paths = [root / (f if f.endswith(".ipynb") else f + ".ipynb") for f in files]
    return [p for p in paths if p.is_file()]


def execute_settings(root: Path) -> dict:
    """The cache folder, cell timeout and error policy of ``_config.yml``'s execute section."""
    execute = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))["execute"]
    return {
        "cache": root / (execute.get("cache") or "_build/.jupyter_cache"),
        "timeout": int(execute.get("timeout", 30)),
        "allow_errors": bool(execute.get("allow_errors", False)),
    }


def pre_execute(root: Path, workers: int | None, fork: bool = True) -> int:
    """Execute the notebooks the cache lacks, ``workers`` at a time; return how many failed.

    With ``fork``, kernels are forked from one that has imported their libraries (on Linux;
    see ``tools/forked_kernels.py``): a kernel then starts in milliseconds, not seconds.
    """
    settings = execute_settings(root)
    cache = get_cache(settings["cache"])
    stale = []
    for path in toc_notebooks(root):
        try:
            cache.match_cache_notebook(nbformat.read(path, as_version=4))
        except KeyError:
            stale.append(path)
    if not stale:
        print("pre-execution: every notebook is cached", flush=True)
        return 0
    # the longest first, so that no long notebook starts last (size is a fair guess of time)
    stale.sort(key=lambda p: p.stat().st_size, reverse=True)
    workers = workers or min(fair_thread_count(), len(stale))
    os.environ[WORKERS_ENV] = str(workers)  # each kernel: torch gets cores / workers threads
    os.environ[STATIC_EXPLORERS] = "1"  # as in the Sphinx build: explorers precomputed
    records = [cache.add_nb_to_project(str(p)) for p in stale]
    jobs = [
        ProcessData(r.pk, r.uri, cache, settings["timeout"], settings["allow_errors"])
        for r in records
    ]
    folders = [p.parent for p in stale]
    start = time.perf_counter()
    template = forked_kernels(max(folders, key=folders.count)) if fork else nullcontext(False)
    with template as forked:
        how = "forked from a template" if forked else "started as usual"
        print(
            f"pre-execution: {len(stale)} notebooks, {workers} at a time, kernels {how}", flush=True
        )
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(ExecutionWorkerLocalMProc(), jobs))
    failed = [uri for status, uri in results if status != 0]
    for uri in failed:
        print(f"pre-execution failed, the build will run it again: {uri}", flush=True)
    print(f"pre-execution took {time.perf_counter() - start:.0f} s", flush=True)
    return len(failed)


def profile(root: Path) -> None:
    """Execute each notebook alone (explorers precomputed) and print its kernel's CPU time."""
    from nbclient import NotebookClient

    os.environ[STATIC_EXPLORERS] = "1"
    print(f"{'notebook':<40}{'CPU s':>8}{'of which explorer states':>26}")
    for path in toc_notebooks(root):
        notebook = nbformat.read(path, as_version=4)
        notebook.cells.insert(0, nbformat.v4.new_code_cell(PROFILE_START))
        notebook.cells.append(nbformat.v4.new_code_cell(PROFILE_END))
        NotebookClient(
            notebook,
            timeout=execute_settings(root)["timeout"],
            resources={"metadata": {"path": str(path.parent)}},
        ).execute()
        text = "".join(o.get("text", "") for o in notebook.cells[-1].outputs)
        total, drawing = (float(x) for x in text.split()[1:3])
        print(f"{path.stem:<40}{total:>8.1f}{drawing:>26.1f}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, help="notebooks at a time (default: the cores)")
    parser.add_argument("--no-fork", action="store_true", help="start each kernel as usual")
    parser.add_argument("--profile", action="store_true", help="measure, do not build")
    args, build_options = parser.parse_known_args()
    if args.workers is not None and args.workers < 1:
        parser.error("--workers must be at least 1")
    if args.profile:
        profile(ROOT)
        return 0
    start = time.perf_counter()
    pre_execute(ROOT, args.workers, fork=not args.no_fork)
    status = subprocess.run([*BUILD, *build_options], cwd=ROOT).returncode
    print(f"book build finished in {time.perf_counter() - start:.0f} s (exit {status})")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
