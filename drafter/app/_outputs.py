"""Where a command's output goes: a file (atomically, or written through for devices
and pipes, see :mod:`drafter.export`), or stdout for ``-o -`` and no ``-o`` — Word
files too, unless stdout is a terminal — and a recovery file when drafted text could
not be written where asked."""

from __future__ import annotations

import sys
from pathlib import Path

from .._errors import InputError


def write_output(text: str, output: str | None) -> None:
    """To the file ``output`` (atomically), or to stdout when it is None or "-"."""
    if output and output != "-":
        from ..export import write_text

        write_text(output, text)
        sys.stderr.write(f"已写入 {output}\n")
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def refuse_binary_on_terminal() -> None:
    """A Word file on stdout only when stdout is a pipe or a file, never a terminal."""
    if sys.stdout.isatty():
        raise InputError("Word 文件是二进制内容，不能输出到终端：请用 -o 文件名，或把标准输出重定向到文件"
                         "（-o - > 报告.docx）")


def docx_written(draft, output: str) -> None:
    """Say where the Word file went, and that it has no 成文日期 when the input gave none."""
    sys.stderr.write(f"已写入 {output}\n")
    if draft.date is None:
        sys.stderr.write("提示：输入中没有成文日期（date），Word 文件只排了署名；在输入中写上 date 后重新导出即可。\n")


def docx_to_stdout(draft, numbers: dict[str, int] | None = None) -> None:
    from ..export import to_docx

    refuse_binary_on_terminal()
    data = to_docx(draft, numbers)
    out = getattr(sys.stdout, "buffer", None)
    if out is None:
        raise InputError("标准输出不接受二进制内容：请用 -o 指定 Word 文件")
    sys.stdout.flush()
    out.write(data)
    out.flush()


def recover(spec_path: str, draft) -> str:
    """Save ``draft`` (made from the spec at ``spec_path``) to a new draft file in the
    current folder (where the user will look), or the temporary folder when that is not
    writable, so that nothing drafted is lost; its path."""
    import os
    import tempfile

    from ..export import save_draft

    draft.spec_path = str(Path(spec_path).resolve())
    for folder in (os.getcwd(), tempfile.gettempdir()):
        try:
            fd, path = tempfile.mkstemp(prefix="drafter-recovered-", suffix=".draft.json", dir=folder)
        except OSError:
            continue
        os.close(fd)
        try:
            save_draft(draft, path)
        except InputError:
            os.unlink(path)
            continue
        return str(Path(path).resolve())
    raise InputError("无法保存恢复文件：当前目录和临时目录都不可写")
