"""`guard check`: files -> parsed inputs -> rules -> findings -> suppressions -> settings."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable, Optional, Sequence

from guard.check.context import RunContext
from guard.config import Settings
from guard.finding import Finding


@dataclass(frozen=True)
class CheckResult:
    findings: list[Finding]
    files_checked: int


def check_paths(paths: Sequence[str], settings: Settings, cwd: str) -> list[Finding]:
    """All findings for `paths` (files or directories; none means `cwd`), settings applied."""
    return run_check(paths, settings, cwd).findings


def run_check(paths: Sequence[str], settings: Settings, cwd: str) -> CheckResult:
    """Like `check_paths`, with the number of files read."""
    from guard.check.discovery import discover
    from guard.check.filekinds import CHECKERS
    from guard.check.policy import apply_settings
    from guard.check.suppress import apply_suppressions

    context = RunContext(cwd=cwd, settings=settings)
    by_kind: dict[str, list[str]] = {}
    for path, kind in discover(paths, cwd, settings.exclude):
        by_kind.setdefault(kind, []).append(path)
    checked = 0
    for kind, kind_paths in by_kind.items():
        checker = _checker(CHECKERS[kind])
        if checker is None:
            continue  # a kind whose checker this build does not have
        checker(kind_paths, context)
        checked += len(kind_paths)
    selected = apply_settings(context.findings, settings)
    findings = apply_suppressions(selected, context.texts, context.line_alias, settings)
    return CheckResult(findings, checked)


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


def requirement_findings(paths: Sequence[str], settings: Settings, cwd: str, context: Optional[RunContext] = None) -> list[Finding]:
    """Requirement-file findings only (the pip wrapper's `pip install -r FILE` check)."""
    from guard.check.policy import apply_settings
    from guard.check.suppress import apply_suppressions

    context = context or RunContext(cwd=cwd, settings=settings)
    from guard.requirements.kind import check_files

    check_files(list(paths), context)
    selected = apply_settings(context.findings, settings)
    return apply_suppressions(selected, context.texts, context.line_alias, settings)
