"""Language of an article's text, detected offline (py3langid ships its model)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

_MIN_CHARS = 20  # below this a guess is noise


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(Path(MODEL_DIR) / MODEL_FILE, norm_probs=True)


def detect_language(text: str, min_confidence: float = 0.5) -> str | None:
    """The ISO 639-1 code of the text's language, or None when too short or unsure."""
    sample = text[:4000]
    if len(sample.strip()) < _MIN_CHARS:
        return None
    code, confidence = _identifier().classify(sample)
    return str(code) if confidence >= min_confidence else None
