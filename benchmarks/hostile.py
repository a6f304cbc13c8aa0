"""Time and peak memory of `guard check` on each hostile input (tests/hostile/hostile_inputs.py).

    python benchmarks/hostile.py [--guard "python -m guard"] [--runs 3]

One child process per run; the figure is the median wall time and the largest peak RSS,
read from the operating system's accounting of the finished child (as `/usr/bin/time -v`).
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir, "tests", "hostile"))

from hostile_inputs import CASES  # noqa: E402


def measure(command: list[str], cwd: str) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MB, exit status) of one child, from its own rusage."""
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss / 1024, child.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--guard", default=f"{shlex.quote(sys.executable)} -m guard", help="the guard command")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--case", action="append", help="only these cases")
    args = parser.parse_args()
    env_guard = shlex.split(args.guard)
    print(f"{'case':32} {'size':>10} {'median s':>9} {'peak MB':>8} exit")
    for name, generate in CASES.items():
        if args.case and name not in args.case:
            continue
        file_name, content = generate()
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, file_name)
            with open(path, "w", encoding="utf-8", newline="") as handle:
                handle.write(content)
            times = []
            peak_mb = 0.0
            status = 0
            for _ in range(args.runs):
                # a fresh interpreter per run; PYTHONPATH points at this checkout
                seconds, peak, status = measure([*env_guard, "check", "--isolated", file_name], directory)
                times.append(seconds)
                peak_mb = max(peak_mb, peak)
            print(f"{name:32} {len(content.encode()):>10} {statistics.median(times):>9.2f} {peak_mb:>8.0f} {status}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONPATH", os.path.abspath(os.path.join(HERE, os.pardir)))
    raise SystemExit(main())
