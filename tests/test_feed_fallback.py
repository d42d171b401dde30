"""Feed items whose page is missing: short summaries briefed, one 404 never fails a feed,
and a 304 day is "unchanged", not a warning (issue 15)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from servers import Logged, Reply, TestServer, resolver_for, rss

from briefing.config import FetchSettings, Settings, SourceConfig
from briefing.ingest import SourceReport, SourceStatus, health_lines, ingest, report_lines
from briefing.models import FEED_SUMMARY_NOTE
from briefing.prepare import source_warning
from briefing.store import Store

pytestmark = pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1$", r"::1$"])

RESOLVE = resolver_for({"wire.test": "127.0.0.1"})
# Two sentences, as RSS summaries usually are: far below the 40 words a page needs.
SHORT_SUMMARY = (
    "Dock workers at the port of Antwerp walked out on Tuesday over pay. "
    "Shipping agents said container traffic had stopped."
)


@pytest.fixture
def server() -> Iterator[TestServer]:
    with TestServer() as srv:
        yield srv


def ago(hours: float) -> str:
    return format_datetime(datetime.now(UTC) - timedelta(hours=hours), usegmt=True)


def feed(server: TestServer, items: list[dict[str, str]], etag: str | None = None) -> None:
    body = rss(items)

    def answer(request: Logged) -> Reply:
        if etag and request.headers.get("If-None-Match") == etag:
            return Reply(304, headers={"ETag": etag})
        headers = {"Content-Type": "application/rss+xml", **({"ETag": etag} if etag else {})}
        return Reply(body=body, headers=headers)

    server.route("/feed.xml", answer, host="wire.test")


def run(tmp_path: Path, server: TestServer) -> SourceReport:
    settings = Settings(
        db_path=tmp_path / "brief.db",
        sources=[SourceConfig(url=server.url("/feed.xml", "wire.test"), name="wire",
                              allow_private=True)],
        fetch=FetchSettings(per_host_delay=0.0, timeout=3.0),
    )
    with Store(settings.db_path) as store:
        [report] = ingest(settings, store, [], resolver=RESOLVE).sources
        if report.added:
            article = store.get(report.added[0])
            assert article is not None and FEED_SUMMARY_NOTE in article.notes
    return report


def item(slug: str, **extra: Any) -> dict[str, str]:
    return {"title": slug.replace("-", " ").title(), "link": f"/news/{slug}", "guid": slug,
            "pubDate": ago(1), **extra}


def test_a_two_sentence_summary_stands_in_for_a_missing_page(
    tmp_path: Path, server: TestServer
) -> None:
    feed(server, [item("port-strike", description=SHORT_SUMMARY)])  # the page is a 404
    report = run(tmp_path, server)
    assert report.status is SourceStatus.OK and report.summaries_used == 1
    assert len(report.added) == 1 and not report.failed_items


def test_a_bare_headline_summary_is_not_briefed(tmp_path: Path, server: TestServer) -> None:
    feed(server, [item("port-strike", description="Port strike")])
    report = run(tmp_path, server)
    assert report.added == [] and report.summaries_used == 0
    [unread] = report.failed_items
    assert unread.location.endswith("/news/port-strike") and "404" in unread.reason


def test_one_404_item_never_fails_the_feed(tmp_path: Path, server: TestServer) -> None:
    feed(server, [item("gone")])  # no summary, the page answers 404
    report = run(tmp_path, server)
    assert report.status is not SourceStatus.FAILED and report.reason is None
    [unread] = report.failed_items
    assert "404" in unread.reason
    lines = health_lines([report])
    assert "0 failed" in lines[0]
    assert "wire: 1 of 1 new items could not be read" in lines
    assert report_lines_for(report) == ["wire: nothing new (1 item(s) unreadable)"]


def report_lines_for(report: SourceReport) -> list[str]:
    from briefing.ingest import IngestReport

    now = datetime.now(UTC)
    return report_lines(IngestReport(started_at=now, finished_at=now, sources=[report]))


def test_a_304_day_is_unchanged_not_a_warning(tmp_path: Path, server: TestServer) -> None:
    feed(server, [item("port-strike", description=SHORT_SUMMARY)], etag='"v9"')
    first = run(tmp_path, server)
    assert first.status is SourceStatus.OK
    second = run(tmp_path, server)
    assert second.not_modified
    assert "wire: unchanged since last fetch" in health_lines([second])
    assert report_lines_for(second) == ["wire: unchanged since last fetch"]
    start = datetime.now(UTC) - timedelta(hours=24)
    assert source_warning([second], start) is None


def test_a_quiet_feed_still_warns(tmp_path: Path, server: TestServer) -> None:
    # The warning stays for what it is for: a feed that answered, with nothing recent.
    feed(server, [item("old-news", description=SHORT_SUMMARY, pubDate=ago(72))])
    report = run(tmp_path, server)
    start = datetime.now(UTC) - timedelta(hours=24)
    warning = source_warning([report], start)
    assert warning is not None and "no source published anything new" in warning


def test_a_summary_briefing_marks_its_source_feed_summary(
    tmp_path: Path, server: TestServer
) -> None:
    from briefing.models import Sitrep
    from briefing.pipeline import DayRequest, run_today

    feed(server, [item("port-strike", description=SHORT_SUMMARY)])
    assert run(tmp_path, server).summaries_used == 1
    settings = Settings(db_path=tmp_path / "brief.db", out_dir=tmp_path / "out",
                        formats=["md", "json"])
    result = run_today(settings, DayRequest(fetch_sources=False))
    sitrep = Sitrep.model_validate_json(result.paths["json"].read_text())
    [entry] = sitrep.sources
    assert entry.feed_summary
    line = next(ln for ln in result.paths["md"].read_text().splitlines()
                if ln.startswith("[1] "))
    assert "(feed summary)" in line
