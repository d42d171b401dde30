"""Whether a statement was said before, and whether a new version of a page says more.

A live story keeps its URL while its text changes during the day. The store keeps one
row per URL with the latest text and the versions it replaced (``article_versions``),
and each briefing records which version it used. A newer version is new reporting
when it has a sentence that could be a point (usable by the ranking, and prose: it ends
a sentence) that no sentence of the briefed version says. Clock times are left out of
the comparison, so a changed "updated at 10:32" stamp is no news (nor, the price of
that, a curfew moved from 22:00 to 20:00 with no other word changed), and lines the cleaner
treats as site chrome (related links, date lines, "Read more: ...") count for nothing;
a re-saved page with the same words has the same text hash and is not compared at all.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from briefing.backends.ranking import usable
from briefing.chrome import LEAD_IN, SENTENCE_END, is_chrome
from briefing.group import cosine
from briefing.sentences import split_sentences
from briefing.text import squash, words

# A point is seen before when an earlier point carries its numbers and most of its words.
SAME_POINT = 0.6
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# A time of day ("10:32", "9.15 am", "14:05 GMT"): how a live page stamps its updates.
_CLOCK = re.compile(
    r"\b\d{1,2}(?::\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?|[.]\d{2}\s*[ap]\.?m\.?)"
    r"(?:\s*(?:[A-Z]{2,4}|Z|[+-]\d{2}:?\d{2})\b)?",
    re.IGNORECASE,
)


class Said:
    """Statements made before, prepared once for the many look-ups of a briefing."""

    def __init__(self, statements: Iterable[str]) -> None:
        self.statements = list(statements)
        self._prepared = [(set(NUMBER.findall(s)), _bag(s)) for s in self.statements]

    def says(self, statement: str) -> bool:
        """True when a statement made before says the same: its numbers and most words."""
        numbers = set(NUMBER.findall(statement))
        mine = _bag(statement)
        return any(
            # a new figure is news even in familiar words
            numbers <= theirs and cosine(mine, bag) >= SAME_POINT
            for theirs, bag in self._prepared
        )


def seen_before(statement: str, earlier: Sequence[str]) -> bool:
    """True when an earlier statement says the same: its numbers and most of its words."""
    return Said(earlier).says(statement)


def _bag(text: str) -> dict[str, float]:
    return dict(Counter(t for t in words(text) if len(t) > 2))


def says_more(new_text: str, old_text: str) -> bool:
    """True when ``new_text`` has a sentence of substance that ``old_text`` does not say."""
    before = Said(_unclocked(s) for s in statements(old_text))
    return any(not before.says(_unclocked(s)) for s in statements(new_text))


def _unclocked(sentence: str) -> str:
    return squash(_CLOCK.sub(" ", sentence))


def statements(text: str) -> list[str]:
    """The sentences of a story's text that could be points, leaving site chrome out."""
    found: list[str] = []
    for paragraph in text.split("\n\n"):
        lines = [squash(line) for line in paragraph.splitlines()]
        body = " ".join(line for line in lines if line and not _furniture(line))
        for sentence in split_sentences(body):
            sentence = sentence.strip()
            if usable(sentence) and SENTENCE_END.search(sentence):
                found.append(sentence)
    return found


def _furniture(line: str) -> bool:
    """Site chrome (a date line, "Related: ...", boilerplate), never the story."""
    return is_chrome(line) or bool(LEAD_IN.match(line))
