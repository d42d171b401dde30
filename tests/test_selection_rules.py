"""The extractive backend's sentence rules and topic focus, each on a small fixture of our own."""

from __future__ import annotations

from datetime import UTC, datetime

from briefing.backends.extractive import ExtractiveBackend
from briefing.backends.figures import figure_matches, outlook, outlook_sentence
from briefing.backends.ranking import Candidate, quote_whole
from briefing.models import (
    Article,
    Development,
    SourceKind,
    SourceRef,
    Story,
    Summary,
    SummaryOptions,
)
from briefing.text import fold

NOON = datetime(2026, 3, 4, 12, tzinfo=UTC)


def _article(id_: str, title: str, text: str, site: str, hour: int = 12) -> Article:
    return Article(id=id_, title=title, text=text, site=site, language="en",
                   published_at=NOON.replace(hour=hour),
                   sources=[SourceRef(kind=SourceKind.INBOX, location=f"{id_}.txt", site=site)])


FLOOD_A = _article("f1", "River Tana floods force thousands from homes in Garissa county", (
    "The Tana River burst its banks near Garissa on Tuesday, forcing at least 4,000 residents "
    "from their homes, the Kenya Red Cross said.\n\n"
    "County officials said 12 people had drowned and 30 villages were cut off by the water.\n\n"
    "\"We have moved every family we could reach before nightfall,\" said Ahmed Noor, the county "
    "disaster coordinator.\n\n"
    "The county assembly will meet on Thursday to vote on an emergency budget.\n\n"
    "The government will study the matter."), "wire.example")
FLOOD_B = _article("f2", "Garissa flood toll rises", (
    "Kenya's interior ministry said 19 people had drowned in Garissa county since Tuesday, "
    "a higher toll than local officials gave.\n\n"
    "Aid agencies said roads to 30 villages remained under water on Wednesday morning.\n\n"
    "\"It is worse than 2023,\" he said."), "daily.example", hour=15)
FEATURE = _article("h1", "Life on the riverbank: a fisherman remembers", (
    "What does a river mean to a man who has fished it for forty years?\n\n"
    "I walked with him along the bank as the light faded over the water.\n\n"
    "We talked about his father, his nets and the songs his mother sang in the evening."),
    "magazine.example", hour=16)
BUDGET = _article("b1", "Parliament passes fuel levy cut after long debate", (
    "Kenya's parliament voted 201 to 87 on Tuesday to cut the fuel levy by 5 shillings a litre, "
    "the speaker announced.\n\n"
    "The treasury said the cut would cost about 9 billion shillings in revenue this year."),
    "wire.example", hour=10)


def _day(*developments: list[Article], **options: object) -> Summary:
    devs = [Development(id=f"d{i}", stories=[Story(articles=[a]) for a in arts])
            for i, arts in enumerate(developments)]
    return ExtractiveBackend().summarise(devs, SummaryOptions(**options))  # type: ignore[arg-type]


def _all_texts(summary: Summary) -> list[str]:
    texts = [s.text for s in [*summary.takeaways, *summary.outlook]]
    for dev in summary.developments:
        texts += [dev.headline.text, *(p.text for p in dev.points), *(c.text for c in dev.conflicts)]
    return texts


def test_takeaways_are_whole_sentences_never_headlines() -> None:
    summary = _day([FLOOD_A, FLOOD_B], [BUDGET], [FEATURE])
    titles = {fold(a.title) for a in (FLOOD_A, FLOOD_B, BUDGET, FEATURE)}
    assert summary.takeaways
    for takeaway in summary.takeaways:
        assert takeaway.text.rstrip().endswith((".", "!", "”", '"'))
        assert fold(takeaway.text) not in titles
        assert len(takeaway.text.split()) >= 8


def test_headlines_are_short() -> None:
    long_title = _article("l1", "Officials in the northern county of Garissa say that the flooding "
                          "of the Tana River this week has forced thousands of families to flee", (
                              FLOOD_A.text), "long.example")
    summary = _day([long_title])
    headline = summary.developments[0].headline
    assert len(headline.text.split()) <= 13
    assert headline.citations[0].quote and headline.citations[0].quote.rstrip(" …") in long_title.title


def test_no_sentence_appears_twice_anywhere() -> None:
    copy = _article("f3", "River Tana floods force thousands from homes in Garissa county",
                    FLOOD_A.text, "mirror.example", hour=13)
    summary = _day([FLOOD_A, copy, FLOOD_B], [BUDGET], takeaways=7, max_points=5)
    texts = [fold(t) for t in _all_texts(summary)]
    assert len(texts) == len(set(texts))


def test_quotes_are_whole_and_keep_their_speaker() -> None:
    assert quote_whole('"We have moved every family we could reach before nightfall," said Ahmed Noor.')
    assert not quote_whole('"It is worse than what we saw two years ago here," he said.')
    assert not quote_whole('"We have moved every family we could reach before')
    assert quote_whole('The minister called the plan a "disaster" for farmers.')
    summary = _day([FLOOD_A, FLOOD_B], takeaways=7, max_points=5)
    texts = " ".join(_all_texts(summary))
    assert "he said" not in texts
    for text in _all_texts(summary):
        assert text.count('"') % 2 == 0


