"""The frame of a document: the numbered lines drafter writes around its parts.

A draft holds the parts' own texts (the opening, each section's body, the closing);
the frame says how they stand in the document, for every kind alike:

* a section's heading line: the ordinal of the kind's section level (一、 or （一）) and
  the heading, run in with the first paragraph of the body ("一、……。正文……") or on a
  line of its own; a body that opens with a numbered sub-point never runs in;
* a wrapper heading over all the sections (工作总结: 一、主要工作及成效);
* the closing's paragraphs, each under a numbered heading of its own when the kind
  has them (二、存在的问题和不足, 三、2025年工作打算), numbered on after the sections.

The frame is resolved from the kind's ``drafting.frame`` and the spec (a heading may
name the plan's year) by :mod:`drafter._drafting`, and kept in the draft with its
other fixed lines (title, 主送机关, 署名, 成文日期), so an export needs no spec. It is
the one place the pipeline (a part checked as it will stand), the exports (md, txt,
docx) and the session and status views take the layout from. A draft written before
frames existed has none: :class:`Frame()` is the layout it was written in.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ._headings import ORDINAL_FORMS, ORDINAL_START, ordinal


class Frame(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    ordinals: tuple[str, ...] = Field(default=ORDINAL_FORMS, min_length=1)  # the forms of levels 1, 2, …
    sections: int = Field(default=1, ge=1, le=4)   # the level of a section's heading
    run_in: bool = True                           # a section's heading runs into its first paragraph
    wrapper: str | None = None                    # a level-1 heading over all sections
    points: int | None = Field(default=None, ge=1, le=4)  # numbered sub-points at this level; None: run in
    closing: tuple[str, ...] = ()                 # headings of the closing's paragraphs, numbered on

    def ordinal(self, level: int, n: int) -> str:
        """The ``n``-th ordinal of ``level`` (1 一、, 2 （一）, 3 1., 4 （1））."""
        forms = self.ordinals
        return ordinal(forms[min(level, len(forms)) - 1], n)

    def heading_line(self, number: int, heading: str) -> str:
        """A section's heading as a line of its own: （二）加强队伍建设"""
        return self.ordinal(self.sections, number) + heading

    def wrapper_line(self) -> str | None:
        return self.ordinal(1, 1) + self.wrapper if self.wrapper else None

    def point_ordinal(self, n: int) -> str:
        """The ordinal of the ``n``-th numbered sub-point of a section ("" when sub-points
        run in)."""
        return self.ordinal(self.points, n) if self.points else ""

    def section_text(self, number: int, heading: str, body: str) -> str:
        """Section ``number`` as it stands in the document: its heading line and body."""
        head = self.heading_line(number, heading)
        lines = _lines(body)
        if self.run_in:
            if not lines:
                return head + "。"
            if not ORDINAL_START.match(lines[0]):
                return "\n".join([f"{head}。{lines[0]}", *lines[1:]])
        return "\n".join([head, *lines])

    def closing_number(self, section_count: int) -> int:
        """The number of the closing's first heading: after the wrapper, or after the
        last section when sections stand at level 1."""
        return 2 if self.wrapper else section_count + 1

    def closing_text(self, body: str, section_count: int) -> str:
        """The closing as it stands: each paragraph under its heading, in order;
        paragraphs beyond the headings stay under the last one, and a heading with no
        paragraph left is not written."""
        if not self.closing:
            return body
        lines = _lines(body)
        n = self.closing_number(section_count)
        out: list[str] = []
        for i, paragraph in enumerate(lines):
            if i < len(self.closing):
                out.append(self.ordinal(1, n + i) + self.closing[i])
            out.append(paragraph)
        return "\n".join(out)


def _lines(body: str) -> list[str]:
    return [line for line in body.split("\n") if line.strip()]
