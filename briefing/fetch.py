"""Safe, polite HTTP fetching for feeds and pages (guard: netguard.py, robots: robots.py).

Everything fetched is untrusted, so every request goes through one gate:

* only ``http``/``https``; at most ``max_redirects`` hops, each one checked again;
* the host is resolved here, every resolved address is checked (loopback, private,
  link-local, carrier-grade NAT, multicast, reserved, documentation, IPv4-mapped ...)
  and the connection is made to that checked address, so DNS cannot change its answer
  between the check and the connect; TLS still verifies the certificate for the name;
* a deadline per request (connect to last byte) and one for the whole run;
* the body is read raw and decompressed here, chunk by chunk, so a compression bomb
  stops at ``max_bytes`` of output without ever holding more;
* one request in flight per host, ``per_host_delay`` seconds between them, robots.txt
  honoured (a 5xx robots.txt means do not crawl), conditional GET with validators.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from urllib.parse import urljoin

import httpx
from pydantic import BaseModel, ConfigDict

from briefing.config import FetchSettings
from briefing.decompress import ACCEPT_ENCODING, read_capped
from briefing.errors import ContentTypeError, FetchError, HTTPStatusError
from briefing.media_types import (
    FEED_ACCEPT,
    FEED_TYPES,
    PAGE_ACCEPT,
    PAGE_TYPES,
    acceptable,
)
from briefing.netguard import (
    NO_ALLOWANCE,
    Allowance,
    GuardedTransport,
    Resolver,
    check_url,
    host_key,
    same_host,
    system_resolver,
)
from briefing.robots import Robots, ValueCache

__all__ = ["FEED_TYPES", "PAGE_TYPES", "FetchResult", "Fetcher", "Resolver", "same_host"]

log = logging.getLogger(__name__)




class FetchResult(BaseModel):
    """One fetched resource: the final URL, its body and validators."""

    model_config = ConfigDict(frozen=True)

    url: str  # after redirects
    requested_url: str
    status: int
    content: bytes = b""
    media_type: str | None = None
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: datetime
    redirects: list[str] = []

    @property
    def not_modified(self) -> bool:
        """True when the server answered 304 to a conditional request."""
        return self.status == 304


@dataclass
class _HostGate:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_at: float = 0.0
    delay: float = 0.0


class Fetcher:
    """The shared async client: use ``async with Fetcher(settings) as f: await f.fetch(url)``."""

    def __init__(
        self,
        settings: FetchSettings | None = None,
        resolver: Resolver | None = None,
        cache: ValueCache | None = None,  # keeps robots.txt rules between runs (a Store)
    ) -> None:
        self.settings = settings or FetchSettings()
        self._resolver = resolver or system_resolver
        self._clients: dict[Allowance, httpx.AsyncClient] = {}
        self._transports: dict[Allowance, GuardedTransport] = {}
        self._gates: dict[str, _HostGate] = {}
        self._robots = Robots(self.settings.user_agent, self._hop, self._set_delay, cache)
        self._slots = asyncio.Semaphore(max(1, self.settings.max_concurrency))
        self._deadline = time.monotonic() + self.settings.total_timeout
        self.requests = 0  # requests sent, for reports and tests

    async def __aenter__(self) -> Fetcher:
        self._deadline = time.monotonic() + self.settings.total_timeout
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the underlying connection pools."""
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()
        self._transports.clear()

    def _client(self, allowance: Allowance) -> httpx.AsyncClient:
        # Separate pools so a connection opened for an allowed private source is never
        # reused by a source that is not allowed to reach it.
        if allowance not in self._clients:
            transport = GuardedTransport(
                self._resolver, allowance, max(1, self.settings.max_concurrency) * 2
            )
            self._transports[allowance] = transport
            self._clients[allowance] = httpx.AsyncClient(
                transport=transport,
                follow_redirects=False,
                trust_env=False,
                headers={
                    "User-Agent": self.settings.user_agent,
                    "Accept-Encoding": ACCEPT_ENCODING,
                },
                timeout=httpx.Timeout(self.settings.timeout),
            )
        return self._clients[allowance]

    def remaining(self) -> float:
        """Seconds left before the run's total deadline."""
        return self._deadline - time.monotonic()

    async def fetch(
        self,
        url: str,
        *,
        allow_private: bool = False,
        accept: frozenset[str] = PAGE_TYPES,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
    ) -> FetchResult:
        """GET ``url`` through every guard; raises FetchError/BlockedAddressError."""
        if self.remaining() <= 0:
            raise FetchError(
                f"{url}: skipped, the run's total deadline of"
                f" {self.settings.total_timeout:g}s was reached"
            )
        try:
            async with asyncio.timeout(self.remaining()):
                return await self._follow(
                    url,
                    allow_private,
                    accept,
                    etag,
                    last_modified,
                    max_bytes or self.settings.max_bytes,
                )
        except TimeoutError:
            raise FetchError(
                f"{url}: the run's total deadline of {self.settings.total_timeout:g}s was reached"
            ) from None

    async def _follow(
        self,
        url: str,
        allow_private: bool,
        accept: frozenset[str],
        etag: str | None,
        last_modified: str | None,
        max_bytes: int,
    ) -> FetchResult:
        current = url
        hops: list[str] = []
        allowance = self._allowance(url, allow_private)
        for _ in range(self.settings.max_redirects + 1):
            # A source's allow_private covers its own host only: a redirect elsewhere is
            # untrusted input and gets the full check (unless allowed globally).
            target = self._check_hop(url, current, hops, allowance)
            if self.settings.respect_robots:
                await self._robots.check(target, allowance)
            headers = {"Accept": FEED_ACCEPT if accept is FEED_TYPES else PAGE_ACCEPT}
            if not hops:  # validators belong to the URL they were stored for
                if etag:
                    headers["If-None-Match"] = etag
                if last_modified:
                    headers["If-Modified-Since"] = last_modified
            result = await self._hop(target, allowance, headers, accept, max_bytes)
            if isinstance(result, str):
                hops.append(current)
                current = result
                continue
            return result.model_copy(update={"requested_url": url, "redirects": hops})
        raise FetchError(f"more than {self.settings.max_redirects} redirects", location=url)

    @staticmethod
    def _check_hop(url: str, current: str, hops: list[str], allowance: Allowance) -> httpx.URL:
        """The checked URL of this hop; a refused redirect target is this page's error."""
        try:
            return check_url(current, allowance.covers_url(current))
        except FetchError as exc:
            if not hops:
                raise
            shown = current if len(current) <= 120 else current[:117] + "..."
            raise type(exc)(
                f"redirected to {shown!r}, refused: {exc.reason_for(current)}", location=url
            ) from None

    def _allowance(self, url: str, allow_private: bool) -> Allowance:
        """The hosts this fetch may reach privately: the source's own, or (globally) all."""
        if self.settings.allow_private:
            return Allowance(everywhere=True)
        if not allow_private:
            return NO_ALLOWANCE
        try:
            return Allowance.of(httpx.URL(url).host)
        except (httpx.InvalidURL, TypeError):
            return NO_ALLOWANCE

    async def _hop(
        self,
        target: httpx.URL,
        allow: Allowance,
        headers: dict[str, str],
        accept: frozenset[str],
        max_bytes: int,
    ) -> FetchResult | str:
        """One request, polite and bounded; a redirect returns the next URL."""
        url = str(target)
        gate = self._gate(target)
        async with gate.lock:
            wait = gate.next_at - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                async with self._slots:
                    self.requests += 1
                    async with asyncio.timeout(self.settings.timeout):
                        return await self._request(target, allow, headers, accept, max_bytes)
            except TimeoutError:
                raise FetchError(
                    f"{url}: no complete answer within {self.settings.timeout:g}s"
                ) from None
            except httpx.TransportError as exc:
                raise FetchError(_describe_transport(exc), location=url) from None
            finally:
                gate.next_at = time.monotonic() + max(gate.delay, self.settings.per_host_delay)

    async def _request(
        self,
        target: httpx.URL,
        allow: Allowance,
        headers: dict[str, str],
        accept: frozenset[str],
        max_bytes: int,
    ) -> FetchResult | str:
        url = str(target)
        async with self._send(target, allow, headers) as response:
            status = response.status_code
            if status in (301, 302, 303, 307, 308):
                location = response.headers.get("location")
                if not location:
                    raise FetchError("redirect without a Location header", location=url)
                try:
                    return str(urljoin(url, location.strip()))
                except ValueError:
                    raise FetchError(
                        f"redirect to an invalid URL {location[:120]!r}", location=url
                    ) from None
            etag = response.headers.get("etag")
            modified = response.headers.get("last-modified")
            now = datetime.now(UTC)
            if status == 304:
                return FetchResult(
                    url=url,
                    requested_url=url,
                    status=304,
                    etag=etag,
                    last_modified=modified,
                    fetched_at=now,
                )
            if status != 200:
                hint = (
                    " (the site is refusing or rate-limiting; try later)"
                    if status in (403, 429, 503)
                    else ""
                )
                raise HTTPStatusError(f"{url}: HTTP {status}{hint}", status)
            ctype = response.headers.get("content-type", "")
            media_type = ctype.split(";", 1)[0].strip().lower() or None
            if not acceptable(media_type, accept):
                raise ContentTypeError(f"{url}: unexpected content type {media_type}", media_type)
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"{declared} bytes is over the {max_bytes}-byte cap", location=url)
            body = await read_capped(url, response, max_bytes)
            charset = response.charset_encoding
        return FetchResult(
            url=url,
            requested_url=url,
            status=status,
            content=body,
            media_type=media_type,
            charset=charset,
            etag=etag,
            last_modified=modified,
            fetched_at=now,
        )

    @asynccontextmanager
    async def _send(
        self, target: httpx.URL, allow: Allowance, headers: dict[str, str]
    ) -> AsyncIterator[httpx.Response]:
        """One streamed GET through the guarded transport, closed on exit."""
        client = self._client(allow)
        request = client.build_request("GET", target, headers=headers)
        # Straight to the transport: httpx's client parses a redirect's Location itself,
        # and a mailto:/data: target raises InvalidURL there before we could refuse it.
        response = await self._transports[allow].handle_async_request(request)
        try:
            yield response
        finally:
            await response.aclose()

    def _gate(self, target: httpx.URL) -> _HostGate:
        return self._gate_for(target.host)

    def _set_delay(self, host: str, delay: float) -> None:
        self._gate_for(host).delay = delay

    def _gate_for(self, host: str) -> _HostGate:
        key = host_key(host)
        if key not in self._gates:
            self._gates[key] = _HostGate()
        return self._gates[key]

def _describe_transport(exc: httpx.TransportError) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return "connection timed out"
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx.ConnectError):
        detail = str(exc) or "connection failed"
        if "CERTIFICATE_VERIFY_FAILED" in detail:
            return f"TLS certificate not valid ({detail}); brief never skips verification"
        return f"cannot connect ({detail})"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
