"""Calendar updates (`export ics --previous OLD_PLAN`): nothing silent, nothing duplicated.

Events are matched by UID, which depends only on the review and the session
(`view.session_uid`), so renaming the scenario, re-ordering reviews or adding people
changes no UID. When the output folder holds calendars sent with older UIDs (that
included the scenario's name), those UIDs are kept.

An event whose attendees would see anything different (time, place, title, text, status,
the group, who chairs) gets SEQUENCE one higher than was sent, and its description starts
with what changed ("Nieuwe datum", "Nieuw lid", "Voorzitter gewijzigd"), in the scenario's
language. What was sent is known from the plan given as OLD_PLAN and, when the folder
holds the calendars written before, from their SEQUENCE and X-OPR-FINGERPRINT (so an
edited session description counts too, and running the same update twice changes
nothing more). Unchanged events keep their SEQUENCE and STATUS.

A participant who no longer attends a session gets a cancellation (STATUS:CANCELLED,
METHOD:CANCEL when their file holds nothing else) that names the review by its
partnership and the session and says why. `CalendarUpdate.recipients` lists, per
personal file, what changed and whether it must be sent again: the re-send list written
as `changes.txt` and `changes.csv` beside the calendars.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from icalendar import Event, vCalAddress, vText

from ..analysis.disruption import ReviewChange, disruption
from ..io.fileio import write_atomic
from ..plan import Plan, PlanReview, PlanSession, SessionDateError, sessions_for
from ..scenario.models import Scenario
from .changes import Recipient, group_reasons, recipients, resend_csv, resend_text
from .i18n import Language, lang_of, long_date, word
from .ics import (
    CalendarEvent,
    _address,
    _local,
    _param,
    calendar_events,
    calendar_files,
    export_stamp,
    participant_filenames,
    session_title,
    set_sequence,
)
from .ics_sent import Sent, read_sent, sequences_in
from .view import legacy_session_uid, session_uid

CHANGES_TEXT = "changes.txt"
CHANGES_CSV = "changes.csv"


# -- the events of the previous plan -----------------------------------------------------------


@dataclass(frozen=True)
class Was:
    """One session event as the previous plan had it (also for reviews and people the
    scenario no longer has: an old plan outlives the scenario it was made for)."""

    uid: str
    review: str
    subject: str
    key: str
    name: str
    date: dt.date
    start: str
    end: str
    location: str | None
    attendees: frozenset[str]
    fingerprint: str | None  # None when the review is no longer in the scenario


def _keyed_sessions(pr: PlanReview, scenario: Scenario) -> list[tuple[str, PlanSession]]:
    if pr.sessions is not None:
        listed = list(pr.sessions)
    else:
        try:
            listed = sessions_for(scenario, pr.id, pr.date) if pr.id in scenario.review else []
        except SessionDateError:
            listed = []
    seen: Counter[str] = Counter()
    out = []
    for s in listed:
        out.append((f"{s.name}#{seen[s.name]}", s))
        seen[s.name] += 1
    return out


def _known(scenario: Scenario, plan: Plan) -> Plan:
    """The plan's reviews the scenario has (first of repeated ones), with members it knows."""
    seen: set[str] = set()
    reviews = []
    for r in plan.reviews:
        if r.id in scenario.review and r.id not in seen:
            seen.add(r.id)
            members = [m for m in r.members if m.participant in scenario.participant]
            reviews.append(r.model_copy(update={"members": members, "backups": []}))
    return plan.model_copy(update={"reviews": reviews})


def _previous_events(
    scenario: Scenario, previous: Plan, uids: Mapping[tuple[str, str], str], stamp: dt.datetime
) -> dict[str, Was]:
    rendered = {
        (e.review, e.key): e for e in calendar_events(scenario, _known(scenario, previous), stamp=stamp)
    }
    out: dict[str, Was] = {}
    for pr in previous.reviews:
        attendees = frozenset(pr.member_ids)
        for key, s in _keyed_sessions(pr, scenario):
            uid = uids.get((pr.id, key)) or session_uid(pr.id, key)
            now = rendered.get((pr.id, key))
            if uid in out:
                continue
            out[uid] = Was(
                uid,
                pr.id,
                pr.subject,
                key,
                s.name,
                s.date,
                s.start,
                s.end,
                now.location if now is not None else s.location,
                attendees,
                now.fingerprint if now is not None else None,
            )
    return out


