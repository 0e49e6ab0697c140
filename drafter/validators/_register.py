"""Register (语体): official prose has no colloquialisms, slang, exclamations, emoji,
hedged results, first person singular, unfounded claims, and a 报告 carries no request
for approval — as far as the kind of the document says so.

Every word list is data (``drafter/data/lexicon/register.yaml``, extendable per
organisation, see :mod:`._lexicon`). Each list is one compiled expression, so the
family is a handful of linear passes over the text. What is normal in a kind (first
person in a 述职报告, ！ after 各位代表 in a 政府工作报告, 妥否，请批示 in a 请示) is
the kind's register profile (``drafter/data/kinds/<kind>.yaml``).

Rules (``drafter/data/rules/register.yaml``)::

    R001 colloquial word                 error    搞定 → 完成
    R002 internet slang                  error    给力 → 有力
    R003 informal / media word           warning  点赞 → 肯定
    R004 exclamation mark                error    ！ → 。  (not in a salutation or closing call
                                                           where the kind allows it)
    R005 emoji                           error
    R006 hedge qualifying a result       error    可能已完成, 没准
    R007 first person singular           error    我 → 我们
    R008 ranking claim the input lacks   error    全省第一 (clean if the input states it)
    R009 request phrase in a 报告        error    妥否，请批示
    R010 ranking claim, no input given   warning  全省第一 (check it has a source)
    R011 degree / quantity of speech     error    贼好, 老多
    R012 sentence-final particle         error    …了呀。
    R013 colloquial verb                 error    搞了 → 开展了
    R014 spoken filler                   error    讲真，说句心里话

Words inside quotation marks or 《》 (a campaign's name, a cited slogan, a title)
are not the writer's own wording: lists marked ``skip_in_quotes`` ignore them, and so
does the exclamation rule (“撸起袖子加油干！”). A listed word that is part of a name
(给力科技有限公司, 逆袭村) is not the writer's wording either: ``name_markers``.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from .._findings import Finding
from ._context import CheckContext
from ._lexicon import ExemptSpans, WordList, lexicon
from ._outline import outline_rules

# list name → rule code, in the order findings are produced
_WORD_LISTS: tuple[tuple[str, str], ...] = (
    ("colloquial", "R001"),
    ("slang", "R002"),
    ("informal", "R003"),
    ("hedges", "R006"),
    ("first_person", "R007"),
    ("request_phrases", "R009"),
    ("degree_words", "R011"),
    ("particles", "R012"),
    ("colloquial_verbs", "R013"),
    ("fillers", "R014"),
)
# lists whose words may stand inside a name (a company, a place, a campaign)
_NAME_LISTS = frozenset({"colloquial", "slang", "informal", "degree_words", "colloquial_verbs"})

# ！ always; ! unless it ends a Latin word or number (Yahoo!); a run is one finding.
# ![…](…) is a Markdown image (page junk, judged by the hygiene family).
_EXCLAMATION = re.compile(r"[！!]*！[！!?？]*|(?<![A-Za-z0-9])!(?!\[)[！!?？]*")

# Pictographs and symbols used as emoji. Left out on purpose: ★ ☆ (GB/T 9704 密级
# marks such as 秘密★1年), ❶–➓ (list numerals), ※, and arrows.
_EMOJI_CHAR = (
    "\U0001F000-\U0001FAFF"
    "\u2600-\u2604\u2607-\u26FF"
    "\u2700-\u2775\u2794-\u27BF"
    "\u2B50\u2B55\u203C\u2049\u3030\u303D"
)
_EMOJI = re.compile(f"[{_EMOJI_CHAR}](?:[\uFE0F\U0001F3FB-\U0001F3FF]|\u200D[{_EMOJI_CHAR}])*\uFE0F?")
_SIGNATURE_MAX = 30
_FAR = 1 << 62
_CLAUSE_STOP = re.compile(r"[，,。；;！!？?：:\n]")
_SENTENCE_PUNCT = re.compile(r"[。；！？!?，,]")


def check(ctx: CheckContext) -> list[Finding]:
    text = ctx.text
    emit = ctx.emit
    lex = lexicon(ctx.extra_lexicons)
    exempt = ExemptSpans(text)
    names = _NameMarkers(text, lex["name_markers"])
    out: list[Finding | None] = []

    taken: list[tuple[int, int]] = []  # a stretch one list flagged is not flagged again (也许吧 / 吧)
    for name, code in _WORD_LISTS:
        wl = lex[name]
        if not wl.applies_to(ctx.kind) or not ctx.enabled(code):
            continue
        if code == "R007" and _personal_text(ctx):
            continue
        in_names = name in _NAME_LISTS
        mine: list[tuple[int, int]] = []
        for hit in wl.scan(text):
            if wl.skip_in_quotes and exempt.covers(hit.start, hit.end):
                continue
            if in_names and names.follows(hit.end):
                continue
            if taken and _within(taken, hit.start, hit.end):
                continue
            mine.append((hit.start, hit.end))
            out.append(emit(code, hit.start, hit.end, suggestion=hit.suggestion))
        if mine:
            taken = sorted(taken + mine)

    out += _claims(ctx, lex["superlatives"], exempt, _GoalMarkers(text, lex["goal_markers"]))

    if ctx.enabled("R004"):
        allowed = _ExclamationAllowed(ctx)
        for m in _EXCLAMATION.finditer(text):
            if exempt.covers(m.start(), m.end()) or allowed.covers(m.start()):
                continue
            out.append(emit("R004", m.start(), m.end(), suggestion="。"))

    for m in _EMOJI.finditer(text):
        out.append(emit("R005", m.start(), m.end()))

    return [f for f in out if f is not None]


def _personal_text(ctx: CheckContext) -> bool:
    """Whether the kind's profile says the text is a personal one, where 我 is normal."""
    spec = ctx.profile.register.get("first_person") or {}
    return any(re.search(p, ctx.text, re.M) for p in spec.get("allow_when") or ())


