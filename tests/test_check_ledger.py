"""A document judged against a department's own ledger (``check --facts LEDGER``), and a
part's facts with their provenance in ``status`` and the session; a re-imported ledger
makes stale exactly the parts whose facts changed, never the ones whose rows only moved."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from drafter import load_draft, load_spec
from drafter._draft import digest, part_inputs
from drafter._pipeline import prompt_digest
from drafter._spec import FactDetail
from drafter.app._session import run_session
from drafter.app.cli import build_parser
from tests.helpers import ROOT, cli
from tests.ledgers import HEADER, ROWS, csv_file, standard_ledger

REPORT = """2024年目标任务考核完成情况自查报告
2024年，在区委的正确领导下，我委统筹推进各项工作，确保了社会大局平安稳定。现将全年目标任务考核完成情况自查报告如下。
一、坚持以平安建设为牵引，推动社会治理大提升。全年排查整治各类问题隐患486件，新发刑事案件312起，同比上升8.2%，矛盾纠纷调解成功率98.5%。
二、坚持以队伍建设为牵引，推动作风素能大提升。开展专题培训12期，同比增长20%，培训干警1234人次。
三、坚持以法治建设为牵引，推动法治水平大提升。办理法律援助案件356起，同比下降3.1%，开展普法活动88场。
一年来，全区政法工作统筹推进。但对照更高要求，工作中还存在一些不足：特色亮点不够突出。新的一年，我们将坚持稳中求进工作总基调。
"""


def test_check_against_a_ledger_names_the_cell_of_each_finding(tmp_path):
    ledger = standard_ledger(tmp_path / "2024台账.xlsx")
    doc = tmp_path / "报告.txt"
    doc.write_text(REPORT, encoding="utf-8")
    r = cli("check", doc, "--facts", ledger, "--format", "json")
    assert r.returncode == 1
    payload = json.loads(r.stdout)
    assert payload["judged_numbers"] is True
    numbers = {f["code"]: f for f in payload["findings"] if f["family"] == "numbers"}
    # 356起 for 356件 (reported once, as a unit error of the fact it restates); 上升 for 下降
    assert set(numbers) == {"N002", "N003"}, payload["findings"]
    assert numbers["N003"]["source"] == "2024台账.xlsx 政法队伍!C4，责任单位：公安分局"
    assert numbers["N003"]["excerpt"] == "8.2%" and "政法队伍!C4" in numbers["N003"]["message"]
    assert numbers["N002"]["source"] == "2024台账.xlsx 政法队伍!C8，责任单位：司法局"
    assert numbers["N002"]["fact"].startswith("sections[2].facts[0]")
    text = cli("check", doc, "--facts", ledger)
    assert "出处：2024台账.xlsx 政法队伍!C8，责任单位：司法局" in text.stdout


def test_every_ledger_figure_the_report_restates_is_backed(tmp_path):
    ledger = standard_ledger(tmp_path / "台账.xlsx")
    doc = tmp_path / "报告.txt"
    doc.write_text(REPORT.replace("同比上升8.2%", "同比下降8.2%").replace("356起", "356件"), encoding="utf-8")
    r = cli("check", doc, "--facts", ledger, "--format", "json")
    assert r.returncode == 0, r.stdout
    assert [f for f in json.loads(r.stdout)["findings"] if f["severity"] == "error"] == []


def test_unused_ledger_rows_are_named_by_their_cell(tmp_path):
    ledger = standard_ledger(tmp_path / "台账.xlsx")
    doc = tmp_path / "报告.txt"
    doc.write_text(REPORT.replace("，培训干警1234人次", "").replace("356起", "356件"), encoding="utf-8")
    r = cli("check", doc, "--facts", ledger, "--format", "json")
    unused = [f for f in json.loads(r.stdout)["findings"] if f["code"] == "N008"]
    assert [f["source"] for f in unused] == ["台账.xlsx 政法队伍!C7，责任单位：政治部"]


def test_check_against_a_csv_ledger_and_a_plain_facts_file(tmp_path):
    rows = [HEADER, ["平安建设", "新发刑事案件", "312", "起", "-8.2%", "公安分局"]]
    ledger = csv_file(tmp_path / "台账.csv", rows, "utf-8-sig")
    doc = tmp_path / "段落.txt"
    doc.write_text("新发刑事案件312起，同比上升8.2%。\n", encoding="utf-8")
    r = cli("check", doc, "--facts", ledger, "--fragment", "--format", "json")
    [finding] = [f for f in json.loads(r.stdout)["findings"] if f["family"] == "numbers"]
    assert finding["code"] == "N003" and finding["source"] == "台账.csv 第2行C列，责任单位：公安分局"
    facts = tmp_path / "facts.txt"
    facts.write_text("# 一行一条\n新发刑事案件312起，同比下降8.2%\n", encoding="utf-8")
    r = cli("check", doc, "--facts", facts, "--fragment", "--format", "json")
    [finding] = [f for f in json.loads(r.stdout)["findings"] if f["family"] == "numbers"]
    assert finding["code"] == "N003" and finding["source"] is None and finding["fact"] == "facts:1"


def test_check_against_a_bad_ledger_exits_2(tmp_path):
    doc = tmp_path / "报告.txt"
    doc.write_text(REPORT, encoding="utf-8")
    bad = tmp_path / "台账.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    r = cli("check", doc, "--facts", bad)
    assert r.returncode == 2 and "台账.xls" in r.stderr and "旧版" in r.stderr and r.stdout == ""


def test_check_of_a_text_does_not_load_openpyxl(tmp_path):
    doc = tmp_path / "报告.txt"
    doc.write_text(REPORT, encoding="utf-8")
    code = ("import sys; from drafter.app.cli import main; rc = main(['check', sys.argv[1], '--format', 'json']); "
            "print('openpyxl' in sys.modules, file=sys.stderr)")
    r = subprocess.run([sys.executable, "-c", code, str(doc)], cwd=ROOT, capture_output=True, text=True,
                       env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert r.stderr.strip().splitlines()[-1] == "False", r.stderr


# ------------------------------------------------------------------ provenance and staleness

def test_a_source_is_no_input_of_a_part():
    spec = load_spec(ROOT / "examples" / "self-inspection-2021.yaml")
    sid = spec.sections[0].id
    before = digest(part_inputs(spec, sid))
    moved = spec.model_copy(deep=True)
    sec = moved.sections[0]
    facts = [FactDetail(text=f, source="台账.xlsx 政法!C99") if isinstance(f, str) else f.model_copy(update={"source": "别处"})
             for f in sec.facts]
    changed = moved.model_copy(update={"sections": [sec.model_copy(update={"facts": facts}), *moved.sections[1:]]})
    # a plain line and the same line with a source are the same input once sources are set aside
    assert digest(part_inputs(changed, sid)) == digest(
        part_inputs(moved.model_copy(update={"sections": [sec.model_copy(update={"facts": [
            FactDetail(text=f) if isinstance(f, str) else f.model_copy(update={"source": None}) for f in sec.facts]}),
            *moved.sections[1:]]}), sid))
    assert digest(part_inputs(spec, sid)) == before


def _edited_rows():
    """平安建设 gains a row at its top (every cell below moves down one row), 法治建设's
    356 becomes 365; 队伍建设 is unchanged but its rows moved."""
    rows = [list(r) for r in ROWS]
    rows.insert(0, ["平安建设", "开展平安宣传", 15, "场", None, "宣传部"])
    rows[1][0] = None
    rows[6][2] = 365
    return rows


def test_reimport_marks_stale_exactly_the_parts_whose_facts_changed(tmp_path):
    ledger = standard_ledger(tmp_path / "台账.xlsx")
    spec = tmp_path / "spec.yaml"
    assert cli("import", ledger, "-o", spec, "--period", "2024").returncode == 0
    draft = tmp_path / "d.json"
    assert cli("draft", spec, "--save", draft, "-o", tmp_path / "d.md").returncode == 1  # placeholders
    standard_ledger(ledger, _edited_rows())
    assert cli("import", ledger, "-o", spec, "--period", "2024").returncode == 0
    report = load_spec(spec)
    team = report.sections[1]
    assert team.facts[0].source == "台账.xlsx 政法队伍!C7，责任单位：政治部"   # was C6: the row moved
    stale = load_draft(draft).stale(report, prompt_digest(report.kind))
    assert stale == [report.sections[0].id, report.sections[2].id]
    r = cli("status", draft)
    assert r.returncode == 0 and f"过期部分：{report.sections[0].id}、{report.sections[2].id}" in r.stdout


def test_status_lists_each_parts_facts_with_their_cells(tmp_path):
    ledger = standard_ledger(tmp_path / "台账.xlsx")
    spec = tmp_path / "spec.yaml"
    cli("import", ledger, "-o", spec)
    draft = tmp_path / "d.json"
    cli("draft", spec, "--save", draft, "-o", tmp_path / "d.md")
    r = cli("status", draft, "--facts")
    assert r.returncode == 0
    out = r.stdout
    for cell in ("政法队伍!C3", "政法队伍!C4", "政法队伍!C7", "政法队伍!C9"):
        assert cell in out
    first = out.index("第1部分"), out.index("第2部分"), out.index("第3部分")
    assert first == tuple(sorted(first))
    assert out.index("政法队伍!C4") < first[1] < out.index("政法队伍!C6") < first[2]


class _Script(io.StringIO):
    """Session input: lines, and callables run between them (a user editing files)."""

    def __init__(self, *steps):
        super().__init__()
        self.steps = list(steps)

    def readline(self, *_):
        while self.steps:
            step = self.steps.pop(0)
            if callable(step):
                step()
                continue
            return step + "\n"
        return ""


def test_session_shows_facts_and_reload_marks_exactly_the_changed_parts(tmp_path, capsys):
    ledger = standard_ledger(tmp_path / "台账.xlsx")
    spec = tmp_path / "spec.yaml"
    cli("import", ledger, "-o", spec, "--period", "2024")

    def reimport():
        standard_ledger(ledger, _edited_rows())
        assert cli("import", ledger, "-o", spec, "--period", "2024").returncode == 0

    args = build_parser().parse_args(["session", str(spec)])
    rc = run_session(args, stdin=_Script("facts 1", "facts opening", reimport, "reload", "facts 3", "quit"))
    out = capsys.readouterr().out
    assert rc == 0
    report = load_spec(spec)
    a, b, c = (s.id for s in report.sections)
    assert "台账.xlsx 政法队伍!C4，责任单位：公安分局" in out.split("reload")[0]
    assert "开头段由开头、结尾字段写成" in out
    assert f"输入有变化、新标为过期：{a}、{c}。" in out
    assert "台账.xlsx 政法队伍!C9，责任单位：司法局" in out.split("reload")[-1]   # 法治建设's 365 moved to C9
    assert "该部分的事实已改变（过期）" in out.split("reload")[-1]
