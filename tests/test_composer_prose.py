"""The offline composer writes like a clerk: prose properties over many specs.

The specs: both examples and tests/corpus/composer/*.yaml (terse to rich, a township
government, topics that already say 引领/以/坚持, sub-points of every form, a user's
own heading). Each property is checked as code over all of them.
"""

import re
from pathlib import Path

import pytest
import yaml

from drafter import Drafter, load_spec, to_text, validate
from drafter._pipeline import part_as_it_stands
from helpers import REFERENCE_SPEC, ROOT, SMALL_SPEC
from helpers import split_outside_quotes as split  # the tests' own splitter, not the composer's

CORPUS = sorted((ROOT / "tests" / "corpus" / "composer").glob("*.yaml"))
SPECS = [REFERENCE_SPEC, SMALL_SPEC, *CORPUS]
WORDING = yaml.safe_load((ROOT / "drafter" / "data" / "composer" / "wording.yaml").read_text(encoding="utf-8"))
CONNECTIVES = [c["text"] for c in WORDING["connectives"]["words"]]
MAX_CHARS = yaml.safe_load((ROOT / "drafter" / "data" / "composer" / "sentences.yaml").read_text(encoding="utf-8"))["max_chars"]

_cache: dict[Path, tuple] = {}


def drafted(path: Path):
    if path not in _cache:
        spec = load_spec(path)
        _cache[path] = (spec, Drafter().draft(spec))
    return _cache[path]


def ids(paths):
    return [p.stem for p in paths]


# --- independent readers (not the composer's own) ----------------------------------------
def sentences(text: str) -> list[str]:
    return split(text, "。！？")


def fact_texts(facts) -> list[str]:
    return [(f if isinstance(f, str) else f.text).rstrip("。；，") for f in facts]


def paragraphs(draft) -> list[str]:
    return [p.text for p in draft.parts]


# --- properties ----------------------------------------------------------------------------
@pytest.mark.parametrize("path", SPECS, ids=ids(SPECS))
def test_no_clause_is_repeated_back_to_back(path):
    spec, draft = drafted(path)
    for section in spec.sections:
        full = part_as_it_stands(spec, section.id, draft.part(section.id).text)
        assert_no_repeat(full)
    for para in (draft.part("opening").text, draft.part("closing").text):
        assert_no_repeat(para)


def assert_no_repeat(text: str):
    pieces = [p.rstrip("，；。：！？").strip() for p in split(text, "，；。：！？")]
    for a, b in zip(pieces, pieces[1:]):
        assert not (a and a == b), f"clause repeated back to back: {a!r} in {text[:60]}…"


@pytest.mark.parametrize("path", SPECS, ids=ids(SPECS))
def test_sentence_lengths(path):
    """A sentence holding two or more facts stays within the planner's limit (plus a
    run-in lead or a connective); a longer one is a single fact as the user wrote it.
    No sentence is a lone word or a bare noun phrase."""
    spec, draft = drafted(path)
    for section in spec.sections:
        facts = fact_texts(section.all_facts()) + [t for t in (section.intro, section.conclusion) if t]
        for s in sentences(draft.part(section.id).text):
            held = [f for f in facts if f in s]
            if len(held) >= 2:
                assert len(s) <= MAX_CHARS + 12, s
            assert len(s.rstrip("。")) >= 6 or any(s == p.heading + "。" for p in section.points), s


NOUN_HEADINGS = {"疫情防控", "安全生产工作", "扫黑除恶", "矛盾纠纷化解", "食品安全", "法治乡村建设", "青少年法治教育"}


@pytest.mark.parametrize("path", SPECS, ids=ids(SPECS))
def test_sub_point_headings_read_as_sentences(path):
    """A slogan or clause heading is a short lead sentence (扫黑除恶保平安。); a bare
    noun phrase never is: it runs into its first sentence (在疫情防控方面，…)."""
    spec, draft = drafted(path)
    for section in spec.sections:
        text = draft.part(section.id).text
        said = sentences(text)
        for p in section.points:
            if p.heading in NOUN_HEADINGS:
                assert p.heading + "。" not in said
                assert any(s.startswith((f"在{p.heading}方面，", f"在{p.heading}中，")) or
                           (not p.facts and p.heading in s) for s in said), p.heading
            else:
                assert p.heading + "。" in said, p.heading


