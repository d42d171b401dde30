"""The HTML body: a parsed page's tree prepared for trafilatura, and its text chosen.

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

from briefing.cleaner import count_words
from briefing.text import squash

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
