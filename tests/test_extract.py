"""Extraction from noisy saved pages: every body paragraph kept, no chrome line left."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefing.errors import SourceError
from briefing.extract import extract_document
from briefing.models import RawDocument, SourceKind
from briefing.sources.inbox import MEDIA_TYPES
from briefing.text import squash
from tests.conftest import EXAMPLES, FIXTURES


def _document(path: Path) -> RawDocument:
    return RawDocument(
        kind=SourceKind.INBOX,
        location=str(path),
        media_type=MEDIA_TYPES[path.suffix],
        content=path.read_bytes(),
    )


def _cases() -> list[tuple[Path, Path]]:
    cases = [
        (EXAMPLES / p.name.removesuffix(".expected.json"), p)
        for p in sorted((FIXTURES / "inbox-expected").glob("*.expected.json"))
    ]
    cases += [
        (p.with_name(p.name.removesuffix(".expected.json")), p)
        for p in sorted((FIXTURES / "pages").glob("*.expected.json"))
    ]
    return cases


@pytest.mark.parametrize(("page", "expected"), _cases(), ids=lambda p: p.name)
def test_every_body_paragraph_is_kept(page: Path, expected: Path) -> None:
    article = extract_document(_document(page))
    text = squash(article.text)
    for paragraph in json.loads(expected.read_text())["paragraphs"]:
        assert squash(paragraph) in text, f"lost paragraph: {paragraph[:80]}"


@pytest.mark.parametrize(("page", "expected"), _cases(), ids=lambda p: p.name)
def test_no_chrome_line_is_left(page: Path, expected: Path) -> None:
    article = extract_document(_document(page))
    lines = {squash(p) for p in article.paragraphs}
    for chrome in json.loads(expected.read_text())["chrome"]:
        assert squash(chrome) not in lines, f"chrome left: {chrome}"
        if len(chrome.split()) >= 3:
            assert squash(chrome) not in squash(article.text), f"chrome inside text: {chrome}"


def test_metadata_from_html_page() -> None:
    article = extract_document(_document(EXAMPLES / "frontlinewire-hama-airstrikes.html"))
    assert article.title.startswith("Syrian, Russian airstrikes push rebels back")
    assert article.site == "Frontline Wire"
    assert article.published_at is not None
    assert article.published_at.isoformat().startswith("2026-11-24T07:30")


def test_tracking_parameters_dropped_from_url() -> None:
    article = extract_document(_document(EXAMPLES / "medigest-hama-airstrikes-wire.html"))
    assert article.url is not None and "utm_" not in article.url


def test_text_page_title_date_and_site() -> None:
    article = extract_document(_document(EXAMPLES / "dailydispatch-hama-airstrikes-wire.txt"))
    assert article.title == "Syrian and Russian airstrikes push rebels back from Hama's outskirts"
    assert article.published_at is not None
    assert (article.published_at.hour, article.published_at.minute) == (9, 12)
    assert article.site is not None and "Daily Dispatch" in article.site


def test_undated_page_stays_undated() -> None:
    article = extract_document(_document(EXAMPLES / "orontespost-hama-field-hospital.html"))
    assert article.published_at is None


def test_injection_removed_and_counted() -> None:
    article = extract_document(_document(EXAMPLES / "northernfront-turkey-border-crossings.html"))
    assert article.suspicious_passages == 2
    assert "ignore previous instructions" not in article.text.lower()
    assert "evil" not in article.text.lower()


def test_script_content_never_reaches_text(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    body = " ".join(["The council met on Monday and agreed a new budget for the year."] * 8)
    page.write_text(
        f"<html><body><article><h1>Budget agreed</h1><p>{body}</p>"
        "<script>alert('x')</script><p>Officials said the vote was close and that"
        " talks would resume next week in the capital.</p></article></body></html>"
    )
    article = extract_document(_document(page))
    assert "alert" not in article.text
    assert "talks would resume" in article.text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("binary.html", b"\x1f\x8b\x08\x00" + bytes(range(256)) * 4, "binary"),
        ("latin1.txt", "Caf\xe9 r\xe9sum\xe9 ".encode("latin-1") * 50 + b"\xff\xfe\x00", "binary"),
        ("empty.json", b"{}", "'text'"),
        ("bad.json", b"{not json", "invalid JSON"),
        ("short.txt", b"Just a menu\nHome\nNews\n", "too little"),
    ],
)
def test_unusable_input_raises_named_error(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceError) as info:
        extract_document(_document(path))
    assert str(path) in str(info.value)
    assert reason in str(info.value)


# The pool's forkserver talks over a unix socket in a pymp-* temporary folder.
@pytest.mark.block_network(allowed_hosts=[r".*/pymp-[^/]+/listener-"])
def test_extract_many_on_workers_keeps_order_and_reports_errors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import briefing.extract as extract

    monkeypatch.setattr(extract, "POOL_THRESHOLD", 8)
    body = "\n\n".join(
        f"Officials said on Tuesday that convoy number {{n}} reached the northern district after"
        f" a delay of several hours at a checkpoint, residents told reporters, sentence {i}."
        for i in range(5)
    )
    documents = [
        RawDocument(kind=SourceKind.INBOX, location=f"doc{n}.txt", media_type="text",
                    content=body.replace("{n}", str(n)).encode())
        for n in range(20)
    ]
    documents[7] = RawDocument(kind=SourceKind.INBOX, location="doc7.txt", media_type="text",
                               content=b"\x00\x01binary")
    results = list(extract.extract_many(documents, workers=2, window=4))
    assert [raw.location for raw, _ in results] == [d.location for d in documents]
    assert isinstance(results[7][1], SourceError) and "doc7.txt" in str(results[7][1])
    good = [outcome for _, outcome in results if not isinstance(outcome, SourceError)]
    assert len(good) == 19
    assert "convoy number 12 " in good[11].text
