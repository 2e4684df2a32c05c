"""Files that are not what they seem (issue 17, items 2, 3 and 7).

Inputs: every path opr-planner reads (scenario, participants file, plan, pseudonym key,
the calendars of an earlier export) goes through one reader that opens regular files
only, never blocks on a FIFO, reads at most a size cap and names the file in every
message. Outputs: one writer that replaces regular files only, atomically, and never
gives a file wider permissions than a new one would get.

A case that would hang runs under a deadline: it fails instead of blocking the suite.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest
from helpers import DATA, TINY, TINY_PLAN, deadline, run_cli

from opr_planner.io import fileio
from opr_planner.io.fileio import write_atomic
from opr_planner.io.reader import MAX_FILE_BYTES, InputFileError, read_bytes, read_text


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


# -- the shared reader ------------------------------------------------------------------


def test_read_text_and_read_bytes_return_the_content(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes("\ufeffnaam: Zoë\n".encode())
    text, raw = read_text(path)
    assert text == "naam: Zoë\n"  # the BOM of Excel's "CSV UTF-8" is dropped
    assert raw == path.read_bytes()
    assert read_bytes(path) == raw
    assert read_bytes(path, label="people.xlsx") == raw


@pytest.mark.parametrize("reader", [read_text, read_bytes], ids=["read_text", "read_bytes"])
def test_a_fifo_is_refused_without_blocking(reader, tmp_path: Path) -> None:
    fifo = _fifo(tmp_path / "pipe.yaml")
    with deadline(), pytest.raises(InputFileError) as info:
        reader(fifo)
    (problem,) = info.value.problems
    assert str(problem) == (f"{fifo}: is a named pipe (FIFO), not a regular file; name a file saved on disk")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_a_device_is_refused_before_anything_is_read(device: str) -> None:
    with deadline(), pytest.raises(InputFileError) as info:
        read_bytes(Path(device))
    assert str(info.value.problems[0]) == (
        f"{device}: is a device, not a regular file; name a file saved on disk"
    )


def test_a_folder_and_a_missing_file_are_named(tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as info:
        read_bytes(tmp_path)
    assert str(info.value.problems[0]) == f"{tmp_path}: is a directory, not a file; name the file inside it"
    with pytest.raises(InputFileError) as info:
        read_text(tmp_path / "nothing.yaml", label="plan.yaml")
    assert str(info.value.problems[0]) == "plan.yaml: no such file; check the path and the working directory"
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        read_text(tmp_path / "file" / "s.yaml")
    assert "no such file" in str(info.value.problems[0])


def test_the_size_cap_is_checked_before_reading(tmp_path: Path) -> None:
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as handle:  # sparse: costs no disk
        handle.truncate(MAX_FILE_BYTES + 1)
    with deadline(2), pytest.raises(InputFileError) as info:
        read_bytes(huge)
    assert str(info.value.problems[0]) == f"{huge}: file is larger than 64 MiB; is it the right file?"
    small = tmp_path / "small.csv"
    small.write_bytes(b"12345")
    with pytest.raises(InputFileError, match="larger than 4 bytes"):
        read_bytes(small, limit=4)


def test_a_symlink_to_a_regular_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "real.yaml").write_text("a: 1\n", encoding="utf-8")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "real.yaml")
    assert read_text(tmp_path / "link.yaml")[0] == "a: 1\n"


def test_text_must_be_utf8_and_not_binary(tmp_path: Path) -> None:
    latin = tmp_path / "people.csv"
    latin.write_bytes("id,name\np1,Zo\xeb\n".encode("latin-1"))
    with pytest.raises(InputFileError) as info:
        read_text(latin)
    assert str(info.value.problems[0]).startswith(f"{latin}:2: is not valid UTF-8 (byte 0xeb)")
    # UTF-8 never encodes a surrogate; Python's decoder refuses the bytes that would.
    (tmp_path / "s.yaml").write_bytes(b"name: p\xed\xa0\x80\n")
    with pytest.raises(InputFileError, match="is not valid UTF-8"):
        read_text(tmp_path / "s.yaml")
    (tmp_path / "b.yaml").write_bytes(b"PK\x03\x04\x00\x00")
    with pytest.raises(InputFileError, match="is a binary file, not text"):
        read_text(tmp_path / "b.yaml")
    assert read_bytes(tmp_path / "b.yaml") == b"PK\x03\x04\x00\x00"  # bytes: a workbook is fine


@pytest.mark.parametrize(
    "command",
    [
        lambda fifo: ["validate", fifo],
        lambda fifo: ["check", TINY, fifo],
        lambda fifo: ["explain", TINY, fifo],
        lambda fifo: ["check", fifo, TINY_PLAN],
    ],
    ids=["validate scenario", "check plan", "explain plan", "check scenario"],
)
def test_a_fifo_given_to_a_command_is_exit_2_at_once(command, tmp_path: Path) -> None:
    fifo = _fifo(tmp_path / "pipe.yaml")
    with deadline():
        result = run_cli(*command(fifo))
    assert result.exit_code == 2, result.output
    assert (
        result.stderr
        == f"error: {fifo}: is a named pipe (FIFO), not a regular file; name a file saved on disk\n"
    )


def test_a_fifo_as_participants_file_is_exit_2_at_once(tmp_path: Path) -> None:
    _fifo(tmp_path / "people.csv")
    text = (DATA / "minimal.yaml").read_text(encoding="utf-8")
    scenario = tmp_path / "s.yaml"
    scenario.write_text(text.replace("participants:\n", "participants_file: people.csv\nparticipants:\n"))
    with deadline():
        result = run_cli("validate", scenario)
    assert result.exit_code == 2, result.output
    assert f"error: {tmp_path / 'people.csv'}: is a named pipe (FIFO), not a regular file" in result.stderr
    assert f"participants_file in {scenario}:" in result.stderr


@pytest.mark.parametrize("kind", ["fifo", "zero", "folder"])
def test_a_pseudonym_key_file_that_is_not_a_file_is_exit_2(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if kind == "zero" and not Path("/dev/zero").exists():
        pytest.skip("needs /dev/zero")
    key = {
        "fifo": lambda: _fifo(tmp_path / "key"),
        "zero": lambda: Path("/dev/zero"),
        "folder": lambda: tmp_path,
    }[kind]()
    monkeypatch.delenv("OPR_PLANNER_PSEUDONYM_KEY", raising=False)
    monkeypatch.setenv("OPR_PLANNER_PSEUDONYM_KEY_FILE", str(key))
    with deadline():
        result = run_cli("export", "csv", TINY, TINY_PLAN, "--anonymise", "-o", tmp_path / "p.csv")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"error: {key}: ")
    assert "not a regular file" in result.stderr or "is a directory" in result.stderr
    assert not (tmp_path / "p.csv").exists()


def test_an_empty_pseudonym_key_file_is_refused_not_replaced_every_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Item 5: an empty key file made a fresh random key on every run, without a word."""
    key = tmp_path / "pseudonym.key"
    key.write_bytes(b"\n")
    monkeypatch.delenv("OPR_PLANNER_PSEUDONYM_KEY", raising=False)
    monkeypatch.setenv("OPR_PLANNER_PSEUDONYM_KEY_FILE", str(key))
    result = run_cli("export", "csv", TINY, TINY_PLAN, "--anonymise", "-o", tmp_path / "p.csv")
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"error: {key}: the pseudonym key file is empty; delete it to have a new key made "
        "(pseudonyms then change), or put the key your team shares in it\n"
    )
    assert key.read_bytes() == b"\n"


