"""Issue 17 end to end: the mixed-language example day briefed in English, extractively.

Seven reports in six languages (examples/inbox-multilingual, our own prose): the Latakia
port strike in English, French and Arabic; the Hamburg dock strike in German and Spanish;
Chinese aid to Syria; cholera in Idlib, which shares only the country with Latakia.
The LLM path's translation with originals is covered by tests/test_llm_translation.py.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import ROOT, run_brief

INBOX = ROOT / "examples" / "inbox-multilingual"
DAY = "2026-11-26"
LANGUAGES = {
    "coastwire-latakia-port-strike.txt": "en",
    "lepointdumonde-lattaquie-silos.html": "fr",
    "alsahil-latakia-port-silos.json": "ar",
    "hafenblatt-hamburg-warnstreik.md": "de",
    "diariodelpuerto-hamburgo-huelga.json": "es",
    "dongfangribao-syria-medical-aid.json": "zh",
    "reliefbulletin-idlib-cholera.txt": "en",
}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("mixed")
    result = run_brief("today", "--inbox", str(INBOX), "--date", DAY, "--out", "out", cwd=work)
    assert result.returncode == 0, result.stderr
    return work / "out"


@pytest.fixture(scope="module")
def sitrep(out: Path) -> dict:  # type: ignore[type-arg]
    data: dict = json.loads((out / f"sitrep-{DAY}.json").read_text(encoding="utf-8"))  # type: ignore[type-arg]
    return data


def _source_of(sitrep: dict, name: str) -> dict:  # type: ignore[type-arg]
    """The JSON source entry read from the inbox file ``name`` (or its URL's article)."""
    by_file = [s for s in sitrep["sources"] if s["file"] == name]
    if by_file:
        return by_file[0]
    item = json.loads((INBOX / name).read_text(encoding="utf-8")) if name.endswith(".json") else {}
    canonical = re.search(r'rel="canonical" href="([^"]+)"', (INBOX / name).read_text("utf-8"))
    url = item.get("url") or (canonical.group(1) if canonical else None)
    return next(s for s in sitrep["sources"] if s["url"] == url)


def _development_files(sitrep: dict) -> list[set[str]]:  # type: ignore[type-arg]
    """Each development as the set of inbox files its sources came from."""
    numbers = {name: _source_of(sitrep, name)["number"] for name in LANGUAGES}
    return [
        {name for name, n in numbers.items() if n in dev["sources"]} for dev in sitrep["developments"]
    ]


def test_extract_shows_the_detected_language(tmp_path: Path) -> None:
    for name in ("lepointdumonde-lattaquie-silos.html", "alsahil-latakia-port-silos.json"):
        result = run_brief("extract", str(INBOX / name), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["language"] == LANGUAGES[name]


def test_every_source_carries_its_language_in_json(sitrep: dict) -> None:  # type: ignore[type-arg]
    assert {name: _source_of(sitrep, name)["language"] for name in LANGUAGES} == LANGUAGES


def test_sources_list_marks_the_language_in_every_format(out: Path, sitrep: dict) -> None:  # type: ignore[type-arg]
    french = _source_of(sitrep, "lepointdumonde-lattaquie-silos.html")["number"]
    markdown = (out / f"sitrep-{DAY}.md").read_text(encoding="utf-8")
    assert re.search(rf"^\[{french}\] \\\[fr\\\] Syrie", markdown, re.M)
    html = (out / f"sitrep-{DAY}.html").read_text(encoding="utf-8")
    assert re.search(rf'\[{french}\] <span class="lang">\[fr\]</span> (?:<a [^>]*>)?Syrie', html)
    pages = PdfReader(str(out / f"sitrep-{DAY}.pdf")).pages
    # on a machine without a Chinese font, WeasyPrint writes its own glyph encoding and
    # pypdf reads it with NULs between the letters: drop them so this check holds anyway
    compact = "".join("".join(p.extract_text().replace("\x00", "").split()) for p in pages)
    assert f"[{french}][fr]Syrie" in compact


def _has_font_for(language: str) -> bool:
    """True when fontconfig knows a font with glyphs for the language."""
    if shutil.which("fc-list") is None:
        return False
    found = subprocess.run(["fc-list", f":lang={language}"], capture_output=True, text=True)
    return bool(found.stdout.strip())


def test_pdf_text_of_chinese_and_arabic_points_reads_back(out: Path, sitrep: dict) -> None:  # type: ignore[type-arg]
    if not (_has_font_for("zh") and _has_font_for("ar")):
        pytest.skip("no font with Chinese or Arabic glyphs: apt-get install fonts-wqy-microhei "
                    "fonts-dejavu-core (see README, System packages)")
    text = "\n".join(p.extract_text() for p in PdfReader(str(out / f"sitrep-{DAY}.pdf")).pages)
    # a missing glyph makes WeasyPrint write its own encoding, which pypdf reads byte by byte
    assert "\x00" not in text
    compact = "".join(text.split())
    points = [p["text"] for d in sitrep["developments"] for p in d["points"]]
    chinese = [p[5:] for p in points if p.startswith("[zh] ")]
    arabic = [p[5:] for p in points if p.startswith("[ar] ")]
    assert chinese and arabic
    for sentence in chinese:
        assert "".join(sentence.split()) in compact
    # right-to-left lines come out in visual order around numbers and citations, and
    # lines wrap: every word is there, intact
    for sentence in arabic:
        missing = [w for w in sentence.split() if w.strip("،.") not in text]
        assert not missing


def test_every_article_is_briefed_with_foreign_sentences_marked(sitrep: dict) -> None:  # type: ignore[type-arg]
    # a development's best sentences lead as takeaways; the rest are its points
    said = [*sitrep["takeaways"], *(p for dev in sitrep["developments"] for p in dev["points"])]
    cited = {n for p in said for n in p["sources"]}
    for name, language in LANGUAGES.items():
        number = _source_of(sitrep, name)["number"]
        assert number in cited, f"{name} ({language}) contributed no takeaway or point"
        points = [p["text"] for p in said if number in p["sources"]]
        for text in points:
            # shown as written: the marked sentence is a verbatim sentence of the article
            if language == "en":
                assert not re.match(r"\[[a-z]{2}\] ", text)
            else:
                assert text.startswith(f"[{language}] ")
    chinese = [p["text"] for p in said if "[zh]" in p["text"]]
    assert any("红十字会" in t and t.endswith("。") for t in chinese)


def test_same_event_in_two_languages_is_one_development(sitrep: dict) -> None:  # type: ignore[type-arg]
    groups = _development_files(sitrep)
    latakia = {"coastwire-latakia-port-strike.txt", "lepointdumonde-lattaquie-silos.html"}
    hamburg = {"hafenblatt-hamburg-warnstreik.md", "diariodelpuerto-hamburgo-huelga.json"}
    assert any(latakia <= g for g in groups)
    assert hamburg in groups


def test_events_sharing_only_a_country_stay_apart(sitrep: dict) -> None:  # type: ignore[type-arg]
    groups = _development_files(sitrep)
    for g in groups:
        assert not ("reliefbulletin-idlib-cholera.txt" in g and "coastwire-latakia-port-strike.txt" in g)
        assert not ("dongfangribao-syria-medical-aid.json" in g and len(g) > 1)


def test_arabic_report_joins_the_english_one(sitrep: dict) -> None:  # type: ignore[type-arg]
    groups = _development_files(sitrep)
    assert any({"coastwire-latakia-port-strike.txt", "alsahil-latakia-port-silos.json"} <= g for g in groups)


def test_french_injection_is_held_back_and_reported(out: Path, sitrep: dict) -> None:  # type: ignore[type-arg]
    for ext in ("md", "html", "json"):
        assert "Ignorez toutes les instructions" not in (out / f"sitrep-{DAY}.{ext}").read_text("utf-8")
    assert sitrep["coverage"]["suspicious_passages"] == 1
    assert any("lepointdumonde-lattaquie-silos.html" in q for q in sitrep["coverage"]["quarantined"])


def test_german_ordinal_dates_and_quoted_stops_split_right() -> None:
    from briefing.sentences import split_sentences

    text = ("Die Regel gilt ab dem 1. Dezember in allen Häfen. Der Minister sagte: "
            "„Wir prüfen alle Optionen.“ Wie lange dauert der Streik? "
            "Officials cited the \"U.S.\" Navy report.")
    assert split_sentences(text) == [
        "Die Regel gilt ab dem 1. Dezember in allen Häfen.",
        "Der Minister sagte: „Wir prüfen alle Optionen.“",
        "Wie lange dauert der Streik?",
        "Officials cited the \"U.S.\" Navy report.",
    ]


def test_name_skeletons_meet_across_arabic_dentals() -> None:
    from briefing.terms import skeleton

    # ذ comes out "dh" in Latin letters; English spells the city with a t
    assert skeleton("اللاذقية") == skeleton("Latakia") == skeleton("Lattaquié")
    assert skeleton("طرطوس") == skeleton("Tartous")
    assert skeleton("Khoury") != skeleton("Latakia")


def test_german_paragraphs_with_capitalised_nouns_are_kept(tmp_path: Path) -> None:
    from briefing.cleaner import is_prose

    result = run_brief("extract", str(INBOX / "hafenblatt-hamburg-warnstreik.md"), cwd=tmp_path)
    text = json.loads(result.stdout)["text"]
    assert "Kräne den ganzen Vormittag still" in text
    assert "Verdi fordert eine Erhöhung der Stundenlöhne" in text
    # a title-cased headline or a menu is still no paragraph
    assert not is_prose("Syrian Army Retakes Latamneh As Death Toll From Hama Strikes Rises")
    assert not is_prose("Home. World. Middle East. Politics. Business.")
