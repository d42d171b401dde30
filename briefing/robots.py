"""robots.txt for the fetcher: fetched once per origin and run, cached for a day, obeyed.

Every request for a robots.txt goes through the fetcher's own guarded hop, and each
redirect hop is checked with the source's allowance (its own host only), so a
robots.txt redirect can never reach an address the page itself could not.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol
from urllib.robotparser import RobotFileParser

import httpx

from briefing.errors import BlockedAddressError, FetchError, HTTPStatusError
from briefing.media_types import ANY_TYPE, ROBOTS_TYPES
from briefing.netguard import Allowance, check_url

if TYPE_CHECKING:
    from briefing.fetch import FetchResult

log = logging.getLogger(__name__)

ROBOTS_MAX_BYTES = 500_000
MAX_CRAWL_DELAY = 30.0  # a robots.txt Crawl-delay above this is capped, not obeyed
ROBOTS_TTL = timedelta(hours=24)
MAX_HOPS = 6  # the first request and five redirects (RFC 9309)
_ALLOW_ALL = "allow-all"

Rules = RobotFileParser | str  # parsed rules, _ALLOW_ALL, or why the site is not crawled
# One guarded request: (target, allowance, headers, accepted types, byte cap).
Hop = Callable[
    [httpx.URL, Allowance, dict[str, str], frozenset[str], int], Awaitable["FetchResult | str"]
]


class ValueCache(Protocol):
    """Small persisted values; ``briefing.store.Store`` is one."""

    def get_value(self, key: str) -> str | None:
        """The value stored under ``key``, if any."""

    def set_value(self, key: str, value: str) -> None:
        """Store ``value`` under ``key``."""


class Robots:
    """The robots.txt rules of every origin a run touches."""

    def __init__(
        self,
        user_agent: str,
        hop: Hop,
        set_delay: Callable[[str, float], None],
        cache: ValueCache | None = None,
    ) -> None:
        self._user_agent = user_agent
        self._hop = hop
        self._set_delay = set_delay  # a Crawl-delay slows that host's gate
        self._cache = cache
        self._rules: dict[str, Rules] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def check(self, target: httpx.URL, allow: Allowance) -> None:
        """Raise FetchError when robots.txt forbids ``target`` or cannot be trusted."""
        origin = f"{target.scheme}://{target.netloc.decode('ascii')}"
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:  # one robots.txt fetch per origin, however many ask at once
            if origin not in self._rules:
                cached = self._cached(origin, target.host)
                self._rules[origin] = cached or await self._load(origin, target, allow)
        rules = self._rules[origin]
        if rules is _ALLOW_ALL:
            return
        if isinstance(rules, str):
            raise FetchError(rules, location=str(target))
        if not rules.can_fetch(self._user_agent, str(target)):
            raise FetchError("disallowed by the site's robots.txt", location=str(target))

    def _parse(self, origin: str, host: str, body: str | None) -> Rules:
        if body is None:
            return _ALLOW_ALL
        parser = RobotFileParser(origin + "/robots.txt")
        parser.parse(body.splitlines())
        delay = parser.crawl_delay(self._user_agent)
        if delay:
            self._set_delay(host, min(float(delay), MAX_CRAWL_DELAY))
        return parser

    def _cached(self, origin: str, host: str) -> Rules | None:
        """Rules fetched in an earlier run, while they are fresh (RFC 9309: up to 24 h)."""
        raw = self._cache.get_value(f"robots:{origin}") if self._cache else None
        if not raw:
            return None
        try:
            entry = json.loads(raw)
            fetched = datetime.fromisoformat(entry["fetched_at"])
            body = entry["body"]
        except (ValueError, KeyError, TypeError):
            return None
        if datetime.now(UTC) - fetched > ROBOTS_TTL or not isinstance(body, str | None):
            return None
        return self._parse(origin, host, body)

    async def _load(self, origin: str, site: httpx.URL, allow: Allowance) -> Rules:
        """Parsed rules, _ALLOW_ALL, or the reason the site must not be crawled."""
        url = origin + "/robots.txt"
        body: str | None = None
        for hop in range(MAX_HOPS):
            try:
                # Each hop is checked with the allowance's hosts, never the origin's verdict.
                target = check_url(url, allow.covers_url(url))
                result = await self._hop(
                    target, allow, {"Accept": "text/plain"}, ANY_TYPE, ROBOTS_MAX_BYTES
                )
            except HTTPStatusError as exc:
                if 400 <= exc.status < 500:
                    break  # no robots.txt: everything is allowed (RFC 9309)
                log.warning("robots.txt for %s: %s; not crawling the site", origin, exc)
                return f"not crawled, robots.txt unavailable (HTTP {exc.status})"
            except BlockedAddressError as exc:
                if hop == 0:
                    raise  # the site itself is out of bounds, not just its robots.txt
                log.warning("robots.txt for %s redirects to %s: not crawling it", origin, url)
                return f"not crawled, robots.txt redirects to a refused URL ({exc.reason_for(url)})"
            except FetchError as exc:
                # The site is unreachable (timeout, TLS, refused): remember why, so the
                # pages behind it fail at once instead of each waiting out a deadline.
                log.warning("robots.txt for %s unavailable (%s): not crawling it", origin, exc)
                return exc.reason_for(url)
            if isinstance(result, str):
                url = result
                continue
            if result.media_type in (None, *ROBOTS_TYPES):  # else e.g. a soft-404 image
                body = result.content.decode("utf-8", "replace")
            break
        else:
            return "not crawled, robots.txt redirects too often"
        if self._cache is not None:
            stamp = datetime.now(UTC).isoformat()
            self._cache.set_value(
                f"robots:{origin}", json.dumps({"fetched_at": stamp, "body": body})
            )
        return self._parse(origin, site.host, body)
