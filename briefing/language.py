"""Language of an article's text, detected offline (py3langid ships its model)."""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

_MIN_CHARS = 20  # below this a guess is noise


_LOADING = threading.Lock()  # one load, even when preload() and a first call race


@lru_cache(maxsize=1)
def _load() -> Any:
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(Path(MODEL_DIR) / MODEL_FILE, norm_probs=True)


def _identifier() -> Any:
    with _LOADING:
        return _load()


def preload() -> None:
    """Start loading the model in the background; the first detection then finds it ready.

    Loading is mostly LZMA decompression (most of a second of CPU), which releases the
    GIL, so it runs on another core while the caller reads and parses its sources.
    """
    threading.Thread(target=_identifier, name="langid-preload", daemon=True).start()


def detect_language(text: str, min_confidence: float = 0.5) -> str | None:
    """The ISO 639-1 code of the text's language, or None when too short or unsure."""
    sample = text[:4000]
    if len(sample.strip()) < _MIN_CHARS:
        return None
    code, confidence = _identifier().classify(sample)
    return str(code) if confidence >= min_confidence else None
