"""Scale tiers of the benchmark: what to generate, how long to search, what to reach."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

GIB_IN_MIB = 1024


@dataclass(frozen=True)
class Target:
    """One performance target: a name and a check of a result row -> (measured, met)."""

    name: str
    check: Callable[[dict[str, Any]], tuple[str, bool]]


@dataclass(frozen=True)
class Tier:
    name: str
    description: str
    generate: dict[str, Any]  # keyword arguments of opr_planner.scenario.generate.generate (without seed)
    time_limit: float  # seconds of search (before --time-limit-scale)
    targets: tuple[Target, ...] = field(default=())
    # Time limits at which `opr-planner solve` is also run as a user would run it, from
    # Enter to plan written (the time-limit promise), each checked against limit + PROMISE_SLACK.
    promise: tuple[float, ...] = ()


PROMISE_SLACK = 5.0  # seconds a run may take beyond its --time-limit (the target of issue #15)


def proven_optimal_within(limit: float) -> Target:
    def check(row: dict[str, Any]) -> tuple[str, bool]:
        optimal = row.get("status") == "optimal"
        seconds = row.get("seconds")
        measured = f"optimal in {seconds:.1f} s" if optimal and seconds is not None else "not proven optimal"
        return measured, bool(optimal and seconds is not None and seconds < limit)

    return Target(f"proven optimal < {limit:g} s", check)


def gap_within(gap: float, limit: float) -> Target:
    def check(row: dict[str, Any]) -> tuple[str, bool]:
        seconds = row.get("time_to_gap", {}).get(str(gap))
        if seconds is None:
            final = row.get("gap")
            return "not reached" + ("" if final is None else f" (final gap {100 * final:.2f}%)"), False
        return f"reached at {seconds:.1f} s", seconds <= limit

    return Target(f"gap < {100 * gap:g}% within {limit:g} s", check)


def valid_plan_within(limit: float) -> Target:
    def check(row: dict[str, Any]) -> tuple[str, bool]:
        first = row.get("first")
        if first is None and "greedy fallback" in row.get("status", "") and row.get("seconds") is not None:
            first = row["seconds"]  # the greedy plan, returned when the search ends
        if first is None:
            return f"no plan ({row.get('status', '-')})", False
        ok = row.get("valid") == "yes" and first <= limit
        return f"first plan at {first:.1f} s, valid {row.get('valid', '-')}", ok

    return Target(f"valid plan within {limit:g} s", check)


def memory_below(mib: float) -> Target:
    def check(row: dict[str, Any]) -> tuple[str, bool]:
        peak = row.get("peak_mib")
        return ("-" if peak is None else f"{peak:,.0f} MiB"), peak is not None and peak < mib

    return Target(f"peak memory < {mib / GIB_IN_MIB:g} GiB", check)


def valid_plan() -> Target:
    def check(row: dict[str, Any]) -> tuple[str, bool]:
        return f"valid {row.get('valid', '-')}", row.get("valid") == "yes"

    return Target("valid plan", check)


REGIONAL = {"partnerships": 3, "regions": 8, "participants_per_partnership": 22, "unaffiliated": 9}
MEDIUM = {"partnerships": 12, "regions": 14, "participants_per_partnership": 26, "unaffiliated": 18}
NATIONAL = {"partnerships": 80, "regions": 50, "participants_per_partnership": 31, "unaffiliated": 120}
# Busy calendars (opr_planner.scenario.generate.Calendars): 70% list 4-5 unavailable dates
# or ranges, a quarter part-time, 8% conflicts, names shared by different people.
BUSY = {"calendars": "busy"}

TIERS: dict[str, Tier] = {
    t.name: t
    for t in (
        Tier(
            "smoke",
            "3 partnerships, 5 regions, 30 people, 3 reviews (for the test suite)",
            {"partnerships": 3, "regions": 5, "participants_per_partnership": 8, "unaffiliated": 6},
            3.0,
            (valid_plan(),),
            promise=(2.0,),
        ),
        Tier(
            "regional-3",
            "one onderwijsregio: 3 partnerships over 8 regions, 75 people, 3 reviews",
            {**REGIONAL, "reviews_per_partnership": 1},
            10.0,
            (proven_optimal_within(2.0),),
        ),
        Tier(
            "regional-6",
            "the same region with two review rounds: 6 reviews",
            {**REGIONAL, "reviews_per_partnership": 2},
            10.0,
            (proven_optimal_within(2.0),),
        ),
        Tier(
            "medium",
            "several regions together: 12 partnerships, 14 regions, 330 people, 12 reviews",
            MEDIUM,
            30.0,
            (gap_within(0.01, 30.0),),
        ),
        Tier(
            "national",
            "the whole country: 80 partnerships, 50 regions, 2,600 people, 80 reviews",
            NATIONAL,
            120.0,
            (valid_plan_within(30.0), gap_within(0.05, 120.0), memory_below(2 * GIB_IN_MIB)),
        ),
        Tier(
            "regional-busy",
            "regional-6 with calendars as busy as real teachers'",
            {**REGIONAL, "reviews_per_partnership": 2, **BUSY},
            10.0,
            (proven_optimal_within(2.0),),
        ),
        Tier(
            "medium-busy",
            "the medium tier with busy calendars",
            {**MEDIUM, **BUSY},
            30.0,
            (gap_within(0.01, 30.0),),
        ),
        Tier(
            "national-busy",
            "the country with busy calendars: 2,600 people, 80 reviews (the figures of issue #15)",
            {**NATIONAL, **BUSY},
            120.0,
            (
                valid_plan_within(10.0),
                gap_within(0.02, 120.0),
                memory_below(1 * GIB_IN_MIB),
            ),
            promise=(5.0, 30.0, 120.0),
        ),
        Tier(
            "national-4x",
            "every sector of the country: 320 partnerships, 50 regions, 10,320 people, 320 reviews, busy",
            {
                "partnerships": 320,
                "regions": 50,
                "participants_per_partnership": 31,
                "unaffiliated": 400,
                **BUSY,
            },
            120.0,
            (valid_plan_within(120.0), memory_below(2 * GIB_IN_MIB)),
            promise=(120.0,),
        ),
    )
}
GROUPS = {
    "regional": ("regional-3", "regional-6", "regional-busy"),
    "busy": ("regional-busy", "medium-busy", "national-busy", "national-4x"),
    "all": (
        "regional-3",
        "regional-6",
        "medium",
        "national",
        "regional-busy",
        "medium-busy",
        "national-busy",
        "national-4x",
    ),
}
DEFAULT_TIERS = "all"
GAPS = (0.01, 0.02, 0.05)  # the gaps whose first time is recorded (targets use these)


def select(spec: str) -> list[Tier]:
    """'regional,medium' -> the tiers, in the order given; groups expand; unknown names fail."""
    names: list[str] = []
    for word in (w.strip() for w in spec.split(",")):
        if not word:
            continue
        expanded = GROUPS.get(word, (word,))
        for name in expanded:
            if name not in TIERS:
                known = ", ".join([*TIERS, *GROUPS])
                raise ValueError(f"unknown tier {name!r}; known: {known}")
            if name not in names:
                names.append(name)
    return [TIERS[n] for n in names]
