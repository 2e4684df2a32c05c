"""Why a scenario has no plan, in the coordinator's words.

Two stages: fast pre-checks per review (eligible people per role and function, possible
dates) catch the common causes before any search; when the solver proves infeasibility
anyway, every rule family is switched on by an assumption literal and the solver's
sufficient set of assumptions is shrunk to a small set of rules that together conflict.
"""

from __future__ import annotations

import time
from collections import Counter

import numpy as np
from ortools.sat.python import cp_model

from ..calendar import WorkCalendar
from ..scenario.models import Scenario
from ..wording import Said
from .compile import SolverInput
from .model import Guard, Lit, PlanModel
from .params import SolveParams, make_cp_solver
from .runner import run_cp_sat
from .shortfalls import counting_shortfalls, fixed_date_advice

Explanation = tuple[list[Said], list[Said]] | tuple[list[Said], list[Said], Said]


def _excluded_summary(data: SolverInput, ri: int, people: list[int], subject: str) -> Said:
    why = Counter(data.excluded[ri].get(p, "") for p in people)
    parts = []
    if n := why["belongs to the subject"]:
        parts.append(Said("excluded_own", f"{n} belong to {subject}", n=n, subject=subject))
    if n := why["declared a conflict with the subject"]:
        parts.append(Said("excluded_conflict", f"{n} declared a conflict with it", n=n))
    if n := why["unavailable on every possible date"]:
        parts.append(Said("excluded_unavailable", f"{n} are unavailable on every possible date", n=n))
    if n := why["max_reviews is 0"]:
        parts.append(Said("excluded_max0", f"{n} have max_reviews 0", n=n))
    return Said("list", "; ".join(parts), items=parts)


