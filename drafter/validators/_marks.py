"""Punctuation marks in Chinese text (GB/T 15834-2011): width (H006, and the ％/%
mix H010), pairing across a paragraph's lines (H005, H007), doubled marks (H011),
顿号 after an Arabic numeral in a list (H013) and between quoted items (H014)."""

from __future__ import annotations

import re

from .._findings import Finding
from ._context import CheckContext

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAS_CJK = re.compile(f"[{CJK}]")

_OPEN = "（(【[《〈“‘〔［「『"
_CLOSE = "）)】]》〉”’〕］」』"
_PAIR = dict(zip(_OPEN, _CLOSE))
_FULL_OF = {"(": "（", ")": "）", "[": "［", "]": "］"}
# brackets of one family differ only in width: （ and ( open the same pair
_FAMILY: dict[str, str] = {**{o: o for o in _OPEN}, **{c: o for o, c in zip(_OPEN, _CLOSE)}}
_FAMILY.update({"(": "（", ")": "（", "[": "［", "]": "［"})
_BRACKETS = re.compile("[" + re.escape(_OPEN + _CLOSE) + "\n]")
ORDINAL_BEFORE = re.compile(r"[ \t\u3000#*]*[(（]?[0-9０-９一二三四五六七八九十]{1,3}")
_NUMERAL_ONLY = re.compile(r"[0-9０-９一二三四五六七八九十]{1,3}")
_MAX_DEPTH = 16
_PARAGRAPH_END = "。！？；：…!?;:"
_NEW_PARAGRAPH = re.compile(
    r"[ \t\u3000]{2,}|[ \t\u3000]*(?:#|[-*>+]\s|[（(]?[0-9０-９一二三四五六七八九十]{1,3}[、.．）)]|$)"
)
# Each starts with the mark itself so the engine can skip to it; what must precede
# it is a look-behind after the mark.
# A figure may end the clause before the mark (增长5.3%;一般…, 共86,其中…).
_HALF_PUNCT = re.compile(f"[,;:?](?<=[{CJK}）”》】」』%％0-9][,;:?])(?=[ ]?[{CJK}（“《【「『])")
_FULL_PUNCT = {",": "，", ";": "；", ":": "：", "?": "？"}
_HALF_PERIOD = re.compile(f"\\.(?<=[{CJK}）”》]\\.)(?:\\.{{2,5}}|(?![0-9A-Za-z.]))")
_STRAIGHT_QUOTE = re.compile(r'"')
_QUOTED_SERIES = re.compile("、(?<=[”》]、)(?=[“《])")
_PERCENT = re.compile(r"[%％]")
_DOUBLE_PUNCT = re.compile(r"[，。、；：]{2,}")
_LIST_DUNHAO = re.compile(r"[：:；;。，,！？][ \t\u3000]*([0-9]{1,2}、)(?![0-9０-９])")
_THROUGHOUT = 3  # this many half-width uses of a mark, and more than full-width ones
_FULL_OF_MARK = {",": "，", ";": "；", ":": "：", "?": "？", ".": "。", '"': "“", "(": "（", "[": "［"}


def mark_findings(ctx: CheckContext) -> list[Finding | None]:
    """Every punctuation finding of the text."""
    half: list[tuple[str, int, int, str]] = []  # half-width marks: (mark, start, end, suggestion)
    out = _brackets(ctx, half)
    out += _punctuation(ctx, half)
    out += _half_width(ctx, half)
    out += _percent_mix(ctx)
    for m in _DOUBLE_PUNCT.finditer(ctx.text):
        run = m.group()
        if set(run) == {"。"} and len(run) >= 3:
            sugg = "……"
        elif "。" in run:
            sugg = "。"
        else:
            sugg = run[0]
        out.append(ctx.emit("H011", m.start(), m.end(), suggestion=sugg))
    return out


