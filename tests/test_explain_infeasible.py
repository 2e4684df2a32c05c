"""The explanation of an infeasible scenario (solver/infeasible.py): CP-SAT's answers read right."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from helpers import TINY

import opr_planner.solver.infeasible as infeasible
from opr_planner.scenario import Scenario
from opr_planner.scenario.load import scenario_from_data
from opr_planner.solver.compile import compile_scenario
from opr_planner.solver.infeasible import explain_infeasible
from opr_planner.solver.model import PlanModel


def variant(*, no_function: tuple[str, ...] = (), **rules: Any) -> Scenario:
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    data["rules"].update(rules)
    for p in data["participants"]:
        if p["id"] in no_function:
            p.pop("functions", None)
    return scenario_from_data(data)


def test_a_model_cp_sat_rejects_is_an_internal_error_not_a_time_out(tiny: Scenario, monkeypatch: Any) -> None:
    class Invalid(PlanModel):
        def symmetry(self) -> None:
            self.m.new_int_var(1, 0, "empty domain")  # CP-SAT answers MODEL_INVALID

    monkeypatch.setattr(infeasible, "PlanModel", Invalid)
    with pytest.raises(RuntimeError, match="internal error"):
        explain_infeasible(tiny, compile_scenario(tiny), time_limit=5)


def test_explanations_do_not_share_state() -> None:
    """The shrinking keeps CP-SAT's last core between calls; two explanations, one after
    the other, each give what they give alone."""
    no_chair = variant(no_function=("b3", "c3"))  # opr-pa has no independent chair
    crowded = variant(group_size={"min": 8, "max": 8})  # more than tiny's seats allow
    alone = [explain_infeasible(s, compile_scenario(s), time_limit=20) for s in (no_chair, crowded)]
    again = [explain_infeasible(s, compile_scenario(s), time_limit=20) for s in (crowded, no_chair)]
    assert alone == again[::-1]
    assert alone[0] != alone[1]
    assert all(reasons and "no small set" not in reasons[0] for reasons, *_ in alone)
