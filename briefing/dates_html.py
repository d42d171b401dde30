"""Where an HTML page states its publication date, in the order a careful reader trusts it.

Each reader returns a time and the name of its evidence (a ``DateSource`` value), or
None. This module reads the page's metadata (meta tags, JSON-LD, <time> markup, the
URL, htmldate's search) and reconciles it with what the page prints; the printed dates
themselves (byline, the text by the headline) are read in dates_byline.py.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from briefing.dates_byline import (
    MODIFIED,
    WIDGET,
    Evidence,
    excluded,
    from_byline,
    in_entry,
    near_headline,
    printed_dates,
)
from briefing.datetext import parse_datetime

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article:published",
    "datepublished",
    "published_time",
    "published-date",
    "publish-date",
    "publish_date",
    "publishdate",
    "publication_date",
    "pubdate",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "citation_publication_date",
    "citation_date",
    "sailthru.date",
    "parsely-pub-date",
    "originalpublicationdate",
    "article.published",
    "ptime",
    "date_published",
    "article_date_original",
    "cxenseparse:recs:publishtime",
    "og:pubdate",
)
_PLAIN_META = ("dc.date", "dcterms.date", "date", "dc:date", "created", "released")
_ARTICLE_TYPES = re.compile(
    r"article|posting|report|webpage|newsitem|blog|creativework|event\b|video|podcast|review",
    re.IGNORECASE,
)
_URL_DATE = re.compile(
    r"/((?:19|20)\d\d)[/_-](0?[1-9]|1[0-2])[/_-](0?[1-9]|[12]\d|3[01])(?:/|[_-]|\.html|$)"
)


def parse_html(html: str) -> Any:
    """An lxml tree of a page lxml would otherwise refuse (XML declaration, control bytes)."""
    import lxml.html

    cleaned = _CONTROL.sub(" ", _XML_DECLARATION.sub("", html, count=1))
    return lxml.html.document_fromstring(cleaned or "<html></html>")


def html_date_evidence(
    html: str, tree: Any, url: str | None, fetched_at: datetime | None
) -> Evidence | None:
    """The best-supported publication time of a page, with the name of its evidence."""
    if tree is None:
        try:
            tree = parse_html(html)
        except Exception:  # lxml raises several unrelated types on broken markup
            tree = None
    if tree is None:
        found = _from_htmldate(
            _CONTROL.sub(" ", _XML_DECLARATION.sub("", html, count=1)), fetched_at
        )
        return found if found and _plausible(found[0], fetched_at) else None
    readers: list[Callable[[], Evidence | None]] = [
        lambda: _from_meta(tree),
        lambda: _from_jsonld(tree),
        lambda: _from_markup(tree),
        lambda: from_byline(tree, fetched_at),
        lambda: _from_url(tree, url),
        lambda: _from_htmldate(_without_other_dates(tree), fetched_at),
    ]
    for reader in readers:
        found = reader()
        if found is not None and _plausible(found[0], fetched_at):
            if found[1] in ("json-ld", "meta"):
                return _printed_day(_local_day(found, html, tree, fetched_at), tree, fetched_at)
            return found
    return None


def _plausible(when: datetime, fetched_at: datetime | None) -> bool:
    """Not before the web's news era and not after the page was saved."""
    if when.year < 1995:
        return False
    return fetched_at is None or when.date() <= fetched_at.date()


def _from_jsonld(tree: Any) -> Evidence | None:
    """datePublished of the page's article object (not of its comments or lists)."""
    for script in tree.xpath("//script[contains(@type, 'ld+json')]"):
        raw = (script.text or "").strip()
        try:
            data = json.loads(_CONTROL.sub(" ", raw))
        except ValueError:
            match = re.search(r'"datePublished"\s*:\s*"([^"]+)"', raw)
            data = {"@type": "Article", "datePublished": match[1]} if match else None
        for node in _ld_nodes(data, 0):
            kind = str(node.get("@type", ""))
            for key in ("datePublished", "dateCreated"):
                value = node.get(key)
                if not isinstance(value, str) or not _ARTICLE_TYPES.search(kind or "article"):
                    continue
                if (when := parse_datetime(value)) is not None:
                    return when, "json-ld"
    return None


