"""Publication dates: from a page's markup, a text page's lines, or an item's fields.

One owner for every date rule, so HTML, text, Markdown and JSON pages are dated the
same way. A date is returned with where it came from (``DateSource``), keeping the
page's own UTC offset (the publication day is the writer's local day).

Evidence is read in the order a careful reader trusts it: the article's JSON-LD and
metadata, the byline's markup and text, a date in the page's own URL, and only then
htmldate's search over the whole page. Dates in captions, comments, related-article
lists, image paths and the site's today's-date widget are never taken.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple

from briefing.dates_html import html_date_evidence, parse_html
from briefing.datetext import parse_datetime, parse_text_date
from briefing.models import DateSource

__all__ = [
    "FoundDate",
    "date_from_fields",
    "date_from_html",
    "date_from_lines",
    "parse_datetime",
    "parse_html",
    "parse_text_date",
]


class FoundDate(NamedTuple):
    """A publication time and the evidence it was read from."""

    when: datetime
    source: DateSource


def date_from_html(
    html: str,
    from_meta: datetime | None = None,
    *,
    tree: Any = None,
    url: str | None = None,
    fetched_at: datetime | None = None,
) -> FoundDate | None:
    """The page's publication time from its markup; ``tree`` saves a second parse.

    ``from_meta`` (a caller's own reading of the meta tags) is used only when the
    page's evidence gives nothing; ``fetched_at`` dates "3 hours ago" and caps dates.
    """
    found = html_date_evidence(html, tree, url, fetched_at)
    if found is not None:
        return FoundDate(found[0], DateSource(found[1]))
    return FoundDate(from_meta, DateSource.META) if from_meta is not None else None


_FIELDS = ("published", "published_at", "datePublished", "date", "pubDate", "created")


def date_from_fields(
    fields: Mapping[str, Any], source: DateSource = DateSource.FRONT_MATTER
) -> FoundDate | None:
    """A date from an item's own fields (front matter or a JSON export), first that parses."""
    for key in _FIELDS:
        value = fields.get(key)
        if isinstance(value, datetime):
            return FoundDate(parse_datetime(value.isoformat()) or value, source)
        if isinstance(value, str | int) and (found := parse_datetime(str(value))) is not None:
            return FoundDate(found, source)
    return None


_TIMED = re.compile(r"\d[:.h]\d\d\b(?!\.\d)|\bago\b", re.IGNORECASE)
_WEEKDAY = re.compile(
    r"\b(mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(montag|dienstag|mittwoch|donnerstag|"
    r"freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b",
    re.IGNORECASE,
)
_BYLINE_CUE = re.compile(
    r"\b(by|published|posted|updated|von|veröffentlicht|publié|publicado)\b|[|·•]",
    re.IGNORECASE,
)


def date_from_lines(
    lines: list[str], title: str | None = None, fetched_at: datetime | None = None
) -> FoundDate | None:
    """A text page's date from its lines, passing over the site's today's-date widget.

    A bare date without a time above the headline is the site's widget (the day the
    page was saved, not written), so a page whose only date is one is undated.
    """
    headline = _headline_index(lines, title)
    candidates: list[tuple[int, datetime]] = []
    for index, line in enumerate(lines[:80]):
        text = line.strip()
        if not text or len(text) > 160:
            continue
        when = parse_text_date(text, fetched_at)
        if when is None or _is_widget(text, index, headline):
            continue
        # A byline ("By Jane Roe | 1 December 2026 9:12") or a timed dateline is the
        # story's own; a bare date below the headline is next best.
        rank = 0 if _TIMED.search(text) or _BYLINE_CUE.search(text) else 1
        candidates.append((rank, when))
    if not candidates:
        return None
    rank, when = min(candidates, key=lambda c: c[0])
    return FoundDate(when, DateSource.BYLINE if rank == 0 else DateSource.TEXT)


def _headline_index(lines: list[str], title: str | None) -> int:
    """Where the headline is: the title's line, else the first line of several words."""
    wanted = (title or "").strip().lower()
    for index, line in enumerate(lines):
        if wanted and line.strip().lower() == wanted:
            return index
    for index, line in enumerate(lines):
        if len(line.split()) >= 5 and parse_text_date(line) is None:
            return index
    return 0


def _is_widget(line: str, index: int, headline: int) -> bool:
    """A bare untimed date above the headline, or any lone 'Monday, July 7, 2025'."""
    if _TIMED.search(line) or _BYLINE_CUE.search(line):
        return False
    return index < headline or (bool(_WEEKDAY.search(line)) and index != headline + 1)
