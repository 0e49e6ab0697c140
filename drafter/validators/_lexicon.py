"""Word lists for the register and hygiene validators, as data an organisation can extend.

The bundled lists live in ``drafter/data/lexicon/*.yaml``; every file there is read
and the lists are merged by name. An organisation adds its own files (paths in
``CheckContext.extra_lexicons``, ``--lexicon`` on the command line) in exactly the
same format; they are applied in order over the bundled lists.

File format
-----------
Every top-level key names a word list; its body is a mapping with any of these keys::

    colloquial:                 # the list's name (see below for the names in use)
      words:                    # word → formal wording to suggest
        搞定: 完成
        啥: 什么
        咱: ~                   # ~ (null): flag, but suggest nothing
        老百姓: false           # false: remove a bundled word (extra files only make sense)
      allow:                    # longer phrases that contain a listed word and are fine
        - 咋舌
      patterns:                 # regular expressions flagged like words
        - pattern: '可能(?:已经?|基本)完成'
          suggestion: 写明实际完成情况
        - '(?<![尽不])可能已'   # a bare string is a pattern without suggestion
      allow_patterns:           # a hit whose own text matches one of these is not flagged
        - '\\.gov\\.cn'
      skip_in_quotes: true      # ignore hits inside “…” 「…」 《…》 (quotations, names)
      kinds: [self_inspection]  # apply only to these document kinds (default: all; ids
                                # as in drafter/data/kinds/, or an organisation's kind)
      suspects:                 # duplication list only: a character whose doubling is a
        的: [目的, 的确]        # slip, with the words at whose boundary doubling is fine

Merging an extra file into the bundled lists: ``words`` are added or overridden (a
value of ``false`` removes a word), ``allow``, ``patterns`` and ``allow_patterns``
are appended, ``skip_in_quotes`` and ``kinds`` are replaced, ``suspects`` are merged
per character (``false`` removes a character). A file may only name lists that exist
(a misspelt list name is an error, not a silently ignored file). Patterns may not use
back-references (they are combined into one expression per list).

Words are matched literally; words containing Latin letters (yyds, 打call) match
case-insensitively and never inside a longer Latin word. Allowed phrases win over
words wherever they overlap, so ``自我`` keeps ``我`` from being flagged and ``咋舌``
keeps ``咋`` from being flagged.

Lists in use: register — colloquial, slang, informal, hedges, first_person,
superlatives, request_phrases, degree_words, particles, colloquial_verbs, fillers,
name_markers; hygiene — contamination, page_junk, urls, placeholders, duplication,
document_numbers, stacked_prepositions, clause_repeats,
confused_words; numbers — fixed_expressions.

A file whose top level has ``kind:`` is a kind file (see :mod:`drafter._kinds`), not a
word list: the same ``--lexicon`` option carries both.

Every list is compiled once into a single regular expression (a trie of its words
and allowed phrases, followed by its patterns), so a scan is one linear pass.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any, NamedTuple


from .._errors import InputError
from .._kinds import is_kind_file, kinds
from .._resources import data_file
from .._yaml import load_data_file
from .._regex_start import char_class, first_chars

_BODY_KEYS = frozenset(
    {"words", "allow", "patterns", "allow_patterns", "skip_in_quotes", "kinds", "suspects"}
)
_GATE_PATTERNS = 12  # a list with this many patterns gates each behind its first characters
_BACKREF = re.compile(r"\\[1-9]|\(\?P=")
_LATIN = re.compile(r"[A-Za-z]")


class Hit(NamedTuple):
    start: int
    end: int
    text: str
    suggestion: str | None


class _Bad(Exception):
    """A problem in one list body; turned into an InputError naming the file."""


@dataclass
class _Raw:
    """A list while files are being merged."""

    words: dict[str, str | None] = field(default_factory=dict)
    allow: list[str] = field(default_factory=list)
    patterns: list[tuple[str, str | None]] = field(default_factory=list)
    allow_patterns: list[str] = field(default_factory=list)
    skip_in_quotes: bool = False
    kinds: tuple[str, ...] | None = None
    suspects: dict[str, list[str]] = field(default_factory=dict)


def _strings(value: Any, what: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _Bad(f"{what} 应为非空字符串列表")
    return list(value)


def _check_regex(pattern: str, what: str, *, combined: bool) -> None:
    if combined and _BACKREF.search(pattern):
        raise _Bad(f"{what} “{pattern}” 不能使用反向引用")
    try:
        re.compile(pattern)
    except re.error as exc:
        raise _Bad(f"{what} “{pattern}” 不是有效的正则表达式（{exc}）") from None


def _merge_body(raw: _Raw, name: str, body: Any, *, trusted: bool = False) -> None:
    """Merge one list body into ``raw``. ``trusted`` (the bundled files, which a test
    compiles) skips compiling each pattern on its own, a cost of every start-up."""
    if body is None:
        return
    if not isinstance(body, dict):
        raise _Bad(f"词表 {name} 应为映射（words/allow/patterns 等）")
    unknown = sorted(str(k) for k in body if k not in _BODY_KEYS)
    if unknown:
        raise _Bad(f"词表 {name} 含未知的键：{'、'.join(unknown)}（可用：{'、'.join(sorted(_BODY_KEYS))}）")
    words = body.get("words")
    if words is not None:
        if not isinstance(words, dict):
            raise _Bad(f"词表 {name} 的 words 应为“词: 建议用语”的映射")
        for word, sugg in words.items():
            if not isinstance(word, str) or not word:
                raise _Bad(f"词表 {name} 的 words 含非字符串的词：{word!r}")
            if sugg is False:
                raw.words.pop(word, None)
            elif sugg is None or isinstance(sugg, str):
                raw.words[word] = sugg or None
            else:
                raise _Bad(f"词表 {name} 中“{word}”的建议用语应为字符串、~ 或 false")
    raw.allow += _strings(body.get("allow"), f"词表 {name} 的 allow")
    for item in body.get("patterns") or []:
        if isinstance(item, str):
            pattern, sugg = item, None
        elif isinstance(item, dict) and isinstance(item.get("pattern"), str) and set(item) <= {"pattern", "suggestion"}:
            pattern, sugg = item["pattern"], item.get("suggestion")
            if sugg is not None and not isinstance(sugg, str):
                raise _Bad(f"词表 {name} 的 patterns 中 suggestion 应为字符串")
        else:
            raise _Bad(f"词表 {name} 的 patterns 每项应为字符串或 {{pattern, suggestion}}")
        if not trusted:
            _check_regex(pattern, f"词表 {name} 的模式", combined=True)
        raw.patterns.append((pattern, sugg or None))
    for pattern in _strings(body.get("allow_patterns"), f"词表 {name} 的 allow_patterns"):
        if not trusted:
            _check_regex(pattern, f"词表 {name} 的放行模式", combined=False)
        raw.allow_patterns.append(pattern)
    if "skip_in_quotes" in body:
        if not isinstance(body["skip_in_quotes"], bool):
            raise _Bad(f"词表 {name} 的 skip_in_quotes 应为 true 或 false")
        raw.skip_in_quotes = body["skip_in_quotes"]
    if "kinds" in body:
        raw.kinds = tuple(_strings(body["kinds"], f"词表 {name} 的 kinds")) or None
    suspects = body.get("suspects")
    if suspects is not None:
        if not isinstance(suspects, dict):
            raise _Bad(f"词表 {name} 的 suspects 应为“字: [词, …]”的映射")
        for char, words_ in suspects.items():
            if not isinstance(char, str) or len(char) != 1:
                raise _Bad(f"词表 {name} 的 suspects 的键应为单个汉字：{char!r}")
            if words_ is False:
                raw.suspects.pop(char, None)
                continue
            lst = _strings(words_, f"词表 {name} 中“{char}”的边界词")
            if any(char not in w for w in lst):
                raise _Bad(f"词表 {name} 中“{char}”的边界词必须包含“{char}”")
            raw.suspects.setdefault(char, [])
            raw.suspects[char] += [w for w in lst if w not in raw.suspects[char]]


def _trie_regex(words: Iterable[str]) -> str:
    """One alternation for many literal words, factored by common prefixes so the
    engine never tries more than one branch per character."""
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict[str, Any]) -> str:
        end = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            return (body if len(branches) > 1 else "(?:" + body + ")") + "?"
        return body

    return emit(trie)


def _latin_regexes(words: list[str]) -> list[str]:
    """Words with Latin letters (yyds, 打call): case-insensitive, never inside a longer
    Latin word. One trie per kind of edge (Latin first letter or not, Latin last
    letter or not), longest words first within each."""
    groups: dict[tuple[bool, bool], list[str]] = {}
    for w in words:
        groups.setdefault((bool(_LATIN.match(w[0])), bool(_LATIN.match(w[-1]))), []).append(w)
    out = []
    for (first, last), ws in sorted(groups.items(), reverse=True):
        body = "(?i:" + _trie_regex(list(dict.fromkeys(w.lower() for w in ws))) + ")"
        # the trie prefers the longer of two words sharing a prefix; a Latin word
        # must then end where its letters end
        rx = ("(?<![A-Za-z])" if first else "") + body + ("(?![A-Za-z])" if last else "")
        out.append(rx)
    return out


def _fast_scanner(branches: list[tuple[str, list[tuple[int, int]] | None]], *, gated: bool = False) -> re.Pattern[str]:
    """Compile alternatives (named groups; with the characters each can start with,
    None when that cannot be told) for a fast scan.

    Python's engine skips quickly to candidate positions only when a pattern starts
    with a literal or a character class; an alternation of patterns that start with
    look-behinds is tried at every position, which is 10x slower. So the scanner
    starts with the class of every possible first character, then steps back over
    it and runs the alternation inside a look-ahead, whose named group carries the
    hit. Hits then overlap (the scan resumes one character on); the caller drops a
    hit that starts inside the previous one, which gives exactly the leftmost,
    non-overlapping hits of a plain scan.

    ``gated`` (for lists of many patterns): each alternative sits behind the class of
    its own first characters, so a candidate position runs only the alternatives
    that can start there; the first that matches wins, as in the plain alternation.
    """
    alternation = "|".join(p for p, _ in branches)
    if any(r is None for _, r in branches):
        return re.compile(f"(?=(?:{alternation}))")
    union = [x for _, r in branches for x in r or ()]
    if not gated or len(branches) == 1:
        return re.compile(f"[{char_class(union)}](?<=(?=(?:{alternation}))[\\s\\S])")
    gates = "|".join(f"[{char_class(r or [])}](?<=(?=(?:{p}))[\\s\\S])" for p, r in branches)
    return re.compile(f"(?=[{char_class(union)}])(?:{gates})")


class WordList:
    """One merged list, compiled for scanning."""

    def __init__(self, name: str, raw: _Raw):
        self.name = name
        self.words: dict[str, str | None] = dict(raw.words)
        self.allow: tuple[str, ...] = tuple(dict.fromkeys(raw.allow))
        self.patterns: tuple[tuple[str, str | None], ...] = tuple(raw.patterns)
        self.skip_in_quotes = raw.skip_in_quotes
        self.kinds = frozenset(raw.kinds) if raw.kinds else None
        self.suspects: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in raw.suspects.items()}
        self._allow_rx = [re.compile(p) for p in raw.allow_patterns]
        # key (casefolded) → None for an allowed phrase, else (suggestion,)
        lookup: dict[str, tuple[str | None] | None] = {}
        for w, s in self.words.items():
            lookup[w.casefold()] = (s,)
        for a in self.allow:
            lookup[a.casefold()] = None
        self._lookup = lookup
        originals = list(dict.fromkeys([*self.words, *self.allow]))
        latin = [w for w in originals if _LATIN.search(w)]
        plain = [w for w in originals if not _LATIN.search(w)]
        alts = _latin_regexes(latin)
        if plain:
            alts.append(_trie_regex(plain))
        parts = []
        if alts:
            parts.append("(?P<_w>" + "|".join(alts) + ")")
        self._pattern_sugg: dict[str, str | None] = {}
        pattern_parts = []
        for i, (p, s) in enumerate(self.patterns):
            pattern_parts.append(f"(?P<_p{i}>{p})")
            self._pattern_sugg[f"_p{i}"] = s
        # the plain alternation (kept for tests: the scanners must find the same hits)
        self.pattern = "|".join(parts + pattern_parts)
        # the first characters of the words are known without parsing the trie
        firsts = {w[0] for w in plain} | {c for w in latin for c in (w[0].lower(), w[0].upper())}
        self._word_branch = (parts[0], sorted((ord(c), ord(c)) for c in firsts)) if parts else None
        self._pattern_parts = pattern_parts

    @cached_property
    def _scanner(self) -> re.Pattern[str] | None:
        # Compiled on first scan: a run that never uses a list never pays for it.
        branches: list[tuple[str, list[tuple[int, int]] | None]] = [self._word_branch] if self._word_branch else []
        branches += [(p, first_chars(p)) for p in self._pattern_parts]
        if not branches:
            return None
        return _fast_scanner(branches, gated=len(self._pattern_parts) >= _GATE_PATTERNS)

    def raw_hits(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[tuple[int, int, str]]:
        """(start, end, group) of every match of the list, allowed phrases included,
        leftmost first and never overlapping: what one scan with ``pattern`` finds."""
        rx = self._scanner
        if rx is None:
            return
        last_end = -1
        for m in rx.finditer(text, pos, len(text) if endpos is None else endpos):
            g = m.lastgroup or ""
            start, end = m.span(g)
            if start < last_end or end == start:
                continue  # inside the previous hit (see _fast_scanner), or empty
            last_end = end
            yield start, end, g

    def applies_to(self, kind: str) -> bool:
        return self.kinds is None or kind in self.kinds

    def allowed_text(self, s: str) -> bool:
        """Whether a hit's own text matches one of the list's allow patterns."""
        return any(p.search(s) for p in self._allow_rx)

    def scan(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[Hit]:
        """Every hit of the list in ``text``, left to right, never overlapping."""
        lookup, psugg, allow_rx = self._lookup, self._pattern_sugg, self._allow_rx
        for start, end, g in self.raw_hits(text, pos, endpos):
            s = text[start:end]
            if g == "_w":
                entry = lookup.get(s.casefold())
                if entry is None:
                    continue  # an allowed phrase
                sugg = entry[0]
            else:
                sugg = psugg.get(g or "")
            if allow_rx and any(p.search(s) for p in allow_rx):
                continue
            yield Hit(start, end, s, sugg)


class Lexicon:
    """All word lists, merged from the bundled files and an organisation's own."""

    def __init__(self, lists: dict[str, WordList]):
        self._lists = lists

    def __getitem__(self, name: str) -> WordList:
        return self._lists[name]

    def __contains__(self, name: str) -> bool:
        return name in self._lists

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._lists)


