"""The words around a figure, as sets of character grams.

No tokenizer: a clause is compared with a fact by the character bigrams (and, weakly,
single characters) they share, after figures and neutral words (共, 累计, 同比 …) are
blanked out. Both sides — a draft and the input's facts — are cut the same way:

- *near*: the words between the figure and the nearest clause break, 、 or other
  figure on either side (全年排查矛盾纠纷|2316件|，) — what the figure counts;
- *wide*: the whole clause and the clause before it in the same sentence — what the
  figure's sentence is about, for figures whose near words say nothing (、25个;
  同比下降8.2%, which is about the clause before).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from operator import add

from ._words import Vocabulary

NEAR_BREAKS = frozenset("，。；：！？,;:!?\n、")
CLAUSE_BREAKS = frozenset("，。；：！？,;:!?\n")
SENTENCE_BREAKS = frozenset("。；！？;!?\n")
BLANK = "\x00"
NEAR_BEFORE = 24
NEAR_AFTER = 12
RUN_CACHE = 20_000   # how many runs (of at most RUN_KEPT characters) a vocabulary keeps cut
RUN_KEPT = 24


_RUN = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")
_ASCII = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")  # never a gram alone


def _unneutral(s: str, vocab: Vocabulary) -> str:
    return vocab.neutral_words.sub(BLANK, s) if vocab.neutral_words is not None else s


def grams(s: str, vocab: Vocabulary) -> frozenset[str]:
    """Character bigrams and single Chinese characters of ``s`` (neutral words and
    blanked figures break runs)."""
    runs = _RUN.findall(_unneutral(s, vocab))
    known = vocab.run_grams
    if len(runs) == 1:
        got = known.get(runs[0])
        return got if got is not None else _run_grams(runs[0], vocab)
    out: set[str] = set()
    for run in runs:
        got = known.get(run)
        out.update(got if got is not None else _run_grams(run, vocab))
    return frozenset(out)


def _run_grams(run: str, vocab: Vocabulary) -> frozenset[str]:
    """One run's grams, kept on the vocabulary: the runs of a large input repeat (an
    item's name, a unit, a 责任单位 on every row of a ledger)."""
    out = set(run)  # every character; the Latin letters, digits and neutral ones go below
    if len(run) > 1:
        out.update(map(add, run, run[1:]))
    out.difference_update(vocab.neutral_chars)
    out.difference_update(_ASCII)
    got = frozenset(out)
    if len(run) <= RUN_KEPT and len(vocab.run_grams) < RUN_CACHE:
        vocab.run_grams[run] = got
    return got


def informative(s: str, vocab: Vocabulary) -> int:
    """How many characters of ``s`` could tell one fact from another."""
    skip = vocab.neutral_chars
    return sum(1 for run in _RUN.findall(_unneutral(s, vocab)) for c in run if c not in skip)


def _telling(s: str, vocab: Vocabulary) -> bool:
    """Whether ``s`` has a word of its own: two informative characters side by side."""
    skip = vocab.neutral_chars
    for run in _RUN.findall(_unneutral(s, vocab)):
        if len(run) >= 2:
            n = 0
            for c in run:
                if c not in skip:
                    n += 1
                    if n == 2:
                        return True
    return False


_LONE = re.compile(r"(?:^|[、，,；;：:])([\u4e00-\u9fff])$")


def _class(chars: frozenset[str]) -> re.Pattern[str]:
    return re.compile("[" + re.escape("".join(sorted(chars))) + "]")


_NEAR_BREAK = _class(NEAR_BREAKS)
_CLAUSE_BREAK = _class(CLAUSE_BREAKS)
_SENTENCE_BREAK = _class(SENTENCE_BREAKS)


def _back(t: str, pos: int, stop: int, breaks: re.Pattern[str]) -> int:
    """Where the run of characters other than ``breaks`` that ends at ``pos`` starts,
    going back no further than ``stop`` (a scan of the reversed stretch, not a step
    per character)."""
    if pos <= stop:
        return pos
    m = breaks.search(t[stop:pos][::-1])
    return stop if m is None else pos - m.start()


def _ahead(t: str, pos: int, stop: int, breaks: re.Pattern[str]) -> int:
    """Where the run of characters other than ``breaks`` that starts at ``pos`` ends,
    going no further than ``stop``."""
    if pos >= stop:
        return pos
    m = breaks.search(t, pos, stop)
    return stop if m is None else m.start()


