"""Dates a page shows its reader: the byline, and the text just after the headline.

Places that carry other dates (comments, captions, related-article lists, the site's
date widget) are skipped by their markup. The page's metadata is read in dates_html.py,
which turns to these printed dates to check and localise what the metadata says.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from briefing.datetext import parse_text_date

Evidence = tuple[datetime, str]  # a time and the name of its evidence (a DateSource value)

# Containers of dates that are not this article's: comments, captions, lists of other
# stories, sidebars, footers, the site's clock or weather widget.
_ELSEWHERE = re.compile(
    r"(^|[\s_-])(comments?|kommentare?)([\s_-]|list|$)|repl(y|ies)|caption|related|recommend|teaser|sidebar|widget|promo|popular|"
    r"trending|more-?(stories|news|articles)|read-?more|footer|breadcrumb|newsletter|"
    r"weather|clock|today|current-?date|topbar|top-bar|site-?header|masthead|navbar|menu|nav\b|share|social|"
    r"carousel|slider|gallery|(?<!h)feed|\bads?\b|advert|archive|calendar|event|disqus",
    re.IGNORECASE,
)
_SKIP_TAGS = {"figure", "figcaption", "aside", "nav", "footer", "form", "select", "option"}
_DATE_CLASS = re.compile(
    r"date|time|publish|posted|byline|dateline|entry-meta|article-?meta|post-?meta|meta-?info|"
    r"info|datum|zeit|fecha|data|stamp|created|author",
    re.IGNORECASE,
)
MODIFIED = re.compile(r"modif|update|edit|aktualisiert|changed|revised", re.IGNORECASE)


def excluded(element: Any) -> bool:
    """True inside comments, captions, related lists and other places of other dates."""
    node = element
    while node is not None and isinstance(node.tag, str):
        if node.tag in _SKIP_TAGS:
            return True
        if _elsewhere(node.get("class"), node.get("id")):
            return True
        node = node.getparent()
    return False


@functools.lru_cache(maxsize=8192)
def _elsewhere(classes: str | None, ident: str | None) -> bool:
    """Whether an element's class or id marks a place of other dates (cached: sites repeat)."""
    return bool((classes or ident) and _ELSEWHERE.search(f"{classes or ''} {ident or ''}"))


@functools.lru_cache(maxsize=8192)
def _dated(classes: str | None, ident: str | None) -> bool:
    """Whether an element's class or id says it holds a date (cached: sites repeat)."""
    return bool((classes or ident) and _DATE_CLASS.search(f"{classes or ''} {ident or ''}"))


def from_byline(tree: Any, fetched_at: datetime | None) -> Evidence | None:
    """A printed date in the byline: an element classed as a date, or text by the headline."""
    for element in tree.xpath("//body//*[@class or @id]"):
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "body"):
            continue
        if not _dated(element.get("class"), element.get("id")):
            continue
        if MODIFIED.search(f"{element.get('class', '')} {element.get('id', '')}"):
            continue
        text = " ".join(element.text_content().split())
        if not text or len(text) > 200 or excluded(element):
            continue
        if WIDGET.match(text) and not in_entry(element):
            continue
        if (when := parse_text_date(text, fetched_at, _american(tree))) is not None:
            return when, "byline"
    return near_headline(tree, fetched_at)


def near_headline(
    tree: Any, fetched_at: datetime | None, budget: int = 400, line_limit: int = 200
) -> Evidence | None:
    """The first date in the text just after the headline: a byline or a dateline.

    ``budget`` is how many characters of text are read after the headline (the byline
    and the lede); ``line_limit`` the longest text node read as a byline.
    """
    headlines = tree.xpath("//article//h1 | //main//h1") or tree.xpath("//h1")
    if not headlines:
        return None
    american = _american(tree)
    texts = headlines[0].xpath(".//text()") + headlines[0].xpath(
        "following::text()[position() <= 200]"
    )
    for text in texts:
        parent = text.getparent()
        if parent is None or parent.tag in ("script", "style") or excluded(parent):
            continue
        line = " ".join(str(text).split())
        if not line:
            continue
        if len(line) <= line_limit and (when := parse_text_date(line, fetched_at, american)):
            return when, "byline"
        budget -= len(line)
        if budget <= 0:
            break
    return _timed_above(headlines[0], fetched_at, american)


_CLOCK_TIME = re.compile(r"\b\d{1,2}[:.]\d\d\b(?![.:]\d{2,4}\b)")


def _timed_above(headline: Any, fetched_at: datetime | None, american: bool) -> Evidence | None:
    """A dated and timed line just above the headline (a kicker: "2.2.2022 10:16 - Sport").

    Only with a clock time: an untimed date above the headline is the site's widget.
    """
    budget = 200
    for text in headline.xpath("preceding::text()[position() <= 12]")[::-1]:
        parent = text.getparent()
        if parent is None or parent.tag in ("script", "style", "title") or excluded(parent):
            continue
        line = " ".join(str(text).split())
        timed = bool(line) and len(line) <= 120 and _CLOCK_TIME.search(line) is not None
        when = parse_text_date(line, fetched_at, american) if timed else None
        if when is not None and (when.hour, when.minute) != (0, 0):
            return when, "byline"
        budget -= len(line)
        if budget <= 0:
            break
    return None


def printed_dates(tree: Any, fetched_at: datetime | None) -> Iterator[datetime]:
    """Dates the page shows its reader in the byline: <time> text, date-classed elements."""
    classed = (
        e
        for e in tree.xpath("//body//*[@class or @id]")
        if isinstance(e.tag, str) and _dated(e.get("class"), e.get("id"))
    )
    elements = itertools.chain(tree.xpath("//time | //*[@itemprop='datePublished']"), classed)
    for element in itertools.islice(elements, 60):
        text = " ".join(element.text_content().split())
        if not text or len(text) > 200 or excluded(element):
            continue
        if WIDGET.match(text) and not in_entry(element):
            continue  # "Monday, 7 July 2025" alone: the site's today's-date widget
        if (when := parse_text_date(text, fetched_at, _american(tree))) is not None:
            yield when


WIDGET = re.compile(
    r"^(?:(mon|tues|wednes|thurs|fri|satur|sun)day|montag|dienstag|mittwoch|donnerstag|"
    r"freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b[^:]*$",
    re.IGNORECASE,
)


# A blog post's or entry's own container (blog engines head each post with its day,
# weekday first: "Friday, 5 June 2015"), as distinct from the site's widget.
_ENTRY = re.compile(
    r"(^|\s)(h?entry|h-entry|post|post-(header|outer|wrapper))(\s|$)", re.IGNORECASE
)


def in_entry(element: Any) -> bool:
    """True inside an <article> or an element classed as a post or entry."""
    return any(
        node.tag == "article" or _ENTRY.search(node.get("class") or "")
        for node in element.iterancestors()
        if isinstance(node.tag, str)
    )


def _american(tree: Any) -> bool:
    """True when the page says it is in US English, where 06/01 is June 1st."""
    lang = (tree.get("lang") or tree.get("xml:lang") or "").lower()
    return lang in ("en-us", "en_us")
