"""What is new in an updated development: the one statement its "Since" line shows.

Of the points not reported before, the one bringing the most facts the earlier briefing
lacked: figures it never gave and names it never mentioned. Ties go to the point more
sources support, then to the one the summary ranked higher (it comes first). A point of
several sentences is cut to its sentence with the most of those facts: whole sentences,
never cut mid-way, so the line stays short without losing its sense.
"""

from __future__ import annotations

from collections.abc import Sequence

from briefing.models import CitedText, Point
from briefing.revisions import NUMBER
from briefing.sentences import split_sentences
from briefing.text import raw_words, words


def what_is_new(points: Sequence[Point], earlier: Sequence[str]) -> CitedText | None:
    """The most informative point not seen before, as one sentence; None when all were."""
    fresh = [(i, p) for i, p in enumerate(points) if not p.seen_before]
    if not fresh:
        return None
    known = " ".join(earlier)
    known_words = set(words(known))
    known_numbers = set(NUMBER.findall(known))

    def new_facts(text: str) -> int:
        return len(facts(text) - known_words - known_numbers)

    _, best = min(fresh, key=lambda item: (-new_facts(item[1].text),
                                           -len(set(item[1].sources)), item[0]))
    sentences = [s.strip() for s in split_sentences(best.text) if s.strip()]
    if len(sentences) <= 1:
        return CitedText(**best.model_dump(include=set(CitedText.model_fields)))
    sentence = max(sentences, key=new_facts)  # the first of the best, as max keeps it
    # The original-language footnote quotes the whole point, not this sentence.
    return CitedText(text=sentence, sources=best.sources, verified=best.verified)


def facts(text: str) -> set[str]:
    """The figures and names a statement gives: numbers, and capitalised words that do
    not open a sentence (folded, so "Port" is known when "port" was said)."""
    found = set(NUMBER.findall(text))
    for sentence in split_sentences(text):
        tokens = raw_words(sentence)[1:]
        found |= {t.casefold() for t in tokens if t[:1].isupper() and t != "I"}
    return found
