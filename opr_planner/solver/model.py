"""The CP-SAT model of SPEC sections 3–4: one method per rule family, named after its id.

Variables
  y[r][k]      review r takes its k-th possible date (exactly one)            H2
  x[r][p]      participant p is in the group of review r (candidates only)   H3–H16
  fn[r][p][f]  p holds function f in r                                       H7
  part[r][a]   some member of r belongs to partnership a (exact indicator)   H8, H18, metrics
  reg[r][g]    some member of r comes from region g (exact indicator)        H11, metrics
Every indicator used by the objective is tied both ways to what it indicates, so the
objective of *any* solution (not only the optimal one) equals the evaluator's.

In `explain` mode every rule family is guarded by an assumption literal, so that an
infeasible model yields a small set of rules that together have no plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from ortools.sat.python import cp_model

from .attendance import can, dates_of
from .compile import SolverInput
from .objective import add_objective, pair_indicators
from .params import Tuning
from .solution import Solution
from .spacing import add_spacing, add_spacing_cuts, broken_spacing
from .symmetry import add_symmetry

Lit = cp_model.IntVar


@dataclass(frozen=True)
class Guard:
    """What an assumption literal switches on: a rule, for one review or entity."""

    rule: str
    review: int | None = None
    detail: str = ""


class PlanModel:
    """Builds the CP-SAT model for a SolverInput (in the constructor)."""

    def __init__(
        self,
        data: SolverInput,
        *,
        explain: bool = False,
        objective: bool = True,
        lazy: bool | None = None,
        relaxed: bool | None = None,
        tuning: Tuning | None = None,
    ):
        """`lazy` (H15 clauses added when broken) and `relaxed` (pair metrics as an upper
        bound) default to what the model's size calls for (Tuning's thresholds)."""
        self.data = data
        self.explain = explain
        self.tuning = tuning or Tuning()
        self.lazy = False if explain else lazy
        self.m = cp_model.CpModel()
        self.guards: dict[int, Guard] = {}
        # Auxiliary variables with how to compute each from earlier values, so that a
        # plan can be turned into a *complete* solution hint (see `complete_hint`).
        self._derived: list[tuple[Lit, Callable[[dict[int, int]], int]]] = []
        self._guard_lits: list[Lit] = []
        self.ordered = False  # interchangeable participants in a fixed order (symmetry.py)
        # H15 (spacing.py): day variables, pairs of reviews that can be close, lazy or not.
        self.day: list[cp_model.IntVar] = []
        self.far: dict[tuple[int, int], Lit] = {}
        self.spacing_pairs: dict[tuple[int, int], list[int]] = {}
        self.lazy_spacing = False
        self._variables()
        self.h2_dates()
        self.h3_group_size()
        self.h6_composition()
        self.h7_functions()
        self.h8_min_partnerships()
        self.h9_max_per_partnership()
        self.h10_max_per_organisation()
        self.h11_min_regions()
        self.h12_outside_regions()
        self.h13_availability()
        self.h14_load()
        self.h15_spacing()
        self.h16_avoid()
        self.h17_per_week()
        self.h18_per_partnership()
        self.symmetry()
        self.relaxed_pairs = (
            relaxed if relaxed is not None else self.pair_indicators > self.tuning.relaxed_pair_indicators
        )
        self.terms: dict[str, cp_model.LinearExprT] = {}
        self.objective_expr: cp_model.LinearExprT = 0
        if objective:
            self.objective()

    # -- helpers ----------------------------------------------------------------------
    def _guard(self, rule: str, review: int | None = None, detail: str = "") -> list[Lit]:
        """Enforcement literals for one rule family ([] unless in explain mode)."""
        if not self.explain:
            return []
        lit = self.m.new_bool_var(f"guard_{rule}_{review}_{detail}")
        self.guards[lit.index] = Guard(rule, review, detail)
        self._guard_lits.append(lit)
        return [lit]

    @property
    def assumptions(self) -> list[Lit]:
        return list(self._guard_lits)

    def _derive(self, var: Lit, rule: Callable[[dict[int, int]], int]) -> None:
        self._derived.append((var, rule))

    def complete_hint(self, values: dict[int, int]) -> dict[int, int]:
        """Extend values of y, x and fn (by variable index) to every auxiliary variable."""
        out = dict(values)
        for var, rule in self._derived:
            out[var.index] = rule(out)
        return out

    def _or(self, target: Lit, lits: list[Lit]) -> None:
        """target == OR(lits), exactly."""
        idx = [lit.index for lit in lits]
        self._derive(target, lambda v: int(any(v.get(i, 0) for i in idx)))
        if not lits:
            self.m.add(target == 0)
            return
        for lit in lits:
            self.m.add_implication(lit, target)
        # Linear (not a clause) so that it enters CP-SAT's LP relaxation and bounds.
        self.m.add(sum(lits) >= target)

    def _and(self, a: Lit, b: Lit, name: str) -> Lit:
        z = self.m.new_bool_var(name)
        ia, ib = a.index, b.index
        self._derive(z, lambda v: int(bool(v.get(ia, 0) and v.get(ib, 0))))
        self.m.add_implication(z, a)
        self.m.add_implication(z, b)
        self.m.add(a + b - z <= 1)
        return z

    # -- variables --------------------------------------------------------------------
    def _variables(self) -> None:
        d, m = self.data, self.m
        self.y = [[m.new_bool_var(f"y_{r.id}_{k}") for k in range(len(r.dates))] for r in d.reviews]
        self.x: list[dict[int, Lit]] = [
            {p: m.new_bool_var(f"x_{r.id}_{d.people[p].id}") for p in r.candidates} for r in d.reviews
        ]
        self.fn: list[dict[int, dict[int, Lit]]] = []
        for r in d.reviews:
            per: dict[int, dict[int, Lit]] = {}
            for p in r.candidates:
                held = {
                    f: m.new_bool_var(f"fn_{r.id}_{d.people[p].id}_{f}")
                    for f in sorted(d.people[p].functions)
                    if f in d.function_counts
                }
                if held:
                    per[p] = held
            self.fn.append(per)
        self.part: list[dict[int, Lit]] = []
        self.reg: list[dict[int, Lit]] = []
        for ri, r in enumerate(d.reviews):
            by_part: dict[int, list[Lit]] = defaultdict(list)
            by_reg: dict[int, list[Lit]] = defaultdict(list)
            for p, lit in self.x[ri].items():
                if d.people[p].partnership >= 0:
                    by_part[d.people[p].partnership].append(lit)
                by_reg[d.people[p].region].append(lit)
            part = {a: m.new_bool_var(f"part_{r.id}_{a}") for a in sorted(by_part)}
            reg = {g: m.new_bool_var(f"reg_{r.id}_{g}") for g in sorted(by_reg)}
            for a, v in part.items():
                self._or(v, by_part[a])
            for g, v in reg.items():
                self._or(v, by_reg[g])
            # Redundant aggregates (kept by presolve, unlike the clauses above): a group
            # has no more distinct partnerships or regions than members.
            members = sum(self.x[ri].values())
            affiliated = sum(lit for lits in by_part.values() for lit in lits)
            if part:
                m.add(sum(part.values()) <= affiliated)
            if reg:
                m.add(sum(reg.values()) <= members)
            self.part.append(part)
            self.reg.append(reg)
        self.load: list[cp_model.LinearExprT] = []
        self.ge: list[list[Lit]] = []  # ge[p][k-1] == (load_p >= k)
        reviews_of: dict[int, list[Lit]] = defaultdict(list)
        for ri in range(len(d.reviews)):
            for p, lit in self.x[ri].items():
                reviews_of[p].append(lit)
        for p, person in enumerate(d.people):
            lits = reviews_of.get(p, [])
            # One step per possible review; up to max_reviews only unless H14 must be guardable.
            top = len(lits) if self.explain else min(len(lits), max(person.max_reviews, 0))
            steps = [m.new_bool_var(f"load_{person.id}_ge{k}") for k in range(1, top + 1)]
            idx = [lit.index for lit in lits]
            for k, step in enumerate(steps, start=1):
                self._derive(step, _at_least(idx, k))
            for lower, higher in pairwise(steps):
                m.add_implication(higher, lower)
            m.add(sum(lits) == sum(steps))
            self.load.append(sum(lits))
            self.ge.append(steps)

    # -- hard rules ---------------------------------------------------------------------
    def h2_dates(self) -> None:
        """H2: exactly one possible date (working days for every session, in the window)."""
        for ri, ys in enumerate(self.y):
            g = self._guard("H2", ri)
            if ys:
                self.m.add(sum(ys) == 1).only_enforce_if(g)
            else:
                self.m.add_bool_or([]).only_enforce_if(g)  # no possible date at all

    def h3_group_size(self) -> None:
        for ri, r in enumerate(self.data.reviews):
            g = self._guard("H3", ri)
            self.m.add_linear_constraint(sum(self.x[ri].values()), r.size_min, r.size_max).only_enforce_if(g)

    def h6_composition(self) -> None:
        d = self.data
        for ri in range(len(d.reviews)):
            for role, (lo, hi) in d.composition.items():
                lits = [v for p, v in self.x[ri].items() if d.people[p].role == role]
                g = self._guard("H6", ri, d.roles[role])
                self.m.add_linear_constraint(
                    sum(lits), lo, hi if hi is not None else len(lits) + lo
                ).only_enforce_if(g)

    def h7_functions(self) -> None:
        d = self.data
        for ri in range(len(d.reviews)):
            for p, held in self.fn[ri].items():
                for lit in held.values():
                    self.m.add_implication(lit, self.x[ri][p])
                self.m.add_at_most_one(held.values())
            for f, k in d.function_counts.items():
                lits = [held[f] for held in self.fn[ri].values() if f in held]
                g = self._guard("H7", ri, d.functions[f])
                self.m.add(sum(lits) == k).only_enforce_if(g)

    def h8_min_partnerships(self) -> None:
        if self.data.min_partnerships:
            for ri in range(len(self.data.reviews)):
                g = self._guard("H8", ri)
                self.m.add(sum(self.part[ri].values()) >= self.data.min_partnerships).only_enforce_if(g)

    def _grouped(self, ri: int, key) -> dict[int, list[Lit]]:
        groups: dict[int, list[Lit]] = defaultdict(list)
        for p, lit in self.x[ri].items():
            k = key(self.data.people[p])
            if k >= 0:
                groups[k].append(lit)
        return groups

    def h9_max_per_partnership(self) -> None:
        k = self.data.max_per_partnership
        if not k:
            return
        for ri in range(len(self.data.reviews)):
            g = self._guard("H9", ri)
            for lits in self._grouped(ri, lambda p: p.partnership).values():
                if len(lits) > k:
                    self.m.add(sum(lits) <= k).only_enforce_if(g)

    def h10_max_per_organisation(self) -> None:
        k = self.data.max_per_organisation
        if not k:
            return
        for ri in range(len(self.data.reviews)):
            g = self._guard("H10", ri)
            for lits in self._grouped(ri, lambda p: p.organisation).values():
                if len(lits) > k:
                    self.m.add(sum(lits) <= k).only_enforce_if(g)

    def h11_min_regions(self) -> None:
        if self.data.min_regions:
            for ri in range(len(self.data.reviews)):
                g = self._guard("H11", ri)
                self.m.add(sum(self.reg[ri].values()) >= self.data.min_regions).only_enforce_if(g)

    def h12_outside_regions(self) -> None:
        k = self.data.min_outside
        if not k:
            return
        for ri, r in enumerate(self.data.reviews):
            lits = [v for p, v in self.x[ri].items() if self.data.people[p].region not in r.subject_regions]
            g = self._guard("H12", ri)
            self.m.add(sum(lits) >= k).only_enforce_if(g)

    def h13_availability(self) -> None:
        """H13: a member's review date is one they can attend (candidates can attend some date)."""
        for ri, r in enumerate(self.data.reviews):
            g = self._guard("H13", ri)
            for p, lit in self.x[ri].items():
                ok = r.available[p]
                bad = len(r.dates) - ok.bit_count()
                if not bad:
                    continue
                if bad <= 8:
                    # A few unavailable dates: one short clause each (smaller than the sum).
                    for k in range(len(r.dates)):
                        if not can(ok, k):
                            self.m.add_bool_or([lit.Not(), self.y[ri][k].Not()]).only_enforce_if(g)
                else:
                    self.m.add(sum(self.y[ri][k] for k in dates_of(ok)) >= lit).only_enforce_if(g)

    def h14_load(self) -> None:
        g = self._guard("H14")
        for p, person in enumerate(self.data.people):
            steps = self.ge[p]
            if person.max_reviews < len(steps):
                self.m.add_bool_or([steps[person.max_reviews].Not()]).only_enforce_if(g)

    def h15_spacing(self) -> None:
        """H15: two reviews sharing a member are at least min_days_between_reviews apart
        (spacing.py: clauses up front, or lazily on large models)."""
        add_spacing(self)

    def broken_spacing(self, solution: Solution) -> list[tuple[int, int, list[int]]]:
        """(review, review, people) whose spacing a solution breaks (for lazy H15)."""
        return broken_spacing(self, solution)

    def add_spacing_cuts(self, r1: int, r2: int, people: list[int]) -> None:
        """Forbid `people` to be in both reviews unless their dates are far enough apart."""
        add_spacing_cuts(self, r1, r2, people)

    def h16_avoid(self) -> None:
        d = self.data
        for ri in range(len(d.reviews)):
            g = self._guard("H16", ri)
            for p, lit in self.x[ri].items():
                for q in d.people[p].avoid:
                    if q > p and q in self.x[ri]:
                        self.m.add_bool_or([lit.Not(), self.x[ri][q].Not()]).only_enforce_if(g)

    def h17_per_week(self) -> None:
        k = self.data.max_per_week
        if not k:
            return
        weeks: dict[tuple[int, int], list[Lit]] = defaultdict(list)
        for ri, r in enumerate(self.data.reviews):
            for y, week in zip(self.y[ri], r.weeks):
                weeks[week].append(y)
        g = self._guard("H17")
        for week in sorted(weeks):
            if len(weeks[week]) > k:
                self.m.add(sum(weeks[week]) <= k).only_enforce_if(g)

    def h18_per_partnership(self) -> None:
        k = self.data.min_reviews_per_partnership
        if not k:
            return
        for a in self.data.active_partnerships:
            lits = [part[a] for part in self.part if a in part]
            g = self._guard("H18", None, self.data.partnerships[a])
            self.m.add(sum(lits) >= k).only_enforce_if(g)

    def symmetry(self) -> None:
        """Interchangeable participants join in a fixed order (symmetry.py); not when explaining."""
        if not self.explain:
            add_symmetry(self)

    # -- objective ----------------------------------------------------------------------
    def objective(self) -> None:
        """SPEC 4: weighted metrics, load_sumsq subtracted (objective.py)."""
        add_objective(self)

    @property
    def pair_indicators(self) -> int:
        """How many (group, pair) indicators the exact pair metrics need."""
        return pair_indicators(self.part, self.reg)


Rule = Callable[[dict[int, int]], int]


def _at_least(indices: list[int], k: int) -> Rule:
    """The value of `sum(variables at indices) >= k` in a hint."""
    return lambda v: int(sum(v.get(i, 0) for i in indices) >= k)
