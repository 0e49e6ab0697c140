"""Draft files, staleness, regeneration and export on the offline path."""

import json

from drafter import Drafter, load_draft, load_spec, save_draft, to_markdown
from helpers import REFERENCE_SPEC, SMALL_SPEC, cli


def test_reference_report_has_the_reference_shape():
    r = cli("draft", str(REFERENCE_SPEC), "--format", "txt")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "2021年目标任务考核完成情况自查报告"
    assert lines[1].startswith("2021年，在区委、区政府和市委政法委的正确领导下") and lines[1].endswith("现将全年目标任务考核完成情况自查报告如下。")
    ordinals = [ln[:2] for ln in lines[2:9]]
    assert ordinals == ["一、", "二、", "三、", "四、", "五、", "六、", "七、"]
    assert lines[2].startswith("一、坚持以政法队伍教育整顿为牵引，推动作风素能大提升。")
    assert lines[9].startswith("一年来，") and "新的一年，" in lines[9]


def test_json_output_is_the_draft_as_data(tmp_path):
    out = tmp_path / "d.json"
    r = cli("draft", str(SMALL_SPEC), "--format", "json", "-o", str(out))
    assert r.returncode == 0, r.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    sec = [p for p in data["parts"] if p["role"] == "section"]
    assert [p["id"] for p in sec] == [s.id for s in load_spec(SMALL_SPEC).sections]
    assert all(p["origin"] == "composer" and p["input_digest"] and p["heading"] and p["text"] for p in sec)


def test_save_status_regen_stale_export(tmp_path):
    spec_path = tmp_path / "spec.yaml"
    spec_path.write_text(SMALL_SPEC.read_text(encoding="utf-8"), encoding="utf-8")
    d = tmp_path / "d.json"
    assert cli("draft", str(spec_path), "--save", str(d)).returncode == 0
    before = load_draft(d)
    r = cli("status", str(d))
    assert r.returncode == 0 and "所有部分都是最新的" in r.stdout

    spec = load_spec(spec_path)
    first = spec.sections[0]
    old_fact = first.facts[0] if isinstance(first.facts[0], str) else first.facts[0].text
    spec_path.write_text(spec_path.read_text(encoding="utf-8").replace(old_fact, old_fact + "，覆盖群众1.5万人次"),
                         encoding="utf-8")
    r = cli("status", str(d))
    assert first.id in r.stdout and "过期" in r.stdout
    r = cli("regen", str(d), "--stale")
    assert r.returncode == 0, r.stderr
    after = load_draft(d)
    changed = [p.id for p, q in zip(before.parts, after.parts) if p.model_dump_json() != q.model_dump_json()]
    assert changed == [first.id]
    assert "1.5万人次" in after.part(first.id).text
    assert after.part(first.id).history[-1].text == before.part(first.id).text
    assert "所有部分都是最新的" in cli("status", str(d)).stdout

    r = cli("export", str(d), "--format", "md")
    assert r.returncode == 0 and r.stdout.startswith("# ")
    docx = tmp_path / "r.docx"
    assert cli("export", str(d), "--format", "docx", "-o", str(docx)).returncode == 0
    from docx import Document

    paras = [p.text for p in Document(str(docx)).paragraphs]
    assert paras[0] == after.title and paras[1] == "" and paras[3].startswith("一、")  # 标题下空一行


def test_hand_edit_is_protected(tmp_path):
    spec = load_spec(SMALL_SPEC)
    drafter = Drafter()
    draft = drafter.draft(spec)
    part = draft.sections[0]
    part.replace_text("手工改写的正文。", "hand")
    d = tmp_path / "d.json"
    save_draft(draft, d)
    r = cli("regen", str(d), part.id, "--spec", str(SMALL_SPEC))
    assert r.returncode != 0 and "手工" in r.stderr
    assert load_draft(d).part(part.id).text == "手工改写的正文。"
    r = cli("regen", str(d), "1", "--spec", str(SMALL_SPEC), "--force")
    assert r.returncode == 0, r.stderr
    assert load_draft(d).part(part.id).origin == "composer"


def test_broken_draft_file_is_a_clear_error(tmp_path):
    d = tmp_path / "d.json"
    d.write_text("{not json", encoding="utf-8")
    r = cli("status", str(d))
    assert r.returncode == 2 and "草稿文件" in r.stderr and "Traceback" not in r.stderr


def test_save_is_atomic_and_leaves_no_temp_files(tmp_path):
    spec = load_spec(SMALL_SPEC)
    draft = Drafter().draft(spec)
    d = tmp_path / "d.json"
    save_draft(draft, d)
    save_draft(draft, d)
    assert [p.name for p in tmp_path.iterdir()] == ["d.json"]
    assert to_markdown(load_draft(d)) == to_markdown(draft)


def test_saved_files_are_not_private_by_accident(tmp_path):
    import os
    import stat

    d = tmp_path / "d.json"
    save_draft(Drafter().draft(load_spec(SMALL_SPEC)), d)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(d.stat().st_mode) == 0o666 & ~umask
    os.chmod(d, 0o640)
    save_draft(load_draft(d), d)
    assert stat.S_IMODE(d.stat().st_mode) == 0o640


def test_regen_refuses_while_a_session_holds_the_draft(tmp_path):
    from drafter.app._lock import SessionLock

    d = tmp_path / "d.json"
    assert cli("draft", str(SMALL_SPEC), "--save", str(d)).returncode == 0
    before = d.read_bytes()
    with SessionLock(d):
        r = cli("regen", str(d), "1")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert d.read_bytes() == before
    assert cli("regen", str(d), "1").returncode == 0  # lock released: works again


def test_only_keeps_the_sections_own_ordinal():
    spec = load_spec(SMALL_SPEC)
    r = cli("draft", str(SMALL_SPEC), "--only", spec.sections[1].id, "-f", "txt")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[1].startswith("二、" + spec.heading_of(spec.sections[1]))


def test_python_m_drafter_runs_as_a_process():
    """One smoke test through a real interpreter start (the rest run the CLI in process)."""
    from helpers import run_cli

    r = run_cli("draft", str(SMALL_SPEC), "-f", "txt")
    assert r.returncode == 0 and "现将" in r.stdout and r.stderr == ""
    bad = run_cli("check", "/nonexistent/报告.txt")
    assert bad.returncode == 2 and "不存在" in bad.stderr and "Traceback" not in bad.stderr
