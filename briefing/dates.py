"""Publication dates: from a page's markup or from the date lines of a text page.

One owner for every date rule, so HTML, text, Markdown and JSON pages are dated
the same way. A date is returned with where it came from (``DateSource``).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from typing import NamedTuple

from briefing.models import DateSource


class FoundDate(NamedTuple):
    """A publication time and the evidence it was read from."""

    when: datetime
    source: DateSource


def date_from_html(html: str, from_meta: datetime | None = None) -> FoundDate | None:
    """The page's publication time: its own metadata first, then htmldate on markup."""
    if from_meta is not None:
        return FoundDate(from_meta, DateSource.META)
    found = _htmldate(html)
    return FoundDate(found, DateSource.PAGE) if found else None


def date_from_lines(date_lines: list[str]) -> FoundDate | None:
    """A text page's date from the lines the cleaner set aside as dates."""
    # The dateline carries a time; the site's date widget usually does not.
    timed = [line for line in date_lines if re.search(r"\d[:.]\d\d", line)]
    for line in timed + date_lines:
        if (found := _parse_text_date(line)) is not None:
            return FoundDate(found, DateSource.TEXT)
    return None


def _htmldate(html: str) -> datetime | None:
    """A date from page markup only (no guessing from the site's date widget)."""
    from htmldate import find_date

    try:
        found = find_date(html, extensive_search=False, original_date=True)
    except Exception:  # htmldate can fail on odd markup; a missing date is fine
        return None
    return parse_datetime(found) if found else None


def parse_datetime(value: str | None) -> datetime | None:
    """An ISO 8601 date or datetime as an aware UTC datetime; None when unparseable."""
    if not value:
        return None
    value = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return _parse_text_date(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}


def _parse_text_date(line: str) -> datetime | None:
    """Dates as sites print them: '24 November 2026 09:15 GMT', 'Nov. 24, 2026, 7:30 a.m.'."""
    text = line.lower()
    iso = re.search(r"(\d{4})-(\d{2})-(\d{2})", text)
    day_first = re.search(r"\b(\d{1,2})\s+([a-z]{3})[a-z]*\.?,?\s+(\d{4})", text)
    month_first = re.search(r"\b([a-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})", text)
    try:
        if iso:
            year, month, day = int(iso[1]), int(iso[2]), int(iso[3])
        elif day_first and day_first[2] in _MONTHS:
            year, month, day = int(day_first[3]), _MONTHS[day_first[2]], int(day_first[1])
        elif month_first and month_first[1] in _MONTHS:
            year, month, day = int(month_first[3]), _MONTHS[month_first[1]], int(month_first[2])
        else:
            return None
        clock = re.search(
            r"\b(\d{1,2})[:.](\d{2})\s*(a\.?m\.?|p\.?m\.?)?",
            text[text.find(str(year)) + 4 :] if str(year) in text else "",
        )
        hour, minute = (int(clock[1]), int(clock[2])) if clock else (0, 0)
        if clock and clock[3] and clock[3].startswith("p") and hour < 12:
            hour += 12
        return datetime.combine(
            datetime(year, month, day).date(), time(hour % 24, minute), tzinfo=UTC
        )
    except ValueError:
        return None


