"""What is new in an updated development, and key takeaways that lead with the news.

The "Since" line of an updated development shows one statement, chosen among its points
and the takeaways drawn from it that were not reported before: one that gives a figure
or a name the earlier briefing did not (the news in it), then the one more sources
support, then the one the summary put first (takeaways lead, then points in order). A
statement of several sentences is cut to its first sentence giving such a fact: whole
sentences, never cut mid-way, so the line stays short without losing its sense.
Preferring the statement with the *most* new facts instead picked longer, name-laden
sentences that shared less with the DUC 2006 reference summaries
(benchmarks/bench_whatsnew.py, BENCHMARKS.md).

A key takeaway the previous briefing already gave, drawn from one updated development,
gives its place to that development's new statement (same story, so about the same
rank), unless that is among the takeaways already, and a development's new takeaways
come before its repeats: the summary leads with the news. A takeaway of an unchanged
development stays, marked "reported before". A whole point promoted so leaves its
development's points (as the summariser's own takeaways do), unless it is the only one.
"""

from __future__ import annotations

from collections.abc import Sequence

from briefing.models import CitedText, DevelopmentSection, Point
from briefing.revisions import NUMBER, seen_before
from briefing.sentences import split_sentences
from briefing.text import raw_words, words


def what_is_new(points: Sequence[Point], earlier: Sequence[str]) -> CitedText | None:
    """The new statement for the "Since" line, as one sentence; None when all were seen."""
    fresh = [(i, p) for i, p in enumerate(points) if not p.seen_before]
    if not fresh:
        return None
    known = " ".join(earlier)
    known_words = set(words(known))
    known_numbers = set(NUMBER.findall(known))

    def new_facts(text: str) -> int:
        return len(facts(text) - known_words - known_numbers)

    _, best = min(fresh, key=lambda item: (new_facts(item[1].text) == 0,
                                           -len(set(item[1].sources)), item[0]))
    sentences = [s.strip() for s in split_sentences(best.text) if s.strip()]
    if len(sentences) <= 1:
        return CitedText(**best.model_dump(include=set(CitedText.model_fields)))
    sentence = next((s for s in sentences if new_facts(s)), sentences[0])
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


def home(takeaway: Point, sections: Sequence[DevelopmentSection]) -> int | None:
    """The index of the one development whose sources hold all the takeaway's, if one."""
    found = [i for i, d in enumerate(sections) if set(takeaway.sources) <= set(d.sources)]
    return found[0] if len(found) == 1 else None


def lead_with_news(
    takeaways: Sequence[Point], homes: Sequence[int | None],
    sections: Sequence[DevelopmentSection],
) -> list[Point]:
    """The marked takeaways, a repeat from an updated development replaced by its news,
    and each development's new takeaways ahead of its repeats (in the places its
    takeaways held, so the developments keep their order)."""
    shown = [t.text for t in takeaways]
    out: list[Point] = []
    for takeaway, where in zip(takeaways, homes, strict=True):
        news = sections[where].what_is_new if takeaway.seen_before and where is not None else None
        if news is not None and not _among(news.text, shown):
            shown.append(news.text)
            takeaway = Point(**news.model_dump())
        out.append(takeaway)
    for where in {h for h in homes if h is not None}:
        places = [i for i, h in enumerate(homes) if h == where]
        ordered = sorted((out[i] for i in places), key=lambda t: t.seen_before)  # stable
        for i, takeaway in zip(places, ordered, strict=True):
            out[i] = takeaway
    return out


def _among(text: str, shown: Sequence[str]) -> bool:
    """True when a shown statement contains or says ``text`` (a sentence of a point)."""
    return any(text in other for other in shown) or seen_before(text, shown)


def without_promoted(
    sections: Sequence[DevelopmentSection], before: Sequence[Point], after: Sequence[Point]
) -> list[DevelopmentSection]:
    """The developments without the points that became takeaways, each keeping one."""
    promoted = {t.text for t in after} - {t.text for t in before}
    out: list[DevelopmentSection] = []
    for section in sections:
        kept = [p for p in section.points if p.text not in promoted]
        changed = kept and len(kept) < len(section.points)
        out.append(section.model_copy(update={"points": kept}) if changed else section)
    return out
