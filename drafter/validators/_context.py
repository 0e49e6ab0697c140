"""What every validator family receives: the text, its kind, the evidence (if any)
and a finding maker that fills spans and severities from the rule data and the
kind's profile."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable

from .._findings import Finding, FindingMaker, rules

if TYPE_CHECKING:
    from .._evidence import Evidence
    from .._kinds import Kind


@dataclass
class CheckContext:
    text: str
    make: FindingMaker
    kind: str = "self_inspection"
    fragment: bool = False
    evidence: "Evidence | None" = None
    # Extra word-list and kind files an organisation adds (paths); merged over the bundled ones.
    extra_lexicons: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def profile(self) -> "Kind":
        """The kind as data: structure rules and register profile."""
        from .._kinds import get_kind

        return get_kind(self.kind, self.extra_lexicons)

    def severity(self, code: str) -> str:
        """error, warning or off: the rule's own severity unless the kind changes it."""
        return self.profile.severity(code, rules()[code].severity)

    def enabled(self, code: str) -> bool:
        return self.severity(code) != "off"

    @cached_property
    def emit(self) -> Callable[..., Finding | None]:
        """Like ``make``, but with the kind's severity: None for a rule the kind
        switches off. Families build every finding through it."""
        make = self.make
        overrides = self.profile.severities

        def emit(code: str, start: int, end: int, **kw: Any) -> Finding | None:
            sev = overrides.get(code)
            if sev is None:
                return make(code, start, end, **kw)
            if sev == "off":
                return None
            f = make(code, start, end, **kw)
            return f if f.severity == sev else f.model_copy(update={"severity": sev})

        return emit

    def backed_phrase(self, phrase: str) -> bool:
        """True when the input itself states ``phrase`` (e.g. a superlative such as
        全国第一 that an honour in the spec backs)."""
        return self.evidence is not None and self.evidence.mentions(phrase)
