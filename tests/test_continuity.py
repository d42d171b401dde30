"""Continuity across three days, read back through the JSON contract of issue 14.

One inbox gains each day's files and keeps the older ones; the briefing period is 48
hours, so yesterday's dated articles are still inside it and only the store's record of
what was briefed keeps them from counting twice.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from briefing.config import Settings, load_settings
from briefing.errors import NothingToReportError
from briefing.pipeline import DayRequest, run_today

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "continuity"
DAYS = ["2026-03-10", "2026-03-11", "2026-03-12"]


def _settings(tmp_path: Path, inbox: Path, formats: list[str]) -> Settings:
    return load_settings(None, {
        "inbox": [inbox], "out_dir": tmp_path / "out", "db_path": tmp_path / "brief.db",
        "backend": "extractive", "window_hours": 48, "formats": formats,
    }, env={})


def _run(settings: Settings, day: str) -> dict[str, Any]:
    when = date.fromisoformat(day)
    run_today(settings, DayRequest(day=when, now=datetime(2026, 3, 13, 6, 0, tzinfo=UTC)))
    return json.loads((settings.out_dir / f"sitrep-{day}.json").read_text())


@pytest.fixture(scope="module")
def three_days(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Brief the three days in order into one output folder; then re-run day two."""
    tmp_path = tmp_path_factory.mktemp("continuity")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    settings = _settings(tmp_path, inbox, ["json", "md", "html"])
    briefings: dict[str, Any] = {"settings": settings}
    for n, day in enumerate(DAYS, start=1):
        for path in (FIXTURES / f"day{n}").iterdir():
            shutil.copy(path, inbox / path.name)
        briefings[day] = _run(settings, day)
    briefings["rerun"] = _run(settings, DAYS[1])
    return briefings


def _dev(sitrep: dict[str, Any], word: str) -> dict[str, Any]:
    found = [d for d in sitrep["developments"] if word in d["headline"]["text"]]
    assert len(found) == 1, [d["headline"]["text"] for d in sitrep["developments"]]
    return found[0]


def _titles(sitrep: dict[str, Any]) -> list[str]:
    return [s["title"] for s in sitrep["sources"]]


def test_first_day_is_all_new(three_days: dict[str, Any]) -> None:
    day1 = three_days[DAYS[0]]
    assert day1["since"] is None and day1["no_new_reporting"] == []
    assert len(day1["developments"]) == 3
    for dev in day1["developments"]:
        assert dev["status"] == "new" and dev["previously"] is None
        assert all(p["seen_before"] is False for p in dev["points"])


def test_a_story_with_new_facts_is_updated(three_days: dict[str, Any]) -> None:
    day1, day2 = three_days[DAYS[0]], three_days[DAYS[1]]
    strike = _dev(day2, "grain terminal")
    assert strike["status"] == "updated"
    assert strike["previously"] == {
        "date": DAYS[0], "headline": _dev(day1, "Dock workers")["headline"]["text"]
    }
    assert all(isinstance(p["seen_before"], bool) for p in strike["points"])
    assert any(p["seen_before"] is False for p in strike["points"])
    assert day2["since"] == DAYS[0]


def test_a_story_that_stops_has_no_new_reporting(three_days: dict[str, Any]) -> None:
    day1, day2 = three_days[DAYS[0]], three_days[DAYS[1]]
    fire = _dev(day1, "Wildfire")["headline"]["text"]
    assert {"headline": fire, "last_reported": DAYS[0]} in day2["no_new_reporting"]
    assert all("Wildfire" not in d["headline"]["text"] for d in day2["developments"])


def test_a_story_that_starts_later_is_new(three_days: dict[str, Any]) -> None:
    count = _dev(three_days[DAYS[1]], "Norvale")
    assert count["status"] == "new" and count["previously"] is None


def test_a_republished_copy_is_unchanged(three_days: dict[str, Any]) -> None:
    day2, day3 = three_days[DAYS[1]], three_days[DAYS[2]]
    count = _dev(day3, "Norvale")
    assert count["status"] == "unchanged"
    assert count["previously"] == {
        "date": DAYS[1], "headline": _dev(day2, "Norvale")["headline"]["text"]
    }
    assert count["points"] and all(p["seen_before"] is True for p in count["points"])


def test_quiet_story_keeps_its_last_reported_day(three_days: dict[str, Any]) -> None:
    day2, day3 = three_days[DAYS[1]], three_days[DAYS[2]]
    strike = _dev(day2, "grain terminal")["headline"]["text"]
    assert day3["no_new_reporting"] == [{"headline": strike, "last_reported": DAYS[1]}]


