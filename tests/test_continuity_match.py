"""Matching a day's developments with the previous briefing's (continuity.match), on
small fixtures of invented reports: one broad earlier development of five reports on
four events (a flood in the Prut valley, the government's emergency declaration, rescue
teams from abroad, farmers' losses), a follow-up with new figures, and an unrelated story
from the same country and capital."""

from __future__ import annotations

import json
import random
from pathlib import Path

from briefing.continuity import match
from briefing.models import Article

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "continuity_match"


def _load(name: str) -> list[Article]:
    return [Article(**a) for a in json.loads((FIXTURES / f"{name}.json").read_text())]


def test_a_follow_up_with_new_figures_continues_a_broad_earlier_development() -> None:
    # two days alone: an IDF learnt from these two developments would weigh every shared
    # word (Prut, Ungheni, the governor) at nothing; the background frequencies do not
    assert match([_load("followup")], [_load("earlier")]) == {0: 0}


def test_an_unrelated_story_from_the_same_country_is_new() -> None:
    # alone, so no better match can take the earlier development first
    assert match([_load("unrelated")], [_load("earlier")]) == {}


def test_each_earlier_development_is_continued_once_by_its_own_follow_up() -> None:
    today = [_load("unrelated"), _load("followup")]
    earlier = [_load("earlier")]
    assert match(today, earlier) == {1: 0}


def test_matching_does_not_depend_on_input_order() -> None:
    today = [_load("unrelated"), _load("followup")]
    earlier = [_load("earlier"), _load("unrelated")]
    expected = match(today, earlier)
    assert expected == {0: 1, 1: 0}
    rng = random.Random(5)
    for _ in range(3):
        shuffled_today = [rng.sample(d, len(d)) for d in today]
        shuffled_earlier = [rng.sample(d, len(d)) for d in earlier]
        assert match(shuffled_today, shuffled_earlier) == expected
    # reversed lists give the same pairs under the reversed indices
    assert match(today[::-1], earlier[::-1]) == {1 - i: 1 - j for i, j in expected.items()}


def test_empty_developments_match_nothing() -> None:
    assert match([[]], [_load("earlier")]) == {}
    assert match([_load("followup")], []) == {}
