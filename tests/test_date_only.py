"""Coverage and sources: a date without a time of day is the day alone, never '00:00 UTC';
an undated article is named with its file."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from pypdf import PdfReader

from briefing.models.documents import has_no_time
from tests.conftest import run_brief

FERRY = (
    "The island ferry resumed its morning crossing after engineers replaced a cracked"
    " propeller shaft, the operator said, and the evening sailing will run on the usual"
    " timetable from Thursday onwards once the second vessel passes its safety checks."
    " Passengers with tickets for the cancelled sailings can use them until the end of the month."
)
GRAIN = (
    "Grain barges queued at the river lock for a second day as water levels stayed too low"
    " for loaded hulls, the waterway authority said, adding that dredging crews would work"
    " through the weekend to deepen the channel near the old stone bridge."
    " Farmers waiting to ship the late harvest said storage sheds were already nearly full."
)
QUARRY = (
    "The quarry on the eastern ridge closed its upper terraces after a rockfall damaged the"
    " access road, the owners said, and trucks were sent round by the valley route while"
    " surveyors checked the slope for further cracks and loose boulders."
    " Nobody was hurt, and the lower terraces stayed open for the rest of the week."
)

NOTES = (
    "Harbour crews painted new berth numbers along the western quay this week so that"
    " visiting skippers can find their moorings at night, and the harbour office asked"
    " owners to report any lamp that fails along the breakwater path before the winter"
    " storms arrive."
)


def test_has_no_time_is_midnight_at_the_dates_own_offset() -> None:
    assert has_no_time(datetime(2026, 12, 1, tzinfo=UTC))
    assert has_no_time(datetime(2026, 12, 1, tzinfo=timezone(timedelta(hours=5))))
    assert not has_no_time(datetime(2026, 12, 1, 0, 0, 30, tzinfo=UTC))
    assert not has_no_time(datetime(2026, 12, 1, 9, 30, tzinfo=UTC))
    assert not has_no_time(None)


def test_date_only_sources_and_left_out_items_show_the_day_in_every_format(
    tmp_path: Path,
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    items = {
        "ferry.json": ("Ferry crossing resumes", FERRY, "2026-12-01"),
        "grain.json": ("Grain barges wait at the lock", GRAIN, "2026-12-01T09:30:00Z"),
        "quarry.json": ("Quarry terraces closed", QUARRY, "2026-11-20"),  # out of period
        "notes.json": ("Harbour notes", NOTES, ""),  # undated
    }
    for name, (title, text, published) in items.items():
        item = {"title": title, "text": text, "published": published}
        (inbox / name).write_text(json.dumps(item), encoding="utf-8")
    result = run_brief(
        "today", "--inbox", str(inbox), "--date", "2026-12-01",
        "--format", "md,html,pdf,json", "--out", "out", cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    sitrep = json.loads(next(out.glob("*.json")).read_text())
    by_title = {s["title"]: s for s in sitrep["sources"]}
    assert by_title["Ferry crossing resumes"]["date_only"] is True
    assert by_title["Grain barges wait at the lock"]["date_only"] is False
    pdf = PdfReader(io.BytesIO(next(out.glob("*.pdf")).read_bytes()))
    texts = {
        "md": next(out.glob("*.md")).read_text(),
        "html": next(out.glob("*.html")).read_text(),
        "pdf": " ".join(" ".join(p.extract_text().split()) for p in pdf.pages),
    }
    for fmt, text in texts.items():
        assert "2026-12-01 09:30 UTC" in text, fmt  # a time of day is still shown
        # The period runs from midnight; no article's date does.
        assert text.count("00:00 UTC") == text.count("Period") * 2, fmt
        assert re.search(r"Ferry crossing resumes[^\[]{0,80}? 2026-12-01\b", text), fmt
        assert re.search(r"Quarry terraces closed: 2026-11-20 \(from", text), fmt
        # An undated article kept is named with its file, so the user can find it.
        assert re.search(r"(?<!/)notes\.json — Harbour notes", text), fmt
