"""Which sentences and developments matter: centrality, focus, and generic news value.

A sentence is scored by centrality (TF-IDF cosine to its development's centroid, as in
centroid/LexRank summarisers), relevance to the reader's focus when one is given, its
position (news puts the facts first), how many independent stories carry it, and
hard-news signals that hold in any domain: figures, named actors, attribution. Signals
of a feature or background piece (questions, first person, no actor and no figure)
count against it. Developments are ranked by focus relevance when there is a focus,
else by independent sources, recency and how much hard news they carry.

Terms come from briefing.sentences, so every language is weighed with its own stop
words, and Chinese or Japanese by character pairs.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from briefing.backends.signals import lexicon
from briefing.links import has_link
from briefing.models import Article, Development
from briefing.sentences import length, split_sentences, terms
from briefing.text import fold

MIN_LENGTH, MAX_LENGTH = 6, 80  # words (or two characters of unspaced script)
# Weights, set on the DUC 2006 dev clusters (benchmarks/bench_duc_rouge.py) as round values
CENTRALITY, POSITION, SUPPORT, NEWS, LENGTH = 0.45, 0.25, 0.1, 0.08, 0.2
GENERIC, RELEVANCE, FOCUS_NEIGHBOURS, CENTRAL_NEIGHBOURS = 0.45, 1.0, 0.8, 0.5

ATTRIBUTION = re.compile(
    r"\b(according to|said|says|told|reported|stated|announced|claimed|confirmed|denied|"
    r"warned|added|estimated|quoted|insisted|disputed)\b",
    re.I,
)
# a report that something was not said: it tells nothing on its own (other languages'
# wording is in briefing.backends.signals)
_NON_STATEMENT = re.compile(
    r"\b(?:did not|didn't|does not|has not|have not|could not|would not|declined to|refused to)"
    r"\b[^.;]{0,30}?\b(?:respond|comment|be reached|be (?:independently )?(?:verified|confirmed))",
    re.I)
_DANGLING = re.compile(r"^(he|she|they|it|its|this|that|these|those|but|and|also|however|so|"
                       r"yet|still|then|there|such)\b", re.I)
_FIRST_PERSON = re.compile(r"\b(I|we|my|our|us|me)\b")
_ACTOR = re.compile(r"(?<=[\w,;:] )[A-Z][\w'’.-]*[a-z]")  # a capitalised word not opening it
_DIGIT = re.compile(r"\d")
_QUOTED = re.compile(r"[\"“«„「]([^\"”»“」]*)[\"”»“」]")
_SPEAKER = re.compile(r"\b(?!(?:He|She|They|It|We|I|The|This|That|But|And)\b)[A-Z][\w'’-]+")
_PAIRS = (("«", "»"), ("「", "」"), ("『", "』"))


@dataclass
class Candidate:
    """A sentence that may enter the briefing, merged across verbatim copies."""

    text: str
    citations: list[str]  # article ids carrying the sentence verbatim
    position: int  # earliest sentence index in any of those articles
    language: str | None = None
    stories: int = 1  # how many distinct stories carry it
    vector: dict[str, float] = field(default_factory=dict)
    relevance: float = 0.0  # to the focus, 0..1
    score: float = 0.0
    norm: float = 0.0  # of the vector, kept for the many cosines of selection
    carriers: set[int] = field(default_factory=set)  # the development's stories carrying it
    concepts: frozenset[tuple[str, str]] | None = None  # word pairs (briefing.backends.coverage)

    @property
    def key(self) -> str:
        """The sentence folded for repeat checks."""
        return fold(self.text)


def usable(sentence: str) -> bool:
    """Long enough to say something, short enough to read, quotes whole."""
    return MIN_LENGTH <= length(sentence) <= MAX_LENGTH and quote_whole(sentence)


def quotable(candidate: Candidate) -> bool:
    """May be shown: a sentence naming a web address weighs in ranking but is never quoted,
    so no link reaches the briefing that is not a source's own address."""
    return not has_link(candidate.text)


