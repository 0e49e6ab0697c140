"""Structure (结构): the shape of a document of one kind.

The shape is data, the ``structure`` block of the kind's file
(``drafter/data/kinds/<kind>.yaml``): title, salutation, addressee (主送机关), opening
and what it must say, section ordinals, parallel headings, where shortcomings and
next steps stand, the closing formula. Input may be plain text (one paragraph per
line) or Markdown (``# 标题``, ``## 一、……``, paragraphs separated by blank lines,
``**一、……**``); what precedes an ordinal on its line (indentation, heading markers,
bold, a paywall marker left by a web copy) is configured as ``line_prefix``.

Rules (``drafter/data/rules/structure.yaml``; a kind may change a severity)::

    S001 no title: the first line is body text or a section           error
    S002 title lacks the document type (报告)                          error
    S003 title ends with punctuation                                   warning
    S004 no opening paragraph before the first section                 error
    S005 opening lacks what the kind opens with (现将……报告如下)       error
    S006 wrong mark after an ordinal (一. 一， （一）、 1、 (一))        error
    S007 ordinals not consecutive (gap, repeat, wrong start)           error
    S008 heading level skipped (（1） directly under 一、)              warning
    S009 a level-1 heading not parallel in form with the others        warning
    S010 closing lacks shortcomings (不足、问题、差距、短板)            error
    S011 closing lacks next steps (新的一年、下一步、明年)               error
    S012 a heading between numbered ones lacks its ordinal             error
    S013 a section's sub-headings restart the top level (二、 … 一、)  error
    S014 no salutation (各位代表：)                                    error
    S015 no addressee line after the title (主送机关)                  error
    S016 a 请示 without its request formula (妥否，请批示)             error

With ``ctx.fragment`` (one section being drafted or regenerated) the document-level
rules S001–S005, S010, S011, S014–S016 are skipped, and the first top-level ordinal may
be any number (a fragment may be section 三 alone). The generic kind has no
document-level block at all: only the ordinal rules, which GB/T 9704-2012 sets for
every kind.

Decisions:

* Ordinals are recognised only at the start of a line, after the configured prefix.
  An unbracketed ordinal needs its mark (``一年来`` ``十四运`` ``二十大`` are words);
  the heading text may start with a digit (一、2024年工作回顾), an Arabic ordinal's
  may not (1.5万人 is a number).
* Hierarchy: the outermost level used in the text is the top. A text that uses only
  （一） as its outermost level is fine; a （一） before the first 一、 of a text that
  has 一、 is a skipped level. A level marked ``optional`` may be left out: 一、
  followed directly by 1. is common practice and accepted; （1） directly under 一、 is
  a skipped level (a warning).
* Numbering restarts under each new parent and after a part break (第二部分, 附件);
  after a gap or repeat the count goes on from the number found, so one slip is one
  finding. A gap whose missing heading is there without its ordinal (a short line
  followed by body text) is reported at that line (S012). A top level restarting at
  一 inside a section (二、 … 一、 二、) is a wrong level, reported once (S013).
* Paragraphs may be broken over lines: the opening's formula is found across a line
  break (报告\\n如下：).
* The closing is the final paragraph(s) after the last level-1 section (short trailing
  lines such as the signature and date are skipped), or the last level-1 section
  itself when its heading names problems or plans (七、存在的问题和下一步打算). A
  level-1 section whose heading names the shortcomings (二、存在的问题和不足) or the
  plans (三、2025年工作打算) stands for them wherever it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from .._findings import Finding
from ._context import CheckContext

if TYPE_CHECKING:
    from .._kinds import Kind

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMERALS = "一二三四五六七八九十"
_DIGIT_NAMES = "零一二三四五六七八九"
_TO_HALF = str.maketrans("０１２３４５６７８９", "0123456789")
_SENTENCE_END = re.compile(r"[。；！？]")
_NOT_HEADING = re.compile(r"[。；;！!？?：:]")
_DATE_LINE = re.compile(r"[0-9０-９]{4}\s*年\s*[0-9０-９]{1,2}\s*月(?:\s*[0-9０-９]{1,2}\s*日)?")
_SPACES = re.compile(r"[ \t\u3000]+")
_PROSE = re.compile(r"[，。；！？]")
_TITLE_END_PUNCT = "。，；：、！？.,;:!?"
_OPENING_WORDS = re.compile(r"如下|现将|现就|根据|按照|为了")
_TRAILING_DECOR = " \t\u3000*#"
_SIGNATURE_MAX = 30
_TITLE_SEARCH = 8  # non-empty lines among which the title is looked for
_UNNUMBERED_MAX = 30  # a heading without ordinal is at most this long
_DEFAULT_PREFIX = r"[ \t\u3000]*"


@dataclass(frozen=True)
class _Level:
    numeral: str  # "chinese" | "arabic"
    bracketed: bool
    marks: tuple[str, ...]
    form: str
    optional: bool

    def render(self, n: int) -> str:
        if self.numeral == "chinese":
            return self.form.replace("一", _cn(n), 1)
        return self.form.replace("1", str(n), 1)


@dataclass(frozen=True)
class _Profile:
    kind: str
    levels: tuple[_Level, ...]
    section_breaks: re.Pattern[str] | None
    annex: re.Pattern[str] | None
    unnumbered_keywords: tuple[str, ...]
    title: dict[str, Any] | None
    salutation: tuple[re.Pattern[str], ...]
    salutation_example: str
    addressee: dict[str, Any] | None
    opening: dict[str, Any] | None
    required: tuple[tuple[str, tuple[re.Pattern[str], ...], str], ...]
    parallel: re.Pattern[str] | None
    parallel_form: str
    min_parallel: int
    closing: dict[str, Any] | None
    section_keywords: tuple[str, ...]
    shortcoming_headings: tuple[str, ...]
    plan_headings: tuple[str, ...]
    shortcomings: re.Pattern[str] | None
    plans: re.Pattern[str] | None
    formula: tuple[re.Pattern[str], ...]
    formula_example: str
    heading_rx: re.Pattern[str]
    prefix_rx: re.Pattern[str]

    @property
    def document_rules(self) -> bool:
        return any((self.title, self.salutation, self.addressee, self.opening, self.closing))


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


def _alternation(words: list[str] | None) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{w})" for w in words)) if words else None


@cache
def _profile(kind: "Kind") -> _Profile:
    raw = kind.structure
    levels = tuple(
        _Level(
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
    opening = raw.get("opening")
    headings = raw.get("headings") or {}
    closing = raw.get("closing")
    salutation = raw.get("salutation") or {}
    formula = (closing or {}).get("formula") or {}
    return _Profile(
        kind=kind.id, levels=levels,
        section_breaks=_alternation(raw.get("section_breaks")),
        annex=_alternation(raw.get("annex")),
        unnumbered_keywords=tuple(raw.get("unnumbered_headings") or ()),
        title=raw.get("title"),
        salutation=tuple(re.compile(p) for p in salutation.get("patterns") or ()),
        salutation_example=salutation.get("example", ""),
        addressee=raw.get("addressee"),
        opening=opening,
        required=tuple(
            (r.get("what", "过渡句"), tuple(re.compile(p) for p in r.get("patterns") or ()), r.get("example", ""))
            for r in (opening or {}).get("required") or ()
        ),
        parallel=re.compile(headings["parallel_pattern"]) if headings.get("parallel_pattern") else None,
        parallel_form=headings.get("parallel_form", ""),
        min_parallel=int(headings.get("min_parallel") or 2),
        closing=closing,
        section_keywords=tuple((closing or {}).get("section_keywords") or ()),
        shortcoming_headings=tuple((closing or {}).get("shortcoming_headings") or ()),
        plan_headings=tuple((closing or {}).get("plan_headings") or ()),
        shortcomings=_alternation((closing or {}).get("shortcomings")),
        plans=_alternation((closing or {}).get("plans")),
        formula=tuple(re.compile(p) for p in formula.get("patterns") or ()),
        formula_example=formula.get("example", ""),
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
    ambiguous: bool = False
    wrong_level: bool = False  # a top-level ordinal restarted inside a section (S013)  # 2.3个县: an ordinal only where the count goes 1. → 2.
    virtual: bool = False  # a heading line written without its ordinal (S012)

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

    def words(self, i: int) -> str:
        s, e = self.content(i)
        return self.text[s:e]


def _first_sentence(text: str, s: int, e: int, cap: int = 40) -> tuple[int, int]:
    m = _SENTENCE_END.search(text, s, e)
    end = m.end() if m else e
    return s, min(end, s + cap)


def _headings(text: str, prof: _Profile, lines: _Lines) -> tuple[list[_Heading], set[int]]:
    """Every ordinal heading, and the lines that break the text into parts."""
    out: list[_Heading] = []
    breaks: set[int] = set()
    match = prof.heading_rx.match
    brk = prof.section_breaks
    for line, (ls, le) in enumerate(zip(lines.starts, lines.ends)):
        m = match(text, ls, le)
        if m is None:
            words = lines.words(line)
            if brk is not None and brk.search(words) or prof.annex is not None and prof.annex.search(words):
                breaks.add(line)
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
        sm = _SENTENCE_END.search(text, t_start, content_end)
        t_end = sm.start() if sm else content_end
        while t_end > t_start and text[t_end - 1] in _TRAILING_DECOR:
            t_end -= 1
        out.append(_Heading(line, level, value, start, end, proper, t_start, t_end, ambiguous))
    return out, breaks


def check(ctx: CheckContext) -> list[Finding]:
    text = ctx.text
    prof = _profile(ctx.profile)
    if not prof.levels:
        return []
    lines = _Lines(text, prof.prefix_rx)
    heads, breaks = _headings(text, prof, lines)
    heads = _settle_ambiguous(heads)
    heads = sorted(heads + _unnumbered_headings(text, prof, lines, heads, breaks), key=lambda h: h.line)
    out: list[Finding | None] = []
    out += _ordinals(ctx, prof, heads, breaks)
    # the body of the document: its own headings, before any attachment
    annex = next((i for i in sorted(breaks) if prof.annex is not None and prof.annex.search(lines.words(i))), None)
    body = [h for h in heads if not h.wrong_level and (annex is None or h.line < annex)]
    out += _parallel(ctx, prof, body)
    if not ctx.fragment and prof.document_rules:
        out += _document(ctx, prof, lines, body, annex)
    return [f for f in out if f is not None]


# --- ordinals ----------------------------------------------------------------------------


def _settle_ambiguous(heads: list[_Heading]) -> list[_Heading]:
    """Keep a heading such as 2.3个县 only where it continues its level's count
    (after 1.); 1.5万人 at a line start is a number."""
    if not any(h.ambiguous for h in heads):
        return heads
    out: list[_Heading] = []
    last: dict[int, int] = {}
    for h in heads:
        if h.ambiguous and last.get(h.level) != h.number - 1:
            continue
        for lvl in [k for k in last if k > h.level]:
            del last[lvl]
        last[h.level] = h.number
        out.append(h)
    return out


def _skips_required(prof: _Profile, open_level: int, level: int) -> bool:
    """Whether going from ``open_level`` to ``level`` leaves out a level that may not be
    left out."""
    return any(not prof.levels[k - 1].optional for k in range(open_level + 1, level))


def _next_siblings(heads: list[_Heading], breaks: set[int]) -> list[_Heading | None]:
    """For each heading, the next one of its level under the same parent."""
    out: list[_Heading | None] = [None] * len(heads)
    for i, h in enumerate(heads):
        for g in heads[i + 1:]:
            if g.level < h.level or any(h.line < b < g.line for b in breaks):
                break
            if g.level == h.level:
                out[i] = g
                break
    return out


def _ordinals(ctx: CheckContext, prof: _Profile, heads: list[_Heading], breaks: set[int]) -> list[Finding | None]:
    out: list[Finding | None] = []
    if not heads:
        return out
    emit = ctx.emit
    top = min(h.level for h in heads)
    open_level = top - 1
    counters: dict[int, int] = {}
    top_seen = False
    wrong_run: int | None = None  # the count of top-level ordinals restarted inside a section
    siblings = _next_siblings(heads, breaks)
    break_lines = sorted(breaks)
    last_line = -1
    for h, sibling in zip(heads, siblings):
        if any(last_line < b < h.line for b in break_lines):
            counters.clear()  # a new part (第二部分, 附件) numbers from 一 again
            wrong_run = None
            open_level = top - 1
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
                and (prev >= 2 or open_level > top):
            # 二、…… then 一、 二、 again: sub-headings written at the top level
            below = prof.levels[min(open_level, len(prof.levels) - 1)]
            parent = prof.levels[open_level - 1].render(counters.get(open_level, prev))
            out.append(emit("S013", h.start, h.end, suggestion=below.render(1), parent=parent, expected=below.form))
            wrong_run = 1
            h.wrong_level = True
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
        open_level = h.level
    return out


def _comes_later(heads: list[_Heading], h: _Heading, number: int, breaks: set[int]) -> bool:
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


def _heading_like(text: str, lines: _Lines, i: int) -> tuple[int, int] | None:
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
    text: str, prof: _Profile, lines: _Lines, heads: list[_Heading], breaks: set[int],
) -> list[_Heading]:
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
    found: list[_Heading] = []

    def virtual(i: int, span: tuple[int, int], number: int) -> _Heading:
        return _Heading(i, top, number, span[0], span[1], True, span[0], span[1], virtual=True)

    for a, b in zip(tops, tops[1:]):
        if b.number != a.number + 2 or any(a.line < k < b.line for k in breaks):
            continue
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
            if any(lines.content(j)[1] - lines.content(j)[0] > _SIGNATURE_MAX for j in range(i + 1, len(lines))):
                found.append(virtual(i, span, last.number + 1))
            break
    return found


# --- headings in parallel ------------------------------------------------------------------


def _is_closing_heading(prof: _Profile, sentence: str) -> bool:
    return any(w in sentence for w in prof.section_keywords)


def _parallel(ctx: CheckContext, prof: _Profile, heads: list[_Heading]) -> list[Finding | None]:
    if prof.parallel is None:
        return []
    text = ctx.text
    firsts = [h for h in heads if h.level == 1 and not _is_closing_heading(prof, h.sentence(text))]
    odd = [h for h in firsts if not prof.parallel.fullmatch(h.sentence(text))]
    matching = len(firsts) - len(odd)
    if matching < prof.min_parallel or 2 * matching <= len(firsts):
        return []
    return [ctx.emit("S009", h.text_start, h.text_end, form=prof.parallel_form) for h in odd if h.text_end > h.text_start]


# --- the document: title, salutation, addressee, opening, closing ----------------------------


def _is_addressee(text: str, s: int, e: int, max_len: int) -> bool:
    return e - s <= max_len and e > s and text[e - 1] in "：:" and not _SENTENCE_END.search(text, s, e - 1)


def _find_title(ctx: CheckContext, prof: _Profile, lines: _Lines, nonempty: list[int],
                head_lines: set[int]) -> tuple[list[Finding | None], int]:
    """Title findings and the first line after the title."""
    text, emit = ctx.text, ctx.emit
    title = prof.title
    if title is None:
        return [], nonempty[0]
    max_len = int(title.get("max_length") or 60)
    names = title.get("must_contain_any") or []
    block: list[tuple[int, int, int]] = []
    for i in nonempty[:_TITLE_SEARCH]:
        s, e = lines.content(i)
        content = text[s:e]
        if i in head_lines or len(content) > max_len or _SENTENCE_END.search(content, 0, len(content) - 1):
            break
        if block and _is_addressee(text, s, e, 60):
            break  # the addressee line
        block.append((i, s, e))
        if any(n in _SPACES.sub("", content) for n in names):
            break
    named = [b for b in block if any(n in _SPACES.sub("", text[b[1] : b[2]]) for n in names)]
    out: list[Finding | None] = []
    if not block:
        s, e = lines.content(nonempty[0])
        out.append(emit("S001", *_first_sentence(text, s, e, cap=20)))
        return out, nonempty[0]
    i, s, e = named[-1] if named else block[0]
    if names and not named:
        out.append(emit("S002", s, e, name=title.get("name", names[0])))
    if text[e - 1] in _TITLE_END_PUNCT:
        out.append(emit("S003", e - 1, e, suggestion=text[s : e - 1]))
    return out, i + 1


def _document(
    ctx: CheckContext, prof: _Profile, lines: _Lines, heads: list[_Heading], annex: int | None,
) -> list[Finding | None]:
    text, emit = ctx.text, ctx.emit
    out: list[Finding | None] = []
    end = len(lines) if annex is None else annex
    nonempty = [i for i in range(end) if lines.content(i)[1] > lines.content(i)[0]]
    if not nonempty:
        return out
    head_lines = {h.line for h in heads}
    found, body_from = _find_title(ctx, prof, lines, nonempty, head_lines)
    out += found
    first_head = min(head_lines) if head_lines else None

    # the lines between the title and the first section: salutation, addressee, opening
    front = [i for i in nonempty if i >= body_from and (first_head is None or i < first_head)]
    if first_head is None:
        front = front[:3]
    addressee_max = int((prof.opening or {}).get("addressee_max_length") or 30)
    if prof.addressee is not None:
        addressee_max = max(addressee_max, int(prof.addressee.get("max_length") or 30))
    addressee_lines = []
    region = []
    for i in front:
        s, e = lines.content(i)
        if not region and _is_addressee(text, s, e, addressee_max) and not _OPENING_WORDS.search(text, s, e):
            addressee_lines.append(i)  # 主送机关 or a salutation: 市委政法委： 各位领导、同志们：
            continue
        region.append(i)

    if prof.salutation:
        found_sal = any(rx.search(lines.words(i)) for i in front[:6] for rx in prof.salutation)
        if not found_sal:
            # at the first paragraph of prose (not a subtitle or a byline)
            prose = next((i for i in front if _PROSE.search(lines.words(i))), front[0] if front else nonempty[0])
            out.append(emit("S014", *_first_sentence(text, *lines.content(prose), cap=20),
                            example=prof.salutation_example))
    if prof.addressee is not None and not addressee_lines and front:
        s, e = lines.content(front[0])
        out.append(emit("S015", *_first_sentence(text, s, e, cap=20), example=prof.addressee.get("example", "")))

    if prof.opening is not None:
        if not region:
            if first_head is not None:
                h = next(h for h in heads if h.line == first_head)
                out.append(emit("S004", h.start, h.end))
        elif prof.required:
            joined = "".join(lines.words(i) for i in region)
            for what, patterns, example in prof.required:
                if any(rx.search(joined) for rx in patterns):
                    continue
                s, e = lines.content(region[-1])
                starts = [m.end() for m in _SENTENCE_END.finditer(text, s, e - 1)]
                ls = starts[-1] if starts else s
                out.append(emit("S005", ls, e, what=what, example=example))

    if prof.closing is not None:
        out += _closing(ctx, prof, lines, heads, nonempty, body_from)
    return out


def _section_spans(lines: _Lines, heads: list[_Heading], h: _Heading, nonempty: list[int]) -> list[tuple[int, int]]:
    """The text of a level-1 section: the rest of its heading line and its body."""
    nxt = next((g.line for g in heads if g.level <= h.level and g.line > h.line), None)
    _, line_end = lines.content(h.line)
    spans = [(h.text_end, line_end)] + [lines.content(i) for i in nonempty if i > h.line and (nxt is None or i < nxt)]
    return [(s, e) for s, e in spans if e > s]


def _closing(
    ctx: CheckContext, prof: _Profile, lines: _Lines, heads: list[_Heading], nonempty: list[int], body_from: int,
) -> list[Finding | None]:
    text, emit = ctx.text, ctx.emit
    closing = prof.closing or {}
    # drop trailing signature and date lines (short, no sentence punctuation) and a
    # closing formula (特此报告。)
    head_lines = {h.line for h in heads}
    formulaic = tuple(closing.get("formulaic") or ())
    body = [i for i in nonempty if i >= body_from]
    tail: list[int] = []
    while body:
        s, e = lines.content(body[-1])
        short = e - s <= _SIGNATURE_MAX and body[-1] not in head_lines
        words = text[s:e].rstrip("。！!")
        if short and (not _SENTENCE_END.search(text, s, e) or words in formulaic or words.startswith(formulaic or ("\0",))):
            tail.append(body.pop())
        else:
            break
    out: list[Finding | None] = []
    if prof.formula:
        last_lines = body[-4:] + tail
        if not any(rx.search(lines.words(i)) for i in last_lines for rx in prof.formula):
            ws, we = lines.content(body[-1]) if body else lines.content(nonempty[-1])
            ends = [m.end() for m in _SENTENCE_END.finditer(text, ws, we - 1)]
            out.append(emit("S016", ends[-1] if ends else ws, we, example=prof.formula_example))
    if not body or (prof.shortcomings is None and prof.plans is None):
        return out
    tops = [h for h in heads if h.level == 1]
    last_top = tops[-1] if tops else None
    spans: list[tuple[int, int]]
    if last_top is not None and _is_closing_heading(prof, last_top.sentence(text)):
        # the closing is that section: its body, not the heading that names it
        spans = _section_spans(lines, heads, last_top, body)
        where = lines.content(last_top.line)
    else:
        after = last_top.line if last_top is not None else -1
        region = [i for i in body if i > after and i not in head_lines][-int(closing.get("paragraphs") or 2):]
        spans = [lines.content(i) for i in region]
        where = spans[0] if spans else lines.content(body[-1])
    # a section of its own anywhere (二、存在的问题和不足  三、2025年工作打算)
    short_sections = [h for h in tops if any(k in h.sentence(text) for k in prof.shortcoming_headings)]
    plan_sections = [h for h in tops if any(k in h.sentence(text) for k in prof.plan_headings)]
    short_spans = spans + [sp for h in short_sections for sp in _section_spans(lines, heads, h, body)]
    plan_spans = spans + [sp for h in plan_sections for sp in _section_spans(lines, heads, h, body)]
    if spans:
        fs, fe = _first_sentence(text, *where)
    else:
        fs, fe = max(where[0], where[1] - 20), where[1]
    has_short = any(prof.shortcomings.search(text, s, e) for s, e in short_spans) if prof.shortcomings else True
    has_plans = any(prof.plans.search(text, s, e) for s, e in plan_spans) if prof.plans else True
    # a section that names only one of them (三、2025年工作打算) says it by its body,
    # whatever its words; a heading naming both must be answered in the text
    for h in short_sections:
        if not any(k in h.sentence(text) for k in prof.plan_headings) and _section_spans(lines, heads, h, body):
            has_short = True
    for h in plan_sections:
        if not any(k in h.sentence(text) for k in prof.shortcoming_headings) and _section_spans(lines, heads, h, body):
            has_plans = True
    if not has_short:
        out.append(emit("S010", fs, fe))
    if not has_plans:
        out.append(emit("S011", fs, fe))
    return out
