"""Offline pipeline scaling: 100, 1,000 and 10,000 articles, stage by stage, with references.

For each size, in a fresh subprocess each (so peak RSS belongs to that run alone):

* **pipeline**: the stages of ``run_today`` called in the same order on the same data:
  read+extract (``inbox.iter_documents`` streamed into ``extract_many`` on the worker
  count brief would use, cores up to 4) with ``Store.put`` per result -> select ->
  group -> extractive summary -> verify -> compose -> render md, html, pdf; each timed,
  with main-process peak RSS after each stage and the memory (PSS) of the whole process
  tree, extraction workers included, sampled in the background;
* **single worker**: read+extract alone through ``extract_many(..., 1)``, for reference;
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
import threading
import time
from collections.abc import Callable, Iterable, Iterator
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
STAGES = ("read_extract", "store", "select", "group", "summary", "verify", "compose",
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
        self.cpu: dict[str, float] = {}  # this process's CPU seconds (all its threads)
        self.peak: dict[str, int] = {}
        self.rss: dict[str, int] = {}

    def run(self, stage: str, call: Callable[[], Any]) -> Any:
        start, cpu = time.perf_counter(), time.process_time()
        result = call()
        self.add(stage, time.perf_counter() - start, time.process_time() - cpu)
        self.report(stage)
        return result

    def report(self, stage: str) -> None:
        """A progress line in the worker's log (read back if the worker is stopped)."""
        print(f"{stage}: {self.seconds[stage]:.2f} s, peak RSS {self.peak[stage] >> 20} MiB",
              file=sys.stderr, flush=True)

    def add(self, stage: str, seconds: float, cpu: float = 0.0) -> None:
        self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds
        self.cpu[stage] = self.cpu.get(stage, 0.0) + cpu
        self.peak[stage] = peak_rss()
        self.rss[stage] = current_rss()


