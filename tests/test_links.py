"""The one link helper and the one text normaliser, shared by every stage."""

from __future__ import annotations

import pytest

from briefing.links import bare, canonical_url, defang, has_link, links_in
from briefing.store import text_hash
from briefing.text import fold, normalise


@pytest.mark.parametrize(("text", "found"), [
    ("Details at https://ministry.gov.sy/statement. More later", ["https://ministry.gov.sy/statement"]),
    ("see www.harbour-authority.org for times", ["www.harbour-authority.org"]),
    ("as reported by wire.agency.museum/2026/11/story-9, officials", ["wire.agency.museum/2026/11/story-9"]),
    ("read it on news.test or on radio.example", ["news.test", "radio.example"]),
    ("At 9 a.m. the U.S. envoy met No.4 battalion in St.Petersburg", []),
    ("Inflation rose 3.5 percent, e.g. in food", []),
])
def test_links_are_found_whatever_the_top_level_domain(text: str, found: list[str]) -> None:
    assert links_in(text) == found
    assert has_link(text) is bool(found)


def test_an_email_address_counts_as_a_link_to_avoid() -> None:
    assert has_link("write to desk@press.agency.org for the text")
    assert links_in("write to desk@press.agency.org for the text") == []


def test_defang_breaks_what_a_mail_client_would_link() -> None:
    title = "Report at https://x.test/a and www.y.test"
    assert "://" not in defang(title) and "www." not in defang(title)
    assert defang(title).replace("\u200b", "") == title


def test_bare_and_canonical_keys() -> None:
    assert bare("https://www.News.test/story/") == "news.test/story"
    assert canonical_url("https://www.news.test/story/?utm_source=x&id=4#top") == (
        "https://news.test/story?id=4"
    )


def test_one_normaliser_for_quotes_dashes_spaces_and_invisibles() -> None:
    typed = "The \u201cceasefire\u201d held\u00a0\u2014 mostly\u200b."
    assert normalise(typed) == 'The "ceasefire" held - mostly.'
    assert fold("CEASEFIRE  Held") == "ceasefire held"


def test_the_text_hash_ignores_typography() -> None:
    assert text_hash("The \u201cport\u201d is closed.") == text_hash('the "port" is  closed')
