"""The line-level chrome cleaner for text copied out of news pages."""

from __future__ import annotations

import pytest

from briefing.cleaner import clean_lines, clean_paragraphs, is_chrome, is_prose, polish

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


@pytest.mark.parametrize(
    ("residue", "clean"),
    [
        # author hover card glued into a sentence
        ("The minister met Jane Roe Jane Roe Follow View profile on Tuesday in Ankara.",
         "The minister met Jane Roe on Tuesday in Ankara."),
        # browser banner glued to the story's first line
        ("Your browser is not supported. Please upgrade to a modern browser. The council met.",
         "The council met."),
        # leading bullet dash
        ("- The convoy reached the border crossing at dawn.",
         "The convoy reached the border crossing at dawn."),
        ("• The convoy reached the border crossing at dawn.",
         "The convoy reached the border crossing at dawn."),
        # wire datelines at the start of a sentence
        ("BEIRUT (Reuters) - Jets struck two villages overnight.",
         "Jets struck two villages overnight."),
        ("HAMA, Syria (AP) — Shelling eased. LONDON, Dec 1 (Reuters) - Oil rose.",
         "Shelling eased. Oil rose."),
    ],
)
def test_polish_removes_widget_residue(residue: str, clean: str) -> None:
    assert polish(residue) == clean


@pytest.mark.parametrize(
    "prose",
    [
        "Police follow the suspects closely, the chief said.",
        "The U.S. - China talks resumed on Monday.",
        "Analysts said more stories by the agency were expected.",
    ],
)
def test_polish_leaves_ordinary_sentences_alone(prose: str) -> None:
    assert polish(prose) == prose


@pytest.mark.parametrize(
    "line",
    [
        "Your browser is not supported. Please upgrade to a modern browser.",
        "Sponsored by Acme Bank",
        "Promoted Stories",
        "Share on Facebook | Tweet | Share on Telegram",
        "Like this story? Share it with a friend!",
    ],
)
def test_banners_promo_tiles_and_label_bars_are_chrome(line: str) -> None:
    assert is_chrome(line)


def test_related_lead_in_drops_the_list_under_it() -> None:
    kept = clean_paragraphs([
        "The bridge reopened on Friday after three weeks of repairs, officials said.",
        "Related: Floods close the northern crossing",
        "- Council approves repair budget",
        "- Farmers wait for the harvest road",
        "Traffic was heavy on the first morning, and the police added two patrols to keep it moving.",
    ])
    assert kept == [
        "The bridge reopened on Friday after three weeks of repairs, officials said.",
        "Traffic was heavy on the first morning, and the police added two patrols to keep it"
        " moving.",
    ]


def test_widget_date_above_a_menu_does_not_make_the_menu_the_title() -> None:
    cleaned = clean_lines([
        "Monday, July 7, 2025",
        "Land  Sea  Air  Cyber",
        "Navy tests a drone boat off the coast",
        "By Lena Hart",
        "The navy tested an unmanned patrol boat off the coast on Thursday, officials said.",
    ])
    assert cleaned.title == "Navy tests a drone boat off the coast"


LEAD = "The bridge reopened on Friday after three weeks of repairs, officials said."
CLOSE = "Traffic was heavy on the first morning, and police added two patrols to keep it moving."


def test_a_list_of_link_texts_is_dropped_mid_story_and_at_the_end() -> None:
    others = ["Floods close the northern crossing", "Council approves repair budget",
              "Farmers wait for the harvest road"]
    kept = clean_paragraphs([LEAD, *others, CLOSE, *others[:2]], frozenset(others))
    assert kept == [LEAD, CLOSE]


def test_a_list_the_story_introduces_is_kept_even_when_linked() -> None:
    stops = ["July 30 -- Riverside Arena, Dayton", "Aug. 2 -- Lakeside Hall, Toledo"]
    kept = clean_paragraphs([LEAD, "The tour stops at:", *stops], frozenset(stops))
    assert kept[-2:] == stops


def test_the_same_lines_are_kept_when_they_are_not_links() -> None:
    items = ["Better Android support", "Bugs fixed", "New tasks for the game"]
    assert clean_paragraphs([LEAD, *items, CLOSE]) == [LEAD, *items, CLOSE]


@pytest.mark.parametrize(
    "promo",
    [
        "Get River Monthly delivered through your letterbox every month. Click here for more.",
        "Sign up for a free trial of our daily briefing today.",
        "Get access to our market service for as little as $5 a month.",
    ],
)
def test_promotions_in_the_story_column_are_dropped(promo: str) -> None:
    assert clean_paragraphs([LEAD, promo, CLOSE]) == [LEAD, CLOSE]


def test_cms_shortcodes_are_removed_but_editorial_brackets_stay() -> None:
    assert polish('[button link="/submit" type="big"] Send us your photos.') == (
        "Send us your photos."
    )
    assert polish("The mayor said it [the bridge] would reopen.") == (
        "The mayor said it [the bridge] would reopen."
    )


def test_a_contact_box_is_chrome_but_a_story_naming_one_phone_line_is_not() -> None:
    box = ("Our reader service can be reached with any question: Telephone +44 20 7946 0000,"
           " Fax: 020 7946 0001, E-mail: readers@example.org")
    assert is_chrome(box)
    assert not is_chrome("Residents were told to call the council helpline, telephone 0800 123 456,"
                         " if the water stayed brown.")
