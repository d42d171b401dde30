"""Continuity: what is new since the previous briefing for the same output folder.

Two steps around the day's run. Before grouping, ``unbriefed`` drops the articles an
earlier briefing already used (and undated ones another day's briefing saw first), so
an article is new reporting once, unless its text has since changed at the same URL
and says more than the version briefed (revisions.py). After compose, ``annotate``
matches each development with the previous briefing's by the grouping signal (the
articles' terms weighted against background word frequencies, as within a day; never by
headline text), marks each point and key takeaway seen before or not, picks what is new
in each updated development (whatsnew.py), and lists yesterday's developments that
nothing today continues.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import NothingToReportError
from briefing.group import find_stories
from briefing.history import (
    Claim,
    PastBriefing,
    PastDevelopment,
    briefed_before,
    briefed_texts,
    previous,
)
from briefing.linkage import evidence
from briefing.models import (
    Article,
    DevelopmentSection,
    NoNewReporting,
    Point,
    Previously,
    Sitrep,
)
from briefing.revisions import Said, says_more, statements
from briefing.store import Store
from briefing.terms import scripts, shared_view, term_vectors
from briefing.whatsnew import home, lead_with_news, what_is_new, without_promoted

# Evidence (grouping's cosine less its largest single term) between two developments'
# summed term vectors above which they are one story over days. Same-story reports on
# different days share places, actors, figures and vocabulary but far fewer words than
# copies of one text. Chosen on the DUC 2006 dev split with benchmarks/bench_continuity.py
# (BENCHMARKS.md, issue 14): 0.12 and 0.15 make the fewest errors; the higher is kept,
# as a wrong match (yesterday's points marked as seen) misleads more than a miss. 0.12
# lets 3 of 33 new stories match old ones, 0.18 misses 5 of 33 continuing ones.
SAME_STORY = 0.15


def unbriefed(
    db_path: Path, out_dir: Path, day: str, articles: Sequence[Article]
) -> tuple[list[Article], int]:
    """The articles no other briefing claims, and how many were left out as briefed.

    An article whose text changed at its URL since the latest briefing that used it is
    claimed no more when the new text says more (a live story updated during the day).
    """
    with Store(db_path) as store:
        claims = briefed_before(store, out_dir, day, [a.id for a in articles])
        claimed = {a.id: c.date for a in articles
                   if (c := claims.get(a.id)) is not None and not _revised(store, a, c)}
    fresh = [a for a in articles if a.id not in claimed]
    if articles and not fresh:
        latest = max(claimed.values())
        raise NothingToReportError(
            f"every article for {day} ({len(articles)}) was already briefed, latest on "
            f"{latest}; nothing new to report: add new articles or pass another --date"
        )
    return fresh, len(claimed)


def updated_since_briefed(
    db_path: Path, out_dir: Path, day: str, articles: Sequence[Article]
) -> list[Article]:
    """Of articles outside the period, those an earlier briefing used whose text has
    since changed at the same URL and says more: a live story's update is news the day
    it comes, though the page keeps its first publication time."""
    with Store(db_path) as store:
        claims = briefed_before(store, out_dir, day, [a.id for a in articles])
        return list({a.id: a for a in articles
                     if (c := claims.get(a.id)) is not None and _revised(store, a, c)}.values())


def _revised(store: Store, article: Article, claim: Claim) -> bool:
    """True when the article's text now says more than the version that briefing used."""
    if claim.content_hash is None or claim.content_hash == article.content_hash:
        return False
    briefed = store.version_text(article.id, claim.content_hash)
    return briefed is not None and says_more(article.text, briefed)


def annotate(db_path: Path, out_dir: Path, sitrep: Sitrep, already_briefed: int = 0) -> Sitrep:
    """The sitrep with status, ``previously`` and ``seen_before`` set against the last briefing."""
    with Store(db_path) as store:
        earlier = previous(store, out_dir, sitrep.date)
        if earlier is None:
            return _with_note(sitrep, already_briefed)
        today_ids = [section_articles(sitrep, d) for d in sitrep.developments]
        texts = _texts(store, [*today_ids, *(d.article_ids for d in earlier.developments)])
        sources = briefed_texts(store, out_dir, earlier.date)
        # Another briefing's article is here again only because its text says more now.
        revised = len(briefed_before(store, out_dir, sitrep.date,
                                     [s.article_id for s in sitrep.sources]))
    pairs = match(
        [[texts[i] for i in ids if i in texts] for ids in today_ids],
        [[texts[i] for i in d.article_ids if i in texts] for d in earlier.developments],
    )
    # Reported before: said by that briefing, or by the texts it was made from (a
    # republished copy brings no news, even in sentences that briefing did not quote).
    said = Said([*earlier.takeaways, *(p for d in earlier.developments for p in d.points),
                 *(s for text in sources for s in statements(text))])
    marked = [t.model_copy(update={"seen_before": said.says(t.text)}) for t in sitrep.takeaways]
    homes = [home(t, sitrep.developments) for t in marked]
    sections = [
        _continued(dev, earlier, earlier.developments[pairs[i]], said,
                   [t for t, h in zip(marked, homes, strict=True) if h == i])
        if i in pairs else dev
        for i, dev in enumerate(sitrep.developments)
    ]
    matched = set(pairs.values())
    quiet = [
        NoNewReporting(headline=d.headline, last_reported=d.last_reported)
        for j, d in enumerate(earlier.developments) if j not in matched
    ]
    leading = lead_with_news(marked, homes, sections)
    updated = sitrep.model_copy(update={
        "developments": without_promoted(sections, marked, leading), "since": earlier.date,
        "no_new_reporting": quiet, "takeaways": leading,
    })
    return _with_note(updated, already_briefed, revised)


