"""`drafter check` on the reference document, on composer output, and its formats."""

import json

import pytest

from drafter import Drafter, load_spec, to_markdown, to_text, validate
from helpers import REFERENCE_DOC, REFERENCE_SPEC, SMALL_SPEC, cli


@pytest.fixture(scope="module")
def reference_findings():
    r = cli("check", str(REFERENCE_DOC), "--format", "json")
    assert r.returncode == 1, r.stderr
    return json.loads(r.stdout)["findings"]


def excerpts(findings, family=None):
    return [f["excerpt"] for f in findings if family is None or f["family"] == family]


def test_reference_defects_are_caught(reference_findings):
    text = REFERENCE_DOC.read_text(encoding="utf-8")
    hyg = [f for f in reference_findings if f["family"] == "hygiene"]
    joined = " ".join(f["excerpt"] for f in hyg)
    assert "dadawk01" in joined or any("微 信" in f["excerpt"] for f in hyg)
    assert sum("##paidbegin##" in f["excerpt"] for f in hyg) >= 1
    assert sum("##paidend##" in f["excerpt"] for f in hyg) >= 1
    assert any("场所场所" in f["excerpt"] or f["excerpt"] == "场所" for f in hyg)
    assert any("组组" in f["excerpt"] for f in hyg)
    assert any(")" in f["excerpt"] for f in hyg)  # （试行)
    assert any(set(f["excerpt"]) <= {"x", "X"} for f in hyg)
    for f in reference_findings:  # offsets really point into the file's text
        assert text[f["start"]:f["end"]] == f["excerpt"]


@pytest.mark.parametrize("term", ["三安", "三牛", "九大行动", "四个一", "十四运", "十九届六中全会",
                                  "党的二十大", "一站式", "件件有着落"])
def test_reference_fixed_terms_are_clean(reference_findings, term):
    text = REFERENCE_DOC.read_text(encoding="utf-8")
    for f in reference_findings:
        for i in [i for i in range(len(text)) if text.startswith(term, i)]:
            assert not (f["start"] < i + len(term) and i < f["end"]), (term, f)


def test_reference_section_ordinals_are_clean(reference_findings):
    assert not [f for f in reference_findings if f["family"] == "structure" and f["severity"] == "error"]


@pytest.mark.parametrize("spec_path", [REFERENCE_SPEC, SMALL_SPEC])
@pytest.mark.parametrize("render", [to_markdown, to_text])
def test_composer_output_passes_check_with_zero_errors(spec_path, render):
    spec = load_spec(spec_path)
    draft = Drafter().draft(spec)
    text = render(draft)
    errors = [f for f in validate(text, spec) if f.severity == "error"]
    assert errors == []
    assert all(p.error_count == 0 for p in draft.parts)


def test_composer_uses_every_input_figure():
    spec = load_spec(REFERENCE_SPEC)
    text = to_markdown(Drafter().draft(spec))
    unused = [f for f in validate(text, spec) if f.code == "N008"]
    assert unused == []


def test_invented_figure_is_an_error_with_exit_1(tmp_path):
    spec = load_spec(SMALL_SPEC)
    text = to_text(Drafter().draft(spec)).replace("。", "，新增调解案件999件。", 1)
    p = tmp_path / "r.txt"
    p.write_text(text, encoding="utf-8")
    r = cli("check", str(p), "--input", str(SMALL_SPEC), "--format", "json")
    assert r.returncode == 1
    found = json.loads(r.stdout)["findings"]
    assert [f["excerpt"] for f in found if f["code"] == "N001"] == ["999件"]


def test_facts_file_judges_numbers(tmp_path):
    facts = tmp_path / "facts.txt"
    facts.write_text("# 台账\n全年新发刑事案件312起，同比下降8.2%\n\n破获186起\n", encoding="utf-8")
    doc = tmp_path / "frag.txt"
    doc.write_text("全年新发刑事案件三百一十二起，同比上升8.2%；破获200余起。", encoding="utf-8")
    r = cli("check", str(doc), "--facts", str(facts), "--fragment", "--format", "json")
    codes = {f["code"]: f["excerpt"] for f in json.loads(r.stdout)["findings"]}
    assert codes.get("N003") == "8.2%"
    assert codes.get("N005") == "200余起"
    assert "N001" not in codes  # 三百一十二起 = 312起
    assert r.returncode == 1


def test_text_output_shows_line_excerpt_and_summary(tmp_path):
    doc = tmp_path / "frag.txt"
    doc.write_text("工作都搞定了！\n", encoding="utf-8")
    r = cli("check", str(doc), "--fragment")
    assert r.returncode == 1
    assert "1:" in r.stdout and "搞定" in r.stdout and "完成" in r.stdout
    assert "检查汇总" in r.stdout and "未与输入核对" in r.stdout


def test_clean_fragment_exits_0(tmp_path):
    doc = tmp_path / "ok.txt"
    doc.write_text("全年新发刑事案件312起，同比下降8.2%。\n", encoding="utf-8")
    facts = tmp_path / "facts.txt"
    facts.write_text("全年新发刑事案件312起，同比下降8.2%\n", encoding="utf-8")
    r = cli("check", str(doc), "--facts", str(facts), "--fragment")
    assert r.returncode == 0, r.stdout


def test_unreadable_input_exits_2(tmp_path):
    r = cli("check", str(tmp_path / "missing.txt"))
    assert r.returncode == 2 and "不存在" in r.stderr


def test_check_does_not_import_openai(tmp_path):
    import subprocess
    import sys

    from helpers import ROOT

    code = ("import sys; from drafter.app.cli import main; rc = main(['check', %r, '--fragment', '--format', 'json']); "
            "print('openai' in sys.modules)" % str(REFERENCE_DOC))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_organisation_lexicon_extends_fixed_expressions_and_register(tmp_path):
    doc = tmp_path / "frag.txt"
    doc.write_text("深入实施六项工程，工作推进很给劲。\n", encoding="utf-8")
    facts = tmp_path / "facts.txt"
    facts.write_text("全年新发刑事案件312起\n", encoding="utf-8")
    base = cli("check", str(doc), "--facts", str(facts), "--fragment", "--format", "json")
    codes = [f["code"] for f in json.loads(base.stdout)["findings"]]
    assert "N001" in codes  # 六项 read as an unbacked figure
    lex = tmp_path / "org.yaml"
    lex.write_text("fixed_expressions:\n  words:\n    六项工程: ~\ncolloquial:\n  words:\n    给劲: 有力\n",
                   encoding="utf-8")
    r = cli("check", str(doc), "--facts", str(facts), "--fragment", "--format", "json", "--lexicon", str(lex))
    found = json.loads(r.stdout)["findings"]
    assert "N001" not in [f["code"] for f in found]
    assert [(f["code"], f["excerpt"], f["suggestion"]) for f in found if f["family"] == "register"] == [
        ("R001", "给劲", "有力")]


def test_bad_organisation_lexicon_exits_2(tmp_path):
    doc = tmp_path / "frag.txt"
    doc.write_text("工作。\n", encoding="utf-8")
    lex = tmp_path / "org.yaml"
    lex.write_text("colloqial:\n  words: {给劲: 有力}\n", encoding="utf-8")
    r = cli("check", str(doc), "--lexicon", str(lex))
    assert r.returncode == 2 and "org.yaml" in r.stderr and "Traceback" not in r.stderr
