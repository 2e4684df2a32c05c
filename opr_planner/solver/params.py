"""The solver's knobs and tuning in one frozen value, and the one place a CpSolver is made.

Every CP-SAT run (solve, repair, alternatives, the infeasibility explanation) gets its
CpSolver from `make_cp_solver`, so that Ctrl-C, seeds, time limits and the presolve of
large models behave the same everywhere; every run goes through `runner.run_cp_sat`.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

# CP-SAT's portfolio of 8 strategies proves optimality faster than 2 even on 2 cores.
DEFAULT_WORKERS = 8
# CP-SAT's workers when local search supplies the plans: these four prove the regional
# tiers 1.2-2x faster than the default 8 workers and bring the medium tier's bound down
# in ~15 s instead of ~50 s (measured on 2 cores, see docs/performance.md).
BOUND_SUBSOLVERS = ("default_lp", "max_lp", "core", "reduced_costs")


@dataclass(frozen=True)
class Tuning:
    """Measured constants of the search (docs/performance.md); tests shrink them."""

    default_workers: int = DEFAULT_WORKERS
    # Above this many variables, presolve is kept short and fewer workers run: each CP-SAT
    # worker holds its own copy of the model (national size: 8 workers ~6 GiB, 1 under 2).
    large_model_variables: int = 100_000
    large_model_workers: int = 1
    # Above this many (review, candidate) pairs, `solve` does not build the CP-SAT model of
    # the whole plan (hundreds of thousands of variables, ~10 s to build, ~1.7 GiB, rarely
    # better than its start in two minutes) but improves the greedy plan by local search
    # (local.py) and bounds it by counting (bounds.py). Medium tier ~3,500; national ~205,000.
    large_candidates: int = 40_000
    # Local search steps per second of time limit when the run must be reproducible
    # (--workers 1); measured ~10,000/s on the national tier and ~20,000/s on the medium one.
    local_steps_per_second: int = 8_000
    # CP-SAT's deterministic time per second of time limit in reproducible runs. Its unit is
    # meant to be about a second, but one worker on an LP-heavy model runs far slower than
    # the clock: on the medium-busy tier its main search did 3.1 units in 11.9 s (2 cores,
    # load 2), so counting 1 unit per second let `--time-limit 10 --workers 1` run 24 s.
    # Counted at 0.3 per second the work ends near the limit; where it would not, the
    # clock stops it at the deadline (`make_cp_solver`), and that run may differ on a rerun.
    deterministic_per_second: float = 0.3
    bound_subsolvers: tuple[str, ...] = BOUND_SUBSOLVERS
    # Local search joins CP-SAT after this many seconds (small models are proven by then).
    assist_delay: float = 2.0
    # Above this many (group, pair) indicators, the pair metrics are modelled as an upper
    # bound (model.py); above this many spacing clauses (H15) they are added lazily.
    relaxed_pair_indicators: int = 150_000
    lazy_spacing_clauses: int = 200_000
    # Reproducible runs (--workers 1) decide by work, not by the clock: what starting the
    # program, loading, compiling and the greedy start cost is estimated from the size of
    # the scenario (per participant, per review x candidate pair), calibrated on the
    # benchmark tiers (docs/performance.md), and what is left of the time limit is searched.
    fixed_seconds: float = 1.5
    seconds_per_participant: float = 5.5e-4
    seconds_per_pair: float = 1.0e-5
    # The greedy plan of one pass is enough start when more than this share of the time
    # limit would be gone before a second pass ended: the second pass is skipped.
    second_greedy_share: float = 0.5
    # Plan k >= 2 of `alternatives` (CP-SAT path) starts from a differing plan local search
    # makes from the best earlier one in this share of the time limit, at most these seconds
    # (reproducible runs: that many seconds' worth of local_steps_per_second steps).
    alternative_start_share: float = 0.2
    alternative_start_seconds: float = 1.0

    def too_large_to_model(self, pairs: int) -> bool:
        """Whether a scenario of `pairs` (review, candidate) pairs is searched without a CP-SAT
        model of the whole plan (local search, bounded by counting)."""
        return pairs > self.large_candidates


@dataclass(frozen=True)
class SolveParams:
    """What the user asked for (time limit, seed, workers, gap) and the tuning, frozen.

    `workers=None` lets the policy (`workers_for`) decide; `workers=1` asks for a
    reproducible run: deterministic time for CP-SAT, counted steps for local search.
    """

    time_limit: float = 60.0
    seed: int = 0
    workers: int | None = None
    gap: float | None = None
    tuning: Tuning = field(default_factory=Tuning)
    # The time limit is a promise from this moment (time.perf_counter(); the command line's
    # start) to the plan written: `reserve` seconds are kept after the search for turning
    # its result into a plan, checking and writing it. `spent` is the work estimated to be
    # done before the search, which reproducible runs count instead of the clock.
    started: float = field(default_factory=time.perf_counter)
    reserve: float = 0.0
    spent: float = 0.0

    @property
    def reproducible(self) -> bool:
        return self.workers == 1

    @property
    def search_until(self) -> float:
        """When the search must end (time.perf_counter()) so that the plan is written in time."""
        return self.started + self.time_limit - self.reserve

    def search_seconds(self) -> float:
        """What is left for the search: by the clock, or in reproducible runs by the work
        estimate (the same on any machine). Never negative; zero means search no more."""
        if self.reproducible:
            return max(0.0, self.time_limit - self.spent - self.reserve)
        return max(0.0, self.search_until - time.perf_counter())

    def backstop(self, seconds: float) -> float:
        """Wall seconds after which a reproducible search stops whatever its work count: on a
        machine far slower than the reference one (the run is then no longer reproducible)."""
        return 2 * seconds + 5.0

    def work_seconds(self, solver: cp_model.CpSolver) -> float:
        """Seconds of the time limit a reproducible CP-SAT run used: its deterministic time
        counted at `Tuning.deterministic_per_second` (the same on every machine)."""
        return solver.deterministic_time / self.tuning.deterministic_per_second

    def estimate_before_search(self, people: int, pairs: int) -> float:
        """Seconds the stages before the search take on the reference machine (from size)."""
        t = self.tuning
        return t.fixed_seconds + t.seconds_per_participant * people + t.seconds_per_pair * pairs

    def is_large(self, variables: int) -> bool:
        return variables > self.tuning.large_model_variables

    def workers_for(self, variables: int, *, bound_focus: bool = False) -> int:
        """The worker policy: what was asked for, else four bound-focused workers next to
        local search, else few workers on large models (memory) and the portfolio on others."""
        if self.workers is not None:
            return self.workers
        if bound_focus:
            return len(self.tuning.bound_subsolvers)
        return self.tuning.large_model_workers if self.is_large(variables) else self.tuning.default_workers

    def with_time_limit(self, time_limit: float) -> SolveParams:
        return dataclasses.replace(self, time_limit=time_limit)


def make_cp_solver(
    params: SolveParams,
    time_limit: float,
    *,
    workers: int,
    deterministic: bool | None = None,
    large: bool = False,
    bound_focus: bool = False,
) -> cp_model.CpSolver:
    """A CpSolver for one run of at most `time_limit` seconds.

    `deterministic` (default: params.reproducible) makes the limit deterministic time, with
    wall time only as a backstop, so reruns find the same plan on any machine. `large`
    shortens presolve (national-size models). `bound_focus` runs BOUND_SUBSOLVERS only.
    """
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = workers
    if bound_focus:
        p.num_workers = len(params.tuning.bound_subsolvers)
        p.subsolvers.extend(params.tuning.bound_subsolvers)
    p.random_seed = params.seed
    # Ctrl-C is handled in Python (runner.run_cp_sat): CP-SAT's own handler would kill the process.
    p.catch_sigint_signal = False
    if params.reproducible if deterministic is None else deterministic:
        p.max_deterministic_time = time_limit * params.tuning.deterministic_per_second
        # The time limit stays a promise: the clock stops a search whose work count runs
        # slower than on the reference machine, at the deadline (then no longer reproducible).
        deadline = max(0.1, params.search_until - time.perf_counter())
        p.max_time_in_seconds = min(params.backstop(time_limit), deadline)
    else:
        p.max_time_in_seconds = time_limit
    if params.gap:
        p.relative_gap_limit = params.gap
    if large:
        # On national-size models a full presolve takes most of a minute; search sooner.
        p.symmetry_level = 0
        p.cp_model_probing_level = 0
        p.max_presolve_iterations = 1
    return solver