def test_a_new_pseudonym_key_is_made_once_and_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = tmp_path / "config" / "pseudonym.key"
    monkeypatch.delenv("OPR_PLANNER_PSEUDONYM_KEY", raising=False)
    monkeypatch.setenv("OPR_PLANNER_PSEUDONYM_KEY_FILE", str(key))
    outputs = []
    for name in ("a.csv", "b.csv"):
        assert run_cli("export", "csv", TINY, TINY_PLAN, "--anonymise", "-o", tmp_path / name).exit_code == 0
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert len(key.read_bytes().strip()) == 64


def test_a_key_that_cannot_be_written_whole_leaves_no_empty_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key file was created first and filled after: a full disk (or a crash) between
    the two left an empty key, refused from then on. It is now made through the writer:
    whole or not at all."""
    key = tmp_path / "config" / "pseudonym.key"
    monkeypatch.delenv("OPR_PLANNER_PSEUDONYM_KEY", raising=False)
    monkeypatch.setenv("OPR_PLANNER_PSEUDONYM_KEY_FILE", str(key))
    with monkeypatch.context() as full_disk:
        full_disk.setattr(fileio.os, "fsync", _no_space)
        result = run_cli("export", "csv", TINY, TINY_PLAN, "--anonymise", "-o", tmp_path / "p.csv")
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"error: {key}: cannot read or create the pseudonym key (no space left on device); "
        "set OPR_PLANNER_PSEUDONYM_KEY, or OPR_PLANNER_PSEUDONYM_KEY_FILE to a writable path\n"
    )
    assert list(key.parent.iterdir()) == []  # no key, no temporary file
    assert run_cli("export", "csv", TINY, TINY_PLAN, "--anonymise", "-o", tmp_path / "p.csv").exit_code == 0
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_bytes().strip()) == 64


def _no_space(fd: int) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


# -- the shared writer ------------------------------------------------------------------


def test_the_writer_refuses_to_replace_a_fifo(tmp_path: Path) -> None:
    fifo = _fifo(tmp_path / "plan.csv")
    with deadline(), pytest.raises(fileio.OutputError) as info:
        write_atomic(fifo, "data")
    assert str(info.value.problems[0]) == (
        f"{fifo}: cannot write: is a named pipe (FIFO), not a regular file; "
        "opr-planner replaces regular files only: choose another output path"
    )
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_the_writer_refuses_to_replace_a_symlink_or_write_through_it(tmp_path: Path) -> None:
    target = tmp_path / "secret.txt"
    target.write_text("keep", encoding="utf-8")
    link = tmp_path / "plan.csv"
    link.symlink_to(target)
    with pytest.raises(fileio.OutputError) as info:
        write_atomic(link, "data")
    assert "is a symbolic link, not a regular file" in str(info.value.problems[0])
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "keep"


def test_the_writer_refuses_to_replace_a_device(tmp_path: Path) -> None:
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, OSError):
        pytest.skip("cannot create a device node here")
    with pytest.raises(fileio.OutputError, match="is a device, not a regular file"):
        write_atomic(node, "data")
    assert stat.S_ISCHR(node.lstat().st_mode)


@pytest.mark.parametrize(
    "args",
    [
        ["export", "csv", TINY, TINY_PLAN, "-o", "{target}"],
        ["export", "html", TINY, TINY_PLAN, "-o", "{target}"],
        ["solve", TINY, "--time-limit", "1", "--workers", "1", "-o", "{target}"],
    ],
    ids=["export csv", "export html", "solve"],
)
def test_commands_refuse_to_write_onto_a_fifo(args: list, tmp_path: Path) -> None:
    fifo = _fifo(tmp_path / "out")
    with deadline(30):
        result = run_cli(*[str(a).format(target=fifo) for a in args])
    assert result.exit_code == 2, result.output
    assert f"error: {fifo}: cannot write: is a named pipe (FIFO), not a regular file" in result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def _special(kind: str, path: Path) -> str:
    """Put a FIFO, a symbolic link or a device node (like /dev/null: 0666) at `path`."""
    if kind == "fifo":
        _fifo(path)
        return "a named pipe (FIFO)"
    if kind == "symlink":
        (path.parent / "victim.txt").write_text("keep", encoding="utf-8")
        path.symlink_to(path.parent / "victim.txt")
        return "a symbolic link"
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        os.chmod(path, 0o666)  # the umask narrowed it: a device's usual world-writable mode
    except OSError:
        pytest.skip("cannot create a device node here (needs root)")
    return "a device"


@pytest.mark.parametrize("kind", ["fifo", "symlink", "device"])
def test_export_csv_onto_a_special_file_is_refused_and_left_as_it_is(kind: str, tmp_path: Path) -> None:
    """Issue 17 item 3: `export csv -o X` replaced a device node, FIFO or symlink X with a
    regular file, copying a device's world-writable mode onto a file of names."""
    target = tmp_path / "out.csv"
    what = _special(kind, target)
    before = target.lstat()
    with deadline():
        result = run_cli("export", "csv", TINY, TINY_PLAN, "-o", target)
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"error: {target}: cannot write: is {what}, not a regular file; "
        "opr-planner replaces regular files only: choose another output path\n"
    )
    after = target.lstat()
    assert (after.st_mode, after.st_ino, after.st_rdev) == (before.st_mode, before.st_ino, before.st_rdev)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["out.csv", *(["victim.txt"] if kind == "symlink" else [])]
    )
    if kind == "symlink":
        assert (tmp_path / "victim.txt").read_text(encoding="utf-8") == "keep"


