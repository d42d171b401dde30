"""Sentences and ranking terms in any language a news inbox carries.

Latin, Cyrillic, Greek and Arabic text is cut by syntok (rule-based, no download), then
every piece is cut again at the full stops syntok does not know: the ideographic full
stop and marks of Chinese and Japanese ("。！？"), the Arabic question mark and the
Devanagari danda. Sentences stay exact slices of the input, so a selected sentence is
verbatim by construction.

Length is counted by script: words where words are spaced, characters for Chinese,
Japanese and Thai, which write no spaces. Ranking terms are words less the language's
stop words (stopwordsiso, bundled), cut to a short prefix as a cheap stemmer; unspaced
scripts give character pairs instead, a standard stand-in for word segmentation.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from briefing.terms import MONTHS, fold
from briefing.text import sentence_spans, trim_span

# Marks that end a sentence whether or not a space follows, with closing quotes after them.
# A full stop inside closing quotes ends the sentence when a capital follows: syntok
# keeps „Wir prüfen alle Optionen.“ Wie lange ... together.
_HARD_STOP = re.compile(r"[。！？؟।]+[」』”’\"）)\]]*\s*|[!?]+[」』”’\"）)]*(?=\s|$)\s*"
                        r"|(?<!\.[A-Z])\.[“”»\"]+\s+(?=[A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁ])")
# What still belongs to a sentence after a quote closed on its own stop: a Japanese
# quotative particle (「…。」と述べた) or a short Chinese attribution, with no clause mark,
# ending on a verb of saying (“…！”一名代表说。)
_QUOTE_TAIL = re.compile(r"\s*(?:と|って|との)|[^。！？，、；：,;:“”「」\s]{1,20}?"
                         r"(?:说|說|道|表示|称|稱|问|問|指出|强调|強調|回答|透露|补充|補充)[。！？]")
_CLOSING = "」』”’\"）)"
# "1." before a month is a German (or Turkish, Scandinavian...) ordinal date, not an end
_ORDINAL_END = re.compile(r"(?:^|\s)\d{1,2}\.$")
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f]")
_SPACED_WORD = re.compile(r"[^\W\d_\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"
                          r"(?:[-'’][^\W\d_]+)*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
STEM = 6  # a prefix of six letters joins "elections"/"election", "attacked"/"attacks"


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` in any script, each an exact substring of it."""
    return [text[start:end] for start, end in spans(text)]


def spans(text: str) -> list[tuple[int, int]]:
    """Character offsets (start, end) of each sentence, any script."""
    out: list[tuple[int, int]] = []
    for start, end in sentence_spans(text):
        cut = start
        for stop in _HARD_STOP.finditer(text, start, end):
            if stop.end() < end and text[cut:stop.end()].strip() and not _quote_goes_on(text, stop):
                out.append(trim_span(text, cut, stop.end()))
                cut = stop.end()
        if text[cut:end].strip():
            out.append(trim_span(text, cut, end))
    return _join_ordinal_dates(text, out)


def _quote_goes_on(text: str, stop: re.Match[str]) -> bool:
    """True when the stop closes a quotation the sentence goes on after."""
    closed = stop.group().rstrip()
    if closed[-1] not in _CLOSING:
        return False
    # a lower-case word after the quote goes on in any cased script ("Stop!" and left.)
    return text[stop.end() : stop.end() + 1].islower() or bool(_QUOTE_TAIL.match(text, stop.end()))


def _join_ordinal_dates(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Rejoin a piece ending "am 1." with the next when that starts with a month name."""
    out: list[tuple[int, int]] = []
    for start, end in pieces:
        if out and _ORDINAL_END.search(text[out[-1][0] : out[-1][1]]):
            first = text[start:end].split(maxsplit=1)[0].strip(".,")
            if fold(first) in MONTHS:
                out[-1] = (out[-1][0], end)
                continue
        out.append((start, end))
    return out


def unspaced_share(text: str) -> float:
    """The share of letters written in a script without spaces (Chinese, Japanese, Thai)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if _UNSPACED.match(c)) / len(letters)


def length(text: str) -> int:
    """Words, counting text in unspaced scripts as one word per two characters."""
    unspaced = len(_UNSPACED.findall(text))
    spaced = len(_SPACED_WORD.findall(text)) + len(_NUMBER.findall(text))
    return spaced + (unspaced + 1) // 2


@lru_cache(maxsize=64)
def stop_words(language: str | None) -> frozenset[str]:
    """The language's stop words (stopwordsiso, shipped offline), English when unknown."""
    import stopwordsiso

    code = (language or "en").split("-")[0].lower()
    if not stopwordsiso.has_lang(code):
        return frozenset()
    return frozenset(w.casefold() for w in stopwordsiso.stopwords(code))


def terms(text: str, language: str | None = None) -> list[str]:
    """Ranking terms: stemmed content words, numbers, and character pairs of unspaced text."""
    stops = stop_words(language)
    folded = unicodedata.normalize("NFKC", text).casefold()
    out = [w[:STEM] for w in _SPACED_WORD.findall(folded) if len(w) > 2 and w not in stops]
    out += _NUMBER.findall(folded)
    for run in re.findall(f"(?:{_UNSPACED.pattern})+", folded):
        out += [run[i : i + 2] for i in range(len(run) - 1)] or [run]
    return out


def is_foreign(language: str | None, briefing_language: str) -> bool:
    """True when a sentence must carry its language mark: known and not the briefing's."""
    return bool(language) and (language or "").split("-")[0] != briefing_language.split("-")[0]
