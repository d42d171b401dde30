"""A feed as a source: its new items' pages, each with the item's summary as stand-in.

feed -> new items -> each item's page (or, when the page cannot be had, the feed's own
summary, which the article then says it is). An item that cannot be read at all is a
coverage line of its own and never marks the whole feed failed. Items taken are
remembered (``registry.mark_items``) so a re-run fetches nothing twice.
"""

from __future__ import annotations

import asyncio
import html
from collections.abc import AsyncIterator
from datetime import datetime

from briefing.config import SourceConfig
from briefing.errors import SourceError
from briefing.fetch import FEED_TYPES, FetchResult
from briefing.models import RawDocument, Skipped, SourceKind
from briefing.netguard import same_host
from briefing.sources import registry
from briefing.sources.base import Admitted, Web
from briefing.sources.feeds import FeedItem, ParsedFeed, parse_feed
from briefing.sources.report import SourceReport, SourceStatus
from briefing.sources.web import fetch_page, graded, save_validators, validators


class FeedSource:
    """An RSS or Atom feed the user follows."""

    def __init__(self, config: SourceConfig) -> None:
        self.config = config
        self.report = SourceReport(
            name=config.name or config.url, url=config.url, kind=config.kind,
            status=SourceStatus.NOTHING_NEW,
        )
        self.result: FetchResult | None = None
        self.items: dict[int, tuple[RawDocument, FeedItem]] = {}  # by id of the document
        self.page_problems: dict[str, str] = {}  # why an item's page could not be fetched
        self.marks: list[registry.ItemMark] = []
        self.read = 0

    async def documents(self, web: Web) -> AsyncIterator[RawDocument]:
        """The feed's new items, each as its page (or its summary), as they arrive."""
        etag, modified = validators(web.store, self.config.url)
        result = await web.fetcher.fetch(
            self.config.url, allow_private=self.config.allow_private, accept=FEED_TYPES,
            etag=etag, last_modified=modified,
        )
        if result.not_modified:
            self.report.not_modified = True
            return
        self.result = result
        feed: ParsedFeed = await web.run_cpu(
            _parse, (result.content, result.url, result.fetched_at, result.media_type)
        )
        self.report.warnings.extend(feed.warnings)
        self.report.malformed = feed.malformed
        self.report.items = len(feed.items)
        fresh = self.fresh(feed, registry.seen_items(web.store, self.config.url), web.cutoff)
        self.report.new_items = len(fresh)
        web.plan(len(fresh))
        pages = [asyncio.ensure_future(self.item_document(web, item)) for item in fresh]
        try:
            for arrived in asyncio.as_completed(pages):
                document = await arrived
                if document is not None:
                    yield document
        finally:
            for page in pages:
                page.cancel()

    def fresh(
        self, feed: ParsedFeed, seen: dict[str, tuple[str, str | None, int]], cutoff: datetime
    ) -> list[FeedItem]:
        """Items not taken before (or edited since, or to be tried again) and not stale."""
        fresh: list[FeedItem] = []
        for item in feed.items:
            if self.report.newest is None or item.published_at > self.report.newest:
                self.report.newest = item.published_at
            known = seen.get(item.key)
            if (
                known is not None
                and known[0] == item.stamp
                and (known[1] is not None or known[2] >= registry.MAX_ITEM_ATTEMPTS)
            ):
                continue
            if item.published_at <= cutoff:
                self.report.stale_items += 1
                continue
            fresh.append(item)
        return fresh

    async def item_document(self, web: Web, item: FeedItem) -> RawDocument | None:
        """The item's page with its summary as stand-in; the summary alone if no page."""
        location = item.link or f"{self.config.url}#{item.key}"
        summary = self.summary_document(item, location, web.now) if item.summary else None
        document: RawDocument | None = summary
        if item.link:
            try:
                # Links in a feed are untrusted: a private feed's allowance covers its own
                # host, not whatever host the feed points at.
                allow = self.config.allow_private and same_host(item.link, self.config.url)
                page = await fetch_page(
                    web.fetcher, item.link, allow_private=allow, kind=SourceKind.FEED,
                    source_name=self.report.name,
                )
                document = graded(page.model_copy(update={
                    "feed_title": item.title,
                    "feed_summary": item.summary or None,
                    "published_at": item.published_at,
                    "date_source": item.date_source,
                    "stand_in": summary,
                }), self.config)
            except SourceError as exc:
                self.page_problems[location] = exc.reason_for(item.link)
        if document is None:
            self.fail(item, location, self.page_problems.get(location, _NOTHING))
            return None
        self.items[id(document)] = (document, item)
        return document

    def summary_document(self, item: FeedItem, location: str, now: datetime) -> RawDocument:
        """The feed's own summary of an item, as a page to read when its page cannot be."""
        page = (
            f"<html><head><title>{html.escape(item.title)}</title></head><body><article>"
            f"<h1>{html.escape(item.title)}</h1>{item.summary}</article></body></html>"
        )
        return graded(RawDocument(
            kind=SourceKind.FEED, location=location, media_type="html",
            content=page.encode("utf-8"), url=item.link, source_name=self.report.name,
            fetched_at=now, feed_title=item.title, feed_summary=item.summary or None,
            summary_only=True, published_at=item.published_at, date_source=item.date_source,
        ), self.config)

    def settle(self, admitted: Admitted) -> None:
        """Count the item's article, or name the item as unreadable."""
        _, item = self.items.pop(id(admitted.given))
        location = admitted.given.location
        if admitted.error is not None:
            reason = (
                self.page_problems.get(location, _NOTHING) if admitted.given.summary_only
                else admitted.error.reason_for(location)
            )
            self.fail(item, location, reason)
            return
        assert admitted.article_id is not None
        self.read += 1
        (self.report.added if admitted.new else self.report.merged).append(admitted.article_id)
        if admitted.read.summary_only:
            self.report.summaries_used += 1
        self.marks.append((self.config.url, item.key, item.stamp, admitted.article_id))

    def fail(self, item: FeedItem, location: str, reason: str) -> None:
        """An item that could not be read: a coverage line, and one more attempt counted."""
        self.report.failed_items.append(Skipped(location=location, reason=reason))
        self.marks.append((self.config.url, item.key, item.stamp, None))

    def finish(self, web: Web) -> None:
        """The feed's status; the items taken; its validators once every item was read."""
        registry.mark_items(web.store, self.marks, web.now)
        # The feed itself was read: an unreadable item never marks the whole feed failed.
        if self.read:
            self.report.status = SourceStatus.OK
        elif self.report.newest is not None and self.report.newest <= web.cutoff:
            self.report.status = SourceStatus.STALE
        # Only now: were the validators saved before a failed item, a 304 would hide
        # that item from the next run.
        if self.result is not None and not self.report.failed_items:
            save_validators(web.store, self.config.url, self.result)


_NOTHING = "no link and no usable summary"


def _parse(args: tuple[bytes, str, datetime, str | None]) -> ParsedFeed:
    """parse_feed with one argument, as the worker pool passes it."""
    return parse_feed(*args)
