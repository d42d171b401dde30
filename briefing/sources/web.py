"""Single web pages as sources: a ``--url`` page, and a page the user follows.

Each is fetched through the safe client (netguard, robots, politeness) and handed to
the one extraction service as bytes, like any other document.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from briefing.config import SourceConfig
from briefing.errors import ContentTypeError, FetchError
from briefing.fetch import FEED_TYPES, PAGE_TYPES, Fetcher, FetchResult
from briefing.models import DateSource, RawDocument, SourceKind
from briefing.sources.base import Admitted, Web
from briefing.sources.report import SourceReport, SourceStatus
from briefing.store import Store


def media_type_of(result: FetchResult) -> str:
    """The RawDocument media type for a fetched page: "text" for plain text, else "html"."""
    return "text" if result.media_type == "text/plain" else "html"


async def fetch_page(
    fetcher: Fetcher,
    url: str,
    *,
    allow_private: bool = False,
    kind: SourceKind = SourceKind.URL,
    source_name: str | None = None,
) -> RawDocument:
    """Fetch one page and wrap it for extraction; raises FetchError when it cannot be had."""
    try:
        result = await fetcher.fetch(url, allow_private=allow_private, accept=PAGE_TYPES)
    except ContentTypeError as exc:
        if exc.media_type in FEED_TYPES and (exc.media_type or "").endswith("xml"):
            raise FetchError(f"{exc} (for a feed use `brief sources add {url}`)") from None
        raise
    return as_document(result, kind=kind, location=url, source_name=source_name)


def as_document(
    result: FetchResult, *, kind: SourceKind, location: str, source_name: str | None = None
) -> RawDocument:
    """A fetched page as a document for extraction."""
    return RawDocument(
        kind=kind,
        location=location,
        media_type=media_type_of(result),
        content=result.content,
        url=result.url,
        source_name=source_name,
        fetched_at=result.fetched_at,
        date_source=DateSource.NONE,
    )


def settle_one(report: SourceReport, admitted: Admitted) -> None:
    """A one-document source: its article, or why it failed, is the source's outcome."""
    if admitted.error is not None:
        report.status = SourceStatus.FAILED
        report.reason = admitted.error.reason_for(report.url)
        return
    assert admitted.article_id is not None
    (report.added if admitted.new else report.merged).append(admitted.article_id)
    report.status = SourceStatus.OK


class UrlSource:
    """A page the user asked for by URL (``--url``): briefed whatever its date.

    Never allowed to reach a private address: a URL on the command line is as untrusted
    as one in a feed.
    """

    def __init__(self, url: str) -> None:
        self.report = SourceReport(name=url, url=url, kind="url", status=SourceStatus.NOTHING_NEW)

    async def documents(self, web: Web) -> AsyncIterator[RawDocument]:
        """The page."""
        yield await fetch_page(web.fetcher, self.report.url, allow_private=False)

    def settle(self, admitted: Admitted) -> None:
        """The page's article, or why it could not be read."""
        settle_one(self.report, admitted)

    def finish(self, web: Web) -> None:
        """Nothing to remember for a one-off page."""


class PageSource:
    """A page the user follows (``kind = "page"``), fetched again only when it changed."""

    def __init__(self, config: SourceConfig) -> None:
        self.config = config
        name = config.name or config.url
        self.report = SourceReport(
            name=name, url=config.url, kind="page", status=SourceStatus.NOTHING_NEW
        )
        self.result: FetchResult | None = None

    async def documents(self, web: Web) -> AsyncIterator[RawDocument]:
        """The page, unless the server says it has not changed since the last fetch."""
        etag, modified = validators(web.store, self.config.url)
        result = await web.fetcher.fetch(
            self.config.url,
            allow_private=self.config.allow_private,
            etag=etag,
            last_modified=modified,
        )
        if result.not_modified:
            self.report.not_modified = True
            return
        self.result = result
        document = as_document(
            result, kind=SourceKind.URL, location=self.config.url, source_name=self.report.name
        )
        yield graded(document, self.config)

    def settle(self, admitted: Admitted) -> None:
        """The page's article, or why it could not be read: the page is the source."""
        settle_one(self.report, admitted)

    def finish(self, web: Web) -> None:
        """Remember the validators of a page that was read."""
        if self.result is not None and self.report.status is SourceStatus.OK:
            save_validators(web.store, self.config.url, self.result)


def graded(document: RawDocument, config: SourceConfig) -> RawDocument:
    """The document with its source's tag and reliability grade, for its SourceRef."""
    if not (config.tag or config.reliability):
        return document
    return document.model_copy(update={"tag": config.tag, "reliability": config.reliability})


def validators(store: Store, url: str) -> tuple[str | None, str | None]:
    """The ETag and Last-Modified a URL last answered with, for a conditional fetch."""
    return store.get_value(f"fetch:etag:{url}"), store.get_value(f"fetch:last-modified:{url}")


def save_validators(store: Store, url: str, result: FetchResult) -> None:
    """Remember a fetch's validators, so the next fetch can be answered 304."""
    if result.etag:
        store.set_value(f"fetch:etag:{url}", result.etag)
    if result.last_modified:
        store.set_value(f"fetch:last-modified:{url}", result.last_modified)
