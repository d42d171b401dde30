"""Wire datelines in scripts without capital letters, and the Chinese wire formula."""

from __future__ import annotations

import json

from briefing.cleaner import strip_lead_dateline
from briefing.examine import describe
from briefing.extract import extract_page
from briefing.models import RawDocument, SourceKind

# My own prose: a harbour story, told in Arabic and in Chinese.
AR_LEAD = (
    "أعادت سلطات الميناء فتح الرصيف الشمالي صباح الثلاثاء بعد أن أنهت فرق الصيانة"
    " إصلاح الرافعات التي تضررت في العاصفة الأسبوع الماضي، وقال مسؤولون إن السفن"
    " المنتظرة ستبدأ التفريغ خلال ساعات."
)
AR_SECOND = (
    "وأضاف المسؤولون أن حركة الشحن ستعود إلى طبيعتها بحلول نهاية الأسبوع، وأن"
    " الميناء سيعمل على مدار الساعة حتى تنتهي قائمة الانتظار الطويلة."
)
ZH_LEAD = "港务部门周二重新开放北码头，维修人员已修好上周风暴中受损的吊机，等候的船只将在数小时内开始卸货。"
ZH_SECOND = "官员表示，货运将在本周末前恢复正常，港口将全天候运作，直到等候的船只全部卸完货物为止。"


def _extract(paragraphs: list[str], media_type: str = "text") -> dict[str, object]:
    if media_type == "json":
        content = json.dumps({"title": "الميناء", "text": "\n".join(paragraphs)})
    elif media_type == "html":
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        content = f"<html><head><title>Port</title></head><body><article><h1>Port</h1>{body}</article></body></html>"
    else:
        content = "\n\n".join(["الميناء يعيد فتح الرصيف الشمالي", *paragraphs])
    raw = RawDocument(
        kind=SourceKind.INBOX, location=f"page.{media_type}", media_type=media_type,
        content=content.encode("utf-8"),
    )
    return describe(extract_page(raw))


def test_arabic_place_and_agency_dateline_is_taken_off_and_recorded() -> None:
    for media_type in ("text", "html", "json"):
        for dateline in ("اللاذقية", "اللاذقية (رويترز)", "دمشق، سوريا (رويترز)"):
            got = _extract([f"{dateline} - {AR_LEAD}", AR_SECOND], media_type)
            assert got["dateline"] == dateline, (media_type, dateline)
            assert str(got["text"]).startswith("أعادت سلطات"), media_type


def test_chinese_wire_formulas_are_taken_off_and_recorded() -> None:
    cases = {
        "本报讯 ": "本报讯",
        "新华社北京11月26日电 ": "新华社北京11月26日电",
        "新华社北京11月26日电（记者 张明）": "新华社北京11月26日电",
        "【本报上海2026年11月26日讯】": "本报上海2026年11月26日讯",
    }
    for opening, dateline in cases.items():
        got, paragraphs = strip_lead_dateline([opening + ZH_LEAD, ZH_SECOND])
        assert (got, paragraphs) == (dateline, [ZH_LEAD, ZH_SECOND]), opening


def test_only_the_first_prose_line_loses_a_dateline() -> None:
    second = "اللاذقية - " + AR_SECOND
    assert strip_lead_dateline([AR_LEAD, second]) == (None, [AR_LEAD, second])
    # A short heading above the story is no prose line: the story's first line still is.
    got = strip_lead_dateline(["الميناء", "اللاذقية - " + AR_LEAD])
    assert got == ("اللاذقية", ["الميناء", AR_LEAD])


def test_cased_words_or_a_long_phrase_before_a_dash_are_no_caseless_dateline() -> None:
    # Latin words belong to the capitals rule; lower case there is the story's own text.
    latin = "the harbour - " + "the port reopened the north quay on Tuesday after repairs ended."
    assert strip_lead_dateline([latin]) == (None, [latin])
    # Four words before the dash are a clause, not a place name.
    clause = "قال مدير الميناء أمس - " + AR_LEAD
    assert strip_lead_dateline([clause]) == (None, [clause])
    # Nothing readable after the dash: no sentence, no dateline.
    assert strip_lead_dateline(["اللاذقية - سوريا"]) == (None, ["اللاذقية - سوريا"])


def test_capitals_dateline_with_a_region_or_day_but_no_agency_is_taken_off() -> None:
    lead = (
        "The regional health office said on Thursday that two clinics near the river had"
        " run out of oral rehydration salts and asked for new supplies by the weekend."
    )
    for dateline in ("IDLIB, Syria", "NEW YORK, Dec 9"):
        raw = RawDocument(
            kind=SourceKind.INBOX, location="page.txt", media_type="text",
            content="\n\n".join(["Clinics short of salts", f"{dateline} — {lead}"]).encode(),
        )
        got = describe(extract_page(raw))
        assert got["dateline"] == dateline and str(got["text"]).startswith("The regional")
