"""Synthetic but realistic scenarios, deterministic per seed (tests, benchmarks, demos).

`generate` builds scenario data (`opr-scenario/1`); `scenario_yaml` and
`participants_csv` turn it into file text, byte for byte the same for the same
arguments. Everything random comes from one `random.Random(seed)`, drawn in a fixed
order, so the same seed always gives the same scenario.

What makes the data realistic (shares per participant unless said otherwise):
roles in the shares of ROLE_SHARES; partnerships span 2–4 neighbouring regions and
take the school-holiday region of the first; every partnership has a student, a school
and an institute educator; no two people share a name; institute educators of a partnership work at its pabo;
chairs among institute educators, board members and programme leads; 15% at most one
review, 6% (programme leads and board members) up to three; 25% away for a period,
10% on a few single dates; 12% only on three weekdays; 4% a conflict and 12% a
preference, mostly with a neighbouring partnership; one `avoid` pair per 40 people;
an exam week per year for everyone and a study week per year for one holiday region.

Those are the *light* calendars (the default, kept byte for byte for the old benchmark
tiers and examples). `calendars="busy"` (or a `Calendars` value) draws people as busy as
real teachers' calendars (issue #15, measured on a national scenario): 70% list
unavailable dates, 4-5 items each on average (single days and ranges of a few days to a
few weeks, now and then a leave of months), a quarter work only on some weekdays, 8%
declare a conflict, 15% a preference, one `avoid` pair per 25 people, and names drawn
freely from common first and last names, so that at national size many different people
share a name (never with the same organisation, or the same region and role: that would
look like one person listed twice).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from dataclasses import dataclass
from typing import Any

from ..io.yamlio import dump_yaml
from .csvfile import COLUMNS as CSV_COLUMNS

ROLE_SHARES = (
    ("student", 0.30),
    ("school_educator", 0.28),
    ("institute_educator", 0.18),
    ("board", 0.12),
    ("programme_lead", 0.06),
    ("other", 0.06),
)
UNAFFILIATED_ROLES = ("board", "board", "school_educator", "student", "other")


def _words(text: str) -> tuple[str, ...]:
    """'a | b c | d' -> ('a', 'b c', 'd'): long word lists written compactly."""
    return tuple(w.strip() for w in text.split("|"))


FIRST = _words(
    "Anna | Bram | Cees | Daan | Eva | Fleur | Gijs | Hanna | Ilse | Joost | Kim | Lars | Maud | Noor | "
    "Otto | Pien | Quinten | Roos | Sem | Tess | Umut | Vera | Wout | Yara | Zoë | Ahmed | Bas | Charlotte | "
    "Dewi | Emma | Fatima | Gerrit | Hidde | Iris | Jesse | Karin | Lotte | Mees | Nadia | Olivier | "
    "Priya | Rik | Sanne | Thijs | Ruben | Vincent | Willemijn | Yusuf | Zeynep"
)
LAST = _words(
    "de Boer|Jansen|Visser|Smit|Meijer|de Groot|Bos|Mulder|Peters|Hendriks|Dekker|Brouwer|"
    "Vermeulen|Kok|Schouten|Willems|Hoekstra|Koster|Prins|Verhoeven|van Dijk|Bakker|"
    "van den Berg|de Vries|El Amrani|Yilmaz|Kramer|van Leeuwen|Postma|Wijaya|Huisman|"
    "Dijkstra|Sahin|Bosman|van der Linden|Gerritsen|Kuipers|Boersma|Veenstra|Martens"
)
PLACES = _words(
    "Utrecht|Eemland|Gooi|Rijnmond|Twente|Drenthe|Haaglanden|Zeeland|Brabant-Oost|"
    "Limburg-Zuid|Friesland|Achterhoek|Kennemerland|Veluwe|Flevoland|Groningen|Betuwe|"
    "Holland-Midden|West-Brabant|IJssel-Vecht"
)
HOLIDAY_REGIONS = ("noord", "midden", "zuid")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


@dataclass(frozen=True)
class Calendars:
    """How busy participants' calendars are: shares are per participant."""

    unavailable_share: float = 0.70  # list unavailable dates
    unavailable_items: float = 4.5  # items each of them lists, on average
    range_share: float = 0.40  # of those items, date ranges (the rest single days)
    part_time_share: float = 0.25  # attend only on 2-4 weekdays
    conflict_share: float = 0.08
    prefer_share: float = 0.15
    people_per_avoid: int = 25  # one avoid pair per this many people
    common_names: bool = True  # different people may share a name

    def __post_init__(self) -> None:
        shares = (self.unavailable_share, self.range_share, self.part_time_share)
        if not all(0.0 <= x <= 1.0 for x in (*shares, self.conflict_share, self.prefer_share)):
            raise ValueError("calendar shares must lie between 0 and 1")
        if not 0.0 <= self.unavailable_items <= 100 or self.people_per_avoid < 1:
            raise ValueError("unavailable_items must lie in 0..100 and people_per_avoid be >= 1")


