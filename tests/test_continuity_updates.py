"""Continuity, second round: takeaways marked, what is new, and live stories updated in place.

The live story is a Markdown page with a fixed URL in its front matter, rewritten in the
inbox between two briefings, as a saved page of a story updated during the day would be.
"""

from __future__ import annotations

import io
import json
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from briefing import migrations
from briefing.config import Settings, load_settings
from briefing.continuity import unbriefed
from briefing.errors import NothingToReportError
from briefing.history import briefed_before
from briefing.message import render_bodies
from briefing.models import (
    Article,
    CitedText,
    Coverage,
    DateSource,
    DevelopmentSection,
    Point,
    Sitrep,
    SourceEntry,
)
from briefing.pipeline import DayRequest, run_today
from briefing.render import render_pdf, render_text
from briefing.revisions import says_more
from briefing.store import Store
from briefing.whatsnew import home, lead_with_news, what_is_new, without_promoted

URL = "https://rivernews.example/dravik-flood"
DAY1, DAY2 = "2026-04-02", "2026-04-03"

HEAD = f"""---
title: Floodwater closes the Essel bridge in Dravik
date: 2026-04-02T08:00:00Z
url: {URL}
---
# Floodwater closes the Essel bridge in Dravik

"""
OPENING = [
    "The river Essel burst its banks in Dravik overnight and the city closed the Essel "
    "bridge to all traffic on Thursday morning, the mayor's office said.",
    "Rescue crews moved 240 residents of the lower town to a sports hall, and the city "
    "council opened a second shelter at the old grammar school.",
    "Forecasters said more rain was expected in the hills above the city until Friday evening.",
]
NEWS = ("The water level at the Dravik gauge peaked at 6.8 metres on Friday afternoon, and "
        "the army sent 120 soldiers to reinforce the dykes north of the city.")
LIBRARY = """---
title: Olm library reopens after two years of repairs
date: 2026-04-03T09:30:00Z
url: https://townpaper.example/olm-library
---
# Olm library reopens after two years of repairs

The public library in Olm reopened on Friday after two years of roof and wiring repairs,
the town council said. The work cost about 3.2 million crowns, a third more than planned.

Librarian Hanna Ostrova said the children's floor would open a week later because the
shelving had not been delivered. Visitors queued from early morning for the reopening.
"""


def _page(paragraphs: list[str], stamp: str, extra: str = "") -> str:
    body = "\n\n".join(paragraphs)
    return f"{HEAD}This report was last updated at {stamp} GMT.\n\n{body}\n{extra}"


def _settings(tmp_path: Path, hours: int = 48) -> Settings:
    return load_settings(None, {
        "inbox": [tmp_path / "inbox"], "out_dir": tmp_path / "out",
        "db_path": tmp_path / "brief.db", "backend": "extractive", "window_hours": hours,
        "formats": ["json", "md"],
    }, env={})


def _run(settings: Settings, day: str) -> dict[str, Any]:
    run_today(settings, DayRequest(day=date.fromisoformat(day),
                                   now=datetime(2026, 4, 4, 6, 0, tzinfo=UTC)))
    sitrep: dict[str, Any] = json.loads((settings.out_dir / f"sitrep-{day}.json").read_text())
    return sitrep


def _two_days(tmp_path: Path, second_version: str, hours: int = 48
              ) -> tuple[Settings, dict[str, Any]]:
    """Day one briefs the live page; it is then rewritten and a new story arrives."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    settings = _settings(tmp_path, hours)
    (inbox / "dravik-flood.md").write_text(_page(OPENING, "09:15"))
    _run(settings, DAY1)
    (inbox / "dravik-flood.md").write_text(second_version)
    (inbox / "olm-library.md").write_text(LIBRARY)
    return settings, _run(settings, DAY2)


def _flood(sitrep: dict[str, Any]) -> dict[str, Any]:
    found = [d for d in sitrep["developments"] if "Essel" in d["headline"]["text"]
             or "Dravik" in d["headline"]["text"]]
    assert len(found) == 1, [d["headline"]["text"] for d in sitrep["developments"]]
    flood: dict[str, Any] = found[0]
    return flood


def _statements(sitrep: dict[str, Any], dev: dict[str, Any]) -> list[dict[str, Any]]:
    """The development's points and the takeaways drawn from its sources."""
    own = [t for t in sitrep["takeaways"] if set(t["sources"]) <= set(dev["sources"])]
    return [*own, *dev["points"]]


