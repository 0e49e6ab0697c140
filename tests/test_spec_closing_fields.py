"""The spec's 主送机关, 发文机关署名 and 成文日期: how they are written, defaults, errors,
and where they reach the draft."""

from __future__ import annotations

import datetime as dt

import pytest

from drafter import Drafter, load_spec, parse_spec
from drafter.reading import load_draft
from helpers import REFERENCE_SPEC, SMALL_SPEC, cli

BASE = SMALL_SPEC.read_text(encoding="utf-8")


def spec_with(tmp_path, line: str):
    p = tmp_path / "spec.yaml"
    p.write_text(BASE.replace("date: 2023-12-18", line, 1), encoding="utf-8")
    return p


@pytest.mark.parametrize("written", ["date: 2023-12-18", "date: '2023-12-18'", "date: 2023年12月18日",
                                     "date: 2023 年 12 月 18 日"])
def test_date_as_offices_write_it(tmp_path, written):
    assert load_spec(spec_with(tmp_path, written)).date == dt.date(2023, 12, 18)


@pytest.mark.parametrize("written", ["date: 2023-13-01", "date: 2023年2月30日", "date: 下月", "date: 2023",
                                     "date: 2023-12-18 10:00"])
def test_a_bad_date_names_field_and_line(tmp_path, written):
    r = cli("draft", spec_with(tmp_path, written))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "spec.yaml:11" in r.stderr and "date" in r.stderr and "不是有效的日期" in r.stderr


def test_signature_defaults_to_the_organ_and_recipient_is_optional():
    spec = load_spec(SMALL_SPEC)
    assert (spec.signature, spec.recipient) == ("城固县司法局", None)
    data = parse_spec(BASE.replace("date: 2023-12-18", "date: 2023-12-18\nrecipient: 县委、县政府：\n"
                                                       "signature: 中共城固县委依法治县委员会办公室"))
    assert data.recipient == "县委、县政府：" and data.signature == "中共城固县委依法治县委员会办公室"


def test_both_examples_and_the_starter_carry_a_date(tmp_path):
    assert load_spec(REFERENCE_SPEC).date == dt.date(2021, 12, 20)
    assert load_spec(SMALL_SPEC).date == dt.date(2023, 12, 18)
    assert cli("init", tmp_path / "new.yaml").returncode == 0
    assert load_spec(tmp_path / "new.yaml").date is not None


def test_the_fields_reach_the_draft_and_follow_the_spec(tmp_path):
    spec_path = spec_with(tmp_path, "date: 2023-12-18\nrecipient: 县委、县政府")
    d = tmp_path / "d.json"
    assert cli("draft", spec_path, "--save", d).returncode == 0
    saved = load_draft(d)
    assert (saved.recipient, saved.signature, saved.date) == ("县委、县政府", "城固县司法局", dt.date(2023, 12, 18))
    # a new date in the spec: nothing is stale, yet the draft takes the new date
    spec_path.write_text(spec_path.read_text(encoding="utf-8").replace("2023-12-18", "2023-12-28"), encoding="utf-8")
    r = cli("regen", d, "--stale")
    assert r.returncode == 0 and "成文日期" in r.stderr
    assert load_draft(d).date == dt.date(2023, 12, 28)
    out = cli("export", d, "--format", "txt").stdout.splitlines()
    assert out[1] == "县委、县政府：" and out[-2:] == ["城固县司法局", "2023年12月28日"]


def test_changing_the_date_does_not_make_parts_stale():
    spec = load_spec(SMALL_SPEC)
    drafter = Drafter()
    draft = drafter.draft(spec)
    later = spec.model_copy(update={"date": dt.date(2024, 1, 2)})
    assert draft.stale(later, drafter.prompt_digest(spec.kind)) == []
