"""Confidentiality guard: nothing marked classified, and no personal data, leaves the
machine for an endpoint that is not on loopback unless the user approved that endpoint.

What counts as a hit (every string field of the spec is scanned, by field path):

- 密级标志: any occurrence of 绝密, 机密, 秘密 (also the traditional forms 絕密, 機密,
  祕密, and with spaces between the two characters, as on cover pages: "绝 密") and the
  star ★ that joins a classification to its period (机密★5年). The rule is deliberately
  blunt: a mention in prose ("保守国家秘密", "机密载体管理") is a hit too, because the
  guard cannot tell a marking from a mention reliably and sending a real marking out is
  the costly mistake. Such prose needs the endpoint approved once.
- 身份证号: an 18-character resident ID (17 digits + a digit or X) whose birth date is a
  plausible date and whose GB 11643-1999 check character is right; and a 15-digit
  first-generation ID whose birth date (YYMMDD) is plausible. Neither may sit inside a
  longer run of digits or letters.
- 手机号: a mainland mobile number 1[3-9]x xxxx xxxx (optionally +86/86 before it, and
  spaces or hyphens as 3-4-4 groups) not inside a longer run of digits.

Excerpts never show a whole ID or mobile number: every such value in an excerpt is
masked to its first three and last two characters.

Loopback endpoints (127.0.0.0/8, ::1, localhost) are always allowed: the input does not
leave the machine. Anything else with hits raises :class:`ConfidentialityError` unless
approved (CLI ``--allow-confidential``, Python ``allow_confidential=True``).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterator, Mapping
from urllib.parse import urlsplit

from ._errors import ConfidentialityError

__all__ = ["GuardHit", "guard", "is_loopback", "scan_spec", "scan_text"]

KIND_MARKING = "密级标志"
KIND_ID = "身份证号"
KIND_MOBILE = "手机号"

_MARKING_RE = re.compile(r"[绝絕机機秘祕][ \t\u3000]*密|★")
_ID18_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
_ID15_RE = re.compile(r"(?<![0-9A-Za-z])(\d{15})(?![0-9A-Za-z])")
_MOBILE_RE = re.compile(r"(?<![0-9])(?:\+?86[ \-]?)?(1[3-9]\d(?:[ \-]?\d{4}){2})(?![0-9])")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

_EXCERPT_RADIUS = 12
_MAX_LISTED = 20


@dataclass(frozen=True)
class GuardHit:
    """One field that holds a classification marking or personal data.

    ``path`` is the field path in the spec (``sections[2].facts[4].text``), ``kind`` one
    of 密级标志 / 身份证号 / 手机号, ``excerpt`` the text around the first occurrence with
    every ID and mobile number masked, ``count`` the occurrences of that kind in the field.
    """

    path: str
    kind: str
    excerpt: str
    count: int = 1

    def __str__(self) -> str:
        more = f"，共 {self.count} 处" if self.count > 1 else ""
        return f"{self.path}：{self.kind}（“{self.excerpt}”{more}）"


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


def _personal_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every ID and mobile number in ``text``."""
    spans: list[tuple[int, int, str]] = []
    for m in _ID18_RE.finditer(text):
        if _valid_id18(m.group(1)):
            spans.append((m.start(1), m.end(1), KIND_ID))
    for m in _ID15_RE.finditer(text):
        if _valid_id15(m.group(1)):
            spans.append((m.start(1), m.end(1), KIND_ID))
    for m in _MOBILE_RE.finditer(text):
        if not any(s <= m.start(1) < e for s, e, _ in spans):
            spans.append((m.start(1), m.end(1), KIND_MOBILE))
    return sorted(spans)


def _mask(value: str) -> str:
    """Keep the first three and last two digits; every other digit (or X) becomes *."""
    positions = [i for i, c in enumerate(value) if c.isdigit() or c in "Xx"]
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
    text = " ".join(masked[lo:hi].split())
    return ("…" if lo > 0 else "") + text + ("…" if hi < len(masked) else "")


def scan_text(text: str, path: str = "") -> list[GuardHit]:
    """The hits in one string, one per kind (first occurrence, with a count)."""
    spans = _personal_spans(text)
    masked = _masked(text, spans)
    found: dict[str, list[tuple[int, int]]] = {}
    for m in _MARKING_RE.finditer(text):
        found.setdefault(KIND_MARKING, []).append((m.start(), m.end()))
    for s, e, kind in spans:
        found.setdefault(kind, []).append((s, e))
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


def guard(report: Any, base_url: str | None, *, approved: bool = False) -> None:
    """Raise :class:`ConfidentialityError` if ``report`` may not be sent to ``base_url``.

    Passes when the endpoint is on loopback, when ``approved`` (the user's
    ``--allow-confidential`` / ``allow_confidential=True``), or when the spec holds no
    classification marking and no personal data. Nothing is sent in any case here.
    """
    if approved or is_loopback(base_url):
        return
    hits = scan_spec(report)
    if not hits:
        return
    from ._llm import _safe_url

    endpoint = _safe_url(base_url) if base_url else "OpenAI 默认端点"
    lines = [f"  - {h}" for h in hits[:_MAX_LISTED]]
    if len(hits) > _MAX_LISTED:
        lines.append(f"  - 另有 {len(hits) - _MAX_LISTED} 处未列出")
    message = (
        f"输入中有 {len(hits)} 处密级标志或个人信息，未发送给模型端点 {endpoint}（不在本机回环地址上）：\n"
        + "\n".join(lines)
        + "\n请删除或脱敏上述内容后重试；如确认该端点已获准处理这些信息，可加选项 --allow-confidential"
        "（Python 接口：allow_confidential=True）。也可不配置模型，改用离线撰写，或使用本机（127.0.0.1）上的模型。"
    )
    raise ConfidentialityError(message, hits)
