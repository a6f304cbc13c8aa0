"""`guard check`: files -> parsed inputs -> rules -> findings -> suppressions -> settings."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Sequence

from guard.config import Settings
from guard.finding import Finding

TYPE_CHECKING = False
if TYPE_CHECKING:
    from guard.checks.requirements import PathDisplay


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
        from guard.textfile import UnreadableFile, read_text

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
        from guard.checks.requirements import PathDisplay

        display = self.cache.get("display")
        if display is None:
            display = self.cache["display"] = PathDisplay(self.cwd)
        assert isinstance(display, PathDisplay)
        return display

    def display(self, path: str) -> str:
        return self.path_display(path)


@dataclass(frozen=True)
class CheckResult:
    findings: list[Finding]
    files_checked: int


def check_paths(paths: Sequence[str], settings: Settings, cwd: str) -> list[Finding]:
    """All findings for `paths` (files or directories; none means `cwd`), settings applied."""
    return run_check(paths, settings, cwd).findings


def run_check(paths: Sequence[str], settings: Settings, cwd: str) -> CheckResult:
    """Like `check_paths`, with the number of files read."""
    from guard.discovery import discover
    from guard.filekinds import CHECKERS
    from guard.policy import apply_settings
    from guard.suppress import apply_suppressions

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
    from guard.policy import apply_settings
    from guard.suppress import apply_suppressions

    context = context or RunContext(cwd=cwd, settings=settings)
    from guard.checks.requirements_kind import check_files

    check_files(list(paths), context)
    selected = apply_settings(context.findings, settings)
    return apply_suppressions(selected, context.texts, context.line_alias, settings)
