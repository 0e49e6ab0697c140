"""Evidence: every fact the input gives, and every figure in it, with where it stands.

Facts arrive as :class:`FactRecord` values — from a spec (:meth:`Evidence.from_report`),
a reviewer's plain facts file (:meth:`Evidence.from_facts`) or any other source such as
a ledger (:meth:`Evidence.from_records`) — so every source feeds the same evidence.
Every text is read by the same extractor the validators use (:mod:`drafter._numbers`),
so the draft's "三百一十二起" and the input's "312起" meet as the same figure.

Structured figures of a fact must agree with the fact's own text, in whatever notation
the user writes them (``{value: 3.6, unit: 亿元}`` for 3.6亿元, ``36000 万元``,
``126000 人`` for 12.6万人); they add a label, an approximation and a source to the
figure found there. Every disagreement of a spec is reported at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ._errors import SpecError
from ._numbers import Mention, extract, may_plan, says_done, says_plan, unit_groups
from ._spec import FactDetail, Figure, Report, Section

PEOPLE_UNITS = frozenset({"人", "名", "位"})
_PREVIOUS = ("上年", "去年", "上一年", "上年度", "上年同期", "去年同期")
_PREVIOUS_RE = re.compile("|".join(_PREVIOUS))


@dataclass(frozen=True, slots=True)
class FactRecord:
    """One fact as any source gives it: a spec line, a facts-file line, a ledger row.

    ``path`` says where it stands (``sections[2].facts[4]``, ``facts:3``); ``section``
    groups facts that belong together (a spec section id, a ledger sheet); ``figures``
    are optional structured figures (:class:`drafter.Figure`) that must agree with
    ``text``; ``planned`` marks a plan (拟/计划…) that a draft may never state as done.
    """

    text: str
    source: str | None = None
    section: str | None = None
    figures: tuple[Figure, ...] = ()
    planned: bool = False
    path: str | None = None


@dataclass(frozen=True, slots=True)
class EvidenceFigure:
    value: float
    unit: str
    approx: str | None
    direction: str | None
    basis: str | None
    planned: bool
    path: str            # field path in the spec, e.g. sections[2].facts[4]
    context: str         # the input text it was read from
    raw: str             # as written in the input: 300余起
    section_id: str | None = None
    label: str | None = None
    source: str | None = None
    start: int = 0       # offsets of ``raw`` in ``context``
    end: int = 0
    fact_index: int = 0  # index of its fact in Evidence.facts
    year: int | None = None      # the year its clause names (2022年…), if any
    previous: bool = False       # its clause names the previous period (上年, 去年)

    @property
    def fact(self) -> str:
        """The path of the fact it belongs to (``sections[2].facts[4]``)."""
        return self.path.removesuffix(".text")

    def describe(self) -> str:
        return f"{self.raw}（{self.fact}）"


def units_compatible(a: str, b: str) -> bool:
    """Whether two units count the same thing (人/名/位; 批/批次: ``data/unit_synonyms.txt``)."""
    return a == b or b in unit_groups().get(a, ())


@dataclass
class Evidence:
    figures: list[EvidenceFigure] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)
    # Figures a text is expected to use (its section's); None: all figures.
    expected: list[EvidenceFigure] | None = None
    facts: list[FactRecord] = field(default_factory=list)
    # The part a text is checked as ("opening", "closing", a section id), if known.
    section: str | None = None
    # Treat every fact as planned (a kind whose every figure is a target, 工作要点).
    all_planned: bool = False
    period: int | None = None
    # Indexes other modules build over these figures once (grounding); shared by
    # every view of the same evidence (for_section, planned).
    cache: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def mentions(self, phrase: str) -> bool:
        return any(phrase in t for _, t in self.texts)

    def for_section(self, section_id: str) -> Evidence:
        """The same evidence, expecting only the figures of one part ("opening",
        "closing" or a section id) to be used."""
        return replace(self, expected=list(self._by_section().get(section_id, ())), section=section_id)

    def _by_section(self) -> dict[str | None, list[EvidenceFigure]]:
        """The figures grouped by part, built once per evidence (shared by its views):
        drafting N parts must not read every figure N times."""
        hit = self.cache.get("by-section")
        if hit is None or hit[0] is not self.figures or hit[1] != len(self.figures):
            groups: dict[str | None, list[EvidenceFigure]] = {}
            for f in self.figures:
                groups.setdefault(f.section_id, []).append(f)
            hit = self.cache["by-section"] = (self.figures, len(self.figures), groups)
        return hit[2]

    def planned(self) -> Evidence:
        """The same evidence with every fact treated as planned: for a kind whose
        figures are all targets, a figure stated as done is an error."""
        return replace(self, all_planned=True)

    @property
    def expected_figures(self) -> list[EvidenceFigure]:
        return self.figures if self.expected is None else self.expected

    @classmethod
    def of(cls, report: Report) -> Evidence:
        """The evidence of a report, built once: a report is immutable, so loading,
        drafting and checking it share one reading of every figure."""
        key = id(report)
        hit = _CACHE.get(key)
        if hit is None or hit[0] is not report:
            hit = _CACHE[key] = (report, cls.from_report(report))
            while len(_CACHE) > 8:
                _CACHE.pop(next(iter(_CACHE)))
        return hit[1]

    @classmethod
    def from_records(cls, records: Iterable[FactRecord], *, name: str = "facts",
                     period: int | None = None) -> Evidence:
        """Evidence from fact records of any source. A record without ``path`` is
        named ``{name}:{n}`` (1-based). Structured figures that disagree with their
        text raise one :class:`SpecError` listing every problem (``problems``), with
        ``locations`` holding (path, message) pairs for callers that know lines."""
        ev = cls(period=period)
        located: list[tuple[str, str]] = []
        for n, rec in enumerate(records, start=1):
            if rec.path is None:
                rec = (FactRecord(rec.text, rec.source, rec.section, rec.figures, rec.planned, f"{name}:{n}")
                       if type(rec) is FactRecord else replace(rec, path=f"{name}:{n}"))
            fi = len(ev.facts)
            ev.facts.append(rec)
            ev.texts.append((rec.path, rec.text))
            every = extract(rec.text)
            found = [m for m in every if m.kind == "figure"]
            extra: dict[int, tuple[str | None, str | None]] = {}
            if rec.figures:
                extra = _match_structured(rec, found, located)
            years = [(m.start, int(m.value)) for m in every if m.kind == "year"]
            plans = may_plan(rec.text)
            for i, m in enumerate(found):
                label, approx = extra.get(i, (None, None))
                ev.figures.append(_figure(m, rec, fi, label, approx, years, plans))
        if located:
            err = SpecError("结构化数字与事实原文不一致", problems=[f"{p}：{msg}" for p, msg in located])
            err.locations = located  # (field path, message): the spec loader adds file:line
            raise err
        return ev

    @classmethod
    def from_report(cls, report: Report) -> Evidence:
        return cls.from_records(_walk(report), period=report.period)

    @classmethod
    def from_facts(cls, lines: Sequence[str], *, name: str = "facts") -> Evidence:
        """A reviewer's plain facts file: one fact per line."""
        return cls.from_records((FactRecord(text=line) for line in lines), name=name)


