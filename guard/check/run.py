"""`guard check`: files -> parsed inputs -> rules -> findings -> suppressions -> settings."""

from __future__ import annotations

import importlib
import os
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable, Iterator, Optional, Sequence

from guard.check.context import RunContext, TreeBoundary
from guard.config import Settings
from guard.finding import Finding

if TYPE_CHECKING:
    from guard.manifests.library_requirements import LibraryRequirements


@dataclass(frozen=True)
class CheckResult:
    findings: list[Finding]
    files_checked: int
    fixtures_skipped: int = 0  # files in test fixtures discovery left out (`include-fixtures`)


@dataclass(frozen=True)
class StdinFile:
    """The file `guard check -` reads from standard input: `name` from `--stdin-filename`
    (None: shown as `-`), `data` at most the readers' limit plus one byte."""

    name: Optional[str]
    data: bytes


# `--verbose`: where the run says what it reads and how long it takes (one line each).
Log = Callable[[str], None]


def check_paths(paths: Sequence[str], settings: Settings, cwd: str, pip_version: Optional[str] = None) -> list[Finding]:
    """All findings for `paths` (files or directories; none means `cwd`), settings applied.
    `pip_version`: the pip that will read the requirement files (the wrapper knows it), where
    pip versions read them differently; None reads them as the newest pip."""
    return run_check(paths, settings, cwd, pip_version).findings


# Requirement files a library's packaging reads: read as requirement files, judged as a library's.
_LIBRARY_REQUIREMENTS_CHECKER = "guard.manifests.library_requirements:check_files"


def run_check(
    paths: Sequence[str],
    settings: Settings,
    cwd: str,
    pip_version: Optional[str] = None,
    *,
    stdin: Optional[StdinFile] = None,
    log: Optional[Log] = None,
) -> CheckResult:
    """Like `check_paths`, with the number of files read and of fixture files skipped.
    `stdin`: check that one file instead of `paths`; `log`: told what is read, and timings."""
    with _stdin_in_memory(stdin, cwd):
        return _run(paths, settings, cwd, pip_version, stdin, log)


def planned_files(
    paths: Sequence[str], settings: Settings, cwd: str, stdin: Optional[StdinFile] = None
) -> tuple[list[tuple[str, str]], int]:
    """`--show-files`: (path as shown, kind it is checked as) in discovery order, and the
    number of fixture files skipped; nothing is checked."""
    with _stdin_in_memory(stdin, cwd):
        files, skipped, _ = _discover(paths, settings, cwd, RunContext(cwd=cwd, settings=settings), stdin, {})
    return [(path, kind) for path, kind, _patterns in files], skipped


@contextmanager
def _stdin_in_memory(stdin: Optional[StdinFile], cwd: str) -> Iterator[None]:
    """The given text stands in for the file at the stdin file's path, for every reader (and
    the kind's look at its first bytes); relative includes resolve against its folder, as a
    file's do."""
    if stdin is None:
        yield
        return
    from guard.check.discovery import STDIN
    from guard.text.decode import clear_in_memory, set_in_memory

    set_in_memory(os.path.join(cwd, stdin.name or STDIN), stdin.data)
    try:
        yield
    finally:
        clear_in_memory()


def _discover(
    paths: Sequence[str],
    settings: Settings,
    cwd: str,
    context: RunContext,
    stdin: Optional[StdinFile],
    path_settings: dict[tuple[str, ...], Settings],
) -> tuple[list[tuple[str, str, tuple[str, ...]]], int, Sequence[str]]:
    """The files to check with their final kind and `per-path` patterns, the fixture files
    skipped, and the paths the run reads from (the stdin file's name in place of `paths`)."""
    from guard.check.discovery import Discovered, find_files, stdin_file

    if stdin is None:
        discovered = find_files(paths, cwd, settings)
        roots = paths
    else:
        discovered = Discovered(files=[stdin_file(stdin.name, cwd, settings)])
        roots = [discovered.files[0][0]]
    return _classify(discovered.files, settings, cwd, context, path_settings), discovered.skipped_fixtures, roots


def _run(
    paths: Sequence[str], settings: Settings, cwd: str, pip_version: Optional[str], stdin: Optional[StdinFile], log: Optional[Log]
) -> CheckResult:
    from guard.check.ends import fill_ends, syntax_of
    from guard.check.policy import apply_per_file_ignores, apply_settings
    from guard.check.suppress import apply_suppressions

    started = time.perf_counter()
    context = RunContext(cwd=cwd, settings=settings, pip_version=pip_version)
    path_settings: dict[tuple[str, ...], Settings] = {}
    files, skipped, roots = _discover(paths, settings, cwd, context, stdin, path_settings)
    context.boundary = None if settings.read_outside else TreeBoundary.for_run(cwd, roots)
    if log is not None:
        _log_discovery(log, files, skipped, time.perf_counter() - started)
    groups: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for path, kind, patterns in files:
        groups.setdefault((kind, patterns), []).append(path)
    checked = sum(
        _check_group(kind, group, path_settings[patterns] if patterns else None, context, log) for (kind, patterns), group in groups.items()
    )
    selected = apply_per_file_ignores(apply_settings(merge_installs(context.findings), settings), settings, cwd)
    shown = {path: context.display(os.path.abspath(os.path.join(cwd, path))) for path, _kind, _patterns in files}
    kinds = {shown[path]: kind for path, kind, _patterns in files}  # how far own-line suppressions reach
    suppressed = apply_suppressions(selected, context.texts, context.line_alias, settings, kinds, cwd)
    syntaxes = {path: syntax_of(kind) for path, kind in kinds.items()}
    findings = fill_ends(suppressed, context.texts, context.line_alias, syntaxes)
    if log is not None:
        log(f"checked {_files(checked)} in {time.perf_counter() - started:.3f} s")
    return CheckResult(findings, checked, skipped)


