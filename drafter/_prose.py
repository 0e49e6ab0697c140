"""The composer's seams: the few words it puts around a user's text, and the guards
that keep them from reading mechanically.

- ``lead``: a template's framing words ("一年来，", "新的一年，我们将") written only when
  the user's text does not already say them;
- ``guided_by`` / ``with_subject`` / ``speaks``: the organ (or the speaker, 我) written
  in front of the guidance, the honours or a paragraph only when they do not already
  name who acts;
- ``enumerated``: parallel shortcomings as 一是……；二是……;
- ``numbered``: a numbered sub-point's heading as a sentence, then its facts;
- ``is_clause_heading`` / ``run_in``: a sub-point heading as a short lead sentence, or
  a run-in phrase when it is a bare noun phrase;
- ``connect``: at most one connective in a long paragraph, never twice;
- ``drop_repeated_clauses``: no clause ever repeated back to back.

All word lists are in ``drafter/data/composer/wording.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Iterable

from ._errors import PromptError
from ._headings import chinese_ordinal
from ._sentences import opener_of, plan
from ._sentences import rules as sentence_rules
from ._spec import SubPoint
from ._wording import any_of, blank_quotes, composer_data, starts_with_any


@dataclass(frozen=True)
class _Slot:
    phrase: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class _Connective:
    text: str
    last: bool
    after: re.Pattern[str] | None


@dataclass(frozen=True)
class _Wording:
    leads: dict[str, tuple[_Slot, ...]]
    trims: dict[str, re.Pattern[str]]
    leadership_names_subject: re.Pattern[str]
    verb_start: re.Pattern[str]
    honour_start: re.Pattern[str]
    speakers: tuple[str, ...]
    clause_heading: re.Pattern[str]
    noun_leads: tuple[tuple[re.Pattern[str], str], ...]
    empty_noun: str
    empty_noun_work: str
    connectives: tuple[_Connective, ...]
    max_connectives: int
    min_sentences: int


@cache
def wording() -> _Wording:
    d = composer_data("wording")
    subj = d.get("subject") or {}
    subh = d.get("subheadings") or {}
    conn = d.get("connectives") or {}
    return _Wording(
        leads={name: tuple(_Slot(s.get("phrase", ""), re.compile(s.get("pattern") or r"(?!)")) for s in slots)
               for name, slots in (d.get("leads") or {}).items()},
        trims={name: re.compile(p) for name, p in (d.get("trims") or {}).items()},
        leadership_names_subject=re.compile(subj.get("leadership_names_subject", r"(?!)")),
        verb_start=starts_with_any(subj.get("verb_starts", [])),
        honour_start=starts_with_any(subj.get("honour_starts", [])),
        speakers=tuple(subj.get("speakers") or ()),
        clause_heading=any_of(subh.get("clause_patterns", [])),
        noun_leads=tuple((re.compile(n.get("pattern") or ""), n["lead"]) for n in subh.get("noun_leads", [])),
        empty_noun=subh.get("empty_noun", "{heading}"),
        empty_noun_work=subh.get("empty_noun_work", "{heading}"),
        connectives=tuple(_Connective(c["text"], bool(c.get("last")), re.compile(c["after"]) if c.get("after") else None)
                          for c in conn.get("words", [])),
        max_connectives=int(conn.get("max_per_paragraph", 1)),
        min_sentences=int(conn.get("min_sentences", 5)),
    )


# --------------------------------------------------------------------- leads and trims
def lead(text: str, name: str, **values: object) -> str:
    """``text`` with the named lead in front, slot by slot: a slot whose pattern the
    text already begins with keeps the text's own words."""
    slots = wording().leads.get(name)
    if slots is None:
        raise PromptError(f"模板用到了未定义的引导语“{name}”（可用：{'、'.join(wording().leads)}；见 drafter/data/composer/wording.yaml）")
    head, rest = "", text
    for slot in slots:
        m = slot.pattern.match(rest)
        if m and m.end():
            head += m.group()
            rest = rest[m.end():]
        else:
            head += slot.phrase.format(**values)
    return head + rest


