"""A feed's article whose stored date is outside the period is named in the coverage."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from servers import Reply, TestServer, article_page, rss, story

from tests.conftest import run_brief


def test_feed_item_dated_outside_the_period_gets_a_coverage_line(tmp_path: Path) -> None:
    now = datetime.now(UTC)
    fresh, old = now - timedelta(hours=2), now - timedelta(days=10)
    html = {"Content-Type": "text/html; charset=utf-8"}
    with TestServer() as srv:
        # The feed lists both items as new; the second page says it ran ten days ago.
        srv.route("/feed.xml", Reply(body=rss([
            {"title": "Bridge reopens", "link": srv.url("/bridge.html"), "guid": "b1",
             "pubDate": format_datetime(fresh, usegmt=True)},
            {"title": "Old harbour feature", "link": srv.url("/harbour.html"), "guid": "h1",
             "pubDate": format_datetime(fresh, usegmt=True)},
        ]), headers={"Content-Type": "application/rss+xml"}))
        srv.route("/bridge.html", Reply(body=article_page(
            "Bridge reopens", story("bridge"), fresh.isoformat()), headers=html))
        srv.route("/harbour.html", Reply(body=article_page(
            "Old harbour feature", story("harbour"), old.isoformat()), headers=html))
        (tmp_path / "brief.toml").write_text(
            f'formats = ["json"]\n[fetch]\nper_host_delay = 0.0\n[[sources]]\n'
            f'url = "{srv.url("/feed.xml")}"\nname = "wire"\nallow_private = true\n',
            encoding="utf-8")
        result = run_brief("today", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        harbour = srv.url("/harbour.html")
    sitrep = json.loads(next((tmp_path / "briefings").glob("*.json")).read_text())
    assert [s["title"] for s in sitrep["sources"]] == ["Bridge reopens"]
    coverage = sitrep["coverage"]
    assert coverage["out_of_window"] == 1
    [left] = coverage["left_out"]
    assert left["location"] == harbour and left["title"] == "Old harbour feature"
    assert left["published_at"].startswith(f"{old:%Y-%m-%d}")
