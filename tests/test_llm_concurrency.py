"""Concurrency cap, deadline and resumption, against the scripted server on 127.0.0.1.

These run the real server (no cassette): they are about how requests are scheduled,
which a replay cannot show.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from briefing.backends.llm import OpenAIBackend
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
        with pytest.raises(LLMError, match=r"(\d+) of \1 chunks failed"):
            backend.summarise(S.DAY, OPTIONS)


def test_an_interrupted_run_resumes_with_only_the_missing_calls(tmp_path: Path) -> None:
    db = tmp_path / "brief.db"
    llm_changes = {"chunk_tokens": 120, "max_retries": 0}
    with ScriptedServer(Script(fail_after=2)) as server:  # the endpoint dies after 2 answers
        first = OpenAIBackend(S.settings(server.base_url, **llm_changes), LLMCache(db))
        with pytest.raises(LLMError, match="LLM unavailable: endpoint answered 503"):
            first.summarise(S.DAY, OPTIONS)
    assert first.stats.step_calls == {"map": 2}
    with ScriptedServer() as server:
        resumed = OpenAIBackend(S.settings(server.base_url, **llm_changes), LLMCache(db))
        resumed.summarise(S.DAY, OPTIONS)
    plan = resumed.plan(S.DAY)
    assert len(plan.maps) > 4
    assert resumed.stats.cached == 2  # the chunks read before the failure are not read again
    assert resumed.stats.step_calls["map"] == len(plan.maps) - 2


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
