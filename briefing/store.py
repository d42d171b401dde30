"""The article store: SQLite in WAL mode, one row per distinct article text.

An article is the same as a stored one when its canonical URL or its normalised text
hash matches; then only its new source is recorded, so a re-run adds nothing twice
and an exact duplicate keeps every place it was found. A newer version of an article
at the same URL replaces the stored text under the same id; the text it replaces is
kept in ``article_versions``, so a briefing that used it can still be compared with
the new one (revisions.py).
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from briefing.errors import StoreError
from briefing.links import canonical_url, clean_url
from briefing.migrations import connect
from briefing.models import Article, DateSource, Quarantined, SourceKind, SourceRef
from briefing.text import fold

__all__ = ["Store", "canonical_url", "clean_url", "normalise_text", "text_hash"]

def normalise_text(text: str) -> str:
    """Text folded for comparison (``text.fold``), words only: what the hash is taken of."""
    return " ".join(re.findall(r"\w+", fold(text)))


def text_hash(text: str) -> str:
    """SHA-256 of the normalised text."""
    return hashlib.sha256(normalise_text(text).encode()).hexdigest()


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def _local_iso(value: datetime | None) -> str | None:
    # A publication time keeps the page's own offset (its day is the local day);
    # queries compare instants through SQLite's datetime(), which normalises to UTC.
    return value.isoformat() if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class Store:
    """SQLite-backed article store; use as a context manager or call close()."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            self.db = connect(path)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(
                f"cannot open the article store {path}: {exc} (check db_path in brief.toml)"
            ) from None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the database connection."""
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: all of it lands or none of it does."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    def add(self, article: Article, now: datetime | None = None) -> tuple[Article, bool]:
        """Store an article; returns the stored article and whether it was new text."""
        article_id, is_new = self.put(article, now)
        stored = self.get(article_id)
        assert stored is not None
        return stored, is_new

    def put(self, article: Article, now: datetime | None = None) -> tuple[str, bool]:
        """Store an article; returns its id and whether it was new text (no read-back)."""
        now = now or datetime.now(UTC)
        url = canonical_url(article.url)
        digest = article.content_hash or text_hash(article.text)
        try:
            with self.transaction() as db:
                row = self._find(db, url, digest)
                if row is None:
                    article_id = digest[:16]
                    self._insert(db, article, article_id, url, digest, now)
                    is_new = True
                else:
                    article_id = row["id"]
                    is_new = False
                    if row["content_hash"] != digest and url and row["canonical_url"] == url:
                        self._replace_text(db, article_id, article, digest, now)
                for source in article.sources:
                    self._add_source(db, article_id, source, now)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write to the article store {self.path}: {exc}") from None
        return article_id, is_new

    def _find(self, db: sqlite3.Connection, url: str | None, digest: str) -> Any:
        if url:
            row = db.execute("SELECT * FROM articles WHERE canonical_url = ?", (url,)).fetchone()
            if row is not None:
                return row
        return db.execute("SELECT * FROM articles WHERE content_hash = ?", (digest,)).fetchone()

    def _insert(
        self, db: sqlite3.Connection, a: Article, article_id: str, url: str | None,
        digest: str, now: datetime,
    ) -> None:
        db.execute(
            "INSERT INTO articles (id, canonical_url, url, content_hash, title, site, author,"
            " published_at, date_source, fetched_at, first_seen, updated_at, text,"
            " suspicious_passages, notes, language, quarantined)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (article_id, url, clean_url(a.url), digest, a.title, a.site, a.author, _local_iso(a.published_at),
             a.date_source.value, _iso(a.fetched_at), _iso(now), _iso(now), a.text,
             a.suspicious_passages, json.dumps(a.notes), a.language, _quarantined_json(a)),
        )

    def _replace_text(
        self, db: sqlite3.Connection, article_id: str, a: Article, digest: str, now: datetime
    ) -> None:
        db.execute(
            "INSERT OR IGNORE INTO article_versions (article_id, content_hash, title, text,"
            " replaced_at) SELECT id, content_hash, title, text, ? FROM articles WHERE id = ?",
            (_iso(now), article_id),
        )
        db.execute(
            "UPDATE articles SET content_hash=?, title=?, text=?, published_at=COALESCE(?,"
            " published_at), updated_at=?, suspicious_passages=?, notes=?, language=?,"
            " quarantined=? WHERE id=?",
            (digest, a.title, a.text, _local_iso(a.published_at), _iso(now), a.suspicious_passages,
             json.dumps(a.notes), a.language, _quarantined_json(a), article_id),
        )

    def _add_source(
        self, db: sqlite3.Connection, article_id: str, s: SourceRef, now: datetime
    ) -> None:
        db.execute(
            "INSERT INTO article_sources (article_id, kind, location, url, site, title, name,"
            " published_at, seen_at, tag, reliability) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT(article_id, location) DO NOTHING",
            (article_id, s.kind.value, s.location, clean_url(s.url), s.site,
             s.title, s.name, _local_iso(s.published_at), _iso(now), s.tag, s.reliability),
        )

    def get(self, article_id: str) -> Article | None:
        """One stored article with all its sources."""
        row = self.db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return self._article(row) if row else None

    def _article(self, row: Any) -> Article:
        sources = [
            SourceRef(
                kind=SourceKind(s["kind"]), location=s["location"], url=s["url"],
                site=s["site"], title=s["title"], name=s["name"],
                published_at=_dt(s["published_at"]), tag=s["tag"], reliability=s["reliability"],
            )
            for s in self.db.execute(
                "SELECT * FROM article_sources WHERE article_id = ? ORDER BY seen_at, location",
                (row["id"],),
            )
        ]
        return Article(
            id=row["id"], title=row["title"], text=row["text"], url=row["url"],
            site=row["site"], author=row["author"], published_at=_dt(row["published_at"]),
            date_source=DateSource(row["date_source"]), fetched_at=_dt(row["fetched_at"]),
            content_hash=row["content_hash"], sources=sources,
            suspicious_passages=row["suspicious_passages"], notes=json.loads(row["notes"]),
            language=row["language"],
            quarantined=[Quarantined(**q) for q in json.loads(row["quarantined"] or "[]")],
        )

    def version_text(self, article_id: str, content_hash: str) -> str | None:
        """The text the article had when its hash was ``content_hash``, if it is kept."""
        row = self.db.execute(
            "SELECT text FROM articles WHERE id = ? AND content_hash = ? UNION ALL"
            " SELECT text FROM article_versions WHERE article_id = ? AND content_hash = ?",
            (article_id, content_hash, article_id, content_hash),
        ).fetchone()
        return None if row is None else str(row[0])

    def articles(self, ids: Iterable[str]) -> list[Article]:
        """The stored articles with these ids, in the order given, each once."""
        seen: dict[str, Article] = {}
        for article_id in ids:
            if article_id not in seen and (article := self.get(article_id)) is not None:
                seen[article_id] = article
        return list(seen.values())

    def in_window(self, start: datetime, end: datetime) -> list[Article]:
        """Articles published in [start, end), and undated ones first seen then."""
        rows = self.db.execute(
            "SELECT * FROM articles WHERE"
            " (datetime(published_at) >= datetime(?) AND datetime(published_at) < datetime(?))"
            " OR (published_at IS NULL AND first_seen >= ? AND first_seen < ?)"
            " ORDER BY datetime(published_at), id",
            (_iso(start), _iso(end), _iso(start), _iso(end)),
        ).fetchall()
        return [self._article(r) for r in rows]

    def revised_between(self, start: datetime, end: datetime) -> list[Article]:
        """Articles whose text a newer version at their URL replaced in [start, end)."""
        rows = self.db.execute(
            "SELECT * FROM articles WHERE updated_at > first_seen AND updated_at >= ?"
            " AND updated_at < ? ORDER BY updated_at, id",
            (_iso(start), _iso(end)),
        ).fetchall()
        return [self._article(r) for r in rows]

    def count(self) -> int:
        """How many distinct articles are stored."""
        return int(self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def get_value(self, key: str) -> str | None:
        """A small persisted value (e.g. a feed's ETag)."""
        row = self.db.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_value(self, key: str, value: str) -> None:
        """Persist a small value."""
        self.db.execute(
            "INSERT INTO kv (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


def _quarantined_json(article: Article) -> str:
    return json.dumps([q.model_dump() for q in article.quarantined], ensure_ascii=False)
