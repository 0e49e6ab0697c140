"""The offline composer: a complete draft from the facts alone, no network.

It is the default writer when no model is configured and the baseline a model must
beat. Everything it writes comes from the spec through the scaffold templates in
``prompts/<kind>/scaffold/``: it never invents a figure, because it never writes one
the input did not give. The templates decide the wording of a kind; the filters they
call group facts into sentences (:mod:`drafter._sentences`) and write the seams
(:mod:`drafter._prose`), with every word list in ``drafter/data/composer/``. The
kind's frame (:mod:`drafter._frame`) adds the numbered headings around what they
write.

A template writes a paragraph over as many lines as it likes; a blank line starts
the next paragraph (a numbered sub-point, the closing's plans). A last pass keeps
each paragraph from reading mechanically: no clause repeated back to back, at most
one connective.
"""

from __future__ import annotations

from ._prompts import render
from ._prose import connect, drop_repeated_clauses, run_in
from ._spec import Report, Section

COMPOSER_NAME = "composer"


def _paragraphs(text: str) -> list[str]:
    """The template's paragraphs (separated by blank lines), each joined into one line."""
    out = []
    for block in text.split("\n\n"):
        para = drop_repeated_clauses("".join(line.strip() for line in block.splitlines()))
        if para:
            out.append(para)
    return out


def compose_opening(report: Report, *, user_dir: str | None = None) -> str:
    text = render(report.kind, "scaffold/opening.j2", user_dir=user_dir, report=report, frame=report.frame())
    return "\n".join(_paragraphs(text))


def compose_section(report: Report, section: Section, *, user_dir: str | None = None) -> str:
    """The body of one section (the frame adds its ordinal and heading)."""
    number = report.number(section.id)
    text = render(report.kind, "scaffold/section.j2", user_dir=user_dir, report=report, section=section,
                  number=number, heading=report.heading_of(section), frame=report.frame())
    starts = [first for p in section.points for first in run_in(p)[:1]]
    headings = [p.heading for p in section.points]
    return "\n".join(connect(para, seed=number - 1 + i, headings=headings, starts=starts)
                     for i, para in enumerate(_paragraphs(text)))


def compose_closing(report: Report, *, user_dir: str | None = None) -> str:
    """The closing's paragraphs, one a line (the frame puts the kind's numbered
    headings over them)."""
    text = render(report.kind, "scaffold/closing.j2", user_dir=user_dir, report=report, frame=report.frame())
    return "\n".join(_paragraphs(text))
