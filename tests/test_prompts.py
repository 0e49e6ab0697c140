"""Prompts are data: sandboxed, strict, overridable file by file, input kept as data."""

import pytest

from drafter import Drafter, PromptError, load_spec, to_text
from drafter._prompts import render
from helpers import SMALL_SPEC, cli


def test_user_prompt_folder_overrides_by_relative_path(tmp_path):
    folder = tmp_path / "my-prompts" / "self_inspection" / "scaffold"
    folder.mkdir(parents=True)
    (folder / "closing.j2").write_text(
        "一年来，{{ report.closing.summary | clause }}。存在的不足：{{ report.closing.shortcomings | join('；') }}。"
        "新的一年，我们将{{ report.closing.plans | join('，') }}。", encoding="utf-8")
    spec = load_spec(SMALL_SPEC)
    draft = Drafter(prompts_dir=str(tmp_path / "my-prompts")).draft(spec)
    assert "存在的不足：" in draft.part("closing").text
    # Everything not overridden still comes from the bundled templates.
    assert draft.part("opening").text == Drafter().draft(spec).part("opening").text
    r = cli("draft", str(SMALL_SPEC), "--prompts", str(tmp_path / "my-prompts"), "-f", "txt")
    assert r.returncode == 0 and "存在的不足：" in r.stdout


def test_model_prompts_can_be_overridden_too(tmp_path):
    spec = load_spec(SMALL_SPEC)
    folder = override(tmp_path, "system.j2", "本单位自定的写作要求。{{ report.organ }}")
    msgs = Drafter(prompts_dir=folder).messages_for(spec, spec.sections[0].id)
    assert msgs[0]["content"] == f"本单位自定的写作要求。{spec.organ}"


def override(tmp_path, name: str, text: str) -> str:
    """A user prompt folder overriding one template; returns the folder."""
    path = tmp_path / "p" / "self_inspection" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(tmp_path / "p")


@pytest.mark.parametrize("template", [
    "{{ report.no_such_field }}",                                  # strict: no silent empty string
    "{{ report.__class__.__mro__[1].__subclasses__() }}",          # sandboxed
])
def test_bad_template_is_a_prompt_error(tmp_path, template):
    with pytest.raises(PromptError):
        Drafter(prompts_dir=override(tmp_path, "scaffold/opening.j2", template)).draft(load_spec(SMALL_SPEC))


def test_broken_template_exits_2_with_file_and_line(tmp_path):
    r = cli("draft", str(SMALL_SPEC), "--prompts", override(tmp_path, "scaffold/closing.j2", "第一行\n{% if %}"))
    assert r.returncode == 2 and "closing.j2" in r.stderr and "第 2 行" in r.stderr
    assert "Traceback" not in r.stderr


def test_data_filter_keeps_a_fact_inside_its_block():
    out = render("self_inspection", "section.j2", report=load_spec(SMALL_SPEC),
                 section=load_spec(SMALL_SPEC).sections[0], number=1, number_cn="一", headings=[],
                 heading_line="一、法治宣传教育")
    assert out.count("<<<资料") == 1 and out.count("资料>>>") == 1


def test_composer_text_is_one_paragraph_per_part():
    text = to_text(Drafter().draft(load_spec(SMALL_SPEC)))
    body, ending = text.strip().split("\n\n")  # the 署名 and 成文日期 follow a blank line
    assert len(body.splitlines()) == 1 + 2 + len(load_spec(SMALL_SPEC).sections)
    assert ending.splitlines() == ["城固县司法局", "2023年12月18日"]
