"""Rich rendering shared by the CLI and the session: findings, status tables."""

from __future__ import annotations

import sys
from collections import Counter

from .._findings import FAMILIES, Finding

_FAMILY_CN = {"numbers": "数字", "register": "语体", "hygiene": "文面", "structure": "结构"}
_SEVERITY = {"error": ("错误", "bold red"), "warning": ("提醒", "yellow")}
_ORIGIN_CN = {"composer": "离线撰稿", "hand": "手工修改"}


def console(stderr: bool = False):
    from rich.console import Console

    # soft_wrap: a finding stays on its line when piped or logged.
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def origin_label(origin: str) -> str:
    if origin.startswith("model:"):
        return f"模型 {origin[6:]}"
    return _ORIGIN_CN.get(origin, origin)


def _line_of(text: str, f: Finding) -> tuple[str, int]:
    start = text.rfind("\n", 0, f.start) + 1
    end = text.find("\n", f.start)
    return text[start:end if end != -1 else len(text)], start


def render_finding(text: str, f: Finding, name: str = ""):
    from rich.text import Text

    label, style = _SEVERITY[f.severity]
    out = Text()
    out.append(f"{name}:{f.line}:{f.column} " if name else f"{f.line}:{f.column} ", style="dim")
    out.append(f"{label} ", style=style)
    out.append(f"{f.code} [{_FAMILY_CN[f.family]}] ", style="cyan")
    out.append(f.message)
    line, base = _line_of(text, f)
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
        out.append(f.suggestion)
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


def group_findings(findings: list[Finding]) -> list[list[Finding]]:
    """Identical findings (same rule, same words, same message and suggestion) in one
    group each, groups in the order of their first finding."""
    groups: dict[tuple, list[Finding]] = {}
    for f in findings:
        groups.setdefault((f.code, f.excerpt, f.message, f.suggestion), []).append(f)
    return list(groups.values())


_LINES_SHOWN = 12


def print_findings(text: str, findings: list[Finding], *, name: str = "", judged: bool = True,
                   summary: bool = True, derivations: list[dict] | None = None, header: str | None = None) -> None:
    """The findings of one text (identical ones grouped), the derived figures accepted;
    ``summary``: then the table by family (one file alone)."""
    con = console()
    if header:
        con.print(header, markup=False)
    for group in group_findings(findings):
        con.print(render_finding(text, group[0], name))
        if len(group) > 1:
            lines = list(dict.fromkeys(f.line for f in group))
            shown = "、".join(str(n) for n in lines[:_LINES_SHOWN]) + ("等" if len(lines) > _LINES_SHOWN else "")
            con.print(f"    同一问题共 {len(group)} 处（第 {shown} 行）", style="dim", markup=False)
    if not findings:
        con.print("[green]未发现问题。[/]")
    if derivations:
        from rich.text import Text

        con.print("由输入推算、已核对的数字：")
        for d in derivations:
            line = Text(f"  {name}:{d['line']}:{d['column']} " if name else f"  {d['line']}:{d['column']} ", style="dim")
            line.append(f"“{d['excerpt']}” = {d['formula']}（依据 {'、'.join(dict.fromkeys(o['fact'] for o in d['operands']))}）")
            con.print(line)
    if not summary:
        return
    con.print(summary_table(findings))
    if judged:
        errors = sum(f.severity == "error" for f in findings)
        warnings = sum(f.severity == "warning" for f in findings)
        unused = sum(f.code == "N008" for f in findings)
        con.print(f"错误 {errors} 处，提醒 {warnings} 处（其中输入数字未用到 {unused} 个），推算数字 {len(derivations or [])} 个。")
    else:
        con.print("[dim]未提供 --input 或 --facts：数字未与输入核对。[/]")


def print_part_findings(draft) -> None:
    from rich.markup import escape

    from ..export import part_texts

    con = console(stderr=True)
    texts = part_texts(draft)
    for p in draft.parts:
        bad = [f for f in p.findings if f.severity == "error"]
        if bad:
            con.print(f"[bold]“{escape(p.id)}”[/] 有 {len(bad)} 处错误：")
            for f in bad:
                con.print(render_finding(texts[p.id], f))


def status_table(draft, stale: list[str] | None = None):
    from rich.table import Table

    stale_set = set(stale or [])
    from rich.markup import escape

    t = Table(title=escape(draft.title))
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
        t.add_row(num, p.id, escape(heading), str(len(p.text)), escape(origin_label(p.origin)),
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
        con.print("[green]所有部分都是最新的。[/]")
    sys.stdout.flush()
