"""dlcourse.reproducibility: torch's fair share of the cores (affinity, cgroups, workers)."""

import os

import pytest

from dlcourse import reproducibility
from dlcourse.reproducibility import fair_thread_count, seed_everything, set_threads


@pytest.fixture
def machine(monkeypatch, tmp_path):
    """A fake machine: ``machine(cores, cpu_max=None, v1=None, **env)``."""

    def make(cores, cpu_max=None, v1=None, **env):
        monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cores)), raising=False)
        cgroup = tmp_path / f"cgroup{len(list(tmp_path.iterdir()))}"  # a fresh one each call
        cgroup.mkdir()
        monkeypatch.setattr(reproducibility, "_CGROUP", cgroup)
        if cpu_max is not None:
            (cgroup / "cpu.max").write_text(cpu_max + "\n")
        if v1 is not None:
            (cgroup / "cpu").mkdir()
            (cgroup / "cpu" / "cpu.cfs_quota_us").write_text(f"{v1[0]}\n")
            (cgroup / "cpu" / "cpu.cfs_period_us").write_text(f"{v1[1]}\n")
        for name in (reproducibility.WORKERS_ENV, "PYTEST_XDIST_WORKER_COUNT"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)

    return make


def test_all_cores_when_alone(machine):
    machine(8)
    assert fair_thread_count() == 8
    assert fair_thread_count(max_threads=1) == 1
    assert fair_thread_count(max_threads=20) == 8


def test_affinity_not_cpu_count(machine):
    machine(3)  # e.g. `taskset -c 0-2` on a bigger machine
    assert fair_thread_count() == 3


@pytest.mark.parametrize(
    ("cpu_max", "expected"),
    [("max 100000", 8), ("200000 100000", 2), ("150000 100000", 1), ("50000 100000", 1)],
)
def test_cgroup_v2_quota(machine, cpu_max, expected):
    machine(8, cpu_max=cpu_max)
    assert fair_thread_count() == expected


@pytest.mark.parametrize(("v1", "expected"), [((-1, 100000), 8), ((400000, 100000), 4)])
def test_cgroup_v1_quota(machine, v1, expected):
    machine(8, v1=v1)
    assert fair_thread_count() == expected


def test_workers_share_the_cores(machine):
    machine(2, PYTEST_XDIST_WORKER_COUNT="2")
    assert fair_thread_count() == 1
    machine(8, cpu_max="400000 100000", PYTEST_XDIST_WORKER_COUNT="2")
    assert fair_thread_count() == 2
    machine(8, DLCOURSE_WORKERS="3", PYTEST_XDIST_WORKER_COUNT="2")
    assert fair_thread_count() == 2  # the build's own count wins: 8 // 3
    machine(2, DLCOURSE_WORKERS="16")
    assert fair_thread_count() == 1  # never 0


@pytest.mark.parametrize("bad", ["two", "0", "-1", "1.5"])
def test_bad_worker_count(machine, bad):
    machine(4, DLCOURSE_WORKERS=bad)
    with pytest.raises(ValueError, match="DLCOURSE_WORKERS must be a positive integer"):
        fair_thread_count()


@pytest.mark.parametrize(("bad", "error"), [(0, ValueError), (1.5, TypeError), ("2", TypeError)])
def test_bad_max_threads(bad, error):
    with pytest.raises(error, match="max_threads"):
        fair_thread_count(bad)
    with pytest.raises(error, match="max_threads"):
        seed_everything(0, max_threads=bad)


def _blas_threads() -> list[int]:
    from threadpoolctl import threadpool_info

    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_torch_and_numpys_blas_get_the_share_and_results_repeat(machine):
    torch = pytest.importorskip("torch")
    from threadpoolctl import threadpool_limits

    before = torch.get_num_threads()
    blas = threadpool_limits(None)  # gives NumPy's BLAS its threads back at the end
    try:
        machine(4, PYTEST_XDIST_WORKER_COUNT="2")
        assert set_threads() == 2 == torch.get_num_threads()
        assert _blas_threads() and set(_blas_threads()) == {min(2, os.cpu_count())}
        seed_everything(0, max_threads=1)
        assert torch.get_num_threads() == 1 and set(_blas_threads()) == {1}
        first = torch.rand(3).tolist()
        seed_everything(0)
        assert torch.get_num_threads() == 2 and set(_blas_threads()) == {min(2, os.cpu_count())}
        assert torch.rand(3).tolist() == first
    finally:
        torch.set_num_threads(before)
        blas.restore_original_limits()
