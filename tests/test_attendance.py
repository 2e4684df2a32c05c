"""Attendance on arrays (solver/attendance.py) agrees with the spec's one-question-at-a-time
functions: `calendar.can_attend` for every candidate and date, `WorkCalendar.candidate_dates`
for every review, and `excluded` names why everyone else is not a candidate."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from opr_planner.calendar import WorkCalendar, can_attend
from opr_planner.scenario.generate import generate
from opr_planner.scenario.load import scenario_from_data
from opr_planner.solver.attendance import can, date_table, dates_of, masks
from opr_planner.solver.compile import compile_scenario


def busy_scenario(seed: int, calendars: str, sessions: list[dict] | None = None) -> object:
    data = generate(
        partnerships=3 + seed % 3,
        regions=5,
        participants_per_partnership=9,
        unaffiliated=4,
        reviews_per_partnership=1 + seed % 2,
        seed=seed,
        calendars=calendars,
    )
    if sessions is not None:
        data["rules"]["sessions"] = sessions
    if seed % 4 == 3:  # a fixed date, inside or outside its window
        review = data["reviews"][0]
        review["fixed_date"] = (
            dt.date.fromisoformat(review["earliest"]) + dt.timedelta(days=(seed % 40) * 3)
        ).isoformat()
        review["latest"] = max(review["latest"], review["fixed_date"])
    return scenario_from_data(data)


OFFSETS = st.lists(st.integers(-40, 40), min_size=0, max_size=3, unique=True)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), busy=st.booleans(), offsets=OFFSETS)
def test_compiled_attendance_is_can_attend(seed: int, busy: bool, offsets: list[int]) -> None:
    sessions = [{"name": "Bezoek", "offset_days": 0, "start": "09:00", "end": "16:00"}]
    sessions += [
        {"name": f"S{o}", "offset_days": o, "start": "15:00", "end": "16:00"} for o in offsets if o != 0
    ]
    scenario = busy_scenario(seed, "busy" if busy else "light", sessions)
    cal = WorkCalendar(scenario)
    data = compile_scenario(scenario, cal)
    for ri, (r, review) in enumerate(zip(data.reviews, scenario.reviews, strict=True)):
        assert [dt.date.fromordinal(d) for d in r.dates] == cal.candidate_dates(review)
        candidates = set(r.candidates)
        for p, person in enumerate(scenario.participants):
            mask = r.available[p]
            if p not in candidates:
                assert mask == 0 and p in data.excluded[ri]
                continue
            assert p not in data.excluded[ri]
            expected = [
                k
                for k, d in enumerate(r.dates)
                if can_attend(scenario, person.id, review, dt.date.fromordinal(d))
            ]
            assert dates_of(mask) == expected and expected
            assert all(can(mask, k) == (k in expected) for k in range(len(r.dates)))


def test_why_people_are_not_candidates() -> None:
    scenario = busy_scenario(5, "busy")
    data = compile_scenario(scenario)
    for ri, (r, review) in enumerate(zip(data.reviews, scenario.reviews, strict=True)):
        for p, why in data.excluded[ri].items():
            person = scenario.participants[p]
            if person.partnership == review.subject:
                assert why == "belongs to the subject"
            elif review.subject in person.conflicts:
                assert why == "declared a conflict with the subject"
            else:
                assert why in ("max_reviews is 0", "unavailable on every possible date")
        assert len(r.candidates) + len(data.excluded[ri]) == len(scenario.participants)


@settings(max_examples=30, deadline=None)
@given(
    st.integers(0, 200).flatmap(
        lambda width: st.lists(st.lists(st.booleans(), min_size=width, max_size=width), max_size=6)
    )
)
def test_bitmasks_and_tables_are_inverse(rows: list[list[bool]]) -> None:
    width = len(rows[0]) if rows else 0
    table = np.array(rows, dtype=bool).reshape(len(rows), width)
    packed = masks(table.T)  # dates x people in, one mask per person out
    assert [dates_of(m) for m in packed] == [[k for k, b in enumerate(row) if b] for row in rows]
    assert (date_table(packed, range(len(rows)), width) == table).all()
