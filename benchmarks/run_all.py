"""Run every benchmark in turn and print one report (what `make bench` calls).

Order: machine description; start-up and rendering (bench_startup.py); offline pipeline
scaling (bench_pipeline.py); then, when they exist, the LLM-path benchmark
(bench_llm.py) and the feed-ingest benchmark (bench_ingest.py), which other parts of
the project own. Each runs in its own process; a missing or failing one is reported as
"not measured" with its reason, and the rest still run. The report is printed and also
written to ``--out`` (default /tmp/brief-bench/results.md).

    .venv/bin/python benchmarks/run_all.py                      # everything, ~7 min
    .venv/bin/python benchmarks/run_all.py --sizes 100,1000     # quick: ~2 min
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def machine() -> str:
    """Date, CPU count, memory, Python and load: the context every figure needs."""
    with open("/proc/meminfo") as meminfo:
        total_kib = int(meminfo.readline().split()[1])
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    try:  # the code measured: the commit, and whether the work tree differs from it
        commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT,
                                capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return (f"- code: {commit}\n"
            f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n"
            f"- machine: nproc {os.cpu_count()}, {cpu}, {total_kib / 1024**2:.1f} GiB memory\n"
            f"- Python {platform.python_version()} on {platform.system()} {platform.release()}\n"
            f"- load average at start (1, 5, 15 min): {load}")


def run(title: str, script: str, args: list[str], timeout: float) -> str:
    """One benchmark's output as a report section; never raises."""
    path = HERE / script
    if not path.exists():
        return f"## {title}\n\nnot yet measured: {script} does not exist.\n"
    start = time.perf_counter()
    print(f"running {script} {' '.join(args)}", file=sys.stderr, flush=True)
    try:
        done = subprocess.run([sys.executable, str(path), *args], capture_output=True,
                              text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return f"## {title}\n\nnot measured: {script} did not finish in {timeout:.0f} s.\n"
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        return (f"## {title}\n\nnot measured: {script} exited with {done.returncode}:\n\n"
                f"```\n{tail}\n```\n")
    return f"## {title}\n\n{done.stdout.strip()}\n\n({script} took {seconds:.0f} s)\n"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks, print the report and save it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000",
                        help="article counts for the pipeline benchmark")
    parser.add_argument("--timeout", type=float, default=420,
                        help="stop each pipeline run after this many seconds (0: never)")
    parser.add_argument("--repeat", type=int, default=10, help="runs per start-up figure")
    parser.add_argument("--out", type=Path, default=Path("/tmp/brief-bench/results.md"))
    args = parser.parse_args(argv)
    start = time.perf_counter()
    sections = [
        "# brief benchmark results\n\n" + machine() + "\n",
        run("Start-up and rendering", "bench_startup.py", ["--repeat", str(args.repeat)], 300),
        run("Offline pipeline scaling", "bench_pipeline.py", ["--sizes", args.sizes, "--timeout", str(args.timeout)], 1500),
        run("LLM path against a latency-simulating server", "bench_llm.py", [], 600),
        run("Feed ingest", "bench_ingest.py", [], 600),
        run("Prompt-injection corpus (issue 12)", "bench_injection.py", [], 600),
    ]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    sections.append(f"Total benchmark time: {time.perf_counter() - start:.0f} s; "
                    f"load average at end: {load}.\n\nReproduce: "
                    f"`.venv/bin/python benchmarks/run_all.py --sizes {args.sizes}`\n")
    report = "\n".join(sections)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report)
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
