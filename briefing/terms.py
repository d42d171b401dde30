"""What an article is about, as weighted terms that compare across inboxes and languages.

Words are weighted by how rare they are in the language at large (word frequencies shipped
with the ``wordfreq`` package, read offline), blended with how common they are in today's
inbox. The background is what lets a two-article inbox weigh "the" below "Srebrenica":
an inbox-only IDF gives every word the two articles share a weight of zero.

Besides words, an article's terms carry the signals reports of one event share in any
language: names (capitalised mid-sentence, weighted up), numbers (separators dropped, so
"3,5" and "3.5" meet), dates (month name and day, in several languages) and, when the
inbox mixes scripts, a consonant skeleton of names ("Putin", "Путин" and "بوتين" all
give "~btn"), so a French, Arabic or Russian report can join an English one. Numbers
are read in any digits and with their scale words ("12 ألف" is 12000); a date naming the
article's own publication day weighs less, as many reports of that day name it.
Two reports in different scripts can share nothing else, so they are compared on those
keys alone (``shared_view``).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache

from briefing.models import Article

MAX_WORDS = 800  # of the body: a long feature's tail drifts from the event it reports
ARTICLE_WORDS = 400  # a typical article's length, to turn word into document frequency
UNSEEN = 5e-7  # frequency of a word missing from the shipped list (it lists >= 1e-6)
COMMON = 0.5  # a word in this share of all articles or more tells nothing about the event
PRIOR = 1000.0  # the background counts as this many articles against the inbox's own counts
NAME_BOOST = 1.5  # a word written as a name names the event more than a common word
VECTOR_TERMS = 200  # terms per article kept for similarity
# numbers keep their separators ("1,200", "3,5", "1 200"); words split at apostrophes,
# which drops the "s" of "Mali's" and the "l" of "l'armée" (too short to be a term)
_TOKEN = re.compile(r"\d+(?:[.,\u00a0\u202f\u066b\u066c]\d+)*|[^\W\d_]+", re.UNICODE)
_TOKEN_AFTER = re.compile(r"([.!?:;\"“”«»]?)\s*(" + _TOKEN.pattern + ")", re.UNICODE)
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_ABJAD = re.compile(r"[\u0590-\u06ff\u0750-\u077f]")  # Hebrew, Arabic: short vowels unwritten
# of an article naming one given day and month; its own publication day or the day before
# are named far more often ("today", "yesterday" written out). Both measured on the 648
# dated pages of the publication-date dev set (../shared/eval/dates, benchmarks/
# bench_languages.py): 0.3% for a day 20-100 days away, 5.7% for the publication day,
# 3.5% for the day before
DATE_PROBABILITY = 0.003
NEWS_DAY_PROBABILITY = 0.05
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_MONTHS = {
    # month names that start a date, per language: cheap and domain-free
    "january janvier enero januar gennaio janeiro يناير ocak январь января": 1,
    "february fevrier febrero februar febbraio fevereiro فبراير شباط subat февраль февраля": 2,
    "march mars marzo marz marco مارس آذار mart март марта": 3,
    "april avril abril aprile أبريل نيسان nisan апрель апреля": 4,
    "may mai mayo maggio maio مايو أيار mayis май мая": 5,
    "june juin junio juni giugno junho يونيو حزيران haziran июнь июня": 6,
    "july juillet julio juli luglio julho يوليو تموز temmuz июль июля": 7,
    "august aout agosto أغسطس آب agustos август августа": 8,
    "september septembre septiembre settembre setembro سبتمبر أيلول eylul сентябрь сентября": 9,
    "october octobre octubre oktober ottobre outubro أكتوبر ekim октябрь октября": 10,
    "november novembre noviembre novembro نوفمبر kasim ноябрь ноября": 11,
    "december decembre diciembre dezember dicembre dezembro ديسمبر aralik декабрь декабря": 12,
}
MONTHS = {name: number for names, number in _MONTHS.items() for name in names.split()}
# Levantine months come in pairs, told apart by "first" or "second" (folded spellings)
MONTH_PAIRS = {("تشرين", "الاول"): 10, ("تشرين", "الثاني"): 11,
               ("كانون", "الاول"): 12, ("كانون", "الثاني"): 1}
_PAIRED = frozenset(first for first, _ in MONTH_PAIRS)
# what may stand between a day and its month: "1er décembre", "5th of March", "26 من نوفمبر"
_DAY_LINKS = frozenset(["st", "nd", "rd", "th", "er", "ere", "of", "de", "del", "من"])
# "11月26日" (Chinese, Japanese), "11월 26일" (Korean)
_CJK_DATE = re.compile(r"(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日号號일]")
_SCALES = {
    # words that multiply the number before them: "12 ألف" and "12,000" name one quantity
    "thousand thousands mille milliers mil tausend тысяча тысячи тысяч тыс bin الف الاف هزار": 3,
    "million millions millon millones millionen mio миллион миллиона миллионов млн milyon "
    "مليون ملايين میلیون": 6,
    "billion billions milliard milliards milliarde milliarden mrd миллиард миллиарда "
    "миллиардов млрд milyar مليار مليارات میلیارد": 9,
}
SCALES = {name: power for names, power in _SCALES.items() for name in names.split()}
_CJK_SCALES = {"千": 3, "万": 4, "萬": 4, "亿": 8, "億": 8, "천": 3, "만": 4, "억": 8}
# a weekday is in most news reports and names no event (unlike a day of a month)
WEEKDAYS = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo", "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد", "pazartesi", "sali", "carsamba", "persembe", "cuma", "cumartesi", "pazar", "понедельник", "вторник", "среда", "среду", "четверг", "пятница", "пятницу", "суббота", "субботу", "воскресенье"]
)


@dataclass
class Bag:
    """One article's raw terms: counts, background document probability, name marks."""

    counts: Counter[str] = field(default_factory=Counter)
    background: dict[str, float] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)


