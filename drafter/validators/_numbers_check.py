"""Family "numbers": every figure the text states must be backed by the evidence.

A text figure is matched against the input's figures by value in any notation, then
checked for unit, direction of change, percent versus percentage points, honest
approximation and plans stated as done. Input figures the text never uses are
warnings (for a section: its own figures; for a document: all of them).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from .._evidence import Evidence, EvidenceFigure, units_compatible
from .._findings import Finding
from .._numbers import Mention, compile_fixed, extract, place_value
from ._context import CheckContext

_OVER = frozenset({"余", "多", "以上", "超过", "超", "逾", "多达"})
_NEAR = frozenset({"近"})
_ABOUT = frozenset({"约", "左右"})
_DONE_WORDS = ("已", "建成", "完成", "实现", "累计", "共", "全部")


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


class _Index:
    def __init__(self, ev: Evidence):
        self.figs = sorted(ev.figures, key=lambda f: f.value)
        self.values = [f.value for f in self.figs]

    def between(self, lo: float, hi: float) -> list[EvidenceFigure]:
        """Figures with lo <= value <= hi."""
        return self.figs[bisect_left(self.values, lo - 1e-9):bisect_right(self.values, hi + 1e-9)]


def _candidates(m: Mention, idx: _Index) -> tuple[list[EvidenceFigure], bool]:
    """(figures this mention may honestly stand for, whether an approximation reached them)."""
    exact = idx.between(m.value, m.value)
    if m.approx is None:
        return exact, False
    pv = place_value(m.value)
    same_approx = [f for f in exact if f.approx is not None]
    if m.approx in _OVER:
        return same_approx + [f for f in idx.between(m.value, m.value + pv - 1e-9) if f not in same_approx], True
    if m.approx in _NEAR:
        return same_approx + [f for f in idx.between(m.value - pv, m.value) if f not in same_approx], True
    return same_approx + [f for f in idx.between(m.value - pv / 2, m.value + pv / 2) if f not in same_approx], True


def _unit_ok(m: Mention, f: EvidenceFigure) -> bool:
    return not m.unit or not f.unit or units_compatible(m.unit, f.unit)


def _dir_word(f: EvidenceFigure) -> str:
    return {"up": "上升", "down": "下降", "flat": "持平"}.get(f.direction or "", "")


def _clause(text: str, s: int, e: int) -> str:
    lo = max(text.rfind(c, 0, s) for c in "，。；\n")
    his = [i for i in (text.find(c, e) for c in "，。；\n") if i != -1]
    return text[lo + 1:min(his) if his else len(text)]


def _fixed(ctx: CheckContext):
    """Fixed expressions: bundled, plus an organisation's (``--lexicon``)."""
    if not ctx.extra_lexicons:
        return None
    from ._lexicon import lexicon

    wl = lexicon(ctx.extra_lexicons)["fixed_expressions"]
    return compile_fixed(tuple(wl.words), tuple(p for p, _ in wl.patterns))


def check(ctx: CheckContext) -> list[Finding]:
    ev = ctx.evidence
    if ev is None:
        return []
    text = ctx.text
    idx = _Index(ev)
    used: set[int] = set()
    out: list[Finding] = []
    make = ctx.make
    for m in extract(text, fixed=_fixed(ctx)):
        if m.kind != "figure":
            continue
        cands, by_approx = _candidates(m, idx)
        units = [f for f in cands if _unit_ok(m, f)]
        if not cands or (by_approx and not units):
            out.append(_unbacked(m, idx, ctx))
            continue
        if not units:
            pct = [f for f in cands if {m.unit, f.unit} == {"%", "个百分点"}]
            if pct:
                out.append(_of(make, pct[0], "N004", m.start, m.end, expected=pct[0].raw,
                               suggestion=f"按输入写作“{pct[0].raw}”"))
            else:
                out.append(_of(make, cands[0], "N002", m.start, m.end, expected=cands[0].raw,
                               suggestion=f"按输入写作“{cands[0].raw}”"))
            continue
        used.update(id(f) for f in units)
        if m.direction:
            directed = [f for f in units if f.direction]
            if directed and all(f.direction != m.direction for f in directed):
                f = directed[0]
                out.append(_of(make, f, "N003", m.start, m.end, expected=f"{f.basis or ''}{_dir_word(f)}{f.raw}",
                               suggestion=f"改为“{_dir_word(f)}”"))
                continue
        if m.approx is None and all(f.approx in _OVER | _NEAR | _ABOUT for f in units):
            f = units[0]
            out.append(_of(make, f, "N006", m.start, m.end, expected=f.raw, suggestion=f"写作“{f.raw}”"))
            continue
        if all(f.planned for f in units) and not m.planned:
            clause = _clause(text, m.start, m.end)
            if any(w in clause for w in _DONE_WORDS):
                out.append(_of(make, units[0], "N007", m.start, m.end, expected=units[0].context,
                               suggestion="写明为计划事项，如“拟……”“计划……”"))
    for f in ev.expected_figures:
        if id(f) not in used and not any(id(g) in used for g in idx.between(f.value, f.value) if g.raw == f.raw):
            out.append(_of(make, f, "N008", 0, 0, expected=f.raw, path=f.path))
    return out


def _of(make, f: EvidenceFigure, code: str, start: int, end: int, **kw) -> Finding:
    """A finding about input figure ``f``: it names the fact and, when known, its source
    (a ledger cell) in the message and in the ``fact``/``source`` fields."""
    finding = make(code, start, end, fact=f.path, source=f.source, **kw)
    if f.source:
        finding = finding.model_copy(update={"message": f"{finding.message}（出处：{f.source}）"})
    return finding


def _unbacked(m: Mention, idx: _Index, ctx: CheckContext) -> Finding:
    if m.approx is not None:
        near = [f for f in idx.between(m.value * 0.5, m.value * 2) if _unit_ok(m, f) and f.unit]
        if near:
            f = min(near, key=lambda f: abs(f.value - m.value))
            return _of(ctx.make, f, "N005", m.start, m.end, expected=f.raw, suggestion=f"按输入写作“{f.raw}”")
    return ctx.make("N001", m.start, m.end, suggestion="删去，或先在输入中补充该数字及其出处")
