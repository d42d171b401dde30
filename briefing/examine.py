"""What brief sees of one page: for `brief extract FILE|URL`, a user's debugging tool.

A file is read as the inbox reads it; a URL goes through the guarded fetcher, as a
`--url` page would. The page is extracted with the same policy as a briefing, and the
result is reported whether or not the page would be briefed.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

from briefing.cleaner import DATELINE_NOTE
from briefing.config import Settings
from briefing.errors import SourceError
from briefing.extract import Extraction, extract_page
from briefing.models import Article, RawDocument, SourceKind
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
    if path.is_dir():
        raise SourceError(f"{path}: is a folder; give one saved page (brief today --inbox"
                          " reads a folder)")
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


def dateline_of(article: Article) -> str | None:
    """The wire dateline taken off the story's first line ("BEIRUT (Reuters)"), if any."""
    prefix = DATELINE_NOTE
    return next((n[len(prefix) :] for n in article.notes if n.startswith(prefix)), None)


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
        "dateline": dateline_of(article),
        "accepted": result.accepted,
    }
    if not result.accepted:
        fields["reason"] = result.reason
    # What was held back, and why: the user's way to check the injection filter.
    fields["quarantined"] = [q.model_dump() for q in article.quarantined]
    return fields


_RULE = "-" * 72


def as_text(result: Extraction) -> str:
    """The same fields for a terminal: metadata, the text, then what was held back."""
    fields = describe(result)
    text = str(fields.pop("text"))
    held: list[dict[str, str]] = fields.pop("quarantined")
    header = [f"{key}: {'' if value is None else value}" for key, value in fields.items()]
    out = "\n".join(header) + "\n\n" + text
    if held:
        # Set apart so no one mistakes a held-back passage for part of the article.
        lines = [f"[{q['reason']}] {q['text']}" for q in held]
        title = f"HELD BACK: {len(held)} passage(s), not part of the article text"
        out += "\n\n" + "\n".join([_RULE, title, _RULE, *lines])
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", out)


# Page text is untrusted: a terminal escape in it must print as text, not act.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
