"""The output folder's archive: index.html, feed.atom and previous/next links."""

from __future__ import annotations

import html
import json
import re
import shutil
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
from pypdf import PdfReader

from briefing.config import Settings, load_settings
from briefing.message import render_bodies
from briefing.models import Sitrep
from briefing.pipeline import DayRequest, run_today

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "continuity"
DAYS = ["2026-03-10", "2026-03-11", "2026-03-12"]


class _Links(HTMLParser):
    """Collects every <a>'s href and rel, and notes any <script>."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str | None]] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.append(dict(attrs))
        self.scripts += tag == "script"


def _first_takeaway(out_dir: Path, day: str) -> str:
    """Day ``day``'s leading takeaway as the briefing's own JSON gives it."""
    sitrep = json.loads((out_dir / f"sitrep-{day}.json").read_text())
    return str(sitrep["takeaways"][0]["text"])


def _links(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three days briefed into one folder, the middle one last (a late re-run)."""
    tmp_path = tmp_path_factory.mktemp("archive")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    settings: Settings = load_settings(None, {
        "inbox": [inbox], "out_dir": tmp_path / "out", "db_path": tmp_path / "brief.db",
        "backend": "extractive", "formats": ["json", "html"], "title": "Test & Briefing",
    }, env={})
    now = datetime(2026, 3, 13, 6, 0, tzinfo=UTC)
    for n, day in enumerate(DAYS, start=1):
        for path in (FIXTURES / f"day{n}").iterdir():
            shutil.copy(path, inbox / path.name)
        run_today(settings, DayRequest(day=date.fromisoformat(day), now=now))
    run_today(settings, DayRequest(day=date.fromisoformat(DAYS[1]), now=now))
    return settings.out_dir


def test_index_lists_every_briefing_newest_first(out_dir: Path) -> None:
    index = out_dir / "index.html"
    hrefs = [a["href"] for a in _links(index).links]
    briefings = [h for h in hrefs if h and h.startswith("sitrep-")]
    assert briefings == [f"sitrep-{d}.html" for d in reversed(DAYS)]
    assert "feed.atom" in hrefs and _links(index).scripts == 0
    text = index.read_text()
    assert "Test &amp; Briefing" in text  # escaped, not raw
    assert html.escape(_first_takeaway(out_dir, DAYS[1]), quote=False) in text


def test_each_page_links_to_its_neighbours(out_dir: Path) -> None:
    def rel(day: str) -> dict[str, str | None]:
        found = {a.get("rel"): a["href"] for a in _links(out_dir / f"sitrep-{day}.html").links
                 if a.get("rel") in ("prev", "next")}
        return {str(k): v for k, v in found.items()}

    assert rel(DAYS[0]) == {"next": f"sitrep-{DAYS[1]}.html"}
    assert rel(DAYS[1]) == {"prev": f"sitrep-{DAYS[0]}.html", "next": f"sitrep-{DAYS[2]}.html"}
    assert rel(DAYS[2]) == {"prev": f"sitrep-{DAYS[1]}.html"}
    for day in DAYS:
        hrefs = [a["href"] for a in _links(out_dir / f"sitrep-{day}.html").links]
        assert "index.html" in hrefs and "feed.atom" in hrefs


def test_feed_is_valid_atom_with_one_entry_per_briefing(out_dir: Path) -> None:
    feed = feedparser.parse((out_dir / "feed.atom").read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Test & Briefing"
    assert [e.link for e in feed.entries] == [f"sitrep-{d}.html" for d in reversed(DAYS)]
    assert len({e.id for e in feed.entries}) == 3
    assert html.escape(_first_takeaway(out_dir, DAYS[1]), quote=False) in feed.entries[1].summary


def test_feed_ids_are_stable_across_runs(out_dir: Path) -> None:
    from briefing.archive import render_feed

    before = feedparser.parse((out_dir / "feed.atom").read_bytes())
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", before.entries[0].id)
    again = feedparser.parse(render_feed([], "Test & Briefing").encode())
    assert again.bozo == 0 and again.entries == [] and again.feed.id == before.feed.id


def test_pdf_and_email_show_the_changes(out_dir: Path) -> None:
    from briefing.render import render_pdf, render_text

    sitrep = Sitrep.model_validate_json((out_dir / f"sitrep-{DAYS[1]}.json").read_text())
    pdf = out_dir / "day2.pdf"
    pdf.write_bytes(render_pdf(render_text(sitrep, "sitrep.html.j2")))
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert f"Since {DAYS[0]}:" in text and "UPDATED" in text and "No new reporting" in text
    bodies = render_bodies(sitrep, None, None)
    assert f"Since {DAYS[0]}:" in bodies.text and "No new reporting" in bodies.text
    assert "- UPDATED Marenport dock strike spreads" in bodies.text
    assert f"Since {DAYS[0]}:" in bodies.html and "UPDATED" in bodies.html
