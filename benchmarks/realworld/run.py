"""guard over real public repositories, judged against our own verdicts.

    python benchmarks/realworld/run.py prepare          # clone each repository at its commit
    python benchmarks/realworld/run.py [run]            # guard check on each; join with verdicts
    python benchmarks/realworld/run.py run --repo psf/black --json
    python benchmarks/realworld/run.py stubs            # verdict entries to fill in, as TOML

The repositories (repos.toml) are cloned into a cache outside this repository (`--cache DIR`,
default `$GUARD_REALWORLD_CACHE` or `~/.cache/guard-realworld`). `run` runs `guard check
--format json` in each checkout as a new user would (no configuration of ours, no `GUARD_*`
variables), times it, and joins the findings with verdicts.toml: each finding judged right,
defensible or wrong; each miss (an unpinned install guard should report, found by reading the
files) found when a finding with its repo, path, line and code exists (and, when the miss says
`match`, whose message contains that text).

Stdlib only (Python >= 3.9), so it runs with any interpreter that can run guard.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

HERE = Path(__file__).resolve().parent
CHECKOUT_ROOT = HERE.parent.parent
VERDICTS = ("right", "defensible", "wrong")
# Selecting no family makes guard print its "No findings in N files." line: the JSON output
# has no file count (docs/json-format.md), the text output has one only when nothing is found.
COUNT_ONLY = ("--ignore", "GRD,PIN,ENV,CMD", "--format", "text", "--color", "never")
FILES_LINE = re.compile(r"in (\d+) files?\.\s*$", re.MULTILINE)


class UsageError(Exception):
    """A problem with the inputs of this script: printed as one line, exit code 2."""


# --- reading the TOML files -------------------------------------------------------------


def load_toml(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    try:
        import tomllib as toml_module  # type: ignore[import-not-found,unused-ignore]
    except ModuleNotFoundError:
        try:
            import tomli as toml_module  # type: ignore[import-not-found,no-redef,unused-ignore]
        except ModuleNotFoundError:
            return parse_simple_toml(text, path)
    try:
        data: dict[str, Any] = toml_module.loads(text)
    except ValueError as error:
        raise UsageError(f"{path}: {error}") from None
    return data


_HEADER = re.compile(r"\[\[\s*([A-Za-z_][\w-]*)\s*\]\]$")
_KEY_VALUE = re.compile(r'([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|(-?\d+))\s*(?:#.*)?$')


def parse_simple_toml(text: str, path: Path) -> dict[str, Any]:
    """The subset our two files use (arrays of tables of strings and integers), for Pythons
    without tomllib or tomli."""
    data: dict[str, list[dict[str, Any]]] = {}
    table: Optional[dict[str, Any]] = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        header = _HEADER.match(line)
        if header:
            table = {}
            data.setdefault(header.group(1), []).append(table)
            continue
        pair = _KEY_VALUE.match(line)
        if pair is None or table is None:
            raise UsageError(f"{path}:{number}: not understood (install tomli or use Python >= 3.11)")
        key, string, integer = pair.groups()
        table[key] = int(integer) if integer is not None else json.loads(f'"{string}"')
    return dict(data)


# --- the inputs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Repo:
    name: str
    commit: str
    why: str

    @property
    def directory_name(self) -> str:
        return self.name.replace("/", "+")


@dataclass(frozen=True)
class Verdict:
    repo: str
    path: str
    line: int
    column: int
    code: str
    verdict: str
    note: str


@dataclass(frozen=True)
class Miss:
    repo: str
    path: str
    line: int
    code: str
    note: str
    match: str = ""

    def found_in(self, messages: dict[tuple[str, int, str], list[str]]) -> bool:
        """Found when a finding at this path, line and code exists (whose message contains `match`)."""
        return any(self.match in message for message in messages.get((self.path, self.line, self.code), []))


def read_repos(path: Path) -> list[Repo]:
    repos = []
    for entry in load_toml(path).get("repo", []):
        name, commit = str(entry.get("name", "")), str(entry.get("commit", ""))
        if not re.fullmatch(r"[\w.-]+/[\w.-]+", name) or not re.fullmatch(r"[0-9a-f]{40}", commit):
            raise UsageError(f"{path}: each [[repo]] needs name = 'owner/name' and a 40-hex commit: {entry}")
        repos.append(Repo(name, commit, str(entry.get("why", ""))))
    return repos


def read_verdicts(path: Path) -> tuple[list[Verdict], list[Miss]]:
    if not path.exists():
        return [], []
    data = load_toml(path)
    verdicts = []
    for entry in data.get("finding", []):
        try:
            verdict = Verdict(
                str(entry["repo"]),
                str(entry["path"]),
                int(entry["line"]),
                int(entry.get("column", 0)),
                str(entry["code"]),
                str(entry["verdict"]),
                str(entry.get("note", "")),
            )
        except (KeyError, ValueError) as error:
            raise UsageError(f"{path}: [[finding]] {entry}: missing or bad {error}") from None
        if verdict.verdict not in VERDICTS:
            raise UsageError(f"{path}: [[finding]] {entry}: verdict must be one of {', '.join(VERDICTS)}")
        verdicts.append(verdict)
    misses = []
    for entry in data.get("miss", []):
        try:
            misses.append(
                Miss(
                    str(entry["repo"]),
                    str(entry["path"]),
                    int(entry["line"]),
                    str(entry["code"]),
                    str(entry.get("note", "")),
                    str(entry.get("match", "")),
                )
            )
        except (KeyError, ValueError) as error:
            raise UsageError(f"{path}: [[miss]] {entry}: missing or bad {error}") from None
    return verdicts, misses


# --- prepare ------------------------------------------------------------------------------


def git(args: Sequence[str], cwd: Optional[Path] = None, stdin: Optional[str] = None) -> str:
    completed = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise UsageError(f"git {' '.join(args)}: {completed.stderr.strip() or completed.returncode}")
    return completed.stdout.strip()


def checkout(target: Path, commit: str) -> None:
    """Check out `commit`; a snapshot that lacks some large blobs gets every other file."""
    try:
        git(["cat-file", "-e", f"{commit}^{{commit}}"], cwd=target)
    except UsageError:  # not on the default branch: ask the source for it
        git(["fetch", "--quiet", "origin", commit], cwd=target)
    try:
        git(["checkout", "--quiet", "--force", commit], cwd=target)
        return
    except UsageError:
        missing = missing_blobs(target, commit)
        if not missing:
            raise
    patterns = "/*\n" + "".join(f"!/{path}\n" for path in missing)
    git(["sparse-checkout", "set", "--no-cone", "--stdin"], cwd=target, stdin=patterns)
    git(["checkout", "--quiet", "--force", commit], cwd=target)
    print(f"{target.name}: {len(missing)} file(s) missing from the source left out: {', '.join(missing[:3])}")


def missing_blobs(target: Path, commit: str) -> list[str]:
    listing = git(["ls-tree", "-r", "--full-tree", commit], cwd=target)
    paths: dict[str, list[str]] = {}
    for line in listing.splitlines():
        meta, _, path = line.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob":
            paths.setdefault(parts[2], []).append(path)
    answer = git(["cat-file", "--batch-check"], cwd=target, stdin="".join(f"{sha}\n" for sha in paths))
    return sorted(path for line in answer.splitlines() if line.endswith(" missing") for path in paths[line.split()[0]])


def clone_url(source: str, repo: Repo) -> str:
    try:
        return source.format(name=repo.name, owner=repo.name.split("/")[0], dir=repo.directory_name)
    except (KeyError, IndexError, ValueError) as error:
        raise UsageError(f"--source {source!r}: only {{name}}, {{owner}} and {{dir}} are replaced ({error})") from None


def prepare(repos: Sequence[Repo], cache: Path, source: str) -> int:
    cache.mkdir(parents=True, exist_ok=True)
    failures = 0
    for repo in repos:
        target = cache / repo.directory_name
        try:
            if not target.exists():
                url = clone_url(source, repo)
                print(f"{repo.name}: cloning {url}", flush=True)
                git(["clone", "--quiet", "--no-checkout", url, str(target)])
            if git(["rev-parse", "HEAD"], cwd=target) != repo.commit or git(["status", "--porcelain"], cwd=target):
                checkout(target, repo.commit)
            head = git(["rev-parse", "HEAD"], cwd=target)
            if head != repo.commit:
                raise UsageError(f"HEAD is {head}, not {repo.commit}")
            print(f"{repo.name}: at {head}")
        except UsageError as error:
            failures += 1
            print(f"{repo.name}: FAILED: {error}", file=sys.stderr)
    return 1 if failures else 0


# --- run ----------------------------------------------------------------------------------


@dataclass
class RepoResult:
    repo: str
    files: Optional[int]
    seconds: float
    findings: list[dict[str, Any]]
    error: str = ""
    judged: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    misses_found: list[Miss] = field(default_factory=list)
    misses_open: list[Miss] = field(default_factory=list)
    vanished: list[Verdict] = field(default_factory=list)

    def count(self, verdict: str) -> int:
        return len(self.judged.get(verdict, []))

    @property
    def wrong_errors(self) -> int:
        return sum(1 for finding in self.judged.get("wrong", []) if finding.get("severity") == "error")

    def by_code(self) -> str:
        counts = Counter(str(finding["code"]) for finding in self.findings)
        return " ".join(f"{code}:{counts[code]}" for code in sorted(counts))


def guard_command(option: Optional[str]) -> tuple[list[str], dict[str, str]]:
    """The command that runs guard, and its environment: no GUARD_* settings, no colour."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("GUARD_")}
    env["NO_COLOR"] = "1"
    env.pop("FORCE_COLOR", None)
    if option:
        return shlex.split(option), env
    beside = Path(sys.executable).with_name("guard")
    if not (CHECKOUT_ROOT / "guard" / "__init__.py").exists() and beside.exists():
        return [str(beside)], env
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(CHECKOUT_ROOT), env.get("PYTHONPATH", "")]))
    return [sys.executable, "-m", "guard"], env


