"""The offline extractive backend: the briefing is made of the sources' own sentences.

Every statement is a sentence copied verbatim from an article, so it is true to its
source by construction and keeps its attribution ("according to residents"). A sentence
that several outlets carry word for word cites all of them. A sentence in another
language than the briefing's is shown as written, marked with its language ("[fr]").

The day is ranked first (briefing.backends.ranking): by the reader's focus when one is
given, else by independent sources, recency and hard news. Each development then tells
its story in the sentences that cover the most of what its sources agree on, per word
(briefing.backends.coverage). What it tells does not depend on how many takeaways the
day wants (only on the development and what developments ranked above it already said),
so a continuing story's points stay comparable day to day. The best of those that name who did
what lead the briefing as key takeaways (BLUF); the rest are the development's points,
under a short headline, and no sentence appears twice anywhere in the briefing. Figures,
contested figures and what to watch come from briefing.backends.figures.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefing.backends import coverage, ranking
from briefing.backends.figures import contested, key_figures, outlook, statement
from briefing.backends.ranking import Candidate
from briefing.links import has_link
from briefing.models import (
    Article,
    Citation,
    Development,
    DevelopmentSummary,
    Statement,
    Summary,
    SummaryOptions,
)
from briefing.sentences import is_foreign, length, unspaced_share
from briefing.terms import MONTHS, WEEKDAYS
from briefing.terms import fold as fold_word
from briefing.text import fold

HEADLINE_WORDS = 12
# A development of many independent stories tells up to BIG_EXTRA more sentences than
# max_points (its best ones lead as takeaways); 5 picked on the DUC 2006 dev split (BENCHMARKS)
BIG_EXTRA = 5
_ENDS_SENTENCE = re.compile(r"[.!?。！？؟।][\"'”’»」)]*\s*$")
_CALENDAR = frozenset(MONTHS) | WEEKDAYS  # capitalised, yet no actor
_HEADLINE_BREAKS = (": ", " — ", " – ", " - ", "; ", ", ")


class ExtractiveBackend:
    """Selects sentences verbatim from the articles; the embedded default backend."""

    name = "extractive"
    model: str | None = None

    def summarise(self, developments: Sequence[Development], options: SummaryOptions) -> Summary:
        """Headline and 2–5 points per development, plus 3–7 takeaways, ranked by value."""
        pools = self._ranked_pools(developments, options)
        order = _development_order(developments, pools, bool(options.focus))
        developments = [developments[i] for i in order]
        pools = [pools[i] for i in order]
        used: set[str] = set()
        said: list[Candidate] = []
        covered: set[coverage.Concept] = set()  # what the briefing has said so far
        wanted = max(3, min(7, options.takeaways))
        takeaways: list[Statement] = []
        summaries: list[DevelopmentSummary] = []
        for rank, (development, pool) in enumerate(zip(developments, pools, strict=True)):
            headline = _headline(development, pool, options)
            used.add(fold(_unmarked(headline.text)))
            shown = [c for c in pool if c.key not in used and ranking.quotable(c)]
            conflicts = contested(shown)  # shown once, side by side, not as points
            used.update(c.key for c in conflicts)
            fresh = [c for c in shown if c.key not in used]
            take = _takeaways_for(rank, len(developments), wanted - len(takeaways))
            weights = coverage.weights(pool, bool(options.focus))
            # what it tells does not depend on the takeaways wanted; its best sentences lead
            told = _tell(fresh, _points_wanted(development, options), weights, covered, said)
            lead = _lead(told, fresh, take, weights, covered, [*said, *told])
            said += told + lead
            rest = [c for c in told if c not in lead]
            used.update(c.key for c in lead + rest)
            takeaways.extend(_marked(c, options) for c in lead)
            summaries.append(self._summary(development, headline, _reading_order(rest, development),
                                           pool, options, conflicts))
        return Summary(
            backend=self.name, developments=summaries, takeaways=takeaways,
            outlook=[_marked(c, options) for c in outlook(pools, used)],
            focus=options.focus,
        )

    def summarise_one(
        self, development: Development, options: SummaryOptions
    ) -> DevelopmentSummary:
        """A single development's summary (used as the LLM backend's fallback)."""
        pool = self._ranked_pools([development], options)[0]
        headline = _headline(development, pool, options)
        fresh = [c for c in pool if c.key != fold(_unmarked(headline.text)) and ranking.quotable(c)]
        wanted = min(options.max_points, _points_wanted(development, options))  # none lead
        chosen = _tell(fresh, wanted, coverage.weights(pool, bool(options.focus)), set(), [])
        return self._summary(development, headline, _reading_order(chosen, development), pool,
                             options, [])

    def _ranked_pools(
        self, developments: Sequence[Development], options: SummaryOptions
    ) -> list[list[Candidate]]:
        pools = [ranking.candidates(d) for d in developments]
        for development, pool in zip(developments, pools, strict=True):
            # weights from the development alone: the same story reads the same whatever else
            # happened that day
            idf = ranking.vectorise([pool])
            focus = ranking.focus_vector(options.focus, idf, options.language)
            ranking.score(pool, focus, [a.title for a in development.articles])
        return pools

    def _summary(
        self,
        development: Development,
        headline: Statement,
        points: list[Candidate],
        pool: list[Candidate],
        options: SummaryOptions,
        conflicts: list[Candidate],
    ) -> DevelopmentSummary:
        hits = watchlist_hits(development, options.focus)
        shown = [c for c in pool if ranking.quotable(c)]
        return DevelopmentSummary(
            development_id=development.id,
            headline=headline,
            points=[_marked(c, options) for c in points],
            figures=key_figures(points + shown, limit=min(4, 1 + len(development.stories) // 2)),
            conflicts=[_marked(c, options) for c in conflicts],
            notes=[f"watchlist: {', '.join(hits)}"] if hits else [],
        )


def watchlist_hits(development: Development, focus: Sequence[str]) -> list[str]:
    """Short focus terms (a watchlist) that the development's articles mention."""
    terms = [t for t in focus if len(t.split()) <= 4]
    if not terms:
        return []
    text = fold(" ".join(f"{a.title}\n{a.text}" for a in development.articles))
    return [t for t in terms if re.search(rf"(?<!\w){re.escape(fold(t))}(?!\w)", text)]


