"""Sentence splitting that survives news abbreviations and returns verbatim slices."""

from __future__ import annotations

import pytest

from briefing.text import split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Dr. Khaled Mansour said the clinic was full. Others agreed.",
            ["Dr. Khaled Mansour said the clinic was full.", "Others agreed."],
        ),
        (
            "U.S. officials said sorties doubled. The ministry declined to comment.",
            ["U.S. officials said sorties doubled.", "The ministry declined to comment."],
        ),
        (
            "Men were held at the No. 4 checkpoint. Families waited outside.",
            ["Men were held at the No. 4 checkpoint.", "Families waited outside."],
        ),
        (
            "The strikes began at 9 a.m. on Monday. They lasted an hour.",
            ["The strikes began at 9 a.m. on Monday.", "They lasted an hour."],
        ),
        (
            "It was led by Maj. Gen. Fadi Qassem, SANA said. Fighting went on.",
            ["It was led by Maj. Gen. Fadi Qassem, SANA said.", "Fighting went on."],
        ),
        (
            "HAMA, Syria (Frontline Wire) — Rebels fell back. Jets flew overhead.",
            ["Rebels fell back.", "Jets flew overhead."],
        ),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    sentences = split_sentences(text)
    assert sentences == expected
    assert all(s in text for s in sentences)
