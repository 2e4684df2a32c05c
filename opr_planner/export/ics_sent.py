"""What an output folder already holds of our calendars: per UID the highest SEQUENCE and
the fingerprints of the copies that are not cancellations (`ics_update` builds on it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from icalendar import Calendar, Component

from ..errors import Problem
from ..io.reader import InputFileError, list_folder, read_bytes
from .ics import FINGERPRINT

MAX_SEQUENCE = 2**31 - 1  # RFC 5545: SEQUENCE is an INTEGER, at most 2147483647


@dataclass(frozen=True)
class Sent:
    """What the output folder holds of one event (all its copies, in every file)."""

    sequence: int  # the highest SEQUENCE
    fingerprints: frozenset[str]  # X-OPR-FINGERPRINT of its copies that are not cancellations
    cancelled: bool  # every copy is a cancellation


def read_sent(directory: str | Path) -> dict[str, Sent]:
    """Our events (UIDs ending in @opr-planner) in the `.ics` files of `directory`.

    Files that are not calendars are skipped; a SEQUENCE of one of our events that is
    not a whole number in RFC 5545's range (with room for one more) is an InputFileError.
    """
    sequence: dict[str, int] = {}
    prints: dict[str, set[str]] = {}
    live: set[str] = set()
    for path in list_folder(directory, "*.ics"):
        data = read_bytes(path)
        try:
            cal = Calendar.from_ical(data)
        except ValueError:
            continue  # not ours or damaged: no information
        for event in cal.walk("VEVENT"):
            uid = str(event.get("uid", ""))
            if not uid.endswith("@opr-planner"):
                continue
            sequence[uid] = max(_sequence(event, path, data), sequence.get(uid, 0))
            prints.setdefault(uid, set())
            if str(event.get("status", "")).upper() != "CANCELLED":
                live.add(uid)
                if event.get(FINGERPRINT):
                    prints[uid].add(str(event[FINGERPRINT]))
    return {uid: Sent(seq, frozenset(prints[uid]), uid not in live) for uid, seq in sequence.items()}


def sequences_in(directory: str | Path) -> dict[str, int]:
    """The highest SEQUENCE per UID of our events in the `.ics` files of `directory`."""
    return {uid: sent.sequence for uid, sent in read_sent(directory).items()}


def _sequence(event: Component, path: Path, data: bytes) -> int:
    prop = event.get("sequence")
    if prop is None:
        return 0
    raw = prop.to_ical() if hasattr(prop, "to_ical") else str(prop)
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    if text.isascii() and text.isdigit() and int(text) < MAX_SEQUENCE:
        return int(text)
    at = data.find(b"SEQUENCE:" + text.encode("utf-8", "replace"))
    line = data[:at].count(b"\n") + 1 if at >= 0 else None
    shown = text if len(text) <= 20 else text[:20] + "…"
    if text.isascii() and text.isdigit():
        message = f"SEQUENCE {shown} leaves no room for an update (RFC 5545 allows at most {MAX_SEQUENCE})"
    else:
        message = f"SEQUENCE {shown!r} is not a whole number from 0 to {MAX_SEQUENCE - 1}"
    raise InputFileError(
        [
            Problem(
                str(path),
                line,
                f"event {event.get('uid')}",
                message,
                "this calendar was edited by hand or by another program; correct the SEQUENCE "
                "line, or move the file out of the folder",
            )
        ]
    )


__all__ = ["MAX_SEQUENCE", "Sent", "read_sent", "sequences_in"]
