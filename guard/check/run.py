"""`guard check`: files -> parsed inputs -> rules -> findings -> suppressions -> settings."""

from __future__ import annotations

import importlib
import os
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable, Optional, Sequence

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


def check_paths(paths: Sequence[str], settings: Settings, cwd: str, pip_version: Optional[str] = None) -> list[Finding]:
    """All findings for `paths` (files or directories; none means `cwd`), settings applied.
    `pip_version`: the pip that will read the requirement files (the wrapper knows it), where
    pip versions read them differently; None reads them as the newest pip."""
    return run_check(paths, settings, cwd, pip_version).findings


# Requirement files a library's packaging reads: read as requirement files, judged as a library's.
_LIBRARY_REQUIREMENTS_CHECKER = "guard.manifests.library_requirements:check_files"


def run_check(paths: Sequence[str], settings: Settings, cwd: str, pip_version: Optional[str] = None) -> CheckResult:
    """Like `check_paths`, with the number of files read and of fixture files skipped."""
    from guard.check.discovery import find_files
    from guard.check.filekinds import CHECKERS
    from guard.check.policy import apply_per_file_ignores, apply_settings
    from guard.check.suppress import apply_suppressions

    boundary = None if settings.read_outside else TreeBoundary.for_run(cwd, paths)
    context = RunContext(cwd=cwd, settings=settings, boundary=boundary, pip_version=pip_version)
    discovered = find_files(paths, cwd, settings)
    checked = 0
    path_settings: dict[tuple[str, ...], Settings] = {}
    for (kind, patterns), group in _groups(discovered.files, settings, cwd, context, path_settings).items():
        spec = _LIBRARY_REQUIREMENTS_CHECKER if kind == "requirements-library" else CHECKERS[kind]
        checker = _checker(spec)
        if checker is None:
            continue  # a kind whose checker this build does not have
        # `per-path` entries change the settings of the files they match: one group each
        group_context = replace(context, settings=path_settings[patterns]) if patterns else context
        checker(group, group_context)
        checked += len(group)
    selected = apply_per_file_ignores(apply_settings(merge_installs(context.findings), settings), settings, cwd)
    kinds = {context.display(path): kind for path, kind in discovered.files}  # how far own-line suppressions reach
    findings = apply_suppressions(selected, context.texts, context.line_alias, settings, kinds, cwd)
    return CheckResult(findings, checked, discovered.skipped_fixtures)


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


def _groups(
    files: Sequence[tuple[str, str]], settings: Settings, cwd: str, context: RunContext, path_settings: dict[tuple[str, ...], Settings]
) -> dict[tuple[str, tuple[str, ...]], list[str]]:
    """Files by (checker kind, the `per-path` patterns matching them), in discovery order;
    `path_settings` gets the settings for each set of patterns."""
    from guard.manifests.library_requirements import CACHE_KEY, LibraryRequirements

    base = settings.base_dir(cwd)
    library = LibraryRequirements(settings, base)
    reasons: dict[str, str] = context.cache.setdefault(CACHE_KEY, {})
    groups: dict[tuple[str, tuple[str, ...]], list[str]] = {}
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
        groups.setdefault((kind, patterns), []).append(path)
    return groups


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