@pytest.mark.parametrize("path", SPECS, ids=ids(SPECS))
def test_headings_never_wrap_a_topic_in_what_it_already_says(path):
    spec, draft = drafted(path)
    for section in spec.sections:
        h = spec.heading_of(section)
        assert draft.part(section.id).heading == h
        for doubled in ("坚持坚持", "以以", "推动推动", "为牵引为牵引"):
            assert doubled not in h
        if not ("引领" in section.topic and "牵引" in section.topic):
            assert not ("引领" in h and "牵引" in h), h
        assert h.count("坚持") <= max(1, section.topic.count("坚持"))


@pytest.mark.parametrize("path", SPECS, ids=ids(SPECS))
def test_connectives_are_sparing_and_never_repeat_in_a_paragraph(path):
    spec, draft = drafted(path)
    for section in spec.sections:
        text = draft.part(section.id).text
        given = "".join(fact_texts(section.all_facts()))
        added = 0
        for word in CONNECTIVES:
            assert text.count(word) <= max(1, given.count(word)), (word, text)
            added += text.count(word + "，") - given.count(word + "，")
        assert added <= WORDING["connectives"]["max_per_paragraph"]


@pytest.mark.parametrize("path", SPECS, ids=ids(SPECS))
def test_facts_are_whole_and_lead_ins_start_sentences(path):
    spec, draft = drafted(path)
    lead_in = re.compile(r"^(?:坚持|围绕|通过|按照|聚焦|紧盯|紧扣|以[^，]{1,30}为(?:抓手|载体|契机)|在[^，]{1,30}(?:中|期间|方面)，)")
    for section in spec.sections:
        text = draft.part(section.id).text
        for f in section.all_facts():
            raw = f if isinstance(f, str) else f.text
            body = raw.rstrip("。；，")
            at = text.find(body)
            assert at >= 0, f"fact split or reworded: {body}"
            before = text[:at]
            if lead_in.match(body) or raw.endswith("。"):
                assert before == "" or before.endswith(("。", "方面，", "中，")), body
            if raw.endswith("。"):
                assert text[at + len(body):].startswith("。")


@pytest.mark.parametrize("path", SPECS, ids=ids(SPECS))
def test_composer_output_checks_with_zero_errors_and_every_figure_used(path):
    spec, draft = drafted(path)
    findings = validate(to_text(draft), spec)
    assert [f for f in findings if f.severity == "error"] == []
    assert [f for f in findings if f.code == "N008"] == []


@pytest.mark.parametrize("path", SPECS, ids=ids(SPECS))
def test_composing_is_deterministic(path):
    spec, draft = drafted(path)
    assert paragraphs(Drafter().draft(load_spec(path))) == paragraphs(draft)


# --- openings and closings ---------------------------------------------------------------
def test_a_government_organ_is_not_written_before_a_guidance_with_its_own_subject():
    spec, draft = drafted(ROOT / "tests/corpus/composer/terse-township.yaml")
    opening = draft.part("opening").text
    assert spec.organ not in opening
    assert "正确领导下，镇党委、镇政府坚持" in opening
    assert "青石镇我镇" not in opening and "我镇荣获" in opening


def test_a_leadership_line_that_names_the_subject_is_not_given_the_organ_again():
    spec, draft = drafted(ROOT / "tests/corpus/composer/lead-ins.yaml")
    assert draft.part("opening").text.startswith("2021年，在县委、县政府的正确领导下，县司法局深入学习贯彻")


def test_the_organ_leads_a_guidance_that_begins_with_a_verb():
    spec, draft = drafted(REFERENCE_SPEC)
    assert "正确领导下，南郑区委政法委认真落实" in draft.part("opening").text


def test_a_year_already_in_the_leadership_line_is_not_written_again():
    spec, draft = drafted(ROOT / "tests/corpus/composer/heading-topics.yaml")
    opening = draft.part("opening").text
    assert opening.startswith("2022年以来，在区委") and opening.count("2022年") == 1


def test_closing_leads_are_written_once():
    spec, draft = drafted(ROOT / "tests/corpus/composer/terse-township.yaml")
    closing = draft.part("closing").text
    assert closing.startswith("一年来，全镇") and closing.count("一年来") == 1
    assert "下一步，我们将持续壮大" in closing and "新的一年" not in closing and closing.count("我们将") == 1
    assert "不足：产业结构仍较单一" in closing          # its "但" is the frame's own word
    spec, draft = drafted(ROOT / "tests/corpus/composer/heading-topics.yaml")
    closing = draft.part("closing").text
    assert closing.startswith("2022年，全区") and "一年来" not in closing
    assert "新的一年，我们将坚持稳中求进" in closing and closing.count("我们将坚持") == 1
    spec, draft = drafted(ROOT / "tests/corpus/composer/lead-ins.yaml")
    assert "2022年，我局将持续深化" in draft.part("closing").text
    assert "新的一年" not in draft.part("closing").text