# --- a live story updated at the same URL -------------------------------------------------


def test_an_updated_live_story_is_new_reporting(tmp_path: Path) -> None:
    updated = _page([*OPENING[:2], NEWS, OPENING[2]], "16:40")
    settings, day2 = _two_days(tmp_path, updated)
    assert "Floodwater closes the Essel bridge in Dravik" in [s["title"] for s in day2["sources"]]
    flood = _flood(day2)
    assert flood["status"] == "updated" and flood["previously"]["date"] == DAY1
    statements = _statements(day2, flood)
    new = [s for s in statements if not s["seen_before"]]
    assert new and all("6.8" in s["text"] for s in new)  # only the added sentence is new
    assert any(s["seen_before"] for s in statements)  # the briefed sentences stay seen
    assert flood["what_is_new"]["text"] == NEWS
    assert any(n.startswith("1 article used in an earlier briefing read again")
               for n in day2["coverage"]["notes"])
    # The old version's briefing history is kept: day one used the first text.
    flood_id = next(s["article_id"] for s in day2["sources"] if "Essel" in s["title"])
    with Store(settings.db_path) as store:
        rows = store.db.execute("SELECT date, content_hash FROM briefing_articles WHERE"
                                " article_id = ? ORDER BY date", (flood_id,)).fetchall()
        old_text = store.version_text(flood_id, rows[0]["content_hash"])
        current = store.get(flood_id)
        claim = briefed_before(store, settings.out_dir, "2026-04-05", [flood_id])[flood_id]
    assert [r["date"] for r in rows] == [DAY1, DAY2]
    assert old_text is not None and "6.8" not in old_text
    assert current is not None and "6.8" in current.text
    assert rows[1]["content_hash"] == current.content_hash != rows[0]["content_hash"]
    assert (claim.date, claim.content_hash) == (DAY2, current.content_hash)


def test_an_update_reaches_the_next_day_though_the_page_keeps_its_date(tmp_path: Path) -> None:
    # A one-day period: the page's publication time (day one) is outside day two's.
    _, day2 = _two_days(tmp_path, _page([*OPENING, NEWS], "16:40"), hours=24)
    flood = _flood(day2)
    assert flood["status"] == "updated" and flood["what_is_new"]["text"] == NEWS
    assert day2["coverage"]["out_of_window"] == 0


def test_a_stored_page_revised_in_the_period_is_found(tmp_path: Path) -> None:
    # A page a feed brought in: only the store has it, and its text changes on day two.
    settings = _settings(tmp_path, 24)
    (tmp_path / "inbox").mkdir()
    page = Article(title="Floodwater closes the Essel bridge in Dravik", url=URL,
                   text="\n\n".join(OPENING), date_source=DateSource.META,
                   published_at=datetime(2026, 4, 2, 8, tzinfo=UTC))
    with Store(settings.db_path) as store:
        store.put(page, now=datetime(2026, 4, 2, 8, 5, tzinfo=UTC))
    _run(settings, DAY1)
    with Store(settings.db_path) as store:
        store.put(page.model_copy(update={"text": page.text + "\n\n" + NEWS}),
                  now=datetime(2026, 4, 3, 15, 0, tzinfo=UTC))
    assert _flood(_run(settings, DAY2))["what_is_new"]["text"] == NEWS
    with Store(settings.db_path) as store:  # a later touch-up alone is no news the day after
        store.put(page.model_copy(update={"text": page.text + "\n\n" + NEWS + "\n\nSee also:"
                                          " Dravik council approves flood budget"}),
                  now=datetime(2026, 4, 4, 9, 0, tzinfo=UTC))
    with pytest.raises(NothingToReportError):
        _run(settings, "2026-04-04")