def trim(text: str, name: str) -> str:
    """``text`` without the words its frame already says (named in ``trims``)."""
    pattern = wording().trims.get(name)
    if pattern is None:
        raise PromptError(f"模板用到了未定义的删减规则“{name}”（可用：{'、'.join(wording().trims)}；见 drafter/data/composer/wording.yaml）")
    m = pattern.match(text)
    return text[m.end():] if m and m.end() < len(text) else text


# --------------------------------------------------------------------------- subjects
def names_its_subject(text: str) -> bool:
    """Whether a clause says who acts (镇党委、镇政府坚持…, 全年…) rather than
    beginning with its predicate (认真落实…, 坚持…, 围绕…)."""
    w = wording()
    probe = blank_quotes(text)
    return not (w.verb_start.match(probe) or opener_of(text) in ("manner", "measure", "lead_in"))


def _will(text: str, verb: str) -> str:
    """``verb`` (将) in front of a predicate that does not already say it."""
    return text if not verb or re.match(r"(?:将|要|会|拟|力争|确保)", text) else verb + text


def guided_by(leadership: str | None, guidance: str, organ: str, verb: str = "") -> str:
    """The opening's first clauses: "{leadership}，{organ}{guidance}", with the organ
    written only when neither line names who acts — the leadership line ends with its
    subject ("在县委的正确领导下，县司法局"), or the guidance begins with one
    ("镇党委、镇政府坚持…"). Without a leadership line: "{organ}{guidance}". ``verb``
    (将, for a plan) goes between the subject and a guidance that lacks it."""
    w = wording()
    leadership = (leadership or "").rstrip("，, ")
    if leadership and w.leadership_names_subject.search(leadership):
        return leadership + _will(guidance, verb)
    head = f"{leadership}，" if leadership else ""
    if names_its_subject(guidance) or guidance.startswith(organ):
        return head + guidance
    return head + organ + _will(guidance, verb)


def speaks(sentences: list[str], subject: str) -> list[str]:
    """A speaker's paragraph (述职报告): the subject (我, 我们) in front of the first
    sentence unless it already says who acts — a speaker (``subject.speakers`` in the
    wording data: 我, 本人, 班子…), a subject of the sentence rules (全县…, 区法院…) —
    or continues with a figure (全年…, 累计…)."""
    if not sentences:
        return []
    first = sentences[0]
    probe = blank_quotes(first)
    head = re.split(r"[，；,;。]", probe, maxsplit=1)[0]
    if (probe.startswith(wording().speakers) or opener_of(first) == "continuation"
            or (names_its_subject(first) and sentence_rules().subject.match(head))):
        return list(sentences)
    return [subject + first, *sentences[1:]]


def enumerated(items: Iterable[str]) -> str:
    """Parallel items (shortcomings) as officials list them: "一是……；二是……" from
    ``enumeration.min_items`` items on (wording data), else as they are."""
    items = [i for i in items if i]
    e = composer_data("wording").get("enumeration") or {}
    if len(items) < int(e.get("min_items", 2)):
        return (e.get("separator") or "；").join(items)
    form = e.get("form", "{ordinal}是")
    return (e.get("separator") or "；").join(form.format(ordinal=chinese_ordinal(i)) + t
                                             for i, t in enumerate(items, 1))


def with_subject(items: Iterable[str], subject: str, sep: str = "，") -> str:
    """Clauses that share a subject (the honours): the subject is written in front
    only when the first clause begins with its predicate (被…评为, 荣获…)."""
    items = [i for i in items if i]
    if not items:
        return ""
    text = sep.join(items)
    return (subject + text) if wording().honour_start.match(items[0]) else text


# ------------------------------------------------------------------------ sub-points
def is_clause_heading(heading: str) -> bool:
    """A sub-point heading that says something on its own (建强三级综治中心,
    扫黑除恶保平安, 查纠整改取得实效) rather than a bare noun phrase (疫情防控)."""
    text = heading.strip().rstrip("。；;，,")
    return bool(wording().clause_heading.search(text)) or opener_of(text) in ("manner", "measure", "lead_in")


def noun_lead(heading: str) -> str:
    """The run-in phrase for a noun-phrase heading: 在疫情防控方面，"""
    text = heading.strip().rstrip("。；;，,")
    for pattern, form in wording().noun_leads:
        if pattern.search(text):
            return form.format(heading=text)
    return f"{text}，"


