"""Archive: the output folder's index.html, Atom feed and previous/next links.

After each briefing is written, ``publish`` records it in the store (see history.py)
and, when HTML is among the formats, rewrites three kinds of static file from that
record: ``index.html`` listing every briefing with its top takeaways, ``feed.atom``
with one entry per briefing, and the navigation line inside each HTML briefing (between
the template's ``archive-nav`` markers), so yesterday's page gains its link to today's.
No server, no script.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

import jinja2

from briefing.errors import RenderError
from briefing.history import PastBriefing, all_briefings, record
from briefing.models import Sitrep
from briefing.render import template_env
from briefing.store import Store

NAV_START = "<!-- archive-nav -->"
NAV_END = "<!-- /archive-nav -->"
INDEX = "index.html"
FEED = "feed.atom"
TOP_TAKEAWAYS = 3
_ATOM = "http://www.w3.org/2005/Atom"
_FORMATS = ("html", "pdf", "md", "json")  # what an archive entry links to, first found


@dataclass
class Entry:
    """One briefing in the archive, with the file a reader opens."""

    briefing: PastBriefing
    href: str

    @property
    def top_takeaways(self) -> list[str]:
        """The first takeaways: what the index shows."""
        return self.briefing.takeaways[:TOP_TAKEAWAYS]


def publish(
    db_path: Path, out_dir: Path, sitrep: Sitrep, title: str,
    templates_dir: Path | None = None, formats: Sequence[str] = ("html",),
) -> dict[str, Path]:
    """Record the briefing; with HTML, rewrite the index, the feed and each page's links."""
    with Store(db_path) as store:
        record(store, out_dir, sitrep)
        entries = archive_entries(out_dir, all_briefings(store, out_dir))
    if "html" not in formats:
        return {}  # the archive is for browsing: no pages asked for, no index either
    index = out_dir / INDEX
    _write(index, render_index(entries, title, templates_dir))
    feed = out_dir / FEED
    _write(feed, render_feed(entries, title))
    link_pages(out_dir, entries)
    return {"index": index, "feed": feed}


def archive_entries(out_dir: Path, briefings: list[PastBriefing]) -> list[Entry]:
    """The recorded briefings whose files are still in the folder, oldest first."""
    entries = []
    for briefing in briefings:
        for fmt in _FORMATS:
            name = f"sitrep-{briefing.date}.{fmt}"
            if (out_dir / name).is_file():
                entries.append(Entry(briefing=briefing, href=name))
                break
    return entries


def render_index(entries: list[Entry], title: str, templates_dir: Path | None = None) -> str:
    """The archive page: every briefing, newest first, with its top takeaways."""
    try:
        template = template_env(templates_dir).get_template("index.html.j2")
        return template.render(title=title, entries=list(reversed(entries)), feed=FEED)
    except jinja2.TemplateError as exc:
        raise RenderError(f"template index.html.j2: {exc}") from None


def render_feed(entries: list[Entry], title: str) -> str:
    """An Atom feed with one entry per briefing, newest first; links are relative."""
    ET.register_namespace("", _ATOM)
    feed = ET.Element(f"{{{_ATOM}}}feed")
    _text(feed, "title", title)
    _text(feed, "id", _urn(title, "feed"))
    updated = max((e.briefing.generated_at for e in entries), default=None)
    _text(feed, "updated", updated.isoformat() if updated else "1970-01-01T00:00:00+00:00")
    author = ET.SubElement(feed, f"{{{_ATOM}}}author")
    _text(author, "name", "brief")
    ET.SubElement(feed, f"{{{_ATOM}}}link", rel="self", href=FEED)
    ET.SubElement(feed, f"{{{_ATOM}}}link", rel="alternate", type="text/html", href=INDEX)
    for entry in reversed(entries):
        item = ET.SubElement(feed, f"{{{_ATOM}}}entry")
        _text(item, "title", entry.briefing.title)
        _text(item, "id", _urn(title, entry.briefing.date))
        _text(item, "updated", entry.briefing.generated_at.isoformat())
        ET.SubElement(item, f"{{{_ATOM}}}link", rel="alternate", href=entry.href)
        summary = "".join(f"<li>{escape(t)}</li>" for t in entry.briefing.takeaways)
        _text(item, "summary", f"<ul>{summary}</ul>" if summary else "No takeaways.",
              type="html" if summary else "text")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _write(path: Path, text: str) -> None:
    """Write through a temporary file so a reader never sees half a page."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise RenderError(f"cannot write {path}: {exc.strerror}") from None


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> None:
    ET.SubElement(parent, f"{{{_ATOM}}}{tag}", attrs).text = text


def _urn(title: str, name: str) -> str:
    """A stable Atom id: the same feed title and date always give the same id."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"brief:{title}:{name}").urn


def link_pages(out_dir: Path, entries: list[Entry]) -> None:
    """Fill each HTML briefing's navigation with its neighbours, the index and the feed."""
    pages = [e for e in entries if e.href.endswith(".html")]
    for i, entry in enumerate(pages):
        path = out_dir / entry.href
        html = path.read_text(encoding="utf-8")
        before, found, rest = html.partition(NAV_START)
        _, closed, after = rest.partition(NAV_END)
        if not found or not closed:
            continue  # a user's template without the markers: leave the page as it is
        nav = nav_html(pages[i - 1] if i else None, pages[i + 1] if i + 1 < len(pages) else None)
        updated = before + NAV_START + nav + NAV_END + after
        if updated != html:
            _write(path, updated)


def nav_html(earlier: Entry | None, later: Entry | None) -> str:
    """Links to the previous and next briefings, the index and the feed."""
    parts = []
    if earlier is not None:
        parts.append(f'<a rel="prev" href="{escape(earlier.href)}">'
                     f"&larr; {escape(earlier.briefing.date)}</a>")
    parts.append(f'<a href="{INDEX}">All briefings</a>')
    parts.append(f'<a href="{FEED}" type="application/atom+xml">Atom feed</a>')
    if later is not None:
        parts.append(f'<a rel="next" href="{escape(later.href)}">'
                     f"{escape(later.briefing.date)} &rarr;</a>")
    return " · ".join(parts)
