"""The sent-log: who got which day's briefing, and the lock that serialises runs.

The log is a table in the article store's SQLite file, written with synchronous=FULL so
a recorded send survives power loss; a lock file beside it makes overlapping cron runs
take turns, so each recipient gets one copy.
"""

from __future__ import annotations

import fcntl
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

from briefing.config import Settings
from briefing.errors import ConfigError, DeliveryError
from briefing.migrations import connect as open_database

LOCK_TIMEOUT = 600.0  # seconds a run waits for an overlapping run to finish


def sent_log_path(settings: Settings) -> Path:
    """The SQLite file holding the sent-log: the article store's own file."""
    if str(settings.db_path) == ":memory:":
        raise ConfigError("db_path is ':memory:': delivery needs a file to remember what it sent")
    return Path(settings.db_path)


class SentLog:
    """Who got which day's briefing; every write is committed with synchronous=FULL."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            # synchronous=FULL: a recorded send survives power loss.
            self.db = open_database(path, synchronous="FULL")
        except (sqlite3.Error, OSError) as exc:
            raise DeliveryError(f"cannot open the sent-log in {path}: {exc}") from None

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def was_sent(self, briefing_date: str, recipient: str) -> bool:
        """True when this recipient already got (or may have got) this day's briefing."""
        return self.status(briefing_date, recipient) is not None

    def status(self, briefing_date: str, recipient: str) -> str | None:
        """'sent', 'uncertain' (no final reply came), or None when never sent."""
        row = self.db.execute(
            "SELECT status FROM sent_log WHERE briefing_date = ? AND recipient = ?",
            (briefing_date, recipient.lower()),
        ).fetchone()
        return str(row[0]) if row is not None else None

    def record(
        self, briefing_date: str, recipient: str, message_id: str, status: str = "sent"
    ) -> None:
        """Remember a delivered message (a forced re-send counts up ``times``)."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute(
                "INSERT INTO sent_log (briefing_date, recipient, message_id, sent_at, status)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT(briefing_date, recipient) DO UPDATE SET"
                " message_id = excluded.message_id, sent_at = excluded.sent_at,"
                " status = excluded.status, times = times + 1",
                (briefing_date, recipient.lower(), message_id, datetime.now(UTC).isoformat(),
                 status),
            )
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            with suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
            raise DeliveryError(f"cannot write the sent-log in {self.path}: {exc}") from None


@contextmanager
def send_lock(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` so overlapping runs take turns."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise DeliveryError(
                        f"another brief run holds {path} for over {timeout:.0f}s; "
                        "check for a stuck process"
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
