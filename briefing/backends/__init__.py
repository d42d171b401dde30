"""Summarising backends: the extractive default and the OpenAI-compatible LLM."""
