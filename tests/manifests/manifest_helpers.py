"""Shared by the manifest tests: write files into a directory, run `guard check` on it."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from guard.check.run import check_paths
from guard.config import load_settings

COMMIT = "0123456789abcdef0123456789abcdef01234567"
SHA = "sha256:" + "a" * 64

Row = tuple[str, str, int, int, str]  # code, path, line, column, severity


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def run(root: Path, files: dict[str, str], paths: Optional[list[str]] = None, **overrides: object) -> list[Row]:
    """(code, path, line, column, severity) of every finding, in report order."""
    return [(f.code, f.path, f.line, f.column, f.severity.label) for f in findings(root, files, paths, **overrides)]


def findings(root: Path, files: dict[str, str], paths: Optional[list[str]] = None, **overrides: object) -> list:  # type: ignore[type-arg]
    write(root, files)
    settings = load_settings(cwd=root, environ={}, overrides=overrides or None)
    return check_paths(paths or [], settings, str(root))


def at(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """Line and column where `needle` is written in `text` (its n-th occurrence)."""
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1
