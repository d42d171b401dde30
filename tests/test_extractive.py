"""The extractive backend's invariants on the example day."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.backends.extractive import BIG_EXTRA, ExtractiveBackend
from briefing.config import Settings
from briefing.group import group
from briefing.models import Article, Summary, SummaryOptions
from briefing.pipeline import extract_all
from briefing.sources.inbox import collect
from briefing.store import Store
from briefing.text import fold


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> tuple[Summary, dict[str, Article]]:
    from tests.conftest import EXAMPLES

    documents, skipped = collect([EXAMPLES])
    with Store(tmp_path_factory.mktemp("db") / "b.db") as store:
        articles = store.articles(extract_all(documents, store, skipped))
    developments = group(articles)
    summary = ExtractiveBackend().summarise(developments, SummaryOptions(takeaways=5))
    return summary, {a.id: a for a in articles}


def _statements(summary: Summary) -> list:  # type: ignore[type-arg]
    out = list(summary.takeaways) + list(summary.outlook)
    for dev in summary.developments:
        out += [*dev.points, *dev.conflicts]
    return out


def test_every_statement_occurs_verbatim_in_each_cited_source(day) -> None:  # type: ignore[no-untyped-def]
    summary, articles = day
    for statement in _statements(summary):
        assert statement.citations, statement.text
        for citation in statement.citations:
            assert statement.text in articles[citation.article_id].text


def test_headlines_are_source_titles(day) -> None:  # type: ignore[no-untyped-def]
    summary, articles = day
    for dev in summary.developments:
        assert dev.headline.citations
        for citation in dev.headline.citations:
            assert articles[citation.article_id].title == dev.headline.text


def test_no_sentence_twice(day) -> None:  # type: ignore[no-untyped-def]
    summary, _ = day
    texts = [fold(s.text) for s in _statements(summary)]
    assert len(texts) == len(set(texts))


def test_counts_within_bounds(day) -> None:  # type: ignore[no-untyped-def]
    summary, _ = day
    assert 3 <= len(summary.takeaways) <= 7
    for dev in summary.developments:
        # max_points (5), and up to BIG_EXTRA more for a development of many stories
        assert 1 <= len(dev.points) <= 5 + BIG_EXTRA


def test_syndicated_sentence_cites_every_copy(day) -> None:  # type: ignore[no-untyped-def]
    summary, articles = day
    # identical copies are one stored article with several sources; near-copies are separate
    carried = [
        s
        for s in _statements(summary)
        if sum(len(articles[c.article_id].sources) for c in s.citations) >= 3
    ]
    assert carried, "a sentence of the wire story carried by three sites cites all three"


def test_attribution_kept(day) -> None:  # type: ignore[no-untyped-def]
    summary, _ = day
    texts = " ".join(s.text for s in _statements(summary))
    assert "according to" in texts or "said" in texts


def test_injected_text_never_selected(day) -> None:  # type: ignore[no-untyped-def]
    summary, _ = day
    for statement in _statements(summary):
        assert "instruction" not in statement.text.lower()
        assert "evil.example" not in statement.text


def test_url_sentences_are_not_quoted() -> None:
    body = (
        "Officials said the convoy reached the city on Monday after a long delay on the road."
        " More details are at https://spam.example/offer for readers who want them today."
        " The governor said aid would continue to arrive through the week as planned."
    )
    article = Article(id="a1", title="Convoy arrives", text=body)
    summary = ExtractiveBackend().summarise(group([article]), SummaryOptions())
    assert all("http" not in s.text for s in _statements(summary))


def test_settings_default_backend_is_extractive_without_key() -> None:
    assert Settings().resolved_backend() == "extractive"
    assert Settings(llm={"base_url": "http://127.0.0.1:8000/v1"}).resolved_backend() == "openai"


def test_summaries_written_for_every_development(tmp_path: Path, day) -> None:  # type: ignore[no-untyped-def]
    summary, articles = day
    assert len(summary.developments) == len(group(list(articles.values())))
