"""The outline of a text: its ordinal headings (一、（一）1.（1）) as the kind's levels
define them, and the ordinal rules every kind shares (GB/T 9704-2012).

Used by the structure family (:mod:`._structure`), which adds what a kind's document
must say where. Rules produced here: S006 (mark), S007 (sequence), S008 (skipped
level), S012 (heading without its ordinal), S013 (top level restarted inside a
section). See the decisions in :mod:`._structure`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from .._findings import Finding
from ._context import CheckContext

if TYPE_CHECKING:
    from .._kinds import Kind

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMERALS = "一二三四五六七八九十"
_DIGIT_NAMES = "零一二三四五六七八九"
_TO_HALF = str.maketrans("０１２３４５６７８９", "0123456789")
SENTENCE_END = re.compile(r"[。；！？]")
_NOT_HEADING = re.compile(r"[。；;！!？?：:]")
_DATE_LINE = re.compile(r"[0-9０-９]{4}\s*年\s*[0-9０-９]{1,2}\s*月(?:\s*[0-9０-９]{1,2}\s*日)?")
_TRAILING_DECOR = " \t\u3000*#"
_COLON = re.compile(r"[：:]")
SIGNATURE_MAX = 30  # a trailing line this short without sentence punctuation is a signature
_UNNUMBERED_MAX = 30  # a heading without ordinal is at most this long
_DEFAULT_PREFIX = r"[ \t\u3000]*"


@dataclass(frozen=True)
class Level:
    numeral: str  # "chinese" | "arabic"
    bracketed: bool
    marks: tuple[str, ...]
    form: str
    optional: bool

    def render(self, n: int) -> str:
        if self.numeral == "chinese":
            return self.form.replace("一", _cn(n), 1)
        return self.form.replace("1", str(n), 1)


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


def alternation(words: list[str] | None) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{w})" for w in words)) if words else None


@dataclass(frozen=True)
class OutlineRules:
    """What the kind says about ordinals: the levels, what may precede an ordinal on
    its line, the lines that start a new part or the attachments, and the closing
    parts whose heading may have lost its ordinal."""

    levels: tuple[Level, ...]
    heading_rx: re.Pattern[str]
    prefix_rx: re.Pattern[str]
    section_breaks: re.Pattern[str] | None
    annex: re.Pattern[str] | None
    unnumbered_keywords: tuple[str, ...]


@cache
def outline_rules(kind: "Kind") -> OutlineRules:
    raw = kind.structure
    levels = tuple(
        Level(
            numeral=lv["numeral"], bracketed=bool(lv["bracketed"]),
            marks=(lv.get("mark") or "", *(lv.get("also_accept") or ())), form=lv["form"],
            optional=bool(lv.get("optional")),
        )
        for lv in raw.get("ordinals") or ()
    )
    prefix = raw.get("line_prefix") or _DEFAULT_PREFIX
    heading_rx = re.compile(
        rf"(?P<pre>{prefix})"
        r"(?P<ord>(?P<op>[（(])?"
        rf"(?P<num>[{_CN_NUMERALS}]{{1,3}}|[0-9０-９]{{1,2}})"
        r"(?P<cl>[）)])?"
        r"(?P<mark>[、.．,，:：;；]|[ \t]+(?=\S))?)",
    )
    return OutlineRules(
        levels=levels, heading_rx=heading_rx, prefix_rx=re.compile(prefix),
        section_breaks=alternation(raw.get("section_breaks")), annex=alternation(raw.get("annex")),
        unnumbered_keywords=tuple(raw.get("unnumbered_headings") or ()),
    )


def outline(text: str, rules: OutlineRules, lines: "Lines") -> tuple[list["Heading"], set[int], int | None]:
    """The headings of ``text`` in line order (with those written without their
    ordinal), the lines that break it into parts, and the first attachment line."""
    heads, breaks = _headings(text, rules, lines)
    heads = _settle_ambiguous(heads)
    heads = sorted(heads + _unnumbered_headings(text, rules, lines, heads, breaks), key=lambda h: h.line)
    annex = next((i for i in sorted(breaks) if rules.annex is not None and rules.annex.search(lines.words(i))), None)
    return heads, breaks, annex


@dataclass
class Heading:
    """An ordinal heading (or a heading line that lost its ordinal: ``virtual``)."""

    line: int
    level: int  # 1-based
    number: int
    start: int  # of the ordinal
    end: int  # of the ordinal including its mark
    proper: bool
    text_start: int  # of the heading sentence
    text_end: int
    ambiguous: bool = False  # 2.3个县: an ordinal only where the count goes 1. → 2.
    wrong_level: bool = False  # a top-level ordinal restarted inside a section (S013)
    virtual: bool = False  # a heading line written without its ordinal (S012)

    def sentence(self, text: str) -> str:
        return text[self.text_start : self.text_end]


class Lines:
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

    def words(self, i: int) -> str:
        s, e = self.content(i)
        return self.text[s:e]


def first_sentence(text: str, s: int, e: int, cap: int = 40) -> tuple[int, int]:
    m = SENTENCE_END.search(text, s, e)
    end = m.end() if m else e
    return s, min(end, s + cap)


def _headings(text: str, prof: OutlineRules, lines: Lines) -> tuple[list[Heading], set[int]]:
    """Every ordinal heading, and the lines that break the text into parts."""
    out: list[Heading] = []
    breaks: set[int] = set()
    match = prof.heading_rx.match
    brk = prof.section_breaks
    for line, (ls, le) in enumerate(zip(lines.starts, lines.ends)):
        m = match(text, ls, le)
        if m is None:
            words = lines.words(line)
            if brk is not None and brk.search(words) or prof.annex is not None and prof.annex.search(words):
                breaks.add(line)
                m = _inline_list_item(text, prof, ls, le)  # 附件：1.……清单 (2. follows below)
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
        ambiguous = False
        if not chinese and mark and not space_mark:
            after = m.end("ord")
            ambiguous = after < le and text[after] in "0123456789０１２３４５６７８９"  # 1.5万人, 2、3月份
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
        sm = SENTENCE_END.search(text, t_start, content_end)
        t_end = sm.start() if sm else content_end
        while t_end > t_start and text[t_end - 1] in _TRAILING_DECOR:
            t_end -= 1
        out.append(Heading(line, level, value, start, end, proper, t_start, t_end, ambiguous))
    return out, breaks


def _inline_list_item(text: str, prof: OutlineRules, ls: int, le: int) -> re.Match[str] | None:
    """The ordinal that opens a list after the colon of a break line (附件：1.……)."""
    colon = _COLON.search(text, ls, le)
    if colon is None:
        return None
    m = prof.heading_rx.match(text, colon.end(), le)
    return m if m is not None and m.group("num") in "1１" else None


# --- ordinals ----------------------------------------------------------------------------


def _settle_ambiguous(heads: list[Heading]) -> list[Heading]:
    """Keep a heading such as 2.3个县 only where it continues its level's count
    (after 1.) or starts one the next heading of its level goes on with (1.2025年……
    清单, then 2.); 1.5万人 at a line start is a number."""
    if not any(h.ambiguous for h in heads):
        return heads
    out: list[Heading] = []
    last: dict[int, int] = {}
    for i, h in enumerate(heads):
        if h.ambiguous and last.get(h.level) != h.number - 1 and not _count_goes_on(heads, i):
            continue
        for lvl in [k for k in last if k > h.level]:
            del last[lvl]
        last[h.level] = h.number
        out.append(h)
    return out


def _count_goes_on(heads: list[Heading], i: int) -> bool:
    h = heads[i]
    nxt = next((g for g in heads[i + 1:] if g.level <= h.level), None)
    return nxt is not None and nxt.level == h.level and nxt.number == h.number + 1 and not nxt.ambiguous


def _skips_required(prof: OutlineRules, open_level: int, level: int) -> bool:
    """Whether going from ``open_level`` to ``level`` leaves out a level that may not be
    left out."""
    return any(not prof.levels[k - 1].optional for k in range(open_level + 1, level))


def _next_siblings(heads: list[Heading], breaks: set[int]) -> list[Heading | None]:
    """For each heading, the next one of its level under the same parent."""
    out: list[Heading | None] = [None] * len(heads)
    for i, h in enumerate(heads):
        for g in heads[i + 1:]:
            if g.level < h.level or any(h.line < b < g.line for b in breaks):
                break
            if g.level == h.level:
                out[i] = g
                break
    return out


def ordinal_findings(
    ctx: CheckContext, prof: OutlineRules, heads: list[Heading], breaks: set[int], annex: int | None = None,
) -> list[Finding | None]:
    """S006, S007, S008, S012, S013; marks the headings of a wrong-level run.

    Sub-headings may number on across their parents (一、1. 2. 二、3. 4., common in a
    工作要点); the attachments (from ``annex``) start at whatever level their list uses."""
    out: list[Finding | None] = []
    if not heads:
        return out
    emit = ctx.emit
    top = min(h.level for h in heads)
    open_level = top - 1
    counters: dict[int, int] = {}
    carried: dict[int, int] = {}  # the last number of each level in this part, across parents
    before_part: dict[int, int] = {}  # the counters of the previous part (第一章 一、二、 第二章 三、)
    top_seen = False
    wrong_run: int | None = None  # the count of top-level ordinals restarted inside a section
    siblings = _next_siblings(heads, breaks)
    break_lines = sorted(breaks)
    last_line = -1
    for i, (h, sibling) in enumerate(zip(heads, siblings)):
        crossed = [b for b in break_lines if last_line < b <= h.line]
        if crossed:
            before_part = dict(counters)
            counters.clear()  # a new part (第二部分, 附件) numbers from 一 again
            carried.clear()
            wrong_run = None
            in_annex = annex is not None and crossed[-1] >= annex
            open_level = h.level - 1 if in_annex else top - 1
        last_line = h.line
        lv = prof.levels[h.level - 1]
        prev = counters.get(h.level)
        if h.level == top and wrong_run is not None:
            outer_next = (prev or 0) + 1
            if h.number == wrong_run + 1 and (h.number != outer_next or _comes_later(heads, h, outer_next, breaks)):
                wrong_run = h.number  # the wrong sub-headings go on: reported once
                h.wrong_level = True
                continue
            wrong_run = None
        if h.level == top and h.number == 1 and prev is not None and not h.virtual \
                and (prev >= 2 or open_level > top) and not _mislabelled(h, sibling, prev):
            # 二、…… then 一、 二、 again: sub-headings written at the top level
            below = prof.levels[min(open_level, len(prof.levels) - 1)]
            parent = prof.levels[open_level - 1].render(counters.get(open_level, prev))
            out.append(emit("S013", h.start, h.end, suggestion=below.render(1), parent=parent, expected=below.form))
            wrong_run = 1
            h.wrong_level = True
            if _stands_for_first(heads, i, open_level + 1):
                counters[open_level + 1] = 1  # 三、 一、 （二）: the 一、 is the section's （一）
            continue
        if h.virtual:
            out.append(emit("S012", h.start, h.end, expected=lv.render(h.number)))
        elif not h.proper:
            out.append(emit("S006", h.start, h.end, suggestion=lv.render(h.number), form=lv.form))
        if h.level > open_level + 1 and _skips_required(prof, open_level, h.level):
            parent_level = next(prof.levels[k - 1] for k in range(h.level - 1, 0, -1) if not prof.levels[k - 1].optional)
            out.append(emit("S008", h.start, h.end, parent=parent_level.form))
        for lvl in [k for k in counters if k > h.level]:
            del counters[lvl]
        if prev is None:
            expected = h.number if (ctx.fragment and h.level == top and not top_seen) else 1
            if h.level != top and h.number == carried.get(h.level, -1) + 1:
                expected = h.number  # numbering on from the previous parent's list
            elif h.number == before_part.get(h.level, -1) + 1:
                expected = h.number  # numbering on across parts (a 规则's 章: 一、二、 then 三、)
        else:
            expected = prev + 1
        if h.level == top:
            top_seen = True
        number = h.number
        if h.number != expected and not h.virtual:
            out.append(emit("S007", h.start, h.end, suggestion=lv.render(expected), expected=lv.render(expected)))
            if sibling is not None and sibling.number == expected + 1:
                number = expected  # one heading mislabelled: the count goes on as it should
        counters[h.level] = number
        carried[h.level] = number
        open_level = h.level
    return out


def _stands_for_first(heads: list[Heading], i: int, level: int) -> bool:
    """Whether the top-level 一、 at ``i`` takes the place of the first heading of
    ``level``: the next heading at that level or above is that level's 2."""
    nxt = next((g for g in heads[i + 1:] if g.level <= level and g.level != heads[i].level), None)
    return nxt is not None and nxt.level == level and nxt.number == 2


