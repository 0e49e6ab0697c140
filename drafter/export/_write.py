"""Writing an output file without ever leaving half of one, and without harming
what the target path names.

* A regular file (or a new path) is replaced atomically: a temporary file in the
  same folder is written, fsynced, given the old file's mode, and renamed over the
  target; the folder is fsynced. A crash leaves the old file or the new one.
* A path that names something other than a regular file (a character device such as
  /dev/null, a FIFO, a terminal) is written through: opened and written in place,
  never replaced by a regular file.
* A symbolic link is followed: the file it points to is updated (atomically), the
  link itself stays a link.
* Ctrl-C during a write is held until the file is complete, then delivered.

Every failure is an :class:`~drafter.InputError` naming the path and why (missing
folder, no permission, a folder where a file is expected): an output path is an
option the user gave.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .._errors import InputError


_deferring = False


@contextmanager
def sigint_deferred() -> Iterator[None]:
    """Hold Ctrl-C while the block runs, then deliver it: memory and file move
    together, and the user's interrupt is not lost. Nested blocks defer to the
    outermost one."""
    global _deferring
    if (_deferring or threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is None):
        yield
        return
    got: list[int] = []
    old = signal.signal(signal.SIGINT, lambda sig, frame: got.append(sig))
    _deferring = True
    try:
        yield
    finally:
        _deferring = False
        signal.signal(signal.SIGINT, old)
    if got:
        raise KeyboardInterrupt


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


_WHY = {
    errno.ENOENT: "所在目录不存在",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EISDIR: "这是一个目录",
    errno.EROFS: "所在文件系统是只读的",
    errno.ENOSPC: "磁盘空间不足",
    errno.ENOTDIR: "路径中有一段不是目录",
    errno.ENAMETOOLONG: "路径太长",
    errno.ELOOP: "符号链接循环",
}


def _fail(path: Path, exc: OSError, folder: Path | None = None) -> InputError:
    why = _WHY.get(exc.errno or 0, exc.strerror or str(exc))
    if exc.errno == errno.ENOENT and folder is not None and folder.is_dir():
        why = "无法在所在目录中创建文件"  # e.g. /proc: the folder exists, files cannot be made
    return InputError(f"无法写入 {path}：{why}", path=str(path))


def _resolve(path: str | Path) -> tuple[Path, os.stat_result | None]:
    """The path written (a symlink's target) and what is there now (None: nothing)."""
    target = Path(path)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    try:
        st = target.stat()
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise _fail(Path(path), e) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise InputError(f"无法写入 {path}：这是一个目录", path=str(path))
    return target, st


def check_writable(path: str | Path) -> None:
    """Raise the :class:`InputError` that writing ``path`` would raise, as far as can be
    told without writing: call it before expensive work (a model draft), so a bad
    ``-o`` is refused first instead of after the work is done."""
    target, st = _resolve(path)
    if st is not None and not stat.S_ISREG(st.st_mode):
        if not os.access(target, os.W_OK):
            raise InputError(f"无法写入 {path}：没有写入权限", path=str(path))
        return
    folder = target.parent
    if not folder.exists():
        raise InputError(f"无法写入 {path}：所在目录不存在", path=str(path))
    if not folder.is_dir():
        raise InputError(f"无法写入 {path}：路径中有一段不是目录", path=str(path))
    if not os.access(folder, os.W_OK):
        why = "所在文件系统是只读的" if _read_only_fs(folder) else "没有写入权限"
        raise InputError(f"无法写入 {path}：{why}", path=str(path))


def _read_only_fs(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


def write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` as described in the module docstring."""
    target, st = _resolve(path)
    with sigint_deferred():
        if st is not None and not stat.S_ISREG(st.st_mode):
            _write_through(target, data, Path(path))
        else:
            _replace(target, data, st.st_mode & 0o777 if st is not None else _new_file_mode(), Path(path))


def write_text(path: str | Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def _write_through(target: Path, data: bytes, shown: Path) -> None:
    try:
        with open(target, "wb", buffering=0) as f:
            f.write(data)
    except OSError as e:
        raise _fail(shown, e) from None


def _replace(target: Path, data: bytes, mode: int, shown: Path) -> None:
    folder = target.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=str(folder))
    except OSError as e:
        raise _fail(shown, e, folder) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
            os.fchmod(f.fileno(), mode)
        os.replace(tmp, target)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise _fail(shown, e) from None
        raise
    try:
        dfd = os.open(str(folder), os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass
