"""The one owner of the SQLite schema: numbered migrations applied in order.

Every table in the store's file is created or changed here, by a function registered
with ``@migration`` (its name starts with its number). ``migrate`` applies the ones not
yet recorded in the ``migrations`` table, each in its own transaction together with its
record, so an interrupted upgrade resumes where it stopped and two processes opening
one file apply each migration once. A store made before this module existed (each
module then created its own tables) is upgraded in place: the early migrations create
only what is missing and add only absent columns, so no row is lost.

To change the schema, add a new function at the end; never edit one that has shipped.

Tables: ``articles``, ``article_sources``, ``kv`` (store.py); ``user_sources``,
``source_health``, ``feed_items`` (sources/registry.py); ``sent_log`` (delivery);
``llm_cache``, ``llm_calls`` (llm_cache.py); ``briefings``, ``briefing_articles``,
``briefing_developments`` (history.py); ``webhook_log`` (webhooks.py);
``article_versions`` (store.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(fn: Migration) -> Migration:
    """Register ``fn`` as the next migration (registration order is applying order)."""
    MIGRATIONS.append((fn.__name__, fn))
    return fn


def connect(
    path: Path | str,
    *,
    synchronous: Literal["NORMAL", "FULL"] = "NORMAL",
    shared: bool = False,
) -> sqlite3.Connection:
    """A connection to the store's file in WAL mode, its schema brought up to date.

    ``shared`` allows the connection to be used from several threads (the caller locks).
    Raises sqlite3.Error or OSError; callers turn them into their own BriefingError.
    """
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(
        str(path), timeout=30.0, isolation_level=None, check_same_thread=not shared
    )
    try:
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode stays consistent and only risks the last commits on power
        # loss (articles are then read again); the sent-log asks for FULL.
        db.execute(f"PRAGMA synchronous={synchronous}")
        db.execute("PRAGMA foreign_keys=ON")
        migrate(db)
    except BaseException:
        db.close()
        raise
    return db


def migrate(db: sqlite3.Connection) -> list[str]:
    """Apply the migrations this database lacks, in order; returns their names."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    done = applied(db)
    applied_now: list[str] = []
    for name, fn in MIGRATIONS:
        if name in done:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have applied it while we waited for the write lock.
            if db.execute("SELECT 1 FROM migrations WHERE name = ?", (name,)).fetchone():
                db.execute("COMMIT")
                continue
            fn(db)
            db.execute(
                "INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                (name, datetime.now(UTC).isoformat()),
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        applied_now.append(name)
    return applied_now


def applied(db: sqlite3.Connection) -> set[str]:
    """The names of the migrations recorded in this database."""
    return {str(row[0]) for row in db.execute("SELECT name FROM migrations")}


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {str(row[1]) for row in db.execute(f"PRAGMA table_info({table})")}


def _add_column(db: sqlite3.Connection, table: str, column: str, definition: str) -> None:
    """Add a column unless a store made before migrations already has it."""
    if column not in _columns(db, table):
        db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")


def _run(db: sqlite3.Connection, script: str) -> None:
    # executescript would COMMIT the migration's transaction; run statement by statement.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


@migration
def m001_articles(db: sqlite3.Connection) -> None:
    """The article store: one row per distinct text, its sources, small key-values."""
    _run(db, """
    CREATE TABLE IF NOT EXISTS articles (
        id TEXT PRIMARY KEY,
        canonical_url TEXT,
        url TEXT,
        content_hash TEXT NOT NULL,
        title TEXT NOT NULL,
        site TEXT,
        author TEXT,
        published_at TEXT,
        date_source TEXT NOT NULL,
        fetched_at TEXT,
        first_seen TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        text TEXT NOT NULL,
        suspicious_passages INTEGER NOT NULL DEFAULT 0,
        notes TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX IF NOT EXISTS articles_url ON articles(canonical_url);
    CREATE INDEX IF NOT EXISTS articles_hash ON articles(content_hash);
    CREATE INDEX IF NOT EXISTS articles_published ON articles(published_at);
    CREATE TABLE IF NOT EXISTS article_sources (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        location TEXT NOT NULL,
        url TEXT,
        site TEXT,
        title TEXT,
        name TEXT,
        published_at TEXT,
        seen_at TEXT NOT NULL,
        PRIMARY KEY (article_id, location)
    );
    CREATE TABLE IF NOT EXISTS kv (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )
    """)


@migration
def m002_source_labels(db: sqlite3.Connection) -> None:
    """Each place an article was found keeps its source's tag and reliability grade."""
    _add_column(db, "article_sources", "tag", "TEXT")
    _add_column(db, "article_sources", "reliability", "TEXT")


@migration
def m003_source_registry(db: sqlite3.Connection) -> None:
    """Sources added from the command line, their health, and feed items already taken."""
    _run(db, """
    CREATE TABLE IF NOT EXISTS user_sources (
        name TEXT PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        tag TEXT,
        reliability TEXT,
        kind TEXT NOT NULL DEFAULT 'feed',
        allow_private INTEGER NOT NULL DEFAULT 0,
        added_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS source_health (
        name TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        last_attempt TEXT,
        last_status TEXT,
        last_success TEXT,
        last_error TEXT,
        last_error_at TEXT,
        last_added INTEGER NOT NULL DEFAULT 0,
        total_added INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE IF NOT EXISTS feed_items (
        feed_url TEXT NOT NULL,
        item_key TEXT NOT NULL,
        stamp TEXT NOT NULL,
        article_id TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        seen_at TEXT NOT NULL,
        PRIMARY KEY (feed_url, item_key)
    )
    """)


@migration
def m004_sent_log(db: sqlite3.Connection) -> None:
    """Who got which day's briefing, so a re-run never mails anyone twice."""
    _run(db, """
    CREATE TABLE IF NOT EXISTS sent_log (
        briefing_date TEXT NOT NULL,
        recipient TEXT NOT NULL,
        message_id TEXT NOT NULL,
        sent_at TEXT NOT NULL,
        times INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (briefing_date, recipient)
    )
    """)


@migration
def m005_llm_cache(db: sqlite3.Connection) -> None:
    """Stored LLM replies, keyed by model, prompt version and request hash."""
    _run(db, """
    CREATE TABLE IF NOT EXISTS llm_cache (
        key TEXT PRIMARY KEY,
        model TEXT NOT NULL,
        prompt_version TEXT NOT NULL,
        response TEXT NOT NULL,
        input_tokens INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    )
    """)


@migration
def m006_article_language(db: sqlite3.Connection) -> None:
    """The language detected in each article's text (ISO 639-1; NULL when unknown)."""
    _add_column(db, "articles", "language", "TEXT")


@migration
def m007_briefing_history(db: sqlite3.Connection) -> None:
    """Each briefing per output folder: its takeaways, the articles it used, its developments."""
    _run(db, """
    CREATE TABLE IF NOT EXISTS briefings (
        out_dir TEXT NOT NULL,
        date TEXT NOT NULL,
        title TEXT NOT NULL,
        generated_at TEXT NOT NULL,
        takeaways TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (out_dir, date)
    );
    CREATE TABLE IF NOT EXISTS briefing_articles (
        out_dir TEXT NOT NULL,
        date TEXT NOT NULL,
        article_id TEXT NOT NULL,
        undated INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (out_dir, date, article_id)
    );
    CREATE INDEX IF NOT EXISTS briefing_articles_article ON briefing_articles(article_id);
    CREATE TABLE IF NOT EXISTS briefing_developments (
        out_dir TEXT NOT NULL,
        date TEXT NOT NULL,
        position INTEGER NOT NULL,
        headline TEXT NOT NULL,
        status TEXT NOT NULL,
        last_reported TEXT NOT NULL,
        article_ids TEXT NOT NULL,
        points TEXT NOT NULL,
        PRIMARY KEY (out_dir, date, position)
    );
    """)


@migration
def m008_llm_calls(db: sqlite3.Connection) -> None:
    """The LLM call log (`brief log`): every call and cache hit, with usage and cost."""
    _run(db, """
    CREATE TABLE IF NOT EXISTS llm_calls (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id TEXT NOT NULL,
        day TEXT NOT NULL,             -- the briefing's date, YYYY-MM-DD
        at TEXT NOT NULL,              -- when the call ended, ISO 8601 UTC
        role TEXT NOT NULL,            -- map, reduce or compose
        model TEXT NOT NULL,
        prompt_hash TEXT NOT NULL,     -- sha256 of the messages as JSON
        prompt TEXT,                   -- the messages, unless llm.log_text is off
        reply_hash TEXT,
        reply TEXT,
        input_tokens INTEGER,          -- as the API reported them, NULL when it did not
        output_tokens INTEGER,
        cost REAL,                     -- dollars, from llm.prices, NULL when unknown
        latency_ms INTEGER NOT NULL,
        cached INTEGER NOT NULL DEFAULT 0,
        error TEXT
    )
    """)
    _run(db, "CREATE INDEX IF NOT EXISTS llm_calls_day ON llm_calls (day)")


@migration
def m009_article_quarantined(db: sqlite3.Connection) -> None:
    """Passages held back from each article's text, with reasons (JSON list; briefing.safety)."""
    _add_column(db, "articles", "quarantined", "TEXT NOT NULL DEFAULT '[]'")


@migration
def m010_sent_log_status(db: sqlite3.Connection) -> None:
    """A send whose final reply never came is logged 'uncertain', so it is not re-sent."""
    _add_column(db, "sent_log", "status", "TEXT NOT NULL DEFAULT 'sent'")


@migration
def m011_webhook_log(db: sqlite3.Connection) -> None:
    """Which webhook target got which day's briefing (the chat sent-log, webhooks.py)."""
    _run(db, """
    CREATE TABLE IF NOT EXISTS webhook_log (
        briefing_date TEXT NOT NULL,
        target TEXT NOT NULL,
        kind TEXT NOT NULL,
        status INTEGER NOT NULL,
        sent_at TEXT NOT NULL,
        times INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (briefing_date, target)
    );
    """)


@migration
def m012_article_versions(db: sqlite3.Connection) -> None:
    """The texts a live story's URL had before its latest, and which one each briefing used;
    an index to find the texts replaced in a period.

    A briefing row made before this migration has no ``content_hash``: its version is
    unknown and taken to be the article's current text, as it was then treated.
    """
    _run(db, """
    CREATE TABLE IF NOT EXISTS article_versions (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        content_hash TEXT NOT NULL,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        replaced_at TEXT NOT NULL,
        PRIMARY KEY (article_id, content_hash)
    );
    CREATE INDEX IF NOT EXISTS articles_updated ON articles(updated_at)
    """)
    _add_column(db, "briefing_articles", "content_hash", "TEXT")
