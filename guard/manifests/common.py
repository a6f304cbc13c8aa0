"""Manifests: every file besides requirement files that declares dependencies.

Each module reads one format into `Dep` records (with the exact line and column of each
dependency) and a `PinInfo` for each (the shared notion of "pinned" from `guard.pins.analysis`,
with small converters for Poetry and conda specifiers), then `judge` applies the policy:
the file kind's minimum level (`Settings.required_level`), lock coverage, and the
library/application rules (docs/manifests.md).
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Mapping, Optional

from guard.finding import Finding, Severity
from guard.pins.analysis import PinInfo
from guard.pins.dep import Dep
from guard.pins.levels import PinLevel
from guard.rules import get as rule

if TYPE_CHECKING:
    from guard.check.context import RunContext
    from guard.config import Settings
    from guard.manifests.lockfiles import LockInfo

# How messages name the policy of each manifest file kind.
# Findings about how firmly something is pinned: advisory (info) for libraries.
_ADVISORY_CODES = ("PIN101", "PIN102", "PIN103", "PIN104", "PIN109")
_LOCKABLE_KINDS = ("pyproject-application", "dependency-groups", "pipfile")
_FULL_GIT_SHA = re.compile(r"^(?:[0-9a-f]{40}|[0-9a-f]{64})$", re.I)


def judge(
    dep: Dep,
    info: PinInfo,
    settings: Settings,
    *,
    lock: Optional[Mapping[str, LockInfo]] = None,
    lock_label: str = "the lock file",
    check_drift: bool = True,
    advisory: bool = False,
    library_runtime: bool = False,
    floor: Optional[PinLevel] = None,
) -> list[Finding]:
    """Findings for one manifest dependency.

    `lock`: the names a lock beside the manifest fixes (None: no lock); a covered name is
    `locked`, a missing one is drift (PIN202) when `check_drift`. `floor` raises the level
    (a constraint, a time pin). `advisory` turns pin findings into information (libraries,
    build requirements). `library_runtime` enables the opt-in PIN201.
    """
    level = info.level if floor is None else max(info.level, floor)
    drift = False
    checkable = info.name is not None and not (info.first_party or info.invalid or info.dynamic)
    if lock is not None and checkable:
        if info.name in lock:
            level = PinLevel.LOCKED
            info = replace(info, mutable_ref=None, url_without_hash=False, wildcard=False)
        elif check_drift:
            drift = True
    out = dep_findings(dep, info, level, settings)
    required = settings.required_level(dep.file_kind, info.name)
    if (
        checkable
        and required is not None
        and required < PinLevel.EXACT
        and info.url_without_hash
        and not info.local_file
        and info.mutable_ref is None
    ):
        # The shared rules ask for a hash only where one version is required; a URL without a
        # hash is still worth a word where less is required (PIN103 at info in a library, as
        # PIN102 is for a branch).
        out.append(
            rule("PIN103").finding(
                dep.path,
                dep.line,
                dep.column,
                f"`{dep.text}` is a URL without a hash",
                package=info.name,
                fix="append `#sha256=<hex>` to the URL",
            )
        )
    if drift and required is not None:
        out = [finding for finding in out if finding.code not in ("PIN101", "PIN109")]
        out.append(
            rule("PIN202").finding(
                dep.path,
                dep.line,
                dep.column,
                f"`{info.name}` is declared but missing from {lock_label}",
                package=info.name,
                fix=relock_fix(lock_label),
            )
        )
    if library_runtime and checkable and info.level >= PinLevel.EXACT and ("==" in info.specifier) and not info.wildcard:
        out.append(
            rule("PIN201").finding(
                dep.path,
                dep.line,
                dep.column,
                f"library dependency `{info.name}` is pinned to one version (`{info.specifier}`)",
                package=info.name,
                fix=f"declare the range the library supports, e.g. `{info.name}>={_version(info.specifier)}`",
            )
        )
    return [_shaped(finding, dep.file_kind, advisory, required) for finding in out]


def relock_fix(lock_label: str) -> str:
    from guard.manifests.lockfiles import relock_fix as command

    return command(lock_label)


def dep_findings(dep: Dep, info: PinInfo, level: PinLevel, settings: Settings) -> list[Finding]:
    from guard.requirements.check import dep_findings as shared

    return shared(dep, info, level, settings)


def _version(specifier: str) -> str:
    return specifier.lstrip("=<>!~ ").split(",")[0]


def _shaped(finding: Finding, kind: str, advisory: bool, required: Optional[PinLevel]) -> Finding:
    """A shared finding adjusted to the manifest kind: `required` is the minimum level of the
    dependency it is about (None: nothing required or not known)."""
    if finding.code == "PIN101" and kind in _LOCKABLE_KINDS and finding.fix and not finding.fix.startswith("generate hashes"):
        tools = "`pipenv lock`" if kind == "pipfile" else "`uv lock`, `poetry lock`, `pdm lock`"
        finding = finding.replace(fix=f"{finding.fix}, or lock the project ({tools})")
    if finding.code == "PIN101" and kind == "pyproject-library" and finding.package:
        finding = finding.replace(fix=f"declare the versions it supports, e.g. `{finding.package}>=<oldest that works>`")
    if advisory and finding.code in _ADVISORY_CODES and finding.severity == Severity.WARNING:
        finding = finding.with_severity(Severity.INFO)
    return finding


def vcs_info(name: Optional[str], url: str, ref: Optional[str], vcs: str = "git") -> PinInfo:
    """A VCS dependency given as url + ref (Poetry, uv sources, Pipfile tables)."""
    immutable = bool(ref) and (
        bool(_FULL_GIT_SHA.match(ref or "")) if vcs == "git" else bool(re.fullmatch(r"[0-9a-f]{40}", ref or "", re.I))
    )
    return PinInfo(name, PinLevel.EXACT if immutable else PinLevel.ANY, vcs_url=url, mutable_ref=None if immutable else (ref or ""))


def requirement_text_findings(
    text: str, absolute: str, shown: str, file_kind: str, context: RunContext, first_line: int = 1
) -> list[Finding]:
    """Requirement-file lines embedded in another file (tox deps, a conda `pip:` list).

    `text` holds the embedded lines at their column and with blank lines between them,
    starting at line `first_line` of the file, so every position comes out right (starting
    where the lines are, not at line 1, keeps a file of many such lists linear).
    `-r`/`-c` are followed relative to the file, as the tool would.
    """
    from guard.check.context import PathDisplay
    from guard.requirements.check import Tree, install_findings, run_reader
    from guard.requirements.reader import include_path, parse_requirement_text

    parsed = parse_requirement_text(shown, text, file_kind)
    tree = Tree(deps=list(parsed.deps), require_hashes=parsed.require_hashes, files=[shown])
    for error in parsed.errors:
        tree.findings.append(rule("GRD102").finding(shown, error.line, error.column, error.message))
    reader = run_reader(context, PathDisplay(context.cwd))
    for include in parsed.includes:
        target = include_path(absolute, include.target)
        if target is None or "{" in include.target or "$" in include.target:
            continue  # remote or templated: nothing on disk to read
        if not os.path.lexists(target):
            tree.findings.append(
                rule("GRD103").finding(
                    shown,
                    include.line,
                    include.column,
                    f"included file `{context.display(target)}` does not exist",
                    fix="point the include at an existing file, relative to this one",
                )
            )
            continue
        sub = reader.tree(target, "constraints" if include.constraint else None, site=(shown, include.line, include.column))
        tree.deps.extend(sub.deps)
        tree.findings.extend(sub.findings)
        tree.require_hashes = tree.require_hashes or sub.require_hashes
    findings = install_findings(tree, context.settings, reader)
    if first_line > 1:
        findings = [f.replace(line=f.line + first_line - 1) if f.path == shown and f.line else f for f in findings]
    context.texts.update(reader.texts)
    context.line_alias.update(reader.line_alias)
    return [
        _shaped(finding, file_kind, False, context.settings.required_level(file_kind, finding.package))
        if finding.path == shown
        else finding
        for finding in findings
    ]