def section_articles(sitrep: Sitrep, section: DevelopmentSection) -> list[str]:
    """The ids of the articles behind a development, through its source numbers."""
    by_number = {s.number: s.article_id for s in sitrep.sources}
    return list(dict.fromkeys(by_number[n] for n in section.sources if n in by_number))


def _texts(store: Store, groups: Sequence[Sequence[str]]) -> dict[str, Article]:
    wanted = list(dict.fromkeys(i for ids in groups for i in ids))
    return {a.id: a for a in store.articles(wanted)}


def match(
    today: Sequence[Sequence[Article]], earlier: Sequence[Sequence[Article]],
    threshold: float = SAME_STORY,
) -> dict[int, int]:
    """Today's development index -> the earlier development it continues, one to one.

    Pairs are taken most similar first, so two of today's developments never both
    claim one of yesterday's.
    """
    vectors = _development_vectors([*today, *earlier])
    now, then = vectors[: len(today)], vectors[len(today) :]
    scored = sorted(
        ((_evidence(a, b), i, j) for i, a in enumerate(now) for j, b in enumerate(then)),
        key=lambda s: (-s[0], s[1], s[2]),
    )
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for similarity, i, j in scored:
        if similarity < threshold:
            break
        if i not in pairs and j not in taken:
            pairs[i] = j
            taken.add(j)
    return pairs


@dataclass
class _Development:
    """A development as one term vector, and the scripts its reports are written in."""

    vector: dict[str, float]
    scripts: frozenset[str]


def _development_vectors(developments: Sequence[Sequence[Article]]) -> list[_Development]:
    """Each development's stories' lead articles weighted as grouping weighs them
    (background word frequencies, names, numbers, dates), summed and normalised.

    The sum compares two developments as wholes: its cosine is their mean cross-similarity
    over how alike each one's own reports are, so a follow-up still meets a broad earlier
    development made of several events.
    """
    leads = [[s.lead for s in find_stories(arts)] if arts else [] for arts in developments]
    flat = [a for group in leads for a in group]
    vectors, kinds = term_vectors(flat), scripts(flat)
    out, start = [], 0
    for group in leads:
        end = start + len(group)
        out.append(_Development(_summed(vectors[start:end]), frozenset(kinds[start:end])))
        start = end
    return out


def _summed(vectors: Sequence[dict[str, float]]) -> dict[str, float]:
    """The normalised sum of vectors, heaviest terms first (as grouping's vectors list them)."""
    total: dict[str, float] = {}
    for vector in vectors:
        for term, weight in vector.items():
            total[term] = total.get(term, 0.0) + weight
    # sorted by weight, then term: later float sums never depend on a set's order
    ordered = sorted(total.items(), key=lambda item: (-item[1], item[0]))
    norm = math.sqrt(sum(w * w for _, w in ordered)) or 1.0
    return {term: weight / norm for term, weight in ordered}


def _evidence(a: _Development, b: _Development) -> float:
    """Grouping's evidence (cosine less its largest single term) between two developments;
    on the terms any script writes alike when they share no script, as grouping compares
    two reports in different scripts."""
    left, right = a.vector, b.vector
    if not a.scripts & b.scripts:
        left, right = shared_view(left), shared_view(right)
    return evidence(left, right) if len(left) <= len(right) else evidence(right, left)


def _continued(
    dev: DevelopmentSection, earlier: PastBriefing, past: PastDevelopment,
    said: Said, own: Sequence[Point],
) -> DevelopmentSection:
    """A continued development, its points marked; ``own`` are the takeaways drawn from it
    (already marked): the summary leads with them, so they count as its new reporting too."""
    points = [p.model_copy(update={"seen_before": said.says(p.text)}) for p in dev.points]
    fresh = any(not p.seen_before for p in [*own, *points])
    return dev.model_copy(update={
        "status": "updated" if fresh else "unchanged",
        "previously": Previously(date=earlier.date, headline=past.headline),
        "points": points,
        "what_is_new": what_is_new([*own, *points], [past.headline, *said.statements]),
    })


def _with_note(sitrep: Sitrep, already_briefed: int, revised: int = 0) -> Sitrep:
    notes = []
    if already_briefed:
        notes.append(f"{already_briefed} article{'s' if already_briefed != 1 else ''} already "
                     "used in an earlier briefing not counted again")
    if revised:
        notes.append(f"{revised} article{'s' if revised != 1 else ''} used in an earlier "
                     "briefing read again: updated since at the same address with new reporting")
    if not notes:
        return sitrep
    coverage = sitrep.coverage.model_copy(update={"notes": [*sitrep.coverage.notes, *notes]})
    return sitrep.model_copy(update={"coverage": coverage})
