"""Seeding and thread counts: one call makes every random number in a chapter repeat.

PyTorch and NumPy's BLAS get the cores this process may run on, shared among the worker
processes beside it: more threads than cores make every process wait for the others.
"""

from __future__ import annotations

import math
import os
import random
import sys
from pathlib import Path

import numpy as np

from ._validation import check_int

__all__ = ["WORKERS_ENV", "fair_thread_count", "seed_everything", "set_threads"]

#: Environment variable through which a parallel runner says how many processes share the
#: cores (the book build sets it; pytest-xdist sets ``PYTEST_XDIST_WORKER_COUNT`` itself).
WORKERS_ENV = "DLCOURSE_WORKERS"
_CGROUP = Path("/sys/fs/cgroup")


def seed_everything(seed: int = 0, *, max_threads: int | None = None) -> np.random.Generator:
    """Seed Python's, NumPy's and (if it is imported) PyTorch's random generators.

    Threads are set with :func:`set_threads`. PyTorch is seeded, and its threads set, only if
    it is already imported (chapters without torch do not pay for importing it): a chapter that
    imports torch later calls this again.

    Parameters
    ----------
    seed : int, default 0
        A non-negative integer below 2**32.
    max_threads : int, optional
        Passed to :func:`set_threads`: at most this many threads.

    Returns
    -------
    numpy.random.Generator
        A generator seeded with ``seed``, for the chapter's own randomness.
    """
    seed = check_int(seed, "seed", low=0, high=2**32 - 1)
    if max_threads is not None:
        check_int(max_threads, "max_threads", low=1)
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 - legacy global generator, for code that uses it
    os.environ.setdefault("PYTHONHASHSEED", str(seed))
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.manual_seed(seed)
    set_threads(max_threads)
    return np.random.default_rng(seed)


def set_threads(max_threads: int | None = None) -> int:
    """Give PyTorch (if imported) and NumPy's BLAS :func:`fair_thread_count` threads each.

    Networks of a few thousand weights run fastest on one thread. A BLAS thread also spins on
    its core for a while after each product, waiting for the next: a spare one took a quarter to
    a third of the CPU time of chapters 10a's and 11's explorer states. Returns the count.
    """
    from threadpoolctl import threadpool_limits

    threads = fair_thread_count(max_threads)
    threadpool_limits(threads, user_api="blas")
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(threads)
    return threads


def fair_thread_count(max_threads: int | None = None) -> int:
    """The cores available to this process divided by the workers sharing them, in [1, max_threads].

    Cores: the process's CPU affinity, capped by a cgroup CPU quota (Binder, Docker). Workers:
    ``DLCOURSE_WORKERS``, else ``PYTEST_XDIST_WORKER_COUNT`` (inherited by nbval's kernels), else 1.
    """
    if max_threads is not None:
        max_threads = check_int(max_threads, "max_threads", low=1)
    workers = 1
    for name in (WORKERS_ENV, "PYTEST_XDIST_WORKER_COUNT"):
        value = os.environ.get(name, "").strip()
        if value:
            if not value.isdigit() or int(value) < 1:
                raise ValueError(
                    f"environment variable {name} must be a positive integer; got {value!r}."
                )
            workers = int(value)
            break
    threads = max(1, _available_cores() // workers)
    return threads if max_threads is None else min(threads, max_threads)


def _available_cores() -> int:
    """CPUs in the affinity mask, capped by a cgroup CPU quota if there is one."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        cores = os.cpu_count() or 1
    quota = _cgroup_quota()
    if quota is not None:
        cores = min(cores, max(1, math.floor(quota)))
    return max(1, cores)


def _cgroup_quota() -> float | None:
    """The cgroup's CPU quota in cores (quota / period), or None if it sets no quota."""
    try:  # cgroup v2: "max 100000" or "200000 100000"
        quota, period = (_CGROUP / "cpu.max").read_text().split()[:2]
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError):
        pass
    for folder in ("cpu", "cpu,cpuacct"):  # cgroup v1: quota -1 means none
        try:
            quota = int((_CGROUP / folder / "cpu.cfs_quota_us").read_text())
            period = int((_CGROUP / folder / "cpu.cfs_period_us").read_text())
        except (OSError, ValueError):
            continue
        return None if quota <= 0 or period <= 0 else quota / period
    return None
