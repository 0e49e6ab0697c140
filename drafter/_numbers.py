"""Find every number in Chinese text and say what it is.

One extractor serves both sides of the promise: :mod:`drafter._evidence` runs it over
the input to collect every figure the user gave, and the numbers validator runs it
over a draft to find every figure the text states. Using the same code on both sides
is what lets "三百一十二起", "312起" and "300余起" be compared as one figure.

A *mention* is a number with its unit, approximation (余/多/以上/近/约 …), the change
it describes (同比下降), whether its clause is a plan (拟/计划/力争 …), and its kind:

- ``figure``   a quantity that must be backed by the input
- ``year``, ``date``, ``ordinal`` (第一批), ``docno`` (〔2021〕15号), ``heading``
  (一、 （一） 1. at a line start, 一是), ``code`` (5G, APP2), ``fixed`` (三会一课,
  十九届六中全会, idioms, short quoted terms — see ``data/lexicon/numbers.yaml``)
  and ``word`` (a Chinese numeral with no unit: 十分, 一起) are not figures.

Rules follow GB/T 15835-2011 (出版物上数字用法) where it prescribes; the rest is
practice. Standard Chinese numerals are converted here; cn2an handles the rest
(shorthand such as 一万二 = 12000) and is imported only then, because its import
costs ~0.1 s of start-up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Iterable, Literal

from ._resources import data_file

Kind = Literal["figure", "year", "date", "ordinal", "docno", "heading", "code", "fixed", "word"]
# Numbers in these words are not figures: fixed expressions (三会一课) and names that
# carry a number but need no backing (12345热线, PM2.5, 4A级) — both lists in
# ``data/lexicon/numbers.yaml``.
NON_FIGURE_LISTS = ("fixed_expressions", "no_backing")

CN_DIGITS = "零〇一二两三四五六七八九"
CN_NUM = "零〇一二两三四五六七八九十百千万亿"
_PREFIX_APPROX = ("超过", "突破", "多达", "近", "约", "超", "逾")
_PREFIX_LAST = frozenset(a[-1] for a in _PREFIX_APPROX)
_SUFFIX_APPROX = ("有余", "以上", "左右", "余", "多")
UP_WORDS = ("上升", "增长", "增加", "提高", "提升", "增幅", "涨幅", "增幅为", "增幅达", "涨幅为", "多")
DOWN_WORDS = ("下降", "减少", "降低", "下滑", "降幅", "降幅为", "降幅达", "少")
FLAT_WORDS = ("持平",)
# 成 after a numeral is a tenth (三成 = 30%) unless it starts a word (成为, 成效 …).
_CHENG_NOT_UNIT = frozenset("为立效功果绩员本熟型形交片就都套长才年品")
_CLAUSE_BREAK = "，。；：！？,;:!?\n、（）()"
_CLAUSE_BREAK_RE = re.compile("[" + re.escape(_CLAUSE_BREAK) + "]")

# The number itself: Arabic (with thousands commas and a decimal part), a Chinese
# numeral, 百分之…, or a fraction X分之Y. Magnitudes (万/亿/千) after Arabic digits.
# (The look-ahead names every character a number can start with: the engine then skips
# prose quickly instead of trying each branch at every character, 6x faster.)
_NUMBER_RE = re.compile(
    r"(?=[\d" + CN_NUM + r"])(?:"
    r"(?P<pct>百分之(?P<pctnum>[" + CN_NUM + r"]+(?:点[" + CN_DIGITS + r"]+)?|\d+(?:\.\d+)?))"
    r"|(?P<frac>(?P<den>[" + CN_NUM + r"]+|\d+)分之(?P<num>[" + CN_NUM + r"]+|\d+))"
    r"|(?P<ar>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<armag>(?:余|多)?[万亿千](?![米克瓦]))?"
    r"|(?P<cn>[" + CN_NUM + r"]+(?:点[" + CN_DIGITS + r"]+)?))"
)
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
_FULLWIDTH_RE = re.compile("[０-９]")


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    raw: str
    value: float
    unit: str = ""
    approx: str | None = None
    kind: Kind = "figure"
    direction: Literal["up", "down", "flat"] | None = None
    basis: str | None = None
    planned: bool = False
    notation: Literal["arabic", "chinese"] = "arabic"

    @property
    def is_figure(self) -> bool:
        return self.kind == "figure"


@cache
def units() -> tuple[str, ...]:
    return tuple(sorted(_read_lines(data_file("units.txt")), key=len, reverse=True))


@cache
def unit_groups() -> dict[str, frozenset[str]]:
    """Each unit of ``data/unit_synonyms.txt`` → the units that count the same thing."""
    out: dict[str, frozenset[str]] = {}
    for line in _read_lines(data_file("unit_synonyms.txt")):
        group = frozenset(line.split())
        for u in group:
            out[u] = group
    return out


@cache
def _arabic_units() -> tuple[str, ...]:
    return tuple(sorted(_read_lines(data_file("units_arabic.txt")), key=len, reverse=True))


def _arabic_unit(text: str, pos: int) -> str:
    """A unit that counts only after Arabic digits (96.2分), when no Chinese word
    continues it (not 分别, 3分钟); approximation words may follow (90分以上)."""
    for u in _arabic_units():
        if text.startswith(u, pos):
            after = text[pos + len(u):pos + len(u) + 2]
            if not after or not _is_han(after[0]) or after in ("以上", "左右"):
                return u
    return ""


def _is_han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


@cache
def _unit_re() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(u) for u in units()))


def _read_lines(path: Path) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


@lru_cache(maxsize=8)
def compile_fixed(words: tuple[str, ...], patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One alternation of fixed expressions, longest first.

    Behind a look-ahead for the characters a fixed expression can start with: the
    engine then tries the hundreds of branches only where one can match (4x faster
    around each number). The look-ahead lets through every start of a non-empty
    match, so the matches are the plain alternation's."""
    from ._regex_start import char_class, first_chars

    parts = [re.escape(w) for w in words] + list(patterns)
    parts.sort(key=len, reverse=True)
    alternation = "|".join(f"(?:{p})" for p in parts)
    starts = first_chars(alternation)
    return re.compile(f"(?=[{char_class(starts)}])(?:{alternation})" if starts else alternation)


