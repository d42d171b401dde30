"""Key figures read as a number with what it counts; a big development tells its sub-stories."""

from __future__ import annotations

from datetime import UTC, datetime

from briefing.backends.extractive import ExtractiveBackend
from briefing.backends.figures import labelled_figure
from briefing.models import Article, Development, SourceKind, SourceRef, Story, SummaryOptions
from briefing.text import normalise
from briefing.verify import verify

MORNING = datetime(2027, 2, 9, 8, tzinfo=UTC)


def _article(id_: str, title: str, text: str, hour: int) -> Article:
    return Article(id=id_, title=title, text=text, site=f"{id_}.example", language="en",
                   published_at=MORNING.replace(hour=hour),
                   sources=[SourceRef(kind=SourceKind.INBOX, location=f"{id_}.txt")])


STORM = [
    _article("s1", "Ice storm leaves valley towns without power", (
        "More than 3,500 households have lost power across the Ostrava valley since Sunday "
        "night, the regional utility said on Monday.\n\n"
        "Crews from three neighbouring regions were sent to repair fallen lines."), 8),
    _article("s2", "Hospital counts storm injuries", (
        "The regional hospital put the number of people treated for falls on ice since Sunday "
        "at 212, including 40 children, its director said.\n\n"
        "Surgeons postponed planned operations to keep beds free."), 9),
    _article("s3", "Rail line closed after trees fall on tracks", (
        "The rail operator closed the line between Ostrava and Opava on Monday after about "
        "60 trees fell across the tracks.\n\n"
        "Replacement buses will run until Thursday, the operator said."), 10),
    _article("s4", "Schools shut as roads freeze", (
        "The regional council shut 48 schools on Monday because buses could not reach "
        "villages on the frozen hill roads.\n\n"
        "Parents were told to expect the closures to last two more days."), 11),
    _article("s5", "Farmers fear for orchards after the freeze", (
        "Fruit growers in the valley said the ice had broken branches in orchards that took "
        "decades to grow.\n\n"
        "The farmers' union asked the ministry for emergency help with the clearing work."), 12),
    _article("s6", "Power company asks for patience", (
        "The utility's chief executive said most homes would be reconnected within two days "
        "but warned that remote farms could wait a week.\n\n"
        "Generators were lent to two care homes overnight."), 13),
    _article("s7", "Volunteers clear pavements in the old town", (
        "Hundreds of volunteers cleared ice from the pavements of the old town on Monday "
        "morning, answering a call from the mayor.\n\n"
        "Shops handed out grit and hot tea."), 14),
]


def test_a_figure_is_the_number_with_its_noun_and_what_it_counts() -> None:
    value, counts, context = labelled_figure(
        "More than 3,500 households have lost power across the Ostrava valley since Sunday "
        "night, the regional utility said on Monday.") or ("", "", "")
    assert value == "More than 3,500 households"  # no trailing "have"
    assert counts == "lost power across the Ostrava valley since Sunday night"
    assert context.startswith(value) and counts in context


def test_a_bare_number_takes_the_measure_it_gives_not_a_dangling_clause() -> None:
    found = labelled_figure("The regional hospital put the number of people treated for falls "
                            "on ice since Sunday at 212, including 40 children, its director said.")
    assert found is not None
    value, counts, _ = found
    assert value == "212"
    assert counts == "number of people treated for falls on ice since Sunday"


def test_words_after_a_conjunction_never_say_what_a_number_counts() -> None:
    _, counts, _ = labelled_figure(
        "The agency said it had sent water filters and blankets for 8,000 people and was "
        "opening two more shelters.") or ("", "", "")
    assert "shelters" not in counts and "water filters and blankets" in counts
    _, counts, _ = labelled_figure(
        "The mayor said about 300 homes in the lower town had flooded and that the bridge "
        "would stay shut.") or ("", "", "")
    assert counts == "in the lower town had flooded"


def test_a_sentence_opening_the_number_of_takes_that_measure() -> None:
    found = labelled_figure("The number of families sheltering in schools in Ostrava has risen "
                            "to about 2,400, the city said, up from 900 a day earlier.")
    assert found is not None
    value, counts, _ = found
    assert value == "about 2,400"
    assert counts.startswith("number of families sheltering in schools")


def test_a_distance_that_says_where_is_no_key_figure() -> None:
    assert labelled_figure("Army units were now about 20 kilometres north of the city, "
                           "the monitor said.") is None
    found = labelled_figure("The convoy covered 300 kilometres of mountain road in two days.")
    assert found is not None and found[0].startswith("300 kilometres")


def test_a_number_with_nothing_said_about_it_is_no_key_figure() -> None:
    assert labelled_figure("The line reopened in 2019, at 9 a.m.") is None
    assert labelled_figure("Twelve were hurt, including 40 children.") is None


def test_key_figures_of_a_development_never_repeat_their_label_and_survive_verification() -> None:
    development = Development(id="storm", stories=[Story(articles=[a]) for a in STORM])
    summary = ExtractiveBackend().summarise([development], SummaryOptions(max_points=5))
    figures = summary.developments[0].figures
    assert len(figures) >= 3
    stop = {"have", "has", "had", "were", "was", "are", "is", "including", "of", "and"}
    for figure in figures:
        assert figure.value.split()[-1].casefold() not in stop
        assert figure.counts and figure.value not in figure.counts
        assert normalise(figure.counts.removesuffix(" …")) in normalise(figure.context)
    checked = verify(summary, STORM)
    assert [f.value for f in checked.developments[0].figures] == [f.value for f in figures]


def test_a_development_of_many_stories_tells_its_sub_stories() -> None:
    big = Development(id="storm", stories=[Story(articles=[a]) for a in STORM])
    summary = ExtractiveBackend().summarise([big], SummaryOptions(max_points=5))
    points = summary.developments[0].points
    assert len(points) >= 3  # its best sentences lead as takeaways; the rest still tell it
    told = [*summary.takeaways, *points]
    sources = {c.article_id for s in told for c in s.citations}
    assert len(sources) >= 6  # one sub-story each, not many sentences of one report


def test_thousands_grouped_by_spaces_are_one_number_in_any_language() -> None:
    for space in (" ", "\u202f", "\u00a0"):
        sentence = f"Le directeur a indiqué que 12{space}000 tonnes de blé avaient brûlé dans les silos."
        found = labelled_figure(sentence, "fr")
        assert found is not None and found[0].split() == ["12", "000", "tonnes"]
        assert found[1].startswith("de blé")
    assert labelled_figure("Le 12 mars, la grève a touché 48 écoles de la région.", "fr") == (
        "48 écoles", "de la région", "la grève a touché 48 écoles de la région")
    # English groups with commas: a plain space between two numbers is not a separator
    found = labelled_figure("On May 5 300 protesters marched through the town to the square.", "en")
    assert found is not None and found[0].startswith("300 ")


def test_a_thin_space_figure_survives_verification() -> None:
    french = Article(id="fr1", title="Incendie au port", site="fr.example", language="fr",
                     published_at=MORNING, text=(
                         "Un incendie a détruit 12\u202f000 tonnes de blé stockées dans les silos du "
                         "port, selon la direction du port.\n\nLes pompiers ont lutté toute la nuit."),
                     sources=[SourceRef(kind=SourceKind.INBOX, location="fr1.txt")])
    summary = ExtractiveBackend().summarise([Development(id="d", stories=[Story(articles=[french])])],
                                            SummaryOptions(language="fr"))
    figures = verify(summary, [french]).developments[0].figures
    assert [f.value.split() for f in figures] == [["12", "000", "tonnes"]]