CALENDARS: dict[str, Calendars | None] = {"light": None, "busy": Calendars()}


def generate(
    *,
    partnerships: int = 3,
    regions: int = 8,
    participants_per_partnership: int = 22,
    unaffiliated: int = 8,
    reviews_per_partnership: int = 1,
    seed: int = 0,
    start: dt.date = dt.date(2027, 1, 4),
    deadline: dt.date = dt.date(2029, 12, 31),
    min_reviews_per_partnership: int | None = None,
    calendars: str | Calendars | None = None,
) -> dict[str, Any]:
    """Scenario data (`opr-scenario/1`) for `partnerships` partnerships over `regions` regions.

    `calendars`: "light" or None (the default), "busy", or a `Calendars` value.
    """
    if isinstance(calendars, str):
        if calendars not in CALENDARS:
            raise ValueError(f"calendars must be one of {', '.join(CALENDARS)}, not {calendars!r}")
        calendars = CALENDARS[calendars]
    busy = calendars
    if partnerships < 1 or regions < 1 or participants_per_partnership < 0 or unaffiliated < 0:
        raise ValueError("need at least one partnership and one region, and no negative counts")
    if reviews_per_partnership < 0 or deadline < start:
        raise ValueError("reviews_per_partnership must be >= 0 and the deadline on or after the start")
    rng = random.Random(seed)
    region_ids = [f"regio-{i + 1:02d}" for i in range(regions)]
    # Regions are laid out on a line (north to south); neighbours share a holiday region.
    zone = {r: HOLIDAY_REGIONS[i * len(HOLIDAY_REGIONS) // regions] for i, r in enumerate(region_ids)}
    data: dict[str, Any] = {
        "format": "opr-scenario/1",
        "name": f"Generated: {partnerships} partnerships, {regions} regions (seed {seed})",
        "language": "nl",
        "timezone": "Europe/Amsterdam",
        "organiser": {"name": "Kwartiermaker", "email": "kwartiermaker@example.org"},
        "calendar": {
            "start": start.isoformat(),
            "deadline": deadline.isoformat(),
            "public_holidays": "NL",
            "school_holidays": True,
            "closed": _closed_periods(start, deadline, rng),
        },
        "regions": [{"id": r, "name": f"Onderwijsregio {_place(i)}"} for i, r in enumerate(region_ids)],
    }
    # Keep most regions outside any one partnership, so that H12 can be met.
    widest = min(4, max(2, regions // 2), regions - 1) if regions >= 3 else regions
    parts: list[dict[str, Any]] = []
    for i in range(partnerships):
        span = rng.randint(min(2, widest), widest)
        centre = rng.randrange(regions)
        near = region_ids[max(0, centre - 2) : centre + 3]
        home = sorted(rng.sample(near, min(span, len(near))))
        place = _place(i)
        parts.append(
            {
                "id": f"ps-{i + 1:02d}",
                "name": f"Samen Opleiden {place}",
                "regions": home,
                "holiday_region": zone[home[0]],
            }
        )
    data["partnerships"] = parts
    part_ids = [p["id"] for p in parts]
    neighbours = {
        p["id"]: [q["id"] for q in parts if q["id"] != p["id"] and set(q["regions"]) & set(p["regions"])]
        for p in parts
    }
    people: list[dict[str, Any]] = []
    days = (deadline - start).days
    used_names: set[str] = set()
    used_with: set[tuple[str, ...]] = set()  # (name, organisation) and (name, region, role)

    def name(role: str, region: str, org: str) -> str:
        """A name nobody else has (light calendars), or, with common names, one that nobody
        of the same organisation, or the same region and role, has."""
        if busy is not None and busy.common_names:
            for _ in range(100):
                full = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                if (full, org) not in used_with and (full, region, role) not in used_with:
                    break
            else:
                full = f"{full} {len(used_with) + 1}"
            used_with.update({(full, org), (full, region, role)})
            return full
        for attempt in range(60):
            full = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if attempt >= 20:  # crowded: add an initial
                first, _, last = full.partition(" ")
                full = f"{first} {chr(ord('A') + rng.randrange(26))}. {last}"
            if full not in used_names:
                break
        else:
            full = f"{full} {len(used_names) + 1}"
        used_names.add(full)
        return full

    def other_partnership(own: str | None) -> str:
        """Mostly a neighbour of `own` (they know each other), else any other partnership."""
        near = neighbours.get(own or "", [])
        if near and rng.random() < 0.7:
            return rng.choice(near)
        return rng.choice([x for x in part_ids if x != own])

    def _busy_calendar(p: dict[str, Any], c: Calendars, partnership: str | None) -> dict[str, Any]:
        """Unavailable dates, weekdays, conflicts and preferences as busy as real calendars."""
        if rng.random() < c.unavailable_share:
            spread = rng.uniform(-1.5, 1.5)
            items: list[tuple[dt.date, dt.date]] = []
            for _ in range(max(1, int(c.unavailable_items + spread + 0.5))):
                lo = start + dt.timedelta(days=rng.randrange(max(1, days)))
                if rng.random() < c.range_share:
                    kind = rng.random()  # a course or a week away; a holiday; now and then a leave
                    length = (
                        rng.randint(2, 7)
                        if kind < 0.7
                        else rng.randint(8, 21)
                        if kind < 0.95
                        else rng.randint(30, 90)
                    )
                    items.append((lo, min(deadline, lo + dt.timedelta(days=length - 1))))
                else:
                    items.append((lo, lo))
            p["unavailable"] = [
                lo.isoformat() if lo == hi else {"from": lo.isoformat(), "to": hi.isoformat()}
                for lo, hi in sorted(set(items))
            ]
        if rng.random() < c.part_time_share:
            p["weekdays"] = sorted(rng.sample(WEEKDAYS, rng.choice((2, 3, 3, 4))), key=WEEKDAYS.index)
        if partnership and rng.random() < c.conflict_share and len(part_ids) > 2:
            p["conflicts"] = [other_partnership(partnership)]
        if rng.random() < c.prefer_share and len(part_ids) > 1:
            p["prefer_subjects"] = [other_partnership(partnership)]
        return p

    def person(pid: str, role: str, partnership: str | None, region: str, org: str) -> dict[str, Any]:
        p: dict[str, Any] = {
            "id": pid,
            "name": name(role, region, org),
            "email": f"{pid}@example.org",
            "role": role,
        }
        if partnership:
            p["partnership"] = partnership
        p["region"] = region
        p["organisation"] = org
        if role in ("institute_educator", "board", "programme_lead") and rng.random() < 0.5:
            p["functions"] = ["chair"] if rng.random() < 0.8 else ["chair", "secretary"]
        draw = rng.random()
        if draw < 0.15:
            p["max_reviews"] = 1
        elif draw < 0.21 and role in ("board", "programme_lead"):
            p["max_reviews"] = 3
        if busy is not None:
            return _busy_calendar(p, busy, partnership)
        unavailable: list[Any] = []
        if rng.random() < 0.25:
            lo = start + dt.timedelta(days=rng.randrange(max(1, days)))
            unavailable.append(
                {"from": lo.isoformat(), "to": (lo + dt.timedelta(days=rng.randint(3, 60))).isoformat()}
            )
        if rng.random() < 0.10:
            singles = {
                start + dt.timedelta(days=rng.randrange(max(1, days))) for _ in range(rng.randint(1, 3))
            }
            unavailable.extend(d.isoformat() for d in sorted(singles))
        if unavailable:
            p["unavailable"] = unavailable
        if rng.random() < 0.12:
            p["weekdays"] = sorted(rng.sample(WEEKDAYS, 3), key=WEEKDAYS.index)
        if partnership and rng.random() < 0.04 and len(part_ids) > 2:
            p["conflicts"] = [other_partnership(partnership)]
        if rng.random() < 0.12 and len(part_ids) > 1:
            p["prefer_subjects"] = [other_partnership(partnership)]
        return p

    for i, part in enumerate(parts):
        n = participants_per_partnership
        roles = _roles(n, rng)
        place = _place(i)
        orgs = [f"Stichting {place} {k + 1}" for k in range(max(2, n // 5))]
        for k, role in enumerate(roles):
            pid = f"{part['id']}-{k + 1:03d}"
            org = f"Pabo {place}" if role == "institute_educator" else rng.choice(orgs)
            people.append(person(pid, role, part["id"], rng.choice(part["regions"]), org))
    # Boards and schools outside any partnership are found first where no partnership is.
    uncovered = [r for r in region_ids if not any(r in part["regions"] for part in parts)]
    for k in range(unaffiliated):
        role = UNAFFILIATED_ROLES[k % len(UNAFFILIATED_ROLES)]
        region = uncovered[k] if k < len(uncovered) else rng.choice(region_ids)
        people.append(person(f"los-{k + 1:03d}", role, None, region, f"Stichting Los {k + 1}"))
    if len(people) >= 2:
        ids = [p["id"] for p in people]
        per_avoid = 40 if busy is None else busy.people_per_avoid
        for _ in range(max(1, len(people) // per_avoid)):
            a, b = rng.sample(range(len(people)), 2)
            if ids[b] not in people[a].get("avoid", []):
                people[a].setdefault("avoid", []).append(ids[b])
    data["participants"] = people

    reviews = []
    for part in parts:
        for j in range(reviews_per_partnership):
            lo = start + dt.timedelta(days=rng.randrange(max(1, days - 200)))
            hi = min(deadline, lo + dt.timedelta(days=rng.randint(120, 300)))
            suffix = f"-{j + 1}" if reviews_per_partnership > 1 else ""
            reviews.append(
                {
                    "id": f"opr-{part['id']}{suffix}",
                    "subject": part["id"],
                    "earliest": lo.isoformat(),
                    "latest": hi.isoformat(),
                    "location": f"{part['name']}, hoofdlocatie",
                }
            )
    data["reviews"] = reviews
    k = (
        min_reviews_per_partnership
        if min_reviews_per_partnership is not None
        else min(2, max(0, len(reviews) - reviews_per_partnership))
    )
    data["rules"] = {
        "group_size": {"min": 4, "max": 6},
        "composition": {
            "student": {"min": 1, "max": 2},
            "school_educator": {"min": 1},
            "institute_educator": {"min": 1},
        },
        "functions": {"chair": 1},
        "min_partnerships": 2 if partnerships > 2 else 1,
        "max_per_partnership": 3,
        "max_per_organisation": 2,
        "min_regions": min(2, regions),
        "min_outside_subject_regions": 1 if regions >= 3 else 0,
        "max_reviews_per_participant": 2,
        "min_days_between_reviews": 28,
        "max_reviews_per_week": max(2, -(-len(reviews) // 40)),  # a national office plans more a week
        "min_reviews_per_partnership": k,
        "sessions": [
            {
                "name": "Voorbereiding",
                "offset_days": -14,
                "start": "15:00",
                "end": "17:00",
                "location": "online",
            },
            {"name": "Bezoek", "offset_days": 0, "start": "09:00", "end": "16:00"},
            {
                "name": "Terugkoppeling",
                "offset_days": 21,
                "start": "15:00",
                "end": "16:30",
                "location": "online",
            },
        ],
    }
    return data


def _place(i: int) -> str:
    """A unique place name for the i-th partnership or region."""
    base = PLACES[i % len(PLACES)]
    return base if i < len(PLACES) else f"{base} {i // len(PLACES) + 1}"


def _closed_periods(start: dt.date, deadline: dt.date, rng: random.Random) -> list[dict[str, Any]]:
    """Per school year: an exam week in January for everyone, a study week in April for one
    holiday region (school holidays themselves come from `calendar.school_holidays`)."""
    out = []
    for year in range(start.year, deadline.year + 1):
        exam = dt.date.fromisocalendar(year, 4, 1)
        study = dt.date.fromisocalendar(year, 15, 1)
        region = rng.choice(HOLIDAY_REGIONS)
        for name, lo, hi, holiday_region in (
            (f"Toetsweek {year}", exam, exam + dt.timedelta(days=4), None),
            (f"Studieweek {year} {region}", study, study + dt.timedelta(days=4), region),
        ):
            if lo > deadline or hi < start:
                continue
            period = {"name": name, "from": max(lo, start).isoformat(), "to": min(hi, deadline).isoformat()}
            if holiday_region:
                period["holiday_region"] = holiday_region
            out.append(period)
    return out


def _roles(n: int, rng: random.Random) -> list[str]:
    """Roles in realistic shares, with at least one of each of the first three."""
    roles = ["student", "school_educator", "institute_educator"][: min(n, 3)]
    names = [r for r, _ in ROLE_SHARES]
    weights = [w for _, w in ROLE_SHARES]
    roles += rng.choices(names, weights, k=max(0, n - len(roles)))
    return roles


# -- file text ------------------------------------------------------------------------------


def scenario_yaml(data: dict[str, Any], *, header: str = "") -> str:
    """The scenario as YAML text, after an optional comment header (each line gets '# ')."""
    comment = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    return comment + ("\n" if comment else "") + dump_yaml(data)


def participants_csv(participants: list[dict[str, Any]]) -> str:
    """Participants as a CSV (SPEC 2.2): one column per key, lists joined by '|', date
    ranges written `from..to`, empty cell for an absent key."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for p in participants:
        writer.writerow([_csv_cell(p.get(col)) for col in CSV_COLUMNS])
    return buffer.getvalue()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "|".join(_csv_cell(v) for v in value)
    if isinstance(value, dict):  # a date range
        return f"{value['from']}..{value['to']}"
    return str(value)


def with_participants_file(data: dict[str, Any], filename: str) -> dict[str, Any]:
    """The scenario data with its participants replaced by `participants_file: filename`."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key == "participants":
            out["participants_file"] = filename
        else:
            out[key] = value
    return out