def quote_whole(sentence: str) -> bool:
    """Quotes and brackets closed, and a real quote keeps a named speaker, not "he said"."""
    if sentence.count('"') % 2 or sentence.count("(") != sentence.count(")"):
        return False
    if any(sentence.count(o) != sentence.count(c) for o, c in _PAIRS):
        return False
    low = sentence.count("„")  # German quotes open low and close with “
    if low and low != sentence.count("“") + sentence.count("”"):
        return False
    if not low and sentence.count("“") != sentence.count("”"):
        return False
    quoted = _QUOTED.findall(sentence)
    if not any(len(q.split()) >= 5 for q in quoted) or not re.search(r"[A-Za-z]", sentence):
        return True  # scare quotes, or a script without capitals to find a name by
    outside = _unquoted(sentence)
    return bool(_SPEAKER.search(outside))


def candidates(development: Development) -> list[Candidate]:
    """Every usable sentence of the development, merged across verbatim copies."""
    by_text: dict[str, Candidate] = {}
    story_of = {a.id: i for i, s in enumerate(development.stories) for a in s.articles}
    carriers: dict[str, set[int]] = {}
    for article in development.articles:
        for position, sentence in enumerate(article_sentences(article)):
            key = fold(sentence)
            entry = by_text.get(key)
            if entry is None:
                by_text[key] = Candidate(sentence, [article.id], position, article.language)
            else:
                if article.id not in entry.citations:
                    entry.citations.append(article.id)
                entry.position = min(entry.position, position)
            carriers.setdefault(key, set()).add(story_of[article.id])
    for key, entry in by_text.items():
        entry.carriers = carriers[key]
        entry.stories = len(carriers[key])
    return list(by_text.values())


def article_sentences(article: Article) -> list[str]:
    """The article's usable sentences, in order, any script."""
    return [s for p in article.paragraphs for s in split_sentences(p) if usable(s)]


def vectorise(pools: Sequence[list[Candidate]]) -> dict[str, float]:
    """TF-IDF vectors for every candidate, IDF over the whole day; returns the IDF."""
    bags = [[Counter(terms(c.text, c.language)) for c in pool] for pool in pools]
    df: Counter[str] = Counter()
    for pool_bags in bags:
        for bag in pool_bags:
            df.update(bag.keys())
    n = sum(len(b) for b in bags) or 1
    idf = {t: math.log((1 + n) / (1 + d)) + 1.0 for t, d in df.items()}
    for pool, pool_bags in zip(pools, bags, strict=True):
        for candidate, bag in zip(pool, pool_bags, strict=True):
            candidate.vector = {t: (1 + math.log(c)) * idf[t] for t, c in bag.items()}
            candidate.norm = math.sqrt(sum(w * w for w in candidate.vector.values()))
    return idf


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine similarity of two sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    if not dot:
        return 0.0
    return dot / (math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values())))


def focus_vector(focus: Sequence[str], idf: dict[str, float], language: str = "en") -> dict[str, float]:
    """The focus as a TF-IDF vector; a term the day never mentions weighs nothing."""
    bag = Counter(t for item in focus for t in terms(item, language))
    return {t: (1 + math.log(c)) * idf[t] for t, c in bag.items() if t in idf}


def score(pool: list[Candidate], focus: dict[str, float], titles: Sequence[str]) -> None:
    """Score each candidate of one development (see the module docstring)."""
    centroid: dict[str, float] = {}
    for candidate in pool:
        for term, weight in candidate.vector.items():
            centroid[term] = centroid.get(term, 0.0) + weight
    for title in titles:  # the outlets' own headlines say what the story is about
        for term in terms(title):
            if term in centroid:
                centroid[term] += max(centroid[term] * 0.1, 0.5)
    center = Candidate("", [], 0, vector=dict(centroid))
    center.norm = math.sqrt(sum(w * w for w in center.vector.values()))
    query = Candidate("", [], 0, vector=dict(focus))
    query.norm = math.sqrt(sum(w * w for w in query.vector.values()))
    raw = [similar(c, center) for c in pool]
    top = max(raw, default=0.0) or 1.0
    for candidate in pool:
        candidate.relevance = similar(candidate, query)
    # without a focus, what the most central sentences talk about (one step of LexRank)
    weights = [c.relevance for c in pool] if focus else [r / top for r in raw]
    near_all = _weighted_centroid(pool, weights)
    for candidate, centrality, near in zip(pool, raw, near_all, strict=True):
        position = 1.0 / math.sqrt(1 + candidate.position)
        value = CENTRALITY * centrality / top + POSITION * position
        value += SUPPORT * math.log1p(candidate.stories)
        value += NEWS * news_value(candidate.text, candidate.language)
        value += LENGTH * min(1.0, length(candidate.text) / 25)  # a full sentence says more
        value -= 0.15 * bool(_DANGLING.match(candidate.text))  # reads wrongly alone
        if not focus:
            value += CENTRAL_NEIGHBOURS * near
        if focus:  # the query itself, and what the sentences most about it talk about
            value = GENERIC * value + RELEVANCE * candidate.relevance + FOCUS_NEIGHBOURS * near
        candidate.score = value


