"""The safe client: address guard, caps, redirects, robots.txt, politeness, validators."""

from __future__ import annotations

import asyncio
import ipaddress
import itertools
import shutil
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from servers import Logged, Reply, TestServer, gzip_bomb, resolver_for

from briefing.config import FetchSettings
from briefing.errors import BlockedAddressError, FetchError
from briefing.fetch import Fetcher, FetchResult
from briefing.netguard import blocked_reason, ip_literal

# pytest-recording's guard reads --allowed-hosts, not the --allow-hosts in addopts.
pytestmark = pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1$", r"::1$"])

PAGE = b"<html><body><p>hello</p></body></html>"


def settings(**overrides: Any) -> FetchSettings:
    base: dict[str, Any] = {"per_host_delay": 0.0, "timeout": 5.0, "total_timeout": 30.0}
    return FetchSettings(**{**base, **overrides})


def fetch(
    url: str, fs: FetchSettings | None = None, resolver: Any = None, **kwargs: Any
) -> FetchResult:
    async def go() -> FetchResult:
        async with Fetcher(fs or settings(), resolver=resolver) as fetcher:
            return await fetcher.fetch(url, **kwargs)

    return asyncio.run(go())


@pytest.fixture
def server() -> Iterator[TestServer]:
    with TestServer() as srv:
        srv.route("/page", Reply(body=PAGE))
        yield srv


def test_allowed_private_source_fetches_the_local_server(server: TestServer) -> None:
    result = fetch(server.url("/page"), allow_private=True)
    assert result.content == PAGE
    assert result.media_type == "text/html"
    assert server.requests("/page")[0].headers["User-Agent"].startswith("brief/")


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "2130706433",  # decimal
        "0x7f000001",  # hex
        "017700000001",  # octal
        "127.1",  # short form
        "[::1]",
        "[::ffff:127.0.0.1]",  # IPv4-mapped IPv6
        "[::ffff:7f00:1]",
        "localhost",
        "localhost.",
        "LOCALHOST",
        "sub.localhost",
        "0.0.0.0",
    ],
)
def test_every_spelling_of_a_loopback_address_is_refused(server: TestServer, host: str) -> None:
    with pytest.raises(BlockedAddressError):
        fetch(f"http://{host}:{server.port}/page")
    assert server.requests() == []


def test_a_name_resolving_to_loopback_is_refused_at_connect(server: TestServer) -> None:
    # The check applies to the address resolved and connected to, not to the name.
    resolver = resolver_for({"news.example.test": "127.0.0.1"})
    with pytest.raises(BlockedAddressError, match="loopback"):
        fetch(server.url("/page", host="news.example.test"), resolver=resolver)
    assert server.requests() == []


def test_the_connection_goes_to_the_checked_address_with_the_name_as_host(
    server: TestServer,
) -> None:
    resolver = resolver_for({"news.example.test": "127.0.0.1"})
    result = fetch(
        server.url("/page", host="news.example.test"), resolver=resolver, allow_private=True
    )
    assert result.content == PAGE
    assert server.requests("/page")[0].host == "news.example.test"


