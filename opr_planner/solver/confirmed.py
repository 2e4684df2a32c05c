"""Confirmed parts of a previous plan (SPEC 5), pinned in the CP-SAT model; the rest is a warm start.

A confirmed review pins three kinds of item: its date, each of its members (with the
functions they hold) and its group as a whole (nobody else joins). A confirmed member pins
only that membership. Every item gets a *keep* literal that enforces it, so a caller can
either require every item (fix the literals) or let some give way (maximise how many hold).
Items that cannot hold at all under the current scenario (a participant who is gone, a
date that is no longer possible) get no literal but a reason.

Also here: the disruption against a previous plan (SPEC 5) as model expressions, and
whether a new plan kept a confirmed item.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from ..calendar import WorkCalendar
from ..evaluate import Evaluation
from ..plan import Plan
from ..scenario.models import Scenario
from ..wording import Said
from .compile import SolverInput
from .model import Lit, PlanModel

Expr = cp_model.LinearExprT


class FreeModel(PlanModel):
    """The plan model without symmetry breaking, with every spacing clause (H15) up front.

    Symmetry breaking makes interchangeable participants join in a fixed order; that is
    harmless when only the objective counts, but wrong when one specific plan must be kept
    (a confirmed member, or fewest changed memberships): the old plan may use the "later"
    of two interchangeable people. Lazy spacing clauses are only checked by `solve_model`,
    but the repair stages solve the model directly and fix what they find.
    """

    def __init__(self, data: SolverInput):
        super().__init__(data, lazy=False)

    def symmetry(self) -> None:
        return


@dataclass(frozen=True, order=True)
class Pin:
    """One confirmed item: a review's date, its group as a whole, or one membership."""

    review: str
    kind: str  # "date" | "group" | "member"
    participant: str = ""
    date: dt.date | None = None  # the confirmed date (date pins)
    functions: tuple[str, ...] = ()  # functions held in a confirmed review (member pins)

    def describe(self, scenario: Scenario) -> str:
        """The item in the coordinator's words."""
        if self.kind == "date":
            return f"the confirmed date {self.date} of {self.review}"
        if self.kind == "group":
            return f"the confirmed group of {self.review} (nobody else joins)"
        p = scenario.participant.get(self.participant)
        who = f"{self.participant} ({p.name})" if p else self.participant
        return f"the confirmed membership of {who} in {self.review}"


@dataclass
class Pinning:
    """The pins of a previous plan in one model: literals for those that can hold."""

    pins: list[Pin]
    keep: dict[Pin, Lit] = field(default_factory=dict)
    impossible: dict[Pin, Said] = field(default_factory=dict)
    joiners: list[Lit] = field(default_factory=list)  # outsiders joining a confirmed group

    def kept(self, kind: str) -> list[Lit]:
        """The keep literals of one kind of pin."""
        return [lit for pin, lit in self.keep.items() if pin.kind == kind]

    def relaxed(self) -> list[tuple[str, cp_model.LinearExprT]]:
        """What to maximise, in order, when not every item can hold: confirmed dates first
        (as moved reviews come before changed memberships), then confirmed memberships
        minus the outsiders who join a confirmed group (so a stand-in joins only where needed)."""
        out: list[tuple[str, cp_model.LinearExprT]] = []
        if self.kept("date"):
            out.append(("confirmed dates kept", sum(self.kept("date"))))
        if self.kept("member") or self.joiners:
            out.append(
                ("confirmed members kept - outsiders joining", sum(self.kept("member")) - sum(self.joiners))
            )
        return out

    def require(self, model: PlanModel, on: bool = True) -> None:
        """Fix every keep literal to 1 (on) or free it again (off), by its domain."""
        for lit in self.keep.values():
            model.m.proto.variables[lit.index].domain[0] = 1 if on else 0


def pins_of(plan: Plan) -> list[Pin]:
    """Every confirmed item of `plan`, in plan order."""
    pins: list[Pin] = []
    for r in plan.reviews:
        if r.confirmed:
            pins.append(Pin(r.id, "date", date=r.date))
            pins.append(Pin(r.id, "group"))
        for m in sorted(r.members, key=lambda m: m.participant):
            if r.confirmed or m.confirmed:
                functions = tuple(m.functions) if r.confirmed else ()
                pins.append(Pin(r.id, "member", m.participant, functions=functions))
    return list(dict.fromkeys(pins))


