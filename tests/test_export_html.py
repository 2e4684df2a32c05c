"""The board report: self-contained, escaped, in the scenario's language, reproducible."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from helpers import (
    KIT,
    REPO,
    TINY,
    TINY_PLAN,
    VALID_OBJECTIVE,
    needs_chromium,
    read_yaml_data,
    run_cli,
    write_yaml_data,
)

from opr_planner.export.html import html_report
from opr_planner.plan import Plan, read_plan
from opr_planner.scenario import Scenario, load_scenario

EXTERNAL = re.compile(
    r"""(?:src|href)\s*=\s*["']?\s*(?:https?:|//)|url\(\s*["']?\s*(?:https?:|//)|@import""", re.I
)
SCRIPT = REPO / "scripts" / "check_report_in_browser.sh"


def test_self_contained_no_scripts_no_external_resources(tiny: Scenario, tiny_plan: Plan) -> None:
    page = html_report(tiny, tiny_plan)
    assert page.startswith("<!DOCTYPE html>")
    assert not EXTERNAL.search(page)
    assert "<script" not in page.lower()
    assert '<link rel="stylesheet"' not in page
    assert "<style>" in page
    # One timeline per calendar year (2028) and the network picture, all inline SVG.
    assert page.count("<svg") == 2
    for section in ("timeline", "groups", "metrics", "network", "loads"):
        assert f'id="{section}"' in page


def test_names_are_escaped(tmp_path: Path) -> None:
    data = read_yaml_data(TINY)
    names = {"a1": "<script>alert(1)</script>", "c3": 'Maud "&" <b>C</b>'}
    for p in data["participants"]:
        if p["id"] in names:
            p["name"] = names[p["id"]]
    data["partnerships"][0]["name"] = "<img src=x onerror=alert(2)>"
    data["reviews"][0]["location"] = "</td><script>alert(3)</script>"
    scenario = load_scenario(write_yaml_data(tmp_path / "hostile.yaml", data))
    plan, _ = read_plan(TINY_PLAN)
    page = html_report(scenario, plan)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page.lower()
    assert "<img" not in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "Maud &#34;&amp;&#34; &lt;b&gt;C&lt;/b&gt;" in page
    assert "<b>C</b>" not in page


def test_content_dutch(tiny: Scenario, tiny_plan: Plan) -> None:
    page = html_report(tiny, tiny_plan, plan_label="tiny.plan.yaml")
    assert '<html lang="nl">' in page
    for text in (
        "Tijdlijn",
        "Reviewgroepen",
        "Kengetallen",
        "Verbindingen",
        "schoolvakantie",
        "voorzitter",
        "do 29 juni 2028",
    ):
        assert text in page
    assert f'<td class="num">{VALID_OBJECTIVE}</td>' in page  # the objective
    for metric in (
        "partnership_links",
        "co_member_links",
        "region_links",
        "inclusion",
        "diversity",
        "preferences",
        "load_sumsq",
        "max_load",
    ):
        assert f'<td title="{metric}">' in page  # the id as a tooltip, the name in words
        assert f"<code>{metric}</code>" not in page
    for name in (
        "Partnerschappen die elkaar bezoeken",
        "Deelnemers zonder partnerschap",
        "Spreiding van de belasting",
    ):
        assert name in page
    assert '<p class="verdict ok" id="verdict">Deze planning voldoet aan alle regels (H1–H18).</p>' in page
    assert "optimaal" in page and "optimal<" not in page  # the status in Dutch
    assert "Kerstvakantie" in page or "Zomervakantie" in page  # holiday names in Dutch
    assert "3 / 3 (100%)" in page  # partnership pairs that meet


def test_content_english(tmp_path: Path, tiny_plan: Plan) -> None:
    data = read_yaml_data(TINY)
    data["language"] = "en"
    page = html_report(load_scenario(write_yaml_data(tmp_path / "en.yaml", data)), tiny_plan)
    assert '<html lang="en">' in page
    for text in ("Timeline", "Review groups", "Metrics", "Connections", "school holiday", "Thu 29 June 2028"):
        assert text in page
    assert "Tijdlijn" not in page


def test_same_input_same_bytes(tiny: Scenario, tiny_plan: Plan) -> None:
    assert html_report(tiny, tiny_plan) == html_report(tiny, tiny_plan)


def test_a_plan_breaking_rules_is_marked(tiny: Scenario) -> None:
    plan, _ = read_plan(KIT / "bad-too-close.plan.yaml")
    page = html_report(tiny, plan)
    assert "Deze planning overtreedt harde regels" in page
    assert '<p class="verdict bad" id="verdict">Deze planning overtreedt 1 regel(s): H15.' in page
    assert "H15 – tijd tussen de reviews van één deelnemer" in page  # in Dutch, not the English message
    assert "apart" not in page and "days" not in page


