"""The briefing as composed: ``Sitrep``, the contract between compose and render and the
JSON output, with its numbered sources and the coverage section.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from briefing.models.documents import LeftOut, Skipped


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
    date_only: bool = False  # the date had no time of day: show the day alone
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
    """A point or a key takeaway; ``seen_before`` when an earlier briefing already said it."""

    seen_before: bool = False


def as_points(value: object) -> object:
    """Compose and older callers pass plain CitedText; each becomes a Point."""
    if not isinstance(value, list):
        return value
    return [
        Point(**p.model_dump()) if isinstance(p, CitedText) and not isinstance(p, Point) else p
        for p in value
    ]



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
    # An updated development's most informative new point, one sentence: the "Since" line.
    what_is_new: CitedText | None = None
    headline: CitedText
    points: list[Point]
    conflicts: list[CitedText] = Field(default_factory=list)
    sources: list[int]
    notes: list[str] = Field(default_factory=list)

    @field_validator("points", mode="before")
    @classmethod
    def _as_points(cls, value: object) -> object:
        return as_points(value)



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
    undated: list[str] = Field(default_factory=list)  # "file or URL — title", undated, kept
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
    takeaways: list[Point]  # ``seen_before`` set against the previous briefing, as points
    developments: list[DevelopmentSection]
    key_figures: list[FigureEntry] = Field(default_factory=list)
    outlook: list[CitedText] = Field(default_factory=list)
    focus: list[str] = Field(default_factory=list)  # the focus the briefing was ranked by
    sources: list[SourceEntry]
    coverage: Coverage
    since: str | None = None  # YYYY-MM-DD of the previous briefing for the same output
    no_new_reporting: list[NoNewReporting] = Field(default_factory=list)

    @field_validator("takeaways", mode="before")
    @classmethod
    def _as_points(cls, value: object) -> object:
        return as_points(value)
