"""Grounding: each figure of a text bound to the input fact it restates.

For every figure of the text:

1. *By value*: the input figures it may stand for — the same value in any notation
   (三百一十二起 = 312起; 3.6亿元 = 36000万元), or, for an approximation (300余起,
   近500人), every value it honestly covers — with a compatible unit.
2. *By subject*: the words of its clause against each fact's words (character grams,
   rarer ones weigh more; structured labels count as the fact's words). The figure is
   aligned to the value-matching fact its clause speaks for. When the clause clearly
   speaks for another fact — words of that fact, none of the value's own — the value
   was taken from the wrong fact: a swap, or an approximation judged against the
   fact it describes.
3. *By arithmetic*: a figure no fact states may be derived from the facts of its
   section (sum, difference, change, rate, share); see :mod:`._derive`.

The result is data (:class:`Verdict` per figure, plus the input figures nothing used);
the numbers validator turns it into findings.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from typing import TYPE_CHECKING, Literal, NamedTuple

from .._evidence import Evidence, EvidenceFigure, units_compatible
from .._numbers import Mention, extract
from ._context import BLANK, Windows, grams, informative
from ._index import ABOUT, NEAR, OVER, FactIndex, index_for, unit_class
from ._words import Vocabulary

if TYPE_CHECKING:
    from ._derive import Derivation

Status = Literal["backed", "derived", "swap", "approx", "unit", "points", "direction", "exact",
                 "planned", "unbacked", "derived_wrong"]

# A clause "clearly speaks for" fact B over fact A when the words only B has weigh at
# least SWAP_MIN (about one telling bigram and a character) and the words only A has
# weigh at most SWAP_RATIO of that.
SWAP_MIN = 0.7
SWAP_MIN_WIDE = 1.5
SWAP_RATIO = 0.25
LONE_MIN = 0.25         # a list item named by one character (、牛1.9万头) speaks with that character
NAME_MIN = 0.5          # a fact named in a finding must share at least this much
SECTION_BONUS = 0.3
OWN_SUBJECT_CHARS = 3   # a clause with more telling characters names its own subject
_MARGIN = 1e-6
# What a 数 counts: 人数, 起数, 件数, 户数 … (the unit before 数).
_COUNTED = re.compile(r"(人次|户次|家次|[人起件户家项个所])(?=数)")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
# A part's heading: 一、 or, under a kind's own 一、主要工作及成效, （一）.
# A heading line: 一、… or （一）… up to its first full stop, or a short line of its own.
_HEADING_LINE = re.compile(r"(?m)^[ \t\u3000]*(?:#+[ \t]*)?(?:(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])"
                           r"[^。\n]*|[^。，；\n]{2,24}$)")
_CLAUSES = re.compile(r"[，,；;：:]")
_AND = re.compile(r"[和及与]")
_DIGITS = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_HEADING = re.compile(r"(?m)^[ \t\u3000]*(?:#+[ \t]*)?(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")


class Verdict(NamedTuple):
    """What grounding found for one figure of the text."""

    mention: Mention
    status: Status
    fact: EvidenceFigure | None = None      # the input figure its clause describes
    owner: EvidenceFigure | None = None     # swap: the fact whose value the text gives
    derivation: Derivation | None = None
    shared: str = ""                        # words of the clause that tie it to ``fact``

    @property
    def ok(self) -> bool:
        return self.status in ("backed", "derived")


class Grounding:
    """Every figure's verdict, and the input figures the text never used."""

    def __init__(self) -> None:
        self.verdicts: list[Verdict] = []
        self.unused: list[EvidenceFigure] = []

    @property
    def derivations(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.status == "derived"]


def ground(text: str, evidence: Evidence, vocab: Vocabulary, *, fixed: re.Pattern[str] | None = None,
           all_planned: bool | None = None) -> Grounding:
    """Align every figure of ``text`` with ``evidence``. ``all_planned`` (default: the
    evidence's own switch) treats every fact as planned."""
    mentions = [m for m in extract(text, fixed=fixed) if m.kind == "figure"]
    return _Grounder(text, mentions, evidence, vocab,
                     evidence.all_planned if all_planned is None else all_planned).run()


def _related(m: Mention, f: EvidenceFigure) -> bool:
    """Units under which one figure can have been put in another's place."""
    a, b = unit_class(m.unit), unit_class(f.unit)
    return a == b and a != "none"


