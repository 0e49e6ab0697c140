"""Hygiene (文面洁净): what a copy-paste from the web or a careless edit leaves behind.

Rules (``drafter/data/rules/hygiene.yaml``)::

    H001 web contamination: ads, account ids, paywall markers   error
    H002 URL                                                     error
    H003 unfilled placeholder (xx件, 20xx年, 某某, 【待补】)      error
    H004 accidentally duplicated character or word (场所场所)    error
    H005 bracket opened full-width, closed half-width (（试行))   error
    H006 half-width punctuation in Chinese text (，→ ,)          warning
    H007 unpaired bracket or quotation mark                      error
    H008 stray space between Chinese characters (微 信)          warning
    H009 full-width digits (２０２１)                             warning
    H010 full-width ％ after a number                            warning
    H011 doubled punctuation (，，  。。)                         error

Decisions:

* Indentation at a line start (two spaces, 　　) and whitespace at a line end are not
  flagged: they are layout, invisible in print, and exports normalise them.
* A full-width space (U+3000) between characters is not flagged: practice pads
  two-character names with it (张　三).
* Brackets and quotation marks are paired per line (a line is a paragraph in plain
  text; Chinese Markdown paragraphs are not hard-wrapped). Straight quotes " ' are not
  paired. A closing bracket right after a line-initial numeral (1） 一）) is an ordinal,
  judged by the structure family.
* Duplication: a doubled two-to-four-character word is a slip unless allowed; a
  doubled single character only for the suspects in the data, never across a word
  boundary the data names (为了了解, 目的的, 现在在). Reduplication such as 件件、
  层层、扎扎实实 is never flagged. See ``duplication`` in the hygiene lexicon.
"""

from __future__ import annotations

import re
from functools import cache

from .._findings import Finding
from ._context import CheckContext
from ._lexicon import WordList, lexicon

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

_OPEN = "（(【[《〈“‘〔［「『"
_CLOSE = "）)】]》〉”’〕］」』"
_PAIR = dict(zip(_OPEN, _CLOSE))
_FULL_OF = {"(": "（", ")": "）", "[": "［", "]": "］"}
# brackets of one family differ only in width: （ and ( open the same pair
_FAMILY: dict[str, str] = {**{o: o for o in _OPEN}, **{c: o for o, c in zip(_OPEN, _CLOSE)}}
_FAMILY.update({"(": "（", ")": "（", "[": "［", "]": "［"})
_BRACKETS = re.compile("[" + re.escape(_OPEN + _CLOSE) + "\n]")
_ORDINAL_BEFORE = re.compile(r"[ \t\u3000#*]*[(（]?[0-9０-９一二三四五六七八九十]{1,3}")
_NUMERAL_ONLY = re.compile(r"[0-9０-９一二三四五六七八九十]{1,3}")
_HAS_CJK = re.compile(f"[{_CJK}]")
_MAX_DEPTH = 16

_HALF_PUNCT = re.compile(f"(?<=[{_CJK}）”》】」』])[,;:?](?=[ ]?[{_CJK}（“《【「『])")
_FULL_PUNCT = {",": "，", ";": "；", ":": "：", "?": "？"}
_STRAY_SPACE = re.compile(f"(?<=[{_CJK}])[ \t\u00a0]+(?=[{_CJK}])")
_FULL_DIGITS = re.compile(r"[０-９]+(?:[．.][０-９]+)?")
_TO_HALF = str.maketrans("０１２３４５６７８９．", "0123456789.")
_FULL_PERCENT = re.compile(r"(?<=[0-9０-９xX])％")
_DOUBLE_PUNCT = re.compile(r"[，。、；：]{2,}")
_REPEAT_WORD = re.compile(f"([{_CJK}]{{2,4}})\\1+")

_LIST_CODES = (("contamination", "H001"), ("urls", "H002"), ("placeholders", "H003"))


