"""Confidentiality guard: nothing marked classified, and no personal data, leaves the
machine for an endpoint that is not on loopback unless the user approved that endpoint.

What is scanned: everything that would leave. Up front, before any part is written,
every string field of the spec (by field path) and, for a regeneration, the user's
instruction (修改要求) and the part's current text (当前正文, a hand edit included);
then, at the point where a request leaves (:meth:`drafter._llm.OpenAIWriter.complete`),
every message of that request — revision findings, the model's previous draft and the
prompt templates included. So every route (``draft``, ``regen``, the session's
``regen N 要求``, the Python API, a bare ``OpenAIWriter``) is covered.

What counts as a hit. Each text is normalised first: NFKC (full-width digits and
letters become ASCII), format characters dropped (zero-width space/joiner, BOM, soft
hyphen), every kind of space and line break read as a space. Then:

- 密级标志: 绝密, 机密, 秘密 (also the traditional 絕密, 機密, 祕密), with up to three
  spaces, line breaks, dashes, dots or similar joiners between the two characters
  ("绝 密", "机-密", "机·密", "秘\\n密"), and the star ★ that joins a classification to
  its period (机密★5年). The rule is deliberately blunt: a mention in prose
  ("保守国家秘密", "机密载体管理") is a hit too, because the guard cannot tell a
  marking from a mention reliably and sending a real marking out is the costly
  mistake. Such prose needs the endpoint approved once.
- 身份证号: an 18-character resident ID (17 digits + a digit or X) whose birth date is
  a plausible date and whose GB 11643-1999 check character is right; and a 15-digit
  first-generation ID whose birth date (YYMMDD) is plausible.
- 手机号: a mainland mobile number 1[3-9]x xxxx xxxx, optionally after +86/86/0086.

IDs and mobiles are found in groups of digits joined by up to three spaces, hyphens or
dots ("1380 013 8000", "138.0013.8000", "110105-19491231-002X"), whatever letters stand
before them ("ID110105…"); a hit is always made of whole groups, so a number inside a
longer run of digits (an account number, a serial) is not one.

Excerpts never show a whole ID or mobile number: every such value in an excerpt is
masked to its first three and last two digits.

Routes. Loopback endpoints (127.0.0.0/8, ::1, localhost) are always allowed: the input
does not leave the machine. That holds because the model client (``drafter._llm``)
reaches a loopback endpoint directly — it ignores HTTP_PROXY/HTTPS_PROXY/ALL_PROXY (and
their lower-case forms) for it, since a proxy would carry the prompt off the machine —
and it never follows a redirect to another host. For any other endpoint the
environment's proxy settings apply as usual, and anything with hits raises
:class:`ConfidentialityError` before a connection is attempted, unless approved (CLI
``--allow-confidential``, Python ``allow_confidential=True``).
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Iterator, Mapping
from urllib.parse import urlsplit, urlunsplit

from ._errors import ConfidentialityError

__all__ = [
    "GuardHit",
    "guard",
    "guard_messages",
    "is_loopback",
    "safe_url",
    "scan_fields",
    "scan_messages",
    "scan_spec",
    "scan_text",
]

KIND_MARKING = "密级标志"
KIND_ID = "身份证号"
KIND_MOBILE = "手机号"

# Joiners that may stand between the two characters of a marking (after normalisation).
_JOINERS = r"[\s\-‐‑‒–—―−·・‧•∙⋅.*/\\|~_]"
_MARKING_RE = re.compile(rf"[绝絕机機秘祕]{_JOINERS}{{0,3}}密|★")
_GROUP_RE = re.compile(r"[0-9]+(?:[Xx](?![A-Za-z]))?")
_GROUP_SEP_RE = re.compile(r"[ \-‐‑‒–—−.·]{1,3}")
_MOBILE_RE = re.compile(r"(?:0086|86)?1[3-9][0-9]{9}")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

_EXCERPT_RADIUS = 12
_MAX_LISTED = 20


@dataclass(frozen=True)
class GuardHit:
    """One field that holds a classification marking or personal data.

    ``path`` names where: a field path in the spec (``sections[2].facts[4].text``),
    ``修改要求``, ``当前正文（id）`` or a request message (``messages[3]（user）``);
    ``kind`` one of 密级标志 / 身份证号 / 手机号, ``excerpt`` the text around the first
    occurrence with every ID and mobile number masked, ``count`` the occurrences of that
    kind in the field.
    """

    path: str
    kind: str
    excerpt: str
    count: int = 1

    def __str__(self) -> str:
        more = f"，共 {self.count} 处" if self.count > 1 else ""
        return f"{self.path}：{self.kind}（“{self.excerpt}”{more}）"


# ------------------------------------------------------------------ normalising
def _normalise(text: str) -> tuple[str, list[int]]:
    """``text`` in NFKC with format characters dropped and every space or line break
    read as " ", and for each character of the result the index it came from."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch.isascii():
            out.append(" " if ch.isspace() else ch)
            where.append(i)
            continue
        if unicodedata.category(ch) == "Cf":
            continue
        for c in unicodedata.normalize("NFKC", ch):
            out.append(" " if c.isspace() or unicodedata.category(c) in ("Zs", "Zl", "Zp") else c)
            where.append(i)
    return "".join(out), where


