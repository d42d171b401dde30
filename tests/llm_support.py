"""Shared pieces of the LLM tests: a day of articles, settings, cassette configuration.

Cassettes live in ``cassettes/llm/<test module>/``. By default they replay
(``--record-mode=none``); with ``--record-mode=rewrite`` the tests start the scripted
server on 127.0.0.1 and record it; with ``BRIEF_LLM_LIVE=1`` the tests marked
``live_ok`` record against ``OPENAI_BASE_URL``/``OPENAI_API_KEY`` instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from briefing.config import LLMSettings
from briefing.models import Article, Development, SourceKind, SourceRef, Story
from briefing.store import text_hash
from tests.scripted_server import Script, ScriptedServer

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "cassettes" / "llm"
LIVE = os.environ.get("BRIEF_LLM_LIVE") == "1"
MODEL = os.environ.get("BRIEF_TEST_MODEL", "gpt-4o-mini")
# read at import: the test fixtures clear OPENAI_* and BRIEF_* before each test
LIVE_KEY = os.environ.get("OPENAI_API_KEY", "")
LIVE_URL = os.environ.get("OPENAI_BASE_URL", "https://api.openai.com/v1")
REPLAY_URL = "http://127.0.0.1:9/v1"  # replay never connects: VCR answers first


def vcr_config() -> dict[str, Any]:
    """Match on method, path and body, so a changed prompt is a failed replay."""
    return {
        "match_on": ["method", "path", "body"],
        "filter_headers": ["authorization", "openai-organization", "openai-project",
                           "cookie", "set-cookie"],
        "decode_compressed_response": True,
        "allowed_hosts": [r"127\.0\.0\.1", "localhost", r"::1"],  # the local test servers
    }


def article(title: str, text: str, site: str, url: str | None = None, hour: int = 6) -> Article:
    """An article as the store would hand it over."""
    digest = text_hash(text)
    return Article(
        id=digest[:16], title=title, text=text, url=url, site=site,
        published_at=datetime(2026, 11, 24, hour, 0, tzinfo=UTC), content_hash=digest,
        sources=[SourceRef(kind=SourceKind.URL, location=url or f"inbox/{site}.html", url=url,
                           site=site, title=title)],
    )


def development(dev_id: str, *articles: Article) -> Development:
    """One development with one story per article."""
    return Development(id=dev_id, stories=[Story(articles=[a]) for a in articles])


FLOOD_1 = article(
    "Floods force 12,000 from homes in river valley",
    "Heavy rain sent the Vell river over its banks on Monday, forcing 12,000 people from "
    "their homes in the lower valley, the regional emergency office said.\n\n"
    "Rescue teams evacuated two hospitals in Marrow and opened 14 shelters in school "
    "buildings. The office said 3 people had died and 41 were injured.\n\n"
    "Forecasters expect the river to peak on Wednesday, and more rain is due on Thursday.",
    "valley-post", "https://valley-post.example/floods-12000",
)
FLOOD_2 = article(
    "Vell river flooding: shelters fill as rain continues",
    "Shelters in Marrow were near capacity on Monday night after the Vell river flooded "
    "low-lying districts, local officials said.\n\n"
    "The mayor of Marrow said the town would need federal help to rebuild the two bridges "
    "that were washed away. A spokesperson for the national government denied that any "
    "request had been received.",
    "river-news", "https://river-news.example/vell-shelters",
)
TALKS = article(
    "Port strike talks resume after two-week standoff",
    "Negotiators for the dock workers' union and the port authority resumed talks in Calder "
    "on Monday, two weeks after a strike halted container traffic.\n\n"
    "The union is asking for a 9 percent pay rise over two years, according to a union "
    "statement. The port authority has offered 5 percent.\n\n"
    "About 300 ships are waiting at anchor outside the harbour, the harbour master said. "
    "Both sides will meet again on Wednesday.",
    "harbour-daily", "https://harbour-daily.example/talks",
)
GRID = article(
    "Grid operator warns of winter shortfall",
    "The national grid operator warned on Monday that reserve capacity could fall to 4 "
    "percent during cold spells this winter.\n\n"
    "It asked two retired gas plants to stay available until March and said it would "
    "publish a full winter outlook next week.",
    "energy-wire", "https://energy-wire.example/grid-winter",
)
DAY = [
    development("d1", FLOOD_1, FLOOD_2),
    development("d2", TALKS),
    development("d3", GRID),
]
ARTICLES = [FLOOD_1, FLOOD_2, TALKS, GRID]


def settings(base_url: str, **changes: Any) -> LLMSettings:
    """LLM settings for a test run against ``base_url``."""
    key = LIVE_KEY if LIVE else "test-key"
    values: dict[str, Any] = {
        "model": MODEL, "base_url": base_url, "api_key": key or "test-key", "max_retries": 2,
        "max_concurrency": 1, "chunk_tokens": 1_500, "timeout": 30.0,
    }
    values.update(changes)
    return LLMSettings(**values)


def recording(request: pytest.FixtureRequest) -> bool:
    """True when this test run records cassettes rather than replaying them."""
    mode = request.config.getoption("--record-mode", default="none")
    return mode not in (None, "none")


@contextmanager
def endpoint(request: pytest.FixtureRequest, script: Script) -> Iterator[str]:
    """The base URL the test talks to: the scripted server when recording."""
    if LIVE and request.node.get_closest_marker("live_ok") and recording(request):
        yield LIVE_URL
        return
    if not recording(request):
        yield REPLAY_URL
        return
    with ScriptedServer(script) as server:
        yield server.base_url
