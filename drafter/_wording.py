"""The offline composer's wording as data: ``drafter/data/composer/*.yaml``.

``sentences.yaml`` says how facts group into sentences, ``wording.yaml`` the few
words the composer adds (connectives, leads, sub-point leads). (A kind's heading
formula and layout are its own: ``drafting`` in its kind file.) Each file is read
once per process.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from typing import Any

from ._resources import data_file
from ._yaml import load

FILES = ("sentences", "wording")

# Quotations, titles and parenthesised asides: their words are names and slogans, not
# the fact's own grammar, so rules never look inside them.
_QUOTED = re.compile(r"“[^“”]*”|「[^「」]*」|《[^《》]*》|‘[^‘’]*’|\"[^\"]*\"|（[^（）]*）|\([^()]*\)")
BLANK = "□"


def blank_quotes(text: str) -> str:
    """``text`` with every quotation blanked to □ (same length, same offsets)."""
    if not any(ch in text for ch in "“「《‘\"（("):
        return text
    return _QUOTED.sub(lambda m: BLANK * len(m.group()), text)


@cache
def composer_data(name: str) -> dict[str, Any]:
    """One composer data file, parsed."""
    return load(data_file(f"composer/{name}.yaml").read_text(encoding="utf-8")) or {}


@cache
def composer_digest() -> str:
    """Digest of the composer's data files: a change to any changes what it writes."""
    h = hashlib.sha256()
    for name in FILES:
        h.update(name.encode() + b"\0" + data_file(f"composer/{name}.yaml").read_bytes() + b"\0")
    return h.hexdigest()[:16]


def starts_with_any(words: list[str] | tuple[str, ...]) -> re.Pattern[str]:
    """A pattern matching any of ``words`` at the start, longest first."""
    return re.compile("(?:" + "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) + ")")


def any_of(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else re.compile(r"(?!)")
