"""The one way opr-planner writes a file: atomic, regular files only, never wider access.

`write_atomic(path, data)` is used for every output (plans, calendars, spreadsheets,
reports, sweep records, generated scenarios, starter files):

- the data goes to a hidden temporary file in the target's folder, is flushed to disk
  and then renamed over the target in one step, so a reader (or a crash, Ctrl-C or
  `kill`) sees either the old file or the complete new one. SIGINT and SIGTERM are held
  back for the few milliseconds of the write, so an interrupt leaves no temporary file
  behind either; it takes effect right after;
- only a regular file is ever replaced: a device (`-o /dev/null` as root would replace
  the system's /dev/null), a FIFO, a socket or a symbolic link in the target's place is
  refused, and left as it is;
- the new file gets the permissions a new file gets (0666 minus the umask), or those of
  the file it replaces where they are narrower: a world-writable target never makes a
  file of names and e-mail addresses world-readable, and a private one stays private;
- every failure is an `OutputError` (exit 2) that names the target, never the temporary
  file, with a hint for the usual causes (read-only folder, full disk).
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from ..errors import OutputError, Problem
from .reader import kind_of

_HELD_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Delay SIGINT/SIGTERM until the block is done, then deliver them as usual.

    Python runs signal handlers in the main thread, whichever thread the signal reached,
    so a handler that only takes note works in a process with solver threads too (a
    thread's signal mask would not: the signal then goes to another thread). Elsewhere
    than in the main thread this is a no-op.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def note(signum: int, frame: object) -> None:
        received.append(signum)

    previous = {}
    for sig in _HELD_SIGNALS:
        handler = signal.getsignal(sig)
        if handler is not None and handler is not signal.SIG_IGN:  # None: set outside Python
            previous[sig] = signal.signal(sig, note)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if received:
            signal.raise_signal(received[0])  # now: Ctrl-C raises, SIGTERM ends the process


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _mode_for(existing: os.stat_result | None) -> int:
    """A new file's mode; a replaced file keeps its own where it is narrower, never wider."""
    default = _default_mode()
    return default if existing is None else stat.S_IMODE(existing.st_mode) & default


def _refuse(path: Path | str, message: str, hint: str = "check the output path") -> OutputError:
    return OutputError([Problem(str(path), None, "", message, hint)])


_HINTS = {
    errno.EACCES: "the folder is read-only or not yours: choose another output path",
    errno.EPERM: "the folder is read-only or not yours: choose another output path",
    errno.EROFS: "the disk is mounted read-only: choose another output path",
    errno.ENOSPC: "free some disk space and run it again",
    errno.EDQUOT: "your disk quota is used up: free some space and run it again",
}


def _failed(path: Path, exc: OSError) -> OutputError:
    """The target (not the temporary file) with the reason in words and a hint."""
    if exc.errno == errno.ENAMETOOLONG:
        return _refuse(str(path)[:200] + "…", "cannot write: the file name is too long")
    reason = exc.strerror or str(exc)
    reason = reason[:1].lower() + reason[1:]
    return _refuse(path, f"cannot write ({reason})", _HINTS.get(exc.errno or 0, "check the output path"))


def _make_parent(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):  # a file stands where a folder is needed
        folders = [path.parent, *path.parent.parents]
        blocker = next((p for p in folders if p.exists() and not p.is_dir()), path.parent)
        raise _refuse(blocker, "cannot write: is a file, not a folder") from None
    except OSError as exc:
        raise _failed(path.parent, exc) from None


def _existing(path: Path) -> os.stat_result | None:
    """The target's status if it exists and may be replaced; OutputError if it may not."""
    try:
        status = os.lstat(path)  # lstat: a link is judged itself, never followed
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _failed(path, exc) from None
    if stat.S_ISDIR(status.st_mode):
        raise _refuse(path, "cannot write: is a folder, not a file", "name a file")
    kind = kind_of(status.st_mode)
    if kind is not None:
        raise _refuse(
            path,
            f"cannot write: is {kind}, not a regular file",
            "opr-planner replaces regular files only: choose another output path",
        )
    return status


def check_writable(path: str | Path, *, folder: bool = False) -> None:
    """Refuse now (OutputError) an output that `write_atomic` would refuse later: a file
    where a folder is needed, a folder or special file where the output goes. Commands
    that search for minutes call it first, so a mistyped `-o` costs no search.

    With `folder`, `path` is an output folder (of calendars, alternatives, a sweep).
    Permissions and free space are only known when writing."""
    path = Path(path)
    for parent in [path if folder else path.parent, *(path if folder else path.parent).parents]:
        if parent.exists():
            if not parent.is_dir():
                raise _refuse(parent, "cannot write: is a file, not a folder")
            break
    if not folder:
        if path.is_dir() and not path.is_symlink():
            raise _refuse(path, "cannot write: is a folder, not a file", "name a file")
        _existing(path)


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename.

    Raises OutputError (exit 2) naming `path` when it cannot be written.
    """
    path = Path(path)
    if path.is_dir() and not path.is_symlink():
        raise _refuse(path, "cannot write: is a folder, not a file", "name a file")
    _make_parent(path)
    mode = _mode_for(_existing(path))
    with _signals_held():
        tmp = None
        try:
            tmp = _complete_copy(path, data, mode)
            _existing(path)  # still nothing but a regular file in its place
            os.replace(tmp, path)
        except OSError as exc:
            _remove(tmp)
            raise _failed(path, exc) from None
        except BaseException:
            _remove(tmp)
            raise
        _sync_folder(path.parent)


def write_new(path: str | Path, data: str | bytes, *, mode: int = 0o600) -> bool:
    """Create `path` holding `data` unless something is there already; False if it was.

    For a file made once and then kept (the pseudonym key): it appears whole or not at all
    (a hard link of a complete temporary file, so a crash or a full disk never leaves an
    empty key behind), nothing in its place is replaced or followed, and two runs at once
    agree on one file. `mode` is narrowed by the umask. OutputError (exit 2) when it
    cannot be written.
    """
    path = Path(path)
    _make_parent(path)
    with _signals_held():
        tmp = None
        try:
            tmp = _complete_copy(path, data, mode & _default_mode())
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError as exc:
            raise _failed(path, exc) from None
        finally:
            _remove(tmp)
        _sync_folder(path.parent)
    return True


def _complete_copy(path: Path, data: str | bytes, mode: int) -> str:
    """A hidden temporary file beside `path` holding `data`, on disk, with `mode`; its name.
    The caller removes it (OSError: it is already gone)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        _remove(tmp)
        raise
    return tmp


def _remove(tmp: str | None) -> None:
    if tmp is not None:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort; not every system allows it)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
