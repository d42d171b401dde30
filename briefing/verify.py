"""Check every statement against the articles it cites, before anything is rendered.

A statement passes when each of its citations resolves to an article of the day, at
least one cited quote (or the statement itself) is found verbatim in its article after
Unicode and whitespace normalisation, every number in the statement appears in a cited
article, and every URL in it is one a source gave. A statement that fails is dropped or
kept marked unverified (``llm.on_unverified``), and counted either way.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Literal

from briefing.links import bare, links_in
from briefing.models import (
    Article,
    Citation,
    Development,
    DevelopmentSummary,
    KeyFigure,
    Statement,
    Summary,
)
from briefing.text import DATAMARK, LINEMARK, normalise

log = logging.getLogger(__name__)
__all__ = ["DATAMARK", "LINEMARK", "normalise", "numbers_in", "source_urls", "verify"]

OnUnverified = Literal["drop", "mark"]

_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…|\[\.\.\.\]|\[…\])\s*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def quote_found(quote: str, source: str) -> bool:
    """True when ``quote`` (segments joined by an ellipsis, in order) is in ``source``."""
    haystack = normalise(source)
    body = normalise(quote).strip(" \"'")
    segments = [s.strip(" \"'") for s in _ELLIPSIS.split(body)]
    segments = [s for s in segments if s]
    if not segments or sum(len(s) for s in segments) < 8:
        return False
    pos = 0
    for segment in segments:
        found = haystack.find(segment, pos)
        if found < 0:
            return False
        pos = found + len(segment)
    return True


@lru_cache(maxsize=512)
def numbers_in(text: str) -> frozenset[str]:
    """The numbers in ``text``, thousands separators removed ("1,200" -> "1200")."""
    out: set[str] = set()
    for match in _NUMBER.finditer(normalise(text)):
        raw = match.group()
        # "1,200" and "1.200" are thousands; "3.5" and "3,5" are decimals
        if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", raw):
            out.add(re.sub(r"[.,]", "", raw))
        else:
            out.add(raw.replace(",", "."))
    return frozenset(out)


def urls_in(text: str) -> list[str]:
    """URL-like strings in ``text``."""
    return links_in(text)


def source_urls(articles: Iterable[Article]) -> set[str]:
    """Every URL a source gave for an article (its own and where it was found)."""
    urls: set[str] = set()
    for article in articles:
        for url in [article.url, *(s.url for s in article.sources)]:
            if url:
                urls.add(bare(url))
    return urls


def source_text(article: Article) -> str:
    """What a quote may come from: the title and the body."""
    return f"{article.title}\n\n{article.text}"


def check_statement(
    statement: Statement, articles: dict[str, Article], allowed_urls: set[str]
) -> str | None:
    """Why ``statement`` fails verification, or None when it passes."""
    if not statement.citations:
        return "no citation"
    cited: list[Article] = []
    for citation in statement.citations:
        article = articles.get(citation.article_id)
        if article is None:
            return f"citation to unknown article {citation.article_id!r}"
        cited.append(article)
    quoted = False
    for citation, article in zip(statement.citations, cited, strict=True):
        if citation.quote is not None and not quote_found(citation.quote, source_text(article)):
            return f"quote not found in article {article.id}"
        quoted = quoted or citation.quote is not None
    if not quoted and not any(quote_found(statement.text, source_text(a)) for a in cited):
        return "no verbatim support"
    given = frozenset().union(*(numbers_in(source_text(a)) for a in cited))
    missing = numbers_in(statement.text) - given
    if missing:
        return f"number {sorted(missing)[0]} not in the cited articles"
    for url in urls_in(statement.text):
        if bare(url) not in allowed_urls:
            return f"link {url} given by no source"
    return None


def check_figure(
    figure: KeyFigure, articles: dict[str, Article], allowed_urls: set[str]
) -> str | None:
    """Why a key figure fails: its context must be verbatim and its value within it."""
    as_statement = Statement(text=figure.context, citations=figure.citations)
    reason = check_statement(as_statement, articles, allowed_urls)
    if reason is None and not numbers_in(figure.value) <= numbers_in(figure.context):
        reason = "figure value not in its context"
    if reason is None and normalise(figure.counts.removesuffix(" …")) not in normalise(figure.context):
        reason = "what the figure counts is not in its context"
    if reason is None and not any(
        quote_found(figure.context, source_text(articles[c.article_id]))
        for c in figure.citations
    ):
        reason = "figure context not verbatim"
    return reason


class _Tally:
    def __init__(self, articles: dict[str, Article], urls: set[str], mode: OnUnverified):
        self.articles, self.urls, self.mode = articles, urls, mode
        self.dropped = self.unverified = 0

    def keep(self, statements: Sequence[Statement], where: str) -> list[Statement]:
        kept: list[Statement] = []
        for statement in statements:
            reason = check_statement(statement, self.articles, self.urls)
            if reason is None:
                kept.append(statement)
                continue
            log.info("%s statement fails verification (%s): %.80s", where, reason,
                     statement.text)
            if self.mode == "drop":
                self.dropped += 1
            else:
                self.unverified += 1
                kept.append(statement.model_copy(update={"verified": False}))
        return kept

    def development(self, dev: DevelopmentSummary) -> DevelopmentSummary | None:
        points = self.keep(dev.points, "point")
        conflicts = self.keep(dev.conflicts, "conflict")
        headline = self.keep([dev.headline], "headline")
        if not headline:
            if not points:
                log.info("development %s dropped: nothing in it verified", dev.development_id)
                return None
            headline = [points.pop(0)]  # promote the best verified point
        figures = []
        for figure in dev.figures:
            if check_figure(figure, self.articles, self.urls) is None:
                figures.append(figure)
            else:  # a figure has no "unverified" mark to carry, so it always goes
                self.dropped += 1
        return dev.model_copy(update={
            "headline": headline[0], "points": points, "conflicts": conflicts,
            "figures": figures,
        })


def verify(
    summary: Summary, articles: Sequence[Article], on_unverified: OnUnverified = "drop"
) -> Summary:
    """The summary with every statement checked against its sources; failures counted."""
    by_id = {a.id: a for a in articles}
    tally = _Tally(by_id, source_urls(articles), on_unverified)
    developments = [d for d in map(tally.development, summary.developments) if d is not None]
    takeaways = tally.keep(summary.takeaways, "takeaway")
    outlook = tally.keep(summary.outlook, "outlook")
    notes = list(summary.notes)
    if tally.dropped:
        notes.append(f"{tally.dropped} statements failed verification and were left out")
    if tally.unverified:
        notes.append(f"{tally.unverified} statements could not be verified and are marked")
    return summary.model_copy(update={
        "developments": developments,
        "takeaways": takeaways,
        "outlook": outlook,
        "notes": notes,
        "dropped_claims": summary.dropped_claims + tally.dropped,
        "unverified_claims": summary.unverified_claims + tally.unverified,
    })


def widen_citations(summary: Summary, developments: Sequence[Development]) -> Summary:
    """Cite every copy of a story that carries a statement's quote, not only the one read.

    The LLM reads one copy of a syndicated story; the same words published by two other
    sites are two more sources for the statement, and the briefing should say so.
    """
    copies: dict[str, list[Article]] = {}
    for development in developments:
        for story in development.stories:
            for article in story.articles:
                copies[article.id] = story.articles

    def widen(statement: Statement) -> Statement:
        cited = {c.article_id for c in statement.citations}
        extra: list[Citation] = []
        for citation in statement.citations:
            for other in copies.get(citation.article_id, []):
                if other.id in cited or not citation.quote:
                    continue
                if quote_found(citation.quote, source_text(other)):
                    cited.add(other.id)
                    extra.append(Citation(article_id=other.id, quote=citation.quote))
        if not extra:
            return statement
        return statement.model_copy(update={"citations": [*statement.citations, *extra]})

    def widen_development(item: DevelopmentSummary) -> DevelopmentSummary:
        return item.model_copy(update={
            "headline": widen(item.headline),
            "points": [widen(p) for p in item.points],
            "conflicts": [widen(c) for c in item.conflicts],
        })

    return summary.model_copy(update={
        "developments": [widen_development(d) for d in summary.developments],
        "takeaways": [widen(s) for s in summary.takeaways],
        "outlook": [widen(s) for s in summary.outlook],
    })
