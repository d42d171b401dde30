"""SQLite cache of LLM replies, keyed by model, prompt version and request hash.

A re-run of the same day makes no call, and a run interrupted after k of N chunks
makes only the N-k missing calls on restart. The table lives in the article store's
database file by default; it uses its own connection so it never shares a transaction.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from briefing.errors import StoreError
from briefing.migrations import connect


def cache_key(model: str, prompt_version: str, request: Any) -> str:
    """The key for a request: model, prompt version and a hash of the request body."""
    body = json.dumps(request, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(body.encode()).hexdigest()
    return f"{model}|{prompt_version}|{digest}"


class LLMCache:
    """Stored replies; ``get`` and ``put`` are safe from several threads."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self._lock = threading.Lock()
        try:
            # The table is created by briefing/migrations.py (m005_llm_cache).
            self.db = connect(self.path, shared=True)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(
                f"cannot open the LLM cache {path}: {exc} (check db_path in brief.toml)"
            ) from None

    def get(self, key: str) -> str | None:
        """The stored reply for ``key``, or None."""
        with self._lock:
            row = self.db.execute(
                "SELECT response FROM llm_cache WHERE key = ?", (key,)
            ).fetchone()
        return None if row is None else str(row[0])

    def put(self, key: str, response: str, input_tokens: int = 0, output_tokens: int = 0) -> None:
        """Store a reply that parsed and validated (never a broken one)."""
        model, version, _ = key.split("|", 2)
        with self._lock:
            self.db.execute(
                "INSERT INTO llm_cache (key, model, prompt_version, response, input_tokens,"
                " output_tokens, created_at) VALUES (?,?,?,?,?,?,?)"
                " ON CONFLICT(key) DO UPDATE SET response = excluded.response",
                (key, model, version, response, input_tokens, output_tokens,
                 datetime.now(UTC).isoformat()),
            )

    def count(self) -> int:
        """How many replies are stored."""
        with self._lock:
            return int(self.db.execute("SELECT COUNT(*) FROM llm_cache").fetchone()[0])

    def close(self) -> None:
        """Close the connection."""
        self.db.close()
