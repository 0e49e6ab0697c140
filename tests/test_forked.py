"""Work shared with a forked child (``drafter._forked``): a large ledger's rows made
into facts half in a child, a text's words and shape checked in a child while its
figures are grounded — each gives exactly what the same work gives in one process,
and whatever the child cannot give back is done in the parent."""

from __future__ import annotations

import os

import pytest

from drafter import InputError, _numbers
from drafter._forked import Forked, can_fork
from drafter.app import _check
from drafter.importing import _ledger_facts, ledger_report
from tests.helpers import ROOT
from tests.ledgers import workbook
from tests.test_check_ledger import REPORT

needs_fork = pytest.mark.skipif(not can_fork(), reason="fork with a second processor is what is tested")
ITEMS = ["排查整治问题隐患", "开展专项检查", "受理群众来信来访", "办理法律援助案件", "调解矛盾纠纷", "新发刑事案件"]


def _ledger(path, rows=60, bad_at=None):
    body = []
    for i in range(rows):
        value = "若干" if i == bad_at else 100 + i * 7
        body.append(["平安建设" if i == 0 else ("队伍建设" if i == rows // 2 else None),
                     f"{ITEMS[i % len(ITEMS)]}（{i // len(ITEMS) + 1}）", value, ["件", "起", "人次"][i % 3],
                     round(0.01 * (i % 9) - 0.04, 3) if i % 4 == 0 else None, f"科室{i % 5 + 1}"])
    formats = {f"E{i + 3}": "0.0%" for i in range(rows) if i % 4 == 0}
    return workbook(path, {"台账": body}, formats={"台账": formats})


@needs_fork
def test_a_child_gives_back_what_the_work_gives_and_the_parent_stands_in_when_it_cannot():
    assert Forked(lambda: [os.getpid(), "数据"]).result()[1] == "数据"
    assert Forked(lambda: os.getpid()).result() != os.getpid()  # done in the child
    assert Forked(lambda: os.getpid(), encode=lambda v: 1 / 0).result() == os.getpid()  # nothing came back

    def fails():
        raise InputError("台账 x.xlsx 台账!C9：不是数字")

    with pytest.raises(InputError, match="C9"):
        Forked(fails).result()  # the child failed; the parent's own try says why
    child = Forked(lambda: __import__("time").sleep(30))
    pid = child._pid
    child.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)  # killed and reaped


@needs_fork
def test_a_large_ledger_shared_with_a_child_is_the_ledger_read_in_one_process(tmp_path, monkeypatch):
    path = _ledger(tmp_path / "台账.xlsx")
    alone = ledger_report(path)
    _numbers._MEMO.clear()
    monkeypatch.setattr(_ledger_facts, "FORK_FROM_ROWS", 10)
    shared = ledger_report(path, fork=True)
    assert shared == alone and len(shared.sections) == 2
    last = shared.sections[-1].facts[-1]
    # the child's readings of its texts came back with its facts
    assert _numbers._MEMO[last.text] == tuple(_numbers._extract(last.text, _numbers.fixed_expression_re()))


@needs_fork
def test_a_bad_cell_in_the_childs_half_is_refused_as_in_one_process(tmp_path, monkeypatch):
    path = _ledger(tmp_path / "坏台账.xlsx", bad_at=50)
    with pytest.raises(InputError) as alone:
        ledger_report(path)
    monkeypatch.setattr(_ledger_facts, "FORK_FROM_ROWS", 10)
    with pytest.raises(InputError) as shared:
        ledger_report(path, fork=True)
    assert str(shared.value) == str(alone.value) and "C53" in str(alone.value)


@needs_fork
def test_a_text_checked_in_two_processes_has_the_findings_of_one(tmp_path, monkeypatch):
    path = _ledger(tmp_path / "台账.xlsx")
    doc = tmp_path / "报告.txt"
    # web junk around a figure: the numbers finding inside it is dropped in the merge too
    doc.write_text(REPORT + "阅读量：2836 责任编辑：张三\n", encoding="utf-8")
    options = _check.CheckOptions(ledger=ledger_report(path))
    alone = _check.check_file(str(doc), options)
    monkeypatch.setattr(_check, "FORK_FROM_FIGURES", 10)
    shared = _check.check_file(str(doc), options)
    assert shared.payload() == alone.payload()
    assert {f.family for f in alone.findings} >= {"numbers", "hygiene"}


def test_the_reference_checked_against_its_own_ledger_keeps_its_findings(monkeypatch):
    """Where fork cannot be used, the same path runs in one process."""
    from drafter.app import _check as check

    options = check.CheckOptions(spec=__import__("drafter").load_spec(ROOT / "examples" / "self-inspection-2021.yaml"))
    before = check.check_file(str(ROOT / "tests" / "corpus" / "reference-2021.txt"), options)
    monkeypatch.setattr(check, "FORK_FROM_FIGURES", 1)
    monkeypatch.setattr("drafter._forked.can_fork", lambda: False)
    assert check.check_file(str(ROOT / "tests" / "corpus" / "reference-2021.txt"), options).payload() == before.payload()
