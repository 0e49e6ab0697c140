"""Rich rendering shared by the CLI and the session: findings, status tables.

Everything shown comes from users' files, so nothing is ever read as rich markup
("[/x]" would crash, "[link=…]" would mislead) or emoji codes: the consoles are
made with markup and emoji off, and styles are given as arguments. Control
characters in shown text (ESC]0;… retitles a terminal, ESC[2J clears it) are
replaced one for one by visible symbols with :func:`printable`, so offsets into
the text stay valid.
"""

from __future__ import annotations

import sys
from collections import Counter

from .._findings import FAMILIES, Finding

_FAMILY_CN = {"numbers": "数字", "register": "语体", "hygiene": "文面", "structure": "结构"}
_SEVERITY = {"error": ("错误", "bold red"), "warning": ("提醒", "yellow")}
_ORIGIN_CN = {"composer": "离线撰稿", "hand": "手工修改"}

#: Findings of one rule listed in text output; the rest are counted (JSON lists all).
PER_RULE_SHOWN = 20

# C0 controls (but tab and newline) as their Control Pictures (ESC → ␛), DEL → ␡,
# C1 controls and bidirectional overrides/isolates → U+FFFD. One character for one.
_PRINTABLE = {c: 0x2400 + c for c in range(0x20) if c not in (0x09, 0x0A)}
_PRINTABLE[0x7F] = 0x2421
_PRINTABLE.update({c: 0xFFFD for c in (*range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A))})


def printable(text: str) -> str:
    """``text`` with control characters made visible (same length, same offsets)."""
    return text.translate(_PRINTABLE)


def console(stderr: bool = False):
    """A console that never interprets markup or emoji codes in what it prints."""
    from rich.console import Console

    # soft_wrap: a finding stays on its line when piped or logged.
    return Console(stderr=stderr, highlight=False, soft_wrap=True, markup=False, emoji=False)


def origin_label(origin: str) -> str:
    if origin.startswith("model:"):
        return printable(f"模型 {origin[6:]}")
    return printable(_ORIGIN_CN.get(origin, origin))


def _line_of(text: str, f: Finding) -> tuple[str, int]:
    start = text.rfind("\n", 0, f.start) + 1
    end = text.find("\n", f.start)
    return text[start:end if end != -1 else len(text)], start


def render_finding(text: str, f: Finding, name: str = ""):
    from rich.text import Text

    label, style = _SEVERITY[f.severity]
    out = Text()
    out.append(printable(f"{name}:{f.line}:{f.column} " if name else f"{f.line}:{f.column} "), style="dim")
    out.append(f"{label} ", style=style)
    out.append(f"{f.code} [{_FAMILY_CN[f.family]}] ", style="cyan")
    out.append(printable(f.message))
    line, base = _line_of(text, f)
    line = printable(line)
    if f.end > f.start and line:
        # Show at most 30 characters either side of the span.
        s, e = f.start - base, min(f.end - base, len(line))
        lo, hi = max(0, s - 30), min(len(line), e + 30)
        out.append("\n    ")
        out.append(("…" if lo else "") + line[lo:s])
        out.append(line[s:e], style="reverse " + style)
        out.append(line[e:hi] + ("…" if hi < len(line) else ""))
    if f.suggestion:
        out.append("\n    建议：", style="green")
        out.append(printable(f.suggestion))
    return out


def summary_table(findings: list[Finding]):
    from rich.table import Table

    t = Table(title="检查汇总", show_lines=False)
    t.add_column("类别")
    t.add_column("错误", justify="right", style="red")
    t.add_column("提醒", justify="right", style="yellow")
    c = Counter((f.family, f.severity) for f in findings)
    for fam in FAMILIES:
        t.add_row(_FAMILY_CN[fam], str(c[(fam, "error")]), str(c[(fam, "warning")]))
    t.add_row("合计", str(sum(v for (_, s), v in c.items() if s == "error")),
              str(sum(v for (_, s), v in c.items() if s == "warning")), style="bold")
    return t


def shown_findings(findings: list[Finding], per_rule: int = PER_RULE_SHOWN) -> tuple[list[Finding], Counter]:
    """The findings text output lists (the first ``per_rule`` of each rule, in order)
    and how many of each rule it leaves out."""
    seen: Counter = Counter()
    shown = []
    for f in findings:
        seen[f.code] += 1
        if seen[f.code] <= per_rule:
            shown.append(f)
    return shown, Counter({code: n - per_rule for code, n in seen.items() if n > per_rule})


def print_finding_list(con, text: str, findings: list[Finding], name: str = "") -> None:
    """Each finding (at most :data:`PER_RULE_SHOWN` of a rule), then what was left out."""
    shown, hidden = shown_findings(findings)
    for f in shown:
        con.print(render_finding(text, f, name))
    for code, n in hidden.items():
        con.print(f"…… {code} 另有 {n} 处未列出（--format json 列出全部）", style="dim")


def print_findings(text: str, findings: list[Finding], *, name: str = "", judged: bool = True) -> None:
    con = console()
    print_finding_list(con, text, findings, name)
    if not findings:
        con.print("未发现问题。", style="green")
    con.print(summary_table(findings))
    if not judged:
        con.print("未提供 --input 或 --facts：数字未与输入核对。", style="dim")


def print_part_findings(draft) -> None:
    from ..export import paragraphs

    con = console(stderr=True)
    texts = dict(zip([p.id for p in draft.parts], paragraphs(draft)))
    for p in draft.parts:
        bad = [f for f in p.findings if f.severity == "error"]
        if bad:
            con.print(f"“{p.id}”有 {len(bad)} 处错误：", style="bold")
            print_finding_list(con, texts[p.id], bad)


def status_table(draft, stale: list[str] | None = None):
    from rich.table import Table

    stale_set = set(stale or [])
    t = Table(title=printable(draft.title))
    for col, kw in (("序号", {"justify": "right"}), ("id", {}), ("标题", {}), ("字数", {"justify": "right"}),
                    ("来源", {}), ("错误", {"justify": "right"}), ("提醒", {"justify": "right"}), ("过期", {})):
        t.add_column(col, **kw)
    n = 0
    for p in draft.parts:
        num = ""
        if p.role == "section":
            n += 1
            num = str(n)
        heading = p.heading or ("开头段" if p.role == "opening" else "结尾段")
        t.add_row(num, p.id, printable(heading), str(len(p.text)), origin_label(p.origin),
                  str(p.error_count) if p.error_count else "", str(p.warning_count) if p.warning_count else "",
                  "过期" if p.id in stale_set else "")
    missing = [s for s in stale_set if s not in {p.id for p in draft.parts}]
    for sid in missing:
        t.add_row("", sid, "（新增，未起草）", "", "", "", "", "过期")
    return t


def print_status(draft, stale: list[str]) -> None:
    con = console()
    con.print(status_table(draft, stale))
    if stale:
        con.print(f"过期部分：{'、'.join(stale)}（drafter regen 草稿 --stale 可重新生成）")
    else:
        con.print("所有部分都是最新的。", style="green")
    sys.stdout.flush()
