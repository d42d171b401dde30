"""Compose: the backend's statements become the Sitrep, with numbered sources.

Sources are numbered in the order they are first cited. An article found in several
places (the same text on three sites) keeps every place as its own numbered source,
so a statement from it cites all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from briefing.links import defang
from briefing.models import (
    FEED_SUMMARY_NOTE,
    Article,
    Citation,
    CitedText,
    Coverage,
    Development,
    DevelopmentSection,
    FigureEntry,
    Point,
    Sitrep,
    SourceEntry,
    SourceKind,
    Statement,
    Summary,
)


class _Numbering:
    """Hands out source numbers per article, first cited first."""

    def __init__(self, articles: dict[str, Article]) -> None:
        self.articles = articles
        self.numbers: dict[str, list[int]] = {}
        self.entries: list[SourceEntry] = []

    def of(self, article_id: str) -> list[int]:
        if article_id not in self.numbers:
            article = self.articles.get(article_id)
            if article is None:
                return []  # an unresolvable citation is dropped by verification, not here
            self.numbers[article_id] = [
                self._entry(article, i) for i in range(max(1, len(article.sources)))
            ]
        return self.numbers[article_id]

    def cite(self, citations: Sequence[Citation]) -> list[int]:
        return sorted({n for c in citations for n in self.of(c.article_id)})

    def _entry(self, article: Article, index: int) -> int:
        number = len(self.entries) + 1
        ref = article.sources[index] if article.sources else None
        url = (ref.url if ref else None) or article.url
        location = ref.location if ref else None
        self.entries.append(
            SourceEntry(
                number=number,
                article_id=article.id,
                title=defang(ref.title if ref and ref.title else article.title),
                site=(ref.site if ref and ref.site else article.site) or _domain(url),
                url=url if url and url.startswith(("http://", "https://")) else None,
                file=Path(location).name
                if ref and ref.kind == SourceKind.INBOX and location
                else None,
                published_at=(
                    ref.published_at if ref and ref.published_at else article.published_at
                ),
                undated=article.published_at is None,
                reliability=ref.reliability if ref else None,
                feed_summary=FEED_SUMMARY_NOTE in article.notes,
            )
        )
        return number


def _domain(url: str | None) -> str | None:
    return (urlsplit(url).hostname or None) if url else None


def compose(
    summary: Summary,
    developments: Sequence[Development],
    coverage: Coverage,
    *,
    title: str,
    date: str,
    period: tuple[datetime, datetime],
    generated_at: datetime,
    warning: str | None = None,
) -> Sitrep:
    """Build the Sitrep from the backend's summary; every statement gets source numbers."""
    articles = {a.id: a for d in developments for a in d.articles}
    numbering = _Numbering(articles)

    def cited(statement: Statement) -> CitedText:
        return CitedText(
            text=statement.text,
            sources=numbering.cite(statement.citations),
            verified=statement.verified,
        )

    takeaways = [cited(s) for s in summary.takeaways]
    by_id = {d.id: d for d in developments}
    sections: list[DevelopmentSection] = []
    figures: list[FigureEntry] = []
    for item in summary.developments:
        headline = cited(item.headline)
        headline.text = defang(headline.text)
        points = [Point(**cited(p).model_dump()) for p in item.points]
        conflicts = [cited(c) for c in item.conflicts]
        figures.extend(
            FigureEntry(value=f.value, context=f.context, sources=numbering.cite(f.citations))
            for f in item.figures
        )
        development = by_id.get(item.development_id)
        members = development.articles if development else []
        sources = sorted({n for a in members for n in numbering.of(a.id)})
        sections.append(
            DevelopmentSection(
                headline=headline,
                points=points,
                conflicts=conflicts,
                sources=sources,
                notes=item.notes,
            )
        )
    outlook = [cited(s) for s in summary.outlook]
    coverage = coverage.model_copy(
        update={
            "articles_used": len(numbering.numbers),
            "unverified_claims": coverage.unverified_claims + summary.unverified_claims,
            "dropped_claims": coverage.dropped_claims + summary.dropped_claims,
            "notes": coverage.notes + summary.notes,
        }
    )
    return Sitrep(
        title=title,
        date=date,
        period_start=period[0],
        period_end=period[1],
        generated_at=generated_at,
        backend=summary.backend,
        model=summary.model,
        warning=warning,
        takeaways=takeaways,
        developments=sections,
        key_figures=figures[:8],
        outlook=outlook,
        sources=numbering.entries,
        coverage=coverage,
    )
