"""Claims: what the map step extracted, checked, and turned into cited statements.

A claim carries its article id and a verbatim quote; reduce and compose cite claims by
id, and each cited claim becomes a ``Citation`` with that article and quote, so every
statement the model writes points at text verification can find.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefing.backends.llm_io import CitedItem, MapClaim, unmark
from briefing.models import Chunk, Citation, KeyFigure, Statement
from briefing.text import split_sentences
from briefing.verify import normalise, numbers_in

_CLAIM_ID = re.compile(r"C\d+\.\d+")


@dataclass
class Claim:
    """A map claim that passed its quote check, with its id (C<development>.<n>)."""

    id: str
    development_id: str
    text: str
    article_id: str
    quote: str
    attribution: str | None
    numbers: list[str]
    context: str | None = None  # who, where, when the event happened, as extracted


def claim_from(raw: MapClaim, development_id: str) -> Claim:
    """A map reply's claim with the datamarks taken out; numbered later."""
    return Claim(
        id="",
        development_id=development_id,
        text=unmark(raw.text),
        article_id=raw.article_id.strip(),
        quote=unmark(raw.quote),
        attribution=unmark(raw.attribution) if raw.attribution else None,
        numbers=[unmark(n) for n in raw.numbers],
        context="; ".join(
            f"{label}: {unmark(value)}"
            for label, value in (("who", raw.who), ("where", raw.where), ("when", raw.when))
            if value
        ) or None,
    )


def extractive_claims(piece: Chunk, per_part: int = 2) -> list[MapClaim]:
    """A failed chunk read extractively: its first full sentences, quoted verbatim."""
    claims: list[MapClaim] = []
    for part in piece.parts:
        sentences = [s for s in split_sentences(part.text) if 7 <= len(s.split()) <= 70]
        for sentence in sentences[:per_part]:
            claims.append(MapClaim(
                text=sentence, who=None, where=None, when=None, numbers=[],
                attribution=None, article_id=part.article_id, quote=sentence,
            ))
    return claims


def statement_for(item: CitedItem, claims: dict[str, Claim]) -> Statement:
    """A reply item as a statement citing its claims' articles and quotes."""
    citations: list[Citation] = []
    attribution = None
    for claim_id in dict.fromkeys(_CLAIM_ID.findall(" ".join(item.claims))):
        claim = claims.get(claim_id)
        if claim is None:
            continue  # an id the model made up cites nothing; verification drops it
        citations.append(Citation(article_id=claim.article_id, quote=claim.quote))
        attribution = attribution or claim.attribution
    return Statement(text=unmark(item.text), citations=citations, attribution=attribution)


def claim_ids(statement: Statement, claims: dict[str, Claim]) -> list[str]:
    """The ids of the claims a statement cites (by article and quote)."""
    wanted = {(c.article_id, c.quote) for c in statement.citations}
    return [cid for cid, c in claims.items() if (c.article_id, c.quote) in wanted]


def figures_from(claims: list[Claim], limit: int = 3) -> list[KeyFigure]:
    """Numbers the claims give, each in its verbatim quote."""
    figures: list[KeyFigure] = []
    for claim in claims:
        for value in claim.numbers:
            if value and numbers_in(value) and numbers_in(value) <= numbers_in(claim.quote):
                figures.append(KeyFigure(
                    value=value,
                    context=normalise(claim.quote),
                    citations=[Citation(article_id=claim.article_id, quote=claim.quote)],
                ))
                break
        if len(figures) >= limit:
            break
    return figures

