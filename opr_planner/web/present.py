"""The library's answers as the pages show them, in the page's language.

Nothing here judges or compares: `analysis.compare` judges the plans side by side,
`analysis.disruption` is the one diff of two plans (the same `compare` and `repair`
print), `plan.made_for` says whether a plan was made for these data. This module only
puts their answers into words for the coordinator: names instead of ids, labels
instead of keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..analysis.compare import METRIC_ROWS, Comparison, table_rows
from ..analysis.disruption import Disruption, ParticipantChange, ReviewChange
from ..export.i18n import Language, function_label, metric_name
from ..plan import MadeFor, Plan, made_for
from ..scenario import Scenario


@dataclass(frozen=True)
class Row:
    label: str
    cells: list[str]
    differs: list[bool]  # per cell: differs from the first plan's


def comparison_rows(comparison: Comparison, words: dict[str, str], lang: Language) -> list[Row]:
    """The side-by-side table of `compare`, its row names and words in `lang`."""
    plans = comparison.plans
    rows = []
    for name, cells in table_rows(comparison):
        if name in METRIC_ROWS:
            label = metric_name(lang, name)
        else:
            label = words.get("cmp_" + re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_"), name)
        if name == "solver status":
            cells = [
                words[f"short_status_{p.plan.solver.status if p.plan.solver else 'manual'}"] for p in plans
            ]
        elif name == "made for these data":
            cells = [
                words["made_variant"]
                if p.made_for.same is False and p.plan.solver and p.plan.solver.variant
                else made_for_text(p.made_for, words)
                for p in plans
            ]
        rows.append(Row(label, cells, [i > 0 and c != cells[0] for i, c in enumerate(cells)]))
    return rows


def made_for_text(made: MadeFor, words: dict[str, str]) -> str:
    """ja / nee (ander scenariobestand) / nee (deelnemerslijst gewijzigd) / onbekend."""
    if made.same is None:
        return words["made_unknown"]
    if made.same:
        return words["yes"]
    return words["made_other_file"] if made.scenario_file is False else words["made_other_people"]


def other_data_note(plan: Plan, scenario: Scenario | None, words: dict[str, str]) -> str:
    """A sentence when the plan was made for other data than the folder holds now, else ''."""
    if scenario is None:
        return ""
    made = made_for(plan, scenario)
    if made.same is not False:
        return ""
    if plan.solver is not None and plan.solver.variant:
        return words["made_for_variant"]
    return words["made_for_other_file" if made.scenario_file is False else "made_for_other_people"]


# -- the differences between two plans ------------------------------------------------------


@dataclass(frozen=True)
class Namer:
    """Names for ids, in the page's language: people, reviews, functions."""

    scenario: Scenario | None
    lang: Language

    def person(self, pid: str) -> str:
        p = self.scenario.participant.get(pid) if self.scenario else None
        return p.name if p else pid

    def people(self, ids: tuple[str, ...] | list[str], nobody: str) -> str:
        return ", ".join(self.person(p) for p in ids) or nobody

    def review(self, rid: str) -> str:
        r = self.scenario.review.get(rid) if self.scenario else None
        return self.scenario.review_title(r) if self.scenario and r else rid

    def function(self, function: str) -> str:
        return function_label(function, self.lang)


def review_notes(c: ReviewChange, namer: Namer, words: dict[str, str]) -> list[str]:
    """What changed in one review besides its date and members: functions, sessions,
    confirmation."""
    notes = []
    nobody = words["diff_nobody"]
    for f in c.functions:
        notes.append(
            words["diff_function"].format(
                function=namer.function(f.function).capitalize(),
                old=namer.people(f.old, nobody),
                new=namer.people(f.new, nobody),
            )
        )
    for s in c.sessions:
        key = (
            "diff_session_new"
            if s.old is None
            else "diff_session_dropped"
            if s.new is None
            else "diff_session"
        )
        notes.append(words[key].format(session=s.name))
    if c.confirmed is not None:
        notes.append(words["diff_confirmed" if c.confirmed[1] else "diff_unconfirmed"])
    if c.members_confirmed:
        notes.append(words["diff_members_confirmed"].format(who=namer.people(c.members_confirmed, nobody)))
    if c.members_unconfirmed:
        notes.append(
            words["diff_members_unconfirmed"].format(who=namer.people(c.members_unconfirmed, nobody))
        )
    return notes


def participant_text(p: ParticipantChange, namer: Namer, words: dict[str, str]) -> str:
    """What changed for one participant, in one sentence of parts."""
    parts = [words["diff_into"].format(review=namer.review(r)) for r in p.joined]
    parts += [words["diff_out_of"].format(review=namer.review(r)) for r in p.left]
    parts += [words["diff_moved"].format(review=namer.review(r), old=a, new=b) for r, a, b in p.moved]
    parts += [
        words["diff_gained"].format(function=namer.function(f), review=namer.review(r)) for r, f in p.gained
    ]
    parts += [
        words["diff_lost"].format(function=namer.function(f), review=namer.review(r)) for r, f in p.lost
    ]
    return "; ".join(parts)


@dataclass(frozen=True)
class DiffView:
    """A `Disruption` ready for the template `_diff.html`."""

    disruption: Disruption
    namer: Namer
    words: dict[str, str]

    def notes(self, c: ReviewChange) -> list[str]:
        return review_notes(c, self.namer, self.words)

    def participant(self, p: ParticipantChange) -> str:
        return participant_text(p, self.namer, self.words)


def diff_view(
    disruption: Disruption, scenario: Scenario | None, lang: Language, words: dict[str, str]
) -> DiffView:
    return DiffView(disruption, Namer(scenario, lang), words)


# -- a sweep's table (sweep.report.tradeoff_rows) --------------------------------------------

_FEASIBLE = {"yes": "sweep_yes", "yes*": "sweep_yes_unproven", "no": "sweep_no", "?": "sweep_unknown"}
_COLUMNS = {
    "feasible": "sweep_feasible",
    "objective": "score",
    "people": "sweep_people",
    "seats": "sweep_seats",
}


def sweep_headers(sweep: dict[str, Any], words: dict[str, str]) -> list[str]:
    """The table's column names in words: the varied keys by their labels, then the figures."""
    keys = sweep["keys"]
    out = [words.get(f"field_{key.split('.', 1)[1]}", key) for key in keys]
    for name in sweep["headers"][len(keys) :]:
        if name == "seconds":
            out.append(words["sweep_seconds"])
        else:
            out.append(words[_COLUMNS[name]] if name in _COLUMNS else words.get(f"field_{name}", name))
    return out


def sweep_cell(sweep: dict[str, Any], column: int, cell: Any, words: dict[str, str]) -> str:
    """One cell: the feasibility in words, figures as they are, nothing as '–'."""
    if cell is None:
        return "–"
    if column == len(sweep["keys"]):  # the feasibility column
        return words[_FEASIBLE.get(str(cell), "sweep_error")]
    return str(cell)


def sweep_verdict(sweep: dict[str, Any], words: dict[str, str]) -> str:
    """The sentence above the table: the best variant, a tie, or no comparison across weights
    (as `sweep` says it on the command line)."""
    best = [f"{name}.plan.yaml" for name in sweep["best"]]
    if not best:
        return words["sweep_nothing"]
    if sweep["weighted"]:
        return words["sweep_weighted"]
    plans = sweep["plans"]
    score = sweep["rows"][plans.index(best[0])][len(sweep["keys"]) + 1]
    if len(best) > 1:
        return words["sweep_tie"].format(score=score, names=", ".join(best))
    return words["sweep_best"].format(score=score, names=best[0])
