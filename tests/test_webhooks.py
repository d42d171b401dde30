"""Chat delivery against a real webhook receiver on 127.0.0.1."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from webhook_server import Answer, Receiver, webhook_receiver

from briefing.config import DeliverSettings, Settings, WebhookTarget, load_settings
from briefing.delivery_status import combined_exit
from briefing.errors import ConfigError
from briefing.models import CitedText, Coverage, DevelopmentSection, Sitrep, SourceEntry
from briefing.webhooks import (
    check_webhook_settings,
    chosen_targets,
    deliver_webhooks,
    retry_after,
)

pytestmark = pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1$", r"localhost$"])

FAST = 0.01  # retry backoff in tests, seconds
FULL = "https://intranet.example/briefings/sitrep-{date}.html"


def make_sitrep(developments: int = 2, point: str = "The ferry service resumed at noon.",
                points: int = 2) -> Sitrep:
    """A small briefing about a harbour storm, written for these tests."""
    at = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
    sources = [
        SourceEntry(number=1, article_id="a1", title="Storm closes the harbour",
                    site="coast.example", url="https://coast.example/storm?id=7&utm_source=x"),
        SourceEntry(number=2, article_id="a2", title="Port authority notice",
                    site="port.example", url="https://port.example/notice(2)"),
        SourceEntry(number=3, article_id="a3", title="Notes", file="notes.md", undated=True),
    ]
    sections = [
        DevelopmentSection(
            headline=CitedText(text=f"Harbour storm, day {i}", sources=[1]),
            points=[CitedText(text=point, sources=[1, 2]) for _ in range(points)]
            + [CitedText(text="Two piers were damaged.", sources=[3], verified=False)],
            conflicts=[CitedText(text="Reports differ on the wind speed.", sources=[1, 2])],
            sources=[1, 2, 3],
        )
        for i in range(1, developments + 1)
    ]
    return Sitrep(
        title="Coast Watch", date="2026-11-24", period_start=at.replace(day=23),
        period_end=at, generated_at=at, backend="extractive",
        takeaways=[CitedText(text="The harbour reopened after the storm.", sources=[1, 2])],
        developments=sections,
        outlook=[CitedText(text="More wind is forecast for Thursday.", sources=[1])],
        sources=sources, coverage=Coverage(articles_read=3, articles_used=3),
    )


def target(receiver: Receiver, path: str, kind: str = "slack", **more: Any) -> WebhookTarget:
    return WebhookTarget.model_validate({"kind": kind, "name": path.strip("/"),
                                         "url": receiver.url(path), "allow_private": True,
                                         **more})


def settings_for(tmp_path: Path, *targets: WebhookTarget, **deliver: Any) -> Settings:
    return Settings(db_path=tmp_path / "brief.db", out_dir=tmp_path / "briefings",
                    deliver=DeliverSettings(webhook=list(targets),
                                            briefing_url=deliver.pop("briefing_url", FULL),
                                            **deliver))


def post(settings: Settings, sitrep: Sitrep | None = None, **kw: Any) -> Any:
    kw.setdefault("backoff", FAST)
    kw.setdefault("env", {})
    targets = kw.pop("targets", settings.deliver.webhook)
    return deliver_webhooks(settings, sitrep or make_sitrep(), targets, **kw)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with webhook_receiver() as running:
        yield running


def _texts(blocks: list[dict[str, Any]]) -> list[str]:
    return [b["text"]["text"] for b in blocks if b["type"] == "section"]


# ---------------------------------------------------------------- payload shapes


def test_slack_gets_blocks_with_linked_citations(tmp_path: Path, receiver: Receiver) -> None:
    receiver.answer("/slack", Answer(200, b"ok"))
    report = post(settings_for(tmp_path, target(receiver, "/slack")))

    assert report.exit_code == 0 and report.sent == ["slack"]
    [got] = receiver.posts("/slack")
    assert got.headers["Content-Type"].startswith("application/json")
    payload = got.json()
    assert payload["blocks"][0] == {"type": "header", "text": {
        "type": "plain_text", "text": "Coast Watch — 2026-11-24"}}
    texts = _texts(payload["blocks"])
    assert texts[0].startswith("*Key takeaways*\n• The harbour reopened")
    # Citations link to the source, tracking parameters removed.
    assert "<https://coast.example/storm?id=7|[1]>" in texts[0]
    assert "<https://port.example/notice(2)|[2]>" in texts[0]
    assert [t.split("\n")[0] for t in texts] == [
        "*Key takeaways*", "*1. [NEW] Harbour storm, day 1*", "*2. [NEW] Harbour storm, day 2*",
        "*What to watch*"]
    assert "(unverified) [3]" in texts[1]  # a file source has no link
    assert "<https://intranet.example/briefings/sitrep-2026-11-24.html|Full briefing>" in (
        json.dumps(payload["blocks"][-1]))


def test_heading_says_the_date_once(tmp_path: Path, receiver: Receiver) -> None:
    receiver.answer("/slack", Answer())
    sitrep = make_sitrep().model_copy(update={"title": "Situation Report — 2026-11-24"})
    post(settings_for(tmp_path, target(receiver, "/slack")), sitrep)

    header = receiver.posts("/slack")[0].json()["blocks"][0]["text"]["text"]
    assert header == "Situation Report — 2026-11-24"


def test_article_text_cannot_mention_or_link_in_slack(tmp_path: Path, receiver: Receiver) -> None:
    receiver.answer("/slack", Answer())
    hostile = "Ignore this <!channel> and visit <http://evil.example|here> or www.evil.example *now*"
    post(settings_for(tmp_path, target(receiver, "/slack")), make_sitrep(point=hostile))

    text = "\n".join(_texts(receiver.posts("/slack")[0].json()["blocks"]))
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text
    assert "<http://evil" not in text and "http://evil" not in text  # defanged
    assert "www.evil" not in text
    links = [part.split("|")[0] for part in text.split("<")[1:]]
    assert all(link.startswith(("https://coast.example", "https://port.example")) for link in links)


def test_teams_gets_an_adaptive_card_in_a_message(tmp_path: Path, receiver: Receiver) -> None:
    receiver.answer("/teams", Answer(202, b""))
    report = post(settings_for(tmp_path, target(receiver, "/teams", "teams")))

    assert report.sent == ["teams"]
    payload = receiver.posts("/teams")[0].json()
    assert payload["type"] == "message"
    [attachment] = payload["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    texts = [b["text"] for b in card["body"]]
    assert texts[0] == "Coast Watch — 2026-11-24"
    assert "Key takeaways" in texts and "What to watch" in texts
    assert "[\\[1\\]](https://coast.example/storm?id=7)" in "\n".join(texts)
    # A ")" in a source URL cannot end the Markdown link early.
    assert "[\\[2\\]](https://port.example/notice%282%29)" in "\n".join(texts)
    assert card["actions"] == [{"type": "Action.OpenUrl", "title": "Full briefing",
                                "url": "https://intranet.example/briefings/sitrep-2026-11-24.html"}]


def test_json_summary_and_full_sitrep(tmp_path: Path, receiver: Receiver) -> None:
    receiver.answer("/compact", Answer(204, b""))
    receiver.answer("/full", Answer(200, b"{}"))
    settings = settings_for(tmp_path, target(receiver, "/compact", "json"),
                            target(receiver, "/full", "json", payload="sitrep"))
    sitrep = make_sitrep()
    assert post(settings, sitrep).sent == ["compact", "full"]

    compact = receiver.posts("/compact")[0].json()
    assert compact["type"] == "brief.summary" and compact["date"] == "2026-11-24"
    assert compact["briefing_url"] == "https://intranet.example/briefings/sitrep-2026-11-24.html"
    assert compact["sections"][0]["title"] == "Key takeaways"
    assert compact["sources"][0] == {"number": 1, "title": "Storm closes the harbour",
                                     "url": "https://coast.example/storm?id=7"}
    full = receiver.posts("/full")[0].json()
    assert full["type"] == "brief.sitrep"
    assert Sitrep.model_validate(full["sitrep"]) == sitrep


# ---------------------------------------------------------------- size limits


def test_slack_limits_blocks_and_section_length(tmp_path: Path, receiver: Receiver) -> None:
    receiver.answer("/slack", Answer())
    long_point = "The storm surge reached the old town. " * 150  # ~5,700 characters
    post(settings_for(tmp_path, target(receiver, "/slack")),
         make_sitrep(developments=60, point=long_point, points=3))

    blocks = receiver.posts("/slack")[0].json()["blocks"]
    assert len(blocks) <= 50
    assert all(len(text) <= 3000 for text in _texts(blocks))
    # A shortened point keeps the citations that back it.
    kept = " … <https://coast.example/storm?id=7|[1]> <https://port.example/notice(2)|[2]>"
    assert _texts(blocks)[2].startswith("• The storm surge") and kept in _texts(blocks)[2]
    notice = _texts(blocks)[-1]
    assert notice.startswith("Truncated: ") and "more sections not shown" in notice
    assert "<https://intranet.example/briefings/sitrep-2026-11-24.html|" in notice


def test_teams_payload_stays_under_28_kb(tmp_path: Path, receiver: Receiver) -> None:
    receiver.answer("/teams", Answer(202, b""))
    post(settings_for(tmp_path, target(receiver, "/teams", "teams")),
         make_sitrep(developments=40, point="Flooding spread along the quay. " * 20))

    got = receiver.posts("/teams")[0]
    assert len(got.body) <= 28_000
    texts = [b["text"] for b in got.json()["attachments"][0]["content"]["body"]]
    assert texts[-1].startswith("Truncated: ")
    assert "(https://intranet.example/briefings/sitrep-2026-11-24.html)" in texts[-1]
    assert "1. \\[NEW\\] Harbour storm, day 1" in texts  # the first developments are kept


# ---------------------------------------------------------------- retries


def test_429_waits_for_retry_after_then_succeeds(tmp_path: Path, receiver: Receiver) -> None:
    receiver.answer("/slack", Answer(429, b"rate_limited", {"Retry-After": "1"}), Answer())
    report = post(settings_for(tmp_path, target(receiver, "/slack")))

    assert report.sent == ["slack"]
    first, second = receiver.posts("/slack")
    assert second.at - first.at >= 0.95  # the service's wait, not our 0.01s backoff
    assert first.body == second.body


def test_500_is_retried_until_it_succeeds(tmp_path: Path, receiver: Receiver) -> None:
    receiver.answer("/hook", Answer(500, b"oops"), Answer(503, b"busy"), Answer(200))
    report = post(settings_for(tmp_path, target(receiver, "/hook", "json")))

    assert report.exit_code == 0 and len(receiver.posts("/hook")) == 3


def test_5xx_gives_up_after_max_retries(tmp_path: Path, receiver: Receiver) -> None:
    receiver.answer("/hook", Answer(502, b"bad gateway"))
    report = post(settings_for(tmp_path, target(receiver, "/hook", "json"), max_retries=2))

    assert len(receiver.posts("/hook")) == 3
    assert report.exit_code == 3
    assert report.failed[0].status == 502 and "gave up after 3 attempts" in report.failed[0].reason


def test_400_is_not_retried(tmp_path: Path, receiver: Receiver) -> None:
    receiver.answer("/slack", Answer(400, b"invalid_blocks"), Answer())
    report = post(settings_for(tmp_path, target(receiver, "/slack")))

    assert len(receiver.posts("/slack")) == 1
    assert report.exit_code == 3 and report.failed[0].reason == "invalid_blocks"
    assert "slack: 400 invalid_blocks" in report.summary()


def test_retry_after_beyond_the_bound_is_a_failure(tmp_path: Path, receiver: Receiver) -> None:
    receiver.answer("/slack", Answer(429, b"slow down", {"Retry-After": "3600"}), Answer())
    report = post(settings_for(tmp_path, target(receiver, "/slack"), max_retry_after=5))

    assert len(receiver.posts("/slack")) == 1
    assert "Retry-After 3600s is over deliver.max_retry_after" in report.failed[0].reason


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
    assert retry_after("7", now) == 7.0
    assert retry_after("Tue, 24 Nov 2026 06:00:30 GMT", now) == 30.0
    assert retry_after("Tue, 24 Nov 2026 05:00:00 GMT", now) == 0.0
    assert retry_after("soon", now) is None and retry_after(None, now) is None


# ---------------------------------------------------------------- exactly once


def test_each_target_gets_it_once_and_force_posts_again(tmp_path: Path, receiver: Receiver) -> None:
    receiver.answer("/slack", Answer())
    settings = settings_for(tmp_path, target(receiver, "/slack"))
    assert post(settings).sent == ["slack"]

    again = post(settings)
    assert again.sent == [] and again.already_sent == ["slack"] and again.exit_code == 0
    assert len(receiver.posts("/slack")) == 1

    forced = post(settings, force=True)
    assert forced.sent == ["slack"] and len(receiver.posts("/slack")) == 2
    with sqlite3.connect(tmp_path / "brief.db") as db:
        assert db.execute("SELECT times FROM webhook_log WHERE target = 'slack'").fetchone() == (2,)


def test_partly_delivered_then_only_the_failed_target_again(
    tmp_path: Path, receiver: Receiver
) -> None:
    receiver.answer("/good", Answer())
    receiver.answer("/bad", Answer(404, b"no_service"), Answer())
    settings = settings_for(tmp_path, target(receiver, "/good"), target(receiver, "/bad", "teams"))
    first = post(settings)
    assert first.exit_code == 2 and first.sent == ["good"]

    second = post(settings)
    assert second.exit_code == 0 and second.sent == ["bad"] and second.already_sent == ["good"]
    assert len(receiver.posts("/good")) == 1 and len(receiver.posts("/bad")) == 2


def test_dry_run_writes_payloads_and_posts_nothing(tmp_path: Path, receiver: Receiver) -> None:
    settings = settings_for(tmp_path, target(receiver, "/slack"),
                            target(receiver, "/teams", "teams"))
    report = post(settings, to_dir=tmp_path / "dry")

    assert [p.name for p in report.written] == ["2026-11-24-01-slack.slack.json",
                                                "2026-11-24-02-teams.teams.json"]
    assert json.loads(report.written[1].read_bytes())["type"] == "message"
    assert receiver.received == [] and "dry run" in report.summary()
    assert not (tmp_path / "brief.db").exists()  # nothing recorded as sent


# ---------------------------------------------------------------- settings and guard


def test_private_webhook_host_is_refused_without_allow_private(
    tmp_path: Path, receiver: Receiver
) -> None:
    receiver.answer("/slack", Answer())
    guarded = target(receiver, "/slack", allow_private=False)
    settings = settings_for(tmp_path, guarded)
    with pytest.raises(ConfigError, match=r"deliver\.webhook 'slack'.*loopback.*allow_private"):
        check_webhook_settings(settings, [guarded], env={})
    report = post(settings)
    assert report.exit_code == 3 and receiver.received == []


def test_plain_http_needs_allow_private(tmp_path: Path) -> None:
    hook = WebhookTarget(kind="slack", name="ops", url="http://hooks.example/T1")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="must be https"):
        check_webhook_settings(settings_for(tmp_path, hook), [hook], env={})


def test_url_comes_from_the_named_environment_variable(
    tmp_path: Path, receiver: Receiver
) -> None:
    receiver.answer("/secret", Answer())
    hook = WebhookTarget(kind="json", name="ops", url_env="OPS_HOOK", allow_private=True)
    settings = settings_for(tmp_path, hook)
    with pytest.raises(ConfigError, match="OPS_HOOK is empty or unset"):
        check_webhook_settings(settings, [hook], env={})
    report = post(settings, env={"OPS_HOOK": receiver.url("/secret")})
    assert report.sent == ["ops"] and len(receiver.posts("/secret")) == 1


def test_targets_from_toml_and_selection(tmp_path: Path) -> None:
    config = tmp_path / "brief.toml"
    config.write_text(
        '[deliver]\nbriefing_url = "https://intranet.example/{date}.html"\n'
        '[[deliver.webhook]]\nkind = "slack"\nname = "ops"\nurl_env = "OPS"\nenabled = true\n'
        '[[deliver.webhook]]\nkind = "teams"\nurl = "https://example.webhook.office.com/x"\n',
        encoding="utf-8")
    settings = load_settings(config, env={})
    assert [t.label for t in chosen_targets(settings, None)] == ["ops"]
    assert [t.label for t in chosen_targets(settings, True)] == ["ops", "teams"]
    assert chosen_targets(settings, False) == []
    config.write_text('[[deliver.webhook]]\nkind = "discord"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"deliver\.webhook\.0\.kind"):
        load_settings(config, env={})


def test_two_targets_with_one_name_are_refused(tmp_path: Path) -> None:
    one = WebhookTarget(kind="slack", url_env="A")
    two = WebhookTarget(kind="slack", url_env="B")
    with pytest.raises(ConfigError, match="name 'slack' is used twice"):
        check_webhook_settings(settings_for(tmp_path, one, two), [one, two], env={})


def test_exit_codes_combine_across_channels() -> None:
    assert combined_exit([0, 0]) == 0
    assert combined_exit([3, 3]) == 3
    assert combined_exit([0, 3]) == 2 and combined_exit([2]) == 2
