"""`brief doctor`: check the LLM endpoint with one tiny request and say what is wrong.

Diagnoses, in the order a user meets them: no API key, an endpoint that cannot be
reached (wrong URL), a key the endpoint rejects, a model it does not serve, and no
support for JSON-schema replies (brief then uses JSON mode, which is still fine).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import openai

from briefing.config import LLMSettings
from briefing.tokens import context_window, tokenizer_for

OPENAI_URL = "https://api.openai.com/v1"
_SCHEMA = {
    "type": "object",
    "properties": {"ok": {"type": "boolean"}},
    "required": ["ok"],
    "additionalProperties": False,
}


@dataclass
class Check:
    """One line of the diagnosis."""

    ok: bool
    message: str
    warning: bool = False


@dataclass
class Diagnosis:
    """Everything ``brief doctor`` found; ``ok`` when the backend can run."""

    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no check failed (warnings allowed)."""
        return all(c.ok for c in self.checks)

    def add(self, ok: bool, message: str, warning: bool = False) -> bool:
        """Record a check and return whether it passed."""
        self.checks.append(Check(ok, message, warning))
        return ok


def diagnose(llm: LLMSettings, client: Any = None) -> Diagnosis:
    """Check the configured endpoint with one small request (two if JSON schema fails)."""
    result = Diagnosis()
    url = llm.base_url or OPENAI_URL
    key = llm.api_key.get_secret_value() if llm.api_key else None
    if not result.add(
        bool(key or llm.base_url),
        "API key: set" if key else (
            "API key: none (fine for a local server)" if llm.base_url else
            "no API key: set OPENAI_API_KEY, or llm.base_url for a local server"
        ),
    ):
        return result
    tok = tokenizer_for(llm.model)
    result.add(True, f"token counting: {tok.encoding.name}"
               + ("" if tok.exact else f" (approximate for {llm.model}: +{tok.margin:.0%} margin)")
               + f", context {context_window(llm.model, llm.context_tokens):,} tokens")
    client = client or openai.OpenAI(
        api_key=key or "not-needed", base_url=url, organization=llm.organization,
        project=llm.project, timeout=min(llm.timeout, 30.0), max_retries=0,
    )
    try:
        reply = _ask(client, llm.model, {
            "type": "json_schema",
            "json_schema": {"name": "Ping", "strict": True, "schema": _SCHEMA},
        })
    except openai.BadRequestError as exc:
        if "response_format" not in str(exc) and "json_schema" not in str(exc):
            result.add(False, f"{url} refused the request (400): {_message(exc)}")
            return result
        return _json_mode(result, client, llm, url)
    except openai.APIError as exc:
        result.add(False, _explain(exc, url, llm.model))
        return result
    result.add(True, f"endpoint {url}: model {llm.model} answered")
    result.add(_is_ping(reply), "JSON-schema replies: supported" if _is_ping(reply)
               else f"JSON-schema replies: the model answered {reply[:80]!r}, not the JSON asked")
    return result


def _json_mode(result: Diagnosis, client: Any, llm: LLMSettings, url: str) -> Diagnosis:
    result.add(True, f"endpoint {url}: model {llm.model} answered")
    try:
        reply = _ask(client, llm.model, {"type": "json_object"})
    except openai.APIError as exc:
        result.add(False, "no JSON-schema support, and JSON mode failed too: "
                   + _explain(exc, url, llm.model))
        return result
    result.add(True, "no JSON-schema support: brief falls back to JSON mode"
               " (set llm.structured = \"json_object\" to skip the retry)", warning=True)
    result.add(_is_ping(reply), "JSON mode replies: usable" if _is_ping(reply)
               else f"JSON mode replies: the model answered {reply[:80]!r}")
    return result


def _ask(client: Any, model: str, response_format: dict[str, Any]) -> str:
    response = client.chat.completions.create(
        model=model,
        messages=[{"role": "system", "content": "Answer with JSON only."},
                  {"role": "user", "content": 'Reply with {"ok": true}.'}],
        response_format=response_format,
        max_tokens=20,
    )
    return str(response.choices[0].message.content or "")


def _is_ping(reply: str) -> bool:
    try:
        return bool(json.loads(reply.strip().strip("`").removeprefix("json")) == {"ok": True})
    except ValueError:
        return False


def _message(exc: openai.APIError) -> str:
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])[:200]
    return str(exc)[:200]


def _explain(exc: openai.APIError, url: str, model: str) -> str:
    """One line saying what is wrong and what to change."""
    if isinstance(exc, openai.APITimeoutError):
        return (f"{url} timed out (no answer within llm.timeout): the server is overloaded"
                " or the model too slow; raise llm.timeout or check the server")
    if isinstance(exc, openai.APIConnectionError):
        return (f"cannot reach {url}: check llm.base_url / OPENAI_BASE_URL"
                " (and that the server is running)")
    if isinstance(exc, openai.AuthenticationError):
        return f"{url} rejected the API key (401): check OPENAI_API_KEY"
    if isinstance(exc, openai.PermissionDeniedError):
        return (f"{url} refused access (403): check the key's organization/project"
                f" ({_message(exc)})")
    if isinstance(exc, openai.NotFoundError):
        text = _message(exc)
        if "model" in text.lower():
            return f"model {model!r} not found at {url}: check llm.model ({text})"
        return f"{url} answered 404: check llm.base_url (it usually ends in /v1)"
    if isinstance(exc, openai.RateLimitError):
        return f"{url} is rate limiting or out of quota (429): {_message(exc)}"
    if isinstance(exc, openai.APIStatusError) and exc.status_code >= 500:
        return (f"{url} answered {exc.status_code} (a server error): {_message(exc)}; until it"
                " recovers, `brief today` writes extractive briefings")
    if isinstance(exc, openai.APIStatusError):
        return f"{url} answered {exc.status_code}: {_message(exc)}"
    return f"{url}: {exc}"