def precheck(
    scenario: Scenario, data: SolverInput, calendar: WorkCalendar | None = None
) -> Explanation | None:
    """Common causes found without search; None when nothing obvious is wrong."""
    reasons: list[Said] = []
    tips: list[Said] = []
    cal = calendar or WorkCalendar(scenario)
    # Per-person attributes as arrays: the counts per review below are over thousands of
    # candidates (a Python pass per role and review took 20 s on 10,000 people x 320 reviews).
    people = data.people
    role_of = np.array([p.role for p in people], dtype=np.int64)
    partnership_of = np.array([p.partnership for p in people], dtype=np.int64)
    region_of = np.array([p.region for p in people], dtype=np.int64)
    holds = np.zeros((len(people), max(len(data.functions), 1)), dtype=bool)
    for i, p in enumerate(people):
        holds[i, list(p.functions)] = True
    for ri, (r, review) in enumerate(zip(data.reviews, scenario.reviews)):
        subject = review.subject
        if not r.dates:
            reasons.append(_no_date(scenario, cal, ri))
            if review.fixed_date is not None:
                tips.append(fixed_date_advice(scenario, cal, review))
            else:
                tips.append(
                    Said(
                        "tip_no_date",
                        f"widen the window of {r.id} (earliest/latest), shorten its session offsets, or check calendar.closed",
                        review=r.id,
                    )
                )
            continue
        cands = set(r.candidates)
        at = np.array(r.candidates, dtype=np.int64)
        roles = np.bincount(role_of[at], minlength=len(data.roles))
        functions = holds[at].sum(axis=0)
        everyone = range(len(data.people))
        if len(cands) < r.size_min:
            reasons.append(
                Said(
                    "size_short",
                    f"review {r.id} needs at least {r.size_min} members (group_size.min) but only {len(cands)} participants are "
                    f"independent of {subject} and available in its window",
                    review=r.id,
                    min=r.size_min,
                    have=len(cands),
                    subject=subject,
                )
            )
            tips.append(
                Said(
                    "tip_size_short",
                    f"lower group_size.min for {r.id} or add participants from other partnerships",
                    review=r.id,
                )
            )
        for role, (lo, _hi) in data.composition.items():
            if roles[role] < lo:
                have = [p for p in cands if data.people[p].role == role]
                name = data.roles[role]
                others = [p for p in everyone if data.people[p].role == role and p not in cands]
                detail = _excluded_summary(data, ri, others, subject)
                reasons.append(
                    Said(
                        "role_short_detail" if detail else "role_short",
                        f"review {r.id} needs at least {lo} {name} (rules.composition.{name}.min: {lo}) but only "
                        f"{len(have)} {name} participant(s) are independent of {subject} and available in its window"
                        + (f" (of the others: {detail})" if detail else ""),
                        review=r.id,
                        lo=lo,
                        role=name,
                        have=len(have),
                        subject=subject,
                        detail=detail,
                    )
                )
                tips.append(
                    Said(
                        "tip_role_short",
                        f"lower rules.composition.{name}.min, widen the window of {r.id}, or add {name} participants from other partnerships",
                        role=name,
                        review=r.id,
                    )
                )
        for f, k in data.function_counts.items():
            if functions[f] < k:
                have = [p for p in cands if f in data.people[p].functions]
                name = data.functions[f]
                able = [p for p in everyone if f in data.people[p].functions]
                what = Said(
                    "one_function" if k == 1 else "functions",
                    f"a {name}" if k == 1 else f"{k} {name}s",
                    k=k,
                    function=name,
                )
                said = {"review": r.id, "k": k, "function": name, "subject": subject, "what": what}
                if not able:
                    reasons.append(
                        Said(
                            "function_nobody",
                            f"review {r.id} needs {what} (rules.functions.{name}: {k}) but no participant lists {name} under functions",
                            **said,
                        )
                    )
                elif not have:
                    detail = _excluded_summary(data, ri, able, subject)
                    reasons.append(
                        Said(
                            "function_excluded",
                            f"review {r.id} needs {what} (rules.functions.{name}: {k}) but every participant who can {name} "
                            f"belongs to {subject}, declared a conflict with it, or is unavailable in its window "
                            f"({detail})",
                            detail=detail,
                            **said,
                        )
                    )
                else:
                    reasons.append(
                        Said(
                            "function_short",
                            f"review {r.id} needs {what} (rules.functions.{name}: {k}) but only {len(have)} eligible participant(s) can {name}",
                            have=len(have),
                            **said,
                        )
                    )
                tips.append(
                    Said(
                        "tip_function_short",
                        f"add `functions: [{name}]` to more participants outside {subject}, or lower rules.functions.{name}",
                        **said,
                    )
                )
        parts = set(np.unique(partnership_of[at]).tolist()) - {-1}
        if len(parts) < data.min_partnerships:
            reasons.append(
                Said(
                    "partnerships_short",
                    f"review {r.id} needs members from {data.min_partnerships} partnerships (rules.min_partnerships) but eligible "
                    f"participants come from only {len(parts)}",
                    review=r.id,
                    need=data.min_partnerships,
                    have=len(parts),
                )
            )
            tips.append(Said("tip_lower", "lower rules.min_partnerships", setting="rules.min_partnerships"))
        regions = set(np.unique(region_of[at]).tolist())
        if len(regions) < data.min_regions:
            reasons.append(
                Said(
                    "regions_short",
                    f"review {r.id} needs members from {data.min_regions} regions (rules.min_regions) but eligible participants come from only {len(regions)}",
                    review=r.id,
                    need=data.min_regions,
                    have=len(regions),
                )
            )
            tips.append(Said("tip_lower", "lower rules.min_regions", setting="rules.min_regions"))
        outside = int(np.isin(region_of[at], list(r.subject_regions), invert=True).sum())
        if outside < data.min_outside:
            reasons.append(
                Said(
                    "outside_short",
                    f"review {r.id} needs {data.min_outside} member(s) from outside {subject}'s regions "
                    f"(rules.min_outside_subject_regions) but only {outside} eligible participant(s) are",
                    review=r.id,
                    need=data.min_outside,
                    subject=subject,
                    have=outside,
                )
            )
            tips.append(
                Said(
                    "tip_lower",
                    "lower rules.min_outside_subject_regions",
                    setting="rules.min_outside_subject_regions",
                )
            )
    k = data.min_reviews_per_partnership
    # How many reviews each partnership's participants can join: one pass per review (a
    # pass per partnership and review took 4 s on a national scenario).
    joinable = Counter(
        a
        for r in data.reviews
        for a in np.unique(partnership_of[np.array(r.candidates, dtype=np.int64)]).tolist()
    )
    for a in data.active_partnerships if k else ():
        possible = joinable[a]
        if possible < k:
            name = data.partnerships[a]
            reasons.append(
                Said(
                    "partnership_reviews_short",
                    f"partnership {name} must have members in at least {k} reviews (rules.min_reviews_per_partnership) "
                    f"but its participants can join only {possible}",
                    partnership=name,
                    k=k,
                    have=possible,
                )
            )
            tips.append(
                Said(
                    "tip_partnership_reviews",
                    "lower rules.min_reviews_per_partnership or add reviews / available participants of "
                    + name,
                    partnership=name,
                )
            )
    for reason, tip in counting_shortfalls(data):
        reasons.append(reason)
        tips.append(tip)
    if not reasons:
        return None
    return reasons, list(dict.fromkeys(tips))


