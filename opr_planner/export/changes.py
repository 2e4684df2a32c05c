"""The re-send list of a calendar update: per personal calendar, what changed and whether
it must be sent again, in the scenario's language (`changes.txt` and `changes.csv`).

The coordinator sends only the files that changed: a participant whose events are all
as they were is listed as unchanged, not to be sent. What changed is worded per review
("Nieuw in ...", "Niet meer in ...", "OPR Partnerschap A: Nieuwe datum ...; Nieuw lid ...").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..analysis.disruption import ReviewChange
from ..plan import Plan
from ..scenario.models import Scenario
from .i18n import Language, function_label, lang_of, long_date, word

if TYPE_CHECKING:
    from .ics_update import EventUpdate

ALL_FILE = "all.ics"


@dataclass(frozen=True)
class Recipient:
    """One calendar file and whether it must be sent again."""

    participant: str | None  # None for all.ics, the coordinator's overview
    name: str
    email: str | None
    file: str
    send: bool
    changes: tuple[str, ...]  # what changed for them, one line per review


def review_label(scenario: Scenario, review_id: str, subject: str, lang: Language) -> str:
    """The review's name, or 'OPR <partnership name>' (also for a review no longer planned)."""
    review = scenario.review.get(review_id)
    if review is not None and review.name:
        return review.name
    partnership = scenario.partnership.get(review.subject if review is not None else subject)
    name = (partnership.name or partnership.id) if partnership is not None else subject
    return f"{word(lang, 'opr')} {name}"


def _names(scenario: Scenario, ids: Iterable[str]) -> str:
    return ", ".join(scenario.participant[p].name if p in scenario.participant else p for p in ids)


def group_reasons(scenario: Scenario, lang: Language, change: ReviewChange) -> list[str]:
    """What changed in a review's group, functions, sessions and confirmation, in words."""
    out = [word(lang, "change_joined", who=_names(scenario, [p])) for p in change.joined]
    out += [word(lang, "change_left", who=_names(scenario, [p])) for p in change.left]
    nobody = word(lang, "nobody")
    for f in change.functions:
        label = function_label(f.function, lang)
        out.append(
            word(
                lang,
                "change_function",
                function=label[:1].upper() + label[1:],
                new=_names(scenario, f.new) or nobody,
                old=_names(scenario, f.old) or nobody,
            )
        )
    if change.confirmed is not None:
        out.append(word(lang, "change_confirmed" if change.confirmed[1] else "change_unconfirmed"))
    # Members marked confirmed when their group changed (carry_confirmed) is bookkeeping:
    # worth a line only when nothing else changed.
    if change.members_confirmed and not out:
        out.append(word(lang, "change_accepted", who=_names(scenario, change.members_confirmed)))
    return out


def _review_lines(
    scenario: Scenario,
    lang: Language,
    pid: str,
    old: Plan,
    new: Plan,
    diff: Mapping[str, ReviewChange],
    changed: set[str],
) -> list[str]:
    """What changed for one participant, one line per review, in scenario order."""
    before, after = old.review, new.review
    order = [r.id for r in scenario.reviews] + [r.id for r in new.reviews] + [r.id for r in old.reviews]
    lines = []
    for rid in dict.fromkeys(order):
        a, b = before.get(rid), after.get(rid)
        was = a is not None and pid in a.member_ids
        now = b is not None and pid in b.member_ids
        if not was and not now:
            continue
        subject = (b or a).subject  # type: ignore[union-attr]
        title = review_label(scenario, rid, subject, lang)
        if now and not was:
            lines.append(word(lang, "resend_joined", title=title, date=long_date(b.date, lang)))  # type: ignore[union-attr]
        elif was and not now:
            lines.append(word(lang, "resend_left", title=title))
        elif rid in changed:
            c = diff.get(rid)
            reasons = []
            if c is not None and c.moved and c.old_date and c.new_date:
                reasons.append(
                    word(
                        lang, "change_date", new=long_date(c.new_date, lang), old=long_date(c.old_date, lang)
                    )
                )
            if c is not None:
                reasons += [word(lang, "change_session", session=s.name) for s in c.sessions]
                reasons += group_reasons(scenario, lang, c)
            reasons = reasons or [word(lang, "change_details")]
            lines.append(word(lang, "resend_review", title=title, changes="; ".join(reasons)))
    return lines


def recipients(
    scenario: Scenario,
    old: Plan,
    new: Plan,
    diff: Mapping[str, ReviewChange],
    events: Sequence[EventUpdate],
    files: Mapping[str, str],
) -> tuple[Recipient, ...]:
    """all.ics first, then every personal file (`files`: participant id -> file name) by id."""
    lang = lang_of(scenario)
    touched: dict[str, set[str]] = {}  # participant -> reviews whose events changed for them
    for e in events:
        if e.state == "changed":
            attendees = set(new.review[e.review].member_ids) if e.review in new.review else set()
            for pid in attendees:
                touched.setdefault(pid, set()).add(e.review)
        for pid in e.joined | e.dropped:
            touched.setdefault(pid, set()).add(e.review)
    out = [
        Recipient(
            None,
            "",
            None,
            ALL_FILE,
            any(e.state != "unchanged" for e in events),
            (),
        )
    ]
    for pid in sorted(files):
        person = scenario.participant.get(pid)
        reviews = touched.get(pid, set())
        lines = _review_lines(scenario, lang, pid, old, new, diff, reviews) if reviews else []
        out.append(
            Recipient(
                pid,
                person.name if person else pid,
                person.email if person else None,
                files[pid],
                bool(reviews),
                tuple(lines),
            )
        )
    return tuple(out)


def resend_text(scenario: Scenario, listed: Sequence[Recipient], previous: str | None = None) -> str:
    """The re-send list as plain text: the files to send with what changed, then the rest."""
    lang = lang_of(scenario)
    personal = [r for r in listed if r.participant]
    send = [r for r in personal if r.send]
    lines = [word(lang, "resend_title", name=scenario.name)]
    if previous:
        lines.append(word(lang, "resend_intro", previous=previous))
    lines.append("")
    if send:
        lines += [word(lang, "resend_count", send=len(send), total=len(personal)), ""]
        for r in send:
            email = f" <{r.email}>" if r.email else ""
            lines.append(f"{r.file} — {r.name}{email}")
            lines += [f"  - {change}" for change in r.changes]
    else:
        lines.append(word(lang, "resend_none"))
    if any(r.send for r in listed if r.participant is None):
        lines += ["", word(lang, "resend_all")]
    rest = [r.file for r in personal if not r.send]
    if rest:
        lines += ["", word(lang, "resend_unchanged", count=len(rest), files=", ".join(rest))]
    return "\n".join(lines) + "\n"


def resend_csv(scenario: Scenario, listed: Sequence[Recipient]) -> bytes:
    """The re-send list as a spreadsheet for Dutch Excel: UTF-8 with BOM, ';', one row per file."""
    lang = lang_of(scenario)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            word(lang, "participant"),
            word(lang, "name"),
            word(lang, "email"),
            word(lang, "resend_file"),
            word(lang, "resend_send"),
            word(lang, "resend_what"),
        ]
    )
    for r in listed:
        writer.writerow(
            [
                r.participant or "",
                r.name,
                r.email or "",
                r.file,
                word(lang, "yes" if r.send else "no"),
                " | ".join(r.changes),
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


__all__ = ["Recipient", "group_reasons", "recipients", "resend_csv", "resend_text", "review_label"]
