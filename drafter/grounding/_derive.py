"""Derived figures: a figure the input does not state but its facts give by arithmetic.

A draft may write 办结率96% from 办结1200件 and 受理1250件, 较上年减少15起 from two
years' figures, 全年共受理1500件 from the months, 全县共排查464件 from the townships.
Such a figure is accepted when the arithmetic agrees within the precision it is written
with (96% covers 95.5–96.5; 96.0% covers 95.95–96.05; 约三成 covers 25–35%), and the
computation is kept so a reader can verify it. Operands come from the figure's own
section (or, without sections, the whole input) and must share words with its clause;
a pair for a change must be two values of the same indicator.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import combinations
from typing import Literal, NamedTuple

from .._evidence import EvidenceFigure, units_compatible
from .._numbers import Mention
from ._index import FactIndex, approx_reach, unit_class

Kind = Literal["sum", "difference", "change", "ratio", "points"]
_MAGNITUDE = {"万": 1e4, "亿": 1e8, "千": 1e3}
_DECIMALS = re.compile(r"[.点]([0-9零〇一二三四五六七八九]+)")


class Derivation(NamedTuple):
    kind: Kind
    operands: tuple[EvidenceFigure, ...]
    value: float          # what the arithmetic gives
    unit: str
    formula: str          # 1200÷1250=96.0%
    holds: bool

    def to_dict(self) -> dict:
        return {"kind": self.kind, "formula": self.formula, "value": round(self.value, 6), "unit": self.unit,
                "operands": [{"fact": f.fact, "source": f.source, "raw": f.raw, "value": f.value}
                             for f in self.operands]}


def step(m: Mention) -> float:
    """The place of the last digit the writer wrote: 96% → 1, 96.0% → 0.1,
    1.2万 → 1000, 312起 → 1."""
    raw = m.raw
    mag = next((v for k, v in _MAGNITUDE.items() if k in raw), 1.0)
    d = _DECIMALS.search(raw)
    if d:
        return 10.0 ** -len(d.group(1)) * mag
    return mag


def fits(m: Mention, value: float) -> bool:
    """Whether ``value`` is what the text figure says, at its written precision."""
    if m.approx is not None:
        lo, hi = approx_reach(m.value, m.approx)
        tol = 1e-9 * max(1.0, abs(value))
        return lo - tol <= value <= hi + tol
    return abs(value - m.value) <= step(m) / 2 + 1e-9 * max(1.0, abs(value))


def _num(v: float) -> str:
    if v < 0:
        return "−" + _num(-v)
    if abs(v - round(v)) < 1e-9:
        return str(round(v))
    return f"{v:.4f}".rstrip("0").rstrip(".")


def _decimals(m: Mention) -> int:
    d = _DECIMALS.search(m.raw)
    return len(d.group(1)) if d else 0


def _pct(v: float, m: Mention) -> str:
    shown = f"{abs(v):.{max(1, _decimals(m))}f}"
    return "−" + shown if v < 0 and float(shown) else shown


class Operands(NamedTuple):
    """What the deriver may use for one text figure: the pool of input figures in
    scope and how much each shares with the figure's clause (``near``: its own
    words; ``sentence``: everything before it in its sentence)."""

    pool: Sequence[int]
    near: Callable[[int], float]
    sentence: Callable[[int], float]
    scope: Sequence[int] | None = None   # the figure's section (for totals); None: the pool
    rate_stem: str | None = None          # the two characters before 率 (办结 of 办结率)
    counts: str | None = None             # the unit its clause counts (人 of 死亡人数下降25%)
    plan: bool | None = None              # the figure is said as a plan (True) or a result (False)
    parts_word: bool = False              # its clause adds parts up (两者合计占…)


def derive(m: Mention, idx: FactIndex, ops: Operands, *, rate_word: bool, total_word: bool,
           basis_word: bool, rest_word: bool = False, per_word: bool = False, gap_word: bool = False,
           named: frozenset[float] = frozenset(),
           ) -> tuple[Derivation | None, Derivation | None]:
    """(a derivation that holds, else the closest one that was clearly meant but does
    not hold). Either may be None. ``rest_word``: the clause names a remainder (其余)
    or the previous period (上年), which one fact's two figures may give."""
    cls = unit_class(m.unit)
    pool = list(ops.pool)
    if m.direction is None and rest_word:
        rest = _within_fact(m, idx, ops, pool)
        if rest is not None:
            return rest, None
    if gap_word and m.direction is None and cls not in ("pct", "frac"):
        found, wrong = _gap(m, idx, ops, pool, named)
        if found is not None or wrong is not None:
            return found, wrong
    if cls == "pct" and m.direction is None:
        if rate_word or "成" in m.raw or "百分之" in m.raw:
            return _ratio(m, idx, ops, pool)
        return None, None
    if cls == "pct":
        return _change(m, idx, ops, pool, basis_word)
    if cls == "pts":
        return _points(m, idx, ops, pool, basis_word)
    if cls in ("frac",):
        return None, None
    if m.unit == "倍":
        return _times(m, idx, ops, pool)
    if per_word and m.direction is None and (per := _per(m, idx, ops, pool)) is not None:
        return per, None
    if m.direction is not None:
        found, wrong = _difference(m, idx, ops, pool, basis_word, named)
        if found:
            return found, None
        s_found, _ = _sum(m, idx, ops, pool, total_word)
        return s_found, (None if s_found else wrong)
    return _sum(m, idx, ops, pool, total_word)