def test_a_trivially_changed_page_is_not_new(tmp_path: Path) -> None:
    related = ("\nRelated stories\n\nDravik council approves new flood barrier budget\n\n"
               "Rail services resume between Dravik and Olm\n")
    trivial = _page(["  " + OPENING[0].replace(" and ", "  and "), *OPENING[1:]], "17:05",
                    related)
    _, day2 = _two_days(tmp_path, trivial)
    assert [s["title"] for s in day2["sources"]] == [
        "Olm library reopens after two years of repairs"]
    assert "1 article already used" in " ".join(day2["coverage"]["notes"])
    assert "read again" not in " ".join(day2["coverage"]["notes"])


def test_a_resaved_identical_page_is_not_new(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    settings = _settings(tmp_path)
    (inbox / "dravik-flood.md").write_text(_page(OPENING, "09:15"))
    _run(settings, DAY1)
    (inbox / "dravik-flood.md").write_text(_page(OPENING, "09:15") + "\n\n")
    with pytest.raises(NothingToReportError, match="already briefed"):
        _run(settings, DAY2)


@pytest.mark.parametrize(("new", "expected"), [
    (_page(OPENING, "11:40"), False),  # only the clock of the stamp changed
    (_page(OPENING, "09:15", "\nSee also: Dravik council approves flood budget\n"), False),
    (_page([OPENING[0].replace("said.", "said on Thursday."), *OPENING[1:]], "09:15"), False),
    (_page([OPENING[0], OPENING[1].replace("240", "310"), OPENING[2]], "09:15"), True),
    (_page([*OPENING, NEWS], "10:00"), True),
])
def test_says_more_tells_news_from_touch_ups(new: str, expected: bool) -> None:
    assert says_more(new, _page(OPENING, "09:15")) is expected


# --- the store's schema: an existing store is upgraded ------------------------------------


def test_a_store_made_before_versions_is_upgraded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path = tmp_path / "brief.db"
    assert migrations.MIGRATIONS[-1][0] == "m012_article_versions"
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:-1])
    article = Article(title="Floodwater closes the Essel bridge", text="\n\n".join(OPENING),
                      url=URL, date_source=DateSource.NONE,
                      published_at=datetime(2026, 4, 2, 8, tzinfo=UTC))
    with Store(db_path) as store:  # the schema the code before this change made
        article_id, _ = store.put(article)
        store.db.execute("INSERT INTO briefing_articles (out_dir, date, article_id, undated)"
                         " VALUES (?,?,?,0)", (str((tmp_path / "out").resolve()), DAY1,
                                               article_id))
    monkeypatch.undo()
    with Store(db_path) as store:
        assert "m012_article_versions" in migrations.applied(store.db)
        row = store.db.execute("SELECT * FROM briefing_articles").fetchone()
        assert row["article_id"] == article_id and row["content_hash"] is None
        # A text replaced after the upgrade keeps its old version.
        store.put(article.model_copy(update={"text": article.text + "\n\n" + NEWS,
                                             "content_hash": ""}))
        versions = store.db.execute("SELECT text FROM article_versions").fetchall()
        current = store.articles([article_id])
    assert [v["text"] for v in versions] == [article.text]
    # The version an old row briefed is unknown: it stays briefed, as before the upgrade.
    with pytest.raises(NothingToReportError, match=f"already briefed, latest on {DAY1}"):
        unbriefed(db_path, tmp_path / "out", DAY2, current)
    # A briefing recorded after the upgrade knows its version: the next change is news.
    with Store(db_path) as store:
        store.db.execute("UPDATE briefing_articles SET content_hash = ?",
                         (store.db.execute("SELECT content_hash FROM article_versions")
                          .fetchone()[0],))
    fresh, briefed = unbriefed(db_path, tmp_path / "out", DAY2, current)
    assert [a.id for a in fresh] == [article_id] and briefed == 0


def test_migration_adds_only_what_is_missing(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "x.db")
    db.row_factory = sqlite3.Row
    migrations.migrate(db)
    columns = {r[1] for r in db.execute("PRAGMA table_info(briefing_articles)")}
    assert "content_hash" in columns
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "articles_updated" in indexes
    assert migrations.migrate(db) == []


