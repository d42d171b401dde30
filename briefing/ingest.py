"""Ingest: pull every new article from the user's feeds, pages and given URLs into the store.

For each source, concurrently (politeness is held per host by the fetcher):
feed -> new items -> article page -> extract -> store; when a page cannot be had,
the feed's own summary stands in and the article says so. Each source ends in one
status (ok, failed, nothing new, only stale items) that the briefing's coverage
section reports through ``health_lines``.
"""

from __future__ import annotations

import asyncio
import html
import logging
import os
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from briefing.config import Settings, SourceConfig
from briefing.errors import BriefingError, SourceError
from briefing.extract import extract_safely
from briefing.fetch import FEED_TYPES, Fetcher
from briefing.models import FEED_SUMMARY_NOTE, Article, RawDocument, Skipped, SourceKind
from briefing.netguard import Resolver, same_host
from briefing.sources import registry
from briefing.sources.feeds import FeedItem, ParsedFeed, parse_feed
from briefing.sources.report import (
    IngestReport,
    SourceReport,
    SourceStatus,
    health_lines,
    report_lines,
)
from briefing.sources.web import fetch_page
from briefing.store import Store
from briefing.workers import BatchPool, PoolError

log = logging.getLogger(__name__)

# Extraction is CPU-bound Python: past this many pages in a run, a process pool pays for
# its start-up; below it, a thread keeps small runs (and tests) light.
POOL_THRESHOLD = 40
MAX_WORKERS = 4
# The one extraction service (extract.extract_safely): a page that fails comes back as
# a SourceError for that page, whatever went wrong inside the parsers.
Extractor = Callable[[RawDocument], Article | SourceError]


def ingest(
    settings: Settings,
    store: Store,
    urls: Sequence[str] = (),
    *,
    include_sources: bool = True,
    now: datetime | None = None,
    resolver: Resolver | None = None,
    extract: Extractor = extract_safely,
    workers: int | None = None,
) -> IngestReport:
    """Fetch every configured source (unless ``include_sources`` is False) and ``urls``."""
    return asyncio.run(
        ingest_async(
            settings,
            store,
            urls,
            include_sources=include_sources,
            now=now,
            resolver=resolver,
            extract=extract,
            workers=workers,
        )
    )


async def ingest_async(
    settings: Settings,
    store: Store,
    urls: Sequence[str] = (),
    *,
    include_sources: bool = True,
    now: datetime | None = None,
    resolver: Resolver | None = None,
    extract: Extractor = extract_safely,
    workers: int | None = None,
) -> IngestReport:
    """The async form of ``ingest``; ``workers`` extraction processes (default: CPUs, max 4)."""
    started = datetime.now(UTC)
    now = now or started
    sources = registry.all_sources(settings, store) if include_sources else []
    # Each worker imports trafilatura (~100 MB): a few are enough to keep up with the network.
    workers = min(os.cpu_count() or 1, MAX_WORKERS) if workers is None else workers
    run = _Run(settings, store, now, extract, workers)
    run.configs = {s.name: s for s in sources if s.name}
    run.plan(len(sources) * 4)  # a run with many feeds will have many pages: start now
    try:
        async with Fetcher(settings.fetch, resolver=resolver, cache=store) as fetcher:
            run.fetcher = fetcher
            jobs = [run.source(s) for s in sources]
            jobs += [run.single_url(u) for u in dict.fromkeys(urls)]
            reports = list(await asyncio.gather(*jobs))
            requests = fetcher.requests
        registry.forget_old_items(store, now)
        for report in reports:
            if report.kind != "url":
                registry.record_health(
                    store,
                    report.name,
                    report.url,
                    report.status.value,
                    report.reason if report.status is SourceStatus.FAILED else None,
                    len(report.added),
                    now,
                )
    finally:
        if run.pool is not None:
            run.pool.shutdown()
    return IngestReport(
        started_at=started, finished_at=datetime.now(UTC), sources=reports, requests=requests
    )