def line_bounds(text: str, pos: int) -> tuple[int, int]:
    s = text.rfind("\n", 0, pos) + 1
    e = text.find("\n", pos)
    return s, len(text) if e == -1 else e


# --- punctuation -----------------------------------------------------------------------


def _punctuation(ctx: CheckContext, half: list[tuple[str, int, int, str]]) -> list[Finding | None]:
    text, emit = ctx.text, ctx.emit
    out: list[Finding | None] = []
    if ctx.enabled("H006"):
        for m in _HALF_PUNCT.finditer(text):
            half.append((m.group(), m.start(), m.end(), _FULL_PUNCT[m.group()]))
        for m in _HALF_PERIOD.finditer(text):
            s = m.start()
            ls = text.rfind("\n", 0, s) + 1
            if s - ls <= 12 and ORDINAL_BEFORE.fullmatch(text, ls, s):
                continue  # 一. at a line start: an ordinal, judged by the structure family
            half.append((".", s, m.end(), "……" if len(m.group()) > 1 else "。"))
        _straight_quotes(ctx, half)
    if ctx.enabled("H014"):
        for m in _QUOTED_SERIES.finditer(text):
            out.append(emit("H014", m.start(), m.end(), suggestion="删去顿号"))
    if ctx.enabled("H013"):
        for m in _LIST_DUNHAO.finditer(text):
            s, e = m.span(1)
            out.append(emit("H013", s, e, suggestion=m.group(1)[:-1] + "."))
    return out


def _straight_quotes(ctx: CheckContext, half: list[tuple[str, int, int, str]]) -> None:
    """ASCII double quotes around or next to Chinese text: “…” is the Chinese form."""
    text = ctx.text
    pending: int | None = None
    line_end = -1
    for m in _STRAIGHT_QUOTE.finditer(text):
        pos = m.start()
        if pos > line_end:
            if pending is not None:
                _lone_quote(ctx, pending, half)
            pending = None
            line_end = line_bounds(text, pos)[1]
        if pending is None:
            pending = pos
            continue
        inner = text[pending + 1 : pos]
        if HAS_CJK.search(inner) or _cjk_near(text, pending) or _cjk_near(text, pos):
            half.append(('"', pending, pos + 1, f"“{inner}”"))
        pending = None
    if pending is not None:
        _lone_quote(ctx, pending, half)


def _cjk_near(text: str, pos: int) -> bool:
    return any(0 <= i < len(text) and HAS_CJK.match(text[i]) for i in (pos - 1, pos + 1))


def _lone_quote(ctx: CheckContext, pos: int, half: list[tuple[str, int, int, str]]) -> None:
    if _cjk_near(ctx.text, pos):
        half.append(('"', pos, pos + 1, "“"))


def _half_width(ctx: CheckContext, half: list[tuple[str, int, int, str]]) -> list[Finding | None]:
    """H006 for each half-width mark in Chinese text — but a document that writes a
    mark half-width throughout (a conversion of the whole page) gets one finding for
    that mark, with the count, at its first place."""
    by_mark: dict[str, list[tuple[str, int, int, str]]] = {}
    for item in sorted(half, key=lambda x: x[1]):
        by_mark.setdefault(item[0], []).append(item)
    out: list[Finding | None] = []
    for mark, items in by_mark.items():
        full = ctx.text.count(_FULL_OF_MARK[mark])
        if len(items) >= _THROUGHOUT and len(items) > full:
            _, s, e, sugg = items[0]
            out.append(ctx.emit("H006", s, e, suggestion=sugg, note=f"（全文同类共 {len(items)} 处）"))
        else:
            out += [ctx.emit("H006", s, e, suggestion=sugg, note="") for _, s, e, sugg in items]
    return out


