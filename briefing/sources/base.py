"""Where documents come from: the ``Source`` protocols and the step every document ends in.

Every source (inbox folders, documents a caller hands in, feeds, pages and ``--url``
pages) yields ``RawDocument``s; each goes through the one extraction service
(``extract.read_document``: the same decoding, cleaning, metadata, acceptance and
stand-in policy) and then ``admit``: stored, or named with its reason. A document that
fails costs that document only.

Local sources are read in order as the extraction workers keep up (``Source``). Network
sources (``WebSource``) are read concurrently, politely per host, by ``ingest``: each
yields its documents as they arrive and hears how each one ended (``settle``), so a feed
can remember which items it has taken and when to send its validators again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from briefing.errors import SourceError
from briefing.extract import Read
from briefing.fetch import Fetcher
from briefing.models import RawDocument, Skipped
from briefing.sources import inbox
from briefing.sources.report import SourceReport
from briefing.store import Store


class Source(Protocol):
    """A local source; unreadable inputs are added to ``problems``."""

    name: str

    def documents(self, problems: list[Skipped]) -> Iterator[RawDocument]:
        """Yield the source's documents one at a time (bounded memory)."""
        ...


class Web(Protocol):
    """What a network source is given to read with: one run's fetcher, store and clock."""

    fetcher: Fetcher
    store: Store
    now: datetime
    cutoff: datetime  # items published before this are stale

    def plan(self, pages: int) -> None:
        """Say that ``pages`` documents are coming, so extraction can scale up in time."""
        ...

    async def run_cpu(self, func: Callable[[Any], Any], arg: Any) -> Any:
        """Run CPU-bound work (feed parsing) off the event loop."""
        ...


@dataclass(frozen=True)
class Admitted:
    """How one document ended: stored as ``article_id`` (``new`` text or not), or ``error``."""

    given: RawDocument  # the document the source yielded
    read: RawDocument  # the document extracted: ``given``, or its stand-in
    article_id: str | None = None
    new: bool = False
    error: SourceError | None = None


class WebSource(Protocol):
    """A feed, page or URL read over the network; ``report`` says how it went."""

    report: SourceReport

    def documents(self, web: Web) -> AsyncIterator[RawDocument]:
        """Fetch and yield the source's new documents as they arrive; raise if it fails."""
        ...

    def settle(self, admitted: Admitted) -> None:
        """Hear how one of its documents ended."""
        ...

    def finish(self, web: Web) -> None:
        """Once every document has ended: the source's status and what to remember."""
        ...


def admit(store: Store, given: RawDocument, read: Read, now: datetime | None = None) -> Admitted:
    """Store an extracted article (one row per distinct text), or keep its error."""
    if isinstance(read.outcome, SourceError):
        return Admitted(given, read.document, error=read.outcome)
    article_id, new = store.put(read.outcome, now)
    return Admitted(given, read.document, article_id=article_id, new=new)


def skipped_entry(admitted: Admitted) -> Skipped:
    """The coverage line for a document that could not be briefed."""
    assert admitted.error is not None
    location = admitted.given.location
    return Skipped(location=location, reason=admitted.error.reason_for(location))


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
