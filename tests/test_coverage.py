"""Concept-coverage selection: what the sources agree on, per word, never said twice."""

from __future__ import annotations

from briefing.backends import coverage
from briefing.backends.ranking import Candidate, vectorise


def _candidate(text: str, stories: set[int], position: int = 0, score: float = 1.0) -> Candidate:
    return Candidate(text, [f"a{s}" for s in sorted(stories)], position, "en",
                     stories=len(stories), carriers=set(stories), score=score)


def test_a_word_pair_weighs_the_stories_beyond_the_first_that_carry_it() -> None:
    pool = [_candidate("The dam burst near Garissa on Tuesday night.", {0}),
            _candidate("Officials said the dam burst in the rain.", {1}),
            _candidate("Residents saw the dam burst in the hills.", {2}),
            _candidate("The county opened two shelters for families.", {1})]
    weights = coverage.weights(pool, focused=False)
    assert weights[("dam", "burst")] == 2.0  # three stories: two beyond the first
    assert ("county", "opened") not in weights  # one story only: no agreement
    assert ("the", "dam") in weights and ("in", "the") not in weights  # not two stop words
    single = coverage.weights(pool[:1], focused=False)
    assert set(single.values()) == {1.0}  # one story: every pair counts once, against repeats


def test_selection_prefers_the_shorter_sentence_that_says_as_much_and_never_repeats() -> None:
    long = _candidate("The regional water board said on Tuesday, after a long meeting that ran "
                      "late into the evening, that the Kessel spillway opened at dawn.", {0})
    short = _candidate("The Kessel spillway opened at dawn.", {1})
    other = _candidate("Firefighters evacuated 300 residents of Marn by boat.", {2})
    echo = _candidate("Firefighters evacuated 300 residents of Marn by boat overnight.", {3})
    shelter = _candidate("Volunteers opened a shelter in the Marn school gym.", {4})
    pool = [long, short, other, echo, shelter]
    vectorise([pool])
    weights = coverage.weights(pool, focused=False)
    picks = coverage.select(pool, 3, weights)
    assert picks[:2] == [other, short]  # most agreement per word
    assert long not in picks[:2]  # says what the short one said, in more words
    assert not (other in picks and echo in picks)  # a near repeat is never picked