# --- what is new, and takeaways ------------------------------------------------------------

EARLIER = ["Rescue crews moved 240 residents of the lower town to a sports hall.",
           "The mayor of Dravik closed the Essel bridge."]


def test_what_is_new_prefers_new_figures_and_names() -> None:
    points = [
        Point(text="Rescue crews moved 240 residents of the lower town.", sources=[1],
              seen_before=True),
        Point(text="The city said the clean-up would take some time.", sources=[1]),
        Point(text="The army sent 120 soldiers under General Ivo Marek to the dykes.",
              sources=[2]),
    ]
    news = what_is_new(points, EARLIER)
    assert news is not None and news.text == points[2].text and news.sources == [2]


def test_what_is_new_keeps_the_summary_order_among_points_with_news() -> None:
    # Both give facts yesterday lacked; the one the summary put first leads, however
    # many names the other piles up.
    lead = Point(text="The army sent 120 soldiers to the dykes.", sources=[1])
    busy = Point(text="Mayor Ana Rossi met General Ivo Marek and Colonel Petra Lind in Olm.",
                 sources=[2])
    news = what_is_new([lead, busy], EARLIER)
    assert news is not None and news.text == lead.text


def test_what_is_new_breaks_ties_by_support_then_rank() -> None:
    one = Point(text="Schools in the lower town stayed shut on Friday.", sources=[1])
    two = Point(text="Shops in the lower town stayed shut on Friday.", sources=[1, 2])
    assert what_is_new([one, two], EARLIER) == CitedText(**two.model_dump(
        include=set(CitedText.model_fields)))
    first = what_is_new([one, one.model_copy(update={"text": "Buses stopped on Friday."})],
                        EARLIER)
    assert first is not None and first.text == one.text
    assert what_is_new([one.model_copy(update={"seen_before": True})], EARLIER) is None


def test_what_is_new_is_one_whole_sentence() -> None:
    long_point = Point(
        text="The bridge stays closed. Engineers from Halvik found cracks in 3 of its 9 piers, "
             "the city said. Traffic goes round by the ring road.",
        sources=[4], original="Die Brücke bleibt gesperrt.", footnote=1)
    news = what_is_new([long_point], EARLIER)
    assert news is not None
    assert news.text == "Engineers from Halvik found cracks in 3 of its 9 piers, the city said."
    assert news.sources == [4] and news.original is None and news.footnote is None


def _section(points: list[Point], sources: list[int], status: str = "updated"
             ) -> DevelopmentSection:
    return DevelopmentSection(status=status,  # type: ignore[arg-type]
                              headline=CitedText(text="Flood in Dravik", sources=sources),
                              points=points, sources=sources)


def test_a_repeated_takeaway_gives_way_to_the_news() -> None:
    news_point = Point(text="The army sent 120 soldiers to the dykes.", sources=[2])
    kept = Point(text="Rescue crews moved 240 residents.", sources=[1], seen_before=True)
    flood = _section([kept, news_point], [1, 2]).model_copy(
        update={"what_is_new": CitedText(text=news_point.text, sources=[2])})
    library = _section([Point(text="The library reopened.", sources=[3])], [3], "unchanged")
    takeaways = [Point(text="The bridge was closed.", sources=[1], seen_before=True),
                 Point(text="The library reopened.", sources=[3], seen_before=True)]
    homes = [home(t, [flood, library]) for t in takeaways]
    assert homes == [0, 1]
    leading = lead_with_news(takeaways, homes, [flood, library])
    assert [(t.text, t.seen_before) for t in leading] == [
        (news_point.text, False), ("The library reopened.", True)]
    flood_after, _ = without_promoted([flood, library], takeaways, leading)
    assert [p.text for p in flood_after.points] == [kept.text]  # shown once, as a takeaway
    # Already a takeaway: the repeat stays, marked, after the news; nothing is shown twice.
    again = lead_with_news([*takeaways, leading[0]], [*homes, 0], [flood, library])
    assert [(t.text, t.seen_before) for t in again] == [
        (news_point.text, False), ("The library reopened.", True),
        ("The bridge was closed.", True)]


