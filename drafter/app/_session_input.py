"""Where the session's commands come from: prompt_toolkit (line editing, history,
completion) at a terminal, plain lines from a pipe or script. The session is passed
in; this module only reads its draft for completions."""

from __future__ import annotations

from typing import Callable

from ..export import FORMATS
from ._session_commands import COMMANDS, find_command


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

    def __init__(self, session):
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


def completions(session, text: str) -> list[tuple[str, int, str]]:
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


def _completer(session):
    from prompt_toolkit.completion import Completer, Completion

    class SessionCompleter(Completer):
        def get_completions(self, document, complete_event):
            for value, start, meta in completions(session, document.text_before_cursor):
                yield Completion(value, start, display_meta=meta)

    return SessionCompleter()
