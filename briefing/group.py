"""Grouping: copies of one text become a Story; stories about one event, a Development.

Two passes, both without quadratic all-pairs comparison:

1. Near-duplicates (a wire story on several sites, each with its own chrome): every
   article is reduced to the hashes of its five-word shingles; a bottom-k sketch (the
   64 smallest hashes) goes into an inverted index, and only articles sharing sketch
   values are compared, by the Jaccard similarity of their full shingle sets.
2. Same event, different words: each story's lead article becomes a TF-IDF vector of
   its title and text; candidate pairs share one of each other's top terms, and
   clusters merge greedily, most similar first, while their centroids stay similar.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations

from briefing.models import Article, Development, Story
from briefing.text import words

SHINGLE = 5
SKETCH = 64
MIN_SHARED = 8  # sketch values two articles must share before an exact comparison
NEAR_DUPLICATE = 0.5  # Jaccard of shingle sets
SAME_EVENT = 0.11  # cosine of TF-IDF centroids (entity-weighted; tuned on examples/)
TOP_TERMS = 40  # terms per story that may pair it with another
VECTOR_TERMS = 250  # terms per story kept for similarity
MAX_POSTING = 200
_STOP = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "said",
        "same",
        "says",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "told",
        "according",
        "after",
        "new",
        "one",
        "two",
        "three",
        "four",
        "also",
        "would",
        "could",
        "week",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "year",
        "years",
        "day",
        "days",
        "people",
    ]
)


def group(articles: Sequence[Article]) -> list[Development]:
    """The day's developments, most widely reported first."""
    stories = find_stories(articles)
    clusters = cluster_stories(stories)
    developments = [Development(id=_cluster_id(c), stories=c) for c in clusters]
    developments.sort(key=_rank)
    return developments


def find_stories(articles: Sequence[Article]) -> list[Story]:
    """Merge near-identical articles into stories (union of Jaccard >= NEAR_DUPLICATE)."""
    shingles = [_shingles(a.text) for a in articles]
    index: dict[int, list[int]] = defaultdict(list)
    for i, doc in enumerate(shingles):
        for value in sorted(doc)[:SKETCH]:
            index[value].append(i)
    pair_counts: Counter[tuple[int, int]] = Counter()
    for members in index.values():
        if len(members) < 50:  # a hash shared by everything says nothing
            pair_counts.update(combinations(members, 2))
    parent = list(range(len(articles)))
    for (i, j), count in pair_counts.items():
        # copies with Jaccard >= 0.5 share far more than MIN_SHARED of their 64 sketch values
        if count >= MIN_SHARED and _jaccard(shingles[i], shingles[j]) >= NEAR_DUPLICATE:
            _union(parent, i, j)
    groups: dict[int, list[Article]] = defaultdict(list)
    for i, article in enumerate(articles):
        groups[_find(parent, i)].append(article)
    return [Story(articles=members) for members in groups.values()]


def cluster_stories(stories: Sequence[Story]) -> list[list[Story]]:
    """Stories about the same event, by greedy centroid-linked TF-IDF clustering."""
    vectors = [_top(v, VECTOR_TERMS) for v in tfidf([_lead_terms(s.lead) for s in stories])]
    scored = sorted(
        ((_dot(vectors[i], vectors[j]), i, j) for i, j in _candidate_pairs(vectors)),
        reverse=True,
    )
    parent = list(range(len(stories)))
    centroids: dict[int, dict[str, float]] = dict(enumerate(vectors))
    for similarity, i, j in scored:
        if similarity < SAME_EVENT:
            break
        root_i, root_j = _find(parent, i), _find(parent, j)
        if root_i == root_j or cosine(centroids[root_i], centroids[root_j]) < SAME_EVENT:
            continue
        parent[root_j] = root_i
        centroids[root_i] = _add(centroids[root_i], centroids.pop(root_j))
    clusters: dict[int, list[Story]] = defaultdict(list)
    for i, story in enumerate(stories):
        clusters[_find(parent, i)].append(story)
    return list(clusters.values())


def _candidate_pairs(vectors: Sequence[dict[str, float]]) -> set[tuple[int, int]]:
    """Pairs sharing at least two of each other's top terms: the only ones worth scoring."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, vector in enumerate(vectors):
        for term in list(vector)[:TOP_TERMS]:  # _top keeps terms by weight, highest first
            index[term].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for members in index.values():
        if len(members) <= MAX_POSTING:  # a term in hundreds of stories names no event
            shared.update(combinations(members, 2))
    return {pair for pair, count in shared.items() if count >= 2}


def _top(vector: dict[str, float], k: int) -> dict[str, float]:
    """The k heaviest terms, heaviest first, renormalised: less noise, cheaper products."""
    return _normalise(dict(sorted(vector.items(), key=lambda kv: -kv[1])[:k]))


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    """Dot product of two sparse vectors (the cosine, when both are normalised)."""
    return sum(a[t] * b[t] for t in a.keys() & b.keys())


def _shingles(text: str) -> set[int]:
    tokens = words(text)
    grams = (" ".join(tokens[i : i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1)))
    # Python's string hash is salted per process, which is fine: sketches never leave it.
    return {hash(g) for g in grams}


def _jaccard(a: set[int], b: set[int]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


_ENTITY = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+(?:[- ][A-Z][a-z]+)*)", re.M)


def _lead_terms(article: Article) -> list[str]:
    """Content words of title (twice: it names the event) and body, plus names (twice).

    Reports of one event written by different outlets share few phrasings but the
    same places, people and organisations, so mid-sentence capitalised names count more.
    """
    tokens = words(article.title) * 2 + words(article.text)
    names = [n.casefold() for n in _ENTITY.findall(article.text)]
    return [t for t in tokens if t not in _STOP and len(t) > 2 and not t.isdigit()] + names * 2


def tfidf(documents: Sequence[Iterable[str]]) -> list[dict[str, float]]:
    """Sublinear TF-IDF vectors, L2-normalised."""
    counts = [Counter(d) for d in documents]
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    n = len(counts)
    vectors = []
    for c in counts:
        vector = {
            t: (1 + math.log(f)) * math.log((1 + n) / (1 + df[t])) + 1e-9 for t, f in c.items()
        }
        vectors.append(_normalise(vector))
    return vectors


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine similarity of two sparse vectors (normalised or not)."""
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


def _normalise(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
    return {t: w / norm for t, w in vector.items()}


def _add(a: dict[str, float], b: dict[str, float]) -> dict[str, float]:
    out = dict(a)
    for t, w in b.items():
        out[t] = out.get(t, 0.0) + w
    return out


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _union(parent: list[int], i: int, j: int) -> None:
    root_i, root_j = _find(parent, i), _find(parent, j)
    if root_i != root_j:
        parent[max(root_i, root_j)] = min(root_i, root_j)


def _cluster_id(stories: Sequence[Story]) -> str:
    ids = sorted(a.id or a.content_hash for s in stories for a in s.articles)
    return hashlib.sha256("|".join(ids).encode()).hexdigest()[:12]


def _rank(development: Development) -> tuple[int, float, str]:
    sources = sum(len(a.sources) or 1 for a in development.articles)
    times = [a.published_at.timestamp() for a in development.articles if a.published_at]
    return (-sources, -(max(times) if times else 0.0), development.id)
