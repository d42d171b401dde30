"""Language of an article's text, detected offline (py3langid ships its model).

py3langid ships its model LZMA-compressed; decompressing it costs about half a second
of CPU in every run (and in every extraction worker). The first load therefore keeps
an uncompressed copy in the user's cache folder, named by the SHA-256 of the shipped
file, and later loads read that copy (a zip whose members are CRC-checked as they are
read). Any problem with the copy falls back to the shipped file.
"""

from __future__ import annotations

import hashlib
import logging
import lzma
import os
import shutil
import threading
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_MIN_CHARS = 20  # below this a guess is noise
# The model's cost grows with the text it reads. 2,000 characters (about 300 words)
# gave the same answer as 4,000 on all 1,797 texts tried: the 655 pages of the dates
# dev set (German, English, French, Spanish, Russian, Japanese, Chinese, Arabic...)
# and the extraction, injection, DUC 2006 and example texts; 1,000 changed one. Picked
# on those dev sets (BENCHMARKS.md, issue 16).
_SAMPLE_CHARS = 2000


_LOADING = threading.Lock()  # one load, even when preload() and a first call race


@lru_cache(maxsize=1)
def _load() -> Any:
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    shipped = Path(MODEL_DIR) / MODEL_FILE
    cached = model_cache(shipped)
    if cached is not None:
        try:
            return _from_npz(cached)
        except Exception as exc:  # a damaged copy: numpy and zipfile raise many types
            log.debug("language model cache %s unusable (%s); using the shipped model",
                      cached, exc)
            cached.unlink(missing_ok=True)  # made again by the next run
    return LanguageIdentifier.from_modelpath(shipped, norm_probs=True)


def cache_folder() -> Path | None:
    """Where brief keeps files it can rebuild; None when BRIEF_CACHE_DIR is set empty."""
    value = os.environ.get("BRIEF_CACHE_DIR")
    if value is not None:
        return Path(value) if value else None
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("brief"))


def model_cache(shipped: Path) -> Path | None:
    """The uncompressed copy of the shipped model, made now if missing; None if it cannot be."""
    folder = cache_folder()
    if folder is None:
        return None
    try:
        digest = hashlib.sha256(shipped.read_bytes()).hexdigest()[:20]
        target = folder / f"langid-{digest}.npz"
        if not target.is_file():
            folder.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f"{target.name}.{uuid.uuid4().hex}.tmp")
            try:
                with lzma.open(shipped) as source, open(tmp, "wb") as sink:
                    shutil.copyfileobj(source, sink, length=1 << 20)
                tmp.replace(target)  # never a half-written copy under the real name
            finally:
                tmp.unlink(missing_ok=True)
    except (OSError, lzma.LZMAError) as exc:
        log.debug("cannot keep an uncompressed language model in %s: %s", folder, exc)
        return None
    return target


def _from_npz(path: Path) -> Any:
    """The identifier from an uncompressed model, built as py3langid builds it."""
    import numpy as np
    from py3langid.langid import LanguageIdentifier
    from py3langid.modelio import _to_array

    with np.load(path, allow_pickle=False) as data:
        return LanguageIdentifier(
            np.asarray(data["ptc"]), np.asarray(data["pc"]), data["classes"].tolist(),
            _to_array(data["nextmove"]), data["out_feat"].tolist(),
            norm_probs=True, tk_row=_to_array(data["nextmove_row"]),
        )


def _identifier() -> Any:
    with _LOADING:
        return _load()


def preload() -> None:
    """Start loading the model in the background; the first detection then finds it ready.

    Loading from the shipped file is mostly LZMA decompression, which releases the GIL,
    so it runs on another core while the caller reads and parses its sources.
    """
    threading.Thread(target=_identifier, name="langid-preload", daemon=True).start()


def detect_language(text: str, min_confidence: float = 0.5) -> str | None:
    """The ISO 639-1 code of the text's language, or None when too short or unsure."""
    sample = text[:_SAMPLE_CHARS]
    if len(sample.strip()) < _MIN_CHARS:
        return None
    code, confidence = _identifier().classify(sample)
    return str(code) if confidence >= min_confidence else None
