"""Verification: quotes verbatim after normalisation, numbers in the source, no foreign links."""

from __future__ import annotations

import pytest

from briefing.models import (
    Article,
    Citation,
    DevelopmentSummary,
    KeyFigure,
    SourceKind,
    SourceRef,
    Statement,
    Summary,
)
from briefing.verify import check_statement, numbers_in, quote_found, source_urls, verify

ARTICLE = Article(
    id="a1",
    title="Floods force 12,000 from homes",
    text=(
        "Heavy rain sent the river over its banks on Monday, forcing 12,000 people from their "
        "homes, the emergency office said.\n\nThe office said 3 people had died and 41 were "
        "injured. “We are stretched,” the mayor said — adding that 2.5 km of levee failed."
    ),
    url="https://valley-post.example/floods",
    sources=[SourceRef(kind=SourceKind.FEED, location="feed", url="https://feeds.example/x")],
)
BY_ID = {"a1": ARTICLE}
URLS = source_urls([ARTICLE])


def st(text: str, quote: str | None = None, article_id: str = "a1") -> Statement:
    return Statement(text=text, citations=[Citation(article_id=article_id, quote=quote)])


@pytest.mark.parametrize(
    "quote",
    [
        "forcing 12,000 people from their homes",
        "forcing  12,000\npeople from their homes",  # whitespace differs
        '"We are stretched," the mayor said - adding',  # straight quotes and hyphen
        "Heavy rain sent the river … 12,000 people from their homes",  # ellipsis, in order
        "Floods force 12,000 from homes",  # the title is quotable
        "forcing\u00a012,000 people",  # no-break space
    ],
)
def test_quotes_found_after_normalisation(quote: str) -> None:
    assert quote_found(quote, f"{ARTICLE.title}\n\n{ARTICLE.text}")


@pytest.mark.parametrize(
    "quote",
    [
        "forcing 12,000 residents from their homes",  # a word changed
        "12,000 people from their homes … Heavy rain",  # ellipsis out of order
        "said",  # too short to mean anything
        "",
    ],
)
def test_fabricated_or_empty_quotes_not_found(quote: str) -> None:
    assert not quote_found(quote, ARTICLE.text)


def test_numbers_are_compared_without_separators() -> None:
    assert numbers_in("12,000 people and 2.5 km, 1.200 cars") == {"12000", "2.5", "1200"}


@pytest.mark.parametrize(
    ("statement", "reason"),
    [
        (st("12,000 people left their homes.", "forcing 12,000 people from their homes"), None),
        (st("Rain forced people out.", "Heavy rain sent the river over its banks"), None),
        (st("15,000 people left their homes.", "forcing 12,000 people from their homes"),
         "number 15000"),
        (st("People left.", "forcing 20,000 people from their homes"), "quote not found"),
        (st("People left.", "forcing 12,000 people", article_id="zz"), "unknown article"),
        (Statement(text="People left.", citations=[]), "no citation"),
        (st("Heavy rain sent the river over its banks on Monday"), None),  # verbatim itself
        (st("The river burst its banks"), "no verbatim support"),
        (st("See https://evil.example/x", "Heavy rain sent the river over its banks"),
         "link https://evil.example/x"),
        (st("See valley-post.example/floods", "Heavy rain sent the river over its banks"),
         None),
    ],
)
def test_check_statement(statement: Statement, reason: str | None) -> None:
    result = check_statement(statement, BY_ID, URLS)
    if reason is None:
        assert result is None
    else:
        assert result is not None and reason in result


def summary_with(*points: Statement, headline: Statement | None = None) -> Summary:
    good = st("Floods forced 12,000 from homes.", "forcing 12,000 people from their homes")
    return Summary(
        backend="test",
        developments=[DevelopmentSummary(
            development_id="d1", headline=headline or good, points=list(points),
            figures=[KeyFigure(value="41", context="41 were injured",
                               citations=[Citation(article_id="a1", quote="41 were injured")]),
                     KeyFigure(value="99", context="99 were injured",
                               citations=[Citation(article_id="a1", quote="99 were injured")])],
        )],
        takeaways=[good, st("The city has fallen.", "The city has fallen, officials said")],
        outlook=[st("More rain at https://evil.example", "Heavy rain sent the river")],
    )


BAD = st("3 people died and 99 were hurt.", "The office said 3 people had died")


def test_drop_mode_removes_and_counts_failures() -> None:
    checked = verify(summary_with(BAD), [ARTICLE], "drop")
    assert checked.developments[0].points == []
    assert [f.value for f in checked.developments[0].figures] == ["41"]
    assert [t.text for t in checked.takeaways] == ["Floods forced 12,000 from homes."]
    assert checked.outlook == []
    assert checked.dropped_claims == 4 and checked.unverified_claims == 0
    assert "fallen" not in checked.model_dump_json()


def test_mark_mode_keeps_failures_marked() -> None:
    checked = verify(summary_with(BAD), [ARTICLE], "mark")
    assert [p.verified for p in checked.developments[0].points] == [False]
    assert [t.verified for t in checked.takeaways] == [True, False]
    assert checked.unverified_claims == 3 and checked.dropped_claims == 1  # the bad figure


def test_a_failed_headline_is_replaced_by_a_verified_point() -> None:
    good = st("41 were injured.", "41 were injured")
    checked = verify(summary_with(good, headline=BAD), [ARTICLE], "drop")
    assert checked.developments[0].headline.text == "41 were injured."
    assert checked.developments[0].points == []


def test_a_development_with_nothing_verified_is_dropped() -> None:
    checked = verify(summary_with(headline=BAD), [ARTICLE], "drop")
    assert checked.developments == []


def test_widen_citations_adds_every_copy_carrying_the_quote() -> None:
    from briefing.models import (
        Citation,
        Development,
        DevelopmentSummary,
        Statement,
        Story,
        Summary,
    )
    from briefing.verify import widen_citations

    wire = ("Government forces pushed rebels back from Hama on Tuesday, residents said.\n\n"
            "At least 27 people were killed in overnight strikes, a monitor said.")
    copies = [Article(id=i, title=f"copy {i}", text=wire + extra)
              for i, extra in (("a", ""), ("b", "\n\nUpdated at 10:40."), ("c", ""))]
    other = Article(id="d", title="other", text="A different story about Damascus checkpoints.")
    quote = "At least 27 people were killed in overnight strikes"
    point = Statement(text="At least 27 people were killed.", citations=[
        Citation(article_id="a", quote=quote)])
    summary = Summary(backend="openai", developments=[DevelopmentSummary(
        development_id="x", headline=point, points=[point])], takeaways=[point])
    developments = [Development(id="x", stories=[Story(articles=copies), Story(articles=[other])])]
    widened = widen_citations(summary, developments)
    for statement in (widened.takeaways[0], widened.developments[0].points[0]):
        assert sorted(c.article_id for c in statement.citations) == ["a", "b", "c"]
