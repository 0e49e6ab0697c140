"""The input model: what a user states about the year, and nothing else.

A spec is the only source of facts. Every model forbids unknown fields so a typo
(``fatcs:``) is an error rather than a silently dropped section of the ledger.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator
from pydantic_core import PydanticCustomError

if TYPE_CHECKING:
    from ._frame import Frame

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

Approximation = Literal["余", "多", "以上", "超过", "超", "逾", "近", "约", "左右"]
ChangeBasis = Literal["同比", "环比", "较上年"]
Direction = Literal["上升", "下降", "增长", "减少", "增加", "提高", "降低", "持平"]
ChangeUnit = Literal["%", "个百分点"]

#: What a section id (and so a draft's part id) may look like: it names files and commands.
PART_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"


# The kinds drafter drafts: id → name. Each has a `drafting` block in its kind file
# (drafter/data/kinds/<id>.yaml) and a prompts/<id>/ folder; a test keeps the three in
# step. The list is static so that the JSON Schema can name the ids.
DraftableKind = Literal["self_inspection", "work_summary", "debriefing", "work_plan"]
DOCUMENT_KINDS: dict[str, str] = {
    "self_inspection": "目标任务考核完成情况自查报告",
    "work_summary": "工作总结",
    "debriefing": "述职报告",
    "work_plan": "工作要点",
}


class _Model(BaseModel):
    # allow_inf_nan=False: a figure of .inf, NaN or 1e400 is an input error, not a number.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Change(_Model):
    """A change against a basis, e.g. 同比下降8.2%."""

    basis: ChangeBasis = Field(description="比较基准：同比、环比、较上年")
    direction: Direction = Field(description="变化方向：上升、下降、增长、减少、持平等")
    amount: float | None = Field(default=None, ge=0, description="变化幅度（非负数；方向由 direction 表示）")
    unit: ChangeUnit = Field(default="%", description="幅度单位：% 或 个百分点")


class Figure(_Model):
    """One structured figure: 全年新发刑事案件 312 起. It is written as the fact's text
    writes it: 约3.6亿元 is ``{value: 3.6, unit: 亿元, approx: 约}`` (or 36000 万元),
    12.6万人 is ``{value: 126000, unit: 人}`` (or 12.6 万人)."""

    label: Text = Field(description="指标名称，如 新发刑事案件")
    value: float = Field(ge=0, description="数值（非负数），按原文写法，如 3.6（配 亿元）或 36000（配 万元）")
    unit: str = Field(default="", description="计量单位，如 起、人、件、%；可带数量级，如 亿元、万元、万人")
    approx: Approximation | None = Field(default=None, description="约数说明：余、多、以上、超过、超、逾、近、约、左右")
    change: Change | None = Field(default=None, description="与基期相比的变化")


class FactDetail(_Model):
    """A fact with structured figures and a source."""

    text: Text = Field(description="事实原文，如 全年新发刑事案件312起，同比下降8.2%")
    figures: list[Figure] = Field(default_factory=list, description="结构化数字")
    source: str | None = Field(default=None, description="出处，如 台账第3行C列")
    planned: bool = Field(default=False, description="为计划事项（拟/将），不得写成已完成")


Fact = Union[Text, FactDetail]


def fact_text(fact: Fact) -> str:
    return fact if isinstance(fact, str) else fact.text


class SubPoint(_Model):
    """A sub-point inside a section, led by a short heading (扫黑除恶保平安)."""

    heading: Text = Field(description="小标题，如 扫黑除恶保平安")
    facts: list[Fact] = Field(default_factory=list, description="事实")


_ORDINAL_PREFIX = re.compile(r"^(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十]+[）)]|[0-9]+[、.．]\s*)")


class Section(_Model):
    """One numbered work area: 一、坚持以{topic}为牵引，推动{aim}。"""

    # ``heading`` in the spec is kept in ``own_heading``; the heading as it stands in the
    # report is the user's own or the kind's formula over topic and aim:
    # ``Report.heading_of(section)``.

    model_config = ConfigDict(serialize_by_alias=True)

    id: Annotated[str, StringConstraints(pattern=PART_ID_PATTERN)] = Field(
        description="稳定标识（小写字母、数字、-、_），重新生成某一部分时用它指名"
    )
    topic: Text = Field(description="牵引（工作要点、述职报告：本部分的主题），如 政法队伍教育整顿")
    aim: Text | None = Field(default=None, description="目标，如 作风素能大提升（自查报告的标题公式需要；其他文种可省略）")
    own_heading: str | None = Field(
        default=None, alias="heading",
        description="本部分标题，可选，不带序号和句号；缺省按文种公式由 topic 与 aim 生成"
                    "（自查报告：坚持以{topic}为牵引，推动{aim}）")
    intro: str | None = Field(default=None, description="总述句，可选")
    facts: list[Fact] = Field(default_factory=list, description="事实")
    points: list[SubPoint] = Field(default_factory=list, description="分项（小标题与事实）")
    conclusion: str | None = Field(default=None, description="收束句，可选")

    @field_validator("own_heading")
    @classmethod
    def _bare_heading(cls, value: str | None) -> str | None:
        """The ordinal and the full stop are the report's: 一、……。 → ……"""
        if value is None:
            return None
        text = _ORDINAL_PREFIX.sub("", value.strip()).strip().rstrip("。；;，,").strip()
        return text or None

    def all_facts(self) -> list[Fact]:
        out = list(self.facts)
        for p in self.points:
            out.extend(p.facts)
        return out


