"""The Word export as it prints: rendered to PDF by LibreOffice and measured against
GB/T 9704-2012 — A4, 22 lines on every full page, 28 characters a full line, page
numbers “— N —” odd right and even left, 一字线 7 mm under the text area.

Skipped where LibreOffice or poppler is missing (CI). To run it on Debian:
    apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming
bench/render_docx.py renders the same pages as PNGs for a person to look at.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from bench.render_docx import measure, missing_tools, to_pdf
from drafter import Drafter, load_spec, write_docx
from helpers import REFERENCE_SPEC

MISSING = missing_tools()
pytestmark = pytest.mark.skipif(
    bool(MISSING), reason=f"needs LibreOffice and poppler to render the .docx ({', '.join(MISSING)} not on PATH; "
                          f"apt-get install libreoffice-writer-nogui poppler-utils)")

TEXT_LEFT, TEXT_RIGHT, TEXT_BOTTOM = 28.0, 210.0 - 26.0, 297.0 - 35.0
HANGING = "，。、；：？！”’）》"  # punctuation Chinese typesetting lets hang past the line's end
CHAR = 16 / 72 * 25.4  # mm of 三号 (the text's indent is two of them)
PITCH = 28.95 / 72 * 25.4  # mm between lines: 22 in the 225 mm text area


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("render")
    docx = out / "reference.docx"
    write_docx(Drafter().draft(load_spec(REFERENCE_SPEC)), docx)
    return measure(to_pdf(docx, out))


def test_pages_are_a4(rendered):
    for page in rendered["pages"]:
        assert (page.width, page.height) == pytest.approx((210, 297), abs=0.5)


def test_every_full_page_has_22_lines_inside_the_text_area(rendered):
    lines = rendered["lines"]
    assert len(lines) >= 4
    # page 1: the title, the blank line under it, 20 lines; the last two pages may end early
    # (the 署名 and 成文日期 stay together, with the blank line over them)
    assert lines[0] == 21 and lines[1:-2] == [22] * (len(lines) - 3)
    for i, page in enumerate(rendered["pages"]):
        body = [ln for ln in page.lines if ln.y1 <= TEXT_BOTTOM + 1][1 if i == 0 else 0:]  # not the title
        assert min(ln.y0 for ln in body) >= 37 - 1
        assert all(ln.x0 >= TEXT_LEFT - 0.5 for ln in body)
        # every line on the 28.95 pt grid, at most 22 of them a page
        slots = [(ln.y0 - body[0].y0) / PITCH for ln in body]
        assert all(abs(s - round(s)) < 0.05 for s in slots), slots
        assert round(slots[-1]) <= 21


def test_a_full_line_holds_28_characters(rendered):
    counts = Counter()
    for page in rendered["pages"]:
        for ln in page.lines:
            if ln.y1 > TEXT_BOTTOM + 1 or not re.fullmatch(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’—…·]+", ln.text):
                continue  # lines with digits or Latin letters are not 28 full-width characters
            text = ln.text[:-1] if ln.x1 > TEXT_RIGHT + 1 and ln.text[-1] in HANGING else ln.text
            counts[len(text)] += 1
    assert counts.most_common(1)[0][0] == 28
    assert max(counts) == 28


def test_page_numbers_odd_right_even_left_under_the_text(rendered):
    for n, footer in enumerate(rendered["footers"], 1):
        assert [ln.text for ln in footer] == [f"—{n}—"]  # pdftotext drops the spaces: — 1 —
        ln = footer[0]
        if n % 2:
            assert ln.x1 == pytest.approx(TEXT_RIGHT - 14 / 72 * 25.4, abs=1.0)  # 右空一字 (四号)
        else:
            assert ln.x0 == pytest.approx(TEXT_LEFT + 14 / 72 * 25.4, abs=1.0)  # 左空一字
        assert (ln.y0 + ln.y1) / 2 - TEXT_BOTTOM == pytest.approx(7, abs=1.0)  # 一字线下距版心 7 mm


def test_signature_and_date_end_the_last_page_right_aligned(rendered):
    last = [ln for ln in rendered["pages"][-1].lines if ln.y1 <= TEXT_BOTTOM + 1]
    sig, date = last[-2], last[-1]
    assert (sig.text, date.text) == ("南郑区委政法委", "2021年12月20日")
    assert date.x1 == pytest.approx(TEXT_RIGHT - 4 * CHAR, abs=1.5)  # 右空四字
    # 以成文日期为准居中: within a character, as the stand-in fonts' digits are narrower than
    # the half width of 仿宋_GB2312's, which the export's centring counts on
    assert (sig.x0 + sig.x1) / 2 == pytest.approx((date.x0 + date.x1) / 2, abs=CHAR)
