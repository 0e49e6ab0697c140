"""Importing the materials an office has — ledgers (台账) in Excel or CSV, outlines in
Word or text — as a spec, with the provenance of every fact in its ``source``.

Reading the files is the reading room's (:func:`~drafter.reading.read_ledger`,
:func:`~drafter.reading.read_outline`); writing the commented spec is the export
room's (:func:`~drafter.export.spec_yaml`). This package turns rows and paragraphs into
facts and facts into a :class:`~drafter.Report`:

* :func:`import_materials` — files → (report, what to tell the user);
* :func:`ledger_report` — one ledger as a report in memory, for ``check --facts``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .._errors import InputError
from .._spec import Report
from ._assemble import PLACEHOLDER_MARK, Assembly, build_report, is_placeholder, placeholders, section_id
from ._columns import FIELD_NAMES_CN, FIELDS, parse_column_map
from ._gather import Gathered


@dataclass
class Imported:
    report: Report
    gathered: Gathered
    assembly: Assembly
    files: list[str] = field(default_factory=list)


def import_materials(paths, *, columns: str | dict[str, str] | None = None, kind: str = "self_inspection",
                     organ: str | None = None, period: int | None = None, previous: dict | None = None,
                     fork: bool = False) -> Imported:
    """Read ledgers and outlines in order and make one spec of them. ``columns`` maps
    headers a ledger uses to fields (``板块=类别,数值=完成数``); ``previous`` is an earlier
    import's spec (as plain data) whose hand-written fields are kept. ``fork``: a large
    ledger's rows may be shared with a forked child (the command line; see
    :mod:`drafter._forked`)."""
    from ..reading import is_ledger, is_outline, read_ledger, read_outline
    from ._ledger_facts import gather_ledger
    from ._outline_facts import gather_outline

    mapping = parse_column_map(columns) if isinstance(columns, str) or columns is None else dict(columns)
    g = Gathered()
    files = [str(p) for p in paths]
    if not files:
        raise InputError("请给出要导入的台账（.xlsx、.csv）或材料（.docx、.txt、.md）")
    for p in files:
        g.years += [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", Path(p).stem)]
        if is_ledger(p):
            gather_ledger(read_ledger(p), mapping, g, fork=fork)
        elif is_outline(p):
            gather_outline(read_outline(p), g)
        else:
            raise InputError(f"不能导入 {p}：drafter 导入台账（.xlsx、.csv）和材料（.docx、.txt、.md）", path=p)
    report, asm = build_report(g, kind=kind, organ=organ, period=period, previous=previous)
    return Imported(report, g, asm, files)


def ledger_report(path, *, columns: str | dict[str, str] | None = None, fork: bool = False) -> Report:
    """One ledger as a report in memory: every row a fact whose ``source`` is its cell."""
    return import_materials([path], columns=columns, fork=fork).report


__all__ = ["FIELDS", "FIELD_NAMES_CN", "PLACEHOLDER_MARK", "Assembly", "Imported", "import_materials",
           "is_placeholder", "ledger_report", "parse_column_map", "placeholders", "section_id"]
