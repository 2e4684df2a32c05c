"""How fast a hand edit's verdict appears in the workbench (docs/workbench.md).

Times the whole request a browser makes for one hand edit on the Plan page (replace a
member): the draft read back, the edit, the evaluator's verdict on the whole plan and the
groups rendered again, through the application in-process (no network). Targets:
< 200 ms on the bundled Midden-Nederland scenario, < 1 s on a national-size one (80
partnerships, 2,600 people; the `national` tier and `national-busy`, its calendars as busy
as real teachers'; the plan comes from the greedy start, valid or not: the verdict's cost
does not depend on it).

    python benchmarks/workbench.py [--repeat 20] [--skip-national]

Prints a table: scenario, people, reviews, median and worst latency, target, met.
"""

from __future__ import annotations

import argparse
import html
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from opr_planner.io.yamlio import dump_yaml  # noqa: E402
from opr_planner.plan import write_plan  # noqa: E402
from opr_planner.scenario import load_scenario  # noqa: E402


def _folder_midden(root: Path) -> tuple[str, str]:
    from opr_planner.solver.solve import solve

    for name in ("midden-nederland.yaml", "participants.csv"):
        (root / name).write_bytes((REPO / "scenarios" / "midden-nederland-csv" / name).read_bytes())
    scenario = load_scenario(root / "midden-nederland.yaml")
    write_plan(solve(scenario, time_limit=10, workers=1).plan, root / "midden-nederland.bench.plan.yaml")
    return "midden-nederland.yaml", "midden-nederland.bench.plan.yaml"


def _folder_tier(tier: str) -> Callable[[Path], tuple[str, str]]:
    """A planning folder with a generated scenario of benchmarks/tiers.py and its greedy plan."""

    def make(root: Path) -> tuple[str, str]:
        from benchmarks.tiers import TIERS
        from opr_planner.scenario.generate import generate
        from opr_planner.solver.greedy import greedy_plan

        data = generate(**TIERS[tier].generate, seed=1)
        (root / f"{tier}.yaml").write_text(dump_yaml(data), encoding="utf-8")
        scenario = load_scenario(root / f"{tier}.yaml")
        plan = greedy_plan(scenario)
        assert plan is not None, "the greedy start found no complete plan"
        write_plan(plan, root / f"{tier}.bench.plan.yaml")
        return f"{tier}.yaml", f"{tier}.bench.plan.yaml"

    return make


def measure(root: Path, scenario_key: str, plan_name: str, repeat: int) -> dict[str, object]:
    from starlette.testclient import TestClient

    from opr_planner.web.app import create_app
    from opr_planner.web.security import Access

    access = Access(port=1, extra_hosts=("testserver",))
    client = TestClient(create_app(root, access), base_url="http://testserver")
    client.get(f"/?token={access.token}")
    page = client.get(f"/plan?s={scenario_key}&p={plan_name}").text
    draft = html.unescape(page.split('name="draft" value="')[1].split('"')[0])
    scenario = load_scenario(root / scenario_key)
    from opr_planner.plan import read_plan

    plan, _ = read_plan(root / plan_name)
    first = plan.reviews[0]
    outsiders = [p.id for p in scenario.participants if p.id not in first.member_ids]
    times = []
    for i in range(repeat):
        by = outsiders[i % len(outsiders)]
        started = time.perf_counter()
        r = client.post(
            "/plan/edit",
            data={"s": scenario_key, "base": plan_name, "draft": draft, "op": "replace 0 0", "by-0-0": by},
            headers={"x-csrf-token": access.csrf, "hx-request": "true"},
        )
        times.append(time.perf_counter() - started)
        assert r.status_code == 200 and 'id="verdict"' in r.text
    return {
        "people": len(scenario.participants),
        "reviews": len(scenario.reviews),
        "median_ms": 1000 * statistics.median(times),
        "worst_ms": 1000 * max(times),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--skip-national", action="store_true")
    args = parser.parse_args()
    cases = [("midden-nederland", _folder_midden, 200.0)]
    if not args.skip_national:
        cases += [(tier, _folder_tier(tier), 1000.0) for tier in ("national", "national-busy")]
    load = os.getloadavg()[0]
    print(f"hand-edit verdict latency (load average {load:.1f})")
    print(
        f"{'scenario':<18} {'people':>6} {'reviews':>7} {'median ms':>10} {'worst ms':>9} {'target':>9}  met"
    )
    for name, make, target in cases:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            key, plan = make(root)
            row = measure(root, key, plan, args.repeat)
        met = "yes" if row["median_ms"] < target else "NO"  # type: ignore[operator]
        print(
            f"{name:<18} {row['people']:>6} {row['reviews']:>7} {row['median_ms']:>10.0f} "
            f"{row['worst_ms']:>9.0f} {f'< {target:.0f}':>9}  {met}"
        )


if __name__ == "__main__":
    main()
