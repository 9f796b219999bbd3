"""Live explorer latency (issue 18): median and p95 of one update, normalised to a slow machine.

Run from the repository root::

    .venv/bin/python benchmarks/bench_explorers.py                 # every explorer chapter
    .venv/bin/python benchmarks/bench_explorers.py --chapters 04 06 --updates 20 --pauses 0
    .venv/bin/python benchmarks/bench_explorers.py --floor 20      # the least a redraw costs

Each chapter is executed as stored in a fresh kernel (live widgets), then one appended cell
moves random controls of every explorer the chapter displayed (seeded) and times each update,
inside that kernel. It does so twice:

- *cold* (``--pauses 0``): moves follow one another at once and nothing is drawn ahead, so a
  move to a state not shown before costs one full draw in the kernel;
- *reader-paced* (``--pauses 1``): each move is one step of one control (a reader dragging a
  slider or pressing an arrow key), and before it the cell waits as a reader looking at the
  figure does (one second on the slow machine: less here, in proportion to the calibration
  below, so that no more states are drawn ahead than there), while the explorer draws the
  nearest states ahead in low-priority processes (``dlcourse.widgets._Prefetch``), from the
  moment it is displayed.

Moves to a state not shown before ("first visits") are reported apart, and "drawn before"
counts the moves whose state was already drawn (earlier, or ahead) when the move came.

``--floor`` measures instead how fast *any* cold update could be while matplotlib redraws the
whole figure: per explorer, a new state as a move draws it (fresh axes, ``draw``, Agg, PNG),
and Agg's redraw of that same figure, unchanged (no axes made, no artist made or changed, no
layout, no PNG). An update that changes artists in place still pays the redraw, so where the
redraw alone misses the goal, only drawing part of the figure (blitting) could meet it.

Beside the latencies it prints a Python-speed calibration: the best of several runs of a
10-million-iteration ``s += i`` loop. Latencies are also given *normalised* to the slow
2-core machine of issue 18, where that loop takes :data:`SLOW_LOOP_SECONDS`:
``latency * SLOW_LOOP_SECONDS / this machine's loop time``. The goal applies to that figure.
``bench_course.py`` uses :func:`timing_cell` and :func:`summarise` for its explorers.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]

#: Seconds the calibration loop takes on the slow machine of issue 18.
SLOW_LOOP_SECONDS = 0.76
GOALS = {"median_ms_max": 100.0, "p95_ms_max": 200.0}
#: Every chapter that shows a live explorer.
DEFAULT_CHAPTERS = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"]

# Put before each cell below: every explorer the chapter displayed, once.
_FIND_EXPLORERS = """
from dlcourse.widgets import Explorer as _Explorer
_found = {}
for _v in list(globals().values()) + list(Out.values()):
    if isinstance(_v, _Explorer):
        _found[id(_v)] = _v
"""

# Appended to a chapter: time live updates of every explorer it displayed. With __PAUSE__ = 0
# nothing is drawn ahead (the cold case); otherwise the cell waits __PAUSE__ seconds before each
# move, as a reader looking at the figure does, while the explorer draws ahead.
TIMING_CELL = """
import json as _json, random as _random, time as _time
from dlcourse import widgets as _widgets
if not __PAUSE__:
    _widgets._Prefetch.allowed = staticmethod(lambda: False)
