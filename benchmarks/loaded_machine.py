"""The test suite on a busy machine: README's test command beside two CPU-burning processes.

A student's laptop or a shared Binder pod is rarely idle. This runs README's second
quick-start command (read from README, as ``.ci/run`` does) while two other processes keep
two cores busy, and reports whether it passed and how long it took, beside the machine's
calibration figure (measured before the load starts). The burners stop by themselves after
``--max-minutes`` and are always stopped when the command ends, however it ends.

Run from the repository root, on an otherwise idle machine (it takes as long as the suite)::

    .venv/bin/python benchmarks/loaded_machine.py
    .venv/bin/python benchmarks/loaded_machine.py --command "python -c 'print(1)'"  # smoke test
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _calibrate import calibration, describe

ROOT = Path(__file__).resolve().parents[1]
# Spins until its deadline (or until it is stopped): one core's worth of load.
BURN = """import sys, time
end = time.monotonic() + float(sys.argv[1])
while time.monotonic() < end:
    pass
"""


def readme_test_command(readme: Path = ROOT / "README.md") -> str:
    """The second command of README's quick-start block (the test suite)."""
    text = readme.read_text(encoding="utf-8")
    block = re.search(r"<!-- quickstart -->\s*```bash\n(.*?)```\s*<!-- /quickstart -->", text, re.S)
    if block is None:
        raise ValueError(f"{readme} has no <!-- quickstart --> block of bash commands")
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    if len(commands) != 2:
        raise ValueError(f"README's quick start must have two commands; found {len(commands)}")
    return commands[1]


def run_loaded(command: str, burners: int, max_minutes: float) -> dict:
    """Run ``command`` in a shell from the repository root beside ``burners`` busy loops."""
    procs = [
        subprocess.Popen([sys.executable, "-c", BURN, str(60 * max_minutes)])
        for _ in range(burners)
    ]
    start = time.perf_counter()
    try:
        status = subprocess.run(command, shell=True, cwd=ROOT).returncode
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    seconds = time.perf_counter() - start
    return {
        "command": command,
        "burners": burners,
        "passed": status == 0,
        "exit_status": status,
        "seconds": round(seconds, 1),
        "burners_stopped": all(p.returncode is not None for p in procs),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--command", help="run this instead of README's test command")
    parser.add_argument("--burners", type=int, default=2, help="CPU-burning processes (2)")
    parser.add_argument(
        "--max-minutes", type=float, default=90, help="the burners stop by themselves after this"
    )
    args = parser.parse_args()
    if args.burners < 0 or args.max_minutes <= 0:
        parser.error("--burners must be >= 0 and --max-minutes > 0")
    gflops, threads = calibration()
    print(describe(gflops, threads), flush=True)
    command = args.command or readme_test_command()
    print(f"running beside {args.burners} CPU-burning processes: {command}", flush=True)
    result = run_loaded(command, args.burners, args.max_minutes)
    result["calibration_gflops"] = round(gflops, 1)
    verdict = "PASSED" if result["passed"] else f"FAILED (exit {result['exit_status']})"
    print(
        f"\n{verdict} in {result['seconds']:.0f} s beside {args.burners} busy processes "
        f"(calibration {gflops:.1f} GFLOP/s, measured before the load)"
    )
    print(json.dumps(result))
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
