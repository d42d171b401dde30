"""Output safety: links only to http(s) URLs a source gave, escaped for each format;
no control or bidi override character; file names cannot change the document's shape."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from briefing.config import Settings
from briefing.extract import extract_safely
from briefing.links import safe_link
from briefing.models import Article, Coverage, RawDocument, Sitrep, SourceEntry, SourceKind
from briefing.pipeline import run_today
from briefing.render import render_text
from briefing.text import normalise

HOSTILE_URLS = [
    "https://news.example.org/a)![pixel](https://tracker.test/p.png)",
    "https://news.example.org/b>](javascript:alert(1))",
    'https://news.example.org/c" onmouseover="alert(1)',
    "https://news.example.org/d <img src=https://tracker.test/q.png>",
    "javascript:alert(document.cookie)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
]


def _sitrep(urls: list[str]) -> Sitrep:
    sources = [
        SourceEntry(number=n, article_id=f"a{n}", title=f"Report {n}", url=url)
        for n, url in enumerate(urls, 1)
    ]
    return Sitrep(
        title="Situation Report", date="2026-11-24",
        period_start=datetime(2026, 11, 23, 6, tzinfo=UTC),
        period_end=datetime(2026, 11, 24, 6, tzinfo=UTC),
        generated_at=datetime(2026, 11, 24, 6, tzinfo=UTC),
        backend="extractive", sources=sources, takeaways=[], developments=[],
        coverage=Coverage(),
    )


def _md_links(markdown: str) -> list[str]:
    found: list[str] = []
    for token in MarkdownIt("commonmark").parse(markdown):
        for child in token.children or []:
            if child.type in ("link_open", "image"):
                found.append(str(child.attrs.get("href") or child.attrs.get("src")))
    return found


def test_markdown_links_are_the_sources_own_and_nothing_more() -> None:
    markdown = render_text(_sitrep(HOSTILE_URLS), "sitrep.md.j2")
    links = _md_links(markdown)
    assert len(set(links)) == 4  # the http(s) sources only; javascript: and data: not linked
    assert all(link.startswith("https://news.example.org/") for link in links)
    assert "![" not in markdown.replace("\\!", "")
    assert "tracker.test/p.png)" not in markdown and "javascript:alert(document" not in markdown


def test_html_links_are_the_sources_own_and_nothing_more() -> None:
    html = render_text(_sitrep(HOSTILE_URLS), "sitrep.html.j2")
    hrefs = re.findall(r'href="([^"]*)"', html)
    hrefs = [h for h in hrefs if not h.startswith("#")]  # in-page citation anchors
    assert len(set(hrefs)) == 4 and all(h.startswith("https://news.example.org/") for h in hrefs)
    assert "<img" not in html and "onmouseover=" not in html.replace("%22%20onmouseover", "")
    assert "javascript:alert(document" not in html and "data:text" not in html


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_safe_link_keeps_http_and_encodes_what_could_close_a_link(url: str) -> None:
    link = safe_link(url)
    if url.startswith(("javascript:", "data:")):
        assert link is None
    else:
        assert link is not None and link.startswith("https://news.example.org/")
        assert not set(link) & set("<>()[]\"' `\\")


BIDI = "\u202e\u2066\u202a\u2069\u202c"


def test_bidi_overrides_and_controls_never_reach_an_article() -> None:
    article = Article(title=f"Port {BIDI}reopens\x07", text="Ships\u202e docked\x00.\n\nMore.")
    assert article.title == "Port reopens"
    assert article.text == "Ships docked.\n\nMore."
    assert normalise(f"a{BIDI}b\x1b") == "ab"


def test_extracted_pages_lose_bidi_overrides() -> None:
    page = (
        f"<html><head><title>Dam {BIDI}opens</title></head><body><article><h1>Dam {BIDI}opens"
        "</h1><p>Engineers opened the spillway gates of the northern dam on Monday after"
        f" heavy rain, the water authority said.\u202e Villages downstream were warned.</p>"
        "<p>The authority said levels would fall within two days and that no homes had been"
        " flooded so far, according to its morning statement.</p></article></body></html>"
    )
    outcome = extract_safely(RawDocument(
        kind=SourceKind.INBOX, location="dam.html", media_type="html", content=page.encode()
    ))
    assert isinstance(outcome, Article)
    assert not set(outcome.title + outcome.text) & set(BIDI)


def test_a_file_name_with_line_breaks_cannot_shape_the_briefing(
    tmp_path: Path, settings: Settings
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "notes\n# Injected heading\n- [x](https:evil.test).bin").write_bytes(b"x")
    (inbox / f"weird{BIDI}\n## Also injected.pdfx").write_bytes(b"x")
    page = (
        "<html><body><article><h1>Bridge closed</h1><p>The old river bridge was closed on"
        " Monday for repairs after inspectors found cracks in two supports, the council"
        " said.</p><p>Traffic is diverted through the ring road until the spring, when"
        " work is due to finish, according to the council.</p></article></body></html>"
    )
    (inbox / "bridge\n## Sources\n[9] <https:evil.test>.html").write_text(page)
    run = settings.model_copy(update={"inbox": [inbox], "formats": ["md", "html", "json"]})
    result = run_today(run, day=date.today())
    markdown = result.paths["md"].read_text()
    headings = [line for line in markdown.splitlines() if line.startswith("#")]
    assert not any("injected" in h.lower() for h in headings)
    assert [h for h in headings if h.startswith("## Sources")] == ["## Sources"]
    assert "evil.test" not in "".join(_md_links(markdown))
    html = result.paths["html"].read_text()
    assert not set(html) & set(BIDI) and not set(markdown) & set(BIDI)
    assert "<h1>Injected" not in html and 'href="https://evil.test' not in html
