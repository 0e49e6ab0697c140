"""Evidence: every figure the input gives, with where it stands.

The spec is walked field by field; every text is read by the same extractor the
validators use (:mod:`drafter._numbers`), so the draft's "三百一十二起" and the input's
"312起" meet as the same figure. Structured figures of a fact must agree with the
fact's own text; they add a label and a source to the figure found there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from ._errors import SpecError
from ._numbers import Mention, extract
from ._spec import FactDetail, Report, Section

PEOPLE_UNITS = frozenset({"人", "名", "位"})


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

    def describe(self) -> str:
        return f"{self.raw}（{self.path}）"


def units_compatible(a: str, b: str) -> bool:
    return a == b or (a in PEOPLE_UNITS and b in PEOPLE_UNITS)


@dataclass
class Evidence:
    figures: list[EvidenceFigure] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)
    # Figures a text is expected to use (its section's); None: all figures.
    expected: list[EvidenceFigure] | None = None

    def mentions(self, phrase: str) -> bool:
        return any(phrase in t for _, t in self.texts)

    def for_section(self, section_id: str) -> "Evidence":
        """The same evidence, expecting only the figures of one part ("opening",
        "closing" or a section id) to be used."""
        return Evidence(self.figures, self.texts, [f for f in self.figures if f.section_id == section_id])

    @property
    def expected_figures(self) -> list[EvidenceFigure]:
        return self.figures if self.expected is None else self.expected

    @classmethod
    def of(cls, report: Report) -> "Evidence":
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
    def from_report(cls, report: Report) -> "Evidence":
        ev = cls()
        for path, text, section_id, fact in _walk(report):
            ev.texts.append((path, text))
            found = [m for m in extract(text) if m.kind == "figure"]
            labels: dict[int, tuple[str, str | None]] = {}
            if isinstance(fact, FactDetail):
                labels = _match_structured(path, fact, found)
            for i, m in enumerate(found):
                label, source = labels.get(i, (None, fact.source if isinstance(fact, FactDetail) else None))
                ev.figures.append(_figure(m, path, text, section_id, label, source))
        return ev

    @classmethod
    def from_facts(cls, lines: list[str], *, name: str = "facts") -> "Evidence":
        """A reviewer's plain facts file: one fact per line."""
        ev = cls()
        for i, line in enumerate(lines, start=1):
            path = f"{name}:{i}"
            ev.texts.append((path, line))
            for m in extract(line):
                if m.kind == "figure":
                    ev.figures.append(_figure(m, path, line, None, None, None))
        return ev


_CACHE: dict[int, tuple[Report, Evidence]] = {}


def _figure(m: Mention, path: str, text: str, section_id, label, source) -> EvidenceFigure:
    return EvidenceFigure(
        value=m.value, unit=m.unit, approx=m.approx, direction=m.direction, basis=m.basis,
        planned=m.planned, path=path, context=text, raw=m.raw, section_id=section_id,
        label=label, source=source,
    )


def _match_structured(path: str, fact: FactDetail, found: list[Mention]) -> dict[int, tuple[str, str | None]]:
    """Each structured figure must be stated by the fact's text (value and unit, and the
    change if it has one). Returns mention index → (label, source)."""
    out: dict[int, tuple[str, str | None]] = {}
    problems = []
    for k, fig in enumerate(fact.figures):
        hit = next((i for i, m in enumerate(found)
                    if abs(m.value - fig.value) < 1e-9 * max(1.0, fig.value) and units_compatible(m.unit, fig.unit)), None)
        if hit is None:
            problems.append(f"{path}.figures[{k}]：数值 {_fmt(fig.value)}{fig.unit} 未出现在该事实的 text 中")
            continue
        out[hit] = (fig.label, fact.source)
        if fig.change and fig.change.amount is not None:
            c = fig.change
            chit = next((i for i, m in enumerate(found)
                         if abs(m.value - c.amount) < 1e-9 * max(1.0, c.amount) and m.unit == c.unit), None)
            if chit is None:
                problems.append(f"{path}.figures[{k}].change：{c.basis}{c.direction}{_fmt(c.amount)}{c.unit} 未出现在该事实的 text 中")
            else:
                out[chit] = (f"{fig.label}{c.basis}变化", fact.source)
    if problems:
        raise SpecError("结构化数字与事实原文不一致", problems=problems)
    return out


def _fmt(v: float) -> str:
    return str(int(v)) if v == int(v) else str(v)


def _walk(report: Report) -> Iterator[tuple[str, str, str | None, object]]:
    """(path, text, section id, fact object) for every text field of the spec."""
    if report.title:
        yield "title", report.title, None, None
    o = report.opening
    for name in ("leadership", "guidance", "results"):
        yield f"opening.{name}", getattr(o, name), "opening", None
    for i, h in enumerate(o.honours):
        yield f"opening.honours[{i}]", h, "opening", None
    for i, s in enumerate(report.sections):
        yield from _walk_section(f"sections[{i}]", s)
    c = report.closing
    yield "closing.summary", c.summary, "closing", None
    for i, t in enumerate(c.shortcomings):
        yield f"closing.shortcomings[{i}]", t, "closing", None
    if c.measures:
        yield "closing.measures", c.measures, "closing", None
    for i, t in enumerate(c.plans):
        yield f"closing.plans[{i}]", t, "closing", None


def _walk_section(base: str, s: Section) -> Iterator[tuple[str, str, str | None, object]]:
    yield f"{base}.topic", s.topic, s.id, None
    yield f"{base}.aim", s.aim, s.id, None
    if s.own_heading:
        yield f"{base}.heading", s.own_heading, s.id, None
    if s.intro:
        yield f"{base}.intro", s.intro, s.id, None
    for j, f in enumerate(s.facts):
        yield from _fact(f"{base}.facts[{j}]", f, s.id)
    for k, p in enumerate(s.points):
        yield f"{base}.points[{k}].heading", p.heading, s.id, None
        for j, f in enumerate(p.facts):
            yield from _fact(f"{base}.points[{k}].facts[{j}]", f, s.id)
    if s.conclusion:
        yield f"{base}.conclusion", s.conclusion, s.id, None


def _fact(path: str, fact, section_id: str):
    if isinstance(fact, FactDetail):
        yield f"{path}.text", fact.text, section_id, fact
    else:
        yield path, fact, section_id, fact
