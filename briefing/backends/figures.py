"""Key figures, contested figures and what to watch, found without domain vocabulary.

A key figure is a number with what it counts: the words after it ("27 civilians",
"$4.2 billion in aid", "3.1 percent inflation"), never a year, a time of day, a date or
an age. Two sources that give different numbers for the same thing make a contested
claim. "What to watch" is a forward-looking sentence that also says when: a scheduled
event or a deadline ("will meet on Thursday", "is due to report by March 3").

Numbers are read in any language: thousands grouped by comma, point, thin or no-break
space, or (outside English) a plain space ("12 000 tonnes"); a counted noun ends at the
language's stop words. The forward-looking and attribution signals are English words
here; other languages have their own small lexicons (briefing.backends.signals), and a
language with none is never guessed at with English words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefing.backends.ranking import Candidate, attribution, cosine, quotable
from briefing.backends.signals import Lexicon, lexicon
from briefing.models import Citation, KeyFigure, Statement
from briefing.sentences import stop_words
from briefing.terms import MONTHS, WEEKDAYS
from briefing.terms import fold as fold_word
from briefing.text import fold

_MONTHS = (r"January|February|March|April|May|June|July|August|September|October|"
           r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec")
_WEEKDAYS = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
# Thousands grouped by comma or point ("12,000", "12.000"), a thin or no-break space
# ("12 000", as French and Russian print them) and, outside English, a plain space.
_GROUPED = r"\d{1,3}(?:(?:[,.\u00a0\u202f\u2009]|SPACE)\d{3})+(?!\d)(?:[.,]\d+)?"
_UNITS = (r"%|per ?cent|percent|million|billion|trillion|thousand|hundred|pour cent|por ciento|"
          r"Prozent|millions?|milliards?|millones|mil millones|Millionen|Milliarden|Mio|Mrd|"
          r"процент\w*|миллион\w*|миллиард\w*|тысяч\w*")
_FIGURE_TEMPLATE = (
    r"(?P<qualifier>\b(?i:at least|about|around|more than|nearly|some|over|up to|almost|"
    r"roughly|an estimated|approximately|fewer than|less than)\s+)?"
    r"(?<![\d.,])(?P<number>[$€£¥]?GROUPED|[$€£¥]?\d+(?:[.,]\d+)?)"
    rf"(?P<unit>\s*(?:{_UNITS})\b)?"
    r"(?P<counted>(?:\s+(?:of\s+|in\s+)?WORD){1,2})"  # what it counts: one or two words
)
# English: lower-case words ("in 2019 Russia" counts nothing); other languages: any word
# (German writes every noun with a capital: "4.000 Hafenarbeiter")
_FIGURE = re.compile(_FIGURE_TEMPLATE.replace("GROUPED", _GROUPED.replace("|SPACE", ""))
                     .replace("WORD", r"[a-z][a-z-]+"))
_FIGURE_SPACED = re.compile(_FIGURE_TEMPLATE.replace("GROUPED", _GROUPED.replace("SPACE", " "))
                            .replace("WORD", r"[^\W\d_][\w’'-]*"))
_NOT_COUNTED = re.compile(
    rf"^\s*(?:{_MONTHS}|a\.m|p\.m|am|pm|hours?|o'clock|years? old|year-old|GMT|UTC|and|or|to|"
    r"of the|in the|times?|percent of the)\b", re.I)
# hours in a few languages (English ones are in _NOT_COUNTED): a time, not a count
_CLOCK = frozenset(["h", "heure", "heures", "uhr", "hora", "horas", "ore", "saat", "час", "часа",
                    "часов"])
_WHERE = re.compile(r"^\s*(?:kilomet\w*|km|miles?|met(?:er|re)s?|yards?)\s+(?:(?:north|south)"
                    r"(?:-?(?:east|west))?|east|west|inland|offshore|away|from|outside)\b", re.I)
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_FUTURE = re.compile(
    r"\b(will|shall|is due|are due|is expected to|are expected to|is scheduled|"
    r"are scheduled|is set to|are set to|plans? to|intends? to|deadline)\b",
    re.I,
)
_EVENT_AHEAD = re.compile(
    r"\b(vote|summit|talks|meeting|hearing|trial|election|ballot|launch|session|deadline)s?\b"
    r"[^.;]{0,30}\b(next|coming|tomorrow|later this|upcoming)\b",
    re.I,
)
_WHEN = re.compile(
    rf"\b(?:(?:on|by|until|before|from|next|this|later this|early next)\s+(?:{_WEEKDAYS}|{_MONTHS})"
    rf"|(?:{_WEEKDAYS})|(?:{_MONTHS})\s+\d{{1,2}}|\d{{1,2}}\s+(?:{_MONTHS})"
    r"|tomorrow|tonight|next (?:week|month|year|spring|summer|autumn|fall|winter)"
    r"|later (?:this|today|in the)\b[\w ]{0,12}|within (?:days|weeks|\w+ (?:days|weeks|hours))"
    r"|in (?:\w+ )?(?:days|weeks|months)|(?:this|the coming) (?:week|month|weekend)"
    r"|by the end of \w+|(?:19|20)\d\d)\b",
)


def statement(candidate: Candidate, text: str | None = None) -> Statement:
    """A candidate as a cited statement; the citation quotes the sentence verbatim."""
    match = attribution(candidate.text, candidate.language)
    return Statement(
        text=text or candidate.text,
        citations=[Citation(article_id=a, quote=candidate.text) for a in candidate.citations],
        attribution=match.group(0) if match else None,
    )


def figure_matches(text: str, language: str | None = None) -> list[re.Match[str]]:
    """The numbers in a sentence that count something (not years, times, dates or ages)."""
    out = []
    pattern = _FIGURE if _english(language) else _FIGURE_SPACED
    for match in pattern.finditer(text):
        number = match.group("number")
        if _YEAR.match(number) and not match.group("unit"):
            continue
        counted = match.group("counted")
        first = fold_word(counted.split()[0]).strip("’'")
        if not match.group("unit") and (_NOT_COUNTED.match(counted) or first in MONTHS
                                        or first in WEEKDAYS or first in _CLOCK):
            continue
        if _WHERE.match(counted):
            continue  # "20 kilometres north of Hama" says where, not how many
        before = text[max(0, match.start() - 12) : match.start()]
        if re.search(rf"(?:{_MONTHS}|{_WEEKDAYS}|No\.|number|aged?)\s*$", before, re.I):
            continue
        out.append(match)
    return out


def _english(language: str | None) -> bool:
    return (language or "en").split("-")[0] == "en"


def key_figures(pool: Sequence[Candidate], limit: int) -> list[KeyFigure]:
    """The best-scored sentences' figures, each with what it counts and its source."""
    figures: list[KeyFigure] = []
    seen: set[str] = set()
    for candidate in sorted(pool, key=lambda c: -c.score):
        found = labelled_figure(candidate.text, candidate.language)
        if found is None or fold(found[0]) in seen or (
                not _english(candidate.language) and _number_of(found[0]) in seen):
            continue  # the same number from a report in another language is the same figure
        seen.update((fold(found[0]), _number_of(found[0])))
        value, counts, context = found
        figures.append(KeyFigure(
            value=value, counts=counts, context=context,
            citations=[Citation(article_id=a, quote=candidate.text) for a in candidate.citations],
        ))
        if len(figures) >= limit:
            break
    return figures


