"""compile.py against the rules it prunes by: who can attend a review on which date is
exactly what `calendar.can_attend` (the evaluator's H13) says, on generated calendars."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from helpers import TINY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opr_planner.calendar import WorkCalendar, can_attend
from opr_planner.scenario.load import scenario_from_data
from opr_planner.scenario.types import WEEKDAYS
from opr_planner.solver.compile import compile_scenario

BASE: dict[str, Any] = yaml.safe_load(TINY.read_text(encoding="utf-8"))
FIRST, LAST = dt.date(2028, 1, 10), dt.date(2028, 12, 22)
SPAN = (LAST - FIRST).days

day = st.integers(0, SPAN).map(lambda n: FIRST + dt.timedelta(days=n))
period = st.tuples(day, st.integers(0, 30)).map(
    lambda d: {"from": d[0].isoformat(), "to": min(d[0] + dt.timedelta(days=d[1]), LAST).isoformat()}
)
unavailable = st.lists(st.one_of(day.map(dt.date.isoformat), period), max_size=6)
weekdays = st.one_of(st.none(), st.sets(st.sampled_from(WEEKDAYS[:5]), min_size=1).map(sorted))
person = st.fixed_dictionaries({"unavailable": unavailable, "weekdays": weekdays})
# The visit (offset 0) and up to two sessions before or after it.
offsets = st.lists(st.integers(-21, 21).filter(bool), max_size=2, unique=True).map(lambda o: [0, *o])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    people=st.lists(person, min_size=len(BASE["participants"]), max_size=len(BASE["participants"])),
    offsets=offsets,
)
def test_who_can_come_on_which_date_is_what_can_attend_says(
    people: list[dict[str, Any]], offsets: list[int]
) -> None:
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    for p, calendar in zip(data["participants"], people):
        p.pop("weekdays", None)
        p["unavailable"] = calendar["unavailable"]
        if calendar["weekdays"] is not None:
            p["weekdays"] = calendar["weekdays"]
    data["rules"]["sessions"] = [
        {"name": f"Sessie {i}", "offset_days": o, "start": "09:00", "end": "12:00"}
        for i, o in enumerate(offsets)
    ]
    scenario = scenario_from_data(data)
    cal = WorkCalendar(scenario)
    compiled = compile_scenario(scenario, cal)
    for ri, (r, review) in enumerate(zip(compiled.reviews, scenario.reviews)):
        for p, participant in enumerate(scenario.participants):
            can = {
                k
                for k, d in enumerate(r.dates)
                if can_attend(scenario, participant.id, review, dt.date.fromordinal(d))
            }
            if p in r.available:
                assert r.available[p] == can, (participant.id, review.id)
            elif compiled.excluded[ri][p] == "unavailable on every possible date":
                assert can == set(), (participant.id, review.id)
            else:  # excluded for another reason (independence, max_reviews 0): attendance not computed
                assert compiled.excluded[ri][p] in (
                    "belongs to the subject",
                    "declared a conflict with the subject",
                )
