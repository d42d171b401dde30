"""Red-team regressions for the fetcher: robots.txt redirects and non-http redirects."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from servers import Reply, TestServer, resolver_for

from briefing.config import FetchSettings
from briefing.errors import BlockedAddressError, FetchError
from briefing.fetch import Fetcher, FetchResult

pytestmark = pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1$", r"::1$"])

PAGE = b"<html><body><p>hello</p></body></html>"


def fetch(url: str, resolver: Any = None, **kwargs: Any) -> FetchResult:
    fs = FetchSettings(per_host_delay=0.0, timeout=5.0, total_timeout=30.0)

    async def go() -> FetchResult:
        async with Fetcher(fs, resolver=resolver) as fetcher:
            return await fetcher.fetch(url, **kwargs)

    return asyncio.run(go())


@pytest.fixture
def server() -> Iterator[TestServer]:
    with TestServer() as srv:
        srv.route("/page", Reply(body=PAGE))
        yield srv


@pytest.mark.parametrize(
    "target",
    ["http://inside.test:{port}/robots.txt", "http://localhost:{port}/robots.txt"],
)
def test_a_robots_redirect_to_another_private_host_is_never_requested(
    server: TestServer, target: str
) -> None:
    # The source is allowed its own private host, feeds.test; the robots.txt redirect
    # names a second private host, which the allowance does not cover.
    resolver = resolver_for({"feeds.test": "127.0.0.1", "inside.test": "127.0.0.1"})
    secret = Reply(body=b"User-agent: *\nAllow: /\n")
    server.route("/robots.txt", secret, host="inside.test")
    server.route("/robots.txt", secret, host="localhost")
    server.route(
        "/robots.txt",
        Reply(302, headers={"Location": target.format(port=server.port)}),
        host="feeds.test",
    )
    with pytest.raises(FetchError, match=r"robots\.txt"):
        fetch(server.url("/page", "feeds.test"), resolver=resolver, allow_private=True)
    assert not server.requests(host="inside.test") and not server.requests(host="localhost")
    assert not server.requests("/page")


def test_a_robots_redirect_on_the_allowed_host_is_followed(server: TestServer) -> None:
    resolver = resolver_for({"feeds.test": "127.0.0.1"})
    server.route("/robots.txt", Reply(301, headers={"Location": "/rules.txt"}), host="feeds.test")
    server.route("/rules.txt", Reply(body=b"User-agent: *\nDisallow: /page\n"), host="feeds.test")
    with pytest.raises(FetchError, match=r"disallowed by the site's robots\.txt"):
        fetch(server.url("/page", "feeds.test"), resolver=resolver, allow_private=True)


@pytest.mark.parametrize(
    "location",
    [
        "mailto:desk@example.org",
        "data:text/html,<script>alert(1)</script>",
        "javascript:alert(1)",
        "ftp://files.example.org/a",
        "http://[::1",
    ],
)
def test_a_redirect_to_a_non_http_url_is_one_clear_fetch_error(
    server: TestServer, location: str
) -> None:
    server.route("/jump", Reply(302, headers={"Location": location}))
    with pytest.raises(FetchError) as caught:
        fetch(server.url("/jump"), allow_private=True)
    assert caught.value.location == server.url("/jump")
    assert "redirect" in caught.value.reason


def test_the_connect_guard_names_hosts_not_a_switch() -> None:
    # Below check_url: the pool built for one allowed host refuses any other private host.
    from briefing.netguard import Allowance, GuardedBackend

    async def go() -> None:
        backend = GuardedBackend(resolver_for({"a.test": "127.0.0.1"}), Allowance.of("a.test"))
        with pytest.raises(BlockedAddressError):
            await backend.connect_tcp("127.0.0.1", 9)

    asyncio.run(go())


def test_a_feed_item_redirecting_to_mailto_costs_that_item_only(
    tmp_path: Path, server: TestServer
) -> None:
    from test_ingest import make_settings, publish, run, source

    from briefing.ingest import SourceStatus
    from briefing.store import Store

    publish(server, "wire.test", ["port strike", "river flood"])
    server.route(
        "/news/river-flood", Reply(302, headers={"Location": "mailto:desk@wire.test"}),
        host="wire.test",
    )
    with Store(tmp_path / "brief.db") as store:
        report = run(make_settings(tmp_path, [source(server, "wire.test")]), store)
    [wire] = report.sources
    assert wire.status is SourceStatus.OK  # the feed is not failed
    # the page could not be fetched, so its item is briefed from the feed's summary
    assert len(wire.added) == 2 and wire.summaries_used == 1


def test_a_single_url_redirecting_to_javascript_is_one_failed_url(
    tmp_path: Path, server: TestServer
) -> None:
    from test_ingest import make_settings, run

    from briefing.ingest import SourceStatus
    from briefing.store import Store

    server.route("/one", Reply(302, headers={"Location": "javascript:alert(1)"}))
    with Store(tmp_path / "brief.db") as store:
        settings = make_settings(tmp_path, [], allow_private=True)
        report = run(settings, store, [server.url("/one")], include_sources=False)
    [one] = report.sources
    assert one.status is SourceStatus.FAILED and one.reason and "javascript" in one.reason
