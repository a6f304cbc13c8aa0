"""What one `guard check` run shares between its checkers, and how it shows paths.

Its own module so that the run (`guard.check.run`) and the checkers it calls (requirement
files, manifests, pip calls) import it without importing each other.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Optional

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
        return self._given.get(absolute, path)


@dataclass
class RunContext:
    """What one run shares between checkers: where to put findings and the texts read."""

    cwd: str
    settings: Settings
    findings: list[Finding] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # shown path -> text, for suppressions
    line_alias: dict[str, dict[int, int]] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)  # per-checker state (parsed files)

    def read(self, path: str) -> Optional[tuple[str, str, str]]:
        """(absolute path, shown path, text) of a file to check, or None after reporting it as
        unreadable (GRD101). The text is kept for `# guard: ignore[...]` suppressions."""
        from guard.rules import get as rule
        from guard.text.decode import UnreadableFile, read_text

        absolute = self.path_display.remember(path)
        shown = self.display(absolute)
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
