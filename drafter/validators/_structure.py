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
from .._kinds import is_page_furniture, unwrapped
from ._context import CheckContext
from ._outline import (SENTENCE_END, SIGNATURE_MAX, Heading, Lines, alternation, first_sentence, ordinal_findings,
                       outline, outline_rules)

if TYPE_CHECKING:
    from .._kinds import Kind

_SPACES = re.compile(r"[ \t\u3000]+")
_PROSE = re.compile(r"[，。；！？]")
_TITLE_END_PUNCT = "。，；：、！？.,;:!?"
_OPENING_WORDS = re.compile(r"如下|现将|现就|根据|按照|为了")
_TITLE_SEARCH = 8  # non-empty lines among which the title is looked for


@dataclass(frozen=True)
class _Profile:
    """The document-level part of the kind's structure block."""

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

    @property
    def document_rules(self) -> bool:
        return any((self.title, self.salutation, self.addressee, self.opening, self.closing))


@cache
def _profile(kind: "Kind") -> _Profile:
    raw = kind.structure
    opening = raw.get("opening")
    headings = raw.get("headings") or {}
    closing = raw.get("closing")
    salutation = raw.get("salutation") or {}
    formula = (closing or {}).get("formula") or {}
    return _Profile(
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
        shortcomings=alternation((closing or {}).get("shortcomings")),
        plans=alternation((closing or {}).get("plans")),
        formula=tuple(re.compile(p) for p in formula.get("patterns") or ()),
        formula_example=formula.get("example", ""),
    )


def check(ctx: CheckContext) -> list[Finding]:
    text = ctx.text
    rules = outline_rules(ctx.profile)
    if not rules.levels:
        return []
    prof = _profile(ctx.profile)
    lines = Lines(text, rules.prefix_rx)
    heads, breaks, annex = outline(text, rules, lines)
    out: list[Finding | None] = []
    out += ordinal_findings(ctx, rules, heads, breaks, annex)
    # the body of the document: its own headings, before any attachment
    body = [h for h in heads if not h.wrong_level and (annex is None or h.line < annex)]
    out += _parallel(ctx, prof, body)
    if not ctx.fragment and prof.document_rules:
        out += _document(ctx, prof, lines, body, annex)
    return [f for f in out if f is not None]


# --- headings in parallel ------------------------------------------------------------------


def _is_closing_heading(prof: _Profile, sentence: str) -> bool:
    return any(w in sentence for w in prof.section_keywords)


def _parallel(ctx: CheckContext, prof: _Profile, heads: list[Heading]) -> list[Finding | None]:
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
    return e - s <= max_len and e > s and text[e - 1] in "：:" and not SENTENCE_END.search(text, s, e - 1)


def _find_title(ctx: CheckContext, prof: _Profile, lines: Lines, nonempty: list[int],
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
        if i in head_lines or len(content) > max_len or SENTENCE_END.search(content, 0, len(content) - 1):
            break
        if not block and is_page_furniture(unwrapped(content)):
            continue  # 当前位置：首页 > …, 【字号 大 中 小】, ××文件, 文号: the hygiene family reports them
        if block and _is_addressee(text, s, e, 60):
            break  # the addressee line
        block.append((i, s, e))
        if any(n in _SPACES.sub("", content) for n in names):
            break
    named = [b for b in block if any(n in _SPACES.sub("", text[b[1] : b[2]]) for n in names)]
    out: list[Finding | None] = []
    if not block:
        s, e = lines.content(nonempty[0])
        out.append(emit("S001", *first_sentence(text, s, e, cap=20)))
        return out, nonempty[0]
    i, s, e = named[-1] if named else block[0]
    if names and not named:
        out.append(emit("S002", s, e, name=title.get("name", names[0])))
    if text[e - 1] in _TITLE_END_PUNCT:
        out.append(emit("S003", e - 1, e, suggestion=text[s : e - 1]))
    return out, i + 1


def _document(
    ctx: CheckContext, prof: _Profile, lines: Lines, heads: list[Heading], annex: int | None,
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
        if not region and is_page_furniture(text[s:e]):
            continue  # 文号, 发布时间：…, 【字号 大 中 小】 between the title and the addressee
        if not region and _is_addressee(text, s, e, addressee_max) and not _OPENING_WORDS.search(text, s, e):
            addressee_lines.append(i)  # 主送机关 or a salutation: 市委政法委： 各位领导、同志们：
            continue
        region.append(i)

    if prof.salutation:
        # Page furniture (来源、发布时间、小编的话…) between the title and the salutation
        # does not count towards the lines it may stand in.
        # Page furniture (来源、发布时间、小编的话…), subtitles and a byline may stand between
        # the title and the salutation: it is looked for in the first lines before the
        # first heading (or the first ten lines of a text without one).
        ahead = [i for i in nonempty if i >= body_from and (first_head is None or i < first_head)][:10]
        found_sal = any(rx.search(lines.words(i)) for i in ahead for rx in prof.salutation)
        if not found_sal:
            # at the first paragraph of prose (not a subtitle or a byline)
            prose = next((i for i in front if _PROSE.search(lines.words(i))), front[0] if front else nonempty[0])
            out.append(emit("S014", *first_sentence(text, *lines.content(prose), cap=20),
                            example=prof.salutation_example))
    if prof.addressee is not None and not addressee_lines and front:
        s, e = lines.content(front[0])
        out.append(emit("S015", *first_sentence(text, s, e, cap=20), example=prof.addressee.get("example", "")))

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
                starts = [m.end() for m in SENTENCE_END.finditer(text, s, e - 1)]
                ls = starts[-1] if starts else s
                out.append(emit("S005", ls, e, what=what, example=example))

    if prof.closing is not None:
        out += _closing(ctx, prof, lines, heads, nonempty, body_from)
    return out


def _section_spans(lines: Lines, heads: list[Heading], h: Heading, nonempty: list[int]) -> list[tuple[int, int]]:
    """The text of a level-1 section: the rest of its heading line and its body."""
    nxt = next((g.line for g in heads if g.level <= h.level and g.line > h.line), None)
    _, line_end = lines.content(h.line)
    spans = [(h.text_end, line_end)] + [lines.content(i) for i in nonempty if i > h.line and (nxt is None or i < nxt)]
    return [(s, e) for s, e in spans if e > s]


def _closing(
    ctx: CheckContext, prof: _Profile, lines: Lines, heads: list[Heading], nonempty: list[int], body_from: int,
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
        short = e - s <= SIGNATURE_MAX and body[-1] not in head_lines
        words = text[s:e].rstrip("。！!")
        if short and (not SENTENCE_END.search(text, s, e) or words in formulaic or words.startswith(formulaic or ("\0",))):
            tail.append(body.pop())
        else:
            break
    out: list[Finding | None] = []
    if prof.formula:
        last_lines = body[-4:] + tail
        if not any(rx.search(lines.words(i)) for i in last_lines for rx in prof.formula):
            ws, we = lines.content(body[-1]) if body else lines.content(nonempty[-1])
            ends = [m.end() for m in SENTENCE_END.finditer(text, ws, we - 1)]
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
        fs, fe = first_sentence(text, *where)
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
