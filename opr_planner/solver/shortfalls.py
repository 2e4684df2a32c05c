"""Counting shortfalls: rules that ask for more seats than the participants can fill.

A sum over all reviews shows them without any search: with `composition.board.min: 4`
eight reviews need 32 board seats; 24 board members who may each take part once fill at
most 24. Each participant can fill at most min(max_reviews, the reviews they are a
candidate for) seats; the checks compare that supply with the demand per role, per
group function, for all functions together (a member holds at most one) and for the
group sizes. The wording is shared by `validate` and `solve` (via `infeasible.precheck`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import networkx as nx
import numpy as np

from ..calendar import WorkCalendar
from ..scenario.models import Review, Scenario
from ..wording import Said
from .compile import SolverInput

Finding = tuple[Said, Said]  # (reason, what to relax)


def _capacity(data: SolverInput) -> list[int]:
    """Seats each person can fill: their max_reviews, but no more than the reviews they may join."""
    everyone = [np.array(r.candidates, dtype=np.int64) for r in data.reviews]
    joins = np.bincount(np.concatenate(everyone or [np.empty(0, dtype=np.int64)]), minlength=len(data.people))
    return [min(person.max_reviews, int(n)) for person, n in zip(data.people, joins.tolist(), strict=True)]


def _limits(data: SolverInput, people: list[int]) -> Said:
    """'each at most 1 review' or 'at most 2 reviews each, some fewer' for the people counted."""
    capacity = _capacity(data)
    caps = Counter(capacity[p] for p in people)
    if not people:
        return Said("nobody_role", "there are none")
    if len(caps) == 1:
        (n,) = caps
        return Said("limit_each", f"each at most {n} review{'s' if n != 1 else ''}", n=n)
    parts = [
        Said("limit_part", f"{n} review{'s' if n != 1 else ''} ({k})", n=n, k=k)
        for n, k in sorted(caps.items())
    ]
    return Said("limits", "at most " + ", ".join(parts), items=parts)


def counting_shortfalls(data: SolverInput) -> list[Finding]:
    """Every role, function and group-size demand that the participants cannot supply."""
    capacity = _capacity(data)
    everyone = range(len(data.people))
    reviews = len(data.reviews)
    out: list[Finding] = _too_small_groups(data)
    for role, (lo, _hi) in sorted(data.composition.items()):
        need = lo * reviews
        people = [p for p in everyone if data.people[p].role == role]
        supply = sum(capacity[p] for p in people)
        if need > supply:
            name = data.roles[role]
            said = {
                "need": need,
                "reviews": reviews,
                "lo": lo,
                "role": name,
                "people": len(people),
                "supply": supply,
            }
            limits = _limits(data, people)
            out.append(
                (
                    Said(
                        "role_seats",
                        f"{need} {name} seats are needed ({reviews} reviews x {lo}, rules.composition.{name}.min), "
                        f"but the {len(people)} {name} participants can fill at most {supply} ({limits})",
                        limits=limits,
                        **said,
                    ),
                    Said(
                        "tip_role_seats",
                        f"lower rules.composition.{name}.min, raise max_reviews of {name} participants, "
                        f"or add {name} participants",
                        **said,
                    ),
                )
            )
    total_functions = 0
    for f, k in sorted(data.function_counts.items()):
        need = k * reviews
        total_functions += need
        people = [p for p in everyone if f in data.people[p].functions]
        supply = sum(capacity[p] for p in people)
        if need > supply:
            name = data.functions[f]
            limits = (
                _limits(data, people)
                if people
                else Said("nobody_function", "nobody lists it under functions")
            )
            said = {"need": need, "reviews": reviews, "k": k, "function": name, "people": len(people)}
            out.append(
                (
                    Said(
                        "function_seats",
                        f"{need} {name} seats are needed ({reviews} reviews x {k}, rules.functions.{name}), "
                        f"but the {len(people)} participants who can be {name} can fill at most {supply} ({limits})",
                        supply=supply,
                        limits=limits,
                        **said,
                    ),
                    Said(
                        "tip_function_seats",
                        f"add `{name}` to the functions of more participants, or raise their max_reviews",
                        **said,
                    ),
                )
            )
    if len(data.function_counts) > 1 and not out:
        people = [p for p in everyone if data.people[p].functions & set(data.function_counts)]
        supply = sum(capacity[p] for p in people)
        if total_functions > supply:
            items = [data.functions[f] for f in sorted(data.function_counts)]
            names = Said("and_list", " and ".join(items), items=items)
            out.append(
                (
                    Said(
                        "all_function_seats",
                        f"{total_functions} function seats ({names}) are needed, but the {len(people)} participants "
                        f"who can hold one can fill at most {supply} (each member holds one function at most)",
                        need=total_functions,
                        names=names,
                        people=len(people),
                        supply=supply,
                    ),
                    Said(
                        "tip_all_function_seats",
                        "add functions to more participants, or raise their max_reviews",
                    ),
                )
            )
    need = sum(r.size_min for r in data.reviews)
    supply = sum(capacity)
    if need > supply:
        out.append(
            (
                Said(
                    "seats",
                    f"{need} seats are needed (the group_size.min of every review added up), but the "
                    f"{len(data.people)} participants can fill at most {supply} "
                    "(each at most max_reviews, and only reviews they may join)",
                    need=need,
                    people=len(data.people),
                    supply=supply,
                ),
                Said(
                    "tip_seats",
                    "raise rules.max_reviews_per_participant, lower group_size.min, or add participants",
                ),
            )
        )
    out.extend(_week_shortfall(data))
    return out


def _week_shortfall(data: SolverInput) -> list[Finding]:
    """More reviews than their windows have weeks for (H17): a maximum matching of reviews
    to week places (max_reviews_per_week per ISO week that holds a possible date)."""
    cap, reviews = data.max_per_week, data.reviews
    if not cap or not reviews or any(not r.dates for r in reviews):
        return []  # no limit, or a review without dates (reported on its own)
    weeks = [sorted(set(r.weeks)) for r in reviews]
    if len(set().union(*map(set, weeks))) * cap >= len(reviews) and all(
        len(w) >= len(reviews) for w in weeks
    ):
        return []  # every review alone sees room for all: no shortfall possible
    graph = nx.Graph()
    left = [("review", i) for i in range(len(reviews))]
    graph.add_nodes_from(left, bipartite=0)
    for i, ws in enumerate(weeks):
        graph.add_edges_from((("review", i), ("week", w, j)) for w in ws for j in range(cap))
    placed = len(nx.bipartite.hopcroft_karp_matching(graph, top_nodes=left)) // 2
    if placed >= len(reviews):
        return []
    return [
        (
            Said(
                "weeks",
                f"{len(reviews)} reviews must each take a week of their window, at most {cap} a week "
                f"(rules.max_reviews_per_week), but the windows have room for only {placed}",
                reviews=len(reviews),
                cap=cap,
                placed=placed,
            ),
            Said(
                "tip_weeks",
                "raise rules.max_reviews_per_week, widen review windows (earliest/latest), or plan fewer reviews",
            ),
        )
    ]


def _too_small_groups(data: SolverInput) -> list[Finding]:
    """Reviews whose group_size.max is below the members the composition alone asks for."""
    mins = {role: lo for role, (lo, _hi) in data.composition.items() if lo}
    need = sum(mins.values())
    functions = sum(data.function_counts.values())
    out: list[Finding] = []
    small = [r for r in data.reviews if r.size_max < need]
    if small:
        parts = " + ".join(f"{data.roles[role]} {lo}" for role, lo in sorted(mins.items()))
        ids = [r.id for r in small]
        which = (
            Said("every_review", "every review")
            if len(small) == len(data.reviews)
            else Said("comma_list", ", ".join(ids), items=ids)
        )
        most = min(r.size_max for r in small)
        out.append(
            (
                Said(
                    "groups_too_small",
                    f"the composition asks for at least {need} members per group ({parts}), but group_size.max "
                    f"is {most} for {which}",
                    need=need,
                    parts=parts,
                    max=most,
                    which=which,
                ),
                Said("tip_groups_too_small", "raise group_size.max or lower a rules.composition min"),
            )
        )
    small = [r for r in data.reviews if r.size_max < functions]
    if small:
        most = min(r.size_max for r in small)
        out.append(
            (
                Said(
                    "groups_too_small_functions",
                    f"rules.functions asks for {functions} function holders per group, each a different member, "
                    f"but group_size.max is {most}",
                    functions=functions,
                    max=most,
                ),
                Said("tip_groups_too_small_functions", "raise group_size.max or lower rules.functions"),
            )
        )
    return out


def nearest_possible_dates(scenario: Scenario, cal: WorkCalendar, review: Review) -> list[dt.date]:
    """The possible dates just before and just after a review's `fixed_date` (were it not fixed)."""
    if review.fixed_date is None:
        return []
    fixed = review.fixed_date
    dates = cal.candidate_dates(review.model_copy(update={"fixed_date": None}))
    before = [d for d in dates if d < fixed]
    after = [d for d in dates if d > fixed]
    return [*before[-1:], *after[:1]]


def fixed_date_advice(scenario: Scenario, cal: WorkCalendar, review: Review) -> Said:
    """What to do about a fixed date on which the review cannot take place."""
    near = nearest_possible_dates(scenario, cal, review)
    if near:
        dates = Said("or_list", " or ".join(d.isoformat() for d in near), items=near)
        return Said(
            "tip_move_fixed",
            f"move fixed_date of {review.id} to a possible date (nearest: {dates}), or remove fixed_date",
            review=review.id,
            dates=dates,
        )
    return Said(
        "tip_remove_fixed",
        f"remove fixed_date of {review.id}: no date in its window is possible either",
        review=review.id,
    )
