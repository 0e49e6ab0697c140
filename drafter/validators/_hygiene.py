"""Hygiene (文面洁净): what a copy-paste from the web or a careless edit leaves behind.

Rules (``drafter/data/rules/hygiene.yaml``)::

    H001 web and page junk: ads, account ids, paywall and library   error
         marks, navigation, "related articles", image file names
    H002 URL                                                         error
    H003 unfilled placeholder (xx件, 20xx年, □□, 【联系人】, *镇, 占比%) error
    H004 accidentally duplicated character, word or clause          error
    H005 bracket opened full-width, closed half-width (（试行))       error
    H006 half-width punctuation in Chinese text (, . "…")            warning
    H007 unpaired bracket or quotation mark                          error
    H008 stray space between Chinese characters (微 信)              warning
    H009 full-width digits (２０２１)                                 warning
    H010 ％ and % mixed in one document (once, with the counts)      warning
    H011 doubled punctuation (，，  。。)                             error
    H012 [2023] instead of 〔2023〕 in a document number             error
    H013 顿号 after an Arabic numeral in a list (1、 → 1.)            warning
    H014 顿号 between quoted or titled items (“A”、“B”)              warning
    H015 the same verb twice in one clause (推进……推进)              warning
    H016 stacked prepositions (关于对于)                              error
    H017 a commonly confused word (截止2024年底 → 截至)               error

Decisions:

* Indentation at a line start (two spaces, 　　) and whitespace at a line end are not
  flagged: they are layout, invisible in print, and exports normalise them. Nor is a
  space in a short line without punctuation: a byline (市长  王建国), a letter-spaced
  title (工 作 总 结), a date line.
* A full-width space (U+3000) between characters is not flagged: practice pads
  two-character names with it (张　三).
* Brackets and quotation marks are paired per paragraph. A paragraph goes on over a
  line break when the line does not end a sentence and the next line does not start
  a new paragraph (indentation, an ordinal, a Markdown mark). Straight quotes " are
  judged as half-width punctuation (H006), not paired. A closing bracket right after a
  line-initial numeral (1） 一）) is an ordinal, judged by the structure family.
* Width that is the same throughout a document is house style: ％ alone, or % alone,
  is fine; a document that mixes them gets one finding with both counts.
* Duplication: a doubled two-to-four-character word is a slip unless allowed; a
  doubled single character only for the suspects in the data, never across a word
  boundary the data names (为了了解, 目的的, 现在在). Reduplication such as 件件、
  层层、扎扎实实 is never flagged, nor is a place name followed by a title that
  starts with the same character (华阳区区委): 区 is no suspect. A clause repeated
  back to back (一年来，一年来，) is a slip.
"""

from __future__ import annotations

import re
from functools import cache

from .._findings import Finding
from ._context import CheckContext
from ._lexicon import ExemptSpans, WordList, lexicon

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
_PARAGRAPH_END = "。！？；：…!?;:"
_NEW_PARAGRAPH = re.compile(
    r"[ \t\u3000]{2,}|[ \t\u3000]*(?:#|[-*>+]\s|[（(]?[0-9０-９一二三四五六七八九十]{1,3}[、.．）)]|$)"
)

