"""Family "numbers": every figure the text states must be backed by the input fact it
restates, or derived from the facts by arithmetic that holds.

The work is done by :mod:`drafter.grounding` (alignment by value, unit and subject;
derived figures); this module supplies the word lists (bundled plus ``--lexicon``) and
turns each verdict into a finding that names the fact it aligned to and that fact's
source. Input figures the text never uses are warnings (for a section: its own
figures; for a document: all of them).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from .._evidence import Evidence, EvidenceFigure
from .._findings import Finding, FindingMaker
from .._numbers import NON_FIGURE_LISTS, compile_fixed
from ..grounding import Grounding, Verdict, Vocabulary, ground
from ._context import CheckContext

_CLAUSE_BREAKS = "，。；：！？,;:!?\n"


@lru_cache(maxsize=8)
def _words(extra: tuple[str, ...]) -> tuple[Vocabulary, object]:
    """The grounding vocabulary and the non-figure words (fixed expressions and names
    that need no backing) for a set of extra word-list files."""
    from ._lexicon import lexicon

    lex = lexicon(extra)

    def words(name: str) -> list[str]:
        return list(lex[name].words) if name in lex else []

    vocab = Vocabulary(neutral=words("neutral_words"), plan=words("plan_words"),
                       done=words("done_words"), rate=words("rate_words"),
                       total=words("total_words"), previous=words("previous_words"),
                       remainder=words("remainder_words"), whole=words("whole_words"),
                       per=words("per_words"), sums=words("sum_words"),
                       gap=words("gap_words"), plan_heading=words("plan_headings"))
    fixed = None
    if extra:
        ws: list[str] = []
        ps: list[str] = []
        for name in NON_FIGURE_LISTS:
            ws += list(lex[name].words)
            ps += [p for p, _ in lex[name].patterns]
        fixed = compile_fixed(tuple(ws), tuple(ps))
    return vocab, fixed


def grounding(text: str, evidence: Evidence, *, extra_lexicons: Iterable[str] = (),
              all_planned: bool | None = None) -> Grounding:
    """The grounding of ``text`` against ``evidence`` with the bundled word lists and
    an organisation's own (``extra_lexicons``).

    The last grounding of each evidence is kept: ``check`` asks for the findings and
    then for the derivations of the same text, and grounding a long text twice
    doubled the numbers family's cost."""
    extra = tuple(str(p) for p in extra_lexicons)
    asked = (extra, all_planned, evidence.section, evidence.all_planned)
    last = evidence.cache.get("last-grounding")  # one slot: a draft's parts do not pile up
    if last is not None and last[0] == asked and last[1] is evidence.figures and last[2] is evidence.expected \
            and (last[3] is text or last[3] == text):
        return last[4]
    vocab, fixed = _words(extra)
    g = ground(text, evidence, vocab, fixed=fixed, all_planned=all_planned)
    evidence.cache["last-grounding"] = (asked, evidence.figures, evidence.expected, text, g)
    return g


def check(ctx: CheckContext) -> list[Finding]:
    ev = ctx.evidence
    if ev is None:
        return []
    planned = ctx.options.get("all_planned")
    g = grounding(ctx.text, ev, extra_lexicons=ctx.extra_lexicons, all_planned=planned)
    out = [_finding(v, ctx.make) for v in g.verdicts if not v.ok]
    unused = ctx.make.at("N008", 0, 0)
    for f in g.unused:
        fact = f.fact
        out.append(unused(expected=f.raw, path=fact, fact_text=_short(f.context, 60), fact=fact, source=f.source))
    return out


def derivations(text: str, evidence: Evidence, *, extra_lexicons: Iterable[str] = (),
                all_planned: bool | None = None) -> list[dict]:
    """Every derived figure of ``text`` that was accepted, with its computation, as
    data (``check --format json``: ``derivations``) so a reader can verify it."""
    from .._findings import LineIndex

    g = grounding(text, evidence, extra_lexicons=extra_lexicons, all_planned=all_planned)
    index = LineIndex(text)
    out = []
    for v in g.derivations:
        m, d = v.mention, v.derivation
        line, col = index.position(m.start)
        out.append({"excerpt": text[m.start:m.end], "start": m.start, "end": m.end, "line": line, "column": col,
                    **d.to_dict()})
    return out


