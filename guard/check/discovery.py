"""Which files `guard check` reads when given no paths, or directories."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

from guard.check.filekinds import kind_of_discovered, kind_of_explicit
from guard.config import Settings, glob_matches

SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "__pycache__",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "build",
        "dist",
        ".eggs",
        "site-packages",
        ".venv",
        "venv",
        ".direnv",
    }
)


# A test tree's inputs (`tests/fixtures/`, `tests/data/`) are samples for the tests, not the
# project's dependencies; they are skipped unless `include-fixtures` says otherwise.
TEST_DIRS = frozenset({"tests", "test", "testing"})
FIXTURE_DIRS = frozenset({"fixtures", "fixture", "data", "testdata", "test_data", "test-data", "resources"})


def is_excluded(relative_path: str, patterns: Sequence[str], root: Optional[str] = None) -> bool:
    """`exclude` globs match the path relative to the root, or any of its parent directories
    (an inherited file's anchored globs: `root` joined with the path)."""
    return any(glob_matches(relative_path, pattern, root) for pattern in patterns)


def fixture_dir_index(parts: Sequence[str]) -> int:
    """The index of the first fixture folder below a test folder among a path's directory
    components, or -1: `tests/fixtures/x.txt` -> 1, `src/data/x.txt` -> -1."""
    below_tests = False
    for index, part in enumerate(parts[:-1]):
        name = part.lower()
        if below_tests and name in FIXTURE_DIRS:
            return index
        below_tests = below_tests or name in TEST_DIRS
    return -1


@dataclass
class Discovered:
    files: list[tuple[str, str]] = field(default_factory=list)  # (path as shown, file kind)
    skipped_fixtures: int = 0  # files of a known kind in test fixtures, not checked


def find_files(paths: Sequence[str], cwd: str, settings: Settings) -> Discovered:
    """The files to check and their kinds. Explicit files are always checked, even when
    excluded or in test fixtures; `file-kinds` globs say a file's kind before its name does."""
    found = Discovered()
    seen: set[str] = set()
    base = settings.base_dir(cwd)

    def add(path: str, kind: str) -> None:
        key = os.path.normpath(path)
        if key not in seen:
            seen.add(key)
            found.files.append((path, kind))

    for given in paths or ["."]:
        absolute = os.path.join(cwd, given)
        if os.path.isdir(absolute):
            named = len(_parts(_relative(absolute, base, absolute))) if _is_below(absolute, base) else 0
            for path in _files_below(absolute):
                relative = _relative(path, base, absolute)
                kind = settings.file_kind_for(relative) or kind_of_discovered(relative if _is_below(path, base) else path, path)
                if kind is None or is_excluded(os.path.relpath(path, absolute), settings.exclude, absolute):
                    continue
                if not settings.include_fixtures and fixture_dir_index(_parts(relative)) >= named:
                    found.skipped_fixtures += 1
                    continue
                add(_shown(path, cwd, given, absolute), kind)
        else:
            relative = _relative(absolute, base, os.path.dirname(absolute))
            add(given, settings.file_kind_for(relative) or kind_of_explicit(absolute))
    return found


# `guard check -`: the name standard input is shown under without `--stdin-filename`.
STDIN = "-"


def stdin_file(name: Optional[str], cwd: str, settings: Settings) -> tuple[str, str]:
    """(path as shown, kind) of the file read from standard input. Named (`--stdin-filename`),
    its kind is what a file named on the command line at that path gets (`file-kinds`, the
    name, then the content, which the readers take from memory); unnamed, it is read as a
    requirement file called `-` (ruff, too, names unnamed input `-`)."""
    if name is None:
        return STDIN, "requirements"
    absolute = os.path.join(cwd, name)
    relative = _relative(absolute, settings.base_dir(cwd), os.path.dirname(absolute))
    return name, settings.file_kind_for(relative) or kind_of_explicit(absolute)


def _is_below(path: str, directory: str) -> bool:
    path, directory = os.path.abspath(path), os.path.abspath(directory)
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


def _relative(path: str, base: str, fallback: str) -> str:
    """`path` relative to the settings' base directory (where globs are rooted), else to the
    directory given on the command line."""
    return os.path.relpath(path, base if _is_below(path, base) else fallback).replace(os.sep, "/")


def _parts(relative: str) -> list[str]:
    return [part for part in relative.split("/") if part not in ("", ".")]


def _shown(path: str, cwd: str, given: str, absolute: str) -> str:
    relative_to_given = os.path.relpath(path, absolute)
    if os.path.isabs(given):
        return path
    return os.path.normpath(os.path.join(given, relative_to_given))


def _files_below(directory: str) -> Iterable[str]:
    tracked = _git_files(directory)
    if tracked is not None:
        return sorted(tracked)
    return sorted(_walk(directory))


def _git_files(directory: str) -> Optional[list[str]]:
    """Tracked plus untracked-but-not-ignored files, or None outside a git work tree.

    The checked tree's own `.git/config` is not to be trusted (a tree from an archive, a
    restored CI workspace): `core.fsmonitor` names a command that `ls-files` would run.
    It is switched off for this call, so that no configured command runs.
    """
    try:
        result = subprocess.run(
            ["git", "-c", "core.fsmonitor=false", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=directory,
            capture_output=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    names = result.stdout.decode("utf-8", "surrogateescape").split("\0")
    files = [os.path.join(directory, name) for name in names if name]
    environments: dict[str, bool] = {}
    # Deleted-but-still-tracked files are listed by git; there is nothing to read.
    submodules = _submodule_dirs(directory)
    return [
        path
        for path in files
        if os.path.lexists(path)
        and not _in_skipped_dir(directory, os.path.relpath(path, directory), environments)
        and not _into_missing_submodule(path, submodules)
    ]


def _submodule_dirs(directory: str) -> list[str]:
    """The `path = ...` directories of `.gitmodules` (absolute)."""
    try:
        with open(os.path.join(directory, ".gitmodules"), encoding="utf-8", errors="replace") as handle:
            text = handle.read(1 << 20)
    except OSError:
        return []
    found = []
    for line in text.splitlines():
        key, _, value = line.strip().partition("=")
        if key.strip() == "path" and value.strip():
            found.append(os.path.normpath(os.path.join(directory, value.strip())))
    return found


def _into_missing_submodule(path: str, submodules: list[str]) -> bool:
    """A tracked symlink into a submodule a plain clone does not check out (readthedocs.org's
    `.pre-commit-config.yaml -> common/...`): nothing the project can mend, so not a finding.
    Any other broken symlink is still reported."""
    if not submodules or not os.path.islink(path) or os.path.exists(path):
        return False
    target = os.path.normpath(os.path.join(os.path.dirname(path), os.readlink(path)))
    return any(target == sub or target.startswith(sub + os.sep) for sub in submodules)


def _in_skipped_dir(root: str, relative: str, environments: dict[str, bool]) -> bool:
    """Whether a listed file lies in a directory the walk would skip (by name, or because it
    is a virtual or conda environment: an untracked, unignored venv is still not the project)."""
    parts = relative.replace(os.sep, "/").split("/")[:-1]
    if any(part in SKIP_DIRS or part.endswith(".egg-info") for part in parts):
        return True
    for end in range(1, len(parts) + 1):
        directory = os.path.join(root, *parts[:end])
        if directory not in environments:
            environments[directory] = _is_environment(directory)
        if environments[directory]:
            return True
    return False


def _is_environment(directory: str) -> bool:
    return os.path.exists(os.path.join(directory, "pyvenv.cfg")) or os.path.exists(os.path.join(directory, "conda-meta"))


def _walk(directory: str) -> Iterable[str]:
    for root, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.endswith(".egg-info") and not _is_environment(os.path.join(root, d))]
        for name in files:
            yield os.path.join(root, name)
