"""Chunks fit their budget, keep offsets into the article, and batch short articles."""

from __future__ import annotations

import itertools
from typing import Literal

import pytest

from briefing.chunk import PART_OVERHEAD, chunk
from briefing.models import Article
from briefing.tokens import tokenizer_for

TOK = tokenizer_for("gpt-4o-mini")


def art(article_id: str, text: str) -> Article:
    return Article(id=article_id, title=article_id, text=text)


def paragraph(n: int, sentences: int = 6) -> str:
    return " ".join(
        f"In paragraph {n}, sentence {i} reports that {i * 7} trucks reached the depot."
        for i in range(sentences)
    )


LONG = art("long", "\n\n".join(paragraph(n) for n in range(12)))


def test_short_articles_are_batched_into_one_chunk() -> None:
    articles = [art(f"a{i}", f"Short report number {i} about the harbour.") for i in range(5)]
    chunks = chunk(articles, 400)
    assert len(chunks) == 1
    assert [p.article_id for p in chunks[0].parts] == [a.id for a in articles]


def test_batches_never_exceed_the_budget() -> None:
    articles = [art(f"a{i}", paragraph(i, 3)) for i in range(20)]
    chunks = chunk(articles, 300)
    assert len(chunks) > 1
    assert all(c.tokens <= 300 for c in chunks)
    assert [p.article_id for c in chunks for p in c.parts] == [a.id for a in articles]


@pytest.mark.parametrize("budget", [120, 300, 800])
def test_long_article_pieces_fit_and_keep_offsets(budget: int) -> None:
    chunks = chunk([LONG], budget)
    assert len(chunks) > 1
    for piece in chunks:
        assert piece.tokens <= budget
        for part in piece.parts:
            assert LONG.text[part.start : part.end] == part.text
            assert TOK.budgeted(part.text) + PART_OVERHEAD <= budget


def test_long_article_is_fully_covered_in_order() -> None:
    parts = [p for c in chunk([LONG], 300) for p in c.parts]
    covered: set[int] = set()
    for part in parts:
        covered.update(range(part.start, part.end))
    text_chars = {i for i, ch in enumerate(LONG.text) if not ch.isspace()}
    assert text_chars <= covered
    assert [p.start for p in parts] == sorted(p.start for p in parts)


def test_consecutive_pieces_overlap() -> None:
    parts = [p for c in chunk([LONG], 200, overlap=60) for p in c.parts]
    assert any(b.start < a.end for a, b in itertools.pairwise(parts))


def test_paragraph_boundaries_are_preferred() -> None:
    parts = [p for c in chunk([LONG], 600, overlap=0) for p in c.parts]
    assert len(parts) > 1
    for part in parts:
        assert part.start == 0 or LONG.text[part.start - 2 : part.start] == "\n\n"


def test_a_paragraph_too_long_is_cut_between_sentences() -> None:
    one = art("one", paragraph(0, 40))
    parts = [p for c in chunk([one], 150) for p in c.parts]
    assert len(parts) > 1
    assert all(p.text.endswith(".") for p in parts)


def test_a_sentence_too_long_is_cut_on_tokens() -> None:
    endless = art("endless", " ".join(f"word{i}" for i in range(2_000)))
    parts = [p for c in chunk([endless], 100) for p in c.parts]
    assert len(parts) > 5
    assert all(endless.text[p.start : p.end] == p.text for p in parts)
    assert all(TOK.budgeted(p.text) + PART_OVERHEAD <= 100 for p in parts)


def test_empty_articles_are_skipped_and_tiny_budgets_refused() -> None:
    assert chunk([art("empty", "  \n\n ")], 300) == []
    with pytest.raises(ValueError, match="too small"):
        chunk([LONG], 10)


@pytest.mark.parametrize("mode", ["lines", "words"])
def test_budgets_are_counted_on_the_text_as_sent(mode: Literal["lines", "words"]) -> None:
    from briefing.backends.llm_io import datamark

    def render(text: str) -> str:
        return datamark(text, mode)

    plain = chunk([LONG], 300)
    marked = chunk([LONG], 300, render=render)
    if mode == "words":
        assert len(marked) > len(plain)  # word marks cost tokens, so pieces are smaller
    for piece in marked:
        for part in piece.parts:
            cost = TOK.budgeted(render(part.text)) + TOK.budgeted(render(LONG.title))
            assert cost + PART_OVERHEAD <= 300
