"""Every source's documents take one path: read_document (with its stand-in), then admit."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from briefing.config import load_settings
from briefing.errors import SourceError
from briefing.extract import extract_many, read_document
from briefing.models import FEED_SUMMARY_NOTE, Article, DateSource, RawDocument, SourceKind
from briefing.prepare import DayRequest, prepare_day
from briefing.sources.base import admit, skipped_entry
from briefing.store import Store

DAY = date(2026, 11, 24)
STORY = (
    "The coastal shipping line restarted its ferry service to the northern islands on"
    " Tuesday after three days of gales kept every vessel in port. Harbour officials said"
    " the first crossing carried 212 passengers and a cargo of medical supplies, fuel and"
    " flour for the island clinics, which had run short during the storm."
)
SUMMARY = "Ferries to the northern islands sailed again on Tuesday after three days of gales."


def page(location: str, body: str, **fields: object) -> RawDocument:
    html = "<html><head><title>Ferries resume</title></head><body><article><h1>Ferries resume"
    html += f"</h1><p>{body}</p></article></body></html>"
    return RawDocument(kind=SourceKind.FEED, location=location, media_type="html",
                       content=html.encode(), **fields)  # type: ignore[arg-type]


def summary_of(location: str) -> RawDocument:
    return page(location, SUMMARY, summary_only=True, feed_title="Ferries resume",
                published_at=datetime(2026, 11, 24, 8, tzinfo=UTC), date_source=DateSource.FEED)


def test_a_page_too_thin_to_brief_gives_way_to_its_stand_in() -> None:
    location = "https://ferries.test/news/resume"
    thin = page(location, "Subscribe to read.", stand_in=summary_of(location))
    read = read_document(thin)
    assert read.document == thin.stand_in
    assert isinstance(read.outcome, Article)
    assert FEED_SUMMARY_NOTE in read.outcome.notes and "three days of gales" in read.outcome.text


def test_a_readable_page_never_uses_its_stand_in() -> None:
    location = "https://ferries.test/news/resume"
    read = read_document(page(location, STORY, stand_in=summary_of(location)))
    assert read.document.stand_in is not None  # the page itself was read
    assert isinstance(read.outcome, Article) and FEED_SUMMARY_NOTE not in read.outcome.notes


def test_when_both_fail_the_page_s_own_reason_is_reported() -> None:
    location = "https://ferries.test/news/resume"
    empty_summary = page(location, "Ferries.", summary_only=True)
    read = read_document(page(location, "Subscribe to read.", stand_in=empty_summary))
    assert isinstance(read.outcome, SourceError)
    assert "too little article text" in read.outcome.reason_for(location)


def test_an_extractor_that_raises_costs_that_document_only() -> None:
    def broken(raw: RawDocument) -> Article | SourceError:
        raise ValueError("table parser tripped")

    read = read_document(page("https://ferries.test/a", STORY), extract=broken)
    assert isinstance(read.outcome, SourceError)
    assert read.outcome.reason == "extraction failed (ValueError: table parser tripped)"
    assert read.outcome.location == "https://ferries.test/a"


def test_admit_stores_once_and_names_failures(tmp_path: Path) -> None:
    good = page("https://ferries.test/a", STORY)
    copy = page("https://mirror.test/a", STORY)
    bad = page("https://ferries.test/b", "Too short.")
    with Store(tmp_path / "brief.db") as store:
        first = admit(store, good, read_document(good))
        again = admit(store, copy, read_document(copy))
        failed = admit(store, bad, read_document(bad))
        assert first.new and not again.new and first.article_id == again.article_id
        assert store.count() == 1
    assert failed.article_id is None
    entry = skipped_entry(failed)
    assert entry.location == "https://ferries.test/b" and entry.reason.startswith("too little")


def test_local_documents_take_the_same_stand_in_policy(tmp_path: Path) -> None:
    # A caller's document with a stand-in is briefed from it, as a feed item would be.
    location = "https://ferries.test/news/resume"
    given = page(location, "Subscribe to read.", stand_in=summary_of(location))
    [(_, outcome)] = list(extract_many([given]))
    assert isinstance(outcome, Article) and FEED_SUMMARY_NOTE in outcome.notes
    settings = load_settings(None, {
        "inbox": [], "out_dir": tmp_path / "out", "db_path": tmp_path / "brief.db",
        "backend": "extractive", "formats": ["md"],
    }, env={})
    day = prepare_day(settings, DayRequest(day=DAY, fetch_sources=False,
                                           extra_documents=(given,)))
    [article] = day.articles
    assert FEED_SUMMARY_NOTE in article.notes and day.coverage.skipped == []
