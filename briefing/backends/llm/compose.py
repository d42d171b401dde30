"""The writing steps: a development's headline and points from its checked claims
(reduce, or straight from the claims when it was read in one chunk), then takeaways and
outlook across developments (compose). Statements cite claims by id; each id becomes a
citation of that claim's article and verbatim quote.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from briefing.backends.claims import (
    Claim,
    claim_ids,
    figures_from,
    statement_for,
    supported_statement,
)
from briefing.backends.extractive import ExtractiveBackend
from briefing.backends.llm.calls import Caller, Failed
from briefing.backends.llm.plan import COMPOSE_POINTS, Planner
from briefing.backends.llm_io import (
    CitedItem,
    ComposeReply,
    DevelopmentReply,
    Prompts,
    ReduceReply,
    inline,
    line_mark,
    published_label,
)
from briefing.models import Development, DevelopmentSummary, Statement, SummaryOptions
from briefing.tokens import tokenizer_for

log = logging.getLogger(__name__)

Ready = tuple[Development, list[Claim], int]  # a development, the claims sent, all claims


class Writer:
    """Writes statements from checked claims through the reduce and compose prompts."""

    def __init__(self, caller: Caller, planner: Planner, prompts: Prompts,
                 dev_notes: dict[str, list[str]]) -> None:
        self.caller = caller
        self.planner = planner
        self.prompts = prompts
        self.mode = planner.mode
        self.language = planner.language
        self.dev_notes = dev_notes
        self.extractive = ExtractiveBackend()
        self.unsupported = 0  # statements dropped: the claims they cite do not say them

    # ------------------------------------------------------------ one chunk: no reduce

    def direct(self, dev: Development, claims: list[Claim],
               options: SummaryOptions) -> DevelopmentSummary:
        """A development read in one chunk, written from its claims in the model's order.

        The map step already lists events most important first, each one sentence with
        a checked quote, so a reduce call would only rephrase them at the cost of
        sending them again.
        """
        if not claims:
            return self.fallback(dev, options, "summarised extractively: no checked claim")
        by_id = {c.id: c for c in claims}
        items = [CitedItem(text=c.text, claims=[c.id]) for c in claims]
        return DevelopmentSummary(
            development_id=dev.id,
            headline=statement_for(items[0], by_id, self.language),
            points=[statement_for(i, by_id, self.language) for i in items[1 : 1 + options.max_points]],
            figures=figures_from(claims),
            notes=list(self.dev_notes.get(dev.id, [])),
        )

    # ------------------------------------------------------------ reduce

    async def reduce_batch(
        self, devs: list[Development], claims: list[list[Claim]], options: SummaryOptions
    ) -> list[DevelopmentSummary]:
        """Summaries for a planned batch, split only if its claims overflow the context.

        The plan packed developments on expected claim sizes; the batch stays whole when
        the real claims run longer than expected but still fit, so the run makes the
        calls the plan (and ``brief today --estimate``) counted.
        """
        out: dict[str, DevelopmentSummary] = {}
        ready: dict[str, Ready] = {}
        sized: list[tuple[str, int]] = []
        for dev, dev_claims in zip(devs, claims, strict=True):
            if not dev_claims:
                out[dev.id] = self.fallback(dev, options,
                                            "summarised extractively: no checked claim")
                continue
            fitted, tokens = self.fit_claims(dev_claims)
            ready[dev.id] = (dev, fitted, len(dev_claims))
            sized.append((dev.id, tokens))
        packed = self.planner.pack(sized, self.planner.reduce_context())
        groups = [[ready[d] for d, _ in group] for group in packed]
        for results in await asyncio.gather(*(self.reduce_group(g, options) for g in groups)):
            out.update((s.development_id, s) for s in results)
        return [out[d.id] for d in devs]

    async def reduce_group(self, group: list[Ready],
                           options: SummaryOptions) -> list[DevelopmentSummary]:
        """One reduce call for ``group``; on failure, one call per development, then extractive."""
        prompt = self.prompts.render(
            "reduce",
            developments=[{"id": dev.id, "sources": self.sources(dev, fitted)}
                          for dev, fitted, _ in group],
            min_points=options.min_points, max_points=options.max_points,
            mark=line_mark(self.mode), language=self.language,
        )
        try:
            reply = await self.caller.ask(self.planner.reduce_model, prompt, ReduceReply)
        except Failed as exc:
            if len(group) == 1:
                return [self.fallback(group[0][0], options, f"summarised extractively: {exc}")]
            log.info("reduce batch of %d failed (%s); one development at a time", len(group), exc)
            alone = await asyncio.gather(*(self.reduce_group([g], options) for g in group))
            return [s for results in alone for s in results]
        answers = {r.id.strip(): r for r in reply.developments}
        out: list[DevelopmentSummary] = []
        missing: list[Ready] = []
        for item in group:
            answer = answers.get(item[0].id)
            if answer is None:
                missing.append(item)
            else:
                out.append(self.summary_from(item, answer, options))
        if missing and len(group) == 1:
            out.append(self.fallback(group[0][0], options,
                                     "summarised extractively: the model left it out"))
        elif missing:
            log.info("reduce batch left out %d developments; asking for each", len(missing))
            alone = await asyncio.gather(*(self.reduce_group([m], options) for m in missing))
            out.extend(s for results in alone for s in results)
        return out

    def sources(self, dev: Development, claims: list[Claim]) -> list[dict[str, Any]]:
        """A development's claims grouped under their article: its id is written once."""
        grouped: dict[str, list[Claim]] = {}
        for claim in claims:
            grouped.setdefault(claim.article_id, []).append(claim)
        published = {a.id: published_label(a) for a in dev.articles}
        return [
            {"article_id": article_id, "published": published.get(article_id, "unknown"),
             "claims": [
                 {"id": c.id, "text": inline(c.text, self.mode),
                  "attribution": inline(c.attribution, self.mode) if c.attribution else None,
                  "context": inline(c.context, self.mode) if c.context else None}
                 for c in group]}
            for article_id, group in grouped.items()
        ]

    def summary_from(self, item: Ready, answer: DevelopmentReply,
                     options: SummaryOptions) -> DevelopmentSummary:
        """A reduce answer as a summary citing the development's own claims."""
        dev, fitted, total = item
        by_id = {c.id: c for c in fitted}  # a development cites only its own claims
        notes = list(self.dev_notes.get(dev.id, []))
        if len(fitted) < total:
            notes.append(f"{total - len(fitted)} claims left out to fit the model's context")
        lead = CitedItem(text=fitted[0].text, claims=[fitted[0].id])
        return DevelopmentSummary(
            development_id=dev.id,
            headline=(self.written([answer.headline], by_id) or [statement_for(lead, by_id, self.language)])[0],
            points=self.written(answer.points[: options.max_points], by_id),
            figures=figures_from(fitted),
            conflicts=self.written(answer.conflicts, by_id),
            notes=notes,
        )

    def written(self, items: list[CitedItem], claims: dict[str, Claim]) -> list[Statement]:
        """The items the claims they cite support; the rest are counted and left out."""
        out: list[Statement] = []
        for item in items:
            statement = supported_statement(item, claims, self.language)
            if statement is None:
                self.unsupported += 1
                log.info("statement dropped (its claims do not say it): %.80s", item.text)
            else:
                out.append(statement)
        return out

    def fit_claims(self, claims: list[Claim]) -> tuple[list[Claim], int]:
        """The leading claims that fit the reduce model's context, and their tokens."""
        tok = tokenizer_for(self.planner.reduce_model)
        room = self.planner.reduce_context()
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

    def fallback(self, dev: Development, options: SummaryOptions,
                 note: str) -> DevelopmentSummary:
        """The extractive summary of ``dev``, saying why."""
        summary = self.extractive.summarise_one(dev, options)
        return summary.model_copy(update={"notes": [*summary.notes, note]})

    # ------------------------------------------------------------ compose

    async def compose(
        self,
        summaries: list[DevelopmentSummary],
        claims: dict[str, Claim],
        options: SummaryOptions,
        developments: list[Development],
        notes: list[str],
    ) -> tuple[list[Statement], list[Statement]]:
        """Takeaways and outlook across developments; extractive when the call fails."""
        wanted = max(3, min(7, options.takeaways))
        devs = []
        for s in summaries:
            points = []
            # takeaways are drawn from what leads each development; the rest costs tokens
            for st in [s.headline, *s.points[: COMPOSE_POINTS - 1]]:
                ids = claim_ids(st, claims)
                if ids:
                    points.append({"text": inline(st.text, self.mode), "claims": ids})
            if points:
                devs.append({"id": s.development_id, "points": points})
        if devs:
            prompt = self.prompts.render(
                "compose", developments=devs, date=options.date, takeaways=wanted,
                mark=line_mark(self.mode), language=self.language,
            )
            try:
                reply = await self.caller.ask(self.planner.reduce_model, prompt, ComposeReply)
            except Failed as exc:
                notes.append(f"takeaways chosen extractively: {exc}")
            else:
                takeaways = self.written(reply.takeaways[:7], claims)
                outlook = self.written(reply.outlook[:3], claims)
                if takeaways:
                    return takeaways, outlook
        fallback = self.extractive.summarise(developments, options)
        return fallback.takeaways, fallback.outlook
