"""The LLM backend's one seam: ``OpenAIBackend.summarise`` runs plan, read, check, write.

    plan (what is called; no I/O)        -> read each chunk (map: claims with quotes)
    -> check each claim against its article -> write: headline and points per
    development (reduce when it spans chunks, else straight from its claims)
    -> compose takeaways and outlook across developments.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from briefing.backends.claims import Claim
from briefing.backends.llm.calls import Caller, Failed, OverBudget, RunStats
from briefing.backends.llm.check import check_claims
from briefing.backends.llm.compose import Writer
from briefing.backends.llm.plan import Plan, Planner
from briefing.backends.llm.read import read_chunk
from briefing.backends.llm_io import MapClaim, Prompts
from briefing.config import LLMSettings, Settings
from briefing.errors import LLMUnavailableError
from briefing.llm_cache import CallLog, LLMCache
from briefing.models import Article, Chunk, Development, DevelopmentSummary, Summary, SummaryOptions

log = logging.getLogger(__name__)

FAILURE_LIMIT = 0.25  # more failed chunks than this and the LLM counts as unavailable


class OpenAIBackend:
    """Summarises developments through an OpenAI-compatible chat completions endpoint."""

    name = "openai"

    def __init__(
        self,
        llm: LLMSettings,
        cache: LLMCache | None = None,
        prompts_dir: Path | None = None,
        client_factory: Any = None,
        call_log: CallLog | None = None,
        language: str = "en",
    ) -> None:
        self.llm = llm
        self.cache = cache
        self.call_log = call_log
        self.prompts = Prompts(prompts_dir)
        self.planner = Planner(llm, self.prompts, language)
        self.language = language
        self.map_model = self.planner.map_model
        self.reduce_model = self.planner.reduce_model
        self.model = (
            self.reduce_model if self.map_model == self.reduce_model
            else f"{self.map_model} (map), {self.reduce_model} (reduce)"
        )
        self.structured = llm.structured
        self._client_factory = client_factory
        self.stats = RunStats()

    @classmethod
    def from_settings(cls, settings: Settings, cache_path: Path | None = None) -> OpenAIBackend:
        """The backend for ``settings``, caching and logging in the store's database file."""
        path = cache_path if cache_path is not None else settings.db_path
        return cls(settings.llm, LLMCache(path), prompts_dir=settings.llm.prompts_dir,
                   call_log=CallLog(path), language=settings.language)

    def plan(self, developments: Sequence[Development]) -> Plan:
        """The calls a run over ``developments`` makes (what ``--estimate`` counts)."""
        return self.planner.plan(developments)

    def summarise(self, developments: Sequence[Development], options: SummaryOptions) -> Summary:
        """Headline, points and conflicts per development, then takeaways and outlook."""
        self.stats = RunStats()
        return asyncio.run(self._run(list(developments), options))

    async def _run(self, developments: list[Development], options: SummaryOptions) -> Summary:
        caller = Caller(self.llm, self.prompts, self.stats, self.cache, self.call_log,
                        self._client_factory, run=(uuid.uuid4().hex[:12], options.date))
        async with caller:
            self._caller = caller
            try:
                return await self._pipeline(caller, developments, options)
            finally:
                self.structured = caller.structured

    async def _pipeline(self, caller: Caller, developments: list[Development],
                        options: SummaryOptions) -> Summary:
        articles = {a.id: a for d in developments for a in d.articles}
        plan = self.planner.plan(developments)
        dev_notes: dict[str, list[str]] = {}
        writer = Writer(caller, self.planner, self.prompts, dev_notes)
        self.stats.map_total = len(plan.maps)
        claims: dict[str, list[Claim]] = {}
        by_id = {d.id: d for d in developments}
        index = {d.id: i for i, d in enumerate(developments, start=1)}
        maps: dict[str, asyncio.Future[list[MapClaim] | str]] = {}

        def mapped(piece: Chunk) -> asyncio.Future[list[MapClaim] | str]:
            # a shared chunk is asked once; every development in it waits for that answer
            if piece.id not in maps:
                maps[piece.id] = asyncio.ensure_future(self._read(caller, piece, articles))
            return maps[piece.id]

        async def read(dev: Development) -> list[Claim]:
            pieces = plan.chunks[dev.id]
            replies = await asyncio.gather(*(mapped(c) for c in pieces))
            checked = check_claims(index[dev.id], dev, pieces, replies, articles, self.language)
            self.stats.claims_dropped += checked.dropped
            dev_notes.setdefault(dev.id, []).extend(checked.notes)
            claims[dev.id] = checked.claims
            return checked.claims

        async def batch(ids: list[str]) -> list[DevelopmentSummary]:
            # a batch reduces as soon as its own developments are read: no global barrier
            devs = [by_id[i] for i in ids]
            read_claims = await asyncio.gather(*(read(d) for d in devs))
            return await writer.reduce_batch(devs, list(read_claims), options)

        async def direct(dev: Development) -> DevelopmentSummary:
            return writer.direct(dev, await read(dev), options)

        done: dict[str, DevelopmentSummary] = {}
        alone = [by_id[d] for d in plan.chunks if d not in plan.reduced]
        for results in await asyncio.gather(*(batch(ids) for ids in plan.batches)):
            done.update((s.development_id, s) for s in results)
        for summary in await asyncio.gather(*(direct(d) for d in alone)):
            done[summary.development_id] = summary
        for dev_id in plan.skipped:
            self.stats.budget_skipped += 1
            done[dev_id] = writer.fallback(by_id[dev_id], options,
                                           "summarised extractively: token budget reached")
        self._check_failures(caller)
        summaries = [done[d.id] for d in developments]
        all_claims = {c.id: c for d in developments for c in claims.get(d.id, [])}
        takeaways, outlook = await writer.compose(summaries, all_claims, options,
                                                  developments, self.stats.notes)
        self._check_failures(caller)
        self.stats.claims_dropped += writer.unsupported
        return Summary(
            backend=self.name, model=self.model, developments=summaries,
            takeaways=takeaways, outlook=outlook, notes=self._run_notes(plan),
            dropped_claims=self.stats.claims_dropped,
        )

    async def _read(self, caller: Caller, piece: Chunk,
                    articles: dict[str, Article]) -> list[MapClaim] | str:
        """Claims for one chunk, or why the chunk falls back to extractive."""
        try:
            return await read_chunk(caller, self.prompts, self.map_model, piece, articles,
                                    self.language)
        except OverBudget:
            return "the token budget was reached"
        except Failed as exc:
            self.stats.map_failed += 1
            # counted in the run's notes; an outage is reported once, by the pipeline
            log.info("chunk %s fell back to extractive: %s", piece.id, exc)
            return "the model's answer was unusable"

    def _check_failures(self, caller: Caller) -> None:
        """Give up on the LLM when the endpoint is down or most chunks failed."""
        s = self.stats
        if caller.down is not None and s.failed_calls >= s.calls:
            raise LLMUnavailableError(caller.down)
        if s.map_total and s.map_failed / s.map_total > FAILURE_LIMIT:
            where = f" at {self.llm.base_url}" if self.llm.base_url else ""
            raise LLMUnavailableError(
                f"{s.map_failed} of {s.map_total} chunks failed{where}"
                f" ({caller.down or caller.last_error or 'unusable answers'}); run `brief doctor`"
            )

    def _run_notes(self, plan: Plan) -> list[str]:
        s = self.stats
        notes = list(s.notes)
        if plan.skipped:
            notes.append(
                f"token budget of {self.llm.token_budget:,} reached: {len(plan.skipped)}"
                " developments summarised extractively"
            )
        late = s.budget_skipped - len(plan.skipped)
        if late > 0:
            notes.append(f"token budget of {self.llm.token_budget:,} reached during the run:"
                         f" {late} requests not made, their text read extractively")
        if s.map_failed:
            notes.append(f"{s.map_failed} of {s.map_total} chunks fell back to extractive"
                         " (unusable model answers)")
        if s.claims_dropped:
            notes.append(f"{s.claims_dropped} extracted claims dropped: quote or number not in"
                         " the cited article")
        notes.append(f"LLM calls: {s.calls} ({s.cached} answers from cache),"
                     f" tokens in/out: {s.input_tokens:,}/{s.output_tokens:,}")
        return notes
