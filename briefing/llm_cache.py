"""SQLite cache of LLM replies, and the log of every LLM call (``brief log``).

Replies are keyed by model, prompt version and request hash.

A re-run of the same day makes no call, and a run interrupted after k of N chunks
makes only the N-k missing calls on restart. The table lives in the article store's
database file by default; it uses its own connection so it never shares a transaction.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from dataclasses import dataclass
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


def open_shared(path: Path | str, what: str) -> sqlite3.Connection:
    """A connection to the store's file that several threads may share (under a lock)."""
    try:
        return connect(str(path), shared=True)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(
            f"cannot open {what} {path}: {exc} (check db_path in brief.toml)"
        ) from None


class LLMCache:
    """Stored replies; ``get`` and ``put`` are safe from several threads."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self._lock = threading.Lock()
        # The table is created by briefing/migrations.py (m005_llm_cache).
        self.db = open_shared(path, "the LLM cache")

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


# ---------------------------------------------------------------- the call log
# Its table, llm_calls, is created by briefing/migrations.py (m008_llm_calls).


@dataclass(frozen=True)
class CallRecord:
    """One LLM call (or cache hit) as the call log keeps it."""

    run_id: str
    day: str
    role: str
    model: str
    prompt: str
    reply: str | None
    input_tokens: int | None
    output_tokens: int | None
    cost: float | None
    latency: float
    cached: bool = False
    error: str | None = None


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class CallLog:
    """Every LLM call of every run, in the store's database file."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self._lock = threading.Lock()
        self.db = open_shared(path, "the LLM call log")

    def record(self, call: CallRecord, keep_text: bool = True) -> None:
        """Append one call; the texts are kept only when ``keep_text`` (hashes always)."""
        with self._lock:
            self.db.execute(
                "INSERT INTO llm_calls (run_id, day, at, role, model, prompt_hash, prompt,"
                " reply_hash, reply, input_tokens, output_tokens, cost, latency_ms, cached,"
                " error) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (call.run_id, call.day, datetime.now(UTC).isoformat(timespec="seconds"),
                 call.role, call.model, _sha(call.prompt), call.prompt if keep_text else None,
                 None if call.reply is None else _sha(call.reply),
                 call.reply if keep_text else None, call.input_tokens, call.output_tokens,
                 call.cost, round(call.latency * 1000), int(call.cached), call.error),
            )

    def calls(self, day: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Logged calls, oldest first: all, or those for the briefing of ``day``."""
        sql = "SELECT * FROM llm_calls"
        args: list[Any] = []
        if day is not None:
            sql += " WHERE day = ?"
            args.append(day)
        sql += " ORDER BY id"
        with self._lock:
            rows = [dict(r) for r in self.db.execute(sql, args).fetchall()]
        for row in rows:
            row["cached"] = bool(row["cached"])
        return rows[-limit:] if limit else rows

    def last_run_failures(self) -> str | None:
        """How the latest run's calls failed, in one line; None when none failed."""
        with self._lock:
            row = self.db.execute("SELECT run_id, day FROM llm_calls ORDER BY id DESC LIMIT 1"
                                  ).fetchone()
            if row is None:
                return None
            calls = self.db.execute(
                "SELECT error FROM llm_calls WHERE run_id = ? AND cached = 0", (row["run_id"],)
            ).fetchall()
        errors = [c["error"] for c in calls if c["error"]]
        if not errors:
            return None
        return (f"the last run (briefing {row['day']}): {len(errors)} of {len(calls)} LLM calls"
                f" failed, last: {errors[-1]}")

    def close(self) -> None:
        """Close the connection."""
        self.db.close()


def describe_call(call: dict[str, Any]) -> str:
    """One line for ``brief log``: when, role, model, tokens, cost, latency, outcome."""
    tokens = (f"{call['input_tokens'] or 0:,} in / {call['output_tokens'] or 0:,} out"
              if call["input_tokens"] is not None else "tokens not reported")
    cost = f"${call['cost']:.5f}" if call["cost"] is not None else "cost unknown"
    outcome = ("cache hit" if call["cached"] else
               f"FAILED: {call['error']}" if call["error"] else f"{call['latency_ms']} ms")
    return (f"{call['at']}  {call['day']}  {call['role']:<7} {call['model']}  {tokens}"
            f"  {cost}  {outcome}")