COVERAGE_CODE = "N008"


def coverage_gaps(findings: Iterable[Finding]) -> list[Finding]:
    """The input figures a text left out (a warning in ``check``; on the model path a
    section that omits its own facts is sent back like one with errors)."""
    return [f for f in findings if f.code == COVERAGE_CODE]


def where(f: EvidenceFigure) -> str:
    """How a finding names an input fact: its path, and its source when known."""
    return f"{f.fact}，出处：{f.source}" if f.source else f.fact


def _short(s: str, n: int) -> str:
    return s if len(s) <= n else s[:n - 1] + "…"


def clause_of(f: EvidenceFigure) -> str:
    """The clause of its fact a figure stands in: 清查并化解涉法涉诉信访案件18件."""
    t = f.context
    lo = max(t.rfind(c, 0, f.start) for c in _CLAUSE_BREAKS) + 1
    his = [i for i in (t.find(c, f.end) for c in _CLAUSE_BREAKS) if i != -1]
    return _short(t[lo:min(his) if his else len(t)], 40)


def _dir_word(f: EvidenceFigure) -> str:
    return {"up": "上升", "down": "下降", "flat": "持平"}.get(f.direction or "", "")


def _finding(v: Verdict, make: FindingMaker) -> Finding:
    m, f = v.mention, v.fact
    s, e = m.start, m.end
    at = {"fact": f.fact, "source": f.source} if f is not None else {}
    if v.status == "swap" and f is not None and v.owner is not None:
        o = v.owner
        if o.fact_index == f.fact_index:  # two figures of one fact (…，分别增长18.6%和21.3%)
            whole = _short(f.context, 60)
            return make("N009", s, e, other="同一事实中另一项", owner_text=o.fact,
                        shared=v.shared or clause_of(f), fact_text=whole, where=where(f), expected=f.raw,
                        suggestion=f"按所述事项写作“{f.raw}”", **at)
        return make("N009", s, e, other="另一事实", owner_text=f"{clause_of(o)}，{o.fact}",
                    shared=v.shared or clause_of(f), fact_text=clause_of(f), where=where(f), expected=f.raw,
                    suggestion=f"按所述事项写作“{f.raw}”；若确指“{clause_of(o)}”，改写分句使其与该事实对应", **at)
    if v.status == "approx":
        if f is not None:
            target = f"所述事实“{clause_of(f)}”（{where(f)}）"
            return make("N005", s, e, target=target, suggestion=f"按输入写作“{f.raw}”", **at)
        return make("N005", s, e, target="输入（没有与该分句对应的事实）",
                    suggestion="删去，或先在输入中补充该数字及其出处")
    if v.status == "unit" and f is not None:
        return make("N002", s, e, expected=f.raw, where=where(f), suggestion=f"按输入写作“{f.raw}”", **at)
    if v.status == "points" and f is not None:
        return make("N004", s, e, expected=f.raw, where=where(f), suggestion=f"按输入写作“{f.raw}”", **at)
    if v.status == "direction" and f is not None:
        return make("N003", s, e, expected=f"{f.basis or ''}{_dir_word(f)}{f.raw}", where=where(f),
                    suggestion=f"改为“{_dir_word(f)}”", **at)
    if v.status == "exact" and f is not None:
        return make("N006", s, e, expected=f.raw, where=where(f), suggestion=f"写作“{f.raw}”", **at)
    if v.status == "planned" and f is not None:
        return make("N007", s, e, expected=_short(f.context, 40), where=where(f), suggestion="写明为计划事项，如“拟……”“计划……”", **at)
    if v.status == "derived_wrong" and v.derivation is not None:
        d = v.derivation
        first = d.operands[0]
        return make("N010", s, e, formula=d.formula, where=where(first),
                    suggestion="按输入重新计算，或写明所依据的数字", fact=first.fact, source=first.source)
    if f is not None:
        return make("N001", s, e, detail=f"；所在分句对应输入“{clause_of(f)}”（{where(f)}），其中为“{f.raw}”",
                    suggestion=f"核对后按输入写作“{f.raw}”，或先在输入中补充该数字及其出处", **at)
    return make("N001", s, e, detail="；输入中没有与该分句对应的事实",
                suggestion="删去，或先在输入中补充该数字及其出处")