# Each starts with the mark itself so the engine can skip to it; what must precede
# it is a look-behind after the mark.
_HALF_PUNCT = re.compile(f"[,;:?](?<=[{_CJK}）”》】」』][,;:?])(?=[ ]?[{_CJK}（“《【「『])")
_FULL_PUNCT = {",": "，", ";": "；", ":": "：", "?": "？"}
_HALF_PERIOD = re.compile(f"\\.(?<=[{_CJK}）”》]\\.)(?:\\.{{2,5}}|(?![0-9A-Za-z.]))")
_STRAIGHT_QUOTE = re.compile(r'"')
_STRAY_SPACE = re.compile(f"[ \t\u00a0](?<=[{_CJK}][ \t\u00a0])[ \t\u00a0]*(?=[{_CJK}])")
_QUOTED_SERIES = re.compile("、(?<=[”》]、)(?=[“《])")
_HEADING_START = re.compile(r"[#*\s]*[（(]?[0-9０-９一二三四五六七八九十]{1,3}[、.．）)]")
_LINE_PUNCT = re.compile(r"[，,。；;！!？?：:、]")
_LETTER_SPACED = re.compile(r"[ \t\u3000]*\S(?:[ \t\u3000]+\S)+[ \t\u3000]*")  # 工 作 总 结
_FULL_DIGITS = re.compile(r"[０-９]+(?:[．.][０-９]+)?")
_TO_HALF = str.maketrans("０１２３４５６７８９．", "0123456789.")
_PERCENT = re.compile(r"[%％]")
_DOUBLE_PUNCT = re.compile(r"[，。、；：]{2,}")
# ABAB: the look-ahead (A recurs two to four places on) only speeds the search up
_REPEAT_WORD = re.compile(f"(?=([{_CJK}])[{_CJK}]{{1,3}}?\\1)([{_CJK}]{{2,4}})\\2+")
# Run on the reversed text: a clause (X) repeated right after the same words ending
# the clause before (…具有降雨强度大、降雨强度大、) reads, reversed, as a whole clause
# followed by a delimiter and the same characters again.
_REPEAT_CLAUSE = re.compile(r"[，。；！？、\n][ \t\u3000]*+([^，。；！？、\n]{3,30}+)([ \t\u3000]*[，。；、])\1")
# an image file name left by a copy (IMG_2031.JPG, 微信图片_20240101.png): found at
# its extension, then extended back over the name
_IMAGE_EXT = re.compile(r"\.(?<=[0-9A-Za-z_\-\u4e00-\u9fff]\.)(?i:jpe?g|png|gif|bmp|webp|svg|tiff?)(?![0-9A-Za-z])")
# a forum's anti-copy noise: short runs of ASCII between spaces (i( j( e7 Z2 {! |0 K);
# the search starts at a space, rare in Chinese text, and steps back over the first run
_NOISE = re.compile(r"(?: [!-~]{1,3}){5,}(?![!-~])")
_ASCII_NAME_CHAR = re.compile(r"[0-9A-Za-z_\-]")
_LIST_DUNHAO = re.compile(r"[：:；;。，,！？][ \t\u3000]*([0-9]{1,2}、)(?![0-9０-９])")
_JUNK_LINE_MAX = 80
_THROUGHOUT = 3  # this many half-width uses of a mark, and more than full-width ones
_FULL_OF_MARK = {",": "，", ";": "；", ":": "：", "?": "？", ".": "。", '"': "“", "(": "（", "[": "［"}
_CLAUSE_GAP = "[^，。；：！？、\n和与及并或以]"

# list name → rule code; each list is one scan
_LIST_CODES = (
    ("contamination", "H001"), ("page_junk", "H001"), ("urls", "H002"), ("placeholders", "H003"),
    ("document_numbers", "H012"), ("stacked_prepositions", "H016"),
)


