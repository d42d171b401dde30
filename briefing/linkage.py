"""Average-linkage clustering over a sparse similarity graph, without chaining.

Two clusters merge only while the mean similarity over *all* pairs of their members stays
above a threshold; a pair never compared counts as zero. A growing cluster therefore needs
evidence from most of its members before it takes in another, so it cannot snowball along
a chain of pairwise look-alikes the way single-link or centroid merging does (a centroid
of many stories resembles everything a little).

Only candidate pairs (articles sharing some of each other's heaviest terms, found through
an inverted index) are scored, so the cost grows with the number of such pairs, not n².
Everything is decided on indices of the caller's order plus exact ties broken by index,
so the same input order gives the same clusters; callers sort by a stable id first.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import combinations

TOP_TERMS = 60  # an article's heaviest terms, through which it can meet another
MIN_SHARED = 2  # heavy terms two articles must share to be compared at all
MAX_POSTING = 300  # a term among hundreds of articles' heaviest names no one event
EDGE_FLOOR = 0.02  # similarities below this are noise and kept out of the graph


def candidate_pairs(vectors: Sequence[dict[str, float]]) -> list[tuple[int, int]]:
    """Pairs (i < j) sharing at least MIN_SHARED of each other's heaviest terms, sorted."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, vector in enumerate(vectors):
        for term in list(vector)[:TOP_TERMS]:  # vectors list terms heaviest first
            index[term].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for term in sorted(index):
        members = index[term]
        if len(members) <= MAX_POSTING:
            shared.update(combinations(members, 2))
    return sorted(pair for pair, count in shared.items() if count >= MIN_SHARED)


def similarity_graph(vectors: Sequence[dict[str, float]]) -> dict[tuple[int, int], float]:
    """Cosine of each candidate pair whose similarity is above the noise floor."""
    graph = {}
    for i, j in candidate_pairs(vectors):
        a, b = vectors[i], vectors[j]
        if len(a) > len(b):
            a, b = b, a
        value = evidence(a, b)
        if value >= EDGE_FLOOR:
            graph[(i, j)] = value
    return graph


def evidence(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two normalised vectors less its largest single-term share.

    One shared term is no event: two reports that only both name a country (or both
    quote one number) must not merge, so every link needs at least two signals.
    """
    # summed largest first: the same floats in the same order whatever the set's order
    products = sorted((a[t] * b[t] for t in a.keys() & b.keys()), reverse=True)
    return sum(products[1:])


def average_linkage(n: int, graph: dict[tuple[int, int], float], threshold: float) -> list[int]:
    """Cluster label (the smallest member index) of each of n items."""
    size = [1] * n
    parent = list(range(n))
    links: list[dict[int, float]] = [{} for _ in range(n)]  # summed similarity to each cluster
    for (i, j), value in graph.items():
        links[i][j] = value
        links[j][i] = value
    heap = [(-value, i, j) for (i, j), value in graph.items() if value >= threshold]
    heapq.heapify(heap)
    while heap:
        negative, i, j = heapq.heappop(heap)
        if parent[i] != i or parent[j] != j:
            continue  # one side was merged away since this pair was scored
        if links[i].get(j, 0.0) / (size[i] * size[j]) != -negative:
            continue  # stale: a merge since changed this pair's mean (a fresh entry exists)
        _merge(i, j, size, links)
        parent[j] = i
        for k, total in links[i].items():
            mean = total / (size[i] * size[k])
            if mean >= threshold:
                heapq.heappush(heap, (-mean, min(i, k), max(i, k)))
    return [_root(parent, i) for i in range(n)]


def _merge(keep: int, gone: int, size: list[int], links: list[dict[int, float]]) -> None:
    """Fold cluster ``gone`` into ``keep`` (keep < gone), summing its links."""
    for k, total in links[gone].items():
        if k != keep:
            links[keep][k] = links[keep].get(k, 0.0) + total
            links[k][keep] = links[keep][k]
            del links[k][gone]
    links[keep].pop(gone, None)
    links[gone] = {}
    size[keep] += size[gone]


def _root(parent: list[int], i: int) -> int:
    while parent[i] != i:
        i = parent[i]
    return i
