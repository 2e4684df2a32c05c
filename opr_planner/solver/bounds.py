"""An upper bound on the objective of any plan, from counting alone (no search).

Valid for any weights >= 0 (SPEC 2), because every metric is bounded by what the groups
could contribute if each group were as good as its candidates allow, independently of
the others:

- per review, with n members of whom u have no partnership:
  partnership_links gains at most min(n - u, A) (A: partnerships among its candidates),
  inclusion at most u (and no more than its candidates without partnership),
  diversity at most min(n, G) (G: regions among its candidates), preferences at most
  the candidates who prefer its subject, and load_sumsq grows by at least n
  (a participant in k reviews adds k^2 >= k);
- co_member_links and region_links: at most C(A, 2) and C(G, 2) pairs per group; and
  over the plan, a region (partnership) that appears in k groups of at most s members
  meets at most min(K - 1, k (s - 1)) others (K: how many exist). Spreading the
  appearances evenly maximises that sum (each term is concave in k), which caps the
  distinct pairs below both the per-group sum and C(K, 2): 80 groups of 6 regions out
  of 50 cannot meet 1,200 distinct region pairs, only 1,185.

The bound ignores dates, availability, roles and loads, so it is loose where those
bind, but it costs milliseconds and on national-size scenarios (where CP-SAT's own bound
is that of a relaxed model) it is the tighter of the two.
"""

from __future__ import annotations

from math import comb

from .compile import SolverInput


def upper_bound(data: SolverInput) -> int:
    """No plan of `data` has a higher objective than this."""
    w, people = data.weights, data.people
    members = 0
    co_pairs = region_pairs = 0
    co_seats = region_seats = 0  # appearances of partnerships / regions in groups, at most
    widest = 0
    all_partnerships: set[int] = set()
    all_regions: set[int] = set()
    for r in data.reviews:
        partnerships = {people[p].partnership for p in r.candidates if people[p].partnership >= 0}
        regions = {people[p].region for p in r.candidates}
        all_partnerships |= partnerships
        all_regions |= regions
        free = sum(1 for p in r.candidates if people[p].partnership < 0)
        prefer = sum(1 for p in r.candidates if r.subject in people[p].prefer)
        top = min(r.size_max, len(r.candidates))
        a, g = len(partnerships), len(regions)
        best = None
        for n in range(min(r.size_min, top), top + 1):
            for u in {0, min(n, free), min(max(n - a, 0), free)}:
                value = (
                    w["partnership_links"] * min(n - u, a)
                    + w["inclusion"] * u
                    + w["diversity"] * min(n, g)
                    + w["preferences"] * min(n, prefer)
                    - w["load_sumsq"] * n
                )
                best = value if best is None else max(best, value)
        members += best or 0
        co_pairs += comb(min(top, a), 2)
        region_pairs += comb(min(top, g), 2)
        co_seats += min(top, a)
        region_seats += min(top, g)
        widest = max(widest, top)
    return (
        members
        + w["co_member_links"] * min(co_pairs, _spread(co_seats, len(all_partnerships), widest))
        + w["region_links"] * min(region_pairs, _spread(region_seats, len(all_regions), widest))
    )


def _spread(seats: int, kinds: int, size: int) -> int:
    """Most distinct pairs among `kinds` values filling `seats` places in groups of <= `size`."""
    if kinds < 2 or size < 2:
        return 0
    base, extra = divmod(seats, kinds)

    def partners(k: int) -> int:
        return min(kinds - 1, k * (size - 1))

    return (extra * partners(base + 1) + (kinds - extra) * partners(base)) // 2
