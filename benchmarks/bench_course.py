"""The course's figures, in one command: chapters, explorers, pages, MNIST, conv2d, the MLP.

Run from the repository root (takes 10-20 minutes on 2 cores; nothing here runs in CI)::

    .venv/bin/python benchmarks/bench_course.py                 # everything
    .venv/bin/python benchmarks/bench_course.py --skip-build --skip-classic --chapters 04 13

It prints one table per section, then the whole result as one JSON line (and writes it to
``--json PATH`` if given). The goals it checks (issue 9):

- each chapter runs top to bottom in a fresh kernel in under 60 s;
- one live explorer update (set one control, redraw), normalised to the slow machine of issue
  18, takes under 100 ms median and 200 ms p95 (see ``bench_explorers.py``);
- every chapter page, with its precomputed explorers, is under 3 MB;
- the chapter 13 model reaches at least 99.0% test accuracy with a training cost (seconds x
  the calibration figure, GFLOP/s) of at most 1,350; the classic PyTorch MNIST example's time
  to the same accuracy is reported as a ratio;
- ``dlcourse.conv.conv2d`` costs at most a few (5) times ``torch.nn.functional.conv2d``;
- NumPy MLP training steps per second on the playground's problems.

Chapters are executed with nbclient in a fresh kernel each, exactly as stored (live widgets,
no precomputation), with one extra cell appended that times explorer updates *inside* that
kernel: it finds every :class:`dlcourse.widgets.Explorer` the chapter displayed, then moves
random controls to random other values (seeded) and times each redraw.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout
sys.path.insert(0, str(ROOT / "benchmarks"))
import bench_explorers  # noqa: E402 - the explorer-latency section (issue 18)
from _calibrate import calibration, describe  # noqa: E402
from bench_mnist import chapter_figures, compare_with_classic  # noqa: E402

GOALS = {
    "chapter_seconds_max": 60.0,
    "explorer_update_median_ms_max": 100.0,
    "page_bytes_max": 3_000_000,
    "mnist_accuracy_min": 0.99,
    "mnist_training_cost_max": 1350,  # seconds x calibration GFLOP/s: 30 s at 45 GFLOP/s
    "conv2d_ratio_max": 5.0,
}


def _seconds(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


# -- chapters and explorers ------------------------------------------------------------------


def run_chapter(path: Path, updates: int, loop: dict | None = None) -> dict:
    """Execute one chapter in a fresh kernel; time it and its explorers' live updates."""
    notebook = nbformat.read(path, as_version=4)
    n_original = len(notebook.cells)
    notebook.cells.append(nbformat.v4.new_code_cell(bench_explorers.timing_cell(updates)))
    start = time.perf_counter()
    NotebookClient(
        notebook,
        timeout=900,
        kernel_name="python3",
        record_timing=True,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    wall = time.perf_counter() - start
    code = [c for c in notebook.cells[:n_original] if c.cell_type == "code"]
    timing = [c.metadata.get("execution", {}) for c in code]
    first = _seconds(timing[0]["iopub.execute_input"])
    last = _seconds(timing[-1]["shell.execute_reply"])
    text = "\n".join(
        "".join(o.get("text", ""))
        for c in code
        for o in c.get("outputs", [])
        if o.get("output_type") == "stream"
    )
    explorers = []
    for output in notebook.cells[-1].outputs:
        for line in "".join(output.get("text", "")).splitlines():
            if line.startswith("DLCOURSE_EXPLORERS "):
                explorers = json.loads(line.removeprefix("DLCOURSE_EXPLORERS "))
    loop = loop or bench_explorers.calibration()
    explorers = [bench_explorers.summarise(e, loop) for e in explorers]
    return {
        "chapter": path.stem,
        "seconds": round(last - first, 1),
        "wall_seconds_with_kernel_start": round(wall, 1),
        "explorers": explorers,
        "stream_text": text,
    }


# -- the book ----------------------------------------------------------------------------------


def build_book() -> tuple[float, Path, tempfile.TemporaryDirectory]:
    """A strict build from scratch into a temporary folder; returns its time and HTML dir."""
    out = tempfile.TemporaryDirectory(prefix="dlcourse-bench-")
    jb = Path(sys.executable).with_name("jupyter-book")
    start = time.perf_counter()
    result = subprocess.run(
        [str(jb), "build", str(ROOT), "--path-output", out.name, "-W", "-n", "--keep-going"],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise RuntimeError("the book build failed; see its output above")
    return seconds, Path(out.name) / "_build" / "html", out


def page_sizes(html_dir: Path) -> list[dict]:
    pages = []
    for page in sorted((html_dir / "chapters").glob("*.html")):
        html = page.read_text(encoding="utf-8")
        states = [int(n) for n in re.findall(r'<div class="dlx" [^>]*data-n-states="(\d+)"', html)]
        pages.append(
            {
                "page": page.name,
                "bytes": page.stat().st_size,
                "explorers": len(states),
                "precomputed_states": sum(states),
            }
        )
    return pages


# -- conv2d and the NumPy MLP ------------------------------------------------------------------


def conv_benchmark() -> dict:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_conv.py")],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1])


def mlp_steps_per_second() -> list[dict]:
    """Full-batch training steps per second of `dlcourse.mlp` on the playground's problems."""
    from dlcourse.datasets import make_circles, make_moons, make_spiral, make_xor
    from dlcourse.mlp import MLP, train

    problems = {
        "XOR": make_xor(200, seed=0),
        "circles": make_circles(200, noise=0.1, seed=0),
        "moons": make_moons(200, noise=0.1, seed=0),
        "spiral": make_spiral(200, turns=1.25, noise=0.1, seed=0),
    }
    rows = []
    for name, (X, y) in problems.items():
        X = (X - X.mean(0)) / X.std(0)
        for hidden in ([4], [8, 8]):
            model = MLP([2, *hidden, 1], activation="tanh", seed=0)
            start = time.perf_counter()
            train(model, X, y, lr=0.3, steps=300)
            seconds = time.perf_counter() - start
            rows.append(
                {"problem": name, "hidden": hidden, "steps_per_second": round(300 / seconds)}
            )
    return rows


# -- main ----------------------------------------------------------------------------------------


def table(rows: list[list], header: list[str]) -> str:
    cells = [header] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = [
        "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths)))
        for r in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", nargs="*", help="chapter number prefixes (default: all)")
    parser.add_argument("--updates", type=int, default=30, help="explorer updates to time")
    parser.add_argument("--skip-build", action="store_true", help="no book build, no page sizes")
    parser.add_argument("--skip-classic", action="store_true", help="no classic MNIST example")
    parser.add_argument("--classic-epochs", type=int, default=4)
    parser.add_argument("--json", type=Path, help="also write the JSON result here")
    args = parser.parse_args()

    gflops, threads = calibration()
    print(describe(gflops, threads), "; every time below was measured on this machine", flush=True)
    results: dict = {"goals": GOALS, "misses": [], "calibration_gflops": round(gflops, 1)}
    misses = results["misses"]
    chapters = sorted((ROOT / "chapters").glob("*.ipynb"))
    if args.chapters:
        chapters = [p for p in chapters if any(p.name.startswith(c) for c in args.chapters)]

    print("== chapters (fresh kernel, top to bottom) and live explorer updates", flush=True)
    loop = bench_explorers.calibration()
    results["calibration"] = loop
    print(f"  calibration (10M-iteration loop): {loop}", flush=True)
    runs = []
    for path in chapters:
        run = run_chapter(path, args.updates, loop)
        runs.append(run)
        print(f"  {run['chapter']}: {run['seconds']} s at {gflops:.1f} GFLOP/s", flush=True)
    rows, explorer_rows = [], []
    for run in runs:
        if run["seconds"] > GOALS["chapter_seconds_max"]:
            misses.append(f"{run['chapter']} runs in {run['seconds']} s")
        rows.append([run["chapter"], run["seconds"]])
        explorer_rows += bench_explorers.rows(run["chapter"][:2], run["explorers"])
        misses += [m for e in run["explorers"] for m in bench_explorers.misses(run["chapter"], e)]
    print(table(rows, ["chapter", "seconds"]))
    print("live explorer updates, ms; 'slow' = normalised to the slow machine of issue 18")
    print(table(explorer_rows, bench_explorers.HEADER))
    results["chapters"] = [{k: v for k, v in r.items() if k != "stream_text"} for r in runs]

    if not args.skip_build:
        print("\n== book build (strict, from an empty output folder)", flush=True)
        seconds, html_dir, keep = build_book()
        pages = page_sizes(html_dir)
        keep.cleanup()
        results["book_build_seconds"] = round(seconds, 1)
        print(f"  whole book built in {seconds:.0f} s at {gflops:.1f} GFLOP/s")
        print(
            table(
                [[p["page"], p["bytes"], p["explorers"], p["precomputed_states"]] for p in pages],
                ["page", "bytes", "explorers", "states"],
            )
        )
        results["pages"] = pages
        misses += [
            f"{p['page']} is {p['bytes']} bytes"
            for p in pages
            if p["bytes"] > GOALS["page_bytes_max"]
        ]

    mnist_run = next((r for r in runs if r["chapter"].startswith("13")), None)
    if mnist_run:
        print("\n== MNIST (chapter 13's model, as the chapter trains it)", flush=True)
        mnist = chapter_figures(mnist_run["stream_text"])
        accuracy, training = 100 * mnist["test_accuracy"], mnist["training_seconds"]
        mnist["training_cost"] = round(training * gflops)
        print(
            f"  test accuracy {accuracy:.2f}% after {training:.1f} s of training at "
            f"{gflops:.1f} GFLOP/s: a cost of {mnist['training_cost']} (goal <= 1,350)"
        )
        if mnist["test_accuracy"] < GOALS["mnist_accuracy_min"]:
            misses.append(f"MNIST accuracy {accuracy:.2f}%")
        if mnist["training_cost"] > GOALS["mnist_training_cost_max"]:
            misses.append(f"MNIST training cost {mnist['training_cost']}")
        if not args.skip_classic:
            classic = compare_with_classic(
                mnist["test_accuracy"], training, args.classic_epochs, gflops
            )
            mnist["classic_example"] = classic
            if classic["reached"]:
                mnist["classic_over_chapter_time"] = classic["over_chapter_time"]
        results["mnist"] = mnist

    print("\n== dlcourse.conv.conv2d against torch.nn.functional.conv2d", flush=True)
    conv = conv_benchmark()
    results["conv2d"] = conv
    ratios = {k: v for k, v in _find_ratios(conv)}
    print(table([[k, v] for k, v in ratios.items()], ["case", "numpy / torch"]))
    # the goal (issue 7): a batch of 64 MNIST images through an 8-filter 3x3 convolution
    misses += [
        f"{k}: ratio {v}"
        for k, v in ratios.items()
        if "64x1x28x28" in k and v > GOALS["conv2d_ratio_max"]
    ]

    print("\n== dlcourse.mlp: full-batch training steps per second", flush=True)
    mlp = mlp_steps_per_second()
    results["mlp_steps_per_second"] = mlp
    print(
        table(
            [[r["problem"], r["hidden"], r["steps_per_second"]] for r in mlp],
            ["problem", "hidden units", "steps/s"],
        )
    )

    print("\n== goals: " + ("all met" if not misses else "MISSED: " + "; ".join(misses)))
    line = json.dumps(results)
    print(line)
    if args.json:
        args.json.write_text(line + "\n")
    return 0


def _find_ratios(conv: dict):
    """Yield (case, ratio) pairs from bench_conv's JSON line."""
    for row in conv.get("results", []):
        yield f"{row['case']} ({row['dtype']})", row["ratio_numpy_over_torch"]


if __name__ == "__main__":
    raise SystemExit(main())