def check(ctx: CheckContext) -> list[Finding]:
    text = ctx.text
    emit = ctx.emit
    lex = lexicon(ctx.extra_lexicons)
    out: list[Finding | None] = []

    taken: dict[str, list[tuple[int, int]]] = {}
    page: list[tuple[int, int]] = []
    for name, code in _LIST_CODES:
        wl = lex[name]
        if not wl.applies_to(ctx.kind) or not ctx.enabled(code):
            continue
        before = taken.get(code, [])  # two lists of one rule: a stretch is one finding
        spans = [(h.start, h.end, h.suggestion) for h in wl.scan(text)]
        if before:
            spans = [sp for sp in spans if not any(s < sp[1] and sp[0] < e for s, e in before)]
        taken[code] = before + [(s, e) for s, e, _ in spans]
        out += [emit(code, s, e, suggestion=sugg) for s, e, sugg in spans]
        if name == "page_junk":
            page = _junk_lines(text, _merge_blank_gaps(text, [(s, e) for s, e, _ in spans]))
    junk = taken.get("H001", [])
    if ctx.enabled("H001"):
        out += [f for f in _image_names(ctx) if not _inside(f.start, f.end, junk)]
        noise = _forum_noise(ctx)
        out += noise
        page = sorted(page + [(f.start, f.end) for f in noise if f is not None])

    wl = lex["confused_words"]
    if wl.applies_to(ctx.kind) and ctx.enabled("H017"):
        out += [emit("H017", h.start, h.end, suggestion=h.suggestion, right=h.suggestion or "")
                for h in wl.scan(text) if h.suggestion]

    dup = lex["duplication"]
    if dup.applies_to(ctx.kind) and ctx.enabled("H004"):
        out += _duplicates(ctx, dup)
        out += _repeated_clauses(ctx)
    rep = lex["clause_repeats"]
    if rep.applies_to(ctx.kind) and ctx.enabled("H015"):
        out += _verb_repeats(ctx, rep)

    half: list[tuple[str, int, int, str]] = []  # half-width marks: (mark, start, end, suggestion)
    out += _brackets(ctx, half)
    out += _punctuation(ctx, half)
    out += _half_width(ctx, half)

    for m in _STRAY_SPACE.finditer(text):
        s, e = m.start() - 1, m.end() + 1
        if _layout_line(text, s):
            continue
        out.append(emit("H008", s, e, suggestion=text[s] + text[e - 1]))
    for m in _FULL_DIGITS.finditer(text):
        out.append(emit("H009", m.start(), m.end(), suggestion=m.group().translate(_TO_HALF)))
    out += _percent_mix(ctx)
    for m in _DOUBLE_PUNCT.finditer(text):
        run = m.group()
        if set(run) == {"。"} and len(run) >= 3:
            sugg = "……"
        elif "。" in run:
            sugg = "。"
        else:
            sugg = run[0]
        out.append(emit("H011", m.start(), m.end(), suggestion=sugg))
    found = [f for f in out if f is not None]
    if page:
        # inside a stretch of page junk (【字号 大 中 小】, ![](图.jpg)) the junk is the finding
        found = [f for f in found if f.code in ("H001", "H002") or not _inside(f.start, f.end, page)]
    return found


