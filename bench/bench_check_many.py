"""Checking many files: `drafter check FOLDER` with worker processes (the default from
16 files on) against one process (`--jobs 1`): wall time including start-up, and the CPU
time of the whole run (workers included), whose ratio is what the processes cost. The
wall-time gain needs free cores: the load average is printed beside it.

    python bench/bench_check_many.py [--files 40] [--runs 3]

The folder holds what an assessment office gets: Word reports (the examples drafted and
exported), and the reference report as UTF-8 and as GB18030 text. Both runs must print
the same JSON lines in the same order.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_folder(folder: Path, n: int) -> None:
    from drafter import Drafter, load_spec, to_docx

    reference = (ROOT / "tests" / "corpus" / "reference-2021.txt").read_text(encoding="utf-8")
    exports = [to_docx(Drafter().draft(load_spec(ROOT / "examples" / name)))
               for name in ("self-inspection-2021.yaml", "work-area-2023-small.yaml")]
    for i in range(n):
        kind = i % 4
        if kind < 2:
            (folder / f"{i:03d}-report.docx").write_bytes(exports[kind])
        elif kind == 2:
            (folder / f"{i:03d}-report.txt").write_text(reference, encoding="utf-8")
        else:
            (folder / f"{i:03d}-report.txt").write_bytes(reference.encode("gb18030"))


def run(folder: Path, jobs: int, *extra: str) -> tuple[float, float, str]:
    """(wall s, CPU s of the process and its workers, stdout)."""
    import resource

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "drafter", "check", str(folder), "--format", "json",
                          "--jobs", str(jobs), *extra], capture_output=True, text=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, out.stdout


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=40)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--input", action="store_true", help="judge the figures against the reference spec too")
    args = ap.parse_args()
    extra = ("--input", str(ROOT / "examples" / "self-inspection-2021.yaml")) if args.input else ()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_folder(folder, args.files)
        one, many = [], []
        for _ in range(args.runs):
            *t1, out1 = run(folder, 1, *extra)
            *t0, out0 = run(folder, 0, *extra)
            assert out0 == out1, "parallel output differs from sequential"
            one.append(t1)
            many.append(t0)
    med = statistics.median
    wall1, cpu1 = med(w for w, _ in one), med(c for _, c in one)
    wall0, cpu0 = med(w for w, _ in many), med(c for _, c in many)
    print(f"{args.files} files{' judged against the spec' if args.input else ''}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"--jobs 1 (one process)     wall {wall1:.2f} s  cpu {cpu1:.2f} s")
    print(f"default (worker processes) wall {wall0:.2f} s  cpu {cpu0:.2f} s")
    print(f"wall speed-up {wall1 / wall0:.2f}x; cpu cost of the processes {cpu0 / cpu1:.2f}x; "
          f"output identical and in input order")


if __name__ == "__main__":
    main()
