"""Grouping reports into developments: small inboxes, topics apart, any order, any language."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from briefing.group import group
from briefing.linkage import average_linkage, evidence
from briefing.models import Article
from briefing.terms import skeleton, term_vectors

FIXTURES = Path(__file__).parent / "fixtures" / "grouping"
EVENTS = json.loads((FIXTURES / "events.json").read_text(encoding="utf-8"))
LANGUAGES = json.loads((FIXTURES / "languages.json").read_text(encoding="utf-8"))


def _article(key: str, table: dict[str, dict[str, str]]) -> Article:
    item = table[key]
    return Article(
        id=key, content_hash=key, title=item["title"], text=item["text"], language=item["language"]
    )


def _partition(articles: list[Article]) -> list[list[str]]:
    return sorted(sorted(a.id for a in dev.articles) for dev in group(articles))


def test_two_reports_of_one_event_merge_in_a_two_article_inbox() -> None:
    articles = [_article("quake_en_1", EVENTS), _article("quake_en_2", EVENTS)]
    assert _partition(articles) == [["quake_en_1", "quake_en_2"]]


def test_two_articles_on_different_events_stay_apart() -> None:
    articles = [_article("quake_en_1", EVENTS), _article("rates_en_2", EVENTS)]
    assert _partition(articles) == [["quake_en_1"], ["rates_en_2"]]


def test_three_topic_inbox_splits_into_three() -> None:
    articles = [_article(key, EVENTS) for key in EVENTS]
    assert _partition(articles) == [
        ["port_strike_en_1", "port_strike_en_2"],
        ["quake_en_1", "quake_en_2"],
        ["rates_en_1", "rates_en_2"],
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_grouping_ignores_file_order(seed: int) -> None:
    articles = [_article(key, EVENTS) for key in EVENTS] + [
        _article(key, LANGUAGES) for key in LANGUAGES
    ]
    shuffled = list(articles)
    random.Random(seed).shuffle(shuffled)
    first, second = group(articles), group(shuffled)
    assert [d.id for d in first] == [d.id for d in second]
    assert [sorted(a.id for a in d.articles) for d in first] == [
        sorted(a.id for a in d.articles) for d in second
    ]


def test_shared_words_weigh_by_background_rarity_in_a_two_article_inbox() -> None:
    vectors = term_vectors([_article("quake_en_1", EVENTS), _article("quake_en_2", EVENTS)])
    # an inbox-only IDF would give every shared word zero weight here
    assert vectors[0]["arequipa"] > 0
    assert vectors[0].get("the", 0.0) < vectors[0]["arequipa"] / 10
    assert vectors[0]["arequipa"] > vectors[0]["region"]


def test_french_and_english_reports_of_one_event_merge() -> None:
    articles = [_article("mine_fr", LANGUAGES), _article("mine_en", LANGUAGES)]
    assert _partition(articles) == [["mine_en", "mine_fr"]]


def test_arabic_and_english_reports_of_one_event_merge() -> None:
    articles = [_article("flood_ar", LANGUAGES), _article("flood_en", LANGUAGES)]
    assert _partition(articles) == [["flood_ar", "flood_en"]]


def test_different_events_in_one_country_stay_apart_across_languages() -> None:
    articles = [
        _article("mine_fr", LANGUAGES),
        _article("mine_en", LANGUAGES),
        _article("election_en", LANGUAGES),
    ]
    assert _partition(articles) == [["election_en"], ["mine_en", "mine_fr"]]


def test_mixed_language_inbox_groups_each_event_once() -> None:
    articles = [_article(key, LANGUAGES) for key in LANGUAGES] + [
        _article(key, EVENTS) for key in EVENTS
    ]
    partition = _partition(articles)
    assert ["flood_ar", "flood_en"] in partition
    assert ["mine_en", "mine_fr"] in partition
    assert ["election_en"] in partition
    assert len(partition) == 6


@pytest.mark.parametrize("spelling", ["Putin", "Путин", "بوتين"])
def test_name_skeleton_meets_across_scripts(spelling: str) -> None:
    assert skeleton(spelling) == "btn"


def test_one_shared_term_is_no_evidence() -> None:
    country_only = {"mali": 0.8, "election": 0.6}
    other = {"mali": 0.7, "mine": 0.714}
    assert evidence(country_only, other) == 0.0
    assert evidence({"mali": 0.6, "kayes": 0.8}, {"mali": 0.6, "kayes": 0.8}) == pytest.approx(0.36)


def test_average_linkage_does_not_chain_through_a_bridge() -> None:
    # 0 resembles 1 and 1 resembles 2, but 0 and 2 share nothing: the mean over the
    # merged cluster's pairs (0.5 + 0) / 2 stays under the threshold, so 2 stays out
    labels = average_linkage(3, {(0, 1): 0.6, (1, 2): 0.5}, threshold=0.3)
    assert labels == [0, 0, 2]
    # with 0 and 2 related too, all three form one cluster
    labels = average_linkage(3, {(0, 1): 0.6, (1, 2): 0.5, (0, 2): 0.4}, threshold=0.3)
    assert labels == [0, 0, 0]
