"""The sentence planner: a user's facts grouped into sentences where the meaning ends.

A fact is never split and never reworded (but a planned fact that names no plan is
led by 计划); the planner only decides, between two
facts, whether the sentence goes on ("，" or "；") or ends ("。"). It reads how each
fact begins and what it says (see ``drafter/data/composer/sentences.yaml`` for the
word lists and the rules in order). It is deterministic: the same facts always give
the same sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Iterable

from ._spec import Fact, fact_text
from ._wording import any_of, blank_quotes, composer_data, starts_with_any

Opener = str  # "lead_in" | "continuation" | "manner" | "measure" | "other"

_TRAILING = "。；;，,、 \u3000"
_ENDS = "。！？"


@dataclass(frozen=True)
class Rules:
    lead_in: re.Pattern[str]
    continuation: re.Pattern[str]
    manner: re.Pattern[str]
    measure: re.Pattern[str]
    subject: re.Pattern[str]
    results: re.Pattern[str]
    plans: re.Pattern[str]
    figure: re.Pattern[str]
    max_chars: int
    long_chars: int
    min_statement_chars: int
    min_standalone_chars: int
    join: str
    parallel: str
    planned_lead: str


@cache
def rules() -> Rules:
    d = composer_data("sentences")
    openers = d.get("measure_openers") or {}
    seps = d.get("separators") or {}
    return Rules(
        lead_in=re.compile("(?:" + "|".join(f"(?:{p})" for p in d.get("lead_ins", [])) + ")"),
        continuation=starts_with_any(d.get("continuations", [])),
        manner=starts_with_any(openers.get("manner", [])),
        measure=starts_with_any(openers.get("verbs", [])),
        subject=any_of(d.get("subjects", [])),
        results=any_of(d.get("results", [])),
        plans=re.compile("(?:" + "|".join(f"(?:{p})" for p in d.get("plans", []) or ["(?!)"]) + ")"),
        figure=re.compile(d.get("figure", r"[0-9]")),
        max_chars=int(d.get("max_chars", 150)),
        long_chars=int(d.get("long_chars", 60)),
        min_statement_chars=int(d.get("min_statement_chars", 12)),
        min_standalone_chars=int(d.get("min_standalone_chars", 40)),
        join=seps.get("join", "，"),
        parallel=seps.get("parallel", "；"),
        planned_lead=d.get("planned_lead", "计划"),
    )


@dataclass(frozen=True)
class Shape:
    """What the planner needs to know about one fact."""

    text: str              # as written, its trailing punctuation trimmed (kept if whole)
    opener: Opener
    figure: bool           # holds a figure
    result: bool           # reports a figure or a completion
    whole: bool            # typed as a whole sentence: it stands alone
    standalone: bool       # a long statement with its own subject: it starts a sentence
    figure_first: bool     # its first clause holds a figure
    clauses: bool          # it has commas or semicolons of its own
    plan: bool = False     # it opens with a plan (拟…、计划…、年度目标为…)


def opener_of(text: str) -> Opener:
    """How a clause begins: lead_in, continuation, manner, measure or other."""
    r = rules()
    probe = blank_quotes(text)
    if r.lead_in.match(probe):
        return "lead_in"
    if r.continuation.match(probe):
        return "continuation"
    if r.manner.match(probe):
        return "manner"
    if r.measure.match(probe):
        return "measure"
    return "other"


def shape(fact: Fact | str) -> Shape:
    r = rules()
    raw = _as_planned(fact, fact_text(fact).strip())
    whole = raw.endswith(tuple(_ENDS)) or any(ch in raw.rstrip(_ENDS) for ch in _ENDS)
    text = raw if whole else raw.rstrip(_TRAILING)
    probe = blank_quotes(text.rstrip(_ENDS))
    parts = [p for p in re.split(r"[，；;,]", probe) if p]
    has_figure = bool(r.figure.search(probe))
    opener = opener_of(text)
    clauses = len(parts) > 1
    return Shape(
        text=text,
        opener=opener,
        figure=has_figure,
        result=has_figure or bool(r.results.search(probe)),
        whole=whole,
        standalone=(opener == "other" and clauses and len(text) >= r.min_standalone_chars
                    and bool(r.subject.match(parts[0]))),
        figure_first=bool(parts) and bool(r.figure.search(parts[0])),
        clauses=clauses,
        plan=bool(r.plans.match(probe)),
    )


def _as_planned(fact: Fact | str, text: str) -> str:
    """A planned fact (``planned: true``) whose own words say no plan reads as done:
    it is led by the plan word of the data (计划新增…), the one rewording the planner makes."""
    if isinstance(fact, str) or not getattr(fact, "planned", False):
        return text
    from .validators._lexicon import lexicon

    lex = lexicon()
    if "plan_words" in lex and any(w in text for w in lex["plan_words"].words):
        return text
    return rules().planned_lead + text


class _Sentence:
    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.last: Shape | None = None
        self.result = False
        self.figure = False
        self.sealed = False      # a statement, or a rounded-off action: only continuations may follow
        self.length = 0

    def add(self, s: Shape, sep: str) -> None:
        if self.pieces:
            self.pieces.append(sep)
            self.length += len(sep)
        self.pieces.append(s.text)
        self.length += len(s.text)
        self.last = s
        self.result = self.result or s.result
        self.figure = self.figure or s.figure

    def text(self) -> str:
        body = "".join(self.pieces)
        return body if body.endswith(tuple(_ENDS)) else body + "。"


def _breaks(cur: _Sentence, s: Shape, r: Rules) -> bool:
    if cur.sealed and s.opener != "continuation":
        return True
    if s.opener == "lead_in" or s.standalone:
        return True
    if cur.result:
        if s.opener == "manner" or s.plan:  # a plan after what was done changes the tense
            return True
        parallel = s.figure_first and cur.figure
        if s.opener == "measure" and not parallel:
            return True
        if s.opener == "other" and not parallel and (s.result or len(s.text) >= r.min_statement_chars):
            return True
    if s.opener == "manner" and cur.length >= r.long_chars:
        return True
    return cur.length + 1 + len(s.text) > r.max_chars


def _separator(prev: Shape, s: Shape, r: Rules) -> str:
    if prev.figure and s.figure_first and s.clauses:
        return r.parallel
    return r.join


def plan(facts: Iterable[Fact | str | None], *, lead: str = "", max_chars: int | None = None) -> list[str]:
    """The facts as sentences, each ending with its full stop. ``lead`` (a run-in
    phrase such as "在疫情防控方面，") goes in front of the first sentence."""
    r = rules()
    if max_chars:
        r = replace(r, max_chars=int(max_chars))
    out: list[str] = []
    cur = _Sentence()

    def flush() -> None:
        nonlocal cur
        if cur.pieces:
            out.append(cur.text())
        cur = _Sentence()

    for fact in facts:
        if fact is None:
            continue
        s = shape(fact)
        if not s.text.strip(_TRAILING + _ENDS):
            continue
        if s.whole:
            flush()
            out.append(s.text if s.text.endswith(tuple(_ENDS)) else s.text.rstrip(_TRAILING) + "。")
            continue
        if cur.pieces and _breaks(cur, s, r):
            flush()
        cur.add(s, _separator(cur.last, s, r) if cur.last else "")
        if s.standalone or (s.opener == "continuation" and s.result and not s.figure):
            cur.sealed = True   # a statement, or an action rounded off (……，守住了……底线)
    flush()
    if lead and out:
        out[0] = lead + out[0]
    return out