def _check_group(kind: str, group: list[str], settings: Optional[Settings], context: RunContext, log: Optional[Log]) -> int:
    """Runs the checker of `kind` over `group` (with its `per-path` settings); the files checked."""
    from guard.check.filekinds import CHECKERS

    spec = _LIBRARY_REQUIREMENTS_CHECKER if kind == "requirements-library" else CHECKERS[kind]
    checker = _checker(spec)
    if checker is None:
        return 0  # a kind whose checker this build does not have
    # `per-path` entries change the settings of the files they match: one group each
    group_context = replace(context, settings=settings) if settings is not None else context
    started = time.perf_counter()
    checker(group, group_context)
    if log is not None:
        log(f"{kind}: {_files(len(group))} in {time.perf_counter() - started:.3f} s")
    return len(group)


def _log_discovery(log: Log, files: list[tuple[str, str, tuple[str, ...]]], skipped: int, seconds: float) -> None:
    more = f" ({_files(skipped)} in test fixtures skipped)" if skipped else ""
    log(f"found {_files(len(files))} to check in {seconds:.3f} s{more}")
    for path, kind, _patterns in files:
        log(f"{path}: {kind}")


def _files(count: int) -> str:
    return f"{count} file{'s' if count != 1 else ''}"


_READ_BY = re.compile(r" \(read by (`[^`]*`(?: in [^)]*)?)\)$")


def merge_installs(findings: list[Finding]) -> list[Finding]:
    """One finding per problem: a requirement that several installs read (`--group test` in
    five workflows) is reported once at its place, naming the first install and how many more."""
    merged: dict[tuple[str, int, int, str, str], int] = {}
    installs: dict[int, set[str]] = {}
    out: list[Finding] = []
    for finding in findings:
        match = _READ_BY.search(finding.message)
        if match is None:
            out.append(finding)
            continue
        key = (finding.path, finding.line, finding.column, finding.code, finding.message[: match.start()])
        if key in merged:
            installs[merged[key]].add(match.group(1))
            continue
        merged[key] = len(out)
        installs[len(out)] = {match.group(1)}
        out.append(finding)
    for index, seen in installs.items():
        more = len(seen) - 1
        if more:
            message = out[index].message
            out[index] = out[index].replace(message=f"{message[:-1]} and {more} more {'install' if more == 1 else 'installs'})")
    return out


def _classify(
    files: Sequence[tuple[str, str]], settings: Settings, cwd: str, context: RunContext, path_settings: dict[tuple[str, ...], Settings]
) -> list[tuple[str, str, tuple[str, ...]]]:
    """Files with their checker kind and the `per-path` patterns matching them, in discovery
    order; `path_settings` gets the settings for each set of patterns."""
    from guard.manifests.library_requirements import CACHE_KEY, LibraryRequirements

    base = settings.base_dir(cwd)
    library = LibraryRequirements(settings, base)
    reasons: dict[str, str] = context.cache.setdefault(CACHE_KEY, {})
    classified: list[tuple[str, str, tuple[str, ...]]] = []
    for path, kind in files:
        absolute = os.path.abspath(os.path.join(cwd, path))
        relative = os.path.relpath(absolute, base).replace(os.sep, "/")
        patterns = tuple(policy.pattern for policy in settings.per_path if policy.matches(relative))
        if patterns and patterns not in path_settings:
            path_settings[patterns] = settings.for_path(relative)
        if kind == "requirements":
            reason = _library_reason(path, absolute, settings.per_path_project_kind(relative), library)
            if reason is not None:
                reasons[path] = reason
                kind = "requirements-library"
        classified.append((path, kind, patterns))
    return classified


def _library_reason(path: str, absolute: str, said: Optional[str], library: LibraryRequirements) -> Optional[str]:
    """Why a requirement file is a library's dependency list (None: it is an install's). A
    `per-path` project kind decides; else whether the library's packaging reads it.
    Constraints files and `.in` inputs keep their own policy."""
    name = os.path.basename(path).lower()
    if name.endswith(".in") or "constraint" in name or said == "application":
        return None
    if said == "library":
        return "`[tool.guard.per-path]` says it is a library's"
    return library.reason(absolute)


def _checker(spec: str) -> Optional[Callable[[list[str], RunContext], None]]:
    module_name, _, function = spec.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name and module_name.startswith(error.name):
            return None
        raise
    checker: Optional[Callable[[list[str], RunContext], None]] = getattr(module, function, None)
    return checker
