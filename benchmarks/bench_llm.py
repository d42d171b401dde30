"""LLM backend throughput against a latency-simulating OpenAI-compatible server.

The scripted test server (``tests/scripted_server.py``) runs on 127.0.0.1 and answers
each request after ``base + per100 * output_tokens / 100`` seconds (default 1.5 s and
20 ms per 100 output tokens, about what a hosted small model takes). The input is 50
synthetic articles in 12 stories. For each concurrency (1, 4, 8, 16) the backend runs
with an empty cache and we report:

* wall time, and the ideal: the same calls, with the same simulated latencies, list-
  scheduled on that many workers with only the real dependencies (a reduce call after
  the map calls that read any development it batches, compose after every reduce), so
  the gap is our overhead plus the map/reduce barrier;
* input tokens sent per article token (prompt framing, datamarking, chunk overlap,
  the claims read by reduce), counted with tiktoken on every message sent;
* calls per briefing, and calls on a second run over the same cache (should be 0).

    .venv/bin/python benchmarks/bench_llm.py                       # a few minutes
    .venv/bin/python benchmarks/bench_llm.py --base 0.3 --per100 0.004  # quick
"""

from __future__ import annotations

import argparse
import heapq
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pydantic import SecretStr  # noqa: E402

from briefing.backends.llm import OpenAIBackend  # noqa: E402
from briefing.config import LLMSettings  # noqa: E402
from briefing.llm_cache import LLMCache  # noqa: E402
from briefing.models import Article, Development, Story, SummaryOptions  # noqa: E402
from briefing.tokens import tokenizer_for  # noqa: E402
from tests.scripted_server import Script  # noqa: E402

_BLOCK = re.compile(r"«ARTICLE [^\n]*»\n(.*?)\n«END ARTICLE»", re.DOTALL)
PLACES = ["Marrow", "Calder", "Torvik", "Ashby", "Velling", "Orrin", "Brask", "Dunmore",
          "Essel", "Fenwick", "Garrow", "Hollin"]
EVENTS = ["floods", "port strike", "power cuts", "bridge collapse", "wildfire", "protests",
          "rail crash", "drought", "cyber attack", "landslide", "ferry sinking", "heatwave"]


def day_of_articles(n_articles: int = 50, n_stories: int = 12, seed: int = 7) -> list[Development]:
    """Synthetic articles: each story has a few reports of 150–900 words."""
    rng = random.Random(seed)
    per_story = [n_articles // n_stories + (1 if i < n_articles % n_stories else 0)
                 for i in range(n_stories)]
    developments = []
    for s, count in enumerate(per_story):
        place, event = PLACES[s], EVENTS[s]
        articles = []
        for a in range(count):
            paragraphs = []
            for p in range(rng.randint(3, 14)):
                n = rng.randint(2, 400)
                paragraphs.append(
                    f"Officials in {place} said on Monday that the {event} had affected {n} "
                    f"households in district {p + 1}, according to report {a + 1}. "
                    f"Crews worked through the night and {n // 2 + 1} people were moved to "
                    f"shelters. Residents described long queues for water and fuel, and "
                    f"schools in the area stayed closed while engineers inspected roads. "
                    f"The regional council will meet on Wednesday to review the response."
                )
            text = "\n\n".join(paragraphs)
            articles.append(Article(id=f"s{s:02d}a{a}", title=f"{event.title()} in {place}",
                                    text=text, site=f"site{a}",
                                    published_at=datetime(2026, 11, 24, 6, tzinfo=UTC)))
        developments.append(Development(id=f"d{s:02d}",
                                        stories=[Story(articles=[x]) for x in articles]))
    return developments


def ideal(latencies: list[tuple[dict[str, Any], float]], developments: list[Development],
          workers: int) -> float:
    """Makespan of the same calls list-scheduled on ``workers`` with real dependencies."""
    owner = {a.id: d.id for d in developments for a in d.articles}
    maps: list[tuple[set[str], float]] = []  # the developments a map call reads, latency
    reduces: list[tuple[list[str], float]] = []  # the developments a call batches, latency
    compose = 0.0
    for body, latency in latencies:
        text = body["messages"][1]["content"]
        if "TASK: extract" in text:
            maps.append(({owner[i] for i in owner if f"id={i} " in text}, latency))
        elif "TASK: synthesise" in text:
            reduces.append(([line.split("=", 1)[1] for line in text.splitlines()
                             if line.startswith("development=")], latency))
        else:
            compose = max(compose, latency)
    free = [0.0] * workers
    heapq.heapify(free)
    done: dict[str, float] = {}
    for devs, latency in sorted(maps, key=lambda m: -m[1]):  # maps first, longest first
        start = heapq.heappop(free)
        heapq.heappush(free, start + latency)
        for dev in devs:
            done[dev] = max(done.get(dev, 0.0), start + latency)
    finish = max(done.values(), default=0.0)  # with no reduce call, compose waits for maps
    ready = [(max(done.get(d, 0.0) for d in devs), latency) for devs, latency in reduces]
    for after, latency in sorted(ready):
        start = max(heapq.heappop(free), after)
        heapq.heappush(free, start + latency)
        finish = max(finish, start + latency)
    return finish + compose


