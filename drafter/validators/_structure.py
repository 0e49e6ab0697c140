"""Structure (结构): the shape of a document of one kind.

The shape is data, one file per document kind (``drafter/data/structure/<kind>.yaml``):
title, opening and its transition sentence, section ordinals, parallel headings,
closing. Input may be plain text (one paragraph per line) or Markdown (``# 标题``,
``## 一、……``, paragraphs separated by blank lines, ``**一、……**``); what precedes an
ordinal on its line (indentation, heading markers, bold, a paywall marker left by a
web copy) is configured as ``line_prefix``.

Rules (``drafter/data/rules/structure.yaml``)::

    S001 no title: the first line is body text or a section           error
    S002 title lacks the document type (报告)                          error
    S003 title ends with punctuation                                   warning
    S004 no opening paragraph before the first section                 error
    S005 opening lacks the transition sentence (现将……报告如下)        error
    S006 wrong mark after an ordinal (一. 一， （一）、 1、 (一))        error
    S007 ordinals not consecutive (gap, repeat, wrong start)           error
    S008 heading level skipped (1. directly under 一、)                 warning
    S009 a level-1 heading not parallel in form with the others        warning
    S010 closing lacks shortcomings (不足、问题、差距、短板)            error
    S011 closing lacks next steps (新的一年、下一步、明年)               error

With ``ctx.fragment`` (one section being drafted or regenerated) the document-level
rules S001–S005, S010, S011 are skipped, and the first top-level ordinal may be any
number (a fragment may be section 三 alone).

Decisions:

* Ordinals are recognised only at the start of a line, after the configured prefix.
  An unbracketed ordinal needs its mark (``一年来`` ``十四运`` ``二十大`` are words).
* Hierarchy: the outermost level used in the text is the top. A text that uses only
  （一） as its outermost level is fine; a （一） before the first 一、 of a text that
  has 一、 is a skipped level, as is 1. directly under 一、 (GB/T 9704-2012 gives
  一、（一）1.（1））. Skipping is a warning: practice often goes 一、 → 1.
* Numbering restarts under each new parent; after a gap or repeat the count goes on
  from the number found, so one slip is one finding.
* The closing is the final paragraph(s) after the last level-1 section (short trailing
  lines such as the signature and date are skipped), or the last level-1 section
  itself when its heading names problems or plans (七、存在的问题和下一步打算).
* A kind without a structure file gets only the ordinal rules (GB/T 9704-2012
  applies to every kind), using the ordinal scheme of self_inspection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from .._findings import Finding
from .._resources import data_file
from ._context import CheckContext

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMERALS = "一二三四五六七八九十"
_DIGIT_NAMES = "零一二三四五六七八九"
_TO_HALF = str.maketrans("０１２３４５６７８９", "0123456789")
_SENTENCE_END = re.compile(r"[。；！？]")
_CLAUSE_PUNCT = re.compile(r"[，,。；！？]")
_TITLE_END_PUNCT = "。，；：、！？.,;:!?"
_TRAILING_DECOR = " \t\u3000*#"
_SIGNATURE_MAX = 30
_TITLE_BLOCK = 4  # lines that may precede or continue the title
_DEFAULT_KIND = "self_inspection"


@dataclass(frozen=True)
class _Level:
    numeral: str  # "chinese" | "arabic"
    bracketed: bool
    marks: tuple[str, ...]
    form: str

    def render(self, n: int) -> str:
        if self.numeral == "chinese":
            return self.form.replace("一", _cn(n), 1)
        return self.form.replace("1", str(n), 1)


@dataclass(frozen=True)
class _Profile:
    kind: str
    prefix: str
    levels: tuple[_Level, ...]
    title: dict[str, Any] | None
    opening: dict[str, Any] | None
    transitions: tuple[re.Pattern[str], ...]
    parallel: re.Pattern[str] | None
    parallel_form: str
    min_parallel: int
    closing: dict[str, Any] | None
    shortcomings: re.Pattern[str] | None
    plans: re.Pattern[str] | None
    heading_rx: re.Pattern[str]
    prefix_rx: re.Pattern[str]


def _cn(n: int) -> str:
    if n < 10:
        return _DIGIT_NAMES[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGIT_NAMES[tens]) + "十" + (_DIGIT_NAMES[ones] if ones else "")


def _cn_value(s: str) -> int | None:
    if "十" not in s:
        return _CN_DIGITS.get(s) if len(s) == 1 else None
    a, _, b = s.partition("十")
    if "十" in b or len(a) > 1 or len(b) > 1:
        return None
    tens = _CN_DIGITS.get(a, 0) if a else 1
    ones = _CN_DIGITS.get(b, 0) if b else 0
    if (a and not tens) or (b and not ones):
        return None
    return tens * 10 + ones


def _alternation(words: list[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{w})" for w in words)) if words else None


@cache
def _profile(kind: str) -> _Profile:
    path = data_file(f"structure/{kind}.yaml")
    specific = path.is_file()
    if not specific:
        path = data_file(f"structure/{_DEFAULT_KIND}.yaml")
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    levels = tuple(
        _Level(
            numeral=lv["numeral"], bracketed=bool(lv["bracketed"]),
            marks=(lv.get("mark", ""), *lv.get("also_accept", ())), form=lv["form"],
        )
        for lv in raw["ordinals"]
    )
    prefix = raw.get("line_prefix", r"[ \t\u3000]*")
    heading_rx = re.compile(
        rf"(?P<pre>{prefix})"
        r"(?P<ord>(?P<op>[（(])?"
        rf"(?P<num>[{_CN_NUMERALS}]{{1,3}}|[0-9０-９]{{1,2}})"
        r"(?P<cl>[）)])?"
        r"(?P<mark>[、.．,，:：;；](?![0-9０-９])|[ \t]+(?=\S))?)",
    )
    title = raw.get("title") if specific else None
    opening = raw.get("opening") if specific else None
    headings = (raw.get("headings") or {}) if specific else {}
    closing = raw.get("closing") if specific else None
    return _Profile(
        kind=kind, prefix=prefix, levels=levels, title=title, opening=opening,
        transitions=tuple(re.compile(p) for p in (opening or {}).get("transition_patterns", ())),
        parallel=re.compile(headings["parallel_pattern"]) if headings.get("parallel_pattern") else None,
        parallel_form=headings.get("parallel_form", ""),
        min_parallel=int(headings.get("min_parallel", 2)),
        closing=closing,
        shortcomings=_alternation((closing or {}).get("shortcomings", [])),
        plans=_alternation((closing or {}).get("plans", [])),
        heading_rx=heading_rx,
        prefix_rx=re.compile(prefix),
    )


@dataclass
class _Heading:
    line: int
    level: int  # 1-based
    number: int
    start: int  # of the ordinal
    end: int  # of the ordinal including its mark
    proper: bool
    text_start: int  # of the heading sentence
    text_end: int

    def sentence(self, text: str) -> str:
        return text[self.text_start : self.text_end]


class _Lines:
    """Line offsets and the content of each line without its prefix and decoration."""

    def __init__(self, text: str, prefix_rx: re.Pattern[str]):
        self.text = text
        self.starts: list[int] = []
        self.ends: list[int] = []
        pos = 0
        for line in text.split("\n"):
            self.starts.append(pos)
            pos += len(line)
            self.ends.append(pos)
            pos += 1
        self._prefix = prefix_rx

    def __len__(self) -> int:
        return len(self.starts)

    def content(self, i: int) -> tuple[int, int]:
        """Span of line i without leading prefix and trailing spaces / decoration."""
        s, e = self.starts[i], self.ends[i]
        m = self._prefix.match(self.text, s, e)
        if m:
            s = m.end()
        while e > s and self.text[e - 1] in _TRAILING_DECOR:
            e -= 1
        return s, e


def _first_sentence(text: str, s: int, e: int, cap: int = 40) -> tuple[int, int]:
    m = _SENTENCE_END.search(text, s, e)
    end = m.end() if m else e
    return s, min(end, s + cap)


def _headings(text: str, prof: _Profile, lines: _Lines) -> list[_Heading]:
    out: list[_Heading] = []
    match = prof.heading_rx.match
    for line, (ls, le) in enumerate(zip(lines.starts, lines.ends)):
        m = match(text, ls, le)
        if m is None:
            continue
        op, num, cl, mark = m.group("op"), m.group("num"), m.group("cl"), m.group("mark")
        chinese = num[0] in _CN_NUMERALS
        bracketed = bool(op or cl)
        space_mark = bool(mark) and mark.isspace()
        if bracketed:
            if op and not cl:
                continue
        else:
            if not mark:
                continue
            if not chinese and (space_mark or mark in ";；"):
                continue  # "2 月", "3；" are not ordinals
        value = _cn_value(num) if chinese else int(num.translate(_TO_HALF))
        if not value:
            continue
        level = next(
            (i for i, lv in enumerate(prof.levels, 1)
             if lv.bracketed == bracketed and (lv.numeral == "chinese") == chinese),
            None,
        )
        if level is None:
            continue
        lv = prof.levels[level - 1]
        if bracketed:
            proper = op == "（" and cl == "）" and (not mark or space_mark)
            end = m.end("ord") if (mark and not space_mark) else m.end("cl")
        else:
            proper = mark in lv.marks
            end = m.end("ord")
        start = m.start("ord")
        _, content_end = lines.content(line)
        t_start = m.end("ord")
        sm = _SENTENCE_END.search(text, t_start, content_end)
        t_end = sm.start() if sm else content_end
        while t_end > t_start and text[t_end - 1] in _TRAILING_DECOR:
            t_end -= 1
        out.append(_Heading(line, level, value, start, end, proper, t_start, t_end))
    return out


def check(ctx: CheckContext) -> list[Finding]:
    text = ctx.text
    prof = _profile(ctx.kind)
    lines = _Lines(text, prof.prefix_rx)
    heads = _headings(text, prof, lines)
    out: list[Finding] = []
    out += _ordinals(ctx, prof, heads)
    out += _parallel(ctx, prof, heads)
    if not ctx.fragment:
        out += _document(ctx, prof, lines, heads)
    return out


def _ordinals(ctx: CheckContext, prof: _Profile, heads: list[_Heading]) -> list[Finding]:
    out: list[Finding] = []
    if not heads:
        return out
    make = ctx.make
    top = min(h.level for h in heads)
    open_level = top - 1
    counters: dict[int, int] = {}
    top_seen = False
    for h in heads:
        lv = prof.levels[h.level - 1]
        if not h.proper:
            out.append(make("S006", h.start, h.end, suggestion=lv.render(h.number), form=lv.form))
        if h.level > open_level + 1:
            parent = prof.levels[h.level - 2]
            out.append(make("S008", h.start, h.end, parent=parent.form))
        for lvl in [k for k in counters if k > h.level]:
            del counters[lvl]
        prev = counters.get(h.level)
        if prev is None:
            expected = h.number if (ctx.fragment and h.level == top and not top_seen) else 1
        else:
            expected = prev + 1
        if h.level == top:
            top_seen = True
        if h.number != expected:
            out.append(make("S007", h.start, h.end, suggestion=lv.render(expected), expected=lv.render(expected)))
        counters[h.level] = h.number
        open_level = h.level
    return out


def _is_closing_heading(prof: _Profile, sentence: str) -> bool:
    words = (prof.closing or {}).get("section_keywords", ())
    return any(w in sentence for w in words)


def _parallel(ctx: CheckContext, prof: _Profile, heads: list[_Heading]) -> list[Finding]:
    if prof.parallel is None:
        return []
    text = ctx.text
    firsts = [h for h in heads if h.level == 1 and not _is_closing_heading(prof, h.sentence(text))]
    odd = [h for h in firsts if not prof.parallel.fullmatch(h.sentence(text))]
    matching = len(firsts) - len(odd)
    if matching < prof.min_parallel or 2 * matching <= len(firsts):
        return []
    return [ctx.make("S009", h.text_start, h.text_end, form=prof.parallel_form) for h in odd if h.text_end > h.text_start]


def _document(ctx: CheckContext, prof: _Profile, lines: _Lines, heads: list[_Heading]) -> list[Finding]:
    text, make = ctx.text, ctx.make
    out: list[Finding] = []
    nonempty = [i for i in range(len(lines)) if lines.content(i)[1] > lines.content(i)[0]]
    if not nonempty:
        return out
    head_lines = {h.line for h in heads}

    # title: the first line, or, when the text opens with a block of short lines (a
    # header such as 发文机关/文号, or a title broken over two lines), the first of
    # them that names the document type
    body_from = nonempty[0]
    if prof.title is not None:
        max_len = int(prof.title.get("max_length", 60))
        names = prof.title.get("must_contain_any") or []
        block: list[tuple[int, int, int]] = []
        for i in nonempty[:_TITLE_BLOCK]:
            s, e = lines.content(i)
            content = text[s:e]
            if i in head_lines or len(content) > max_len or _SENTENCE_END.search(content, 0, len(content) - 1):
                break
            if block and content[-1] in "：:":
                break  # the addressee line
            block.append((i, s, e))
            if not names or any(n in content for n in names):
                break
        if not block:
            s, e = lines.content(nonempty[0])
            out.append(make("S001", *_first_sentence(text, s, e, cap=20)))
        else:
            named = [b for b in block if any(n in text[b[1] : b[2]] for n in names)]
            i, s, e = named[0] if named else block[0]
            body_from = i + 1
            if names and not named:
                out.append(make("S002", s, e, name=prof.title.get("name", names[0])))
            if text[e - 1] in _TITLE_END_PUNCT:
                out.append(make("S003", e - 1, e, suggestion=text[s : e - 1]))

    # opening and transition
    first_head = min(head_lines) if head_lines else None
    if prof.opening is not None:
        addressee_max = int(prof.opening.get("addressee_max_length", 30))
        region = []
        for i in nonempty:
            if i < body_from:
                continue
            if first_head is not None and i >= first_head:
                break
            s, e = lines.content(i)
            if e - s <= addressee_max and text[e - 1] in "：:" and not _CLAUSE_PUNCT.search(text, s, e - 1):
                continue  # the addressee line (主送机关): 市委政法委：
            region.append(i)
            if first_head is None:
                break  # no sections: the opening is the first paragraph
        if not region:
            if first_head is not None:
                h = next(h for h in heads if h.line == first_head)
                out.append(make("S004", h.start, h.end))
        elif prof.transitions:
            found = any(
                rx.search(text, *lines.content(i)) for i in region for rx in prof.transitions
            )
            if not found:
                s, e = lines.content(region[-1])
                starts = [m.end() for m in _SENTENCE_END.finditer(text, s, e - 1)]
                ls = starts[-1] if starts else s
                out.append(make("S005", ls, e, example=prof.opening.get("transition_example", "")))

    # closing
    if prof.closing is not None:
        out += _closing(ctx, prof, lines, heads, nonempty, body_from)
    return out


def _closing(
    ctx: CheckContext, prof: _Profile, lines: _Lines, heads: list[_Heading], nonempty: list[int], body_from: int,
) -> list[Finding]:
    text, make = ctx.text, ctx.make
    closing = prof.closing or {}
    # drop trailing signature and date lines (short, no sentence punctuation) and a
    # closing formula (特此报告。)
    head_lines = {h.line for h in heads}
    formulaic = set(closing.get("formulaic", ()))
    body = [i for i in nonempty if i >= body_from]
    while body:
        s, e = lines.content(body[-1])
        short = e - s <= _SIGNATURE_MAX and body[-1] not in head_lines
        if short and (not _SENTENCE_END.search(text, s, e) or text[s:e].rstrip("。") in formulaic):
            body.pop()
        else:
            break
    if not body:
        return []
    tops = [h for h in heads if h.level == 1]
    last_top = tops[-1] if tops else None
    spans: list[tuple[int, int]]
    if last_top is not None and _is_closing_heading(prof, last_top.sentence(text)):
        # the closing is that section: its body, not the heading that names it
        _, line_end = lines.content(last_top.line)
        spans = [(last_top.text_end, line_end)] + [lines.content(i) for i in body if i > last_top.line]
        spans = [(s, e) for s, e in spans if e > s]
        where = lines.content(last_top.line)
    else:
        after = last_top.line if last_top is not None else -1
        region = [i for i in body if i > after and i not in head_lines][-int(closing.get("paragraphs", 2)) :]
        spans = [lines.content(i) for i in region]
        where = spans[0] if spans else lines.content(body[-1])
    if spans:
        fs, fe = _first_sentence(text, *where)
    else:
        fs, fe = max(where[0], where[1] - 20), where[1]
    has_short = any(prof.shortcomings.search(text, s, e) for s, e in spans) if prof.shortcomings else True
    has_plans = any(prof.plans.search(text, s, e) for s, e in spans) if prof.plans else True
    out = []
    if not has_short:
        out.append(make("S010", fs, fe))
    if not has_plans:
        out.append(make("S011", fs, fe))
    return out