def _no_date(scenario: Scenario, cal: WorkCalendar, ri: int) -> Said:
    review = scenario.reviews[ri]
    lo, hi = scenario.window_of(review)
    if review.fixed_date is not None:
        return Said(
            "fixed_impossible",
            f"review {review.id} is fixed on {review.fixed_date}, which is not possible: {cal.date_problem(review, review.fixed_date)}",
            review=review.id,
            date=review.fixed_date,
            why=cal.date_reason(review, review.fixed_date),
        )
    working = cal.working_days(lo, hi, cal.holiday_region(review))
    if working == 0:
        return Said(
            "no_working_day",
            f"review {review.id} has no working day in its window {lo} to {hi} (weekdays, holidays and closed periods exclude every day)",
            review=review.id,
            first=lo,
            last=hi,
        )
    offsets = ", ".join(str(s.offset_days) for s in scenario.sessions_of(review))
    return Said(
        "no_session_fit",
        f"review {review.id} has {working} working days in its window {lo} to {hi}, but on none of them do all its "
        f"sessions (offsets {offsets} days) fall on working days",
        review=review.id,
        working=working,
        first=lo,
        last=hi,
        offsets=offsets,
    )


# -- assumptions --------------------------------------------------------------------------


def _size(data: SolverInput, review: int | None) -> Said:
    if review is None:
        return Said("unknown", "?")
    r = data.reviews[review]
    if r.size_min == r.size_max:
        return Said("size_exact", f"exactly {r.size_min}", n=r.size_min)
    return Said("size_range", f"{r.size_min} to {r.size_max}", lo=r.size_min, hi=r.size_max)


