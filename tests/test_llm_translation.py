"""The LLM path writes in the briefing's language and keeps the source's own words.

A French report and an English one, briefed in English through the scripted server
(which translates word by word from a glossary): each claim from the French article is
written in English, its quote stays French and verifies verbatim against the article,
and the reader sees the French on hover in HTML and as a footnote in Markdown.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from briefing.backends.llm import OpenAIBackend
from briefing.compose import compose
from briefing.llm_cache import LLMCache
from briefing.models import Coverage, SummaryOptions
from briefing.render import render
from briefing.verify import verify
from tests import llm_support as S
from tests.scripted_server import Script, ScriptedServer

OPTIONS = SummaryOptions(date="2026-11-24", takeaways=3)
FRENCH = S.article(
    "Fuite de gaz au port de Marrow",
    "Les pompiers de Marrow ont évacué 240 habitants du quartier du port mardi après une "
    "fuite de gaz, selon la préfecture.\n\n"
    "La fuite a été colmatée dans la soirée et les habitants pourront rentrer chez eux "
    "mercredi.",
    "le-courrier", "https://le-courrier.example/fuite-gaz",
).model_copy(update={"language": "fr"})
GLOSSARY = {
    "Les": "The", "pompiers": "firefighters", "de": "of", "ont": "have", "évacué": "evacuated",
    "habitants": "residents", "du": "of the", "quartier": "district", "mardi": "on Tuesday",
    "après": "after", "une": "a", "fuite": "leak", "gaz": "gas", "selon": "according to",
    "la": "the", "préfecture": "prefecture", "La": "The", "a": "was", "été": "been",
    "colmatée": "sealed", "dans": "in", "soirée": "evening", "et": "and", "les": "the",
    "pourront": "can", "rentrer": "return", "chez": "to", "eux": "their homes",
    "mercredi": "on Wednesday",
}


@pytest.fixture
def vcr_config() -> dict[str, Any]:
    """pytest-recording's --block-network: these tests may reach the local server only."""
    return S.vcr_config()


def test_claims_are_translated_and_keep_the_verbatim_original(tmp_path: Path) -> None:
    english = S.TALKS.model_copy(update={"language": "en"})
    developments = [S.development("f1", FRENCH), S.development("e1", english)]
    with ScriptedServer(Script(glossary=GLOSSARY)) as server:
        backend = OpenAIBackend(S.settings(server.base_url), LLMCache(":memory:"),
                                language="en")
        summary = checked = verify(backend.summarise(developments, OPTIONS),
                                   [FRENCH, english])
    map_prompt = server.requests[0]["messages"][1]["content"]
    assert f"id={FRENCH.id} published=2026-11-24T06:00Z lang=fr title=" in map_prompt
    assert f"id={english.id} published=2026-11-24T06:00Z title=" in map_prompt  # no lang
    french = summary.developments[0]
    assert french.headline.text.startswith("The firefighters of Marrow have evacuated 240")
    assert french.headline.original == (
        "Les pompiers de Marrow ont évacué 240 habitants du quartier du port mardi après une "
        "fuite de gaz, selon la préfecture.")
    assert all(s.verified for s in [french.headline, *french.points])
    assert [c.quote for c in french.headline.citations] == [french.headline.original]
    assert summary.developments[1].headline.original is None  # English needs no original

    now = datetime(2026, 11, 24, 12, tzinfo=UTC)
    sitrep = compose(checked, developments, Coverage(), title="Test", date="2026-11-24",
                     period=(now, now), generated_at=now)
    paths = render(sitrep, ["md", "html"], tmp_path, None)
    md = paths["md"].read_text(encoding="utf-8")
    html = paths["html"].read_text(encoding="utf-8")
    assert "The firefighters of Marrow have evacuated 240" in md
    assert "[^o1]" in md and "[^o1]: Original wording: “Les pompiers de Marrow" in md
    assert 'title="Original: Les pompiers de Marrow ont évacué 240' in html
    assert "resumed talks" in md and md.count("Original wording:") == len(sitrep.originals)
