"""Repeated characters, words and clauses (H004) and the same verb twice in one
clause (H015): slips of typing and editing, told from reduplication (天天、扎扎实实),
a place followed by a title (华阳区区委) and parallel clauses (推动A、推动B)."""

from __future__ import annotations

import re
from functools import cache

from .._findings import Finding
from ._context import CheckContext
from ._lexicon import ExemptSpans, WordList
from ._marks import CJK, HAS_CJK

# ABAB: the look-ahead (A recurs two to four places on) only speeds the search up
_REPEAT_WORD = re.compile(f"(?=([{CJK}])[{CJK}]{{1,3}}?\\1)([{CJK}]{{2,4}})\\2+")
# Run on the reversed text: a clause (X) repeated right after the same words ending
# the clause before (…具有降雨强度大、降雨强度大、) reads, reversed, as a whole clause
# followed by a delimiter and the same characters again.
_REPEAT_CLAUSE = re.compile(r"[，。；！？、\n][ \t\u3000]*+([^，。；！？、\n]{3,30}+)([ \t\u3000]*[，。；、])\1")
_CLAUSE_GAP = "[^，。；：！？、\n和与及并或以]"


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


def duplicate_findings(ctx: CheckContext, wl: WordList) -> list[Finding | None]:
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
    for hit in wl.scan(text):  # the list's own patterns: 72家家
        if not any(f is not None and f.start <= hit.start < f.end for f in out):
            out.append(emit("H004", hit.start, hit.end, suggestion=hit.text[0]))
    for m in _REPEAT_WORD.finditer(text):
        unit = m.group(2)
        if len(set(unit)) == 1:
            continue  # 天天天天: a run of one character, not a doubled word
        s, e = m.span()
        if wl.allowed_text(m.group()) or _in_allowed_form(text, s, e, wl.allow):
            continue
        out.append(emit("H004", s, e, suggestion=unit))
    return out


def repeated_clause_findings(ctx: CheckContext) -> list[Finding | None]:
    """Words said twice across a delimiter: 一年来，一年来， 降雨强度大、降雨强度大 (a
    slip of an edit). The second copy is a whole clause; the first ends the clause
    before it."""
    text = ctx.text
    n = len(text)
    rev = "\n" + text[::-1]  # every clause, the last too, follows a delimiter
    out: list[Finding | None] = []
    for m in _REPEAT_CLAUSE.finditer(rev):
        clause = m.group(1)[::-1]
        if not HAS_CJK.search(clause) or len(set(clause)) == 1:
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
    return re.compile(f"(?P<w>{alt}){_CLAUSE_GAP}{{0,24}}?(?P=w)")


def verb_repeat_findings(ctx: CheckContext, wl: WordList) -> list[Finding | None]:
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
        if e - s == 2 * len(word):
            continue  # 做好做好: a doubled word, reported by H004
        if _in_allowed_form(text, e - len(word), e, wl.allow) or _in_allowed_form(text, s, s + len(word), wl.allow):
            continue
        exempt = exempt or ExemptSpans(text)
        if exempt.covers(s, s + len(word)) or exempt.covers(e - len(word), e):
            continue  # a name or a title: 《关于推进……推进……的意见》
        out.append(ctx.emit("H015", s, e, word=word))
    return out
