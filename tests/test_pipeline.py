"""The briefing period: 24 hours ending at the end of --date in the configured zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from briefing.models import Article
from briefing.pipeline import select, window


def test_window_ends_at_midnight_utc_by_default() -> None:
    start, end = window(date(2026, 11, 24))
    assert start == datetime(2026, 11, 24, tzinfo=UTC)
    assert end == datetime(2026, 11, 25, tzinfo=UTC)


def test_window_in_another_zone() -> None:
    start, end = window(date(2026, 11, 24), tz="Asia/Damascus")  # UTC+3
    assert end == datetime(2026, 11, 24, 21, tzinfo=UTC)
    assert (end - start).total_seconds() == 24 * 3600


def test_window_ending_now() -> None:
    now = datetime(2026, 11, 25, 6, 30, tzinfo=UTC)
    assert window(None, now) == (datetime(2026, 11, 24, 6, 30, tzinfo=UTC), now)


def test_select_keeps_window_and_undated_only() -> None:
    start, end = window(date(2026, 11, 24))

    def at(when: datetime | None) -> Article:
        return Article(title="t", text="x", published_at=when)

    inside = at(datetime(2026, 11, 24, 0, 0, tzinfo=UTC))  # a date-only page, same day
    before = at(datetime(2026, 11, 23, 23, 59, tzinfo=UTC))
    after = at(datetime(2026, 11, 25, 0, 0, tzinfo=UTC))
    undated = at(None)
    kept, outside = select([inside, before, after, undated], start, end)
    assert kept == [inside, undated] and outside == 2


def test_only_the_leading_developments_are_shown(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from briefing.pipeline import run_today

    # three unrelated events (the example day is one topic, which grouping may keep whole)
    events = json.loads((Path(__file__).parent / "fixtures/grouping/events.json").read_text())
    inbox = tmp_path / "three-events"
    inbox.mkdir()
    for key, item in events.items():
        body = {"title": item["title"], "text": item["text"], "published": "2026-11-24T08:00:00Z",
                "url": f"https://news.example/{key}"}
        (inbox / f"{key}.json").write_text(json.dumps(body), encoding="utf-8")
    limited = settings.model_copy(
        update={"max_developments": 2, "formats": ["json"], "inbox": [inbox]}
    )
    sitrep = run_today(limited, day=date(2026, 11, 24)).sitrep
    assert len(sitrep.developments) == 2
    assert any("smaller developments" in note for note in sitrep.coverage.notes)
    cited = {n for d in sitrep.developments for n in d.sources}
    assert {s.number for s in sitrep.sources} == cited  # no source for a hidden development
