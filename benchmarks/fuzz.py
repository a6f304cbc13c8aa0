"""The mutation fuzz of tests/hostile, as large as asked, with its figures.

    python benchmarks/fuzz.py --seed 1 --per-file 1000 [--limit 10] [--keep DIR]

Prints how many files were checked, per kind, and every failure (an internal error or no
result within --limit seconds); --keep writes each failing input to DIR for a regression test.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir))
sys.path.insert(0, os.path.join(HERE, os.pardir, "tests", "hostile"))

from fuzz import mutations, run_one  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-file", type=int, default=200)
    parser.add_argument("--limit", type=float, default=10.0)
    parser.add_argument("--keep", metavar="DIR")
    args = parser.parse_args()
    start = time.perf_counter()
    checked = 0
    failed = 0
    slowest = (0.0, "")
    for index, (name, text) in enumerate(mutations(args.seed, args.per_file)):
        began = time.perf_counter()
        problem = run_one(name, text, args.limit)
        took = time.perf_counter() - began
        slowest = max(slowest, (took, name))
        checked += 1
        if problem is not None:
            failed += 1
            print(f"FAIL {name} #{index}: {problem.strip().splitlines()[-1]}")
            if args.keep:
                os.makedirs(args.keep, exist_ok=True)
                with open(
                    os.path.join(args.keep, f"{index}-{os.path.basename(name)}"), "w", encoding="utf-8", errors="surrogatepass"
                ) as out:
                    out.write(text)
    print(f"{checked} files, {failed} failures, {time.perf_counter() - start:.1f} s; slowest {slowest[0]:.2f} s ({slowest[1]})")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