# ---------------------------------------------------------------- ratio, rate, share

def _ratio(m: Mention, idx: FactIndex, ops: Operands, pool: list[int]):
    """A rate or share: part ÷ whole. The part shares words with the figure's clause
    (办结 for 办结率), the whole counts the same unit and stands in the part's fact, or
    near it, or is named in the sentence."""
    figs = idx.figs
    scope = set(ops.scope) if ops.scope is not None else set(pool)
    # Parts and wholes are counts with a unit: a bare number (60 of 60岁以上) is no count.
    nums = [i for i in pool if unit_class(figs[i].unit) not in ("pct", "pts", "frac", "none") and figs[i].value > 0
            and ops.near(i) >= (0.5 if i in scope else 1.0)]
    stem = ops.rate_stem
    if stem and any(stem in idx.near[n] for n in nums):
        nums = [n for n in nums if stem in idx.near[n]]  # 办结率: the part is what was 办结
    pairs: list[tuple[float, int, int]] = []
    by_fact: dict[int, list[int]] = {}
    for i, f in enumerate(figs):
        by_fact.setdefault(f.fact_index, []).append(i)
    for n in nums:
        fn = figs[n]
        for d in dict.fromkeys([*by_fact[fn.fact_index], *pool]):
            fd = figs[d]
            # A part is at most its whole, except for a rate written above 100%
            # (完成年度任务的112%).
            same_fact = fd.fact_index == fn.fact_index
            if d == n or (fd.value < fn.value and m.value <= 100) or fd.value <= 0 or not fd.unit \
                    or not (units_compatible(fd.unit, fn.unit) or (same_fact and _per_head(fd.unit, fn.unit))) \
                    or unit_class(fd.unit) in ("pct", "pts"):
                continue
            if not (same_fact or (fd.section_id == fn.section_id
                                  and (ops.sentence(d) >= 0.5 or abs(fd.fact_index - fn.fact_index) <= 2))):
                continue
            rel = ops.near(n) + 0.5 * ops.sentence(d) + (1.0 if same_fact else 0.0)
            if stem and stem in idx.near[n]:
                rel += 1.5
            pairs.append((rel, n, d))
    pairs.sort(key=lambda p: -p[0])
    wrong: Derivation | None = None
    for rel, n, d in pairs:
        fn, fd = figs[n], figs[d]
        r = fn.value / fd.value * 100
        der = Derivation("ratio", (fn, fd), r, "%", f"{_num(fn.value)}÷{_num(fd.value)}={_pct(r, m)}%", False)
        if fits(m, r):
            return der._replace(holds=True), None
        if m.value > 100 and fd.value > fn.value:
            # Above 100% the larger is the part: the clause named the target (完成年度
            # 目标任务的112.5%) and the result is the other figure.
            over = fd.value / fn.value * 100
            if fits(m, over):
                return Derivation("ratio", (fd, fn), over, "%",
                                  f"{_num(fd.value)}÷{_num(fn.value)}={_pct(over, m)}%", True), None
        if wrong is None and rel >= 1.0:
            wrong = der
    share = _share_of_series(m, idx, nums)
    if share is not None:
        return share, None
    parts = _parts_of_whole(m, idx, nums)
    if parts is not None and (parts.holds or ops.parts_word):
        return (parts, None) if parts.holds else (None, parts)
    return None, wrong


