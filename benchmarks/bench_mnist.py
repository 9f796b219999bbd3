"""MNIST assignment benchmark: the chapter 13 model's test accuracy and training time.

It executes ``chapters/13_assignment_mnist_cnn.ipynb`` itself, top to bottom in a fresh
kernel, so the figures are those of the model and training loop the chapter shows, not of a
copy. Goal (issue 8): at least 99.0% test accuracy with at most 30 s of training on 2 CPU
cores.

Run: ``python benchmarks/bench_mnist.py [--runs N]``
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "chapters" / "13_assignment_mnist_cnn.ipynb"


def run_chapter() -> dict:
    notebook = nbformat.read(CHAPTER, as_version=4)
    start = time.perf_counter()
    NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(CHAPTER.parent)}},
    ).execute()
    total = time.perf_counter() - start
    text = "\n".join(
        "".join(output.get("text", ""))
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream"
    )
    accuracy = re.search(r"test accuracy: ([\d.]+)%", text)
    training = re.search(r"training time: ([\d.]+) s", text)
    if not (accuracy and training):
        raise RuntimeError("the chapter did not print its test accuracy and training time")
    return {
        "test_accuracy": float(accuracy.group(1)) / 100,
        "training_seconds": float(training.group(1)),
        "chapter_seconds": round(total, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="how many times to run (default 1)")
    args = parser.parse_args()
    runs = [run_chapter() for _ in range(args.runs)]
    print(f"{'run':>4} {'test accuracy':>14} {'training (s)':>13} {'whole chapter (s)':>18}")
    for i, run in enumerate(runs, 1):
        print(
            f"{i:>4} {run['test_accuracy']:>14.2%} {run['training_seconds']:>13.1f} "
            f"{run['chapter_seconds']:>18.1f}"
        )
    summary = {
        "benchmark": "mnist_chapter13",
        "runs": runs,
        "median_training_seconds": statistics.median(r["training_seconds"] for r in runs),
        "test_accuracies": sorted({r["test_accuracy"] for r in runs}),
        "goal": {"test_accuracy_min": 0.99, "training_seconds_max": 30},
    }
    summary["meets_goal"] = (
        min(summary["test_accuracies"]) >= 0.99 and summary["median_training_seconds"] <= 30
    )
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