def check(ctx: CheckContext) -> list[Finding]:
    text = ctx.text
    make = ctx.make
    lex = lexicon(ctx.extra_lexicons)
    out: list[Finding] = []

    for name, code in _LIST_CODES:
        wl = lex[name]
        if wl.applies_to(ctx.kind):
            out += [make(code, h.start, h.end, suggestion=h.suggestion) for h in wl.scan(text)]

    dup = lex["duplication"]
    if dup.applies_to(ctx.kind):
        out += _duplicates(ctx, dup)

    out += _brackets(ctx)

    for m in _HALF_PUNCT.finditer(text):
        out.append(make("H006", m.start(), m.end(), suggestion=_FULL_PUNCT[m.group()]))
    for m in _STRAY_SPACE.finditer(text):
        s, e = m.start() - 1, m.end() + 1
        out.append(make("H008", s, e, suggestion=text[s] + text[e - 1]))
    for m in _FULL_DIGITS.finditer(text):
        out.append(make("H009", m.start(), m.end(), suggestion=m.group().translate(_TO_HALF)))
    for m in _FULL_PERCENT.finditer(text):
        out.append(make("H010", m.start(), m.end(), suggestion="%"))
    for m in _DOUBLE_PUNCT.finditer(text):
        run = m.group()
        if set(run) == {"。"} and len(run) >= 3:
            sugg = "……"
        elif "。" in run:
            sugg = "。"
        else:
            sugg = run[0]
        out.append(make("H011", m.start(), m.end(), suggestion=sugg))
    return out


# --- duplicated characters and words -------------------------------------------------


@cache
def _suspect_regex(wl: WordList) -> re.Pattern[str] | None:
    chars = "".join(sorted(wl.suspects))
    return re.compile(f"([{re.escape(chars)}])\\1+") if chars else None


def _in_allowed_form(text: str, start: int, end: int, forms: tuple[str, ...]) -> bool:
    """Whether text[start:end] lies inside an occurrence of an allowed form."""
    piece = text[start:end]
    for form in forms:
        k = form.find(piece)
        while k != -1:
            if start - k >= 0 and text.startswith(form, start - k):
                return True
            k = form.find(piece, k + 1)
    return False


def _straddles_boundary(text: str, start: int, char: str, words: tuple[str, ...]) -> bool:
    """For a doubled ``char`` at start, start+1: whether one of ``words`` covers one of
    the two characters but not the pair, i.e. the doubling falls between two words."""
    for w in words:
        j = w.find(char)
        while j != -1:
            for at in (start - j, start + 1 - j):
                if at >= 0 and text.startswith(w, at):
                    return True
            j = w.find(char, j + 1)
    return False


def _duplicates(ctx: CheckContext, wl: WordList) -> list[Finding]:
    text, make = ctx.text, ctx.make
    out: list[Finding] = []
    rx = _suspect_regex(wl)
    if rx is not None:
        for m in rx.finditer(text):
            s, e = m.span()
            char = m.group(1)
            if e - s == 2:
                if _in_allowed_form(text, s, e, wl.allow) or wl.allowed_text(m.group()):
                    continue
                if _straddles_boundary(text, s, char, wl.suspects.get(char, ())):
                    continue
            out.append(make("H004", s, e, suggestion=char))
    for m in _REPEAT_WORD.finditer(text):
        unit = m.group(1)
        if len(set(unit)) == 1:
            continue  # 天天天天: a run of one character, not a doubled word
        s, e = m.span()
        if wl.allowed_text(m.group()) or _in_allowed_form(text, s, e, wl.allow):
            continue
        out.append(make("H004", s, e, suggestion=unit))
    return out


# --- brackets and quotation marks ------------------------------------------------------


def _brackets(ctx: CheckContext) -> list[Finding]:
    text, make = ctx.text, ctx.make
    out: list[Finding] = []
    stack: list[tuple[str, int]] = []

    def unclosed(items: list[tuple[str, int]]) -> None:
        for ch, pos in items:
            out.append(make("H007", pos, pos + 1, suggestion=None, mark=ch, partner=_PAIR[ch]))

    line_start = 0
    for m in _BRACKETS.finditer(text):
        ch = m.group()
        pos = m.start()
        if ch == "\n":
            if stack:
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
            if ch in ")）" and pos - line_start <= 12 and _ORDINAL_BEFORE.fullmatch(text, line_start, pos):
                continue  # 1） 一） at a line start: an ordinal, judged by structure
            out.append(make("H007", pos, pos + 1, suggestion=None, mark=ch, partner=_OPEN[_CLOSE.index(ch)]))
            continue
        unclosed(stack[i + 1:])
        opener, op = stack[i]
        del stack[i:]
        if _PAIR[opener] != ch:
            inner = text[op + 1 : pos]
            fixed = _FULL_OF.get(opener, opener) + inner + _FULL_OF.get(ch, ch)
            out.append(make("H005", op, pos + 1, suggestion=fixed))
        elif opener in "([":
            inner = text[op + 1 : pos]
            if _HAS_CJK.search(inner) and not _NUMERAL_ONLY.fullmatch(inner):
                out.append(make("H006", op, pos + 1, suggestion=_FULL_OF[opener] + inner + _FULL_OF[ch]))
    if stack:
        unclosed(stack)
    return out
