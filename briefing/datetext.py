"""Reading one date as people and machines write it, keeping the writer's UTC offset.

The publication day is the day where the page was written: "22:30 +01:00" on the
12th stays the 12th, so offsets are kept rather than converted to UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo

_MONTH_NAMES = {
    1: "january jan januar janvier enero gennaio janeiro januari jänner",
    2: "february feb februar février fevrier febrero febbraio fevereiro februari",
    3: "march mar märz maerz mars marzo março maart",
    4: "april apr avril abril aprile",
    5: "may mai mayo maggio maio mei",
    6: "june jun juni juin junio giugno junho",
    7: "july jul juli juillet julio luglio julho",
    8: "august aug août aout agosto augustus",
    9: "september sep sept septembre septiembre settembre setembro",
    10: "october oct oktober octobre octubre ottobre outubro okt",
    11: "november nov novembre noviembre novembro",
    12: "december dec dezember décembre decembre diciembre dicembre dezembro dez",
}
MONTHS = {name: number for number, names in _MONTH_NAMES.items() for name in names.split()}
_MONTH = "(" + "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True)) + r")\.?"
_ZONES = {
    "utc": 0,
    "gmt": 0,
    "z": 0,
    "wet": 0,
    "bst": 1,
    "cet": 1,
    "wat": 1,
    "mez": 1,
    "cest": 2,
    "mesz": 2,
    "eet": 2,
    "sast": 2,
    "cat": 2,
    "eest": 3,
    "msk": 3,
    "eat": 3,
    "ist": 5.5,
    "pkt": 5,
    "wib": 7,
    "sgt": 8,
    "hkt": 8,
    "jst": 9,
    "kst": 9,
    "aest": 10,
    "aedt": 11,
    "nzst": 12,
    "nzdt": 13,
    "est": -5,
    "edt": -4,
    "cst": -6,
    "cdt": -5,
    "mst": -7,
    "mdt": -6,
    "pst": -8,
    "pdt": -7,
    "akst": -9,
    "hst": -10,
    "ast": -4,
    "brt": -3,
}
_ISO = re.compile(
    r"(?<!\d)(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?)?(?!\d)"
)
_NUMERIC = re.compile(r"(?<![\d.])(\d{1,2})([./])(\d{1,2})\2(\d{4})(?![\d.]*\d)")
_DAY_FIRST = re.compile(
    rf"(?<!\w)(\d{{1,2}})(?:\.|st|nd|rd|th)?\s*(?:de\s+)?{_MONTH},?\s*(?:de\s+)?(\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_MONTH_FIRST = re.compile(
    rf"(?<!\w){_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.IGNORECASE
)
_CLOCK = re.compile(
    r"^[\s,|·•–—-]*(?:at|um|à|a las|alle|om|kl\.?)?\s*(\d{1,2})[:.h](\d{2})(?::\d{2})?\s*"
    r"(a\.?\s?m\.?|p\.?\s?m\.?|uhr|h)?\s*(?:\(?([a-z]{1,5}|[+-]\d{2}:?\d{2})(?![a-z])\)?)?",
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    r"(?<!\w)(\d{1,3}|an?|one)\s+(minute|min|hour|hr|day|week)s?\s+ago\b", re.IGNORECASE
)


def parse_datetime(value: str | None) -> datetime | None:
    """An ISO 8601 (or printed) date as an aware datetime, keeping its own offset.

    A value without an offset is taken as UTC; None when nothing parses.
    """
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        # Machine-written values with slashes come from US-style formats (MM/DD/YYYY).
        return parse_text_date(text, month_first=True)
    if not 1990 <= parsed.year <= 2100:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_text_date(
    text: str, fetched_at: datetime | None = None, month_first: bool = False
) -> datetime | None:
    """The first date in a line of text: ISO, '15.03.2027', '1 December 2026 9:12 a.m. EET'.

    "3 hours ago" counts only when the fetch time is known; ``month_first`` reads
    06/01/2020 the American way (pages in US English).
    """
    found = _first_date(text, month_first)
    if found is None:
        if fetched_at is not None and (relative := _RELATIVE.search(text)):
            return _ago(relative, fetched_at)
        return None
    day, rest, offset = found
    clock = _CLOCK.match(rest)
    hour = minute = 0
    zone: tzinfo | None = offset
    if clock:
        hour, minute = int(clock[1]), int(clock[2])
        suffix = (clock[3] or "").lower()
        if suffix.startswith("p") and hour < 12:
            hour += 12
        elif suffix.startswith("a") and hour == 12:
            hour = 0
        zone = zone or _zone(clock[4])
    if hour > 23 or minute > 59:
        hour = minute = 0
    return day.replace(hour=hour, minute=minute, tzinfo=zone or UTC)


def _first_date(text: str, month_first: bool) -> tuple[datetime, str, tzinfo | None] | None:
    """The earliest date in the text, what follows it, and an ISO offset if it had one."""
    best: tuple[int, datetime, str, tzinfo | None] | None = None
    for pattern in (_ISO, _NUMERIC, _DAY_FIRST, _MONTH_FIRST):
        for match in pattern.finditer(text):
            day = _day(pattern, match, month_first)
            if day is None:
                continue
            if best is None or match.start() < best[0]:
                offset = _zone(match[6]) if pattern is _ISO and match[6] else None
                if pattern is _ISO and match[4]:
                    hour, minute = int(match[4]), int(match[5])
                    if hour < 24 and minute < 60:
                        day = day.replace(hour=hour, minute=minute)
                    rest = "" if offset else text[match.end() :]
                else:
                    rest = text[match.end() :]
                best = (match.start(), day, rest, offset)
            break
    return (best[1], best[2], best[3]) if best else None


def _day(pattern: re.Pattern[str], match: re.Match[str], month_first: bool) -> datetime | None:
    """The calendar day a match names, or None when it is no real date."""
    if pattern is _ISO:
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    elif pattern is _NUMERIC:
        first, second, year = int(match[1]), int(match[3]), int(match[4])
        # Day first, as most of the world writes it (always with dots), unless only
        # month first can be right (03/13/2027) or the page is in US English.
        american = month_first and match[2] == "/" and first <= 12
        day, month = (second, first) if second > 12 or american else (first, second)
    elif pattern is _DAY_FIRST:
        day, month, year = int(match[1]), MONTHS[match[2].lower()], int(match[3])
    else:
        month, day, year = MONTHS[match[1].lower()], int(match[2]), int(match[3])
    if not 1990 <= year <= 2100:
        return None
    try:
        return datetime(year, month, day)
    except ValueError:
        return None


def _zone(name: str | None) -> tzinfo | None:
    """A fixed offset from '+02:00', '+0200' or a common abbreviation like 'EET'."""
    if not name:
        return None
    name = name.strip()
    if name[0] in "+-":
        digits = name[1:].replace(":", "")
        if len(digits) != 4 or not digits.isdigit():
            return None
        delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        return timezone(-delta if name[0] == "-" else delta)
    hours = _ZONES.get(name.lower())
    return None if hours is None else timezone(timedelta(hours=hours))


def _ago(match: re.Match[str], fetched_at: datetime) -> datetime:
    """'3 hours ago' as a time, counted back from when the page was fetched."""
    amount = 1 if match[1].lower() in ("a", "an", "one") else int(match[1])
    unit = {"min": "minutes", "minute": "minutes", "hour": "hours", "hr": "hours"}.get(
        match[2].lower(), match[2].lower() + "s"
    )
    when = fetched_at if fetched_at.tzinfo else fetched_at.replace(tzinfo=UTC)
    return when - timedelta(**{unit: amount})
