"""One request to the model: cache, budget, deadline, concurrency, re-ask, call log.

``Caller.ask`` turns a rendered prompt into a validated reply. Replies are cached in
SQLite; every completion (and every cache hit) is written to the call log. A call that
gives no usable reply raises ``Failed``; the caller of ``ask`` degrades to extractive.
When the endpoint cannot be reached, times out or answers 5xx before anything has
worked (or three times running), ``Caller.down`` names why and later calls fail at
once instead of each waiting out its own timeouts.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import openai
from pydantic import BaseModel, ValidationError

from briefing.backends.llm.plan import MESSAGE_OVERHEAD
from briefing.backends.llm_io import Prompt, Prompts, R, clean_reply, strict_schema
from briefing.config import LLMSettings
from briefing.errors import LLMError
from briefing.llm_cache import CallLog, CallRecord, LLMCache, cache_key
from briefing.tokens import context_window, padded, tokenizer_for

log = logging.getLogger(__name__)

DOWN_AFTER = 3  # consecutive transport failures that mark the endpoint down


class Failed(Exception):
    """A call that gave no usable reply; the caller degrades to extractive."""


class OverBudget(Failed):
    """A call that would take the run over its token budget, so it is not made."""


@dataclass
class RunStats:
    """What one run cost: calls made, replies from cache, tokens used."""

    calls: int = 0
    step_calls: Counter[str] = field(default_factory=Counter)  # calls by prompt name
    cached: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    reasks: int = 0
    failed_calls: int = 0
    map_failed: int = 0
    map_total: int = 0
    budget_skipped: int = 0
    claims_dropped: int = 0
    notes: list[str] = field(default_factory=list)


class Budget:
    """Tokens left for the run; a call reserves its worst case before it is made."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.used = 0

    def reserve(self, tokens: int) -> bool:
        """Take ``tokens`` if they fit; False when they do not."""
        if self.used + tokens > self.total:
            return False
        self.used += tokens
        return True

    def settle(self, reserved: int, actual: int) -> None:
        """Give back what a call reserved but did not use."""
        self.used -= max(0, reserved - actual)


@dataclass
class _Completion:
    content: str
    input_tokens: int | None
    output_tokens: int | None


