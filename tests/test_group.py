"""Grouping: syndicated copies become one story, reports of one event one development."""

from __future__ import annotations

from briefing.extract import extract_document
from briefing.group import find_stories, group
from briefing.models import Article
from briefing.sources.inbox import collect
from tests.conftest import EXAMPLES

WIRE = [
    "Government forces backed by Russian warplanes pushed rebel fighters back from the outskirts"
    " of Hama on Tuesday, according to residents and a war monitor.",
    "The Syrian Observatory for Human Rights said at least 27 people were killed in strikes"
    " overnight on villages between Hama and the town of Morek.",
    "State media reported that army units had retaken two hills about 15 kilometres north of"
    " the city and were clearing farmland along the road to Aleppo.",
    "A spokesperson for the Russian Defence Ministry said its aircraft had hit command posts and"
    " ammunition depots in Hama province.",
]


def _article(ident: str, title: str, paragraphs: list[str]) -> Article:
    return Article(id=ident, title=title, text="\n\n".join(paragraphs))


def test_wire_copies_with_different_chrome_merge() -> None:
    copies = [
        _article("a", "Airstrikes push rebels back from Hama", WIRE),
        _article("b", "Rebels pushed back from Hama", [*WIRE, "This story was updated at 10:40."]),
        _article("c", "Hama: rebels retreat", ["Related: markets steady", *WIRE[:3]]),
        _article(
            "d",
            "Checkpoints multiply across Damascus",
            [
                "Military police set up dozens of new checkpoints across Damascus to detain young men"
                " who failed to report for military service, residents said.",
                "Patrols stopped minibuses and checked the papers of men aged 18 to 42.",
            ],
        ),
    ]
    stories = find_stories(copies)
    sizes = sorted(len(s.articles) for s in stories)
    assert sizes == [1, 3]


def test_example_day_groups_syndicated_story_once_with_three_sources() -> None:
    documents, _ = collect([EXAMPLES])
    articles = []
    for doc in documents:
        try:
            article = extract_document(doc)
        except Exception:
            continue
        article.id = article.content_hash[:12]
        articles.append(article)
    developments = group(articles)
    wire_names = {
        "frontlinewire-hama-airstrikes.html",
        "medigest-hama-airstrikes-wire.html",
        "dailydispatch-hama-airstrikes-wire.txt",
    }
    holding = [
        d
        for d in developments
        if wire_names & {s.location.rsplit("/", 1)[-1] for a in d.articles for s in a.sources}
    ]
    assert len(holding) == 1, "the syndicated story must land in one development"
    story_sizes = [len(s.articles) for s in holding[0].stories]
    assert 3 in story_sizes
    # a different outlet's own report of the same fighting joins the same development
    members = {src.location.rsplit("/", 1)[-1] for a in holding[0].articles for src in a.sources}
    assert "levantdefence-hama-counteroffensive.html" in members
