"""Which sentences to show: the most distinct facts the sources agree on, per word read.

A concept is a pair of adjacent words, stemmed and not both stop words ("oil spill",
"was arrested", "12 percent"). A concept that several independent stories carry is a
fact the day agrees on; its weight is the number of stories beyond the first that carry
it (with a single story every concept weighs one, so selection still avoids repeats).
With a focus, a concept weighs more the more the sentences carrying it are about the
focus.

Sentences are picked greedily (the concept-coverage objective of Gillick and Favre's
summariser, in its greedy form): each pick is the sentence whose not-yet-said concepts
weigh most per word, blended with the sentence's ranking score (centrality, position,
news value, focus; briefing.backends.ranking). A concept once said counts no more, so
redundancy control is part of the objective, across a development's takeaways and
points and across the day's developments; a shorter sentence that says as much wins.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from itertools import pairwise

from briefing.backends.ranking import Candidate, similar
from briefing.sentences import STEM, length, stop_words

Concept = tuple[str, str]

# Constants chosen on the DUC 2006 dev clusters (benchmarks/bench_duc_rouge.py, BENCHMARKS.md)
# as round values, never per cluster:
PER_WORD = 0.75  # a sentence's new concepts are divided by its length to this power
SCORE_SHARE = 0.75  # weight of the ranking score beside the (step-normalised) concept gain
FOCUS_GAIN = 3.0  # a concept carried only by sentences fully about the focus weighs 1 + this
# Concept gain at or above which it counts in full against the ranking score: what a
# ten-word sentence gets when another story repeats all its word pairs, or two others
# half of them. Below it (two reports sharing a phrase) agreement is weak evidence and
# the ranking score leads. (Any value from 1 to 4 gives the same DUC figures +-0.05.)
AGREEMENT = 2.0
NEAR_REPEAT = 0.55  # cosine above which a sentence says what a chosen one said (as in MMR)

_TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f]+")


def concepts(candidate: Candidate) -> frozenset[Concept]:
    """The candidate's concepts (computed once and kept on it)."""
    if candidate.concepts is None:
        candidate.concepts = frozenset(_pairs(candidate.text, candidate.language))
    return candidate.concepts


def _pairs(text: str, language: str | None) -> Iterable[Concept]:
    stops = stop_words(language)
    tokens: list[tuple[str, bool]] = []
    for word in _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold()):
        if _UNSPACED.search(word):  # no spaces to find words by: character pairs stand in
            tokens += [(word[i : i + 2], False) for i in range(max(1, len(word) - 1))]
        else:
            tokens.append((word[:STEM], word in stops))
    return ((a, b) for (a, stop_a), (b, stop_b) in pairwise(tokens) if not (stop_a and stop_b))


def weights(pool: Sequence[Candidate], focused: bool) -> dict[Concept, float]:
    """Each concept's weight: independent stories beyond the first that carry it."""
    carriers: dict[Concept, set[int]] = {}
    relevance: dict[Concept, list[float]] = {}  # of each sentence carrying it
    for candidate in pool:
        for concept in concepts(candidate):
            carriers.setdefault(concept, set()).update(candidate.carriers or {0})
            relevance.setdefault(concept, []).append(candidate.relevance)
    single = len(set().union(*carriers.values())) <= 1 if carriers else True
    out: dict[Concept, float] = {}
    for concept, stories in carriers.items():
        weight = 1.0 if single else len(stories) - 1.0
        if weight > 0 and focused:
            weight *= 1 + FOCUS_GAIN * sum(relevance[concept]) / len(relevance[concept])
        if weight > 0:
            out[concept] = weight
    return out


def select(
    pool: Sequence[Candidate], k: int, weights: dict[Concept, float],
    covered: set[Concept] | None = None, chosen: Sequence[Candidate] = (),
) -> list[Candidate]:
    """Up to ``k`` sentences, greedily: most new concept weight per word, plus ranking score.

    ``covered`` holds concepts already said (it is updated with the picks), ``chosen``
    the sentences that said them, so a near repeat of one is never picked.
    """
    said = set() if covered is None else covered
    shown = list(chosen)
    remaining = {id(c): c for c in pool}
    top = max((c.score for c in pool), default=0.0)
    top = top if top > 0 else 1.0
    gain = {key: _gain(c, weights, said) for key, c in remaining.items()}
    carriers: dict[Concept, list[int]] = {}  # a pick changes only the gains of its concepts
    for key, candidate in remaining.items():
        for concept in concepts(candidate):
            carriers.setdefault(concept, []).append(key)
    picks: list[Candidate] = []
    while remaining and len(picks) < k:
        best_gain = max(max(gain[key] for key in remaining), AGREEMENT)
        best = max(remaining.values(), key=lambda c: (
            gain[id(c)] / best_gain + SCORE_SHARE * c.score / top, -c.position))
        del remaining[id(best)]
        if any(similar(best, s) > NEAR_REPEAT for s in shown):
            continue
        picks.append(best)
        shown.append(best)
        new = concepts(best) - said
        said |= new
        for key in {key for concept in new for key in carriers[concept] if key in remaining}:
            gain[key] = _gain(remaining[key], weights, said)
    return picks


def _gain(candidate: Candidate, weights: dict[Concept, float], said: set[Concept]) -> float:
    new = sum(weights.get(c, 0.0) for c in concepts(candidate) if c not in said)
    return new / math.pow(max(1, length(candidate.text)), PER_WORD)
