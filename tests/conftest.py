"""Shared fixtures: the example inbox, settings pointing at temporary folders, CLI runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing.config import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "inbox"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLE_DAY = "2026-11-24"


@pytest.fixture(scope="session")
def _session_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for the whole run (the language model's copy is made once)."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, _session_cache: Path) -> None:
    """No test reads the developer's keys or config: each runs in an empty folder."""
    for name in list(os.environ):
        if name.startswith(("BRIEF_", "OPENAI_")):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("BRIEF_CACHE_DIR", str(_session_cache))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for the example inbox, writing into tmp_path, extractive backend."""
    return load_settings(
        None,
        {
            "inbox": [EXAMPLES],
            "out_dir": tmp_path / "out",
            "db_path": tmp_path / "brief.db",
            "backend": "extractive",
        },
        env={},
    )


@pytest.fixture
def inbox(tmp_path: Path) -> Iterator[Path]:
    """An empty inbox folder to fill."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    yield folder


@pytest.fixture
def example_inbox(tmp_path: Path) -> Path:
    """A copy of the example inbox the test may change."""
    target = tmp_path / "examples"
    shutil.copytree(EXAMPLES, target)
    return target


def run_brief(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real `brief` command in a subprocess, as cron would."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEF_", "OPENAI_"))}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