_CACHE: dict[int, tuple[Report, Evidence]] = {}


def _figure(m: Mention, rec: FactRecord, fi: int, label: str | None, approx: str | None,
            years: list[tuple[int, int]], plans: bool = True) -> EvidenceFigure:
    """``plans``: whether the fact's text may hold a plan word at all (:func:`may_plan`)."""
    text = rec.text
    s = m.start
    lo = max(text.rfind("。", 0, s), text.rfind("；", 0, s), text.rfind(";", 0, s), text.rfind("\n", 0, s)) + 1
    before = text[lo:s]
    year = next((y for at, y in reversed(years) if lo <= at < s), None) if years else None
    # Positional, in field order (value, unit, approx, direction, basis, planned, path,
    # context, raw, section_id, label, source, start, end, fact_index, year, previous):
    # a third cheaper than by keyword, for every figure of a large input.
    # A plan word earlier in the sentence covers the figure (计划新建…1栋，新增床位300张)
    # unless its own clause says it is done (拟投资5000万元，已完成投资3200万元).
    planned = m.planned or rec.planned or (plans and says_plan(before) and not says_done(_own_clause(before)))
    return EvidenceFigure(m.value, m.unit, m.approx or approx, m.direction, m.basis, planned,
                          rec.path or "", text, m.raw, rec.section, label, rec.source, m.start, m.end, fi, year,
                          _names_previous(before))


