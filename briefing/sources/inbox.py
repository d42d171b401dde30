"""The local inbox: a folder of saved pages (.html, .htm, .txt, .md, .json)."""

from __future__ import annotations

import logging
import os
import stat
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
        root = folder.resolve()
        for path, target in sorted(_walk(folder, root, skipped)):
            if path.name.lower() in _IGNORED or path.name.startswith("."):
                continue
            document, problem = _read(path, target, max_bytes)
            if document is not None:
                yield document
            elif problem is not None:
                skipped.append(Skipped(location=str(path), reason=problem))


def _walk(folder: Path, root: Path, skipped: list[Skipped]) -> Iterator[tuple[Path, Path]]:
    """Every regular file under ``folder`` as (shown path, real path inside the inbox).

    Links are never followed out of the inbox, and special files (FIFOs, sockets,
    devices) are never opened: opening a FIFO would block the run.
    """
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        skipped.append(Skipped(location=str(folder), reason=f"cannot list folder: {exc.strerror}"))
        return
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(root):
                    skipped.append(Skipped(location=str(path), reason=(
                        "symbolic link to a file outside the inbox, not read"
                        " (copy the file into the inbox instead)")))
                    continue
                if target.is_dir():
                    continue  # its files are read where they really are, inside the inbox
                mode = target.stat().st_mode
            elif entry.is_dir(follow_symlinks=False):
                yield from _walk(path, root, skipped)
                continue
            else:
                target = path
                mode = entry.stat(follow_symlinks=False).st_mode
        except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop
            skipped.append(Skipped(location=str(path), reason=f"cannot read file: {exc}"))
            continue
        if not stat.S_ISREG(mode):
            skipped.append(Skipped(location=str(path), reason=(
                f"not a regular file ({_kind(mode)}), not read")))
            continue
        yield path, target


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "a special file"


def _read(path: Path, target: Path, max_bytes: int) -> tuple[RawDocument | None, str | None]:
    media_type = MEDIA_TYPES.get(path.suffix.lower())
    if media_type is None:
        return None, f"unsupported file type '{path.suffix or path.name}'"
    try:
        # O_NOFOLLOW and O_NONBLOCK: a file swapped for a link or a FIFO since the walk
        # fails here instead of being followed or blocking the run.
        fd = os.open(target, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                return None, f"not a regular file ({_kind(info.st_mode)}), not read"
            if info.st_size > max_bytes:
                return None, (
                    f"file too large ({info.st_size:,} bytes > max_file_bytes {max_bytes:,})"
                )
            if info.st_size == 0:
                return None, "empty file"
            content = handle.read(max_bytes + 1)
    except OSError as exc:
        return None, f"cannot read file: {exc.strerror or exc}"
    if len(content) > max_bytes:
        return None, f"file too large (over max_file_bytes {max_bytes:,})"
    log.debug("read %s (%d bytes)", path, len(content))
    return RawDocument(
        kind=SourceKind.INBOX, location=str(path), media_type=media_type, content=content
    ), None
