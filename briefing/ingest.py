"""Ingest: read every network source (feeds, pages, ``--url`` pages) into the store.

Each source is a ``WebSource`` (sources/feed_source.py, sources/web.py) that yields its
documents as they arrive; all sources run concurrently (politeness is held per host by
the fetcher). Every document takes the one path every source's documents take: the
extraction service (``extract.read_document``: a feed item's summary stands in for a
page that cannot be had), the store (``sources.base.admit``), then back to its source.
Each source ends in one status (ok, failed, nothing new, only stale items) that the
briefing's coverage section reports through ``health_lines``.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from briefing.config import FetchSettings, Settings, SourceConfig
from briefing.errors import BriefingError, SourceError
from briefing.extract import Extractor, Read, extract_safely, read_document
from briefing.fetch import Fetcher
from briefing.models import FEED_SUMMARY_NOTE, RawDocument
from briefing.netguard import Resolver
from briefing.sources import registry
from briefing.sources.base import WebSource, admit
from briefing.sources.feed_source import FeedSource
from briefing.sources.report import (
    IngestReport,
    SourceReport,
    SourceStatus,
    health_lines,
    report_lines,
)
from briefing.sources.web import PageSource, UrlSource
from briefing.store import Store
from briefing.workers import BatchPool, PoolError

log = logging.getLogger(__name__)

# Extraction is CPU-bound Python: past this many pages in a run, a process pool pays for
# its start-up; below it, a thread keeps small runs (and tests) light.
POOL_THRESHOLD = 40
MAX_WORKERS = 4


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
    """Read every configured source (unless ``include_sources`` is False) and ``urls``.

    ``workers`` extraction processes at most (default: CPUs, max 4); ``extract`` is the
    extraction service's extractor (tests hand in a fragile one).
    """
    started = datetime.now(UTC)
    now = now or started
    configs = registry.all_sources(settings, store) if include_sources else []
    sources = [web_source(c) for c in configs] + [UrlSource(u) for u in dict.fromkeys(urls)]
    # Each worker imports trafilatura (~100 MB): a few are enough to keep up with the network.
    workers = min(os.cpu_count() or 1, MAX_WORKERS) if workers is None else workers
    run = _Run(store, now, now - timedelta(hours=settings.window_hours), extract, workers)
    run.plan(len(configs) * 4)  # a run with many feeds will have many pages: start now
    try:
        reports, requests = asyncio.run(run.read_all(sources, settings.fetch, resolver))
    finally:
        if run.pool is not None:
            run.pool.shutdown()
    registry.forget_old_items(store, now)
    for report in reports:
        if report.kind != "url":
            registry.record_health(
                store, report.name, report.url, report.status.value,
                report.reason if report.status is SourceStatus.FAILED else None,
                len(report.added), now,
            )
    return IngestReport(
        started_at=started, finished_at=datetime.now(UTC), sources=reports, requests=requests
    )


def web_source(config: SourceConfig) -> WebSource:
    """The source for a configured feed or page."""
    return PageSource(config) if config.kind == "page" else FeedSource(config)


class _Run:
    """One run's reading: its fetcher, store and clock, and where extraction runs."""

    fetcher: Fetcher

    def __init__(self, store: Store, now: datetime, cutoff: datetime, extract: Extractor,
                 workers: int) -> None:
        self.store = store
        self.now = now
        self.cutoff = cutoff
        self.read = partial(read_document, extract=extract)  # one object: the pool's key
        self.workers = workers
        self.planned = 0  # pages this run expects to extract
        self.pool: BatchPool | None = None

    def plan(self, pages: int) -> None:
        """Note pages to come; start the worker pool once a run is big enough."""
        self.planned += pages
        if self.pool is None and self.workers > 1 and self.planned > POOL_THRESHOLD:
            self.pool = BatchPool(self.workers)

    async def run_cpu(self, func: Callable[[Any], Any], arg: Any) -> Any:
        """Run CPU-bound work (parsing, extraction) in the pool if there is one, else a thread."""
        if self.pool is not None:
            try:
                return await self.pool.run(func, arg)
            except PoolError as exc:
                log.warning("%s; carrying on in this process", exc)
                self.pool, self.workers = None, 1
        return await asyncio.to_thread(func, arg)

    async def read_all(
        self, sources: Sequence[WebSource], fetching: FetchSettings, resolver: Resolver | None
    ) -> tuple[list[SourceReport], int]:
        """Read every source concurrently; their reports, and how many requests were made."""
        async with Fetcher(fetching, resolver=resolver, cache=self.store) as fetcher:
            self.fetcher = fetcher
            reports = list(await asyncio.gather(*(self.source(s) for s in sources)))
            return reports, fetcher.requests

    async def source(self, source: WebSource) -> SourceReport:
        """Read one source to the end: each document extracted and stored as it arrives."""
        report = source.report
        jobs: list[asyncio.Future[None]] = []
        try:
            async for raw in source.documents(self):
                jobs.append(asyncio.ensure_future(self.document(source, raw)))
            await asyncio.gather(*jobs)
            source.finish(self)
        except BriefingError as exc:
            report.status, report.reason = SourceStatus.FAILED, _short(exc, report.url)
        except Exception as exc:  # one broken source must not end everyone's run
            log.exception("unexpected error ingesting %s", report.url)
            report.status = SourceStatus.FAILED
            report.reason = f"internal error: {type(exc).__name__}: {exc}"
        finally:
            for job in jobs:
                job.cancel()  # only those left by a source that failed half-way
        if report.status is SourceStatus.FAILED:
            log.warning("source %s failed: %s", report.name, report.reason)
        return report

    async def document(self, source: WebSource, raw: RawDocument) -> None:
        """The one path of every document: extraction service, store, the source told."""
        read: Read = await self.run_cpu(self.read, raw)
        source.settle(admit(self.store, raw, read, self.now))


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
    "report_lines",
]
