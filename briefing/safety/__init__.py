"""Keeping text addressed to an AI out of articles, sentence by sentence.

Every sentence is normalised (see ``normalise``) and judged in context (see
``detect``): news that quotes or reports an instruction stays; a passage that speaks
to the machine reading the page is quarantined with its reason. Quarantined passages
are kept on the Article for ``brief extract`` and counted in the coverage section,
but never shown as content.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from briefing.models import Article, Quarantined
from briefing.safety.detect import continues_address, judge, turns_to_machine
from briefing.safety.lexicon import COMPILED
from briefing.safety.normalise import normalise

_TURN = COMPILED["role_label"]

# Sentence ends in the scripts a news inbox carries; CJK full stops need no space.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’»)\]]*\s+|(?<=[。！？؟])[」』”’）)]*\s*")

__all__ = ["coverage_lines", "is_injection", "quarantine", "sentences", "strip_injections"]


def sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph, each an exact slice of it (whitespace kept)."""
    pieces, start = [], 0
    for end in _SENTENCE_END.finditer(paragraph):
        if end.end() > start:
            pieces.append(paragraph[start: end.end()])
            start = end.end()
    if start < len(paragraph):
        pieces.append(paragraph[start:])
    return [p for p in pieces if p.strip()]


def is_injection(passage: str) -> bool:
    """True when any sentence of the passage speaks to an AI model or a summariser."""
    return any(judge(s) for s in sentences(passage)) or judge(passage) is not None


def quarantine_paragraph(paragraph: str) -> tuple[str, list[Quarantined]]:
    """The paragraph without its passages addressed to an AI, and those passages."""
    kept: list[str] = []
    held: list[Quarantined] = []
    addressing = heading = False
    parts = sentences(paragraph)
    # Chat turns cut into sentences ("Human: ...? AI: ...") read as a dialogue together.
    dialogue = sum(1 for s in parts if _TURN.match(normalise(s).lstrip(" \"'“[(<-*#>"))) >= 2
    for sentence in parts:
        reason = judge(sentence)
        if reason is None and dialogue and _TURN.match(normalise(sentence).lstrip(" \"'“[(<-*#>")):
            reason = "fake chat turn"
        if reason is None and (heading or (addressing and continues_address(sentence))):
            reason = "continues a passage addressed to an AI"
        if reason is None:
            kept.append(sentence)
        elif addressing:  # consecutive sentences are one passage
            held[-1].text += " " + sentence.strip()
        else:
            held.append(Quarantined(reason=reason, text=sentence.strip()))
        addressing = reason is not None
        heading = addressing and turns_to_machine(sentence)
    return "".join(kept).strip(), held


def quarantine(paragraphs: list[str]) -> tuple[list[str], list[Quarantined]]:
    """Paragraphs with passages addressed to an AI removed, and the passages with reasons."""
    kept: list[str] = []
    held: list[Quarantined] = []
    for paragraph in paragraphs:
        text, removed = quarantine_paragraph(paragraph)
        held += removed
        if text:
            kept.append(text)
    return kept, held


def strip_injections(paragraphs: list[str]) -> tuple[list[str], int]:
    """The paragraphs without injection attempts, and how many passages were removed."""
    kept, held = quarantine(paragraphs)
    return kept, len(held)


def coverage_lines(articles: Iterable[Article]) -> list[str]:
    """One line per page with quarantined passages: the page, how many, and why.

    Never the passages' words: an attacker's text must not reach the briefing, even here.
    """
    lines = []
    for article in articles:
        if not article.quarantined:
            continue
        ref = article.sources[0] if article.sources else None
        page = Path(ref.location).name if ref and ref.kind.value == "inbox" else (
            ref.location if ref else article.url or article.id)
        reasons = Counter(q.reason for q in article.quarantined)
        why = "; ".join(f"{reason} ×{n}" if n > 1 else reason for reason, n in reasons.items())
        lines.append(f"{page}: {len(article.quarantined)} passage(s) held back ({why})")
    return lines
