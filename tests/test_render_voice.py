"""Issue 15: clickable citations in every format, and one voice across formats."""

from __future__ import annotations

import io
import itertools
import re
from datetime import UTC, datetime
from email import message_from_string
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt
from pypdf import PdfReader

from briefing.message import render_bodies
from briefing.models import (
    CitedText,
    Coverage,
    DevelopmentSection,
    FigureEntry,
    NoNewReporting,
    Point,
    Sitrep,
    SourceEntry,
)
from briefing.render import SECTIONS, render_pdf, render_text

GOOD = "https://harbour.example/strike?day=24&lang=en"
OTHER = "http://ministry.example/notice"


def port_sitrep() -> Sitrep:
    """A briefing with every section, graded sources, one without URL and one hostile URL."""
    at = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    sources = [
        SourceEntry(number=1, article_id="a1", title="Dock workers walk out", site="harbour.example",
                    url=GOOD, published_at=at, reliability="B"),
        SourceEntry(number=2, article_id="a2", title="Ministry notice on shipping",
                    site="ministry.example", url=OTHER, reliability="A"),
        SourceEntry(number=3, article_id="a3", title="Saved notes", file="notes.txt", undated=True),
        SourceEntry(number=4, article_id="a4", title="Odd link", url="javascript:alert(1)",
                    reliability="E"),
    ]
    dev = DevelopmentSection(
        status="updated",
        headline=CitedText(text="The dock strike reached the second terminal", sources=[1]),
        points=[
            Point(text="Cranes at the container terminal stood idle from dawn.", sources=[1, 2]),
            Point(text="Ferries kept to their timetable.", sources=[3], seen_before=True),
            Point(text="Fuel deliveries were delayed.", sources=[4], verified=False),
        ],
        conflicts=[CitedText(text="The union and the port disagree on turnout.", sources=[1, 2])],
        sources=[1, 2, 3, 4],
    )
    return Sitrep(
        title="Port Watch — 2026-11-24", date="2026-11-24",
        period_start=at.replace(day=23), period_end=at, generated_at=at, backend="extractive",
        takeaways=[CitedText(text="The strike spread to a second terminal.", sources=[1, 2])],
        developments=[dev],
        key_figures=[FigureEntry(value="two terminals", context="Two terminals are idle.",
                                 sources=[1])],
        outlook=[CitedText(text="The union meets the port authority on Thursday.", sources=[2])],
        sources=sources,
        coverage=Coverage(articles_read=6, articles_used=4, duplicates_merged=1),
        since="2026-11-23",
        no_new_reporting=[NoNewReporting(headline="Bridge repairs", last_reported="2026-11-22")],
    )


