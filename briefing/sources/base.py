"""The ``Source`` protocol: anything that yields the day's raw documents.

Every document, whichever source gave it, goes through the one extraction service
(``extract.extract_many`` / ``extract.extract_safely``): the same decoding, cleaning,
metadata and acceptance policy, and a document that fails costs that document only.
Feeds, pages and ``--url`` pages are fetched by ``ingest`` concurrently (politely per
host), and each fetched page goes through the same ``extract_safely`` as it arrives.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Protocol

from briefing.models import RawDocument, Skipped
from briefing.sources import inbox


class Source(Protocol):
    """Somewhere documents come from; unreadable inputs are added to ``problems``."""

    name: str

    def documents(self, problems: list[Skipped]) -> Iterator[RawDocument]:
        """Yield the source's documents one at a time (bounded memory)."""
        ...


class InboxSource:
    """The local inbox folders of saved pages."""

    name = "inbox"

    def __init__(self, folders: Sequence[Path], max_bytes: int) -> None:
        self.folders = list(folders)
        self.max_bytes = max_bytes

    def documents(self, problems: list[Skipped]) -> Iterator[RawDocument]:
        """Each supported file, read as it is reached."""
        return inbox.iter_documents(self.folders, problems, self.max_bytes)


class GivenDocuments:
    """Documents handed in by the caller (tests, benchmarks, other tools)."""

    name = "given"

    def __init__(self, documents: Sequence[RawDocument]) -> None:
        self.given = list(documents)

    def documents(self, problems: list[Skipped]) -> Iterator[RawDocument]:
        """The documents as given."""
        return iter(self.given)
