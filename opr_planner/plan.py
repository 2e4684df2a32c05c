"""The plan (`opr-plan/1`, SPEC section 5): model, reading and atomic writing."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from .errors import PlanError, Problem, SessionDateError
from .io.fileio import write_atomic
from .io.jsonio import load_json
from .io.reader import read_text
from .io.validation import Describer, pydantic_problems, unknown_keys
from .io.yamlio import YamlError, dump_yaml, load_yaml
from .scenario.models import METRICS, Scenario
from .scenario.types import FIRST_YEAR, LAST_YEAR, Day, FreeText, Id, Text, Time, _list

Status = Literal["optimal", "feasible", "manual"]
METRIC_KEYS = (*METRICS, "max_load")


class _Model(BaseModel):
    # Plans may carry fields added by newer tools: unknown keys are reported as warnings.
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class ScenarioRef(_Model):
    name: FreeText | None = None
    sha256: FreeText | None = None  # the scenario file's bytes
    data_sha256: FreeText | None = None  # the scenario file and every participants file it reads


class SolverInfo(_Model):
    status: Status = "manual"
    objective: int | None = None
    bound: int | None = None
    seconds: float | None = None
    seed: int | None = None
    gap: float | None = None
    workers: int | None = None
    version: str | None = None
    # Which alternative or sweep variant this plan is (name, values, ...); absent for a plain solve.
    variant: dict[str, Any] | None = None


class PlanSession(_Model):
    name: Text
    date: Day
    start: Time
    end: Time
    location: FreeText | None = None


class Member(_Model):
    participant: Id
    role: Id
    functions: Annotated[list[Id], BeforeValidator(_list)] = Field(default_factory=list)
    confirmed: bool = False


class Backup(_Model):
    participant: Id
    role: Id


class PlanReview(_Model):
    id: Id
    subject: Id
    date: Day
    sessions: list[PlanSession] | None = None
    members: Annotated[list[Member], BeforeValidator(_list)] = Field(default_factory=list)
    confirmed: bool = False
    backups: Annotated[list[Backup], BeforeValidator(_list)] = Field(default_factory=list)

    @property
    def member_ids(self) -> list[str]:
        return [m.participant for m in self.members]


class Plan(_Model):
    format: Literal["opr-plan/1"]
    scenario: ScenarioRef = ScenarioRef()
    solver: SolverInfo | None = None
    reviews: Annotated[list[PlanReview], BeforeValidator(_list)] = Field(default_factory=list)
    metrics: dict[str, int] | None = None
    objective: int | None = None

    @property
    def review(self) -> dict[str, PlanReview]:
        return {r.id: r for r in self.reviews}


@dataclass(frozen=True)
class MadeFor:
    """Whether a plan was made for a scenario's data as they are now (SPEC 5 fingerprints).

    `scenario_file` compares `sha256` (the scenario file alone); `data` compares
    `data_sha256` (the scenario file and its participants files). None: unknown, the plan
    or the scenario lacks that fingerprint.
    """

    scenario_file: bool | None
    data: bool | None

    @property
    def same(self) -> bool | None:
        """Made for these data: the combined fingerprint decides where both sides have it."""
        if self.data is not None:
            return self.data
        return self.scenario_file

    @property
    def what_changed(self) -> str | None:
        """In words, what differs from the data the plan was made for (None: nothing known)."""
        if self.scenario_file is False:
            return "the scenario file differs"
        if self.data is False:
            return "the participants file differs"
        return None

    @property
    def label(self) -> str:
        """yes / no (variant) / no (participants file differs) / ?, for tables."""
        if self.same is None:
            return "?"
        if self.same:
            return "yes"
        return "no (variant)" if self.scenario_file is False else "no (participants file differs)"


def made_for(plan: Plan, scenario: Scenario) -> MadeFor:
    """Compare the plan's fingerprints with the scenario's as it is now."""

    def same(a: str | None, b: str | None) -> bool | None:
        return None if not a or not b else a == b

    ref = plan.scenario
    return MadeFor(same(ref.sha256, scenario.sha256), same(ref.data_sha256, scenario.data_sha256))


# -- reading ---------------------------------------------------------------------------


def read_plan(path: str | Path) -> tuple[Plan, list[str]]:
    """Read a plan file (YAML or JSON); return it with warnings, or raise PlanError."""
    path = Path(path)
    label = str(path)
    try:
        text, _ = read_text(path)
        if path.suffix.lower() == ".json":
            data, lines = load_json(text, label)
        else:
            data, lines = load_yaml(text, label)
    except YamlError as exc:
        raise PlanError(exc.problems) from None
    if not isinstance(data, dict):
        what = "empty" if data is None else "not a mapping of keys"
        raise PlanError(
            [Problem(label, 1, "", f"the plan file is {what}", "a plan starts with `format: opr-plan/1`")]
        )
    describe = Describer(data, lines)
    warnings = [str(p) for p in unknown_keys(Plan, data, (), describe)]
    try:
        plan = Plan.model_validate(data)
    except ValidationError as exc:
        raise PlanError(pydantic_problems(exc, describe)) from None
    return plan, warnings


# -- building and writing --------------------------------------------------------------


def sessions_for(scenario: Scenario, review_id: str, date: dt.date) -> list[PlanSession]:
    """The concrete sessions of a review held on `date` (SPEC 2.3).

    Raises SessionDateError when a session would fall outside the years 1900-2999 (a
    review date typed near the limits): such a plan breaks H2 and cannot be exported.
    """
    review = scenario.review[review_id]
    out = []
    for s in scenario.sessions_of(review):
        day = date + dt.timedelta(days=s.offset_days)
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise SessionDateError(
                f"review {review_id} on {date.isoformat()}: its session {s.name!r} would fall on "
                f"{day.isoformat()}, outside the years {FIRST_YEAR}-{LAST_YEAR}; correct the review's date"
            )
        out.append(
            PlanSession(
                name=s.name, date=day, start=s.start, end=s.end, location=scenario.location_of(review, s)
            )
        )
    return out


def normalised(plan: Plan, scenario: Scenario) -> Plan:
    """The plan in canonical order: reviews in scenario order, members by participant id."""
    order = {r.id: i for i, r in enumerate(scenario.reviews)}
    reviews = sorted(plan.reviews, key=lambda r: (order.get(r.id, len(order)), r.id))
    return plan.model_copy(
        update={
            "reviews": [
                r.model_copy(update={"members": sorted(r.members, key=lambda m: m.participant)})
                for r in reviews
            ]
        }
    )


def plan_to_data(plan: Plan) -> dict[str, Any]:
    """Plain data in the field order of SPEC section 5 (optional fields only when set)."""
    out: dict[str, Any] = {"format": plan.format, "scenario": _drop_none(plan.scenario.model_dump())}
    if plan.solver is not None:
        out["solver"] = _drop_none(plan.solver.model_dump())
    out["reviews"] = [_review_data(r) for r in plan.reviews]
    if plan.metrics is not None:
        out["metrics"] = {k: plan.metrics[k] for k in METRIC_KEYS if k in plan.metrics}
    if plan.objective is not None:
        out["objective"] = plan.objective
    return out


def _review_data(r: PlanReview) -> dict[str, Any]:
    data: dict[str, Any] = {"id": r.id, "subject": r.subject, "date": r.date.isoformat()}
    if r.confirmed:
        data["confirmed"] = True
    if r.sessions is not None:
        data["sessions"] = [
            _drop_none(
                {
                    "name": s.name,
                    "date": s.date.isoformat(),
                    "start": s.start,
                    "end": s.end,
                    "location": s.location,
                }
            )
            for s in r.sessions
        ]
    members = []
    for m in r.members:
        item: dict[str, Any] = {"participant": m.participant, "role": m.role}
        if m.functions:
            item["functions"] = list(m.functions)
        if m.confirmed:
            item["confirmed"] = True
        members.append(item)
    data["members"] = members
    if r.backups:
        data["backups"] = [{"participant": b.participant, "role": b.role} for b in r.backups]
    return data


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


def plan_text(plan: Plan, *, json_format: bool = False) -> str:
    data = plan_to_data(plan)
    if json_format:
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return dump_yaml(data)


def write_plan(plan: Plan, path: str | Path) -> None:
    """Write the plan atomically; JSON when the path ends in .json, else YAML."""
    path = Path(path)
    write_atomic(path, plan_text(plan, json_format=path.suffix.lower() == ".json"))


def make_plan(
    scenario: Scenario,
    assignment: dict[str, tuple[dt.date, list[tuple[str, list[str]]]]],
    solver: SolverInfo | None,
) -> Plan:
    """A plan with sessions and roles filled in from an assignment; `evaluate.scored` adds
    its metrics and objective (the evaluator's, so that they are right by construction).

    `assignment` maps review id -> (date, [(participant id, functions)]).
    """
    reviews = []
    for review in scenario.reviews:
        if review.id not in assignment:
            continue
        date, members = assignment[review.id]
        reviews.append(
            PlanReview(
                id=review.id,
                subject=review.subject,
                date=date,
                sessions=sessions_for(scenario, review.id, date),
                members=[
                    Member(participant=p, role=scenario.participant[p].role, functions=sorted(f))
                    for p, f in sorted(members)
                ],
            )
        )
    return Plan(
        format="opr-plan/1",
        scenario=ScenarioRef(name=scenario.name, sha256=scenario.sha256, data_sha256=scenario.data_sha256),
        solver=solver,
        reviews=reviews,
    )


__all__ = [
    "Backup",
    "MadeFor",
    "Member",
    "Plan",
    "PlanReview",
    "PlanSession",
    "SolverInfo",
    "made_for",
    "make_plan",
    "read_plan",
    "write_plan",
]
