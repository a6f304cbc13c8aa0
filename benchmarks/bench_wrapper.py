"""What the pip wrapper adds to a pip call, measured against plain `pip --version` in the same run.

    python benchmarks/bench_wrapper.py [--runs 15]

Cases (each a fresh `bash` process that sources the snippet from a file, so that the cost of
`guard shell-init` at shell start-up is not counted; runs are interleaved; medians printed):

a. In an active venv: `pip --version` through the wrapper function (the shell fast path,
   no Python started by guard) against `command pip --version`. Target: under 5% added.
b. Outside a venv (Debian's `/usr/bin/pip`): `pip --version` (read-only: guard parses the
   arguments and steps aside) and `pip install x==1` judged in full (probe answered from
   the cache) against plain pip, next to one bare Python start (`python -c pass`) of the
   interpreter that runs guard. Target: at most one Python start added.

The install case is measured with `guard pip --check-only` (what the snippet runs before
pip), so pip is not run and nothing is installed.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List

REPO = Path(__file__).resolve().parents[1]


def _guard_command(directory: Path) -> Path:
    """A `guard` on PATH: the console script next to this Python, else this checkout via -m."""
    script = directory / "guard"
    installed = Path(sys.executable).with_name("guard")
    if installed.exists():
        script.symlink_to(installed)
    else:  # what pip writes for a console script, plus this checkout on sys.path
        script.write_text(
            f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {str(REPO)!r})\nfrom guard.cli import main\nsys.exit(main())\n"
        )
        script.chmod(0o755)
    fast = directory / "guard-fast"
    fast.write_text(
        f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {str(REPO)!r})\n"
        "from guard.cli.pip import main_argv\nsys.exit(main_argv(sys.argv[2:]))\n"
    )
    fast.chmod(0o755)
    return script


CPU = False  # --cpu: user+sys CPU time of the child processes instead of wall time
CWD = "/"  # a directory without a [tool.guard] table in reach, like most places pip is typed


def _time(argv: List[str], env: Dict[str, str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, env=env, cwd=CWD, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu if CPU else wall


def _measure(cases: Dict[str, List[str]], env: Dict[str, str], runs: int) -> Dict[str, float]:
    """Median wall time per case; runs interleaved so that load drifts hit every case alike."""
    samples: Dict[str, List[float]] = {name: [] for name in cases}
    for argv in cases.values():  # warm caches (probe cache, page cache, pyc)
        _time(argv, env)
    for i in range(runs):
        order = list(cases.items())
        if i % 2:
            order.reverse()
        for name, argv in order:
            samples[name].append(_time(argv, env))
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--cpu", action="store_true", help="compare CPU time (user+sys) instead of wall time: steadier on a loaded machine")
    options = parser.parse_args()
    runs = options.runs
    global CPU
    CPU = options.cpu
    print(f"medians of {runs} runs, {'CPU time (user+sys)' if CPU else 'wall time'}")
    bash = shutil.which("bash")
    if bash is None:
        print("bash is needed", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        global CWD
        CWD = str(tmp)
        (tmp / ".git").mkdir()  # ends guard's search for pyproject.toml here
        bindir = tmp / "bin"
        bindir.mkdir()
        guard = _guard_command(bindir)
        venv = tmp / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        snippet = tmp / "snippet.bash"
        snippet.write_text(subprocess.run([str(guard), "shell-init", "bash"], capture_output=True, text=True, check=True).stdout)
        base = {
            "HOME": str(tmp),
            "LANG": "C.UTF-8",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            "GUARD_CACHE_DIR": str(tmp / "cache"),
            "GUARD_PIP_ON_BLOCK": "warn",
        }

        def sh(body: str) -> List[str]:
            return [bash, "--norc", "--noprofile", "-c", f"source {snippet}\n{body}"]

        venv_env = dict(base, VIRTUAL_ENV=str(venv), PATH=f"{venv / 'bin'}:{bindir}:/usr/bin:/bin")
        a = _measure(
            {"plain": sh("command pip --version"), "wrapped": sh("pip --version")},
            venv_env,
            runs,
        )
        print("a. active venv, `pip --version`, bash fast path")
        print(
            f"   plain pip {a['plain'] * 1000:7.1f} ms   wrapped {a['wrapped'] * 1000:7.1f} ms   "
            f"added {(a['wrapped'] - a['plain']) * 1000:+6.1f} ms ({(a['wrapped'] / a['plain'] - 1) * 100:+.1f}%)"
        )

        if not os.path.exists("/usr/bin/pip"):
            print("b. skipped: no /usr/bin/pip")
            return 0
        out_env = dict(base, PATH=f"{bindir}:/usr/bin:/bin")
        b = _measure(
            {
                "python": [sys.executable, "-c", "pass"],
                "plain": sh("command pip --version"),
                "wrapped": sh("pip --version"),
                "judge": [str(guard), "pip", "--check-only", "--", "install", "x==1"],
                "judge_fast": [str(bindir / "guard-fast"), "pip", "--check-only", "--", "install", "x==1"],
                "readonly_fast": [str(bindir / "guard-fast"), "pip", "--check-only", "--", "--version"],
                "readonly": [str(guard), "pip", "--check-only", "--", "--version"],
            },
            out_env,
            runs,
        )
        print("b. outside a venv (Debian /usr/bin/pip)")
        print(f"   one Python start (`python -c pass`) {b['python'] * 1000:7.1f} ms")
        print(
            f"   plain pip --version {b['plain'] * 1000:7.1f} ms   wrapped {b['wrapped'] * 1000:7.1f} ms   "
            f"added {(b['wrapped'] - b['plain']) * 1000:+6.1f} ms = {(b['wrapped'] - b['plain']) / b['python']:.2f} Python starts"
        )
        print(
            f"   `pip install x==1` judged in full (guard pip --check-only, cached probe) {b['judge'] * 1000:7.1f} ms "
            f"= {b['judge'] / b['python']:.2f} Python starts"
        )
        print(
            f"   `guard pip --check-only -- --version` (read-only) {b['readonly'] * 1000:7.1f} ms "
            f"= {b['readonly'] / b['python']:.2f} Python starts"
        )
        print("   the same entering at guard.cli.pip.main_argv (no argparse, no other subcommands):")
        print(
            f"     judged install {b['judge_fast'] * 1000:7.1f} ms = {b['judge_fast'] / b['python']:.2f} Python starts; "
            f"read-only {b['readonly_fast'] * 1000:7.1f} ms = {b['readonly_fast'] / b['python']:.2f} Python starts"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
