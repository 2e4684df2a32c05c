"""Calendars (iCalendar, RFC 5545): one for everyone, one per member.

`ics_calendars` is a pure function of (scenario, plan) apart from DTSTAMP, which is
the export time (or SOURCE_DATE_EPOCH, for reproducible files) unless a `stamp` is
passed. One VEVENT per session; times are local times of the scenario's timezone
with a TZID and a matching VTIMEZONE, so every calendar program shows them right.

UIDs come from `session_uid` (review id, session name): what the event is, never the
scenario's name or file, nor the order of reviews or participants. The same session keeps
its UID in every export of every plan, so importing a newer export updates events instead
of duplicating them. SEQUENCE is 0 unless the caller passes a higher number per UID (for
updates of calendars already sent, see `ics_update`). Every event carries
X-OPR-FINGERPRINT, a digest of what its attendees see, so that an update can tell from the
calendars already sent whether an event changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from icalendar import Calendar, Event, Timezone, vCalAddress, vInt, vText

from .. import __version__
from ..io.fileio import write_atomic
from ..plan import Plan
from ..scenario.models import Participant, Scenario
from .i18n import Language, function_label, lang_of, long_date, role_label, word
from .view import (
    ReviewView,
    SessionView,
    partnership_name,
    region_name,
    review_views,
    session_uid,
    subject_name,
)

ALL_FILE = "all.ics"
FINGERPRINT = "X-OPR-FINGERPRINT"
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,119}")
# Names Windows reserves for devices, also with an extension ("con.ics" cannot be created there).
_RESERVED = {
    "all",
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


def export_stamp() -> dt.datetime:
    """The DTSTAMP of an export: SOURCE_DATE_EPOCH when set (reproducible builds), else now (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def participant_filename(participant_id: str, *, hashed: bool = False) -> str:
    """`<participant id>.ics`, or a safe name with a hash for ids unfit as file names.

    Ids with path separators, spaces or other odd characters, the id `all` (which
    would overwrite all.ics), names Windows reserves (con, nul, ...) and ids that
    clash on case-insensitive disks get `<cleaned id>-<8 hex digits>.ics`.
    """
    # Windows reserves a device name with any extension too: nul.txt.ics, Prn.ics.ics.
    reserved = participant_id.split(".")[0].lower() in _RESERVED
    if not hashed and _SAFE_ID.fullmatch(participant_id) and not reserved:
        return f"{participant_id}.ics"
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", participant_id).strip("._-")[:60] or "participant"
    if "." in slug and slug.split(".")[0].lower() in _RESERVED:
        slug = f"_{slug}"  # "nul.txt-<hash>.ics" would still be the device nul
    digest = hashlib.sha256(participant_id.encode()).hexdigest()[:8]
    return f"{slug}-{digest}.ics"


def participant_filenames(participant_ids: Iterable[str]) -> dict[str, str]:
    """File name per participant id, unique even on case-insensitive file systems."""
    ids = sorted(set(participant_ids))
    folded: dict[str, int] = {}
    for pid in ids:
        key = participant_filename(pid).lower()
        folded[key] = folded.get(key, 0) + 1
    return {
        pid: participant_filename(pid, hashed=folded[participant_filename(pid).lower()] > 1) for pid in ids
    }


def _address(email: str | None, participant_id: str) -> str:
    """A calendar address: the e-mail address, or a URN naming the participant when there is none."""
    if email:
        return f"mailto:{email}"
    return f"urn:x-opr-planner:participant:{quote(participant_id, safe='')}"


def _param(text: str) -> vText:
    """A parameter value (CN) or a title: one line (RFC 5545 allows no line break in a parameter)."""
    return vText(" ".join(text.split()))


def _local(day: dt.date, hhmm: str, zone: dt.tzinfo) -> dt.datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def _member_line(scenario: Scenario, member: Participant, functions: Iterable[str], lang: Language) -> str:
    parts = [member.name, role_label(scenario, member.role, lang)]
    parts += [function_label(f, lang) for f in functions]
    parts.append(
        f"{partnership_name(scenario, member.partnership, lang)}, {region_name(scenario, member.region)}"
    )
    return " — ".join(parts)


def describe(scenario: Scenario, view: ReviewView, session: SessionView, lang: Language) -> str:
    """The DESCRIPTION of one session: the review, what to do, all its sessions, the chair,
    the group and whom to contact."""
    subject = subject_name(scenario, view)
    lines = [word(lang, "opr_long", subject=subject)]
    if view.review.name:
        lines.append(view.review.name)
    lines.append(
        word(lang, "session_of", index=session.index + 1, count=len(view.sessions), session=session.name)
    )
    if session.description:
        lines += ["", f"{word(lang, 'todo')}: {session.description}"]
    lines += ["", f"{word(lang, 'sessions')}:"]
    for s in view.sessions:
        where = f" ({s.location})" if s.location else ""
        lines.append(f"- {s.name}: {long_date(s.date, lang)}, {s.start}–{s.end}{where}")
    chairs = ", ".join(m.participant.name for m in view.chairs) or "—"
    lines += ["", f"{word(lang, 'chair')}: {chairs}", "", f"{word(lang, 'group')}:"]
    lines += [f"- {_member_line(scenario, m.participant, m.functions, lang)}" for m in view.members]
    lines += ["", f"{word(lang, 'subject')}: {subject} ({view.review.subject})"]
    lines.append(f"{word(lang, 'review_id')}: {view.id}")
    contact = _contact(scenario, view, lang)
    if contact:
        lines += ["", contact]
    return "\n".join(lines)


def summary(scenario: Scenario, view: ReviewView, session: SessionView, lang: Language) -> str:
    """The event's title: 'OPR <subject>: <session>', or '<review name>: <session>' for a named review."""
    return session_title(scenario, view.id, view.review.subject, session.name, lang)


def session_title(scenario: Scenario, review_id: str, subject: str, session: str, lang: Language) -> str:
    """'OPR <partnership name>: <session>', or '<review name>: <session>' for a named review;
    also for a review the scenario no longer has (then by the partnership it was about)."""
    review = scenario.review.get(review_id)
    if review is not None and review.name:
        return f"{review.name}: {session}"
    partnership = scenario.partnership.get(review.subject if review is not None else subject)
    name = (partnership.name or partnership.id) if partnership is not None else subject
    return word(lang, "summary", subject=name, session=session)


def _contact(scenario: Scenario, view: ReviewView, lang: Language) -> str:
    """Whom to contact with questions or when one cannot come: the organiser, else the chair."""
    if scenario.organiser is not None:
        email = f" <{scenario.organiser.email}>" if scenario.organiser.email else ""
        return word(lang, "contact", who=f"{scenario.organiser.name}{email}")
    if view.chairs:
        chair = view.chairs[0].participant
        email = f" <{chair.email}>" if chair.email else ""
        return word(lang, "contact_chair", who=f"{chair.name}{email}")
    return ""


def session_event(
    scenario: Scenario,
    view: ReviewView,
    session: SessionView,
    *,
    stamp: dt.datetime,
    sequence: int = 0,
    status: str | None = None,
    uid: str | None = None,
) -> Event:
    """One VEVENT for one session of a review, with its fingerprint (`event_fingerprint`).

    `status` defaults to CONFIRMED for a review marked `confirmed` in the plan and
    TENTATIVE otherwise; pass CANCELLED to withdraw an event sent before. `uid` defaults
    to `session_uid` (an update may keep the UID a calendar was sent with).
    """
    lang = lang_of(scenario)
    zone = zoneinfo.ZoneInfo(scenario.timezone)
    event = Event()
    event.add("uid", uid or session_uid(view.id, session.key))
    event.add("dtstamp", stamp.astimezone(dt.UTC))
    event.add("sequence", sequence)
    event.add("dtstart", _local(session.date, session.start, zone))
    event.add("dtend", _local(session.date, session.end, zone))
    event.add("summary", summary(scenario, view, session, lang))
    if session.location:
        event.add("location", session.location)
    event.add("description", describe(scenario, view, session, lang))
    event.add("status", status or ("CONFIRMED" if view.confirmed else "TENTATIVE"))
    event.add("categories", ["OPR"])
    if scenario.organiser is not None:
        organiser = vCalAddress(_address(scenario.organiser.email, "organiser"))
        organiser.params["CN"] = _param(scenario.organiser.name)
        event.add("organizer", organiser, encode=False)
    for member in view.members:
        attendee = vCalAddress(_address(member.participant.email, member.id))
        attendee.params["CN"] = _param(member.participant.name)
        attendee.params["CUTYPE"] = "INDIVIDUAL"
        attendee.params["ROLE"] = "CHAIR" if "chair" in member.functions else "REQ-PARTICIPANT"
        attendee.params["PARTSTAT"] = "ACCEPTED" if member.confirmed else "NEEDS-ACTION"
        attendee.params["X-OPR-ROLE"] = member.role
        event.add("attendee", attendee, encode=False)
    event.add(FINGERPRINT, event_fingerprint(event))
    return event


def event_fingerprint(event: Event) -> str:
    """A digest of everything the attendees see of an event: times, title, place, text,
    status and attendees with their roles; not DTSTAMP, SEQUENCE or our own X-OPR- lines."""
    skip = (b"DTSTAMP", b"SEQUENCE", b"X-OPR-", b"BEGIN:", b"END:")
    lines = [line for line in event.to_ical().splitlines() if not line.startswith(skip)]
    return hashlib.sha256(b"\n".join(lines)).hexdigest()[:24]


def set_sequence(event: Event, sequence: int) -> None:
    """Give an event another SEQUENCE, in place (its position in the event is kept)."""
    event["SEQUENCE"] = vInt(sequence)


@dataclass(frozen=True)
class CalendarEvent:
    """One session event of a plan, with what identifies it and who receives it."""

    uid: str
    review: str
    key: str  # the session's key within the review (its name and occurrence)
    name: str  # the session's name
    date: dt.date
    start: str
    end: str
    location: str | None
    attendees: tuple[str, ...]  # participant ids
    event: Event

    @property
    def fingerprint(self) -> str:
        return str(self.event[FINGERPRINT])


def calendar_events(
    scenario: Scenario,
    plan: Plan,
    *,
    stamp: dt.datetime | None = None,
    uids: Mapping[tuple[str, str], str] | None = None,
) -> list[CalendarEvent]:
    """Every session of the plan as an event (SEQUENCE 0), reviews in scenario order.

    `uids` maps (review id, session key) to a UID to keep instead of `session_uid`.
    Raises ExportRefused if the plan names unknown reviews or people.
    """
    stamp = stamp or export_stamp()
    uids = uids or {}
    out = []
    for view in review_views(scenario, plan):
        for session in view.sessions:
            uid = uids.get((view.id, session.key)) or session_uid(view.id, session.key)
            event = session_event(scenario, view, session, stamp=stamp, uid=uid)
            attendees = tuple(m.id for m in view.members)
            out.append(
                CalendarEvent(
                    uid,
                    view.id,
                    session.key,
                    session.name,
                    session.date,
                    session.start,
                    session.end,
                    session.location,
                    attendees,
                    event,
                )
            )
    return out


def calendar_files(
    scenario: Scenario,
    events: list[CalendarEvent],
    *,
    cancelled: Mapping[str, list[tuple[dt.date, Event]]] | None = None,
    cancelled_for_all: list[tuple[dt.date, Event]] | None = None,
) -> dict[str, bytes]:
    """`all.ics` with every event and one file per attendee with theirs.

    `cancelled` adds cancellations to a participant's file (METHOD:CANCEL when it holds
    nothing else); `cancelled_for_all` adds cancellations of sessions that no longer exist
    to all.ics.
    """
    lang = lang_of(scenario)
    cancelled = cancelled or {}
    everyone: list[tuple[dt.date, Event]] = [(e.date, e.event) for e in events]
    personal: dict[str, list[tuple[dt.date, Event]]] = {}
    for e in events:
        for pid in e.attendees:
            personal.setdefault(pid, []).append((e.date, e.event))
    title = word(lang, "calendar_all", name=scenario.name)
    gone_for_all = list(cancelled_for_all or [])
    method = "PUBLISH" if gone_for_all else None
    files = {ALL_FILE: calendar_bytes(scenario, title, everyone + gone_for_all, method=method)}
    for pid, filename in participant_filenames([*personal, *cancelled]).items():
        person = scenario.participant.get(pid)
        title = word(lang, "calendar_person", person=person.name if person else pid)
        live, gone = personal.get(pid, []), list(cancelled.get(pid, []))
        method = ("PUBLISH" if live else "CANCEL") if gone else None
        files[filename] = calendar_bytes(scenario, title, live + gone, method=method)
    return files


def calendar_bytes(
    scenario: Scenario, title: str, events: list[tuple[dt.date, Event]], *, method: str | None = None
) -> bytes:
    """A VCALENDAR with the events and one VTIMEZONE covering the years they fall in."""
    cal = Calendar()
    cal.add("prodid", f"-//opr-planner//opr-planner {__version__}//{lang_of(scenario).upper()}")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", _param(title))  # an X- property is not escaped unless it is a vText
    cal.add("x-wr-timezone", scenario.timezone)
    if events:
        years = [day.year for day, _ in events]
        cal.add_component(
            Timezone.from_tzid(
                scenario.timezone,
                first_date=dt.date(min(years), 1, 1),
                last_date=dt.date(max(years) + 1, 1, 1),
            )
        )
    for _, event in events:
        cal.add_component(event)
    return cal.to_ical()


def ics_calendars(
    scenario: Scenario,
    plan: Plan,
    *,
    stamp: dt.datetime | None = None,
    sequences: Mapping[str, int] | None = None,
) -> dict[str, bytes]:
    """Every calendar of the plan: `all.ics` and `<participant id>.ics` per member.

    `sequences` maps a UID to its SEQUENCE (default 0). Raises ExportRefused if the plan
    names unknown reviews or people. Updates of calendars already sent: `ics_update`.
    """
    events = calendar_events(scenario, plan, stamp=stamp)
    for e in events:
        if sequences and sequences.get(e.uid):
            set_sequence(e.event, sequences[e.uid])
    return calendar_files(scenario, events)


def write_ics(
    scenario: Scenario,
    plan: Plan,
    directory: str | Path,
    *,
    stamp: dt.datetime | None = None,
    sequences: Mapping[str, int] | None = None,
) -> list[Path]:
    """Write every calendar into `directory`, each file atomically; return the paths written."""
    files = ics_calendars(scenario, plan, stamp=stamp, sequences=sequences)
    directory = Path(directory)
    written = []
    for name, data in files.items():
        write_atomic(directory / name, data)
        written.append(directory / name)
    return written