def _ld_nodes(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    """JSON-LD objects, outermost first, never inside comments, reviews or item lists."""
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _ld_nodes(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            yield from _ld_nodes(data.get(key), depth + 1)


def _from_meta(tree: Any) -> Evidence | None:
    """Publication-time meta tags; a bare 'date' tag only when none is more specific."""
    plain: datetime | None = None
    found: dict[str, datetime] = {}
    for element in tree.xpath("//meta[@content]"):
        key = (
            element.get("property") or element.get("name") or element.get("itemprop") or ""
        ).lower()
        if key in _PUBLISHED_META or key in _PLAIN_META:
            when = parse_datetime(element.get("content"))
            if when is None:
                continue
            if key in _PUBLISHED_META:
                found.setdefault(key, when)
            elif plain is None:
                plain = when
    for key in _PUBLISHED_META:
        if key in found:
            return found[key], "meta"
    return (plain, "meta") if plain else None


def _from_markup(tree: Any) -> Evidence | None:
    """Dates marked up as the article's: itemprop datePublished, <time> in the article."""
    paths = (
        "//*[@itemprop='datePublished']",
        "//time[@pubdate]",
        "//abbr[contains(@class, 'published')]",
        "//article//time[@datetime]",
        "//main//time[@datetime]",
        "//time[@datetime]",
    )
    for path in paths:
        for element in tree.xpath(path):
            if excluded(element) or MODIFIED.search(element.get("class", "")):
                continue
            for value in (
                element.get("datetime"),
                element.get("content"),
                element.get("title"),
                element.text_content(),
            ):
                if value and (when := parse_datetime(value[:120])) is not None:
                    return when, "meta"
    return None


def _from_url(tree: Any, url: str | None) -> Evidence | None:
    """A /2026/12/01/ date in the page's URL or its own canonical address."""
    addresses = [url] if url else []
    addresses += tree.xpath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content")
    for address in addresses:
        if address and (match := _URL_DATE.search(address)):
            try:
                day = datetime(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                continue
            return parse_datetime(day.isoformat()) or day, "url"
    return None


def _without_other_dates(tree: Any) -> Any:
    """A copy of the page without the places of other dates, for htmldate to search.

    htmldate reads every date it can find; captions, image paths (og:image) and the
    date widget are removed first so it cannot pick theirs. (Removing comment sections
    too cost more than it gained on the public dev set: forum pages date by their posts.)
    """
    page = copy.deepcopy(tree)
    doomed = page.xpath(
        "//figcaption[not(.//h1 or .//h2)] | //img | //picture | //source"
        " | //meta[contains(@property, 'image') or contains(@name, 'image')]"
        " | //meta[contains(@property, 'updated') or contains(@property, 'modified')"
        " or contains(@name, 'updated') or contains(@name, 'modified')]"
    )
    # The site's today's-date widget: a bare "Monday, July 7, 2025" above the headline.
    headline = (page.xpath("//h1") or [None])[0]
    above = headline.xpath("preceding::*[not(*)]") if headline is not None else []
    doomed += [
        e
        for e in above
        if WIDGET.match(" ".join(e.text_content().split())[:40]) and not in_entry(e)
    ]
    for element in doomed:
        element.drop_tree()  # keeps the tail text, which belongs to the parent
    return page


def _from_htmldate(page: Any, fetched_at: datetime | None) -> Evidence | None:
    """htmldate's extensive search, the last resort: a day with no time."""
    from htmldate import find_date

    latest = (fetched_at.date() if fetched_at else date.today()).isoformat()
    try:
        found = find_date(
            page,
            extensive_search=True,
            original_date=True,
            max_date=latest,
        )
    except Exception:  # htmldate can fail on odd markup; a missing date is fine
        return None
    if found and found[5:] == "01-01":
        # htmldate turns a lone year (a copyright line, a CMS placeholder) into January
        # 1st; its reading of the page's latest date is a real day when it differs.
        try:
            latest_found = find_date(
                page, extensive_search=True, original_date=False, max_date=latest
            )
        except Exception:
            latest_found = None
        if latest_found and latest_found[5:] != "01-01":
            found = latest_found
    when = parse_datetime(found) if found else None
    return (when, "page") if when else None


def _local_day(found: Evidence, html: str, tree: Any, fetched_at: datetime | None) -> Evidence:
    """A UTC timestamp shown at the page's own offset, read from its printed dates.

    Many sites state the instant in UTC in metadata and print the local time in the
    byline; the publication day is the printed one (an evening story in New York is
    the next day in UTC).
    """
    when, source = found
    if when.utcoffset() != timedelta(0) or (when.hour, when.minute) == (0, 0):
        return found
    if (offset := _site_offset(html, when)) is not None:
        return when.astimezone(offset), source
    url_day = _from_url(tree, None)
    for other in itertools.chain(printed_dates(tree, fetched_at), [url_day[0]] if url_day else []):
        if other.utcoffset() and abs(other - when) <= timedelta(hours=1):
            return other, source
        if other.utcoffset() != timedelta(0):
            continue
        shift = other.replace(tzinfo=None) - when.replace(tzinfo=None)
        if (other.hour, other.minute) != (0, 0):
            quarters = round(shift / timedelta(minutes=15))
            step = quarters * timedelta(minutes=15)
            if abs(shift - step) <= timedelta(minutes=20) and -12 <= quarters / 4 <= 14:
                return when.astimezone(timezone(step)), source
        elif (hours := _hours_to_reach(when, other.date())) is not None:
            # Only the printed day is known: the smallest whole-hour offset reaching it.
            return when.astimezone(timezone(timedelta(hours=hours))), source
    return found


def _hours_to_reach(when: datetime, day: date) -> int | None:
    """The smallest whole-hour offset (-12..+14) putting a UTC time on the given day."""
    if day == when.date() - timedelta(days=1) and when.hour + 1 <= 12:
        return -(when.hour + 1)
    if day == when.date() + timedelta(days=1) and 24 - when.hour <= 14:
        return 24 - when.hour
    return None


_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?(?:\.\d+)?[+-]\d\d:?\d\d")
# RFC 2822, as feeds and scripts write it: "Fri, 01 May 2020 23:00:00 -0400" (a pattern
# of its own: one alternation of both scans the page several times slower)
_RFC_STAMP = re.compile(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} [A-Z][a-z]{2} \d{4} [\d:]{5,8} [+-]\d{4}"
)


def _site_offset(html: str, when: datetime) -> timezone | None:
    """The site's own offset: the same instant written elsewhere with it, else the usual one.

    Pages often carry the publication instant twice (UTC in JSON-LD, local in a script
    or a <time> tag); failing that, the offset most of its other timestamps use.
    """
    offsets: Counter[timedelta] = Counter()
    head = html[:2_000_000]
    for match in itertools.chain(_STAMP.finditer(head), _RFC_STAMP.finditer(head)):
        stamp = _stamp_time(match[0])
        offset = stamp.utcoffset() if stamp else None
        if stamp is None or offset is None:
            continue
        if offset and abs(stamp - when) <= timedelta(minutes=1):
            return timezone(offset)
        offsets[offset] += 1
    if not offsets:
        return None
    ((usual, count),) = offsets.most_common(1)
    return timezone(usual) if usual and count >= 2 else None


def _stamp_time(text: str) -> datetime | None:
    """An ISO 8601 or RFC 2822 timestamp with its own offset."""
    if text[:1].isdigit():
        return parse_datetime(text)
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None


def _printed_day(found: Evidence, tree: Any, fetched_at: datetime | None) -> Evidence:
    """The byline's printed date when the metadata names a day the page never shows.

    Metadata goes stale (a template's first-version date, a re-publication); the date
    printed by the headline is what the reader sees.
    """
    byline = near_headline(tree, fetched_at, budget=250, line_limit=80)
    if byline is not None and byline[0].date() == found[0].date():
        return found
    printed = list(itertools.islice(printed_dates(tree, fetched_at), 6))
    days = {when.date() for when in printed}
    if printed and printed[0].date() == found[0].date():
        return found  # the page's first marked-up date shows it: the text's is another's
    if byline is not None:
        return byline
    # Many different days are a list of other stories, not this one's byline.
    if not printed or found[0].date() in days or len(days) >= 3:
        return found
    return printed[0], "byline"