def term_vectors(
    articles: Sequence[Article], skeletons: bool | None = None
) -> list[dict[str, float]]:
    """One L2-normalised term vector per article, heaviest terms first; names give
    skeletons when asked, by default when the articles are in more than one script."""
    if skeletons is None:
        skeletons = len(set(scripts(articles))) > 1
    bags = [_bag(a, skeletons=skeletons) for a in articles]
    df: Counter[str] = Counter()
    background: dict[str, float] = {}
    for bag in bags:
        df.update(bag.counts.keys())
        for term, p in bag.background.items():
            if p > background.get(term, -1.0):
                background[term] = p
    n = len(bags)
    log = math.log
    idf = {t: max(0.0, log(COMMON * (n + PRIOR) / (d + PRIOR * background[t]))) for t, d in df.items()}
    return [_vector(bag, idf) for bag in bags]


def scripts(articles: Sequence[Article]) -> list[str]:
    """Each article's script ("LATIN", "ARABIC", "CYRILLIC", "CJK" ...)."""
    return [_script(a.title + " " + a.text[:300]) for a in articles]


def shared_view(vector: dict[str, float]) -> dict[str, float]:
    """The terms of a vector that any script writes alike, renormalised: names' skeletons,
    numbers and dates. Two reports in different scripts can share nothing else, so their
    other words only dilute a comparison that is then made on this view alone."""
    view = {t: w for t, w in vector.items() if t[0] in "~#@"}
    norm = math.sqrt(sum(w * w for w in view.values())) or 1.0
    return {t: w / norm for t, w in view.items()}


def _vector(bag: Bag, idf: dict[str, float]) -> dict[str, float]:
    names = bag.names
    weights = [
        (-(_tf(c) * idf[t] * (NAME_BOOST if t in names else 1.0)), t) for t, c in bag.counts.items()
    ]
    # sorted by weight, then term: the order (and so float sums) never depends on hashing
    top = sorted(weights)[:VECTOR_TERMS]
    norm = math.sqrt(sum(w * w for w, _ in top)) or 1.0
    return {t: -w / norm for w, t in top if w < 0}


@lru_cache(maxsize=4096)
def _tf(count: int) -> float:
    """Sublinear term frequency (counts repeat a lot: cached)."""
    return 1 + math.log(count)