def _development_order(
    developments: Sequence[Development], pools: Sequence[list[Candidate]], has_focus: bool
) -> list[int]:
    """Most valuable first; ties keep the grouping's order, so the result is deterministic."""
    value = [ranking.development_value(d, p, has_focus) for d, p in zip(developments, pools,
                                                                         strict=True)]
    newest = [ranking.newest(d) for d in developments]
    return sorted(range(len(developments)), key=lambda i: (-round(value[i], 6), -newest[i], i))


def _tell(
    fresh: list[Candidate], wanted: int, weights: dict[coverage.Concept, float],
    covered: set[coverage.Concept], said: list[Candidate],
) -> list[Candidate]:
    """What a development tells: its hard news first (no question, no dangling "But he",
    no first person); the rest only when the hard news runs short."""
    hard = [c for c in fresh if ranking.news_value(c.text) >= 0]
    told = coverage.select(hard, wanted, weights, covered, said)
    if len(told) < wanted:
        told += coverage.select([c for c in fresh if c not in hard], wanted - len(told), weights,
                                covered, [*said, *told])
    return told


def _lead(
    told: list[Candidate], fresh: list[Candidate], take: int,
    weights: dict[coverage.Concept, float], covered: set[coverage.Concept],
    said: list[Candidate],
) -> list[Candidate]:
    """A development's takeaways: the best of what it tells that say who did what (at most
    half of it, so it still tells its story below), else its next best that do."""
    lead = [c for c in told if _says_who_did_what(c)][: min(take, len(told) // 2)]
    if len(lead) < take:
        others = [c for c in fresh if c not in told and _says_who_did_what(c)]
        lead += coverage.select(others, take - len(lead), weights, covered, said)
    return lead


def _says_who_did_what(candidate: Candidate) -> bool:
    """A takeaway is a whole sentence naming an actor, never a bare headline or a fragment."""
    text = candidate.text
    if not _ENDS_SENTENCE.search(text) or ranking.news_value(text) < 0 or length(text) < 8:
        return False
    if unspaced_share(text) > 0.3 or not any(c.isupper() for c in text):
        return True  # a script without capitals to find an actor by
    return bool(text[:1].isupper() or re.match(r"[\"“‘'0-9]", text)) and _names_actor(text)


def _names_actor(text: str) -> bool:
    """Someone acts or speaks: a name after the opening word ("... the Kenya Red Cross
    said", not a weekday or a month) or an attribution ("officials said")."""
    names = [w for w in text.split()[1:] if w[:1].isupper()]
    if any(fold_word(w.strip(".,;:’'\"”)")) not in _CALENDAR for w in names):
        return True
    return bool(ranking.ATTRIBUTION.search(text))


def _marked(candidate: Candidate, options: SummaryOptions) -> Statement:
    """The candidate as a statement, marked with its language when not the briefing's."""
    text = candidate.text
    if is_foreign(candidate.language, options.language):
        text = f"[{candidate.language}] {text}"
    return statement(candidate, text)


def _unmarked(text: str) -> str:
    return re.sub(r"^\[[a-z]{2,3}\] ", "", text)


def _reading_order(points: list[Candidate], development: Development) -> list[Candidate]:
    """The headline story's points first, each source's in its own order: reads as a story."""
    rank = {a.id: i for i, a in enumerate(_by_prominence(development))}

    def key(candidate: Candidate) -> tuple[int, int]:
        return (min(rank.get(a, len(rank)) for a in candidate.citations), candidate.position)

    return sorted(points, key=key)


def _by_prominence(development: Development) -> list[Article]:
    """Articles of the most widely carried story first (the one the headline comes from)."""
    stories = sorted(development.stories, key=lambda s: (-len(s.articles), -len(s.lead.text)))
    return [a for s in stories for a in s.articles]


def _points_wanted(development: Development, options: SummaryOptions) -> int:
    """Two more points than stories, up to max_points; a development of many independent
    stories (sub-stories of one topic) gets one more point per two stories beyond that,
    at most BIG_EXTRA more, so each sub-story can be told."""
    stories = len(development.stories)
    extra = min(BIG_EXTRA, max(0, stories - options.max_points + 1) // 2)
    return max(options.min_points, min(options.max_points + extra, 2 + stories))


def _takeaways_for(rank: int, developments: int, remaining: int) -> int:
    """Takeaways a development contributes: one each, more when developments are few."""
    if remaining <= 0:
        return 0
    if developments >= 3 or rank > 0:
        return 1
    return max(1, remaining - (developments - 1))  # a one-story day: its best sentences lead


def _headline(development: Development, pool: list[Candidate], options: SummaryOptions) -> Statement:
    """A short headline (about 12 words) from the most prominent story's title.

    A report in the briefing's language is preferred to one in another language. A title
    that names a link is passed over (no link reaches the briefing that is not a
    source's own address). A long title is cut at a clause break, or shortened with an
    ellipsis so it still quotes its source; with no usable title, the best sentence's
    opening words stand in.
    """
    articles = [a for a in _by_prominence(development) if a.title and not has_link(a.title)]
    # a report in the briefing's language first, then a title short enough to quote whole
    ranked = sorted(articles, key=lambda a: (is_foreign(a.language, options.language),
                                             length(a.title) > HEADLINE_WORDS + 2))
    if ranked:
        article = ranked[0]
        title = _short(article.title)
        carriers = [a for a in development.articles if title.removesuffix(" …") in a.title]
        text = f"[{article.language}] {title}" if is_foreign(article.language, options.language) else title
        return Statement(text=text, citations=[Citation(article_id=a.id, quote=title) for a in carriers])
    if any(ranking.quotable(c) for c in pool):
        best = max(filter(ranking.quotable, pool), key=lambda c: c.score)
        return statement(best, _short(best.text))
    article = development.articles[0]
    return Statement(text=article.title, citations=[Citation(article_id=article.id, quote=article.title)])


def _short(text: str) -> str:
    """At most about HEADLINE_WORDS words: the first clause that fits, else cut with "…"."""
    text = " ".join(text.split())
    if length(text) <= HEADLINE_WORDS + 2:
        return text
    for mark in _HEADLINE_BREAKS:
        head = text.split(mark)[0]
        if 3 <= length(head) <= HEADLINE_WORDS + 2:
            return head
    if unspaced_share(text) > 0.3:
        return text[: HEADLINE_WORDS * 2] + " …"
    return " ".join(text.split()[:HEADLINE_WORDS]) + " …"