@cache
def _bundled_numbers_lexicon() -> dict:
    from ._yaml import load

    return load(data_file("lexicon/numbers.yaml").read_text(encoding="utf-8"))


@cache
def fixed_expression_re() -> re.Pattern[str]:
    """The bundled words whose numbers are not figures (``data/lexicon/numbers.yaml``:
    fixed expressions and names that need no backing). The numbers validator adds an
    organisation's own through the word-list mechanism (``--lexicon``)."""
    raw = _bundled_numbers_lexicon()
    words: list[str] = []
    pats: list[str] = []
    for name in NON_FIGURE_LISTS:
        body = raw.get(name) or {}
        words += list(body.get("words") or ())
        pats += [p if isinstance(p, str) else p["pattern"] for p in body.get("patterns") or ()]
    return compile_fixed(tuple(words), tuple(pats))


_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}


def _standard_chinese(s: str) -> float | None:
    """The standard forms (三百一十二, 一万二千, 十二点五, 二〇二一) without cn2an:
    they are nearly all a report holds, and importing cn2an costs ~0.1 s of start-up.
    Anything else (一万二, 二百五) goes to cn2an. A test checks both agree."""
    whole, _, frac = s.partition("点")
    if frac and not all(c in _CN_DIGIT for c in frac):
        return None
    if whole and all(c in _CN_DIGIT for c in whole):  # digit by digit: 二〇二一
        value = float("".join(str(_CN_DIGIT[c]) for c in whole)) if len(whole) > 1 or not frac else float(_CN_DIGIT[whole])
    else:
        total, section, digit, last_small = 0, 0, None, 10**9
        zero, seen_unit = False, False
        for c in whole:
            if c in _CN_DIGIT:
                if digit is not None and _CN_DIGIT[c] != 0:
                    return None  # 一万二 style shorthand: leave to cn2an
                zero = zero or _CN_DIGIT[c] == 0
                digit = _CN_DIGIT[c] if _CN_DIGIT[c] else None
            elif c in _CN_SMALL:
                unit = _CN_SMALL[c]
                if unit >= last_small:
                    return None
                section += (1 if digit is None else digit) * unit
                digit, last_small, zero, seen_unit = None, unit, False, True
            elif c in _CN_BIG:
                section += digit or 0
                if section == 0:
                    return None
                total += section * _CN_BIG[c]
                section, digit, last_small, zero, seen_unit = 0, None, 10**9, False, True
            else:
                return None
        if digit is not None and seen_unit and last_small != 10 and not zero:
            return None  # 二百五, 一万二: shorthand, leave to cn2an
        value = float(total + section + (digit or 0))
    if frac:
        value += float("0." + "".join(str(_CN_DIGIT[c]) for c in frac))
    return value