class Opening(_Model):
    # Which lines a kind needs is its own (``drafting.inputs`` in its kind file): a
    # 工作要点 has no results or honours.

    leadership: Text | None = Field(default=None, description="领导句，如 在区委、区政府的正确领导下（自查报告必填）")
    guidance: Text = Field(description="指导思想与工作主线（工作要点：总体要求）")
    results: Text | None = Field(default=None, description="总体成效（自查报告、工作总结必填；工作要点不用）")
    honours: list[Text] = Field(default_factory=list, description="所获荣誉（工作要点不用）")


class Closing(_Model):
    # Shortcomings and next steps (工作总结 and 述职报告 give each its own numbered
    # part); a 工作要点 has at most a closing paragraph, ``summary``.

    summary: Text | None = Field(default=None, description="总体评价（自查报告必填；工作要点：结尾段）")
    shortcomings: list[Text] = Field(default_factory=list, description="存在的不足（工作要点不用）")
    measures: str | None = Field(default=None, description="对不足的整改态度，可选")
    plans: list[Text] = Field(default_factory=list, description="工作打算（述职报告：今后努力方向；工作要点不用）")


class Person(_Model):
    """述职人：个人述职报告的姓名与职务。"""

    name: Text = Field(description="姓名，如 陈晓燕")
    post: Text = Field(description="现任职务，如 桐溪县农业农村局副局长")
    since: str | None = Field(default=None, description="任职时间，如 2021年8月（可省略）")
    duties: str | None = Field(default=None, description="分管或负责的工作，如 种植业和农产品质量安全工作（可省略）")


def _kind_rules(schema: dict) -> None:
    """What each kind requires or does not use (``drafting.inputs`` in its kind file)
    as if-kind-then rules of the JSON Schema, so that an editor says it too. The
    default kind (self_inspection) applies when ``kind`` is left out."""
    from ._kinds import get_kind

    rules = []
    for kind in DOCUMENT_KINDS:
        when: dict = {"properties": {"kind": {"const": kind}}}
        if kind != "self_inspection":
            when["required"] = ["kind"]
        rules.append({"if": when, "then": get_kind(kind).drafting.json_schema()})
    schema["allOf"] = rules