def add_pins(
    model: PlanModel, data: SolverInput, scenario: Scenario, plan: Plan, calendar: WorkCalendar
) -> Pinning:
    """Add every confirmed item of `plan` to the model, each enforced by its keep literal."""
    m = model.m
    review_index = {r.id: i for i, r in enumerate(data.reviews)}
    person = {p.id: i for i, p in enumerate(data.people)}
    function_index = {f: i for i, f in enumerate(data.functions)}
    old = plan.review
    pinning = Pinning(pins_of(plan))
    for pin in pinning.pins:
        ri = review_index.get(pin.review)
        if ri is None:
            pinning.impossible[pin] = review_gone(pin.review)
            continue
        review = scenario.review[pin.review]
        lit = m.new_bool_var(f"keep_{pin.kind}_{pin.review}_{pin.participant}")
        if pin.kind == "date":
            assert pin.date is not None
            day = pin.date.toordinal()
            if day not in data.reviews[ri].dates:
                why = calendar.date_problem(review, pin.date) or "it is no longer a possible date"
                pinning.impossible[pin] = Said(
                    "date_gone",
                    f"{pin.date} is no longer possible for {pin.review}: {why}",
                    date=pin.date,
                    review=pin.review,
                    why=calendar.date_reason(review, pin.date) or Said("no_longer_possible", why),
                )
                continue
            m.add_implication(lit, model.y[ri][data.reviews[ri].dates.index(day)])
        elif pin.kind == "group":
            members = {person[p] for p in old[pin.review].member_ids if p in person}
            for q, x in sorted(model.x[ri].items()):
                if q not in members:
                    m.add_implication(lit, x.Not())
                    pinning.joiners.append(x)
        else:
            p = person.get(pin.participant)
            if p is None:
                pinning.impossible[pin] = Said(
                    "participant_gone",
                    f"{pin.participant} is no longer a participant of the scenario",
                    participant=pin.participant,
                )
                continue
            if p not in model.x[ri]:
                why = data.excluded[ri].get(p, "is not eligible")
                name = scenario.participant[pin.participant].name
                pinning.impossible[pin] = Said(
                    "member_excluded",
                    f"{pin.participant} ({name}) {why}",
                    participant=pin.participant,
                    name=name,
                    why=Said(f"excluded:{why}", why),
                )
                continue
            m.add_implication(lit, model.x[ri][p])
            for f in pin.functions:
                held = model.fn[ri].get(p, {}).get(function_index.get(f, -1))
                if held is not None:
                    m.add_implication(lit, held)
        pinning.keep[pin] = lit
    return pinning


def review_gone(review: str) -> Said:
    """A confirmed review that the scenario no longer holds."""
    return Said("review_gone", f"review {review} is no longer in the scenario", review=review)


def why_given_way(pin: Pin, scenario: Scenario, pinning: Pinning, before: Evaluation) -> Said:
    """Why a pin could not be kept: its own impossibility, else what the old plan now breaks
    around it (judged under the current scenario), else the combination."""
    if pin in pinning.impossible:
        return pinning.impossible[pin]
    related = [
        v
        for v in before.violations
        if (v.review == pin.review or v.review is None)
        and (pin.kind != "member" or pin.participant in v.participants or not v.participants)
    ]
    if pin.kind == "date":
        related = [v for v in related if v.rule in ("H2", "H13", "H15", "H17")]
    if related:
        broken = [Said("violation", f"{v.rule}: {v.message}", violation=v) for v in related]
        return Said("breaks_now", "the plan as it was now breaks " + "; ".join(broken), items=broken)
    return Said(
        "no_plan_with_it",
        "keeping it as well leaves no plan that obeys every rule together with the other confirmed items",
    )


def carry_confirmed(previous: Plan, plan: Plan, gave_way: set[Pin] | None = None) -> Plan:
    """Copy the `confirmed` flags of `previous` onto `plan` where they still hold.

    A confirmed review stays confirmed when none of its items gave way; otherwise its
    remaining original members keep a member-level `confirmed: true`, so they stay protected.
    """
    gave_way = gave_way or set()
    old = previous.review
    broken = {pin.review for pin in gave_way}
    reviews = []
    for r in plan.reviews:
        o = old.get(r.id)
        if o is None:
            reviews.append(r)
            continue
        review_kept = o.confirmed and r.id not in broken and r.date == o.date
        confirmed = {m.participant for m in o.members if m.confirmed or (o.confirmed and not review_kept)}
        members = [m.model_copy(update={"confirmed": m.participant in confirmed}) for m in r.members]
        reviews.append(r.model_copy(update={"confirmed": review_kept, "members": members}))
    return plan.model_copy(update={"reviews": reviews})


@dataclass(frozen=True)
class Figure:
    """One disruption figure against the old plan: a model expression plus a constant
    that counts what must change whatever the solver does."""

    name: str
    expr: Expr
    constant: int
    upper: int  # the largest value `expr` can take