@lru_cache(maxsize=4096)
def chinese_to_number(s: str) -> float | None:
    """三百一十二 → 312, 十二点五 → 12.5, 两 → 2; None when it is not a numeral."""
    if not s or s in ("百", "千", "万", "亿"):
        return None
    fast = _standard_chinese(s)
    if fast is not None:
        return fast
    import cn2an  # lazy: see module docstring

    try:
        return float(cn2an.cn2an(s, "normal"))
    except Exception:  # cn2an raises plain ValueError-like errors for non-numerals
        return None


def _arabic(s: str) -> float:
    return float(s.replace(",", ""))


_MAGNITUDE = {"万": 1e4, "亿": 1e8, "千": 1e3}


def _clause_before(text: str, start: int, limit: int = 40) -> str:
    """The words from the last clause break (at most ``limit`` characters back) to ``start``."""
    seg = text[max(0, start - limit):start]
    last = _CLAUSE_BREAK_RE.search(seg[::-1])  # the nearest break, found from the end
    return seg if last is None else seg[len(seg) - last.start():]


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


_HEADING_PREFIX = re.compile(r"[ \t\u3000]*(?:#+[ \t]*)?[（(]?$")


# Dates and clock times in digits, as web pages and file names write them
# (2022-11-08, 2024.5.2, 2024/03/12, 15:10:15): every number inside is a date.
_DIGIT_DATE = re.compile(r"(?<![\d.])(?:19|20)\d{2}([-/.])\d{1,2}\1\d{1,2}(?![\d.])"
                         r"|(?<![\d./-])(?:19|20)\d{2}[-/](?:0?[1-9]|1[0-2])(?![\d./-])"
                         r"|(?<![\d:])(?:[01]?\d|2[0-3])[:：][0-5]\d(?:[:：][0-5]\d)?(?![\d:])")
_KEYCAP = ("\ufe0f", "\u20e3")  # 1️⃣: a list marker drawn as a key
_SUBHEADING = re.compile(r"\d{1,2}(?:\.\d{1,2})+(?=[ \t\u3000]*[\u4e00-\u9fff])")


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


# What every match of _DIGIT_DATE holds: a year and its separator, or a clock's colon.
_DIGIT_DATE_GATE = re.compile(r"(?:19|20)\d\d[-/.]|\d[:：][0-5]")


def _date_spans(text: str) -> list[tuple[int, int]]:
    if "-" not in text and "/" not in text and "." not in text and ":" not in text and "：" not in text:
        return []
    if _DIGIT_DATE_GATE.search(text) is None:  # a decimal (6.3) or a dash alone: no date
        return []
    return [m.span() for m in _DIGIT_DATE.finditer(text)]


