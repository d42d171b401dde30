"""The media types brief fetches, per purpose, and the Accept headers that ask for them."""

from __future__ import annotations

FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "text/plain",
        "application/octet-stream",
        "text/html",  # some servers label feeds as HTML; feedparser decides
    }
)
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
ROBOTS_TYPES = frozenset({"text/plain", "application/octet-stream", "text/html"})
ANY_TYPE: frozenset[str] = frozenset()  # accept whatever the server labels it
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, text/plain;q=0.5"


def acceptable(media_type: str | None, accept: frozenset[str]) -> bool:
    """True when a response labelled ``media_type`` is one of the ``accept`` types."""
    if accept is ANY_TYPE or media_type is None or media_type in accept:
        return True
    return accept is FEED_TYPES and media_type.endswith("+xml")
