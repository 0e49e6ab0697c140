"""Checking many files: `drafter check FOLDER` with worker processes (the default from
6 files on) against one process (`--jobs 1`), wall time including start-up.

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


def run(folder: Path, jobs: int) -> tuple[float, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "drafter", "check", str(folder), "--format", "json",
                          "--jobs", str(jobs)], capture_output=True, text=True, env=env, cwd=ROOT)
    return time.perf_counter() - t, out.stdout


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=40)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_folder(folder, args.files)
        one, many = [], []
        for _ in range(args.runs):
            t1, out1 = run(folder, 1)
            t0, out0 = run(folder, 0)
            assert out0 == out1, "parallel output differs from sequential"
            one.append(t1)
            many.append(t0)
    med = statistics.median
    print(f"{args.files} files, {os.cpu_count()} CPUs")
    print(f"--jobs 1 (one process)     median {med(one):.2f} s")
    print(f"default (worker processes) median {med(many):.2f} s")
    print(f"speed-up {med(one) / med(many):.2f}x; output identical and in input order")


if __name__ == "__main__":
    main()