class _Grounder:
    def __init__(self, text: str, mentions: list[Mention], ev: Evidence, vocab: Vocabulary, all_planned: bool):
        self.text = text
        self.mentions = mentions
        self.ev = ev
        self.vocab = vocab
        self.all_planned = all_planned
        self.idx: FactIndex = index_for(ev, vocab)
        self.figs = self.idx.figs
        self.win = Windows(text, [(m.start, m.end) for m in mentions])
        self.used: set[int] = set()
        self.aligned: list[int | None] = []  # the fact each figure so far restates
        self._pos = self.idx.pos
        self._starts = [m.start for m in mentions]
        self._plan_heads: list[tuple[int, bool]] | None = None

    # ------------------------------------------------------------------ driver
    def run(self) -> Grounding:
        idx = self.idx
        fits = [idx.value_fit(m) for m in self.mentions]
        oks = [[i for i in v if self._unit_ok(m, i)] for m, v in zip(self.mentions, fits)]
        hints = self._section_hints(oks)
        out = Grounding()
        for k, m in enumerate(self.mentions):
            v = self._judge(k, m, fits[k], oks[k], hints[k])
            out.verdicts.append(v)
            self.aligned.append(v.fact.fact_index if v.status == "backed" and v.fact is not None else None)
        expected = self.ev.expected_figures
        out.unused = [f for f in expected if self._pos.get(id(f)) not in self.used]
        return out

    def _unit_ok(self, m: Mention, i: int) -> bool:
        u = self.figs[i].unit
        return not m.unit or not u or units_compatible(m.unit, u)

    def _section_hints(self, oks: list[list[int]]) -> list[str | None]:
        """The section each figure stands in: the part being checked, or, in a whole
        document, the section most figures of its heading's block uniquely match."""
        if self.ev.section is not None:
            return [self.ev.section] * len(self.mentions)
        starts = [m.start() for m in _HEADING.finditer(self.text)]
        blocks = [bisect_right(starts, m.start) for m in self.mentions]
        votes: dict[int, Counter] = {}
        for b, ok in zip(blocks, oks):
            secs = {self.figs[i].section_id for i in ok}
            if len(secs) == 1:
                s = secs.pop()
                if s is not None:
                    votes.setdefault(b, Counter())[s] += 1
        best = {b: c.most_common(1)[0][0] for b, c in votes.items()}
        return [best.get(b) for b in blocks]

    # ------------------------------------------------------------------ one figure
    def _judge(self, k: int, m: Mention, fit: list[int], ok: list[int], hint: str | None) -> Verdict:
        if self._counts_listed(m):
            return Verdict(m, "backed")
        vocab = self.vocab
        near_text, extended = self.win.near_window(k, vocab)
        lone = self.win.lone_item(k, vocab) if extended else ""
        if lone:
            near_text, extended = lone, False  # 、牛1.9万头: the item's own name
        ctx = _Clause(self, k, grams(near_text, vocab), hint, extended)
        ctx.lone = bool(lone)
        if ok:
            # 检查覆盖率100% of 实现检查全覆盖, though a plan elsewhere holds a 100%.
            whole = self._all_of(m, ctx)
            if whole is not None and ctx.score(self._pos[id(whole.operands[0])]) > max(map(ctx.score, ok)):
                return self._derived(m, whole)
            ok = self._same_tense(k, m, ok)
            # A 分别 series is judged figure by figure only when each figure's subject is
            # known (…、…，分别增长18.6%和21.3%); otherwise its order says nothing.
            respective = "分别" not in self.win.clause(k) or self.win.respective(k, vocab) is not None
            swap = self._swap(m, ctx, ok) if respective else None
            if swap is not None:
                b, owner = swap
                der = self._derive(m, ctx)[0]
                # Derived from the fact the clause describes (较上年减少15起 of a fact
                # about 交通事故), the figure is no swap.
                if der is not None and not (m.approx and der.kind == "sum") and \
                        any(f.fact_index == self.figs[b].fact_index for f in der.operands):
                    return self._derived(m, der)
                self.used.update((b, owner))
                status: Status = "approx" if m.approx else "swap"
                return Verdict(m, status, fact=self.figs[b], owner=self.figs[owner], shared=ctx.shared_with(b))
            best = self._best(ok, ctx)
            computed = self._computed_instead(m, ctx, best)
            if computed is not None:
                return computed
            self.used.update(best)
            a = best[0]
            f = self.figs[a]
            shared = ctx.shared_with(a)
            if m.direction and f.direction and m.direction != f.direction:
                return Verdict(m, "direction", fact=f, shared=shared)
            if m.approx is None and f.approx in OVER | NEAR | ABOUT:
                return Verdict(m, "exact", fact=f, shared=shared)
            if self._planned_as_done(k, m, f):
                return Verdict(m, "planned", fact=f, shared=shared)
            return Verdict(m, "backed", fact=f, shared=shared)
        whole = self._all_of(m, ctx)
        if whole is not None:
            return self._derived(m, whole)
        found, wrong = self._derive(m, ctx)
        subject = self._subject(m, ctx)
        # An approximation is judged against the fact its clause describes: a sum
        # that happens to fall in its reach does not excuse it.
        if found is not None and not (m.approx and found.kind == "sum" and subject is not None):
            return self._derived(m, found)
        # 较上年减少5起 where the two years give 4起: a wrong difference, whatever
        # other fact happens to hold a 5.
        changed = wrong is not None and m.direction is not None and wrong.kind != "sum" \
            and unit_class(m.unit) not in ("pct", "pts")
        if fit and not changed:
            # The value is there under another unit: name that figure only when the
            # clause describes its fact (not 合作社12家 for a clause about 幸福院).
            aligned = [i for i in fit if ctx.score(i) >= NAME_MIN * 0.5]
            if aligned:
                a = self._best(aligned, ctx)[0]
                rival = max(self.idx.sharing(ctx.M) or [a], key=ctx.score)
                if (self.figs[rival].fact_index == self.figs[a].fact_index or
                        ctx.score(a) >= ctx.score(rival) - 0.1) and not self._other_item(m, ctx, a):
                    self.used.add(a)
                    f = self.figs[a]
                    status = "points" if {m.unit, f.unit} == {"%", "个百分点"} else "unit"
                    return Verdict(m, status, fact=f, shared=ctx.shared_with(a))
        if wrong is not None and (wrong.kind != "sum" or self._sum_meant(k, m, subject, wrong)) \
                and not self._stated_instead(m, ctx, subject, wrong):
            self.used.update(self._pos[id(f)] for f in wrong.operands)
            return Verdict(m, "derived_wrong", derivation=wrong)
        if subject is not None:
            self.used.add(subject)
            f = self.figs[subject]
            if _scale_slip(m, f):
                return Verdict(m, "unit", fact=f, shared=ctx.shared_with(subject))
            return Verdict(m, "approx" if m.approx else "unbacked", fact=f, shared=ctx.shared_with(subject))
        return Verdict(m, "approx" if m.approx and self._any_near_value(m) else "unbacked")

    def _counts_listed(self, m: Mention) -> bool:
        """A small count in words that counts the items listed right before it
        (东坪、河口、石门三个村; …98.2万人、…288.3万人，两项合计): no statistic."""
        if m.notation != "chinese" or not 2 <= m.value <= 10 or m.approx or m.direction:
            return False
        lead = self.text[self.win.sentence_start(m.start):m.start]
        parts = _CLAUSES.split(lead)
        own = parts[-1]
        if len(own.strip()) <= 2 and len(parts) > 1:
            own = parts[-2]  # 两项合计 after the list's own clause
        return m.value in _list_counts(own)

    def _named_before(self, k: int) -> frozenset[float]:
        """The values the figure's sentence states before it (从3.18万人增至3.52万人，增加…)."""
        lo = bisect_left(self._starts, self.win.sentence_start(self.mentions[k].start), 0, k)
        return frozenset(x.value for x in self.mentions[lo:k])

    def _all_of(self, m: Mention, ctx: _Clause) -> Derivation | None:
        """A rate of 100% whose clause describes a fact that says its count is all
        there is (268个行政村全部建成工作站 → 覆盖率100%): that count over itself."""
        if m.unit != "%" or m.value != 100 or m.approx or m.direction \
                or not Vocabulary.says(self.vocab.rate, self.win.clause(ctx.k)):
            return None
        from ._derive import Derivation

        cands = [i for i in self.idx.sharing(ctx.M | ctx.W) if self.figs[i].unit
                 and unit_class(self.figs[i].unit) not in ("pct", "pts", "frac")
                 and Vocabulary.says(self.vocab.whole, self.figs[i].context)]
        if not cands:
            return None
        f = self.figs[max(cands, key=ctx.score)]
        if ctx.score(self._pos[id(f)]) < NAME_MIN:
            return None
        n = f"{f.value:g}"
        return Derivation("ratio", (f,), 100.0, "%", f"{n}÷{n}=100%", True)

    def _other_item(self, m: Mention, ctx: _Clause, a: int) -> bool:
        """Whether the clause names another figure of ``a``'s fact, one in the text's
        unit (新增就业岗位85个 of 新增就业岗位650个，帮扶…就业85人): the value is then
        not that item's, and its unit is no slip."""
        figs = self.figs
        return any(b != a and figs[b].unit and units_compatible(m.unit, figs[b].unit)
                   and ctx.support(b, 1, a) > ctx.support(a, 1, b)
                   for b in self.idx.by_fact[figs[a].fact_index])

    def _computed_instead(self, m: Mention, ctx: _Clause, held: list[int]) -> Verdict | None:
        """A rate whose value some fact holds but whose clause names another rate, one
        the facts it speaks for give by arithmetic (办结率98.6% of 上报3.2万件、办结3.14万
        件, where 98.6% is a 调解成功率): judged by that arithmetic, not by the value."""
        if unit_class(m.unit) != "pct" or not Vocabulary.says(self.vocab.rate, self.win.clause_lead(ctx.k)):
            return None
        idx = self.idx
        if any(len(g) > 1 for a in held for g in ctx.M & (idx.near[a] | idx.whole[a])):
            return None  # the clause shares a word with the fact holding the value
        found, wrong = self._derive(m, ctx)
        der = found or wrong
        if der is None or der.kind != "ratio":
            return None
        if max(ctx.score(self._pos[id(f)]) for f in der.operands) <= max(ctx.score(a) for a in held):
            return None
        if found is not None:
            return self._derived(m, found)
        self.used.update(self._pos[id(f)] for f in wrong.operands)
        return Verdict(m, "derived_wrong", derivation=wrong)

    def _sum_meant(self, k: int, m: Mention, subject: int | None, wrong: Derivation) -> bool:
        """Whether a total that does not hold was meant as the total: no fact of its own
        is described, or the fact described is among the parts it adds up — one fact's
        series, or one indicator's facts — and the clause says it is a total (城区、乡村
        分别交流132名、78名 → 共交流220名)."""
        if m.approx:
            return False
        values = [f.value for f in wrong.operands]
        total = sum(values)
        if any(abs(2 * v - total) <= 1e-9 * total for v in values):
            return False  # one operand is the others' total: the input states it
        if subject is None:
            return True
        facts = {f.fact_index for f in wrong.operands}
        if self.figs[subject].fact_index not in facts or not Vocabulary.says(self.vocab.sums, self.win.clause_lead(k)):
            return False
        if len(facts) == 1:
            return True
        # Parts from several facts: the same indicator each time (the townships' 站点).
        from ._derive import same_indicator

        first = self._pos[id(wrong.operands[0])]
        return all(same_indicator(self.idx, first, self._pos[id(f)]) for f in wrong.operands[1:])

    def _stated_instead(self, m: Mention, ctx: _Clause, subject: int | None, wrong: Derivation) -> bool:
        """Whether the clause restates a figure a fact states (参保率96.8%), in
        another fact than the operands of an arithmetic that does not hold: the
        figure is then a wrong restatement of that fact, not a wrong derivation."""
        if subject is None:
            return False
        f = self.figs[subject]
        if unit_class(f.unit) != unit_class(m.unit) or f.direction != m.direction:
            return False
        if wrong.operands[0].fact_index == f.fact_index or any(o is f for o in wrong.operands):
            return False  # the part is that fact's, or that figure: the arithmetic is what was meant
        return ctx.score(subject) >= max(ctx.score(self._pos[id(f)]) for f in wrong.operands)

    def _derived(self, m: Mention, der: Derivation) -> Verdict:
        self.used.update(self._pos[id(f)] for f in der.operands)
        return Verdict(m, "derived", derivation=der)

    def _any_near_value(self, m: Mention) -> bool:
        return any(self._unit_ok(m, i) and self.figs[i].unit for i in self.idx.between(m.value * 0.5, m.value * 2))

    # ------------------------------------------------------------------ alignment
    def _best(self, cands: list[int], ctx: _Clause) -> list[int]:
        """The candidates the clause speaks for most (ties kept, input order)."""
        if len(cands) == 1:
            return cands
        scored = [(ctx.score(i), i) for i in cands]
        top = max(s for s, _ in scored)
        return sorted(i for s, i in scored if s >= top - 1e-9)

    def _swap(self, m: Mention, ctx: _Clause, ok: list[int]) -> tuple[int, int] | None:
        """(the fact the clause describes, the fact whose value it gives) when the
        clause clearly speaks for a fact the value does not belong to.

        Each rival B is weighed against each value-holder A on the figure's near
        words; only when those say nothing either way, on its wide words (the clause
        and the one before). B wins when the words only it has weigh enough and the
        words only A has weigh next to nothing — against every A."""
        figs = self.figs
        idx = self.idx
        wide = bool(ctx.W) and not any(ctx.support(a, 1, None) > 0 for a in ok)
        only = self._rival_facts(ctx, ok)
        if only is None:
            cands = idx.sharing(ctx.M)
            if wide:
                cands |= self._sharing_wide(ctx.W)
        else:
            # The same candidates, looked for among the figures of those facts only.
            cands = {b for fact in only for b in idx.by_fact[fact]
                     if not ctx.M.isdisjoint(idx.near[b])
                     or (wide and (not ctx.W.isdisjoint(idx.whole[b]) or not ctx.W.isdisjoint(idx.wide[b])))}
        cands.difference_update(ok)
        # Quick refusal: when the clause has nothing beyond some value-holder's own
        # words, only a rival whose words cover those too (judged on wide words) can win.
        for a in ok:
            if idx.weight(ctx.M - idx.near[a]) < SWAP_MIN:
                core = ctx.M & idx.near[a]
                fa = figs[a].fact_index
                cands = {b for b in cands
                         if core <= (idx.near[b] if figs[b].fact_index == fa else idx.near[b] | idx.whole[b])}
        cands = {b for b in cands if _related(m, figs[b])}
        # A plan never wins over a result the sentence's tense matches (高新技术企业总数
        # 超过400家 restates 总数412家, not 力争…突破500家), nor a result over a plan.
        plan = self._plan_context(ctx.k, m)
        if all(figs[a].planned == plan for a in ok):
            cands = {b for b in cands if figs[b].planned == plan}
        winners: list[tuple[int, float, float, int]] = []
        head = self._head(ctx.k)
        for b in cands:
            weakest = None
            wide = 0
            for a in ok:
                if head and figs[a].fact_index == figs[b].fact_index \
                        and head in idx.near[a] and head not in idx.near[b]:
                    weakest = None  # 高新技术企业总数412家: the word the figure counts is A's
                    break
                level = 1
                near_floor = LONE_MIN if ctx.lone else SWAP_MIN
                s_b, s_a = ctx.support(b, 1, a), ctx.support(a, 1, b)
                if s_a == 0 and s_b < near_floor:
                    # The near words lean nowhere, or too weakly: the wider words decide.
                    level = 2
                    s_b, s_a = ctx.support(b, 2, a), ctx.support(a, 2, b)
                floor = near_floor if level == 1 else SWAP_MIN_WIDE
                if s_b < floor or s_a > SWAP_RATIO * s_b:
                    weakest = None
                    break
                weakest = s_b if weakest is None else min(weakest, s_b)
                wide = max(wide, level - 1)
            if weakest is not None:
                # A rival the near words single out beats one only the wide words do;
                # among equals, the one the whole clause speaks for most.
                winners.append((-wide, round(weakest, 6), ctx.score(b), -b))
        if not winners:
            return None
        best = -max(winners)[3]
        owner = max(ok, key=ctx.score)
        return best, owner

    def _counts(self, k: int, m: Mention) -> str | None:
        """The unit a change's clause counts (起数, 死亡人数 → 起, 人). With 分别 and as
        many counted words as figures in the series, the n-th figure takes the n-th
        (起数和死亡人数分别下降25%和28.6%); else the last such word of its own clause."""
        clause_lead = self.win.clause_lead(k)
        if "分别" not in self.win.clause(k):
            cues = _COUNTED.findall(clause_lead)
            return cues[-1] if cues else None
        cues = _COUNTED.findall(self.win.lead(k))
        start = m.start - len(clause_lead)
        series = [x for x in self.mentions if start <= x.start and x.unit == m.unit
                  and x.start < self.win.clause_end(m.end)]
        if len(cues) != len(series) or m not in series:
            return None
        return cues[series.index(m)]

    def _head(self, k: int) -> str:
        """The word right before the figure, what it counts (总数 of 企业总数超过400家):
        the last bigram of its clause's lead once neutral words are left out."""
        lead = self.win.clause_lead(k)
        if self.vocab.neutral_words is not None:
            lead = self.vocab.neutral_words.sub(BLANK, lead)
        runs = _HAN_RUN.findall(lead)
        return runs[-1][-2:] if runs and len(runs[-1]) >= 2 else ""

    def _rival_facts(self, ctx: _Clause, ok: list[int]) -> set[int] | None:
        """The facts whose figures can still win as rivals, when some value-holder A
        already rules out every other fact (None: any fact can).

        A rival B of another fact than A wins over A only on words of the clause that
        A's fact lacks: at most the weight of the clause's near words outside A's
        near and whole words (or, when both say nothing, of its wide words outside
        A's wide and whole words). When both bounds are under the floors, no figure
        of another fact can win, and :meth:`_swap` need not look at them: for a text
        that restates its facts this keeps each figure's work to its own fact's,
        however many facts share its words. (The margin covers float rounding of
        the sums, so the bound never cuts a rival the full comparison would keep.)"""
        idx = self.idx
        only: set[int] | None = None
        for a in ok:
            fa = self.figs[a].fact_index
            if only is not None and fa not in only:
                continue
            if idx.weight(ctx.M - (idx.near[a] | idx.whole[a])) >= SWAP_MIN - _MARGIN:
                continue
            if ctx.W and idx.weight(ctx.W - (idx.wide[a] | idx.whole[a])) >= SWAP_MIN_WIDE - _MARGIN:
                continue
            only = {fa}
        return only

    def _sharing_wide(self, G: frozenset[str]) -> set[int]:
        idx = self.idx
        return {i for i in range(len(self.figs)) if not G.isdisjoint(idx.whole[i]) or not G.isdisjoint(idx.wide[i])}

    def _subject(self, m: Mention, ctx: _Clause) -> int | None:
        """The one fact the clause clearly describes, among figures of a compatible
        unit, or None."""
        idx = self.idx
        # A shared word, not a character — unless one character names a list item (、牛).
        cands = [i for i in idx.sharing(ctx.M) if self._unit_ok(m, i) and _related_loose(m, self.figs[i])
                 and (ctx.lone or any(len(g) > 1 for g in ctx.M & idx.near[i]))]
        if not cands:
            return None
        scored = sorted(((ctx.score(i), i) for i in cands), reverse=True)
        top, best = scored[0]
        if top < NAME_MIN:
            return None
        rival = next((s for s, i in scored[1:] if self.figs[i].fact_index != self.figs[best].fact_index), 0.0)
        if rival > top - 0.2:
            return None
        return best

    # ------------------------------------------------------------------ plans
    def _plan_context(self, k: int, m: Mention) -> bool:
        """Whether the figure is said as a plan: a plan word in its sentence, or a heading
        over it that names plans (三、2025年工作打算; 下一步工作计划)."""
        if m.planned or Vocabulary.says(self.vocab.plan, self.win.lead(k)):
            return True
        if self._plan_heads is None:
            self._plan_heads = [(h.start(), Vocabulary.says(self.vocab.plan_heading, h.group()))
                                for h in _HEADING_LINE.finditer(self.text)]
        at = bisect_right(self._plan_heads, (m.start, True)) - 1
        return at >= 0 and self._plan_heads[at][1]

    def _same_tense(self, k: int, m: Mention, ok: list[int]) -> list[int]:
        """An approximation that reaches both a result and a plan (超过400家: 412家
        done, 突破500家 planned) stands for the one its sentence's tense matches."""
        if not m.approx or len(ok) < 2:
            return ok
        plan = self._plan_context(k, m)
        same = [i for i in ok if self.figs[i].planned == plan]
        return same or ok

    def _planned_as_done(self, k: int, m: Mention, f: EvidenceFigure) -> bool:
        """A planned fact stated without a plan word in its sentence, or with a word
        of completion (已 …) in its own clause. With every fact planned (a plan
        document), only a figure stated as done is one."""
        if not (f.planned or self.all_planned):
            return False
        vocab = self.vocab
        done = vocab.done is not None and any(
            w.group() not in f.context for w in vocab.done.finditer(self.win.clause_lead(k)))
        # The plan may be named before the figure, after it in its clause (超额完成1.2万人
        # 的年度目标), or in the heading over it.
        says_plan = (self._plan_context(k, m) or Vocabulary.says(vocab.plan, self.win.clause(k))) and not done
        if f.planned:
            return not says_plan
        return done and not says_plan

    # ------------------------------------------------------------------ arithmetic
    def _derive(self, m: Mention, ctx: _Clause) -> tuple[Derivation | None, Derivation | None]:
        if unit_class(m.unit) == "frac":
            return None, None
        from ._derive import (  # only a figure no fact states needs arithmetic
            Operands,
            derive,
        )

        idx = self.idx
        figs = self.figs
        hint = ctx.hint
        related = self.idx.sharing(ctx.M | ctx.W)
        scope: list[int] | None = None
        if not idx.sectioned:
            pool: list[int] | range = range(len(figs))
        else:
            scope = list(idx.by_section.get(hint, ())) if hint is not None else []
            pool = sorted(set(scope) | related)
            if hint is None:
                scope = sorted(related)
        clause = self.win.clause(ctx.k)
        lead = self.win.lead(ctx.k)
        vocab = self.vocab
        before = clause[:max(0, m.start - self.win.clause_start(m.start))]
        rate = before.rfind("率")
        stem = before[rate - 2:rate] if rate >= 2 else None
        ops = Operands(pool=pool, near=ctx.near_weight, sentence=ctx.sentence_weight, scope=scope, rate_stem=stem,
                       counts=self._counts(ctx.k, m) if m.direction and m.unit == "%" else None,
                       plan=None if self.all_planned else self._plan_context(ctx.k, m),
                       parts_word=Vocabulary.says(vocab.sums, clause))
        return derive(m, idx, ops, rate_word=Vocabulary.says(vocab.rate, clause),
                      total_word=Vocabulary.says(vocab.total, lead),
                      basis_word=m.basis is not None or Vocabulary.says(vocab.previous, lead),
                      rest_word=Vocabulary.says(vocab.remainder, clause) or Vocabulary.says(vocab.previous, lead),
                      per_word=Vocabulary.says(vocab.per, self.win.clause_lead(ctx.k)),
                      gap_word=Vocabulary.says(vocab.gap, self.win.clause_lead(ctx.k)),
                      named=self._named_before(ctx.k))