def _word(g: Guard, data: SolverInput) -> tuple[Said, Said]:
    r = data.reviews[g.review].id if g.review is not None else ""
    pair = g.detail.split("|") if g.rule == "H15" else []
    values = {
        "rule": g.rule,
        "review": r,
        "detail": g.detail,
        "size": _size(data, g.review),
        "count": data.function_counts.get(data.functions.index(g.detail), 0)
        if g.detail in data.functions
        else "?",
        "pair": Said("and_list", " and ".join(pair), items=pair),
        "partnerships": data.min_partnerships,
        "per_partnership": data.max_per_partnership,
        "per_organisation": data.max_per_organisation,
        "regions": data.min_regions,
        "outside": data.min_outside,
        "days": data.min_days_between,
        "per_week": data.max_per_week,
        "reviews": data.min_reviews_per_partnership,
    }
    rule = {
        "H2": (f"review {r} must fall on a possible date in its window", f"widen the window of {r}"),
        "H3": (f"review {r} needs {_size(data, g.review)} members (group_size)", "lower group_size.min"),
        "H6": (
            f"review {r} needs its {g.detail} members within rules.composition.{g.detail}",
            f"relax rules.composition.{g.detail}",
        ),
        "H7": (
            f"review {r} needs exactly {data.function_counts.get(data.functions.index(g.detail), 0) if g.detail in data.functions else '?'} {g.detail} (rules.functions.{g.detail})",
            f"add people who can be {g.detail} or lower rules.functions.{g.detail}",
        ),
        "H8": (
            f"review {r} needs members from {data.min_partnerships} partnerships (rules.min_partnerships)",
            "lower rules.min_partnerships",
        ),
        "H9": (
            f"review {r} may have at most {data.max_per_partnership} members per partnership (rules.max_per_partnership)",
            "raise rules.max_per_partnership",
        ),
        "H10": (
            f"review {r} may have at most {data.max_per_organisation} members per organisation (rules.max_per_organisation)",
            "raise rules.max_per_organisation",
        ),
        "H11": (
            f"review {r} needs members from {data.min_regions} regions (rules.min_regions)",
            "lower rules.min_regions",
        ),
        "H12": (
            f"review {r} needs {data.min_outside} member(s) from outside its subject's regions (rules.min_outside_subject_regions)",
            "lower rules.min_outside_subject_regions",
        ),
        "H13": (
            f"members of review {r} must be available on its date (participants' unavailable / weekdays)",
            f"ask more participants to free dates in the window of {r}",
        ),
        "H14": (
            "nobody may be in more reviews than their max_reviews (rules.max_reviews_per_participant)",
            "raise rules.max_reviews_per_participant",
        ),
        "H15": (
            f"reviews {g.detail.replace('|', ' and ')} may share a member only {data.min_days_between} days apart (rules.min_days_between_reviews)",
            "lower rules.min_days_between_reviews or widen the windows",
        ),
        "H16": (f"members of review {r} who avoid each other may not meet (avoid)", "remove an avoid pair"),
        "H17": (
            f"at most {data.max_per_week} reviews per ISO week (rules.max_reviews_per_week)",
            "raise rules.max_reviews_per_week or widen review windows",
        ),
        "H18": (
            f"partnership {g.detail} must have members in {data.min_reviews_per_partnership} reviews (rules.min_reviews_per_partnership)",
            "lower rules.min_reviews_per_partnership",
        ),
    }[g.rule]
    return Said(f"rule_{g.rule}", f"{g.rule}: {rule[0]}", **values), Said(f"tip_{g.rule}", rule[1], **values)


def explain_infeasible(scenario: Scenario, data: SolverInput, *, time_limit: float = 30.0) -> Explanation:
    """A small set of rules that together leave no plan (shrunk from the solver's core)."""
    model = PlanModel(data, explain=True, objective=False)
    deadline = time.perf_counter() + time_limit
    stopped = False  # Ctrl-C: the conflict found so far is reported, not shrunk further

    def conflict(active: list[Lit]) -> list[Lit] | None:
        """Rules among `active` that CP-SAT proved to leave no plan (its sufficient set of
        assumptions, else all of `active`); None when a plan exists or time ran out."""
        nonlocal stopped
        model.m.clear_assumptions()
        model.m.add_assumptions(active)
        budget = max(0.5, min(10.0, deadline - time.perf_counter()))
        solver = make_cp_solver(SolveParams(), budget, workers=1, deterministic=False)
        status, interrupted = run_cp_sat(solver, model.m)
        stopped |= interrupted
        if status == cp_model.MODEL_INVALID:
            raise RuntimeError(f"internal error: CP-SAT rejected the explanation model: {model.m.validate()}")
        if status != cp_model.INFEASIBLE:
            return None
        found = {i for i in solver.sufficient_assumptions_for_infeasibility()}
        return [lit for lit in active if lit.index in found] or list(active)

    core = conflict(model.assumptions)
    if core is None:
        return (
            [
                Said(
                    "no_core",
                    "the rules together leave no plan, but no small set of causes was found in time",
                )
            ],
            [Said("tip_no_core", "relax one rule at a time with `opr-planner sweep`")],
        )
    # Deletion-based shrinking: drop every rule that is not needed for the conflict.
    i = 0
    while i < len(core) and time.perf_counter() < deadline and not stopped:
        smaller = conflict(core[:i] + core[i + 1 :])
        if smaller is not None:
            core = smaller
        else:
            i += 1
    worded = [_word(model.guards[lit.index], data) for lit in sorted(core, key=lambda lit: lit.index)]
    reasons = [w for w, _ in worded]
    intro = Said("intro_core", "No plan is possible: these rules cannot all hold at once:")
    return reasons, list(dict.fromkeys(t for _, t in worded)), intro