_report = []
for _e in _found.values():
    _rng = _random.Random(0)
    _e._repr_mimebundle_()  # displayed, as the notebook did: the reader now looks at it
    _seen = {tuple(_e.values.items())}
    _times, _cpus, _first, _ahead = [], [], [], []
    for _k in range(__UPDATES__):
        _name = _rng.choice(list(_e.controls))
        _control = _e.controls[_name]
        if len(_control.values) < 2:
            continue
        if __PAUSE__:  # a reader drags a slider or presses an arrow key: one step
            _i = _control.index(_e.values[_name])
            _steps = [d for d in (-1, 1) if 0 <= _i + d < len(_control)]
            _value = _control.values[_i + _rng.choice(_steps)]
        else:  # a jump to any other value
            _value = _rng.choice([v for v in _control.values if v != _e.values[_name]])
        _time.sleep(__PAUSE__)
        _key = _e._state({_name: _value})[1]
        _ahead.append(_key in _e._pngs)
        _start, _cpu = _time.perf_counter(), _time.process_time()
        _e.set(**{_name: _value})
        _times.append(1000 * (_time.perf_counter() - _start))
        _cpus.append(1000 * (_time.process_time() - _cpu))
        _first.append(_key not in _seen)
        _seen.add(_key)
    _report.append({"name": _e.name, "states": _e.n_states, "updates_ms": _times,
                    "cpu_ms": _cpus, "first_visit": _first, "drawn_before": _ahead})
print("DLCOURSE_EXPLORERS " + _json.dumps(_report, default=str))
"""


# Appended to a chapter for --floor: per explorer, __STATES__ states in a seeded random order;
# each is drawn as a move draws it, then the same figure is redrawn without any change.
FLOOR_CELL = """
import json as _json, random as _random, time as _time
import matplotlib as _mpl
from dlcourse import widgets as _widgets
_widgets._Prefetch.allowed = staticmethod(lambda: False)
_widgets._freeze_while_exploring()  # as on a reader's first move
_report = []
for _e in _found.values():
    _states = list(_e.states())
    _random.Random(0).shuffle(_states)
    _e.render_pixels(**_states[-1])  # the layout every state shares, made once
    _new, _redraw = [], []
    for _s in _states[:__STATES__]:
        _start = _time.perf_counter()
        _e.render(**_s)
        _new.append(1000 * (_time.perf_counter() - _start))
        with _mpl.rc_context(_widgets._RC):
            _start = _time.perf_counter()
            _e.figure.canvas.draw()
            _redraw.append(1000 * (_time.perf_counter() - _start))
    _report.append({"name": _e.name, "states": _e.n_states, "state_ms": _new,
                    "redraw_ms": _redraw})
