"""The words grounding reads: plan and done markers, rate and total words, words that
say nothing about which fact a figure restates. They are data
(``drafter/data/lexicon/numbers.yaml``) an organisation extends with ``--lexicon``;
the numbers validator builds a :class:`Vocabulary` from the merged lists and hands it
in, so this package never reads files itself."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable


def _alternation(words: Iterable[str]) -> re.Pattern[str] | None:
    ws = sorted({w for w in words if w}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ws)) if ws else None


@dataclass(frozen=True)
class Vocabulary:
    neutral_words: re.Pattern[str] | None   # masked out before comparing (two or more characters)
    neutral_chars: frozenset[str]           # never a one-character gram
    plan: re.Pattern[str] | None
    done: re.Pattern[str] | None
    rate: re.Pattern[str] | None
    total: re.Pattern[str] | None
    previous: re.Pattern[str] | None

    @classmethod
    def from_lists(cls, *, neutral: Iterable[str] = (), plan: Iterable[str] = (), done: Iterable[str] = (),
                   rate: Iterable[str] = (), total: Iterable[str] = (), previous: Iterable[str] = ()) -> "Vocabulary":
        neutral = list(neutral)
        return cls(
            neutral_words=_alternation(w for w in neutral if len(w) > 1),
            neutral_chars=frozenset(w for w in neutral if len(w) == 1),
            plan=_alternation(plan), done=_alternation(done), rate=_alternation(rate),
            total=_alternation(total), previous=_alternation(previous),
        )

    @staticmethod
    def says(pattern: re.Pattern[str] | None, text: str) -> bool:
        return pattern is not None and pattern.search(text) is not None