def test_what_to_watch_is_scheduled_and_says_when() -> None:
    assert outlook_sentence("The county assembly will meet on Thursday to vote on an emergency budget.")
    assert outlook_sentence("Ministers are due to sign the accord next week.")
    assert outlook_sentence("The final vote next week could decide the matter.")
    assert not outlook_sentence("The government will study the matter.")
    assert not outlook_sentence("Officials said on Monday that the bridge had reopened.")
    summary = _day([FLOOD_A, FLOOD_B], max_points=2, takeaways=3)
    watch = [s.text for s in summary.outlook]
    assert all(outlook_sentence(t) for t in watch)
    assert "The government will study the matter." not in watch


def test_key_figures_say_what_they_count_and_cite_a_source() -> None:
    found = [m.group("number") for m in figure_matches(
        "On March 3, 2026 at 9 a.m. some 4,000 residents fled and 12 people drowned, aged 40.")]
    assert found == ["4,000", "12"]
    assert not figure_matches("The accord was signed in 2019 after talks.")
    summary = _day([FLOOD_A, FLOOD_B], [BUDGET])
    figures = [f for d in summary.developments for f in d.figures]
    assert figures
    for figure in figures:
        assert any(c.isdigit() for c in figure.value)
        assert any(c.isalpha() for c in figure.value.split()[-1])  # what it counts
        assert figure.citations and figure.context


def test_disagreeing_figures_are_contested_claims() -> None:
    summary = _day([FLOOD_A, FLOOD_B])
    conflicts = summary.developments[0].conflicts
    assert {c.citations[0].article_id for c in conflicts} == {"f1", "f2"}
    assert any("12 people" in c.text for c in conflicts) and any("19 people" in c.text for c in conflicts)


def test_hard_news_from_several_sources_leads_a_feature() -> None:
    summary = _day([FEATURE], [FLOOD_A, FLOOD_B])
    assert summary.developments[0].development_id == "d1"
    assert not any("I walked" in t.text for t in summary.takeaways[:1])


def test_focus_ranks_the_relevant_development_first_and_flags_watchlist() -> None:
    summary = _day([FLOOD_A, FLOOD_B], [BUDGET], focus=["fuel levy", "treasury"])
    assert summary.developments[0].development_id == "d1"
    assert summary.developments[0].notes == ["watchlist: fuel levy, treasury"]
    assert summary.developments[1].notes == []
    assert summary.focus == ["fuel levy", "treasury"]
    unfocused = _day([FLOOD_A, FLOOD_B], [BUDGET])
    assert unfocused.developments[0].development_id == "d0"
    assert unfocused.focus == []


def test_focus_paragraph_ranks_sentences() -> None:
    paragraph = "Which roads remained under water, according to aid agencies?"
    focused = _day([FLOOD_A, FLOOD_B], focus=paragraph, takeaways=3)
    assert focused.takeaways[0].text.startswith("Aid agencies said roads")
    unfocused = _day([FLOOD_A, FLOOD_B], takeaways=3)
    assert not unfocused.takeaways[0].text.startswith("Aid agencies said roads")


RAIN = "Heavy rain fell across the low ground through the night and into the morning."
STORM_A = _article("r1", "Storm floods the Lower Kessel plain", (
    f"{RAIN}\n\nThe regional water board opened the Kessel spillway at dawn, the board said."),
    "wire.example")
STORM_B = _article("r2", "Kessel spillway opened as storm hits", (
    f"{RAIN}\n\nFirefighters evacuated 300 residents of Marn by boat, the mayor told reporters."),
    "daily.example", hour=13)


def test_a_takeaway_names_who_acted() -> None:
    summary = _day([STORM_A, STORM_B], takeaways=3)
    told = [s.text for s in summary.takeaways] + [p.text for p in summary.developments[0].points]
    assert RAIN in told  # both reports carry it, so it is told...
    assert RAIN not in [t.text for t in summary.takeaways]  # ...but it names no one: no takeaway
    assert summary.takeaways


def test_the_headline_comes_from_a_report_in_the_briefing_language() -> None:
    french = Article(id="fr", title="Crue de la Tana : des milliers de familles évacuées à Garissa",
                     text=FLOOD_A.text, site="fr.example", language="fr", published_at=NOON,
                     sources=[SourceRef(kind=SourceKind.INBOX, location="fr.txt")])
    dev = Development(id="d0", stories=[Story(articles=[french]), Story(articles=[FLOOD_B])])
    summary = ExtractiveBackend().summarise([dev], SummaryOptions())
    assert summary.developments[0].headline.text == FLOOD_B.title
    in_french = ExtractiveBackend().summarise([dev], SummaryOptions(language="fr"))
    assert in_french.developments[0].headline.text.startswith("Crue de la Tana")


def test_what_to_watch_is_never_guessed_in_another_language() -> None:
    # German "will" means "wants": the English signals must not read it as a future
    german = "Die Regierung will bis 2027 die Steuern für kleine Betriebe deutlich senken."
    english = "The government will cut taxes for small firms by 2027, the minister said."
    pool = [Candidate(german, ["de1"], 0, "de"), Candidate(english, ["en1"], 1, "en")]
    assert [c.text for c in outlook([pool], set())] == [english]
