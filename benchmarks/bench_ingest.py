"""Ingest throughput: N feeds x M new items on a local server with added latency.

Every feed lives on its own host name (feed000.bench, feed001.bench, ...). The names
are resolved by the benchmark's resolver to 127.0.0.1, where one threaded server
answers all of them by Host header, so the fetcher sees N distinct hosts and holds its
per-host politeness (one request in flight, ``--delay`` seconds apart) for each. The
server checks that politeness from its side and the script prints what it saw.

    .venv/bin/python benchmarks/bench_ingest.py            # 200 feeds x 20 items, 50 ms
    .venv/bin/python benchmarks/bench_ingest.py --feeds 20 --items 5
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from servers import Reply, TestServer, article_page, resolver_for, rss, story  # noqa: E402

from briefing.config import FetchSettings, Settings, SourceConfig  # noqa: E402
from briefing.ingest import MAX_WORKERS, SourceStatus, ingest  # noqa: E402
from briefing.store import Store  # noqa: E402


def publish(server: TestServer, feeds: int, items: int) -> list[str]:
    """Routes for every feed host; returns the host names."""
    hosts = [f"feed{n:03d}.bench" for n in range(feeds)]
    now = datetime.now(UTC)
    for n, host in enumerate(hosts):
        entries = []
        for i in range(items):
            when = now - timedelta(minutes=5 * i + 1)
            path = f"/a/{i}"
            page = article_page(
                f"Report {n}-{i}", story(f"feed {n} item {i}", 6), published=when.isoformat()
            )
            server.route(path, Reply(body=page), host=host)
            entries.append(
                {
                    "title": f"Report {n}-{i}",
                    "link": path,
                    "guid": f"{host}{path}",
                    "pubDate": format_datetime(when, usegmt=True),
                    "description": f"Summary of report {n}-{i}.",
                }
            )
        server.route(
            "/feed.xml",
            Reply(body=rss(entries), headers={"Content-Type": "application/rss+xml"}),
            host=host,
        )
    return hosts


def serve(feeds: int, items: int, latency: float, conn: Connection) -> None:
    """The server process: publish, report the port, serve until told, send the stats."""
    with TestServer(latency=latency) as server:
        publish(server, feeds, items)
        conn.send(server.port)
        conn.recv()  # "stop"
        per_host: dict[str, list[tuple[float, float]]] = {}
        for request in server.log:
            per_host.setdefault(request.host, []).append((request.started, request.ended))
        gaps = [
            b[0] - a[1] for spans in per_host.values() for a, b in itertools.pairwise(sorted(spans))
        ]
        conn.send((max(server.max_in_flight.values()), min(gaps), len(server.log)))


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per response")
    parser.add_argument("--delay", type=float, default=1.0, help="per-host delay (seconds)")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight")
    args = parser.parse_args()

    load_start = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    # The server runs in its own process so it does not share the ingest's interpreter.
    ours, theirs = multiprocessing.Pipe()
    child = multiprocessing.get_context("spawn").Process(
        target=serve, args=(args.feeds, args.items, args.latency, theirs), daemon=True
    )
    child.start()
    port = ours.recv()
    hosts = [f"feed{n:03d}.bench" for n in range(args.feeds)]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            db_path=Path(tmp) / "bench.db",
            sources=[
                SourceConfig(url=f"http://{h}:{port}/feed.xml", name=h, allow_private=True)
                for h in hosts
            ],
            fetch=FetchSettings(
                per_host_delay=args.delay, max_concurrency=args.concurrency, total_timeout=600.0
            ),
        )
        resolver = resolver_for(dict.fromkeys(hosts, "127.0.0.1"))
        with Store(settings.db_path) as store:
            started, cpu = time.perf_counter(), time.process_time()
            report = ingest(settings, store, resolver=resolver)
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            stored = store.count()
    ours.send("stop")
    max_in_flight, min_gap, served = ours.recv()
    child.join(5)

    load_end = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    ok = sum(1 for s in report.sources if s.status is SourceStatus.OK)
    expected = args.feeds * args.items
    print(
        f"brief ingest benchmark — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC,"
        f" {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(
        f"feeds: {args.feeds} x {args.items} new items, server latency"
        f" {args.latency * 1000:.0f} ms, per-host delay {args.delay:g} s,"
        f" {args.concurrency} requests in flight"
    )
    print("hosts: distinct names resolved to 127.0.0.1 (one server process, Host-header routing)")
    print(
        f"wall time: {wall:.1f} s  ({expected / wall:.0f} articles/s); CPU in the main"
        f" process {cpu:.1f} s (extraction runs in {min(os.cpu_count() or 1, MAX_WORKERS)}"
        " worker processes)"
    )
    print(
        f"articles stored: {stored} of {expected}; sources ok: {ok} of {args.feeds};"
        f" requests: {report.requests} sent, {served} served"
    )
    print(
        f"politeness (seen by the server): max in flight per host {max_in_flight},"
        f" smallest gap between requests to one host {min_gap:.3f} s"
    )
    print(f"load average (1, 5, 15 min) at start: {load_start}; at end: {load_end}")
    print(
        "reproduce: .venv/bin/python benchmarks/bench_ingest.py"
        f" --feeds {args.feeds} --items {args.items} --latency {args.latency:g}"
        f" --delay {args.delay:g} --concurrency {args.concurrency}"
    )


if __name__ == "__main__":
    main()
