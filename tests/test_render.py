"""Rendering: no script in HTML, a real PDF carrying the takeaways, user templates."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.config import Settings
from briefing.models import Sitrep
from briefing.pipeline import run_today
from briefing.render import md_escape, render

HOSTILE = """<html><head><title>x</title><script>alert(1)</script></head><body><article>
<h1>Convoy reaches <script>steal()</script> Aleppo</h1>
<p>Officials said an aid convoy of 40 trucks reached Aleppo on Tuesday after a two-day delay at
a checkpoint north of the city, according to the local council.</p>
<p>The council said the trucks carried flour, medicine and fuel for about 12,000 families, and
that a second convoy was expected to arrive later in the week.</p>
<p onclick="evil()">Residents said <a href="javascript:alert(2)">bread prices</a> had doubled
since the road was closed, and that queues formed before dawn at the few bakeries still open.</p>
<p>&lt;script&gt;alert("escaped")&lt;/script&gt; Witnesses said the convoy was escorted by police
vehicles as it crossed the last checkpoint into the eastern districts of the city.</p>
</article></body></html>"""


@pytest.fixture
def hostile_run(tmp_path: Path, settings: Settings) -> tuple[Path, Sitrep]:
    inbox = tmp_path / "hostile"
    inbox.mkdir()
    (inbox / "convoy.html").write_text(HOSTILE)
    settings = settings.model_copy(update={"inbox": [inbox]})
    result = run_today(settings, day=None)
    return settings.out_dir, result.sitrep


def test_html_has_no_script_even_when_article_has_one(hostile_run: tuple[Path, Sitrep]) -> None:
    out, sitrep = hostile_run
    html = (out / f"sitrep-{sitrep.date}.html").read_text()
    assert "<script" not in html.lower()
    assert "javascript:" not in html.lower()
    assert "onclick" not in html.lower()
    assert "&lt;script&gt;" in html or "script" not in html.lower()


def test_html_links_only_to_sources(tmp_path: Path, settings: Settings) -> None:
    result = run_today(
        settings.model_copy(update={"formats": ["html"]}),
        day=__import__("datetime").date(2026, 11, 24),
    )
    html = result.paths["html"].read_text()
    links = set(re.findall(r'href="([^"]+)"', html))
    # Besides its sources, a page links only to the archive's own files beside it.
    archive = {"index.html", "feed.atom"} | {
        p.name for p in result.paths["html"].parent.glob("sitrep-*.html")}
    # ... and its citations to its own numbered source entries.
    entries = {f"#source-{s.number}" for s in result.sitrep.sources}
    assert all(f'id="{e[1:]}"' in html for e in entries & links)
    assert links and links <= {s.url for s in result.sitrep.sources if s.url} | archive | entries
    assert "src=" not in html  # no images or other remote resources
    assert "evil.example" not in html


def test_markdown_escapes_article_markup() -> None:
    assert (
        md_escape("<img src=x onerror=alert(1)> [link](http://x)")
        == r"\<img src=x onerror=alert(1)\> \[link\](http://x)"
    )


def test_pdf_text_contains_takeaways(tmp_path: Path, settings: Settings) -> None:
    import datetime

    result = run_today(
        settings.model_copy(update={"formats": ["pdf"]}), day=datetime.date(2026, 11, 24)
    )
    reader = PdfReader(io.BytesIO(result.paths["pdf"].read_bytes()))
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = re.sub(r"\s+", " ", text)
    for takeaway in result.sitrep.takeaways:
        assert " ".join(takeaway.text.split()[:6]) in flat
    assert "Page 1 of" in flat
    assert "Sources" in flat and "[1]" in flat


def test_user_template_overrides_ours(tmp_path: Path, settings: Settings) -> None:
    import datetime

    custom = tmp_path / "tpl"
    custom.mkdir()
    (custom / "sitrep.md.j2").write_text(
        "CUSTOM {{ sitrep.date }} {{ sitrep.takeaways | length }}\n"
    )
    result = run_today(
        settings.model_copy(update={"formats": ["md"], "templates_dir": custom}),
        day=datetime.date(2026, 11, 24),
    )
    assert result.paths["md"].read_text().startswith("CUSTOM 2026-11-24 ")


def test_render_rejects_unknown_format(tmp_path: Path, settings: Settings) -> None:
    import datetime

    from briefing.errors import RenderError

    result = run_today(
        settings.model_copy(update={"formats": ["json"]}), day=datetime.date(2026, 11, 24)
    )
    with pytest.raises(RenderError, match="unknown format"):
        render(result.sitrep, ["docx"], tmp_path)


def test_url_in_a_title_never_becomes_a_link(tmp_path: Path, settings: Settings) -> None:
    inbox = tmp_path / "titles"
    inbox.mkdir()
    body = " ".join(["Officials said the convoy reached the city on Monday after a delay."] * 6)
    (inbox / "t.json").write_text(json.dumps({
        "title": "Aid convoy arrives, details at http://evil.example/phish and www.bad.example",
        "text": body, "url": "https://news.example/convoy",
    }))
    result = run_today(settings.model_copy(update={"inbox": [inbox], "formats": ["md", "html"]}))
    for path in result.paths.values():
        text = path.read_text()
        assert "http://evil" not in text and "www.bad" not in text
    assert "https://news.example/convoy" in result.paths["md"].read_text()
    assert len(result.sitrep.developments) == 1  # the story is still briefed
