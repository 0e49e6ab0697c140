"""Render drafter's Word export with LibreOffice and measure it against GB/T 9704-2012:
page size, lines in the text area of each page, characters a line, page numbers.
It writes a PDF and one PNG per page for a person to look at.

    python bench/render_docx.py [SPEC.yaml | FILE.docx] [--out DIR] [--dpi 60]

Needs LibreOffice and poppler (Debian: apt-get install libreoffice-writer-nogui
poppler-utils fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming). Fonts that are
missing are stood in for as bench/fonts.conf says. tests/test_docx_render.py uses the
functions here.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FONTS_CONF = Path(__file__).resolve().parent / "fonts.conf"
MM_PER_PT = 25.4 / 72


def missing_tools() -> list[str]:
    """The programs this needs that are not on PATH."""
    return [t for t in ("soffice", "pdftotext", "pdftoppm") if shutil.which(t) is None]


def to_pdf(docx: Path, outdir: Path) -> Path:
    """Convert with LibreOffice in its own profile (so a running office does not interfere)."""
    outdir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF))
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(outdir), str(docx)],
                       check=True, capture_output=True, env=env, timeout=180)
    pdf = outdir / (docx.stem + ".pdf")
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice wrote no PDF for {docx}")
    return pdf


def to_png(pdf: Path, outdir: Path, dpi: int = 60) -> list[Path]:
    prefix = outdir / pdf.stem
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(prefix)], check=True)
    return sorted(outdir.glob(f"{pdf.stem}-*.png"))


@dataclass
class Line:
    x0: float  # mm from the left and top edges of the page
    y0: float
    x1: float
    y1: float
    text: str


@dataclass
class Page:
    width: float  # mm
    height: float
    lines: list[Line]


def read_pages(pdf: Path) -> list[Page]:
    """Every text line of every page with its box, from pdftotext -bbox-layout."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True,
                         capture_output=True, text=True).stdout
    pages = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', xml, re.S):
        lines = []
        for ln in re.finditer(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>',
                              page.group(3), re.S):
            words = re.findall(r"<word[^>]*>(.*?)</word>", ln.group(5))
            x0, y0, x1, y1 = (float(ln.group(i)) * MM_PER_PT for i in range(1, 5))
            lines.append(Line(x0, y0, x1, y1, "".join(html.unescape(w) for w in words)))
        pages.append(Page(float(page.group(1)) * MM_PER_PT, float(page.group(2)) * MM_PER_PT, lines))
    return pages


def split_page(page: Page, bottom_margin: float) -> tuple[list[Line], list[Line]]:
    """(lines in the text area, lines below it: the footer)."""
    limit = page.height - bottom_margin + 1.0
    return [ln for ln in page.lines if ln.y1 <= limit], [ln for ln in page.lines if ln.y1 > limit]


def full_width_count(text: str) -> int | None:
    """Characters in a line made only of full-width characters (else None)."""
    import unicodedata

    if not text or any(unicodedata.east_asian_width(c) not in "FWA" for c in text):
        return None
    return len(text)


def measure(pdf: Path, *, bottom_margin: float = 35.0) -> dict:
    pages = read_pages(pdf)
    body_lines, footers, widths = [], [], Counter()
    for page in pages:
        body, foot = split_page(page, bottom_margin)
        body_lines.append(len(body))
        footers.append(foot)
        for ln in body:
            n = full_width_count(ln.text)
            if n:
                widths[n] += 1
    return {"pages": pages, "lines": body_lines, "footers": footers, "chars": widths}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", nargs="?", default=str(ROOT / "examples" / "self-inspection-2021.yaml"),
                    help="a spec to draft offline, or a .docx")
    ap.add_argument("--out", default=str(Path(tempfile.gettempdir()) / "drafter-render"))
    ap.add_argument("--dpi", type=int, default=60)
    args = ap.parse_args()
    missing = missing_tools()
    if missing:
        print(f"missing: {', '.join(missing)} (apt-get install libreoffice-writer-nogui poppler-utils)")
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    source = Path(args.source)
    if source.suffix.lower() == ".docx":
        docx = source
    else:
        sys.path.insert(0, str(ROOT))
        from drafter import Drafter, load_spec, write_docx

        docx = out / (source.stem + ".docx")
        write_docx(Drafter().draft(load_spec(source)), docx)
    pdf = to_pdf(docx, out)
    pngs = to_png(pdf, out, args.dpi)
    m = measure(pdf)
    first = m["pages"][0]
    print(f"{docx} → {pdf}")
    print(f"page size        {first.width:.1f} × {first.height:.1f} mm (A4 210 × 297)")
    print(f"pages            {len(m['pages'])}")
    print(f"lines per page   {m['lines']} (GB/T 9704: 22 on every full page)")
    print(f"chars per line   {dict(sorted(m['chars'].items()))} (lines of full-width characters; 28 a full line)")
    for i, foot in enumerate(m["footers"], 1):
        where = ", ".join(f"“{ln.text}” x {ln.x0:.1f}–{ln.x1:.1f} mm, y {ln.y0:.1f}–{ln.y1:.1f} mm" for ln in foot)
        print(f"page {i:>2} footer   {where or '(none)'}")
    print(f"page images      {out}/{pdf.stem}-*.png ({len(pngs)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
