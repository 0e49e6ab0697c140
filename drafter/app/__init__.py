"""The application layer: the ``drafter`` command and the interactive session.

    cli.py               argument parsing, exit codes, the entry point
    _commands.py         what each subcommand does (draft in _draft_command.py)
    _draft_command.py    drafter draft: targets checked first, --save locked and merged
    _outputs.py          stdout or -o, Word to a pipe, recovery files
    _workspace.py        shared by commands and session: a Drafter from options,
                         spec and draft paths, a part put into a draft in spec order
    _session.py          the session's state and loop
    _session_commands.py the session's command table and handlers
    _session_input.py    where session commands come from (terminal or pipe)
    _view.py             rich rendering of findings and status tables
    _lock.py             one session (or regen, or draft --save) per draft file

The library below (``drafter.*``) never imports from here.
"""