def _bag(article: Article, skeletons: bool) -> Bag:
    """Terms of the title (twice: it names the event) and the body's first words."""
    language = (article.language or "en").split("-")[0]
    body = " ".join(article.text.split()[:MAX_WORDS])
    tokens: Counter[str] = Counter()
    names: set[str] = set()
    counts: dict[str, int] = {}
    for text, times in ((article.title, 2), (body, 1)):
        found = _TOKEN_AFTER.findall(text)
        plain = _scaled([token for _, token in found])
        for _ in range(times):
            tokens.update(plain)
        if times == 1:
            # a capital after a sentence's end is grammar; mid-sentence, it marks a name
            names.update(t for stop, t in found[1:] if not stop and t[0].isupper())
        for date in _dates(plain, text):
            counts[date] = counts.get(date, 0) + times
    background: dict[str, float] = {}
    term_names: set[str] = set()
    for token, count in tokens.items():
        is_name = token in names
        for term, p in _token_terms(token, language, skeletons):
            counts[term] = counts.get(term, 0) + count
            if p > background.get(term, 0.0):
                background[term] = p
            if is_name:
                term_names.add(term)
    news_days = _news_days(article)
    for term in counts:
        if term[0] == "@":
            background[term] = NEWS_DAY_PROBABILITY if term in news_days else DATE_PROBABILITY
    return Bag(counts=Counter(counts), background=background, names=term_names)


def _news_days(article: Article) -> tuple[str, ...]:
    """Date terms of the article's publication day and the day before, when it is dated."""
    if article.published_at is None:
        return ()
    day = article.published_at.date()
    return tuple(f"@{d.month}-{d.day}" for d in (day, day - timedelta(days=1)))


def _scaled(tokens: list[str]) -> list[str]:
    """The tokens with "12 ألف", "3,5 млн", "300万" written out as one number's digits."""
    out = tokens
    for i in [i for i, t in enumerate(tokens[:-1]) if t[0].isdigit()]:
        following = tokens[i + 1]
        power = SCALES.get(fold(following)) or _CJK_SCALES.get(following[0])
        if power:
            if out is tokens:
                out = list(tokens)
            out[i] = _times(tokens[i], power)
    return out


def _times(token: str, power: int) -> str:
    """The digits of token × 10**power; one separator before other than three digits is a
    decimal mark ("3,5 млн" is 3,500,000; "12,000 million" is twelve thousand million)."""
    parts = re.split(r"\D", token)
    if len(parts) == 2 and len(parts[1]) != 3:
        whole, fraction = _number(parts[0]), _number(parts[1])
        if len(fraction) > power:
            return token
        return str(int(whole + fraction + "0" * (power - len(fraction))))
    return str(int(_number(token) + "0" * power))


def _dates(tokens: list[str], text: str) -> list[str]:
    """Day-and-month mentions ("March 5", "5 mars", "5 مارس", "3月5日") as "@3-5"."""
    out = [f"@{int(m)}-{int(d)}" for m, d in _CJK_DATE.findall(text)] if _CJK.search(text) else []
    # most tokens are not one- or two-digit numbers: find those few, then their places
    for day in {t for t in tokens if len(t) <= 2 and t.isdigit()}:
        i = -1
        while True:
            try:
                i = tokens.index(day, i + 1)
            except ValueError:
                break
            after = i + 1
            while after < min(len(tokens), i + 3) and fold(tokens[after]) in _DAY_LINKS:
                after += 1  # "1st of December": at most two such words
            for k in (i - 1, after):
                month = _month(tokens, k) if 0 <= k < len(tokens) else None
                if month:
                    out.append(f"@{month}-{int(_number(day))}")
                    break
    return out


def _month(tokens: list[str], k: int) -> int | None:
    """The month named at tokens[k], reading on one word for a Levantine pair."""
    name = fold(tokens[k])
    if name in _PAIRED and k + 1 < len(tokens):
        return MONTH_PAIRS.get((name, fold(tokens[k + 1])))
    return MONTHS.get(name)


