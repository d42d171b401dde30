"""Records of the reading stages: sources -> RawDocument -> extract -> Article -> store.

What was read (a file, a feed item, a page), what became of it (an ``Article``, or
``Skipped`` with the reason), and the ``LeftOut`` articles dated outside the period.
"""

from __future__ import annotations

from datetime import datetime, time
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from briefing.text import one_line, strip_controls


class SourceKind(StrEnum):
    """Where an input came from."""

    INBOX = "inbox"
    FEED = "feed"
    URL = "url"



class DateSource(StrEnum):
    """How an article's published time was established."""

    PAGE = "page"  # the page's markup (htmldate), older stores: metadata or text
    META = "meta"  # the page's <meta> tags or <time> elements
    JSONLD = "json-ld"  # JSON-LD datePublished
    BYLINE = "byline"  # a byline or dateline in the text
    URL = "url"  # a date in the page's URL
    FRONT_MATTER = "front-matter"  # Markdown front matter, or a JSON item's field
    TEXT = "text"  # a date line in a text page
    FEED = "feed"  # the feed item's published date
    FEED_UPDATED = "feed-updated"  # the feed item's updated date
    FEED_CHANNEL = "feed-channel"  # the feed's own date
    FETCHED = "fetched"  # nothing better: the time we fetched it
    NONE = "none"  # undated



def has_no_time(when: datetime | None) -> bool:
    """True when a publication date carried no time of day.

    The date readers give a date without a time as midnight at the page's own offset
    (the store keeps that offset), so midnight to the microsecond means "the day only".
    """
    return when is not None and when.time() == time(0)



# The note an article carries when only its feed's summary could be read.
FEED_SUMMARY_NOTE = "feed summary used"



class RawDocument(BaseModel):
    """One input as collected, before extraction: a file's or a response's bytes."""

    model_config = ConfigDict(frozen=True)

    kind: SourceKind
    location: str  # file path or URL, as the user would recognise it
    media_type: str  # "html", "text", "markdown", "json"
    content: bytes
    url: str | None = None  # the page's URL when known (fetched, or from JSON export)
    source_name: str | None = None  # configured source name (feeds)
    feed_title: str | None = None
    feed_summary: str | None = None  # the feed's own summary, used when the page fails
    summary_only: bool = False  # the content is that summary: the page could not be had
    published_at: datetime | None = None  # the feed's date, if any
    date_source: DateSource = DateSource.NONE
    fetched_at: datetime | None = None
    tag: str | None = None  # the configured source's label, carried to the SourceRef
    reliability: str | None = None  # the configured source's grade, A (best) to F
    # Read instead when this document cannot be (a feed item's summary for its page).
    stand_in: RawDocument | None = None



class SourceRef(BaseModel):
    """One place an article was found: a file, a feed item or a URL."""

    model_config = ConfigDict(frozen=True)

    kind: SourceKind
    location: str
    url: str | None = None
    site: str | None = None
    title: str | None = None
    name: str | None = None
    published_at: datetime | None = None
    tag: str | None = None  # the configured source's label, e.g. "syria"
    reliability: str | None = None  # the configured source's grade, A (best) to F

    @field_validator("site", "title", "name")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        """Names from the web or the file system are shown as one clean line."""
        return one_line(value) if value is not None else None



class Quarantined(BaseModel):
    """A passage kept out of an article's text (hidden, or addressed to an AI), and why.

    Stored for `brief extract` to show; never rendered into a briefing.
    """

    reason: str
    text: str



class Article(BaseModel):
    """An extracted article: clean text plus metadata, one per distinct text."""

    id: str = ""  # stable id assigned by the store (content hash prefix)
    title: str
    text: str  # clean body, paragraphs separated by blank lines
    url: str | None = None  # canonical URL, tracking parameters removed
    site: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    date_source: DateSource = DateSource.NONE
    fetched_at: datetime | None = None
    content_hash: str = ""
    sources: list[SourceRef] = Field(default_factory=list)
    language: str | None = None  # ISO 639-1 code, detected from the text
    suspicious_passages: int = 0  # text addressed to an AI, kept out of the text
    quarantined: list[Quarantined] = Field(default_factory=list)  # those passages, and why
    notes: list[str] = Field(default_factory=list)  # e.g. "feed summary used"

    @field_validator("title", "site", "author")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        """Extracted names are one clean line: no controls, bidi overrides or breaks."""
        return one_line(value) if value is not None else None

    @field_validator("text")
    @classmethod
    def _no_controls(cls, value: str) -> str:
        """Extracted text keeps its paragraphs but no control or bidi override character."""
        return strip_controls(value)

    @property
    def paragraphs(self) -> list[str]:
        """The body split into paragraphs."""
        return [p for p in self.text.split("\n\n") if p.strip()]

    @property
    def undated(self) -> bool:
        """True when no date could be established for the article."""
        return self.published_at is None



class Skipped(BaseModel):
    """An input that was left out of the briefing, and why."""

    location: str
    reason: str



class LeftOut(BaseModel):
    """An article read but left out because its date falls outside the period."""

    location: str  # the file or URL it was read from
    title: str
    published_at: datetime | None = None
    date_source: DateSource = DateSource.NONE  # where the date was found
