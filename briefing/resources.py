"""Finding shipped prompts and templates, from a checkout or from an installed wheel."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent


def resource_dir(kind: str) -> Path:
    """The folder of shipped ``prompts`` or ``templates``."""
    if kind not in ("prompts", "templates"):
        raise ValueError(f"unknown resource kind {kind!r}")
    packaged = Path(str(resources.files("briefing") / "data" / kind))
    if packaged.is_dir():
        return packaged
    return _CHECKOUT / kind
