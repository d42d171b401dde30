"""Plan an LLM run before any call: which chunks, which reduce batches, what it costs.

The plan is the single prediction of a run: the backend makes exactly the map calls in
``Plan.maps``, one reduce call per entry of ``Plan.batches`` and one compose call, and
``brief today --estimate`` counts the same plan. No I/O happens here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from briefing.backends.llm_io import MapReply, Prompts, datamark, line_mark, strict_schema
from briefing.chunk import chunk, join
from briefing.config import LLMSettings
from briefing.models import Chunk, Development
from briefing.tokens import context_window, padded, tokenizer_for

MESSAGE_OVERHEAD = 16  # chat framing tokens per request
MAX_CLAIMS = 40  # per chunk, however many articles it holds
CLAIMS_PER_PART = 6  # per article (or piece of one) in a chunk
PLAN_HEADROOM = 0.10  # share of the token budget the plan leaves for long replies
COMPOSE_OUTPUT = 800  # typical reply of a compose call, for planning
DEVELOPMENT_OUTPUT = 400  # typical reply for one development in a reduce call
POINT_TOKENS = 60  # a headline or point as the compose prompt carries it
COMPOSE_POINTS = 4  # statements per development the compose prompt carries (headline first)


@dataclass
class Plan:
    """Which developments go through the LLM, in chunks; the rest are extractive.

    Small developments share map requests, so one chunk can appear in several lists of
    ``chunks``; ``maps`` holds each request once. Only developments in ``batches`` are
    reduced: one read in a single chunk is written straight from its checked claims.
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

    @property
    def reduced(self) -> set[str]:
        """The developments that get a reduce call."""
        return {d for batch in self.batches for d in batch}


class Planner:
    """Counts what requests will cost and packs developments into calls."""

    def __init__(self, llm: LLMSettings, prompts: Prompts, language: str = "en") -> None:
        self.llm = llm
        self.prompts = prompts
        self.language = language
        self.map_model = llm.map_model or llm.model
        self.reduce_model = llm.reduce_model or llm.model
        self.mode = llm.datamark
        self.structured = llm.structured
        self._frames: dict[str, int] = {}

    # ------------------------------------------------------------ sizes

    def frame_tokens(self, name: str) -> int:
        """Tokens of a request's fixed text: system prompt, instructions, chat framing."""
        if name in self._frames:
            return self._frames[name]
        tok = tokenizer_for(self.map_model if name == "map" else self.reduce_model)
        system = self.prompts.system(self.mode).text
        mark = line_mark(self.mode)
        empty = {
            "map": {"parts": [], "max_claims": MAX_CLAIMS, "language": self.language},
            "reduce": {"developments": [], "min_points": 2, "max_points": 5, "mark": mark,
                       "language": self.language},
            "compose": {"developments": [], "date": "", "takeaways": 5, "mark": mark,
                        "language": self.language},
        }[name]
        user = self.prompts.render(name, **empty).text
        extra = 0 if self.structured == "json_schema" else len(json.dumps(strict_schema(MapReply)))
        self._frames[name] = tok.count(system) + tok.count(user) + MESSAGE_OVERHEAD + extra
        return self._frames[name]

    def chunk_budget(self) -> int:
        """Tokens of article text one map request may carry."""
        tok = tokenizer_for(self.map_model)
        window = context_window(self.map_model, self.llm.context_tokens)
        frame = padded(self.frame_tokens("map"), tok.margin)
        room = int((window - frame - self.llm.max_output_tokens) / (1 + tok.margin))
        return max(64, min(self.llm.chunk_tokens, room))

    def reduce_context(self) -> int:
        """Most tokens of claims a reduce request can carry within the model's context."""
        tok = tokenizer_for(self.reduce_model)
        window = context_window(self.reduce_model, self.llm.context_tokens)
        frame = padded(self.frame_tokens("reduce"), tok.margin)
        return max(64, window - frame - self.llm.max_output_tokens)

    def reduce_room(self) -> int:
        """Tokens of claims a reduce request is filled to when it batches developments."""
        return min(self.llm.chunk_tokens, self.reduce_context())

    def expected_map_output(self, piece: Chunk) -> int:
        """Typical reply size of a map call: claims run to about half the text they read."""
        return min(self.llm.max_output_tokens, 150 + piece.tokens // 2)

    def expected_claim_tokens(self, chunks: list[Chunk]) -> int:
        """Typical size of a development's claims in a reduce prompt (no quotes, no JSON)."""
        return sum(self.expected_map_output(c) for c in chunks) // 2

    def map_input(self, piece: Chunk) -> int:
        """Input tokens of the map request for ``piece``."""
        return padded(self.frame_tokens("map") + piece.tokens, tokenizer_for(self.map_model).margin)

    def reduce_input(self, claim_tokens: int) -> int:
        """Input tokens of a reduce request carrying ``claim_tokens`` of claims."""
        margin = tokenizer_for(self.reduce_model).margin
        return padded(self.frame_tokens("reduce") + claim_tokens, margin)

    def compose_input(self, developments: int) -> int:
        """Input tokens of the compose request over ``developments`` summaries."""
        margin = tokenizer_for(self.reduce_model).margin
        return padded(self.frame_tokens("compose") + developments * COMPOSE_POINTS * POINT_TOKENS, margin)

    def reduces(self, chunks: list[Chunk]) -> bool:
        """True when a development read in ``chunks`` gets a reduce call of its own."""
        return self.llm.reduce == "always" or len(chunks) > 1

    def expected_development(self, chunks: list[Chunk]) -> int:
        """Expected tokens for one development: its map calls, then its share of a reduce.

        The reduce frame is counted in full, as if the development were reduced alone:
        the plan stays safe whichever batch it lands in.
        """
        maps = sum(self.map_input(c) + self.expected_map_output(c) for c in chunks)
        if not self.reduces(chunks):
            return maps
        claims_in = min(self.expected_claim_tokens(chunks), self.reduce_context())
        reduce_out = min(self.llm.max_output_tokens, DEVELOPMENT_OUTPUT)
        return maps + self.reduce_input(claims_in) + reduce_out

    def expected_compose(self, developments: int) -> int:
        """Expected tokens of the compose call for ``developments`` summaries."""
        return self.compose_input(developments) + min(self.llm.max_output_tokens, COMPOSE_OUTPUT)

    # ------------------------------------------------------------ the plan

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
                               render=lambda text: datamark(text, self.mode))
            cost = self.expected_development(dev_chunks)
            if spent + cost <= limit:
                chunks[dev.id] = dev_chunks
                spent += cost
            else:
                skipped.append(dev.id)
        sizes = {d: self.expected_claim_tokens(c) for d, c in chunks.items() if self.reduces(c)}
        groups = self.pack(list(sizes.items()), self.reduce_room())
        batches = [[d for d, _ in group] for group in groups]
        return Plan(share(chunks, budget), skipped, budget, batches, sizes)

    def pack(self, sized: list[tuple[str, int]], room: int) -> list[list[tuple[str, int]]]:
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


def share(chunks: dict[str, list[Chunk]], budget: int) -> dict[str, list[Chunk]]:
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
