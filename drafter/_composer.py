"""The offline composer: a complete draft from the facts alone, no network.

It is the default writer when no model is configured and the baseline a model must
beat. Everything it writes comes from the spec through the scaffold templates in
``prompts/<kind>/scaffold/``: it never invents a figure, because it never writes one
the input did not give. The templates decide the layout of a kind; the filters they
call group facts into sentences (:mod:`drafter._sentences`) and write the seams
(:mod:`drafter._prose`), with every word list in ``drafter/data/composer/``. A last
pass keeps a paragraph from reading mechanically: no clause repeated back to back, at
most one connective.
"""

from __future__ import annotations

from ._prompts import render
from ._prose import connect, drop_repeated_clauses, run_in
from ._spec import Report, Section

COMPOSER_NAME = "composer"


def _one_paragraph(text: str) -> str:
    return drop_repeated_clauses("".join(line.strip() for line in text.splitlines()))


def compose_opening(report: Report, *, user_dir: str | None = None) -> str:
    return _one_paragraph(render(report.kind, "scaffold/opening.j2", user_dir=user_dir, report=report))


def compose_section(report: Report, section: Section, *, user_dir: str | None = None) -> str:
    """The body of one numbered section (drafter adds the ordinal and heading)."""
    text = _one_paragraph(render(report.kind, "scaffold/section.j2", user_dir=user_dir, report=report, section=section))
    starts = [first for p in section.points for first in run_in(p)[:1]]
    return connect(text, seed=report.number(section.id) - 1, headings=[p.heading for p in section.points],
                   starts=starts)


def compose_closing(report: Report, *, user_dir: str | None = None) -> str:
    return _one_paragraph(render(report.kind, "scaffold/closing.j2", user_dir=user_dir, report=report))
