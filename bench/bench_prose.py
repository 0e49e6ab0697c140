"""Where the composer ends its sentences, against where the reference report ends them.

The reference (tests/corpus/reference-2021.txt) and the composer's draft of its spec
(examples/self-inspection-2021.yaml) say the same things in the same order, so their
sentence ends can be compared part by part (opening, each section, closing). Both
texts are reduced to their Chinese characters (figures are masked with x in the
reference, so digits, letters and punctuation are dropped), aligned with difflib, and
each sentence end (。！？) of one is looked up at the aligned place in the other.
Paragraph-final ends are left out: every paragraph ends there in both.

    python bench/bench_prose.py [--detail]

Prints per part: the reference's and the composer's interior sentence ends, how many
coincide, the share of the composer's ends that the reference also has (precision)
and the share of the reference's ends the composer reproduces (recall); then the same
count for semicolons.
"""

from __future__ import annotations

import argparse
import re
import sys
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from drafter import Drafter, load_spec  # noqa: E402

DOC = ROOT / "tests" / "corpus" / "reference-2021.txt"
SPEC = ROOT / "examples" / "self-inspection-2021.yaml"

_ENDS = "。！？"
_HAN = re.compile(r"[\u4e00-\u9fff]")
_ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")
_NOISE = re.compile(r"##paid(?:begin|end)##|【更多公文素材[^】]*】")


def reference_parts(text: str) -> list[str]:
    """Opening, section bodies (heading sentence removed), closing."""
    lines = [_NOISE.sub("", ln).strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
    parts = [lines[1]]
    for ln in lines[2:]:
        if _ORDINAL.match(ln):
            parts.append(ln[ln.index("。") + 1:])
        else:
            parts.append(ln)
    return parts


def skeleton(text: str, marks: str = _ENDS) -> tuple[str, list[int]]:
    """The Chinese characters of ``text`` and, for each interior mark of ``marks``
    (sentence ends by default), how many of them come before it."""
    chars: list[str] = []
    ends: list[int] = []
    body = text.rstrip().rstrip(_ENDS)
    for ch in body:
        if _HAN.match(ch):
            chars.append(ch)
        elif ch in marks and chars and (not ends or ends[-1] != len(chars)):
            ends.append(len(chars))
    return "".join(chars), ends


def _mapper(a: str, b: str):
    blocks = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()

    def where(pos: int) -> int | None:
        """Position in b of the boundary that stands before a[pos]."""
        for blk in blocks:
            if blk.size and blk.a < pos <= blk.a + blk.size:   # char before the boundary matched
                return blk.b + (pos - blk.a)
        for blk in blocks:
            if blk.size and blk.a <= pos < blk.a + blk.size:   # char after it matched
                return blk.b + (pos - blk.a)
        return None

    return where


def compare(ref: str, comp: str, marks: str = _ENDS) -> tuple[int, int, int, list[str]]:
    a, ref_ends = skeleton(ref, marks)
    b, comp_ends = skeleton(comp, marks)
    where = _mapper(a, b)
    mapped = {where(e) for e in ref_ends} - {None}
    hits = mapped & set(comp_ends)
    missing = [a[max(0, e - 8):e] + "｜" + a[e:e + 6] for e in ref_ends if where(e) not in hits]
    extra = [b[max(0, e - 8):e] + "｜" + b[e:e + 6] for e in comp_ends if e not in hits]
    notes = [f"  reference ends, composer does not: {m}" for m in missing]
    notes += [f"  composer ends, reference does not: {x}" for x in extra]
    return len(ref_ends), len(comp_ends), len(hits), notes


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--detail", action="store_true", help="list the ends that differ")
    args = ap.parse_args()
    spec = load_spec(SPEC)
    draft = Drafter().draft(spec)
    comp = [p.text for p in draft.parts]
    ref = reference_parts(DOC.read_text(encoding="utf-8"))
    if len(ref) != len(comp):
        raise SystemExit(f"part counts differ: reference {len(ref)}, composer {len(comp)}")
    names = [p.id for p in draft.parts]
    tot = [0, 0, 0]
    print(f"{'part':<20}{'ref ends':>9}{'ours':>6}{'same':>6}{'precision':>11}{'recall':>8}")
    for name, r, c in zip(names, ref, comp):
        nr, nc, hit, notes = compare(r, c)
        tot = [tot[0] + nr, tot[1] + nc, tot[2] + hit]
        print(f"{name:<20}{nr:>9}{nc:>6}{hit:>6}{hit / nc if nc else 1:>11.2f}{hit / nr if nr else 1:>8.2f}")
        if args.detail:
            print("\n".join(notes))
    nr, nc, hit = tot
    print(f"{'all':<20}{nr:>9}{nc:>6}{hit:>6}{hit / nc:>11.2f}{hit / nr:>8.2f}")
    print(f"composer sentence ends that differ from the reference's: {nc - hit} of {nc} ({(nc - hit) / nc:.0%})")
    print(f"reference sentence ends the composer misses: {nr - hit} of {nr} ({(nr - hit) / nr:.0%})")
    semi = [compare(r, c, "；") for r, c in zip(ref, comp)]
    nr, nc, hit = (sum(x[i] for x in semi) for i in range(3))
    print(f"semicolons: reference {nr}, composer {nc}, at the same place {hit}")


if __name__ == "__main__":
    main()