class _Run:
    """State shared by the sources of one run."""

    fetcher: Fetcher

    def __init__(
        self, settings: Settings, store: Store, now: datetime, extract: Extractor, workers: int
    ) -> None:
        self.settings = settings
        self.store = store
        self.now = now
        self.extract = extract
        self.cutoff = now - timedelta(hours=settings.window_hours)
        self.workers = workers
        self.configs: dict[str, SourceConfig] = {}  # by name: tag and reliability grade
        self.planned = 0  # pages this run expects to extract
        self.pool: BatchPool | None = None

    def plan(self, pages: int) -> None:
        """Note pages to come; start the worker pool once a run is big enough."""
        self.planned += pages
        if self.pool is None and self.workers > 1 and self.planned > POOL_THRESHOLD:
            self.pool = BatchPool(self.workers)

    async def run_extract(self, raw: RawDocument) -> Article:
        """Extract in the pool when there is one, else in a thread; SourceError if it fails.

        Whatever fails inside extraction costs this page only, as for inbox files.
        """
        try:
            outcome = await self.run_cpu(self.extract, raw)
        except SourceError:
            raise
        except Exception as exc:  # an extractor that raised instead of returning
            log.debug("extraction of %s failed", raw.location, exc_info=True)
            raise SourceError(
                f"extraction failed ({type(exc).__name__}: {exc})", location=raw.location
            ) from None
        if isinstance(outcome, SourceError):
            raise outcome
        article: Article = outcome
        return article

    async def run_cpu(self, func: Callable[[Any], Any], arg: Any) -> Any:
        """Run CPU-bound work (parsing, extraction) off the event loop."""
        if self.pool is not None:
            try:
                return await self.pool.run(func, arg)
            except PoolError as exc:
                log.warning("%s; carrying on in this process", exc)
                self.pool, self.workers = None, 1
        return await asyncio.to_thread(func, arg)

    async def source(self, source: SourceConfig) -> SourceReport:
        name = source.name or source.url
        report = SourceReport(
            name=name, url=source.url, kind=source.kind, status=SourceStatus.NOTHING_NEW
        )
        try:
            if source.kind == "page":
                await self._page(source, report)
            else:
                await self._feed(source, report)
        except BriefingError as exc:
            report.status, report.reason = SourceStatus.FAILED, _short(exc, source.url)
        except Exception as exc:  # one broken source must not end everyone's run
            log.exception("unexpected error ingesting %s", source.url)
            report.status = SourceStatus.FAILED
            report.reason = f"internal error: {type(exc).__name__}: {exc}"
        if report.status is SourceStatus.FAILED:
            log.warning("source %s failed: %s", name, report.reason)
        return report

    async def single_url(self, url: str) -> SourceReport:
        report = SourceReport(name=url, url=url, kind="url", status=SourceStatus.NOTHING_NEW)
        try:
            raw = await fetch_page(self.fetcher, url, allow_private=False)
            article = await self.run_extract(raw)
            self._store(article, report)
            report.status = SourceStatus.OK
        except BriefingError as exc:
            report.status, report.reason = SourceStatus.FAILED, _short(exc, url)
        return report

    async def _page(self, source: SourceConfig, report: SourceReport) -> None:
        etag, modified = self._validators(source.url)
        result = await self.fetcher.fetch(
            source.url, allow_private=source.allow_private, etag=etag, last_modified=modified
        )
        if result.not_modified:
            report.not_modified = True
            return
        raw = RawDocument(
            kind=SourceKind.URL,
            location=source.url,
            media_type="text" if result.media_type == "text/plain" else "html",
            content=result.content,
            url=result.url,
            source_name=report.name,
            fetched_at=result.fetched_at,
        )
        article = await self.run_extract(raw)
        if self._store(article, report):
            report.status = SourceStatus.OK
        self._save_validators(source.url, result.etag, result.last_modified)

    async def _feed(self, source: SourceConfig, report: SourceReport) -> None:
        etag, modified = self._validators(source.url)
        result = await self.fetcher.fetch(
            source.url,
            allow_private=source.allow_private,
            accept=FEED_TYPES,
            etag=etag,
            last_modified=modified,
        )
        if result.not_modified:
            report.not_modified = True
            return
        feed: ParsedFeed = await self.run_cpu(
            _parse, (result.content, result.url, result.fetched_at, result.media_type)
        )
        report.warnings.extend(feed.warnings)
        report.malformed = feed.malformed
        report.items = len(feed.items)
        seen = registry.seen_items(self.store, source.url)
        fresh: list[FeedItem] = []
        for item in feed.items:
            if report.newest is None or item.published_at > report.newest:
                report.newest = item.published_at
            known = seen.get(item.key)
            if (
                known is not None
                and known[0] == item.stamp
                and (known[1] is not None or known[2] >= registry.MAX_ITEM_ATTEMPTS)
            ):
                continue
            if item.published_at <= self.cutoff:
                report.stale_items += 1
                continue
            fresh.append(item)
        report.new_items = len(fresh)
        self.plan(len(fresh))
        marks: list[registry.ItemMark] = []
        outcomes = await asyncio.gather(*(self._item(source, i, report, marks) for i in fresh))
        registry.mark_items(self.store, marks, self.now)
        # The feed itself was read: an item that cannot be read (a 404 page, no usable
        # summary) is a coverage line of its own and never marks the whole feed failed.
        if any(outcomes):
            report.status = SourceStatus.OK
        elif report.newest is not None and report.newest <= self.cutoff:
            report.status = SourceStatus.STALE
        if all(outcomes):
            # Only now: were the validators saved before a failed item, a 304 would hide
            # that item from the next run.
            self._save_validators(source.url, result.etag, result.last_modified)

    async def _item(
        self,
        source: SourceConfig,
        item: FeedItem,
        report: SourceReport,
        marks: list[registry.ItemMark],
    ) -> bool:
        """Fetch, extract and store one feed item; False when it could not be read."""
        location = item.link or f"{source.url}#{item.key}"
        article: Article | None = None
        problem = ""
        if item.link:
            try:
                # Links in a feed are untrusted: a private feed's allowance covers its own
                # host, not whatever host the feed points at.
                allow = source.allow_private and same_host(item.link, source.url)
                raw = await fetch_page(
                    self.fetcher,
                    item.link,
                    allow_private=allow,
                    kind=SourceKind.FEED,
                    source_name=report.name,
                )
                raw = raw.model_copy(update=self._feed_fields(item))
                article = await self.run_extract(raw)
            except SourceError as exc:
                problem = _short(exc, item.link)
        if article is None and item.summary:
            article = await self._from_summary(item, report, location)
        if article is None:
            problem = problem or "no link and no usable summary"
            report.failed_items.append(Skipped(location=location, reason=problem))
            marks.append((source.url, item.key, item.stamp, None))
            return False
        stored = self._store(article, report)
        marks.append((source.url, item.key, item.stamp, stored))
        return True

    async def _from_summary(
        self, item: FeedItem, report: SourceReport, location: str
    ) -> Article | None:
        page = (
            f"<html><head><title>{html.escape(item.title)}</title></head><body><article>"
            f"<h1>{html.escape(item.title)}</h1>{item.summary}</article></body></html>"
        )
        raw = RawDocument(
            kind=SourceKind.FEED,
            location=location,
            media_type="html",
            content=page.encode("utf-8"),
            url=item.link,
            source_name=report.name,
            fetched_at=self.now,
            feed_title=item.title,
            feed_summary=item.summary or None,
            summary_only=True,
            published_at=item.published_at,
            date_source=item.date_source,
        )
        try:
            article = await self.run_extract(raw)
        except SourceError as exc:
            log.info("feed summary for %s unusable: %s", location, exc)
            return None
        article.notes.append(FEED_SUMMARY_NOTE)
        report.summaries_used += 1
        return article

    @staticmethod
    def _feed_fields(item: FeedItem) -> dict[str, object]:
        return {
            "feed_title": item.title,
            "feed_summary": item.summary or None,
            "published_at": item.published_at,
            "date_source": item.date_source,
        }

    def _store(self, article: Article, report: SourceReport) -> str:
        config = self.configs.get(report.name)
        if config is not None and (config.tag or config.reliability):
            grade = {"tag": config.tag, "reliability": config.reliability}
            article.sources = [ref.model_copy(update=grade) for ref in article.sources]
        stored, is_new = self.store.add(article, now=self.now)
        (report.added if is_new else report.merged).append(stored.id)
        return stored.id

    def _validators(self, url: str) -> tuple[str | None, str | None]:
        return (
            self.store.get_value(f"fetch:etag:{url}"),
            self.store.get_value(f"fetch:last-modified:{url}"),
        )

    def _save_validators(self, url: str, etag: str | None, modified: str | None) -> None:
        if etag:
            self.store.set_value(f"fetch:etag:{url}", etag)
        if modified:
            self.store.set_value(f"fetch:last-modified:{url}", modified)


def _parse(args: tuple[bytes, str, datetime, str | None]) -> ParsedFeed:
    """parse_feed with one argument, as the worker pool passes it."""
    return parse_feed(*args)


def _short(exc: BriefingError, url: str) -> str:
    """Why ``url`` failed, without the URL (the report names the source)."""
    if isinstance(exc, SourceError):
        return exc.reason_for(url)
    return str(exc).removeprefix(f"{url}: ").strip() or type(exc).__name__


__all__ = [
    "FEED_SUMMARY_NOTE",
    "IngestReport",
    "SourceReport",
    "SourceStatus",
    "health_lines",
    "ingest",
    "ingest_async",
    "report_lines",
]