def test_a_takeaway_repeating_yesterday_is_marked_end_to_end(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    settings = _settings(tmp_path)
    (inbox / "dravik-flood.md").write_text(_page(OPENING, "09:15"))
    day1 = _run(settings, DAY1)
    assert all(t["seen_before"] is False for t in day1["takeaways"])
    # Day two: a new article on the same flood repeats yesterday's background paragraph.
    follow = HEAD.replace(URL, URL + "-day2").replace("2026-04-02T08:00", "2026-04-03T07:00")
    (inbox / "dravik-flood-2.md").write_text(follow + "\n\n".join([NEWS, *OPENING]) + "\n")
    (inbox / "olm-library.md").write_text(LIBRARY)
    day2 = _run(settings, DAY2)
    flood = _flood(day2)
    assert flood["status"] == "updated"
    for statement in _statements(day2, flood):
        assert statement["seen_before"] is ("6.8" not in statement["text"]), statement
    assert "6.8" in flood["what_is_new"]["text"]
    text = (settings.out_dir / f"sitrep-{DAY2}.md").read_text()
    since = text.split("## Key takeaways")[0]
    assert "6.8 metres" in since
    takeaways = text.split("## Key takeaways")[1].split("## Developments")[0]
    flood_takeaways = [t for t in day2["takeaways"] if set(t["sources"]) <= set(flood["sources"])]
    assert [t["seen_before"] for t in flood_takeaways] == sorted(
        t["seen_before"] for t in flood_takeaways)  # the news leads the story's takeaways
    for t in day2["takeaways"]:
        marked = f"*(reported before)* {t['text'][:30]}" in takeaways
        assert marked is t["seen_before"]


def _marked_sitrep() -> Sitrep:
    at = datetime(2026, 4, 3, 7, 0, tzinfo=UTC)
    news = CitedText(text="The army sent 120 soldiers to the dykes.", sources=[1])
    dev = DevelopmentSection(
        status="updated", headline=CitedText(text="Flood in Dravik", sources=[1]),
        points=[Point(text="The city opened a third shelter at the old mill.", sources=[1]),
                Point(text="Forecasters expect more rain.", sources=[1], seen_before=True)],
        sources=[1], what_is_new=news)
    return Sitrep(
        title="Flood Watch — 2026-04-03", date=DAY2, period_start=at, period_end=at,
        generated_at=at, backend="extractive",
        takeaways=[Point(text="The Essel bridge stays closed to traffic.", sources=[1],
                         seen_before=True),
                   Point(text="The army sent 120 soldiers to the dykes.", sources=[1])],
        developments=[dev],
        sources=[SourceEntry(number=1, article_id="a1", title="Flood", url=URL)],
        coverage=Coverage(), since=DAY1)


def test_every_format_marks_repeated_takeaways_and_shows_the_news() -> None:
    sitrep = _marked_sitrep()
    md = render_text(sitrep, "sitrep.md.j2")
    assert "- *(reported before)* The Essel bridge stays closed" in md
    assert "- The army sent 120 soldiers" in md
    assert "**UPDATED** Flood in Dravik: The army sent 120 soldiers to the dykes." in md
    html = render_text(sitrep, "sitrep.html.j2")
    assert ('<li class="seen-before"><span class="seen-label">Reported before:</span> '
            "The Essel bridge") in html
    assert "<strong>Flood in Dravik</strong>: The army sent 120 soldiers" in html
    pdf = "".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(html))).pages)
    assert "Reported before: The Essel bridge" in " ".join(pdf.split())
    bodies = render_bodies(sitrep, None, None)
    assert "1. Reported before: The Essel bridge stays closed" in bodies.text
    assert "2. The army sent 120 soldiers" in bodies.text
    assert "UPDATED Flood in Dravik: The army sent 120 soldiers" in bodies.text
    assert "Reported before:</em> The Essel bridge stays closed" in bodies.html
    assert json.loads(sitrep.model_dump_json())["takeaways"][0]["seen_before"] is True
