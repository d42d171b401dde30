"""Topic focus: brief.toml `focus` and `brief today --focus`, shown in the briefing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from briefing.config import Settings
from tests.conftest import EXAMPLE_DAY, EXAMPLES, run_brief


def test_focus_setting_takes_a_paragraph_or_a_list() -> None:
    assert Settings(focus="Port strikes  and shipping delays.").focus == [
        "Port strikes and shipping delays."]
    assert Settings(focus=["Hama", " ", "border crossings"]).focus == ["Hama", "border crossings"]
    assert Settings().focus == []


def test_focus_flag_ranks_and_is_shown(tmp_path: Path) -> None:
    (tmp_path / "brief.toml").write_text('focus = ["conscription", "checkpoints"]\n')
    result = run_brief("today", "--inbox", str(EXAMPLES), "--date", EXAMPLE_DAY, "--out", "out",
                       "--format", "md,json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    sitrep = json.loads((tmp_path / "out" / f"sitrep-{EXAMPLE_DAY}.json").read_text())
    other_focus = _mentions(sitrep, ("turkey", "border"))
    assert sitrep["focus"] == ["conscription", "checkpoints"]
    first = sitrep["developments"][0]
    assert any("watchlist: " in note and "conscription" in note for note in first["notes"])
    markdown = (tmp_path / "out" / f"sitrep-{EXAMPLE_DAY}.md").read_text()
    assert "**Focus:** conscription; checkpoints" in markdown

    flagged = run_brief("today", "--inbox", str(EXAMPLES), "--date", EXAMPLE_DAY, "--out", "o2",
                        "--format", "json", "--focus", "Turkey border crossings", cwd=tmp_path)
    assert flagged.returncode == 0, flagged.stderr
    sitrep = json.loads((tmp_path / "o2" / f"sitrep-{EXAMPLE_DAY}.json").read_text())
    assert sitrep["focus"] == ["Turkey border crossings"]
    # the example day is one development now: focus decides which of its sentences are told
    assert _mentions(sitrep, ("turkey", "border")) > other_focus


def _mentions(sitrep: dict[str, Any], words: tuple[str, ...]) -> int:
    """How many takeaways and points of the briefing mention any of ``words``."""
    texts = [t["text"] for t in sitrep["takeaways"]]
    texts += [p["text"] for d in sitrep["developments"] for p in d["points"]]
    return sum(any(w in t.lower() for w in words) for t in texts)
