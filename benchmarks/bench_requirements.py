"""Requirement-file throughput and start-up: guard against pip's parser and `requirements-parser`.

Generates a seeded corpus (tens of thousands of physical lines over several files: pip-compile
style `--hash` continuation blocks, markers, extras, ranges, comments, blank lines, options
lines, `-r` includes, VCS and URL requirements) in a temporary directory, then measures in
one run, interleaved, a median over several runs each:

  guard check   `RequirementReader(PathDisplay(cwd)).tree(path)` + `check_tree(tree, Settings())`
  guard parse   the `tree()` call alone
  pip           `pip._internal.req.req_file.parse_requirements(path, session=PipSession())`,
                fully consumed (the pip installed beside this interpreter)
  req-parser    `requirements.parse(open(path))` (PyPI `requirements-parser`), fully consumed

and the start-up of `guard --version` (console script and `python -m guard`) against
`python -c pass`. Every tool reads every file of the corpus exactly once per run (each file is
reached from one entry point only), so lines/s are comparable.

    python benchmarks/bench_requirements.py [--runs 7] [--startup-runs 30] [--json] [--profile]

Usually run through `bash benchmarks/run.sh`, which prepares benchmarks/.venv first.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from typing import Any, Callable, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
if REPO not in sys.path:  # run from a checkout without an install: use the repo's guard
    sys.path.insert(0, REPO)

TARGET_VS_PIP = 25.0
TARGET_VS_REQUIREMENTS_PARSER = 5.0
TARGET_STARTUP = 1.5

# --------------------------------------------------------------------------- corpus

_SYLLABLES = (
    "py",
    "req",
    "net",
    "async",
    "data",
    "web",
    "json",
    "yaml",
    "http",
    "auth",
    "cli",
    "log",
    "test",
    "mock",
    "flask",
    "django",
    "crypto",
    "graph",
    "cache",
    "queue",
    "orm",
    "sql",
    "time",
    "zone",
    "path",
    "lib",
    "io",
    "tools",
    "core",
    "utils",
    "schema",
    "click",
)
_MARKERS = (
    'python_version < "3.11"',
    'sys_platform == "win32"',
    "python_version >= '3.9'",
    'platform_machine == "x86_64" and python_version < "3.12"',
    'os_name == "posix"',
    'implementation_name == "cpython"',
)
_EXTRAS = ("socks", "security", "async", "speedups", "toml", "crypto", "test", "all")


class Corpus:
    """The generated files; `entries` are the files each tool is given, `files` every file."""

    def __init__(self, root: str, entries: list[str], files: list[str], lines: int, requirements: int) -> None:
        self.root = root
        self.entries = entries
        self.files = files
        self.lines = lines
        self.requirements = requirements  # requirement lines written (what pip yields)


def _name(rng: random.Random) -> str:
    parts = [rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 3))]
    sep = rng.choice(("-", "-", "_", "."))
    name = sep.join(parts)
    return name.capitalize() if rng.random() < 0.1 else name


def _version(rng: random.Random) -> str:
    version = f"{rng.randint(0, 30)}.{rng.randint(0, 40)}.{rng.randint(0, 20)}"
    roll = rng.random()
    if roll < 0.03:
        version += f"rc{rng.randint(1, 3)}"
    elif roll < 0.05:
        version += f".post{rng.randint(1, 3)}"
    return version


def _hash(rng: random.Random) -> str:
    return f"sha256:{rng.getrandbits(256):064x}"


def _hashed_block(rng: random.Random, names: list[str]) -> list[str]:
    """One pip-compile --generate-hashes entry: requirement, hashes, `# via` comments."""
    name = rng.choice(names)
    head = f"{name}=={_version(rng)}"
    if rng.random() < 0.12:
        head = f"{name}[{','.join(rng.sample(_EXTRAS, rng.randint(1, 2)))}]=={_version(rng)}"
    if rng.random() < 0.15:
        head += f" ; {rng.choice(_MARKERS)}"
    lines = [head + " \\"]
    count = rng.randint(1, 8)
    for index in range(count):
        lines.append(f"    --hash={_hash(rng)}" + (" \\" if index < count - 1 else ""))
    via = rng.sample(names, rng.randint(1, 3))
    if len(via) == 1:
        lines.append(f"    # via {via[0]}")
    else:
        lines.append("    # via")
        lines.extend(f"    #   {v}" for v in via)
    return lines


def _plain_line(rng: random.Random, names: list[str]) -> list[str]:
    """One hand-written line (or a comment / blank line)."""
    roll = rng.random()
    name = rng.choice(names)
    if roll < 0.08:
        return [f"# {' '.join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 8)))}"]
    if roll < 0.13:
        return [""]
    if roll < 0.45:
        line = f"{name}=={_version(rng)}"
    elif roll < 0.55:
        line = f"{name}>={_version(rng)},<{rng.randint(31, 40)}"
    elif roll < 0.60:
        line = f"{name}~={rng.randint(1, 9)}.{rng.randint(0, 9)}"
    elif roll < 0.64:
        line = name
    elif roll < 0.72:
        line = f"{name}[{','.join(rng.sample(_EXTRAS, rng.randint(1, 3)))}]=={_version(rng)}"
    elif roll < 0.84:
        line = f"{name}=={_version(rng)}; {rng.choice(_MARKERS)}"
    elif roll < 0.88:
        line = f"{name}[{rng.choice(_EXTRAS)}]>={_version(rng)} ; {rng.choice(_MARKERS)}"
    elif roll < 0.91:
        sha = f"{rng.getrandbits(160):040x}"
        line = f"-e git+https://github.com/example/{name}.git@{sha}#egg={name}"
    elif roll < 0.93:
        line = f"git+https://github.com/example/{name}.git@v{_version(rng)}#egg={name}"
    elif roll < 0.95:
        line = f"{name} @ https://files.example.org/packages/{name}-{_version(rng)}-py3-none-any.whl#sha256={rng.getrandbits(256):064x}"
    elif roll < 0.98:
        # a requirement written over two lines, options on the continuation
        return [f"{name}=={_version(rng)} \\", f"    --hash={_hash(rng)}"]
    else:
        line = f"{name}=={_version(rng)}"
    if rng.random() < 0.1:
        line += f"  # {rng.choice(_SYLLABLES)} {rng.choice(_SYLLABLES)}"
    return [line]


_OPTIONS = (
    "--index-url https://pypi.org/simple",
    "--extra-index-url https://pkgs.example.org/simple",
    "--trusted-host pkgs.example.org",
    "--find-links https://wheels.example.org/",
    "--prefer-binary",
)


def _is_requirement(line: str) -> bool:
    text = line.strip()
    return bool(text) and not text.startswith(("#", "--", "-r ", "-c ")) and not line.startswith(" ")


def generate(root: str, seed: int, target_lines: int) -> Corpus:
    """Writes the corpus below `root`: entry files that `-r` include others, each file reached once."""
    rng = random.Random(seed)
    names = sorted({_name(rng) for _ in range(4000)})
    # (relative path, style, share of the lines, files it includes)
    layout = [
        ("requirements.txt", "hashed", 0.30, ["requirements/base.txt"]),
        ("requirements/base.txt", "hashed", 0.20, []),
        ("dev-requirements.txt", "plain", 0.12, ["requirements/test.txt"]),
        ("requirements/test.txt", "plain", 0.10, []),
        ("docs/requirements.txt", "hashed", 0.13, []),
        ("tools/requirements.txt", "plain", 0.08, []),
        ("requirements/ci.txt", "hashed", 0.07, []),
    ]
    files: list[str] = []
    total = requirements = 0
    for relative, style, share, includes in layout:
        path = os.path.join(root, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        lines = (
            ["#", "# This file is autogenerated by pip-compile with Python 3.11", "#    pip-compile --generate-hashes", "#"]
            if style == "hashed"
            else ["# hand-written requirements"]
        )
        lines += [rng.choice(_OPTIONS) for _ in range(rng.randint(1, 3))]
        lines.append("")
        for include in includes:
            lines.append(f"-r {os.path.relpath(os.path.join(root, include), os.path.dirname(path))}")
        budget = int(target_lines * share)
        while len(lines) < budget:
            block = _hashed_block(rng, names) if style == "hashed" and rng.random() < 0.97 else _plain_line(rng, names)
            lines.extend(block)
        requirements += sum(1 for line in lines if _is_requirement(line))
        total += len(lines)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write("\n".join(lines) + "\n")
        files.append(path)
    included = {os.path.join(root, include) for _, _, _, incs in layout for include in incs}
    entries = [path for path in files if path not in included]
    return Corpus(root, entries, files, total, requirements)


# --------------------------------------------------------------------------- the contenders


def guard_check(corpus: Corpus) -> Callable[[], int]:
    from guard.check.context import PathDisplay
    from guard.config import Settings
    from guard.requirements.check import RequirementReader, check_tree

    settings = Settings()

    def run() -> int:
        reader = RequirementReader(PathDisplay(corpus.root))  # fresh: no cache across runs
        count = 0
        for entry in corpus.entries:
            tree = reader.tree(entry)
            check_tree(tree, settings)
            count += len(tree.deps)
        return count

    return run


def guard_parse(corpus: Corpus) -> Callable[[], int]:
    from guard.check.context import PathDisplay
    from guard.requirements.check import RequirementReader

    def run() -> int:
        reader = RequirementReader(PathDisplay(corpus.root))
        return sum(len(reader.tree(entry).deps) for entry in corpus.entries)

    return run


def pip_parser(corpus: Corpus) -> Optional[Callable[[], int]]:
    try:
        from pip._internal.network.session import PipSession
        from pip._internal.req.req_file import parse_requirements
    except ImportError:
        return None
    session = PipSession()  # built once: its set-up (SSL context, adapters) is not parsing

    def run() -> int:
        return sum(1 for entry in corpus.entries for _ in parse_requirements(entry, session=session))

    return run


def requirements_parser(corpus: Corpus) -> Optional[Callable[[], int]]:
    try:
        import requirements
    except ImportError:
        return None

    def run() -> int:
        count = 0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # it warns on every options line it skips
            for entry in corpus.entries:
                with open(entry, encoding="utf-8") as handle:
                    count += sum(1 for _ in requirements.parse(handle))
        return count

    return run


def _time(func: Callable[[], int]) -> tuple[float, int]:
    gc.collect()
    start = time.perf_counter()
    count = func()
    return time.perf_counter() - start, count


def measure_throughput(corpus: Corpus, runs: int) -> dict[str, Any]:
    contenders: dict[str, Optional[Callable[[], int]]] = {
        "guard check": guard_check(corpus),
        "guard parse": guard_parse(corpus),
        "pip": pip_parser(corpus),
        "requirements-parser": requirements_parser(corpus),
    }
    present = {name: func for name, func in contenders.items() if func is not None}
    times: dict[str, list[float]] = {name: [] for name in present}
    counts: dict[str, int] = {}
    for name, func in present.items():  # warm-up: imports, regex compilation, caches
        counts[name] = func()
    for _ in range(runs):  # interleaved, so a noisy moment hurts everyone alike
        for name, func in present.items():
            elapsed, _count = _time(func)
            times[name].append(elapsed)
    results: dict[str, Any] = {}
    for name in contenders:
        if name not in present:
            results[name] = None
            continue
        median = statistics.median(times[name])
        results[name] = {
            "median_s": median,
            "min_s": min(times[name]),
            "lines_per_s": corpus.lines / median,
            "requirements": counts[name],
            "runs_s": times[name],
        }
    return results


def _median_run(argv: list[str], runs: int, env: Optional[dict[str, str]] = None) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
        samples.append(time.perf_counter() - start)
    return samples


def measure_startup(runs: int) -> dict[str, Any]:
    python = sys.executable
    script = shutil.which("guard", path=os.path.dirname(python)) or shutil.which("guard")
    commands = {"python -c pass": [python, "-c", "pass"], "python -m guard --version": [python, "-m", "guard", "--version"]}
    if script:
        commands["guard --version"] = [script, "--version"]
    # Byte-compile guard first: with PYTHONDONTWRITEBYTECODE set (or a fresh checkout) every
    # start would otherwise compile guard/cli.py from source, which no installed copy does.
    import compileall

    import guard

    compileall.compile_dir(os.path.dirname(guard.__file__), quiet=1)
    for argv in commands.values():  # warm the page cache
        _median_run(argv, 3)
    # Without `site` (no .pth files, so no editable-install finder, which imports pathlib and
    # friends into every start of this venv's interpreter, `python -c pass` included): what
    # guard's own imports cost against the barest interpreter start. Information, no target.
    bare_env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(guard.__file__)))
    bare = {"python -S -c pass": [python, "-S", "-c", "pass"], "python -S -m guard --version": [python, "-S", "-m", "guard", "--version"]}
    samples: dict[str, list[float]] = {name: [] for name in [*commands, *bare]}
    for _ in range(runs):  # interleaved
        for name, argv in commands.items():
            samples[name] += _median_run(argv, 1)
        for name, argv in bare.items():
            samples[name] += _median_run(argv, 1, bare_env)
    site_dirs = {os.path.dirname(os.path.dirname(guard.__file__))} | {os.path.dirname(os.__file__)}
    finder = any(
        name.startswith("__editable__") and name.endswith("_finder.py")
        for directory in sys.path
        if directory and directory not in site_dirs and os.path.isdir(directory)
        for name in os.listdir(directory)
    )
    out: dict[str, Any] = {"script": script, "editable_finder": finder}
    for name, values in samples.items():
        base = statistics.median(samples["python -S -c pass" if " -S " in name else "python -c pass"])
        median = statistics.median(values)
        out[name] = {"median_ms": median * 1000, "ratio": median / base}
    return out


# --------------------------------------------------------------------------- reporting


def _versions() -> dict[str, Optional[str]]:
    from importlib import metadata

    found: dict[str, Optional[str]] = {"python": platform.python_version()}
    for dist in ("guard-lint", "pip", "requirements-parser", "packaging"):
        try:
            found[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            found[dist] = None
    return found


def _ratio(results: dict[str, Any], a: str, b: str) -> Optional[float]:
    if results.get(a) is None or results.get(b) is None:
        return None
    return float(results[a]["lines_per_s"] / results[b]["lines_per_s"])


def _verdict(value: Optional[float], target: float, higher_is_better: bool = True) -> str:
    if value is None:
        return "n/a"
    ok = value >= target if higher_is_better else value <= target
    return "meets" if ok else "MISSES"


def report_text(data: dict[str, Any]) -> str:
    corpus, results, ratios, startup = data["corpus"], data["throughput"], data["ratios"], data.get("startup")
    out = [
        f"corpus: {corpus['lines']:,} lines, {corpus['requirements']:,} requirements in {corpus['files']} files "
        f"(seed {corpus['seed']}); {data['runs']} runs, medians",
        "versions: " + ", ".join(f"{k} {v}" for k, v in data["versions"].items()),
        "",
        f"{'parser':<22}{'median ms':>11}{'lines/s':>14}{'reqs seen':>11}",
    ]
    for name, result in results.items():
        if result is None:
            out.append(f"{name:<22}{'not installed':>36}")
        else:
            out.append(f"{name:<22}{result['median_s'] * 1000:>11.1f}{result['lines_per_s']:>14,.0f}{result['requirements']:>11,}")
    out.append("")
    out.append(f"{'ratio':<40}{'value':>8}  target")
    for label, key, target in (
        ("guard check / pip", "check_vs_pip", TARGET_VS_PIP),
        ("guard check / requirements-parser", "check_vs_requirements_parser", TARGET_VS_REQUIREMENTS_PARSER),
        ("guard parse / pip", "parse_vs_pip", TARGET_VS_PIP),
        ("guard parse / requirements-parser", "parse_vs_requirements_parser", TARGET_VS_REQUIREMENTS_PARSER),
    ):
        value = ratios[key]
        shown = "n/a" if value is None else f"{value:.2f}x"
        out.append(f"{label:<40}{shown:>8}  >= {target:g}x  {_verdict(value, target)}")
    if startup:
        out.append("")
        out.append(f"{'start-up':<40}{'median ms':>10}{'ratio':>8}  target")
        for name in ("python -c pass", "guard --version", "python -m guard --version", "python -S -c pass", "python -S -m guard --version"):
            if name not in startup:
                out.append(f"{name:<40}{'not found':>10}")
                continue
            row = startup[name]
            if name.endswith("pass"):
                target = ""
            elif " -S " in name:
                target = "  (no site: guard's own imports; information)"
            else:
                target = f"  <= {TARGET_STARTUP:g}x  {_verdict(row['ratio'], TARGET_STARTUP, False)}"
            out.append(f"{name:<40}{row['median_ms']:>10.1f}{row['ratio']:>7.2f}x{target}")
        if startup.get("editable_finder"):
            out.append("note: an editable-install finder is imported at every start of this interpreter, so `python -c pass`")
            out.append("      is inflated and the ratios look better than a regular install's (run.sh installs in compat mode)")
    return "\n".join(out) + "\n"


def profile_guard(corpus: Corpus, limit: int) -> None:
    import cProfile
    import pstats

    run = guard_check(corpus)
    run()
    profiler = cProfile.Profile()
    profiler.enable()
    run()
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats("tottime").print_stats(limit)
    stats.sort_stats("cumulative").print_stats(limit)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per parser (median reported; default 7)")
    parser.add_argument("--startup-runs", type=int, default=30, help="subprocess runs per start-up command (default 30; 0 skips)")
    parser.add_argument("--lines", type=int, default=40000, help="approximate corpus size in physical lines (default 40000)")
    parser.add_argument("--seed", type=int, default=20240611, help="corpus seed (default 20240611)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of one guard check run to stderr")
    parser.add_argument("--keep", metavar="DIR", help="write the corpus to DIR and keep it")
    args = parser.parse_args(argv)

    root = args.keep or tempfile.mkdtemp(prefix="guard-bench-req-")
    try:
        corpus = generate(os.path.abspath(root), args.seed, args.lines)
        throughput = measure_throughput(corpus, args.runs)
        startup = measure_startup(args.startup_runs) if args.startup_runs > 0 else None
        if args.profile:
            profile_guard(corpus, 30)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    data = {
        "benchmark": "requirements",
        "versions": _versions(),
        "runs": args.runs,
        "corpus": {"lines": corpus.lines, "requirements": corpus.requirements, "files": len(corpus.files), "seed": args.seed},
        "throughput": throughput,
        "ratios": {
            "check_vs_pip": _ratio(throughput, "guard check", "pip"),
            "check_vs_requirements_parser": _ratio(throughput, "guard check", "requirements-parser"),
            "parse_vs_pip": _ratio(throughput, "guard parse", "pip"),
            "parse_vs_requirements_parser": _ratio(throughput, "guard parse", "requirements-parser"),
        },
        "targets": {"vs_pip": TARGET_VS_PIP, "vs_requirements_parser": TARGET_VS_REQUIREMENTS_PARSER, "startup_ratio": TARGET_STARTUP},
        "startup": startup,
    }
    if args.json:
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    else:
        sys.stdout.write(report_text(data))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
