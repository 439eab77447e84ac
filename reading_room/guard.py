"""What keeps one checkout's builds from hurting each other or the site, even when killed.

- ``build_lock``: one build at a time per checkout (``fcntl.flock`` on
  ``.build-cache/build.lock``); a second build says who holds the lock and waits.
  The kernel drops the lock when its holder dies, however it dies.
- ``die_with_parent``: the initializer of every worker process; a worker is killed
  when the build that started it dies (Linux ``PR_SET_PDEATHSIG``), so a killed
  build leaves no orphan workers behind; ``die_with(build)`` for a worker started by a
  fork server (not the build's child): it ends when the build ends.
- ``fault_point``: named points where a test makes the build kill itself with
  SIGKILL (``READING_ROOM_KILL_AT=<name>``), to check what a kill at that moment
  leaves. Nothing else sets that variable.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import select
import signal
import socket
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

KILL_AT = "READING_ROOM_KILL_AT"
LOCK_NAME = "build.lock"


def fault_point(name: str) -> None:
    """SIGKILL this process here when a test asks for it (never in a normal build)."""
    if os.environ.get(KILL_AT) == name:
        os.kill(os.getpid(), signal.SIGKILL)


_libc = None


def libc():
    global _libc
    if _libc is None and sys.platform.startswith("linux"):
        _libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    return _libc


def die_with_parent() -> None:
    """Ask the kernel to kill this (worker) process when its parent dies."""
    lib = libc()
    if lib is None:
        return
    parent = os.getppid()
    PR_SET_PDEATHSIG = 1
    lib.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def die_with(build: int) -> None:
    """The initializer of a worker started by a fork server: killed with the server (its parent),
    and ended when process ``build`` ends. Such a worker is not the build's child, so the kernel
    cannot be asked to kill it with the build; and the server outlives a killed build while its
    workers live (each holds the pipe whose closing tells the server to exit)."""
    die_with_parent()

    def watch() -> None:
        try:
            handle = os.pidfd_open(build)  # readable when the build has ended (Linux 5.3)
        except (AttributeError, OSError):
            handle = None
        if handle is not None:
            select.select([handle], [], [])
        else:
            while _alive(build):
                time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-build", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def rename_exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``).

    False where the system or the file system cannot (the caller falls back);
    raises OSError for any other failure, with its cause."""
    lib = libc()
    if lib is None or os.environ.get("READING_ROOM_NO_EXCHANGE") or not hasattr(lib, "renameat2"):
        return False
    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    function = lib.renameat2
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    if function(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _holder(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return os.read(fd, 500).decode("utf-8", "replace").strip() or "another process"
    except OSError:
        return "another process"


@contextmanager
def build_lock(folder: Path, wait: bool = True, say=print):
    """Hold the checkout's build lock for the duration; a second build waits (saying who
    holds it) or, with ``wait=False``, raises BuildLocked."""
    import fcntl

    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            if not wait:
                raise BuildLocked(f"another build of this checkout is running: {holder}") from None
            say(f"waiting: another build of this checkout is running ({holder})")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
        os.write(fd, f"pid {os.getpid()} on {socket.gethostname()}, started {started}\n".encode())
        yield
    finally:
        os.close(fd)  # releases the lock


class BuildLocked(RuntimeError):
    pass
