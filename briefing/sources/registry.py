"""The sources a user follows: ``[[sources]]`` in brief.toml plus those added with
``brief sources add`` (kept in the store's database), and each one's health.

Tables (created by briefing/migrations.py, used here on the store's connection):
``user_sources``   sources added from the command line;
``source_health``  last attempt, success and error of every source;
``feed_items``     feed items already taken, so a re-run fetches nothing twice.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Literal

from pydantic import BaseModel

from briefing.config import Settings, SourceConfig
from briefing.errors import ConfigError, FetchError, SourceError, StoreError
from briefing.netguard import check_url
from briefing.store import Store

MAX_ITEM_ATTEMPTS = 3  # an item that failed this many runs is not tried again
ITEM_MEMORY = timedelta(days=30)  # feed items older than this are forgotten


def default_name(url: str) -> str:
    """A source's name when none is given: its host without ``www.``."""
    try:
        host = check_url(url, allow_private=True).host.lower().rstrip(".")
    except FetchError:
        return url  # a bad URL still needs a name; fetching it reports the problem
    return host.removeprefix("www.")


def named(sources: list[SourceConfig]) -> list[SourceConfig]:
    """The sources with a unique name each (host, then host-2, host-3 ...)."""
    used: set[str] = set()
    out = []
    for source in sources:
        base = source.name or default_name(source.url)
        name, n = base, 2
        while name in used:
            name, n = f"{base}-{n}", n + 1
        used.add(name)
        out.append(source if source.name == name else source.model_copy(update={"name": name}))
    return out


def user_sources(store: Store) -> list[SourceConfig]:
    """Sources added with ``brief sources add``, oldest first."""
    rows = store.db.execute("SELECT * FROM user_sources ORDER BY added_at, name").fetchall()
    return [
        SourceConfig(
            url=r["url"],
            name=r["name"],
            tag=r["tag"],
            reliability=r["reliability"],
            kind=r["kind"],
            allow_private=bool(r["allow_private"]),
        )
        for r in rows
    ]


def all_sources(settings: Settings, store: Store) -> list[SourceConfig]:
    """Config sources first, then user-added ones; a URL listed twice counts once."""
    seen: set[str] = set()
    merged = []
    for source in [*settings.sources, *user_sources(store)]:
        if source.url not in seen:
            seen.add(source.url)
            merged.append(source)
    return named(merged)


def add_source(
    store: Store,
    settings: Settings,
    url: str,
    *,
    name: str | None = None,
    tag: str | None = None,
    reliability: str | None = None,
    kind: Literal["feed", "page"] = "feed",
    allow_private: bool = False,
    now: datetime | None = None,
) -> SourceConfig:
    """Remember a new source; raises SourceError if its URL or name is taken."""
    # Scheme, shape and a literal loopback/private host now, so a source that could never
    # be fetched is refused when added; names that resolve to one are checked at fetch.
    check_url(url, allow_private=allow_private)
    existing = all_sources(settings, store)
    same = next((s for s in existing if s.url == url), None)
    if same is not None:
        raise SourceError(
            f"{url} is already a source, named {same.name!r}: to change how it is followed,"
            f" `brief sources remove {same.name}`, then add it again"
        )
    try:
        source = SourceConfig(
            url=url,
            name=name,
            tag=tag,
            reliability=reliability,  # type: ignore[arg-type]
            kind=kind,
            allow_private=allow_private,
        )
    except ValueError as exc:
        raise ConfigError(f"bad source {url}: {exc}") from None
    taken = {s.name for s in existing}
    source = named([*existing, source])[-1] if name is None else source
    if source.name in taken:
        raise SourceError(f"a source named {source.name!r} exists; choose another --name")
    stamp = (now or datetime.now(UTC)).isoformat()
    try:
        store.db.execute(
            "INSERT INTO user_sources (name, url, tag, reliability, kind, allow_private,"
            " added_at) VALUES (?,?,?,?,?,?,?)",
            (
                source.name,
                source.url,
                source.tag,
                source.reliability,
                source.kind,
                int(source.allow_private),
                stamp,
            ),
        )
    except sqlite3.Error as exc:
        raise StoreError(f"cannot save source {url} in {store.path}: {exc}") from None
    return source


def remove_source(store: Store, settings: Settings, name: str) -> SourceConfig:
    """Forget a source added with ``brief sources add``; config sources stay in brief.toml."""
    for source in named(list(settings.sources)):
        if source.name == name:
            where = settings.config_file or "brief.toml"
            raise SourceError(f"source {name!r} is defined in {where}; remove it there")
    match = [s for s in all_sources(settings, store) if s.name == name]
    if not match:
        raise SourceError(f"no source named {name!r} (see `brief sources list`)")
    store.db.execute("DELETE FROM user_sources WHERE url = ?", (match[0].url,))
    return match[0]