def _items(seg: str) -> int:
    """How many things a 、 list names (东坪、河口和石门 → 3)."""
    n = seg.count("、") + 1
    return n + 1 if _AND.search(seg.rsplit("、", 1)[-1]) else n


def _list_counts(seg: str) -> set[int]:
    """The counts a clause's lists give: its 、 items, those of its leading list of
    names (城关、东关、西山派出所…分别为532起、418起、296起 → 3), its series of figures."""
    counts = {_items(seg), _items(_DIGITS.split(seg, 1)[0]), len(_DIGITS.findall(seg))}
    return {c for c in counts if c >= 2}


def _scale_slip(m: Mention, f: EvidenceFigure) -> bool:
    """The fact's number written with the wrong magnitude word: 2.35万元 for 2.35亿元,
    9.6万人 for 9.6亿人 — the same digits, a unit off by 万 or 亿."""
    if m.approx != f.approx or m.direction != f.direction or not f.unit or f.value <= 0 or m.value <= 0 \
            or unit_class(m.unit) != unit_class(f.unit) or not units_compatible(m.unit, f.unit):
        return False
    ratio = m.value / f.value
    return any(abs(ratio * s - 1) < 1e-9 or abs(ratio / s - 1) < 1e-9 for s in _SCALES)


_SCALES = (1e4, 1e8)


