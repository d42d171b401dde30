"""Single web pages, fetched through the safe client and handed to extraction as bytes."""

from __future__ import annotations

from briefing.errors import ContentTypeError, FetchError
from briefing.fetch import FEED_TYPES, PAGE_TYPES, Fetcher, FetchResult
from briefing.models import DateSource, RawDocument, SourceKind


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
    return RawDocument(
        kind=kind,
        location=url,
        media_type=media_type_of(result),
        content=result.content,
        url=result.url,
        source_name=source_name,
        fetched_at=result.fetched_at,
        date_source=DateSource.NONE,
    )
