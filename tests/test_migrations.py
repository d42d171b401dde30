"""The schema's one owner: numbered migrations, and old stores upgraded in place."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefing import migrations
from briefing.config import Settings
from briefing.deliver import SentLog
from briefing.llm_cache import LLMCache
from briefing.migrations import MIGRATIONS, applied, connect, migrate
from briefing.models import Article, DateSource, SourceKind, SourceRef
from briefing.sources import registry
from briefing.store import Store

# The schema as brief wrote it before migrations existed, each module creating its own
# tables (store.py, sources/registry.py, deliver.py, llm_cache.py at 0.3).
PRE_MIGRATIONS_SCHEMA = """
CREATE TABLE articles (
    id TEXT PRIMARY KEY, canonical_url TEXT, url TEXT, content_hash TEXT NOT NULL,
    title TEXT NOT NULL, site TEXT, author TEXT, published_at TEXT,
    date_source TEXT NOT NULL, fetched_at TEXT, first_seen TEXT NOT NULL,
    updated_at TEXT NOT NULL, text TEXT NOT NULL,
    suspicious_passages INTEGER NOT NULL DEFAULT 0, notes TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX articles_url ON articles(canonical_url);
CREATE INDEX articles_hash ON articles(content_hash);
CREATE INDEX articles_published ON articles(published_at);
CREATE TABLE article_sources (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind TEXT NOT NULL, location TEXT NOT NULL, url TEXT, site TEXT, title TEXT,
    name TEXT, published_at TEXT, seen_at TEXT NOT NULL, tag TEXT, reliability TEXT,
    PRIMARY KEY (article_id, location)
);
CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE user_sources (
    name TEXT PRIMARY KEY, url TEXT NOT NULL UNIQUE, tag TEXT, reliability TEXT,
    kind TEXT NOT NULL DEFAULT 'feed', allow_private INTEGER NOT NULL DEFAULT 0,
    added_at TEXT NOT NULL
);
CREATE TABLE source_health (
    name TEXT PRIMARY KEY, url TEXT NOT NULL, last_attempt TEXT, last_status TEXT,
    last_success TEXT, last_error TEXT, last_error_at TEXT,
    last_added INTEGER NOT NULL DEFAULT 0, total_added INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE feed_items (
    feed_url TEXT NOT NULL, item_key TEXT NOT NULL, stamp TEXT NOT NULL, article_id TEXT,
    attempts INTEGER NOT NULL DEFAULT 0, seen_at TEXT NOT NULL,
    PRIMARY KEY (feed_url, item_key)
);
CREATE TABLE sent_log (
    briefing_date TEXT NOT NULL, recipient TEXT NOT NULL, message_id TEXT NOT NULL,
    sent_at TEXT NOT NULL, times INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (briefing_date, recipient)
);
CREATE TABLE llm_cache (
    key TEXT PRIMARY KEY, model TEXT NOT NULL, prompt_version TEXT NOT NULL,
    response TEXT NOT NULL, input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL
);
"""

ROWS = """
INSERT INTO articles VALUES ('a1b2', 'https://news.test/harbour', 'https://news.test/harbour',
 'a1b2ffff', 'Harbour cranes idle for a second day', 'news.test', 'R. Okafor',
 '2026-11-30T08:00:00+00:00', 'meta', NULL, '2026-11-30T09:00:00+00:00',
 '2026-11-30T09:00:00+00:00', 'Dock workers kept the cranes idle on Monday.', 0, '[]');
INSERT INTO article_sources VALUES ('a1b2', 'feed', 'https://news.test/harbour',
 'https://news.test/harbour', 'news.test', 'Harbour cranes idle', 'harbour-wire',
 NULL, '2026-11-30T09:00:00+00:00', 'ports', 'B');
INSERT INTO kv VALUES ('etag:https://news.test/feed', '"v7"');
INSERT INTO user_sources VALUES ('harbour-wire', 'https://news.test/feed', 'ports', 'B',
 'feed', 0, '2026-11-01T00:00:00+00:00');
INSERT INTO feed_items VALUES ('https://news.test/feed', 'guid-1', '', 'a1b2', 0,
 '2026-11-30T09:00:00+00:00');
INSERT INTO sent_log VALUES ('2026-11-30', 'desk@example.org', '<m1@brief>',
 '2026-11-30T10:00:00+00:00', 1);
INSERT INTO llm_cache VALUES ('m|v1|abc', 'm', 'v1', '{"ok": true}', 0, 0,
 '2026-11-30T10:00:00+00:00');
"""


def _old_store(path: Path, schema: str = PRE_MIGRATIONS_SCHEMA) -> None:
    db = sqlite3.connect(path)
    db.executescript(schema + ROWS)
    db.close()


def test_a_new_store_gets_every_migration_once(tmp_path: Path) -> None:
    db = connect(tmp_path / "new.db")
    assert applied(db) == {name for name, _ in MIGRATIONS}
    assert migrate(db) == []  # nothing left to do on the next open
    db.close()


def test_migrations_are_numbered_in_registration_order() -> None:
    numbers = [int(name[1:4]) for name, _ in MIGRATIONS]
    assert numbers == list(range(1, len(MIGRATIONS) + 1))


def test_a_store_made_before_migrations_is_upgraded_without_losing_rows(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    _old_store(path)
    with Store(path) as store:
        article = store.get("a1b2")
        assert article is not None
        assert article.title == "Harbour cranes idle for a second day"
        assert article.language is None  # the new column, empty for old rows
        assert article.sources[0].tag == "ports" and article.sources[0].reliability == "B"
        assert store.get_value("etag:https://news.test/feed") == '"v7"'
        assert [s.name for s in registry.user_sources(store)] == ["harbour-wire"]
        assert set(registry.seen_items(store, "https://news.test/feed")) == {"guid-1"}
        assert "m006_article_language" in applied(store.db)
    sent = SentLog(path)
    assert sent.was_sent("2026-11-30", "desk@example.org")
    sent.close()
    cache = LLMCache(path)
    assert cache.get("m|v1|abc") == '{"ok": true}'
    cache.close()


def test_a_store_without_source_labels_gains_them(tmp_path: Path) -> None:
    path = tmp_path / "older.db"
    schema = PRE_MIGRATIONS_SCHEMA.replace(", tag TEXT, reliability TEXT,\n    PRIMARY", ",\n    PRIMARY")
    rows = ROWS.replace("NULL, '2026-11-30T09:00:00+00:00', 'ports', 'B');",
                        "NULL, '2026-11-30T09:00:00+00:00');")
    db = sqlite3.connect(path)
    db.executescript(schema + rows)
    db.close()
    with Store(path) as store:
        article = store.get("a1b2")
        assert article is not None and article.sources[0].location == "https://news.test/harbour"
        assert article.sources[0].tag is None
        store.put(_article("Second report", SourceRef(
            kind=SourceKind.FEED, location="https://news.test/b", tag="ports", reliability="A"
        )))
        assert store.count() == 2


def _article(text: str, source: SourceRef | None = None, language: str | None = None) -> Article:
    return Article(
        title=text, text=text + " The port authority confirmed it.", language=language,
        published_at=datetime(2026, 11, 30, 8, tzinfo=UTC), date_source=DateSource.META,
        sources=[source or SourceRef(kind=SourceKind.INBOX, location=f"{text}.html")],
    )


def test_article_language_is_stored_and_read_back(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        fr, _ = store.put(_article("Les grues du port restent à l'arrêt", language="fr"))
        plain, _ = store.put(_article("Cranes stay idle"))
        assert store.get(fr).language == "fr"  # type: ignore[union-attr]
        assert store.get(plain).language is None  # type: ignore[union-attr]


def test_a_failing_migration_leaves_the_store_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.db"
    connect(path).close()

    def m999_broken(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE half_done (x)")
        raise sqlite3.OperationalError("disk said no")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*MIGRATIONS, ("m999_broken", m999_broken)])
    with pytest.raises(sqlite3.OperationalError):
        connect(path)
    db = sqlite3.connect(path)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "half_done" not in tables
    assert "m999_broken" not in {r[0] for r in db.execute("SELECT name FROM migrations")}
    db.close()


def test_settings_store_opens_for_every_owner(tmp_path: Path) -> None:
    settings = Settings(db_path=tmp_path / "brief.db")
    with Store(settings.db_path) as store:
        registry.add_source(store, settings, "https://news.test/feed", name="wire")
    log = SentLog(settings.db_path)
    log.record("2026-12-01", "desk@example.org", "<m2@brief>")
    log.close()
    with Store(settings.db_path) as store:
        assert [s.name for s in registry.user_sources(store)] == ["wire"]


def test_two_runs_opening_an_old_store_at_once_upgrade_it_once(tmp_path: Path) -> None:
    import threading

    path = tmp_path / "old.db"
    _old_store(path)
    errors: list[BaseException] = []
    gate = threading.Barrier(4)

    def open_it() -> None:
        try:
            gate.wait()
            connect(path).close()
        except BaseException as exc:  # collected: a thread's failure must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db = sqlite3.connect(path)
    names = [r[0] for r in db.execute("SELECT name FROM migrations")]
    db.close()
    assert sorted(names) == sorted(name for name, _ in MIGRATIONS)
    with Store(path) as store:
        assert store.get("a1b2") is not None
