"""Ingest end to end against a real local server: feeds -> pages -> extract -> store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from servers import Logged, Reply, TestServer, article_page, resolver_for, rss, story

from briefing.config import FetchSettings, Settings, SourceConfig
from briefing.errors import SourceError
from briefing.extract import extract_safely
from briefing.ingest import (
    FEED_SUMMARY_NOTE,
    IngestReport,
    SourceReport,
    SourceStatus,
    health_lines,
    ingest,
    report_lines,
)
from briefing.models import Article, RawDocument, Skipped, SourceKind
from briefing.sources import registry
from briefing.store import Store

pytestmark = pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1$", r"::1$"])

HOSTS = ("wire.test", "daily.test", "slow.test", "other.test")
RESOLVE = resolver_for(dict.fromkeys(HOSTS, "127.0.0.1"))


def ago(hours: float) -> str:
    return format_datetime(datetime.now(UTC) - timedelta(hours=hours), usegmt=True)


@pytest.fixture
def server() -> Iterator[TestServer]:
    with TestServer() as srv:
        yield srv


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "brief.db") as st:
        yield st


def make_settings(tmp_path: Path, sources: list[SourceConfig], **fetch: Any) -> Settings:
    options: dict[str, Any] = {"per_host_delay": 0.0, "timeout": 3.0, "total_timeout": 60.0}
    return Settings(
        db_path=tmp_path / "brief.db", sources=sources, fetch=FetchSettings(**{**options, **fetch})
    )


def source(server: TestServer, host: str, path: str = "/feed.xml", **kw: Any) -> SourceConfig:
    return SourceConfig(
        url=server.url(path, host), name=host.split(".")[0], allow_private=True, **kw
    )


def publish(server: TestServer, host: str, topics: list[str], hours: float = 2.0) -> None:
    """A feed on ``host`` with one item and one article page per topic."""
    items = []
    for topic in topics:
        slug = topic.replace(" ", "-")
        server.route(
            f"/news/{slug}", Reply(body=article_page(topic.title(), story(topic))), host=host
        )
        items.append(
            {
                "title": topic.title(),
                "link": f"/news/{slug}",
                "guid": f"{host}/{slug}",
                "pubDate": ago(hours),
                "description": " ".join(story(topic, 1)),
            }
        )
    server.route(
        "/feed.xml",
        Reply(body=rss(items), headers={"Content-Type": "application/rss+xml"}),
        host=host,
    )


def run(settings: Settings, store: Store, urls: list[str] | None = None, **kw: Any) -> IngestReport:
    return ingest(settings, store, urls or [], resolver=RESOLVE, **kw)


def test_feed_items_are_fetched_extracted_and_stored(
    tmp_path: Path, server: TestServer, store: Store
) -> None:
    publish(server, "wire.test", ["port strike", "river flood"])
    report = run(make_settings(tmp_path, [source(server, "wire.test")]), store)
    [wire] = report.sources
    assert wire.status is SourceStatus.OK and len(wire.added) == 2
    assert store.count() == 2
    article = store.get(wire.added[0])
    assert article is not None and "Officials in the region" in article.text
    assert article.sources[0].name == "wire" and FEED_SUMMARY_NOTE not in article.notes


def test_a_page_that_breaks_the_parser_costs_that_page_only(
    tmp_path: Path, server: TestServer, store: Store
) -> None:
    publish(server, "wire.test", ["port strike", "river flood"])

    def fragile(raw: RawDocument) -> Article | SourceError:
        if raw.location.endswith("/news/river-flood"):
            raise ValueError("parser tripped on a malformed table")
        return extract_safely(raw)

    report = run(make_settings(tmp_path, [source(server, "wire.test")]), store, extract=fragile)
    [wire] = report.sources
    assert wire.status is SourceStatus.OK and len(wire.added) == 1
    [failed] = wire.failed_items
    assert failed.location == server.url("/news/river-flood", "wire.test")
    assert failed.reason.startswith("extraction failed (ValueError: parser tripped")


def test_a_feed_page_and_the_same_saved_page_read_the_same(
    tmp_path: Path, server: TestServer, store: Store
) -> None:
    publish(server, "wire.test", ["harbour closure"])
    report = run(make_settings(tmp_path, [source(server, "wire.test")]), store)
    fetched = store.get(report.sources[0].added[0])
    saved = tmp_path / "harbour-closure.html"
    saved.write_bytes(article_page("Harbour Closure", story("harbour closure")))
    from_inbox = extract_safely(RawDocument(
        kind=SourceKind.INBOX, location=str(saved), media_type="html", content=saved.read_bytes()
    ))
    assert isinstance(from_inbox, Article) and fetched is not None
    # One extraction service: the same bytes give the same article whichever source read them.
    assert (fetched.title, fetched.text, fetched.language) == (
        from_inbox.title, from_inbox.text, from_inbox.language
    )


def test_re_ingest_adds_nothing_and_fetches_no_page_twice(
    tmp_path: Path, server: TestServer, store: Store
) -> None:
    publish(server, "wire.test", ["port strike", "river flood"])
    settings = make_settings(tmp_path, [source(server, "wire.test")])
    run(settings, store)
    pages_before = len([r for r in server.requests() if r.path.startswith("/news/")])
    second = run(settings, store)
    assert second.sources[0].status is SourceStatus.NOTHING_NEW
    assert second.added == [] and store.count() == 2
    assert len([r for r in server.requests() if r.path.startswith("/news/")]) == pages_before


def test_an_unchanged_feed_costs_one_304_and_nothing_else(
    tmp_path: Path, server: TestServer, store: Store
) -> None:
    publish(server, "wire.test", ["port strike"])
    body = rss(
        [{"title": "Port Strike", "link": "/news/port-strike", "guid": "p1", "pubDate": ago(1)}]
    )

    def feed(request: Logged) -> Reply:
        if request.headers.get("If-None-Match") == '"rev-7"':
            return Reply(304, headers={"ETag": '"rev-7"'})
        return Reply(body=body, headers={"Content-Type": "application/rss+xml", "ETag": '"rev-7"'})

    server.route("/feed.xml", feed, host="wire.test")
    settings = make_settings(tmp_path, [source(server, "wire.test")])
    run(settings, store)
    count = len(server.requests())
    second = run(settings, store)
    new_requests = server.requests()[count:]
    # robots.txt is remembered from the first run; the feed answers 304; nothing else.
    assert [(r.path, r.status) for r in new_requests] == [("/feed.xml", 304)]
    assert second.sources[0].not_modified and second.sources[0].status is SourceStatus.NOTHING_NEW


def test_a_hanging_source_does_not_stall_the_others_and_is_reported(
    tmp_path: Path, server: TestServer, store: Store
) -> None:
    publish(server, "wire.test", ["port strike"])
    server.route("/feed.xml", Reply(hang=True), host="slow.test")
    settings = make_settings(
        tmp_path, [source(server, "slow.test"), source(server, "wire.test")], timeout=1.0
    )
    report = run(settings, store)
    slow, wire = report.sources
    assert wire.status is SourceStatus.OK and len(wire.added) == 1
    assert slow.status is SourceStatus.FAILED and "no complete answer" in (slow.reason or "")
    assert any(line.startswith("slow: failed") for line in health_lines(report))


def test_a_page_that_cannot_be_fetched_falls_back_to_the_feed_summary(
    tmp_path: Path, server: TestServer, store: Store
) -> None:
    summary = " ".join(story("bridge closure", 2))
    server.route(
        "/feed.xml",
        Reply(
            body=rss(
                [
                    {
                        "title": "Bridge Closure",
                        "link": "/news/gone",
                        "guid": "b1",
                        "pubDate": ago(1),
                        "description": summary,
                    }
                ]
            ),
            headers={"Content-Type": "application/rss+xml"},
        ),
        host="wire.test",
    )
    report = run(make_settings(tmp_path, [source(server, "wire.test")]), store)
    [wire] = report.sources
    assert wire.status is SourceStatus.OK and wire.summaries_used == 1
    article = store.get(wire.added[0])
    assert article is not None and FEED_SUMMARY_NOTE in article.notes
    assert "bridge closure" in article.text
    assert any("feed summary" in line for line in health_lines(report))


def test_a_feed_linking_to_a_local_file_never_reads_it(
    tmp_path: Path, server: TestServer, store: Store
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER " * 50)
    items = [
        {
            "title": f"Item {n}",
            "link": link,
            "guid": f"f{n}",
            "pubDate": ago(1),
            "description": " ".join(story(f"topic {n}", 2)),
        }
        for n, link in enumerate([f"file://{secret}", "file:///etc/passwd", str(secret)])
    ]
    server.route(
        "/feed.xml",
        Reply(body=rss(items), headers={"Content-Type": "application/rss+xml"}),
        host="wire.test",
    )
    report = run(make_settings(tmp_path, [source(server, "wire.test")]), store)
    texts = [
        a.text
        for a in store.in_window(
            datetime.now(UTC) - timedelta(days=1), datetime.now(UTC) + timedelta(hours=1)
        )
    ]
    assert texts and all("TOP-SECRET" not in t and "root:" not in t for t in texts)
    assert report.sources[0].summaries_used == len(texts)


def test_syndicated_copies_are_one_article_with_both_sources(
    tmp_path: Path, server: TestServer, store: Store
) -> None:
    # The same wire story on two sites, at two URLs: stored once, found twice.
    for host in ("wire.test", "daily.test"):
        publish(server, host, ["election count"])
    settings = make_settings(tmp_path, [source(server, "wire.test"), source(server, "daily.test")])
    report = run(settings, store)
    assert store.count() == 1
    [article_id] = report.article_ids
    article = store.get(article_id)
    assert article is not None and {s.name for s in article.sources} == {"wire", "daily"}


def test_a_feed_of_old_items_is_reported_stale(
    tmp_path: Path, server: TestServer, store: Store
) -> None:
    publish(server, "wire.test", ["old news"], hours=72)
    report = run(make_settings(tmp_path, [source(server, "wire.test")]), store)
    assert report.sources[0].status is SourceStatus.STALE
    assert not server.requests("/news/old-news")
    assert any("only stale items" in line for line in health_lines(report))


def test_without_allow_private_a_local_source_is_refused(
    tmp_path: Path, server: TestServer, store: Store
) -> None:
    publish(server, "wire.test", ["port strike"])
    blocked = SourceConfig(url=server.url("/feed.xml", "wire.test"), name="wire")
    report = run(make_settings(tmp_path, [blocked]), store)
    assert report.sources[0].status is SourceStatus.FAILED
    assert "loopback" in (report.sources[0].reason or "")
    assert server.requests() == []


def test_feed_links_to_another_private_host_are_refused(
    tmp_path: Path, server: TestServer, store: Store
) -> None:
    # allow_private covers the feed's own host, not hosts its (untrusted) items name.
    server.route("/news/x", Reply(body=article_page("X", story("x"))), host="other.test")
    server.route(
        "/feed.xml",
        Reply(
            body=rss(
                [
                    {
                        "title": "X",
                        "link": server.url("/news/x", "other.test"),
                        "guid": "x",
                        "pubDate": ago(1),
                    }
                ]
            ),
            headers={"Content-Type": "application/rss+xml"},
        ),
        host="wire.test",
    )
    report = run(make_settings(tmp_path, [source(server, "wire.test")]), store)
    assert not server.requests(host="other.test")
    # The feed itself was read: the refused item is a coverage line, not a failed feed.
    [wire] = report.sources
    assert wire.status is SourceStatus.NOTHING_NEW
    [refused] = wire.failed_items
    assert refused.location.endswith("/news/x") and "loopback" in refused.reason


def test_an_updated_item_replaces_the_stored_text(
    tmp_path: Path, server: TestServer, store: Store
) -> None:
    settings = make_settings(tmp_path, [source(server, "wire.test")])
    publish(server, "wire.test", ["storm damage"])
    [first_id] = run(settings, store).article_ids
    server.route(
        "/news/storm-damage",
        Reply(
            body=article_page(
                "Storm Damage", [*story("storm damage"), "Update: the toll was revised upward."]
            )
        ),
        host="wire.test",
    )
    server.route(
        "/feed.xml",
        Reply(
            body=rss(
                [
                    {
                        "title": "Storm Damage",
                        "link": "/news/storm-damage",
                        "guid": "wire.test/storm-damage",
                        "pubDate": ago(2),
                        "atom:updated": ago(0.1),
                    }
                ]
            ).replace(
                b'<rss version="2.0">',
                b'<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
            ),
            headers={"Content-Type": "application/rss+xml"},
        ),
        host="wire.test",
    )
    second = run(settings, store)
    assert second.sources[0].merged == [first_id] and store.count() == 1
    stored = store.get(first_id)
    assert stored is not None and "revised upward" in stored.text


def test_single_urls_are_ingested(tmp_path: Path, server: TestServer, store: Store) -> None:
    server.route("/one", Reply(body=article_page("One", story("single page"))))
    settings = make_settings(tmp_path, [], allow_private=True)
    report = run(settings, store, [server.url("/one")], include_sources=False)
    assert report.sources[0].status is SourceStatus.OK and store.count() == 1


def test_health_is_recorded_and_listed(tmp_path: Path, server: TestServer, store: Store) -> None:
    publish(server, "wire.test", ["port strike"])
    server.route("/feed.xml", Reply(500, b"oops"), host="daily.test")
    settings = make_settings(tmp_path, [source(server, "wire.test"), source(server, "daily.test")])
    run(settings, store)
    health = {h.source.name: h for h in registry.list_sources(settings, store)}
    assert health["wire"].last_success is not None and health["wire"].articles_24h == 1
    assert health["daily"].last_success is None and "HTTP 500" in (health["daily"].last_error or "")


def test_sources_can_be_added_listed_and_removed(tmp_path: Path, store: Store) -> None:
    configured = SourceConfig(url="https://config.example/feed", name="config")
    settings = make_settings(tmp_path, [configured])
    added = registry.add_source(
        store, settings, "https://www.example.org/rss", tag="syria", reliability="B"
    )
    assert added.name == "example.org"
    names = [h.source.name for h in registry.list_sources(settings, store)]
    assert names == ["config", "example.org"]
    with pytest.raises(SourceError, match="already"):
        registry.add_source(store, settings, "https://www.example.org/rss")
    with pytest.raises(SourceError, match=r"brief\.toml"):
        registry.remove_source(store, settings, "config")
    registry.remove_source(store, settings, "example.org")
    assert [s.name for s in registry.all_sources(settings, store)] == ["config"]


def test_adding_a_non_http_source_is_refused(tmp_path: Path, store: Store) -> None:
    with pytest.raises(SourceError):
        registry.add_source(store, make_settings(tmp_path, []), "file:///etc/passwd")


def test_health_lines_name_every_source_that_needs_attention() -> None:
    now = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
    report = IngestReport(
        started_at=now,
        finished_at=now,
        sources=[
            SourceReport(
                name="wire",
                url="u1",
                kind="feed",
                status=SourceStatus.OK,
                added=["a1", "a2"],
                new_items=3,
                failed_items=[Skipped(location="x", reason="HTTP 404")],
                summaries_used=1,
            ),
            SourceReport(
                name="daily", url="u2", kind="feed", status=SourceStatus.FAILED, reason="HTTP 500"
            ),
            SourceReport(
                name="quiet",
                url="u3",
                kind="feed",
                status=SourceStatus.NOTHING_NEW,
                not_modified=True,
            ),
            SourceReport(
                name="old",
                url="u4",
                kind="feed",
                status=SourceStatus.STALE,
                newest=datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
            ),
        ],
    )
    assert health_lines(report) == [
        "4 sources checked: 1 with new articles, 1 failed, 1 nothing new, 1 only stale items",
        "wire: 1 of 3 new items could not be read",
        "wire: 1 article(s) from the feed summary (page unavailable)",
        "daily: failed — HTTP 500",
        "quiet: unchanged since last fetch",
        "old: only stale items (newest 2026-11-20 08:00 UTC)",
    ]
    assert report_lines(report)[0] == (
        "wire: ok (2 new article(s), 1 item(s) unreadable, 1 from the feed summary)"
    )


# The pool's forkserver talks over a unix socket in a pymp-* temporary folder.
@pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1$", r".*/pymp-[^/]+/listener-"])
def test_a_big_run_extracts_in_worker_processes(
    tmp_path: Path, server: TestServer, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    # Past POOL_THRESHOLD pages, extraction runs in a process pool, in batches; errors
    # raised there (a page with too little text) come back and trigger the fallback.
    items = []
    for i in range(45):
        paragraphs = ["Too short."] if i % 5 == 0 else story(f"pooled item {i}")
        server.route(f"/p/{i}", Reply(body=article_page(f"P{i}", paragraphs)), host="wire.test")
        items.append(
            {
                "title": f"P{i}",
                "link": f"/p/{i}",
                "guid": f"p{i}",
                "pubDate": ago(1),
                "description": " ".join(story(f"summary {i}", 2)),
            }
        )
    server.route(
        "/feed.xml",
        Reply(body=rss(items), headers={"Content-Type": "application/rss+xml"}),
        host="wire.test",
    )
    report = run(make_settings(tmp_path, [source(server, "wire.test")]), store, workers=2)
    [wire] = report.sources
    assert wire.status is SourceStatus.OK and len(wire.added) == 45
    assert wire.summaries_used == 9 and store.count() == 45
    assert "carrying on in this process" not in caplog.text  # the pool really ran


def test_a_bad_source_url_fails_alone(tmp_path: Path, server: TestServer, store: Store) -> None:
    publish(server, "wire.test", ["port strike"])
    bad = SourceConfig(url="feed://nowhere")
    report = run(make_settings(tmp_path, [bad, source(server, "wire.test")]), store)
    broken, wire = report.sources
    assert broken.status is SourceStatus.FAILED and "http" in (broken.reason or "")
    assert wire.status is SourceStatus.OK


def test_pages_disallowed_by_robots_are_not_fetched(
    tmp_path: Path, server: TestServer, store: Store
) -> None:
    publish(server, "wire.test", ["port strike"])
    server.route(
        "/robots.txt",
        Reply(body=b"User-agent: *\nDisallow: /news/\n", headers={"Content-Type": "text/plain"}),
        host="wire.test",
    )
    report = run(make_settings(tmp_path, [source(server, "wire.test")]), store)
    assert not server.requests("/news/port-strike")
    # The feed's one-sentence summary stands in for the page robots.txt keeps us from.
    assert report.sources[0].status is SourceStatus.OK
    assert report.sources[0].summaries_used == 1


def test_feed_items_are_forgotten_after_a_month(tmp_path: Path, store: Store) -> None:
    now = datetime(2026, 11, 25, tzinfo=UTC)
    registry.mark_items(store, [("f", "old", "", "a1")], now - timedelta(days=31))
    registry.mark_items(store, [("f", "new", "", "a2")], now - timedelta(days=2))
    assert registry.forget_old_items(store, now) == 1
    assert set(registry.seen_items(store, "f")) == {"new"}