@pytest.mark.parametrize(
    "address",
    [
        "10.1.2.3",
        "172.16.5.4",
        "192.168.0.1",
        "169.254.169.254",
        "100.64.0.1",
        "224.0.0.1",
        "239.255.255.250",
        "240.0.0.1",
        "255.255.255.255",
        "192.0.2.10",
        "198.51.100.7",
        "203.0.113.9",
        "198.18.0.1",
        "0.0.0.0",
        "::",
        "::1",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "2001:db8::1",
        "ff02::1",
        "::ffff:10.0.0.1",
        "64:ff9b::a00:1",
        "2002:7f00:1::1",
    ],
)
def test_non_public_addresses_are_blocked(address: str) -> None:
    assert blocked_reason(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_pass(address: str) -> None:
    assert blocked_reason(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize("address", ["224.0.0.1", "0.0.0.0", "240.0.0.1"])
def test_allow_private_still_refuses_multicast_and_reserved(address: str) -> None:
    assert blocked_reason(ipaddress.ip_address(address), allow_private=True) is not None


def test_odd_spellings_parse_to_the_address_they_mean() -> None:
    loopback = ipaddress.ip_address("127.0.0.1")
    for spelling in ("2130706433", "0x7f000001", "127.1", "0177.0.0.1", "127.0.0.1."):
        assert ip_literal(spelling) == loopback
    assert ip_literal("example.com") is None


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/", "data:,hi"]
)
def test_only_http_and_https_are_fetched(url: str) -> None:
    with pytest.raises(FetchError):
        fetch(url, allow_private=True)


@pytest.mark.parametrize(
    "target",
    [
        "http://10.0.0.7/meta",
        "http://localhost:{port}/page",
        "http://2130706433:{port}/page",
        "file:///etc/passwd",
    ],
)
def test_a_redirect_to_a_private_address_is_refused(server: TestServer, target: str) -> None:
    # The source may reach its own (private) host; a redirect elsewhere gets the full check.
    server.route("/jump", Reply(302, headers={"Location": target.format(port=server.port)}))
    with pytest.raises(BlockedAddressError):
        fetch(server.url("/jump"), allow_private=True)
    assert [r.path for r in server.requests()] == ["/robots.txt", "/jump"]


def test_a_redirect_to_a_name_resolving_privately_is_refused(server: TestServer) -> None:
    resolver = resolver_for({"feeds.example.test": "127.0.0.1", "inside.test": "127.0.0.1"})
    server.route("/jump", Reply(301, headers={"Location": server.url("/page", "inside.test")}))
    with pytest.raises(BlockedAddressError, match=r"inside\.test"):
        fetch(server.url("/jump", "feeds.example.test"), resolver=resolver, allow_private=True)
    assert not server.requests("/page")


def test_redirects_are_followed_and_limited(server: TestServer) -> None:
    server.route("/a", Reply(301, headers={"Location": "/b"}))
    server.route("/b", Reply(302, headers={"Location": "/page"}))
    result = fetch(server.url("/a"), allow_private=True)
    assert result.content == PAGE
    assert result.url.endswith("/page") and len(result.redirects) == 2
    server.route("/loop", Reply(302, headers={"Location": "/loop"}))
    with pytest.raises(FetchError, match="redirects"):
        fetch(server.url("/loop"), settings(max_redirects=3), allow_private=True)
    assert len(server.requests("/loop")) == 4


def test_a_gzip_bomb_stops_at_the_cap_with_bounded_memory(server: TestServer) -> None:
    bomb = gzip_bomb(256 << 20)  # 256 MiB of zeros in about 256 KiB
    server.route("/bomb", Reply(body=bomb, headers={"Content-Encoding": "gzip"}))
    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match="cap"):
            fetch(server.url("/bomb"), settings(max_bytes=1 << 20), allow_private=True)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 24 << 20  # nowhere near the 256 MiB it would inflate to


def test_a_brotli_bomb_stops_at_the_cap(server: TestServer) -> None:
    brotli = pytest.importorskip("brotli")
    server.route(
        "/br",
        Reply(
            body=brotli.compress(b"\0" * (32 << 20), quality=1), headers={"Content-Encoding": "br"}
        ),
    )
    with pytest.raises(FetchError, match="cap"):
        fetch(server.url("/br"), settings(max_bytes=1 << 20), allow_private=True)


def test_gzip_bodies_under_the_cap_are_decoded(server: TestServer) -> None:
    import gzip

    server.route("/gz", Reply(body=gzip.compress(PAGE), headers={"Content-Encoding": "gzip"}))
    assert fetch(server.url("/gz"), allow_private=True).content == PAGE


def test_an_endless_body_stops_at_the_cap(server: TestServer) -> None:
    def endless() -> Iterator[bytes]:
        while not server.stopping.is_set():
            yield b"x" * 65536

    server.route("/endless", lambda _: Reply(chunks=endless()))
    with pytest.raises(FetchError, match="cap"):
        fetch(server.url("/endless"), settings(max_bytes=1 << 20), allow_private=True)


def test_a_declared_oversize_body_is_refused_before_reading(server: TestServer) -> None:
    server.route("/big", Reply(body=b"x" * (2 << 20)))
    with pytest.raises(FetchError, match="cap"):
        fetch(server.url("/big"), settings(max_bytes=1 << 20), allow_private=True)


def test_a_hanging_server_hits_the_request_deadline(server: TestServer) -> None:
    server.route("/hang", Reply(hang=True))
    with pytest.raises(FetchError, match="no complete answer"):
        fetch(server.url("/hang"), settings(timeout=0.5), allow_private=True)


