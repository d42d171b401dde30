"""An LLM endpoint that is down, failing or too slow: the extractive briefing still goes out.

Real servers on 127.0.0.1 only: a closed port, the scripted server answering 500s or
answering too late.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from briefing.backends.llm import OpenAIBackend
from briefing.doctor import diagnose
from briefing.errors import LLMUnavailableError
from briefing.llm_cache import LLMCache
from briefing.models import SummaryOptions
from tests import llm_support as S
from tests.conftest import run_brief
from tests.scripted_server import Script, ScriptedServer

OPTIONS = SummaryOptions(date="2026-11-24", takeaways=3)
BANNER = "LLM unavailable: summarised extractively"


@pytest.fixture
def vcr_config() -> dict[str, Any]:
    """pytest-recording's --block-network: these tests may reach local servers only."""
    return S.vcr_config()


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def inbox(tmp_path: Path) -> Path:
    """Two saved articles of our own about one event."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name, article in (("valley", S.FLOOD_1), ("river", S.FLOOD_2), ("port", S.TALKS)):
        (folder / f"{name}.md").write_text(
            f"# {article.title}\n\n*Published: 24 November 2026, 06:00 UTC*\n\n{article.text}\n",
            encoding="utf-8",
        )
    return folder


def brief_today(tmp_path: Path, base_url: str, *extra: str) -> Any:
    return run_brief(
        "today", "--inbox", str(inbox(tmp_path)), "--date", "2026-11-24", "--backend", "openai",
        "--format", "md,html,json", "--no-ingest", *extra,
        cwd=tmp_path, env={"OPENAI_BASE_URL": base_url, "OPENAI_API_KEY": "test-key",
                           "BRIEF_LLM_MAX_RETRIES": "0", "BRIEF_LLM_TIMEOUT": "5"},
    )


def assert_extractive_briefing_with_banner(tmp_path: Path) -> None:
    out = tmp_path / "briefings"
    for suffix in ("md", "html"):
        text = (out / f"sitrep-2026-11-24.{suffix}").read_text(encoding="utf-8")
        assert BANNER in text
        assert text.index(BANNER) < text.index("Key takeaways")  # at the top
        assert "12,000 people" in text  # the news itself, summarised extractively
    data = json.loads((out / "sitrep-2026-11-24.json").read_text(encoding="utf-8"))
    assert data["backend"] == "extractive" and data["llm_unavailable"]


def test_closed_port_writes_the_extractive_briefing_and_exits_0(tmp_path: Path) -> None:
    result = brief_today(tmp_path, f"http://127.0.0.1:{closed_port()}/v1")
    assert result.returncode == 0, result.stderr
    reasons = [line for line in result.stderr.splitlines() if "LLM unavailable" in line]
    assert len(reasons) == 1 and "cannot reach the endpoint" in reasons[0]
    assert_extractive_briefing_with_banner(tmp_path)


def test_500s_with_require_llm_exit_4_and_say_why(tmp_path: Path) -> None:
    with ScriptedServer(Script(fail_after=0, fail_status=500)) as server:
        result = brief_today(tmp_path, server.base_url, "--require-llm")
    assert result.returncode == 4
    assert "endpoint answered 500" in result.stderr and "--require-llm" in result.stderr
    assert_extractive_briefing_with_banner(tmp_path)  # written for the operator, not mailed


def test_500s_without_require_llm_exit_0(tmp_path: Path) -> None:
    with ScriptedServer(Script(fail_after=0, fail_status=500)) as server:
        result = brief_today(tmp_path, server.base_url)
    assert result.returncode == 0, result.stderr
    assert_extractive_briefing_with_banner(tmp_path)


def test_a_down_endpoint_is_asked_once_not_once_per_chunk() -> None:
    with ScriptedServer(Script(fail_after=0, fail_status=502)) as server:
        backend = OpenAIBackend(S.settings(server.base_url, chunk_tokens=120, max_retries=0),
                                LLMCache(":memory:"))
        with pytest.raises(LLMUnavailableError, match="endpoint answered 502"):
            backend.summarise(S.DAY, OPTIONS)
    assert len(backend.plan(S.DAY).maps) > 4
    assert len(server.requests) == 1  # the endpoint was marked down after the first failure


def test_an_endpoint_that_answers_too_late_is_unavailable() -> None:
    with ScriptedServer(Script(delay=3.0)) as server:
        backend = OpenAIBackend(S.settings(server.base_url, timeout=0.3, max_retries=0),
                                LLMCache(":memory:"))
        with pytest.raises(LLMUnavailableError, match=r"timed out after 0\.3 s"):
            backend.summarise(S.DAY, OPTIONS)


def test_most_calls_failing_midway_is_unavailable() -> None:
    # two chunks are answered, then every request fails: most of the day would be extractive
    with ScriptedServer(Script(fail_after=2)) as server:
        backend = OpenAIBackend(S.settings(server.base_url, chunk_tokens=120, max_retries=0),
                                LLMCache(":memory:"))
        with pytest.raises(LLMUnavailableError, match="endpoint answered 503"):
            backend.summarise(S.DAY, OPTIONS)


def test_a_few_failing_chunks_are_not_an_outage() -> None:
    # one chunk's answer is broken twice (re-ask included): that chunk alone is extractive
    script = Script(malformed_for="grid operator")
    with ScriptedServer(script) as server:
        backend = OpenAIBackend(S.settings(server.base_url, chunk_tokens=120),
                                LLMCache(":memory:"))
        summary = backend.summarise(S.DAY, OPTIONS)
    assert summary.backend == "openai"


@pytest.mark.parametrize(("script", "expected"), [
    (Script(fail_after=0, fail_status=500), "answered 500"),
    (Script(delay=3.0), "timed out"),
])
def test_doctor_names_the_failure(script: Script, expected: str) -> None:
    with ScriptedServer(script) as server:
        result = diagnose(S.settings(server.base_url, timeout=0.5))
    assert not result.ok
    assert expected in result.checks[-1].message


def test_doctor_names_a_closed_port() -> None:
    result = diagnose(S.settings(f"http://127.0.0.1:{closed_port()}/v1"))
    assert not result.ok and "cannot reach" in result.checks[-1].message