def _classify_context(text: str, s: int, e: int, kind_hint: str) -> Kind | None:
    """Non-figure kinds decided by what stands around the number."""
    before = text[s - 1] if s > 0 else ""
    after = text[e] if e < len(text) else ""
    after2 = text[e + 1] if e + 1 < len(text) else ""
    if before == "第":
        return "ordinal"
    if after in _KEYCAP:
        return "heading"
    if before == "." and s >= 2 and text[s - 2].isdigit():
        return "code"  # the last part of 2.3.1 or 115.2.7
    if kind_hint == "ar" and (sub := _SUBHEADING.match(text, s)) and _HEADING_PREFIX.match(text, _line_start(text, s), s):
        rest = text[sub.end():sub.end() + 1]
        if rest not in _MAGNITUDE and _unit_re().match(text, sub.end()) is None:
            return "heading"  # 1.1行业生态, 2.3.1 at the start of a line (not 1.2万人, 3.5亿元)
    if after and after.isascii() and after.isalpha():
        return "code"
    if after == "、" or after == "．" or (kind_hint == "ar" and after == "." and not after2.isdigit()):
        if after == "、" or _HEADING_PREFIX.match(text, _line_start(text, s), s):
            return "heading"
    if after in ("）", ")") and before in ("（", "("):
        return "heading"
    if kind_hint == "cn" and after == "是":
        return "heading"
    if after == "号" or before in ("〔", "[", "［"):
        return "docno"
    if after in ("月", "日") or (after == "时" and kind_hint == "ar"):
        return "date"
    return None


# The mentions of short texts, kept: a fact's text is read when it is imported, when
# its evidence is built and when a draft restates it (the composer), so an import of a
# 10,000-row ledger read every row twice. Only texts read with the bundled fixed
# expressions, never long ones (a document is read once).
_MEMO: dict[str, tuple[Mention, ...]] = {}
_MEMO_TEXT = 1000
_MEMO_SIZE = 50_000


def extract(text: str, *, fixed: re.Pattern[str] | None = None) -> list[Mention]:
    """Every number in ``text`` as a :class:`Mention`, in order of appearance."""
    if fixed is None and len(text) <= _MEMO_TEXT:
        hit = _MEMO.get(text)
        if hit is None:
            hit = tuple(_extract(text, fixed_expression_re()))
            if len(_MEMO) >= _MEMO_SIZE:
                del _MEMO[next(iter(_MEMO))]
            _MEMO[text] = hit
        return list(hit)
    return _extract(text, fixed or fixed_expression_re())


_MENTION_FIELDS = tuple(f for f in Mention.__dataclass_fields__)


def mention_data(m: Mention) -> tuple:
    """A mention as plain data (it travels from a forked child: :func:`remember`)."""
    return tuple(getattr(m, f) for f in _MENTION_FIELDS)


def remember(text: str, data: list[tuple]) -> None:
    """Keep the mentions of ``text`` read elsewhere (:func:`mention_data`), as
    :func:`extract` keeps those it reads: a forked child read the text already."""
    if len(text) <= _MEMO_TEXT and len(_MEMO) < _MEMO_SIZE:
        _MEMO[text] = tuple(Mention(*d) for d in data)


def _extract(text: str, fixed: re.Pattern[str]) -> list[Mention]:
    text = text.translate(_FULLWIDTH_DIGITS) if _FULLWIDTH_RE.search(text) else text
    numbers = list(_NUMBER_RE.finditer(text))
    fixed_spans = _fixed_spans(text, numbers, fixed)
    dates = _date_spans(text)
    di = 0
    unit_re = _unit_re()
    plans = may_plan(text)
    out: list[Mention] = []
    fi = 0
    for m in numbers:
        s, e = m.span()
        while fi < len(fixed_spans) and fixed_spans[fi][1] <= s:
            fi += 1
        in_fixed = fi < len(fixed_spans) and fixed_spans[fi][0] <= s < fixed_spans[fi][1]
        while di < len(dates) and dates[di][1] <= s:
            di += 1
        if di < len(dates) and dates[di][0] <= s:
            out.append(Mention(s, e, text[s:e], _arabic(m.group()) or 0.0, kind="date"))
            continue
        mention = _read_mention(text, m, unit_re, plans)
        if mention is None:
            continue
        if in_fixed and mention.kind == "figure":
            mention = _replace(mention, kind="fixed")
        out.append(mention)
    _propagate_range_units(text, out)
    _propagate_series_change(text, out)
    return out