def _related_loose(m: Mention, f: EvidenceFigure) -> bool:
    a, b = unit_class(m.unit), unit_class(f.unit)
    return a == b or "none" in (a, b)


class _Clause:
    """One text figure's words, computed as needed, and how they bear on input figures."""

    def __init__(self, g: _Grounder, k: int, M: frozenset[str], hint: str | None, extended: bool = False):
        self.g = g
        self.k = k
        self.M = M
        self.hint = hint
        # M is the whole clause: it cannot tell apart two figures of one fact.
        self.extended = extended
        self.lone = False
        self._W: frozenset[str] | None = None
        self._S: frozenset[str] | None = None
        self._own: frozenset[str] | None = None

    @property
    def W(self) -> frozenset[str]:
        if self._W is None:
            self._W = grams(self.g.win.wide(self.k), self.g.vocab)
        return self._W

    @property
    def own(self) -> frozenset[str]:
        """The words of the figure's own clause."""
        if self._own is None:
            self._own = grams(self._own_text(), self.g.vocab)
        return self._own

    def continues(self, *facts: int) -> bool:
        """Whether the clause before speaks for this figure too: the figure's clause has
        only a word or two of its own; or the clause before restates a figure of one of
        ``facts`` and is about something else (新建中小学3所，新增学位1620个 — not 年度
        目标为新增个体工商户5000户，全年新增个体工商户5320户, which states the same
        thing twice)."""
        if not self.names_own_subject:
            return True
        g = self.g
        k = self.k
        if k == 0 or g.aligned[k - 1] not in facts:
            return False
        win = g.win
        s = win.spans[k][0]
        start = win.previous_clause_start(s)
        if win.spans[k - 1][0] < start:
            return False
        before = grams(win.blanked[start:win.clause_start(s)], g.vocab)
        return not {x for x in self.own if len(x) > 1} <= before

    @property
    def names_own_subject(self) -> bool:
        """Whether the figure's own clause has words enough to name what it counts."""
        return not self.extended and informative(self._own_text(), self.g.vocab) > OWN_SUBJECT_CHARS

    def _own_text(self) -> str:
        win = self.g.win
        s, e = win.spans[self.k]
        return win.blanked[win.clause_start(s):win.clause_end(e)]

    @property
    def S(self) -> frozenset[str]:
        """Everything of the sentence up to the figure (and its near words after)."""
        if self._S is None:
            win = self.g.win
            s = win.spans[self.k][0]
            self._S = grams(win.blanked[win.sentence_start(s):s], self.g.vocab) | self.M
        return self._S

    def support(self, x: int, level: int, y: int | None) -> float:
        """How much the clause speaks for input figure ``x`` and not for ``y``."""
        idx = self.g.idx
        figs = idx.figs
        if level == 1:
            own = idx.near[x]
            G = self.M
            if y is None:
                return idx.weight(G & own)
            other = idx.near[y]
            if figs[x].fact_index != figs[y].fact_index:
                other = other | idx.whole[y]
            elif idx.extended[x] or idx.extended[y] or \
                    (self.extended and not (idx.respective[x] and idx.respective[y])):
                # Whole-clause words cannot tell two figures of one fact apart — unless
                # the fact pairs them with their subjects by 分别 (游客…、收入…，分别
                #增长18.6%和21.3%), and the clause names one subject (游客…，增长21.3%).
                return 0.0
        else:
            # Wide words tell facts apart, never two figures of one fact (whose
            # clauses overlap). A clause of a word or two (…事故12起，死亡7人) goes on
            # from the clause before; one that names its own subject stands alone, and
            # the clause before is another figure's (完成年度目标任务的112.5%，城镇新增
            # 就业1.35万人).
            G = self.W if self.continues(figs[x].fact_index, figs[y].fact_index) else self.own
            own = idx.wide[x]
            if y is None:
                return idx.weight(G & own)
            if figs[x].fact_index == figs[y].fact_index:
                return 0.0
            own = own | idx.whole[x]
            other = idx.wide[y] | idx.whole[y]
        return idx.weight((G & own) - other)

    def score(self, i: int) -> float:
        idx = self.g.idx
        s = idx.weight(self.M & idx.near[i])
        s += 0.5 * idx.weight(self.W & (idx.wide[i] | idx.whole[i]))
        if self.hint is not None and idx.figs[i].section_id == self.hint:
            s += SECTION_BONUS
        return s

    def near_weight(self, i: int) -> float:
        idx = self.g.idx
        return idx.weight((self.M | self.W) & idx.near[i])

    def sentence_weight(self, i: int) -> float:
        idx = self.g.idx
        return idx.weight(self.S & idx.near[i])

    def shared_with(self, i: int) -> str:
        """The clause's words that tie it to input figure ``i``, as the text writes
        them (longest runs of shared bigrams): 交叉评查重点案件."""
        idx = self.g.idx
        shared = self.M & (idx.near[i] | idx.whole[i])
        if not shared:
            shared = self.W & (idx.wide[i] | idx.whole[i])
        near = self.g.win.near(self.k, self.g.vocab) if self.M else self.g.win.wide(self.k)
        runs: list[str] = []
        start = None
        for j in range(len(near) - 1):
            if near[j:j + 2] in shared:
                if start is None:
                    start = j
            elif start is not None:
                runs.append(near[start:j + 1])
                start = None
        if start is not None:
            runs.append(near[start:])
        return "、".join(dict.fromkeys(sorted(runs, key=len, reverse=True)[:3]))
