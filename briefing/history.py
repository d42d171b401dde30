"""What earlier briefings said: the store's record of each briefing per output folder.

Three tables, keyed by the output folder's absolute path and the briefing's date, so two
output folders sharing one store keep separate histories: ``briefings`` (title, time,
takeaways: the archive), ``briefing_articles`` (which articles each briefing used, and
which version of each text: an article is briefed once, until its text says more) and
``briefing_developments`` (each development's headline, articles and points: what the
next day is compared with). Their schema is migration
``m007_briefing_history`` in migrations.py (``m012_article_versions`` adds the version).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from briefing.models import Sitrep
from briefing.store import Store


@dataclass
class PastDevelopment:
    """One development of an earlier briefing."""

    headline: str
    article_ids: list[str]
    points: list[str]
    last_reported: str  # the last date it had new reporting


@dataclass
class PastBriefing:
    """An earlier briefing for the same output folder."""

    date: str
    title: str
    generated_at: datetime
    takeaways: list[str]
    developments: list[PastDevelopment] = field(default_factory=list)


def folder_key(out_dir: Path) -> str:
    """The output folder as the tables name it: its absolute path."""
    return str(Path(out_dir).expanduser().resolve())


@dataclass
class Claim:
    """The latest earlier briefing that used an article, and the version of its text then."""

    date: str
    content_hash: str | None  # None: recorded before versions were (taken as the current)


def briefed_before(store: Store, out_dir: Path, day: str, ids: list[str]) -> dict[str, Claim]:
    """Of ``ids``, those another briefing already used, with the latest such briefing.

    A dated article belongs to the briefings of earlier days that used it; an undated
    one to any briefing that saw it first, whatever day that briefing covers.
    """
    claimed: dict[str, Claim] = {}
    for article_id in ids:
        row = store.db.execute(
            "SELECT date, content_hash FROM briefing_articles WHERE out_dir = ?"
            " AND article_id = ? AND date <> ? AND (undated = 1 OR date < ?)"
            " ORDER BY date DESC LIMIT 1",
            (folder_key(out_dir), article_id, day, day),
        ).fetchone()
        if row is not None:
            claimed[article_id] = Claim(date=str(row[0]), content_hash=row[1])
    return claimed


def previous(store: Store, out_dir: Path, day: str) -> PastBriefing | None:
    """The latest briefing for this output folder before ``day``, with its developments."""
    row = store.db.execute(
        "SELECT date FROM briefings WHERE out_dir = ? AND date < ? ORDER BY date DESC LIMIT 1",
        (folder_key(out_dir), day),
    ).fetchone()
    return None if row is None else load(store, out_dir, str(row[0]))


def load(store: Store, out_dir: Path, day: str) -> PastBriefing | None:
    """One recorded briefing with its developments."""
    key = folder_key(out_dir)
    row = store.db.execute(
        "SELECT * FROM briefings WHERE out_dir = ? AND date = ?", (key, day)
    ).fetchone()
    if row is None:
        return None
    briefing = _briefing(row)
    for dev in store.db.execute(
        "SELECT * FROM briefing_developments WHERE out_dir = ? AND date = ? ORDER BY position",
        (key, day),
    ):
        briefing.developments.append(PastDevelopment(
            headline=dev["headline"], article_ids=json.loads(dev["article_ids"]),
            points=json.loads(dev["points"]), last_reported=dev["last_reported"],
        ))
    return briefing


def briefed_texts(store: Store, out_dir: Path, day: str) -> list[str]:
    """The texts one briefing was made from, each as it was then (the version it used)."""
    texts: list[str] = []
    for row in store.db.execute(
        "SELECT article_id, content_hash FROM briefing_articles WHERE out_dir = ? AND date = ?",
        (folder_key(out_dir), day),
    ).fetchall():
        if row["content_hash"] is not None:
            text = store.version_text(row["article_id"], row["content_hash"])
        else:  # recorded before versions were: the current text stands for it
            article = store.get(row["article_id"])
            text = article.text if article else None
        if text is not None:
            texts.append(text)
    return texts


def all_briefings(store: Store, out_dir: Path) -> list[PastBriefing]:
    """Every recorded briefing for this output folder, oldest first (no developments)."""
    rows = store.db.execute(
        "SELECT * FROM briefings WHERE out_dir = ? ORDER BY date", (folder_key(out_dir),)
    ).fetchall()
    return [_briefing(r) for r in rows]


def _briefing(row: sqlite3.Row) -> PastBriefing:
    return PastBriefing(
        date=row["date"], title=row["title"],
        generated_at=datetime.fromisoformat(row["generated_at"]),
        takeaways=json.loads(row["takeaways"]),
    )


def record(store: Store, out_dir: Path, sitrep: Sitrep) -> None:
    """Remember what this briefing used and said; a re-run of the day replaces it."""
    key, day = folder_key(out_dir), sitrep.date
    earlier = previous(store, out_dir, day)
    by_number = {s.number: s for s in sitrep.sources}
    with store.transaction() as db:
        for table in ("briefings", "briefing_articles", "briefing_developments"):
            db.execute(f"DELETE FROM {table} WHERE out_dir = ? AND date = ?", (key, day))
        db.execute(
            "INSERT INTO briefings (out_dir, date, title, generated_at, takeaways)"
            " VALUES (?,?,?,?,?)",
            (key, day, sitrep.title, sitrep.generated_at.isoformat(),
             json.dumps([t.text for t in sitrep.takeaways])),
        )
        # The version briefed is the article's text now: the one this run read.
        db.executemany(
            "INSERT OR IGNORE INTO briefing_articles (out_dir, date, article_id, undated,"
            " content_hash) VALUES (?,?,?,?,(SELECT content_hash FROM articles WHERE id = ?))",
            [(key, day, s.article_id, int(s.undated), s.article_id) for s in sitrep.sources],
        )
        for position, dev in enumerate(sitrep.developments):
            ids = list(dict.fromkeys(by_number[n].article_id for n in dev.sources
                                     if n in by_number))
            db.execute(
                "INSERT INTO briefing_developments (out_dir, date, position, headline, status,"
                " last_reported, article_ids, points) VALUES (?,?,?,?,?,?,?,?)",
                (key, day, position, dev.headline.text, dev.status,
                 _last_reported(dev.status, dev.previously.headline if dev.previously else None,
                                earlier, day),
                 json.dumps(ids), json.dumps([p.text for p in dev.points])),
            )


def _last_reported(
    status: str, previous_headline: str | None, earlier: PastBriefing | None, day: str
) -> str:
    """An unchanged development was last reported when the one it continues was."""
    if status != "unchanged" or earlier is None:
        return day
    for dev in earlier.developments:
        if dev.headline == previous_headline:
            return dev.last_reported
    return earlier.date