def _within(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect_right(spans, (start, _FAR)) - 1
    return i >= 0 and spans[i][0] <= start and end <= spans[i][1]


def _claims(ctx: CheckContext, sup: WordList, exempt: ExemptSpans, goals: "_GoalMarkers") -> list[Finding | None]:
    """Ranking and record claims: with an input, one it does not state is R008; with no
    input to judge by, a reminder (R010). Quoted names and slogans (“最多跑一次”) and
    formulas (走在前列, 前所未有的力度) are no claims."""
    if not sup.applies_to(ctx.kind):
        return []
    code = "R010" if ctx.evidence is None else "R008"
    if not ctx.enabled(code):
        return []
    out: list[Finding | None] = []
    for hit in sup.scan(ctx.text):
        if sup.skip_in_quotes and exempt.covers(hit.start, hit.end):
            continue
        if ctx.backed_phrase(hit.text) or goals.precede(hit.start):
            continue
        out.append(ctx.emit(code, hit.start, hit.end, suggestion=hit.suggestion))
    return out


class _GoalMarkers:
    """Whether a goal word (打造, 力争, 努力) stands before a position in its clause:
    what follows it is an aim (打造全省最优营商环境), not a claim."""

    _GAP = 12

    def __init__(self, text: str, markers: WordList):
        self.text = text
        self._markers = markers
        self._ends: list[int] | None = None

    def precede(self, start: int) -> bool:
        if self._ends is None:
            self._ends = [h.end for h in self._markers.scan(self.text)]
        i = bisect_right(self._ends, start) - 1
        if i < 0 or start - self._ends[i] > self._GAP:
            return False
        return not _CLAUSE_STOP.search(self.text, self._ends[i], start)


class _NameMarkers:
    """Whether a hit is the first part of a name: a name marker (有限公司, 村, 行动…)
    follows within a few characters that are not punctuation or function words."""

    _GAP = 6

    def __init__(self, text: str, markers: WordList):
        self.text = text
        self._markers = markers
        self._starts: list[int] | None = None

    def follows(self, end: int) -> bool:
        if self._starts is None:
            self._starts = [h.start for h in self._markers.scan(self.text)]
        starts = self._starts
        i = bisect_right(starts, end - 1)
        if i >= len(starts) or starts[i] - end > self._GAP:
            return False
        gap = self.text[end : starts[i]]
        return not _NAME_GAP_STOP.search(gap)


# what may not stand between a word and the end of its name: punctuation, function words
_NAME_GAP_STOP = re.compile(
    r"[^\u4e00-\u9fffA-Za-z0-9]|[的地得了着过和与及或在是对把被将向从为以等也都就还又很]"
)


class _ExclamationAllowed:
    """Where the kind's profile allows ！: lines opening with a salutation (各位代表！)
    and the last paragraphs before the signature (the closing call)."""

    def __init__(self, ctx: CheckContext):
        spec = ctx.profile.register.get("exclamation") or {}
        text = ctx.text
        self._spans: list[tuple[int, int]] = []
        for p in spec.get("allow_patterns") or ():
            self._spans += [m.span() for m in re.finditer(p, text, re.M)]
        last = int(spec.get("allow_last_paragraphs") or 0)
        body = text[: _annex_start(ctx)]  # the closing call comes before the attachments
        self._tail_from = _last_paragraphs_start(body, last) if last and not ctx.fragment else len(text) + 1
        self._spans.sort()
        self._starts = [s for s, _ in self._spans]

    def covers(self, pos: int) -> bool:
        if pos >= self._tail_from:
            return True
        i = bisect_right(self._starts, pos) - 1
        return i >= 0 and self._spans[i][0] <= pos < self._spans[i][1]


def _annex_start(ctx: CheckContext) -> int:
    """Where the attachments (附件, 名词解释 after it) begin, by the kind's ``annex`` lines."""
    annex = outline_rules(ctx.profile).annex
    if annex is None:
        return len(ctx.text)
    pos = 0
    for line in ctx.text.split("\n"):
        if annex.search(line.strip(" \t\u3000")):
            return pos
        pos += len(line) + 1
    return len(ctx.text)


def _last_paragraphs_start(text: str, n: int) -> int:
    """Offset where the last ``n`` body paragraphs begin: the signature and date lines
    at the end (short, without sentence punctuation) do not count."""
    end = len(text)
    found = 0
    start: int | None = None
    while found < n:
        s = text.rfind("\n", 0, end) + 1
        line = text[s:end].strip()
        if line and not (found == 0 and len(line) <= _SIGNATURE_MAX and not _SENTENCE_PUNCT.search(line)):
            found += 1
            start = s
        if s == 0:
            break
        end = s - 1
    return start if start is not None else len(text) + 1
