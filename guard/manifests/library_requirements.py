"""Requirement files a library's packaging reads as its own dependencies (docs/manifests.md).

`setup.py` reading `requirements/*.txt` into `install_requires`, setup.cfg's
`install_requires = file: requirements.txt`, setuptools' `[tool.setuptools.dynamic]` and
hatch-requirements-txt: such a file is the library's dependency list written in another
syntax, so it gets the library's policy (kind `requirements-library`: no pin demanded, a
dependency with no constraint at all is reported at info), not the exact pins an install
needs. Found by reading the packaging files, never by running them.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Optional

from guard.finding import Finding, Severity
from guard.manifests.kind import project_kind
from guard.requirements.check import LIBRARY_REASONS

if TYPE_CHECKING:
    from guard.check.context import RunContext
    from guard.config import Settings

LIBRARY_REQUIREMENTS = "requirements-library"
CACHE_KEY = LIBRARY_REASONS  # context.cache: shown path -> why it is a library's

# How far above a requirement file its project may be (`requirements/extras/x.txt` is two).
_MAX_LEVELS_UP = 4
# Findings about how firmly something is pinned: information in a library, as in pyproject.toml.
_ADVISORY_CODES = ("PIN101", "PIN102", "PIN103", "PIN104", "PIN109")


@dataclass(frozen=True)
class PackagingRead:
    glob: str  # relative to the project directory, `/`-separated
    reason: str  # for messages: "read by setup.py as the package's dependencies"


def packaging_reads(project_dir: str) -> list[PackagingRead]:
    """The requirement files the packaging files in `project_dir` read as dependencies."""
    from guard.manifests.pyproject import read_requirement_files as pyproject_files
    from guard.manifests.pyproject import sibling_data
    from guard.manifests.setup_cfg import read_requirement_files as setup_cfg_files
    from guard.manifests.setup_py import read_requirement_globs

    reads: list[PackagingRead] = []
    text = _text(os.path.join(project_dir, "setup.py"))
    if text is not None:
        words = "read by setup.py as the package's dependencies"
        reads.extend(PackagingRead(glob, words) for glob in read_requirement_globs(text, project_dir))
    text = _text(os.path.join(project_dir, "setup.cfg"))
    if text is not None:
        words = "named by `file:` in setup.cfg as the package's dependencies"
        reads.extend(PackagingRead(_glob(name), words) for name in setup_cfg_files(text))
    data = sibling_data(project_dir)
    if data is not None:
        for name, reader in pyproject_files(data):
            reads.append(PackagingRead(_glob(name), f"read by {reader} as the package's dependencies"))
    return reads


def _text(path: str) -> Optional[str]:
    from guard.text.decode import UnreadableFile, read_text

    if not os.path.isfile(path):
        return None
    try:
        return read_text(path)
    except UnreadableFile:
        return None  # its own check reports it


def _glob(name: str) -> str:
    """A file name as written in a manifest, as a glob that matches only itself."""
    path = os.path.normpath(name.strip()).replace(os.sep, "/")
    return "".join(f"[{c}]" if c in "*?[" else c for c in path)


class LibraryRequirements:
    """Which requirement files of one run a library's packaging reads, and why."""

    def __init__(self, settings: Settings, base: str) -> None:
        self._settings = settings
        self._base = os.path.abspath(base)
        self._reads: dict[str, list[PackagingRead]] = {}
        self._library: dict[str, bool] = {}

    def reason(self, path: str) -> Optional[str]:
        """Why the requirement file at `path` is a library's dependency list, or None. The
        nearest project directory above it that reads it decides."""
        absolute = os.path.abspath(path)
        for directory in self._projects_above(absolute):
            relative = os.path.relpath(absolute, directory).replace(os.sep, "/")
            for read in self._reads_of(directory):
                if fnmatch.fnmatchcase(relative, read.glob):
                    return read.reason if self._is_library(directory) else None
        return None

    def _projects_above(self, absolute: str) -> list[str]:
        directories: list[str] = []
        directory = os.path.dirname(absolute)
        for _ in range(_MAX_LEVELS_UP):
            directories.append(directory)
            below_base = directory.startswith(self._base + os.sep)
            parent = os.path.dirname(directory)
            if not below_base or os.path.exists(os.path.join(directory, ".git")) or parent == directory:
                break
            directory = parent
        return directories

    def _reads_of(self, directory: str) -> list[PackagingRead]:
        if directory not in self._reads:
            self._reads[directory] = packaging_reads(directory)
        return self._reads[directory]

    def _is_library(self, directory: str) -> bool:
        if directory not in self._library:
            from guard.manifests.pyproject import sibling_data

            relative = os.path.relpath(directory, self._base).replace(os.sep, "/")
            settings = self._settings.for_path(relative)
            self._library[directory] = project_kind(directory, sibling_data(directory), settings.project_kind).library
        return self._library[directory]


def check_files(paths: list[str], context: RunContext) -> None:
    """Each file as the root of one install, with the library's policy for every dependency
    it (and what it includes) declares; `context.cache[CACHE_KEY]` says why, per path."""
    from guard.requirements.check import check_tree, run_reader

    reasons: dict[str, str] = context.cache.get(CACHE_KEY, {})
    reader = run_reader(context)
    for path in paths:
        tree = reader.tree(context.path_display.remember(path), LIBRARY_REQUIREMENTS)
        # what it includes is read by the same packaging code (`-r base.txt`): the same policy
        tree.deps = [replace(dep, file_kind=LIBRARY_REQUIREMENTS) if dep.file_kind == "requirements" else dep for dep in tree.deps]
        reason = reasons.get(path, "read by the package's build as its dependencies")
        context.findings.extend(_shaped(finding, reason) for finding in check_tree(tree, context.settings))
    context.texts.update(reader.texts)
    context.line_alias.update(reader.line_alias)


def _shaped(finding: Finding, reason: str) -> Finding:
    if finding.code not in _ADVISORY_CODES:
        return finding
    if finding.code == "PIN101" and finding.package:
        finding = finding.replace(fix=f"declare the versions it supports, e.g. `{finding.package}>=<oldest that works>`")
    if finding.severity == Severity.WARNING:
        finding = finding.with_severity(Severity.INFO)
    return finding.replace(message=f"{finding.message} ({reason})")
