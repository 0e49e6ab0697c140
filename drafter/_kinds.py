"""Document kinds as data: how to recognise each kind, its structure rules, its
register profile (what is normal in that kind), how its figures are judged, and —
for a kind drafter drafts — how it is drafted (:mod:`drafter._drafting`).

One file per kind, ``drafter/data/kinds/<id>.yaml``; the format is described in
``drafter/data/kinds/generic.yaml`` and in the README. A kind file may start from
another kind (``base: report``): its ``structure``, ``register``, ``hygiene`` and
``numbers`` blocks are merged over the base's (mappings key by key, lists and scalars replaced,
``~`` switches a block off). ``detect`` and ``drafting`` are never inherited: a kind
is recognised by its own titles, and is draftable only when it says how.

An organisation adds or changes kinds with the same files, passed with
``--lexicon FILE`` (a file whose top level has ``kind:`` is a kind file, any other
is a word list). A file naming a bundled kind is merged over it the same way; a new
kind needs ``name`` and usually ``base``.

Public API: :func:`kind_ids`, :func:`get_kind`, :func:`detect_kind`,
:func:`resolve_kind` and :class:`Kind`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any


from ._drafting import Drafting, DraftingError
from ._drafting import build as build_drafting
from ._errors import InputError
from ._frame import Frame
from ._headings import ORDINAL_FORMS
from ._resources import data_file
from ._yaml import load_data_file

GENERIC = "generic"
SEVERITIES = ("error", "warning", "off")
_FAMILY_PREFIX = {"register": "R", "hygiene": "H", "structure": "S"}
_ID = re.compile(r"[a-z][a-z0-9_]{1,39}")

# --- schema of a kind file ---------------------------------------------------------------
# A schema is: a type (str, int, bool), REGEX (a str that compiles), [schema] (a list
# of it), {key: schema} (a mapping with only these keys), SEVERITY_MAP, or ANY.

REGEX = "regex"
SEVERITY_MAP = "severity map"
ANY = "any"


class OneOf(tuple):
    """A schema: any one of these schemas (a title is a string or a list of forms)."""

    def __new__(cls, *schemas: Any) -> OneOf:
        return super().__new__(cls, schemas)

_PATTERNS = [REGEX]
_STRUCTURE = {
    "line_prefix": REGEX,
    "ordinals": [{"numeral": str, "bracketed": bool, "mark": str, "also_accept": [str], "form": str,
                  "optional": bool}],
    "section_breaks": _PATTERNS,
    "annex": _PATTERNS,
    "unnumbered_headings": [str],
    "title": {"max_length": int, "must_contain_any": [str], "name": str},
    "salutation": {"patterns": _PATTERNS, "example": str},
    "addressee": {"max_length": int, "example": str},
    "opening": {"addressee_max_length": int, "required": [{"what": str, "patterns": _PATTERNS, "example": str}]},
    "headings": {"parallel_pattern": REGEX, "parallel_form": str, "min_parallel": int},
    "closing": {"section_keywords": [str], "shortcoming_headings": [str], "plan_headings": [str],
                "paragraphs": int, "formulaic": [str], "shortcomings": _PATTERNS, "plans": _PATTERNS,
                "formula": {"patterns": _PATTERNS, "example": str}},
    "severity": SEVERITY_MAP,
}
_REGISTER = {
    "severity": SEVERITY_MAP,
    "exclamation": {"allow_patterns": _PATTERNS, "allow_last_paragraphs": int},
    "first_person": {"allow_when": _PATTERNS},
}
_HYGIENE = {"severity": SEVERITY_MAP}
_NUMBERS = {"all_planned": bool}
_FORMULA_ENTRY = {"when": str, "form": str}
_DRAFTING = {  # typed and explained in drafter/_drafting.py
    "title": OneOf(str, [_FORMULA_ENTRY]),
    "inputs": {"required": [str], "forbidden": [str]},
    "heading": {"joiner": str, "parts": [{"field": str, "form": str, "optional": bool,
                                          "variants": [{"when": REGEX, "form": str}]}]},
    "frame": {"wrapper": str, "sections": int, "run_in": bool, "points": int, "closing": [str]},
}
_KIND_FILE = {
    "kind": str,
    "name": str,
    "description": str,
    "base": str,
    "detect": {"priority": int, "titles": _PATTERNS, "body": _PATTERNS},
    "structure": _STRUCTURE,
    "register": _REGISTER,
    "hygiene": _HYGIENE,
    "numbers": _NUMBERS,
    # How the kind is drafted (drafter/_drafting.py); never inherited.
    "drafting": _DRAFTING,
}
_INHERITED = ("structure", "register", "hygiene", "numbers")
_TYPE_CN = {str: "字符串", int: "整数", bool: "true 或 false"}


class _Bad(Exception):
    pass


def _check(value: Any, schema: Any, where: str) -> None:
    if value is None:
        return  # ~ : not set (in a block: switched off)
    if schema is ANY:
        return
    if isinstance(schema, OneOf):
        problems = []
        for option in schema:
            try:
                _check(value, option, where)
                return
            except _Bad as exc:
                problems.append(str(exc))
        raise _Bad("；或".join(problems))
    if schema is REGEX:
        if not isinstance(value, str):
            raise _Bad(f"{where} 应为正则表达式字符串")
        try:
            re.compile(value)
        except re.error as exc:
            raise _Bad(f"{where} “{value}” 不是有效的正则表达式（{exc}）") from None
        return
    if schema is SEVERITY_MAP:
        if not isinstance(value, dict):
            raise _Bad(f"{where} 应为“规则代码: error/warning/off”的映射")
        for code, sev in value.items():
            if not isinstance(code, str) or not re.fullmatch(r"[RHS]\d{3}", code):
                raise _Bad(f"{where} 中的规则代码“{code}”无效（语体 R…、文面 H…、结构 S…）")
            if sev is not False and sev not in SEVERITIES:  # YAML reads a bare off as false
                raise _Bad(f"{where}.{code} 应为 error、warning 或 off，而不是“{sev}”")
        return
    if isinstance(schema, list):
        if not isinstance(value, list):
            raise _Bad(f"{where} 应为列表")
        for i, item in enumerate(value):
            if item is None:
                raise _Bad(f"{where}[{i}] 不能为空")
            _check(item, schema[0], f"{where}[{i}]")
        return
    if isinstance(schema, dict):
        if not isinstance(value, dict):
            raise _Bad(f"{where} 应为映射")
        unknown = sorted(str(k) for k in value if k not in schema)
        if unknown:
            raise _Bad(f"{where or '顶层'}含未知的键：{'、'.join(unknown)}（可用：{'、'.join(schema)}）")
        for k, v in value.items():
            _check(v, schema[k], f"{where}.{k}" if where else k)
        return
    if schema is int and isinstance(value, bool) or not isinstance(value, schema):
        raise _Bad(f"{where} 应为{_TYPE_CN[schema]}")


# --- the Kind ---------------------------------------------------------------------------


@dataclass(eq=False)
class Kind:
    """One document kind, merged over its base. Compare kinds by ``id``."""

    id: str
    name: str
    description: str = ""
    base: str | None = None
    priority: int = 0
    titles: tuple[re.Pattern[str], ...] = ()
    body: tuple[re.Pattern[str], ...] = ()
    structure: dict[str, Any] = field(default_factory=dict)
    register: dict[str, Any] = field(default_factory=dict)
    hygiene: dict[str, Any] = field(default_factory=dict)
    numbers: dict[str, Any] = field(default_factory=dict)
    drafting: Drafting | None = None
    drafting_digest: str = ""
    sources: tuple[str, ...] = ()
    _severity: dict[str, str] = field(default_factory=dict, repr=False)

    def severity(self, code: str, default: str) -> str:
        """The severity of rule ``code`` in this kind: error, warning or off."""
        return self._severity.get(code, default)

    @property
    def severities(self) -> dict[str, str]:
        """The rules whose severity this kind sets (code → error, warning or off)."""
        return self._severity

    @property
    def draftable(self) -> bool:
        return self.drafting is not None

    @property
    def all_planned(self) -> bool:
        """Every figure of the kind is a target (工作要点): a fact is never stated as done."""
        return bool(self.numbers.get("all_planned"))

    def frame_for(self, values: dict[str, object]) -> Frame:
        """Where a draft's parts stand (drafter._frame), for a spec's formula values."""
        if self.drafting is None:
            raise InputError(f"文种“{self.name}”（{self.id}）不能起草")
        forms = tuple(o.get("form") or "" for o in self.structure.get("ordinals") or ()) or ORDINAL_FORMS
        return self.drafting.frame_for(values, forms)

    def __repr__(self) -> str:
        return f"Kind({self.id!r}, {self.name!r})"


@dataclass(frozen=True)
class KindChoice:
    """Which kind a text is judged as, and why. ``source``: option (given by the
    caller), input (the spec's kind), title, body, or default (nothing recognised)."""

    kind: Kind
    source: str
    evidence: str = ""

    @property
    def how(self) -> str:
        if self.source == "option":
            return "按指定的文种"
        if self.source == "input":
            return "按输入文件的文种"
        if self.source == "title":
            return f"依据标题“{self.evidence}”判定"
        if self.source == "body":
            return f"依据正文中的“{self.evidence}”判定"
        return "未识别出文种，按通用文稿检查（可用 --kind 指定）"


# --- loading ----------------------------------------------------------------------------


def _read(path: Path) -> Any:
    return load_data_file(path, "文种文件")


def is_kind_file(data: Any) -> bool:
    """Whether parsed YAML is a kind file (top-level ``kind:``) rather than a word list."""
    return isinstance(data, dict) and "kind" in data and not isinstance(data.get("kind"), dict)


def _validated(path: Path, data: Any) -> dict[str, Any]:
    try:
        if not isinstance(data, dict):
            raise _Bad("顶层应为映射（kind、name、detect、structure、register 等）")
        _check(data, _KIND_FILE, "")
        kid = data.get("kind")
        if not isinstance(kid, str) or not _ID.fullmatch(kid):
            raise _Bad(f"kind 应为小写英文标识（如 work_summary），而不是“{kid}”")
    except _Bad as exc:
        raise InputError(f"文种文件 {path} 有误：{exc}", path=str(path)) from None
    return data


def _merge(base: Any, over: Any) -> Any:
    """Mappings merge key by key; anything else (lists, scalars, ~) replaces."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = _merge(base.get(k), v) if k in base else v
        return out
    return over


def _digest(data: Any) -> str:
    import hashlib
    import json

    text = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _severity_of(blocks: Iterable[tuple[str, Any]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for family, block in blocks:
        for code, sev in ((block or {}).get("severity") or {}).items():
            if not code.startswith(_FAMILY_PREFIX[family]):
                prefix = _FAMILY_PREFIX[family]
                raise _Bad(f"{family}.severity 只能设置{family}类规则（{prefix}…），“{code}”不属于此类")
            out[code] = "off" if sev is False else sev
    return out


def _build(raw: dict[str, dict[str, Any]], sources: dict[str, list[str]]) -> dict[str, Kind]:
    resolved: dict[str, dict[str, Any]] = {}

    def resolve(kid: str, chain: tuple[str, ...]) -> dict[str, Any]:
        if kid in resolved:
            return resolved[kid]
        if kid in chain:
            raise InputError(f"文种 {kid} 的 base 形成循环：{' → '.join((*chain, kid))}",
                             path=sources[kid][-1])
        body = raw[kid]
        base_id = body.get("base")
        merged: dict[str, Any] = {}
        if base_id:
            if base_id not in raw:
                raise InputError(f"文种文件 {sources[kid][-1]} 有误：base“{base_id}”不是已知的文种"
                                 f"（可用：{'、'.join(sorted(raw))}）", path=sources[kid][-1])
            parent = resolve(base_id, (*chain, kid))
            merged = {k: parent[k] for k in _INHERITED if k in parent}
        for k, v in body.items():
            merged[k] = _merge(merged.get(k), v) if k in _INHERITED else v
        resolved[kid] = merged
        return merged

    kinds: dict[str, Kind] = {}
    for kid in raw:
        body = resolve(kid, ())
        if not body.get("name"):
            raise InputError(f"文种文件 {sources[kid][-1]} 有误：新文种 {kid} 需要 name（中文名称）",
                             path=sources[kid][-1])
        detect = body.get("detect") or {}
        try:
            severity = _severity_of((f, body.get(f)) for f in _INHERITED)
        except _Bad as exc:
            raise InputError(f"文种文件 {sources[kid][-1]} 有误：{exc}", path=sources[kid][-1]) from None
        try:
            drafting = build_drafting(body["drafting"]) if body.get("drafting") else None
        except DraftingError as exc:
            raise InputError(f"文种文件 {sources[kid][-1]} 有误：{exc}", path=sources[kid][-1]) from None
        kinds[kid] = Kind(
            id=kid, name=body["name"], description=body.get("description") or "", base=body.get("base"),
            priority=int(detect.get("priority") or 0),
            titles=tuple(re.compile(p) for p in detect.get("titles") or ()),
            body=tuple(re.compile(p, re.M) for p in detect.get("body") or ()),
            structure=body.get("structure") or {}, register=body.get("register") or {},
            hygiene=body.get("hygiene") or {}, numbers=body.get("numbers") or {}, drafting=drafting,
            drafting_digest=_digest(body.get("drafting")) if drafting else "",
            sources=tuple(sources[kid]), _severity=severity,
        )
    if GENERIC not in kinds:
        raise InputError("缺少通用文种 generic 的文种文件")
    return kinds


@cache
def _bundled_raw() -> tuple[dict[str, dict[str, Any]], dict[str, list[str]]]:
    raw: dict[str, dict[str, Any]] = {}
    sources: dict[str, list[str]] = {}
    for path in sorted(data_file("kinds").glob("*.yaml")):
        data = _validated(path, _read(path))
        if data["kind"] != path.stem:
            raise InputError(f"文种文件 {path} 的 kind 应与文件名一致（{path.stem}）", path=str(path))
        raw[data["kind"]] = data
        sources[data["kind"]] = [str(path)]
    return raw, sources


@cache
def _registry(keys: tuple[tuple[str, int, int], ...]) -> dict[str, Kind]:
    bundled, bsources = _bundled_raw()
    raw = {k: dict(v) for k, v in bundled.items()}
    sources = {k: list(v) for k, v in bsources.items()}
    for path, _, _ in keys:
        p = Path(path)
        data = _validated(p, _read(p))
        kid = data["kind"]
        if kid in raw:
            raw[kid] = _merge(raw[kid], data)
            sources[kid].append(str(p))
        else:
            raw[kid] = data
            sources[kid] = [str(p)]
    return _build(raw, sources)


def _kind_files(extra: Iterable[str | os.PathLike[str]]) -> tuple[tuple[str, int, int], ...]:
    """The extra files that are kind files, keyed for the cache (path, mtime, size)."""
    keys = []
    for path in extra:
        p = Path(path)
        try:
            st = p.stat()
        except OSError:
            continue  # the word-list loader reports missing files
        key = (str(p), st.st_mtime_ns, st.st_size)
        if _is_kind_path(key):
            keys.append(key)
    return tuple(keys)


@cache
def _is_kind_path(key: tuple[str, int, int]) -> bool:
    try:
        return is_kind_file(_read(Path(key[0])))
    except InputError:
        return False  # reported by the word-list loader


def kinds(extra: Iterable[str | os.PathLike[str]] = ()) -> dict[str, Kind]:
    """Every kind by id: the bundled ones merged with the kind files among ``extra``."""
    return _registry(_kind_files(extra))


def kind_ids(extra: Iterable[str | os.PathLike[str]] = ()) -> tuple[str, ...]:
    """The ids of every kind, generic last."""
    reg = kinds(extra)
    return tuple(sorted((k for k in reg if k != GENERIC), key=lambda k: (-reg[k].priority, k))) + (GENERIC,)


def get_kind(kind_id: str, extra: Iterable[str | os.PathLike[str]] = ()) -> Kind:
    """The kind ``kind_id``; an unknown id is an InputError listing the known ones."""
    reg = kinds(extra)
    try:
        return reg[kind_id]
    except KeyError:
        names = "、".join(f"{k}（{reg[k].name}）" for k in kind_ids(extra))
        raise InputError(f"未知的文种“{kind_id}”；可用：{names}") from None


# --- detection --------------------------------------------------------------------------


@cache
def _detection() -> dict[str, Any]:
    data = _read(data_file("detection.yaml")) or {}
    return {
        "max_lines": int(data.get("max_lines", 15)),
        "max_title_length": int(data.get("max_title_length", 80)),
        "body_chars": int(data.get("body_chars", 3000)),
        "skip": re.compile("|".join(f"(?:{p})" for p in data.get("skip_lines", [])) or r"(?!)"),
        "strip": [re.compile(p) for p in data.get("strip", [])],
        "unwrap": [re.compile(p) for p in data.get("unwrap", [])],
        "not_title": re.compile("|".join(f"(?:{p})" for p in data.get("not_title", [])) or r"(?!)"),
        "in_line": [re.compile(p) for p in data.get("title_in_line", [])],
    }


def is_page_furniture(line: str) -> bool:
    """Whether a line is page junk, a 发文机关 header, a 文号 or a date: never a title
    (the ``skip_lines`` of ``drafter/data/detection.yaml``)."""
    return bool(_detection()["skip"].search(line.strip()))


def unwrapped(line: str) -> str:
    """A line without the decoration a document library adds around a title
    (……自查报告范文（精选6篇） → ……自查报告; ``unwrap`` in detection.yaml)."""
    line = line.strip()
    for rx in _detection()["unwrap"]:
        line = rx.sub("", line).strip()
    return line


_NOT_TITLE = re.compile(r"[，。；,;]|[：:].")  # a sentence, or a label with a value
_CJK_SPACED = re.compile(r"(?<=[\u4e00-\u9fff])[ \t\u3000]+(?=[\u4e00-\u9fff])")


def _title_candidates(text: str) -> list[str]:
    """Normalised lines that may be the title: the first lines of the text that are
    not page junk, with Markdown marks, letter-spacing and trailing notes removed."""
    det = _detection()
    out: list[str] = []
    seen = 0
    for raw_line in text[:6000].split("\n"):
        line = raw_line.strip()
        if not line:
            continue
        seen += 1
        if seen > det["max_lines"]:
            break
        line = unwrapped(line)
        if det["skip"].search(line) or det["not_title"].match(line):
            continue
        line = _normalised(line, det)
        if line and len(line) <= det["max_title_length"] and not _NOT_TITLE.search(line):
            out.append(line)
        else:
            out += [t for t in _titles_in_line(raw_line.strip(), det) if t]
    return out


def _normalised(line: str, det: dict[str, Any]) -> str:
    for rx in det["strip"]:
        line = rx.sub("", line)
    return _CJK_SPACED.sub("", line).strip().rstrip("。，；.,;")


def _titles_in_line(line: str, det: dict[str, Any]) -> list[str]:
    """A title that stands at the start of a longer line (【……报告】为……, 标题：……)."""
    out = []
    for rx in det["in_line"]:
        m = rx.search(line)
        if m:
            out.append(_normalised(m.group(1), det))
    return out


def _by_priority(reg: dict[str, Kind]) -> list[Kind]:
    return sorted((k for k in reg.values() if k.id != GENERIC), key=lambda k: (-k.priority, k.id))


def detect(text: str, extra: Iterable[str | os.PathLike[str]] = ()) -> KindChoice:
    """The kind of ``text`` by its title (the first title-like line, possibly broken
    over two lines, after any page junk, 发文机关 header, 文号 or Markdown mark), else
    by formulas of its body, else generic."""
    reg = kinds(extra)
    ordered = _by_priority(reg)
    cands = _title_candidates(text)
    for i, line in enumerate(cands):
        tries = [line] + ([line + cands[i + 1]] if i + 1 < len(cands) else [])
        for candidate in tries:
            for kind in ordered:
                if any(rx.search(candidate) for rx in kind.titles):
                    return KindChoice(kind, "title", candidate)
    n = _detection()["body_chars"]
    head, tail = text[:n], text[-n:] if len(text) > n else ""
    for kind in ordered:
        for rx in kind.body:
            m = rx.search(head) or (rx.search(tail) if tail else None)
            if m:
                return KindChoice(kind, "body", m.group().strip())
    return KindChoice(reg[GENERIC], "default")


def detect_kind(text: str, extra: Iterable[str | os.PathLike[str]] = ()) -> tuple[Kind, str]:
    """(kind, how it was recognised, in Chinese) for ``text``."""
    choice = detect(text, extra)
    return choice.kind, choice.how


def resolve_kind(
    text: str, kind: str | None = None, spec_kind: str | None = None,
    extra: Iterable[str | os.PathLike[str]] = (),
) -> KindChoice:
    """The kind a check uses: the one asked for, else the spec's, else detected."""
    if kind:
        return KindChoice(get_kind(kind, extra), "option")
    if spec_kind:
        return KindChoice(get_kind(spec_kind, extra), "input")
    return detect(text, extra)