@lru_cache(maxsize=200_000)
def _token_terms(token: str, language: str, skeletons: bool) -> list[tuple[str, float]]:
    """The terms one token gives, with the background document probability of each."""
    if token[0].isdigit():
        number = _number(token)
        return [("#" + number, _number_probability(number))]
    frequency = _frequencies(language)
    lower = token.casefold()
    if _CJK.search(token):  # no spaces between words: character pairs stand in for them
        pairs = [lower[i : i + 2] for i in range(max(1, len(lower) - 1))]
        return [(pair, _doc_probability(frequency.get(pair, UNSEEN))) for pair in pairs]
    if len(lower) < 2:
        return []
    term = fold(token)
    p = 1.0 if term in WEEKDAYS else _doc_probability(frequency.get(lower, UNSEEN))
    out = [(term, p)]
    latin = term.isascii()
    if not latin and not _ABJAD.match(term):  # Cyrillic, Greek ... in Latin letters meet
        out.append((transliterate(term), p))  # the English spelling; vowelless Arabic never does
    # a name: capitalised where the script has capitals; where it has none (Arabic,
    # Hebrew), any word that weighs anything may be one ("لبنان" is common in Arabic
    # news, "Lebanon" is a name in English), and its weight says how much it tells
    if skeletons and term not in MONTHS and term not in WEEKDAYS and (
        token[0].isupper() or (not token[0].islower() and not latin and p < COMMON)
    ):  # a month or a weekday is capitalised but names no one (dates carry the month)
        key = skeleton(term)
        if len(key) >= 3:
            out.append(("~" + key, p))
    return out


@lru_cache(maxsize=200_000)
def fold(token: str) -> str:
    """Case-folded, Latin accents dropped ("Président" -> "president")."""
    if token.isascii():  # nothing to decompose, and casefold is lower for ASCII
        return token.lower()
    # Turkish dotless ı has no decomposition: "Kasım" and "kasim" must meet
    decomposed = unicodedata.normalize("NFKD", token.casefold().replace("ı", "i"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def transliterate(word: str) -> str:
    """The word in Latin letters, lower case (anyascii: offline tables, every script)."""
    from anyascii import anyascii

    return anyascii(word).casefold()


_DIGRAPHS = (("sh", "s"), ("ch", "k"), ("kh", "k"), ("th", "t"), ("ph", "f"), ("dh", "d"))
# d and t meet, as in Soundex: Arabic's four dentals (ت ط د ذ) come out as either in
# Latin spellings ("اللاذقية" gives "lldhqyh", its English name is "Latakia")
_CONSONANT = str.maketrans("pvcqgzxd", "bfkkksst", "aeiouwyh'`-")


def skeleton(word: str) -> str:
    """Consonants of a name in Latin letters, similar sounds merged, doubles collapsed."""
    latin = transliterate(word)
    if latin.startswith(("al-", "el-", "l'")) or (word.startswith("ال") and latin.startswith("l")):
        latin = latin.split("-", 1)[-1] if "-" in latin[:3] else latin[1:]
    for pair, single in _DIGRAPHS:
        latin = latin.replace(pair, single)
    letters = [c for c in latin.translate(_CONSONANT) if c.isalpha()]
    return "".join(c for i, c in enumerate(letters) if i == 0 or c != letters[i - 1])


def _number(token: str) -> str:
    """Digits only, in ASCII: "1,200", "1 200" and "١٢٠٠" all give "1200"."""
    return "".join(str(unicodedata.digit(c)) for c in token if c.isdigit())


def _number_probability(number: str) -> float:
    """How likely an article is to mention this number at all, by its shape."""
    if len(number) == 4 and number[:2] in ("19", "20"):
        return 0.2  # a year
    # a round number ("2,000,000", "2 million") is as common as its significant digits
    digits = number.rstrip("0") if len(number) > 3 else number
    return {1: 0.6, 2: 0.3, 3: 0.08}.get(len(digits), 0.02)


def _doc_probability(frequency: float) -> float:
    """Share of articles that would contain a word of this frequency at least once."""
    return 1.0 - math.exp(-ARTICLE_WORDS * frequency)


def _script(text: str) -> str:
    """"LATIN", or the Unicode script of the first other letter in the text."""
    letters = _LETTER.findall(text)
    latin = sum(1 for c in letters if c < "\u0250")
    if latin * 2 >= len(letters):
        return "LATIN"
    other = next(c for c in letters if c >= "\u0250")
    return unicodedata.name(other, "OTHER").split(" ")[0]


@lru_cache(maxsize=16)
def _frequencies(language: str) -> dict[str, float]:
    """Word frequencies of a language, shipped with wordfreq; English when it lacks one."""
    from wordfreq import available_languages, get_frequency_dict

    if language not in available_languages("small"):
        language = "en"
    return dict(get_frequency_dict(language, wordlist="small"))
