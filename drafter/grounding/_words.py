"""The words grounding reads: plan and done markers, rate and total words, words that
say nothing about which fact a figure restates. They are data
(``drafter/data/lexicon/numbers.yaml``) an organisation extends with ``--lexicon``;
the numbers validator builds a :class:`Vocabulary` from the merged lists and hands it
in, so this package never reads files itself."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property


def _alternation(words: Iterable[str]) -> re.Pattern[str] | None:
    ws = sorted({w for w in words if w}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ws)) if ws else None


class Vocabulary:
    """The word lists grounding reads; each compiled on first use (a check that never
    meets a rate never compiles the rate words)."""

    def __init__(self, *, neutral: Iterable[str] = (), plan: Iterable[str] = (), done: Iterable[str] = (),
                 rate: Iterable[str] = (), total: Iterable[str] = (), previous: Iterable[str] = (),
                 remainder: Iterable[str] = (), whole: Iterable[str] = (),
                 per: Iterable[str] = (), sums: Iterable[str] = (),
                 gap: Iterable[str] = (), plan_heading: Iterable[str] = ()):
        neutral = tuple(neutral)
        self._neutral = tuple(w for w in neutral if len(w) > 1)
        self.neutral_chars: frozenset[str] = frozenset(w for w in neutral if len(w) == 1)
        self._plan, self._done, self._rate = tuple(plan), tuple(done), tuple(rate)
        self._total, self._previous = tuple(total), tuple(previous)
        self._remainder = tuple(remainder)
        self._whole = tuple(whole)
        self._per = tuple(per)
        self._sums = tuple(sums)
        self._gap = tuple(gap)
        self._plan_heading = tuple(plan_heading)
        # A run of characters → its grams (see _context.grams), filled as runs are cut.
        self.run_grams: dict[str, frozenset[str]] = {}

    @cached_property
    def neutral_words(self) -> re.Pattern[str] | None:
        """Words masked out before a clause is compared with a fact."""
        return _alternation(self._neutral)

    @cached_property
    def plan(self) -> re.Pattern[str] | None:
        return _alternation(self._plan)

    @cached_property
    def done(self) -> re.Pattern[str] | None:
        return _alternation(self._done)

    @cached_property
    def rate(self) -> re.Pattern[str] | None:
        return _alternation(self._rate)

    @cached_property
    def total(self) -> re.Pattern[str] | None:
        return _alternation(self._total)

    @cached_property
    def previous(self) -> re.Pattern[str] | None:
        return _alternation(self._previous)

    @cached_property
    def remainder(self) -> re.Pattern[str] | None:
        return _alternation(self._remainder)

    @cached_property
    def whole(self) -> re.Pattern[str] | None:
        return _alternation(self._whole)

    @cached_property
    def per(self) -> re.Pattern[str] | None:
        return _alternation(self._per)

    @cached_property
    def sums(self) -> re.Pattern[str] | None:
        return _alternation(self._sums)

    @cached_property
    def gap(self) -> re.Pattern[str] | None:
        return _alternation(self._gap)

    @cached_property
    def plan_heading(self) -> re.Pattern[str] | None:
        return _alternation(self._plan_heading)

    @staticmethod
    def says(pattern: re.Pattern[str] | None, text: str) -> bool:
        return pattern is not None and pattern.search(text) is not None
