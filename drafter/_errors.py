"""The one error tree of drafter.

Every error drafter raises on purpose derives from :class:`DrafterError`::

    DrafterError
    ├── InputError              bad user input: a spec, facts file, draft file or option
    │   ├── SpecError           a spec that cannot be read or fails the input model
    │   └── DraftFileError      a draft file that cannot be read or does not fit its spec
    ├── PromptError             a prompt template that is missing or fails to render
    ├── ConfidentialityError    what would be sent (spec, instruction, current text, any
    │                           request) holds classified markings or personal data and
    │                           the endpoint is not on loopback nor approved
    ├── ModelError              the model endpoint failed
    │   ├── ModelAuthError      401/403: wrong or missing key (never retried)
    │   ├── ModelRequestError   400/404/422, a refused redirect: the request itself is
    │   │                       wrong (never retried)
    │   ├── ModelUnavailable    transient faults that outlived the retry budget, or a
    │   │                       Retry-After longer than the budget left
    │   ├── MalformedReply      a 200 reply that is not a chat completion (an HTML page,
    │   │                       broken JSON, wrong shapes): often a base URL without /v1
    │   └── ReplyRejected       a reply that can never be a section
    │       ├── TruncatedReply  finish_reason "length"
    │       └── EmptyReply      no text at all
    ├── DraftRejected           a section still has errors after every revision;
    │                           carries all attempts
    ├── EditProtected           regenerating would overwrite a hand edit (use force)
    └── SessionLocked           another session holds the draft file

Attributes errors carry (declared on the classes below, never set ad hoc):

- every :class:`DrafterError`: ``draft`` — when the error stopped a drafting run, the
  :class:`~drafter.Draft` of every part written before it (else None), so nothing is lost;
- :class:`ModelError`: ``status_code`` (the HTTP status, when there was one),
  ``attempts`` (HTTP attempts this call made; 0 when nothing was sent) and ``skipped``
  (True when nothing was sent because an earlier failure — a refused key, a malformed
  reply, rate limits past the budget — stopped all requests to the endpoint);
- :class:`ReplyRejected`: ``completion`` — the rejected reply (its partial text);
- :class:`DraftRejected`: ``section_id`` and ``attempts`` (every try, with its findings);
- :class:`ConfidentialityError`: ``hits`` (each field and what was found there).

Messages are Simplified Chinese because they reach users as they are; none ever holds
the API key.
"""

from __future__ import annotations

from typing import Any


class DrafterError(Exception):
    """Root of every error drafter raises on purpose.

    ``draft``: the parts written before the error stopped a drafting run (or None).
    """

    draft: Any = None  # a drafter.Draft (not imported: the error tree imports nothing of drafter)


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
    """What would be sent holds classification markings or personal data; nothing was
    sent. ``hits`` lists each field (or message) and what was found there."""

    def __init__(self, message: str, hits: list[Any] | None = None):
        self.hits = list(hits or [])
        super().__init__(message)


class ModelError(DrafterError):
    """The model endpoint failed.

    ``status_code``: the HTTP status when the endpoint answered with one; ``attempts``:
    the HTTP attempts the call made (0: nothing was sent); ``skipped``: nothing was sent
    because an earlier failure stopped every request to this endpoint.
    """

    status_code: int | None = None
    attempts: int = 0
    skipped: bool = False

    def __init__(self, message: str, *, status_code: int | None = None, attempts: int = 0,
                 skipped: bool = False):
        self.status_code = status_code
        self.attempts = attempts
        self.skipped = skipped
        super().__init__(message)


class ModelAuthError(ModelError):
    """Authentication failed (401/403). Never retried."""


class ModelRequestError(ModelError):
    """The endpoint rejected the request itself (400/404/422), or redirected it to
    another host (never followed). Never retried."""


class ModelUnavailable(ModelError):
    """Transient faults (429, 5xx, timeouts, dropped connections) outlived the retry
    budget, or the endpoint asked to wait longer than the budget has left."""


class MalformedReply(ModelError):
    """A 200 reply that is not a chat completion: an HTML page, broken or non-UTF-8
    JSON, an empty body, a JSON array, a message that is null or not text. Usually the
    base URL points at a web page rather than the API (a missing ``/v1``). Never
    retried; it stops every further request to the endpoint."""


class ReplyRejected(ModelError):
    """A reply that can never be accepted as a section. ``completion`` holds it (the
    partial text of a truncated reply), so the caller can still show or keep it."""

    completion: Any = None  # a drafter._llm.Completion

    def __init__(self, message: str, *, completion: Any = None, attempts: int = 0):
        self.completion = completion
        super().__init__(message, attempts=attempts)


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
