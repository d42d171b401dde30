"""The offline extractive backend: the briefing is made of the sources' own sentences.

Every statement is a sentence copied verbatim from an article, so it is true to its
source by construction and keeps its attribution ("according to residents"). A sentence
that several outlets carry word for word cites all of them.

Per development, candidate sentences are scored by centrality (TF-IDF cosine to the
development's centroid, as in centroid/LexRank summarisers), position (news puts the
facts first), how many outlets carry them, and whether they carry figures or an
attribution; then picked by maximal marginal relevance so no point repeats another.
The best sentence of each leading development becomes a key takeaway (BLUF).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from briefing.group import cosine, tfidf
from briefing.links import has_link
from briefing.models import (
    Article,
    Citation,
    Development,
    DevelopmentSummary,
    KeyFigure,
    Statement,
    Summary,
    SummaryOptions,
)
from briefing.text import fold, split_sentences, words

MIN_WORDS, MAX_WORDS = 7, 70
REDUNDANCY = 0.5  # MMR: weight of novelty against relevance
_ATTRIBUTION = re.compile(
    r"\b(according to|said|says|told|reported|stated|announced|claimed|confirmed|denied|"
    r"warned|added|estimated|quoted)\b",
    re.I,
)
_DANGLING = re.compile(r"^(he|she|they|it|this|that|these|those|but|and|also|however)\b", re.I)
_FORWARD = re.compile(
    r"\b(will (?!not be)|expected to|is due to|are due to|plans? to|next week|in the coming|"
    r"scheduled to|warned that|threaten(ed|s)? to|(is|are) set to|(is|are) likely to|"
    r"(is|are) preparing to|vowed to)",
    re.I,
)
_FIGURE = re.compile(
    r"\b((?:at least|about|around|more than|nearly|some|over|up to|almost|roughly|"
    r"an estimated|approximately|fewer than|less than)\s+)?"
    r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(\s*(?:%|per ?cent|million|billion|thousand))?"
    r"(\s+(?:[a-z-]+\s+){0,2}?(?:people|civilians|fighters|soldiers|troops|militants|rebels|"
    r"children|families|residents|refugees|displaced|killed|dead|wounded|injured|"
    r"kilometres|kilometers|km|miles|metres|meters|tonnes|tons|dollars|euros|"
    r"aircraft|airstrikes|strikes|villages|towns|checkpoints|vehicles|tanks|drones|"
    r"missiles|rockets|members|men|women|households|hospitals|schools|trucks|convoys|"
    r"buses|flights|sorties|raids|arrests|detainees|prisoners|casualties|homes|buildings))\b",
    re.I,
)


@dataclass
class _Sentence:
    text: str
    citations: list[str]  # article ids carrying the sentence verbatim
    position: int  # earliest sentence index in any of those articles
    stories: int  # how many distinct stories carry it
    vector: dict[str, float] = field(default_factory=dict)
    score: float = 0.0


class ExtractiveBackend:
    """Selects sentences verbatim from the articles; the embedded default backend."""

    name = "extractive"
    model: str | None = None

    def summarise(self, developments: Sequence[Development], options: SummaryOptions) -> Summary:
        """Headline and 2–5 points per development, plus 3–7 takeaways."""
        used: set[str] = set()
        pools = [self._candidates(d) for d in developments]
        wanted = max(3, min(7, options.takeaways))
        takeaways: list[Statement] = []
        summaries: list[DevelopmentSummary] = []
        for rank, (development, pool) in enumerate(zip(developments, pools, strict=True)):
            fresh = [s for s in pool if fold(s.text) not in used]
            take = _takeaways_for(rank, len(developments), wanted - len(takeaways))
            chosen = _mmr(fresh, take + _points_wanted(development, options))
            for sentence in chosen:
                used.add(fold(sentence.text))
            lead, rest = chosen[:take], _reading_order(chosen[take:], development)
            takeaways.extend(_statement(s) for s in lead)
            summaries.append(self._summary(development, rest, pool, used))
        outlook = _outlook(pools, used)
        return Summary(
            backend=self.name, developments=summaries, takeaways=takeaways, outlook=outlook
        )

    def summarise_one(
        self, development: Development, options: SummaryOptions
    ) -> DevelopmentSummary:
        """A single development's summary (used as the LLM backend's fallback)."""
        pool = self._candidates(development)
        chosen = _reading_order(_mmr(pool, _points_wanted(development, options)), development)
        return self._summary(development, chosen, pool, set())

    def _summary(
        self,
        development: Development,
        points: list[_Sentence],
        pool: list[_Sentence],
        used: set[str],
    ) -> DevelopmentSummary:
        return DevelopmentSummary(
            development_id=development.id,
            headline=_headline(development, pool),
            points=[_statement(s) for s in points],
            figures=_figures(points + pool, limit=2),
        )

    def _candidates(self, development: Development) -> list[_Sentence]:
        """Every usable sentence of the development, merged across verbatim copies."""
        by_text: dict[str, _Sentence] = {}
        story_of = {a.id: i for i, s in enumerate(development.stories) for a in s.articles}
        carriers: dict[str, set[int]] = {}
        for article in development.articles:
            for position, sentence in enumerate(_sentences(article)):
                key = fold(sentence)
                if key in by_text:
                    entry = by_text[key]
                    if article.id not in entry.citations:
                        entry.citations.append(article.id)
                    entry.position = min(entry.position, position)
                else:
                    by_text[key] = _Sentence(sentence, [article.id], position, 1)
                carriers.setdefault(key, set()).add(story_of[article.id])
        pool = list(by_text.values())
        for key, entry in by_text.items():
            entry.stories = len(carriers[key])
        _score(pool, development)
        return pool


def _sentences(article: Article) -> list[str]:
    out = []
    for paragraph in article.paragraphs:
        for sentence in split_sentences(paragraph):
            n = len(sentence.split())
            if MIN_WORDS <= n <= MAX_WORDS and not has_link(sentence) and _balanced(sentence):
                out.append(sentence)
    return out


def _balanced(sentence: str) -> bool:
    """Quotes and brackets closed: a fragment of a longer quote reads wrongly alone."""
    straight = sentence.count('"') % 2 == 0
    curly = sentence.count("“") == sentence.count("”")
    return straight and curly and sentence.count("(") == sentence.count(")")


def _score(pool: list[_Sentence], development: Development) -> None:
    vectors = tfidf([[w for w in words(s.text) if len(w) > 2] for s in pool])
    title_terms = [w for a in development.articles for w in words(a.title) if len(w) > 2]
    centroid: dict[str, float] = {}
    for vector in vectors:
        for term, weight in vector.items():
            centroid[term] = centroid.get(term, 0.0) + weight
    for term in title_terms:
        centroid[term] = centroid.get(term, 0.0) + 0.5
    for sentence, vector in zip(pool, vectors, strict=True):
        sentence.vector = vector
        centrality = cosine(vector, centroid)
        position = 1.0 / math.sqrt(1 + sentence.position)
        support = math.log1p(sentence.stories)
        bonus = 0.05 * bool(_FIGURE.search(sentence.text)) + 0.05 * bool(
            _ATTRIBUTION.search(sentence.text)
        )
        penalty = 0.15 if _DANGLING.match(sentence.text) else 0.0
        sentence.score = centrality + 0.35 * position + 0.15 * support + bonus - penalty


def _mmr(pool: list[_Sentence], k: int) -> list[_Sentence]:
    """Maximal marginal relevance: best-scoring first, each new pick unlike the others."""
    chosen: list[_Sentence] = []
    remaining = sorted(pool, key=lambda s: -s.score)
    while remaining and len(chosen) < k:

        def value(s: _Sentence) -> float:
            overlap = max((cosine(s.vector, c.vector) for c in chosen), default=0.0)
            return (1 - REDUNDANCY) * s.score - REDUNDANCY * overlap

        best = max(remaining, key=value)
        remaining.remove(best)
        if chosen and max(cosine(best.vector, c.vector) for c in chosen) > 0.6:
            continue  # near-repeat of a point already made
        chosen.append(best)
    return chosen


def _reading_order(points: list[_Sentence], development: Development) -> list[_Sentence]:
    """The headline story's points first, each source's in its own order: reads as a story."""
    rank = {a.id: i for i, a in enumerate(_by_prominence(development))}

    def key(sentence: _Sentence) -> tuple[int, int]:
        return (min(rank.get(a, len(rank)) for a in sentence.citations), sentence.position)

    return sorted(points, key=key)


def _by_prominence(development: Development) -> list[Article]:
    """Articles of the most widely carried story first (the one the headline comes from)."""
    stories = sorted(development.stories, key=lambda s: (-len(s.articles), -len(s.lead.text)))
    return [a for s in stories for a in s.articles]


def _points_wanted(development: Development, options: SummaryOptions) -> int:
    return max(options.min_points, min(options.max_points, 2 + len(development.stories)))


def _takeaways_for(rank: int, developments: int, remaining: int) -> int:
    """Takeaways a development contributes: one each, more when developments are few."""
    if remaining <= 0:
        return 0
    if developments >= 3:
        return 1
    return min(remaining, 3 if rank == 0 else 1) if developments == 1 or rank == 0 else 1


def _statement(sentence: _Sentence) -> Statement:
    match = _ATTRIBUTION.search(sentence.text)
    return Statement(
        text=sentence.text,
        citations=[Citation(article_id=a, quote=sentence.text) for a in sentence.citations],
        attribution=match.group(0) if match else None,
    )


def _headline(development: Development, pool: list[_Sentence]) -> Statement:
    """The most prominent story's title, cited to every copy that carries it.

    A title that names a link is passed over (no link reaches the briefing that is not a
    source's own address); with no usable title, the best sentence stands in.
    """
    titles = [a.title for a in _by_prominence(development) if a.title and not has_link(a.title)]
    if not titles and pool:
        return _statement(max(pool, key=lambda s: s.score))
    title = titles[0] if titles else development.articles[0].title
    carriers = [a.id for a in development.articles if fold(a.title) == fold(title)]
    return Statement(text=title, citations=[Citation(article_id=a, quote=title) for a in carriers])


def _figures(pool: list[_Sentence], limit: int) -> list[KeyFigure]:
    figures: list[KeyFigure] = []
    seen: set[str] = set()
    for sentence in sorted(pool, key=lambda s: -s.score):
        for match in _FIGURE.finditer(sentence.text):
            context = _clause(sentence.text, match.start())
            if fold(context) in seen or _is_time_or_year(match.group(0)):
                continue
            seen.add(fold(context))
            figures.append(
                KeyFigure(
                    value=(match.group(1) or "") + match.group(2) + (match.group(3) or ""),
                    context=context,
                    citations=[
                        Citation(article_id=a, quote=sentence.text) for a in sentence.citations
                    ],
                )
            )
            break
        if len(figures) >= limit:
            break
    return figures


def _clause(sentence: str, start: int, limit: int = 18) -> str:
    """The clause around a figure, verbatim: from the figure to the next clause break."""
    end = len(sentence)
    for mark in (", ", "; ", " — ", " – ", ". "):
        found = sentence.find(mark, start + 1)
        if found != -1:
            end = min(end, found)
    fragment = sentence[start:end].rstrip(" .")
    tokens = fragment.split()
    return " ".join(tokens[:limit]) + " …" if len(tokens) > limit else fragment


def _is_time_or_year(text: str) -> bool:
    return bool(re.fullmatch(r"(19|20)\d\d\b.*", text.strip()))


def _outlook(pools: list[list[_Sentence]], used: set[str]) -> list[Statement]:
    """Up to three unused forward-looking sentences from the leading developments."""
    picks: list[Statement] = []
    for pool in pools[:5]:
        ahead = [s for s in pool if _FORWARD.search(s.text) and fold(s.text) not in used]
        if ahead:
            best = max(ahead, key=lambda s: s.score)
            used.add(fold(best.text))
            picks.append(_statement(best))
        if len(picks) == 3:
            break
    return picks