class ServerProcess:
    """The scripted server in its own process, so its work does not share our GIL."""

    def __init__(self, script: Script, log: Path) -> None:
        self.log = log
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "scripted_server.py"),
             "--delay", str(script.delay), "--per-100", str(script.per_100_tokens),
             "--log", str(log)],
            stdout=subprocess.PIPE, text=True, cwd=ROOT,
        )
        assert self.proc.stdout is not None
        self.base_url = self.proc.stdout.readline().strip()

    def calls(self) -> list[tuple[dict[str, Any], float]]:
        if not self.log.exists():
            return []
        rows = [json.loads(line) for line in self.log.read_text().splitlines() if line]
        return [(row["body"], row["latency"]) for row in rows]

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def run(developments: list[Development], llm: LLMSettings, script: Script,
        cache_path: Path) -> tuple[float, OpenAIBackend, list[tuple[dict[str, Any], float]]]:
    server = ServerProcess(script, cache_path.with_suffix(f".{time.time_ns()}.jsonl"))
    try:
        settings = llm.model_copy(update={"base_url": server.base_url})
        backend = OpenAIBackend(settings, LLMCache(cache_path))
        started = time.perf_counter()
        backend.summarise(developments, SummaryOptions(date="2026-11-24"))
        return time.perf_counter() - started, backend, server.calls()
    finally:
        server.stop()


def breakdown(calls: list[tuple[dict[str, Any], float]], tok: Any) -> dict[str, int]:
    """Tokens sent, split into system prompts and the user message of each step.

    ``article text`` is the part of the map messages inside «ARTICLE» blocks (markers
    included): above 1.0 only by datamarking and chunk overlap.
    """
    out = {"system": 0, "map": 0, "reduce": 0, "compose": 0, "article text": 0}
    for body, _ in calls:
        system, user = body["messages"][0]["content"], body["messages"][1]["content"]
        step = ("map" if "TASK: extract" in user else
                "reduce" if "TASK: synthesise" in user else "compose")
        out["system"] += tok.count(system)
        out[step] += tok.count(user)
        out["article text"] += sum(tok.count(block) for block in _BLOCK.findall(user))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", type=float, default=1.5, help="seconds per request")
    parser.add_argument("--per100", type=float, default=0.02,
                        help="seconds per 100 output tokens")
    parser.add_argument("--concurrency", default="1,4,8,16")
    parser.add_argument("--chunk-tokens", type=int, default=LLMSettings().chunk_tokens)
    parser.add_argument("--datamark", choices=["lines", "words"],
                        default=LLMSettings().datamark)
    args = parser.parse_args()
    developments = day_of_articles()
    articles = [a for d in developments for a in d.articles]
    tok = tokenizer_for("gpt-4o-mini")
    article_tokens = sum(tok.count(a.text) for a in articles)
    script = Script(delay=args.base, per_100_tokens=args.per100)
    print(f"{len(articles)} articles in {len(developments)} stories, {article_tokens:,} tokens;"
          f" latency {args.base} s + {args.per100 * 1000:.0f} ms/100 output tokens")
    print(f"{'concurrency':>11} {'wall s':>8} {'ideal s':>8} {'ideal/wall':>10} {'calls':>6}"
          f" {'map/reduce/compose':>18} {'in-tok/article-tok':>19} {'re-run calls':>12}")
    shares: dict[str, int] = {}
    for workers in [int(c) for c in args.concurrency.split(",")]:
        llm = LLMSettings(model="gpt-4o-mini", api_key=SecretStr("bench"), max_concurrency=workers,
                          chunk_tokens=args.chunk_tokens, datamark=args.datamark,
                          max_retries=0, timeout=120)
        with tempfile.TemporaryDirectory() as tmp:
            cache = Path(tmp) / "brief.db"
            tok.count("warm up")  # load the encoding before the clock starts
            wall, backend, calls_made = run(developments, llm, script, cache)
            sent = sum(tok.count(m["content"]) for body, _ in calls_made
                       for m in body["messages"])
            best = ideal(calls_made, developments, workers)
            calls = backend.stats.calls
            steps = backend.stats.step_calls
            split = f"{steps['map']}/{steps['reduce']}/{steps['compose']}"
            shares = breakdown(calls_made, tok)
            _, again, _ = run(developments, llm, Script(), cache)
        print(f"{workers:>11} {wall:>8.1f} {best:>8.1f} {best / wall:>10.0%} {calls:>6}"
              f" {split:>18} {sent / article_tokens:>19.2f} {again.stats.calls:>12}")
    print("\ninput tokens per article token, by part of the request (last run; 'article"
          " text' is inside 'map'):")
    print("  " + ", ".join(f"{k} {v / article_tokens:.3f}" for k, v in shares.items()))
    print(f"\nreproduce: .venv/bin/python benchmarks/bench_llm.py --base {args.base}"
          f" --per100 {args.per100} --concurrency {args.concurrency}"
          f" --chunk-tokens {args.chunk_tokens} --datamark {args.datamark}")


if __name__ == "__main__":
    main()
