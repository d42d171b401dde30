"""The call log (`brief log`) and `--estimate` predicting the run's own calls.

Runs against the scripted server on 127.0.0.1, which reports token usage as a
gpt-4o-class model counts it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from briefing.backends.llm import OpenAIBackend
from briefing.llm_cache import CallLog, CallRecord, LLMCache
from briefing.models import SummaryOptions
from tests import llm_support as S
from tests.conftest import run_brief
from tests.scripted_server import ScriptedServer

OPTIONS = SummaryOptions(date="2026-11-24", takeaways=3)
PRICE = (0.15, 0.60)  # $ per million tokens in, out


@pytest.fixture
def vcr_config() -> dict[str, Any]:
    """pytest-recording's --block-network: these tests may reach the local server only."""
    return S.vcr_config()


def record(day: str, role: str = "map", reply: str | None = '{"claims": []}') -> CallRecord:
    return CallRecord(run_id="r1", day=day, role=role, model="m", prompt="[the prompt]",
                      reply=reply, input_tokens=100, output_tokens=20, cost=None,
                      latency=0.25)


def test_the_log_keeps_text_or_only_hashes_and_filters_by_day(tmp_path: Path) -> None:
    log = CallLog(tmp_path / "brief.db")
    log.record(record("2026-11-24"))
    log.record(record("2026-11-25", role="compose"), keep_text=False)
    again = CallLog(tmp_path / "brief.db")  # persisted, readable from a new connection
    first, second = again.calls()
    assert first["prompt"] == "[the prompt]" and first["reply"] == '{"claims": []}'
    assert second["prompt"] is None and second["reply"] is None
    assert second["prompt_hash"] == first["prompt_hash"] and len(first["prompt_hash"]) == 64
    assert [c["role"] for c in again.calls("2026-11-25")] == ["compose"]
    assert first["latency_ms"] == 250


def test_every_call_and_cache_hit_is_logged_with_usage_and_cost(tmp_path: Path) -> None:
    db = tmp_path / "brief.db"
    with ScriptedServer() as server:
        llm = S.settings(server.base_url, prices={S.MODEL: PRICE})
        first = OpenAIBackend(llm, LLMCache(db), call_log=CallLog(db))
        first.summarise(S.DAY, OPTIONS)
        OpenAIBackend(llm, LLMCache(db), call_log=CallLog(db)).summarise(S.DAY, OPTIONS)
        bodies = list(server.requests)
    calls = CallLog(db).calls("2026-11-24")
    made, hits = [c for c in calls if not c["cached"]], [c for c in calls if c["cached"]]
    assert len(made) == len(bodies) == first.stats.calls
    assert [c["role"] for c in hits] == [c["role"] for c in made]  # the re-run: all from cache
    assert {c["role"] for c in made} == {"map", "compose"}
    for call, body in zip(made, bodies, strict=True):
        assert json.loads(call["prompt"]) == body["messages"]  # exactly what was sent
        assert call["model"] == S.MODEL and call["input_tokens"] > 0 < call["output_tokens"]
        expected = (call["input_tokens"] * PRICE[0] + call["output_tokens"] * PRICE[1]) / 1e6
        assert call["cost"] == pytest.approx(expected)
    assert sum(c["input_tokens"] for c in made) == first.stats.input_tokens
    assert all(c["cost"] == 0 and c["input_tokens"] == 0 for c in hits)


