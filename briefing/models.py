"""Data that crosses pipeline stages.

sources -> RawDocument -> extract -> Article -> store -> group -> Development
-> summarise (backend) -> DevelopmentSummary -> compose -> Sitrep -> render.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

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


class Story(BaseModel):
    """Near-identical copies of one text (a wire story on several sites)."""

    articles: list[Article]

    @property
    def lead(self) -> Article:
        """The copy used to read the story: the longest text."""
        return max(self.articles, key=lambda a: len(a.text))


class Development(BaseModel):
    """One event or thread of the day: the stories that report it."""

    id: str
    stories: list[Story]

    @property
    def articles(self) -> list[Article]:
        """Every article in the development, copies included."""
        return [a for s in self.stories for a in s.articles]


class ChunkPart(BaseModel):
    """A span of one article inside a chunk, with its character offsets."""

    model_config = ConfigDict(frozen=True)

    article_id: str
    start: int  # offset into Article.text
    end: int
    text: str  # Article.text[start:end]
    tokens: int = 0


class Chunk(BaseModel):
    """Article text sized for one LLM request: one piece of a long article, or short ones."""

    id: str
    parts: list[ChunkPart]
    tokens: int  # budgeted tokens of the parts, per-part framing included


class Citation(BaseModel):
    """A pointer from a statement to the article(s) it came from, before numbering."""

    model_config = ConfigDict(frozen=True)

    article_id: str
    quote: str | None = None  # verbatim supporting text, when the backend gives one


class Statement(BaseModel):
    """A sentence in the briefing with the articles that support it."""

    text: str
    citations: list[Citation]
    verified: bool = True
    attribution: str | None = None  # "according to residents", when the source gave one
    original: str | None = None  # the source's own words, when ``text`` translates them


class KeyFigure(BaseModel):
    """A number a source gave, with the sentence it stands in."""

    value: str  # "at least 27 people", "1,200 fighters"
    context: str  # the clause holding the number, verbatim (what verification checks)
    counts: str = ""  # what the number counts, shown beside it: words of the context
    citations: list[Citation]


class DevelopmentSummary(BaseModel):
    """What a backend returns for one development."""

    development_id: str
    headline: Statement
    points: list[Statement]
    figures: list[KeyFigure] = Field(default_factory=list)
    conflicts: list[Statement] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)  # e.g. "fell back to extractive"


class SourceEntry(BaseModel):
    """A numbered source in the briefing."""

    number: int
    article_id: str
    title: str
    site: str | None = None
    url: str | None = None
    file: str | None = None
    published_at: datetime | None = None
    undated: bool = False
    reliability: str | None = None  # A-F, when the user graded the source
    language: str | None = None  # ISO 639-1 code of the article's text, when detected
    feed_summary: bool = False  # only the feed's summary was read: the page was unavailable


class CitedText(BaseModel):
    """A rendered statement: text plus the numbers of its sources."""

    text: str
    sources: list[int]
    verified: bool = True
    original: str | None = None  # the source's own words when ``text`` is a translation
    footnote: int | None = None  # its number in ``Sitrep.originals``


class Point(CitedText):
    """A development's point; ``seen_before`` when an earlier briefing already said it."""

    seen_before: bool = False


class Previously(BaseModel):
    """The development of the previous briefing that a development continues."""

    date: str  # YYYY-MM-DD of that briefing
    headline: str


class NoNewReporting(BaseModel):
    """A development of the previous briefing that no article today continues."""

    headline: str
    last_reported: str  # YYYY-MM-DD of the last briefing with new reporting on it


Status = Literal["new", "updated", "unchanged"]


class DevelopmentSection(BaseModel):
    """One development as rendered."""

    status: Status = "new"  # against the previous briefing for the same output
    previously: Previously | None = None
    headline: CitedText
    points: list[Point]
    conflicts: list[CitedText] = Field(default_factory=list)
    sources: list[int]
    notes: list[str] = Field(default_factory=list)

    @field_validator("points", mode="before")
    @classmethod
    def _as_points(cls, value: object) -> object:
        """Compose and older callers pass plain CitedText; each becomes a Point."""
        if not isinstance(value, list):
            return value
        return [
            Point(**p.model_dump()) if isinstance(p, CitedText) and not isinstance(p, Point)
            else p
            for p in value
        ]


class FigureEntry(BaseModel):
    """A key figure as rendered."""

    value: str
    context: str
    sources: list[int]


class Coverage(BaseModel):
    """What the briefing read, used, merged and left out."""

    articles_read: int = 0
    articles_used: int = 0
    duplicates_merged: int = 0
    out_of_window: int = 0
    left_out: list[LeftOut] = Field(default_factory=list)  # the out-of-window articles, named
    skipped: list[Skipped] = Field(default_factory=list)
    undated: list[str] = Field(default_factory=list)  # titles of undated articles kept
    suspicious_passages: int = 0
    quarantined: list[str] = Field(default_factory=list)  # per page: how many, and why
    unverified_claims: int = 0
    dropped_claims: int = 0
    source_health: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class Sitrep(BaseModel):
    """The briefing: the contract between compose and render, and the JSON output."""

    title: str
    date: str  # YYYY-MM-DD of the cut-off
    period_start: datetime
    period_end: datetime
    generated_at: datetime
    backend: str
    model: str | None = None
    warning: str | None = None  # e.g. "inputs are older than the window"
    originals: list[str] = Field(default_factory=list)  # footnotes: original-language quotes
    llm_unavailable: str | None = None  # why the LLM could not be used: summarised extractively
    takeaways: list[CitedText]
    developments: list[DevelopmentSection]
    key_figures: list[FigureEntry] = Field(default_factory=list)
    outlook: list[CitedText] = Field(default_factory=list)
    focus: list[str] = Field(default_factory=list)  # the focus the briefing was ranked by
    sources: list[SourceEntry]
    coverage: Coverage
    since: str | None = None  # YYYY-MM-DD of the previous briefing for the same output
    no_new_reporting: list[NoNewReporting] = Field(default_factory=list)


def focus_items(value: object) -> list[str]:
    """A focus given as a paragraph, a comma-free term or a list: a list of non-empty items."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)  # type: ignore[call-overload]
    return [" ".join(str(i).split()) for i in items if str(i).strip()]


class SummaryOptions(BaseModel):
    """What the pipeline asks of a backend."""

    max_points: int = 5
    min_points: int = 2
    takeaways: int = 5  # clamped to 3..7
    date: str = ""
    focus: list[str] = Field(default_factory=list)  # watchlist terms or a short paragraph
    language: str = "en"  # the briefing's language: sentences in others are marked

    @field_validator("focus", mode="before")
    @classmethod
    def _focus(cls, value: object) -> list[str]:
        return focus_items(value)


class Summary(BaseModel):
    """What a backend returns for the whole day."""

    backend: str
    model: str | None = None
    developments: list[DevelopmentSummary]
    takeaways: list[Statement]
    outlook: list[Statement] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    focus: list[str] = Field(default_factory=list)  # what the selection was focused on
    unverified_claims: int = 0
    dropped_claims: int = 0
