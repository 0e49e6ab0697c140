"""The first-character analysis behind the word-list scanner's fast path: exact on
the syntax the lists use, None (plain scan) on anything it cannot tell, and sound:
every real match starts with a character it names."""

from __future__ import annotations

import re

import pytest
from helpers import CORPUS, REFERENCE_DOC

from drafter.validators._lexicon import lexicon
from drafter._regex_start import first_chars


def _chars(ranges):
    return None if ranges is None else {chr(c) for lo, hi in ranges for c in range(lo, hi + 1)}


@pytest.mark.parametrize("pattern, expected", [
    ("abc", {"a"}),
    ("x?y", {"x", "y"}),
    ("(?:a|b?)c", {"a", "b", "c"}),
    ("a{2,3}b", {"a"}),
    ("a{0,3}b", {"a", "b"}),
    ("a{,3}b", {"a", "b"}),
    (r"\{x", {"{"}),
    (r"\bfoo", {"f"}),
    ("(?<=a)b|c", {"b", "c"}),
    ("(?<![报提])请(?:批示)", {"请"}),
    ("(?!x)y", {"y"}),
    ("(?P<n>q)|r", {"q", "r"}),
    ("(?>ab)", {"a"}),
    ("(?i:ab)c", {"a", "A"}),
    ("a*+b", {"a", "b"}),
    (r"[a\-c]", {"a", "-", "c"}),
    ("[]a]", {"]", "a"}),
    (r"[\u4e00-\u4e02]x", {"一", "丁", "丂"}),
    (r"\x41", {"A"}),
    (r"a(?:.)b", {"a"}),
    (r"a\sb", {"a"}),
    ("()z", {"z"}),
    ("妥否[，,]?\\s*请", {"妥"}),
])
def test_first_characters_are_exact(pattern, expected):
    assert _chars(first_chars(pattern)) == expected


@pytest.mark.parametrize("pattern", [r".x", r"[^a]b", r"\d+", r"(?:a|.)b", r"[\d]x", r"(a)\1", r"(?i)ab",
                                     r"(?P=n)", "("])
def test_unknowable_starts_give_none(pattern):
    assert first_chars(pattern) is None


def test_every_match_of_every_bundled_list_starts_where_the_analysis_says():
    texts = [REFERENCE_DOC.read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in sorted(CORPUS.rglob("*")) if p.suffix in (".txt", ".yaml", ".md")]
    corpus = "\n".join(texts)
    lex = lexicon(())
    checked = 0
    for name in lex.names:
        wl = lex[name]
        for pattern in [p for p, _ in wl.patterns] + ([wl.pattern] if wl.pattern else []):
            starts = _chars(first_chars(pattern))
            if starts is None:
                continue
            for m in re.finditer(pattern, corpus):
                if m.end() > m.start():
                    assert corpus[m.start()] in starts, (name, pattern, m.group())
                    checked += 1
    assert checked > 100