def _percent_mix(ctx: CheckContext) -> list[Finding | None]:
    """One finding when a document uses both ％ and %: at the first sign of the rarer
    width, with both counts."""
    if not ctx.enabled("H010"):
        return []
    signs = [m.start() for m in _PERCENT.finditer(ctx.text)]
    full = [p for p in signs if ctx.text[p] == "％"]
    half = len(signs) - len(full)
    if not full or not half:
        return []
    rare = "％" if len(full) <= half else "%"
    pos = next(p for p in signs if ctx.text[p] == rare)
    return [ctx.emit("H010", pos, pos + 1, suggestion="%" if rare == "％" else "％", full=len(full), half=half)]


# --- brackets and quotation marks ------------------------------------------------------


def _paragraph_goes_on(text: str, nl: int, line_start: int, opener: str) -> bool:
    """Whether the line break at ``nl`` is inside a paragraph (a hard-wrapped line): the
    next line does not start a new paragraph, or, indented as it may be by a copy, it
    closes the ``opener`` left open before any new one (完成“三个 / 　　一批”项目)."""
    prev = text[line_start:nl].rstrip()
    if not prev or prev[-1] in _PARAGRAPH_END:
        return False
    end = text.find("\n", nl + 1)
    nxt = text[nl + 1 : len(text) if end == -1 else end]
    if not nxt.strip():
        return False
    if not _NEW_PARAGRAPH.match(nxt):
        return True
    body = nxt.lstrip(" \t\u3000")
    return len(body) < len(nxt) and not _NEW_PARAGRAPH.match(body) and _closes_first(body, opener)


def _closes_first(line: str, opener: str) -> bool:
    close = line.find(_PAIR[opener])
    again = line.find(opener)
    return close != -1 and (again == -1 or close < again)


def _brackets(ctx: CheckContext, half: list[tuple[str, int, int, str]]) -> list[Finding | None]:
    text, emit = ctx.text, ctx.emit
    out: list[Finding | None] = []
    stack: list[tuple[str, int]] = []

    def unclosed(items: list[tuple[str, int]]) -> None:
        for ch, pos in items:
            out.append(emit("H007", pos, pos + 1, suggestion=None, mark=ch, partner=_PAIR[ch]))

    line_start = 0
    for m in _BRACKETS.finditer(text):
        ch = m.group()
        pos = m.start()
        if ch == "\n":
            if stack and not _paragraph_goes_on(text, pos, line_start, stack[-1][0]):
                unclosed(stack)
                stack = []
            line_start = pos + 1
            continue
        if ch in _PAIR:
            stack.append((ch, pos))
            continue
        if ch == "’" and 0 < pos < len(text) - 1 and text[pos - 1].isascii() and text[pos + 1].isascii():
            continue  # an apostrophe (it’s)
        fam = _FAMILY[ch]
        i = len(stack) - 1
        while i >= 0 and len(stack) - i <= _MAX_DEPTH and _FAMILY[stack[i][0]] != fam:
            i -= 1
        if i < 0 or _FAMILY[stack[i][0]] != fam:
            if ch in ")）" and pos - line_start <= 12 and ORDINAL_BEFORE.fullmatch(text, line_start, pos):
                continue  # 1） 一） at a line start: an ordinal, judged by structure
            out.append(emit("H007", pos, pos + 1, suggestion=None, mark=ch, partner=_OPEN[_CLOSE.index(ch)]))
            continue
        unclosed(stack[i + 1:])
        opener, op = stack[i]
        del stack[i:]
        if _PAIR[opener] != ch:
            inner = text[op + 1 : pos]
            fixed = _FULL_OF.get(opener, opener) + inner + _FULL_OF.get(ch, ch)
            out.append(emit("H005", op, pos + 1, suggestion=fixed))
        elif opener in "([":
            inner = text[op + 1 : pos]
            if HAS_CJK.search(inner) and not _NUMERAL_ONLY.fullmatch(inner) and ctx.enabled("H006"):
                half.append((opener, op, pos + 1, _FULL_OF[opener] + inner + _FULL_OF[ch]))
    if stack:
        unclosed(stack)
    return out