def disruption_exprs(model: PlanModel, data: SolverInput, old: Plan) -> tuple[Figure, Figure, Figure]:
    """moved_reviews, changed_memberships and changed_functions against `old` (SPEC 5).

    Memberships count both ways: an old member who is out and a newcomer who is in each
    count 1; a review that is new counts its members, a review that is gone its old ones.
    A function counts per (review, function) the larger of holders lost and gained.
    """
    previous = old.review
    person = {p.id: i for i, p in enumerate(data.people)}
    m = model.m
    stay_dates: list[Lit] = []
    moved_const = 0
    member_terms: list[Expr] = []
    changed_const = 0
    function_terms: list[Expr] = []
    functions_upper = 0
    functions_const = 0
    planned = {r.id for r in data.reviews}
    for gone in old.reviews:  # reviews that are gone: every member and function holder changes
        if gone.id not in planned:
            changed_const += len(set(gone.member_ids))
            functions_const += len({(f, mb.participant) for mb in gone.members for f in mb.functions})
    for ri, r in enumerate(data.reviews):
        x = model.x[ri]
        pr = previous.get(r.id)
        if pr is not None:
            day = pr.date.toordinal()
            if day in r.dates:
                stay_dates.append(model.y[ri][r.dates.index(day)])
            else:
                moved_const += 1
        before = {person.get(pid, -1) for pid in (pr.member_ids if pr is not None else ())}
        for pid in sorted(set(pr.member_ids)) if pr is not None else ():
            p = person.get(pid)
            if p is not None and p in x:
                member_terms.append(1 - x[p])
            else:
                changed_const += 1
        member_terms.extend(lit for q, lit in sorted(x.items()) if q not in before)

        holders: dict[str, set[str]] = {}
        for member in pr.members if pr is not None else ():
            for f in member.functions:
                holders.setdefault(f, set()).add(member.participant)
        for f in sorted(set(holders) - {data.functions[fi] for fi in data.function_counts}):
            functions_const += len(holders[f])  # a function the rules no longer have
        for fi in sorted(data.function_counts):
            old_holders = {person.get(pid, -1) for pid in holders.get(data.functions[fi], ())}
            lost: list[Expr] = []
            lost_const = 0
            for q in sorted(old_holders):
                lit = model.fn[ri].get(q, {}).get(fi)
                if lit is None:
                    lost_const += 1
                else:
                    lost.append(1 - lit)
            gained = [
                held[fi] for q, held in sorted(model.fn[ri].items()) if fi in held and q not in old_holders
            ]
            if not lost and not gained:
                functions_const += lost_const
                continue
            top = len(old_holders) + len(gained)
            count = m.new_int_var(0, top, f"changed_fn_{r.id}_{data.functions[fi]}")
            m.add(count >= lost_const + sum(lost))
            m.add(count >= sum(gained))
            function_terms.append(count)
            functions_upper += top
    moved: Expr = len(stay_dates) - sum(stay_dates) if stay_dates else 0
    changed: Expr = sum(member_terms) if member_terms else 0
    functions: Expr = sum(function_terms) if function_terms else 0
    return (
        Figure("moved_reviews", moved, moved_const, len(stay_dates)),
        Figure("changed_memberships", changed, changed_const, len(member_terms)),
        Figure("changed_functions", functions, functions_const, functions_upper),
    )


def shift_expr(model: PlanModel, data: SolverInput, old: Plan) -> Expr:
    """Total days the reviews of `old` move: the tie-breaker after the objective, so that a
    review that must move goes to a date near its old one."""
    previous = old.review
    terms: list[Expr] = []
    for ri, r in enumerate(data.reviews):
        pr = previous.get(r.id)
        if pr is not None:
            day = pr.date.toordinal()
            terms.extend(abs(d - day) * y for d, y in zip(r.dates, model.y[ri]) if d != day)
    return sum(terms) if terms else 0


def held(pin: Pin, old: Plan, new: Plan) -> bool:
    """Whether the new plan keeps a confirmed item of the old one."""
    r = new.review.get(pin.review)
    if r is None:
        return False
    if pin.kind == "date":
        return r.date == pin.date
    if pin.kind == "group":
        return set(r.member_ids) <= set(old.review[pin.review].member_ids)
    return pin.participant in r.member_ids


__all__ = [
    "Expr",
    "Figure",
    "FreeModel",
    "Pin",
    "Pinning",
    "add_pins",
    "carry_confirmed",
    "disruption_exprs",
    "held",
    "pins_of",
    "review_gone",
    "shift_expr",
    "why_given_way",
]
