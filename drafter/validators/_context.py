"""What every validator family receives: the text, its kind, the evidence (if any)
and a finding maker that fills spans and severities from the rule data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._findings import FindingMaker

if TYPE_CHECKING:
    from .._evidence import Evidence


@dataclass
class CheckContext:
    text: str
    make: FindingMaker
    kind: str = "self_inspection"
    fragment: bool = False
    evidence: "Evidence | None" = None
    # Extra word-list files an organisation adds (paths); merged over the bundled lists.
    extra_lexicons: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)

    def backed_phrase(self, phrase: str) -> bool:
        """True when the input itself states ``phrase`` (e.g. a superlative such as
        全国第一 that an honour in the spec backs)."""
        return self.evidence is not None and self.evidence.mentions(phrase)
