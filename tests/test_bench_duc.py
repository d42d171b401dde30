"""The DUC 2006 ROUGE harness: what it scores, and that it skips cleanly without the data."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import bench_duc_rouge


def test_reader_text_is_takeaways_then_headings_and_points_without_repeats() -> None:
    text = bench_duc_rouge.reader_text(
        ["The council voted to close the port.", "Ships   waited offshore."],
        [("Port closed", ["The council voted to close the port.", "Unions protested."]),
         ("Strike ends", ["Ships waited offshore."])],
    )
    assert text.splitlines() == ["The council voted to close the port.", "Ships waited offshore.",
                                 "Port closed", "Unions protested.", "Strike ends"]


def test_skips_cleanly_without_the_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_duc_rouge.main(["--eval", str(tmp_path)]) == 0
    assert "skipped: no DUC 2006 data" in capsys.readouterr().out