class _Html(HTMLParser):
    """Headings (h2) in order, links with their text, and element ids."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self._open: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag in ("h2", "a"):
            self._open, self._text = tag, ""
            self._href = found.get("href") or ""

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open == "h2":
            self.headings.append(" ".join(self._text.split()))
        elif tag == self._open == "a":
            self.links.append((self._href, self._text))
        if tag == self._open:
            self._open = None


def parsed(html: str) -> _Html:
    parser = _Html()
    parser.feed(html)
    return parser


def expected_headings(sitrep: Sitrep) -> list[str]:
    # "Original wording" is a section only when something was translated.
    shown = [name for key, name in SECTIONS.items() if key != "originals" or sitrep.originals]
    return [f"Since {sitrep.since}:", *shown]


def test_html_citations_link_to_entries_which_link_to_articles() -> None:
    page = parsed(render_text(port_sitrep(), "sitrep.html.j2"))
    cites = [(href, text) for href, text in page.links if href.startswith("#")]
    assert ("#source-1", "1") in cites and ("#source-2", "2") in cites
    assert {href[1:] for href, _ in cites} <= page.ids
    assert ("#source-4", "4") in cites  # cited, though its URL is not a link
    outward = {href for href, _ in page.links if not href.startswith("#")}
    assert outward == {GOOD, OTHER}
    assert (GOOD, "Dock workers walk out") in page.links


def test_pdf_has_link_annotations_to_entries_and_articles() -> None:
    reader = PdfReader(io.BytesIO(render_pdf(render_text(port_sitrep(), "sitrep.html.j2"))))
    uris: set[str] = set()
    dests: set[str] = set()
    for page in reader.pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            assert annot["/Subtype"] == "/Link"
            if "/A" in annot:
                uris.add(str(annot["/A"]["/URI"]))
            else:
                dests.add(str(annot["/Dest"]))
    assert uris == {GOOD, OTHER}
    assert {"source-1", "source-2", "source-3", "source-4"} <= dests
    assert dests <= set(reader.named_destinations)


def test_markdown_citations_are_reference_links_to_safe_urls_only() -> None:
    text = render_text(port_sitrep(), "sitrep.md.j2")
    assert f"\n[1]: {GOOD}\n" in text and f"\n[2]: {OTHER}\n" in text
    assert "javascript" not in text and "[4]:" not in text and "[3]:" not in text
    html = MarkdownIt("commonmark").render(text)
    takeaway = next(line for line in html.splitlines() if "second terminal." in line)
    assert f'<a href="{GOOD.replace("&", "&amp;")}">1</a>' in takeaway
    assert f'<a href="{OTHER}">2</a>' in takeaway
    fuel = next(line for line in html.splitlines() if "Fuel deliveries" in line)
    assert "[4]" in fuel and "<a" not in fuel  # no URL to give, so no link


@pytest.fixture(scope="module")
def all_formats() -> dict[str, str]:
    """The one briefing as Markdown, HTML, PDF text, email HTML and email text."""
    sitrep = port_sitrep()
    html = render_text(sitrep, "sitrep.html.j2")
    reader = PdfReader(io.BytesIO(render_pdf(html)))
    bodies = render_bodies(sitrep, None, "sitrep-2026-11-24.pdf")
    return {
        "md": render_text(sitrep, "sitrep.md.j2"), "html": html,
        "pdf": "\n".join(page.extract_text() for page in reader.pages),
        "email_html": bodies.html, "email_text": bodies.text,
    }


def headings(fmt: str, body: str) -> list[str]:
    if fmt in ("html", "email_html"):
        return parsed(body).headings
    if fmt == "md":
        return [line[3:] for line in body.splitlines() if line.startswith("## ")]
    if fmt == "email_text":  # a heading is a line underlined with dashes
        lines = body.splitlines()
        return [a for a, b in itertools.pairwise(lines)
                if b and set(b) == {"-"} and len(b) == len(a)]
    # PDF: no tags, so each expected name must follow the one before it on a line of its own.
    lines = [" ".join(line.split()) for line in body.splitlines()]
    found, at = [], 0
    for name in expected_headings(port_sitrep()):
        if name in lines[at:]:
            at = lines.index(name, at) + 1
            found.append(name)
    return found


@pytest.mark.parametrize("fmt", ["md", "html", "pdf", "email_html", "email_text"])
def test_every_format_has_the_same_sections_in_the_same_order(
    all_formats: dict[str, str], fmt: str
) -> None:
    assert headings(fmt, all_formats[fmt]) == expected_headings(port_sitrep())


@pytest.mark.parametrize("fmt", ["md", "html", "pdf", "email_html", "email_text"])
def test_every_format_keeps_grades_and_content(all_formats: dict[str, str], fmt: str) -> None:
    flat = " ".join(all_formats[fmt].split())
    assert "(reliability B)" in flat and "(reliability A)" in flat
    assert "Outlook" not in flat and "What to watch" in flat
    for phrase in ("The union meets the port authority on Thursday.", "Conflicting accounts",
                   "two terminals", "Bridge repairs", "Articles read: 6", "UPDATED"):
        assert phrase in flat.replace("\\", ""), phrase


def test_email_says_the_date_once_in_its_heading(all_formats: dict[str, str]) -> None:
    first = all_formats["email_text"].splitlines()[0]
    assert first == "Port Watch — 2026-11-24"
    assert "· 1 development · 4 sources ·" in all_formats["email_text"]
    assert parsed(all_formats["email_html"]).links  # and the email links too
    assert "<h1" in all_formats["email_html"]
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", all_formats["email_html"])
    assert h1 is not None and h1.group(1).count("2026-11-24") == 1


def test_email_citations_link_to_entries_in_the_message(all_formats: dict[str, str]) -> None:
    page = parsed(all_formats["email_html"])
    cites = {href for href, _ in page.links if href.startswith("#")}
    assert cites == {"#source-1", "#source-2", "#source-3", "#source-4"}
    assert {c[1:] for c in cites} <= page.ids
    assert {href for href, _ in page.links if not href.startswith("#")} == {GOOD, OTHER}
    text = message_from_string(all_formats["email_text"]).get_payload()
    assert f"    {GOOD}" in str(text) and "javascript" not in str(text)


def test_a_title_without_the_date_gets_it_once_everywhere() -> None:
    sitrep = port_sitrep().model_copy(update={"title": "Port Watch"})
    bodies = render_bodies(sitrep, None, None)
    expected = "Port Watch — 2026-11-24"
    assert render_text(sitrep, "sitrep.md.j2").splitlines()[0] == f"# {expected}"
    assert f"<h1>{expected}</h1>" in render_text(sitrep, "sitrep.html.j2")
    assert bodies.text.splitlines()[0] == expected
    assert f">{expected}</h1>" in bodies.html


def test_email_parts_carry_focus_and_original_wording_like_the_html() -> None:
    sitrep = port_sitrep()
    sitrep.focus = ["dock strike", "fuel"]
    sitrep.originals = ["Les grues sont restées immobiles."]
    sitrep.developments[0].points[0].original = sitrep.originals[0]
    sitrep.developments[0].points[0].footnote = 1
    html = render_text(sitrep, "sitrep.html.j2")
    bodies = render_bodies(sitrep, None, None)
    for body in (html, bodies.html, bodies.text):
        flat = " ".join(body.split())
        assert "Focus: dock strike; fuel" in re.sub(r"<[^>]+>", "", flat)
        assert "“Les grues sont restées immobiles.”" in flat
    assert parsed(bodies.html).headings == parsed(html).headings
    assert "stood idle from dawn. ^o1 [1][2]" in bodies.text
    assert "Original wording\n----------------\no1. “Les grues" in bodies.text


def test_pdf_pages_say_the_date_once_in_their_header() -> None:
    reader = PdfReader(io.BytesIO(render_pdf(render_text(port_sitrep(), "sitrep.html.j2"))))
    bare_date = re.compile(r"2026-11-24(?! \d)")  # the day alone: not a source's timestamp
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 2
    # The page header "Port Watch — 2026-11-24" on every page; the headline only on page 1.
    assert [len(bare_date.findall(text)) for text in pages] == [2] + [1] * (len(pages) - 1)