# ------------------------------------------------------------------ personal data
def _valid_date(year: int, month: int, day: int) -> bool:
    try:
        d = date(year, month, day)
    except ValueError:
        return False
    return date(1900, 1, 1) <= d <= date.today()


def _valid_id18(s: str) -> bool:
    if not _valid_date(int(s[6:10]), int(s[10:12]), int(s[12:14])):
        return False
    total = sum(int(c) * w for c, w in zip(s[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == s[17].upper()


def _valid_id15(s: str) -> bool:
    return _valid_date(1900 + int(s[6:8]), int(s[8:10]), int(s[10:12]))


def _kind_of(digits: str) -> str | None:
    """What a run of whole digit groups (separators removed) is, if anything."""
    if len(digits) == 18 and digits[:17].isdigit() and (digits[17].isdigit() or digits[17] in "Xx"):
        return KIND_ID if _valid_id18(digits) else None
    if not digits.isdigit():
        return None
    if len(digits) == 15 and _valid_id15(digits):
        return KIND_ID
    if _MOBILE_RE.fullmatch(digits):
        return KIND_MOBILE
    return None


def _chains(norm: str) -> Iterator[list[re.Match[str]]]:
    """Digit groups joined by separators only, as lists of matches."""
    chain: list[re.Match[str]] = []
    for m in _GROUP_RE.finditer(norm):
        if chain and not _GROUP_SEP_RE.fullmatch(norm, chain[-1].end(), m.start()):
            yield chain
            chain = []
        if chain and chain[-1].group().upper().endswith("X"):
            yield chain  # an X ends an ID: nothing continues past it
            chain = []
        chain.append(m)
    if chain:
        yield chain


def _personal_spans(norm: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) in ``norm`` of every ID and mobile number."""
    found: list[tuple[int, int, str]] = []
    for chain in _chains(norm):
        for i in range(len(chain)):
            digits = ""
            for j in range(i, len(chain)):
                digits += chain[j].group()
                if len(digits) > 18:
                    break
                kind = _kind_of(digits)
                if kind:
                    found.append((chain[i].start(), chain[j].end(), kind))
    # IDs before mobiles, longer before shorter; no two hits overlap.
    found.sort(key=lambda s: (s[2] != KIND_ID, -(s[1] - s[0]), s[0]))
    spans: list[tuple[int, int, str]] = []
    for s, e, kind in found:
        if all(e <= s2 or s >= e2 for s2, e2, _ in spans):
            spans.append((s, e, kind))
    return sorted(spans)


# ------------------------------------------------------------------ excerpts
def _is_masked_char(c: str) -> bool:
    return c.isdigit() or c in "XxＸｘ"


def _mask(value: str) -> str:
    """Keep the first three and last two digits; every other digit (or X) becomes *."""
    positions = [i for i, c in enumerate(value) if _is_masked_char(c)]
    hide = set(positions[3:-2])
    return "".join("*" if i in hide else c for i, c in enumerate(value))


def _masked(text: str, spans: list[tuple[int, int, str]]) -> str:
    """``text`` with every span masked; the length is unchanged, so offsets still hold."""
    out = text
    for s, e, _ in spans:
        out = out[:s] + _mask(out[s:e]) + out[e:]
    return out


def _excerpt(masked: str, start: int, end: int) -> str:
    lo = max(0, start - _EXCERPT_RADIUS)
    hi = min(len(masked), end + _EXCERPT_RADIUS)
    visible = "".join(c for c in masked[lo:hi] if c.isascii() or unicodedata.category(c) != "Cf")
    text = " ".join(visible.split())
    return ("…" if lo > 0 else "") + text + ("…" if hi < len(masked) else "")


# ------------------------------------------------------------------ scanning
def scan_text(text: str, path: str = "") -> list[GuardHit]:
    """The hits in one string, one per kind (first occurrence, with a count)."""
    norm, where = _normalise(text)

    def original(s: int, e: int) -> tuple[int, int]:
        return where[s], where[e - 1] + 1

    spans = [(*original(s, e), kind) for s, e, kind in _personal_spans(norm)]
    found: dict[str, list[tuple[int, int]]] = {}
    for m in _MARKING_RE.finditer(norm):
        found.setdefault(KIND_MARKING, []).append(original(m.start(), m.end()))
    for s, e, kind in spans:
        found.setdefault(kind, []).append((s, e))
    if not found:
        return []
    masked = _masked(text, spans)
    hits = []
    for kind in (KIND_MARKING, KIND_ID, KIND_MOBILE):
        if kind in found:
            s, e = found[kind][0]
            hits.append(GuardHit(path=path, kind=kind, excerpt=_excerpt(masked, s, e), count=len(found[kind])))
    return hits


def _walk(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for k, v in value.items():
            yield from _walk(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from _walk(v, f"{path}[{i}]")


def scan_spec(report: Any) -> list[GuardHit]:
    """Every classification marking and personal datum in a spec, by field path.

    ``report`` is a :class:`~drafter._spec.Report` (any pydantic model) or a plain dict.
    """
    data = report.model_dump() if hasattr(report, "model_dump") else report
    hits: list[GuardHit] = []
    for path, text in _walk(data, ""):
        hits.extend(scan_text(text, path))
    return hits


def scan_fields(fields: Mapping[str, str | None]) -> list[GuardHit]:
    """The hits in named texts (``{"修改要求": "…", "当前正文（team）": "…"}``)."""
    hits: list[GuardHit] = []
    for name, text in fields.items():
        if text:
            hits.extend(scan_text(text, name))
    return hits


def scan_messages(messages: Iterable[Mapping[str, Any]]) -> list[GuardHit]:
    """The hits in chat messages, each named ``messages[i]（role）``; content given as a
    list of parts is scanned part by part."""
    hits: list[GuardHit] = []
    for i, message in enumerate(messages):
        name = f"messages[{i}]（{message.get('role', '?')}）"
        for _, text in _walk(message.get("content"), ""):
            hits.extend(scan_text(text, name))
    return hits


# ------------------------------------------------------------------ routes
def is_loopback(base_url: str | None) -> bool:
    """True when ``base_url`` points at this machine: 127.0.0.0/8, ::1 or localhost.

    None (the SDK's default, a public endpoint) and unparsable URLs are not loopback.
    """
    if not base_url or not base_url.strip():
        return False
    url = base_url.strip()
    if "://" not in url:
        url = "http://" + url
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return False
    if not host:
        return False
    host = host.rstrip(".").lower()
    if host == "localhost":
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def safe_url(url: str) -> str:
    """``url`` as it may be shown: without user:password and without a query string
    (tokens hide there)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "<无效地址>"
    if ":" in host:
        host = f"[{host}]"
    if port:
        host = f"{host}:{port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


# ------------------------------------------------------------------ refusing
def guard(report: Any, base_url: str | None, *, approved: bool = False,
          fields: Mapping[str, str | None] | None = None) -> None:
    """Raise :class:`ConfidentialityError` if ``report`` (and the named ``fields``,
    e.g. an instruction and a part's current text) may not be sent to ``base_url``.

    Passes when the endpoint is on loopback, when ``approved`` (the user's
    ``--allow-confidential`` / ``allow_confidential=True``), or when nothing holds a
    classification marking or personal data. Nothing is sent in any case here.
    """
    if approved or is_loopback(base_url):
        return
    hits = (scan_spec(report) if report is not None else []) + scan_fields(fields or {})
    _refuse(hits, base_url)


def guard_messages(messages: Iterable[Mapping[str, Any]], base_url: str | None, *, approved: bool = False) -> None:
    """Raise :class:`ConfidentialityError` if a request made of ``messages`` may not be
    sent to ``base_url`` (the same rule as :func:`guard`, on the whole request)."""
    if approved or is_loopback(base_url):
        return
    _refuse(scan_messages(messages), base_url)


def _refuse(hits: list[GuardHit], base_url: str | None) -> None:
    if not hits:
        return
    endpoint = safe_url(base_url) if base_url else "OpenAI 默认端点"
    lines = [f"  - {h}" for h in hits[:_MAX_LISTED]]
    if len(hits) > _MAX_LISTED:
        lines.append(f"  - 另有 {len(hits) - _MAX_LISTED} 处未列出")
    message = (
        f"要发送给模型的内容中有 {len(hits)} 处密级标志或个人信息，未发送给模型端点 {endpoint}（不在本机回环地址上）：\n"
        + "\n".join(lines)
        + "\n请删除或脱敏上述内容后重试；如确认该端点已获准处理这些信息，可加选项 --allow-confidential"
        "（Python 接口：allow_confidential=True）。也可不配置模型，改用离线撰写，或使用本机（127.0.0.1）上的模型。"
    )
    raise ConfidentialityError(message, hits)
