"""`drafter check` on Word files and on many files at once: per-file text with a total,
JSON Lines, folders, worker processes, unreadable files, encodings."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from helpers import REFERENCE_DOC, ROOT, cli

CLEAN = "全年新发刑事案件312起，同比下降8.2%。\n"
SLANG = "工作都搞定了！\n"


def word(path, *paragraphs: str) -> str:
    from docx import Document

    doc = Document()
    for text in paragraphs:
        para = doc.add_paragraph()
        first, *rest = text.split("\n")  # a "\n" is a line break inside the paragraph (Shift+Enter)
        run = para.add_run(first)
        for line in rest:
            run.add_break()
            run.add_text(line)
    doc.save(str(path))
    return str(path)


@pytest.fixture
def files(tmp_path):
    (tmp_path / "a.txt").write_bytes(CLEAN.encode("gbk"))
    word(tmp_path / "b.docx", "开展专项行动。", "全年排查隐患。", "工作都搞定了！")
    (tmp_path / "c.md").write_text("# 小结\n\n" + CLEAN, encoding="utf-8")
    return [str(tmp_path / n) for n in ("a.txt", "b.docx", "c.md")]


def json_lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def test_text_output_per_file_then_a_total(files):
    r = cli("check", *files, "--fragment")
    assert r.returncode == 1  # b.docx has an error
    out = r.stdout
    heads = [out.index(f) for f in files]
    assert heads == sorted(heads)  # in the order given
    assert f"{files[1]}:3:" in out and "搞定" in out  # the finding's line is the Word paragraph
    assert "GB18030 编码" in out  # a.txt was not UTF-8
    assert "检查汇总（3 个文件）" in out and "合计" in out
    assert out.count("未发现问题") == 2


def test_json_lines_are_the_single_file_objects(files):
    r = cli("check", *files, "--fragment", "--format", "json")
    lines = json_lines(r.stdout)
    assert [o["file"] for o in lines] == files
    for path, obj in zip(files, lines):
        alone = cli("check", path, "--fragment", "--format", "json")
        assert json.loads(alone.stdout) == obj
    a, b, c = lines
    assert (a["format"], a["encoding"]) == ("txt", "gb18030")
    assert (b["format"], b["encoding"]) == ("docx", None)
    assert (c["format"], c["encoding"]) == ("md", "utf-8")
    assert [(f["code"], f["line"], f["excerpt"]) for f in b["findings"] if f["family"] == "register"][0][1:] == (
        3, "搞定")
    assert b["summary"]["errors"] >= 1 and a["summary"] == {"errors": 0, "warnings": 0, "derived": 0}


def test_an_unreadable_file_is_reported_and_the_others_checked(files, tmp_path):
    old = tmp_path / "旧报告.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    given = [files[0], str(old), str(tmp_path / "missing.txt"), files[1]]
    r = cli("check", *given, "--fragment", "--format", "json")
    assert r.returncode == 2  # unreadable input wins over errors found
    lines = json_lines(r.stdout)
    assert [o["file"] for o in lines] == given
    assert "另存为" in lines[1]["error"]["message"] and "不存在" in lines[2]["error"]["message"]
    assert "findings" in lines[0] and "findings" in lines[3]
    text = cli("check", *given, "--fragment")
    assert text.returncode == 2 and "无法读取" in text.stdout and "2 个无法读取" in text.stdout


def test_a_folder_is_every_document_below_it_in_order(tmp_path):
    root = tmp_path / "各单位"
    (root / "乙局" / "附件").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "甲局.txt").write_text(CLEAN, encoding="utf-8")
    (root / "乙局" / "报告.md").write_text(CLEAN, encoding="utf-8")
    (root / "乙局" / "附件" / "表.txt").write_text(CLEAN, encoding="utf-8")
    word(root / "乙局" / "报告.docx", "正文。")
    (root / "乙局" / "~$报告.docx").write_bytes(b"lock")  # Word's lock file while it is open
    (root / ".git" / "x.txt").write_text("x", encoding="utf-8")
    (root / ".隐藏.txt").write_text("x", encoding="utf-8")
    (root / "照片.png").write_bytes(b"\x89PNG")
    r = cli("check", root, "--fragment", "--format", "json")
    assert r.returncode == 0, r.stdout
    names = [str(__import__("pathlib").Path(o["file"]).relative_to(root)) for o in json_lines(r.stdout)]
    assert names == ["乙局/报告.docx", "乙局/报告.md", "乙局/附件/表.txt", "甲局.txt"]


def test_an_empty_folder_is_bad_input(tmp_path):
    r = cli("check", tmp_path)
    assert r.returncode == 2 and "没有可检查的文稿" in r.stderr


def test_worker_processes_give_the_same_lines_in_input_order(tmp_path):
    paths = []
    for i in range(8):
        p = tmp_path / f"{i}.txt"
        p.write_text((SLANG if i % 3 == 0 else CLEAN) * (i + 1), encoding="utf-8" if i % 2 else "gb18030")
        paths.append(str(p))
    paths.reverse()  # not sorted: the order given is the order reported
    one = cli("check", *paths, "--fragment", "--format", "json", "--jobs", "1")
    two = cli("check", *paths, "--fragment", "--format", "json", "--jobs", "2")
    assert one.returncode == two.returncode == 1
    assert two.stdout == one.stdout
    assert [o["file"] for o in json_lines(two.stdout)] == paths
    text_one = cli("check", *paths, "--fragment", "--jobs", "1")
    text_two = cli("check", *paths, "--fragment", "--jobs", "2")
    assert text_two.stdout == text_one.stdout


def test_bad_jobs_value_is_a_usage_error(files):
    r = cli("check", *files, "--jobs", "-1")
    assert r.returncode == 2 and "不能为负数" in r.stderr


def test_word_line_breaks_keep_the_paragraph_as_the_line(tmp_path):
    path = word(tmp_path / "r.docx", "第一段。", "第二段上半\n下半。", "这件事搞定了。")
    found = json.loads(cli("check", path, "--fragment", "--format", "json").stdout)["findings"]
    slang = [f for f in found if f["excerpt"] == "搞定"]
    assert [(f["line"], f["column"]) for f in slang] == [(3, 4)]


def test_the_encoding_read_is_said_when_not_utf8(tmp_path):
    p = tmp_path / "r.txt"
    p.write_bytes(CLEAN.encode("utf-16"))
    r = cli("check", p, "--fragment")
    assert r.returncode == 0 and "按 UTF-16-LE 编码读取" in r.stderr
    p.write_text(CLEAN, encoding="utf-8")
    assert "编码读取" not in cli("check", p, "--fragment").stderr


def test_reference_as_gbk_gives_the_same_findings_as_utf8(tmp_path):
    p = tmp_path / "reference-gbk.txt"
    p.write_bytes(REFERENCE_DOC.read_bytes().decode("utf-8").encode("gb18030"))
    utf8 = json.loads(cli("check", REFERENCE_DOC, "--format", "json").stdout)
    gbk = json.loads(cli("check", p, "--format", "json").stdout)
    assert gbk["findings"] == utf8["findings"]


def test_python_docx_is_imported_only_for_word_files(tmp_path):
    text, docx = tmp_path / "r.txt", word(tmp_path / "r.docx", "正文。")
    text.write_text(CLEAN, encoding="utf-8")
    code = ("import sys; from drafter.app.cli import main\n"
            "def loaded(): return ['docx' in sys.modules, 'charset_normalizer' in sys.modules, "
            "'multiprocessing' in sys.modules]\n"
            "main(['check', %r, '--fragment', '--format', 'json']); after_text = loaded()\n"
            "main(['check', %r, '--fragment', '--format', 'json']); print(after_text, loaded())" % (str(text), docx))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip().splitlines()[-1] == "[False, False, False] [True, False, False]"
