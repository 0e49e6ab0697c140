"""Grounding: every figure of a text bound to the input fact it restates (or derived
from the facts by arithmetic that holds). See :mod:`._ground` for the rules and
:mod:`._derive` for derived figures. The numbers validator
(:mod:`drafter.validators._numbers_check`) turns a :class:`Grounding` into findings."""

from ._ground import Grounding, Verdict, ground
from ._words import Vocabulary

__all__ = ["Derivation", "Grounding", "Verdict", "Vocabulary", "ground"]


def __getattr__(name: str):
    if name == "Derivation":  # arithmetic loads only when a figure needs it
        from ._derive import Derivation

        return Derivation
    raise AttributeError(name)
