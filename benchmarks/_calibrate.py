"""The machine's calibration figure, shared by the benchmark scripts.

Machines differ by several times in speed, so a time measured on one says little about
another. Every benchmark prints this figure beside its times: the best of 5 repeats of ten
1024x1024 float32 ``torch`` matrix products, after one warm-up, in GFLOP/s, with torch's
default thread count. A time multiplied by it (seconds x GFLOP/s = GFLOP, the *normalised
cost*) compares across machines: chapter 13's goal is a training cost of at most 1,350
(30 s at 45 GFLOP/s).
"""

from __future__ import annotations

import subprocess
import sys

SIZE, PRODUCTS, REPEATS = 1024, 10, 5

# Run in a fresh interpreter, so that torch has its default thread count whatever the
# calling script has set (and so that the figure does not depend on what ran before).
_MEASURE = f"""
import time, torch
g = torch.Generator().manual_seed(0)
a, b = torch.rand({SIZE}, {SIZE}, generator=g), torch.rand({SIZE}, {SIZE}, generator=g)
a @ b
best = float("inf")
for _ in range({REPEATS}):
    start = time.perf_counter()
    for _ in range({PRODUCTS}):
        a @ b
    best = min(best, time.perf_counter() - start)
print(2 * {SIZE}**3 * {PRODUCTS} / best / 1e9, torch.get_num_threads())
"""


def calibration() -> tuple[float, int]:
    """Return (GFLOP/s, torch's default thread count) of this machine, measured now."""
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), int(out[1])


def describe(gflops: float, threads: int) -> str:
    """One line naming the calibration, for the top of a benchmark's output."""
    return (
        f"calibration: {gflops:.1f} GFLOP/s (best of {REPEATS} x {PRODUCTS} float32 "
        f"{SIZE}x{SIZE} torch matmuls, {threads} threads)"
    )


if __name__ == "__main__":
    print(describe(*calibration()))