def labelled_figure(sentence: str, language: str | None = None) -> tuple[str, str, str] | None:
    """A sentence's first usable figure: (the number with its noun, what it counts, clause).

    "More than 48,000 people have fled their homes in Hama" gives "More than 48,000
    people" and "fled their homes in Hama"; "put the death toll at 41" gives "41" and
    "death toll". A number whose clause says nothing more than the label is passed over.
    """
    for match in figure_matches(sentence, language):
        noun = _noun(match.group("counted"), language)
        if noun:
            label_end = match.start("counted") + match.group("counted").index(noun) + len(noun)
        elif match.group("unit"):  # "3.1 percent": the unit says what kind of number it is
            label_end = match.end("unit")
        else:
            continue
        begin, end = _clause_span(sentence, match.start())
        counts = _what_it_counts(sentence[label_end:end], sentence[begin : match.start()])
        if counts:
            value = " ".join(sentence[match.start() : label_end].split())
            return value, counts, " ".join(sentence[begin:end].split())
    for match in _MEASURE.finditer(sentence):
        if _YEAR.match(match.group("number")) and not match.group("unit"):
            continue
        begin, end = _clause_span(sentence, match.start("number"))
        what = _SETS_A_MEASURE.split(" ".join(match.group("what").split()))[-1]
        if len(what.split()) >= 2 and match.start() >= begin:
            value = " ".join(sentence[match.start("qualifier") if match.group("qualifier")
                                      else match.start("number") : match.end()].split())
            return value, _words(what, 16), " ".join(sentence[begin:end].split())
    return None


