"""Helpers of the workbench tests: a planning folder and a logged-in test client."""

from __future__ import annotations

from pathlib import Path

import yaml
from helpers import DATA, TINY_PLAN
from starlette.testclient import TestClient

from opr_planner.plan import read_plan, write_plan
from opr_planner.scenario import load_scenario
from opr_planner.web import workspace
from opr_planner.web.app import create_app
from opr_planner.web.security import Access

SCENARIO = "tiny.yaml"
PLAN = "tiny.start.plan.yaml"


def planning_folder(root: Path) -> Path:
    """tests/data/tiny.yaml with its participants in participants.csv, and one valid plan."""
    data = yaml.safe_load((DATA / "tiny.yaml").read_text(encoding="utf-8"))
    people = data.pop("participants")
    data["participants_file"] = "participants.csv"
    root.mkdir(parents=True, exist_ok=True)
    (root / SCENARIO).write_text("# tiny\n" + workspace.dump_yaml(data), encoding="utf-8")
    (root / "participants.csv").write_text(workspace.participants_csv(people, ","), encoding="utf-8")
    # the plan as made for these files (its fingerprints are those of the folder's scenario)
    plan, _ = read_plan(TINY_PLAN)
    scenario = load_scenario(root / SCENARIO)
    ref = plan.scenario.model_copy(update={"sha256": scenario.sha256, "data_sha256": scenario.data_sha256})
    write_plan(plan.model_copy(update={"scenario": ref}), root / PLAN)
    return root


def client_for(folder: Path, *, login: bool = True, **kwargs: object) -> TestClient:
    access = Access(port=8123, extra_hosts=("testserver",))
    app = create_app(folder, access, solve_workers=1)
    client = TestClient(app, base_url="http://testserver", **kwargs)  # type: ignore[arg-type]
    client.access = access  # type: ignore[attr-defined]
    if login:
        r = client.get(f"/?token={access.token}", follow_redirects=False)
        assert r.status_code == 303 and "token" not in r.headers["location"]
    return client