def _own_clause(before: str) -> str:
    """The last clause of ``before`` (the words of the figure's own clause before it)."""
    return before[max(before.rfind(c) for c in "，,、：:") + 1:]


def _names_previous(before: str) -> bool:
    return _PREVIOUS_RE.search(before) is not None


# Magnitude prefixes a structured unit may carry: {value: 3.6, unit: 亿元} is 3.6亿元.
_UNIT_MAGNITUDE = (("千万", 1e7), ("百万", 1e6), ("亿", 1e8), ("万", 1e4))
_UNIT_ALIASES = {"％": "%", "百分点": "个百分点", "成": "%"}
_MAGNITUDE_FIRST = frozenset(p[0] for p, _ in _UNIT_MAGNITUDE)


def normalise_figure(value: float, unit: str) -> tuple[float, str]:
    """A structured figure in the extractor's terms: (3.6, 亿元) → (360000000, 元),
    (36000, 万元) → (360000000, 元), (3, 成) → (30, %)."""
    unit = (unit or "").strip()
    if unit == "成":
        return value * 10, "%"
    unit = _UNIT_ALIASES.get(unit, unit)
    if unit[:1] not in _MAGNITUDE_FIRST:
        return value, unit
    for prefix, mag in _UNIT_MAGNITUDE:
        if unit.startswith(prefix):
            return value * mag, unit[len(prefix):]
    return value, unit


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _unit_fits(text_unit: str, given: str) -> bool:
    return not given or not text_unit or units_compatible(text_unit, given)


def _match_structured(rec: FactRecord, found: list[Mention],
                      located: list[tuple[str, str]]) -> dict[int, tuple[str | None, str | None]]:
    """Each structured figure must be stated by the fact's text (value and unit in any
    notation, and the change if it has one). Returns mention index → (label, approx);
    problems go to ``located`` as (field path, message)."""
    out: dict[int, tuple[str | None, str | None]] = {}

    def stated() -> str:  # for a message only
        return "、".join(m.raw for m in found) or "无"
    for k, fig in enumerate(rec.figures):
        value, unit = normalise_figure(fig.value, fig.unit)
        # (== first: most figures were read from this very text, an imported ledger row)
        hit = next((i for i, m in enumerate(found) if i not in out and (m.value == value or _same(m.value, value))
                    and (m.unit == unit or _unit_fits(m.unit, unit))), None)
        if hit is None:
            hit = next((i for i, m in enumerate(found) if _same(m.value, value) and _unit_fits(m.unit, unit)), None)
        if hit is None:
            same_value = next((m for m in found if _same(m.value, value)), None)
            base = _base(rec)
            if same_value is not None:
                located.append((f"{base}.figures[{k}].unit",
                                f"单位“{fig.unit}”与 text 中的“{same_value.raw}”不符"))
            else:
                located.append((f"{base}.figures[{k}]",
                                f"数值 {_fmt(fig.value)}{fig.unit} 未出现在该事实的 text 中（text 中的数字：{stated()}）"))
        else:
            out[hit] = (fig.label, fig.approx)
        if fig.change and fig.change.amount is not None:
            c = fig.change
            cvalue, cunit = normalise_figure(c.amount, c.unit)
            chit = next((i for i, m in enumerate(found) if i not in out and _same(m.value, cvalue)
                         and m.unit == cunit), None)
            if chit is None:
                base = _base(rec)
                located.append((f"{base}.figures[{k}].change",
                                f"{c.basis}{c.direction}{_fmt(c.amount)}{c.unit} 未出现在该事实的 text 中（text 中的数字：{stated()}）"))
            else:
                out[chit] = (f"{fig.label}{c.basis}变化", None)
    return out


