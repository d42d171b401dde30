"""Settings a careless user or a crowded environment gives: each gets a clear answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.config import load_settings
from briefing.errors import ConfigError


def _write(path: Path, text: str, bom: bool = False) -> Path:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    config = _write(tmp_path / "brief.toml", 'title = "Morning"\ntakeaways = 4\n', bom=True)
    settings = load_settings(config, env={})
    assert (settings.title, settings.takeaways) == ("Morning", 4)


def test_tilde_in_config_file_is_the_home_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    config = _write(tmp_path / "brief.toml", 'inbox = ["~/briefing/inbox"]\nout_dir = "~/out"\n')
    settings = load_settings(config, env={})
    assert settings.inbox == [tmp_path / "home" / "briefing" / "inbox"]
    assert settings.out_dir == tmp_path / "home" / "out"


def test_tilde_on_the_command_line_is_the_home_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    settings = load_settings(None, {"inbox": ["~/in"], "db_path": "~/b.db"}, env={})
    assert settings.inbox == [tmp_path / "home" / "in"]
    assert settings.db_path == tmp_path / "home" / "b.db"


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ("takeaways = 100", "takeaways"),
        ("takeaways = 0", "takeaways"),
        ("max_file_bytes = -1", "max_file_bytes"),
        ("[fetch]\ntimeout = -5", "fetch.timeout"),
        ("[fetch]\nmax_bytes = 0", "fetch.max_bytes"),
        ("[llm]\ntimeout = -1", "llm.timeout"),
        ("[email]\nport = 70000", "email.port"),
    ],
)
def test_out_of_range_settings_name_the_key(tmp_path: Path, toml: str, key: str) -> None:
    config = _write(tmp_path / "brief.toml", toml + "\n")
    with pytest.raises(ConfigError, match=rf"bad setting '{key}'"):
        load_settings(config, env={})


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ("takeawys = 3", r"'takeawys'.*did you mean 'takeaways'\?"),
        ("[llm]\nmodle = 'x'", r"'llm.modle'.*did you mean 'model'\?"),
    ],
)
def test_unknown_key_suggests_the_close_one(tmp_path: Path, toml: str, expected: str) -> None:
    config = _write(tmp_path / "brief.toml", toml + "\n")
    with pytest.raises(ConfigError, match=expected):
        load_settings(config, env={})


def test_unrelated_brief_variables_are_ignored(tmp_path: Path) -> None:
    settings = load_settings(
        None, {}, env={"BRIEF_HOME": "/opt/x", "BRIEF_TAKEAWAYS": "4", "BRIEF_LLM_MODEL": "m"}
    )
    assert settings.takeaways == 4
    assert settings.llm.model == "m"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("9999-12-31", "out of range"),
        ("2026-13-01", "month 13 does not exist"),
        ("2026-02-30", "day 30 does not exist"),
        ("24/11/2026", "write it as YYYY-MM-DD"),
    ],
)
def test_bad_dates_get_one_clear_line(tmp_path: Path, value: str, message: str) -> None:
    result = CliRunner().invoke(cli, ["today", "--inbox", str(tmp_path), "--date", value])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_the_cache_folder_variable_is_brief_own_and_not_a_setting(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level("WARNING"):
        load_settings(None, {}, env={"BRIEF_CACHE_DIR": "/tmp/somewhere"})
    assert "BRIEF_CACHE_DIR" not in caplog.text
