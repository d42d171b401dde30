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
from briefing.safety import is_injection
from briefing.text import split_sentences
from briefing.verify import normalise, numbers_in

_CLAIM_ID = re.compile(r"C\d+\.\d+")
_WORD = re.compile(r"[^\W\d_]{4,}")
# words of four letters or more that carry no content in the briefing's prose
_FUNCTION_WORDS = frozenset(
    ["that", "this", "with", "from", "have", "were", "been", "said", "will", "would", "which", "their", "there", "they", "about", "after", "against", "into", "over", "than", "then", "also", "some", "what", "when", "where", "while", "these", "those", "them", "more", "most", "such", "only", "other", "being"]
)
SUPPORT_SHARE = 0.5  # share of a sentence's content words its evidence must contain


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
    language: str | None = None  # the cited article's language


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
        sentences = [s for s in split_sentences(part.text)
                     if 7 <= len(s.split()) <= 70 and not is_injection(s)]
        for sentence in sentences[:per_part]:
            claims.append(MapClaim(
                text=sentence, who=None, where=None, when=None, numbers=[],
                attribution=None, article_id=part.article_id, quote=sentence,
            ))
    return claims


def statement_for(
    item: CitedItem, claims: dict[str, Claim], language: str | None = None
) -> Statement:
    """A reply item as a statement citing its claims' articles and quotes.

    When a cited article is in another language than the briefing's ``language``, the
    statement translates it and keeps that article's verbatim quotes as its original.
    """
    citations: list[Citation] = []
    attribution = None
    originals: list[str] = []
    for claim_id in dict.fromkeys(_CLAIM_ID.findall(" ".join(item.claims))):
        claim = claims.get(claim_id)
        if claim is None:
            continue  # an id the model made up cites nothing; verification drops it
        citations.append(Citation(article_id=claim.article_id, quote=claim.quote))
        attribution = attribution or claim.attribution
        if language and claim.language and claim.language != language:
            originals.append(claim.quote)
    return Statement(text=unmark(item.text), citations=citations, attribution=attribution,
                     original=" … ".join(dict.fromkeys(originals)) or None)


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



def content_words(text: str) -> set[str]:
    """A text's content words, folded to their first four letters (a cheap stem)."""
    words = (w.lower() for w in _WORD.findall(normalise(text)))
    return {w[:4] for w in words if w not in _FUNCTION_WORDS}


def supported(text: str, evidence: str) -> bool:
    """True when most of ``text``'s content words appear in ``evidence``.

    A claim must restate its quote, and a statement the claims it cites: a sentence the
    model wrote from somewhere else (an instruction it obeyed, say) shares few words
    with the text it claims to rest on.
    """
    words = content_words(text)
    if not words:
        return True
    return len(words & content_words(evidence)) / len(words) >= SUPPORT_SHARE


def supported_statement(
    item: CitedItem, claims: dict[str, Claim], language: str | None = None
) -> Statement | None:
    """The reply item as a statement when the claims it cites support its text, else None."""
    statement = statement_for(item, claims, language)
    cited = [claims[i] for i in dict.fromkeys(_CLAIM_ID.findall(" ".join(item.claims)))
             if i in claims]
    evidence = " ".join(f"{c.text} {c.quote}" for c in cited)
    if not supported(statement.text, " ".join(c.text for c in cited)):
        return None
    if not numbers_in(statement.text) <= numbers_in(evidence):
        return None  # a statement gives only the numbers its claims give
    return statement
