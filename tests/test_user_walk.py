"""Errors a new user meets walking through the README, run as the real command."""

from __future__ import annotations

import socket
import tomllib
from pathlib import Path

import pytest

from briefing.config import WebhookTarget
from briefing.deliver import DeliveryReport
from briefing.errors import ConfigError
from briefing.smtp import Refusal
from briefing.webhooks import check_target
from tests.conftest import EXAMPLE_DAY, EXAMPLES, run_brief


def _one_clean_line(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    return lines[0]


def test_an_unknown_format_is_named_with_its_option(tmp_path: Path) -> None:
    result = run_brief("today", "--format", "md,docx", cwd=tmp_path)
    assert result.returncode == 2
    assert "'--format'" in result.stderr and "'docx' is not a format" in result.stderr
    assert not (tmp_path / "briefings").exists()


def test_log_reads_its_date_as_today_does(tmp_path: Path) -> None:
    result = run_brief("log", "--date", "2026-13-01", cwd=tmp_path)
    assert result.returncode == 2 and "month 13 does not exist" in result.stderr


def test_a_loopback_source_is_refused_when_added_unless_allowed(tmp_path: Path) -> None:
    url = "http://127.0.0.1:8765/feed.xml"
    refused = run_brief("sources", "add", url, "--name", "local", cwd=tmp_path)
    line = _one_clean_line(refused.stderr)
    assert refused.returncode == 1 and url in line and "--allow-private" in line
    assert "no sources yet" in run_brief("sources", "list", cwd=tmp_path).stdout
    added = run_brief("sources", "add", url, "--name", "local", "--allow-private", cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    again = run_brief("sources", "add", url, "--allow-private", cwd=tmp_path)
    line = _one_clean_line(again.stderr)
    assert again.returncode == 1 and "brief sources remove local" in line


def test_extract_given_a_folder_says_so(tmp_path: Path) -> None:
    result = run_brief("extract", str(EXAMPLES), cwd=tmp_path)
    line = _one_clean_line(result.stderr)
    assert result.returncode == 1 and str(EXAMPLES) in line and "is a folder" in line


def test_send_names_the_missing_or_broken_json(tmp_path: Path) -> None:
    out = tmp_path / "briefings"
    written = run_brief("today", "--inbox", str(EXAMPLES), "--date", EXAMPLE_DAY,
                        "--format", "md", "--out", str(out), cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    env = {"BRIEF_OUT_DIR": str(out)}
    no_json = run_brief("send", EXAMPLE_DAY, "--email-to-file", "outbox", cwd=tmp_path, env=env)
    line = _one_clean_line(no_json.stderr)
    assert no_json.returncode == 1 and f"sitrep-{EXAMPLE_DAY}.json" in line
    assert "json among the formats" in line
    (out / f"sitrep-{EXAMPLE_DAY}.json").write_text("{", encoding="utf-8")
    broken = run_brief("send", EXAMPLE_DAY, "--email-to-file", "outbox", cwd=tmp_path, env=env)
    line = _one_clean_line(broken.stderr)
    assert broken.returncode == 1 and "is not a briefing brief can read" in line


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_mail_server_that_is_down_is_one_line_saying_what_to_do(tmp_path: Path) -> None:
    port = _closed_port()
    (tmp_path / "brief.toml").write_text(
        'out_dir = "out"\n[email]\nto = ["a@example.org", "b@example.org"]\n'
        f'from = "brief@example.org"\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n',
        encoding="utf-8")
    written = run_brief("today", "--inbox", str(EXAMPLES), "--date", EXAMPLE_DAY,
                        "--format", "md,json", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    result = run_brief("send", EXAMPLE_DAY, cwd=tmp_path)
    line = _one_clean_line(result.stderr)
    assert result.returncode == 3 and line.startswith("brief: ")
    assert line.count(f"127.0.0.1:{port}") == 1 and "check the [email] settings" in line


def test_a_refusal_without_a_reply_code_shows_no_placeholder() -> None:
    report = DeliveryReport(date=EXAMPLE_DAY)
    report.refused = [Refusal("a@example.org", 550, "no such user"),
                      Refusal("b@example.org", None, "connection reset")]
    shown = report.summary()
    assert "a@example.org: 550 no such user" in shown
    assert "b@example.org: connection reset" in shown and " - " not in shown


def test_the_variable_a_webhook_reads_its_url_from_is_not_a_stray_setting(
        tmp_path: Path) -> None:
    (tmp_path / "brief.toml").write_text(
        '[[deliver.webhook]]\nkind = "slack"\nname = "ops"\nurl_env = "BRIEF_SLACK_URL"\n'
        '[email]\npassword_env = "BRIEF_MAIL_SECRET"\n', encoding="utf-8")
    env = {"BRIEF_SLACK_URL": "https://hooks.example/T1", "BRIEF_MAIL_SECRET": "s3cret",
           "BRIEF_NO_SUCH_KEY": "1"}
    result = run_brief("config", "show", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert "BRIEF_SLACK_URL" not in result.stderr and "BRIEF_MAIL_SECRET" not in result.stderr
    assert "BRIEF_NO_SUCH_KEY" in result.stderr  # an unknown setting is still named


def test_a_loopback_webhook_is_told_the_webhook_fix() -> None:
    hook = WebhookTarget(kind="json", name="ops", url="https://127.0.0.1:9/hook")  # type: ignore[arg-type]
    with pytest.raises(ConfigError) as refused:
        check_target(hook, {})
    message = str(refused.value)
    assert "deliver.webhook 'ops'" in message and "[[deliver.webhook]]" in message
    assert "brief sources add" not in message


def test_a_good_morning_run_is_silent_on_stderr_so_cron_mails_nothing(tmp_path: Path) -> None:
    # The example inbox has a page with hidden passages: the briefing lists them, stderr not.
    result = run_brief("today", "--inbox", str(EXAMPLES), "--date", EXAMPLE_DAY,
                       "--format", "md", cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == ""
    briefing = (tmp_path / "briefings" / f"sitrep-{EXAMPLE_DAY}.md").read_text(encoding="utf-8")
    assert "passage(s) held back" in briefing
    verbose = run_brief("-v", "today", "--inbox", str(EXAMPLES), "--date", EXAMPLE_DAY,
                        "--format", "md", "--out", "again", cwd=tmp_path)
    assert "held back" in verbose.stderr


def test_config_show_writes_webhooks_as_the_readme_does_and_they_load_back(
        tmp_path: Path) -> None:
    (tmp_path / "brief.toml").write_text(
        '[[deliver.webhook]]\nkind = "slack"\nname = "ops"\nurl_env = "OPS_HOOK"\n'
        '[[deliver.webhook]]\nkind = "json"\nname = "dash"\n'
        'url = "https://hooks.example/secret-path"\n', encoding="utf-8")
    result = run_brief("config", "show", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "[[deliver.webhook]]" in result.stdout and '"None"' not in result.stdout
    assert "secret-path" not in result.stdout and "**" not in result.stdout
    hooks = tomllib.loads(result.stdout)["deliver"]["webhook"]
    assert [h["name"] for h in hooks] == ["ops", "dash"]
    assert hooks[0]["url_env"] == "OPS_HOOK" and "url" not in hooks[0]
    assert "url_env" not in hooks[1]  # unset, so not the variable "None"


def test_log_file_records_each_run_and_how_it_ended(tmp_path: Path) -> None:
    (tmp_path / "brief.toml").write_text('log_file = "runs.log"\n', encoding="utf-8")
    good = run_brief("today", "--inbox", str(EXAMPLES), "--date", EXAMPLE_DAY, "--format", "md",
                     cwd=tmp_path)
    assert good.returncode == 0, good.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    bad = run_brief("today", "--inbox", str(empty), "--date", "2026-11-10", "--format", "md",
                    cwd=tmp_path)
    assert bad.returncode == 1
    logged = (tmp_path / "runs.log").read_text(encoding="utf-8")
    assert f"wrote {Path('briefings') / f'sitrep-{EXAMPLE_DAY}.md'}" in logged
    assert "exit 1: " in logged and str(empty) in logged


def test_a_log_file_that_cannot_be_opened_names_the_setting(tmp_path: Path) -> None:
    (tmp_path / "brief.toml").write_text('log_file = "no/such/dir/runs.log"\n', encoding="utf-8")
    result = run_brief("today", "--inbox", str(EXAMPLES), "--date", EXAMPLE_DAY, cwd=tmp_path)
    line = _one_clean_line(result.stderr)
    assert result.returncode == 1 and "log_file" in line and "runs.log" in line


def test_a_missing_sender_says_where_to_set_it(tmp_path: Path) -> None:
    result = run_brief("today", "--email", "--email-to-file", "outbox", "--inbox", str(EXAMPLES),
                       "--date", EXAMPLE_DAY, cwd=tmp_path, env={"BRIEF_EMAIL_TO": "a@example.org"})
    line = _one_clean_line(result.stderr)
    assert result.returncode == 1 and "email.from is not set" in line
    assert "BRIEF_EMAIL_FROM" in line


def test_one_source_checked_is_singular() -> None:
    from briefing.sources.report import SourceReport, SourceStatus, health_lines

    lines = health_lines([SourceReport(name="wire", url="u1", kind="feed",
                                       status=SourceStatus.FAILED, reason="HTTP 500")])
    assert lines[0].startswith("1 source checked: 0 with new articles, 1 failed")


def test_schedule_warns_when_the_job_it_prints_could_not_mail(tmp_path: Path) -> None:
    bare = run_brief("schedule", "--no-systemd", cwd=tmp_path)
    assert bare.returncode == 0 and "today --email" in bare.stdout
    assert "email.to is empty" in _one_clean_line(bare.stderr)
    ready = run_brief("schedule", "--no-systemd", cwd=tmp_path, env={
        "BRIEF_EMAIL_TO": "a@example.org", "BRIEF_EMAIL_FROM": "b@example.org",
        "BRIEF_SMTP_HOST": "smtp.example.org"})
    assert ready.returncode == 0 and ready.stderr == ""


def test_a_feed_is_read_for_the_past_day_asked_for(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta
    from email.utils import format_datetime

    from servers import Reply, TestServer, article_page, rss

    published = datetime.now(UTC).replace(hour=9, minute=0) - timedelta(days=10)
    paragraphs = [
        "Flood waters rose across the Orontes valley on Tuesday, forcing at least 300 families"
        " to leave their homes, according to the provincial civil defence directorate.",
        "The directorate said rescue teams had evacuated residents of six villages by boat and"
        " that two bridges on the road to Jisr al-Shughur had been closed to traffic.",
        "Farmers said the floods had destroyed much of the winter wheat planted in the lowlands,"
        " and local councils appealed for pumps, fuel and blankets.",
    ]
    with TestServer() as srv:
        srv.route("/feed.xml", Reply(body=rss([{
            "title": "Floods force hundreds from homes", "link": srv.url("/floods.html"),
            "guid": "floods-1", "pubDate": format_datetime(published, usegmt=True),
        }]), headers={"Content-Type": "application/rss+xml"}))
        srv.route("/floods.html", Reply(
            body=article_page("Floods force hundreds from homes", paragraphs,
                              published.isoformat()),
            headers={"Content-Type": "text/html; charset=utf-8"}))
        (tmp_path / "brief.toml").write_text(
            f'formats = ["md"]\n[fetch]\nper_host_delay = 0.0\n[[sources]]\n'
            f'url = "{srv.url("/feed.xml")}"\nname = "valley"\nallow_private = true\n',
            encoding="utf-8")
        today = run_brief("today", cwd=tmp_path)
        line = _one_clean_line(today.stderr)
        assert today.returncode == 1 and "valley has only older items" in line
        assert f"newest {published:%Y-%m-%d}" in line and "--date" in line
        day = f"{published:%Y-%m-%d}"
        past = run_brief("today", "--date", day, cwd=tmp_path)
        assert past.returncode == 0, past.stderr
    briefing = (tmp_path / "briefings" / f"sitrep-{day}.md").read_text(encoding="utf-8")
    assert "Orontes valley" in briefing


def test_a_missing_templates_dir_is_named_before_anything_is_read(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("frontlinewire-hama-airstrikes.html", "orontespost-hama-field-hospital.html"):
        (inbox / name).write_bytes((EXAMPLES / name).read_bytes())
    (tmp_path / "brief.toml").write_text(
        'inbox = ["inbox"]\ntemplates_dir = "my-templates"\n', encoding="utf-8")
    result = run_brief("today", "--date", EXAMPLE_DAY, cwd=tmp_path)
    assert result.returncode != 0
    line = _one_clean_line(result.stderr)
    assert "templates_dir" in line and "my-templates" in line and "not a folder" in line
    # Nothing was read or stored: the setting is checked first.
    assert "Reading" not in result.stderr and not (tmp_path / "brief.db").exists()


def test_read_only_commands_make_no_store(tmp_path: Path) -> None:
    empty = run_brief("sources", "list", cwd=tmp_path)
    assert empty.returncode == 0 and "no sources yet" in empty.stdout
    assert "no store at brief.db yet" in _one_clean_line(empty.stderr)
    (tmp_path / "brief.toml").write_text(
        '[[sources]]\nurl = "https://wire.example/feed.xml"\nname = "wire"\n', encoding="utf-8")
    listed = run_brief("sources", "list", cwd=tmp_path)
    assert listed.returncode == 0 and "wire" in listed.stdout, listed.stderr
    removed = run_brief("sources", "remove", "wire", cwd=tmp_path)
    assert removed.returncode != 0 and "brief.toml" in _one_clean_line(removed.stderr)
    logged = run_brief("log", cwd=tmp_path)
    assert "no store at brief.db" in _one_clean_line(logged.stderr)
    assert not (tmp_path / "brief.db").exists()
