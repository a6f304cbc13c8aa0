"""What one `guard check` run shares between its checkers, and how it shows paths.

Its own module so that the run (`guard.check.run`) and the checkers it calls (requirement
files, manifests, pip calls) import it without importing each other.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

from guard.config import Settings
from guard.finding import Finding


class PathDisplay:
    """Shows paths relative to the working directory when they are below it, else as the user
    gave them (`../../requirements.txt` stays so; an absolute path stays absolute)."""

    def __init__(self, cwd: str) -> None:
        self._cwd = os.path.abspath(cwd)
        self._given: dict[str, str] = {}

    def remember(self, given: str) -> str:
        """Note how the user wrote a path; returns its absolute form for reading."""
        absolute = os.path.abspath(os.path.join(self._cwd, given))
        if not os.path.isabs(given):
            self._given.setdefault(absolute, os.path.normpath(given))
        return absolute

    def __call__(self, path: str) -> str:
        absolute = os.path.abspath(os.path.join(self._cwd, path))
        if absolute == self._cwd or absolute.startswith(self._cwd + os.sep):
            return os.path.relpath(absolute, self._cwd)
        return self._given.get(absolute, os.path.normpath(path))


class TreeBoundary:
    """The directories a run may read: the checked tree (the git work tree holding the
    working directory, else the working directory) and the tree of each path the user named.

    A tracked symlink `requirements.txt -> /etc/shadow`, `-r /etc/shadow` or
    `-r ../../x/.netrc` would otherwise put another file's lines into findings, and from there
    into CI logs and code scanning. `read-outside = true` lifts it.
    """

    def __init__(self, roots: Sequence[str]) -> None:
        self.roots = tuple(sorted({os.path.realpath(root) for root in roots}))

    @classmethod
    def for_run(cls, cwd: str, paths: Sequence[str]) -> TreeBoundary:
        starts = [cwd] + [os.path.join(cwd, path) for path in paths]
        return cls([tree_root(path if os.path.isdir(path) else os.path.dirname(path) or cwd) for path in starts])

    def refusal(self, path: str) -> Optional[str]:
        """Why `path` is not read (it lies or links outside every root), or None."""
        try:
            real = os.path.realpath(path)
        except (OSError, ValueError):
            return None  # the read itself will say what is wrong
        if any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in self.roots):
            return None
        if os.path.realpath(os.path.dirname(os.path.abspath(path))) != os.path.dirname(real) or os.path.islink(path):
            return "links outside the checked tree; not read (`read-outside = true` reads it)"
        return "is outside the checked tree; not read (`read-outside = true` reads it)"


def tree_root(directory: str) -> str:
    """The nearest directory at or above `directory` holding `.git`, else `directory`."""
    start = current = os.path.abspath(directory)
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return start
        current = parent


@dataclass
class RunContext:
    """What one run shares between checkers: where to put findings and the texts read."""

    cwd: str
    settings: Settings
    findings: list[Finding] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # shown path -> text, for suppressions
    line_alias: dict[str, dict[int, int]] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)  # per-checker state (parsed files)
    boundary: Optional[TreeBoundary] = None  # None: any file may be read
    pip_version: Optional[str] = None  # the pip that reads the requirement files; None: the newest

    def read(self, path: str) -> Optional[tuple[str, str, str]]:
        """(absolute path, shown path, text) of a file to check, or None after reporting it as
        unreadable (GRD101). The text is kept for `# guard: ignore[...]` suppressions."""
        from guard.rules import get as rule
        from guard.text.decode import UnreadableFile, read_text

        absolute = self.path_display.remember(path)
        shown = self.display(absolute)
        refused = self.boundary.refusal(absolute) if self.boundary is not None else None
        if refused is not None:
            self.findings.append(rule("GRD101").finding(shown, 0, 0, f"cannot read `{shown}`: {refused}"))
            return None
        try:
            text = read_text(absolute)
        except UnreadableFile as error:
            self.findings.append(rule("GRD101").finding(shown, 0, 0, f"cannot read `{shown}`: {error}"))
            return None
        self.texts[shown] = text
        return absolute, shown, text

    @property
    def path_display(self) -> PathDisplay:
        display = self.cache.get("display")
        if display is None:
            display = self.cache["display"] = PathDisplay(self.cwd)
        assert isinstance(display, PathDisplay)
        return display

    def display(self, path: str) -> str:
        return self.path_display(path)