def _read_yaml(path: Path) -> Any:
    return load_data_file(path, "词表文件")


def _merge_file(into: dict[str, _Raw], path: Path, data: Any, *, bundled: bool) -> None:
    if data is None:
        return
    if not isinstance(data, dict):
        raise InputError(f"词表文件 {path} 的顶层应为“词表名: 内容”的映射", path=str(path))
    problems = []
    for name, body in data.items():
        if not isinstance(name, str):
            problems.append(f"词表名应为字符串：{name!r}")
            continue
        if not bundled and name not in into:
            problems.append(f"未知的词表名“{name}”（可用：{'、'.join(sorted(into))}）")
            continue
        try:
            _merge_body(into.setdefault(name, _Raw()), name, body, trusted=bundled)
        except _Bad as exc:
            problems.append(str(exc))
    if problems:
        raise InputError(f"词表文件 {path} 有误：{problems[0]}", path=str(path), problems=problems)


@cache
def _bundled() -> dict[str, _Raw]:
    lists: dict[str, _Raw] = {}
    for path in sorted(data_file("lexicon").glob("*.yaml")):
        _merge_file(lists, path, _read_yaml(path), bundled=True)
    return lists


def _copy(raw: _Raw) -> _Raw:
    return _Raw(
        words=dict(raw.words), allow=list(raw.allow), patterns=list(raw.patterns),
        allow_patterns=list(raw.allow_patterns), skip_in_quotes=raw.skip_in_quotes,
        kinds=raw.kinds, suspects={k: list(v) for k, v in raw.suspects.items()},
    )


