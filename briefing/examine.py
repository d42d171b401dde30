"""What brief sees of one page: for `brief extract FILE|URL`, a user's debugging tool.

A file is read as the inbox reads it; a URL goes through the guarded fetcher, as a
`--url` page would. The page is extracted with the same policy as a briefing, and the
result is reported whether or not the page would be briefed.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from briefing.config import Settings
from briefing.errors import SourceError
from briefing.extract import Extraction, extract_page
from briefing.models import RawDocument, SourceKind
from briefing.sources.inbox import MEDIA_TYPES


def inspect_target(target: str, settings: Settings) -> Extraction:
    """Extract a saved file or a web page (http/https URL) as brief would."""
    if target.startswith(("http://", "https://")):
        raw = asyncio.run(_fetch(target, settings))
    else:
        raw = read_file(Path(target))
    return extract_page(raw)


def read_file(path: Path) -> RawDocument:
    """A saved page as the inbox would collect it; SourceError when it cannot be."""
    media_type = MEDIA_TYPES.get(path.suffix.lower())
    if media_type is None:
        known = " ".join(sorted(MEDIA_TYPES))
        raise SourceError(f"{path}: unsupported file type (use one of {known})")
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read file ({exc.strerror or exc})") from None
    if not content:
        raise SourceError(f"{path}: empty file")
    return RawDocument(
        kind=SourceKind.INBOX, location=str(path), media_type=media_type, content=content
    )


async def _fetch(url: str, settings: Settings) -> RawDocument:
    from briefing.fetch import Fetcher
    from briefing.sources.web import fetch_page

    async with Fetcher(settings.fetch) as fetcher:
        return await fetch_page(fetcher, url)


def describe(result: Extraction) -> dict[str, Any]:
    """The page as JSON-ready fields: metadata, text and whether it would be briefed."""
    article = result.article
    fields: dict[str, Any] = {
        "title": article.title,
        "published": article.published_at.isoformat() if article.published_at else None,
        "published_from": str(article.date_source),
        "url": article.url,
        "site": article.site,
        "language": article.language,
        "words": result.words,
        "text": article.text,
        "accepted": result.accepted,
    }
    if not result.accepted:
        fields["reason"] = result.reason
    return fields


def as_text(result: Extraction) -> str:
    """The same fields for a terminal: a header of metadata, a blank line, the text."""
    fields = describe(result)
    text = str(fields.pop("text"))
    header = [f"{key}: {'' if value is None else value}" for key, value in fields.items()]
    return "\n".join(header) + "\n\n" + text