def write_inbox(tmp_path: Path) -> Path:
    """Our own day: three short reports and one long one that needs several chunks."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    long_text = "\n\n".join(
        f"Engineers in Calder said on Monday that section {n} of the sea wall had shifted by "
        f"{n * 3} centimetres since the storm, and that {n + 2} pumps were running through "
        "the night while residents of the lower town were told to keep to higher streets."
        for n in range(1, 40)
    )
    pages = [S.FLOOD_1, S.TALKS, S.GRID,
             S.article("Calder sea wall shifts after storm", long_text, "coast-times")]
    for n, article in enumerate(pages):
        (folder / f"a{n}.md").write_text(
            f"# {article.title}\n\n*Published: 24 November 2026, 06:00 UTC*\n\n{article.text}\n",
            encoding="utf-8",
        )
    return folder


def test_estimate_predicts_the_calls_and_tokens_of_the_run(tmp_path: Path) -> None:
    folder = write_inbox(tmp_path)
    (tmp_path / "brief.toml").write_text("[llm]\nchunk_tokens = 600\n", encoding="utf-8")
    args = ("today", "--inbox", str(folder), "--date", "2026-11-24", "--backend", "openai",
            "--no-ingest", "--format", "json")
    with ScriptedServer() as server:
        env = {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "test-key"}
        predicted = run_brief(*args, "--estimate", cwd=tmp_path, env=env)
        assert predicted.returncode == 0, predicted.stderr
        assert not server.requests  # the estimate calls nothing
        ran = run_brief(*args, cwd=tmp_path, env=env)
        assert ran.returncode == 0, ran.stderr
        logged = run_brief("log", "--date", "2026-11-24", "--json", cwd=tmp_path)
    calls = json.loads(logged.stdout)
    found = re.search(r"calls: (\d+) \((\d+) map, (\d+) reduce, (\d+) compose\)",
                      predicted.stdout)
    assert found, predicted.stdout
    total, maps, reduces, composes = (int(g) for g in found.groups())
    roles = [c["role"] for c in calls]
    assert reduces >= 1 and maps > 1  # the long report spans chunks and gets a reduce
    assert (len(calls), roles.count("map"), roles.count("reduce"), roles.count("compose")) \
        == (total, maps, reduces, composes)
    tokens = int(re.search(r"input tokens: ~([\d,]+)", predicted.stdout)
                 .group(1).replace(",", ""))  # type: ignore[union-attr]
    sent = sum(c["input_tokens"] for c in calls)
    assert abs(tokens - sent) <= 0.10 * sent, (tokens, sent)


def test_brief_log_lists_calls_one_line_each(tmp_path: Path) -> None:
    log = CallLog(tmp_path / "brief.db")
    log.record(record("2026-11-24"))
    log.record(CallRecord(run_id="r1", day="2026-11-24", role="reduce", model="m",
                          prompt="p", reply=None, input_tokens=None, output_tokens=None,
                          cost=None, latency=1.0, error="endpoint answered 500"))
    result = run_brief("log", "--date", "2026-11-24", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.splitlines()
    assert "map" in first and "100 in / 20 out" in first and "250 ms" in first
    assert "reduce" in second and "FAILED: endpoint answered 500" in second
    empty = run_brief("log", "--date", "2026-11-23", cwd=tmp_path)
    assert empty.stdout.strip() == "no LLM calls logged for 2026-11-23"


def test_doctor_names_the_last_runs_failures(tmp_path: Path) -> None:
    log = CallLog(tmp_path / "brief.db")
    log.record(CallRecord(run_id="r2", day="2026-11-24", role="map", model="m", prompt="p",
                          reply=None, input_tokens=None, output_tokens=None, cost=None,
                          latency=5.0, error="the endpoint timed out after 60 s"))
    log.record(CallRecord(
        run_id="r2", day="2026-11-24", role="map", model="m", prompt="p", reply="{}",
        input_tokens=10, output_tokens=2, cost=None, latency=1.0))
    assert log.last_run_failures() == (
        "the last run (briefing 2026-11-24): 1 of 2 LLM calls failed, last: the endpoint"
        " timed out after 60 s")
    with ScriptedServer() as server:
        result = run_brief("doctor", cwd=tmp_path, env={"OPENAI_BASE_URL": server.base_url})
    assert "warn  the last run (briefing 2026-11-24): 1 of 2 LLM calls failed" in result.stdout