def run_guard(command: Sequence[str], env: dict[str, str], checkout: Path, timeout: float) -> tuple[dict[str, Any], float, str]:
    started = time.perf_counter()
    try:
        completed = subprocess.run(
            [*command, "check", "--format", "json"], cwd=checkout, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {}, time.perf_counter() - started, f"timed out after {timeout:.0f} s"
    seconds = time.perf_counter() - started
    if completed.returncode not in (0, 1):
        last = (completed.stderr.strip().splitlines() or [f"exit code {completed.returncode}"])[-1]
        return {}, seconds, f"guard exited {completed.returncode}: {last}"
    try:
        document: dict[str, Any] = json.loads(completed.stdout)
    except ValueError:
        last = (completed.stderr.strip().splitlines() or ["(nothing on stderr)"])[-1]
        return {}, seconds, f"guard printed no JSON (exit code {completed.returncode}): {last}"
    return document, seconds, ""


def count_files(document: dict[str, Any], command: Sequence[str], env: dict[str, str], checkout: Path, timeout: float) -> Optional[int]:
    for key in ("files_checked", "files"):
        if isinstance(document.get(key), int):
            return int(document[key])
    try:
        completed = subprocess.run(
            [*command, "check", *COUNT_ONLY], cwd=checkout, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return None
    match = FILES_LINE.search(completed.stdout)
    return int(match.group(1)) if match else None


def judge(result: RepoResult, verdicts: Sequence[Verdict], misses: Sequence[Miss]) -> None:
    """Join the findings of one repository with its verdicts and misses."""
    exact = {(v.path, v.line, v.column, v.code): v for v in verdicts}
    # A column guard computes differently after a fix should not unjudge the finding.
    by_line: dict[tuple[str, int, str], list[Verdict]] = {}
    for verdict in verdicts:
        by_line.setdefault((verdict.path, verdict.line, verdict.code), []).append(verdict)
    used: set[Verdict] = set()
    for finding in result.findings:
        key = (str(finding["path"]), int(finding["line"]), int(finding["column"]), str(finding["code"]))
        match = exact.get(key)
        if match is None:
            candidates = [v for v in by_line.get((key[0], key[1], key[3]), []) if v not in used]
            match = candidates[0] if len(candidates) == 1 else None
        if match is None:
            result.judged.setdefault("unjudged", []).append(finding)
            continue
        used.add(match)
        result.judged.setdefault(match.verdict, []).append({**finding, "note": match.note})
    if not result.error:  # a repository guard could not check has lost nothing
        result.vanished = [v for v in verdicts if v not in used]
    messages: dict[tuple[str, int, str], list[str]] = {}
    for finding in result.findings:
        messages.setdefault((str(finding["path"]), int(finding["line"]), str(finding["code"])), []).append(str(finding.get("message", "")))
    for miss in misses:
        (result.misses_found if miss.found_in(messages) else result.misses_open).append(miss)


def run(
    repos: Sequence[Repo], cache: Path, guard_option: Optional[str], timeout: float, progress: bool, verdicts_file: Path
) -> list[RepoResult]:
    command, env = guard_command(guard_option)
    verdicts, misses = read_verdicts(verdicts_file)
    results = []
    for repo in repos:
        checkout = cache / repo.directory_name
        if progress:
            print(f"... {repo.name}", file=sys.stderr, flush=True)
        if not (checkout / ".git").exists():
            result = RepoResult(repo.name, None, 0.0, [], error="not prepared (run `prepare`)")
        else:
            document, seconds, error = run_guard(command, env, checkout, timeout)
            files = count_files(document, command, env, checkout, timeout) if not error else None
            result = RepoResult(repo.name, files, seconds, list(document.get("findings", [])), error=error)
        judge(result, [v for v in verdicts if v.repo == repo.name], [m for m in misses if m.repo == repo.name])
        results.append(result)
    return results


# --- output -------------------------------------------------------------------------------

COLUMNS = ("repository", "files", "findings", "right", "defens.", "wrong", "wrong-err", "unjudged", "misses", "seconds", "by code")


def row(result: RepoResult) -> list[str]:
    found, total = len(result.misses_found), len(result.misses_found) + len(result.misses_open)
    return [
        result.repo,
        "?" if result.files is None else str(result.files),
        str(len(result.findings)),
        str(result.count("right")),
        str(result.count("defensible")),
        str(result.count("wrong")),
        str(result.wrong_errors),
        str(result.count("unjudged")),
        f"{found}/{total}",
        f"{result.seconds:.2f}",
        result.error or result.by_code(),
    ]


def totals_row(results: Sequence[RepoResult]) -> list[str]:
    total = RepoResult(
        "TOTAL", sum(r.files or 0 for r in results), sum(r.seconds for r in results), [f for r in results for f in r.findings]
    )
    for result in results:
        for verdict, findings in result.judged.items():
            total.judged.setdefault(verdict, []).extend(findings)
        total.misses_found += result.misses_found
        total.misses_open += result.misses_open
    return row(total)


def print_table(results: Sequence[RepoResult]) -> None:
    rows = [list(COLUMNS), *[row(r) for r in results], totals_row(results)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS) - 1)]
    for index, cells in enumerate(rows):
        if index == len(rows) - 1:
            print("  ".join("-" * w for w in widths))
        numeric = [cell.rjust(width) if i else cell.ljust(width) for i, (cell, width) in enumerate(zip(cells, widths))]
        print("  ".join(numeric) + "  " + cells[-1])


