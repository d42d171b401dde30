"""`brief today --webhook…` and `brief send DATE` as cron runs them, against a real receiver."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_webhooks import make_sitrep
from webhook_server import Answer, webhook_receiver

from tests.conftest import EXAMPLE_DAY, EXAMPLES, run_brief

pytestmark = pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1$", r"localhost$"])

CONFIG = """
[deliver]
briefing_url = "https://intranet.example/sitrep-{{date}}.html"

[[deliver.webhook]]
kind = "slack"
name = "ops"
url_env = "OPS_SLACK_URL"
allow_private = true
enabled = {enabled}
"""


def _briefing_on_disk(folder: Path) -> None:
    out = folder / "briefings"
    out.mkdir()
    (out / "sitrep-2026-11-24.json").write_text(make_sitrep().model_dump_json(),
                                                encoding="utf-8")


def test_send_posts_once_then_reports_already_posted(tmp_path: Path) -> None:
    (tmp_path / "brief.toml").write_text(CONFIG.format(enabled="true"), encoding="utf-8")
    _briefing_on_disk(tmp_path)
    with webhook_receiver() as receiver:
        receiver.answer("/hook", Answer())
        env = {"OPS_SLACK_URL": receiver.url("/hook")}
        first = run_brief("send", "2026-11-24", cwd=tmp_path, env=env)
        second = run_brief("send", "2026-11-24", cwd=tmp_path, env=env)
        forced = run_brief("send", "2026-11-24", "--force", cwd=tmp_path, env=env)
        posts = receiver.posts("/hook")

    assert first.returncode == 0, first.stderr
    assert "posted to 1 webhook(s)" in first.stdout
    assert second.returncode == 0 and "already posted to ops" in second.stdout
    assert forced.returncode == 0 and len(posts) == 2
    assert posts[0].json()["blocks"][0]["text"]["text"] == "Coast Watch — 2026-11-24"


def test_send_exits_3_when_the_only_target_refuses(tmp_path: Path) -> None:
    (tmp_path / "brief.toml").write_text(CONFIG.format(enabled="true"), encoding="utf-8")
    _briefing_on_disk(tmp_path)
    with webhook_receiver() as receiver:
        receiver.answer("/hook", Answer(403, b"invalid_token"))
        result = run_brief("send", "2026-11-24", cwd=tmp_path,
                           env={"OPS_SLACK_URL": receiver.url("/hook")})

    assert result.returncode == 3
    assert "ops: 403 invalid_token" in result.stderr


def test_missing_url_variable_fails_before_the_run(tmp_path: Path) -> None:
    (tmp_path / "brief.toml").write_text(CONFIG.format(enabled="false"), encoding="utf-8")
    result = run_brief("today", "--inbox", str(EXAMPLES), "--date", EXAMPLE_DAY, "--webhook",
                       cwd=tmp_path)

    assert result.returncode == 1
    assert result.stderr.strip() == (
        "brief: deliver.webhook 'ops': environment variable OPS_SLACK_URL is empty or unset:"
        " export the webhook URL in it")
    assert not (tmp_path / "briefings").exists()


def test_today_dry_run_writes_the_payload(tmp_path: Path) -> None:
    (tmp_path / "brief.toml").write_text(CONFIG.format(enabled="false"), encoding="utf-8")
    result = run_brief("today", "--inbox", str(EXAMPLES), "--date", EXAMPLE_DAY,
                       "--format", "json", "--webhook-to-file", "outbox", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    [written] = (tmp_path / "outbox").iterdir()
    assert written.name == f"{EXAMPLE_DAY}-01-ops.slack.json"
    payload = json.loads(written.read_bytes())
    sitrep = json.loads((tmp_path / "briefings" / f"sitrep-{EXAMPLE_DAY}.json").read_bytes())
    header = payload["blocks"][0]["text"]["text"]
    assert header.count(EXAMPLE_DAY) == 1 and header.startswith(sitrep["title"])
    titles = [b["text"]["text"].split("\n")[0] for b in payload["blocks"]
              if b["type"] == "section" and b["text"]["text"].startswith("*")]
    assert titles[0] == "*Key takeaways*"
    assert len(titles) == 1 + len(sitrep["developments"]) + (1 if sitrep["outlook"] else 0)


def test_one_channel_dry_run_delivers_nothing_on_the_other(tmp_path: Path) -> None:
    mail = '[email]\nto = ["desk@example.org"]\nfrom = "brief@example.org"\nhost = "127.0.0.1"\n'
    (tmp_path / "brief.toml").write_text(mail + CONFIG.format(enabled="true"), encoding="utf-8")
    _briefing_on_disk(tmp_path)
    with webhook_receiver() as receiver:
        receiver.answer("/hook", Answer())
        env = {"OPS_SLACK_URL": receiver.url("/hook")}
        hooks_dry = run_brief("send", "2026-11-24", "--webhook-to-file", "hooks", cwd=tmp_path,
                              env=env)
        mail_dry = run_brief("send", "2026-11-24", "--email-to-file", "mail", cwd=tmp_path,
                             env=env)
        posts = receiver.posts("/hook")

    assert hooks_dry.returncode == 0, hooks_dry.stderr
    assert "sent to" not in hooks_dry.stdout + hooks_dry.stderr  # no mail was attempted
    assert [p.suffix for p in (tmp_path / "hooks").iterdir()] == [".json"]
    assert mail_dry.returncode == 0, mail_dry.stderr
    assert [p.suffix for p in (tmp_path / "mail").iterdir()] == [".eml"]
    assert posts == []
