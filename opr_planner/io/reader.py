"""The one way opr-planner reads a file: regular files only, bounded, named in every message.

Every input (scenario, participants CSV or workbook, plan, pseudonym key, the calendars
of an earlier export) is read through `read_bytes` or `read_text`:

- only a regular file (or a link to one) is read. A FIFO, device, socket or folder is
  refused before a byte is read, and the open itself cannot block: the file is opened
  with O_NONBLOCK and checked with fstat, so a FIFO without a writer answers at once
  and a path swapped between the check and the open is still caught;
- at most `limit` bytes (default 64 MiB) are read: a file that grows while it is read,
  or a device that never ends, costs no more memory than that;
- text is UTF-8 (an Excel BOM is dropped); NUL bytes mean a binary file. UTF-8 cannot
  encode a lone surrogate, so decoded text never holds one (escapes such as JSON's
  `\\ud800` are refused by the parsers, see `check_text`).

Every problem is an `InputFileError` carrying `Problem`s that name the file (and the
line, where there is one); commands turn it into exit 2.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputFileError, Problem

MAX_FILE_BYTES = 64 * 1024 * 1024

_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO without a writer opens at once instead of waiting
    | getattr(os, "O_NOCTTY", 0)  # a terminal device never becomes our controlling terminal
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
REGULAR_FILE_HINT = "name a file saved on disk"


def kind_of(mode: int) -> str | None:
    """'a named pipe (FIFO)', 'a device', ... for a file that is not regular; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


def _fail(label: str, message: str, hint: str = "", line: int | None = None) -> InputFileError:
    return InputFileError([Problem(label, line, "", message, hint)])


def _not_regular(label: str, mode: int) -> InputFileError:
    kind = kind_of(mode)
    if kind == "a folder":
        return _fail(label, "is a directory, not a file", "name the file inside it")
    return _fail(label, f"is {kind}, not a regular file", REGULAR_FILE_HINT)


def _os_problem(label: str, exc: OSError) -> InputFileError:
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return _fail(label, "no such file", "check the path and the working directory")
    if exc.errno == errno.EISDIR:
        return _fail(label, "is a directory, not a file", "name the file inside it")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return _fail(label, "cannot be read (permission denied)", "check the file's permissions")
    if exc.errno == errno.ENAMETOOLONG:
        return _fail(label[:200] + ("…" if len(label) > 200 else ""), "the file name is too long")
    if exc.errno == errno.ELOOP:
        return _fail(label, "cannot be read (a loop of symbolic links)")
    return _fail(label, f"cannot be read ({exc.strerror or exc})")


def _too_large(label: str, limit: int) -> InputFileError:
    size = f"{limit // (1024 * 1024)} MiB" if limit >= 1024 * 1024 else f"{limit} bytes"
    return _fail(label, f"file is larger than {size}", "is it the right file?")


def read_bytes(path: str | Path, *, label: str | None = None, limit: int = MAX_FILE_BYTES) -> bytes:
    """The content of the regular file `path`, at most `limit` bytes; else InputFileError.

    `label` is the name used in messages (default: the path as given).
    """
    name = label or str(path)
    try:
        # Checked before opening: opening some devices already does something.
        before = os.stat(path)
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        raise _os_problem(name, exc) if isinstance(exc, OSError) else _fail(name, "no such file") from None
    if not stat.S_ISREG(before.st_mode):
        raise _not_regular(name, before.st_mode)
    if before.st_size > limit:
        raise _too_large(name, limit)
    try:
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        raise _os_problem(name, exc) from None
    try:
        status = os.fstat(fd)  # the file actually opened (it may have been swapped)
        if not stat.S_ISREG(status.st_mode):
            raise _not_regular(name, status.st_mode)
        chunks = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise _os_problem(name, exc) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise _too_large(name, limit)
    return data


def read_head(path: str | Path, size: int) -> bytes:
    """The first `size` bytes of a regular file (to tell its kind); InputFileError as `read_bytes`."""
    name = str(path)
    try:
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        raise _os_problem(name, exc) from None
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise _not_regular(name, status.st_mode)
        return os.read(fd, size)
    except OSError as exc:
        raise _os_problem(name, exc) from None
    finally:
        os.close(fd)


def decode_text(data: bytes, label: str) -> str:
    """UTF-8 text of a file's bytes (an Excel BOM dropped), or InputFileError naming the line."""
    if b"\x00" in data:
        raise _fail(label, "is a binary file, not text", "save it as UTF-8 text (YAML or CSV)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _fail(
            label,
            f"is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            "save the file as UTF-8 (in Excel: 'CSV UTF-8')",
            line,
        ) from None


def read_text(
    path: str | Path, *, label: str | None = None, limit: int = MAX_FILE_BYTES
) -> tuple[str, bytes]:
    """(text, raw bytes) of a UTF-8 text file, read as `read_bytes` does; else InputFileError."""
    name = label or str(path)
    data = read_bytes(path, label=name, limit=limit)
    return decode_text(data, name), data


def list_folder(folder: str | Path, pattern: str = "*") -> list[Path]:
    """The entries of `folder` matching `pattern`, sorted; [] when it does not exist.

    A folder that exists but cannot be listed is an InputFileError that says so (not
    "cannot write").
    """
    folder = Path(folder)
    try:
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries)
    except FileNotFoundError:
        return []
    except NotADirectoryError:
        raise _fail(str(folder), "is a file, not a folder", "name a folder") from None
    except OSError as exc:
        reason = "permission denied" if exc.errno in (errno.EACCES, errno.EPERM) else exc.strerror or str(exc)
        raise _fail(str(folder), f"cannot read the folder ({reason})", "check its permissions") from None
    return [folder / name for name in names if Path(name).match(pattern)]


# -- text that cannot be written back ---------------------------------------------------

_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate(text: str) -> str | None:
    """The first lone surrogate in `text` as an escape ('\\ud800'), or None.

    JSON and YAML escapes (`\\ud800`) can name one; it is no character, cannot be
    written as UTF-8 and would crash every export, so the readers refuse it.
    """
    found = _SURROGATE.search(text)
    return f"\\u{ord(found.group()):04x}" if found else None


def surrogates_in(data: Any, loc: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(location, escape) of every text in plain data (keys too) that holds a lone surrogate."""
    if isinstance(data, str):
        found = lone_surrogate(data)
        if found:
            yield loc, found
    elif isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str) and lone_surrogate(key):
                yield (*loc, key), lone_surrogate(key) or ""
            yield from surrogates_in(value, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from surrogates_in(value, (*loc, i))
