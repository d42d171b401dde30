"""RSS 0.9x/1.0/2.0 and Atom feeds, parsed from bytes we fetched ourselves.

feedparser is only ever given a file object over those bytes: given a string it
would fetch URLs, and given a string or bytes that names a file it would open it.
Item links are resolved against the feed's URL and kept only when they are
http(s); nothing in a feed is ever opened or fetched here.
"""

from __future__ import annotations

import hashlib
import io
import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
from pydantic import BaseModel, Field

from briefing.errors import SourceError
from briefing.models import DateSource

log = logging.getLogger(__name__)

# feedparser sets ``bozo`` for these too, but the feed itself parsed fine.
_NOT_MALFORMED = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
# A date further ahead than this is a publisher's mistake, not a publication time.
_FUTURE_SLACK = timedelta(days=1)


class FeedItem(BaseModel):
    """One entry of a feed, with its date established and its link made absolute."""

    key: str  # stable identity across runs: the entry id, else the link, else a hash
    title: str
    link: str | None = None  # absolute http(s) URL of the article page, if any
    summary: str = ""  # the feed's own text for the item (HTML), the longer of summary/content
    published_at: datetime
    date_source: DateSource
    stamp: str = ""  # the item's updated/published value, to notice edits


class ParsedFeed(BaseModel):
    """A parsed feed: its title, items and what was wrong with it."""

    url: str
    title: str | None = None
    items: list[FeedItem] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    malformed: bool = False  # the XML was broken; the readable items were still taken


def _when(value: Any, fetched_at: datetime) -> datetime | None:
    if not isinstance(value, time.struct_time):
        return None
    try:
        moment = datetime(*value[:6], tzinfo=UTC)  # feedparser gives UTC struct_time
    except (ValueError, OverflowError):
        return None
    return None if moment > fetched_at + _FUTURE_SLACK else moment


def _raw(mapping: Any, key: str) -> Any:
    """A key's own value: feedparser's ``get`` silently maps updated to published."""
    return dict.get(mapping, key) if isinstance(mapping, dict) else None


def _http_link(base: str, link: Any) -> str | None:
    if not isinstance(link, str) or not link.strip():
        return None
    absolute = urljoin(base, link.strip())
    parts = urlsplit(absolute)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return absolute


def _text(entry: Any) -> str:
    candidates = [str(entry.get("summary") or "")]
    for content in entry.get("content") or []:
        candidates.append(str(content.get("value") or ""))
    return max(candidates, key=len)


def parse_feed(
    content: bytes,
    url: str,
    fetched_at: datetime | None = None,
    content_type: str | None = None,
) -> ParsedFeed:
    """Parse fetched feed bytes; raises SourceError when they hold no feed at all."""
    fetched_at = fetched_at or datetime.now(UTC)
    # Without a content type feedparser flags every feed as malformed; XML is the default.
    headers = {"content-location": url, "content-type": content_type or "application/xml"}
    parsed = feedparser.parse(
        io.BytesIO(content),  # a file object: feedparser then never fetches or opens a path
        response_headers=headers,
        resolve_relative_uris=True,
        sanitize_html=True,
    )
    feed = parsed.get("feed", {})
    entries = parsed.get("entries", [])
    if not entries and not parsed.get("version"):
        reason = parsed.get("bozo_exception")
        raise SourceError(
            f"{url}: not an RSS or Atom feed"
            + (f" ({reason})" if reason else "")
            + " (check the feed address)"
        )
    result = ParsedFeed(url=url, title=(feed.get("title") or None))
    if parsed.get("bozo") and not isinstance(parsed.get("bozo_exception"), _NOT_MALFORMED):
        result.malformed = True
        result.warnings.append(
            f"{url}: feed is malformed ({parsed.get('bozo_exception')}); {len(entries)} items read"
        )
    channel_date = _when(_raw(feed, "updated_parsed"), fetched_at) or _when(
        _raw(feed, "published_parsed"), fetched_at
    )
    for entry in entries:
        item = _item(entry, url, fetched_at, channel_date, result.warnings)
        if item is not None:
            result.items.append(item)
    for warning in result.warnings:
        log.warning("%s", warning)
    return result


def _item(
    entry: Any,
    url: str,
    fetched_at: datetime,
    channel_date: datetime | None,
    warnings: list[str],
) -> FeedItem | None:
    raw_link = entry.get("link")
    link = _http_link(url, raw_link)
    if raw_link and link is None:
        warnings.append(f"{url}: ignored a non-http link {str(raw_link)[:80]!r}")
    title = " ".join(str(entry.get("title") or "").split())
    summary = _text(entry)
    if not (title or summary or link):
        warnings.append(f"{url}: skipped an empty item")
        return None
    published = _when(_raw(entry, "published_parsed"), fetched_at)
    updated = _when(_raw(entry, "updated_parsed"), fetched_at)
    if published is not None:
        when, source = published, DateSource.FEED
    elif updated is not None:
        when, source = updated, DateSource.FEED_UPDATED
    elif channel_date is not None:
        when, source = channel_date, DateSource.FEED_CHANNEL
    else:
        when, source = fetched_at, DateSource.FETCHED
    key = (
        str(entry.get("id") or "")
        or link
        or hashlib.sha256((title + "\n" + summary).encode()).hexdigest()[:32]
    )
    stamp = str(_raw(entry, "updated") or _raw(entry, "published") or "")
    return FeedItem(
        key=key,
        title=title or (link or url),
        link=link,
        summary=summary,
        published_at=when,
        date_source=source,
        stamp=stamp,
    )
