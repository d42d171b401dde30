"""Offline pipeline scaling: 100, 1,000 and 10,000 articles, stage by stage, with references.

For each size, in a fresh subprocess each (so peak RSS belongs to that run alone):

* **pipeline**: the stages of ``run_today`` called in the same order on the same data
  (collect -> extract -> store -> select -> group -> extractive summary -> compose ->
  render md, html, pdf), each timed, with peak RSS after each stage;
* **reference**: trafilatura's ``extract()`` alone over the same files, read one at a
  time (the floor of what an extract stage can cost), and the naive script a user might
  write instead: trafilatura + sumy LexRank (3 sentences per article) + concatenation.
  sumy's own tokenizer needs NLTK's punkt data, which cannot be downloaded here, so
  LexRank is fed sentences from ``briefing.text.split_sentences`` (syntok) and words
  from ``briefing.text.words`` through a small tokenizer adapter. For large sizes
  LexRank can be timed on a 1-in-K sample and scaled by K (``--lexrank-sample``); the
  table says when it was.

Then it fits the scaling exponent b of ``time = a * N**b`` over the sizes, and prints a
table with each figure next to its goal. Inputs come from ``gen_inputs.py`` and are
cached in the work folder.

    .venv/bin/python benchmarks/bench_pipeline.py                 # 100, 1000, 10000
    .venv/bin/python benchmarks/bench_pipeline.py --sizes 100,1000  # quick run
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import re
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

DAY = date(2026, 11, 24)
GOAL_RATIO = 2.0  # whole offline pipeline / trafilatura extraction alone
GOAL_SECONDS_10K = 300.0
GOAL_RSS_10K = 2 * 1024**3
GENERATOR_VERSION = 3  # bump when gen_inputs.py changes what it writes
STAGES = ("collect", "extract", "store", "select", "group", "summary", "compose",
          "render_md", "render_html", "render_pdf")


def peak_rss() -> int:
    """This process's peak resident set size in bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def current_rss() -> int:
    """This process's resident set size now, in bytes."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class Timer:
    """Per-stage wall time, and peak/current RSS at the end of each stage."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.peak: dict[str, int] = {}
        self.rss: dict[str, int] = {}

    def run(self, stage: str, call: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        result = call()
        self.add(stage, time.perf_counter() - start)
        self.report(stage)
        return result

    def report(self, stage: str) -> None:
        """A progress line in the worker's log (read back if the worker is stopped)."""
        print(f"{stage}: {self.seconds[stage]:.2f} s, peak RSS {self.peak[stage] >> 20} MiB",
              file=sys.stderr, flush=True)

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds
        self.peak[stage] = peak_rss()
        self.rss[stage] = current_rss()


def pipeline_worker(inbox_dir: Path, work: Path) -> dict[str, Any]:
    """Run the offline pipeline's stages on one inbox, timing each; mirrors run_today."""
    from briefing.backends.extractive import ExtractiveBackend
    from briefing.compose import compose
    from briefing.errors import SourceError
    from briefing.extract import extract_document
    from briefing.group import group
    from briefing.models import Coverage, Skipped, SummaryOptions
    from briefing.pipeline import select, window
    from briefing.render import render
    from briefing.sources import inbox
    from briefing.store import Store

    logging.disable(logging.WARNING)  # the injection pages warn; not what we time
    timer = Timer()
    rss_start = current_rss()
    wall = time.perf_counter()
    documents, skipped = timer.run("collect", lambda: inbox.collect([inbox_dir]))
    held = sum(len(d.content) for d in documents)
    files = len(documents) + len(skipped)
    rss_collected = current_rss()
    start, end = window(DAY, hours=24)
    db = work / "brief.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    ids: list[str] = []
    with Store(db) as store:
        for document in documents:
            t0 = time.perf_counter()
            try:
                article = extract_document(document)
            except SourceError as exc:
                skipped.append(Skipped(location=document.location, reason=str(exc)))
                timer.add("extract", time.perf_counter() - t0)
                continue
            t1 = time.perf_counter()
            stored, _ = store.add(article)
            ids.append(stored.id)
            t2 = time.perf_counter()
            timer.add("extract", t1 - t0)
            timer.add("store", t2 - t1)
        timer.report("extract")
        candidates = timer.run("store", lambda: store.articles(
            [*ids, *(a.id for a in store.in_window(start, end))]))
    articles, out_of_window = timer.run("select", lambda: select(candidates, start, end))
    developments = timer.run("group", lambda: group(articles))
    found = len(developments)
    precision, recall = grouping_agreement(developments, inbox_dir)
    developments, notes = _leading(developments)
    summary = timer.run("summary", lambda: ExtractiveBackend().summarise(
        developments, SummaryOptions(takeaways=5, date=DAY.isoformat())))
    coverage = Coverage(articles_read=len(candidates) + len(skipped),
                        out_of_window=out_of_window, skipped=skipped, notes=notes)
    sitrep = timer.run("compose", lambda: compose(
        summary, developments, coverage, title=f"Situation Report — {DAY}",
        date=DAY.isoformat(), period=(start, end), generated_at=datetime.now(UTC)))
    out = work / "out"
    paths: dict[str, Path] = {}
    for fmt in ("md", "html", "pdf"):
        paths.update(timer.run(f"render_{fmt}", partial(render, sitrep, [fmt], out)))
    total = time.perf_counter() - wall
    return {
        "group_precision": precision, "group_recall": recall,
        "files": files,
        "documents": len(documents), "skipped": len(skipped), "articles": len(articles),
        "stored": len(candidates), "developments": len(developments),
        "developments_found": found,
        "stories": sum(len(d.stories) for d in developments),
        "sources_listed": len(sitrep.sources),
        "sizes": {fmt: p.stat().st_size for fmt, p in paths.items()},
        "pdf_pages": _pdf_pages(paths.get("pdf")),
        "seconds": timer.seconds, "peak": timer.peak, "rss": timer.rss, "total": total,
        "held_bytes": held, "rss_start": rss_start, "rss_collected": rss_collected,
        "peak_rss": peak_rss(),
    }


def _leading(developments: list[Any]) -> tuple[list[Any], list[str]]:
    """run_today's cut to the leading developments (max_developments), when it has one."""
    from briefing import pipeline
    from briefing.config import Settings

    leading = getattr(pipeline, "_leading", None)
    limit = getattr(Settings(), "max_developments", None)
    if leading is None or limit is None:
        return developments, []
    shown, notes = leading(developments, limit)
    return list(shown), list(notes)


def grouping_agreement(developments: list[Any], inbox_dir: Path) -> tuple[float, float]:
    """Pairwise precision and recall of developments against the planted events.

    Precision: of the pairs of files put in one development, the share that report one
    planted event; recall: of the pairs of files reporting one event, the share grouped.
    """
    from gen_inputs import MANIFEST

    manifest = json.loads((inbox_dir / MANIFEST).read_text())
    event_of = {entry["file"]: entry["event"] for entry in manifest}
    cells: dict[tuple[int, int], int] = {}
    for number, development in enumerate(developments):
        for article in development.articles:
            for source in article.sources:
                event = event_of.get(Path(source.location).name)
                if event is not None:
                    cells[number, event] = cells.get((number, event), 0) + 1
    by_development: dict[int, int] = {}
    by_event: dict[int, int] = {}
    for (number, event), count in cells.items():
        by_development[number] = by_development.get(number, 0) + count
        by_event[event] = by_event.get(event, 0) + count

    def pairs(counts: Any) -> int:
        return sum(c * (c - 1) // 2 for c in counts)

    both = pairs(cells.values())
    grouped, same_event = pairs(by_development.values()), pairs(by_event.values())
    return (both / grouped if grouped else 1.0), (both / same_event if same_event else 1.0)


def _pdf_pages(path: Path | None) -> int | None:
    if path is None:
        return None
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    return len(PdfReader(str(path)).pages)


class SyntokTokenizer:
    """sumy's tokenizer interface on syntok (sumy's default one needs NLTK punkt data)."""

    language = "english"

    def to_sentences(self, paragraph: str) -> list[str]:
        from briefing.text import split_sentences

        return split_sentences(paragraph)

    def to_words(self, sentence: str) -> list[str]:
        from briefing.text import words

        return words(sentence)


def reference_worker(inbox_dir: Path, work: Path, lexrank_sample: int) -> dict[str, Any]:
    """trafilatura alone, then the naive script: trafilatura + LexRank + concatenation."""
    import trafilatura
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    logging.disable(logging.WARNING)
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    tokenizer = SyntokTokenizer()
    extract_s = lexrank_s = concat_s = 0.0
    files = sorted(p for p in inbox_dir.iterdir() if p.is_file() and not p.name.startswith("."))
    parts: list[str] = []
    extracted = summarised = 0
    for index, path in enumerate(files):
        t0 = time.perf_counter()
        text = trafilatura.extract(path.read_bytes().decode("utf-8", "replace"))
        t1 = time.perf_counter()
        extract_s += t1 - t0
        if not text:
            continue
        extracted += 1
        if index % lexrank_sample:
            continue
        document = PlaintextParser.from_string(text, tokenizer).document
        sentences = summarizer(document, 3)
        t2 = time.perf_counter()
        lexrank_s += t2 - t1
        summarised += 1
        parts.append(f"## {path.stem}\n\n" + " ".join(str(s) for s in sentences))
        concat_s += time.perf_counter() - t2
    t3 = time.perf_counter()
    (work / "naive.md").write_text("\n\n".join(parts))
    concat_s += time.perf_counter() - t3
    return {
        "files": len(files), "extracted": extracted, "summarised": summarised,
        "lexrank_sample": lexrank_sample, "trafilatura": extract_s,
        "lexrank": lexrank_s * lexrank_sample, "concat": concat_s * lexrank_sample,
        "naive": extract_s + (lexrank_s + concat_s) * lexrank_sample, "peak_rss": peak_rss(),
    }


def run_child(args: list[str], work: Path, timeout: float) -> tuple[dict[str, Any], int]:
    """Run this script as a worker in a fresh process; its report and its own peak RSS.

    A worker still running after ``timeout`` seconds (0: no limit) is stopped; its report
    then holds the stages it finished (from its log) and ``stopped_after``.
    """
    report = work / f"report-{args[0]}.json"
    report.unlink(missing_ok=True)
    log_path = work / f"{args[0]}.log"
    started = time.perf_counter()
    with open(log_path, "w") as log:
        child = subprocess.Popen([sys.executable, __file__, *args, "--report", str(report)],
                                 stdout=log, stderr=subprocess.STDOUT, cwd=work)
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                child.returncode = os.waitstatus_to_exitcode(status)
                break
            if timeout and time.perf_counter() - started > timeout:
                child.kill()
                _, status, usage = os.wait4(child.pid, 0)
                child.returncode = None
                break
            time.sleep(0.2)
    if child.returncode is None:
        return partial_report(log_path, timeout), usage.ru_maxrss * 1024
    if child.returncode != 0:
        raise RuntimeError(f"worker {args} failed; see {log_path}")
    return json.loads(report.read_text()), usage.ru_maxrss * 1024


def partial_report(log_path: Path, timeout: float) -> dict[str, Any]:
    """What a stopped pipeline worker had finished, from its progress lines."""
    seconds: dict[str, float] = {}
    peak: dict[str, int] = {}
    for line in log_path.read_text().splitlines():
        found = re.match(r"(\w+): ([\d.]+) s, peak RSS (\d+) MiB", line)
        if found:
            seconds[found[1]] = float(found[2])
            peak[found[1]] = int(found[3]) << 20
    return {"stopped_after": timeout, "seconds": seconds, "peak": peak}


def inputs(size: int, base: Path, seed: int) -> Path:
    """The generated inbox for ``size`` (generated once, then reused)."""
    from gen_inputs import generate

    folder = base / f"inbox-{size}-seed{seed}-v{GENERATOR_VERSION}"
    done = folder / ".complete"
    if not done.exists():
        generate(size, folder, seed)
        done.write_text("ok")
    return folder


def exponent(sizes: list[int], seconds: list[float]) -> float | None:
    """Least-squares slope of log(seconds) on log(size): 1.0 is linear, 2.0 quadratic."""
    points = [(math.log(n), math.log(s)) for n, s in zip(sizes, seconds, strict=True) if s > 0]
    if len(points) < 2:
        return None
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    sxx = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else None


def measure(sizes: list[int], base: Path, seed: int, timeout: float) -> dict[str, Any]:
    """Generate, then run pipeline and reference workers for every size."""
    results: dict[str, Any] = {"sizes": sizes, "runs": {}, "timeout": timeout}
    for size in sizes:
        started = time.perf_counter()
        folder = inputs(size, base, seed)
        generated = time.perf_counter() - started
        work = base / f"run-{size}"
        work.mkdir(parents=True, exist_ok=True)
        pipeline, pipeline_peak = run_child(["pipeline", str(folder), str(work)], work, timeout)
        sample = 1 if size <= 1000 else max(1, size // 2000)
        reference, reference_peak = run_child(
            ["reference", str(folder), str(work), "--lexrank-sample", str(sample)], work, 0)
        pipeline["peak_rss_wait4"] = pipeline_peak
        reference["peak_rss_wait4"] = reference_peak
        page_bytes = sum(p.stat().st_size for p in folder.iterdir() if p.is_file()
                         and not p.name.startswith("."))
        results["runs"][str(size)] = {"pipeline": pipeline, "reference": reference,
                                      "generate_seconds": generated, "input_bytes": page_bytes}
        total = pipeline.get("total")
        shown = f"{total:.1f} s" if total else f"stopped after {timeout:.0f} s"
        print(f"  {size:>6} articles: pipeline {shown}, trafilatura "
              f"{reference['trafilatura']:.1f} s, naive {reference['naive']:.1f} s",
              file=sys.stderr, flush=True)
    return results


def table(results: dict[str, Any], command: str) -> str:
    """The figures as a Markdown table, each next to its goal and reference."""
    sizes = results["sizes"]
    runs = [results["runs"][str(n)] for n in sizes]
    pipes = [r["pipeline"] for r in runs]
    refs = [r["reference"] for r in runs]
    mib = 1024**2
    lines = ["| | " + " | ".join(f"{n:,} articles" for n in sizes) + " | exponent b | goal |",
             "|---|" + "---:|" * len(sizes) + "---:|---|"]

    def row(label: str, values: list[float | None], fmt: str, goal: str = "",
            fit: bool = True) -> None:
        known = [(n, v) for n, v in zip(sizes, values, strict=True) if v is not None]
        b = exponent([n for n, _ in known], [v for _, v in known]) if fit and len(
            known) == len(sizes) > 1 else None
        cells = " | ".join("—" if v is None else format(v, fmt) for v in values)
        lines.append(f"| {label} | {cells} | {'' if b is None else f'{b:.2f}'} | {goal} |")

    def stage_seconds(stage: str) -> list[float | None]:
        return [p["seconds"].get(stage) for p in pipes]

    def rate(stage: str) -> list[float | None]:
        out: list[float | None] = []
        for p in pipes:
            count = p.get("documents" if stage in ("collect", "extract") else "articles")
            seconds = p["seconds"].get(stage)
            out.append(count / seconds if count and seconds else None)
        return out

    for stage in STAGES:
        row(f"{stage} (s)", stage_seconds(stage), ".2f",
            "b ≈ 1 (not quadratic)" if stage == "group" else "")
    for stage in ("extract", "store", "group", "summary"):
        row(f"{stage} (articles/s)", rate(stage), ",.0f", fit=False)
    total = [p.get("total") for p in pipes]
    traf = [r["trafilatura"] for r in refs]
    naive = [r["naive"] for r in refs]
    row("**whole pipeline (s)**", total, ".1f", f"< {GOAL_SECONDS_10K:.0f} s at 10,000; b ≈ 1")
    for p, n in zip(pipes, sizes, strict=True):
        if "stopped_after" in p:
            done = [s for s in STAGES if s in p["seconds"]]
            lines.append(f"| ↳ {n:,}: stopped after {p['stopped_after']:.0f} s, "
                         f"finished: {', '.join(done) or 'nothing'} | | | | |")
    row("reference: trafilatura.extract alone (s)", traf, ".1f")
    row("reference: naive trafilatura + LexRank + concat (s)", naive, ".1f")
    row("**pipeline / trafilatura alone**",
        [t / f if t else None for t, f in zip(total, traf, strict=True)], ".2f",
        f"≤ {GOAL_RATIO:.1f}", fit=False)
    row("extract stage / trafilatura alone",
        [p["seconds"].get("extract", 0) / f if "extract" in p["seconds"] else None
         for p, f in zip(pipes, traf, strict=True)], ".2f", fit=False)
    row("pipeline / naive script",
        [t / n if t else None for t, n in zip(total, naive, strict=True)], ".2f", fit=False)
    row("**peak RSS, pipeline (MiB)**", [p["peak_rss_wait4"] / mib for p in pipes], ",.0f",
        "< 2,048 at 10,000", fit=all("total" in p for p in pipes))  # a stopped run's peak is partial
    for stage in ("collect", "store", "group", "summary", "render_pdf"):
        row(f"peak RSS at end of {stage} (MiB)",
            [p["peak"][stage] / mib if stage in p["peak"] else None for p in pipes], ",.0f",
            fit=False)
    row("peak RSS, naive script (MiB)", [r["peak_rss_wait4"] / mib for r in refs], ",.0f",
        fit=False)
    row("raw page bytes held by inbox.collect (MiB)",
        [p["held_bytes"] / mib if "held_bytes" in p else None for p in pipes], ",.0f",
        "only what a stage needs", fit=False)

    def text_row(label: str, cell: Any) -> None:
        lines.append(f"| {label} | " + " | ".join(
            cell(p) if "total" in p else "—" for p in pipes) + " | | |")

    text_row("developments found / shown / articles",
             lambda p: f"{p.get('developments_found', p['developments']):,} / "
             f"{p['developments']:,} / {p['articles']:,}")
    text_row("grouping vs planted events: pairwise precision / recall",
             lambda p: f"{p['group_precision']:.2f} / {p['group_recall']:.2f}")
    text_row("sources listed / PDF pages",
             lambda p: f"{p['sources_listed']:,} / {p['pdf_pages']}")
    samples = [r["lexrank_sample"] for r in refs]
    note = ""
    if any(s > 1 for s in samples):
        note = ("\nLexRank timed on 1 in " + ", ".join(str(s) for s in samples)
                + " articles (by size) and scaled; trafilatura always on every file.")
    return "\n".join(lines) + note + f"\n\nReproduce: `{command}`"


def main(argv: list[str] | None = None) -> int:
    """Parent: measure and print; worker modes are internal."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", nargs="?", default="bench",
                        choices=["bench", "pipeline", "reference"])
    parser.add_argument("inbox", nargs="?", type=Path)
    parser.add_argument("work", nargs="?", type=Path)
    parser.add_argument("--sizes", default="100,1000,10000",
                        help="comma-separated article counts (default 100,1000,10000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/brief-bench"),
                        help="where inputs are cached and runs write (default /tmp/brief-bench)")
    parser.add_argument("--timeout", type=float, default=420,
                        help="stop a pipeline run after this many seconds (0: never)")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--report", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--lexrank-sample", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.mode == "pipeline":
        args.report.write_text(json.dumps(pipeline_worker(args.inbox, args.work)))
        return 0
    if args.mode == "reference":
        report = reference_worker(args.inbox, args.work, args.lexrank_sample)
        args.report.write_text(json.dumps(report))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    command = (".venv/bin/python benchmarks/bench_pipeline.py --sizes "
               f"{args.sizes} --timeout {args.timeout:g}")
    results = measure(sizes, args.work_dir, args.seed, args.timeout)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    print(table(results, command))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
