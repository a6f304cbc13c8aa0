"""Time `guard check --format F` on a requirements.txt of N unpinned names (one finding each).

Each run is a fresh `python -m guard check --isolated --format F --output FILE requirements.txt`;
the runs of every format (and of every source tree given with --source) are interleaved, and
the medians of wall time and of the child's CPU time (user + sys) are printed.

    python benchmarks/bench_formats.py --runs 5
    python benchmarks/bench_formats.py --runs 5 --source before=/tmp/guard-main --source after=.

A source is a directory holding a `guard` package, put first on PYTHONPATH for its runs (so an
unpacked older commit can be timed with this interpreter and its dependencies).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def write_corpus(folder: Path, names: int) -> Path:
    path = folder / "requirements.txt"
    path.write_text("".join(f"package-{number}\n" for number in range(names)), encoding="utf-8")
    return path


def run_once(python: str, source: Path, output_format: str, corpus: Path) -> tuple[float, float]:
    environment = dict(os.environ, PYTHONPATH=str(source))
    environment.pop("GUARD_FORMAT", None)
    command = [python, "-m", "guard", "check", "--isolated", "--format", output_format, "--output", str(corpus.parent / "out")]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    completed = subprocess.run([*command, corpus.name], cwd=corpus.parent, capture_output=True, env=environment)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode != 1:  # every line is a finding
        raise SystemExit(f"{' '.join(command)} exited {completed.returncode}: {completed.stderr.decode(errors='replace')}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--names", type=int, default=45_000, help="unpinned requirements in the file (default 45000)")
    parser.add_argument("--formats", default="text,json,sarif", help="comma-separated (default text,json,sarif)")
    parser.add_argument("--source", action="append", metavar="LABEL=DIR", help="a guard source tree to time (repeatable)")
    parser.add_argument("--json", action="store_true", help="print the medians as JSON")
    ns = parser.parse_args(argv)
    here = Path(__file__).resolve().parents[1]
    sources = [item.partition("=")[::2] for item in ns.source or [f"this={here}"]]
    formats = [name for name in ns.formats.split(",") if name]
    samples: dict[tuple[str, str], list[tuple[float, float]]] = {(label, f): [] for label, _ in sources for f in formats}
    with tempfile.TemporaryDirectory() as scratch:
        corpus = write_corpus(Path(scratch), ns.names)
        for _label, folder in sources:  # one warm-up run each: byte-compiles the sources
            run_once(sys.executable, Path(folder).resolve(), formats[0], corpus)
        for _ in range(ns.runs):
            for label, folder in sources:
                for output_format in formats:
                    samples[(label, output_format)].append(run_once(sys.executable, Path(folder).resolve(), output_format, corpus))
    medians = {
        f"{label} {output_format}": {
            "wall_s": round(statistics.median(wall for wall, _ in runs), 3),
            "cpu_s": round(statistics.median(cpu for _, cpu in runs), 3),
        }
        for (label, output_format), runs in samples.items()
    }
    if ns.json:
        print(json.dumps(medians, indent=2))
        return 0
    print(f"{ns.names} findings, medians of {ns.runs} runs (Python {sys.version.split()[0]})")
    print(f"{'case':<24} {'wall':>9} {'cpu':>9}")
    for case, figures in medians.items():
        print(f"{case:<24} {figures['wall_s']:>8.3f}s {figures['cpu_s']:>8.3f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