def _parts_of_whole(m: Mention, idx: FactIndex, related: list[int]) -> Derivation | None:
    """The parts a fact lists after its whole, added up, over that whole (粮食86.4万亩，
    其中小麦41.2万亩、玉米38.5万亩 → 两者合计占92.2%): holding or not."""
    figs = idx.figs
    for fact in dict.fromkeys(figs[i].fact_index for i in related):
        members = [figs[i] for i in idx.by_fact[fact] if figs[i].unit and not figs[i].direction]
        if len(members) < 3:
            continue
        whole = members[0]
        parts = [f for f in members[1:] if units_compatible(f.unit, whole.unit)]
        total = sum(f.value for f in parts)
        if len(parts) < 2 or total > whole.value:
            continue
        r = total / whole.value * 100
        formula = f"（{'+'.join(_shown(f) for f in parts)}）÷{_shown(whole)}={_pct(r, m)}%"
        return Derivation("ratio", (*parts, whole), r, "%", formula, fits(m, r))
    return None


def _shown(f: EvidenceFigure) -> str:
    """A figure as the input writes it, for a formula (41.2万亩), or its value."""
    return f.raw if f.raw and f.raw[0].isdigit() else _num(f.value)


def _share_of_series(m: Mention, idx: FactIndex, parts: list[int]) -> Derivation | None:
    """One figure of a fact's series over the series' total (城关、东关、西山分别化解532起、
    418起、296起 → 城关占42.7%). Only a result that holds."""
    figs = idx.figs
    for n in parts:
        fn = figs[n]
        series = [figs[i] for i in idx.by_fact[fn.fact_index]
                  if figs[i].unit and units_compatible(figs[i].unit, fn.unit) and not figs[i].direction]
        if len(series) < 2:
            continue
        total = sum(f.value for f in series)
        r = fn.value / total * 100
        if fits(m, r):
            terms = "+".join(_num(f.value) for f in series)
            return Derivation("ratio", (fn, *series), r, "%", f"{_num(fn.value)}÷（{terms}）={_pct(r, m)}%", True)
    return None


def _per(m: Mention, idx: FactIndex, ops: Operands, pool: list[int]) -> Derivation | None:
    """One count per another (每个网格配齐1名网格员: 146名÷146个), both named near the
    figure. Only a result that holds."""
    figs = idx.figs
    near = [i for i in pool if figs[i].value > 0 and unit_class(figs[i].unit) not in ("pct", "pts", "frac", "none")
            and ops.sentence(i) >= 0.5]
    for n in near:
        fn = figs[n]
        if m.unit and not units_compatible(m.unit, fn.unit):
            continue
        for d in near:
            fd = figs[d]
            if d == n or units_compatible(fd.unit, fn.unit):
                continue
            r = fn.value / fd.value
            if fits(m, r):
                unit = m.unit or fn.unit
                return Derivation("ratio", (fn, fd), r, unit,
                                  f"{_num(fn.value)}{fn.unit}÷{_num(fd.value)}{fd.unit}={_num(round(r, 4))}{unit}", True)
    return None


def _per_head(whole: str, part: str) -> bool:
    """A whole counted in visits and its part in heads, stated in one fact (培训1.26万
    人次，其中取证8650人 → 取证率): a rate reports use as is."""
    return whole.endswith("次") and units_compatible(whole[:-1], part)


# ---------------------------------------------------------------- two values of one indicator

def same_indicator(idx: FactIndex, a: int, b: int) -> bool:
    """Two figures that count the same thing (two years of 交通事故): their near words
    mostly agree."""
    na, nb = idx.near[a], idx.near[b]
    shared = idx.weight(na & nb)
    if shared > 0 and shared >= 0.5 * min(idx.weight(na), idx.weight(nb)):
        return True
    # The same words named for different places (城关镇完成造林面积, 河口镇完成造林
    # 面积): the place names are rarer than the indicator, so weights alone miss it.
    return _same_words(na, nb)


def _same_words(na: frozenset[str], nb: frozenset[str]) -> bool:
    """Most bigrams of the shorter near words are shared (at least two)."""
    ba = {g for g in na if len(g) > 1}
    bb = {g for g in nb if len(g) > 1}
    shared = len(ba & bb)
    return shared >= 2 and shared >= 0.5 * min(len(ba), len(bb))


