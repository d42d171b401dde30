"""The local inbox: a folder of saved pages (.html, .htm, .txt, .md, .json)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from briefing.models import RawDocument, Skipped, SourceKind

log = logging.getLogger(__name__)

MEDIA_TYPES = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
}
_IGNORED = {"readme.md", ".ds_store", "thumbs.db"}


def collect(
    folders: Iterable[Path], max_bytes: int = 5_000_000
) -> tuple[list[RawDocument], list[Skipped]]:
    """Read every supported file in the inbox folders; unreadable ones become Skipped."""
    skipped: list[Skipped] = []
    documents = list(iter_documents(folders, skipped, max_bytes))
    return documents, skipped


def iter_documents(
    folders: Iterable[Path], skipped: list[Skipped], max_bytes: int = 5_000_000
) -> Iterator[RawDocument]:
    """Yield the inbox's documents one at a time, so only one page is in memory at once."""
    for folder in folders:
        if not folder.is_dir():
            skipped.append(Skipped(location=str(folder), reason="inbox folder not found"))
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if path.name.lower() in _IGNORED or path.name.startswith("."):
                continue
            document, problem = _read(path, max_bytes)
            if document is not None:
                yield document
            elif problem is not None:
                skipped.append(Skipped(location=str(path), reason=problem))


def _read(path: Path, max_bytes: int) -> tuple[RawDocument | None, str | None]:
    media_type = MEDIA_TYPES.get(path.suffix.lower())
    if media_type is None:
        return None, f"unsupported file type '{path.suffix or path.name}'"
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return None, f"file too large ({size:,} bytes > max_file_bytes {max_bytes:,})"
        if size == 0:
            return None, "empty file"
        content = path.read_bytes()
    except OSError as exc:
        return None, f"cannot read file: {exc.strerror or exc}"
    log.debug("read %s (%d bytes)", path, len(content))
    return RawDocument(
        kind=SourceKind.INBOX, location=str(path), media_type=media_type, content=content
    ), None
