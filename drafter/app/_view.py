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


def group_findings(findings: list[Finding]) -> list[list[Finding]]:
    """Identical findings (same rule, same words, same message and suggestion) in one
    group each, groups in the order of their first finding."""
    groups: dict[tuple, list[Finding]] = {}
    for f in findings:
        groups.setdefault((f.code, f.excerpt, f.message, f.suggestion), []).append(f)
    return list(groups.values())


_LINES_SHOWN = 12


def shown_groups(findings: list[Finding], per_rule: int = PER_RULE_SHOWN) -> tuple[list[list[Finding]], Counter]:
    """The groups of identical findings text output lists (the first ``per_rule``
    groups of each rule, in order) and how many findings of each rule it leaves out."""
    seen: Counter = Counter()
    hidden: Counter = Counter()
    shown = []
    for group in group_findings(findings):
        code = group[0].code
        seen[code] += 1
        if seen[code] <= per_rule:
            shown.append(group)
        else:
            hidden[code] += len(group)
    return shown, hidden


def print_finding_list(con, text: str, findings: list[Finding], name: str = "") -> None:
    """Each finding, identical ones as one with their count and lines (at most
    :data:`PER_RULE_SHOWN` of a rule), then what was left out."""
    shown, hidden = shown_groups(findings)
    for group in shown:
        con.print(render_finding(text, group[0], name))
        if len(group) > 1:
            lines = list(dict.fromkeys(f.line for f in group))
            more = "等" if len(lines) > _LINES_SHOWN else ""
            listed = "、".join(str(n) for n in lines[:_LINES_SHOWN]) + more
            con.print(f"    同一问题共 {len(group)} 处（第 {listed} 行）", style="dim")
    for code, n in hidden.items():
        con.print(f"…… {code} 另有 {n} 处未列出（--format json 列出全部）", style="dim")


def print_findings(text: str, findings: list[Finding], *, name: str = "", judged: bool = True,
                   summary: bool = True, derivations: list[dict] | None = None, header: str | None = None) -> None:
    """The findings of one text (identical ones grouped, a cap per rule), the derived
    figures accepted; ``summary``: then the table by family (one file alone)."""
    from rich.text import Text

    con = console()
    if header:
        con.print(printable(header))
    print_finding_list(con, text, findings, name)
    if not findings:
        con.print("未发现问题。", style="green")
    if derivations:
        con.print("由输入推算、已核对的数字：")
        for d in derivations[:PER_RULE_SHOWN * 5]:
            where = f"  {name}:{d['line']}:{d['column']} " if name else f"  {d['line']}:{d['column']} "
            line = Text(printable(where), style="dim")
            facts = "、".join(dict.fromkeys(o["fact"] for o in d["operands"]))
            line.append(printable(f"“{d['excerpt']}” = {d['formula']}（依据 {facts}）"))
            con.print(line)
        if len(derivations) > PER_RULE_SHOWN * 5:
            con.print(f"…… 另有 {len(derivations) - PER_RULE_SHOWN * 5} 个推算数字未列出（--format json 列出全部）",
                      style="dim")
    if not summary:
        return
    con.print(summary_table(findings))
    if judged:
        errors = sum(f.severity == "error" for f in findings)
        warnings = sum(f.severity == "warning" for f in findings)
        unused = sum(f.code == "N008" for f in findings)
        con.print(f"错误 {errors} 处，提醒 {warnings} 处（其中输入数字未用到 {unused} 个），推算数字 {len(derivations or [])} 个。")
    else:
        con.print("未提供 --input 或 --facts：数字未与输入核对。", style="dim")


def print_part_findings(draft) -> None:
    from ..export import part_texts

    con = console(stderr=True)
    texts = part_texts(draft)
    for p in draft.parts:
        bad = [f for f in p.findings if f.severity == "error"]
        # a part kept in spite of its problems (--on-rejected flag) may be flagged only
        # for the input figures it left out: say which
        gaps = [f for f in p.findings if p.flagged and f.code == "N008"]
        if bad or gaps:
            what = "、".join(x for x in (f"{len(bad)} 处错误" if bad else "",
                                         f"遗漏 {len(gaps)} 个输入数字" if gaps else "") if x)
            con.print(f"“{p.id}”有{what}：", style="bold")
            print_finding_list(con, texts[p.id], bad + gaps)


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


def facts_table(section, title: str):
    """A section's facts with where each came from (a ledger cell, a paragraph)."""
    from rich.table import Table
    from rich.text import Text

    from .._spec import FactDetail, fact_text

    t = Table(title=Text(printable(title)), title_justify="left")
    t.add_column("序号", justify="right")
    t.add_column("事实", overflow="fold")
    t.add_column("出处", overflow="fold")
    n = 0
    groups = [(None, section.facts)] + [(p.heading, p.facts) for p in section.points]
    for heading, facts in groups:
        if heading and facts:
            t.add_row("", Text(printable(heading), style="bold"), "")
        for fact in facts:
            n += 1
            source = fact.source if isinstance(fact, FactDetail) and fact.source else "（未注明）"
            plan = "（计划）" if isinstance(fact, FactDetail) and fact.planned else ""
            t.add_row(str(n), Text(printable(fact_text(fact) + plan)), Text(printable(source)))
    return t


def print_facts(draft, spec, only: list[str] | None = None, con=None) -> None:
    """Each section's facts and their provenance, in the draft's order."""
    con = con or console()
    numbers = {s.id: i for i, s in enumerate(spec.sections, 1)}
    for s in spec.sections:
        if only and s.id not in only:
            continue
        drafted = any(p.id == s.id for p in draft.parts)
        note = "" if drafted else "（新增，未起草）"
        con.print(facts_table(s, f"第{numbers[s.id]}部分（{s.id}）{spec.heading_of(s)}{note}"))
    sys.stdout.flush()
