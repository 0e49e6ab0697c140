"""The extractor both sides of the promise share: it must read figures exactly."""

import pytest

from drafter._numbers import extract, figures, place_value


def one(text):
    found = figures(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("text,value,unit", [
    ("全年新发刑事案件312起", 312, "起"),
    ("三百一十二起", 312, "起"),
    ("1.2万人", 12000, "人"),
    ("一万二千人", 12000, "人"),
    ("3.5亿元", 3.5e8, "元"),
    ("1,234件", 1234, "件"),
    ("参与率100%", 100, "%"),
    ("参与率100％", 100, "%"),
    ("百分之十二点五", 12.5, "%"),
    ("百分之8.2", 8.2, "%"),
    ("提高2.3个百分点", 2.3, "个百分点"),
    ("谈心谈话两轮次", 2, "轮次"),
    ("覆盖三分之二", 2 / 3, "分之"),
    ("全区６１２名干警", 612, "名"),
    ("开展集中观影6场次", 6, "场次"),
])
def test_values_and_units_in_any_notation(text, value, unit):
    m = one(text)
    assert m.value == pytest.approx(value)
    assert m.unit == unit


@pytest.mark.parametrize("text,approx,value", [
    ("累计集体学习300余次", "余", 300),
    ("300多次", "多", 300),
    ("点击播放达12万次以上", "以上", 120000),
    ("近300人", "近", 300),
    ("约1.2万人", "约", 12000),
    ("超过1.2万个", "超过", 12000),
    ("受教育群众三千余人", "余", 3000),
    ("冻结资金260余万", "余", 2600000),
    ("1万余人", "余", 10000),
])
def test_approximations(text, approx, value):
    m = one(text)
    assert m.approx == approx
    assert m.value == pytest.approx(value)


def test_change_direction_and_basis():
    ms = figures("全年新发刑事案件312起，同比下降8.2%；破获186起，同比上升12.5个百分点；环比增长3%")
    assert [(m.value, m.direction, m.basis) for m in ms] == [
        (312, None, None), (8.2, "down", "同比"), (186, None, None), (12.5, "up", "同比"), (3, "up", "环比")]


def test_plans_are_marked():
    assert one("拟新建平安单位5个").planned
    assert one("力争调成率达到98%").planned
    assert not one("已建成平安单位5个").planned


@pytest.mark.parametrize("text,kind", [
    ("2021年，全区", "year"),
    ("2022年度", "year"),
    ("第一批事项", "ordinal"),
    ("第3批", "ordinal"),
    ("〔2021〕15号", "docno"),
    ("一、坚持以党建为牵引", "heading"),
    ("（一）加强学习", "heading"),
    ("一是加强学习", "heading"),
    ("5G基站", "code"),
    ("3月15日", "date"),
])
def test_non_figures_are_classified(text, kind):
    kinds = [m.kind for m in extract(text)]
    assert kind in kinds
    assert "figure" not in kinds


@pytest.mark.parametrize("text", [
    "紧扣“三安”目标，大力发扬“三牛”精神，以“九大行动”为抓手",
    "落实“三个责任”，聚焦四项任务，紧抓三大环节，运用“四种形态”",
    "坚持以优化提升“四个一”为牵引，圆满完成“十四运”安保任务",
    "贯彻党的十九届六中全会精神，以丰硕成果献礼党的二十大",
    "一站式未成年人检察办案区，落实“三会一课”制度",
    "千方百计为群众办实事，深入千家万户，十分重视",
    "一起研究，进一步加强，统一部署，一线干警，一年来",
    "近三年来，十多年来",
    "统筹安全和发展两件大事",
])
def test_fixed_expressions_and_prose_are_not_figures(text):
    assert figures(text) == []


def test_app_prefix_does_not_hide_a_quantity():
    m = one("指导安装国家反诈中心APP10万人")
    assert m.value == 100000 and m.unit == "人"


def test_range_shares_the_unit():
    ms = figures("每村配备3至5个网格员")
    assert [(m.value, m.unit) for m in ms] == [(3, "个"), (5, "个")]


def test_spans_cover_the_whole_figure():
    text = "累计集体学习300余次，成效明显"
    m = one(text)
    assert text[m.start:m.end] == "300余次"


@pytest.mark.parametrize("value,place", [(300, 100), (312, 1), (12000, 1000), (8.2, 0.1), (120000, 10000)])
def test_place_value(value, place):
    assert place_value(value) == pytest.approx(place)


def test_chinese_numerals_agree_with_cn2an():
    """Our fast path for standard numerals must give what cn2an gives."""
    import cn2an

    from drafter._numbers import _standard_chinese, chinese_to_number

    samples = [cn2an.an2cn(n) for n in list(range(0, 1200)) + [2021, 10000, 10010, 12000, 35000, 100000,
                                                                  120000, 1000000, 30000000, 123456789]]
    samples += ["两", "两百", "十二点五", "八点二", "二〇二一", "三千零五", "一亿零五十万"]
    for s in samples:
        expected = float(cn2an.cn2an(s, "normal"))
        assert chinese_to_number(s) == pytest.approx(expected), s
        fast = _standard_chinese(s)
        assert fast is None or fast == pytest.approx(expected), s
    assert chinese_to_number("一万二") == 12000  # shorthand goes to cn2an
    assert chinese_to_number("二百五") == 250


def test_prefix_approximation_is_part_of_the_span_and_keeps_the_change():
    m = one("发案同比下降近8%")
    assert (m.raw, m.approx, m.direction, m.basis) == ("近8%", "近", "down", "同比")


@pytest.mark.parametrize("text, raws", [
    ("发布时间：2022-11-08 15:10:15", ["2022", "11", "08", "15", "10", "15"]),
    ("时间：2024.5.2", ["2024.5", "2"]),
    ("2024/03/12 浏览", ["2024", "03", "12"]),
    ("上午9:30召开会议", ["9", "30"]),
])
def test_dates_and_times_in_digits_are_dates(text, raws):
    ms = extract(text)
    assert [m.raw for m in ms] == raws and {m.kind for m in ms} == {"date"}


def test_a_keycap_digit_is_a_list_marker_and_a_bare_year_a_year():
    assert [(m.raw, m.kind) for m in extract("1️⃣ 经济运行")] == [("1", "heading")]
    assert [(m.raw, m.kind) for m in extract("开展净网2021行动")] == [("2021", "year")]
    assert [(m.raw, m.kind) for m in extract("完成投资2021万元")] == [("2021万元", "figure")]


@pytest.mark.parametrize("text, unit", [("年出栏生猪4.6万头", "头"), ("人均550美元", "美元"), ("存栏家禽12万羽", "羽")])
def test_livestock_and_currencies_are_units(text, unit):
    assert [m.unit for m in extract(text) if m.kind == "figure"] == [unit]
    assert [m.kind for m in extract("抓两头、带中间")] == ["fixed"]


@pytest.mark.parametrize("text, kinds", [
    ("索引号：115001130093083510", [("115001130093083510", "code")]),
    ("1.1行业生态建设", [("1.1", "heading")]),
    ("\n2.3.1 组织保障", [("2.3", "heading"), ("1", "code")]),
    ("时间：2023-11 来源", [("2023", "date"), ("11", "date")]),
    ("位于县道181线旁", [("181", "fixed")]),
    ("新改建县道42公里", [("42公里", "figure")]),
    ("1.2万人", [("1.2万人", "figure")]),
])
def test_codes_numbered_headings_and_road_numbers_are_no_figures(text, kinds):
    assert [(m.raw, m.kind) for m in extract(text)] == kinds


def test_a_space_before_a_unit_as_copies_write_it():
    assert [(m.raw, m.unit) for m in extract("完成投资1.2 亿元")] == [("1.2 亿元", "亿元")]
