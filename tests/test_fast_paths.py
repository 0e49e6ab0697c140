"""Shortcuts taken for speed give exactly what the plain way gives: findings made
without pydantic's generic constructor, grounding that looks only at the facts that
can still matter, work per drafted part that does not grow with the report.

Speed itself is measured in bench/ (bench_big.py, bench_import.py); these tests count
work and compare results, never time."""

from __future__ import annotations

import yaml
from helpers import CORPUS, REFERENCE_DOC, REFERENCE_SPEC

from drafter import Drafter, Evidence, load_spec, validate
from drafter._findings import Finding, FindingMaker, new_finding


# ----------------------------------------------------------------- findings

def test_fast_findings_are_the_models_model_construct_makes():
    fields = dict(code="N001", family="numbers", severity="error", message="数字“312起”在输入中找不到", start=3,
                  end=7, line=1, column=4, excerpt="312起", suggestion=None, standard="GB/T 15835-2011",
                  fact="facts:2", source="台账.xlsx 政法!C3")
    slow, fast = Finding.model_construct(**fields), new_finding(**fields)
    assert fast == slow and hash(fast) == hash(slow)
    assert list(fast.__dict__.items()) == list(slow.__dict__.items())
    assert fast.model_fields_set == slow.model_fields_set
    assert fast.model_dump_json() == slow.model_dump_json() and repr(fast) == repr(slow)
    assert fast.model_fields_set is not new_finding(**fields).model_fields_set  # never shared
    moved = fast.model_copy(update={"line": 9})
    assert (moved.line, fast.line) == (9, 1) and moved.model_fields_set == slow.model_fields_set


def test_finding_maker_fills_every_field_from_the_rule():
    text = "第一行\n全年受理xx件。"
    f = FindingMaker(text)("H003", 8, 10, suggestion="填写数字")
    assert (f.line, f.column, f.excerpt, f.family, f.severity) == (2, 5, "xx", "hygiene", "error")
    assert f.standard and f.message and f == Finding.model_validate(f.model_dump())


# ----------------------------------------------------------------- grounding

def _number_cases():
    for path in sorted((CORPUS / "numbers").glob("*.yaml")):
        for group in yaml.safe_load(path.read_text(encoding="utf-8")):
            texts = list(group.get("clean", [])) + [d["text"] for d in group.get("defects", [])]
            yield group["facts"], texts


def test_rivals_looked_for_in_one_fact_give_the_same_verdicts(monkeypatch):
    """When one fact's words cover the clause, grounding compares the figure only with
    that fact's other figures: on every corpus case the findings are the same as when
    every fact sharing a word is compared."""
    from drafter.grounding._ground import _Grounder

    cases = [(Evidence.from_facts(facts), text) for facts, texts in _number_cases() for text in texts]
    spec = load_spec(REFERENCE_SPEC)
    cases += [(Evidence.of(spec), REFERENCE_DOC.read_text(encoding="utf-8")),
              (Evidence.of(spec), (CORPUS / "numbers" / "reference-paraphrase.txt").read_text(encoding="utf-8"))]
    cases += [(Evidence.of(spec).for_section(s.id), REFERENCE_DOC.read_text(encoding="utf-8"))
              for s in spec.sections]

    def findings():
        return [[(f.code, f.start, f.message, f.fact) for f in validate(text, evidence=ev, families=["numbers"])]
                for ev, text in cases]

    narrowed = findings()
    pruned = []
    original = _Grounder._rival_facts
    monkeypatch.setattr(_Grounder, "_rival_facts", lambda self, ctx, ok: pruned.append(original(self, ctx, ok)))
    assert findings() == narrowed
    assert any(p is not None for p in pruned)  # the shortcut is taken on the corpus


