"""How much `guard env` costs, against `python -c pass` measured in the same run.

Cases (each a fresh process, so interpreter start-up is included, as a user sees it):
  baseline        python -c pass
  env-running     guard env on the running interpreter (in-process facts: no subprocess)
  env-probe       guard env --python OTHER, probe cache empty (one extra interpreter start)
  env-probe-warm  guard env --python OTHER, probe cache filled
  other-baseline  OTHER -c pass (what the probe's extra start costs at least)
Medians over --runs runs; ratios against `baseline`. Also checks, with `-X importtime`, that
`guard env` on the running interpreter does not import `packaging`.

    python benchmarks/bench_env.py [--runs 15] [--other /usr/bin/python3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

RUN_ENV = (
    "import io, os, sys\n"
    "from guard.cli.env import run\n"
    "python = sys.argv[1] if len(sys.argv) > 1 else None\n"
    "run(python=python, dump_facts=False, facts_file=None, output_format='json', require_venv=False,\n"
    "    cwd=os.getcwd(), environ=os.environ, stdout=io.StringIO(), stderr=sys.stderr,\n"
    "    postprocess=lambda f: f)\n"
)


def timed(argv: list[str], env: dict[str, str], before: object = None) -> float:
    if isinstance(before, dict):
        env, before = before, None
    if callable(before):
        before()
    start = time.perf_counter()
    subprocess.run(argv, env=env, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--other", default="/usr/bin/python3", help="interpreter to probe")
    args = parser.parse_args()
    if not os.path.exists(args.other):
        parser.error(f"{args.other} does not exist")

    scratch = tempfile.mkdtemp(prefix="guard-bench-")
    # Byte-code goes to a scratch prefix: an installed guard has its .pyc files, and the
    # repository tree is not ours to write into.
    env = dict(
        os.environ,
        PYTHONPATH=REPO,
        GUARD_CACHE_DIR=os.path.join(scratch, "cache"),
        PYTHONPYCACHEPREFIX=os.path.join(scratch, "pycache"),
    )
    env.pop("PRE_COMMIT", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    cold_cache = os.path.join(scratch, "cache")

    def clear() -> None:
        shutil.rmtree(cold_cache, ignore_errors=True)

    me = sys.executable
    # `guard env` judges the interpreter behind the first `pip` on PATH (R0): for the
    # running-interpreter case, put this interpreter's own bin directory first, as an
    # activated venv does, so that the facts are gathered in-process.
    activated = dict(env, PATH=os.path.dirname(me) + os.pathsep + env.get("PATH", ""), VIRTUAL_ENV=sys.prefix)
    cases = {
        "baseline": ([me, "-c", "pass"], None),
        "env-running": ([me, "-c", RUN_ENV], activated),
        "env-probe": ([me, "-c", RUN_ENV, args.other], clear),
        "env-probe-warm": ([me, "-c", RUN_ENV, args.other], None),
        "other-baseline": ([args.other, "-c", "pass"], None),
    }
    # Warm the page cache and the probe cache once.
    for argv, before in cases.values():
        subprocess.run(argv, env=before if isinstance(before, dict) else env, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.runs):
        for name, (argv, before) in cases.items():  # interleaved: drift hits every case alike
            samples[name].append(timed(argv, env, before))
    shutil.rmtree(scratch, ignore_errors=True)

    medians = {name: statistics.median(values) for name, values in samples.items()}
    base = medians["baseline"]
    print(f"interpreter {me} ({sys.version.split()[0]}), probe target {args.other}, {args.runs} runs")
    print(f"{'case':<16}{'median ms':>10}{'x baseline':>12}")
    for name, value in medians.items():
        print(f"{name:<16}{value * 1000:>10.1f}{value / base:>12.2f}")
    print(f"guard env itself (env-running - baseline): {(medians['env-running'] - base) * 1000:.1f} ms")
    print(
        f"probe cost (env-probe - env-running): {(medians['env-probe'] - medians['env-running']) * 1000:.1f} ms"
        f" = {(medians['env-probe'] - medians['env-running']) / medians['other-baseline']:.2f} x `{args.other} -c pass`"
    )

    done = subprocess.run(
        [me, "-X", "importtime", "-c", RUN_ENV],
        env=activated,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
    )
    imported = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line]
    heavy = sorted({m for m in imported if m.split(".")[0] in ("packaging", "tomllib", "tomli", "colorama")})
    print("imports of packaging/TOML/colour on the running-interpreter path:", heavy or "none")
    return 1 if any(m.startswith("packaging") for m in heavy) else 0


if __name__ == "__main__":
    raise SystemExit(main())
