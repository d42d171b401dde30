"""`brief today` with feeds and URLs: ingest first, source health in the coverage section."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from servers import Reply, TestServer, article_page, rss

from tests.conftest import run_brief

PARAGRAPHS = [
    "Flood waters rose across the Orontes valley on Tuesday, forcing at least 300 families to"
    " leave their homes, according to the provincial civil defence directorate.",
    "The directorate said rescue teams had evacuated residents of six villages by boat and that"
    " two bridges on the road to Jisr al-Shughur had been closed to traffic.",
    "Farmers said the floods had destroyed much of the winter wheat planted in the lowlands,"
    " and local councils appealed for pumps, fuel and blankets.",
]


def _ago(hours: float) -> datetime:
    return datetime.now(UTC) - timedelta(hours=hours)


@pytest.fixture
def server() -> Iterator[TestServer]:
    with TestServer() as srv:
        published = _ago(3)
        srv.route("/feed.xml", Reply(body=rss([{
            "title": "Floods force hundreds from homes in Orontes valley",
            "link": srv.url("/floods.html"), "guid": "floods-1",
            "pubDate": format_datetime(published, usegmt=True),
        }]), headers={"Content-Type": "application/rss+xml"}))
        srv.route("/floods.html", Reply(
            body=article_page("Floods force hundreds from homes in Orontes valley", PARAGRAPHS,
                              published.isoformat()),
            headers={"Content-Type": "text/html; charset=utf-8"}))
        srv.route("/gone.xml", Reply(status=404, body=b"not here"))
        old = (_ago(24 * 10)).isoformat()
        srv.route("/old.html", Reply(
            body=article_page("Ten-day-old analysis of the river basin",
                              [p.replace("Tuesday", "a day last week") for p in PARAGRAPHS], old),
            headers={"Content-Type": "text/html; charset=utf-8"}))
        yield srv


def _config(tmp_path: Path, server: TestServer) -> None:
    (tmp_path / "brief.toml").write_text(f"""
formats = ["json", "md"]
[fetch]
per_host_delay = 0.0
allow_private = true   # the test server is on 127.0.0.1
[[sources]]
url = "{server.url('/feed.xml')}"
name = "valley-wire"
tag = "syria"
reliability = "B"
allow_private = true
[[sources]]
url = "{server.url('/gone.xml')}"
name = "gone-feed"
allow_private = true
""")


def _sitrep(tmp_path: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(next((tmp_path / "briefings").glob("*.json")).read_text())


def test_today_ingests_feeds_and_reports_source_health(tmp_path: Path,
                                                        server: TestServer) -> None:
    _config(tmp_path, server)
    result = run_brief("today", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    sitrep = _sitrep(tmp_path)
    assert any("Orontes valley" in s["title"] for s in sitrep["sources"])
    floods = [s for s in sitrep["sources"] if s["url"] == server.url("/floods.html")]
    assert floods and floods[0]["reliability"] == "B"
    markdown = next((tmp_path / "briefings").glob("*.md")).read_text()
    assert "(reliability B)" in markdown
    health = " ".join(sitrep["coverage"]["source_health"])
    assert "gone-feed" in health and "failed" in health
    assert "404" in health


def test_no_ingest_makes_no_request(tmp_path: Path, server: TestServer) -> None:
    _config(tmp_path, server)
    result = run_brief("today", "--no-ingest", cwd=tmp_path)
    assert result.returncode == 1  # nothing stored yet, nothing fetched
    assert server.requests() == []


def test_url_flag_briefs_that_page_even_when_old(tmp_path: Path, server: TestServer) -> None:
    _config(tmp_path, server)
    result = run_brief("today", "--no-ingest", "--url", server.url("/old.html"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    titles = [s["title"] for s in _sitrep(tmp_path)["sources"]]
    assert titles == ["Ten-day-old analysis of the river basin"]
    assert all("feed.xml" not in r.path for r in server.requests())


def test_url_to_private_address_refused_without_allow(tmp_path: Path,
                                                      server: TestServer) -> None:
    result = run_brief("today", "--url", server.url("/old.html"), cwd=tmp_path)
    assert result.returncode == 1
    assert server.requests() == []
