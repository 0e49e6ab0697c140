"""Hygiene (文面洁净): what a copy-paste from the web or a careless edit leaves behind.

This module runs the family: web junk, placeholders, spaces, digits and the word
lists; punctuation marks are judged in :mod:`._marks`, repetitions in :mod:`._repeats`.

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
  space in a short line without punctuation: a byline (市长  王建国, 述职人：局长 王建国), a letter-spaced
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

from .._findings import Finding
from ._context import CheckContext
from ._lexicon import lexicon
from ._marks import CJK, HAS_CJK, line_bounds, mark_findings
from ._repeats import duplicate_findings, repeated_clause_findings, verb_repeat_findings

_STRAY_SPACE = re.compile(f"[ \t\u00a0](?<=[{CJK}][ \t\u00a0])[ \t\u00a0]*(?=[{CJK}])")
# A single space between two phrases of four or more characters separates them, as in
# a slogan or a two-part heading (“加强法治建设 打造满意政府”, 真抓严管 形成常态).
_PHRASE_GAP = re.compile(f"(?<=[{CJK}]{{4}}) (?=[{CJK}]{{4}})")
# A space before a full-width mark (执行 。  2 、) or after a pause mark (探亲、 访友).
_SPACE_AT_MARK = re.compile(
    f"(?<=[{CJK}0-9％%”）])[ \t\u00a0]+(?=[，。、；：！？])|(?<=[，、])[ \t\u00a0](?=[{CJK}])")
_HEADING_START = re.compile(r"[#*\s]*[（(]?[0-9０-９一二三四五六七八九十]{1,3}[、.．）)]")
_LINE_PUNCT = re.compile(r"[，,。；;！!？?：:、]")
_LETTER_SPACED = re.compile(r"[ \t\u3000]*\S(?:[ \t\u3000]+\S)+[ \t\u3000]*")  # 工 作 总 结
# the label of a byline: 述职人：县教育局局长 张建平
_BYLINE_LABEL = re.compile(r"^(?:述职人|报告人|汇报人|发言人|主讲人|撰稿人|起草人|署名|作者)[ \t\u3000]*[：:][ \t\u3000]*")
_FULL_DIGITS = re.compile(r"[０-９]+(?:[．.][０-９]+)?")
_TO_HALF = str.maketrans("０１２３４５６７８９．", "0123456789.")
# an image file name left by a copy (IMG_2031.JPG, 微信图片_20240101.png): found at
# its extension, then extended back over the name
_IMAGE_EXT = re.compile(r"\.(?<=[0-9A-Za-z_\-\u4e00-\u9fff]\.)(?i:jpe?g|png|gif|bmp|webp|svg|tiff?)(?![0-9A-Za-z])")
# a forum's anti-copy noise: short runs of ASCII between spaces (i( j( e7 Z2 {! |0 K);
# the search starts at a space, rare in Chinese text, and steps back over the first run
_NOISE = re.compile(r"(?: [!-~]{1,3}){5,}(?![!-~])")
_ASCII_NAME_CHAR = re.compile(r"[0-9A-Za-z_\-]")
_JUNK_LINE_MAX = 80

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
        out += duplicate_findings(ctx, dup)
        out += repeated_clause_findings(ctx)
    rep = lex["clause_repeats"]
    if rep.applies_to(ctx.kind) and ctx.enabled("H015"):
        out += verb_repeat_findings(ctx, rep)

    out += mark_findings(ctx)

    for m in _STRAY_SPACE.finditer(text):
        s, e = m.start() - 1, m.end() + 1
        if _layout_line(text, s) or _phrase_gap(text, m.start(), m.end()):
            continue
        out.append(emit("H008", s, e, suggestion=text[s] + text[e - 1]))
    for m in _SPACE_AT_MARK.finditer(text):
        s, e = m.start() - 1, m.end() + 1
        out.append(emit("H008", s, e, suggestion=text[s] + text[e - 1]))
    for m in _FULL_DIGITS.finditer(text):
        out.append(emit("H009", m.start(), m.end(), suggestion=m.group().translate(_TO_HALF)))
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
        ls, le = line_bounds(text, s)
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
            while k > 0 and s - k < 8 and HAS_CJK.match(text[k - 1]):
                k -= 1
            s = k
        if s == m.start():
            continue
        out.append(ctx.emit("H001", s, m.end()))
    return out


def _phrase_gap(text: str, start: int, end: int) -> bool:
    """Whether a single space separates two phrases of a slogan in quotation marks or
    of a heading line without sentence punctuation (not a space inside running prose)."""
    if end - start != 1 or not _PHRASE_GAP.match(text, start):
        return False
    ls, le = line_bounds(text, start)
    before, after = text[ls:start], text[end:le]
    quoted = before.rfind("“") > before.rfind("”") and "”" in after
    return quoted or not _LINE_PUNCT.search(text[ls:le])


def _layout_line(text: str, pos: int) -> bool:
    """Whether the line at ``pos`` is a byline, a letter-spaced title or a date line:
    short, without punctuation, not a heading."""
    s, e = line_bounds(text, pos)
    line = _BYLINE_LABEL.sub("", text[s:e].strip())
    if len(line) > 40 or _LINE_PUNCT.search(line) or _HEADING_START.match(line):
        return False
    if _LETTER_SPACED.fullmatch(line):
        return True
    parts = line.split()
    return 2 <= len(parts) <= 3 and 2 <= len(parts[-1]) <= 4  # 职务 姓名
