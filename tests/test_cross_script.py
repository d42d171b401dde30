"""Reports of one event in two scripts meet on what any script writes alike.

Fixtures (tests/fixtures/grouping/cross_language.json, our own prose): a Russian and an
English report of one oil-terminal fire, with a Russian report of a train derailment the
same day; an Arabic (Arabic-Indic digits, Levantine month names) and an English report of
one power-plant shutdown in Lebanon, with an Arabic report of a bread protest in Lebanon
the same day; a Turkish and an English report of one ferry grounding.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefing.group import group
from briefing.linkage import evidence
from briefing.models import Article
from briefing.terms import shared_view, term_vectors

TABLE = json.loads(
    (Path(__file__).parent / "fixtures" / "grouping" / "cross_language.json").read_text("utf-8")
)


def _articles(*keys: str, dated: bool = False) -> list[Article]:
    # dated: published on the day each report names (3 December, the ferry 4 December)
    return [
        Article(id=k, content_hash=k, title=TABLE[k]["title"], text=TABLE[k]["text"],
                language=TABLE[k]["language"],
                published_at=datetime(2026, 12, 4 if k.startswith("ferry") else 3, 9, tzinfo=UTC)
                if dated else None)
        for k in keys
    ]


def _partition(keys: list[str]) -> list[list[str]]:
    return sorted(sorted(a.id for a in dev.articles) for dev in group(_articles(*keys)))


@pytest.mark.parametrize(
    ("one", "other"),
    [("terminal_en", "terminal_ru"), ("power_en", "power_ar"), ("ferry_en", "ferry_tr")],
)
def test_one_event_in_two_languages_is_one_development(one: str, other: str) -> None:
    assert _partition([one, other]) == [sorted([one, other])]


@pytest.mark.parametrize(
    ("one", "other"), [("terminal_en", "train_ru"), ("power_en", "protest_ar")]
)
def test_same_day_same_country_different_events_stay_apart(one: str, other: str) -> None:
    # each pair shares the date (and the Lebanese pair the country): no event
    assert _partition([one, other]) == [[one], [other]]


def test_whole_mixed_inbox_groups_each_event_once() -> None:
    assert _partition(list(TABLE)) == [
        ["ferry_en", "ferry_tr"],
        ["power_ar", "power_en"],
        ["protest_ar"],
        ["terminal_en", "terminal_ru"],
        ["train_ru"],
    ]


def test_dated_reports_of_different_events_on_one_day_stay_further_apart() -> None:
    def evidence_of(one: str, other: str, dated: bool) -> float:
        views = [shared_view(v) for v in term_vectors(_articles(one, other, dated=dated))]
        return evidence(*views)

    # the day a report is published is named by many that day: it weighs less
    assert evidence_of("power_en", "protest_ar", True) < evidence_of("power_en", "protest_ar", False)
    groups = sorted(sorted(a.id for a in d.articles) for d in group(_articles(*TABLE, dated=True)))
    assert ["protest_ar"] in groups and ["train_ru"] in groups
    assert ["ferry_en", "ferry_tr"] in groups and ["terminal_en", "terminal_ru"] in groups
    assert ["power_ar", "power_en"] in groups


def test_the_shared_view_is_what_lifts_the_arabic_pair() -> None:
    full = term_vectors(_articles("power_en", "power_ar"))
    view = [shared_view(v) for v in full]
    assert all(t[0] in "~#@" for v in view for t in v)
    # Arabic words no English report can contain dilute the full vectors
    assert evidence(*view) > 2 * evidence(*full)


def _terms(text: str, language: str = "ar") -> set[str]:
    vector = term_vectors([Article(id="a", title="", text=text, language=language)])[0]
    return set(vector)


def test_levantine_months_are_told_apart_by_their_second_word() -> None:
    assert "@12-3" in _terms("توقف المعمل في ٣ كانون الأول بعد نفاد الوقود")
    assert "@1-3" in _terms("توقف المعمل في ٣ كانون الثاني بعد نفاد الوقود")
    assert "@11-26" in _terms("ضربة صاروخية يوم 26 تشرين الثاني على الميناء")
    # alone, the name is ambiguous: no date rather than a wrong one
    assert not any(t[0] == "@" for t in _terms("في ٣ كانون بعد نفاد الوقود"))


def test_numbers_in_any_digits_and_with_scale_words_meet() -> None:
    english = _terms("A tanker carrying 33,000 tonnes and 2.5 million litres docked.", "en")
    arabic = _terms("ناقلة تحمل ٣٣ ألف طن و٢٫٥ مليون لتر رست في الميناء")
    russian = _terms("Танкер с 33 тыс. тонн и 2,5 млн литров прибыл в порт.", "ru")
    persian = _terms("یک نفتکش با ۳۳ هزار تن و ۲٫۵ میلیون لیتر در بندر پهلو گرفت", "fa")
    for terms in (arabic, russian, persian):
        assert {"#33000", "#2500000"} <= terms & english
    chinese = _terms("一批价值约350万元人民币的医疗物资于11月26日启运。", "zh")
    assert {"#3500000", "@11-26"} <= chinese


def test_month_and_weekday_names_give_no_name_skeleton() -> None:
    vector = term_vectors(
        [Article(id="a", title="", text="The plant in Zahrani stopped on Thursday, 3 December.",
                 language="en")], skeletons=True)[0]
    assert "~srn" in vector and "@12-3" in vector
    assert "~tkmbr" not in vector and "~trst" not in vector


@pytest.mark.parametrize(
    ("text", "language"),
    [("La grève a commencé le 1er décembre au port.", "fr"),
     ("The strike began on the 1st of December at the port.", "en"),
     ("بدأ الإضراب في 1 من ديسمبر في الميناء", "ar")],
)
def test_an_ordinal_or_a_linking_word_between_day_and_month(text: str, language: str) -> None:
    assert "@12-1" in _terms(text, language)


def test_turkish_month_with_dotless_i_is_a_date() -> None:
    assert "@11-26" in _terms("Vapur 26 Kasım sabahı karaya oturdu.", "tr")
    assert "@12-4" in _terms("Vapur 4 Aralık sabahı karaya oturdu.", "tr")