def _weighted_centroid(pool: list[Candidate], weights: list[float]) -> list[float]:
    """Similarity to the centroid of the sentences weighted by relevance or centrality, 0..1.

    A query names a topic in a few words; the sentences most about it name the rest of
    it (pseudo-relevance feedback), so a sentence near them is on topic even when it
    shares no word with the query.
    """
    weighted: dict[str, float] = {}
    for candidate, share in zip(pool, weights, strict=True):
        if share > 0 and candidate.norm:
            for term, weight in candidate.vector.items():
                weighted[term] = weighted.get(term, 0.0) + share * weight / candidate.norm
    center = Candidate("", [], 0, vector=dict(weighted))
    center.norm = math.sqrt(sum(w * w for w in center.vector.values()))
    near = [similar(c, center) for c in pool] if center.norm else [0.0] * len(pool)
    top = max(near, default=0.0) or 1.0
    return [n / top for n in near]


def attribution(text: str, language: str | None = None) -> re.Match[str] | None:
    """Who the sentence says it comes from ("according to residents", "a déclaré"), read
    with the sentence's language's words; None when it names no source or the language
    has no lexicon."""
    words = lexicon(language)
    if words is not None:
        return words.attribution.search(text)
    return ATTRIBUTION.search(text) if (language or "en").split("-")[0] == "en" else None


def non_statement(text: str, language: str | None = None) -> bool:
    """The sentence reports that something was not said ("did not respond to a request")."""
    words = lexicon(language)
    return bool((words.non_statement if words else _NON_STATEMENT).search(text))


def news_value(text: str, language: str | None = None) -> float:
    """Hard-news signals minus feature signals, about -1..1, with no domain vocabulary.

    A language with a lexicon is read with its own words; any other with the English ones.
    """
    words = lexicon(language)
    value = 0.0
    value += 0.5 * bool(_DIGIT.search(text))
    value += 0.5 * bool(_ACTOR.search(text))
    value += 0.5 * bool((words.attribution if words else ATTRIBUTION).search(text))
    value -= 1.0 * text.rstrip().endswith("?")
    value -= 0.7 * bool(_FIRST_PERSON.search(_unquoted(text)))
    value -= 1.0 * bool(_DANGLING.match(text))
    value -= 1.5 * non_statement(text, language)
    value -= 1.5 * has_link(text)
    return value


def _unquoted(text: str) -> str:
    return _QUOTED.sub(" ", text)


def similar(a: Candidate, b: Candidate) -> float:
    """Cosine of two candidates' vectors."""
    if not a.norm or not b.norm:
        return 0.0
    if len(a.vector) > len(b.vector):
        a, b = b, a
    return sum(w * b.vector.get(t, 0.0) for t, w in a.vector.items()) / (a.norm * b.norm)


def development_value(development: Development, pool: Sequence[Candidate], has_focus: bool) -> float:
    """How much a development matters today: focus relevance, else sources, recency, hard news."""
    best = sorted(pool, key=lambda c: -c.score)[:5]
    if has_focus:
        return sum(c.relevance for c in best) / max(1, len(best))
    sites = {a.site or a.url or a.id for a in development.articles}
    hard = sum(news_value(c.text, c.language) > 0.6 for c in best) / max(1, len(best))
    return math.log1p(len(sites)) + 0.5 * hard


def newest(development: Development) -> float:
    """The newest article's time, as a sort key (undated counts as oldest)."""
    stamps = [a.published_at.timestamp() for a in development.articles if a.published_at]
    return max(stamps, default=0.0)
