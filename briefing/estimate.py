"""What an LLM run would cost, worked out without calling anything.

Counts the requests the plan makes (one map call per chunk, small developments
sharing one; one reduce call per batch of developments; one compose call), their input
tokens as counted offline, and the most output they may produce; prices come from
``llm.prices`` ($ per million tokens, input and output) when the model is listed there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from briefing.backends.llm import OpenAIBackend
from briefing.config import LLMSettings, Settings
from briefing.models import Development

if TYPE_CHECKING:
    from briefing.prepare import DayRequest


@dataclass
class Estimate:
    """Calls and tokens an LLM run would use, at most; cost when prices are known."""

    map_calls: int = 0
    reduce_calls: int = 0
    compose_calls: int = 0
    input_tokens: int = 0
    max_output_tokens: int = 0
    cost: float | None = None
    extractive: int = 0  # developments that would not fit the token budget
    models: list[str] = field(default_factory=list)

    @property
    def calls(self) -> int:
        """All requests the run would make with an empty cache."""
        return self.map_calls + self.reduce_calls + self.compose_calls

    def lines(self) -> list[str]:
        """The estimate as short lines for the terminal."""
        out = [
            f"model: {', '.join(self.models)}",
            f"calls: {self.calls} ({self.map_calls} map, {self.reduce_calls} reduce,"
            f" {self.compose_calls} compose)",
            f"input tokens: ~{self.input_tokens:,}",
            f"output tokens: up to {self.max_output_tokens:,}",
        ]
        if self.extractive:
            out.append(f"over the token budget: {self.extractive} developments would be"
                       " summarised extractively")
        out.append("cost: " + (f"up to ${self.cost:.4f}" if self.cost is not None
                               else "unknown (add the model to llm.prices)"))
        return out


def estimate(developments: Sequence[Development], llm: LLMSettings,
             language: str = "en") -> Estimate:
    """The calls and tokens summarising ``developments`` would take with ``llm``.

    It counts the backend's own plan, so it predicts the calls the run then makes.
    """
    planner = OpenAIBackend(llm, language=language).planner
    plan = planner.plan(developments)
    out_cap = llm.max_output_tokens
    result = Estimate(models=sorted({planner.map_model, planner.reduce_model}),
                      extractive=len(plan.skipped))
    map_in = sum(planner.map_input(piece) for piece in plan.maps)  # shared calls once
    red_in = sum(planner.reduce_input(sum(plan.claim_tokens[d] for d in batch))
                 for batch in plan.batches)
    result.map_calls, result.reduce_calls = len(plan.maps), len(plan.batches)
    if plan.chunks:
        result.compose_calls = 1
        red_in += planner.compose_input(len(plan.chunks))
    result.input_tokens = map_in + red_in
    result.max_output_tokens = result.calls * out_cap
    map_price, red_price = llm.prices.get(planner.map_model), llm.prices.get(planner.reduce_model)
    if map_price and red_price:
        result.cost = (
            map_in * map_price[0] + result.map_calls * out_cap * map_price[1]
            + red_in * red_price[0]
            + (result.reduce_calls + result.compose_calls) * out_cap * red_price[1]
        ) / 1_000_000
    return result


def estimate_today(settings: Settings, request: DayRequest | date | None = None) -> Estimate:
    """The estimate for today's run: the very day the run would prepare, then counted.

    The day comes from ``prepare_day``, as for the run itself: same sources, period
    (time zone included) and leading developments (``max_developments``).
    """
    from briefing.prepare import prepare_day

    prepared = prepare_day(settings, request)
    return estimate(prepared.developments, settings.llm, settings.language)