_FIXED_REACH = 14  # a fixed expression starts at most this far before its numeral


def _fixed_spans(text: str, numbers: list[re.Match[str]], fixed: re.Pattern[str]) -> list[tuple[int, int]]:
    """Spans of fixed expressions, looked for only around numbers (a fixed expression
    always holds one), so prose between figures is never scanned."""
    spans: list[tuple[int, int]] = []
    lo = hi = -1
    for m in numbers:
        a, b = max(0, m.start() - _FIXED_REACH), m.end() + _FIXED_REACH
        if a <= hi:
            hi = b
            continue
        if hi > lo:
            spans += [f.span() for f in fixed.finditer(text, lo, hi)]
        lo, hi = a, b
    if hi > lo:
        spans += [f.span() for f in fixed.finditer(text, lo, hi)]
    return spans


def figures(text: str, **kw) -> list[Mention]:
    return [m for m in extract(text, **kw) if m.kind == "figure"]


def _replace(m: Mention, **changes) -> Mention:
    from dataclasses import replace

    return replace(m, **changes)


def _read_mention(text: str, m: re.Match[str], unit_re: re.Pattern[str], plans: bool = True) -> Mention | None:
    """The mention of one number match; ``plans``: whether ``text`` holds a plan word."""
    s, e = m.span()
    notation: Literal["arabic", "chinese"] = "arabic"
    approx: str | None = None
    unit = ""
    branch = m.lastgroup  # the outer group of the branch that matched (armag: the ar branch)
    if branch == "pct":
        raw_num = m.group("pctnum")
        value = _arabic(raw_num) if raw_num[0].isdigit() else chinese_to_number(raw_num)
        if value is None:
            return None
        notation = "arabic" if raw_num[0].isdigit() else "chinese"
        unit = "%"
        hint = "pct"
    elif branch == "frac":
        den, num = m.group("den"), m.group("num")
        dv = _arabic(den) if den.isdigit() else chinese_to_number(den)
        nv = _arabic(num) if num.isdigit() else chinese_to_number(num)
        if not dv or nv is None:
            return None
        value = nv / dv
        unit = "分之"
        hint = "frac"
        notation = "arabic" if den.isdigit() else "chinese"
    elif branch == "ar" or branch == "armag":
        value = _arabic(m.group("ar"))
        mag = m.group("armag")
        if mag:
            if mag[0] in "余多":
                approx = mag[0]
            value *= _MAGNITUDE[mag[-1]]
        hint = "ar"
    else:
        raw = m.group("cn")
        # A trailing magnitude-free run like 一起/十分 needs a unit to count (below).
        value = chinese_to_number(raw)
        if value is None:
            return None
        notation = "chinese"
        hint = "cn"

    ctx_kind = _classify_context(text, s, e, hint)
    if ctx_kind is not None:
        return Mention(s, e, text[s:e], value, kind=ctx_kind, notation=notation)

    # Year: 2021年 / 2021年度 / 1949—2021
    if hint == "ar" and not m.group("armag") and "." not in m.group("ar") and len(m.group("ar")) == 4 \
            and 1900 <= value <= 2100 and text[e:e + 1] in ("年", "—", "-", "～", "~", "至"):
        return Mention(s, e, text[s:e], value, kind="year")

    # Approximation and unit after the number: 300余起, 12万人以上, 2.3个百分点
    pos = e
    if approx is None:  # of _SUFFIX_APPROX, these three follow the number directly
        if text.startswith("有余", pos):
            approx = "余"
            pos += 2
        elif text[pos:pos + 1] in ("余", "多"):
            approx = text[pos]
            pos += 1
    if unit != "%":
        if text[pos:pos + 1] in ("%", "％"):
            unit = "%"
            pos += 1
        else:
            if hint == "cn" and text[pos:pos + 1] in _MAGNITUDE and value:
                value *= _MAGNITUDE[text[pos]]
                pos += 1
                if approx is None and text[pos:pos + 1] in ("余", "多"):
                    approx = text[pos]
                    pos += 1
            um = unit_re.match(text, pos)
            if um is None and hint == "ar" and text[pos:pos + 1] in (" ", "\u00a0") and _is_han(text[pos + 1:pos + 2]):
                um = unit_re.match(text, pos + 1)  # 1.2 亿元 as a PDF or web copy spaces it
            if um:
                unit = um.group()
                pos = um.end()
            elif hint == "ar" and (au := _arabic_unit(text, pos)):
                unit = au
                pos += len(au)
            elif text.startswith("成", pos) and text[pos + 1:pos + 2] not in _CHENG_NOT_UNIT and 0 < value <= 10:
                value, unit = value * 10, "%"  # 三成 = 30%
                pos += 1
    for a in ("以上", "左右", "有余"):
        if text.startswith(a, pos):
            approx = approx or ("余" if a == "有余" else a)
            pos += len(a)
            break

    # Approximation before the number: 近300, 超过1.2万, 约3成
    pre = text[max(0, s - 2):s]
    start = s
    if pre[-1:] in _PREFIX_LAST:
        for a in _PREFIX_APPROX:
            if pre.endswith(a):
                if approx is None:
                    approx, start = a, s - len(a)
                break

    if hint == "cn":
        # A Chinese numeral is a figure only when a unit, %, or 余/多 follows, and
        # never the lone 一 (一个, 一起, 一批 are articles in practice).
        if not unit and (approx not in ("余", "多") or text[pos:pos + 1] in "年岁月天日"):
            return Mention(s, pos, text[s:pos], value, kind="word", notation=notation)
        if m.group("cn") == "一":
            return Mention(s, pos, text[s:pos], value, kind="word", notation=notation)
        if unit in ("年",):
            return Mention(s, pos, text[s:pos], value, kind="word", notation=notation)

    before = text[s - 1] if s > 0 else ""
    if not unit and before.isascii() and before.isalpha():
        return Mention(s, pos, text[s:pos], value, kind="code", notation=notation)
    if not unit and approx is None and hint == "ar" and m.group("ar").isdigit() and len(m.group("ar")) >= 7 \
            and not m.group("armag"):
        return Mention(s, pos, text[s:pos], value, kind="code", notation=notation)  # 索引号, ID: a number, not a count
    if not unit and approx is None and hint == "ar" and len(m.group("ar")) == 4 and m.group("ar").isdigit() \
            and 1949 <= value <= 2100 and not m.group("armag"):
        return Mention(s, pos, text[s:pos], value, kind="year")  # 2018抓基层党建: a year without 年

    direction, basis = _change_before(text, start)
    planned = plans and says_plan(_clause_before(text, s))
    return Mention(start, pos, text[start:pos], value, unit=unit, approx=approx, kind="figure",
                   direction=direction, basis=basis, planned=planned, notation=notation)


