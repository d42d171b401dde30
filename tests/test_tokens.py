"""Token counting loads offline from shipped, hash-checked BPE files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from briefing import tokens


@pytest.fixture
def empty_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh tiktoken cache directory, and no encoding cached in memory."""
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path / "tiktoken"))
    tokens.tokenizer_for.cache_clear()
    import tiktoken.registry

    monkeypatch.setattr(tiktoken.registry, "ENCODINGS", {})
    return tmp_path / "tiktoken"


@pytest.mark.parametrize("name", ["o200k_base", "cl100k_base"])
def test_shipped_files_match_tiktokens_hashes(name: str) -> None:
    data = tokens.shipped_bpe(name)
    assert data is not None
    assert hashlib.sha256(data).hexdigest() == tokens.BPE_FILES[name][1]


def test_encoding_loads_into_an_empty_cache_without_network(empty_cache: Path) -> None:
    tok = tokens.tokenizer_for("gpt-4o-mini")
    assert tok.encoding.name == "o200k_base" and tok.exact
    assert tok.encoding.encode_ordinary("hello world") == [24912, 2375]
    assert tokens.cache_path("o200k_base") is not None
    assert tokens.cache_path("o200k_base").is_file()  # type: ignore[union-attr]


def test_a_corrupted_cache_file_is_replaced(empty_cache: Path) -> None:
    path = tokens.cache_path("cl100k_base")
    assert path is not None
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a bpe file")
    assert tokens.seed_cache("cl100k_base")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == tokens.BPE_FILES["cl100k_base"][1]
    assert tokens.load_encoding("cl100k_base").encode_ordinary("hello world") == [15339, 1917]


@pytest.mark.parametrize(
    ("model", "encoding", "exact"),
    [
        ("gpt-4o-mini", "o200k_base", True),
        ("gpt-4.1-nano", "o200k_base", True),
        ("gpt-5-mini", "o200k_base", True),
        ("o3-mini", "o200k_base", True),
        ("gpt-4", "cl100k_base", True),
        ("gpt-3.5-turbo", "cl100k_base", True),
        ("openai/gpt-4o", "o200k_base", True),  # OpenRouter-style name
        ("llama3.1:8b", "o200k_base", False),
        ("Qwen/Qwen2.5-7B-Instruct", "o200k_base", False),
    ],
)
def test_model_to_encoding(model: str, encoding: str, exact: bool) -> None:
    assert tokens.encoding_name(model) == (encoding, exact)


def test_foreign_models_get_a_wider_margin() -> None:
    ours, foreign = tokens.tokenizer_for("gpt-4o-mini"), tokens.tokenizer_for("mistral-7b")
    text = "The council said 23 homes were damaged. " * 20
    assert ours.count(text) == foreign.count(text)
    assert foreign.budgeted(text) > ours.budgeted(text) > ours.count(text)


@pytest.mark.parametrize(
    ("model", "window"),
    [("gpt-4o-mini", 128_000), ("gpt-4.1-mini", 1_047_576), ("gpt-4", 8_192),
     ("gpt-4-turbo", 128_000), ("llama3", tokens.DEFAULT_CONTEXT)],
)
def test_context_windows(model: str, window: int) -> None:
    assert tokens.context_window(model) == window
    assert tokens.context_window(model, configured=4_096) == 4_096