class SourceHealth(BaseModel):
    """A source as `brief sources list` shows it."""

    source: SourceConfig
    origin: Literal["config", "added"]
    last_success: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    last_status: str | None = None
    articles_24h: int = 0


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def list_sources(
    settings: Settings, store: Store, now: datetime | None = None
) -> list[SourceHealth]:
    """Every source with its last success, last error and articles in the last 24 h."""
    now = now or datetime.now(UTC)
    config_urls = {s.url for s in settings.sources}
    since = (now - timedelta(hours=24)).isoformat()
    out = []
    for source in all_sources(settings, store):
        row = store.db.execute(
            "SELECT * FROM source_health WHERE name = ?", (source.name,)
        ).fetchone()
        count = store.db.execute(
            "SELECT COUNT(DISTINCT article_id) FROM article_sources WHERE name = ? AND seen_at > ?",
            (source.name, since),
        ).fetchone()[0]
        out.append(
            SourceHealth(
                source=source,
                origin="config" if source.url in config_urls else "added",
                last_success=_dt(row["last_success"]) if row else None,
                last_error=row["last_error"] if row else None,
                last_error_at=_dt(row["last_error_at"]) if row else None,
                last_status=row["last_status"] if row else None,
                articles_24h=int(count),
            )
        )
    return out


def record_health(
    store: Store,
    name: str,
    url: str,
    status: str,
    error: str | None,
    added: int,
    now: datetime,
) -> None:
    """Remember how a source's latest ingest went."""
    stamp = now.isoformat()
    store.db.execute(
        "INSERT INTO source_health (name, url, last_attempt, last_status, last_success,"
        " last_error, last_error_at, last_added, total_added) VALUES (?,?,?,?,?,?,?,?,?)"
        " ON CONFLICT(name) DO UPDATE SET url=excluded.url, last_attempt=excluded.last_attempt,"
        " last_status=excluded.last_status,"
        " last_success=COALESCE(excluded.last_success, source_health.last_success),"
        " last_error=COALESCE(excluded.last_error, source_health.last_error),"
        " last_error_at=COALESCE(excluded.last_error_at, source_health.last_error_at),"
        " last_added=excluded.last_added, total_added=source_health.total_added + ?",
        (
            name,
            url,
            stamp,
            status,
            None if error else stamp,
            error,
            stamp if error else None,
            added,
            added,
            added,
        ),
    )


def seen_items(store: Store, feed_url: str) -> dict[str, tuple[str, str | None, int]]:
    """Items already met in a feed: key -> (stamp, article id, failed attempts)."""
    rows = store.db.execute(
        "SELECT item_key, stamp, article_id, attempts FROM feed_items WHERE feed_url = ?",
        (feed_url,),
    ).fetchall()
    return {r["item_key"]: (r["stamp"], r["article_id"], r["attempts"]) for r in rows}


ItemMark = tuple[str, str, str, str | None]  # feed URL, item key, stamp, article id


def mark_items(store: Store, marks: list[ItemMark], now: datetime) -> None:
    """Record items as taken (with their article) or as one more failed attempt each."""
    if not marks:
        return
    rows = [
        (url, key, stamp, article_id, 0 if article_id else 1, now.isoformat())
        for url, key, stamp, article_id in marks
    ]
    with store.transaction() as db:  # one commit for a feed's items, not one each
        db.executemany(_MARK, rows)


_MARK = (
    "INSERT INTO feed_items (feed_url, item_key, stamp, article_id, attempts, seen_at)"
    " VALUES (?,?,?,?,?,?) ON CONFLICT(feed_url, item_key) DO UPDATE SET"
    " stamp=excluded.stamp, article_id=excluded.article_id, seen_at=excluded.seen_at,"
    " attempts=CASE WHEN excluded.article_id IS NULL THEN feed_items.attempts + 1"
    " ELSE feed_items.attempts END"
)


def describe(health: SourceHealth) -> str:
    """One line for `brief sources list`."""
    s = health.source
    extras: list[str] = [s.kind]
    if s.tag:
        extras.append(f"tag {s.tag}")
    if s.reliability:
        extras.append(f"reliability {s.reliability}")
    if s.allow_private:
        extras.append("private allowed")
    if health.origin == "config":
        extras.append("from config")
    ok = f"{health.last_success:%Y-%m-%d %H:%M} UTC" if health.last_success else "never"
    line = (
        f"{s.name}  {s.url}  [{', '.join(extras)}]  last success: {ok};"
        f" {health.articles_24h} article(s) in 24 h"
    )
    if health.last_error and (
        health.last_success is None
        or (health.last_error_at and health.last_error_at >= health.last_success)
    ):
        line += f"; last error: {health.last_error}"
    return line


def forget_old_items(store: Store, now: datetime) -> int:
    """Drop feed items not taken for ``ITEM_MEMORY``; returns how many were dropped.

    An item still listed after that is fetched once more, and the store recognises its
    article by URL or text, so forgetting costs one request, never a duplicate.
    """
    cursor = store.db.execute(
        "DELETE FROM feed_items WHERE seen_at < ?", ((now - ITEM_MEMORY).isoformat(),)
    )
    return cursor.rowcount
