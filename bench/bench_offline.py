"""Offline drafting speed: wall time of `drafter draft` on the reference example,
interpreter start included (goal: under 0.5 s), the time to import the package, and
the composer's own share (the whole draft in process, warm, validation included).

    python bench/bench_offline.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "examples" / "self-inspection-2021.yaml"


def timed(cmd: list[str], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        out.append(time.perf_counter() - t)
    return out


def in_process(runs: int) -> list[float]:
    sys.path.insert(0, str(ROOT))
    from drafter import Drafter, load_spec

    spec = load_spec(SPEC)
    Drafter().draft(spec)  # warm: templates, word lists
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        Drafter().draft(spec)
        out.append(time.perf_counter() - t)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    py = sys.executable
    bare = timed([py, "-c", "pass"], args.runs)
    imp = timed([py, "-c", "import drafter"], args.runs)
    draft = timed([py, "-m", "drafter", "draft", str(SPEC)], args.runs)
    warm = in_process(20)
    med = statistics.median
    print(f"interpreter start        median {med(bare):.3f} s")
    print(f"import drafter           median {med(imp):.3f} s  (package alone {med(imp) - med(bare):.3f} s)")
    print(f"drafter draft reference  median {med(draft):.3f} s  best {min(draft):.3f} s")
    print(f"draft in process, warm   median {med(warm) * 1000:.1f} ms (composer and validators, no start-up)")
    print(f"goal 0.5 s: ratio {med(draft) / 0.5:.2f} ({'met' if med(draft) < 0.5 else 'NOT met'})")


if __name__ == "__main__":
    main()