def test_drafting_compares_each_figure_with_its_own_facts_only(tmp_path, monkeypatch):
    """Sections that all count the same kind of thing (全年开展专项活动N场次) used to have
    every figure weighed against every other section's (n² comparisons, 95 s for 4,000
    sections); now the work per part does not grow with the number of parts."""
    from test_big_inputs import many_sections

    from drafter.grounding._ground import _Clause

    weighed = []
    original = _Clause.support
    monkeypatch.setattr(_Clause, "support", lambda self, x, level, y: weighed.append(y) or original(self, x, level, y))
    for n in (20, 60):
        weighed.clear()
        draft = Drafter().draft(load_spec(many_sections(tmp_path, n)))
        assert len(draft.sections) == n
        assert sum(y is not None for y in weighed) < n  # rival against value-holder: none here


def test_evidence_for_a_part_is_that_parts_figures_in_input_order():
    ev = Evidence.of(load_spec(REFERENCE_SPEC))
    for part in ["opening", "closing", "nowhere", *(f.section_id for f in ev.figures)]:
        assert ev.for_section(part).expected == [f for f in ev.figures if f.section_id == part]
        assert ev.for_section(part).section == part


# ----------------------------------------------------------------- numbers

def _corpus_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.rglob("*")) if p.suffix in (".txt", ".md")]
    return texts + [REFERENCE_DOC.read_text(encoding="utf-8")]


def test_fixed_expressions_behind_their_first_characters_match_as_the_plain_alternation():
    import re

    from drafter._numbers import _bundled_numbers_lexicon, compile_fixed

    raw = _bundled_numbers_lexicon()
    words = tuple(w for name in ("fixed_expressions", "no_backing") for w in (raw[name].get("words") or ()))
    pats = tuple(p if isinstance(p, str) else p["pattern"] for name in ("fixed_expressions", "no_backing")
                 for p in raw[name].get("patterns") or ())
    gated = compile_fixed(words, pats)
    parts = sorted([re.escape(w) for w in words] + list(pats), key=len, reverse=True)
    plain = re.compile("|".join(f"(?:{p})" for p in parts))
    assert gated.pattern != plain.pattern  # the gate is there
    for text in _corpus_texts():
        assert [m.span() for m in gated.finditer(text)] == [m.span() for m in plain.finditer(text)]
        for a in range(0, len(text), 97):  # windows, as the extractor searches them
            assert [m.span() for m in gated.finditer(text, a, a + 40)] == \
                   [m.span() for m in plain.finditer(text, a, a + 40)]


def test_a_short_text_is_read_once_and_every_caller_gets_its_own_list(monkeypatch):
    import drafter._numbers as numbers

    reads = []
    original = numbers._extract
    monkeypatch.setattr(numbers, "_extract", lambda text, fixed: reads.append(text) or original(text, fixed))
    monkeypatch.setattr(numbers, "_MEMO", {})
    text = "全年新发刑事案件三百一十二起，同比下降8.2%，破获各类案件300余起"
    first = numbers.extract(text)
    first.append("caller's own")
    again = numbers.extract(text)
    assert reads == [text] and again == first[:-1] and len(again) == 3
    assert [m.raw for m in again] == ["三百一十二起", "8.2%", "300余起"]
    long = "全年受理群众来信来访86件。" * 200
    numbers.extract(long)
    numbers.extract(long)
    assert reads.count(long) == 2  # a document is not kept


def test_check_grounds_the_text_once_for_its_findings_and_derivations(monkeypatch):
    from drafter.app._check import CheckOptions, check_file
    from drafter.validators import _numbers_check

    grounded = []
    original = _numbers_check.ground
    monkeypatch.setattr(_numbers_check, "ground", lambda *a, **k: grounded.append(1) or original(*a, **k))
    doc = CORPUS / "numbers" / "reference-paraphrase-2.txt"  # it derives a figure
    result = check_file(str(doc), CheckOptions(spec=load_spec(REFERENCE_SPEC)))
    assert len(grounded) == 1 and result.findings and result.derivations
    fresh = Evidence.from_report(load_spec(REFERENCE_SPEC))  # no grounding kept on it
    assert result.derivations == _numbers_check.derivations(doc.read_text(encoding="utf-8"), fresh)
    assert len(grounded) == 2
