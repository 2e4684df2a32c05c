"""Synthetic but realistic scenarios, deterministic per seed (tests, benchmarks, demos)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

ROLE_SHARES = (
    ("student", 0.30),
    ("school_educator", 0.28),
    ("institute_educator", 0.18),
    ("board", 0.12),
    ("programme_lead", 0.06),
    ("other", 0.06),
)
UNAFFILIATED_ROLES = ("board", "board", "school_educator", "student", "other")
FIRST = ("Anna", "Bram", "Cees", "Daan", "Eva", "Fleur", "Gijs", "Hanna", "Ilse", "Joost", "Kim", "Lars", "Maud", "Noor", "Otto", "Pien", "Quinten", "Roos", "Sem", "Tess", "Umut", "Vera", "Wout", "Yara", "Zoë")
LAST = ("de Boer", "Jansen", "Visser", "Smit", "Meijer", "de Groot", "Bos", "Mulder", "Peters", "Hendriks", "Dekker", "Brouwer", "Vermeulen", "Kok", "Schouten", "Willems", "Hoekstra", "Koster", "Prins", "Verhoeven")
HOLIDAY_REGIONS = ("noord", "midden", "zuid")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


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
) -> dict[str, Any]:
    """Scenario data (`opr-scenario/1`) for `partnerships` partnerships over `regions` regions."""
    rng = random.Random(seed)
    region_ids = [f"regio-{i + 1:02d}" for i in range(regions)]
    data: dict[str, Any] = {
        "format": "opr-scenario/1",
        "name": f"Generated: {partnerships} partnerships, {regions} regions (seed {seed})",
        "language": "nl",
        "timezone": "Europe/Amsterdam",
        "organiser": {"name": "Kwartiermaker", "email": "kwartiermaker@example.org"},
        "calendar": {"start": start.isoformat(), "deadline": deadline.isoformat(), "public_holidays": "NL", "school_holidays": True, "closed": []},
        "regions": [{"id": r, "name": f"Onderwijsregio {i + 1}"} for i, r in enumerate(region_ids)],
    }
    parts = []
    for i in range(partnerships):
        span = rng.randint(2, min(4, regions)) if regions >= 2 else 1
        home = rng.sample(region_ids, span)
        parts.append({"id": f"ps-{i + 1:02d}", "name": f"Partnerschap {i + 1}", "regions": home, "holiday_region": rng.choice(HOLIDAY_REGIONS)})
    data["partnerships"] = parts
    part_ids = [p["id"] for p in parts]

    people: list[dict[str, Any]] = []
    days = (deadline - start).days

    def person(pid: str, role: str, partnership: str | None, region: str, org: str) -> dict[str, Any]:
        p: dict[str, Any] = {"id": pid, "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "email": f"{pid}@example.org", "role": role}
        if partnership:
            p["partnership"] = partnership
        p["region"] = region
        p["organisation"] = org
        if role in ("institute_educator", "board", "programme_lead") and rng.random() < 0.5:
            p["functions"] = ["chair"] if rng.random() < 0.8 else ["chair", "secretary"]
        if rng.random() < 0.15:
            p["max_reviews"] = 1
        if rng.random() < 0.25:
            lo = start + dt.timedelta(days=rng.randrange(max(1, days)))
            p["unavailable"] = [{"from": lo.isoformat(), "to": (lo + dt.timedelta(days=rng.randint(3, 60))).isoformat()}]
        if rng.random() < 0.12:
            p["weekdays"] = sorted(rng.sample(WEEKDAYS, 3), key=WEEKDAYS.index)
        if partnership and rng.random() < 0.04 and len(part_ids) > 2:
            p["conflicts"] = [rng.choice([x for x in part_ids if x != partnership])]
        if rng.random() < 0.12 and len(part_ids) > 1:
            p["prefer_subjects"] = [rng.choice([x for x in part_ids if x != partnership])]
        return p

    for part in parts:
        n = participants_per_partnership
        roles = _roles(n, rng)
        orgs = [f"Stichting {part['name'].split()[-1]}-{k + 1}" for k in range(max(2, n // 5))]
        for k, role in enumerate(roles):
            pid = f"{part['id']}-{k + 1:03d}"
            org = f"Pabo {part['name'].split()[-1]}" if role == "institute_educator" else rng.choice(orgs)
            people.append(person(pid, role, part["id"], rng.choice(part["regions"]), org))
    for k in range(unaffiliated):
        role = UNAFFILIATED_ROLES[k % len(UNAFFILIATED_ROLES)]
        people.append(person(f"los-{k + 1:03d}", role, None, rng.choice(region_ids), f"Stichting Los {k + 1}"))
    ids = [p["id"] for p in people]
    for _ in range(max(1, len(people) // 40)):
        a, b = rng.sample(range(len(people)), 2)
        people[a].setdefault("avoid", []).append(ids[b])
    data["participants"] = people

    reviews = []
    for part in parts:
        for j in range(reviews_per_partnership):
            lo = start + dt.timedelta(days=rng.randrange(max(1, days - 200)))
            hi = min(deadline, lo + dt.timedelta(days=rng.randint(120, 300)))
            suffix = f"-{j + 1}" if reviews_per_partnership > 1 else ""
            reviews.append({"id": f"opr-{part['id']}{suffix}", "subject": part["id"], "earliest": lo.isoformat(), "latest": hi.isoformat(), "location": f"{part['name']}, hoofdlocatie"})
    data["reviews"] = reviews
    k = min_reviews_per_partnership if min_reviews_per_partnership is not None else min(2, max(0, len(reviews) - reviews_per_partnership))
    data["rules"] = {
        "group_size": {"min": 4, "max": 6},
        "composition": {"student": {"min": 1, "max": 2}, "school_educator": {"min": 1}, "institute_educator": {"min": 1}},
        "functions": {"chair": 1},
        "min_partnerships": 2 if partnerships > 2 else 1,
        "max_per_partnership": 3,
        "max_per_organisation": 2,
        "min_regions": 2,
        "min_outside_subject_regions": 1,
        "max_reviews_per_participant": 2,
        "min_days_between_reviews": 28,
        "max_reviews_per_week": 2,
        "min_reviews_per_partnership": k,
        "sessions": [
            {"name": "Voorbereiding", "offset_days": -14, "start": "15:00", "end": "17:00", "location": "online"},
            {"name": "Bezoek", "offset_days": 0, "start": "09:00", "end": "16:00"},
            {"name": "Terugkoppeling", "offset_days": 21, "start": "15:00", "end": "16:30", "location": "online"},
        ],
    }
    return data


def _roles(n: int, rng: random.Random) -> list[str]:
    """Roles in realistic shares, with at least one of each of the first three."""
    roles = ["student", "school_educator", "institute_educator"][: min(n, 3)]
    names = [r for r, _ in ROLE_SHARES]
    weights = [w for _, w in ROLE_SHARES]
    roles += rng.choices(names, weights, k=max(0, n - len(roles)))
    return roles
