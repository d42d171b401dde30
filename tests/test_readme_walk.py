"""Walk the README as a new user would: every shell command in its ```sh blocks, as written.

The commands are read from README.md, never copied here. They run in order in a fresh
folder holding what a clone holds for them (Makefile, pyproject.toml, examples/) with
this checkout's .venv linked in, HOME pointed at the folder and ``.venv/bin`` on PATH
(what ``source .venv/bin/activate`` does). A command is skipped only when it is on
SKIPPED below, with the reason; one that is on SKIPPED but no longer in the README fails
the test, so the list cannot go stale.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

# Command prefix -> why the walk does not run it.
SKIPPED = {
    "make test": "runs the whole test suite, this walk included",
    "brief ingest": "fetches the README's example.org sources over the network",
    "brief extract https://": "fetches a page over the network",
    "brief today --email": "mails today's articles: the examples are dated 2026-11-24",
    "brief send 2026-11-24 --force": "sends real mail through the configured server",
}
# What the README's step 1 puts in brief.toml for mail, given the documented way (env).
MAIL_ENV = {"BRIEF_EMAIL_TO": "me@example.org", "BRIEF_EMAIL_FROM": "Brief <brief@example.org>"}


def readme_commands(text: str) -> list[str]:
    """Each command line of the ```sh blocks, without its trailing comment."""
    commands = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, re.M | re.S):
        for line in block.splitlines():
            command = re.sub(r"\s+#\s.*$", "", line).strip()
            if command and not command.startswith("#"):
                commands.append(command)
    return commands


def skip_reason(command: str) -> str | None:
    return next((why for prefix, why in SKIPPED.items() if command.startswith(prefix)), None)


def test_the_readme_has_commands_to_walk() -> None:
    commands = readme_commands((ROOT / "README.md").read_text())
    assert "make demo" in commands and ".venv/bin/brief --help" in commands
    for prefix in SKIPPED:  # a stale allow-list entry is an error, not a silent pass
        assert any(c.startswith(prefix) for c in commands), prefix


@pytest.fixture
def fresh_clone(tmp_path: Path) -> Path:
    venv = ROOT / ".venv"
    if not (venv / "bin" / "brief").is_file():
        pytest.skip("needs `make setup` (.venv with brief installed)")
    work = tmp_path / "brief"
    work.mkdir()
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, work / name)
    shutil.copytree(ROOT / "examples", work / "examples")
    (work / ".venv").symlink_to(venv)
    # The installed .venv is the one `make setup` made: older than pyproject.toml here,
    # it would be rebuilt (from the network), so the copy keeps the original's age.
    os.utime(work / "pyproject.toml", (0, 0))
    return work


def test_walk_the_readme(fresh_clone: Path) -> None:
    bin_dir = Path(sys.executable).parent
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEF_", "OPENAI_"))}
    env.update(HOME=str(fresh_clone), PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
               XDG_CONFIG_HOME=str(fresh_clone / ".config"), **MAIL_ENV)
    ran = []
    for command in readme_commands((ROOT / "README.md").read_text()):
        if skip_reason(command):
            continue
        result = subprocess.run(["bash", "-c", command], cwd=fresh_clone, env=env,
                                capture_output=True, text=True, timeout=180, check=False)
        assert result.returncode == 0, f"README command failed: {command}\n{result.stderr}"
        assert "Traceback" not in result.stderr, command
        ran.append(command)
    assert "make demo" in ran and len(ran) >= 10
    assert (fresh_clone / "briefings" / "sitrep-2026-11-24.pdf").is_file()
    assert list((fresh_clone / "outbox").glob("*.eml"))  # brief send --email-to-file
