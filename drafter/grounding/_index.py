"""An index over the evidence, built once per evidence and vocabulary: each input
figure's near and wide words (as grams), its fact's words, how telling each gram is
(rarer across facts = more telling), and the figures sorted by value."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import repeat
from math import log

from .._evidence import Evidence, EvidenceFigure
from .._numbers import Mention, place_value
from ._context import BLANK, Windows, grams
from ._words import Vocabulary

UNIGRAM = 0.35  # a shared single character tells far less than a shared bigram
OVER = frozenset({"余", "多", "以上", "超过", "突破", "超", "逾", "多达"})
ROUNDED_DOWN = frozenset({"余", "多"})   # 300余: the figure with its last digits dropped
OVER_SHARE = 0.05                        # how far above its threshold 以上/超过 reach at least
NEAR_SHARE = 0.1                         # how far below its figure 近 reaches at most (近500: 450…500)
NEAR = frozenset({"近"})
ABOUT = frozenset({"约", "左右"})
_EPS = 1e-9
ELIDED_MAX = 2          # a clause with at most this many bigrams besides its year names no subject
_DIGIT = re.compile(r"[0-9]")


class FactIndex:
    def __init__(self, ev: Evidence, vocab: Vocabulary):
        figs = ev.figures
        self.figs: list[EvidenceFigure] = figs
        n = len(figs)
        empty: frozenset[str] = frozenset()
        self.near: list[frozenset[str]] = [empty] * n
        self.whole: list[frozenset[str]] = [empty] * n
        self.label: list[frozenset[str]] = [empty] * n
        # Near words taken from the whole clause (the figure had none of its own).
        self.extended: list[bool] = [False] * n
        # Figures of a 分别 series whose near words are their subject's (see Windows.respective).
        self.respective: list[bool] = [False] * n
        by_fact: dict[int, list[int]] = defaultdict(list)
        for i, f in enumerate(figs):
            by_fact[f.fact_index].append(i)
        df: Counter[str] = Counter()
        # A fact's whole text, a figure's near and wide words and a label are often the
        # same string but for the blanked figure at its end (a one-clause fact; the rows
        # of a ledger: 排查整治问题隐患 and 排查整治问题隐患\0\0\0): each is cut once.
        known: dict[str, frozenset[str]] = {}

        def cut(s: str) -> frozenset[str]:
            key = s.strip(BLANK)  # blanks only part runs: the grams are the same
            got = known.get(key)
            if got is None:
                got = known[key] = grams(key, vocab)
            return got

        windows: list[tuple[Windows, int]] = [None] * n  # type: ignore[list-item]
        for idxs in by_fact.values():
            first = figs[idxs[0]]
            win = Windows(first.context, [(figs[i].start, figs[i].end) for i in idxs])
            whole = cut(win.blanked)
            seen = set(whole)
            for k, i in enumerate(idxs):
                label = cut(figs[i].label) if figs[i].label else empty
                self.label[i] = label
                near, self.extended[i] = win.near_window(k, vocab)
                self.respective[i] = win.respective(k, vocab) is not None
                got = cut(near)
                self.near[i] = got if label is got or not label else got | label
                windows[i] = (win, k)
                self.whole[i] = whole
                seen |= label
            _share_elided_subjects(figs, idxs, self.near)
            df.update(seen)
        # Wide words only for the figures a text's figures are weighed against.
        self.wide = _WideWords(windows, self.label, cut)
        facts = max(1, len(by_fact))
        norm = log(1 + facts)
        self.idf: dict[str, float] = {g: log(1 + facts / c) / norm for g, c in df.items()}
        self._w = {g: v * (1.0 if len(g) > 1 else UNIGRAM) for g, v in self.idf.items()}
        postings: dict[str, list[int]] = defaultdict(list)
        for i in range(n):
            for g in self.near[i]:
                postings[g].append(i)
        self.postings = postings
        values = [f.value for f in figs]
        self.by_value = sorted(range(n), key=values.__getitem__)
        self.values = [values[i] for i in self.by_value]
        self.sectioned = any(f.section_id not in (None, "opening", "closing") for f in figs)
        # Where each figure stands (by identity), and the figures of each fact and of
        # each section in input order: a text's figures are looked up here, never by
        # a pass over every figure, so checking N parts stays linear.
        self.pos: dict[int, int] = {id(f): i for i, f in enumerate(figs)}
        self.by_fact: dict[int, list[int]] = dict(by_fact)
        by_section: dict[str | None, list[int]] = {}
        for i, f in enumerate(figs):
            by_section.setdefault(f.section_id, []).append(i)
        self.by_section = by_section

    # ------------------------------------------------------------------ weights
    def weight(self, gs: Iterable[str]) -> float:
        """How telling a set of grams is: rarer across facts weighs more, a single
        character a third of a bigram."""
        return sum(map(self._w.get, gs, repeat(0.0)))

    def sharing(self, gs: frozenset[str]) -> set[int]:
        """Figures whose near words share at least one gram with ``gs``."""
        out: set[int] = set()
        post = self.postings
        for g in gs:
            hit = post.get(g)
            if hit:
                out.update(hit)
        return out

    # ------------------------------------------------------------------ values
    def between(self, lo: float, hi: float) -> list[int]:
        a = bisect_left(self.values, lo - _EPS * max(1.0, abs(lo)))
        b = bisect_right(self.values, hi + _EPS * max(1.0, abs(hi)))
        return self.by_value[a:b]

    def value_fit(self, m: Mention) -> list[int]:
        """Input figures this text figure may honestly stand for, by value alone."""
        exact = self.between(m.value, m.value)
        if m.approx is None:
            return exact
        reach = approx_reach(m.value, m.approx)
        figs = self.figs
        same = [i for i in exact if figs[i].approx is not None]
        return same + [i for i in self.between(*reach) if i not in same]


class _WideWords:
    """Each input figure's wide words (its clause and the one before, with its label),
    cut when first asked for: most figures of a large input are never weighed."""

    __slots__ = ("_cut", "_got", "_label", "_windows")

    def __init__(self, windows: list[tuple[Windows, int]], label: list[frozenset[str]], cut):
        self._windows = windows
        self._label = label
        self._cut = cut
        self._got: list[frozenset[str] | None] = [None] * len(windows)

    def __getitem__(self, i: int) -> frozenset[str]:
        got = self._got[i]
        if got is None:
            win, k = self._windows[i]
            label = self._label[i]
            got = self._cut(win.wide(k))
            if label:
                got = got | label
            self._got[i] = got
        return got

    def __len__(self) -> int:
        return len(self._got)


def _share_elided_subjects(figs: list[EvidenceFigure], idxs: list[int], near: list[frozenset[str]]) -> None:
    """A later year's figure whose clause names nothing but its year takes the words of
    the earlier year's figure it continues (2023年集体经济收入超过10万元的村有9个，
    2024年达到13个: 13个 counts those villages too)."""
    for k, i in enumerate(idxs):
        f = figs[i]
        if not f.year or k == 0 or sum(1 for g in near[i] if len(g) > 1 and not _DIGIT.search(g)) > ELIDED_MAX:
            continue
        for j in reversed(idxs[:k]):
            e = figs[j]
            if e.year and e.year != f.year and unit_class(e.unit) == unit_class(f.unit):
                near[i] = near[i] | frozenset(g for g in near[j] if not _DIGIT.search(g))
                break


def approx_reach(value: float, approx: str) -> tuple[float, float]:
    """The values an approximation may honestly stand for: 300余 → 300…399,
    近300 → 270…300 (its last digit's place below, at most a tenth), 约300 → 250…350
    (half that place either side, at most a fifth)."""
    pv = place_value(value)
    if approx in ROUNDED_DOWN:
        return value, value + pv - _EPS
    if approx in OVER:
        # 95%以上, 超过1200万: a round threshold, often rounded to a half or a twentieth.
        return value, value + max(pv, value * OVER_SHARE) - _EPS
    if approx in NEAR:
        return max(value - pv, value * (1 - NEAR_SHARE)), value
    return max(value - pv / 2, value * 0.8), min(value + pv / 2, value * 1.2)


def unit_class(unit: str) -> str:
    """What a unit counts: pct, pts (个百分点), frac, people, money, count, none."""
    if unit == "%":
        return "pct"
    if unit == "个百分点":
        return "pts"
    if unit == "分之":
        return "frac"
    if unit in ("人", "名", "位"):
        return "people"
    if unit in ("元",):
        return "money"
    return "none" if not unit else "count"


def index_for(ev: Evidence, vocab: Vocabulary) -> FactIndex:
    """One index per evidence (shared by its views) and vocabulary."""
    key = ("grounding-index", id(vocab))
    hit = ev.cache.get(key)
    if hit is None or hit[0] is not vocab:
        hit = ev.cache[key] = (vocab, FactIndex(ev, vocab))
    return hit[1]
