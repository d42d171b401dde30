"""Data that crosses pipeline stages, one module per part of the pipeline.

sources -> RawDocument -> extract -> Article -> store -> group -> Development
-> summarise (backend) -> DevelopmentSummary -> compose -> Sitrep -> render.

documents.py  RawDocument, Article, SourceRef, Skipped, LeftOut (reading and storing)
day.py        Story, Development, Chunk (grouping, and what an LLM request carries)
summary.py    SummaryOptions, Statement, Citation, DevelopmentSummary, Summary (backends)
sitrep.py     Sitrep, DevelopmentSection, SourceEntry, Coverage (compose and render)
"""

from briefing.models.day import Chunk, ChunkPart, Development, Story
from briefing.models.documents import (
    FEED_SUMMARY_NOTE,
    Article,
    DateSource,
    LeftOut,
    Quarantined,
    RawDocument,
    Skipped,
    SourceKind,
    SourceRef,
)
from briefing.models.sitrep import (
    CitedText,
    Coverage,
    DevelopmentSection,
    FigureEntry,
    NoNewReporting,
    Point,
    Previously,
    Sitrep,
    SourceEntry,
    Status,
)
from briefing.models.summary import (
    Citation,
    DevelopmentSummary,
    KeyFigure,
    Statement,
    Summary,
    SummaryOptions,
    focus_items,
)

__all__ = [
    "FEED_SUMMARY_NOTE",
    "Article",
    "Chunk",
    "ChunkPart",
    "Citation",
    "CitedText",
    "Coverage",
    "DateSource",
    "Development",
    "DevelopmentSection",
    "DevelopmentSummary",
    "FigureEntry",
    "KeyFigure",
    "LeftOut",
    "NoNewReporting",
    "Point",
    "Previously",
    "Quarantined",
    "RawDocument",
    "Sitrep",
    "Skipped",
    "SourceEntry",
    "SourceKind",
    "SourceRef",
    "Statement",
    "Status",
    "Story",
    "Summary",
    "SummaryOptions",
    "focus_items",
]
