"""prepare_day: the one path from sources to the typed Day that run, estimate and send use."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from briefing.config import Settings, load_settings
from briefing.errors import NothingToReportError
from briefing.estimate import estimate, estimate_today
from briefing.models import DateSource, Skipped
from briefing.pipeline import run_today
from briefing.prepare import nothing_message, prepare_day
from briefing.sources.report import SourceReport, SourceStatus

DAY = date(2026, 11, 24)

# Three unrelated events, each told in enough words to pass the length check.
STORIES = {
    "ferry": (
        "Ferry service to the northern islands resumes after storm",
        "The coastal shipping line restarted its ferry service to the northern islands on"
        " Tuesday after three days of gales kept every vessel in port. Harbour officials said"
        " the first crossing carried 212 passengers and a cargo of medical supplies, fuel and"
        " flour for the island clinics, which had run short during the storm.",
    ),
    "vaccines": (
        "Measles vaccination drive reaches remote mountain districts",
        "Health workers carried measles vaccines on mules into four mountain districts where"
        " clinics have been closed since the spring. The ministry said 9,400 children were"
        " vaccinated in the first week and that cold boxes powered by solar panels kept the"
        " doses usable for the long walk between villages.",
    ),
    "mine": (
        "Copper mine strike ends with a wage agreement",
        "Miners at the largest copper pit in the province returned to work after their union"
        " signed a wage agreement with the operator. The deal raises basic pay by eleven"
        " percent over two years and adds a night-shift allowance, ending a stoppage that had"
        " halted ore shipments to the smelter for nineteen days.",
    ),
}


def _write(inbox: Path, name: str, published: str) -> Path:
    title, body = STORIES[name]
    path = inbox / f"{name}.html"
    path.write_text(
        f"<html><head><title>{title}</title>"
        f'<meta property="article:published_time" content="{published}"></head>'
        f"<body><article><h1>{title}</h1><p>{body}</p></article></body></html>",
        encoding="utf-8",
    )
    return path


def _settings(tmp_path: Path, inbox: Path, **extra: object) -> Settings:
    return load_settings(None, {
        "inbox": [inbox], "out_dir": tmp_path / "out", "db_path": tmp_path / "brief.db",
        "backend": "extractive", "formats": ["md"], **extra,
    }, env={})


def test_the_day_is_typed_and_names_what_it_left_out(tmp_path: Path, inbox: Path) -> None:
    _write(inbox, "ferry", "2026-11-24T09:00:00+00:00")
    _write(inbox, "vaccines", "2026-11-24T15:30:00+00:00")
    old = _write(inbox, "mine", "2026-11-02T08:00:00+00:00")
    day = prepare_day(_settings(tmp_path, inbox), DAY)
    assert day.label == "2026-11-24"
    assert {a.title for a in day.articles} == {STORIES["ferry"][0], STORIES["vaccines"][0]}
    assert len(day.developments) == 2
    [left] = day.coverage.left_out
    assert left.location == str(old) and left.date_source is DateSource.META
    assert left.published_at is not None and left.published_at.date() == date(2026, 11, 2)
    assert day.coverage.out_of_window == 1


def test_the_briefing_names_the_out_of_window_file(tmp_path: Path, inbox: Path) -> None:
    _write(inbox, "ferry", "2026-11-24T09:00:00+00:00")
    old = _write(inbox, "mine", "2026-11-02T08:00:00+00:00")
    result = run_today(_settings(tmp_path, inbox), day=DAY)
    markdown = result.paths["md"].read_text(encoding="utf-8")
    line = next(line for line in markdown.splitlines() if old.name in line)
    assert "2026-11-02" in line and "(from meta)" in line


def test_the_period_follows_the_configured_time_zone(tmp_path: Path, inbox: Path) -> None:
    # 22:30 UTC on the 24th is already the 25th in Damascus (UTC+3).
    _write(inbox, "ferry", "2026-11-24T22:30:00+00:00")
    _write(inbox, "vaccines", "2026-11-24T12:00:00+00:00")
    utc = prepare_day(_settings(tmp_path, inbox), DAY)
    local = prepare_day(_settings(tmp_path, inbox, timezone="Asia/Damascus"), DAY)
    assert len(utc.articles) == 2
    assert [a.title for a in local.articles] == [STORIES["vaccines"][0]]
    assert [item.title for item in local.coverage.left_out] == [STORIES["ferry"][0]]


def test_the_estimate_counts_the_day_the_run_would_brief(tmp_path: Path, inbox: Path) -> None:
    for name in STORIES:
        _write(inbox, name, "2026-11-24T10:00:00+00:00")
    settings = _settings(tmp_path, inbox, max_developments=1)
    one = estimate_today(settings, DAY)
    every = prepare_day(settings.model_copy(update={"max_developments": 10}), DAY)
    assert len(every.developments) == 3
    assert one.input_tokens == estimate(every.developments[:1], settings.llm).input_tokens
    assert one.input_tokens < estimate(every.developments, settings.llm).input_tokens


def test_the_estimate_uses_the_configured_time_zone(tmp_path: Path, inbox: Path) -> None:
    _write(inbox, "ferry", "2026-11-24T22:30:00+00:00")  # the 25th in Tokyo and Damascus
    settings = _settings(tmp_path, inbox, timezone="Asia/Damascus")
    with pytest.raises(NothingToReportError, match="falls in the briefing period"):
        estimate_today(settings, DAY)
    assert estimate_today(_settings(tmp_path, inbox), DAY).calls > 0


def test_nothing_to_report_names_the_failed_source_from_its_record() -> None:
    failed = SourceReport(name="wire", url="https://wire.test/feed", kind="feed",
                          status=SourceStatus.FAILED, reason="HTTP 503 (try later)")
    quiet = SourceReport(name="quiet", url="https://q.test/feed", kind="feed",
                         status=SourceStatus.NOTHING_NEW)
    message = nothing_message([Path("inbox")], 0, [], [quiet, failed, failed])
    assert message == "nothing could be fetched: wire: failed — HTTP 503 (try later) (and 1 more)"


def test_nothing_to_report_names_the_first_skipped_file() -> None:
    skipped = [Skipped(location="inbox/a.pdf", reason="unsupported file type '.pdf'")]
    message = nothing_message([Path("inbox")], 0, skipped)
    assert "1 skipped" in message and "inbox/a.pdf: unsupported file type" in message
