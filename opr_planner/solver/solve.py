"""`solve`: the pipeline from a scenario to the best plan found within the time limit.

compile (compile.py) -> pre-checks (infeasible.py) -> greedy start (greedy.py) ->
search: CP-SAT on the whole model (model.py, cpsat.py) with local search next to it
(runner.Assist), or on national-size scenarios local search alone (runner.run_local) ->
the best valid plan, judged by the evaluator (best.py) -> Result (result.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from ..calendar import WorkCalendar
from ..errors import InfeasibleError, NoSolutionError
from ..evaluate import evaluate
from ..plan import Plan
from ..scenario.models import Scenario
from ..timing import Clock
from ..wording import INTERRUPTED
from .best import Candidate, Outcome, candidate, choose, result_of
from .bounds import upper_bound
from .compile import SolverInput, compile_scenario
from .cpsat import check_status, search_model, statistics_of
from .greedy import greedy_attempt
from .hints import add_hint, hint_plan
from .infeasible import precheck
from .model import PlanModel
from .params import SolveParams, Tuning
from .repair import solve_keeping_confirmed
from .result import Method, Progress, ProgressHook, Result, SolveStatus, Source, Statistics, relative_gap
from .runner import run_local
from .solution import from_plan


def solve(
    scenario: Scenario,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    workers: int | None = None,
    gap: float | None = None,
    hint: Plan | None = None,
    on_progress: ProgressHook | None = None,
    calendar: WorkCalendar | None = None,
    tuning: Tuning | None = None,
    clock: Clock | None = None,
) -> Result:
    """Find the best plan within `time_limit` seconds.

    Raises InfeasibleError (with reasons) when no plan exists and NoSolutionError when
    none was found in time. Ctrl-C stops the search; the best plan so far is returned
    with status feasible and `interrupted=True`. A valid `hint` is never lost: the result
    is at least as good. `tuning` replaces the measured constants (tests shrink them).

    `clock`: when the run began (progress seconds count from there) and where the stage
    times go (compile, greedy, model, search; also in `Result.statistics.stages`).
    """
    clock = clock or Clock()
    params = SolveParams(time_limit, seed, workers, gap, tuning or Tuning(), started=clock.start)
    with clock.stage("compile"):
        cal = calendar or WorkCalendar(scenario)
        data = compile_scenario(scenario, cal)
        reasons = precheck(scenario, data, cal)
    pairs = data.pairs
    if params.reproducible:  # decide by work, not by the clock (params.Tuning)
        params = replace(params, spent=params.estimate_before_search(len(data.people), pairs))
    if reasons:
        raise InfeasibleError(*reasons)
    if hint is not None and any(r.confirmed or any(m.confirmed for m in r.members) for r in hint.reviews):
        # The hint's confirmed items stay fixed, the rest is a warm start (repair.py).
        options = {"time_limit": time_limit, "seed": seed, "workers": workers, "gap": gap}
        with clock.stage("search"):
            return solve_keeping_confirmed(
                scenario, data, hint, cal, **options, on_progress=on_progress, start=clock.start
            )
    with clock.stage("greedy"):
        greedy, params, stuck = _best_greedy(scenario, data, cal, params)
    first = clock.elapsed() if greedy is not None else None
    starts = _Starts(greedy, None, first, clock)
    try:
        # From the moment the greedy plan is shown, Ctrl-C keeps it.
        if greedy is not None and on_progress is not None:
            on_progress(Progress(clock.elapsed(), greedy.objective, None, 0))
        starts.hint = _valid_hint(scenario, data, cal, hint)
        if starts.begin is None and params.tuning.too_large_to_model(pairs):
            # The whole CP-SAT model of a scenario this size takes many GiB and minutes to
            # build, and would not find a first plan in the time: say why there is none.
            raise NoSolutionError(
                f"no plan found: the greedy start found none ({stuck}); a scenario with "
                f"{pairs:,} review x candidate pairs is too large to search without one. Relax the "
                "rule this points at (or the reasons above), or split the scenario"
            )
        if starts.begin is not None and (
            params.tuning.too_large_to_model(pairs) or _within_gap(data, params, starts.begin)
        ):
            return _local_only(scenario, data, cal, params, starts, on_progress)
        return _cp_sat(scenario, data, cal, params, hint, starts, on_progress)
    except KeyboardInterrupt:
        # Ctrl-C outside the searches (they handle it themselves): the best plan shown so far.
        best = starts.begin
        if best is None:
            raise NoSolutionError(INTERRUPTED) from None
        statistics = Statistics(Method.CP_SAT, Source(best.source), stages=dict(clock.stages))
        return result_of(
            best, starts.outcome(None, True, params.seed, params.workers_for(0), first, statistics)
        )


@dataclass
class _Starts:
    """The valid plans known before any search, when the first was there, and the clock."""

    greedy: Candidate | None
    hint: Candidate | None
    first: float | None  # seconds from clock.start to the first valid plan
    clock: Clock

    @property
    def begin(self) -> Candidate | None:
        """Where local search starts: the better of the two (the hint on a tie)."""
        return choose([self.hint, self.greedy])

    def outcome(
        self,
        bound: int | None,
        interrupted: bool,
        seed: int,
        workers: int,
        first: float | None,
        statistics: Statistics,
    ) -> Outcome:
        return Outcome(bound, interrupted, seed, workers, self.clock.start, first, statistics)


def _cp_sat(
    scenario: Scenario,
    data: SolverInput,
    cal: WorkCalendar,
    params: SolveParams,
    hint: Plan | None,
    starts: _Starts,
    on_progress: ProgressHook | None,
) -> Result:
    """CP-SAT on the whole model, warm-started, with local search from `starts.begin` next to it."""
    clock = starts.clock
    with clock.stage("model"):
        model = PlanModel(data, tuning=params.tuning)
        if hint is not None:
            hint_plan(model, data, hint)
        elif starts.greedy is not None:
            add_hint(model, from_plan(data, starts.greedy.plan))
    begin = starts.begin
    with clock.stage("search"):
        assist = from_plan(data, begin.plan) if begin is not None else None
        run = search_model(
            data,
            model,
            params,
            started=clock.start,
            on_progress=on_progress,
            assist=assist,
            first_solution=starts.first,
        )
        found = [
            None if run.solution is None else candidate(scenario, data, cal, Source.CP_SAT, run.solution),
            None
            if run.assisted is None
            else candidate(scenario, data, cal, Source.LOCAL_SEARCH, run.assisted),
        ]
    best = choose([*found, starts.hint, starts.greedy])
    if best is None:
        check_status(run, scenario, data, model, params.time_limit)
    assert best is not None
    statistics = statistics_of(run, model, data, best.source, dict(clock.stages))
    bound = run.bound if run.status != cp_model.INFEASIBLE else None  # a plan the model rejects: no proof
    return result_of(
        best, starts.outcome(bound, run.interrupted, params.seed, run.workers, run.first_solution, statistics)
    )


def _best_greedy(
    scenario: Scenario, data: SolverInput, cal: WorkCalendar, params: SolveParams
) -> tuple[Candidate | None, SolveParams, str | None]:
    """The better valid plan of the two greedy strategies (None if neither is valid), the
    params with what the greedy start taught about the time left, and why there is no
    valid greedy plan (a review it got stuck at, or the rules its plan breaks).

    The marginal pass (the better start, as a rule) runs first; the spreadsheet pass only
    when the marginal one found no valid plan, or when it ends within the first half of the
    time limit: a greedy plan of fewer passes rather than a broken promise. By the clock,
    judging the greedy plan also measures the reserve kept for writing the result; in
    reproducible runs both come from the work estimate (params.Tuning).
    """
    began = time.perf_counter()
    solution, stuck = greedy_attempt(data, marginal=True)
    judged = time.perf_counter()
    marginal = None if solution is None else candidate(scenario, data, cal, Source.GREEDY, solution)
    done = time.perf_counter()
    share = params.tuning.second_greedy_share * params.time_limit
    if params.reproducible:
        second = params.spent <= share
        if not second:  # the estimate counted two passes
            pairs = data.pairs
            params = replace(params, spent=params.spent - 0.4 * params.tuning.seconds_per_pair * pairs)
    else:
        # After the search the winner becomes a plan and is judged (up to three candidates),
        # and the command line judges it again for its summary and writes it.
        params = replace(params, reserve=0.2 + 4 * (done - judged))
        second = (done - params.started) + (done - began) <= share
    plain = None
    if second or marginal is None or not marginal.evaluation.ok:
        solution, stuck_too = greedy_attempt(data, marginal=False)
        plain = None if solution is None else candidate(scenario, data, cal, Source.GREEDY, solution)
        stuck = stuck or stuck_too
    best = choose([plain, marginal])
    if best is None:
        broken = sorted({rule for c in (plain, marginal) if c is not None for rule in c.evaluation.rule_ids})
        stuck = stuck or f"its plan breaks {', '.join(broken)}"
    return best, params, stuck


def _within_gap(data: SolverInput, params: SolveParams, begin: Candidate) -> bool:
    """Whether the start is already proven within --gap by counting: no model needed."""
    return bool(params.gap) and (relative_gap(begin.objective, upper_bound(data)) or 0.0) <= (params.gap or 0)


def _valid_hint(
    scenario: Scenario, data: SolverInput, cal: WorkCalendar, hint: Plan | None
) -> Candidate | None:
    """A hint that obeys every rule, rebuilt and scored afresh (its stated figures are not trusted)."""
    if hint is None or not evaluate(scenario, hint, cal).ok:
        return None
    solution = from_plan(data, hint)
    return candidate(scenario, data, cal, Source.HINT, solution) if solution.complete else None


def _local_only(
    scenario: Scenario,
    data: SolverInput,
    cal: WorkCalendar,
    params: SolveParams,
    starts: _Starts,
    on_progress: ProgressHook | None,
) -> Result:
    """National size (or a start already within --gap of the counting bound): no CP-SAT
    model; local search from `starts.begin`, bounded by counting."""
    begin = starts.begin
    assert begin is not None
    bound = max(upper_bound(data), begin.objective)
    with starts.clock.stage("search"):
        start = from_plan(data, begin.plan)
        run = run_local(data, start, params, started=starts.clock.start, bound=bound, on_progress=on_progress)
        found = candidate(scenario, data, cal, Source.LOCAL_SEARCH, run.best)
    best = choose([found, starts.hint, starts.greedy])
    assert best is not None  # `begin` is valid
    statistics = Statistics(
        method=Method.LOCAL_SEARCH,
        source=Source(best.source),
        candidates=data.pairs,
        local_search_steps=run.steps,
        local_search_improvements=run.improvements,
        stages=dict(starts.clock.stages),
    )
    return result_of(best, starts.outcome(bound, run.interrupted, params.seed, 1, starts.first, statistics))


# The public face of the solver: `solve` and the values it returns.
__all__ = [
    "Method",
    "Progress",
    "ProgressHook",
    "Result",
    "SolveStatus",
    "Source",
    "Statistics",
    "Tuning",
    "solve",
]