def _mislabelled(h: Heading, sibling: Heading | None, prev: int) -> bool:
    """一 standing where prev + 1 belongs while the count goes on after it (一、二、三、
    一、五、): one wrong number (S007), not sub-headings restarted at the top level."""
    return sibling is not None and sibling.number == prev + 2


def _comes_later(heads: list[Heading], h: Heading, number: int, breaks: set[int]) -> bool:
    """Whether a later heading of ``h``'s level in the same part has ``number``."""
    for g in heads:
        if g.line <= h.line or g.level != h.level:
            continue
        if any(h.line < b < g.line for b in breaks):
            return False
        if g.number == number:
            return True
    return False


# --- headings written without their ordinal ---------------------------------------------------


def _heading_like(text: str, lines: Lines, i: int) -> tuple[int, int] | None:
    """The span of line i when it reads as a heading without ordinal: a Markdown
    heading, or a short line with no sentence punctuation."""
    s, e = lines.content(i)
    if e <= s:
        return None
    markdown = text.startswith("#", lines.starts[i], s) or "#" in text[lines.starts[i] : s]
    body = text[s:e].rstrip("。：:")
    limit = 40 if markdown else _UNNUMBERED_MAX
    if not body or len(body) > limit or _NOT_HEADING.search(body) or _DATE_LINE.fullmatch(body):
        return None
    return s, s + len(body)


