"""The language model is loaded once per process, in the background when asked early."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from briefing import language


def test_preload_and_a_racing_first_call_load_the_model_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from py3langid.langid import LanguageIdentifier

    real = LanguageIdentifier.from_modelpath.__func__  # type: ignore[attr-defined]
    loads: list[threading.Thread] = []

    def counted(cls: Any, *args: Any, **kwargs: Any) -> Any:
        loads.append(threading.current_thread())
        return real(cls, *args, **kwargs)

    monkeypatch.setattr(LanguageIdentifier, "from_modelpath", classmethod(counted))
    real_cached = language._from_npz

    def counted_cached(path: Any) -> Any:
        loads.append(threading.current_thread())
        return real_cached(path)

    monkeypatch.setattr(language, "_from_npz", counted_cached)
    language._load.cache_clear()
    language.preload()
    text = "Les dockers ont repris le travail mardi après un accord sur les salaires du port."
    assert language.detect_language(text) == "fr"
    assert len(loads) == 1


TEXTS = [
    "Les dockers ont repris le travail mardi après un accord sur les salaires du port.",
    "The river authority opened the flood gates on Wednesday after three days of rain.",
    "Die Stadt hat am Montag die neue Brücke über den Fluss für den Verkehr freigegeben.",
    "Правительство объявило о новых мерах поддержки фермеров после засухи.",
]


def test_the_cached_uncompressed_model_scores_as_the_shipped_one(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    shipped = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
    monkeypatch.setenv("BRIEF_CACHE_DIR", str(tmp_path))
    copy = language.model_cache(MODEL_DIR / MODEL_FILE)
    assert copy is not None and copy.parent == tmp_path and copy.suffix == ".npz"
    cached = language._from_npz(copy)
    for text in TEXTS:
        assert cached.rank(text) == shipped.rank(text)
    assert language.model_cache(MODEL_DIR / MODEL_FILE) == copy  # made once, then reused
    assert [p.name for p in tmp_path.iterdir()] == [copy.name]  # no temporary file left


def test_a_damaged_copy_falls_back_to_the_shipped_model(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    monkeypatch.setenv("BRIEF_CACHE_DIR", str(tmp_path))
    copy = language.model_cache(MODEL_DIR / MODEL_FILE)
    assert copy is not None
    copy.write_bytes(copy.read_bytes()[: 1 << 20])  # truncated, as by a full disk
    language._load.cache_clear()
    try:
        assert language.detect_language(TEXTS[0]) == "fr"
        assert not copy.exists()  # dropped, to be made again by the next run
    finally:
        language._load.cache_clear()


def test_no_cache_folder_when_brief_cache_dir_is_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    monkeypatch.setenv("BRIEF_CACHE_DIR", "")
    assert language.model_cache(MODEL_DIR / MODEL_FILE) is None


def test_an_unwritable_cache_folder_means_no_copy(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("BRIEF_CACHE_DIR", str(blocker / "brief"))
    assert language.model_cache(MODEL_DIR / MODEL_FILE) is None
