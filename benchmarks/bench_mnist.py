"""MNIST benchmark: chapter 13's model against the classic PyTorch MNIST example.

It executes ``chapters/13_assignment_mnist_cnn.ipynb`` itself, top to bottom in a fresh
kernel, so the figures are those of the model and training loop the chapter shows, not of a
copy; then it trains the classic PyTorch MNIST example (``examples/mnist``) until it reaches
the same test accuracy, as the side-by-side reference. Every time is printed beside the
machine's calibration figure (``_calibrate.py``) and as a normalised cost, seconds x GFLOP/s,
which compares across machines. Goal (issue 13): at least 99.0% test accuracy with a training
cost of at most 1,350 (30 s at 45 GFLOP/s).

Run: ``python benchmarks/bench_mnist.py [--runs N] [--skip-classic]``
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout
sys.path.insert(0, str(ROOT / "benchmarks"))
from _calibrate import calibration, describe  # noqa: E402

CHAPTER = ROOT / "chapters" / "13_assignment_mnist_cnn.ipynb"
GOAL = {"test_accuracy_min": 0.99, "training_cost_max": 1350}


def run_chapter() -> dict:
    """Execute chapter 13 in a fresh kernel; return its test accuracy and training time."""
    notebook = nbformat.read(CHAPTER, as_version=4)
    start = time.perf_counter()
    NotebookClient(
        notebook,
        timeout=900,
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
    return {**chapter_figures(text), "chapter_seconds": round(total, 1)}


def chapter_figures(text: str) -> dict:
    """The test accuracy and training time chapter 13 printed."""
    accuracy = re.search(r"test accuracy: ([\d.]+)%", text)
    training = re.search(r"training time: ([\d.]+) s", text)
    if not (accuracy and training):
        raise RuntimeError("the chapter did not print its test accuracy and training time")
    return {
        "test_accuracy": float(accuracy.group(1)) / 100,
        "training_seconds": float(training.group(1)),
    }


def classic_mnist_time_to(target: float, max_epochs: int, evals_per_epoch: int) -> dict:
    """Train the classic PyTorch MNIST example until its test accuracy reaches ``target``.

    The architecture and optimiser of PyTorch's ``examples/mnist``: two 3x3 convolutions of
    32 and 64 channels, max-pooling, dropout 0.25, a 128-unit linear layer, dropout 0.5;
    Adadelta with lr 1.0 and a step decay of 0.7 per epoch; batches of 64. Test accuracy is
    measured ``evals_per_epoch`` times per epoch (evaluation time is not counted).
    """
    import torch
    from torch import nn

    from dlcourse.mnist import load_mnist, to_tensors

    torch.manual_seed(1)
    X_train, y_train = to_tensors(*load_mnist("train"))
    X_test, y_test = to_tensors(*load_mnist("test"))
    model = nn.Sequential(
        nn.Conv2d(1, 32, 3),
        nn.ReLU(),
        nn.Conv2d(32, 64, 3),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Dropout(0.25),
        nn.Flatten(),
        nn.Linear(9216, 128),
        nn.ReLU(),
        nn.Dropout(0.5),
        nn.Linear(128, 10),
    )
    optimizer = torch.optim.Adadelta(model.parameters(), lr=1.0)
    schedule = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.7)
    batch = 64
    steps = (len(X_train) + batch - 1) // batch
    checkpoints = {round(steps * (k + 1) / evals_per_epoch) for k in range(evals_per_epoch)}

    def accuracy() -> float:
        model.eval()
        with torch.no_grad():
            scores = torch.cat([model(X_test[i : i + 2000]) for i in range(0, len(X_test), 2000)])
        model.train()
        return float((scores.argmax(1) == y_test).float().mean())

    trained, history = 0.0, []
    shuffle = torch.Generator().manual_seed(1)
    for epoch in range(max_epochs):
        order = torch.randperm(len(X_train), generator=shuffle)
        start = time.perf_counter()
        for i in range(steps):
            idx = order[i * batch : (i + 1) * batch]
            loss = nn.functional.cross_entropy(model(X_train[idx]), y_train[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if i + 1 in checkpoints:
                trained += time.perf_counter() - start
                acc = accuracy()
                history.append({"epochs": round(epoch + (i + 1) / steps, 2), "accuracy": acc})
                print(
                    f"  classic example: {history[-1]['epochs']:.2f} epochs, "
                    f"{trained:.0f} s of training, test accuracy {acc:.2%}",
                    flush=True,
                )
                if acc >= target:
                    return {"seconds": round(trained, 1), "reached": True, "history": history}
                start = time.perf_counter()
        schedule.step()
    return {"seconds": round(trained, 1), "reached": False, "history": history}


def compare_with_classic(target: float, chapter_seconds: float, epochs: int, gflops: float):
    """Time the classic example to ``target`` test accuracy; print and return its figures,
    with its cost (seconds x GFLOP/s) and, if it got there, its time over the chapter's."""
    classic = classic_mnist_time_to(target, epochs, 4)
    classic["cost"] = round(classic["seconds"] * gflops)
    if classic["reached"]:
        classic["over_chapter_time"] = round(classic["seconds"] / chapter_seconds, 1)
        print(
            f"the classic PyTorch example needs {classic['seconds']:.0f} s (cost "
            f"{classic['cost']} at {gflops:.1f} GFLOP/s) to reach {target:.2%}: "
            f"{classic['over_chapter_time']}x the chapter's training time"
        )
    else:
        print(
            f"the classic PyTorch example did not reach {target:.2%} in {epochs} epochs "
            f"({classic['seconds']:.0f} s at {gflops:.1f} GFLOP/s)"
        )
    return classic


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="how many times to run (default 1)")
    parser.add_argument("--skip-classic", action="store_true", help="no classic example")
    parser.add_argument("--classic-epochs", type=int, default=4)
    args = parser.parse_args()
    gflops, threads = calibration()
    print(describe(gflops, threads), flush=True)
    runs = [run_chapter() for _ in range(args.runs)]
    for run in runs:
        run["training_cost"] = round(run["training_seconds"] * gflops)
    print(
        f"{'run':>4} {'test accuracy':>14} {'training (s)':>13} {'at GFLOP/s':>11} "
        f"{'cost (s x GFLOP/s)':>19} {'whole chapter (s)':>18}"
    )
    for i, run in enumerate(runs, 1):
        print(
            f"{i:>4} {run['test_accuracy']:>14.2%} {run['training_seconds']:>13.1f} "
            f"{gflops:>11.1f} {run['training_cost']:>19} {run['chapter_seconds']:>18.1f}"
        )
    median = statistics.median(r["training_seconds"] for r in runs)
    summary = {
        "benchmark": "mnist_chapter13",
        "calibration_gflops": round(gflops, 1),
        "calibration_threads": threads,
        "runs": runs,
        "median_training_seconds": median,
        "median_training_cost": round(median * gflops),
        "test_accuracies": sorted({r["test_accuracy"] for r in runs}),
        "goal": GOAL,
    }
    summary["meets_goal"] = (
        min(summary["test_accuracies"]) >= GOAL["test_accuracy_min"]
        and summary["median_training_cost"] <= GOAL["training_cost_max"]
    )
    if not args.skip_classic:
        classic = compare_with_classic(
            min(summary["test_accuracies"]), median, args.classic_epochs, gflops
        )
        summary["classic_example"] = classic
        if classic["reached"]:
            summary["classic_over_chapter_time"] = classic["over_chapter_time"]
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
