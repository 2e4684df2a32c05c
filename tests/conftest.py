"""Fixtures shared by the tests (the helpers they use live in helpers.py)."""

from __future__ import annotations

import pytest
from helpers import TINY, TINY_PLAN

from opr_planner.plan import Plan, read_plan
from opr_planner.scenario import Scenario, load_scenario


@pytest.fixture(scope="session")
def tiny() -> Scenario:
    """tests/data/tiny.yaml: the conformance scenario (3 partnerships, 4 regions, 18 people)."""
    return load_scenario(TINY)


@pytest.fixture(scope="session")
def tiny_plan() -> Plan:
    """tests/data/tiny.plan.yaml: the kit's valid plan of tiny.yaml (objective: helpers.VALID_OBJECTIVE)."""
    plan, warnings = read_plan(TINY_PLAN)
    assert warnings == []
    return plan