def _unnumbered_headings(
    text: str, prof: OutlineRules, lines: Lines, heads: list[Heading], breaks: set[int],
) -> list[Heading]:
    """Top-level headings written without their ordinal: the line that stands where a
    gap is (一、 … [二] … 三、), and, after the last numbered one, a heading that names a
    closing part (存在的问题, 下一步打算) followed by its body."""
    if not heads:
        return []
    top = min(h.level for h in heads)
    tops = [h for h in heads if h.level == top]
    if len(tops) < 2:
        return []
    head_lines = {h.line for h in heads}
    found: list[Heading] = []

    def virtual(i: int, span: tuple[int, int], number: int) -> Heading:
        return Heading(i, top, number, span[0], span[1], True, span[0], span[1], virtual=True)

    for k, (a, b) in enumerate(zip(tops, tops[1:])):
        if b.number != a.number + 2 or any(a.line < j < b.line for j in breaks):
            continue
        if k > 0 and tops[k - 1].number == a.number:
            continue  # 二、 二、 四、: the second 二、 is the mislabelled 三、 (S007), no gap
        for i in range(a.line + 1, b.line - 1):
            if i in head_lines:
                continue
            span = _heading_like(text, lines, i)
            if span and any(lines.content(j)[1] > lines.content(j)[0] for j in range(i + 1, b.line)):
                found.append(virtual(i, span, a.number + 1))
                break
    last = tops[-1]
    if prof.unnumbered_keywords:
        for i in range(last.line + 1, len(lines) - 1):
            if i in head_lines:
                break
            span = _heading_like(text, lines, i)
            if span is None or not any(k in text[span[0] : span[1]] for k in prof.unnumbered_keywords):
                continue
            if any(lines.content(j)[1] - lines.content(j)[0] > SIGNATURE_MAX for j in range(i + 1, len(lines))):
                found.append(virtual(i, span, last.number + 1))
            break
    return found