def _orders(fa: EvidenceFigure, fb: EvidenceFigure) -> list[tuple[EvidenceFigure, EvidenceFigure]]:
    """(current, previous) orders a pair may be read in."""
    if fa.previous != fb.previous:
        return [(fb, fa)] if fa.previous else [(fa, fb)]
    if fa.year and fb.year and fa.year != fb.year:
        return [(fa, fb)] if fa.year > fb.year else [(fb, fa)]
    return [(fa, fb), (fb, fa)]


def _pairs(m: Mention, idx: FactIndex, ops: Operands, pool: list[int], classes: tuple[str, ...]):
    figs = idx.figs
    cand = [i for i in pool if unit_class(figs[i].unit) in classes and ops.near(i) > 0]
    found = False
    for a, b in combinations(cand, 2):
        if _pairable(idx, a, b):
            found = True
            yield a, b, _orders(figs[a], figs[b])
    if found:
        return
    # 收入18.62亿元，同比增长7.3%，较上年增加1.27亿元 (比2023年的1175件多111件): the clause
    # names no pair of its own; what it counts was named earlier in the sentence.
    wider = [i for i in pool if unit_class(figs[i].unit) in classes and ops.sentence(i) > 0]
    tried = set(cand)
    for a, b in combinations(wider, 2):
        if not (a in tried and b in tried) and _pairable(idx, a, b):
            yield a, b, _orders(figs[a], figs[b])


def _pairable(idx: FactIndex, a: int, b: int) -> bool:
    fa, fb = idx.figs[a], idx.figs[b]
    return fa.value != fb.value and units_compatible(fa.unit, fb.unit) and same_indicator(idx, a, b)


def _gap(m: Mention, idx: FactIndex, ops: Operands, pool: list[int], named: frozenset[float]):
    """The gap between two figures of one indicator, the larger less the smaller
    (职工、居民报销比例分别为78.5%、68.2%，两者相差10.3个百分点); one that does not hold is
    wrong only between two figures its sentence names."""
    pts = unit_class(m.unit) == "pts"
    classes = ("pct",) if pts else (unit_class(m.unit),)
    wrong = None
    for a, b, _ in _pairs(m, idx, ops, pool, classes):
        hi, lo = sorted((idx.figs[a], idx.figs[b]), key=lambda f: -f.value)
        if not pts and m.unit and not units_compatible(hi.unit, m.unit):
            continue
        delta = hi.value - lo.value
        unit = "个百分点" if pts else (m.unit or hi.unit)
        sign = "%" if pts else ""
        der = Derivation("points" if pts else "difference", (hi, lo), delta, unit,
                         f"{_num(hi.value)}{sign}−{_num(lo.value)}{sign}={_num(round(delta, 6))}{unit}", False)
        if fits(m, delta):
            return der._replace(holds=True), None
        if wrong is None and _named(named, hi, lo):
            wrong = der
    return None, wrong


def _named(named: frozenset[float], *figs: EvidenceFigure) -> bool:
    """Whether the text's sentence states each of these figures' values."""
    return all(any(abs(v - f.value) <= 1e-9 * max(1.0, abs(v)) for v in named) for f in figs)


def _sign_ok(m: Mention, delta: float) -> bool:
    if m.direction == "up":
        return delta > 0
    if m.direction == "down":
        return delta < 0
    return abs(delta) < 1e-9


def _change(m: Mention, idx: FactIndex, ops: Operands, pool: list[int], basis_word: bool):
    classes = ("count", "people", "money", "none")
    if ops.counts:
        # 死亡人数下降25%: the change of the figures in 人, not of those in 起.
        counted = [i for i in pool if units_compatible(idx.figs[i].unit, ops.counts)]
        if any(True for _ in _pairs(m, idx, ops, counted, classes)):
            pool, basis_word = counted, True

    def changes():
        for _, _, orders in _pairs(m, idx, ops, pool, classes):
            for cur, prev in orders:
                if prev.value == 0:
                    continue
                pct = (cur.value - prev.value) / prev.value * 100
                yield Derivation("change", (cur, prev), abs(pct), "%",
                                 f"（{_num(cur.value)}−{_num(prev.value)}）÷{_num(prev.value)}={_pct(pct, m)}%",
                                 False), pct

    found, wrong = _holding_or_closest(m, changes())
    return found, (wrong if basis_word and found is None else None)