class TreeSampler(threading.Thread):
    """Memory and CPU of this process and all its descendants, sampled in the background.

    Extraction runs on worker processes (children of a forkserver), which this process's
    own peak RSS does not see. Every ``interval`` seconds the sampler sums the PSS
    (proportional set size: shared pages split between the processes that share them,
    so copy-on-write pages are not counted twice) of the whole tree, and keeps each
    descendant's last CPU time.
    """

    def __init__(self, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.peak = 0
        self.cpu: dict[int, float] = {}
        self.pids: set[int] = set()
        self._halt = threading.Event()
        self._tick = os.sysconf("SC_CLK_TCK")

    def run(self) -> None:
        while not self._halt.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self._halt.set()
        self.join()
        self.sample()

    def sample(self) -> None:
        total = 0
        me = os.getpid()
        for pid in descendants(me):
            total += _pss(pid)
            if pid != me:
                self.pids.add(pid)
                seconds = _cpu_seconds(pid, self._tick)
                if seconds is not None:
                    self.cpu[pid] = seconds
        self.peak = max(self.peak, total)

    def descendants_cpu(self) -> float:
        """CPU seconds (user + system) of every descendant seen, as last sampled."""
        return sum(self.cpu.values())


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (Linux /proc children lists)."""
    found = [pid]
    for current in found:
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    found.extend(int(c) for c in children.read().split())
        except OSError:  # gone between listing and reading
            continue
    return found


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _cpu_seconds(pid: int, tick: int) -> float | None:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / tick  # utime, stime


def self_cpu() -> float:
    """This process's CPU seconds, user + system."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def streamed(documents: Iterable[Any], held: list[int]) -> Iterator[Any]:
    """Pass documents through, adding each one's raw bytes to ``held[0]`` (and the max)."""
    for document in documents:
        held[0] += len(document.content)
        held[1] = max(held[1], held[0])
        yield document


def pipeline_worker(inbox_dir: Path, work: Path, workers: int) -> dict[str, Any]:
    """Run the offline pipeline's stages on one inbox, timing each; mirrors run_today.

    Reading and extraction are one stage, as in ``gather``: ``iter_documents`` streams
    the inbox into ``extract_many`` on ``workers`` processes; each result is stored with
    ``Store.put`` as it arrives. Time spent inside ``Store.put`` is the store stage; the
    rest of that loop is read+extract (reading, the workers' extraction not overlapped
    with storing, and the hand-over).
    """
    from briefing import language
    from briefing.backends.extractive import ExtractiveBackend
    from briefing.compose import compose
    from briefing.errors import SourceError
    from briefing.extract import extract_many
    from briefing.group import group
    from briefing.models import Coverage, Skipped, SummaryOptions
    from briefing.prepare import select, window
    from briefing.render import render
    from briefing.sources import inbox
    from briefing.store import Store
    from briefing.verify import verify, widen_citations

    logging.disable(logging.WARNING)  # the injection pages warn; not what we time
    sampler = TreeSampler()
    sampler.start()
    timer = Timer()
    rss_start = current_rss()
    wall = time.perf_counter()
    language.preload()  # as prepare_day does: the model loads while the inbox is read
    start, end = window(DAY, hours=24)
    db = work / "brief.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    skipped: list[Skipped] = []
    ids: list[str] = []
    held = [0, 0]  # raw page bytes read but not yet extracted: now, most at once
    documents = 0
    with Store(db) as store:
        loop, loop_cpu = time.perf_counter(), time.process_time()
        put = put_cpu = 0.0
        source = streamed(inbox.iter_documents([inbox_dir], skipped), held)
        for document, outcome in extract_many(source, workers):
            documents += 1
            held[0] -= len(document.content)
            if isinstance(outcome, SourceError):
                skipped.append(Skipped(location=document.location, reason=str(outcome)))
                continue
            t0, c0 = time.perf_counter(), time.process_time()
            article_id, _ = store.put(outcome)
            put += time.perf_counter() - t0
            put_cpu += time.process_time() - c0
            ids.append(article_id)
        timer.add("read_extract", time.perf_counter() - loop - put,
                  time.process_time() - loop_cpu - put_cpu)
        timer.report("read_extract")
        rss_extracted = current_rss()
        timer.add("store", put, put_cpu)
        candidates = timer.run("store", lambda: store.articles(
            [*ids, *(a.id for a in store.in_window(start, end))]))
    extract_cpu = self_cpu() + sampler.descendants_cpu()
    articles, out_of_window = timer.run("select", lambda: select(candidates, start, end))
    developments = timer.run("group", lambda: group(articles))
    found = len(developments)
    precision, recall = grouping_agreement(developments, inbox_dir)
    developments, notes = _leading(developments)
    summary = timer.run("summary", lambda: ExtractiveBackend().summarise(
        developments, SummaryOptions(takeaways=5, date=DAY.isoformat())))
    summary = timer.run("verify", lambda: widen_citations(
        verify(summary, articles, "drop"), developments))
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
    sampler.stop()
    return {
        "group_precision": precision, "group_recall": recall,
        "workers": workers, "worker_processes": len(sampler.pids),
        "files": documents + len(skipped),
        "documents": documents, "skipped": len(skipped), "articles": len(articles),
        "stored": len(candidates), "developments": len(developments),
        "developments_found": found,
        "stories": sum(len(d.stories) for d in developments),
        "sources_listed": len(sitrep.sources),
        "sizes": {fmt: p.stat().st_size for fmt, p in paths.items()},
        "pdf_pages": _pdf_pages(paths.get("pdf")),
        "seconds": timer.seconds, "cpu": timer.cpu, "peak": timer.peak, "rss": timer.rss, "total": total,
        "held_bytes_max": held[1], "rss_start": rss_start, "rss_extracted": rss_extracted,
        "peak_rss": peak_rss(), "tree_peak_pss": sampler.peak,
        "cpu_extract": extract_cpu, "cpu_total": self_cpu() + sampler.descendants_cpu(),
    }


def extract_worker(inbox_dir: Path, workers: int) -> dict[str, Any]:
    """Read+extract alone (no store) through ``extract_many`` with ``workers`` processes."""
    from briefing.extract import extract_many
    from briefing.models import Skipped
    from briefing.sources import inbox

    logging.disable(logging.WARNING)
    sampler = TreeSampler()
    sampler.start()
    skipped: list[Skipped] = []
    count = 0
    started = time.perf_counter()
    for _ in extract_many(inbox.iter_documents([inbox_dir], skipped), workers):
        count += 1
    seconds = time.perf_counter() - started
    sampler.stop()
    return {"workers": workers, "documents": count, "seconds": seconds,
            "cpu": self_cpu() + sampler.descendants_cpu(), "tree_peak_pss": sampler.peak,
            "peak_rss": peak_rss()}


def _leading(developments: list[Any]) -> tuple[list[Any], list[str]]:
    """prepare_day's cut to the leading developments (``max_developments``)."""
    from briefing.config import Settings
    from briefing.prepare import leading

    shown, notes = leading(developments, Settings().max_developments)
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
    extract_cpu = 0.0
    files = sorted(p for p in inbox_dir.iterdir() if p.is_file() and not p.name.startswith("."))
    parts: list[str] = []
    extracted = summarised = 0
    for index, path in enumerate(files):
        t0 = time.perf_counter()
        c0 = time.process_time()
        text = trafilatura.extract(path.read_bytes().decode("utf-8", "replace"))
        t1 = time.perf_counter()
        extract_s += t1 - t0
        extract_cpu += time.process_time() - c0
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
        "trafilatura_cpu": extract_cpu,
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
    """The generated inbox for ``size`` (generated once, then reused).

    Generated in a child process: Linux carries a process's peak RSS over to the
    programs it starts, so generating here would show up as the workers' peak.
    """
    folder = base / f"inbox-{size}-seed{seed}-v{GENERATOR_VERSION}"
    done = folder / ".complete"
    if not done.exists():
        subprocess.run([sys.executable, str(Path(__file__).with_name("gen_inputs.py")),
                        "--count", str(size), "--out", str(folder), "--seed", str(seed)],
                       check=True, stdout=subprocess.DEVNULL)
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


def measure(sizes: list[int], base: Path, seed: int, timeout: float,
            workers: int) -> dict[str, Any]:
    """Generate, then run the pipeline, single-worker and reference workers per size."""
    results: dict[str, Any] = {"sizes": sizes, "runs": {}, "timeout": timeout,
                               "workers": workers}
    for size in sizes:
        started = time.perf_counter()
        folder = inputs(size, base, seed)
        generated = time.perf_counter() - started
        work = base / f"run-{size}"
        work.mkdir(parents=True, exist_ok=True)
        pipeline, pipeline_peak = run_child(
            ["pipeline", str(folder), str(work), "--workers", str(workers)], work, timeout)
        single, _ = run_child(["extract", str(folder), str(work), "--workers", "1"], work, 0)
        sample = 1 if size <= 1000 else max(1, size // 2000)
        reference, reference_peak = run_child(
            ["reference", str(folder), str(work), "--lexrank-sample", str(sample)], work, 0)
        pipeline["peak_rss_wait4"] = pipeline_peak
        reference["peak_rss_wait4"] = reference_peak
        page_bytes = sum(p.stat().st_size for p in folder.iterdir() if p.is_file()
                         and not p.name.startswith("."))
        results["runs"][str(size)] = {"pipeline": pipeline, "reference": reference,
                                      "single": single, "generate_seconds": generated,
                                      "input_bytes": page_bytes}
        total = pipeline.get("total")
        shown = f"{total:.1f} s" if total else f"stopped after {timeout:.0f} s"
        print(f"  {size:>6} articles: pipeline {shown}, read+extract on 1 worker "
              f"{single['seconds']:.1f} s, trafilatura {reference['trafilatura']:.1f} s, "
              f"naive {reference['naive']:.1f} s", file=sys.stderr, flush=True)
    return results


LABELS = {"read_extract": "read+extract"}


def table(results: dict[str, Any], command: str) -> str:
    """The figures as a Markdown table, each next to its goal and reference."""
    sizes = results["sizes"]
    runs = [results["runs"][str(n)] for n in sizes]
    pipes = [r["pipeline"] for r in runs]
    refs = [r["reference"] for r in runs]
    singles = [r["single"] for r in runs]
    workers = results.get("workers", 1)
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

    def rate(stage: str) -> list[float | None]:
        out: list[float | None] = []
        for p in pipes:
            count = p.get("documents" if stage == "read_extract" else "articles")
            seconds = p["seconds"].get(stage)
            out.append(count / seconds if count and seconds else None)
        return out

    def ratio(top: list[Any], bottom: list[Any]) -> list[float | None]:
        return [t / b if t and b else None for t, b in zip(top, bottom, strict=True)]

    for stage in STAGES:
        label = LABELS.get(stage, stage)
        if stage == "read_extract":
            label += f" on {workers} workers"
        row(f"{label} (s)", [p["seconds"].get(stage) for p in pipes], ".2f",
            "b ≈ 1 (not quadratic)" if stage == "group" else "")
    one = [s["seconds"] for s in singles]
    row("read+extract on 1 worker, same run (s)", one, ".2f")
    for stage in ("read_extract", "store", "group", "summary"):
        row(f"{LABELS.get(stage, stage)} (articles/s)", rate(stage), ",.0f", fit=False)
    total = [p.get("total") for p in pipes]
    traf = [r["trafilatura"] for r in refs]
    naive = [r["naive"] for r in refs]
    row("**whole pipeline (s)**", total, ".1f", f"< {GOAL_SECONDS_10K:.0f} s at 10,000; b ≈ 1")
    for p, n in zip(pipes, sizes, strict=True):
        if "stopped_after" in p:
            done = [LABELS.get(s, s) for s in STAGES if s in p["seconds"]]
            lines.append(f"| ↳ {n:,}: stopped after {p['stopped_after']:.0f} s, "
                         f"finished: {', '.join(done) or 'nothing'} | | | | |")
    row("reference: trafilatura.extract alone, 1 process (s)", traf, ".1f")
    row("reference: naive trafilatura + LexRank + concat (s)", naive, ".1f")
    row("**pipeline / trafilatura alone (wall)**", ratio(total, traf), ".2f",
        f"≤ {GOAL_RATIO:.1f}", fit=False)
    row("pipeline CPU, all processes / trafilatura CPU",
        ratio([p.get("cpu_total") for p in pipes], [r["trafilatura_cpu"] for r in refs]),
        ".2f", fit=False)
    for stage in ("read_extract", "summary", "render_pdf"):
        row(f"CPU of {LABELS.get(stage, stage)}, main process (s)",
            [p.get("cpu", {}).get(stage) for p in pipes], ".2f", fit=False)
    without_pdf = [t - p["seconds"]["render_pdf"] if t and "render_pdf" in p["seconds"]
                   else None for t, p in zip(total, pipes, strict=True)]
    row("pipeline without the PDF / trafilatura alone (wall)", ratio(without_pdf, traf),
        ".2f", fit=False)
    extract = [p["seconds"].get("read_extract") for p in pipes]
    row(f"read+extract on {workers} workers / trafilatura alone", ratio(extract, traf), ".2f",
        fit=False)
    row("read+extract on 1 worker / trafilatura alone", ratio(one, traf), ".2f", fit=False)
    row(f"speed-up of read+extract, 1 → {workers} workers", ratio(one, extract), ".2f",
        fit=False)
    row("pipeline / naive script (wall)", ratio(total, naive), ".2f", fit=False)
    complete = all("total" in p for p in pipes)
    row("**peak memory, pipeline incl. extraction workers (MiB, PSS)**",
        [p["tree_peak_pss"] / mib if "tree_peak_pss" in p else None for p in pipes], ",.0f",
        "< 2,048 at 10,000", fit=complete)
    row("peak RSS, pipeline main process (MiB)", [p["peak_rss_wait4"] / mib for p in pipes],
        ",.0f", fit=complete)  # a stopped run's peak is partial
    for stage in ("read_extract", "store", "group", "summary", "render_pdf"):
        row(f"main-process peak RSS at end of {LABELS.get(stage, stage)} (MiB)",
            [p["peak"][stage] / mib if stage in p["peak"] else None for p in pipes], ",.0f",
            fit=False)
    row("peak memory, read+extract on 1 worker (MiB, PSS)",
        [s["tree_peak_pss"] / mib for s in singles], ",.0f", fit=False)
    row("peak RSS, naive script (MiB)", [r["peak_rss_wait4"] / mib for r in refs], ",.0f",
        fit=False)
    row("most raw page bytes held at once (MiB)",
        [p["held_bytes_max"] / mib if "held_bytes_max" in p else None for p in pipes], ",.1f",
        "only what a stage needs", fit=False)
    row("all raw page bytes, for comparison (MiB)", [r["input_bytes"] / mib for r in runs],
        ",.0f", fit=False)

    def text_row(label: str, cell: Any) -> None:
        lines.append(f"| {label} | " + " | ".join(
            cell(p) if "total" in p else "—" for p in pipes) + " | | |")

    text_row("files / skipped", lambda p: f"{p['files']:,} / {p['skipped']:,}")
    text_row("developments found / shown / articles",
             lambda p: f"{p.get('developments_found', p['developments']):,} / "
             f"{p['developments']:,} / {p['articles']:,}")
    text_row("grouping vs planted events (separable by construction: speed run, not quality;"
             " quality is bench_grouping.py on DUC 2006): pairwise precision / recall",
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
                        choices=["bench", "pipeline", "extract", "reference"])
    parser.add_argument("inbox", nargs="?", type=Path)
    parser.add_argument("work", nargs="?", type=Path)
    parser.add_argument("--sizes", default="100,1000,10000",
                        help="comma-separated article counts (default 100,1000,10000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=0,
                        help="extraction processes (default 0: as brief, cores up to 4)")
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/brief-bench"),
                        help="where inputs are cached and runs write (default /tmp/brief-bench)")
    parser.add_argument("--timeout", type=float, default=420,
                        help="stop a pipeline run after this many seconds (0: never)")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--report", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--lexrank-sample", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.workers:
        from briefing.config import Settings

        args.workers = Settings().resolved_workers()
    if args.mode == "pipeline":
        args.report.write_text(json.dumps(pipeline_worker(args.inbox, args.work, args.workers)))
        return 0
    if args.mode == "extract":
        args.report.write_text(json.dumps(extract_worker(args.inbox, args.workers)))
        return 0
    if args.mode == "reference":
        report = reference_worker(args.inbox, args.work, args.lexrank_sample)
        args.report.write_text(json.dumps(report))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    command = (".venv/bin/python benchmarks/bench_pipeline.py --sizes "
               f"{args.sizes} --timeout {args.timeout:g}")
    results = measure(sizes, args.work_dir, args.seed, args.timeout, args.workers)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    print(table(results, command))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