def _junk_lines(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A short line that holds page junk (上一篇：…  时间:2022-08-24 … 我要投稿) is junk
    as a whole: the line to delete, not its spaces and commas, is the finding."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        ls, le = _line_bounds(text, s)
        if le - ls <= _JUNK_LINE_MAX and e <= le:
            s, e = ls, le
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _merge_blank_gaps(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans next to each other with only spaces between become one (来源：…客户端 阅读量 12)."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and not text[out[-1][1] : s].strip(" \t\u3000"):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _forum_noise(ctx: CheckContext) -> list[Finding | None]:
    text = ctx.text
    out: list[Finding | None] = []
    for m in _NOISE.finditer(text):
        s = m.start()
        k = s
        while k > 0 and s - k < 3 and "!" <= text[k - 1] <= "~":
            k -= 1
        if k == s or (k > 0 and "!" <= text[k - 1] <= "~"):
            continue  # the first run must be short too
        out.append(ctx.emit("H001", k, m.end()))
    return out


def _image_names(ctx: CheckContext) -> list[Finding | None]:
    text = ctx.text
    out: list[Finding | None] = []
    for m in _IMAGE_EXT.finditer(text):
        s = m.start()
        while s > 0 and m.start() - s < 40 and _ASCII_NAME_CHAR.match(text[s - 1]):
            s -= 1
        ascii_part = text[s : m.start()]
        if not ascii_part or ascii_part[0] in "_-" or ascii_part.isdigit():
            # 微信图片_20240105.jpg, 图1.jpeg: the Chinese words belong to the name
            k = s
            while k > 0 and s - k < 8 and _HAS_CJK.match(text[k - 1]):
                k -= 1
            s = k
        if s == m.start():
            continue
        out.append(ctx.emit("H001", s, m.end()))
    return out


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    s = text.rfind("\n", 0, pos) + 1
    e = text.find("\n", pos)
    return s, len(text) if e == -1 else e


def _layout_line(text: str, pos: int) -> bool:
    """Whether the line at ``pos`` is a byline, a letter-spaced title or a date line:
    short, without punctuation, not a heading."""
    s, e = _line_bounds(text, pos)
    line = text[s:e].strip()
    if len(line) > 40 or _LINE_PUNCT.search(line) or _HEADING_START.match(line):
        return False
    if _LETTER_SPACED.fullmatch(line):
        return True
    parts = line.split()
    return 2 <= len(parts) <= 3 and 2 <= len(parts[-1]) <= 4  # 职务 姓名


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
            if s - ls <= 12 and _ORDINAL_BEFORE.fullmatch(text, ls, s):
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
            line_end = _line_bounds(text, pos)[1]
        if pending is None:
            pending = pos
            continue
        inner = text[pending + 1 : pos]
        if _HAS_CJK.search(inner) or _cjk_near(text, pending) or _cjk_near(text, pos):
            half.append(('"', pending, pos + 1, f"“{inner}”"))
        pending = None
    if pending is not None:
        _lone_quote(ctx, pending, half)


def _cjk_near(text: str, pos: int) -> bool:
    return any(0 <= i < len(text) and _HAS_CJK.match(text[i]) for i in (pos - 1, pos + 1))


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


# --- duplicated characters, words and clauses --------------------------------------------


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


def _duplicates(ctx: CheckContext, wl: WordList) -> list[Finding | None]:
    text, emit = ctx.text, ctx.emit
    out: list[Finding | None] = []
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
            out.append(emit("H004", s, e, suggestion=char))
    for m in _REPEAT_WORD.finditer(text):
        unit = m.group(2)
        if len(set(unit)) == 1:
            continue  # 天天天天: a run of one character, not a doubled word
        s, e = m.span()
        if wl.allowed_text(m.group()) or _in_allowed_form(text, s, e, wl.allow):
            continue
        out.append(emit("H004", s, e, suggestion=unit))
    return out


def _repeated_clauses(ctx: CheckContext) -> list[Finding | None]:
    """Words said twice across a delimiter: 一年来，一年来， 降雨强度大、降雨强度大 (a
    slip of an edit). The second copy is a whole clause; the first ends the clause
    before it."""
    text = ctx.text
    n = len(text)
    rev = "\n" + text[::-1]  # every clause, the last too, follows a delimiter
    out: list[Finding | None] = []
    for m in _REPEAT_CLAUSE.finditer(rev):
        clause = m.group(1)[::-1]
        if not _HAS_CJK.search(clause) or len(set(clause)) == 1:
            continue
        # reversed offsets (after the leading newline) back to the text's
        s = n - (m.end() - 1)
        e = n - (m.start(1) - 1)
        out.append(ctx.emit("H004", s, e, suggestion=clause))
    return out


@cache
def _verb_regex(wl: WordList) -> re.Pattern[str] | None:
    words = sorted(wl.words, key=len, reverse=True)
    if not words:
        return None
    alt = "|".join(re.escape(w) for w in words)
    return re.compile(f"(?P<w>{alt}){_CLAUSE_GAP}{{0,15}}?(?P=w)")


def _verb_repeats(ctx: CheckContext, wl: WordList) -> list[Finding | None]:
    """The same listed verb twice in one clause: 深入推进平安建设工作推进."""
    rx = _verb_regex(wl)
    if rx is None:
        return []
    text = ctx.text
    exempt: ExemptSpans | None = None
    out: list[Finding | None] = []
    for m in rx.finditer(text):
        s, e = m.span()
        word = m.group("w")
        if _in_allowed_form(text, e - len(word), e, wl.allow) or _in_allowed_form(text, s, s + len(word), wl.allow):
            continue
        exempt = exempt or ExemptSpans(text)
        if exempt.covers(s, s + len(word)) or exempt.covers(e - len(word), e):
            continue  # a name or a title: 《关于推进……推进……的意见》
        out.append(ctx.emit("H015", s, e, word=word))
    return out


# --- brackets and quotation marks ------------------------------------------------------


def _paragraph_goes_on(text: str, nl: int, line_start: int) -> bool:
    """Whether the line break at ``nl`` is inside a paragraph (a hard-wrapped line)."""
    prev = text[line_start:nl].rstrip()
    if not prev or prev[-1] in _PARAGRAPH_END:
        return False
    end = text.find("\n", nl + 1)
    nxt = text[nl + 1 : len(text) if end == -1 else end]
    if not nxt.strip():
        return False
    return not _NEW_PARAGRAPH.match(nxt)


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
            if stack and not _paragraph_goes_on(text, pos, line_start):
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
            if _HAS_CJK.search(inner) and not _NUMERAL_ONLY.fullmatch(inner) and ctx.enabled("H006"):
                half.append((opener, op, pos + 1, _FULL_OF[opener] + inner + _FULL_OF[ch]))
    if stack:
        unclosed(stack)
    return out

