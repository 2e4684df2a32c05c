"""The command line as a whole: every command documents itself, --version, exit codes."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest
from helpers import DATA, run_cli

from opr_planner import __version__
from opr_planner.cli import main


def _commands(
    group: click.Group = main, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every command and group under `group`, found recursively (future ones included)."""
    yield path, group
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))
        else:
            yield (*path, name), command


COMMANDS = list(_commands())
IDS = [" ".join(path) or "opr-planner" for path, _ in COMMANDS]


def test_the_foundation_commands_are_registered() -> None:
    assert {"validate", "check"} <= set(main.commands)


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_help(path: tuple[str, ...], command: click.Command) -> None:
    result = run_cli(*path, "--help")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Usage: ")
    assert (command.help or "").strip(), f"{IDS[COMMANDS.index((path, command))]} has no help text"
    first_line = command.help.strip().splitlines()[0]
    assert first_line.split()[0] in result.stdout


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_every_option_has_help(path: tuple[str, ...], command: click.Command) -> None:
    """STYLE 10: every option has help=."""
    missing = [
        p.name
        for p in command.params
        if isinstance(p, click.Option) and not p.hidden and not (p.help or "").strip()
    ]
    assert missing == []


def test_short_help_flag() -> None:
    result = run_cli("-h")
    assert result.exit_code == 0
    assert "validate" in result.stdout and "check" in result.stdout


def test_version() -> None:
    result = run_cli("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"opr-planner, version {__version__}"


def test_unknown_command_is_bad_usage() -> None:
    result = run_cli("vaildate", "x.yaml")
    assert result.exit_code == 2
    assert "No such command" in result.stderr


def test_missing_argument_is_bad_usage() -> None:
    result = run_cli("check", DATA / "tiny.yaml")
    assert result.exit_code == 2
    assert "Missing argument 'PLAN'" in result.stderr


def test_check_with_a_broken_scenario_exits_2() -> None:
    result = run_cli("check", DATA / "bad" / "misspelt-role.yaml", DATA / "tiny.plan.yaml")
    assert result.exit_code == 2
    assert "did you mean 'student'?" in result.stderr
    assert result.stdout == ""


def test_check_with_a_missing_plan_exits_2(tmp_path) -> None:
    result = run_cli("check", DATA / "tiny.yaml", tmp_path / "nope.plan.yaml")
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_check_warns_when_the_scenario_changed(tmp_path) -> None:
    changed = tmp_path / "tiny.yaml"
    changed.write_text((DATA / "tiny.yaml").read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    result = run_cli("check", changed, DATA / "tiny.plan.yaml")
    assert result.exit_code == 0
    assert "made for a different version" in result.stderr and "(the scenario file differs)" in result.stderr


def test_check_groups_violations_by_review() -> None:
    result = run_cli(
        "check", DATA / "conformance" / "tiny.yaml", DATA / "conformance" / "bad-missing-review.plan.yaml"
    )
    assert result.exit_code == 1
    out = result.stdout
    assert out.startswith("3 violation(s) of 2 rule(s): H1, H18")  # H18 for pa and pb
    assert "\nopr-pc:\n  H1 (every review planned exactly once): review opr-pc" in out
    assert (
        "\n(whole plan):\n  H18 (reviews per partnership): partnership pa has members in 1 review(s)" in out
    )
