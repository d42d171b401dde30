"""The line-level chrome cleaner for text copied out of news pages."""

from __future__ import annotations

import pytest

from briefing.cleaner import clean_lines, is_chrome, is_prose

PAGE = """Skip to content
Tuesday, November 24, 2026
HOME
WORLD
MIDDLE EAST
Top 5 This Week
Rebels retreat from Hama as jets pound villages
What next for Syria's rebels after Hama?
Aid convoys wait at the Turkish border
Damascus tightens its grip on the capital
Oil prices steady after OPEC meeting
Army retakes two hills north of Hama
November 24, 2026 9:12 am
By Omar Saleh
Share via Email
Government forces pushed rebels back from the outskirts of Hama on Tuesday, according to residents.
The ministry did not respond.
Rebel commanders did not respond to requests for comment.
State media reported that the army had retaken two hills about 15 kilometres north of the city.
Related Posts
Fighting flares in Idlib countryside
Turkey calls for calm on its southern border
Omar Saleh is a senior correspondent covering Syria and Iraq, based in Beirut.
LEAVE A REPLY
Please enter your comment!
Please enter your name here
Save my name, email, and website in this browser for the next time I comment.
Popular Articles
Is Assad's army stronger than it looks?
Subscribe to our newsletter
Copyright © 2026 Daily Dispatch Media Ltd. All rights reserved.
"""


def test_story_paragraphs_kept_in_order() -> None:
    cleaned = clean_lines(PAGE.splitlines())
    assert cleaned.paragraphs == [
        "Government forces pushed rebels back from the outskirts of Hama on Tuesday, according"
        " to residents.",
        "The ministry did not respond.",
        "Rebel commanders did not respond to requests for comment.",
        "State media reported that the army had retaken two hills about 15 kilometres north of"
        " the city.",
    ]


def test_title_byline_date_and_site() -> None:
    cleaned = clean_lines(PAGE.splitlines())
    assert cleaned.title == "Army retakes two hills north of Hama"
    assert cleaned.byline == "Omar Saleh"
    assert "November 24, 2026 9:12 am" in cleaned.date_lines
    assert cleaned.site is not None and cleaned.site.startswith("Daily Dispatch")


@pytest.mark.parametrize(
    "line",
    [
        "Top 5 This Week",
        "Related Posts",
        "LEAVE A REPLY",
        "Popular Articles",
        "Please enter your comment!",
        "Tuesday, November 24, 2026",
        "Share on Facebook",
        "Subscribe to our newsletter",
        "ADVERTISEMENT",
        "Save my name, email, and website in this browser for the next time I comment.",
        "Jane Doe is a senior correspondent covering the Levant, based in Amman.",
    ],
)
def test_chrome_lines_recognised(line: str) -> None:
    assert is_chrome(line)


@pytest.mark.parametrize(
    "line",
    [
        "Rebel commanders did not respond to requests for comment.",
        "The reports could not be independently verified.",
        '"We are afraid," one resident said.',
    ],
)
def test_short_story_paragraphs_are_prose(line: str) -> None:
    assert is_prose(line) and not is_chrome(line)


@pytest.mark.parametrize(
    "line",
    [
        "Rebels retreat from Hama as jets pound villages",
        "What Next For Syria's Rebels After Hama?",
        "HOME",
    ],
)
def test_headlines_and_labels_are_not_prose(line: str) -> None:
    assert not is_prose(line)


WRAPPED = """Convoy reaches Aleppo after two-day delay

By Lina Haddad

An aid convoy of 40 trucks reached Aleppo on Tuesday after a two-day
delay at a checkpoint north of the city, according to the local council,
which said the trucks carried flour and medicine.

The council said a second convoy was expected later in the week, and that
bakeries in the eastern districts would reopen on Wednesday.

Residents welcomed the news.
"""


def test_hard_wrapped_paragraphs_are_rejoined() -> None:
    cleaned = clean_lines(WRAPPED.splitlines())
    assert cleaned.paragraphs == [
        "An aid convoy of 40 trucks reached Aleppo on Tuesday after a two-day delay at a"
        " checkpoint north of the city, according to the local council, which said the trucks"
        " carried flour and medicine.",
        "The council said a second convoy was expected later in the week, and that bakeries in"
        " the eastern districts would reopen on Wednesday.",
        "Residents welcomed the news.",
    ]
    assert cleaned.title == "Convoy reaches Aleppo after two-day delay"