# words that end the noun a number counts: "27 people were killed" counts "people"
_STOP_NOUN_WORDS = (
    "have has had were was are is be been being will would could can may might must who "
    "that which and or but to from after since when while as than said say says did do "
    "does on at by for with over into per a an the this these those their its")
_STOP_NOUN = frozenset(_STOP_NOUN_WORDS.split())
_AUXILIARY = re.compile(r"^(?:(?:have|has|had|were|was|are|is|been|being|who|which|that)\s+)+",
                        re.I)
# "The hospital put the number of people treated at 212": the measure is what the verb sets
_SETS_A_MEASURE = re.compile(r"\b(?:put|puts|set|sets|raised|raises|lowered|lowers|revised|revises|"
                             r"estimated|estimates|gave|gives|brought|brings)\s+(?:the|its|their)\s+")
_NEXT_CLAUSE = re.compile(r"^(?:and|but|or|while|whereas)\b|\s+(?:and|but|while|whereas)\s+"
                          r"(?:that|then|was|were|is|are|has|have|had|said|says|will|would)\b",
                          re.I)
_DANGLING = re.compile(r"(?:\s+(?:including|of|with|for|and|or|to|at|some|about|the|a|an|"
                       r"put|puts|said|says))+\s*$", re.I)
_MEASURE = re.compile(
    r"\b(?i:the|its|their)\s+(?P<what>[^,;:.()]{3,90}?)\s+(?:at|to|was|is|stood at|of)\s+"
    r"(?P<qualifier>(?:at least|about|around|more than|nearly|some|over|almost)\s+)?"
    r"(?P<number>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
    r"(?P<unit>\s*(?:%|per ?cent|percent|million|billion|trillion))?(?=[,.;)]|\s*$)")


def _noun(counted: str, language: str | None = None) -> str:
    """The counted noun: the words after a number up to the first verb or function word
    ("12 000 tonnes de blé" counts "tonnes": another language's stop words end it too)."""
    kept: list[str] = []
    stops = _STOP_NOUN if _english(language) else _STOP_NOUN | stop_words(language)
    for word in counted.split():
        if re.fullmatch(f"{_MONTHS}|{_WEEKDAYS}", word) or fold_word(word) in MONTHS:
            break
        if word.casefold() in stops:
            if kept:
                break
            if word.casefold() not in {"of", "in"}:
                return ""
        kept.append(word)
    if not _english(language):
        kept = kept[:1]  # one noun: without the language's grammar, a second word may be a verb
    while kept and kept[-1].casefold() in {"of", "in"}:
        kept.pop()
    return " ".join(kept) if kept and kept[-1].casefold() not in {"of", "in"} else ""


def _what_it_counts(after: str, before: str) -> str:
    """The clause's words beside the label: what follows it, else what leads up to it.

    Words after a coordinating conjunction tell another fact ("for 30,000 people and was
    setting up two clinics"), so they never say what the number counts.
    """
    rest = _AUXILIARY.sub("", after.strip(" ,;:.—–-"))
    rest = _NEXT_CLAUSE.split(rest, maxsplit=1)[0].strip()
    if len(rest.split()) >= 3:
        return _words(rest.rstrip(" ."), 16)
    lead = _DANGLING.sub("", before.strip(" ,;:—–-"))
    return _words(lead, 16) if len(lead.split()) >= 2 else ""


def _words(text: str, limit: int) -> str:
    tokens = text.split()
    return " ".join(tokens[:limit]) + (" …" if len(tokens) > limit else "")


def _clause_span(sentence: str, start: int) -> tuple[int, int]:
    """Where the clause holding position ``start`` begins and ends in the sentence."""
    marks = (", ", "; ", " — ", " – ")
    begin = max(sentence.rfind(mark, 0, start) for mark in marks)
    begin = 0 if begin < 0 else begin + 2
    ends = [found for mark in marks if (found := sentence.find(mark, start + 1)) != -1]
    end = min(ends, default=len(sentence))
    while end > begin and sentence[end - 1] in " .":
        end -= 1
    return begin, end