def _kept_uids(
    scenario: Scenario, plans: Iterable[Plan], sent: Mapping[str, Sent]
) -> dict[tuple[str, str], str]:
    """(review, session key) -> a UID of the older kind that the folder holds for it."""
    names = list(dict.fromkeys([scenario.name, *(p.scenario.name for p in plans if p.scenario.name)]))
    out: dict[tuple[str, str], str] = {}
    for plan in plans:
        for pr in plan.reviews:
            for key, _ in _keyed_sessions(pr, scenario):
                if (pr.id, key) in out or session_uid(pr.id, key) in sent:
                    continue
                for name in names:
                    legacy = legacy_session_uid(name, pr.id, key)
                    if legacy in sent:
                        out[(pr.id, key)] = legacy
                        break
    return out


# -- the update ------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventUpdate:
    """What happens to one event: new, changed (SEQUENCE up), unchanged or cancelled."""

    uid: str
    review: str
    session: str
    date: dt.date
    state: str  # "new" | "changed" | "unchanged" | "cancelled"
    sequence: int
    reasons: tuple[str, ...] = ()  # what changed, in the scenario's language
    joined: frozenset[str] = frozenset()  # attendees who did not have it before
    dropped: frozenset[str] = frozenset()  # attendees who get a cancellation


@dataclass(frozen=True)
class CalendarUpdate:
    """The calendars that update those sent for a previous plan, and what to send to whom."""

    files: dict[str, bytes]  # file name -> calendar (all.ics and one per participant)
    events: tuple[EventUpdate, ...]
    recipients: tuple[Recipient, ...]  # all.ics first, then one per personal file, by participant id
    language: Language = "nl"
    extra: dict[str, bytes] = field(default_factory=dict)  # changes.txt and changes.csv

    @property
    def changed_events(self) -> int:
        return sum(e.state == "changed" for e in self.events)

    @property
    def new_events(self) -> int:
        return sum(e.state == "new" for e in self.events)

    @property
    def cancellations(self) -> int:
        """Cancellations sent to people: one per session per person who no longer attends it."""
        return sum(len(e.dropped) for e in self.events)

    @property
    def to_send(self) -> tuple[Recipient, ...]:
        return tuple(r for r in self.recipients if r.send and r.participant)

    @property
    def personal(self) -> tuple[Recipient, ...]:
        return tuple(r for r in self.recipients if r.participant)


def _event_reasons(
    scenario: Scenario, lang: Language, was: Was, now: CalendarEvent, change: ReviewChange | None
) -> list[str]:
    """What changed in one event, in the attendees' words."""
    out = []
    if was.date != now.date:
        out.append(word(lang, "change_date", new=long_date(now.date, lang), old=long_date(was.date, lang)))
    if (was.start, was.end) != (now.start, now.end):
        out.append(word(lang, "change_time", new=f"{now.start}–{now.end}", old=f"{was.start}–{was.end}"))
    if was.location != now.location:
        nowhere = "—"
        out.append(word(lang, "change_place", new=now.location or nowhere, old=was.location or nowhere))
    if change is not None:
        others = {c.name for c in change.sessions if c.key.split("#")[0] != now.name}
        out += [word(lang, "change_session", session=name) for name in sorted(others)]
        out += group_reasons(scenario, lang, change)
    return out or [word(lang, "change_details")]


def _mark_changed(event: Event, lang: Language, reasons: list[str]) -> None:
    """Put what changed at the top of the event's description."""
    head = "\n".join([word(lang, "changed_head"), *(f"- {r}" for r in reasons)])
    event["DESCRIPTION"] = vText(f"{head}\n\n{event.get('DESCRIPTION', '')}")