def test_articles_are_briefed_once(three_days: dict[str, Any]) -> None:
    # Day one's articles are inside day two's 48-hour period and still in the inbox.
    day1, day2, day3 = (three_days[d] for d in DAYS)
    assert not set(_titles(day1)) & set(_titles(day2))
    assert not set(_titles(day2)) & set(_titles(day3))
    assert day2["coverage"]["notes"] and "already used" in " ".join(day2["coverage"]["notes"])


def test_an_undated_feature_belongs_to_the_first_briefing(three_days: dict[str, Any]) -> None:
    feature = "The last ferry pilots of Lake Orsa"
    assert feature in _titles(three_days[DAYS[0]])
    [undated] = three_days[DAYS[0]]["coverage"]["undated"]
    assert undated.endswith(f" — {feature}")  # after the file it came from
    for day in DAYS[1:]:
        assert feature not in _titles(three_days[day])
        assert three_days[day]["coverage"]["undated"] == []


def test_rerunning_a_day_gives_the_same_briefing(three_days: dict[str, Any]) -> None:
    # Run again after day three: the inbox now also holds day three's file, which
    # only changes what was read, not one word of the briefing.
    first, again = three_days[DAYS[1]], three_days["rerun"]
    read = ("articles_read", "out_of_window", "left_out")
    assert {k: v for k, v in again.items() if k != "coverage"} == {
        k: v for k, v in first.items() if k != "coverage"}
    assert {k: v for k, v in again["coverage"].items() if k not in read} == {
        k: v for k, v in first["coverage"].items() if k not in read}
    assert again["coverage"]["out_of_window"] == first["coverage"]["out_of_window"] + 1
    assert [e["title"] for e in again["coverage"]["left_out"]] == [
        "Vote count suspended in Norvale over missing ballot boxes"]


def test_rerunning_the_first_day_keeps_its_undated_feature(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(FIXTURES / "day1", inbox)
    settings = _settings(tmp_path, inbox, ["json"])
    first = _run(settings, DAYS[0])
    assert _run(settings, DAYS[0]) == first
    with pytest.raises(NothingToReportError, match="already briefed"):
        _run(settings, DAYS[1])  # a later day with only day one's files: nothing new


def test_markdown_shows_the_changes(three_days: dict[str, Any]) -> None:
    settings = three_days["settings"]
    text = (settings.out_dir / f"sitrep-{DAYS[1]}.md").read_text()
    assert f"## Since {DAYS[0]}:" in text
    assert "\\[UPDATED\\] Marenport dock strike spreads" in text
    assert "\\[NEW\\] Norvale election commission" in text
    assert "## No new reporting" in text.split("## Coverage")[0]
    assert f"(last reported {DAYS[0]})" in text
    day3 = (settings.out_dir / f"sitrep-{DAYS[2]}.md").read_text()
    assert "\\[ONGOING\\]" in day3 and "*(reported before)*" in day3
    assert "- **ONGOING** 1 development with no new facts." in day3


def test_continuity_is_the_same_on_the_llm_path(tmp_path: Path) -> None:
    from tests import llm_support
    from tests.scripted_server import ScriptedServer

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with ScriptedServer() as server:
        settings = _settings(tmp_path, inbox, ["json"]).model_copy(update={
            "backend": "openai", "llm": llm_support.settings(server.base_url)})
        days = []
        for n, day in enumerate(DAYS[:2], start=1):
            for path in (FIXTURES / f"day{n}").iterdir():
                shutil.copy(path, inbox / path.name)
            days.append(_run(settings, day))
    day1, day2 = days
    assert day2["backend"] == "openai" and day2["since"] == DAYS[0]
    statuses = sorted(d["status"] for d in day2["developments"])
    assert statuses == ["new", "updated"]
    updated = next(d for d in day2["developments"] if d["status"] == "updated")
    strike_day1 = next(d for d in day1["developments"]
                       if any("Marenport" in s["title"] for s in day1["sources"]
                              if s["number"] in d["sources"]))
    assert updated["previously"] == {"date": DAYS[0],
                                     "headline": strike_day1["headline"]["text"]}
    assert any(p["seen_before"] is False for p in updated["points"])
    assert len(day2["no_new_reporting"]) == 2  # the wildfire and the undated feature


def test_history_tables_come_from_a_numbered_migration(tmp_path: Path) -> None:
    from briefing.migrations import applied
    from briefing.store import Store

    with Store(tmp_path / "brief.db") as store:
        assert "m007_briefing_history" in applied(store.db)
        tables = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master")}
    assert {"briefings", "briefing_articles", "briefing_developments"} <= tables
