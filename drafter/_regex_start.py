"""Which characters can a match of a regular expression start with?

The word-list scanner (:mod:`drafter.validators._lexicon`) starts its combined
expression with a class of every possible first character, because Python's engine
only skips quickly to candidate positions when a pattern starts with a literal or a
class; the numbers extractor (:mod:`drafter._numbers`) gates its fixed expressions the
same way. This module
reads the subset of regular-expression syntax the word lists use — literals,
escapes, classes, groups (capturing, named, non-capturing, atomic, inline flags),
look-arounds, anchors, alternation and quantifiers — and answers with code-point
ranges. Anything it does not know for certain (``.``, negated classes, ``\\w``,
``\\d``, ``\\s`` and other escapes, back-references, conditionals) makes the answer
None, and the scanner falls back to a plain scan: the result is a speed-up only,
never a change in what is found.

It is a small parser of its own rather than ``re._parser``, which is private to the
standard library and changes between versions.
"""

from __future__ import annotations

import re

Ranges = list[tuple[int, int]]

_ESCAPED_LITERAL = {"t": "\t", "n": "\n", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}
_ZERO_WIDTH_ESCAPES = frozenset("bBAZ")
_END = "\x00"


class _Unknown(Exception):
    """The pattern uses something whose first characters cannot be told."""


def first_chars(pattern: str) -> Ranges | None:
    """Code-point ranges of every character a non-empty match of ``pattern`` can start
    with, or None when that cannot be told."""
    try:
        parser = _Parser(pattern)
        chars, _ = parser.alternation(icase=False)
        if parser.pos != len(pattern):
            raise _Unknown  # an unbalanced ")"
    except (_Unknown, IndexError, ValueError):
        return None
    return chars or None


def char_class(ranges: Ranges) -> str:
    """The inside of a character class (``[...]``) holding exactly ``ranges``."""
    return "".join(
        re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}"
        for lo, hi in sorted(set(ranges))
    )


def _fold(ranges: Ranges, icase: bool) -> Ranges:
    if not icase:
        return ranges
    out = list(ranges)
    for lo, hi in ranges:
        for a, b, shift in ((0x41, 0x5A, 32), (0x61, 0x7A, -32)):
            s, e = max(lo, a), min(hi, b)
            if s <= e:
                out.append((s + shift, e + shift))
    return out


