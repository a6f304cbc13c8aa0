"""Which files `guard check` reads when given no paths, or directories."""

from __future__ import annotations

import fnmatch
import os
import subprocess
from typing import Iterable, Optional, Sequence

from guard.check.filekinds import has_shell_shebang, kind_of, kind_of_explicit

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


def is_excluded(relative_path: str, patterns: Sequence[str]) -> bool:
    """`exclude` globs match the path relative to the root, or any of its parent directories."""
    path = relative_path.replace(os.sep, "/")
    parts = path.split("/")
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        if fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(parts[-1], pattern):
            return True
        for end in range(1, len(parts)):
            if fnmatch.fnmatch("/".join(parts[:end]), pattern):
                return True
    return False


def discover(paths: Sequence[str], cwd: str, exclude: Sequence[str]) -> list[tuple[str, str]]:
    """(path, kind) pairs to check. Explicit files are always checked, even when excluded."""
    found: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(path: str, kind: str) -> None:
        key = os.path.normpath(path)
        if key not in seen:
            seen.add(key)
            found.append((path, kind))

    for given in paths or ["."]:
        absolute = os.path.join(cwd, given)
        if os.path.isdir(absolute):
            for path in _files_below(absolute):
                kind = kind_of(path)
                if kind is None and "." not in os.path.basename(path) and has_shell_shebang(path):
                    kind = "shell"  # `bin/setup`, `scripts/bootstrap`: scripts by their shebang
                if kind is None:
                    continue
                relative = os.path.relpath(path, absolute)
                if is_excluded(relative, exclude):
                    continue
                add(_shown(path, cwd, given, absolute), kind)
        else:
            add(given, kind_of_explicit(absolute))
    return found


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
    """Tracked plus untracked-but-not-ignored files, or None outside a git work tree."""
    try:
        result = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
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
    return [
        path for path in files if os.path.lexists(path) and not _in_skipped_dir(directory, os.path.relpath(path, directory), environments)
    ]


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
