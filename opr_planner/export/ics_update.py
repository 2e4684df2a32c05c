"""Calendar updates (`export ics --previous OLD_PLAN`): same UIDs, a higher SEQUENCE for
events whose time, place or attendees changed, and cancellations for sessions that a
participant no longer attends (or that no longer exist).

Sequence numbers are read back from the calendars written before (the `.ics` files
already in the output folder), so repeated updates keep counting up; without them the
previous export is taken to have used SEQUENCE 0.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from icalendar import Calendar, Component, Event, vCalAddress, vText

from ..errors import Problem
from ..io.fileio import write_atomic
from ..io.reader import InputFileError, list_folder, read_bytes
from ..plan import Plan, sessions_for
from ..scenario.models import Scenario
from .i18n import lang_of
from .ics import (
    ALL_FILE,
    _address,
    _local,
    calendar_bytes,
    export_stamp,
    ics_calendars,
    participant_filenames,
)
from .view import session_uid


@dataclass(frozen=True)
class SentEvent:
    """What a calendar event of a plan looks like to the people who received it."""

    uid: str
    review: str
    name: str
    date: dt.date
    start: str
    end: str
    location: str | None
    attendees: frozenset[str]

    @property
    def fingerprint(self) -> tuple:
        return (self.date, self.start, self.end, self.location, self.attendees)


def sent_events(scenario: Scenario, plan: Plan) -> dict[str, SentEvent]:
    """Every session event of a plan by UID; tolerant of reviews and people the scenario
    no longer has (an old plan outlives the scenario it was made for)."""
    out: dict[str, SentEvent] = {}
    for pr in plan.reviews:
        review = scenario.review.get(pr.id)
        if pr.sessions is not None:
            sessions = list(pr.sessions)
        elif review is not None:
            sessions = sessions_for(scenario, pr.id, pr.date)
        else:
            continue
        seen: Counter[str] = Counter()
        for s in sessions:
            key = f"{s.name}#{seen[s.name]}"
            seen[s.name] += 1
            uid = session_uid(scenario, pr.id, key)
            location = s.location or (review.location if review is not None else None)
            attendees = frozenset(m.participant for m in pr.members)
            out.setdefault(uid, SentEvent(uid, pr.id, s.name, s.date, s.start, s.end, location, attendees))
    return out


def _changed(old: dict[str, SentEvent], new: dict[str, SentEvent], uid: str) -> bool:
    return uid in old and old[uid].fingerprint != new[uid].fingerprint


def _dropped(old: dict[str, SentEvent], new: dict[str, SentEvent], uid: str) -> list[str]:
    still = new[uid].attendees if uid in new else frozenset()
    return sorted(old[uid].attendees - still)


def update_counts(scenario: Scenario, plan: Plan, previous: Plan) -> tuple[int, int]:
    """(events whose SEQUENCE goes up, cancellations sent) when `plan` updates `previous`."""
    old, new = sent_events(scenario, previous), sent_events(scenario, plan)
    return sum(_changed(old, new, u) for u in new), sum(len(_dropped(old, new, u)) for u in old)


def sequences_in(directory: str | Path) -> dict[str, int]:
    """The highest SEQUENCE per UID in the `.ics` files already in `directory`.

    Files that are not calendars are skipped; a SEQUENCE of one of our events that is
    not a whole number in RFC 5545's range (with room for one more) is an InputFileError.
    """
    found: dict[str, int] = {}
    for path in list_folder(directory, "*.ics"):
        data = read_bytes(path)
        try:
            cal = Calendar.from_ical(data)
        except ValueError:
            continue  # not ours or damaged: no sequence information
        for event in cal.walk("VEVENT"):
            uid = str(event.get("uid", ""))
            if uid.endswith("@opr-planner"):
                seq = _sequence(event, path, data)
                found[uid] = max(seq, found.get(uid, 0))
    return found


MAX_SEQUENCE = 2**31 - 1  # RFC 5545: SEQUENCE is an INTEGER, at most 2147483647


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


def _cancel_event(
    scenario: Scenario, sent: SentEvent, sequence: int, stamp: dt.datetime, people: list[str]
) -> Event:
    zone = zoneinfo.ZoneInfo(scenario.timezone)
    event = Event()
    event.add("uid", sent.uid)
    event.add("dtstamp", stamp.astimezone(dt.UTC))
    event.add("sequence", sequence)
    event.add("dtstart", _local(sent.date, sent.start, zone))
    event.add("dtend", _local(sent.date, sent.end, zone))
    cancelled = "Geannuleerd" if lang_of(scenario) == "nl" else "Cancelled"
    event.add("summary", f"{cancelled}: {sent.name} ({sent.review})")
    event.add("status", "CANCELLED")
    if scenario.organiser is not None:
        organiser = vCalAddress(_address(scenario.organiser.email, "organiser"))
        organiser.params["CN"] = vText(scenario.organiser.name)
        event.add("organizer", organiser, encode=False)
    for pid in people:
        p = scenario.participant.get(pid)
        attendee = vCalAddress(_address(p.email if p else None, pid))
        if p is not None:
            attendee.params["CN"] = vText(p.name)
        event.add("attendee", attendee, encode=False)
    return event


def update_calendars(
    scenario: Scenario,
    plan: Plan,
    previous: Plan,
    *,
    sent_sequences: Mapping[str, int] | None = None,
    stamp: dt.datetime | None = None,
) -> dict[str, bytes]:
    """Calendars for `plan` that update those sent for `previous`.

    Changed events (time, place or attendees) get SEQUENCE one higher than was sent;
    unchanged ones keep theirs. A participant who no longer attends a session gets it
    as a cancellation (STATUS:CANCELLED) in their own file, with METHOD:CANCEL when the
    file holds nothing else; sessions that no longer exist are cancelled in all.ics too.
    """
    stamp = stamp or export_stamp()
    sent_sequences = sent_sequences or {}
    old, new = sent_events(scenario, previous), sent_events(scenario, plan)
    sequences = {}
    for uid in new:
        before = sent_sequences.get(uid, 0)
        sequences[uid] = before + 1 if _changed(old, new, uid) else before
    files = ics_calendars(scenario, plan, stamp=stamp, sequences=sequences)

    # Cancellations: per participant, the sessions they attended before and not now.
    cancels: dict[str, list[tuple[dt.date, Event]]] = {}
    gone_everywhere: list[tuple[dt.date, Event]] = []
    for uid in sorted(old):
        sent = old[uid]
        dropped = _dropped(old, new, uid)
        seq = sent_sequences.get(uid, 0) + 1
        for pid in dropped:
            cancels.setdefault(pid, []).append((sent.date, _cancel_event(scenario, sent, seq, stamp, [pid])))
        if uid not in new:
            gone_everywhere.append(
                (sent.date, _cancel_event(scenario, sent, seq, stamp, sorted(sent.attendees)))
            )
    if not cancels and not gone_everywhere:
        return files
    names = participant_filenames(set(cancels) | _members(plan))
    for pid, events in cancels.items():
        current = _events_of(files.get(names[pid]))
        title = scenario.participant[pid].name if pid in scenario.participant else pid
        method = "CANCEL" if not current else "PUBLISH"
        files[names[pid]] = calendar_bytes(scenario, title, [*current, *events], method=method)
    if gone_everywhere:
        current = _events_of(files[ALL_FILE])
        files[ALL_FILE] = calendar_bytes(
            scenario, scenario.name, [*current, *gone_everywhere], method="PUBLISH"
        )
    return files


def _members(plan: Plan) -> set[str]:
    return {m.participant for r in plan.reviews for m in r.members}


def _events_of(data: bytes | None) -> list[tuple[dt.date, Event]]:
    if not data:
        return []
    cal = Calendar.from_ical(data)
    return [(e.decoded("dtstart").date(), e) for e in cal.walk("VEVENT")]


def write_update(
    scenario: Scenario, plan: Plan, previous: Plan, directory: str | Path, *, stamp: dt.datetime | None = None
) -> list[Path]:
    """Write the updating calendars into `directory` (reading the sequences sent before there)."""
    files = update_calendars(scenario, plan, previous, sent_sequences=sequences_in(directory), stamp=stamp)
    written = []
    for name, data in files.items():
        write_atomic(Path(directory) / name, data)
        written.append(Path(directory) / name)
    return written
