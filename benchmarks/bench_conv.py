"""Time dlcourse.conv against torch.nn.functional on course-sized batches.

Run from the repository root::

    python benchmarks/bench_conv.py                  # float32 and float64, torch's threads
    python benchmarks/bench_conv.py --dtype float32 --torch-threads 1

For each case the script first checks that both libraries give the same result, then calls
each function once to warm up and times it timeit-style: ``--repeat`` runs of ``number``
calls each (``number`` chosen so that one run takes about ``--min-run`` seconds), reporting
the median time per call (and the fastest run, less sensitive to other processes on a shared
machine). It prints a table, then one JSON line with the times in microseconds and the ratio
numpy / torch of the medians for each case (below 1: NumPy is faster). The headline case,
64 real MNIST test digits through a convolution with 8 filters of 3x3, gets a line of its
own after the table.

The NumPy code runs on one core (its matrix products may use more through BLAS); torch uses
``torch.get_num_threads()`` threads unless ``--torch-threads`` says otherwise. On a shared
machine torch's multi-threaded timings swing widely (its threads wait for busy cores);
``--torch-threads 1`` compares like with like.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import timeit
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from dlcourse import conv
from dlcourse.mnist import load_mnist

HEADLINE = "conv2d 64 MNIST digits, 8 3x3 filters, padding 1"


def time_call(fn: Callable[[], object], repeat: int, min_run: float) -> tuple[float, float]:
    """Median and minimum seconds per call of ``fn``, after a warm-up call."""
    fn()
    timer = timeit.Timer(fn)
    number = 1
    while timer.timeit(number) < min_run and number < 1_000_000:  # like Timer.autorange
        number *= 2
    runs = [t / number for t in timer.repeat(repeat=repeat, number=number)]
    return statistics.median(runs), min(runs)


def cases(rng: np.random.Generator, dtype: np.dtype) -> list[dict]:
    """(name, numpy call, torch call) of each benchmark, with arrays made once."""

    def arrays(*shapes):
        made = [rng.normal(size=s).astype(dtype) for s in shapes]
        return made, [torch.from_numpy(a) for a in made]

    # The headline case: 64 real MNIST test digits (scaled to [0, 1]), 8 random 3x3 filters.
    images, _ = load_mnist("test")
    x1 = (images[:64, None] / 255.0).astype(dtype)
    (w1, b1), (tw1, tb1) = arrays((8, 1, 3, 3), (8,))
    tx1 = torch.from_numpy(x1)
    (x2, w2, b2), (tx2, tw2, tb2) = arrays((64, 8, 14, 14), (16, 8, 3, 3), (16,))
    (x3, w3), (tx3, tw3) = arrays((28, 28), (3, 3))
    (p1,), (tp1,) = arrays((64, 8, 28, 28))
    (p2,), (tp2,) = arrays((64, 16, 14, 14))
    return [
        {
            "name": HEADLINE,
            "numpy": lambda: conv.conv2d(x1, w1, b1, padding=1),
            "torch": lambda: F.conv2d(tx1, tw1, tb1, padding=1),
        },
        {
            "name": "conv2d 64x8x14x14, 16 3x3 filters, padding 1",
            "numpy": lambda: conv.conv2d(x2, w2, b2, padding=1),
            "torch": lambda: F.conv2d(tx2, tw2, tb2, padding=1),
        },
        {
            "name": "conv2d one 28x28 image, one 3x3 kernel, padding 1",
            "numpy": lambda: conv.conv2d(x3, w3, padding=1),
            "torch": lambda: F.conv2d(tx3[None, None], tw3[None, None], padding=1)[0, 0],
        },
        {
            "name": "max_pool2d 64x8x28x28, 2x2",
            "numpy": lambda: conv.max_pool2d(p1, 2),
            "torch": lambda: F.max_pool2d(tp1, 2),
        },
        {
            "name": "max_pool2d 64x16x14x14, 2x2",
            "numpy": lambda: conv.max_pool2d(p2, 2),
            "torch": lambda: F.max_pool2d(tp2, 2),
        },
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dtype", choices=["float32", "float64", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=7, help="runs per timing (default 7)")
    parser.add_argument("--min-run", type=float, default=0.1, help="seconds per run (0.1)")
    parser.add_argument("--torch-threads", type=int, default=None, help="torch threads")
    args = parser.parse_args(argv)
    if args.torch_threads is not None:
        torch.set_num_threads(args.torch_threads)

    dtypes = ["float32", "float64"] if args.dtype == "both" else [args.dtype]
    rng = np.random.default_rng(0)
    results = []
    header = f"{'case':52} {'dtype':7} {'numpy µs':>10} {'torch µs':>10} {'ratio':>6}"
    print(header)
    print("-" * len(header))
    for dtype in dtypes:
        for case in cases(rng, np.dtype(dtype)):
            ours, theirs = case["numpy"](), case["torch"]().numpy()
            assert ours.dtype == theirs.dtype and ours.shape == theirs.shape, case["name"]
            tol = 1e-4 if dtype == "float32" else 1e-10
            np.testing.assert_allclose(ours, theirs, rtol=tol, atol=tol, err_msg=case["name"])

            numpy_median, numpy_min = time_call(case["numpy"], args.repeat, args.min_run)
            torch_median, torch_min = time_call(case["torch"], args.repeat, args.min_run)
            ratio = numpy_median / torch_median
            print(
                f"{case['name']:52} {dtype:7} {numpy_median * 1e6:10.1f} "
                f"{torch_median * 1e6:10.1f} {ratio:6.2f}"
            )
            results.append(
                {
                    "case": case["name"],
                    "dtype": dtype,
                    "numpy_median_us": round(numpy_median * 1e6, 2),
                    "torch_median_us": round(torch_median * 1e6, 2),
                    "numpy_min_us": round(numpy_min * 1e6, 2),
                    "torch_min_us": round(torch_min * 1e6, 2),
                    "ratio_numpy_over_torch": round(ratio, 3),
                    "ratio_of_minima": round(numpy_min / torch_min, 3),
                }
            )
    for r in results:
        if r["case"] == HEADLINE:
            print(
                f"headline ({r['dtype']}): 64 MNIST digits through 8 3x3 filters take "
                f"{r['ratio_numpy_over_torch']:.2f} times torch's time (median), "
                f"{r['ratio_of_minima']:.2f} times (fastest runs)"
            )
    summary = {
        "benchmark": "dlcourse.conv vs torch.nn.functional",
        "numpy": np.__version__,
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "repeat": args.repeat,
        "results": results,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
