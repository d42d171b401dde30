"""A story cut into sibling blocks around an advert is read whole, in order."""

from __future__ import annotations

import lxml.html

from briefing.extract import extract_page
from briefing.extract_split import join_split_bodies
from briefing.models import RawDocument, SourceKind

_FIRST = [
    "The harbour board met on Tuesday evening to weigh three plans for the old ferry"
    " pier, which has stood empty since the storm two winters ago flooded its sheds.",
    "Engineers told the board that the cheapest plan would patch the pilings for a"
    " decade, while the dearest would replace the deck and add a covered walkway.",
    "Several fishermen spoke against closing the slipway during the works, saying the"
    " season's catch could not wait for a contractor's timetable to suit the board.",
]
_SECOND = [
    "After two hours of debate the board chose the middle plan, which rebuilds the"
    " northern half first so that the slipway stays open through the summer months.",
    "The chair said tenders would be invited next month and that work could begin in"
    " early autumn if the regional grant arrives on the schedule promised last year.",
    "Residents who want to comment on the detailed drawings can see them at the library"
    " until the end of the month, and a public meeting will follow in the village hall.",
]


def _paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{text}</p>" for text in texts)


def _split_page(between: str) -> str:
    part = '<div class="grid wide"><div class="story article__body">{}</div><div class="aside"></div></div>'
    return (
        "<html><head><title>Harbour board picks a plan for the ferry pier</title></head><body>"
        "<article><h1>Harbour board picks a plan for the ferry pier</h1><div class='chunks'>"
        + part.format(_paragraphs(_FIRST)) + between + part.format(_paragraphs(_SECOND))
        + "</div></article></body></html>"
    )


def _extract(html: str) -> str:
    raw = RawDocument(kind=SourceKind.INBOX, location="pier.html", media_type="html",
                      content=html.encode())
    result = extract_page(raw)
    assert result.accepted
    return result.article.text


def test_story_split_around_an_advert_keeps_both_parts_in_order() -> None:
    text = _extract(_split_page('<div class="ad-row"><span>Advertisement</span></div>'))
    positions = [text.find(paragraph[:60]) for paragraph in _FIRST + _SECOND]
    assert -1 not in positions, text
    assert positions == sorted(positions)


def test_blocks_with_real_content_between_them_stay_apart() -> None:
    between = "<section><h2>Other news</h2><p>" + " ".join(["word"] * 30) + "</p></section>"
    tree = lxml.html.fromstring(_split_page(between))
    assert join_split_bodies(tree) == 0


def test_teaser_cards_with_one_short_summary_are_not_joined() -> None:
    cards = "".join(
        f'<div class="card"><h3>Headline {n}</h3><p>A short summary of story number {n}.</p></div>'
        for n in range(5)
    )
    tree = lxml.html.fromstring(f"<html><body><div class='list'>{cards}</div></body></html>")
    assert join_split_bodies(tree) == 0
    assert len(tree.xpath("//div[@class='card']")) == 5


def test_a_short_heading_between_parts_keeps_its_place() -> None:
    block = '<div class="section">{}</div>'
    html = ("<html><body><div class='page'>" + block.format(_paragraphs(_FIRST))
            + "<h2>Second act</h2>" + block.format(_paragraphs(_SECOND))
            + "</div></body></html>")
    tree = lxml.html.fromstring(html)
    assert join_split_bodies(tree) == 1
    text = tree.text_content()
    assert text.index(_FIRST[-1]) < text.index("Second act") < text.index(_SECOND[0])


def test_comments_inside_the_parts_do_not_break_the_join() -> None:
    between = '<!-- advert slot --><div class="ad-row"><!-- empty --></div>'
    tree = lxml.html.fromstring(_split_page(between).replace("<p>", "<!-- para --><p>"))
    assert join_split_bodies(tree) == 1
    text = tree.text_content()
    assert text.index(_FIRST[0]) < text.index(_SECOND[-1])