def blank_spans(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with every figure blanked, so digits never make two clauses alike."""
    if not spans:
        return text
    parts = []
    pos = 0
    for s, e in spans:
        parts.append(text[pos:s])
        parts.append(BLANK * (e - s))
        pos = e
    parts.append(text[pos:])
    return "".join(parts)


class Windows:
    """Near and wide windows of each figure of one text (a draft or a fact)."""

    __slots__ = ("blanked", "lists", "series", "spans", "text")

    def __init__(self, text: str, spans: Sequence[tuple[int, int]]):
        self.text = text
        self.spans = list(spans)
        self.blanked = blank_spans(text, self.spans)
        self.series = "分别" in text   # whether any figure can be of a 分别 series
        self.lists = "、" in text

    def near(self, i: int, vocab: Vocabulary) -> str:
        return self.near_window(i, vocab)[0]

    def near_window(self, i: int, vocab: Vocabulary) -> tuple[str, bool]:
        """The figure's near words, and whether they had to be taken from its whole
        clause (then they also hold the words of the clause's other figures)."""
        ref = self.respective(i, vocab)
        if ref is not None:
            return self.near_window(ref, vocab)
        t = self.text
        s, e = self.spans[i]
        prev_end = self.spans[i - 1][1] if i > 0 else 0
        next_start = self.spans[i + 1][0] if i + 1 < len(self.spans) else len(t)
        lo = _back(t, s, max(prev_end, s - NEAR_BEFORE), _NEAR_BREAK)
        if self.lists and lo > 0 and t[lo - 1] == "、":
            # A list of names with no figures of their own (摸排长期信访人员、精神障碍
            # 患者、吸毒等重点人员865名) is what the figure counts, with the verb before it.
            start = self.clause_start(s)
            if prev_end <= start and s - start <= NEAR_BEFORE * 2:
                lo = start
        hi = _ahead(t, e, min(next_start, e + NEAR_AFTER), _NEAR_BREAK)
        near = self.blanked[lo:hi]
        if _telling(near, vocab):
            return near, False
        # Nothing of its own (、25个, 16个镇（办）, 同比下降8.2%): its whole clause,
        # then with the clause before.
        end = self.clause_end(e)
        clause = self.blanked[self.clause_start(s):end]
        if _telling(clause, vocab):
            return clause, True
        return self.blanked[self.previous_clause_start(s):end], True

    def lone_item(self, i: int, vocab: Vocabulary) -> str:
        """The one-character name of a list item right before the figure, with nothing
        else between the list marks and it (生猪28.6万头、牛1.9万头: 牛), or ""."""
        s = self.spans[i][0]
        prev_end = self.spans[i - 1][1] if i > 0 else 0
        m = _LONE.search(self.text, max(prev_end, s - 2), s)
        if not m or m.group(1) in vocab.neutral_chars:
            return ""
        return m.group(1)

    def respective(self, i: int, vocab: Vocabulary) -> int | None:
        """The figure a 分别 series figure belongs to: in 接待游客1280万人次、实现旅游
        综合收入96.5亿元，分别同比增长18.6%和21.3%, the n-th figure after 分别 is about
        the n-th of as many figures before it in the sentence (18.6% → 1280万人次).
        Only when 分别 opens its clause with no words of its own before it (城镇和农村
        居民收入分别达到… names its own subjects) and enough figures precede it."""
        if not self.series:
            return None
        s = self.spans[i][0]
        start = self.clause_start(s)
        at = self.text.rfind("分别", start, s)
        if at < 0 or _telling(self.blanked[start:at], vocab):
            return None
        end = self.clause_end(s)
        series = [j for j, (a, _) in enumerate(self.spans) if at <= a < end]
        sentence = self.sentence_start(s)
        before = [j for j, (a, _) in enumerate(self.spans) if sentence <= a < at]
        if len(series) < 2 or len(before) < len(series):
            return None
        return before[len(before) - len(series) + series.index(i)]

    def wide(self, i: int) -> str:
        s, e = self.spans[i]
        t = self.text
        hi = _ahead(t, e, min(len(t), e + 40), _CLAUSE_BREAK)
        return self.blanked[self.previous_clause_start(s):hi]

    def clause_end(self, pos: int) -> int:
        t = self.text
        return _ahead(t, pos, min(len(t), pos + 60), _CLAUSE_BREAK)

    def clause_start(self, pos: int) -> int:
        return _back(self.text, pos, max(0, pos - 60), _CLAUSE_BREAK)

    def previous_clause_start(self, pos: int) -> int:
        lo = self.clause_start(pos)
        if lo > 0 and self.text[lo - 1] not in SENTENCE_BREAKS:
            return self.clause_start(lo - 1)
        return lo

    def sentence_start(self, pos: int) -> int:
        return _back(self.text, pos, max(0, pos - 200), _SENTENCE_BREAK)

    def lead(self, i: int) -> str:
        """What a reader has read of the figure's sentence when reaching it (a plan
        word anywhere in it — 下一步，…; 拟于年内…，配备… — covers the figure)."""
        s = self.spans[i][0]
        return self.text[self.sentence_start(s):s]

    def clause_lead(self, i: int) -> str:
        """The figure's own clause up to the figure."""
        s = self.spans[i][0]
        return self.text[self.clause_start(s):s]

    def clause(self, i: int) -> str:
        s, e = self.spans[i]
        t = self.text
        return t[self.clause_start(s):_ahead(t, e, min(len(t), e + 60), _CLAUSE_BREAK)]
