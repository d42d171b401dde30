"""Spotting text in an article that addresses an AI instead of a reader.

Such passages ("ignore previous instructions", "as an AI model you must...") are a
prompt-injection attempt. They are removed from the article text at extraction so no
backend sees or quotes them, and counted for the coverage section.
"""

from __future__ import annotations

import re

_PATTERNS = [
    r"\b(ignore|disregard|forget|override)\b[^.!?\n]{0,40}\b(previous|prior|above|earlier|"
    r"preceding|all|your|the)\b[^.!?\n]{0,30}\b(instructions?|prompts?|directions?|rules|"
    r"guidelines|context)\b",
    r"\bas an? (ai|a\.i\.|artificial intelligence|language model|llm|large language model|"
    r"assistant|chatbot)\b",
    r"\b(you are|you're) (now )?(an? )?(ai|assistant|chatbot|language model|summari[sz]er|gpt)\b",
    r"\b(dear|attention|note to|message for|instructions? for|to) (the )?(ai|a\.i\.|llm|gpt|"
    r"chatgpt|assistant|language model|summari[sz]er|summari[sz]ation (model|tool|system)|"
    r"model|bot|crawler)s?\b\s*[:,]",
    r"\b(ai|llm|gpt|chatgpt|assistant|language model|summari[sz]er|summari[sz]ing (model|tool))s?"
    r"\b[^.!?\n]{0,60}\b(must|should|shall|are instructed to|need to)\b[^.!?\n]{0,40}\b(say|"
    r"state|write|report|tell|include|output|respond|mention|claim|add)\b",
    r"\bsystem prompt\b",
    r"\b(new|updated|real|actual) instructions?\s*:",
    r"\bwhen summari[sz]ing (this|the) (article|page|text)\b",
    r"\b(include|insert|add) (this|the following) (link|url)\b",
    r"<\|?(im_start|im_end|system|endoftext)\|?>",
    r"\[/?(inst|system)\]",
]
_INJECTION = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)


# Every pattern above needs one of these substrings; most paragraphs have none, and a
# few plain substring searches spare them the expensive alternation.
_TRIGGERS = (
    "ignor", "disregard", "forget", "overrid", "ai ", "ai,", "ai:", "ai.", "ai;", "a.i.",
    "artificial",
    "model", "llm", "gpt", "assistant", "chatbot", "summari", "bot", "crawler", "system",
    "instruction", "link", "url", "<|", "[inst", "[/inst", "[system", "[/system",
)


def is_injection(passage: str) -> bool:
    """True when the passage speaks to an AI model or a summariser."""
    lowered = passage.lower()
    return any(t in lowered for t in _TRIGGERS) and _INJECTION.search(passage) is not None


def strip_injections(paragraphs: list[str]) -> tuple[list[str], int]:
    """The paragraphs without injection attempts, and how many were removed."""
    kept = [p for p in paragraphs if not is_injection(p)]
    return kept, len(paragraphs) - len(kept)