print("DLCOURSE_EXPLORERS " + _json.dumps(_report, default=str))
"""


def timing_cell(updates: int, pause: float = 0.0) -> str:
    """:data:`TIMING_CELL` for ``updates`` moves per explorer, ``pause`` seconds apart."""
    cell = TIMING_CELL.replace("__UPDATES__", str(updates)).replace("__PAUSE__", repr(pause))
    return _FIND_EXPLORERS + cell


def _loop(n: int) -> int:
    s = 0
    for i in range(n):
        s += i
    return s


def calibration(repeats: int = 5) -> dict:
    """The 10-million-iteration ``s += i`` loop: best wall and best CPU seconds of ``repeats``."""
    wall = cpu = float("inf")
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        _loop(10_000_000)
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return {"wall_seconds": round(wall, 3), "cpu_seconds": round(cpu, 3)}


def _stats(times: list[float], scale: float) -> dict:
    if not times:
        return {"median_ms": None, "p95_ms": None, "n": 0}
    median, p95 = statistics.median(times), float(np.percentile(times, 95))
    return {
        "n": len(times),
        "median_ms": round(median, 1),
        "p95_ms": round(p95, 1),
        "slow_median_ms": round(median * scale, 1),
        "slow_p95_ms": round(p95 * scale, 1),
    }


def summarise(explorer: dict, loop: dict) -> dict:
    """Turn one record of :data:`TIMING_CELL` into median/p95, raw and normalised.

    Wall-clock latencies are normalised by the loop's wall time; the kernel's CPU time per
    update (steadier on a shared machine) by the loop's CPU time.
    """
    times = explorer.pop("updates_ms")
    cpus = explorer.pop("cpu_ms", [])
    first = explorer.pop("first_visit", [True] * len(times))
    drawn_before = explorer.pop("drawn_before", [])
    explorer["drawn_before"] = sum(drawn_before)  # moves to a state already drawn (or ahead)
    scale = SLOW_LOOP_SECONDS / loop["wall_seconds"]
    explorer["all"] = _stats(times, scale)
    explorer["first_visits"] = _stats([t for t, f in zip(times, first) if f], scale)
    cpu_scale = SLOW_LOOP_SECONDS / loop["cpu_seconds"]
    explorer["cpu_all"] = _stats(cpus, cpu_scale)
    explorer["cpu_first_visits"] = _stats([t for t, f in zip(cpus, first) if f], cpu_scale)
    # kept flat for bench_course's table and goals
    explorer["median_ms"], explorer["p95_ms"] = (
        explorer["all"]["median_ms"],
        explorer["all"]["p95_ms"],
    )
    return explorer


def misses(chapter: str, explorer: dict) -> list[str]:
    """The goals an explorer misses, judged on the normalised (slow-machine) figures."""
    found = []
    for part in ("all", "first_visits"):
        s = explorer[part]
        if s["n"] and s["slow_median_ms"] > GOALS["median_ms_max"]:
            found.append(f"{chapter}: {explorer['name']} {part} median {s['slow_median_ms']} ms")
        if s["n"] and s["slow_p95_ms"] > GOALS["p95_ms_max"]:
            found.append(f"{chapter}: {explorer['name']} {part} p95 {s['slow_p95_ms']} ms")
    return found


def rows(chapter: str, explorers: list[dict]) -> list[list]:
    """Table rows: raw wall-clock figures, then normalised wall and CPU figures."""
    out = []
    for e in explorers:
        a, f, c, cf = e["all"], e["first_visits"], e["cpu_all"], e["cpu_first_visits"]
        out.append(
            [chapter, e["name"], e["states"], a["n"], e.get("drawn_before"), a["median_ms"],
             a["p95_ms"],
             a.get("slow_median_ms"), a.get("slow_p95_ms"), f["n"], f.get("slow_median_ms"),
             f.get("slow_p95_ms"), c.get("slow_median_ms"), c.get("slow_p95_ms"),
             cf.get("slow_median_ms"), cf.get("slow_p95_ms")]
        )  # fmt: skip
    return out


HEADER = ["ch", "explorer", "states", "moves", "drawn before", "median", "p95", "slow median",
          "slow p95", "first visits", "slow median", "slow p95", "cpu slow median", "cpu slow p95",
          "cpu first median", "cpu first p95"]  # fmt: skip


def run(path: Path, cell: str) -> list[dict]:
    """Execute one chapter in a fresh kernel with ``cell`` appended; the records it prints."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(cell))
    NotebookClient(
        notebook, timeout=900, kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()  # fmt: skip
    for output in notebook.cells[-1].outputs:
        for line in "".join(output.get("text", "")).splitlines():
            if line.startswith("DLCOURSE_EXPLORERS "):
                return json.loads(line.removeprefix("DLCOURSE_EXPLORERS "))
    return []


def floor(chapters: list[Path], states: int, loop: dict) -> dict:
    """``--floor``: per explorer, median ms of a new state and of a redraw of the same figure."""
    from bench_course import table

    scale = SLOW_LOOP_SECONDS / loop["wall_seconds"]
    table_rows, result = [], {}
    for path in chapters:
        cell = _FIND_EXPLORERS + FLOOR_CELL.replace("__STATES__", str(states))
        result[path.stem] = explorers = run(path, cell)
        for e in explorers:
            new, redraw = statistics.median(e["state_ms"]), statistics.median(e["redraw_ms"])
            e.update(new_median_ms=round(new, 1), redraw_median_ms=round(redraw, 1),
                     slow_new_median_ms=round(new * scale, 1),
                     slow_redraw_median_ms=round(redraw * scale, 1))  # fmt: skip
            table_rows.append(
                [path.stem[:2], e["name"], e["states"], len(e["state_ms"]),
                 e["new_median_ms"], e["redraw_median_ms"],
                 f"{redraw / new:.0%}", e["slow_new_median_ms"], e["slow_redraw_median_ms"],
                 "yes" if redraw * scale < GOALS["median_ms_max"] else "NO"]
            )  # fmt: skip
        print(f"  floor: {path.stem}: {len(explorers)} explorers measured", flush=True)
    print("== floor: median milliseconds; 'slow' = normalised to the slow machine")
    header = ["ch", "explorer", "states", "measured", "new state", "redraw only",
              "share", "slow new state", "slow redraw only", "redraw < 100 ms slow"]  # fmt: skip
    print(table(table_rows, header))
    under = sum(row[-1] == "yes" for row in table_rows)
    print(f"{under} of {len(table_rows)} explorers redraw an unchanged figure in under "
          f"{GOALS['median_ms_max']:g} ms (median, normalised)")  # fmt: skip
    return result


def main() -> int:
    from bench_course import table

    from dlcourse.reproducibility import fair_thread_count

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", nargs="*", default=DEFAULT_CHAPTERS)
    parser.add_argument("--updates", type=int, default=40, help="moves per explorer")
    parser.add_argument(
        "--pauses", type=float, nargs="*", default=[0.0, 1.0],
        help="seconds a reader looks before each move, on the slow machine (scaled to this "
        "one by the calibration); 0 = cold (nothing drawn ahead)",
    )  # fmt: skip
    parser.add_argument(
        "--floor", type=int, metavar="STATES", default=0,
        help="instead of moves: time STATES new states and redraws per explorer (see above)",
    )  # fmt: skip
    parser.add_argument("--json", type=Path, help="also write the JSON result here")
    args = parser.parse_args()
    chapters = sorted(
        p
        for p in (ROOT / "chapters").glob("*.ipynb")
        if any(p.name.startswith(c) for c in args.chapters)
    )
    loop = calibration()
    print(
        f"calibration: 10M-iteration loop {loop['wall_seconds']} s here ({loop['cpu_seconds']} s "
        f"CPU), {SLOW_LOOP_SECONDS} s on the slow machine; slow = measured x "
        f"{SLOW_LOOP_SECONDS / loop['wall_seconds']:.2f} (wall), "
        f"x {SLOW_LOOP_SECONDS / loop['cpu_seconds']:.2f} (CPU); {fair_thread_count()} cores "
        "here for drawing ahead (2 on the slow machine)",
        flush=True,
    )
    result = {"calibration": loop, "modes": {}}
    if args.floor:
        result["floor"] = floor(chapters, args.floor, loop)
        args.pauses = []
    for pause in args.pauses:
        # A pause of 1 s on the slow machine lets the children draw as many states ahead as a
        # pause of 1 s x (loop time here / there) does here, given as many cores (2) here.
        here = round(pause * loop["wall_seconds"] / SLOW_LOOP_SECONDS, 3)
        mode = "cold" if not pause else f"reader pausing {pause:g} s ({here:g} s here)"
        chapters_result, missed, table_rows = {}, [], []
        for path in chapters:
            records = run(path, timing_cell(args.updates, here))
            explorers = [summarise(e, loop) for e in records]
            chapters_result[path.stem] = explorers
            table_rows += rows(path.stem[:2], explorers)
            missed += [m for e in explorers for m in misses(path.stem[:2], e)]
            print(f"  {mode}: {path.stem}: {len(explorers)} explorers timed", flush=True)
        print(f"== {mode}: milliseconds per update; 'slow' = normalised to the slow machine")
        print(table(table_rows, HEADER))
        verdict = "all met" if not missed else "MISSED: " + "; ".join(missed)
        print(f"goals, {mode} (normalised: median < 100 ms, p95 < 200 ms): {verdict}", flush=True)
        result["modes"][mode] = {"pause_seconds": pause, "pause_seconds_here": here,
                                 "chapters": chapters_result,
                                 "misses": missed}  # fmt: skip
    loop_after = calibration()
    print(f"calibration again after the runs: {loop_after} (a change shows a change of load)")
    result["calibration_after"] = loop_after
    line = json.dumps(result)
    print(line)
    if args.json:
        args.json.write_text(line + "\n")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