@cache
def _merged(keys: tuple[tuple[str, int, int], ...]) -> Lexicon:
    lists = {name: _copy(raw) for name, raw in _bundled().items()}
    for path, _, _ in keys:
        p = Path(path)
        data = _read_yaml(p)
        if is_kind_file(data):
            continue  # a kind file, read by drafter._kinds
        _merge_file(lists, p, data, bundled=False)
    known = kinds(key for key, _, _ in keys)
    for name, raw in lists.items():
        unknown = [k for k in raw.kinds or () if k not in known]
        if unknown:
            raise InputError(f"词表 {name} 的 kinds 含未知的文种：{'、'.join(unknown)}"
                             f"（可用：{'、'.join(known)}）")
    return Lexicon({name: WordList(name, raw) for name, raw in lists.items()})


def lexicon(extra: Iterable[str | os.PathLike[str]] = ()) -> Lexicon:
    """The bundled lists merged with ``extra`` files (in order). Compiled once per set
    of files; an edited extra file (new mtime or size) is read again."""
    keys = []
    for path in extra:
        p = Path(path)
        try:
            st = p.stat()
        except FileNotFoundError:
            raise InputError(f"找不到词表文件：{p}", path=str(p)) from None
        except OSError as exc:
            raise InputError(f"无法读取词表文件 {p}：{exc.strerror or exc}", path=str(p)) from None
        if not p.is_file():
            raise InputError(f"词表文件 {p} 不是普通文件", path=str(p))
        keys.append((str(p), st.st_mtime_ns, st.st_size))
    return _merged(tuple(keys))


class ExemptSpans:
    """Quotations and titles (“…” 「…」 『…』 《…》) of one text, within a line:
    names of campaigns, cited slogans and document titles are not the writer's own
    wording, so register lists with ``skip_in_quotes`` ignore hits inside them."""

    _RX = re.compile(r"“[^“”\n]*”|「[^「」\n]*」|『[^『』\n]*』|《[^《》\n]*》")

    def __init__(self, text: str):
        spans = sorted((m.start(), m.end()) for m in self._RX.finditer(text))
        merged: list[list[int]] = []
        for s, e in spans:
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self._starts = [s for s, _ in merged]
        self._ends = [e for _, e in merged]

    def covers(self, start: int, end: int) -> bool:
        i = bisect_right(self._starts, start) - 1
        return i >= 0 and self._ends[i] >= end