def may_plan(text: str) -> bool:
    """Whether ``text`` holds the start of any plan marker at all: a text without one
    has no planned clause (a cheap gate before :func:`says_plan` on its parts)."""
    return _any_plan_word().search(text) is not None


def says_plan(words: str) -> bool:
    """Whether ``words`` hold a plan word that makes what follows a plan (拟, 计划 …)."""
    return _plan_re().search(words) is not None


def says_done(words: str) -> bool:
    """Whether ``words`` state something as done (已, 实际 …)."""
    return _done_re().search(words) is not None


def _list_parts(name: str) -> tuple[list[str], list[str]]:
    body = _bundled_numbers_lexicon().get(name) or {}
    words = [re.escape(w) for w in body.get("words") or ()]
    pats = [p if isinstance(p, str) else p["pattern"] for p in body.get("patterns") or ()]
    return words, pats


@cache
def _plan_re() -> re.Pattern[str]:
    """A plan marker (``plan_markers``) that makes its clause a plan."""
    words, pats = _list_parts("plan_markers")
    return re.compile("|".join(sorted(words + pats, key=len, reverse=True)))


@cache
def _any_plan_word() -> re.Pattern[str]:
    """Any plan marker's first characters at all: a text without one has no planned clause."""
    words, pats = _list_parts("plan_markers")
    return re.compile("|".join(words + [re.sub(r"\(\?<?[!=][^)]*\)", "", p) for p in pats]))


