"""Compose: the backend's statements become the Sitrep, with numbered sources.

Sources are numbered in the order they are first cited. An article found in several
places (the same text on three sites) keeps every place as its own numbered source,
so a statement from it cites all of them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from briefing.links import LINK, defang, safe_link
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
from briefing.models.documents import has_no_time


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
        published = ref.published_at if ref and ref.published_at else article.published_at
        self.entries.append(
            SourceEntry(
                number=number,
                article_id=article.id,
                title=defang(ref.title if ref and ref.title else article.title),
                site=(ref.site if ref and ref.site else article.site) or _domain(url),
                url=source_url(url),
                file=Path(location).name
                if ref and ref.kind == SourceKind.INBOX and location
                else None,
                published_at=published,
                date_only=has_no_time(published),
                undated=article.published_at is None,
                reliability=ref.reliability if ref else None,
                language=article.language,
                feed_summary=FEED_SUMMARY_NOTE in article.notes,
            )
        )
        return number


def defang_addresses(text: str) -> str:
    """Text that names a URL keeps its words, but no reader or mail client can follow it.

    Only the sources list links, and only to sources' own addresses; anywhere else an
    address (scheme, www. or bare host, as ``links.LINK`` finds them) is written the way
    security reports write it: ``hxxps[:]//shop[.]example``.
    """
    return LINK.sub(_defang_match, text)


def _defang_match(match: re.Match[str]) -> str:
    found = match.group(0)
    url = found.rstrip(".,;:!?")
    trailing = found[len(url):]  # the sentence's own punctuation, not the address's
    url = re.sub(r"(?i)^([a-z][a-z0-9+.-]*)://", lambda m: _scheme(m.group(1)) + "[:]//", url)
    return url.replace(".", "[.]") + trailing


def _scheme(scheme: str) -> str:
    return "hxxp" + scheme[4:] if scheme.lower().startswith("http") else scheme


def source_url(url: str | None) -> str | None:
    """A source's own address, fit to link in any format; None unless http(s) with a host.

    Characters that could end a Markdown autolink or link target (``>``, ``)``,
    quotes, spaces, brackets) are percent-encoded, so the link stays one link
    (``links.safe_link``).
    """
    return safe_link(url)  # the one URL helper, also used by every template


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

    originals: list[str] = []

    def cited(statement: Statement) -> CitedText:
        if statement.original:  # a translation: the original wording becomes a footnote
            originals.append(statement.original)
        return CitedText(
            text=defang_addresses(statement.text),
            sources=numbering.cite(statement.citations),
            verified=statement.verified,
            original=statement.original,
            footnote=len(originals) if statement.original else None,
        )

    takeaways = [Point(**cited(s).model_dump()) for s in summary.takeaways]
    by_id = {d.id: d for d in developments}
    sections: list[DevelopmentSection] = []
    figures: list[FigureEntry] = []
    for item in summary.developments:
        headline = cited(item.headline)
        headline.text = defang(headline.text)
        points = [Point(**cited(p).model_dump()) for p in item.points]
        conflicts = [cited(c) for c in item.conflicts]
        figures.extend(
            FigureEntry(value=defang_addresses(f.value),
                        context=defang_addresses(f.counts or f.context),
                        sources=numbering.cite(f.citations))
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
                notes=[defang_addresses(n) for n in item.notes],
            )
        )
    outlook = [cited(s) for s in summary.outlook]
    coverage = coverage.model_copy(
        update={
            "articles_used": len(numbering.numbers),
            "unverified_claims": coverage.unverified_claims + summary.unverified_claims,
            "dropped_claims": coverage.dropped_claims + summary.dropped_claims,
            "notes": coverage.notes + [defang_addresses(n) for n in summary.notes],
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
        focus=summary.focus,
        sources=numbering.entries,
        coverage=coverage,
        originals=originals,
    )
