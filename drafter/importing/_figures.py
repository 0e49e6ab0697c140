"""Structured figures read from a fact's own text, by the extractor the validators use:
a structured figure always agrees with its text because it is read from it."""

from __future__ import annotations

from .._numbers import Mention, extract
from .._spec import Change, Figure

_APPROX = {"余": "余", "有余": "余", "多": "多", "以上": "以上", "超过": "超过", "超": "超过", "逾": "超过",
           "近": "近", "约": "约", "左右": "左右"}
_BREAKS = "，。；：！？,;:!?\n、（）()"
_LEAD_WORDS = ("其中", "全年", "共", "累计", "已", "均", "分别")


def direction_word(direction: str | None, unit: str) -> str:
    """The Direction word for an extractor's up/down/flat."""
    if direction == "down":
        return "下降"
    if direction == "flat":
        return "持平"
    return "提高" if unit == "个百分点" else "增长"


def figure_mentions(text: str) -> list[Mention]:
    return [m for m in extract(text) if m.kind == "figure"]


def change_of(m: Mention) -> Change | None:
    """A mention that states a change against a basis (同比下降8.2%) as a Change."""
    if m.direction is None or m.basis is None or m.unit not in ("%", "个百分点"):
        return None
    return Change(basis=m.basis, direction=direction_word(m.direction, m.unit), amount=m.value, unit=m.unit)


def make_figure(label: str, m: Mention, change: Mention | None = None) -> Figure:
    return Figure(label=label, value=m.value, unit=m.unit, approx=_APPROX.get(m.approx or ""),
                  change=change_of(change) if change is not None else None)


def figures_of(text: str) -> list[Figure]:
    """Every figure of an outline's sentence, labelled by the words before it; a change
    (同比下降8.2%) that follows a figure becomes that figure's change."""
    out: list[Figure] = []
    mentions = figure_mentions(text)
    prev_end = 0
    last: tuple[Figure, Mention] | None = None
    for m in mentions:
        if last is not None and last[0].change is None and change_of(m) is not None:
            fig, pm = last
            out[-1] = make_figure(fig.label, pm, m)
            last = None
            prev_end = m.end
            continue
        label = _label(text, prev_end, m)
        fig = make_figure(label, m)
        out.append(fig)
        last = (fig, m)
        prev_end = m.end
    return out


def _label(text: str, prev_end: int, m: Mention) -> str:
    """The words a figure counts: from the last break (or previous figure) to the figure;
    failing that the words after it; failing that the sentence's start."""
    i = m.start
    while i > prev_end and text[i - 1] not in _BREAKS:
        i -= 1
    label = text[i:m.start].strip(" ，、")
    for w in _LEAD_WORDS:
        if label.startswith(w) and len(label) > len(w):
            label = label[len(w):]
    if not label:
        j = m.end
        while j < len(text) and text[j] not in _BREAKS:
            j += 1
        label = text[m.end:j].strip()
    if not label:
        label = text[:20].strip() or m.raw
    return label[:40]
