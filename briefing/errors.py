"""Errors that brief raises, all under one base class.

The CLI turns each into one clean line (``brief: <message>``) and re-raises with a
traceback under ``--debug`` or ``BRIEF_DEBUG=1``.

    BriefingError                 anything brief reports to a user
     +-- ConfigError              a bad setting: names the key or the file
     +-- SourceError              an input file, feed or URL that cannot be read
     |    +-- FetchError          a network fetch failed (status, timeout, too large)
     |    +-- BlockedAddressError a fetch would reach a private/loopback address
     |    +-- HTTPStatusError     the server answered with an error status
     |    +-- ContentTypeError    the server answered with a type not read here
     +-- StoreError               the SQLite article store cannot be used
     +-- BackendError             the summarising backend failed
     |    +-- LLMError            the LLM endpoint failed or answered badly
     |         +-- LLMUnavailableError  down or failing for most calls: brief falls back
     +-- RenderError              a template or the PDF could not be rendered
     +-- DeliveryError            the briefing could not be delivered (SMTP)
     +-- NothingToReportError     no usable article: nothing was produced
"""

from __future__ import annotations


class BriefingError(Exception):
    """Base class: an error a user should see as one line."""


class ConfigError(BriefingError):
    """A setting in the config file, environment or flags is invalid."""


class SourceError(BriefingError):
    """An input (file, feed, URL) cannot be read; names the input.

    ``location`` is the file or URL and ``reason`` the why, so a coverage line can name
    both without taking the message apart; ``str()`` is ``"location: reason"``.
    """

    def __init__(self, message: str, *, location: str | None = None) -> None:
        super().__init__(f"{location}: {message}" if location else message)
        self.location = location
        self.reason = message

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), self.reason, self.location))  # picklable for workers

    def reason_for(self, location: str) -> str:
        """Why ``location`` failed, without repeating the location."""
        if self.location is not None:
            return self.reason
        return self.reason.removeprefix(f"{location}: ").strip() or type(self).__name__


def _rebuild(cls: type[SourceError], reason: str, location: str | None) -> SourceError:
    return cls(reason, location=location)


class FetchError(SourceError):
    """A network fetch failed: status, timeout, size cap or content type."""


class BlockedAddressError(FetchError):
    """A fetch would reach a private, loopback or otherwise reserved address."""


class HTTPStatusError(FetchError):
    """The server answered a fetch with an error status (kept in ``status``)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (str(self), self.status))  # picklable across processes


class ContentTypeError(FetchError):
    """The server answered with a type brief does not read here (kept in ``media_type``)."""

    def __init__(self, message: str, media_type: str | None) -> None:
        super().__init__(message)
        self.media_type = media_type

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (str(self), self.media_type))


class StoreError(BriefingError):
    """The SQLite article store cannot be opened or written."""


class BackendError(BriefingError):
    """The summarising backend failed."""


class LLMError(BackendError):
    """The LLM endpoint failed or answered with something unusable."""


class LLMUnavailableError(LLMError):
    """The LLM endpoint is unreachable, timing out or failing most calls.

    The pipeline catches it and writes the extractive briefing with a warning on top;
    ``brief today --require-llm`` turns it into a failed run.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(f"LLM unavailable: {reason}")
        self.reason = reason


class RenderError(BriefingError):
    """A template, the HTML or the PDF could not be rendered."""


class DeliveryError(BriefingError):
    """The briefing could not be delivered."""

    exit_code = 3  # the CLI's exit status: delivery failed (see briefing/deliver.py)


class NothingToReportError(BriefingError):
    """No usable article was found, so no briefing was produced."""
