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
    language._load.cache_clear()
    language.preload()
    text = "Les dockers ont repris le travail mardi après un accord sur les salaires du port."
    assert language.detect_language(text) == "fr"
    assert len(loads) == 1
