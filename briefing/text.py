"""Sentence splitting and small text helpers shared by the stages.

Sentences are cut with syntok (rule-based, no model or data download), which keeps
"Dr.", "U.S.", "No. 4" and "9 a.m." inside their sentences. Sentences are returned as
exact slices of the input so a selected sentence is verbatim by construction.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import syntok.segmenter as segmenter

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)


# Titles syntok may end a sentence on when a name follows ("led by Maj. Gen. Ali").
_TITLE_ABBREVIATION = re.compile(
    r"\b(Maj|Gen|Col|Lt|Capt|Cpt|Brig|Sgt|Cpl|Pvt|Adm|Cmdr|Gov|Sen|Rep|Rev|Prof|Dr|Mr|Mrs|Ms|"
    r"Mt|St|Ft|Sheikh|Pres|Amb|Insp|Supt)\.$"
)
_DATELINE = re.compile(
    r"^[A-Z][A-Z .'-]{1,40}(, [A-Z][\w .'-]{1,40})?( \([^)]{1,40}\))? ?[—–-]{1,2} (?=[A-Z])"
)


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, each an exact substring of it."""
    return [text[start:end] for start, end in sentence_spans(text)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character offsets (start, end) of each sentence in ``text``."""
    spans: list[tuple[int, int]] = []
    for paragraph in segmenter.analyze(text):
        for sentence in paragraph:
            tokens = list(sentence)
            if not tokens:
                continue
            start = tokens[0].offset
            end = tokens[-1].offset + len(tokens[-1].value)
            if spans and _TITLE_ABBREVIATION.search(text[spans[-1][0] : spans[-1][1]]):
                start = spans.pop()[0]
            spans.append((start, end))
    return [_without_dateline(text, s, e) for s, e in spans]


def _without_dateline(text: str, start: int, end: int) -> tuple[int, int]:
    """Skip a wire dateline ("HAMA, Syria (Reuters) — ") so the sentence reads alone."""
    found = _DATELINE.match(text[start:end])
    return (start + found.end(), end) if found else (start, end)


# C0 and C1 controls but tab, line feed, carriage return and form feed (whitespace, which
# squash handles), and the bidi embeddings, overrides and isolates that can make text
# display in an order other than the one it is stored in (Trojan Source).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str) -> str:
    """``text`` without control or bidi override characters; line breaks kept."""
    return _CONTROLS.sub("", text)


def one_line(text: str) -> str:
    """``text`` as one clean line: no controls or bidi overrides, no line breaks."""
    return squash(strip_controls(text))


def squash(text: str) -> str:
    """Collapse runs of whitespace into one space and strip the ends."""
    return _SPACE.sub(" ", text).strip()


DATAMARK = "\u02c6"  # spotlighting, "words" mode: the marker put between words
LINEMARK = "\u2502"  # spotlighting, "lines" mode: the marker that opens every line
_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    # a quote copied across a line break may carry a spotlighting marker: read it as space
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", DATAMARK: " ", LINEMARK: " ",
    "\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None,
})


@lru_cache(maxsize=512)  # article texts are compared with many statements
def normalise(text: str) -> str:
    """The one text normaliser: NFKC, plain quotes and dashes, no invisible, control or
    bidi override characters, single spaces. Every stage that compares text (verification, dedup, hashing) uses it.
    """
    return one_line(unicodedata.normalize("NFKC", text).translate(_FOLD))


def fold(text: str) -> str:
    """``normalise`` and case-folded: for comparisons that ignore case."""
    return normalise(text).casefold()


def words(text: str) -> list[str]:
    """Lower-cased word tokens."""
    return [w.casefold() for w in raw_words(text)]


def raw_words(text: str) -> list[str]:
    """Word tokens as written (``words`` before case-folding)."""
    return _WORD.findall(text)


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span ``text[start:end]`` without its leading and trailing white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
