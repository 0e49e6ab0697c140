"""The bytes of a user's file, read safely: only a regular file, never more than a
size limit, every failure a clear Chinese message naming the file.

A FIFO, a device (/dev/zero, /dev/urandom) or a symlink to one would hang a reader or
exhaust memory; they are refused before a byte is read. This is the floor every
reader stands on: :mod:`drafter.reading` (specs, documents, ledgers, drafts, with
their encodings) and the loaders of word-list and kind files an organisation adds.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ._errors import InputError

#: Default upper bound for a text a user gives drafter (specs, documents, facts).
MAX_BYTES = 64 * 1024 * 1024


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def read_bytes(path: str | Path, what: str = "文件", *, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes."""
    p = Path(path)
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(f"{what}不存在：{p}", path=str(p)) from None
    except IsADirectoryError:
        raise InputError(f"{what}是一个目录，不是文件：{p}", path=str(p)) from None
    except PermissionError:
        raise InputError(f"没有权限读取{what}：{p}", path=str(p)) from None
    except OSError as e:
        raise InputError(f"无法读取{what} {p}：{e.strerror or e}", path=str(p)) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise InputError(f"{what}是一个目录，不是文件：{p}", path=str(p))
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"{what}不是普通文件（是设备、管道或套接字）：{p}；请给出一个普通文件", path=str(p))
        if st.st_size > limit:
            raise InputError(f"{what}太大：{p} 有 {_mb(st.st_size)}，上限为 {_mb(limit)}", path=str(p))
        # One read of the size fstat gives (plus one byte, to see growth): a 50 MB
        # text costs one 50 MB buffer, not chunks and their join.
        data = _read_all(fd, st.st_size + 1)
        if len(data) > st.st_size:  # it grew meanwhile: read on, still bounded
            chunks = [data]
            total = len(data)
            while chunk := os.read(fd, 1 << 20):
                total += len(chunk)
                if total > limit:
                    break
                chunks.append(chunk)
            data = b"".join(chunks)
        if len(data) > limit:
            raise InputError(f"{what}太大：{p} 超过上限 {_mb(limit)}", path=str(p))
        return data
    except OSError as e:
        raise InputError(f"无法读取{what} {p}：{e.strerror or e}", path=str(p)) from None
    finally:
        os.close(fd)


def _read_all(fd: int, size: int) -> bytes:
    """Up to ``size`` bytes (fewer only at the end of the file)."""
    data = os.read(fd, size)
    if len(data) == size or not data:
        return data
    parts = [data]  # a short read (a network file system): keep going
    got = len(data)
    while got < size and (chunk := os.read(fd, size - got)):
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def read_utf8(path: str | Path, what: str = "文件", *, limit: int = MAX_BYTES) -> str:
    """A regular UTF-8 file (a leading BOM dropped), as data files are written."""
    try:
        return read_bytes(path, what, limit=limit).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{what} {path} 不是 UTF-8 编码的文本", path=str(path)) from None