@cache
def _done_re() -> re.Pattern[str]:
    words, pats = _list_parts("done_words")
    return re.compile("|".join(sorted(words + pats, key=len, reverse=True)))


_CHANGE_DIRS = ("上升", "增长", "增加", "提高", "提升", "下降", "减少", "降低", "下滑", "持平",
                "增幅为", "增幅达", "涨幅为", "降幅为", "降幅达", "增幅", "涨幅", "降幅")
_CHANGE_TAILS = ("了", "达", "幅度为", "幅度达")
_CHANGE_RE = re.compile(
    r"(?P<basis>同比|环比|较上年|比上年|较去年|比去年|较上年度|与上年相比|与去年相比)?[，, ]?"
    rf"(?P<dir>{'|'.join(_CHANGE_DIRS)}|(?<![最很较更许大增])多|(?<![最很较更至减缺不])少)(?:{'|'.join(_CHANGE_TAILS)})?$"
)
# The characters a change can end with, just before the number (or before a line end
# there, where ``$`` also matches): elsewhere the search is skipped.
_CHANGE_LAST = frozenset(w[-1] for w in _CHANGE_DIRS + _CHANGE_TAILS + ("多", "少"))  # 比上年多111件


def _change_before(text: str, s: int) -> tuple[str | None, str | None]:
    last = text[s - 1:s] if s > 0 else ""
    if last not in _CHANGE_LAST and not (last == "\n" and s > 1 and text[s - 2] in _CHANGE_LAST):
        return None, None
    m = _CHANGE_RE.search(text, max(0, s - 12), s)
    if not m:
        return None, None
    d = m.group("dir")
    direction = "up" if d in UP_WORDS else "down" if d in DOWN_WORDS else "flat"
    basis = m.group("basis")
    if basis:
        basis = "环比" if basis == "环比" else "同比"
    return direction, basis


_RANGE_SEP = ("至", "到", "-", "～", "~", "—")


def _propagate_range_units(text: str, ms: list[Mention]) -> None:
    """3至5个: the first end of a range takes the unit of the second; 1至3月: the
    first end of a range of dates is a date too."""
    for i in range(len(ms) - 1):
        a, b = ms[i], ms[i + 1]
        if a.kind != "figure" or a.unit or text[a.end:b.start] not in _RANGE_SEP:
            continue
        if b.kind == "figure" and b.unit:
            ms[i] = _replace(a, unit=b.unit)
        elif b.kind in ("date", "year"):
            ms[i] = _replace(a, kind=b.kind)


_SERIES_SEP = ("、", "和", "与", "及", "以及")


def _propagate_series_change(text: str, ms: list[Mention]) -> None:
    """分别下降25%和28.6%, 减少4起、2人: a figure that follows another of a series
    directly describes the same change."""
    for i in range(1, len(ms)):
        a, b = ms[i - 1], ms[i]
        if a.kind == "figure" and b.kind == "figure" and a.direction and not b.direction \
                and text[a.end:b.start] in _SERIES_SEP:
            ms[i] = _replace(b, direction=a.direction, basis=a.basis)


def place_value(value: float) -> float:
    """The place of the last non-zero digit: 300 → 100, 312 → 1, 12000 → 1000, 8.2 → 0.1.
    It sets how far an approximation may honestly reach (300余 covers 300 up to 399)."""
    if value == 0:
        return 1.0
    s = f"{value:.6f}".rstrip("0").rstrip(".")
    if "." in s:
        return 10.0 ** -len(s.split(".")[1])
    stripped = s.rstrip("0")
    return 10.0 ** (len(s) - len(stripped))


def iter_figures(texts: Iterable[str]) -> Iterable[Mention]:
    for t in texts:
        yield from figures(t)
