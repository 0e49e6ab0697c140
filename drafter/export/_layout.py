"""The Word export's layout, in the units Word stores, derived from GB/T 9704-2012.

The standard's numbers are data (``drafter/data/layout/gbt9704.yaml``); this module
turns them into twips (1/20 pt; 1 mm = 56.69 twips) and derives the grid:

* A4 is 11906 × 16838 twips; margins 37/35/28/26 mm are 2098/1984/1587/1474, which
  leaves a text area (版心) of 8845 × 12756 twips = 156 × 225 mm.
* Line pitch: 12756 / 22 = 579.8, rounded *down* to 579 twips = 28.95 pt, exact line
  spacing. 580 (29 pt) would need 12760 twips and fit only 21 lines; 28.9 pt fits 22 too
  but leaves a gap at the foot of the page.
* Character pitch: 8845 / 28 = 315.9 twips = 15.79 pt — less than the 16 pt font: 28
  characters of 三号 are 158 mm, the standard's text area 156 mm. The section declares
  the grid as Word writes it for 页面设置 → 文档网格 “指定行和字符网格” 28 × 22:
  ``w:docGrid w:charSpace`` = (pitch − Normal font size) × 4096, rounded down so that
  28 characters surely fit: −842. Word squeezes the characters onto that grid;
  LibreOffice cannot (it gives a character wider than its cell two cells, and ignores
  character spacing under a grid), so the body paragraphs do not snap to the grid
  (``w:snapToGrid w:val="0"``; the exact line pitch is the grid's anyway) and their
  characters are drawn at 98 % width (``w:w``, the pitch over the font size, rounded
  down), which fits 28 a line in Word, WPS and LibreOffice alike.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

from .._resources import data_file
from .._yaml import load as load_yaml

TWIPS_PER_MM = 1440 / 25.4


def twips(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


@dataclass(frozen=True)
class Font:
    name: str
    size: float  # pt

    @property
    def half_points(self) -> int:  # w:sz
        return round(self.size * 2)


@dataclass(frozen=True)
class FontInfo:
    """A font table entry: what Word takes when the font is missing."""

    fallback: str | None = None
    panose: str | None = None
    family: str = "auto"
    pitch: str = "variable"


@dataclass(frozen=True)
class Layout:
    page_width: int  # twips
    page_height: int
    margin_top: int
    margin_bottom: int
    margin_left: int
    margin_right: int
    lines_per_page: int
    chars_per_line: int
    fonts: dict[str, Font]
    font_table: dict[str, FontInfo]
    headings: tuple[re.Pattern[str], ...]
    sentence_end: re.Pattern[str]
    page_dash: str
    page_below_text: float  # mm between the text area and the 一字线
    page_indent_chars: float
    date_right_chars: float
    blank_lines: int

    @property
    def text_width(self) -> int:
        return self.page_width - self.margin_left - self.margin_right

    @property
    def text_height(self) -> int:
        return self.page_height - self.margin_top - self.margin_bottom

    @property
    def line_pitch(self) -> int:
        """Exact line spacing in twips: the most that still fits ``lines_per_page``."""
        return self.text_height // self.lines_per_page

    @property
    def char_space(self) -> int:
        """``w:docGrid w:charSpace``: the grid pitch minus the body font size, in
        1/4096 pt, rounded down so that ``chars_per_line`` characters fit."""
        pitch_pt = self.text_width / self.chars_per_line / 20
        return math.floor((pitch_pt - self.fonts["body"].size) * 4096)

    @property
    def char_pitch(self) -> float:
        """The grid's character pitch in twips, as Word derives it from ``char_space``."""
        return (self.fonts["body"].size + self.char_space / 4096) * 20

    @property
    def footer_line(self) -> int:
        """Exact height of the page-number line: 1.5 times its font size, in twips."""
        return round(self.fonts["page_number"].size * 1.5 * 20)

    @property
    def footer_distance(self) -> int:
        """``w:footer``: from the foot of the page to the bottom of the page-number line,
        so that the 一字线 lies ``page_below_text`` mm under the text area. The dash sits
        about 0.4 of an exact line's height above the line's bottom (measured in
        LibreOffice's rendering; Word's is within the standard's tolerance of it)."""
        return self.margin_bottom - twips(self.page_below_text) - round(0.4 * self.footer_line)

    @property
    def glyph_scale(self) -> int:
        """``w:w`` of body text, in %: the grid pitch over the body font size, rounded
        down, so 28 characters fit a line without the grid (98)."""
        return math.floor(100 * self.char_pitch / 20 / self.fonts["body"].size)

    def chars(self, n: float) -> int:
        """``n`` grid characters in twips (indents)."""
        return round(n * self.char_pitch)

    def heading_level(self, line: str) -> tuple[int, int] | None:
        """(level, end of the ordinal) when ``line`` starts with a heading ordinal."""
        for level, rx in enumerate(self.headings, 1):
            m = rx.match(line)
            if m:
                return level, m.end()
        return None


@cache
def standard_layout() -> Layout:
    """GB/T 9704-2012 as the bundled data file states it."""
    raw = load_yaml(data_file("layout/gbt9704.yaml").read_text(encoding="utf-8"))
    page, margins = raw["page"], raw["margins"]
    page_number, closing = raw["page_number"], raw["closing"]
    return Layout(
        page_width=twips(page["width"]), page_height=twips(page["height"]),
        margin_top=twips(margins["top"]), margin_bottom=twips(margins["bottom"]),
        margin_left=twips(margins["left"]), margin_right=twips(margins["right"]),
        lines_per_page=int(raw["lines_per_page"]), chars_per_line=int(raw["chars_per_line"]),
        fonts={role: Font(str(f["name"]), float(f["size"])) for role, f in raw["fonts"].items()},
        font_table={str(name): FontInfo(**info) for name, info in raw["font_table"].items()},
        headings=tuple(re.compile(p) for p in raw["headings"]),
        sentence_end=re.compile(raw["heading_sentence_end"]),
        page_dash=str(page_number["dash"]), page_below_text=float(page_number["below_text"]),
        page_indent_chars=float(page_number["indent_chars"]),
        date_right_chars=float(closing["date_right_chars"]), blank_lines=int(closing["blank_lines"]),
    )
