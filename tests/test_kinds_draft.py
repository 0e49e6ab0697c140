"""The draftable kinds: 自查报告, 工作总结, 述职报告, 工作要点.

What each kind needs from a spec, how its document is framed (numbered headings
around the parts), and the offline composer's prose for every kind, as properties
checked over the examples and the test specs in tests/corpus/kinds/ (terse to rich,
a person's and a team's 述职, plans with and without a closing).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import get_args

import pytest
import yaml

from drafter import Drafter, load_draft, load_spec, parse_spec, to_markdown, to_text, validate
from drafter._draft import Draft, part_inputs
from drafter._evidence import Evidence
from drafter._frame import Frame
from drafter._kinds import detect_kind, get_kind
from drafter._pipeline import part_as_it_stands
from drafter._spec import DOCUMENT_KINDS, DraftableKind
from drafter import SpecError
from drafter.export import paragraphs
from helpers import REFERENCE_SPEC, ROOT, SMALL_SPEC, cli
from helpers import split_outside_quotes as split  # the tests' own splitter, not the composer's

KIND_SPECS = sorted((ROOT / "tests" / "corpus" / "kinds").glob("*.yaml"))
EXAMPLES = {"work_summary": ROOT / "examples" / "work-summary-2024.yaml",
            "debriefing": ROOT / "examples" / "debriefing-2024.yaml",
            "work_plan": ROOT / "examples" / "work-plan-2025.yaml"}
SPECS = [*EXAMPLES.values(), *KIND_SPECS]
ALL_SPECS = [REFERENCE_SPEC, SMALL_SPEC, *SPECS]
TEMPLATES = ("system.j2", "section.j2", "revise.j2", "regenerate.j2",
             "scaffold/opening.j2", "scaffold/section.j2", "scaffold/closing.j2")
WORDING = yaml.safe_load((ROOT / "drafter" / "data" / "composer" / "wording.yaml").read_text(encoding="utf-8"))
CONNECTIVES = [c["text"] for c in WORDING["connectives"]["words"]]
MAX_CHARS = yaml.safe_load((ROOT / "drafter" / "data" / "composer" / "sentences.yaml").read_text(
    encoding="utf-8"))["max_chars"]

_cache: dict[Path, tuple] = {}


def drafted(path: Path):
    if path not in _cache:
        spec = load_spec(path)
        _cache[path] = (spec, Drafter().draft(spec))
    return _cache[path]


def ids(paths):
    return [p.stem for p in paths]


def spec_text(**fields) -> str:
    """A minimal spec of a kind as YAML, with fields replaced or added."""
    base = {
        "kind": "work_summary", "organ": "城关镇人民政府", "period": 2024,
        "opening": {"guidance": "镇党委、镇政府统筹推进各项工作", "results": "各项工作稳步推进"},
        "sections": [{"id": "a", "topic": "民生保障", "facts": ["新增城镇就业420人"]}],
        "closing": {"shortcomings": ["基础设施仍有短板"], "plans": ["持续改善民生福祉"]},
    }
    for k, v in fields.items():
        if v is None:
            base.pop(k, None)
        else:
            base[k] = v
    return yaml.safe_dump(base, allow_unicode=True, sort_keys=False)


def problems_of(text: str) -> str:
    with pytest.raises(SpecError) as exc:
        parse_spec(text, name="k.yaml")
    return "\n".join([str(exc.value), *exc.value.problems])


# --- the kinds a spec may name ----------------------------------------------------------------


def test_draftable_kinds_agree_everywhere():
    """The spec's Literal, DOCUMENT_KINDS, the kind files that say how to draft, the
    JSON Schema's enum, and each kind's prompts folder, starter and example."""
    draftable = {k for k in DOCUMENT_KINDS if get_kind(k).draftable}
    assert set(get_args(DraftableKind)) == set(DOCUMENT_KINDS) == draftable
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    assert set(schema["properties"]["kind"]["enum"]) == set(DOCUMENT_KINDS)
    for kind in DOCUMENT_KINDS:
        for name in TEMPLATES:
            assert (ROOT / "prompts" / kind / name).is_file(), (kind, name)
        starter = ROOT / "drafter" / "data" / "starters" / f"{kind}.yaml"
        assert yaml.safe_load(starter.read_text(encoding="utf-8"))["kind"] == kind
    for kind, path in EXAMPLES.items():
        spec = load_spec(path)
        assert spec.kind == kind and spec.date is not None


def test_existing_specs_are_unchanged():
    spec = load_spec(REFERENCE_SPEC)
    assert spec.kind == "self_inspection" and spec.title == "2021年目标任务考核完成情况自查报告"
    assert spec.heading_of(spec.sections[0]) == "坚持以政法队伍教育整顿为牵引，推动作风素能大提升"
    # the digests that tell a part is stale hold the same fields as before the new kinds
    assert set(part_inputs(spec, "opening")) == {"kind", "organ", "jurisdiction", "period", "opening"}
    assert set(part_inputs(spec, "closing")) == {"kind", "closing"}
    assert set(part_inputs(spec, spec.sections[0].id)) == {"kind", "section"}
    # and its frame is the layout drafts were written in before frames existed
    assert spec.frame() == Frame()


@pytest.mark.parametrize("fields, title", [
    ({}, "城关镇人民政府2024年工作总结"),
    ({"title": "城关镇2024年工作总结及2025年工作打算"}, "城关镇2024年工作总结及2025年工作打算"),
    ({"kind": "debriefing", "person": {"name": "王海燕", "post": "城关镇党委副书记"}}, "2024年度个人述职报告"),
    ({"kind": "debriefing", "team": "城关镇领导班子"}, "城关镇领导班子2024年度述职报告"),
    ({"kind": "work_plan", "opening": {"guidance": "统筹推进各项工作"}, "closing": None}, "城关镇人民政府2025年工作要点"),
    ({"kind": "work_plan", "target_year": 2026, "opening": {"guidance": "统筹推进各项工作"}, "closing": None},
     "城关镇人民政府2026年工作要点"),
])
def test_default_title_follows_the_kind(fields, title):
    assert parse_spec(spec_text(**fields)).title == title


@pytest.mark.parametrize("fields, where, says", [
    ({"kind": "debriefing"}, "（顶层）：", "述职报告需要述职人（person）或述职的领导班子（team）"),
    ({"kind": "debriefing", "team": "班子", "person": {"name": "王海燕", "post": "副书记"}}, "k.yaml:",
     "team：个人述职写 person，班子述职写 team，只能写一个"),
    ({"person": {"name": "王海燕", "post": "副书记"}}, "k.yaml:", "工作总结不用述职人（person），请删去"),
    ({"kind": "work_plan", "closing": None}, "k.yaml:", "工作要点不用总体成效（opening.results），请删去"),
    ({"kind": "self_inspection", "target_year": 2025}, "k.yaml:", "不用计划年度（target_year）"),
    ({"closing": {"plans": ["持续改善民生福祉"]}}, "k.yaml:", "closing.shortcomings：缺少必填字段（工作总结需要存在的不足"),
    ({"closing": None}, "k.yaml:", "closing：缺少必填字段（工作总结需要结尾（closing））"),
    ({"target_year": 2023}, "k.yaml:", "target_year：计划年度不能早于报告年度 2024"),
])
def test_what_a_kind_needs_is_checked_with_the_field_and_line(fields, where, says):
    found = problems_of(spec_text(**fields))
    assert says in found
    if where == "k.yaml:":
        assert re.search(r"k\.yaml:\d+: ", found), found  # a line number
    else:
        assert where in found


def test_the_aim_is_needed_only_where_the_kind_formula_uses_it():
    data = yaml.safe_load(spec_text())
    del data["sections"][0]["topic"]
    assert "sections[0].topic" in problems_of(yaml.safe_dump(data, allow_unicode=True))
    si = yaml.safe_load(SMALL_SPEC.read_text(encoding="utf-8"))
    del si["sections"][0]["aim"]
    found = problems_of(yaml.safe_dump(si, allow_unicode=True))
    assert "sections[0].aim：缺少必填字段" in found
    si["sections"][0]["heading"] = "全力抓好法治宣传教育"   # an own heading needs no formula
    assert parse_spec(yaml.safe_dump(si, allow_unicode=True)).heading_of("law-publicity") == "全力抓好法治宣传教育"


# --- the frame --------------------------------------------------------------------------------


def test_frame_run_in_and_standalone_headings():
    run_in = Frame(sections=2, wrapper="主要工作及成效", points=3, closing=("存在的问题和不足", "2025年工作打算"))
    assert run_in.section_text(2, "聚焦民生保障", "正文一。\n正文二。") == "（二）聚焦民生保障。正文一。\n正文二。"
    assert run_in.section_text(1, "聚焦民生保障", "1.就业。正文。") == "（一）聚焦民生保障\n1.就业。正文。"
    assert run_in.section_text(3, "聚焦民生保障", "") == "（三）聚焦民生保障。"
    assert run_in.point_ordinal(2) == "2." and run_in.wrapper_line() == "一、主要工作及成效"
    alone = Frame(run_in=False, points=2, closing=("存在的不足", "今后努力方向"))
    assert alone.section_text(4, "严格自律，始终保持清正廉洁", "我严格遵守规定。") == "四、严格自律，始终保持清正廉洁\n我严格遵守规定。"
    assert alone.point_ordinal(3) == "（三）"


@pytest.mark.parametrize("body, expected", [
    ("不足。\n打算。", "五、存在的不足\n不足。\n六、今后努力方向\n打算。"),
    ("不足。\n打算。\n以上述职，请予评议。", "五、存在的不足\n不足。\n六、今后努力方向\n打算。\n以上述职，请予评议。"),
    ("不足和打算写在一段。", "五、存在的不足\n不足和打算写在一段。"),   # a hand edit merged them: no empty heading
    ("不足。\n\n\n打算。", "五、存在的不足\n不足。\n六、今后努力方向\n打算。"),
])
def test_frame_closing_headings_number_on_after_the_sections(body, expected):
    frame = Frame(run_in=False, closing=("存在的不足", "今后努力方向"))
    assert frame.closing_text(body, 4) == expected
    wrapped = Frame(sections=2, wrapper="主要工作及成效", closing=("存在的问题和不足", "2025年工作打算"))
    assert wrapped.closing_text("不足。\n打算。", 7) == "二、存在的问题和不足\n不足。\n三、2025年工作打算\n打算。"
    assert Frame().closing_text("一年来，……。", 7) == "一年来，……。"


def test_a_draft_saved_before_frames_exports_as_it_did(tmp_path):
    spec = load_spec(SMALL_SPEC)
    draft = Drafter().draft(spec)
    data = json.loads(draft.model_dump_json())
    del data["frame"]
    old = Draft.model_validate(data)
    assert old.frame is None and to_text(old) == to_text(draft)
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert cli("export", path, "-f", "txt").stdout == to_text(draft)


def test_the_frame_is_kept_in_the_draft_and_follows_the_plan_year(tmp_path):
    spec_path = tmp_path / "s.yaml"
    spec_path.write_text(spec_text(), encoding="utf-8")
    d = tmp_path / "d.json"
    assert cli("draft", spec_path, "--save", d).returncode == 0
    assert load_draft(d).frame.closing == ("存在的问题和不足", "2025年工作打算")
    spec_path.write_text(spec_text(target_year=2026), encoding="utf-8")
    r = cli("regen", d, "--stale")
    assert r.returncode == 0 and "closing" in r.stderr          # the closing names the year: stale
    out = cli("export", d, "-f", "txt").stdout
    assert "三、2026年工作打算\n2026年，我们将持续改善民生福祉。" in out


# --- the composer, every kind --------------------------------------------------------------------


@pytest.mark.parametrize("path", SPECS, ids=ids(SPECS))
def test_composer_output_checks_clean_and_is_recognised_as_its_kind(path):
    spec, draft = drafted(path)
    text = to_text(draft)
    found = validate(text, spec)
    assert [(f.code, f.excerpt) for f in found if f.severity == "error" or f.code == "N008"] == []
    assert detect_kind(text)[0].id == spec.kind
    assert [(f.code, f.excerpt) for f in validate(text) if f.severity == "error"] == []
    assert validate(to_markdown(draft), spec, families=["numbers"]) == []


@pytest.mark.parametrize("path", ALL_SPECS, ids=ids(ALL_SPECS))
def test_every_fact_is_written_once_and_never_split(path):
    spec, draft = drafted(path)
    for section in spec.sections:
        body = draft.part(section.id).text
        for f in section.all_facts():
            t = (f if isinstance(f, str) else f.text).rstrip("。；，")
            assert body.count(t) >= 1, t
    text = to_text(draft)
    for plan in (spec.closing.plans if spec.closing else []):
        assert plan in text


def lines_of(spec, draft) -> list[str]:
    return [ln for pid in spec.part_ids() for ln in part_as_it_stands(spec, pid, draft.part(pid).text).split("\n")]


@pytest.mark.parametrize("path", ALL_SPECS, ids=ids(ALL_SPECS))
def test_no_clause_is_repeated_back_to_back(path):
    spec, draft = drafted(path)
    for line in lines_of(spec, draft):
        pieces = [p.rstrip("，；。：！？").strip() for p in split(line, "，；。：！？")]
        for a, b in zip(pieces, pieces[1:]):
            assert not (a and a == b), f"{a!r} twice in {line[:40]}…"


@pytest.mark.parametrize("path", ALL_SPECS, ids=ids(ALL_SPECS))
def test_sentence_lengths_and_connectives(path):
    """A sentence holding two or more facts keeps to the planner's limit; no sentence
    is a lone word; a connective is never used twice in a paragraph and at most one
    is added to a paragraph."""
    spec, draft = drafted(path)
    for section in spec.sections:
        facts = [(f if isinstance(f, str) else f.text).rstrip("。；，") for f in section.all_facts()]
        given = "".join(facts + [section.intro or "", section.conclusion or ""])
        for para in draft.part(section.id).text.split("\n"):
            for s in split(para, "。！？"):
                if sum(f in s for f in facts) >= 2:
                    assert len(s) <= MAX_CHARS + 12, s
                assert len(re.sub(r"^(?:[0-9]+\.|（[一二三四五六七八九十]+）)", "", s).rstrip("。")) >= 4, s
            for word in CONNECTIVES:
                assert para.count(word + "，") <= max(1, given.count(word)), (word, para)
            added = sum(para.count(w + "，") for w in CONNECTIVES) - sum(given.count(w + "，") for w in CONNECTIVES)
            assert added <= 1, para


@pytest.mark.parametrize("path", ALL_SPECS, ids=ids(ALL_SPECS))
def test_no_heading_formula_wraps_a_topic_in_what_it_already_says(path):
    spec, _ = drafted(path)
    for section in spec.sections:
        h = spec.heading_of(section)
        for doubled in ("坚持坚持", "以以", "推动推动", "聚焦聚焦", "为牵引为牵引", "聚焦坚持", "聚焦加强", "坚持聚焦"):
            assert doubled not in h, h
        if section.own_heading:
            assert h == section.own_heading
        else:
            assert section.topic in h


def document(path) -> tuple:
    spec, draft = drafted(path)
    return spec, draft, paragraphs(draft)


@pytest.mark.parametrize("path", [p for p in SPECS if load_spec(p).kind == "work_summary"], ids=str)
def test_work_summary_layout(path):
    spec, draft, lines = document(path)
    heads = [ln for ln in lines if re.match(r"[一二三四五六七八九十]+、", ln)]
    assert heads == ["一、主要工作及成效", "二、存在的问题和不足", f"三、{spec.plan_year}年工作打算"]
    sections = [ln for ln in lines if re.match(r"（[一二三四五六七八九十]+）", ln)]
    assert [s[:len(f"（{n}）")] for s, n in zip(sections, "一二三四五六七八九")] == \
        [f"（{n}）" for n in "一二三四五六七八九"[:len(spec.sections)]]
    text = "\n".join(lines)
    assert "自查" not in text and "考核完成情况" not in text
    assert lines[0].endswith(f"现将{spec.period}年工作总结如下。")
    plans = lines[lines.index(heads[2]) + 1]
    assert plans.startswith(f"{spec.plan_year}年，") and plans.count("我们将") == 1
    if len(spec.closing.shortcomings) >= 2:
        assert "一是" in text and "二是" in text


@pytest.mark.parametrize("path", [p for p in SPECS if load_spec(p).kind == "debriefing"], ids=str)
def test_debriefing_speaks_in_the_first_person(path):
    spec, draft, lines = document(path)
    n = len(spec.sections)
    heads = [ln for ln in lines if re.match(r"[一二三四五六七八九十]+、", ln)]
    assert heads[n:] == [f"{'一二三四五六七八九十'[n]}、存在的不足", f"{'一二三四五六七八九十'[n + 1]}、今后努力方向"]
    assert lines[-1] == "以上述职，请予评议。"
    text = "\n".join(lines)
    if spec.person:
        assert lines[0].startswith(f"本人{spec.person.name}，") and spec.person.post in lines[0]
        assert "我们" not in text and "今后，我将" in text
    else:
        assert "本人" not in text and spec.team in lines[0] and "今后，我们将" in text
    me = "我" if spec.person else "我们"
    for section in spec.sections:
        first = draft.part(section.id).text.split("\n")[0]
        facts = [(f if isinstance(f, str) else f.text) for f in [section.intro, *section.facts] if f]
        if facts and not re.match(r"(?:全县|全年|班子|我)", facts[0]):
            assert first.startswith(me), first


@pytest.mark.parametrize("path", [p for p in SPECS if load_spec(p).kind == "work_plan"], ids=str)
def test_work_plan_states_tasks_never_results(path):
    spec, draft, lines = document(path)
    text = "\n".join(lines)
    given = spec.model_dump_json()
    for past in ("已", "完成了", "取得了", "实现了", "荣获", "被评为"):
        assert text.count(past) == given.count(past), past
    assert lines[0].startswith(f"{spec.plan_year}年，") and spec.title.endswith(f"{spec.plan_year}年工作要点")
    for section in spec.sections:
        for k, point in enumerate(section.points, 1):
            assert any(ln.startswith(f"{k}.{point.heading}。") for ln in lines), point.heading


def test_work_plan_figures_are_judged_as_targets():
    spec = load_spec(EXAMPLES["work_plan"])
    drafter = Drafter()
    ev = Evidence.of(spec)
    said = "聚焦重点领域，已开展安全生产执法检查不少于600家次。"
    codes = [f.code for f in drafter.check_part(spec, ev, "safety-production", said)]
    assert "N007" in codes
    as_task = "聚焦重点领域，开展安全生产执法检查不少于600家次。"
    assert "N007" not in [f.code for f in drafter.check_part(spec, ev, "safety-production", as_task)]
    text = "丹江县应急管理局2025年工作要点\n一、重点任务\n全年已开展安全生产执法检查600家次。\n"
    facts = ["开展安全生产执法检查600家次"]
    assert "N007" in [f.code for f in validate(text, facts=facts)]                  # recognised by its title
    assert "N007" not in [f.code for f in validate(text, facts=facts, kind="work_summary")]


# --- the command line, every kind ----------------------------------------------------------------


@pytest.mark.parametrize("kind", list(EXAMPLES))
def test_cli_draft_check_and_word_export(kind, tmp_path):
    spec = load_spec(EXAMPLES[kind])
    out = tmp_path / "d.txt"
    d = tmp_path / "d.json"
    r = cli("draft", EXAMPLES[kind], "-f", "txt", "-o", out, "--save", d)
    assert r.returncode == 0, r.stderr
    checked = cli("check", out, "--input", EXAMPLES[kind])
    assert checked.returncode == 0 and "未发现问题" in checked.stdout, checked.stdout
    detected = cli("check", out)
    assert f"文种：{get_kind(kind).name}（{kind}），依据标题" in detected.stdout
    status = cli("status", d)
    assert status.returncode == 0 and "所有部分都是最新的" in status.stdout
    docx_path = tmp_path / "d.docx"
    assert cli("export", d, "-f", "docx", "-o", docx_path).returncode == 0
    import docx

    paras = [p for p in docx.Document(str(docx_path)).paragraphs if p.text]
    assert paras[0].style.name == "Title" and paras[0].text == spec.title
    frame = spec.frame()
    heading = spec.heading_of(spec.sections[0])
    line = frame.heading_line(1, heading)
    first = next(p for p in paras if p.text.startswith(line))
    if frame.run_in:   # （一）……。 run in: the heading sentence in the level's character style
        assert first.style.name == "Normal" and first.runs[0].style.name == f"Heading {frame.sections} Char"
        assert first.runs[0].text == line + "。"
    else:
        assert first.style.name == "Heading 1" and first.text == line
    for h in frame.closing:
        assert any(p.text.endswith(h) and p.style.name == "Heading 1" for p in paras), h
    if frame.wrapper:
        assert any(p.text == frame.wrapper_line() and p.style.name == "Heading 1" for p in paras)


def test_cli_draft_only_keeps_the_frame_numbers():
    r = cli("draft", EXAMPLES["work_summary"], "--only", "livelihood", "-f", "txt")
    assert r.returncode == 0
    assert "\n一、主要工作及成效\n（三）聚焦民生保障，群众获得感持续增强。" in r.stdout


@pytest.mark.parametrize("kind", list(DOCUMENT_KINDS))
def test_init_writes_a_starter_per_kind_that_drafts(kind, tmp_path):
    target = tmp_path / f"{kind}.yaml"
    r = cli("init", target, "--kind", kind)
    assert r.returncode == 0, r.stderr
    text = target.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=./report.schema.json"
    assert load_spec(target).kind == kind
    drafted_with_placeholders = cli("draft", target)
    assert drafted_with_placeholders.returncode == 1 and "H003" in drafted_with_placeholders.stderr
    target.write_text(text.replace("某某某", "李明华").replace("某某", "城关"), encoding="utf-8")
    r = cli("draft", target, "-f", "txt")
    assert r.returncode == 0, r.stderr
    assert detect_kind(r.stdout)[0].id == kind


def test_init_refuses_an_unknown_kind(tmp_path):
    r = cli("init", tmp_path / "x.yaml", "--kind", "memo")
    assert r.returncode == 2 and "work_plan" in r.stderr and not (tmp_path / "x.yaml").exists()


# --- the JSON Schema says what each kind needs ----------------------------------------------------


def _holds(rule, value) -> bool:
    """The few JSON Schema keywords the kind rules use, evaluated on ``value``."""
    if rule is False:
        return False
    if "const" in rule and value != rule["const"]:
        return False
    if not isinstance(value, dict):
        return "minItems" not in rule or len(value or []) >= rule["minItems"]
    if any(k not in value for k in rule.get("required", [])):
        return False
    for name, sub in rule.get("properties", {}).items():
        if name in value and not _holds(sub, value[name]):
            return False
    if not all(_holds(r, value) for r in rule.get("allOf", [])):
        return False
    return "anyOf" not in rule or any(_holds(r, value) for r in rule["anyOf"])


def schema_accepts(data: dict) -> bool:
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    return all(_holds(r["then"], data) for r in schema["allOf"] if _holds(r["if"], data))


@pytest.mark.parametrize("fields", [
    {}, {"kind": "debriefing"}, {"person": {"name": "王海燕", "post": "副书记"}},
    {"kind": "work_plan", "closing": None}, {"kind": "self_inspection", "target_year": 2025},
    {"closing": {"plans": ["持续改善民生福祉"]}}, {"closing": {"shortcomings": [], "plans": ["x"]}},
    {"kind": "debriefing", "team": "城关镇领导班子"},
    {"kind": "work_plan", "opening": {"guidance": "统筹推进"}, "closing": None},
    {"kind": "work_plan", "opening": {"guidance": "统筹推进"}, "closing": {"summary": "确保落实"}},
    {"kind": "work_plan", "opening": {"guidance": "统筹推进"}, "closing": {"plans": ["x"]}},
])
def test_the_schema_and_the_loader_agree_on_what_a_kind_needs(fields):
    data = yaml.safe_load(spec_text(**fields))
    try:
        parse_spec(spec_text(**fields))
        loads = True
    except SpecError:
        loads = False
    assert schema_accepts(data) == loads


def test_the_examples_satisfy_the_schema_rules():
    for path in [REFERENCE_SPEC, SMALL_SPEC, *SPECS]:
        assert schema_accepts(yaml.safe_load(path.read_text(encoding="utf-8"))), path
