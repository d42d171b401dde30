"""Key figures, contested figures and what to watch, found without domain vocabulary.

A key figure is a number with what it counts: the words after it ("27 civilians",
"$4.2 billion in aid", "3.1 percent inflation"), never a year, a time of day, a date or
an age. Two sources that give different numbers for the same thing make a contested
claim. "What to watch" is a forward-looking sentence that also says when: a scheduled
event or a deadline ("will meet on Thursday", "is due to report by March 3").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefing.backends.ranking import ATTRIBUTION, Candidate, cosine, quotable
from briefing.models import Citation, KeyFigure, Statement

_MONTHS = (r"January|February|March|April|May|June|July|August|September|October|"
           r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec")
_WEEKDAYS = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_FIGURE = re.compile(
    r"(?P<qualifier>\b(?:at least|about|around|more than|nearly|some|over|up to|almost|"
    r"roughly|an estimated|approximately|fewer than|less than)\s+)?"
    r"(?P<number>[$€£¥]?\d{1,3}(?:[,.]\d{3})+(?:\.\d+)?|[$€£¥]?\d+(?:\.\d+)?)"
    r"(?P<unit>\s*(?:%|per ?cent|percent|million|billion|trillion|thousand|hundred)\b)?"
    r"(?P<counted>(?:\s+(?:of\s+|in\s+)?[a-z][a-z-]+){1,2})",
)
_NOT_COUNTED = re.compile(
    rf"^\s*(?:{_MONTHS}|a\.m|p\.m|am|pm|hours?|o'clock|years? old|year-old|GMT|UTC|and|or|to|"
    r"of the|in the|times?|percent of the)\b", re.I)
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_FUTURE = re.compile(
    r"\b(will|shall|is due|are due|is expected to|are expected to|is scheduled|"
    r"are scheduled|is set to|are set to|plans? to|intends? to|deadline)\b",
    re.I,
)
_EVENT_AHEAD = re.compile(
    r"\b(vote|summit|talks|meeting|hearing|trial|election|ballot|launch|session|deadline)s?\b"
    r"[^.;]{0,30}\b(next|coming|tomorrow|later this|upcoming)\b",
    re.I,
)
_WHEN = re.compile(
    rf"\b(?:(?:on|by|until|before|from|next|this|later this|early next)\s+(?:{_WEEKDAYS}|{_MONTHS})"
    rf"|(?:{_WEEKDAYS})|(?:{_MONTHS})\s+\d{{1,2}}|\d{{1,2}}\s+(?:{_MONTHS})"
    r"|tomorrow|tonight|next (?:week|month|year|spring|summer|autumn|fall|winter)"
    r"|later (?:this|today|in the)\b[\w ]{0,12}|within (?:days|weeks|\w+ (?:days|weeks|hours))"
    r"|in (?:\w+ )?(?:days|weeks|months)|(?:this|the coming) (?:week|month|weekend)"
    r"|by the end of \w+|(?:19|20)\d\d)\b",
)


def statement(candidate: Candidate, text: str | None = None) -> Statement:
    """A candidate as a cited statement; the citation quotes the sentence verbatim."""
    match = ATTRIBUTION.search(candidate.text)
    return Statement(
        text=text or candidate.text,
        citations=[Citation(article_id=a, quote=candidate.text) for a in candidate.citations],
        attribution=match.group(0) if match else None,
    )


def figure_matches(text: str) -> list[re.Match[str]]:
    """The numbers in a sentence that count something (not years, times, dates or ages)."""
    out = []
    for match in _FIGURE.finditer(text):
        number = match.group("number")
        if _YEAR.match(number) and not match.group("unit"):
            continue
        if _NOT_COUNTED.match(match.group("counted")) and not match.group("unit"):
            continue
        before = text[max(0, match.start() - 12) : match.start()]
        if re.search(rf"(?:{_MONTHS}|{_WEEKDAYS}|No\.|number|aged?)\s*$", before, re.I):
            continue
        out.append(match)
    return out


def key_figures(pool: Sequence[Candidate], limit: int) -> list[KeyFigure]:
    """The best-scored sentences' figures, each with what it counts and its source."""
    figures: list[KeyFigure] = []
    seen: set[str] = set()
    for candidate in sorted(pool, key=lambda c: -c.score):
        for match in figure_matches(candidate.text)[:1]:
            counted = " ".join(match.group("counted").split())
            value = (match.group("qualifier") or "") + match.group("number") + (
                match.group("unit") or "") + " " + counted
            if counted.casefold() in seen:
                continue
            seen.add(counted.casefold())
            figures.append(KeyFigure(
                value=" ".join(value.split()),
                context=_clause(candidate.text, match.start()),
                citations=[Citation(article_id=a, quote=candidate.text) for a in candidate.citations],
            ))
        if len(figures) >= limit:
            break
    return figures


def _clause(sentence: str, start: int, limit: int = 24) -> str:
    """The clause holding a figure, verbatim: from the clause break before it to the next."""
    begin = max(sentence.rfind(mark, 0, start) for mark in (", ", "; ", " — ", " – "))
    begin = 0 if begin < 0 else begin + 2
    end = len(sentence)
    for mark in (", ", "; ", " — ", " – "):
        found = sentence.find(mark, start + 1)
        if found != -1:
            end = min(end, found)
    tokens = sentence[begin:end].rstrip(" .").split()
    return " ".join(tokens[:limit]) + (" …" if len(tokens) > limit else "")


def contested(pool: Sequence[Candidate]) -> list[Candidate]:
    """Sentences from different sources that give different numbers for the same thing."""
    claims: dict[str, list[tuple[str, Candidate]]] = {}
    for candidate in pool:
        for match in figure_matches(candidate.text):
            counted = " ".join(match.group("counted").split()).casefold()
            claims.setdefault(counted, []).append((match.group("number"), candidate))
    for found in sorted(claims.values(), key=lambda pairs: -max(c.score for _, c in pairs)):
        found.sort(key=lambda pair: -pair[1].score)
        first_number, first = found[0]
        for number, other in found[1:]:
            independent = not set(first.citations) & set(other.citations)
            if _differ(number, first_number) and independent and _one_event(first, other):
                return [first, other]
    return []


def _differ(a: str, b: str) -> bool:
    """Two counts of one thing that disagree, but not by so much they count different things."""
    x, y = (float(re.sub(r"[^\d.]", "", n.replace(",", "")) or 0) for n in (a, b))
    return x != y and min(x, y) > 0 and max(x, y) <= 3 * min(x, y)


def _one_event(a: Candidate, b: Candidate) -> bool:
    """Two sentences about the same thing: they share much of their weighted terms."""
    return cosine(a.vector, b.vector) >= 0.25


def outlook_sentence(text: str) -> bool:
    """A forward-looking sentence that says when: a scheduled event or a deadline."""
    if text.rstrip().endswith("?"):
        return False
    return bool(_EVENT_AHEAD.search(text)) or (bool(_FUTURE.search(text)) and bool(_WHEN.search(text)))


def outlook(pools: Sequence[Sequence[Candidate]], used: set[str], limit: int = 3) -> list[Candidate]:
    """Up to ``limit`` unused forward-looking sentences, one per leading development."""
    picks: list[Candidate] = []
    for pool in pools[:6]:
        ahead = [c for c in pool if c.key not in used and quotable(c) and outlook_sentence(c.text)]
        if ahead:
            best = max(ahead, key=lambda c: c.score)
            used.add(best.key)
            picks.append(best)
        if len(picks) == limit:
            break
    return picks
