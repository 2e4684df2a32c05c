"""The connection network: its pairs match the evaluator, its figures and layout are stable."""

from __future__ import annotations

import pytest
from helpers import KIT

from opr_planner.analysis.network import (
    ORGANISATION,
    PARTNERSHIP,
    REGION,
    connection_graph,
    layout,
    meetings,
    network_figures,
)
from opr_planner.evaluate import evaluate
from opr_planner.plan import Plan, read_plan
from opr_planner.scenario import Scenario

PLANS = sorted(p.name for p in KIT.glob("*.plan.yaml"))


@pytest.mark.parametrize("name", PLANS)
def test_pairs_have_the_sizes_the_evaluator_reports(tiny: Scenario, name: str) -> None:
    plan, _ = read_plan(KIT / name)
    meet = meetings(tiny, plan)
    metrics = evaluate(tiny, plan).metrics
    assert len(meet.visits) == metrics["partnership_links"]
    assert len(meet.co_members) == metrics["co_member_links"]
    assert len(meet.region_pairs) == metrics["region_links"]
    assert len(meet.included) == metrics["inclusion"]
    assert len(meet.preferred) == metrics["preferences"]


def test_graph_nodes_and_edges(tiny: Scenario, tiny_plan: Plan) -> None:
    graph = connection_graph(tiny, tiny_plan)
    kinds = {n[0] for n in graph}
    assert kinds == {PARTNERSHIP, REGION, ORGANISATION}
    assert {n[1] for n in graph if n[0] == PARTNERSHIP} == {"pa", "pb", "pc"}
    assert {n[1] for n in graph if n[0] == REGION} == {"r-a", "r-b", "r-c", "r-d"}
    # u1 and u2 share "Stichting Los"; u3 has no organisation and stands for herself.
    assert {graph.nodes[n]["label"] for n in graph if n[0] == ORGANISATION} == {"Stichting Los", "Roos U"}
    assert graph.edges[(PARTNERSHIP, "pa"), (REGION, "r-a")]["kind"] == "in"
    edge = graph.edges[(PARTNERSHIP, "pc"), (PARTNERSHIP, "pa")]
    assert edge["kind"] == "meets" and "visit" in edge["how"] and "opr-pa" in edge["reviews"]
    assert graph.edges[(REGION, "r-a"), (REGION, "r-d")]["kind"] == "regions"


def test_figures_of_a_fully_connected_plan(tiny: Scenario, tiny_plan: Plan) -> None:
    f = network_figures(tiny, tiny_plan)
    assert (f.partnerships, f.partnership_pairs, f.partnership_pairs_meeting) == (3, 3, 3)
    assert f.partnership_share == 1.0
    assert (f.regions, f.region_pairs, f.region_pairs_meeting) == (4, 6, 6)
    assert f.components == 1 and f.isolated == ()
    assert f.organisations == 2


def test_figures_when_the_network_falls_apart(tiny: Scenario, tiny_plan: Plan) -> None:
    """Only opr-pc kept, with members from pb alone: pa meets nobody."""
    review = tiny_plan.reviews[2]
    members = [m for m in review.members if m.participant.startswith("b")]
    plan = tiny_plan.model_copy(update={"reviews": [review.model_copy(update={"members": members})]})
    f = network_figures(tiny, plan)
    assert f.partnership_pairs_meeting == 1  # pb visits pc
    assert f.isolated == ("pa",)
    assert f.components == 2
    assert f.partnership_share == pytest.approx(1 / 3)


def test_layout_is_fixed_by_the_seed_and_fits_the_unit_square(tiny: Scenario, tiny_plan: Plan) -> None:
    graph = connection_graph(tiny, tiny_plan)
    first, second = layout(graph, seed=0), layout(connection_graph(tiny, tiny_plan), seed=0)
    assert first == second
    assert set(first) == set(graph)
    assert all(0.0 <= x <= 1.0 and 0.0 <= y <= 1.0 for x, y in first.values())


def test_unknown_reviews_and_people_are_ignored_like_the_evaluator_does(
    tiny: Scenario, tiny_plan: Plan
) -> None:
    extra = tiny_plan.reviews[0].model_copy(update={"id": "opr-unknown"})
    review = tiny_plan.reviews[1]
    stranger = review.members[0].model_copy(update={"participant": "zz9"})
    plan = tiny_plan.model_copy(update={"reviews": [*tiny_plan.reviews, extra]})
    plan = plan.model_copy(
        update={
            "reviews": [
                plan.reviews[0],
                review.model_copy(update={"members": [*review.members, stranger]}),
                *plan.reviews[2:],
            ]
        }
    )
    assert len(meetings(tiny, plan).visits) == evaluate(tiny, plan).metrics["partnership_links"]
    assert ("organisation", "participant zz9") not in connection_graph(tiny, plan)
