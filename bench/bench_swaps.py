"""Swap recall: in a clean text, exchange two figures of the same unit that restate
different facts; both places must then be errors (N009, or N005 for approximations).
Run on the composer's drafts of the examples and on two hand paraphrases of the
reference (tests/corpus/numbers/). Prints recall per text; -v lists the misses.

    python bench/bench_swaps.py [-v] [--pairs N]
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from drafter import Drafter, load_spec, validate  # noqa: E402
from drafter._evidence import Evidence  # noqa: E402
from drafter._numbers import extract  # noqa: E402
from drafter.export import to_text  # noqa: E402
from drafter.validators._numbers_check import grounding  # noqa: E402

REFERENCE = ROOT / "examples" / "self-inspection-2021.yaml"
PARAPHRASES = [ROOT / "tests" / "corpus" / "numbers" / n for n in ("reference-paraphrase.txt", "reference-paraphrase-2.txt")]
EXAMPLES = ["work-summary-2024", "debriefing-2024", "work-area-2023-small"]


def swap_recall(spec, text: str, limit: int) -> tuple[int, int, list[tuple[str, str]]]:
    owner = {v.mention.start: v.fact.fact for v in grounding(text, Evidence.of(spec)).verdicts
             if v.status == "backed" and v.fact is not None}
    ms = [m for m in extract(text) if m.kind == "figure" and m.start in owner and m.approx is None]
    pairs = [(a, b) for a, b in itertools.combinations(ms, 2)
             if a.unit == b.unit and owner[a.start] != owner[b.start] and a.value != b.value
             and b.start - a.end < 400]
    random.Random(1).shuffle(pairs)
    hit = total = 0
    misses = []
    for a, b in pairs[:limit]:
        swapped = text[:a.start] + b.raw + text[a.end:b.start] + a.raw + text[b.end:]
        shift = len(b.raw) - len(a.raw)
        bad = {f.start for f in validate(swapped, spec, families=["numbers"]) if f.severity == "error"}
        for pos, m, other in ((a.start, a, b), (b.start + shift, b, a)):
            total += 1
            if pos in bad:
                hit += 1
            else:
                misses.append((f"{m.raw} ← {other.raw}", swapped[max(0, pos - 20):pos + 10].replace("\n", " ")))
    return hit, total, misses


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-v", action="store_true", help="list the misses")
    ap.add_argument("--pairs", type=int, default=400, help="at most this many swapped pairs per text")
    args = ap.parse_args()
    reference = load_spec(REFERENCE)
    texts = [("composer: reference", reference, to_text(Drafter().draft(reference)))]
    texts += [(f"paraphrase: {p.name}", reference, p.read_text(encoding="utf-8")) for p in PARAPHRASES]
    for name in EXAMPLES:
        spec = load_spec(ROOT / "examples" / f"{name}.yaml")
        texts.append((f"composer: {name}", spec, to_text(Drafter().draft(spec))))
    all_hit = all_total = 0
    for name, spec, text in texts:
        hit, total, misses = swap_recall(spec, text, args.pairs)
        all_hit, all_total = all_hit + hit, all_total + total
        print(f"{name:40} {hit:4}/{total:<4} recall {hit / max(total, 1):.3f}")
        if args.v:
            for what, where in misses:
                print(f"    missed {what}: …{where}…")
    print(f"{'all':40} {all_hit:4}/{all_total:<4} recall {all_hit / max(all_total, 1):.3f}")


if __name__ == "__main__":
    main()
