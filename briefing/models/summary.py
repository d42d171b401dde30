"""Records a summarising backend takes and returns: options in, cited statements out.

Every ``Statement`` carries ``Citation``s to the articles it came from; verify.py checks
them against the sources before compose numbers them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator


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