def test_a_calendar_folder_with_a_symlinked_calendar_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "ics"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    (out / "all.ics").symlink_to(victim)
    result = run_cli("export", "ics", TINY, TINY_PLAN, "-o", out)
    assert result.exit_code == 2, result.output
    assert f"error: {out / 'all.ics'}: cannot write: is a symbolic link" in result.stderr
    assert victim.read_text(encoding="utf-8") == "keep"


def test_a_wide_mode_is_never_copied(tmp_path: Path) -> None:
    """A world-writable file replaced by a file of names stays no wider than a new file."""
    target = tmp_path / "plan.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o666)
    write_atomic(target, "names and e-mail addresses")
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~_umask()
    target.chmod(0o600)  # narrower than the default: kept
    write_atomic(target, "again")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    target.chmod(0o755)  # execute bits are never copied onto data
    write_atomic(target, "again")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644 & ~_umask()


def test_a_read_only_folder_names_the_target_not_the_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(As root a read-only folder is still writable, so the refusal is simulated.)"""

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / ".plan.csv.abc123.tmp"))

    monkeypatch.setattr(fileio.tempfile, "mkstemp", refuse)
    result = run_cli("export", "csv", TINY, TINY_PLAN, "-o", tmp_path / "plan.csv")
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {tmp_path / 'plan.csv'}: cannot write (permission denied); "
        "the folder is read-only or not yours: choose another output path\n"
    )


def test_a_full_disk_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "plan.html"
    target.write_text("previous report", encoding="utf-8")
    monkeypatch.setattr(fileio.os, "fsync", _no_space)
    result = run_cli("export", "html", TINY, TINY_PLAN, "-o", target)
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {target}: cannot write (no space left on device); free some disk space and run it again\n"
    )
    assert target.read_text(encoding="utf-8") == "previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.html"]


def test_a_folder_that_cannot_be_read_is_not_called_unwritable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`export ics --previous` reads the calendars already in the folder before writing."""
    out = tmp_path / "ics"
    assert run_cli("export", "ics", TINY, TINY_PLAN, "-o", out).exit_code == 0
    real_scandir = os.scandir

    def unreadable(path=".", *args, **kwargs):
        if Path(path) == out:
            raise PermissionError(errno.EACCES, "Permission denied", str(out))
        return real_scandir(path, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", unreadable)
    result = run_cli("export", "ics", TINY, TINY_PLAN, "--previous", TINY_PLAN, "-o", out)
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"error: {out}: cannot read the folder (permission denied); check its permissions\n"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["solve", TINY, "--time-limit", "600", "-o", "{blocked}/plan.yaml"],
        ["repair", TINY, TINY_PLAN, "--time-limit", "600", "-o", "{blocked}/plan.yaml"],
        ["alternatives", TINY, "-n", "2", "--time-limit", "600", "-o", "{blocked}/alts"],
    ],
    ids=["solve", "repair", "alternatives"],
)
def test_an_unwritable_output_is_refused_before_the_search(args: list, tmp_path: Path) -> None:
    """A mistyped -o once cost the whole time limit before it was reported."""
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder is needed", encoding="utf-8")
    with deadline(10):
        result = run_cli(*[str(a).format(blocked=blocked) for a in args])
    assert result.exit_code == 2, result.output
    assert f"error: {blocked}: cannot write: is a file, not a folder" in result.stderr
