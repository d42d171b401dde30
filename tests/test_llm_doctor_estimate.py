"""`brief doctor` against a real local server, and the offline cost estimate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from briefing.config import LLMSettings
from briefing.doctor import diagnose
from briefing.estimate import estimate
from tests import llm_support as S
from tests.conftest import EXAMPLE_DAY, EXAMPLES, run_brief
from tests.scripted_server import Script, ScriptedServer


@pytest.fixture
def vcr_config() -> dict[str, Any]:
    """pytest-recording's --block-network: these tests may reach the local server only."""
    return S.vcr_config()


def test_doctor_without_key_or_url() -> None:
    result = diagnose(LLMSettings())
    assert not result.ok
    assert "no API key: set OPENAI_API_KEY" in result.checks[-1].message


def test_doctor_with_an_unreachable_url() -> None:
    result = diagnose(S.settings("http://127.0.0.1:9/v1"))
    assert not result.ok and "cannot reach http://127.0.0.1:9/v1" in result.checks[-1].message


def test_doctor_with_a_wrong_path() -> None:
    with ScriptedServer() as server:
        result = diagnose(S.settings(server.base_url.removesuffix("/v1")))
    assert not result.ok
    assert "answered 404: check llm.base_url (it usually ends in /v1)" in result.checks[-1].message


def test_doctor_with_an_unknown_model() -> None:
    with ScriptedServer() as server:
        result = diagnose(S.settings(server.base_url, model="missing-model"))
    assert not result.ok
    assert "model 'missing-model' not found" in result.checks[-1].message


def test_doctor_without_json_schema_support_warns() -> None:
    with ScriptedServer(Script(reject_json_schema=True)) as server:
        result = diagnose(S.settings(server.base_url))
        assert len(server.requests) == 2  # the schema request, then JSON mode
    assert result.ok
    assert any(c.warning and "no JSON-schema support" in c.message for c in result.checks)


def test_doctor_on_a_working_endpoint() -> None:
    with ScriptedServer() as server:
        result = diagnose(S.settings(server.base_url))
        assert len(server.requests) == 1
    assert result.ok
    assert "JSON-schema replies: supported" in result.checks[-1].message


def test_estimate_counts_calls_without_calling() -> None:
    llm = S.settings(S.REPLAY_URL, prices={"gpt-4o-mini": (0.15, 0.60)})
    result = estimate(S.DAY, llm)
    # three small developments: one shared map call, no reduce (each fits one chunk), compose
    assert (result.map_calls, result.reduce_calls, result.compose_calls) == (1, 0, 1)
    assert result.calls == 2 and result.extractive == 0
    assert 500 < result.input_tokens < 20_000
    assert result.max_output_tokens == 2 * llm.max_output_tokens
    assert result.cost is not None and 0 < result.cost < 0.01
    assert any(line.startswith("calls: 2") for line in result.lines())


def test_estimate_counts_one_reduce_per_development_when_they_do_not_batch() -> None:
    # room for one development's replies per reduce call: no batching
    result = estimate(S.DAY, S.settings(S.REPLAY_URL, max_output_tokens=400, reduce="always"))
    assert (result.map_calls, result.reduce_calls, result.compose_calls) == (1, 3, 1)


def test_estimate_reports_what_the_budget_leaves_out() -> None:
    result = estimate(S.DAY, S.settings(S.REPLAY_URL, token_budget=6_000,
                                        max_output_tokens=600, reduce="always"))
    assert result.extractive >= 1 and result.reduce_calls == 3 - result.extractive
    assert result.cost is None
    assert "cost: unknown" in result.lines()[-1]


def test_estimate_grows_with_smaller_chunks() -> None:
    small, large = (estimate(S.DAY, S.settings(S.REPLAY_URL, chunk_tokens=n)) for n in (150, 400))
    assert small.map_calls > 3 >= large.map_calls >= 1
    assert small.input_tokens > large.input_tokens


def test_cli_doctor_reports_and_exits_non_zero(tmp_path: Path) -> None:
    # Asked for the LLM backend with no key: the one case doctor fails without a server.
    result = run_brief("doctor", cwd=tmp_path, env={"BRIEF_BACKEND": "openai"})
    assert result.returncode == 1
    assert "FAIL  no API key: set OPENAI_API_KEY" in result.stdout


def test_cli_doctor_on_a_working_endpoint(tmp_path: Path) -> None:
    with ScriptedServer() as server:
        result = run_brief("doctor", cwd=tmp_path, env={"OPENAI_BASE_URL": server.base_url})
    assert result.returncode == 0, result.stderr
    assert "ok  JSON-schema replies: supported" in result.stdout


def test_cli_today_estimate_calls_nothing(tmp_path: Path) -> None:
    result = run_brief("today", "--estimate", "--inbox", str(EXAMPLES), "--date", EXAMPLE_DAY,
                       cwd=tmp_path, env={"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "model: gpt-4o-mini"
    assert lines[1].startswith("calls: ") and "map" in lines[1]
    assert not (tmp_path / "briefings").exists()  # nothing rendered