def run_in(point: SubPoint) -> list[str]:
    """A sub-point as sentences with its heading run in: a clause heading is a short
    lead sentence of its own; a noun phrase leads into the first sentence."""
    heading = point.heading.strip().rstrip("。；;，,")
    if is_clause_heading(heading):
        return [heading + "。", *plan(point.facts)]
    sentences = plan(point.facts, lead=noun_lead(heading))
    if sentences:
        return sentences
    w = wording()
    form = w.empty_noun_work if heading.endswith("工作") else w.empty_noun
    return [form.format(heading=heading) + "。"]


def numbered(point: SubPoint) -> list[str]:
    """A numbered sub-point (1.…, （一）…: the frame's ordinal goes in front): its heading
    as a short sentence of its own, then its facts."""
    heading = point.heading.strip().rstrip("。；;，,")
    return [heading + "。", *plan(point.facts)]


# ----------------------------------------------------------------------- connectives
def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph, each with its end mark (quotations respected)."""
    out: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch in "“「《（(":
            depth += 1
        elif ch in "”」》）)":
            depth = max(0, depth - 1)
        elif ch in "。！？" and depth == 0:
            out.append(text[start:i + 1])
            start = i + 1
    if start < len(text):
        out.append(text[start:])
    return out


def connect(text: str, *, seed: int = 0, headings: Iterable[str] = (), starts: Iterable[str] = ()) -> str:
    """At most a few connectives in a long paragraph (see ``connectives`` in the
    wording data): before a sentence that opens a new measure, never at the start of
    a sub-point (``starts``) or right after its heading (a sentence ending with one of
    ``headings``), never one the paragraph already holds, never twice."""
    w = wording()
    sentences = split_sentences(text)
    if len(sentences) < w.min_sentences or not w.connectives or w.max_connectives < 1:
        return text
    ends = tuple(h.strip().rstrip("。；;，,") + "。" for h in headings)
    firsts = set(starts)

    def heading(t: str) -> bool:
        return bool(ends) and t.endswith(ends)

    n = len(sentences)
    candidates = [i for i in range(2, n)
                  if sentences[i] not in firsts and not heading(sentences[i]) and not heading(sentences[i - 1])
                  and opener_of(sentences[i]) in ("manner", "measure")]
    candidates.sort(key=lambda i: (abs(2 * i - n), i))   # nearest the middle first
    used = 0
    words = list(w.connectives)
    words = words[seed % len(words):] + words[:seed % len(words)]
    for c in words:
        if used >= w.max_connectives:
            break
        if c.text in text:
            continue
        for i in candidates:
            if c.last and i != n - 1:
                continue
            if c.after and not c.after.search(sentences[i - 1]):
                continue
            sentences[i] = f"{c.text}，{sentences[i]}"
            candidates.remove(i)
            used += 1
            break
    return "".join(sentences)


# ------------------------------------------------------------------ repeated clauses
_SEPARATORS = "，；。：！？"
_OPEN, _CLOSE = "“「《（(", "”」》）)"


def clauses(text: str) -> list[tuple[str, str]]:
    """(clause, the mark after it) pairs; marks inside quotations do not split."""
    out: list[tuple[str, str]] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch in _SEPARATORS and depth == 0:
            out.append((text[start:i], ch))
            start = i + 1
    if start < len(text):
        out.append((text[start:], ""))
    return out


_STRENGTH = {"": 0, "，": 1, "：": 1, "；": 2, "。": 3, "！": 3, "？": 3}


def drop_repeated_clauses(text: str) -> str:
    """``text`` with any clause that repeats the one just before it removed (the
    stronger of their two marks is kept): "一年来，一年来，…" → "一年来，…"."""
    parts = clauses(text)
    out: list[list[str]] = []
    for clause, mark in parts:
        if out and clause.strip() and clause.strip() == out[-1][0].strip():
            if _STRENGTH[mark] > _STRENGTH[out[-1][1]]:
                out[-1][1] = mark
            continue
        out.append([clause, mark])
    return "".join(c + m for c, m in out)