def _cancellation(
    scenario: Scenario, was: Was, why: str, sequence: int, stamp: dt.datetime, people: list[str]
) -> Event:
    """A cancellation of one session for `people`, naming the review and saying why."""
    lang = lang_of(scenario)
    zone = zoneinfo.ZoneInfo(scenario.timezone)
    title = session_title(scenario, was.review, was.subject, was.name, lang)
    event = Event()
    event.add("uid", was.uid)
    event.add("dtstamp", stamp.astimezone(dt.UTC))
    event.add("sequence", sequence)
    event.add("dtstart", _local(was.date, was.start, zone))
    event.add("dtend", _local(was.date, was.end, zone))
    event.add("summary", word(lang, "cancelled_summary", title=title))
    if was.location:
        event.add("location", was.location)
    lines = [word(lang, why), "", f"{title}, {long_date(was.date, lang)}, {was.start}–{was.end}"]
    if scenario.organiser is not None:
        email = f" <{scenario.organiser.email}>" if scenario.organiser.email else ""
        lines += ["", word(lang, "contact", who=f"{scenario.organiser.name}{email}")]
    event.add("description", "\n".join(lines))
    event.add("status", "CANCELLED")
    event.add("categories", ["OPR"])
    if scenario.organiser is not None:
        organiser = vCalAddress(_address(scenario.organiser.email, "organiser"))
        organiser.params["CN"] = _param(scenario.organiser.name)
        event.add("organizer", organiser, encode=False)
    for pid in people:
        p = scenario.participant.get(pid)
        attendee = vCalAddress(_address(p.email if p else None, pid))
        if p is not None:
            attendee.params["CN"] = _param(p.name)
        event.add("attendee", attendee, encode=False)
    return event


def _live(
    scenario: Scenario, e: CalendarEvent, was: Was | None, copy: Sent | None, change: ReviewChange | None
) -> EventUpdate:
    """Give one event of the new plan its SEQUENCE (and, when it changed, say what changed)."""
    attendees = frozenset(e.attendees)
    regrouped = was is not None and (was.fingerprint != e.fingerprint or was.attendees != attendees)
    if copy is None:
        seq = 1 if regrouped else 0
    elif copy.fingerprints or copy.cancelled:
        seq = copy.sequence if e.fingerprint in copy.fingerprints else copy.sequence + 1
    else:  # sent by a version that wrote no fingerprints: judge by the plans
        seq = copy.sequence + 1 if regrouped else copy.sequence
    edited = copy is not None and bool(copy.fingerprints) and e.fingerprint not in copy.fingerprints
    changed = was is not None and (regrouped or edited)
    reasons: list[str] = []
    if was is not None and changed:
        lang = lang_of(scenario)
        reasons = _event_reasons(scenario, lang, was, e, change)
        _mark_changed(e.event, lang, reasons)
    set_sequence(e.event, seq)
    state = "new" if was is None else ("changed" if changed else "unchanged")
    joined = attendees - (was.attendees if was is not None else frozenset())
    dropped = (was.attendees - attendees) if was is not None else frozenset()
    return EventUpdate(e.uid, e.review, e.key, e.date, state, seq, tuple(reasons), joined, dropped)


def _cancellations(
    scenario: Scenario,
    plan: Plan,
    before: Mapping[str, Was],
    sent: Mapping[str, Sent],
    live: list[EventUpdate],
    stamp: dt.datetime,
) -> tuple[dict[str, list[tuple[dt.date, Event]]], list[tuple[dt.date, Event]], list[EventUpdate]]:
    """Cancellations per participant, those for all.ics, and the events that are gone."""
    lang = lang_of(scenario)
    update = {u.uid: u for u in live}
    cancelled: dict[str, list[tuple[dt.date, Event]]] = {}
    for_all: list[tuple[dt.date, Event]] = []
    gone: list[EventUpdate] = []
    planned = {r.id for r in plan.reviews}
    for uid in sorted(before, key=lambda u: (before[u].date, u)):
        was = before[uid]
        if uid in update:
            for pid in sorted(update[uid].dropped):
                event = _cancellation(
                    scenario, was, "cancel_not_in_group", update[uid].sequence, stamp, [pid]
                )
                cancelled.setdefault(pid, []).append((was.date, event))
            continue
        copy = sent.get(uid)
        seq = copy.sequence if copy is not None and copy.cancelled else (copy.sequence if copy else 0) + 1
        why = "cancel_session_removed" if was.review in planned else "cancel_review_removed"
        people = sorted(was.attendees)
        for pid in people:
            cancelled.setdefault(pid, []).append(
                (was.date, _cancellation(scenario, was, why, seq, stamp, [pid]))
            )
        for_all.append((was.date, _cancellation(scenario, was, why, seq, stamp, people)))
        reasons = (word(lang, why),)
        gone.append(
            EventUpdate(
                uid, was.review, was.key, was.date, "cancelled", seq, reasons, dropped=frozenset(people)
            )
        )
    return cancelled, for_all, gone


