"""The connection network of a plan: which partnerships, regions and organisations meet.

A region wants its partnerships to learn from each other (SPEC 1, "connecting"). The
link metrics of SPEC 4 count pairs; this module keeps the pairs themselves, builds a
networkx graph of them and derives figures a board can read: how many partnership
pairs meet, whether the network falls apart into separate clusters, who meets nobody.

Nodes are `(kind, id)` with kind `partnership`, `region` or `organisation` (an
organisation of participants without a partnership; one without an organisation
stands for itself). Edges have a `kind`: `meets` between partnerships/organisations
that share a group or where one visits the other, `regions` between regions whose
people share a group, and `in` from a partnership to the regions its schools lie in
(drawn only, never counted).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import networkx as nx

from ..plan import Plan, PlanReview
from ..scenario.models import Participant, Review, Scenario

Node = tuple[str, str]
PARTNERSHIP, REGION, ORGANISATION = "partnership", "region", "organisation"


@dataclass(frozen=True)
class Meetings:
    """The pairs behind the metrics of SPEC 4 (their sizes equal what `evaluate` reports)."""

    visits: tuple[tuple[str, str], ...]  # (member's partnership, subject): partnership_links
    co_members: tuple[tuple[str, str], ...]  # partnerships sharing a group: co_member_links
    region_pairs: tuple[tuple[str, str], ...]  # regions sharing a group: region_links
    included: tuple[str, ...]  # participants without a partnership in some group: inclusion
    preferred: tuple[tuple[str, str], ...]  # (participant, review) on a wished subject: preferences


@dataclass(frozen=True)
class NetworkFigures:
    """What the connection graph says, in numbers."""

    partnerships: int
    partnership_pairs: int
    partnership_pairs_meeting: int
    regions: int  # regions with at least one participant
    region_pairs: int
    region_pairs_meeting: int
    organisations: int  # organisations without a partnership taking part
    components: int  # separate clusters of partnerships and organisations (1 = all connected)
    isolated: tuple[str, ...]  # partnerships that meet nobody

    @property
    def partnership_share(self) -> float:
        return self.partnership_pairs_meeting / self.partnership_pairs if self.partnership_pairs else 1.0

    @property
    def region_share(self) -> float:
        return self.region_pairs_meeting / self.region_pairs if self.region_pairs else 1.0


def planned_groups(scenario: Scenario, plan: Plan) -> list[tuple[Review, PlanReview, list[Participant]]]:
    """Known reviews (first occurrence) with their known members, as `evaluate` counts them."""
    seen: set[str] = set()
    out = []
    for pr in plan.reviews:
        if pr.id in scenario.review and pr.id not in seen:
            seen.add(pr.id)
            ids = sorted({m.participant for m in pr.members if m.participant in scenario.participant})
            out.append((scenario.review[pr.id], pr, [scenario.participant[i] for i in ids]))
    return out


def meetings(scenario: Scenario, plan: Plan) -> Meetings:
    """Every pair that counts towards the link metrics, sorted."""
    visits: set[tuple[str, str]] = set()
    co_members: set[tuple[str, str]] = set()
    region_pairs: set[tuple[str, str]] = set()
    included: set[str] = set()
    preferred: list[tuple[str, str]] = []
    for review, _, members in planned_groups(scenario, plan):
        parts = sorted({p.partnership for p in members if p.partnership})
        visits.update((a, review.subject) for a in parts if a != review.subject)
        co_members.update(combinations(parts, 2))
        region_pairs.update(combinations(sorted({p.region for p in members}), 2))
        included.update(p.id for p in members if not p.partnership)
        preferred.extend((p.id, review.id) for p in members if review.subject in p.prefer_subjects)
    return Meetings(
        tuple(sorted(visits)),
        tuple(sorted(co_members)),
        tuple(sorted(region_pairs)),
        tuple(sorted(included)),
        tuple(preferred),
    )


def actor_of(p: Participant) -> Node:
    """The node a member stands for: their partnership, else their organisation, else themselves."""
    if p.partnership:
        return (PARTNERSHIP, p.partnership)
    if p.organisation and p.organisation.strip():
        return (ORGANISATION, p.organisation.strip())
    return (ORGANISATION, f"participant {p.id}")


def _meet(graph: nx.Graph, a: Node, b: Node, review: str, how: str) -> None:
    if a == b:
        return
    if not graph.has_edge(a, b):
        graph.add_edge(a, b, kind="meets", reviews=set(), how=set())
    graph.edges[a, b]["reviews"].add(review)
    graph.edges[a, b]["how"].add(how)


def connection_graph(scenario: Scenario, plan: Plan) -> nx.Graph:
    """The graph of who meets whom in the plan (nodes and edges added in sorted order)."""
    graph = nx.Graph()
    for part in sorted(scenario.partnerships, key=lambda p: p.id):
        graph.add_node((PARTNERSHIP, part.id), kind=PARTNERSHIP, label=part.name or part.id)
    for r in sorted(scenario.regions, key=lambda r: r.id):
        graph.add_node((REGION, r.id), kind=REGION, label=r.name or r.id)
    groups = planned_groups(scenario, plan)
    for _, _, members in groups:
        for p in sorted(members, key=lambda p: p.id):
            node = actor_of(p)
            if node[0] == ORGANISATION and node not in graph:
                label = p.name if node[1].startswith("participant ") else node[1]
                graph.add_node(node, kind=ORGANISATION, label=label)
    for part in sorted(scenario.partnerships, key=lambda p: p.id):
        for region in sorted(part.regions):
            if (REGION, region) in graph:
                graph.add_edge((PARTNERSHIP, part.id), (REGION, region), kind="in", reviews=set(), how={"in"})
    for review, _, members in groups:
        actors = sorted({actor_of(p) for p in members})
        for a, b in combinations(actors, 2):
            _meet(graph, a, b, review.id, "group")
        subject = (PARTNERSHIP, review.subject)
        if subject in graph:
            for a in actors:
                _meet(graph, a, subject, review.id, "visit")
        for x, y in combinations(sorted({p.region for p in members}), 2):
            if not graph.has_edge((REGION, x), (REGION, y)):
                graph.add_edge((REGION, x), (REGION, y), kind="regions", reviews=set(), how={"group"})
            graph.edges[(REGION, x), (REGION, y)]["reviews"].add(review.id)
    return graph


def meeting_graph(graph: nx.Graph) -> nx.Graph:
    """Only partnerships and organisations, joined where they meet."""
    actors = [n for n, kind in graph.nodes(data="kind") if kind != REGION]
    sub = nx.Graph()
    sub.add_nodes_from(actors)
    sub.add_edges_from((a, b) for a, b, kind in graph.edges(data="kind") if kind == "meets")
    return sub


def network_figures(scenario: Scenario, plan: Plan, graph: nx.Graph | None = None) -> NetworkFigures:
    """Figures of the connection graph: shares of pairs that meet, clusters, the isolated."""
    graph = graph if graph is not None else connection_graph(scenario, plan)
    meet = meeting_graph(graph)
    parts = sorted(p.id for p in scenario.partnerships)
    pair_count = sum(
        1 for a, b in combinations(parts, 2) if meet.has_edge((PARTNERSHIP, a), (PARTNERSHIP, b))
    )
    regions = sorted({p.region for p in scenario.participants})
    region_meetings = sum(1 for x, y in combinations(regions, 2) if graph.has_edge((REGION, x), (REGION, y)))
    return NetworkFigures(
        partnerships=len(parts),
        partnership_pairs=len(parts) * (len(parts) - 1) // 2,
        partnership_pairs_meeting=pair_count,
        regions=len(regions),
        region_pairs=len(regions) * (len(regions) - 1) // 2,
        region_pairs_meeting=region_meetings,
        organisations=sum(1 for n in meet if n[0] == ORGANISATION),
        components=nx.number_connected_components(meet) if len(meet) else 0,
        isolated=tuple(p for p in parts if meet.degree((PARTNERSHIP, p)) == 0),
    )


def layout(graph: nx.Graph, *, seed: int = 0) -> dict[Node, tuple[float, float]]:
    """Node positions in [0, 1]², from a spring layout with a fixed seed (same graph, same picture)."""
    if len(graph) == 0:
        return {}
    if len(graph) == 1:
        return {next(iter(graph)): (0.5, 0.5)}
    weighted = nx.Graph()
    weighted.add_nodes_from(sorted(graph.nodes))
    for a, b, data in sorted(graph.edges(data=True), key=lambda e: (min(e[0], e[1]), max(e[0], e[1]))):
        weight = {"meets": 1.0, "in": 1.0, "regions": 0.3}[data["kind"]]
        weighted.add_edge(a, b, weight=weight)
    # k larger than the default 1/sqrt(n) spreads the nodes so their labels stay readable.
    raw = nx.spring_layout(weighted, seed=seed, iterations=300, k=2.0 / len(weighted) ** 0.5)
    xs = [float(x) for x, _ in raw.values()]
    ys = [float(y) for _, y in raw.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    return {
        node: (round((float(x) - min(xs)) / span_x, 4), round((float(y) - min(ys)) / span_y, 4))
        for node, (x, y) in raw.items()
    }