def contested(pool: Sequence[Candidate]) -> list[Candidate]:
    """Sentences from different sources that give different numbers for the same thing."""
    claims: dict[str, list[tuple[str, Candidate]]] = {}
    for candidate in pool:
        for match in figure_matches(candidate.text, candidate.language):
            counted = " ".join(match.group("counted").split()).casefold()
            claims.setdefault(counted, []).append((match.group("number"), candidate))
    for found in sorted(claims.values(), key=lambda pairs: -max(c.score for _, c in pairs)):
        found.sort(key=lambda pair: -pair[1].score)
        first_number, first = found[0]
        for number, other in found[1:]:
            independent = not set(first.citations) & set(other.citations)
            if _differ(number, first_number) and independent and _one_event(first, other):
                return [first, other]
    return []


def _differ(a: str, b: str) -> bool:
    """Two counts of one thing that disagree, but not by so much they count different things."""
    x, y = (_value(n) for n in (a, b))
    return x != y and min(x, y) > 0 and max(x, y) <= 3 * min(x, y)


def _number_of(label: str) -> str:
    """The value of a figure's label as a number, for spotting one figure in two languages."""
    match = re.search(r"\d[\d.,\s]*", label)
    return f"#{_value(match.group(0).strip()) if match else ''}"


def _value(number: str) -> float:
    """A figure as a number, whatever groups its thousands or marks its decimals."""
    digits = re.sub(r"[^\d.,]", "", number)
    if re.fullmatch(r"\d{1,3}(?:[,.]\d{3})+", digits):
        digits = re.sub(r"[,.]", "", digits)  # "12,000", "12.000"
    digits = digits.replace(",", ".")  # a decimal comma: "3,5"
    try:
        return float(digits)
    except ValueError:
        return 0.0


def _one_event(a: Candidate, b: Candidate) -> bool:
    """Two sentences about the same thing: they share much of their weighted terms."""
    return cosine(a.vector, b.vector) >= 0.25


def outlook_sentence(text: str, language: str | None = None) -> bool:
    """A forward-looking sentence that says when: a scheduled event or a deadline."""
    if text.rstrip().endswith(("?", "？", "؟")):
        return False
    if _english(language):
        return bool(_EVENT_AHEAD.search(text)) or (bool(_FUTURE.search(text))
                                                   and bool(_WHEN.search(text)))
    words = lexicon(language)
    if words is None:
        return False  # no lexicon: never guessed at with another language's words
    if any(_time_ahead(text, m, words) for m in words.ahead.finditer(text)):
        return True  # "la semaine prochaine", "завтра": the time itself lies ahead
    return bool(words.future.search(text)) and any(
        _time_ahead(text, m, words) for m in words.when.finditer(text))


def _time_ahead(text: str, when: re.Match[str], words: Lexicon) -> bool:
    """A time that may lie ahead: not marked past ("jeudi dernier", "上周"), and not the
    day a statement was made ("a déclaré jeudi que ...", "周四表示")."""
    start, end = when.span()
    if words.past.search(text[max(0, start - 12) : end + 12]):
        return False
    before = text[max(0, start - 30) : start]
    if any(len(before[m.end():].split()) <= 1 for m in words.attribution.finditer(before)):
        return False  # the verb of saying, then the time (at most one short word between)
    after = text[end : end + 20]
    return not (words.said_after and (m := words.attribution.search(after)) is not None
                and len(after[: m.start()].split()) <= 1)


def outlook(pools: Sequence[Sequence[Candidate]], used: set[str], limit: int = 3) -> list[Candidate]:
    """Up to ``limit`` unused forward-looking sentences, one per leading development."""
    picks: list[Candidate] = []
    for pool in pools[:6]:
        # each language by its own signal words (briefing.backends.signals)
        ahead = [c for c in pool if c.key not in used and quotable(c)
                 and outlook_sentence(c.text, c.language)]
        if ahead:
            best = max(ahead, key=lambda c: c.score)
            used.add(best.key)
            picks.append(best)
        if len(picks) == limit:
            break
    return picks
