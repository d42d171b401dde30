"""Where the OpenAI-compatible backend used to live; it is now ``briefing.backends.llm``."""

from briefing.backends.llm import OpenAIBackend, Plan

__all__ = ["OpenAIBackend", "Plan"]
