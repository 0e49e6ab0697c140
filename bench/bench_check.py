"""Validator speed: all four families on the reference document and on it repeated
100 times (goal: at least 1 MB of Chinese text per second on one core, linear growth).

    python bench/bench_check.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from drafter import Evidence, load_spec  # noqa: E402
from drafter.validators import validate  # noqa: E402

DOC = ROOT / "tests" / "corpus" / "reference-2021.txt"
SPEC = ROOT / "examples" / "self-inspection-2021.yaml"


def rate(text: str, evidence, repeat: int) -> tuple[float, float, int]:
    best = float("inf")
    n = 0
    for _ in range(repeat):
        t = time.perf_counter()
        n = len(validate(text, evidence=evidence))
        best = min(best, time.perf_counter() - t)
    mb = len(text.encode("utf-8")) / 1e6
    return mb / best, best, n


def main() -> None:
    one = DOC.read_text(encoding="utf-8")
    # The evidence is built once per spec (as `drafter check --input` does); the rate is
    # that of the validators over the text.
    evidence = Evidence.from_report(load_spec(SPEC))
    validate(one, evidence=evidence)  # warm caches (word lists, regexes)
    r1, t1, n1 = rate(one, evidence, 20)
    big = one * 100
    r100, t100, n100 = rate(big, evidence, 3)
    print(f"reference ×1:   {len(one.encode()) / 1e3:8.1f} kB  {t1 * 1e3:8.1f} ms  {r1:6.2f} MB/s  {n1} findings")
    print(f"reference ×100: {len(big.encode()) / 1e6:8.2f} MB  {t100 * 1e3:8.1f} ms  {r100:6.2f} MB/s  {n100} findings")
    print(f"time ratio ×100/×1: {t100 / t1:.1f} (linear would be ~100)")
    print(f"goal ≥ 1 MB/s: {'met' if min(r1, r100) >= 1 else 'NOT met'}")


if __name__ == "__main__":
    main()