class _Parser:
    """Recursive descent over the pattern; each method returns (first ranges, nullable)."""

    def __init__(self, pattern: str):
        self.p = pattern
        self.pos = 0

    def peek(self, k: int = 0) -> str:
        """The character ``k`` ahead, or _END past the end (never "", which would
        be "in" every string)."""
        i = self.pos + k
        return self.p[i] if i < len(self.p) else _END

    def alternation(self, icase: bool) -> tuple[Ranges | None, bool]:
        chars, nullable = self.sequence(icase)
        while self.peek() == "|":
            self.pos += 1
            more, n = self.sequence(icase)
            chars = None if chars is None or more is None else chars + more
            nullable = nullable or n
        return chars, nullable

    def sequence(self, icase: bool) -> tuple[Ranges | None, bool]:
        """None for the ranges when an unknowable atom stands where a match may start."""
        out: Ranges | None = []
        nullable = True
        while self.peek() not in (_END, "|", ")"):
            chars, n = self.atom(icase)
            n = self.quantifier() or n
            if nullable:
                out = None if out is None or chars is None else out + chars
                nullable = n
        return out, nullable

    def quantifier(self) -> bool:
        """Consume a quantifier; True when it allows zero repetitions."""
        c = self.peek()
        zero = False
        if c in "?*+":
            self.pos += 1
            zero = c != "+"
        elif c == "{":
            end = self.p.find("}", self.pos)
            body = self.p[self.pos + 1:end] if end != -1 else ""
            lo, _, hi = body.partition(",")
            if end == -1 or not (lo.strip().isdigit() or (not lo.strip() and "," in body)) \
                    or (hi.strip() and not hi.strip().isdigit()):
                return False  # a literal "{": read as an atom next time round
            self.pos = end + 1
            zero = not lo.strip() or int(lo) == 0
        else:
            return False
        if self.peek() in ("?", "+"):
            self.pos += 1  # lazy or possessive
        return zero

    def atom(self, icase: bool) -> tuple[Ranges | None, bool]:
        c = self.peek()
        if c == "(":
            return self.group(icase)
        if c == "[":
            ranges = self.char_class()
            return (None if ranges is None else _fold(ranges, icase)), False
        if c == "\\":
            return self.escape(icase)
        if c in "^$":
            self.pos += 1
            return [], True
        self.pos += 1
        if c == ".":
            return None, False
        return _fold([(ord(c), ord(c))], icase), False

    def escape(self, icase: bool) -> tuple[Ranges | None, bool]:
        c = self.peek(1)
        if c in _ZERO_WIDTH_ESCAPES:
            self.pos += 2
            return [], True
        code = self.escaped_code()
        if code is None:
            return None, False  # \d \w \s …: a class not worth telling
        return _fold([(code, code)], icase), False

    def escaped_code(self) -> int | None:
        r"""The code point of the escape at ``pos`` (consumed), None for a class
        escape (\d, \s, \w …); back-references are refused."""
        c = self.peek(1)
        self.pos += 2
        if c in _ESCAPED_LITERAL:
            return ord(_ESCAPED_LITERAL[c])
        width = {"x": 2, "u": 4, "U": 8}.get(c)
        if width:
            digits = self.p[self.pos:self.pos + width]
            if len(digits) != width:
                raise _Unknown
            self.pos += width
            return int(digits, 16)
        if c.isdigit() or c == _END:
            raise _Unknown  # back-reference or octal escape
        if c.isalnum():
            return None
        return ord(c)

    def group(self, icase: bool) -> tuple[Ranges | None, bool]:
        self.pos += 1  # (
        zero_width = False
        if self.peek() == "?":
            kind = self.peek(1)
            if kind in ":>":
                self.pos += 2
            elif kind in "=!":
                self.pos += 2
                zero_width = True
            elif kind == "<" and self.peek(2) in "=!":
                self.pos += 3
                zero_width = True
            elif kind == "P" and self.peek(2) == "<":
                end = self.p.index(">", self.pos)
                self.pos = end + 1
            elif kind.isalpha() or kind == "-":
                icase = self.inline_flags(icase)
            else:
                raise _Unknown  # (?P=name), (?(…)…), comments
        chars, nullable = self.alternation(icase)
        if self.peek() != ")":
            raise _Unknown
        self.pos += 1
        if zero_width:
            return [], True
        return chars, nullable

    def inline_flags(self, icase: bool) -> bool:
        """(?i:…) or (?-i:…); a global flag group (?i) is refused."""
        self.pos += 1  # ?
        on, _, off = "", "", ""
        start = self.pos
        while self.peek() not in (":", ")", _END):
            self.pos += 1
        flags = self.p[start:self.pos]
        if self.peek() != ":":
            raise _Unknown
        self.pos += 1
        on, _, off = flags.partition("-")
        if "i" in on:
            icase = True
        if "i" in off:
            icase = False
        return icase

    def char_class(self) -> Ranges | None:
        r"""The class's ranges, or None for a negated class or one holding \d \s …"""
        self.pos += 1  # [
        negated = self.peek() == "^"
        if negated:
            self.pos += 1
        ranges: Ranges | None = []
        first = True
        while True:
            c = self.peek()
            if c == _END:
                raise _Unknown
            if c == "]" and not first:
                self.pos += 1
                return None if negated else ranges
            first = False
            lo = self.class_char()
            if self.peek() == "-" and self.peek(1) not in ("]", _END):
                self.pos += 1
                hi = self.class_char()
                if lo is None or hi is None:
                    raise _Unknown
                item = (lo, hi)
            else:
                item = None if lo is None else (lo, lo)
            if item is None or ranges is None:
                ranges = None
            else:
                ranges.append(item)

    def class_char(self) -> int | None:
        c = self.peek()
        if c == "\\":
            return self.escaped_code()
        if c == "[" and self.peek(1) in ":=.":
            raise _Unknown  # POSIX-like sets are not Python syntax; be safe
        self.pos += 1
        return ord(c)
