"""HTML pages: the tree prepared for trafilatura, its text chosen, the Article read.

``from_html`` dates the page before anything is removed, drops comments, hidden text
and pop-ups, reads the body through trafilatura (or line by line when an old layout
defeats it), cleans the chrome and takes the title.

Measured on the public extraction benchmark (benchmarks/bench_extraction.py): comment
nodes split paragraphs inside lxml, inline hover cards glue an author widget into a
sentence, and trafilatura's precision mode sometimes drops most of a story that its
default mode keeps. Both of trafilatura's fast modes together cost less than one of
its full runs (which also try readability and jusText), so both are run and the
precise text is taken unless it lost most of the story.
"""

from __future__ import annotations

import re
from typing import Any

from briefing.chrome import MIN_WORDS
from briefing.cleaner import (
    clean_lines,
    clean_paragraphs,
    count_words,
    find_dateline,
    strip_lead_dateline,
)
from briefing.dates import date_from_html, parse_html
from briefing.errors import SourceError
from briefing.extract_split import join_split_bodies
from briefing.extract_text import dateline_notes
from briefing.hidden import drop_hidden, page_titles, rejected_title, title_from_page
from briefing.models import Article, DateSource, Quarantined, RawDocument
from briefing.text import fold, squash

# Inline pop-ups (author hover cards, tooltips) that sit inside a sentence's markup.
_POPUP_XPATH = (
    "//p//*[contains(concat(' ', translate(@class, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ-_',"
    " 'abcdefghijklmnopqrstuvwxyz  '), ' '), ' rollover ')"
    " or contains(translate(@class, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ-_', 'abcdefghijklmnopqrstuvwxyz'),"
    " 'hovercard') or contains(translate(@class, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "
    "'abcdefghijklmnopqrstuvwxyz'), 'tooltip') or contains(translate(@class,"
    " 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), 'popover')]"
)
_CELL_BLOCKS = ("p", "div", "table", "ul", "ol", "section", "article", "br")
_LAYOUT_CELL_WORDS = 60  # a data cell holds a value or a phrase, not paragraphs
# The precise text is kept unless it is this much shorter than the default's.
_PRECISION_KEEPS = 0.5
_FEW_WORDS = 20


def strip_comments(tree: Any) -> None:
    """Remove comment and processing-instruction nodes, keeping the text after them."""
    for node in tree.xpath("//comment() | //processing-instruction()"):
        remove_keeping_tail(node)


def remove_keeping_tail(node: Any) -> None:
    """Remove an element but keep the text that follows it inside its parent."""
    parent = node.getparent()
    if parent is None:
        return
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


_SPACES = re.compile(r"\s+")


def collapse_source_breaks(tree: Any) -> None:
    """Turn the HTML file's own line breaks into spaces (outside <pre>).

    They are layout of the source file, not of the page: left in, a sentence
    wrapped in the file comes out cut in two.
    """
    for text in tree.xpath("//text()[contains(., '\n')][not(ancestor::pre)]"):
        owner = text.getparent()
        if owner is None:
            continue
        if text.is_text:
            owner.text = _SPACES.sub(" ", owner.text)
        elif text.is_tail:
            owner.tail = _SPACES.sub(" ", owner.tail)


def drop_popups(tree: Any) -> None:
    """Remove hover cards and tooltips nested inside paragraphs."""
    for node in tree.xpath(_POPUP_XPATH):
        if node.getparent() is not None:
            remove_keeping_tail(node)


def tables_as_rows(tree: Any) -> None:
    """Data tables become one paragraph per row (cells joined by ' | ').

    A table whose cells hold paragraphs or other tables is a layout table: the story
    is inside it, so it is left for the extractor to read as blocks.
    """
    # Inner tables first (reverse document order): an outer table then sees what
    # its inner ones became.
    for table in reversed(tree.xpath("//table")):
        cells = table.xpath(".//td | .//th")
        if not cells or any(_holds_blocks(cell) for cell in cells):
            # A layout table: the story is inside it. As plain blocks, the extractor
            # reads its paragraphs one by one instead of one cell as one line.
            for part in table.iter("table", "tbody", "thead", "tfoot", "tr", "td", "th"):
                part.tag = "div"
            continue
        rows = []
        for row in table.xpath(".//tr"):
            values = [squash(c.text_content()) for c in row.xpath("./td | ./th")]
            if any(values):
                rows.append(" | ".join(v for v in values if v))
        replacement = table.makeelement("div", {})
        for text in rows:
            paragraph = replacement.makeelement("p", {})
            paragraph.text = text
            replacement.append(paragraph)
        replacement.tail = table.tail
        table.getparent().replace(table, replacement)


def _holds_blocks(cell: Any) -> bool:
    """True for a layout cell: one with blocks, line breaks or a story's worth of text."""
    if any(cell.find(f".//{tag}") is not None for tag in _CELL_BLOCKS):
        return True
    return len(cell.text_content().split()) > _LAYOUT_CELL_WORDS