class Report(_Model):
    """A whole report: the root of every spec file."""

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra=_kind_rules)

    kind: DraftableKind = Field(
        default="self_inspection",
        description="文种：self_inspection 自查报告、work_summary 工作总结、debriefing 述职报告、work_plan 工作要点")
    title: str | None = Field(default=None, description="标题；缺省按文种生成，如 2021年目标任务考核完成情况自查报告、"
                                                        "某某镇2024年工作总结、2024年度个人述职报告、某某局2025年工作要点")
    organ: Text = Field(description="报告单位，如 南郑区委政法委（述职报告：述职人所在单位）")
    jurisdiction: str | None = Field(default=None, description="辖区，荣誉的主语，如 南郑区；缺省用报告单位")
    period: int = Field(ge=1949, le=2100, description="报告年度，如 2021（工作要点：起草时所在的年度，计划年度见 target_year）")
    target_year: int | None = Field(default=None, ge=1949, le=2101,
                                    description="计划年度（工作要点、工作总结的工作打算），缺省为 period 的下一年")
    person: Person | None = Field(default=None, description="述职人（个人述职报告）：姓名、职务、任职时间、分管工作")
    team: Text | None = Field(default=None, description="述职的领导班子（班子述职报告），如 桐溪县农业农村局领导班子")
    recipient: str | None = Field(default=None, description="主送机关，如 市委政法委；排在标题下，以全角冒号结尾（可省略）")
    signature: str | None = Field(default=None, description="发文机关署名，排在正文之后；缺省用报告单位")
    date: dt.date | None = Field(default=None, description="成文日期，如 2021-12-20 或 2021年12月20日；"
                                                       "导出时写作“2021年12月20日”（可省略，省略则不排日期行）")
    opening: Opening
    sections: list[Section] = Field(min_length=1, description="按顺序排列的各项工作")
    closing: Closing | None = Field(default=None, description="结尾（工作要点可省略）")

    @field_validator("sections")
    @classmethod
    def _unique_ids(cls, sections: list[Section]) -> list[Section]:
        seen: dict[str, int] = {}
        for i, s in enumerate(sections):
            if s.id in RESERVED_IDS:
                raise ValueError(f"sections[{i}].id 不能用 {s.id!r}：opening 与 closing 留给开头段和结尾段")
            if s.id in seen:
                raise ValueError(f"部分标识 {s.id!r} 重复：sections[{seen[s.id]}] 与 sections[{i}]")
            seen[s.id] = i
        return sections

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: object) -> object:
        """2021-12-20, or as it is written on a document: 2021年12月20日."""
        if value is None or isinstance(value, dt.date):
            return value
        text = str(value).strip()
        m = _CHINESE_DATE.fullmatch(text)
        try:
            return dt.date(*(int(g) for g in m.groups())) if m else dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"“{value}”不是有效的日期：请写成 2021-12-20 或 2021年12月20日") from None

    @field_validator("recipient", "signature")
    @classmethod
    def _strip_line(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        if "\n" in value:
            raise ValueError("须写在一行内")
        return value or None

    @model_validator(mode="after")
    def _defaults(self) -> "Report":
        drafting = self._drafting()
        problems = drafting.input_problems(self.is_set, DOCUMENT_KINDS[self.kind])
        needed = drafting.heading.fields
        for i, s in enumerate(self.sections):
            if s.own_heading is None:
                problems += [(("sections", i, f), "缺少必填字段（按文种公式生成标题需要它；或自定 heading）")
                             for f in needed if not getattr(s, f)]
        if self.person is not None and self.team is not None:
            problems.append((("team",), "个人述职写 person，班子述职写 team，只能写一个"))
        if self.target_year is not None and self.target_year < self.period:
            problems.append((("target_year",), f"计划年度不能早于报告年度 {self.period}"))
        if problems:
            # Each problem keeps its field path, so a spec file names its line.
            raise PydanticCustomError("kind_inputs", "{summary}", {
                "summary": "；".join(f"{'.'.join(map(str, loc)) or '（顶层）'}：{msg}" for loc, msg in problems),
                "problems": problems})
        if not self.title:
            object.__setattr__(self, "title", drafting.title(self.formula_values()))
        if not self.signature:
            object.__setattr__(self, "signature", self.organ)
        return self

    def _drafting(self):
        from ._kinds import get_kind

        return get_kind(self.kind).drafting

    def is_set(self, path: str) -> bool:
        """Whether the spec gives the field at ``path`` (``closing.plans``): a value,
        or a list with at least one item."""
        obj: object = self
        for name in path.split("."):
            obj = getattr(obj, name, None)
            if obj is None:
                return False
        return obj != [] and obj != ""

    @property
    def plan_year(self) -> int:
        """The year the plans are for: ``target_year``, or the year after ``period``."""
        return self.target_year or self.period + 1

    def formula_values(self) -> dict[str, object]:
        """What a kind's formulas (title, frame headings) may name."""
        return {"organ": self.organ, "period": self.period, "target_year": self.plan_year,
                "jurisdiction": self.jurisdiction or self.organ, "team": self.team,
                "person": self.person.name if self.person else None,
                "post": self.person.post if self.person else None}

    def heading_of(self, section: Section | str | int) -> str:
        """A section's heading as it stands in the report (without ordinal and full
        stop): its own, or the kind's formula over its topic and aim."""
        s = section if isinstance(section, Section) else self.section(section)
        return s.own_heading or self._drafting().heading.render(topic=s.topic, aim=s.aim)

    def frame(self) -> Frame:
        """Where the parts stand in the document (drafter._frame): the kind's frame with
        this spec's values (the plan year of 三、2025年工作打算)."""
        from ._kinds import get_kind

        return get_kind(self.kind).frame_for(self.formula_values())

    def part_ids(self) -> list[str]:
        """The parts of a draft of this spec, in order: opening, sections, closing (a
        工作要点 without a closing has none)."""
        return ["opening", *(s.id for s in self.sections), *(["closing"] if self.closing else [])]

    def section(self, key: str | int) -> Section:
        """A section by id or 1-based number; KeyError names what was asked."""
        if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
            n = int(key)
            if 1 <= n <= len(self.sections):
                return self.sections[n - 1]
        i = _positions(self).get(key)  # type: ignore[arg-type]
        if i is None:
            raise KeyError(key)
        return self.sections[i]

    def number(self, section_id: str) -> int:
        """The 1-based number of the section with this id; KeyError if none."""
        return _positions(self)[section_id] + 1


RESERVED_IDS = frozenset({"opening", "closing"})
_CHINESE_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?")




# id(report) -> (report, {section id: index}): looking a section up by id is constant
# time, so work per section stays linear in the number of sections (a report is
# immutable; the cache is checked by identity, as Evidence's is).
_POSITIONS: dict[int, tuple[Report, dict[str, int]]] = {}


def _positions(report: Report) -> dict[str, int]:
    hit = _POSITIONS.get(id(report))
    if hit is None or hit[0] is not report:
        hit = _POSITIONS[id(report)] = (report, {s.id: i for i, s in enumerate(report.sections)})
        while len(_POSITIONS) > 8:
            _POSITIONS.pop(next(iter(_POSITIONS)))
    return hit[1]
