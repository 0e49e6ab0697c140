"""One interactive session per draft file.

The lock is a file beside the draft (``NAME.draft.json.lock``; for a symlinked draft,
beside the file the link points to, so every alias shares one lock) holding the
owner's pid, hostname and a random token. It is created with its content complete
(written to a temporary file, then hard-linked into place, which fails if a lock
exists), so a reader never sees half a lock.

The owner also holds a kernel lock (``flock``) on the lock file for as long as it
runs, taken before the file appears under its name. The kernel drops it when the
process dies however it dies (SIGKILL, power loss of a container), so: a lock file
whose kernel lock is held belongs to a live session and is refused; one whose
kernel lock is free on this host was left by a dead session and is taken over at
once, even if its pid now belongs to another process. Where flock is missing, the
pid check decides as before. A lock from another host cannot be checked and is
refused, with a message saying how to remove it.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from .._errors import SessionLocked


try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]


def lock_path_for(draft_path: str | Path) -> Path:
    """The lock file of a draft: beside the real file, whatever alias names it."""
    p = Path(os.path.realpath(draft_path))
    return p.with_name(p.name + ".lock")


def _flock(fd: int) -> bool | None:
    """Take the kernel lock on ``fd`` without waiting: True taken, False held by
    another open file, None when the system or file system has no flock."""
    if fcntl is None:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    except OSError:
        return None


def pid_alive(pid: int) -> bool:
    """True if a process with this pid runs on this host (zombies count as dead)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process, but alive
    except OSError:
        return False
    try:  # Linux: a killed child not yet reaped is a zombie, not a session
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat[stat.rfind(")") + 2:][:1] not in ("Z", "X")
    except OSError:
        return True


def boot_id() -> str | None:
    """This boot of the machine (Linux), to tell a pid from before a restart."""
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip() or None
    except OSError:
        return None


class SessionLock:
    """``with SessionLock(draft_path): ...`` holds the draft file for one session.

    Raises :class:`SessionLocked` when a live session (or one on another host)
    already holds it. ``took_over`` tells whether a stale lock was replaced.
    """

    def __init__(self, draft_path: str | Path):
        self.path = lock_path_for(draft_path)
        self.token = secrets.token_hex(8)
        self.took_over: dict | None = None
        self.held = False
        self._fd: int | None = None  # the open lock file whose kernel lock we hold

    def _content(self) -> bytes:
        return json.dumps({"pid": os.getpid(), "hostname": socket.gethostname(), "boot": boot_id(),
                           "token": self.token,
                           "started": datetime.now(timezone.utc).isoformat(timespec="seconds")},
                          ensure_ascii=False).encode("utf-8")

    def _create(self) -> bool:
        """Create the lock file with its full content and its kernel lock already
        held; False if one exists."""
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=str(self.path.parent))
        keep = False
        try:
            os.write(fd, self._content())
            os.fsync(fd)
            _flock(fd)  # before the file has its name: nobody can see it unlocked
            try:
                os.link(tmp, self.path)
            except FileExistsError:
                return False
            except OSError:  # no hard links here (some network or FAT mounts)
                return self._create_plain()
            keep = True
            self._fd = fd
            return True
        finally:
            if not keep:
                os.close(fd)
            os.unlink(tmp)

    def _create_plain(self) -> bool:
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            return False
        _flock(fd)
        os.write(fd, self._content())
        self._fd = fd
        return True

    def _probe(self) -> tuple[str, int | None]:
        """Whether a live process holds the kernel lock of the existing lock file:
        ("held", None), ("free", fd) with the lock now ours until fd is closed,
        ("unknown", None) without flock, or ("gone", None)."""
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return "gone", None
        except OSError:
            return "unknown", None
        got = _flock(fd)
        if got:
            return "free", fd
        os.close(fd)
        return ("held" if got is False else "unknown"), None

    def _read(self, path: Path | None = None) -> dict | None:
        try:
            data = json.loads((path or self.path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _is_stale(self, info: dict | None, kernel: str = "unknown") -> bool:
        if kernel == "held":
            return False  # a live process holds it, whatever the file says
        if info is None:
            return True  # unreadable: never written by a finished _create
        if info.get("hostname") != socket.gethostname():
            return False  # cannot check a process on another host
        if kernel == "free":
            return True  # its owner died (the kernel let go), even if the pid is reused
        if info.get("boot") and boot_id() and info["boot"] != boot_id():
            return True  # written before the machine restarted: its pid means nothing now
        try:
            return not pid_alive(int(info.get("pid", 0)))
        except (TypeError, ValueError):
            return True

    def _refuse(self, info: dict | None) -> SessionLocked:
        info = info or {}
        host = info.get("hostname", "?")
        where = "本机" if host == socket.gethostname() else f"主机 {host} 上"
        return SessionLocked(
            f"草稿 {self.path.name.removesuffix('.lock')} 已在另一个会话中打开（{where}进程 {info.get('pid', '?')}，"
            f"始于 {info.get('started', '?')}）。请先在那个会话中输入 quit 退出；"
            f"如确认它已不在运行，可删除锁文件 {self.path} 后重试。")

    def acquire(self) -> "SessionLock":
        if not self.path.parent.is_dir():
            from .._errors import InputError

            raise InputError(f"目录不存在：{self.path.parent}")
        for _ in range(5):
            if self._create():
                self.held = True
                return self
            kernel, fd = self._probe()
            try:
                if kernel == "gone":
                    continue  # released meanwhile
                self._take_over_if_stale(kernel)
            finally:
                if fd is not None:
                    os.close(fd)
        raise self._refuse(self._read())

    def _take_over_if_stale(self, kernel: str) -> None:
        """Remove the existing lock file if its owner is gone; refuse otherwise."""
        info = self._read()
        if info is None and not self.path.exists():
            return  # released meanwhile
        if not self._is_stale(info, kernel):
            raise self._refuse(info)
        # Move the stale lock aside, then make sure it is the one we judged:
        # another starting session may have replaced it a moment ago.
        aside = self.path.with_name(f".{self.path.name}.stale-{os.getpid()}-{self.token}")
        try:
            os.rename(self.path, aside)
        except FileNotFoundError:
            return
        moved = self._read(aside)
        if moved != info:
            try:
                os.link(aside, self.path)  # give it back
            except FileExistsError:
                pass
            os.unlink(aside)
            raise self._refuse(moved)
        os.unlink(aside)
        self.took_over = info or {}

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        info = self._read()
        if info is not None and info.get("token") == self.token:
            try:
                self.path.unlink()
            except FileNotFoundError:
                pass
        if self._fd is not None:
            os.close(self._fd)  # the kernel lock goes with it
            self._fd = None

    def __enter__(self) -> "SessionLock":
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