def _points(m: Mention, idx: FactIndex, ops: Operands, pool: list[int], basis_word: bool):
    def deltas():
        for _, _, orders in _pairs(m, idx, ops, pool, ("pct",)):
            for cur, prev in orders:
                delta = cur.value - prev.value
                yield Derivation("points", (cur, prev), abs(delta), "个百分点",
                                 f"{_num(cur.value)}%−{_num(prev.value)}%={_num(round(delta, 6))}个百分点",
                                 False), delta

    found, wrong = _holding_or_closest(m, deltas())
    return found, (wrong if basis_word and found is None else None)


def _holding_or_closest(m: Mention, candidates) -> tuple[Derivation | None, Derivation | None]:
    """Of (derivation, signed result) pairs: the first that holds for ``m`` (its sign
    the direction ``m`` states, its size within ``m``'s precision), else None and the
    one whose size comes closest to ``m``'s."""
    closest = None
    for der, signed in candidates:
        if _sign_ok(m, signed) and fits(m, der.value):
            return der._replace(holds=True), None
        if closest is None or abs(der.value - m.value) < abs(closest.value - m.value):
            closest = der
    return None, closest


def _times(m: Mention, idx: FactIndex, ops: Operands, pool: list[int]):
    """是上年的1.5倍 (current ÷ previous), 增长0.5倍 (the increase ÷ previous)."""
    classes = ("count", "people", "money", "none")
    for a, b, orders in _pairs(m, idx, ops, pool, classes):
        for cur, prev in orders:
            if prev.value == 0:
                continue
            r = cur.value / prev.value - (1 if m.direction == "up" else 0)
            if fits(m, r):
                return Derivation("ratio", (cur, prev), r, "倍",
                                  f"{_num(cur.value)}÷{_num(prev.value)}{'−1' if m.direction == 'up' else ''}"
                                  f"={_num(round(r, 4))}倍", True), None
    return None, None


def _difference(m: Mention, idx: FactIndex, ops: Operands, pool: list[int], basis_word: bool,
                named: frozenset[float] = frozenset()):
    cls = unit_class(m.unit)
    classes = (cls,) if cls != "none" else ("count", "people", "money", "none")
    factor, word = scale_of(m)

    def differences():
        for a, _, orders in _pairs(m, idx, ops, pool, classes):
            if m.unit and not units_compatible(idx.figs[a].unit, m.unit):
                continue
            for cur, prev in orders:
                delta = cur.value - prev.value
                yield Derivation("difference", (cur, prev), abs(delta), m.unit or cur.unit,
                                 f"{_num(round(cur.value / factor, 6))}−{_num(round(prev.value / factor, 6))}"
                                 f"={_num(round(delta / factor, 6))}{word}{m.unit or cur.unit}", False), delta

    found, wrong = _holding_or_closest(m, differences())
    if found is not None or wrong is None:
        return found, None
    return None, (wrong if basis_word or _named(named, *wrong.operands) else None)


# ---------------------------------------------------------------- within one fact

def _within_fact(m: Mention, idx: FactIndex, ops: Operands, pool: list[int]) -> Derivation | None:
    """What one fact's two figures give: the rest of a whole once a part is taken
    (化解积案47件，其中重复信访19件 → 其余28件), or the previous level from a level
    and its change (92.5%，提高1.8个百分点 → 上年90.7%). Only a result that holds."""
    figs = idx.figs
    related = {i for i in pool if ops.near(i) > 0 or ops.sentence(i) > 0}
    for fact in sorted({figs[i].fact_index for i in related}):
        members = idx.by_fact[fact]
        for a in members:
            for b in members:
                der = _rest(m, figs[a], figs[b]) if a != b else None
                if der is not None:
                    return der
    if unit_class(m.unit) == "pct":
        # A level and its change stated as two facts (覆盖率58.3%; 覆盖率较上年提高0.6个百分点).
        levels = [i for i in pool if figs[i].unit == "%" and ops.near(i) > 0]
        changes = [i for i in pool if figs[i].unit == "个百分点" and ops.near(i) > 0]
        for a in levels:
            for b in changes:
                if same_indicator(idx, a, b) and (der := _rest(m, figs[a], figs[b])) is not None:
                    return der
    return None


def _rest(m: Mention, whole: EvidenceFigure, part: EvidenceFigure) -> Derivation | None:
    cls = unit_class(m.unit)
    if cls == "pct" and whole.unit == "%" and part.unit == "个百分点" and part.direction in ("up", "down"):
        prev = whole.value - part.value if part.direction == "up" else whole.value + part.value
        formula = f"{_num(whole.value)}%{'−' if part.direction == 'up' else '+'}{_num(part.value)}个百分点={_num(round(prev, 6))}%"
        if fits(m, prev):
            return Derivation("difference", (whole, part), prev, "%", formula, True)
        return None
    if cls in ("pct", "pts", "frac") or not whole.unit or not units_compatible(whole.unit, part.unit) \
            or (m.unit and not units_compatible(m.unit, whole.unit)) or whole.direction or part.direction:
        return None
    rest = whole.value - part.value
    if rest > 0 and fits(m, rest):
        unit = m.unit or whole.unit
        return Derivation("difference", (whole, part), rest, unit,
                          f"{_num(whole.value)}−{_num(part.value)}={_num(rest)}{unit}", True)
    return None


# ---------------------------------------------------------------- totals

def _sum(m: Mention, idx: FactIndex, ops: Operands, pool: list[int], total_word: bool):
    """A total of parts of one indicator: the months, the townships, 市级3个、区级25个."""
    figs = idx.figs
    same = [i for i in (ops.scope if ops.scope is not None else pool)
            if figs[i].value > 0 and unit_class(figs[i].unit) not in ("pct", "pts", "frac")
            and (ops.plan is None or figs[i].planned == ops.plan)  # no result adds up a plan
            and (units_compatible(figs[i].unit, m.unit) if m.unit else True)]
    if len(same) < 2:
        return None, None
    same.sort(key=lambda i: (figs[i].fact_index, figs[i].start))
    relevant = [i for i in same if ops.near(i) > 0]
    groups: list[list[int]] = []
    if relevant:
        lead = max(relevant, key=ops.near)
        indicator = [i for i in relevant if i == lead or same_indicator(idx, i, lead)]
        if len(indicator) >= 2:
            groups.append(indicator)
    by_fact: dict[int, list[int]] = {}
    for i in same:
        by_fact.setdefault(figs[i].fact_index, []).append(i)
    groups += [g for g in by_fact.values() if len(g) >= 2 and any(ops.near(i) > 0 for i in g)]
    for g in groups:
        total = sum(figs[i].value for i in g)
        if fits(m, total):
            return _sum_derivation(m, [figs[i] for i in g], total, True), None
    # Consecutive runs of one indicator (the months, the townships, in input order).
    n = len(same)
    for a in range(n):
        total = figs[same[a]].value
        for b in range(a + 1, n):
            if not (same_indicator(idx, same[b - 1], same[b])
                    or (total_word and figs[same[b - 1]].fact_index == figs[same[b]].fact_index)):
                break  # with 合计/共: neighbours of one fact's series too (乡道96公里、村道148公里)
            total += figs[same[b]].value
            if total > m.value * 1.5 + 1:
                break
            run = same[a:b + 1]
            if any(ops.near(i) > 0 for i in run) and fits(m, total):
                return _sum_derivation(m, [figs[i] for i in run], total, True), None
    if total_word and groups and relevant:
        # The parts the clause names most (婚姻家庭、邻里纠纷 … 合计), not the first group.
        g = max(groups, key=lambda g: max(ops.near(i) for i in g))
        total = sum(figs[i].value for i in g)
        return None, _sum_derivation(m, [figs[i] for i in g], total, False)
    return None, None


def scale_of(m: Mention) -> tuple[float, str]:
    """The magnitude the text writes its figure in (26.4亿元 → 1e8, 亿), for formulas
    a reader compares with it: 5.2+6.1+6.8+7.3=25.4亿元, not 520000000+…"""
    if m.notation != "arabic":
        return 1.0, ""
    for word in ("亿", "万"):
        if m.raw.endswith(word + m.unit):
            return _MAGNITUDE[word], word
    return 1.0, ""


def _sum_derivation(m: Mention, parts: list[EvidenceFigure], total: float, holds: bool) -> Derivation:
    unit = m.unit or parts[0].unit
    factor, word = scale_of(m)

    def num(v: float) -> str:
        return _num(round(v / factor, 6))

    shown = parts if len(parts) <= 6 else parts[:3] + parts[-2:]
    terms = "+".join(num(f.value) for f in shown[:3]) + ("+…+" + "+".join(num(f.value) for f in shown[3:])
                                                         if len(parts) > 6 else
                                                         "".join("+" + num(f.value) for f in shown[3:]))
    return Derivation("sum", tuple(parts), total, unit, f"{terms}={num(total)}{word}{unit}", holds)
