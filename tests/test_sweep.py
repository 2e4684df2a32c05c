"""`sweep`: one plan per combination of rule/objective values, in parallel, resumable."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import TINY, Run, read_yaml_data, run_cli, write_yaml_data

from opr_planner.errors import ScenarioError
from opr_planner.evaluate import evaluate
from opr_planner.plan import read_plan
from opr_planner.scenario import load_scenario
from opr_planner.scenario.load import scenario_from_data
from opr_planner.sweep import build_variants, parse_varies, scenario_data

# Four variants of tiny.yaml (4 regions): min_regions 5 has no plan, the others do.
VARY = ("--vary", "rules.min_regions=1,2,3,5")
Swept = tuple[Path, Path, Run]
NAMES = ["min_regions=1", "min_regions=2", "min_regions=3", "min_regions=5"]


def sweep(scenario: Path, out: Path, *extra: str) -> Run:
    return run_cli("sweep", scenario, *VARY, "-o", out, "--time-limit", "20", *extra)


@pytest.fixture(scope="module")
def swept(tmp_path_factory: pytest.TempPathFactory) -> Swept:
    """One local-process sweep of tiny.yaml shared by the tests that only read it."""
    root = tmp_path_factory.mktemp("sweep")
    scenario = Path(shutil.copy(TINY, root / "tiny.yaml"))
    out = root / "out"
    return scenario, out, sweep(scenario, out, "--jobs", "2")


# -- variants ----------------------------------------------------------------------------


def test_vary_values_are_read_like_yaml() -> None:
    (a, b) = parse_varies(["rules.group_size={min: 3, max: 5},{min: 4, max: 6}", "rules.min_regions=2,null"])
    assert a.values == ({"min": 3, "max": 5}, {"min": 4, "max": 6})
    assert b.values == (2, None) and b.short == "min_regions"


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("rules.min_regions", "expected KEY=V1,V2"),
        ("calendar.start=2028-01-01", "not a rule or objective key"),
        ("rules.min_regions=2,,3", "non-empty"),
        ("rules.min_regions=2,2", "listed twice"),
    ],
)
def test_bad_vary_options_are_input_errors(option: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        parse_varies([option])


def test_a_missing_mapping_starts_from_the_defaults(tmp_path: Path) -> None:
    data = read_yaml_data(TINY)
    del data["rules"]["group_size"]  # default {min: 4, max: 6}
    path = write_yaml_data(tmp_path / "s.yaml", data)
    base = load_scenario(path)
    (variant,) = build_variants(base, scenario_data(path), parse_varies(["rules.group_size.max=5"]))
    assert variant.name == "group_size.max=5"
    assert scenario_from_data(variant.data).rules.group_size.min == 4


def test_every_combination_is_validated_before_solving() -> None:
    base = load_scenario(TINY)
    variants = build_variants(
        base, scenario_data(TINY), parse_varies(["rules.group_size.max=5,6", "objectives.region_links=0,4"])
    )
    assert [v.name for v in variants] == [
        "group_size.max=5,objectives.region_links=0",
        "group_size.max=5,objectives.region_links=4",
        "group_size.max=6,objectives.region_links=0",
        "group_size.max=6,objectives.region_links=4",
    ]
    with pytest.raises(ScenarioError) as bad:
        build_variants(
            base, scenario_data(TINY), parse_varies(["rules.group_sise.max=4", "rules.min_regions=-1"])
        )
    text = str(bad.value)
    assert "did you mean 'group_size'" in text and "rules.min_regions" in text


def test_cli_bad_key_exits_2_before_solving(tmp_path: Path) -> None:
    run = run_cli("sweep", TINY, "--vary", "rules.max_per_partnerships=2,3", "-o", tmp_path / "out")
    assert run.exit_code == 2
    assert "error: --vary rules.max_per_partnerships=2" in run.stderr and "did you mean" in run.stderr
    assert not (tmp_path / "out").exists()


# -- the sweep ---------------------------------------------------------------------------


def test_sweep_reports_the_infeasible_variant_and_the_others_metrics(swept: Swept) -> None:
    scenario, out, run = swept
    assert run.exit_code == 0, run.output
    plans = sorted(p.name for p in out.glob("*.plan.yaml"))
    assert plans == [f"{n}.plan.yaml" for n in NAMES[:3]], "no plan file for the infeasible variant"
    assert (out / "min_regions=5.infeasible.txt").read_text().count("rules.min_regions") >= 1
    lines = run.stdout.splitlines()
    row = {c[0]: c for c in (line.split() for line in lines) if len(c) > 1 and c[1] in ("yes", "yes*", "no")}
    assert row["5"][1] == "no" and len(row["5"]) == 3  # value, feasible, seconds: no figures
    for value in ("1", "2", "3"):
        assert (
            row[value][1] == "yes" and len(row[value]) == 14
        )  # + objective, 8 metrics, people, seats, seconds
    assert "Variants without a plan:" in run.stdout and "min_regions=5:" in run.stdout
    assert "needs members from 5 regions" in run.stdout
    base = load_scenario(scenario)
    for number, name in zip((1, 2, 3), NAMES):
        plan, warnings = read_plan(out / f"{name}.plan.yaml")
        assert warnings == []
        assert plan.solver is not None
        assert plan.solver.variant == {
            "name": name,
            "values": {"rules.min_regions": number},
            "base": {"path": str(scenario), "sha256": base.sha256},
        }
        assert plan.solver.seed == 0 and plan.solver.workers == 1 and plan.solver.version
        # The plan names the variant's own scenario file, which differs from the base in that value only.
        variant = load_scenario(out / f"{name}.scenario.yaml")
        assert plan.scenario.sha256 == variant.sha256 != base.sha256
        assert variant.rules.min_regions == number
        assert variant.model_copy(update={"rules": base.rules}).model_dump() == base.model_dump()
        evaluation = evaluate(variant, plan)
        assert evaluation.ok and evaluation.objective == plan.objective
        assert int(row[str(number)][2]) == plan.objective
    record = json.loads((out / "min_regions=5.result.json").read_text())
    assert record["status"] == "infeasible" and record["reasons"] and record["plan"] is None
    assert (out / "sweep.csv").read_text().count("\n") == 5


def test_sweep_plans_open_with_check_compare_and_export(swept: Swept, tmp_path: Path) -> None:
    scenario, out, _ = swept
    run = run_cli("compare", scenario, out / "min_regions=1.plan.yaml", out / "min_regions=3.plan.yaml")
    assert run.exit_code == 0, run.output
    assert "no (variant)" in run.stdout
    variant = out / "min_regions=2.scenario.yaml"
    run = run_cli("check", variant, out / "min_regions=2.plan.yaml")
    assert run.exit_code == 0, run.output
    run = run_cli("export", "html", variant, out / "min_regions=2.plan.yaml", "-o", tmp_path / "r.html")
    assert run.exit_code == 0, run.output
    assert (out / "min_regions=5.scenario.yaml").exists(), "an infeasible variant's scenario is kept too"


def test_an_interrupted_sweep_resumes_without_redoing_finished_variants(swept: Swept, tmp_path: Path) -> None:
    scenario, first, _ = swept
    out = tmp_path / "out"
    shutil.copytree(first, out)
    # As if interrupted while min_regions=2 was running: its record was never written.
    (out / "min_regions=2.result.json").unlink()
    (out / "min_regions=2.plan.yaml").unlink()
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    run = sweep(scenario, out, "--jobs", "1")
    assert run.exit_code == 0, run.output
    skipped = [line for line in run.stderr.splitlines() if "skipped (done)" in line]
    assert len(skipped) == 3 and not any("min_regions=2:" in line for line in skipped)
    assert "[2/4] min_regions=2: optimal" in run.stderr
    for name in (
        "min_regions=1.plan.yaml",
        "min_regions=3.result.json",
        "min_regions=3.scenario.yaml",
        "min_regions=5.infeasible.txt",
    ):
        assert (out / name).stat().st_mtime_ns == before[name], f"{name} was rewritten"
    assert (out / "min_regions=2.plan.yaml").read_text() == (
        first / "min_regions=2.plan.yaml"
    ).read_text().replace(
        _seconds(first / "min_regions=2.plan.yaml"), _seconds(out / "min_regions=2.plan.yaml")
    )
    # Another seed is another sweep: nothing is skipped.
    again = sweep(scenario, out, "--jobs", "2", "--seed", "1", "-q")
    assert again.exit_code == 0 and "skipped" not in again.stderr


def test_a_damaged_plan_file_is_solved_again_not_skipped(swept: Swept, tmp_path: Path) -> None:
    scenario, first, _ = swept
    out = tmp_path / "out"
    shutil.copytree(first, out)
    (out / "min_regions=3.plan.yaml").write_text("format: opr-plan/1\nreviews: [", encoding="utf-8")
    run = sweep(scenario, out, "--jobs", "1")
    assert run.exit_code == 0, run.output
    assert not any("min_regions=3" in line and "skipped" in line for line in run.stderr.splitlines())
    assert "min_regions=3: optimal" in run.stderr
    assert (out / "min_regions=3.plan.yaml").read_text() != "format: opr-plan/1\nreviews: ["


def _seconds(path: Path) -> str:
    return next(line for line in path.read_text().splitlines() if "seconds:" in line)


def test_a_variant_that_became_infeasible_loses_its_old_plan(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "min_regions=5.plan.yaml").write_text("from an older scenario\n")
    run = run_cli("sweep", TINY, "--vary", "rules.min_regions=5", "-o", out, "--jobs", "1", "-q")
    assert run.exit_code == 0, run.output
    assert not list(out.glob("*.plan.yaml"))
    assert (out / "min_regions=5.infeasible.txt").exists()


def test_sweep_on_a_local_dask_cluster_gives_the_same_plans(swept: Swept, tmp_path: Path) -> None:
    dask = pytest.importorskip("dask")
    distributed = pytest.importorskip("distributed")
    scenario, local, _ = swept
    out = tmp_path / "dask"

    with (
        dask.config.set({"temporary-directory": str(tmp_path / "dask-scratch")}),
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        ) as cluster,
    ):
        run = sweep(scenario, out, "--executor", "dask", "--scheduler", cluster.scheduler_address)
    assert run.exit_code == 0, run.output
    assert "on Dask cluster" in run.stderr
    for name in NAMES[:3]:
        ours, theirs = (
            [line for line in (d / f"{name}.plan.yaml").read_text().splitlines() if "seconds:" not in line]
            for d in (out, local)
        )
        assert ours == theirs, "a variant's plan does not depend on where it ran"
    assert not (out / "min_regions=5.plan.yaml").exists()


def test_dask_without_a_scheduler_is_a_usage_error(tmp_path: Path) -> None:
    run = run_cli("sweep", TINY, *VARY, "-o", tmp_path, "--executor", "dask")
    assert run.exit_code == 2
    assert "--scheduler" in run.stderr
