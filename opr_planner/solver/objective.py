"""The objective of SPEC 4 on a PlanModel's variables: every term exact unless the pair
metrics are relaxed (large models), so that the objective of any solution equals the
evaluator's. Tests pin evaluator-valid plans into the model to keep the two equal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from itertools import combinations
from math import comb
from typing import TYPE_CHECKING, cast

from ortools.sat.python import cp_model

if TYPE_CHECKING:
    from .model import Lit, PlanModel


def add_objective(model: PlanModel) -> None:
    """Maximise the weighted metrics minus the weighted load_sumsq; sets model.terms."""
    d, m = model.data, model.m
    w = d.weights
    terms: dict[str, cp_model.LinearExprT] = {}
    # partnership_links: (a, s) pairs
    by_subject: dict[int, list[int]] = defaultdict(list)
    for ri, r in enumerate(d.reviews):
        by_subject[r.subject].append(ri)
    links = []
    if w["partnership_links"]:
        for s, ris in sorted(by_subject.items()):
            for a in sorted({a for ri in ris for a in model.part[ri]}):
                if a == s:
                    continue
                v = m.new_bool_var(f"pl_{a}_{s}")
                model._or(v, [model.part[ri][a] for ri in ris if a in model.part[ri]])
                links.append(v)
    terms["partnership_links"] = sum(links)
    terms["co_member_links"] = _pair_links(model, "cm", model.part) if w["co_member_links"] else 0
    terms["region_links"] = _pair_links(model, "rl", model.reg) if w["region_links"] else 0
    terms["inclusion"] = sum(
        model.ge[p][0] for p, person in enumerate(d.people) if person.partnership < 0 and model.ge[p]
    )
    terms["diversity"] = sum(v for reg in model.reg for v in reg.values())
    prefs: list[Lit] = []
    for ri, r in enumerate(d.reviews):
        prefs.extend(lit for p, lit in model.x[ri].items() if r.subject in d.people[p].prefer)
    terms["preferences"] = sum(prefs)
    terms["load_sumsq"] = sum((2 * k + 1) * step for steps in model.ge for k, step in enumerate(steps))
    model.terms = terms
    gains = cast(cp_model.LinearExpr, sum(w[name] * t for name, t in terms.items() if name != "load_sumsq"))
    model.objective_expr = gains - w["load_sumsq"] * cast(cp_model.LinearExpr, terms["load_sumsq"])
    m.maximize(model.objective_expr)


def _pair_links(model: PlanModel, name: str, present: list[dict[int, Lit]]) -> cp_model.LinearExprT:
    """Distinct unordered pairs {a, b} that meet in some group.

    Exact: an indicator per (group, pair), with a redundant per-group bound (a group
    with n distinct values has C(n, 2) pairs). Relaxed (large scenarios, see
    `pair_indicators`): only the per-group C(n, 2) counts, capped by the number of
    pairs that exist; pairs met twice are then counted twice, so the model's
    objective is an upper bound and plans are scored by the evaluator.
    """
    m = model.m
    per_pair: dict[tuple[int, int], list[Lit]] = defaultdict(list)
    counts = []
    for ri, items in enumerate(present):
        keys = sorted(items)
        zs = []
        if not model.relaxed_pairs:
            for a, b in combinations(keys, 2):
                z = model._and(items[a], items[b], f"{name}_{ri}_{a}_{b}")
                per_pair[(a, b)].append(z)
                zs.append(z)
        if len(keys) >= 2:
            r = model.data.reviews[ri]
            top = min(len(keys), r.size_max)
            n = m.new_int_var(0, top, f"{name}_n_{ri}")
            m.add(n == sum(items.values()))
            model._derive(n, _total([lit.index for lit in items.values()]))
            count = m.new_int_var(0, comb(top, 2), f"{name}_pairs_{ri}")
            model._derive(count, _pairs(n.index))
            m.add_element(n, [comb(k, 2) for k in range(top + 1)], count)
            if zs:
                m.add(sum(zs) == count)
            counts.append(count)
    if model.relaxed_pairs:
        existing = len({k for items in present for k in items})
        total = m.new_int_var(0, comb(existing, 2), f"{name}_total")
        m.add(total <= sum(counts))
        idx, cap = [c.index for c in counts], comb(existing, 2)
        model._derive(total, lambda v: min(cap, sum(v[i] for i in idx)))
        return total
    out = []
    for pair in sorted(per_pair):
        v = m.new_bool_var(f"{name}_{pair[0]}_{pair[1]}")
        model._or(v, per_pair[pair])
        out.append(v)
    return sum(out)


def pair_indicators(*present: list[dict[int, Lit]]) -> int:
    """How many (group, pair) indicators the exact pair metrics need."""
    return sum(comb(len(items), 2) for groups in present for items in groups)


def _total(indices: list[int]) -> Callable[[dict[int, int]], int]:
    """How many of the variables at `indices` a hint sets."""
    return lambda v: sum(v.get(i, 0) for i in indices)


def _pairs(index: int) -> Callable[[dict[int, int]], int]:
    """C(n, 2) for the count n at `index` in a hint."""
    return lambda v: comb(v[index], 2)