def _base(rec: FactRecord) -> str | None:
    """The fact's own path (``….facts[4]`` of ``….facts[4].text``), for a problem's place."""
    return rec.path[:-5] if rec.path and rec.path.endswith(".text") else rec.path


def _fmt(v: float) -> str:
    return str(int(v)) if v == int(v) else str(v)


_PATH_PART = re.compile(r"([A-Za-z_]+)|\[(\d+)\]")


def path_location(path: str) -> tuple:
    """``sections[2].facts[0].figures[1]`` → ("sections", 2, "facts", 0, "figures", 1):
    the form the spec loader's line index uses."""
    return tuple(int(i) if i else name for name, i in _PATH_PART.findall(path))


def _walk(report: Report) -> Iterator[FactRecord]:
    """A record for every text field of the spec."""
    def rec(path: str, text: str, section: str | None, fact: object = None) -> FactRecord:
        if isinstance(fact, FactDetail):
            return FactRecord(text=fact.text, source=fact.source, section=section, figures=tuple(fact.figures),
                              planned=fact.planned, path=path)
        return FactRecord(text=text, section=section, path=path)

    if report.title:
        yield rec("title", report.title, None)
    if report.person is not None:
        for name in ("name", "post", "since", "duties"):
            if getattr(report.person, name):
                yield rec(f"person.{name}", getattr(report.person, name), "opening")
    if report.team:
        yield rec("team", report.team, "opening")
    o = report.opening
    for name in ("leadership", "guidance", "results"):
        if getattr(o, name):
            yield rec(f"opening.{name}", getattr(o, name), "opening")
    for i, h in enumerate(o.honours):
        yield rec(f"opening.honours[{i}]", h, "opening")
    for i, s in enumerate(report.sections):
        yield from _walk_section(f"sections[{i}]", s, rec)
    c = report.closing
    if c is None:
        return
    if c.summary:
        yield rec("closing.summary", c.summary, "closing")
    for i, t in enumerate(c.shortcomings):
        yield rec(f"closing.shortcomings[{i}]", t, "closing")
    if c.measures:
        yield rec("closing.measures", c.measures, "closing")
    for i, t in enumerate(c.plans):
        yield replace(rec(f"closing.plans[{i}]", t, "closing"), planned=True)  # next year's plans


def _walk_section(base: str, s: Section, rec) -> Iterator[FactRecord]:
    yield rec(f"{base}.topic", s.topic, s.id)
    if s.aim:
        yield rec(f"{base}.aim", s.aim, s.id)
    if s.own_heading:
        yield rec(f"{base}.heading", s.own_heading, s.id)
    if s.intro:
        yield rec(f"{base}.intro", s.intro, s.id)
    for j, f in enumerate(s.facts):
        yield _fact(f"{base}.facts[{j}]", f, s.id, rec)
    for k, p in enumerate(s.points):
        yield rec(f"{base}.points[{k}].heading", p.heading, s.id)
        for j, f in enumerate(p.facts):
            yield _fact(f"{base}.points[{k}].facts[{j}]", f, s.id, rec)
    if s.conclusion:
        yield rec(f"{base}.conclusion", s.conclusion, s.id)


def _fact(path: str, fact, section_id: str, rec) -> FactRecord:
    if isinstance(fact, FactDetail):
        return rec(f"{path}.text", fact.text, section_id, fact)
    return rec(path, fact, section_id)
