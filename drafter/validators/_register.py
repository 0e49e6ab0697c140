"""Register (语体): official prose has no colloquialisms, slang, exclamations, emoji,
hedged results, first person singular, unfounded superlatives, and a 报告 carries no
request for approval.

Every word list is data (``drafter/data/lexicon/register.yaml``, extendable per
organisation, see :mod:`._lexicon`). Each list is one compiled expression, so the
family is a handful of linear passes over the text.

Rules (``drafter/data/rules/register.yaml``)::

    R001 colloquial word                 error    搞定 → 完成
    R002 internet slang                  error    给力 → 有力
    R003 informal / media word           warning  点赞 → 肯定
    R004 exclamation mark                error    ！ → 。
    R005 emoji                           error
    R006 hedge qualifying a result       error    可能已完成
    R007 first person singular           error    我 → 我们
    R008 superlative the input lacks     error    全国第一 (clean if the spec states it)
    R009 request phrase in a 报告        error    妥否，请批示

Words inside quotation marks or 《》 (a campaign's name, a cited slogan, a title)
are not the writer's own wording: lists marked ``skip_in_quotes`` ignore them, and so
does the exclamation rule (“撸起袖子加油干！”).
"""

from __future__ import annotations

import re

from .._findings import Finding
from ._context import CheckContext
from ._lexicon import ExemptSpans, lexicon

# list name → rule code, in the order findings are produced
_WORD_LISTS: tuple[tuple[str, str], ...] = (
    ("colloquial", "R001"),
    ("slang", "R002"),
    ("informal", "R003"),
    ("hedges", "R006"),
    ("first_person", "R007"),
    ("request_phrases", "R009"),
)

# ！ always; ! unless it ends a Latin word or number (Yahoo!); a run is one finding.
_EXCLAMATION = re.compile(r"[！!]*！[！!?？]*|(?<![A-Za-z0-9])![！!?？]*")

# Pictographs and symbols used as emoji. Left out on purpose: ★ ☆ (GB/T 9704 密级
# marks such as 秘密★1年), ❶–➓ (list numerals), ※, and arrows.
_EMOJI_CHAR = (
    "\U0001F000-\U0001FAFF"
    "\u2600-\u2604\u2607-\u26FF"
    "\u2700-\u2775\u2794-\u27BF"
    "\u2B50\u2B55\u203C\u2049\u3030\u303D"
)
_EMOJI = re.compile(f"[{_EMOJI_CHAR}](?:[\uFE0F\U0001F3FB-\U0001F3FF]|\u200D[{_EMOJI_CHAR}])*\uFE0F?")


def check(ctx: CheckContext) -> list[Finding]:
    text = ctx.text
    make = ctx.make
    lex = lexicon(ctx.extra_lexicons)
    exempt = ExemptSpans(text)
    out: list[Finding] = []

    for name, code in _WORD_LISTS:
        wl = lex[name]
        if not wl.applies_to(ctx.kind):
            continue
        for hit in wl.scan(text):
            if wl.skip_in_quotes and exempt.covers(hit.start, hit.end):
                continue
            out.append(make(code, hit.start, hit.end, suggestion=hit.suggestion))

    sup = lex["superlatives"]
    if sup.applies_to(ctx.kind):
        for hit in sup.scan(text):
            if sup.skip_in_quotes and exempt.covers(hit.start, hit.end):
                continue
            if ctx.backed_phrase(hit.text):
                continue
            out.append(make("R008", hit.start, hit.end, suggestion=hit.suggestion))

    for m in _EXCLAMATION.finditer(text):
        if exempt.covers(m.start(), m.end()):
            continue
        out.append(make("R004", m.start(), m.end(), suggestion="。"))

    for m in _EMOJI.finditer(text):
        out.append(make("R005", m.start(), m.end()))

    return out
