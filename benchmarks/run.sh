#!/usr/bin/env bash
# Every benchmark in one command, in its own venv (benchmarks/.venv, created on first use):
#
#   bash benchmarks/run.sh                       # every benchmarks/bench_*.py, default settings
#   bash benchmarks/run.sh requirements --json   # only bench_requirements.py, with its arguments
#
# PYTHON picks the interpreter that creates the venv (default: python3);
# GUARD_BENCH_VENV puts the venv elsewhere. Set-up is redone when pyproject.toml changes.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
venv="${GUARD_BENCH_VENV:-$here/.venv}"

if [ ! -x "$venv/bin/python" ]; then
    "${PYTHON:-python3}" -m venv "$venv"
fi
stamp="$venv/.guard-bench-ready"
if [ ! -f "$stamp" ] || [ "$repo/pyproject.toml" -nt "$stamp" ]; then
    "$venv/bin/python" -m pip install --quiet --upgrade pip  # guard: ignore[PIN109] measured against the newest pip
    # guard from this checkout (editable) with its `bench` extra (requirements-parser).
    # `compat` mode puts the checkout on sys.path with a plain .pth line, as a regular install
    # costs at start-up; the default mode imports a finder (pathlib, re, ...) into every start
    # of this interpreter, `python -c pass` included, which hides guard's own import cost.
    (cd "$repo" && { "$venv/bin/python" -m pip install --quiet -e ".[bench]" --config-settings editable_mode=compat \
        || "$venv/bin/python" -m pip install --quiet -e ".[bench]"; })
    touch "$stamp"
fi

if [ $# -gt 0 ]; then
    bench="$here/bench_$1.py"
    shift
    [ -f "$bench" ] || { echo "run.sh: no such benchmark: $bench" >&2; exit 2; }
    exec "$venv/bin/python" "$bench" "$@"
fi

status=0
for bench in "$here"/bench_*.py; do
    echo "== $(basename "$bench")"
    "$venv/bin/python" "$bench" || status=1
    echo
done
exit "$status"
