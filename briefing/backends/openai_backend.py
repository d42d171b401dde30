"""The LLM backend: map, reduce and compose through any OpenAI-compatible endpoint.

    developments -> chunk -> map (claims with verbatim quotes, one call per chunk;
                                  small developments share a chunk)
                 -> check each claim's quote and numbers against its article
                 -> reduce (headline, points, conflicts per development, citing claim ids;
                    several developments per call, up to the chunk budget)
                 -> compose (takeaways and outlook across developments)

Article text is sent once (plus small chunk overlaps): reduce reads the checked claims
without their quotes, which stay here and are attached to statements by claim id.

Replies are JSON validated with pydantic; an invalid one is re-asked once with the
validation error, then that chunk or development falls back to the extractive backend
and says so in its notes (a failed reduce batch is retried one development at a time
first). Calls run with bounded concurrency under a per-run deadline,
the SDK retries 429/5xx honouring Retry-After, validated replies are cached in SQLite,
and a per-run token budget is reserved before each call so it is never exceeded: what
does not fit is summarised extractively. Article text reaches the model only inside
delimiters and datamarked (spotlighting, ``llm.datamark``: see ``llm_io``); the system
prompt says it is data.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openai
from pydantic import BaseModel, ValidationError

from briefing.backends.claims import (
    Claim,
    claim_from,
    claim_ids,
    extractive_claims,
    figures_from,
    statement_for,
)
from briefing.backends.extractive import ExtractiveBackend
from briefing.backends.llm_io import (
    ComposeReply,
    DevelopmentReply,
    MapClaim,
    MapReply,
    Prompt,
    Prompts,
    R,
    ReduceReply,
    clean_reply,
    datamark,
    inline,
    line_mark,
    strict_schema,
)
from briefing.chunk import chunk, join
from briefing.config import LLMSettings, Settings
from briefing.errors import LLMError
from briefing.llm_cache import LLMCache, cache_key
from briefing.models import (
    Article,
    Chunk,
    Citation,
    Development,
    DevelopmentSummary,
    Statement,
    Summary,
    SummaryOptions,
)
from briefing.tokens import context_window, padded, tokenizer_for
from briefing.verify import (
    DATAMARK,
    LINEMARK,
    check_statement,
    source_urls,
)

log = logging.getLogger(__name__)

FAILURE_LIMIT = 0.25  # more failed chunks than this and the run fails
MESSAGE_OVERHEAD = 16  # chat framing tokens per request
MAX_CLAIMS = 40  # per chunk, however many articles it holds
CLAIMS_PER_PART = 6  # per article (or piece of one) in a chunk
PLAN_HEADROOM = 0.10  # share of the token budget the plan leaves for long replies
REDUCE_OUTPUT = 800  # typical reply of a compose call, for planning
DEVELOPMENT_OUTPUT = 400  # typical reply for one development in a reduce call

@dataclass
class RunStats:
    """What one run cost: calls made, replies from cache, tokens used."""

    calls: int = 0
    step_calls: Counter[str] = field(default_factory=Counter)  # calls by prompt name
    cached: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    reasks: int = 0
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
class Plan:
    """Which developments go through the LLM, in chunks; the rest are extractive.

    Small developments share map requests, so one chunk can appear in several lists of
    ``chunks``; ``maps`` holds each request once.
    """

    chunks: dict[str, list[Chunk]]
    skipped: list[str]
    chunk_budget: int
    batches: list[list[str]] = field(default_factory=list)  # developments per reduce call
    claim_tokens: dict[str, int] = field(default_factory=dict)  # expected, per development

    @property
    def maps(self) -> list[Chunk]:
        """The map requests, each once, in development order."""
        return list({c.id: c for cs in self.chunks.values() for c in cs}.values())


class _Failed(Exception):
    """A call that gave no usable reply; the caller degrades to extractive."""


class _OverBudget(_Failed):
    """A call that would take the run over its token budget, so it is not made."""


# ---------------------------------------------------------------- the backend


class OpenAIBackend:
    """Summarises developments through an OpenAI-compatible chat completions endpoint."""

    name = "openai"

    def __init__(
        self,
        llm: LLMSettings,
        cache: LLMCache | None = None,
        prompts_dir: Path | None = None,
        client_factory: Any = None,
    ) -> None:
        self.llm = llm
        self.cache = cache
        self.prompts = Prompts(prompts_dir)
        self.map_model = llm.map_model or llm.model
        self.reduce_model = llm.reduce_model or llm.model
        self.model = (
            self.reduce_model if self.map_model == self.reduce_model
            else f"{self.map_model} (map), {self.reduce_model} (reduce)"
        )
        self.structured = llm.structured
        self._client_factory = client_factory or self._default_client
        self.stats = RunStats()
        self.extractive = ExtractiveBackend()
        self.mode = llm.datamark
        self._frames: dict[str, int] = {}

    @classmethod
    def from_settings(cls, settings: Settings, cache_path: Path | None = None) -> OpenAIBackend:
        """The backend for ``settings``, caching replies in the store's database file."""
        path = cache_path if cache_path is not None else settings.db_path
        return cls(settings.llm, LLMCache(path), prompts_dir=settings.llm.prompts_dir)

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

    # ------------------------------------------------------------ public

    def summarise(self, developments: Sequence[Development], options: SummaryOptions) -> Summary:
        """Headline, points and conflicts per development, then takeaways and outlook."""
        self.stats = RunStats()
        return asyncio.run(self._run(list(developments), options))

    # ------------------------------------------------------------ the run

    async def _run(self, developments: list[Development], options: SummaryOptions) -> Summary:
        loop = asyncio.get_running_loop()
        self._deadline = loop.time() + self.llm.deadline
        self._semaphore = asyncio.Semaphore(max(1, self.llm.max_concurrency))
        self._budget = Budget(self.llm.token_budget)
        self._client = self._client_factory()
        try:
            return await self._pipeline(developments, options)
        finally:
            await self._client.close()

    async def _pipeline(self, developments: list[Development], options: SummaryOptions) -> Summary:
        articles = {a.id: a for d in developments for a in d.articles}
        plan = self._plan = self.plan(developments)
        self._dev_notes: dict[str, list[str]] = {}
        self._over_budget: set[str] = set()
        self.stats.map_total = len(plan.maps)
        claims: dict[str, list[Claim]] = {}
        by_id = {d.id: d for d in developments}
        index = {d.id: i for i, d in enumerate(developments, start=1)}
        maps: dict[str, asyncio.Future[list[MapClaim] | None]] = {}

        def mapped(piece: Chunk) -> asyncio.Future[list[MapClaim] | None]:
            # a shared chunk is asked once; every development in it waits for that answer
            if piece.id not in maps:
                maps[piece.id] = asyncio.ensure_future(self._map(piece, articles))
            return maps[piece.id]

        async def read(dev: Development) -> list[Claim]:
            pieces = plan.chunks[dev.id]
            replies = await asyncio.gather(*(mapped(c) for c in pieces))
            claims[dev.id] = self._check_claims(index[dev.id], dev, pieces, replies, articles)
            return claims[dev.id]

        async def batch(ids: list[str]) -> list[DevelopmentSummary]:
            # a batch reduces as soon as its own developments are read: no global barrier
            devs = [by_id[i] for i in ids]
            read_claims = await asyncio.gather(*(read(d) for d in devs))
            return await self._reduce_batch(devs, list(read_claims), options)

        done: dict[str, DevelopmentSummary] = {}
        for results in await asyncio.gather(*(batch(ids) for ids in plan.batches)):
            done.update((s.development_id, s) for s in results)
        for dev_id in plan.skipped:
            self.stats.budget_skipped += 1
            done[dev_id] = self._fallback(by_id[dev_id], options,
                                          "summarised extractively: token budget reached")
        summaries = [done[d.id] for d in developments]
        self._check_failures()
        all_claims = {c.id: c for d in developments for c in claims.get(d.id, [])}
        takeaways, outlook = await self._compose(list(summaries), all_claims, options,
                                                 developments)
        return Summary(
            backend=self.name,
            model=self.model,
            developments=list(summaries),
            takeaways=takeaways,
            outlook=outlook,
            notes=self._run_notes(plan),
            dropped_claims=self.stats.claims_dropped,
        )

    # ------------------------------------------------------------ planning

    def chunk_budget(self) -> int:
        """Tokens of article text one map request may carry."""
        tok = tokenizer_for(self.map_model)
        window = context_window(self.map_model, self.llm.context_tokens)
        frame = padded(self.frame_tokens("map"), tok.margin)
        room = int((window - frame - self.llm.max_output_tokens) / (1 + tok.margin))
        return max(64, min(self.llm.chunk_tokens, room))

    def plan(self, developments: Sequence[Development]) -> Plan:
        """Chunk each development and keep, in order, those whose expected cost fits.

        The plan uses expected reply sizes and keeps 10% of the budget in hand; each call
        still reserves its worst case before it is made, so the budget holds even when
        the replies run long (a call that no longer fits degrades to extractive). Costs
        are counted as if each development were read alone; developments that fit one
        chunk then share map requests with their neighbours, which only costs less.
        """
        budget = self.chunk_budget()
        limit = int(self.llm.token_budget * (1 - PLAN_HEADROOM))
        spent = self.expected_compose(len(developments))
        chunks: dict[str, list[Chunk]] = {}
        skipped: list[str] = []
        for dev in developments:
            dev_chunks = chunk([s.lead for s in dev.stories], budget, model=self.map_model,
                               render=self._datamark)
            cost = self.expected_development(dev_chunks)
            if spent + cost <= limit:
                chunks[dev.id] = dev_chunks
                spent += cost
            else:
                skipped.append(dev.id)
        sizes = {d: self.expected_claim_tokens(c) for d, c in chunks.items()}
        groups = self._pack(list(sizes.items()), self.reduce_room())
        batches = [[d for d, _ in group] for group in groups]
        return Plan(self._share(chunks, budget), skipped, budget, batches, sizes)

    def _share(self, chunks: dict[str, list[Chunk]], budget: int) -> dict[str, list[Chunk]]:
        """Consecutive one-chunk developments joined into shared map requests."""
        shared = dict(chunks)
        group: list[str] = []
        used = 0
        for dev_id in [*chunks, ""]:  # "" flushes the last group
            pieces = chunks.get(dev_id, [])
            if len(pieces) == 1 and (not group or used + pieces[0].tokens <= budget):
                group.append(dev_id)
                used += pieces[0].tokens
                continue
            if len(group) > 1:
                joined = join([chunks[d][0] for d in group])
                shared.update((d, [joined]) for d in group)
            group, used = ([dev_id], pieces[0].tokens) if len(pieces) == 1 else ([], 0)
        return shared

    def reduce_context(self) -> int:
        """Most tokens of claims a reduce request can carry within the model's context."""
        tok = tokenizer_for(self.reduce_model)
        window = context_window(self.reduce_model, self.llm.context_tokens)
        frame = padded(self.frame_tokens("reduce"), tok.margin)
        return max(64, window - frame - self.llm.max_output_tokens)

    def reduce_room(self) -> int:
        """Tokens of claims a reduce request is filled to when it batches developments."""
        return min(self.llm.chunk_tokens, self.reduce_context())

    def _pack(self, sized: list[tuple[str, int]], room: int) -> list[list[tuple[str, int]]]:
        """Consecutive developments grouped while their claims fit in ``room`` tokens.

        A group also stops when the replies for it would not fit ``max_output_tokens``.
        """
        most = max(1, self.llm.max_output_tokens // DEVELOPMENT_OUTPUT)
        groups: list[list[tuple[str, int]]] = []
        used = 0
        for dev_id, tokens in sized:
            if groups and len(groups[-1]) < most and used + tokens <= room:
                groups[-1].append((dev_id, tokens))
                used += tokens
            else:
                groups.append([(dev_id, tokens)])
                used = tokens
        return groups

    def _datamark(self, text: str) -> str:
        return datamark(text, self.mode)

    def _system(self) -> Prompt:
        marker = LINEMARK if self.mode == "lines" else DATAMARK
        return self.prompts.render("system", marker=marker, mode=self.mode)

    def frame_tokens(self, name: str) -> int:
        """Tokens of a request's fixed text: system prompt, instructions, chat framing."""
        if name in self._frames:
            return self._frames[name]
        tok = tokenizer_for(self.map_model if name == "map" else self.reduce_model)
        system = self._system().text
        mark = line_mark(self.mode)
        empty = {
            "map": {"parts": [], "max_claims": MAX_CLAIMS},
            "reduce": {"developments": [], "min_points": 2, "max_points": 5, "mark": mark},
            "compose": {"developments": [], "date": "", "takeaways": 5, "mark": mark},
        }[name]
        user = self.prompts.render(name, **empty).text
        extra = 0 if self.structured == "json_schema" else len(json.dumps(strict_schema(MapReply)))
        self._frames[name] = tok.count(system) + tok.count(user) + MESSAGE_OVERHEAD + extra
        return self._frames[name]

    def expected_map_output(self, piece: Chunk) -> int:
        """Typical reply size of a map call: claims run to about half the text they read."""
        return min(self.llm.max_output_tokens, 150 + piece.tokens // 2)

    def expected_claim_tokens(self, chunks: list[Chunk]) -> int:
        """Typical size of a development's claims in a reduce prompt (no quotes, no JSON)."""
        return sum(self.expected_map_output(c) for c in chunks) // 2

    def expected_development(self, chunks: list[Chunk]) -> int:
        """Expected tokens for one development: its map calls, then its share of a reduce.

        The reduce frame is counted in full, as if the development were reduced alone:
        the plan stays safe whichever batch it lands in.
        """
        margin = tokenizer_for(self.map_model).margin
        maps = sum(padded(self.frame_tokens("map") + c.tokens, margin)
                   + self.expected_map_output(c) for c in chunks)
        claims_in = min(self.expected_claim_tokens(chunks), self.reduce_context())
        reduce_margin = tokenizer_for(self.reduce_model).margin
        reduce_out = min(self.llm.max_output_tokens, DEVELOPMENT_OUTPUT)
        return maps + padded(self.frame_tokens("reduce") + claims_in, reduce_margin) + reduce_out

    def expected_compose(self, developments: int) -> int:
        """Expected tokens of the compose call for ``developments`` summaries."""
        margin = tokenizer_for(self.reduce_model).margin
        points_in = developments * 6 * 60  # headline and points of ~60 tokens each
        out = min(self.llm.max_output_tokens, REDUCE_OUTPUT)
        return padded(self.frame_tokens("compose") + points_in, margin) + out

    # ------------------------------------------------------------ map

    async def _map(self, piece: Chunk, articles: dict[str, Article]) -> list[MapClaim] | None:
        """Claims for one chunk; None when the chunk falls back to extractive."""
        parts = [
            {
                "article_id": p.article_id,
                "title": inline(articles[p.article_id].title[:200], self.mode),
                "published": _published(articles[p.article_id]),
                "text": self._datamark(p.text),
            }
            for p in piece.parts
        ]
        wanted = min(MAX_CLAIMS, CLAIMS_PER_PART * len(parts))
        prompt = self.prompts.render("map", parts=parts, max_claims=wanted)
        try:
            reply = await self._ask(self.map_model, prompt, MapReply)
        except _OverBudget:
            self._over_budget.add(piece.id)
            return None
        except _Failed as exc:
            self.stats.map_failed += 1
            log.warning("chunk %s fell back to extractive: %s", piece.id, exc)
            return None
        return reply.claims

    def _check_failures(self) -> None:
        failed, total = self.stats.map_failed, self.stats.map_total
        if total and failed / total > FAILURE_LIMIT:
            raise LLMError(
                f"{failed} of {total} chunks failed at the LLM endpoint {self.llm.base_url or ''}"
                " (more than a quarter): nothing was sent; run `brief doctor`"
            )

    def _check_claims(
        self,
        index: int,
        dev: Development,
        pieces: Sequence[Chunk],
        replies: Sequence[list[MapClaim] | None],
        articles: dict[str, Article],
    ) -> list[Claim]:
        """A development's claims that pass their quote check, numbered C<index>.<n>."""
        urls = source_urls(articles.values())
        dev_articles = {a.id for a in dev.articles}
        claims: list[Claim] = []
        for piece, reply in zip(pieces, replies, strict=True):
            in_piece = {p.article_id for p in piece.parts}
            # in a shared chunk, claims on another development's articles are its own;
            # claims citing no article of the chunk are counted by the chunk's first owner
            counts_strays = piece.parts[0].article_id in dev_articles
            if reply is None:
                reply = extractive_claims(piece)
                why = ("the token budget was reached" if piece.id in self._over_budget
                       else "the model's answer was unusable")
                self._dev_notes.setdefault(dev.id, []).append(
                    f"a chunk was read extractively: {why}"
                )
            for raw in reply:
                cited = raw.article_id.strip()
                if cited not in dev_articles and (cited in in_piece or not counts_strays):
                    continue
                claim = claim_from(raw, dev.id)
                statement = Statement(
                    text=claim.text,
                    citations=[Citation(article_id=claim.article_id, quote=claim.quote)],
                )
                reason = (
                    "cites an article outside its development"
                    if claim.article_id not in dev_articles
                    else check_statement(statement, articles, urls)
                )
                if reason is not None:
                    self.stats.claims_dropped += 1
                    log.info("claim dropped (%s): %.80s", reason, claim.text)
                    continue
                claim.id = f"C{index}.{len(claims) + 1}"
                claims.append(claim)
        return claims

    # ------------------------------------------------------------ reduce

    async def _reduce_batch(
        self, devs: list[Development], claims: list[list[Claim]], options: SummaryOptions
    ) -> list[DevelopmentSummary]:
        """Summaries for a planned batch, split only if its claims overflow the context.

        The plan packed developments on expected claim sizes; the batch stays whole when
        the real claims run longer than expected but still fit, so the run makes the
        calls the plan (and ``brief today --estimate``) counted.
        """
        out: dict[str, DevelopmentSummary] = {}
        ready: dict[str, tuple[Development, list[Claim], int]] = {}
        sized: list[tuple[str, int]] = []
        for dev, dev_claims in zip(devs, claims, strict=True):
            if not dev_claims:
                out[dev.id] = self._fallback(dev, options,
                                             "summarised extractively: no checked claim")
                continue
            fitted, tokens = self._fit_claims(dev_claims)
            ready[dev.id] = (dev, fitted, len(dev_claims))
            sized.append((dev.id, tokens))
        packed = self._pack(sized, self.reduce_context())
        groups = [[ready[d] for d, _ in group] for group in packed]
        for results in await asyncio.gather(*(self._reduce_group(g, options) for g in groups)):
            out.update((s.development_id, s) for s in results)
        return [out[d.id] for d in devs]

    async def _reduce_group(
        self, group: list[tuple[Development, list[Claim], int]], options: SummaryOptions
    ) -> list[DevelopmentSummary]:
        """One reduce call for ``group``; on failure, one call per development, then extractive."""
        prompt = self.prompts.render(
            "reduce",
            developments=[{"id": dev.id, "sources": self._sources(dev, fitted)}
                          for dev, fitted, _ in group],
            min_points=options.min_points,
            max_points=options.max_points,
            mark=line_mark(self.mode),
        )
        try:
            reply = await self._ask(self.reduce_model, prompt, ReduceReply)
        except _Failed as exc:
            if len(group) == 1:
                dev = group[0][0]
                return [self._fallback(dev, options, f"summarised extractively: {exc}")]
            log.info("reduce batch of %d failed (%s); one development at a time", len(group), exc)
            alone = await asyncio.gather(*(self._reduce_group([g], options) for g in group))
            return [s for results in alone for s in results]
        answers = {r.id.strip(): r for r in reply.developments}
        out: list[DevelopmentSummary] = []
        missing: list[tuple[Development, list[Claim], int]] = []
        for item in group:
            answer = answers.get(item[0].id)
            if answer is None:
                missing.append(item)
            else:
                out.append(self._summary_from(item, answer, options))
        if missing and len(group) == 1:
            dev = group[0][0]
            out.append(self._fallback(dev, options,
                                      "summarised extractively: the model left it out"))
        elif missing:
            log.info("reduce batch left out %d developments; asking for each", len(missing))
            alone = await asyncio.gather(*(self._reduce_group([m], options) for m in missing))
            out.extend(s for results in alone for s in results)
        return out

    def _sources(self, dev: Development, claims: list[Claim]) -> list[dict[str, Any]]:
        """A development's claims grouped under their article: its id is written once."""
        grouped: dict[str, list[Claim]] = {}
        for claim in claims:
            grouped.setdefault(claim.article_id, []).append(claim)
        published = {a.id: _published(a) for a in dev.articles}
        return [
            {"article_id": article_id, "published": published.get(article_id, "unknown"),
             "claims": [
                 {"id": c.id, "text": inline(c.text, self.mode),
                  "attribution": inline(c.attribution, self.mode) if c.attribution else None,
                  "context": inline(c.context, self.mode) if c.context else None}
                 for c in group]}
            for article_id, group in grouped.items()
        ]

    def _summary_from(
        self,
        item: tuple[Development, list[Claim], int],
        answer: DevelopmentReply,
        options: SummaryOptions,
    ) -> DevelopmentSummary:
        dev, fitted, total = item
        by_id = {c.id: c for c in fitted}  # a development cites only its own claims
        notes = list(self._dev_notes.get(dev.id, []))
        if len(fitted) < total:
            notes.append(f"{total - len(fitted)} claims left out to fit the model's context")
        return DevelopmentSummary(
            development_id=dev.id,
            headline=statement_for(answer.headline, by_id),
            points=[statement_for(p, by_id) for p in answer.points[: options.max_points]],
            figures=figures_from(fitted),
            conflicts=[statement_for(c, by_id) for c in answer.conflicts],
            notes=notes,
        )

    def _fit_claims(self, claims: list[Claim]) -> tuple[list[Claim], int]:
        """The leading claims that fit the reduce model's context, and their tokens."""
        tok = tokenizer_for(self.reduce_model)
        room = self.reduce_context()
        kept: list[Claim] = []
        used = 8  # the development's own line
        for claim in claims:
            line = f"{claim.id} {claim.text} {claim.attribution or ''} {claim.context or ''}"
            # marker, labels, brackets, and a share of the article line above the claim
            cost = tok.budgeted(inline(line, self.mode)) + 12
            if kept and used + cost > room:
                break
            kept.append(claim)
            used += cost
        return kept, used

    def _fallback(self, dev: Development, options: SummaryOptions, note: str) -> DevelopmentSummary:
        summary = self.extractive.summarise_one(dev, options)
        return summary.model_copy(update={"notes": [*summary.notes, note]})

    # ------------------------------------------------------------ compose

    async def _compose(
        self,
        summaries: list[DevelopmentSummary],
        claims: dict[str, Claim],
        options: SummaryOptions,
        developments: list[Development],
    ) -> tuple[list[Statement], list[Statement]]:
        wanted = max(3, min(7, options.takeaways))
        devs = []
        for s in summaries:
            points = []
            for st in [s.headline, *s.points]:
                ids = claim_ids(st, claims)
                if ids:
                    points.append({"text": inline(st.text, self.mode), "claims": ids})
            if points:
                devs.append({"id": s.development_id, "points": points})
        if devs:
            prompt = self.prompts.render(
                "compose", developments=devs, date=options.date, takeaways=wanted,
                mark=line_mark(self.mode),
            )
            try:
                reply = await self._ask(self.reduce_model, prompt, ComposeReply)
            except _Failed as exc:
                self.stats.notes.append(f"takeaways chosen extractively: {exc}")
            else:
                takeaways = [statement_for(t, claims) for t in reply.takeaways[:7]]
                outlook = [statement_for(o, claims) for o in reply.outlook[:3]]
                return takeaways, outlook
        fallback = self.extractive.summarise(developments, options)
        return fallback.takeaways, fallback.outlook

    # ------------------------------------------------------------ one request

    async def _ask(self, model: str, prompt: Prompt, schema: type[R]) -> R:
        """A validated reply to ``prompt``: cached, or asked (and re-asked once)."""
        system = self._system()
        version = f"{system.version}+{prompt.version}"
        messages: list[dict[str, str]] = [
            {"role": "system", "content": system.text},
            {"role": "user", "content": self._with_schema(prompt.text, schema)},
        ]
        key = cache_key(model, version, {"messages": messages, "schema": schema.__name__})
        if self.cache is not None and (hit := self.cache.get(key)) is not None:
            try:
                parsed = schema.model_validate_json(hit)
            except ValidationError:
                log.warning("ignoring an unreadable cache entry for %s", prompt.name)
            else:
                self.stats.cached += 1
                return parsed
        content = await self._complete(model, messages, schema)
        self.stats.step_calls[prompt.name] += 1
        try:
            parsed = schema.model_validate_json(clean_reply(content))
        except ValidationError as exc:
            self.stats.reasks += 1
            error = _short_error(exc)
            log.info("%s reply invalid (%s); asking again", prompt.name, error)
            reask = self.prompts.render("reask", error=error)
            messages = [*messages, {"role": "assistant", "content": content},
                        {"role": "user", "content": reask.text}]
            content = await self._complete(model, messages, schema)
            self.stats.step_calls[prompt.name] += 1
            try:
                parsed = schema.model_validate_json(clean_reply(content))
            except ValidationError as again:
                raise _Failed(f"invalid answer twice ({_short_error(again)})") from None
        if self.cache is not None:
            self.cache.put(key, parsed.model_dump_json())
        return parsed

    def _with_schema(self, text: str, schema: type[BaseModel]) -> str:
        if self.structured == "json_schema":
            return text
        return f"{text}\n\nJSON schema of the answer:\n{json.dumps(strict_schema(schema))}"

    async def _complete(
        self, model: str, messages: list[dict[str, str]], schema: type[BaseModel]
    ) -> str:
        """One chat completion, within the budget, the deadline and the concurrency cap."""
        tok = tokenizer_for(model)
        wanted = padded(sum(tok.count(m["content"]) for m in messages) + MESSAGE_OVERHEAD,
                        tok.margin)
        window = context_window(model, self.llm.context_tokens)
        out = self.llm.max_output_tokens
        if wanted + out > window:
            raise _Failed(f"request of ~{wanted} tokens does not fit the {window}-token context")
        reserved = wanted + out
        if not self._budget.reserve(reserved):
            self.stats.budget_skipped += 1
            raise _OverBudget("token budget reached")
        actual = reserved
        try:
            async with self._semaphore:
                remaining = self._deadline - asyncio.get_running_loop().time()
                if remaining <= 0:
                    raise _Failed("run deadline passed")
                response = await asyncio.wait_for(
                    self._create(model, messages, schema), timeout=remaining
                )
            self.stats.calls += 1
            usage = getattr(response, "usage", None)
            if usage is not None and usage.prompt_tokens:
                actual = min(reserved, usage.prompt_tokens + (usage.completion_tokens or 0))
                self.stats.input_tokens += usage.prompt_tokens
                self.stats.output_tokens += usage.completion_tokens or 0
            choice = response.choices[0]
            if choice.finish_reason == "length":
                log.info("reply cut at max_output_tokens=%d", out)
            return str(choice.message.content or "")
        except TimeoutError:
            raise _Failed("run deadline passed") from None
        except openai.APIStatusError as exc:
            raise _Failed(f"endpoint answered {exc.status_code}") from None
        except openai.APIConnectionError as exc:
            raise _Failed(f"cannot reach the endpoint ({exc})") from None
        finally:
            self._budget.settle(reserved, actual)

    async def _create(
        self, model: str, messages: list[dict[str, str]], schema: type[BaseModel]
    ) -> Any:
        kwargs: dict[str, Any] = {"model": model, "messages": messages}
        if _reasoning_model(model):
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
                            "content": self._with_schema(messages[-1]["content"], schema)}
            return await self._create(model, messages, schema)

    # ------------------------------------------------------------ notes

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


# ---------------------------------------------------------------- small functions


def _reasoning_model(model: str) -> bool:
    bare = model.split("/")[-1]
    return bool(re.match(r"(o\d|gpt-5)", bare))


def _published(article: Article) -> str:
    if article.published_at is None:
        return "unknown"
    # minutes are enough to tell event time from publication time, and cost fewer tokens
    return article.published_at.isoformat(timespec="minutes").replace("+00:00", "Z")


def _short_error(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "(top level)"
    return f"{where}: {first['msg']}"[:300]
