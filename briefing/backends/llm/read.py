"""The map step: one chunk of article text in, the events it reports (with quotes) out."""

from __future__ import annotations

from briefing.backends.llm.calls import Caller
from briefing.backends.llm.plan import CLAIMS_PER_PART, MAX_CLAIMS
from briefing.backends.llm_io import (
    DatamarkMode,
    MapClaim,
    MapReply,
    Prompts,
    datamark,
    inline,
    published_label,
)
from briefing.models import Article, Chunk


def map_parts(
    piece: Chunk, articles: dict[str, Article], mode: DatamarkMode, language: str
) -> list[dict[str, str | None]]:
    """The chunk's parts as the map prompt shows them: header fields and marked text.

    An article's language is named only when it differs from the briefing's, so the
    model knows to translate its claims (and to quote it as written).
    """
    parts: list[dict[str, str | None]] = []
    for p in piece.parts:
        article = articles[p.article_id]
        lang = article.language if article.language and article.language != language else None
        parts.append({
            "article_id": p.article_id,
            "title": inline(article.title[:200], mode),
            "published": published_label(article),
            "lang": lang,
            "text": datamark(p.text, mode),
        })
    return parts


async def read_chunk(
    caller: Caller,
    prompts: Prompts,
    model: str,
    piece: Chunk,
    articles: dict[str, Article],
    language: str,
) -> list[MapClaim]:
    """The claims the model finds in ``piece``; raises ``Failed`` when it gives none usable."""
    parts = map_parts(piece, articles, caller.llm.datamark, language)
    wanted = min(MAX_CLAIMS, CLAIMS_PER_PART * len(parts))
    prompt = prompts.render("map", parts=parts, max_claims=wanted, language=language)
    reply = await caller.ask(model, prompt, MapReply)
    return reply.claims
