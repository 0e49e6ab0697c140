"""Ledger import speed: `drafter import` of a 10,000-row 台账 (goal: under 3 s) and
`drafter check --facts LEDGER` of the reference report (goal: under 1 s, "interactive"),
against a ledger of the reference's own facts and against the 10,000-row one (as
openpyxl writes it and as Excel saves it); wall time with interpreter start, compared
with `check --input` of the reference spec. On Linux with two processors the command
shares the work with a forked child (drafter/_forked.py).

    python bench/bench_import.py [--runs N] [--rows N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "examples" / "self-inspection-2021.yaml"
REFERENCE = ROOT / "tests" / "corpus" / "reference-2021.txt"
UNITS = ["件", "起", "人", "场", "个", "人次", "户", "万元"]
# 事项 as ledgers write them, numbered within their 板块 by a bracketed index (an item
# named 工作事项1 would read its value as 工作事项1为…, a second number on every row).
ITEMS = ["排查整治问题隐患", "开展专项检查", "受理群众来信来访", "办理法律援助案件", "开展普法宣传活动",
         "调解矛盾纠纷", "培训基层干部", "走访慰问困难群众", "新建改建农村公路", "发放惠民补贴",
         "查处违法违规行为", "组织应急演练", "新增城镇就业", "完成造林绿化", "建设标准化村卫生室",
         "开展安全生产督查", "落实帮扶措施", "办理政务服务事项", "清理整治河道", "培育新型经营主体"]


def big_ledger(path: Path, rows: int) -> None:
    """A 台账 as offices keep it: a title row, 板块 merged over its rows, percent 同比
    cells, a 责任单位 column, a few hidden rows."""
    import openpyxl

    random.seed(7)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "全年台账"
    ws.append(["2024年目标任务台账"])
    ws.append(["板块", "事项", "完成数", "单位", "同比", "责任单位"])
    per = max(1, rows // 40)
    for i in range(rows):
        r = i + 3
        ws.append([f"第{i // per + 1}项重点工作" if i % per == 0 else None, f"{ITEMS[i % len(ITEMS)]}（{i // len(ITEMS) + 1}）",
                   random.randint(1, 99999), random.choice(UNITS),
                   round(random.uniform(-0.3, 0.3), 3) if i % 3 == 0 else None, f"科室{i % 9 + 1}"])
        if i % 3 == 0:
            ws[f"E{r}"].number_format = "0.0%"
        if i % per == 0 and per > 1:
            ws.merge_cells(f"A{r}:A{min(r + per - 1, rows + 2)}")
        if i % 997 == 500:
            ws.row_dimensions[r].hidden = True
    wb.save(path)


def as_excel_saves(src: Path, dst: Path) -> None:
    """The same workbook as Excel saves it: text in a shared-string table, written as
    UTF-8 (openpyxl writes inline strings with character references)."""
    import re
    import zipfile

    table: dict[bytes, int] = {}

    def shared(m: re.Match) -> bytes:
        text = re.sub(rb"&#([0-9]+);", lambda r: chr(int(r.group(1))).encode("utf-8"), m.group(2))
        index = table.setdefault(text, len(table))
        return b'<c r="' + m.group(1) + b'" t="s"><v>' + str(index).encode() + b"</v></c>"

    cell = re.compile(rb'<c r="([A-Z]+[0-9]+)" t="inlineStr"><is><t>([^<]*)</t></is></c>')
    rel = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = cell.sub(shared, data)
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdS" Type="' + rel
                                    + b'" Target="sharedStrings.xml"/></Relationships>')
            zout.writestr(info, data)
        zout.writestr("xl/sharedStrings.xml", b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                      b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" '
                      b'uniqueCount="%d">' % (len(table), len(table))
                      + b"".join(b"<si><t>" + t + b"</t></si>" for t in table) + b"</sst>")


def reference_ledger(path: Path) -> None:
    """The reference spec's facts as a ledger: one row per fact, its text the 事项."""
    import csv

    sys.path.insert(0, str(ROOT))
    from drafter import load_spec
    from drafter._spec import fact_text

    spec = load_spec(SPEC)
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["板块", "事项", "责任单位"])
        for s in spec.sections:
            for fact in s.all_facts():
                w.writerow([s.topic, fact_text(fact), "办公室"])


def timed(cmd: list[str], runs: int, ok=(0, 1)) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
        out.append(time.perf_counter() - t)
        if r.returncode not in ok:
            raise SystemExit(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr.decode()[-400:]}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--rows", type=int, default=10_000)
    args = ap.parse_args()
    py = sys.executable
    med = statistics.median
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "台账.xlsx"
        big_ledger(big, args.rows)
        excel = Path(tmp) / "台账（Excel 保存）.xlsx"
        as_excel_saves(big, excel)
        ref = Path(tmp) / "参考台账.csv"
        reference_ledger(ref)
        spec = Path(tmp) / "spec.yaml"
        imp = timed([py, "-m", "drafter", "import", str(big), "-o", str(spec)], args.runs, ok=(0,))
        base = timed([py, "-m", "drafter", "check", str(REFERENCE), "--input", str(SPEC)], args.runs)
        small = timed([py, "-m", "drafter", "check", str(REFERENCE), "--facts", str(ref)], args.runs)
        large = timed([py, "-m", "drafter", "check", str(REFERENCE), "--facts", str(big)], args.runs)
        saved = timed([py, "-m", "drafter", "check", str(REFERENCE), "--facts", str(excel)], args.runs)
    print(f"import {args.rows}-row ledger               median {med(imp):.2f} s  best {min(imp):.2f} s  "
          f"goal 3 s: {'met' if med(imp) < 3 else 'NOT met'} (ratio {med(imp) / 3:.2f})")
    print(f"check reference --input spec             median {med(base):.2f} s  (baseline)")
    print(f"check reference --facts reference ledger median {med(small):.2f} s  ratio to baseline "
          f"{med(small) / med(base):.2f}; goal 1 s: {'met' if med(small) < 1 else 'NOT met'}")
    print(f"check reference --facts {args.rows}-row ledger  median {med(large):.2f} s  ratio to baseline "
          f"{med(large) / med(base):.2f}; goal 1 s: {'met' if med(large) < 1 else 'NOT met'}")
    print(f"  the same ledger as Excel saves it      median {med(saved):.2f} s  ratio to baseline "
          f"{med(saved) / med(base):.2f}; goal 1 s: {'met' if med(saved) < 1 else 'NOT met'}")


if __name__ == "__main__":
    main()