def test_reference_closing_still_reads_as_before():
    spec, draft = drafted(REFERENCE_SPEC)
    closing = draft.part("closing").text
    assert closing.startswith("一年来，全区政法工作统筹推进")
    assert "新的一年，我们将坚持以习近平新时代中国特色社会主义思想为指导" in closing


# --- many specs: deterministic mixes of the corpora's own facts ----------------------------
def _pool():
    facts, headings, topics, intros = [], [], [], []
    for path in SPECS:
        spec = load_spec(path)
        for s in spec.sections:
            facts += fact_texts(s.all_facts())
            headings += [p.heading for p in s.points]
            topics.append((s.topic, s.aim))
            intros += [s.intro] if s.intro else []
    return sorted(set(facts)), sorted(set(headings)) + sorted(NOUN_HEADINGS), topics, sorted(set(intros))


OPENINGS = [
    ("南郑区委政法委", "在区委、区政府的正确领导下", "认真落实中央和省委、市委政法工作会议精神"),
    ("青石镇人民政府", "在县委、县政府的正确领导下", "镇党委、镇政府坚持稳中求进工作总基调"),
    ("北塬县司法局", "在县委的正确领导下，县司法局", "深入学习贯彻习近平法治思想"),
    ("东川县市场监督管理局", "2023年以来，在县委的正确领导下", "以党建为引领，统筹推进市场监管各项工作"),
]
SUMMARIES = ["全区各项工作稳步推进", "一年来，全区各项工作稳步推进", "今年以来，全区各项工作稳步推进"]
PLANS = [["持续深化改革", "全力维护稳定"], ["下一步，我们将持续深化改革"], ["我们将持续深化改革", "全力维护稳定"]]


def synthetic(seed: int):
    import random

    from drafter import Report

    facts, headings, topics, intros = _pool()
    rnd = random.Random(seed)
    organ, leadership, guidance = OPENINGS[seed % len(OPENINGS)]
    sections = []
    for i in range(rnd.randint(1, 4)):
        topic, aim = rnd.choice(topics)
        sec = {"id": f"s{i}", "topic": topic, "aim": aim, "facts": rnd.sample(facts, rnd.randint(0, 8))}
        if rnd.random() < 0.5:
            sec["intro"] = rnd.choice(intros)
        if rnd.random() < 0.5 or not sec["facts"]:
            sec["points"] = [{"heading": h, "facts": rnd.sample(facts, rnd.randint(0, 4))}
                             for h in rnd.sample(headings, rnd.randint(1, 3))]
        if rnd.random() < 0.3:
            sec["conclusion"] = "全区社会大局平安稳定"
        sections.append(sec)
    return Report.model_validate({
        "organ": organ, "period": 2023,
        "opening": {"leadership": leadership, "guidance": guidance, "results": "各项工作取得新成效",
                    "honours": ["被评为先进单位"] if seed % 2 else []},
        "sections": sections,
        "closing": {"summary": SUMMARIES[seed % len(SUMMARIES)], "shortcomings": ["但基层基础仍较薄弱"],
                    "plans": PLANS[seed % len(PLANS)]},
    })


@pytest.mark.parametrize("seed", range(24))
def test_properties_hold_on_many_mixed_specs(seed):
    spec = synthetic(seed)
    draft = Drafter().draft(spec)
    for n, section in enumerate(spec.sections, 1):
        text = draft.part(section.id).text
        assert_no_repeat(part_as_it_stands(spec, section.id, text))
        for f in fact_texts(section.all_facts()):
            assert f in text, f
        for s in sentences(text):
            if sum(f in s for f in fact_texts(section.all_facts())) >= 2:
                assert len(s) <= MAX_CHARS + 12, s
        for p in section.points:
            if p.heading in NOUN_HEADINGS:
                assert p.heading + "。" not in sentences(text)
        added = sum(text.count(w + "，") for w in CONNECTIVES) - sum(
            "".join(fact_texts(section.all_facts())).count(w + "，") for w in CONNECTIVES)
        assert added <= 1
    for part in ("opening", "closing"):
        assert_no_repeat(draft.part(part).text)
    closing = draft.part("closing").text
    assert closing.count("我们将") == 1 and not closing.startswith("一年来，今年以来")
    findings = validate(to_text(draft), spec)
    assert [f for f in findings if f.severity == "error"] == []
    assert [f for f in findings if f.code == "N008"] == []
