"""The verify step for map replies: keep only claims whose quote the article really says.

Every claim's quote and numbers are checked against its cited article before anything
is built on them; reduce, compose and the final ``verify`` of the briefing then only
ever see checked claims. A claim citing an article outside its development is dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from briefing.backends.claims import Claim, claim_from, extractive_claims, supported
from briefing.backends.llm_io import MapClaim
from briefing.models import Article, Chunk, Citation, Development, Statement
from briefing.safety import is_injection
from briefing.verify import check_statement, numbers_in, source_urls

log = logging.getLogger(__name__)


@dataclass
class Checked:
    """A development's checked claims, what was dropped, and notes for the reader."""

    claims: list[Claim] = field(default_factory=list)
    dropped: int = 0
    notes: list[str] = field(default_factory=list)


def check_claims(
    index: int,
    dev: Development,
    pieces: Sequence[Chunk],
    replies: Sequence[list[MapClaim] | str],
    articles: dict[str, Article],
    language: str = "en",
) -> Checked:
    """A development's claims that pass their quote check, numbered C<index>.<n>.

    A reply given as a string is the reason its chunk had no model answer: the chunk
    is then read extractively (its first sentences, quoted verbatim).
    """
    urls = source_urls(articles.values())
    dev_articles = {a.id for a in dev.articles}
    out = Checked()
    for piece, reply in zip(pieces, replies, strict=True):
        in_piece = {p.article_id for p in piece.parts}
        # in a shared chunk, claims on another development's articles are its own;
        # claims citing no article of the chunk are counted by the chunk's first owner
        counts_strays = piece.parts[0].article_id in dev_articles
        if isinstance(reply, str):
            out.notes.append(f"a chunk was read extractively: {reply}")
            reply = extractive_claims(piece)
        for raw in reply:
            cited = raw.article_id.strip()
            if cited not in dev_articles and (cited in in_piece or not counts_strays):
                continue
            claim = claim_from(raw, dev.id)
            reason = (
                "cites an article outside its development"
                if claim.article_id not in dev_articles
                else check_statement(_as_statement(claim), articles, urls)
                or _unfaithful(claim, articles[claim.article_id], language)
            )
            if reason is not None:
                out.dropped += 1
                log.info("claim dropped (%s): %.80s", reason, claim.text)
                continue
            claim.id = f"C{index}.{len(out.claims) + 1}"
            claim.language = articles[claim.article_id].language
            out.claims.append(claim)
    return out


def _as_statement(claim: Claim) -> Statement:
    return Statement(text=claim.text,
                     citations=[Citation(article_id=claim.article_id, quote=claim.quote)])


def _unfaithful(claim: Claim, article: Article, language: str) -> str | None:
    """Why a claim whose quote is in its article still cannot stand, or None.

    The quote must be news, not a passage speaking to the machine (an obeying model
    quotes the instruction it followed), and the claim must say what its quote says:
    a claim written in the article's own language must share most of its content words
    with the quote, and any claim only the numbers its quote gives.
    """
    if is_injection(claim.quote):
        return "its quote is text addressed to software"
    if not numbers_in(claim.text) <= numbers_in(claim.quote):
        return "a number in its text is not in its quote"
    same_language = article.language is None or article.language == language
    if same_language and not supported(claim.text, claim.quote):
        return "its text is not what its quote says"
    return None
