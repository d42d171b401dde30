"""What a new user meets at the command line (issue 15), run as the real command."""

from __future__ import annotations

import json
import re
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefing.models import LeftOut
from briefing.prepare import nothing_message, period_hint
from tests.conftest import EXAMPLE_DAY, EXAMPLES, run_brief


def test_a_missing_inbox_is_an_error_naming_it(tmp_path: Path) -> None:
    # An old store must not turn a typo into a briefing.
    assert run_brief("today", "--inbox", str(EXAMPLES), "--date", EXAMPLE_DAY,
                     cwd=tmp_path).returncode == 0
    typo = tmp_path / "inbx"
    result = run_brief("today", "--inbox", str(typo), "--date", EXAMPLE_DAY, "--out", "again",
                       cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and str(typo) in result.stderr
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "again").exists()


def test_a_file_given_as_inbox_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<p>hello</p>")
    result = run_brief("today", "--inbox", str(page), cwd=tmp_path)
    assert result.returncode == 1 and "is not a folder" in result.stderr


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_is_accepted_before_or_after_the_command(tmp_path: Path, where: str) -> None:
    (tmp_path / "brief.toml").write_text("takeaways = 'many'\n")
    args = ["--debug", "config", "show"] if where == "before" else ["config", "show", "--debug"]
    result = run_brief(*args, cwd=tmp_path)
    assert result.returncode != 0
    assert "Traceback" in result.stderr and "ConfigError" in result.stderr
    plain = run_brief("config", "show", cwd=tmp_path)
    assert plain.stderr.count("\n") == 1 and "takeaways" in plain.stderr


def test_doctor_without_an_llm_is_fine(tmp_path: Path) -> None:
    result = run_brief("doctor", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "FAIL" not in result.stdout
    assert "extractive (offline) backend; no LLM configured" in result.stdout


def test_doctor_still_fails_when_the_llm_is_asked_for_without_a_key(tmp_path: Path) -> None:
    result = run_brief("doctor", cwd=tmp_path, env={"BRIEF_BACKEND": "openai"})
    assert result.returncode == 1 and "FAIL  no API key" in result.stdout


def test_estimate_without_an_llm_lists_no_calls(tmp_path: Path) -> None:
    result = run_brief("today", "--estimate", "--inbox", str(EXAMPLES), "--date", EXAMPLE_DAY,
                       cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no LLM calls" in result.stdout
    assert not re.search(r"calls: [1-9]|map|reduce|model:", result.stdout)


def test_config_show_prints_toml_that_loads_back(tmp_path: Path) -> None:
    (tmp_path / "brief.toml").write_text(
        'title = "Morning \\"brief\\""\ntakeaways = 4\n[llm]\nmodel = "file-model"\n'
        'prices = { "file-model" = [0.1, 0.4] }\n[email]\nto = ["a@example.org"]\n'
        'from = "Brief <b@example.org>"\n'
        '[[sources]]\nurl = "https://example.org/rss.xml"\nname = "example"\n'
    )
    env = {"OPENAI_API_KEY": "sk-supersecretvalue123"}
    result = run_brief("config", "show", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert "supersecretvalue" not in result.stdout
    shown = tomllib.loads(result.stdout)  # TOML, not JSON
    assert shown["title"] == 'Morning "brief"' and shown["takeaways"] == 4
    assert shown["llm"]["prices"] == {"file-model": [0.1, 0.4]}
    assert shown["email"]["from"] == "Brief <b@example.org>"
    assert shown["sources"][0]["name"] == "example"
    assert "api_key" not in shown["llm"] and "OPENAI_API_KEY" in result.stdout
    # What it prints is a config file: pasted back, it gives the same settings.
    again = tmp_path / "again"
    again.mkdir()
    (again / "brief.toml").write_text(result.stdout)
    second = run_brief("config", "show", "--json", cwd=again, env=env)
    first = run_brief("config", "show", "--json", cwd=tmp_path, env=env)
    assert second.returncode == 0, second.stderr
    strip = ("config_file", "db_path", "out_dir")  # paths are relative to the file
    assert {k: v for k, v in json.loads(second.stdout).items() if k not in strip} == {
        k: v for k, v in json.loads(first.stdout).items() if k not in strip
    }


def left(day: str, n: int) -> list[LeftOut]:
    when = datetime.fromisoformat(day + "T09:00:00+00:00").astimezone(UTC)
    return [LeftOut(location=f"{day}-{i}.html", title="t", published_at=when) for i in range(n)]


def test_period_hint_names_the_dates_left_out() -> None:
    hint = period_hint([*left("2026-11-24", 9), *left("2026-10-02", 1)], kept=1)
    assert hint == ("most articles fall outside this period (10 of 11): 9 articles from "
                    "2026-11-24, 1 article from 2026-10-02: try --date 2026-11-24")
    assert period_hint(left("2026-11-24", 2), kept=5) is None  # most were briefed


def test_period_hint_counts_days_in_the_configured_zone() -> None:
    late = [LeftOut(location="x", title="t",
                    published_at=datetime(2026, 11, 24, 23, 30, tzinfo=UTC))] * 2
    assert period_hint(late, 0, "Asia/Tokyo") is not None
    assert "2 articles from 2026-11-25" in (period_hint(late, 0, "Asia/Tokyo") or "")


def test_nothing_in_the_period_suggests_the_date() -> None:
    message = nothing_message([Path("inbox")], 3, [], (), [("2026-11-24", 3)])
    assert message.endswith("3 articles from 2026-11-24: try --date 2026-11-24")


def test_run_by_hand_after_the_articles_date_names_their_date(tmp_path: Path) -> None:
    result = run_brief("today", "--inbox", str(EXAMPLES), "--format", "md", cwd=tmp_path)
    # Today is long after the example day: the run says where the articles are.
    assert f"try --date {EXAMPLE_DAY}" in result.stderr
    assert re.search(rf"\d+ articles from {EXAMPLE_DAY}", result.stderr)
    assert "most articles fall outside this period" in result.stderr


@pytest.mark.parametrize("url", ["http://127.0.0.1/feed.xml", "http://localhost/feed.xml",
                                 "http://10.1.2.3/feed.xml"])
def test_a_refused_private_address_names_the_flag(url: str) -> None:
    from briefing.errors import BlockedAddressError
    from briefing.netguard import check_url

    with pytest.raises(BlockedAddressError) as refused:
        check_url(url)
    assert "brief sources add URL --allow-private" in str(refused.value)


def test_allow_private_is_documented() -> None:
    from click.testing import CliRunner

    from briefing.cli import cli
    from tests.conftest import ROOT

    shown = CliRunner().invoke(cli, ["sources", "add", "--help"]).output
    assert "--allow-private" in shown.split("Options:")[0]  # explained, with an example
    assert "--allow-private" in (ROOT / "README.md").read_text()
