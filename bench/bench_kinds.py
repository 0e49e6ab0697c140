"""False alarms and recall of `check` on the real-text sets per kind (tests/corpus/<kind>/).

For each kind: the findings on its clean documents (each one a false alarm), and over
its planted defects (defects.yaml) the share of expected defects reported (a new
finding of the expected family, on the same words or covering them: an older tree
may name the rule differently) and the findings that appear beyond them. Runs on any version of drafter whose ``validate(text)``
exists, so a tree before the kinds can be measured the same way.

    python bench/bench_kinds.py
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from drafter.validators import validate  # noqa: E402

CORPUS = ROOT / "tests" / "corpus"
FAMILY = {"R": "register", "H": "hygiene", "S": "structure", "N": "numbers"}


def _read(path: Path) -> str:
    """The text `check` reads: a .docx through the document reader (a tree without
    it reads text files only)."""
    try:
        from drafter.reading import read_document
    except ImportError:
        return path.read_text(encoding="utf-8")
    return read_document(path).text


def _findings(text: str, kind: str | None):
    try:
        return validate(text, kind=kind) if kind else validate(text)
    except Exception:  # an older tree that does not know the kind
        return validate(text)


def main() -> None:
    total = Counter()
    print(f"{'kind':16} {'clean docs':>10} {'errors':>7} {'warnings':>8}   {'defects':>7} {'found':>6} {'extra':>6}")
    for d in sorted(p for p in CORPUS.iterdir() if p.is_dir() and (p / "defects.yaml").is_file()):
        clean = sorted(d.glob("clean-*"))
        c = Counter()
        for p in clean:
            for f in _findings(_read(p), None):
                c[f.severity] += 1
        n_exp = n_found = n_extra = 0
        for case in yaml.safe_load((d / "defects.yaml").read_text(encoding="utf-8")) or []:
            base = _read(d / case["base"])
            text = base.replace(case["find"], case["replace"])
            delta = len(case["replace"]) - len(case["find"])
            at = base.index(case["find"])
            before = Counter((f.code, f.excerpt) for f in _findings(base, case.get("kind")))
            new = []
            for f in _findings(text, case.get("kind")):
                if before[(f.code, f.excerpt)]:
                    before[(f.code, f.excerpt)] -= 1  # there before the defect was planted
                else:
                    new.append(f)
            used: set[int] = set()
            for e in case["expect"]:
                n_exp += 1
                pos = text.find(str(e["excerpt"]), max(0, at - 40), at + len(case["replace"]) + 40 + max(0, delta))
                if pos < 0:
                    pos = text.find(str(e["excerpt"]))
                hit = next((i for i, f in enumerate(new) if i not in used and f.family == FAMILY[e["code"][0]]
                            and (f.excerpt == str(e["excerpt"]) or f.start <= pos < max(f.end, f.start + 1))), None)
                if hit is not None:
                    used.add(hit)
                    n_found += 1
            n_extra += len(new) - len(used)
        total.update(docs=len(clean), errors=c["error"], warnings=c["warning"], expected=n_exp, found=n_found,
                     extra=n_extra)
        print(f"{d.name:16} {len(clean):>10} {c['error']:>7} {c['warning']:>8}   {n_exp:>7} {n_found:>6} {n_extra:>6}")
    print(f"{'all':16} {total['docs']:>10} {total['errors']:>7} {total['warnings']:>8}   "
          f"{total['expected']:>7} {total['found']:>6} {total['extra']:>6}")
    print(f"recall on planted defects: {total['found'] / max(1, total['expected']):.1%}; "
          f"false alarms on clean documents: {total['errors'] + total['warnings']} "
          f"({total['errors']} errors) in {total['docs']} documents")


if __name__ == "__main__":
    main()
