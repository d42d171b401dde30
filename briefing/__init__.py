"""brief: daily situation reports from the day's news, every statement cited."""

from typing import Literal

__version__ = "0.1.0"

# Output formats, in the order they are rendered. Here, not in config, so `brief --help`
# starts without importing pydantic.
Format = Literal["md", "html", "pdf", "json"]
FORMATS: tuple[Format, ...] = ("md", "html", "pdf", "json")