class Caller:
    """Asks the endpoint, one validated reply per ``ask``; open with ``async with``."""

    def __init__(
        self,
        llm: LLMSettings,
        prompts: Prompts,
        stats: RunStats,
        cache: LLMCache | None = None,
        call_log: CallLog | None = None,
        client_factory: Any = None,
        run: tuple[str, str] = ("", ""),  # (run id, briefing day) for the call log
    ) -> None:
        self.llm = llm
        self.prompts = prompts
        self.stats = stats
        self.cache = cache
        self.call_log = call_log
        self.structured = llm.structured
        self.run_id, self.day = run
        self._client_factory = client_factory or self._default_client
        self.down: str | None = None
        self.last_error: str | None = None
        self._worked = False
        self._transport_failures = 0

    def _default_client(self) -> openai.AsyncOpenAI:
        key = self.llm.api_key.get_secret_value() if self.llm.api_key else None
        if key is None and self.llm.base_url is None:
            raise LLMError("no API key: set OPENAI_API_KEY or llm.base_url in brief.toml")
        return openai.AsyncOpenAI(
            api_key=key or "not-needed",  # local servers (Ollama, llama.cpp) take any key
            base_url=self.llm.base_url,
            organization=self.llm.organization,
            project=self.llm.project,
            timeout=self.llm.timeout,
            max_retries=self.llm.max_retries,
        )

    async def __aenter__(self) -> Caller:
        loop = asyncio.get_running_loop()
        self._deadline = loop.time() + self.llm.deadline
        self._semaphore = asyncio.Semaphore(max(1, self.llm.max_concurrency))
        self.budget = Budget(self.llm.token_budget)
        self._client = self._client_factory()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._client.close()

    # ------------------------------------------------------------ ask

    async def ask(self, model: str, prompt: Prompt, schema: type[R]) -> R:
        """A validated reply to ``prompt``: cached, or asked (and re-asked once)."""
        system = self.prompts.system(self.llm.datamark)
        version = f"{system.version}+{prompt.version}"
        messages: list[dict[str, str]] = [
            {"role": "system", "content": system.text},
            {"role": "user", "content": self.with_schema(prompt.text, schema)},
        ]
        key = cache_key(model, version, {"messages": messages, "schema": schema.__name__})
        if self.cache is not None and (hit := self.cache.get(key)) is not None:
            try:
                parsed = schema.model_validate_json(hit)
            except ValidationError:
                log.warning("ignoring an unreadable cache entry for %s", prompt.name)
            else:
                self.stats.cached += 1
                self._log(prompt.name, model, messages, hit, _Completion(hit, 0, 0), 0.0,
                          cached=True)
                return parsed
        done = await self._logged(prompt.name, model, messages, schema)
        try:
            parsed = schema.model_validate_json(clean_reply(done.content))
        except ValidationError as exc:
            self.stats.reasks += 1
            error = short_error(exc)
            log.info("%s reply invalid (%s); asking again", prompt.name, error)
            reask = self.prompts.render("reask", error=error)
            messages = [*messages, {"role": "assistant", "content": done.content},
                        {"role": "user", "content": reask.text}]
            done = await self._logged(prompt.name, model, messages, schema)
            try:
                parsed = schema.model_validate_json(clean_reply(done.content))
            except ValidationError as again:
                raise Failed(f"invalid answer twice ({short_error(again)})") from None
        if self.cache is not None:
            self.cache.put(key, parsed.model_dump_json(), done.input_tokens or 0,
                           done.output_tokens or 0)
        return parsed

    def with_schema(self, text: str, schema: type[BaseModel]) -> str:
        """The user message, with the schema spelt out when the endpoint cannot enforce it."""
        if self.structured == "json_schema":
            return text
        return f"{text}\n\nJSON schema of the answer:\n{json.dumps(strict_schema(schema))}"

    async def _logged(
        self, step: str, model: str, messages: list[dict[str, str]], schema: type[BaseModel]
    ) -> _Completion:
        """One completion, counted in the stats and written to the call log."""
        started = time.perf_counter()
        try:
            done = await self._complete(model, messages, schema)
        except OverBudget:
            raise
        except Failed as exc:
            self.stats.failed_calls += 1
            self.last_error = str(exc)
            self._log(step, model, messages, None, None, time.perf_counter() - started,
                      error=str(exc))
            raise
        self.stats.step_calls[step] += 1
        self._log(step, model, messages, done.content, done, time.perf_counter() - started)
        return done

    def _log(
        self,
        step: str,
        model: str,
        messages: list[dict[str, str]],
        reply: str | None,
        done: _Completion | None,
        latency: float,
        cached: bool = False,
        error: str | None = None,
    ) -> None:
        if self.call_log is None:
            return
        tokens_in = done.input_tokens if done else None
        tokens_out = done.output_tokens if done else None
        self.call_log.record(CallRecord(
            run_id=self.run_id, day=self.day, role=step, model=model,
            prompt=json.dumps(messages, ensure_ascii=False), reply=reply,
            input_tokens=tokens_in, output_tokens=tokens_out,
            cost=cost_of(self.llm.prices.get(model), tokens_in, tokens_out),
            latency=latency, cached=cached, error=error,
        ), keep_text=self.llm.log_text)

    # ------------------------------------------------------------ one completion

    async def _complete(
        self, model: str, messages: list[dict[str, str]], schema: type[BaseModel]
    ) -> _Completion:
        """One chat completion, within the budget, the deadline and the concurrency cap."""
        if self.down is not None:
            raise Failed(self.down)
        tok = tokenizer_for(model)
        wanted = padded(sum(tok.count(m["content"]) for m in messages) + MESSAGE_OVERHEAD,
                        tok.margin)
        window = context_window(model, self.llm.context_tokens)
        out = self.llm.max_output_tokens
        if wanted + out > window:
            raise Failed(f"request of ~{wanted} tokens does not fit the {window}-token context")
        reserved = wanted + out
        if not self.budget.reserve(reserved):
            self.stats.budget_skipped += 1
            raise OverBudget("token budget reached")
        actual = reserved
        try:
            async with self._semaphore:
                if self.down is not None:  # marked down while this call waited its turn
                    raise Failed(self.down)
                remaining = self._deadline - asyncio.get_running_loop().time()
                if remaining <= 0:
                    raise Failed("run deadline passed")
                response = await asyncio.wait_for(
                    self._create(model, messages, schema), timeout=remaining
                )
            self.stats.calls += 1
            self._worked, self._transport_failures = True, 0
            usage = getattr(response, "usage", None)
            tokens_in = getattr(usage, "prompt_tokens", None)
            tokens_out = getattr(usage, "completion_tokens", None)
            if tokens_in:
                actual = min(reserved, tokens_in + (tokens_out or 0))
                self.stats.input_tokens += tokens_in
                self.stats.output_tokens += tokens_out or 0
            choice = response.choices[0]
            if choice.finish_reason == "length":
                log.info("reply cut at max_output_tokens=%d", out)
            return _Completion(str(choice.message.content or ""), tokens_in, tokens_out)
        except TimeoutError:
            raise Failed("run deadline passed") from None
        except openai.APITimeoutError:
            raise self._transport(f"the endpoint timed out after {self.llm.timeout:g} s") from None
        except openai.APIConnectionError as exc:
            raise self._transport(f"cannot reach the endpoint ({exc})") from None
        except openai.APIStatusError as exc:
            failure = Failed(f"endpoint answered {exc.status_code}")
            raise (self._transport(str(failure)) if exc.status_code >= 500 else failure) from None
        finally:
            self.budget.settle(reserved, actual)

    def _transport(self, reason: str) -> Failed:
        """A failure of the endpoint itself; marks it down when nothing works."""
        self._transport_failures += 1
        if not self._worked or self._transport_failures >= DOWN_AFTER:
            self.down = self.down or reason
        return Failed(reason)

    async def _create(
        self, model: str, messages: list[dict[str, str]], schema: type[BaseModel]
    ) -> Any:
        kwargs: dict[str, Any] = {"model": model, "messages": messages}
        if reasoning_model(model):
            kwargs["max_completion_tokens"] = self.llm.max_output_tokens
        else:
            kwargs["max_tokens"] = self.llm.max_output_tokens
            kwargs["temperature"] = self.llm.temperature
        if self.structured == "json_schema":
            kwargs["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": schema.__name__, "strict": True,
                                "schema": strict_schema(schema)},
            }
        elif self.structured == "json_object":
            kwargs["response_format"] = {"type": "json_object"}
        try:
            return await self._client.chat.completions.create(**kwargs)
        except openai.BadRequestError as exc:
            if self.structured != "json_schema" or "response_format" not in str(exc):
                raise
            # the endpoint has no JSON-schema support: use JSON mode from now on
            log.warning("endpoint rejects json_schema; using json_object for this run")
            self.structured = "json_object"
            messages[-1] = {"role": messages[-1]["role"],
                            "content": self.with_schema(messages[-1]["content"], schema)}
            return await self._create(model, messages, schema)


def cost_of(
    price: tuple[float, float] | None, tokens_in: int | None, tokens_out: int | None
) -> float | None:
    """Dollars for a call at ``price`` ($ per million tokens in, out); None when unknown."""
    if price is None or tokens_in is None:
        return None
    return (tokens_in * price[0] + (tokens_out or 0) * price[1]) / 1_000_000


def reasoning_model(model: str) -> bool:
    """True for models that take ``max_completion_tokens`` and no temperature."""
    bare = model.split("/")[-1]
    return bool(re.match(r"(o\d|gpt-5)", bare))


def short_error(exc: ValidationError) -> str:
    """The first validation error, short enough to send back to the model."""
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "(top level)"
    return f"{where}: {first['msg']}"[:300]