def plan_update(
    scenario: Scenario,
    plan: Plan,
    previous: Plan,
    *,
    sent: Mapping[str, Sent] | None = None,
    stamp: dt.datetime | None = None,
    previous_label: str | None = None,
) -> CalendarUpdate:
    """The calendars for `plan` that update those sent for `previous`, and the re-send list.

    `sent` is what the output folder already holds (`read_sent`); without it, the previous
    plan's calendars are taken to have been sent with SEQUENCE 0. A pure function of its
    arguments (DTSTAMP is `stamp`, or the export time). Raises ExportRefused if `plan`
    names reviews or people the scenario does not know.
    """
    lang = lang_of(scenario)
    stamp = stamp or export_stamp()
    sent = sent or {}
    uids = _kept_uids(scenario, (plan, previous), sent)
    now = calendar_events(scenario, plan, stamp=stamp, uids=uids)
    before = _previous_events(scenario, previous, uids, stamp)
    diff = disruption(previous, plan, scenario).review
    updates = [_live(scenario, e, before.get(e.uid), sent.get(e.uid), diff.get(e.review)) for e in now]
    cancelled, cancelled_for_all, gone = _cancellations(scenario, plan, before, sent, updates, stamp)
    updates += gone
    files = calendar_files(scenario, now, cancelled=cancelled, cancelled_for_all=cancelled_for_all)
    people = {pid for e in now for pid in e.attendees} | set(cancelled)
    listed = recipients(scenario, previous, plan, diff, tuple(updates), participant_filenames(people))
    extra = {
        CHANGES_TEXT: resend_text(scenario, listed, previous_label).encode("utf-8"),
        CHANGES_CSV: resend_csv(scenario, listed),
    }
    return CalendarUpdate(files, tuple(updates), listed, lang, extra)


def update_calendars(
    scenario: Scenario,
    plan: Plan,
    previous: Plan,
    *,
    sent_sequences: Mapping[str, int] | None = None,
    stamp: dt.datetime | None = None,
) -> dict[str, bytes]:
    """The calendar files of `plan_update` (SEQUENCEs sent before per UID, if known)."""
    sent = {uid: Sent(seq, frozenset(), False) for uid, seq in (sent_sequences or {}).items()}
    return plan_update(scenario, plan, previous, sent=sent, stamp=stamp).files


def write_update(
    scenario: Scenario,
    plan: Plan,
    previous: Plan,
    directory: str | Path,
    *,
    stamp: dt.datetime | None = None,
    previous_label: str | None = None,
) -> CalendarUpdate:
    """Write the updating calendars and the re-send list (`changes.txt`, `changes.csv`)
    into `directory`, reading what was sent before from the calendars already there."""
    update = plan_update(
        scenario, plan, previous, sent=read_sent(directory), stamp=stamp, previous_label=previous_label
    )
    folder = Path(directory)
    for name, data in {**update.files, **update.extra}.items():
        write_atomic(folder / name, data)
    return update


__all__ = [
    "CHANGES_CSV",
    "CHANGES_TEXT",
    "CalendarUpdate",
    "EventUpdate",
    "Sent",
    "plan_update",
    "read_sent",
    "sequences_in",
    "update_calendars",
    "write_update",
]
