"""Every command has help, and the README documents every command."""

from __future__ import annotations

import click
import pytest

from briefing.cli import cli
from tests.conftest import ROOT


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        found.append((full, command))
        if isinstance(command, click.Group):
            found += _commands(command, full + " ")
    return found


COMMANDS = _commands(cli)


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_has_help(name: str, command: click.Command) -> None:
    assert command.help and len(command.help.strip()) > 20, name
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{name} {param.opts[0]} has no help"


@pytest.mark.parametrize("name", [n for n, c in COMMANDS if not isinstance(c, click.Group)])
def test_readme_mentions_command(name: str) -> None:
    assert f"brief {name}" in (ROOT / "README.md").read_text(), name


@pytest.mark.parametrize(("name", "command"), [(n, c) for n, c in COMMANDS] + [("", cli)],
                         ids=[n for n, _ in COMMANDS] + ["brief"])
def test_help_shows_an_example(name: str, command: click.Command) -> None:
    """`--help` of every command shows one example a user can copy."""
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, [*name.split(), "--help"])
    assert result.exit_code == 0, result.output
    examples = [ln.strip() for ln in result.output.splitlines() if "Example:" in ln]
    assert len(examples) == 1, result.output
    assert f"brief {name}".strip() in examples[0], examples[0]
