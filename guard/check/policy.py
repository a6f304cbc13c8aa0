"""Turns the findings rules produce into the findings a user asked for.

Rules always emit at their default severity; selection, per-rule severity and the failing
threshold are applied here once, so no rule needs to know about settings for that.
"""

from __future__ import annotations

import os
from typing import Callable, Iterable

from guard.config import Settings
from guard.finding import Finding, Severity


def _specificity(prefix: str, code: str) -> int:
    """How closely `prefix` names `code`: -1 when it does not match, 0 for ALL."""
    if prefix == "ALL":
        return 0
    return len(prefix) if code.startswith(prefix) else -1


def is_enabled(code: str, settings: Settings, enabled_by_default: bool = True) -> bool:
    """The most specific of select/extend-select/ignore decides; ignore wins a tie (as ruff)."""
    best_select = max((_specificity(p, code) for p in settings.select + settings.extend_select), default=-1)
    best_ignore = max((_specificity(p, code) for p in settings.ignore), default=-1)
    if best_select < 0 or best_ignore >= best_select:
        return False
    # An opt-in rule needs to be named (by code or a family prefix), not just swept in by ALL.
    return enabled_by_default or best_select > 0


def apply_settings(findings: Iterable[Finding], settings: Settings) -> list[Finding]:
    """Filter by select/ignore, apply per-rule severities, drop duplicates and sort."""
    from guard import rules

    table = rules.all_rules()
    kept: dict[tuple[object, ...], Finding] = {}
    for finding in findings:
        rule = table.get(finding.code)
        default_on = rule.enabled_by_default if rule is not None else True
        if not is_enabled(finding.code, settings, default_on):
            continue
        severity = settings.severity.get(finding.code)
        if severity is not None:
            finding = finding.with_severity(severity)
        kept.setdefault((finding.path, finding.line, finding.column, finding.code, finding.message), finding)
    return sorted(kept.values(), key=lambda f: f.sort_key)


def per_file_ignores(settings: Settings, cwd: str) -> Callable[[str], tuple[str, ...]]:
    """For a shown path, the codes and prefixes `per-file-ignores` drops there (a path is
    matched relative to where `per-path` globs are rooted, once per path)."""
    base = settings.base_dir(cwd)
    known: dict[str, tuple[str, ...]] = {}

    def ignored(path: str) -> tuple[str, ...]:
        if path not in known:
            relative = os.path.relpath(os.path.join(cwd, path), base).replace(os.sep, "/")
            known[path] = settings.ignored_for(relative) if path else ()
        return known[path]

    return ignored


def is_ignored_in_file(code: str, prefixes: Iterable[str]) -> bool:
    return any(prefix == "ALL" or code.startswith(prefix) for prefix in prefixes)


def apply_per_file_ignores(findings: Iterable[Finding], settings: Settings, cwd: str) -> list[Finding]:
    """Drop what `per-file-ignores` says not to report in the files that carry it, after
    the findings are made (as ruff's: whatever the selection, a matching prefix drops it)."""
    if not settings.per_file_ignores:
        return list(findings)
    ignored = per_file_ignores(settings, cwd)
    return [finding for finding in findings if not is_ignored_in_file(finding.code, ignored(finding.path))]


def exit_code(findings: Iterable[Finding], fail_on: Severity) -> int:
    return 1 if any(f.severity >= fail_on for f in findings) else 0
