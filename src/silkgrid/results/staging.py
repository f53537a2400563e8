"""Complete-or-absent result directories: a lock per output path, a staging folder, one swap.

A result directory ``DIR`` is written by :func:`staged_dir`: everything goes into a hidden
sibling ``.DIR.tmp-PID-XXXXXXXX/``, which replaces ``DIR`` only when it is complete, by one
atomic exchange of the two names (Linux ``renameat2(RENAME_EXCHANGE)``; elsewhere two renames,
with the previous directory restored at the next write if a kill fell between them).  A process
killed at any point therefore leaves the previous complete directory or the new complete one.

:func:`output_lock` holds an exclusive ``fcntl.flock`` on ``.DIR.lock`` next to ``DIR`` (the
lock file holds the owner's PID and is removed when the lock is released): a second writer to
the same path fails at once with :class:`OutputBusyError`.  The lock is re-entrant within one
thread, so a workflow can hold it across its solve and still call :meth:`Result.to_dir`.
Under the lock, staging folders left by killed writers (``.DIR.tmp-*``, ``.DIR.old-*`` and the
``.DIR.XXXXXXXX`` of older versions) are removed.  :func:`write_error` turns an ``OSError``
into a sentence that names the real cause.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import secrets
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from silkgrid.core.errors import SilkGridError

try:  # POSIX; on other systems the lock degrades to none (documented in docs/results.md)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

_RENAME_EXCHANGE = 2  # linux/fs.h
_held: dict[Path, tuple[int, int]] = {}  # lock path -> (owning thread id, depth)
_held_guard = threading.Lock()


class ResultWriteError(SilkGridError):
    """A result directory that cannot be written (disk full, no permission, busy); exit code 2."""

    def __init__(self, problem: str, fix: str) -> None:
        self.problem, self.fix = problem, fix
        super().__init__(f"{problem.rstrip('.')}. Fix: {fix.rstrip('.')}.")


class OutputBusyError(ResultWriteError):
    """Another live process holds the lock of the output path."""


def lock_path(path: str | Path) -> Path:
    """The lock file of a result directory: ``.NAME.lock`` in the same folder."""
    path = Path(path).expanduser().resolve()
    return path.with_name(f".{path.name}.lock")


@contextmanager
def output_lock(path: str | Path) -> Iterator[Path]:
    """Hold the exclusive lock of result directory ``path`` for the ``with`` block.

    Creates the parent folder if needed (and removes it again if it stays empty).  Raises
    :class:`OutputBusyError` (naming the PID in the lock file) when another process, or another
    thread of this one, holds it; re-entrant for the thread that holds it.
    """
    lock = lock_path(path)
    me = threading.get_ident()
    with _held_guard:
        owner = _held.get(lock)
        if owner is not None and owner[0] == me:
            _held[lock] = (me, owner[1] + 1)
            reentered = True
        elif owner is not None:
            raise _busy(path, os.getpid())
        else:
            reentered = False
    if reentered:
        try:
            yield lock
        finally:
            with _held_guard:
                _held[lock] = (me, _held[lock][1] - 1)
        return
    created = [d for d in (lock.parent, *lock.parent.parents) if not d.exists()]  # deepest first
    fd = _acquire(lock, path)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        with _held_guard:
            _held[lock] = (me, 1)
        try:
            yield lock
        finally:
            with _held_guard:
                _held.pop(lock, None)
            try:
                lock.unlink()  # still held: a writer that opened this file will see it is gone
                for d in created:  # folders made for the lock that stayed empty (nothing written)
                    d.rmdir()
            except OSError:
                pass
    finally:
        os.close(fd)  # closing the descriptor releases the flock


def _acquire(lock: Path, path: str | Path) -> int:
    """Open and flock ``lock``; retry if the file was removed by its previous holder meanwhile."""
    for _ in range(100):
        try:
            lock.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise write_error(exc, path) from None
        if fcntl is None:  # pragma: no cover - no advisory locks on this system
            return fd
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = _read_pid(fd)
            os.close(fd)
            raise _busy(path, pid) from None
        try:
            same = os.stat(lock).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)  # we locked a file its holder had just removed: lock the new one
    raise ResultWriteError(f"the lock file {lock} keeps changing", "check for runaway SilkGrid processes")


def _read_pid(fd: int) -> int | None:
    text = os.pread(fd, 32, 0).decode(errors="replace").strip()
    return int(text) if text.isdigit() else None


def _busy(path: str | Path, pid: int | None) -> OutputBusyError:
    who = f"process {pid}" if pid else "another process"
    return OutputBusyError(
        f"another SilkGrid run ({who}) is writing results to '{path}' right now; two runs into one "
        "directory would overwrite each other",
        "wait for that run to finish, or give this run another output directory")


def clean_stale(path: str | Path) -> list[Path]:
    """Remove staging folders that killed writers left next to ``path``; return them.

    Call only while holding :func:`output_lock` (then no live writer owns any of them).  If
    ``path`` is missing but a ``.NAME.old-PID`` folder exists (a kill between the two renames of
    the fallback swap), that previous result is moved back to ``path`` first.
    """
    path = Path(path).expanduser().resolve()
    name = re.escape(path.name)
    ours = re.compile(rf"^\.{name}\.(tmp-\d+-[0-9a-f]{{8}}|old-\d+)$")
    legacy = re.compile(rf"^\.{name}\.[a-z0-9_]{{8}}$")  # tempfile.mkdtemp names of older versions
    try:
        entries = [p for p in path.parent.iterdir() if p.is_dir() and not p.is_symlink()]
    except FileNotFoundError:
        return []
    olds = sorted(p for p in entries if re.match(rf"^\.{name}\.old-\d+$", p.name))
    if olds and not path.exists() and (olds[-1] / "summary.json").is_file():
        olds[-1].rename(path)
        entries.remove(olds[-1])
    removed = []
    for p in entries:
        if ours.match(p.name) or (legacy.match(p.name) and (not any(p.iterdir()) or (p / "summary.json").exists())):
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
    return removed


@contextmanager
def staged_dir(path: str | Path) -> Iterator[Path]:
    """Yield an empty staging folder; when the block ends normally it replaces ``path`` whole.

    Holds :func:`output_lock` throughout and cleans stale staging folders first.  If the block
    raises, the staging folder is removed and ``path`` is left as it was.  ``OSError`` (from the
    block or the swap) is re-raised as :class:`ResultWriteError` naming its cause.
    """
    path = Path(path).expanduser().resolve()
    with output_lock(path):
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")
        try:
            clean_stale(path)
            tmp.mkdir()
            yield tmp
            swap_in(tmp, path)
        except OSError as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            raise write_error(exc, path) from None
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise


def swap_in(tmp: Path, path: Path) -> None:
    """Make the complete folder ``tmp`` become ``path``; the previous ``path`` is deleted."""
    if not path.exists():
        tmp.rename(path)
        return
    if _exchange(tmp, path):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the previous result
        return
    old = path.with_name(f".{path.name}.old-{os.getpid()}")
    path.rename(old)
    tmp.rename(path)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two names (Linux ``renameat2``); False where that is not supported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    rc = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False  # the file system cannot exchange: fall back to two renames
    raise OSError(err, os.strerror(err), str(b))


def write_error(exc: OSError, path: str | Path) -> ResultWriteError:
    """The :class:`ResultWriteError` that names the real cause of ``exc`` while writing ``path``."""
    where = f" ({exc.filename})" if exc.filename else ""
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return ResultWriteError(f"the disk is full while writing the results to '{path}'{where}; nothing "
                                "was written and any previous result there is unchanged",
                                "free disk space (or raise the quota), or write to another disk")
    if code in (errno.EACCES, errno.EPERM):
        return ResultWriteError(f"no permission to write the results to '{path}'{where}; nothing was written",
                                "choose a directory you can write to, or change its permissions")
    if code == errno.EROFS:
        return ResultWriteError(f"the file system of '{path}' is read-only{where}; nothing was written",
                                "write the results to a writable location")
    return ResultWriteError(f"the results cannot be written to '{path}' ({exc.strerror or exc}){where}; "
                            "nothing was written", "check the path and the disk it lies on")
