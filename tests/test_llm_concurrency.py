"""Concurrency cap, deadline and resumption, against the scripted server on 127.0.0.1.

These run the real server (no cassette): they are about how requests are scheduled,
which a replay cannot show.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from briefing.backends.openai_backend import OpenAIBackend
from briefing.errors import LLMError
from briefing.llm_cache import LLMCache
from briefing.models import SummaryOptions
from tests import llm_support as S
from tests.scripted_server import Script, ScriptedServer

OPTIONS = SummaryOptions(date="2026-11-24")


@pytest.fixture
def vcr_config() -> dict[str, Any]:
    return S.vcr_config()  # lets pytest-recording's network block pass 127.0.0.1


def test_requests_never_exceed_the_concurrency_cap() -> None:
    with ScriptedServer(Script(delay=0.3)) as server:
        llm = S.settings(server.base_url, max_concurrency=2, chunk_tokens=120)
        backend = OpenAIBackend(llm, LLMCache(":memory:"))
        backend.summarise(S.DAY, OPTIONS)
    assert backend.stats.map_total > 4
    assert server.max_in_flight == 2


def test_the_run_deadline_stops_waiting_and_fails_the_run() -> None:
    with ScriptedServer(Script(delay=2.0)) as server:
        llm = S.settings(server.base_url, deadline=0.5, max_concurrency=4)
        backend = OpenAIBackend(llm, LLMCache(":memory:"))
        with pytest.raises(LLMError, match="3 of 3 chunks failed"):
            backend.summarise(S.DAY, OPTIONS)


def test_an_interrupted_run_resumes_with_only_the_missing_calls(tmp_path: Path) -> None:
    db = tmp_path / "brief.db"
    with ScriptedServer() as server:
        llm = S.settings(server.base_url)
        first = OpenAIBackend(llm, LLMCache(db))
        first.summarise(S.DAY[:1], OPTIONS)  # the run "stopped" after the first development
        done = first.stats.calls - 1  # its map and reduce calls; compose will differ
        resumed = OpenAIBackend(llm, LLMCache(db))
        resumed.summarise(S.DAY, OPTIONS)
    assert resumed.stats.cached == done
    assert resumed.stats.calls == 7 - done


def test_per_role_models_are_used_for_their_steps() -> None:
    with ScriptedServer() as server:
        llm = S.settings(server.base_url, map_model="small-model", reduce_model="gpt-4o")
        backend = OpenAIBackend(llm, LLMCache(":memory:"))
        summary = backend.summarise(S.DAY, OPTIONS)
    used = {
        ("extract" if "TASK: extract" in b["messages"][1]["content"] else "other", b["model"])
        for b in server.requests
    }
    assert used == {("extract", "small-model"), ("other", "gpt-4o")}
    assert summary.model == "small-model (map), gpt-4o (reduce)"