def describe(finding: dict[str, Any]) -> str:
    return f"{finding['path']}:{finding['line']}:{finding['column']}: {finding['code']} [{finding.get('severity', '?')}] {finding.get('message', '')}"


def print_details(results: Sequence[RepoResult]) -> None:
    sections: list[tuple[str, list[str]]] = [
        ("Unjudged findings (add a [[finding]] to verdicts.toml; `stubs` prints them as TOML)", []),
        ("Wrong findings (false positives)", []),
        ("Misses not found (guard should report these)", []),
        ("Fixed: findings judged wrong that guard no longer reports", []),
        ("Lost: findings judged right or defensible that guard no longer reports", []),
    ]
    for result in results:
        sections[0][1].extend(f"{result.repo}  {describe(f)}" for f in result.judged.get("unjudged", []))
        sections[1][1].extend(f"{result.repo}  {describe(f)}  -- {f['note']}" for f in result.judged.get("wrong", []))
        sections[2][1].extend(f"{result.repo}  {m.path}:{m.line}: {m.code}  -- {m.note}" for m in result.misses_open)
        for verdict in result.vanished:
            section = sections[3] if verdict.verdict == "wrong" else sections[4]
            section[1].append(
                f"{result.repo}  {verdict.path}:{verdict.line}:{verdict.column}: {verdict.code} was {verdict.verdict}  -- {verdict.note}"
            )
    for title, lines in sections:
        print(f"\n{title}: {len(lines)}")
        for line in lines:
            print(f"  {line}")


