"""The session's command table and where its commands come from: prompt_toolkit
(line editing, history, completion) at a terminal, plain lines from a pipe or script."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from ._export import FORMATS

if TYPE_CHECKING:
    from ._session import Session


# ------------------------------------------------------------------ command table
@dataclass(frozen=True)
class Command:
    name: str
    handler: Callable[["Session", str], bool | None]  # True ends the session
    usage: str
    help: str
    example: str
    aliases: tuple[str, ...] = ()
    takes_part: bool = False


COMMANDS: dict[str, Command] = {}
_ALIASES: dict[str, str] = {}


def command(name: str, usage: str, help: str, example: str, *, aliases: tuple[str, ...] = (),
            takes_part: bool = False):
    def register(fn):
        COMMANDS[name] = Command(name, fn, usage, help, example, aliases, takes_part)
        _ALIASES.update({a: name for a in (name, *aliases)})
        return fn
    return register


def find_command(word: str) -> Command | None:
    name = _ALIASES.get(word.lstrip("/").lower())
    return COMMANDS[name] if name else None


def suggest_command(word: str) -> str | None:
    """The command a mistyped word most likely meant, if any is close."""
    import difflib

    close = difflib.get_close_matches(word.lstrip("/").lower(), list(_ALIASES), n=1, cutoff=0.5)
    return _ALIASES[close[0]] if close else None


# ------------------------------------------------------------------ input sources
class LineInput:
    """Commands read line by line from a stream (stdin that is not a terminal).
    Each line is echoed after the prompt so the output reads as a transcript."""

    def __init__(self, stream, say: Callable[[str], None]):
        self.stream = stream
        self.say = say

    def read(self, prompt: str) -> str:
        line = self.stream.readline()
        if not line:
            raise EOFError
        line = line.rstrip("\r\n")
        self.say(prompt + line)
        return line

    def confirm(self, question: str) -> bool:
        try:
            return self.read(question).strip().lower() in ("y", "yes", "是")
        except EOFError:
            return False

    def multiline(self, text: str) -> str | None:
        """Lines up to a line holding only "." (or the end of input) replace the text."""
        self.say("（逐行输入新文本，单独一行“.”结束）")
        lines = []
        while (line := self.stream.readline()) and line.rstrip("\r\n") != ".":
            lines.append(line.rstrip("\r\n"))
        return "\n".join(lines)


class PromptInput:
    """prompt_toolkit: line editing, history, completion of commands and parts."""

    def __init__(self, session: "Session"):
        from prompt_toolkit import PromptSession
        from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
        from prompt_toolkit.history import InMemoryHistory

        self.prompt_session = PromptSession(history=InMemoryHistory(), completer=_completer(session),
                                            auto_suggest=AutoSuggestFromHistory(), complete_while_typing=False)

    def read(self, prompt: str) -> str:
        return self.prompt_session.prompt(prompt)

    def confirm(self, question: str) -> bool:
        from prompt_toolkit import prompt

        try:
            return prompt(question).strip().lower() in ("y", "yes", "是")
        except (KeyboardInterrupt, EOFError):
            return False

    def multiline(self, text: str) -> str | None:
        from prompt_toolkit import prompt

        try:
            return prompt("", multiline=True, default=text,
                          bottom_toolbar="Esc 再按 Enter 完成修改；Ctrl-C 放弃")
        except (KeyboardInterrupt, EOFError):
            return None


def completions(session: "Session", text: str) -> list[tuple[str, int, str]]:
    """What Tab offers after ``text``: (completion, start position, description)."""
    words = text.split()
    if not words or (len(words) == 1 and not text.endswith(" ")):
        prefix = words[0].lstrip("/") if words else ""
        return [(c.name, -len(prefix), c.help) for c in COMMANDS.values() if c.name.startswith(prefix)]
    cmd = find_command(words[0])
    if cmd is None or len(words) > 2 or (len(words) == 2 and text.endswith(" ")):
        return []
    prefix = words[1] if len(words) == 2 else ""
    options: list[tuple[str, str]] = []
    if cmd.takes_part:
        draft = session.draft
        options = [(str(i), p.id) for i, p in enumerate(draft.sections, 1)]
        options += [(p.id, p.heading or ("开头段" if p.role == "opening" else "结尾段")) for p in draft.parts]
    elif cmd.name == "export":
        options = [(f, "") for f in FORMATS]
    return [(value, -len(prefix), meta) for value, meta in options if value.startswith(prefix)]


def _completer(session: "Session"):
    from prompt_toolkit.completion import Completer, Completion

    class SessionCompleter(Completer):
        def get_completions(self, document, complete_event):
            for value, start, meta in completions(session, document.text_before_cursor):
                yield Completion(value, start, display_meta=meta)

    return SessionCompleter()
