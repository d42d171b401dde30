"""The benchmark helpers: input generation, the scaling fit and the grouping score.

Only behaviour is checked here; no test looks at a time.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import bench_pipeline
import gen_inputs

from briefing.extract import extract_document
from briefing.models import Article, Development, SourceKind, SourceRef, Story
from briefing.pipeline import window
from briefing.sources import inbox


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inbox")
    gen_inputs.generate(40, folder, seed=3)
    return folder


def test_generate_writes_the_count_asked_for_and_a_hidden_manifest(generated: Path) -> None:
    pages = [p for p in generated.iterdir() if not p.name.startswith(".")]
    manifest = json.loads((generated / gen_inputs.MANIFEST).read_text())
    assert len(pages) == 40
    assert sorted(e["file"] for e in manifest) == sorted(p.name for p in pages)


def test_generate_is_deterministic_for_a_seed(generated: Path, tmp_path: Path) -> None:
    gen_inputs.generate(40, tmp_path, seed=3)
    for page in generated.iterdir():
        assert (tmp_path / page.name).read_bytes() == page.read_bytes()


def test_every_generated_page_extracts_and_is_dated_inside_the_day(generated: Path) -> None:
    documents, skipped = inbox.collect([generated])
    start, end = window(gen_inputs.DAY.date())
    assert not skipped and len(documents) == 40
    for document in documents:
        article = extract_document(document)
        assert article.published_at is not None
        assert start <= article.published_at < end, document.location


def test_plan_gives_several_copies_of_some_stories_and_several_stories_of_some_events(
) -> None:
    import random

    slots = gen_inputs.plan(500, random.Random(1))
    stories = {story for _, story, _ in slots}
    events = {event for event, _, _ in slots}
    assert len(slots) == 500
    assert len(events) < len(stories) < 500


@pytest.mark.parametrize(("power", "expected"), [(1.0, 1.0), (2.0, 2.0), (1.5, 1.5)])
def test_exponent_recovers_the_power_of_a_power_law(power: float, expected: float) -> None:
    sizes = [100, 1000, 10000]
    fitted = bench_pipeline.exponent(sizes, [3.0 * n**power for n in sizes])
    assert fitted == pytest.approx(expected)


def _article(name: str) -> Article:
    ref = SourceRef(kind=SourceKind.INBOX, location=f"/in/{name}")
    return Article(id=name, title=name, text=name, sources=[ref])


def test_grouping_agreement_scores_pairs_against_the_planted_events(tmp_path: Path) -> None:
    manifest = [{"file": f, "event": e} for f, e in
                [("a", 0), ("b", 0), ("c", 1), ("d", 1)]]
    (tmp_path / gen_inputs.MANIFEST).write_text(json.dumps(manifest))

    def development(*names: str) -> Development:
        return Development(id="-".join(names),
                           stories=[Story(articles=[_article(n) for n in names])])

    perfect = [development("a", "b"), development("c", "d")]
    assert bench_pipeline.grouping_agreement(perfect, tmp_path) == (1.0, 1.0)
    lumped = [development("a", "b", "c", "d")]
    precision, recall = bench_pipeline.grouping_agreement(lumped, tmp_path)
    assert precision == pytest.approx(2 / 6)
    assert recall == 1.0
    split = [development("a"), development("b"), development("c", "d")]
    assert bench_pipeline.grouping_agreement(split, tmp_path) == (1.0, 0.5)


def test_partial_report_reads_finished_stages_from_the_worker_log(tmp_path: Path) -> None:
    log = tmp_path / "pipeline.log"
    log.write_text("collect: 1.50 s, peak RSS 100 MiB\nsome warning\n"
                   "extract: 20.25 s, peak RSS 300 MiB\n")
    report = bench_pipeline.partial_report(log, 330)
    assert report["seconds"] == {"collect": 1.5, "extract": 20.25}
    assert report["peak"]["extract"] == 300 << 20
    assert report["stopped_after"] == 330


def test_table_layout_pages_hold_the_story_loose_in_a_cell(generated: Path) -> None:
    manifest = json.loads((generated / gen_inputs.MANIFEST).read_text())
    tables = [generated / e["file"] for e in manifest if e["layout"] == "table"]
    assert tables
    for page in tables:
        html = page.read_text()
        assert '<td valign="top" width="70%"><h1>' in html
        assert '<div class="story">' not in html


class _Raw:
    def __init__(self, size: int) -> None:
        self.content = b"x" * size


def test_streamed_tracks_raw_bytes_in_flight_and_the_most_at_once() -> None:
    held = [0, 0]
    stream = bench_pipeline.streamed([_Raw(10), _Raw(30), _Raw(5)], held)
    first = next(stream)
    assert held == [10, 10]
    held[0] -= len(first.content)  # the consumer is done with the first page
    list(stream)
    assert held == [35, 35]


def test_descendants_lists_a_child_process_and_the_sampler_sees_its_memory() -> None:
    import os
    import subprocess

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert child.pid in bench_pipeline.descendants(os.getpid())
        sampler = bench_pipeline.TreeSampler()
        sampler.sample()
        assert child.pid in sampler.pids
        assert sampler.peak > 0
    finally:
        child.kill()
        child.wait()