def test_unexpected_content_types_are_refused(server: TestServer) -> None:
    server.route("/img", Reply(body=b"\x89PNG", headers={"Content-Type": "image/png"}))
    with pytest.raises(FetchError, match="content type image/png"):
        fetch(server.url("/img"), allow_private=True)


def test_error_statuses_raise(server: TestServer) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(server.url("/missing"), allow_private=True)


def test_conditional_get_gets_a_304_without_a_body(server: TestServer) -> None:
    def feed(request: Logged) -> Reply:
        if request.headers.get("If-None-Match") == '"v1"':
            return Reply(304, headers={"ETag": '"v1"'})
        return Reply(body=PAGE, headers={"ETag": '"v1"', "Last-Modified": "Tue, 24 Nov 2026"})

    server.route("/cond", feed)
    first = fetch(server.url("/cond"), allow_private=True)
    assert first.etag == '"v1"' and first.last_modified == "Tue, 24 Nov 2026"
    second = fetch(server.url("/cond"), allow_private=True, etag=first.etag)
    assert second.not_modified and second.content == b""
    assert [r.status for r in server.requests("/cond")] == [200, 304]


ROBOTS = b"User-agent: *\nDisallow: /private/\n"


def test_robots_disallow_is_respected(server: TestServer) -> None:
    server.route("/robots.txt", Reply(body=ROBOTS, headers={"Content-Type": "text/plain"}))
    server.route("/private/x", Reply(body=PAGE))
    with pytest.raises(FetchError, match=r"robots\.txt"):
        fetch(server.url("/private/x"), allow_private=True)
    assert not server.requests("/private/x")
    assert fetch(server.url("/page"), allow_private=True).content == PAGE


def test_a_5xx_robots_means_do_not_crawl(server: TestServer) -> None:
    server.route("/robots.txt", Reply(503, b"down"))
    with pytest.raises(FetchError, match=r"robots\.txt unavailable"):
        fetch(server.url("/page"), allow_private=True)
    assert not server.requests("/page")


def test_robots_is_fetched_once_per_host_and_run(server: TestServer) -> None:
    server.route("/robots.txt", Reply(body=ROBOTS, headers={"Content-Type": "text/plain"}))

    async def go() -> None:
        async with Fetcher(settings()) as fetcher:
            await asyncio.gather(
                *(fetcher.fetch(server.url("/page"), allow_private=True) for _ in range(5))
            )

    asyncio.run(go())
    assert len(server.requests("/robots.txt")) == 1
    assert len(server.requests("/page")) == 5


def test_one_request_at_a_time_per_host_with_a_delay(server: TestServer) -> None:
    delay = 0.2

    async def go() -> None:
        async with Fetcher(settings(per_host_delay=delay)) as fetcher:
            await asyncio.gather(
                *(fetcher.fetch(server.url(f"/page?{i}"), allow_private=True) for i in range(4))
            )

    for i in range(4):
        server.route(f"/page?{i}", Reply(body=PAGE))
    asyncio.run(go())
    log = sorted(server.requests(), key=lambda r: r.started)
    assert server.max_in_flight["127.0.0.1"] == 1
    gaps = [b.started - a.ended for a, b in itertools.pairwise(log)]
    assert len(log) == 5 and min(gaps) >= delay * 0.9


def test_the_total_deadline_stops_further_fetches(server: TestServer) -> None:
    server.route("/hang", Reply(hang=True))

    async def go() -> Any:
        async with Fetcher(settings(timeout=5.0, total_timeout=0.5)) as fetcher:
            return await asyncio.gather(
                fetcher.fetch(server.url("/hang"), allow_private=True),
                return_exceptions=True,
            )

    [outcome] = asyncio.run(go())
    assert isinstance(outcome, FetchError) and "total deadline" in str(outcome)


def test_certificates_are_always_verified(tmp_path: Path) -> None:
    # A certificate from a CA the system does not trust is refused; there is no fallback.
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed")
    from smtp_server import make_certs

    certs = make_certs(tmp_path)
    with TestServer(tls=(str(certs.cert), str(certs.key))) as tls_server:
        tls_server.route("/page", Reply(body=PAGE))
        with pytest.raises(FetchError, match="certificate"):
            fetch(tls_server.url("/page"), allow_private=True)
        assert not tls_server.requests("/page")
