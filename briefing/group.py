"""Grouping: copies of one text become a Story; stories about one event, a Development.

Two passes, both without quadratic all-pairs comparison:

1. Near-duplicates (a wire story on several sites, each with its own chrome): every
   article is reduced to stable hashes of its five-word shingles; a bottom-k sketch (the
   64 smallest hashes) goes into an inverted index, and only articles sharing sketch
   values are compared, by the Jaccard similarity of their full shingle sets.
2. Same event, different words (or languages): each story's lead article becomes a term
   vector weighted against background word frequencies (``briefing.terms``); candidate
   pairs share some of each other's heaviest terms, and stories cluster by average
   linkage (``briefing.linkage``), which needs most members of two clusters to agree.

Stories are put in the order of their stable ids first, so the result never depends on
the order files were read in, nor on Python's per-process string hashing.
"""

from __future__ import annotations

import hashlib
import math
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import combinations

from briefing.linkage import average_linkage, similarity_graph
from briefing.models import Article, Development, Story
from briefing.terms import scripts, shared_view, term_vectors
from briefing.text import raw_words

SHINGLE = 5
SKETCH = 64
MIN_SHARED = 8  # sketch values two articles must share before an exact comparison
NEAR_DUPLICATE = 0.5  # Jaccard of shingle sets
SAME_EVENT = 0.045  # mean evidence (cosine less its top term) between two clusters to merge


def group(articles: Sequence[Article]) -> list[Development]:
    """The day's developments, most widely reported first."""
    stories = find_stories(articles)
    clusters = cluster_stories(stories)
    developments = [Development(id=_cluster_id(c), stories=c) for c in clusters]
    developments.sort(key=_rank)
    return developments


def find_stories(articles: Sequence[Article]) -> list[Story]:
    """Merge near-identical articles into stories (union of Jaccard >= NEAR_DUPLICATE)."""
    articles = sorted(articles, key=_article_key)
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
    """Stories about the same event, by average linkage over their lead articles' terms."""
    ordered = sorted(stories, key=_story_key)
    leads = [s.lead for s in ordered]
    labels = average_linkage(len(ordered), _similarities(leads), SAME_EVENT)
    clusters: dict[int, list[Story]] = defaultdict(list)
    for label, story in zip(labels, ordered, strict=True):
        clusters[label].append(story)
    return list(clusters.values())


def _similarities(leads: Sequence[Article]) -> dict[tuple[int, int], float]:
    """Evidence for each candidate pair; a pair in two scripts is judged on the terms any
    script writes alike (``shared_view``), which is all such reports can have in common."""
    vectors = term_vectors(leads)
    graph = similarity_graph(vectors)
    kinds = scripts(leads)
    if len(set(kinds)) == 1:
        return graph
    across = similarity_graph([shared_view(v) for v in vectors])
    pairs = {p: v for p, v in graph.items() if kinds[p[0]] == kinds[p[1]]}
    pairs.update((p, v) for p, v in across.items() if kinds[p[0]] != kinds[p[1]])
    return dict(sorted(pairs.items()))


def _story_key(story: Story) -> str:
    return min(_article_key(a) for a in story.articles)


def _article_key(article: Article) -> str:
    return article.id or article.content_hash or hashlib.sha256(article.text.encode()).hexdigest()


def _shingles(text: str) -> set[int]:
    """Hashes of the text's five-word runs, the same in every process."""
    # crc32 per word, then the hash of a tuple of ints: unlike str hashes, neither is
    # salted per process, and the sketch (the smallest values) decides which pairs are
    # compared, so it must not change between runs
    ids = list(map(_word_id, raw_words(text)))
    if len(ids) < SHINGLE:
        return {hash(tuple(ids))}
    return {hash(run) for run in zip(*(ids[k:] for k in range(SHINGLE)), strict=False)}


@lru_cache(maxsize=500_000)
def _word_id(word: str) -> int:
    """crc32 of the case-folded word (cached on the word as written: most recur)."""
    return zlib.crc32(word.casefold().encode())


def _jaccard(a: set[int], b: set[int]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


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