def as_json(results: Sequence[RepoResult]) -> dict[str, Any]:
    def repo_json(result: RepoResult) -> dict[str, Any]:
        return {
            "repo": result.repo,
            "error": result.error or None,
            "files": result.files,
            "seconds": round(result.seconds, 3),
            "findings": len(result.findings),
            "by_code": dict(sorted(Counter(str(f["code"]) for f in result.findings).items())),
            "right": result.count("right"),
            "defensible": result.count("defensible"),
            "wrong": result.count("wrong"),
            "wrong_error_severity": result.wrong_errors,
            "unjudged": result.count("unjudged"),
            "misses_found": len(result.misses_found),
            "misses_total": len(result.misses_found) + len(result.misses_open),
            "wrong_findings": result.judged.get("wrong", []),
            "unjudged_findings": result.judged.get("unjudged", []),
            "misses_open": [vars(m) for m in result.misses_open],
            "vanished_verdicts": [vars(v) for v in result.vanished],
        }

    repos = [repo_json(r) for r in results]
    keys = (
        "files",
        "seconds",
        "findings",
        "right",
        "defensible",
        "wrong",
        "wrong_error_severity",
        "unjudged",
        "misses_found",
        "misses_total",
    )
    totals = {key: sum(r[key] or 0 for r in repos) for key in keys}
    totals["seconds"] = round(float(totals["seconds"]), 3)
    return {"repos": repos, "totals": totals}


def toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def print_stubs(results: Sequence[RepoResult]) -> None:
    """Verdict entries for every unjudged finding, to paste into verdicts.toml and fill in."""
    for result in results:
        for finding in result.judged.get("unjudged", []):
            print(f"# {finding['code']} [{finding.get('severity', '?')}] {finding.get('message', '')}")
            print("[[finding]]")
            print(f"repo = {toml_string(result.repo)}")
            print(f"path = {toml_string(str(finding['path']))}")
            print(f"line = {finding['line']}")
            print(f"column = {finding['column']}")
            print(f"code = {toml_string(str(finding['code']))}")
            print('verdict = ""  # right | defensible | wrong')
            print('note = ""')
            print()


# --- command line -------------------------------------------------------------------------


def default_cache() -> Path:
    return Path(os.environ.get("GUARD_REALWORLD_CACHE") or Path.home() / ".cache" / "guard-realworld")


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("action", nargs="?", default="run", choices=("prepare", "run", "stubs"))
    parser.add_argument(
        "--cache", type=Path, default=None, help="where the checkouts live (default: $GUARD_REALWORLD_CACHE or ~/.cache/guard-realworld)"
    )
    parser.add_argument(
        "--source",
        default="https://github.com/{name}",
        help="prepare: clone URL template; {name} is owner/name, {owner} the owner, {dir} owner+name (default: %(default)s)",
    )
    parser.add_argument("--guard", default=None, help="the guard command (default: this checkout's guard run by this Python)")
    parser.add_argument(
        "--verdicts", type=Path, default=HERE / "verdicts.toml", help="the verdicts file (default: verdicts.toml beside run.py)"
    )
    parser.add_argument("--repo", action="append", default=[], help="only this repository (owner/name); repeatable")
    parser.add_argument("--json", action="store_true", help="run: machine-readable output")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds one guard run may take (default: %(default)s)")
    return parser.parse_args(argv)


def selected(repos: Iterable[Repo], names: Sequence[str]) -> list[Repo]:
    chosen = [r for r in repos if not names or r.name in names]
    unknown = set(names) - {r.name for r in chosen}
    if unknown:
        raise UsageError(f"not in repos.toml: {', '.join(sorted(unknown))}")
    return chosen


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    cache = args.cache or default_cache()
    try:
        repos = selected(read_repos(HERE / "repos.toml"), args.repo)
        if args.action == "prepare":
            return prepare(repos, cache, args.source)
        results = run(repos, cache, args.guard, args.timeout, progress=not args.json, verdicts_file=args.verdicts)
    except UsageError as error:
        print(f"run.py: {error}", file=sys.stderr)
        return 2
    if args.action == "stubs":
        print_stubs(results)
    elif args.json:
        json.dump(as_json(results), sys.stdout, indent=2)
        print()
    else:
        print_table(results)
        print_details(results)
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