def body_text(tree: Any, url: str | None) -> str:
    """The article body's text: trafilatura's precise reading unless it lost the story.

    The default reading is only paid for when the precise one holds less than half
    the words of the page's paragraphs, the sign that it may have cut the story.
    """
    import trafilatura

    def run(fast: bool = True, precise: bool = False) -> str:
        # bare_extraction works on its own copy: the tree is left as it was. Its own
        # table output reads layout tables as data; tables_as_rows did the data ones.
        document = trafilatura.bare_extraction(
            tree, url=url, fast=fast, favor_precision=precise, include_comments=False,
            include_tables=False, with_metadata=False,
        )
        text = getattr(document, "text", None)
        return text if isinstance(text, str) else ""

    precise = run(precise=True)
    found = count_words(precise)
    in_paragraphs = count_words(" ".join(tree.xpath("//p//text()")))
    if found >= _PRECISION_KEEPS * in_paragraphs and found:
        return precise
    # Next to nothing found: the page defeats the fast readings, so let trafilatura
    # also try its other algorithms (readability, jusText) this once.
    default = run(fast=found >= _FEW_WORDS)
    return precise if found >= _PRECISION_KEEPS * count_words(default) else default


def from_html(html: str, raw: RawDocument) -> Article:
    """An HTML page's article: dated, hidden text held back, chrome cleaned, titled."""
    try:
        tree = parse_html(html)
    except Exception as exc:  # lxml raises several unrelated types on bad markup
        raise SourceError(f"{raw.location}: cannot parse HTML ({exc})") from None
    # Dated before anything is removed (JSON-LD lives in <script>) or rejected.
    found = date_from_html(html, tree=tree, url=raw.url, fetched_at=raw.fetched_at)
    # A comment node splits the text around it in lxml; trafilatura then loses it.
    strip_comments(tree)
    meta = _html_metadata(tree)
    hidden = drop_hidden(tree)
    if _hid_the_page(tree, hidden):
        # A page hiding more text than it shows hides nothing from a reader: its
        # stylesheet (rules under media queries, blocks a script reveals) was misread.
        # Read it again by its markup and inline styles alone; every sentence still
        # goes through the injection filter.
        tree = parse_html(html)
        strip_comments(tree)
        for style in tree.iter("style"):
            style.text = ""
        hidden = drop_hidden(tree)
    drop_popups(tree)
    # Link texts are taken before tables become plain rows: a table of headlines
    # is as much a list of other stories as a <ul> of them.
    links = frozenset(squash(a.text_content()) for a in tree.iter("a"))
    tables_as_rows(tree)
    collapse_source_breaks(tree)
    join_split_bodies(tree)  # a story cut in parts around an advert reads whole
    # The cleaned tree goes straight in: no second parse. Metadata comes from our own
    # reading of the page's tags above, which is cheaper and never guesses a date.
    lines = body_text(tree, raw.url).splitlines()
    script_dateline, paragraphs = strip_lead_dateline(clean_paragraphs(lines, links))
    dateline = find_dateline(lines) or script_dateline
    if count_words(" ".join(paragraphs)) < MIN_WORDS:
        # Old layouts (story text loose in a <td>) defeat the extractor: read the page
        # as a person would, line by line, with the same cleaner as for saved text.
        cleaned = clean_lines(_visible_lines(tree))
        paragraphs, dateline = cleaned.paragraphs, cleaned.dateline
    title = squash(
        title_from_page(meta.get("title"), page_titles(tree), "\n".join(paragraphs)) or ""
    )
    if paragraphs and title and fold(paragraphs[0]) in (fold(title), fold(meta.get("h1") or "")):
        paragraphs = paragraphs[1:]  # the headline is the title, not the story's first line
    article = Article(
        title=title,
        text="\n\n".join(paragraphs),
        url=raw.url or meta.get("url"),
        site=meta.get("site"),
        author=meta.get("author"),
        published_at=found.when if found else None,
        date_source=found.source if found else DateSource.NONE,
        notes=dateline_notes(dateline),
    )
    article.quarantined += hidden + rejected_title(meta.get("title"), article.title)
    return article



def _hid_the_page(tree: Any, hidden: list[Quarantined]) -> bool:
    """True when the passages taken as hidden outweigh the text left on the page."""
    held = sum(count_words(q.text) for q in hidden)
    return held > MIN_WORDS and held > count_words(tree.text_content())



_BLOCKS = (
    "p",
    "div",
    "td",
    "th",
    "tr",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "br",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "blockquote",
    "table",
    "ul",
    "ol",
    "dd",
    "dt",
)



def _visible_lines(tree: Any) -> list[str]:
    """The page's visible text, one line per block element or line break.

    The source's own line breaks were made spaces (collapse_source_breaks), so a
    sentence wrapped in the HTML file stays one line.
    """
    for element in tree.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
        if element.tag != "br":
            element.text = "\n" + (element.text or "")
    return str(tree.text_content()).splitlines()



def _html_metadata(tree: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    for element in tree.xpath("//meta[@content]"):
        key = element.get("property") or element.get("name") or element.get("itemprop") or ""
        key, content = key.lower(), element.get("content").strip()
        if key in ("og:title", "twitter:title") and content:
            meta.setdefault("title", content)
        elif key == "og:site_name" and content:
            meta.setdefault("site", content)
        elif key in ("author", "article:author", "dc.creator") and content:
            meta.setdefault("author", content)
        elif key == "og:url" and content:
            meta.setdefault("url_og", content)
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    meta["url"] = canonical[0].strip() if canonical else meta.pop("url_og", None)
    h1 = tree.xpath("//h1")
    meta["h1"] = squash(h1[0].text_content()) if h1 else None
    if not meta.get("title"):
        titles = tree.xpath("//title")
        meta["title"] = (h1 or titles)[0].text_content() if (h1 or titles) else None
    return meta
