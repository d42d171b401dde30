"""Split articles into chunks that fit one LLM request.

A long article is cut on paragraph boundaries, a paragraph too long for the budget on
sentence boundaries, and a sentence too long on token boundaries; consecutive pieces
share a little overlap so a fact split across a cut is still readable in one piece.
Short articles are batched together until the budget is full, and ``join`` puts the
chunks of several small developments into one request. Every part keeps its character
offsets into ``Article.text``, so a quote can be traced back to its article.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from briefing.models import Article, Chunk, ChunkPart
from briefing.text import trim_span
from briefing.tokens import Tokenizer, tokenizer_for

PART_OVERHEAD = 24  # delimiters and the article header around each part in a prompt
_PARAGRAPH = re.compile(r"\S(?:.*?\S)?(?=\n\s*\n|\s*\Z)", re.DOTALL)
# A sentence ends at . ! ? (optionally closed by a quote or bracket) before whitespace.
_SENTENCE = re.compile(r"\S.*?(?:[.!?]+[\"'”’)\]]*(?=\s)|\Z)", re.DOTALL)


@dataclass(frozen=True)
class _Meter:
    """Counts what a text costs once rendered for the prompt (e.g. datamarked)."""

    tok: Tokenizer
    render: Callable[[str], str]

    def cost(self, text: str) -> int:
        return self.tok.budgeted(self.render(text))


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    tokens: int
    opens_paragraph: bool = False


def chunk(
    articles: Sequence[Article],
    budget: int,
    *,
    model: str = "gpt-4o-mini",
    overlap: int = 40,
    render: Callable[[str], str] | None = None,
) -> list[Chunk]:
    """Chunks of at most ``budget`` tokens (framing included), in article order.

    ``render`` is how text is transformed before it is sent (datamarking adds tokens);
    budgets are counted on its output.
    """
    if budget <= PART_OVERHEAD + 8:
        raise ValueError(f"chunk budget {budget} is too small for any text")
    meter = _Meter(tokenizer_for(model), render or _same)
    room = budget - PART_OVERHEAD
    parts: list[ChunkPart] = []
    for article in articles:
        parts.extend(_pieces(article, room, min(overlap, room // 4), meter))
    return _batch(parts, budget)


def _pieces(article: Article, room: int, overlap: int, meter: _Meter) -> list[ChunkPart]:
    text = article.text
    header = meter.cost(article.title[:200])  # the title rides in every part's header
    room -= header
    total = meter.cost(text)
    if not text.strip():
        return []
    if total <= room:
        start, end = trim_span(text, 0, len(text))
        return [ChunkPart(article_id=article.id, start=start, end=end,
                          text=text[start:end], tokens=total + header)]
    spans = _units(text, room, meter)
    windows = _windows(text, spans, room, overlap, meter)
    return [
        ChunkPart(article_id=article.id, start=s, end=e, text=text[s:e],
                  tokens=meter.cost(text[s:e]) + header)
        for s, e in windows
    ]


def _units(text: str, room: int, meter: _Meter) -> list[_Span]:
    """Sentences (token slices for a sentence too long), marking paragraph starts."""
    units: list[_Span] = []
    for para in _PARAGRAPH.finditer(text):
        first = True
        for sent in _SENTENCE.finditer(text, para.start(), para.end()):
            s, e = trim_span(text, sent.start(), min(sent.end(), para.end()))
            if s >= e:
                continue
            n = meter.cost(text[s:e])
            pieces = [_Span(s, e, n)] if n <= room else _token_slices(text, s, e, room, meter)
            for piece in pieces:
                units.append(_Span(piece.start, piece.end, piece.tokens, first))
                first = False
    return units


def _token_slices(text: str, start: int, end: int, room: int, meter: _Meter) -> list[_Span]:
    """Cut an over-long sentence into slices of whole tokens, each within ``room``."""
    enc = meter.tok.encoding
    ids = enc.encode_ordinary(text[start:end])
    step = max(1, int(room / (1 + meter.tok.margin)) - 1)
    while True:
        out: list[_Span] = []
        pos = start
        for i in range(0, len(ids), step):
            piece = enc.decode(ids[i : i + step])
            # decode can produce replacement characters at a cut inside a code point
            found = text.find(piece, pos, end) if "\ufffd" not in piece else -1
            s = pos if found < 0 else found
            e = min(end, s + len(piece))
            if e > s:
                out.append(_Span(s, e, meter.cost(text[s:e])))
                pos = e
        if pos < end:
            out.append(_Span(pos, end, meter.cost(text[pos:end])))
        worst = max(span.tokens for span in out)
        if worst <= room or step == 1:
            return out
        step = max(1, int(step * room / worst * 0.9))  # rendering made the slices grow


def _windows(
    text: str, units: list[_Span], room: int, overlap: int, meter: _Meter
) -> list[tuple[int, int]]:
    """Pack consecutive units into windows of at most ``room`` tokens, with overlap.

    A window ends before a paragraph when that keeps it at least half full, so pieces
    follow the article's own structure; the next window repeats the trailing sentences
    that fit in ``overlap`` tokens.
    """
    windows: list[tuple[int, int]] = []
    i = 0
    while i < len(units):
        used, j = 0, i
        while j < len(units) and used + units[j].tokens <= room:
            used += units[j].tokens
            j += 1
        j = max(j, i + 1)  # a unit always fits: _units made sure of that
        if j < len(units):
            j = _paragraph_cut(units, i, j, room)
        # the joined text can count a little more than its units: shrink if needed
        while j > i + 1 and meter.cost(text[units[i].start : units[j - 1].end]) > room:
            j -= 1
        windows.append((units[i].start, units[j - 1].end))
        if j >= len(units):
            break
        back, carried = j, 0
        while back - 1 > i and carried + units[back - 1].tokens <= overlap:
            back -= 1
            carried += units[back].tokens
        i = back
    return windows


def _paragraph_cut(units: list[_Span], i: int, j: int, room: int) -> int:
    """The last paragraph start in units[i:j] that leaves the window half full, else j."""
    cut, filled = j, 0
    for k in range(i, j):
        if k > i and units[k].opens_paragraph and filled >= room // 2:
            cut = k
        filled += units[k].tokens
    return cut


def _batch(parts: list[ChunkPart], budget: int) -> list[Chunk]:
    chunks: list[Chunk] = []
    current: list[ChunkPart] = []
    used = 0
    for part in parts:
        cost = part.tokens + PART_OVERHEAD
        if current and used + cost > budget:
            chunks.append(_make(current, used))
            current, used = [], 0
        current.append(part)
        used += cost
    if current:
        chunks.append(_make(current, used))
    return chunks


def join(chunks: Sequence[Chunk]) -> Chunk:
    """One chunk holding the parts of ``chunks`` in order; the caller checks they fit."""
    return _make([p for c in chunks for p in c.parts], sum(c.tokens for c in chunks))


def _make(parts: list[ChunkPart], used: int) -> Chunk:
    key = "|".join(f"{p.article_id}:{p.start}:{p.end}" for p in parts)
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    return Chunk(id=f"k{digest}", parts=list(parts), tokens=used)


def _same(text: str) -> str:
    return text