def test_cli_writes_the_report(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = run_cli("export", "html", TINY, TINY_PLAN, "-o", out)
    assert result.exit_code == 0, result.output
    assert "<svg" in out.read_text(encoding="utf-8")


def test_cli_refuses_a_directory_as_output(tmp_path: Path) -> None:
    result = run_cli("export", "html", TINY, TINY_PLAN, "-o", tmp_path)
    assert result.exit_code == 2


def test_report_renders_in_a_real_browser_without_console_errors(tmp_path: Path) -> None:
    needs_chromium()
    shot = tmp_path / "shot.png"
    env = {**os.environ, "PYTHON": sys.executable, "KEEP": str(tmp_path / "work")}
    done = subprocess.run(
        ["bash", str(SCRIPT), str(TINY), str(TINY_PLAN), str(shot)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK:" in done.stdout
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    network = tmp_path / "shot-network.png"  # the network section on its own
    assert network.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    dom = (tmp_path / "work" / "dom.html").read_text(encoding="utf-8")
    assert 'id="network"' in dom and 'id="verdict"' in dom


FAKE_PYTHON = """#!/usr/bin/env bash
# Stands in for Python: `export html ... -o OUT` writes a page with a console error.
out=""; prev=""
for a in "$@"; do [ "$prev" = "-o" ] && out=$a; prev=$a; done
printf '%s' '<!DOCTYPE html><html><head><title>x</title></head><body><script>console.error("boom")</script></body></html>' > "$out"
"""


def test_the_browser_check_catches_console_errors(tmp_path: Path) -> None:
    """The check is not vacuous: a page that logs to the console fails it."""
    needs_chromium()
    fake = tmp_path / "fake-python"
    fake.write_text(FAKE_PYTHON, encoding="utf-8")
    fake.chmod(0o755)
    env = {**os.environ, "PYTHON": str(fake)}
    done = subprocess.run(
        ["bash", str(SCRIPT), str(TINY), str(TINY_PLAN), str(tmp_path / "shot.png")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1
    assert "console" in done.stderr and "boom" in done.stdout


# -- what a board reads: verdict, fixed dates, words, labels ---------------------------------


def test_english_report_is_english_throughout(tmp_path: Path) -> None:
    data = read_yaml_data(TINY)
    data["language"] = "en"
    scenario = load_scenario(write_yaml_data(tmp_path / "en.yaml", data))
    page = html_report(scenario, read_plan(TINY_PLAN)[0])
    assert "This plan meets every rule (H1–H18)." in page
    assert "Partnerships visiting each other" in page and "optimal (proven the best" in page
    bad = html_report(scenario, read_plan(KIT / "bad-too-close.plan.yaml")[0])
    assert "This plan breaks 1 rule(s): H15." in bad
    assert "H15 – spacing between a participant&#39;s reviews" in bad
    for dutch in ("voldoet", "overtreedt", "Tijdlijn", "vaste datum", "optimaal"):
        assert dutch not in page and dutch not in bad


def test_a_fixed_date_is_shown_as_fixed(tmp_path: Path) -> None:
    from opr_planner.export.figures import timelines
    from opr_planner.export.view import review_views

    data = read_yaml_data(TINY)
    plan, _ = read_plan(TINY_PLAN)
    data["reviews"][0]["fixed_date"] = plan.review["opr-pa"].date.isoformat()
    scenario = load_scenario(write_yaml_data(tmp_path / "fixed.yaml", data))
    lanes = [t.lanes[0] for t in timelines(scenario, review_views(scenario, plan), "nl")]
    bands = [b for lane in lanes for b in lane.bands if b.cls in ("window", "fixed")]
    assert [(b.cls, b.title) for b in bands] == [("fixed", "vaste datum: do 29 juni 2028")]
    assert bands[0].width <= 3.0  # one day, not a window across the year
    others = [t.lanes[1] for t in timelines(scenario, review_views(scenario, plan), "nl")]
    assert any(b.cls == "window" for lane in others for b in lane.bands)  # unfixed: a window
    page = html_report(scenario, plan)
    assert '<span class="badge fixed">vaste datum</span>' in page


def test_network_labels_are_whole_and_never_overlap() -> None:
    """A crowded network with long names: every label keeps its whole text (wrapped, not
    cut), no two labels or a label and a node overlap, and all lie inside the view box."""
    import networkx as nx

    from opr_planner.analysis.network import ORGANISATION, PARTNERSHIP, REGION
    from opr_planner.export.figures import network_picture
    from opr_planner.export.labels import CHAR_WIDTH, LINE_HEIGHT, Box

    graph = nx.Graph()
    for i in range(12):
        graph.add_node(
            (PARTNERSHIP, f"p{i}"),
            kind=PARTNERSHIP,
            label=f"Samenwerkingsverband Opleiden in de School nummer {i}",
        )
    for i in range(14):
        graph.add_node(
            (REGION, f"r{i}"), kind=REGION, label=f"Onderwijsregio Zuidoost-Brabant en omstreken {i}"
        )
    for i in range(6):
        graph.add_node(
            (ORGANISATION, f"o{i}"), kind=ORGANISATION, label=f"Stichting voor Openbaar Primair Onderwijs {i}"
        )
    for i in range(12):
        graph.add_edge((PARTNERSHIP, f"p{i}"), (PARTNERSHIP, f"p{(i + 1) % 12}"), kind="meets", reviews={"r"})
        graph.add_edge((PARTNERSHIP, f"p{i}"), (REGION, f"r{i}"), kind="in", reviews=set())
    picture = network_picture(graph)
    boxes = []
    for n in picture.nodes:
        assert "…" not in n.label
        assert " ".join(n.lines) == n.label and n.label in n.title  # whole (common words dropped)
        size = 12.0 if n.kind == PARTNERSHIP else 11.0
        width = max(len(line) for line in n.lines) * CHAR_WIDTH * size
        boxes.append(Box(n.label_x, n.label_y - 0.95 * size, width, len(n.lines) * LINE_HEIGHT * size))
    shapes = [
        Box(n.x - 14, n.y - 14, 28, 28) if n.kind == PARTNERSHIP else Box(n.x - 7, n.y - 7, 14, 14)
        for n in picture.nodes
    ]
    overlaps = [
        (i, j) for i, a in enumerate(boxes) for j, b in enumerate(boxes) if i < j and a.overlap(b) > 1.0
    ]
    assert overlaps == []
    assert [i for i, a in enumerate(boxes) for b in shapes if a.overlap(b) > 1.0] == []
    for b in boxes:
        assert picture.left <= b.x and b.x + b.w <= picture.left + picture.width + 0.5
        assert picture.top <= b.y and b.y + b.h <= picture.top + picture.height + 0.5
