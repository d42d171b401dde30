"""Continuity: what is new since the previous briefing for the same output folder.

Two steps around the day's run. Before grouping, ``unbriefed`` drops the articles an
earlier briefing already used (and undated ones another day's briefing saw first), so
an article is new reporting once. After compose, ``annotate`` matches each development
with the previous briefing's by the grouping signal (TF-IDF cosine of the articles'
words, as within a day; never by headline text), marks each point seen before or not,
and lists yesterday's developments that nothing today continues.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from briefing.errors import NothingToReportError
from briefing.group import cosine, tfidf
from briefing.history import PastBriefing, PastDevelopment, briefed_before, previous
from briefing.models import (
    Article,
    DevelopmentSection,
    NoNewReporting,
    Point,
    Previously,
    Sitrep,
)
from briefing.store import Store
from briefing.text import words

# Cosine of two developments' TF-IDF vectors above which they are one story over days.
# Same-story reports on different days share places, actors and vocabulary but far fewer
# words than copies of one text. Chosen on the DUC 2006 dev split with
# benchmarks/bench_continuity.py (BENCHMARKS.md, issue 14): 0.10 lets new stories match
# old ones, 0.30 misses half the continuing ones.
SAME_STORY = 0.15
# A point is seen before when an earlier point carries its numbers and most of its words.
SAME_POINT = 0.6
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def unbriefed(
    db_path: Path, out_dir: Path, day: str, articles: Sequence[Article]
) -> tuple[list[Article], int]:
    """The articles no other briefing claims, and how many were left out as briefed."""
    with Store(db_path) as store:
        claimed = briefed_before(store, out_dir, day, [a.id for a in articles])
    fresh = [a for a in articles if a.id not in claimed]
    if articles and not fresh:
        latest = max(claimed.values())
        raise NothingToReportError(
            f"every article for {day} ({len(articles)}) was already briefed, latest on "
            f"{latest}; nothing new to report: add new articles or pass another --date"
        )
    return fresh, len(claimed)


def annotate(db_path: Path, out_dir: Path, sitrep: Sitrep, already_briefed: int = 0) -> Sitrep:
    """The sitrep with status, ``previously`` and ``seen_before`` set against the last briefing."""
    with Store(db_path) as store:
        earlier = previous(store, out_dir, sitrep.date)
        if earlier is None:
            return _with_note(sitrep, already_briefed)
        today_ids = [section_articles(sitrep, d) for d in sitrep.developments]
        texts = _texts(store, [*today_ids, *(d.article_ids for d in earlier.developments)])
    pairs = match(
        [[texts[i] for i in ids if i in texts] for ids in today_ids],
        [[texts[i] for i in d.article_ids if i in texts] for d in earlier.developments],
    )
    sections = [
        _continued(dev, earlier, earlier.developments[pairs[i]]) if i in pairs else dev
        for i, dev in enumerate(sitrep.developments)
    ]
    matched = set(pairs.values())
    quiet = [
        NoNewReporting(headline=d.headline, last_reported=d.last_reported)
        for j, d in enumerate(earlier.developments) if j not in matched
    ]
    updated = sitrep.model_copy(
        update={"developments": sections, "since": earlier.date, "no_new_reporting": quiet}
    )
    return _with_note(updated, already_briefed)


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
    vectors = tfidf([_terms(arts) for arts in [*today, *earlier]])
    now, then = vectors[: len(today)], vectors[len(today) :]
    scored = sorted(
        ((cosine(a, b), i, j) for i, a in enumerate(now) for j, b in enumerate(then)),
        reverse=True,
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


def _terms(articles: Sequence[Article]) -> list[str]:
    """Content words of a development's titles (twice: they name the event) and texts."""
    tokens: list[str] = []
    for article in articles:
        tokens += words(article.title) * 2 + words(article.text)
    return [t.casefold() for t in tokens if len(t) > 3 and not t.isdigit()]


def _continued(dev: DevelopmentSection, earlier: PastBriefing, past: PastDevelopment
               ) -> DevelopmentSection:
    said = [*past.points, *earlier.takeaways]  # a point led yesterday as a takeaway is not new
    points = [
        Point(**p.model_dump(exclude={"seen_before"}), seen_before=seen_before(p.text, said))
        for p in dev.points
    ]
    status = "updated" if any(not p.seen_before for p in points) else "unchanged"
    return dev.model_copy(update={
        "status": status,
        "previously": Previously(date=earlier.date, headline=past.headline),
        "points": points,
    })


def seen_before(point: str, earlier_points: Sequence[str]) -> bool:
    """True when an earlier point says the same: its numbers and most of its words."""
    numbers = set(_NUMBER.findall(point))
    mine = Counter(t.casefold() for t in words(point) if len(t) > 2)
    for other in earlier_points:
        if not numbers <= set(_NUMBER.findall(other)):
            continue  # a new figure is news even in familiar words
        theirs = Counter(t.casefold() for t in words(other) if len(t) > 2)
        if cosine(dict(mine), dict(theirs)) >= SAME_POINT:
            return True
    return False


def _with_note(sitrep: Sitrep, already_briefed: int) -> Sitrep:
    if not already_briefed:
        return sitrep
    note = (f"{already_briefed} article{'s' if already_briefed != 1 else ''} already used "
            "in an earlier briefing not counted again")
    coverage = sitrep.coverage.model_copy(update={"notes": [*sitrep.coverage.notes, note]})
    return sitrep.model_copy(update={"coverage": coverage})
