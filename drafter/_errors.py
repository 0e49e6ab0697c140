"""The one error tree of drafter.

Every error drafter raises on purpose derives from :class:`DrafterError`::

    DrafterError
    ├── InputError              bad user input: a spec, facts file, draft file or option
    │   ├── SpecError           a spec that cannot be read or fails the input model
    │   └── DraftFileError      a draft file that cannot be read or does not fit its spec
    ├── PromptError             a prompt template that is missing or fails to render
    ├── ConfidentialityError    the spec holds classified markings or personal data and
    │                           the endpoint is not on loopback nor approved
    ├── ModelError              the model endpoint failed
    │   ├── ModelAuthError      401/403: wrong or missing key (never retried)
    │   ├── ModelRequestError   400/404/422: the request itself is wrong (never retried)
    │   ├── ModelUnavailable    transient faults that outlived the retry budget
    │   └── ReplyRejected       a reply that can never be a section
    │       ├── TruncatedReply  finish_reason "length"
    │       └── EmptyReply      no text at all
    ├── DraftRejected           a section still has errors after every revision;
    │                           carries all attempts
    ├── EditProtected           regenerating would overwrite a hand edit (use force)
    └── SessionLocked           another session holds the draft file

Messages are Simplified Chinese because they reach users as they are.
"""

from __future__ import annotations

from typing import Any


class DrafterError(Exception):
    """Root of every error drafter raises on purpose."""


class InputError(DrafterError):
    """Bad user input. ``location`` names the file, field path and line where known."""

    def __init__(self, message: str, *, path: str | None = None, problems: list[str] | None = None):
        self.path = path
        self.problems = list(problems or [])
        super().__init__(message)

    def render(self) -> str:
        """The message and each problem on its own line, as the CLI prints it."""
        lines = [str(self)]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class SpecError(InputError):
    """A spec file that cannot be read or does not fit the input model."""


class DraftFileError(InputError):
    """A draft file that cannot be read, or does not fit its spec."""


class PromptError(DrafterError):
    """A prompt template that is missing or fails to render."""


class ConfidentialityError(DrafterError):
    """The spec holds classification markings or personal data; nothing was sent."""

    def __init__(self, message: str, hits: list[Any] | None = None):
        self.hits = list(hits or [])
        super().__init__(message)


class ModelError(DrafterError):
    """The model endpoint failed."""


class ModelAuthError(ModelError):
    """Authentication failed (401/403). Never retried."""


class ModelRequestError(ModelError):
    """The endpoint rejected the request itself (400/404/422). Never retried."""


class ModelUnavailable(ModelError):
    """Transient faults (429, 5xx, timeouts, dropped connections) outlived the retry budget."""


class ReplyRejected(ModelError):
    """A reply that can never be accepted as a section."""


class TruncatedReply(ReplyRejected):
    """The reply was cut off (finish_reason "length")."""


class EmptyReply(ReplyRejected):
    """The reply carried no text."""


class DraftRejected(DrafterError):
    """A section still has errors after the last revision. ``attempts`` holds every try."""

    def __init__(self, message: str, *, section_id: str, attempts: list[Any]):
        self.section_id = section_id
        self.attempts = list(attempts)
        super().__init__(message)


class EditProtected(DrafterError):
    """Regenerating would overwrite a hand edit; pass force=True (CLI --force)."""


class SessionLocked(DrafterError):
    """Another live session holds the draft file."""
