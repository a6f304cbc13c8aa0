"""Reporters: plain functions `report(findings, stream, *, color, summary)`, one per format."""

from __future__ import annotations

import importlib
from typing import Any, Callable, Mapping, Optional, Sequence, TextIO

from guard.finding import Finding

FORMATS: dict[str, str] = {
    "text": "guard.report.text:report",
    "json": "guard.report.json_report:report",
    "github": "guard.report.github:report",
    "sarif": "guard.report.sarif:report",
    "gitlab": "guard.report.gitlab:report",
    "junit": "guard.report.junit:report",
}

Reporter = Callable[..., None]


def reporter(name: str) -> Reporter:
    module_name, _, function = FORMATS[name].partition(":")
    found: Reporter = getattr(importlib.import_module(module_name), function)
    return found


def write(
    findings: Sequence[Finding],
    stream: TextIO,
    output_format: str,
    *,
    color: bool = False,
    checked: int = 0,
    skipped: int = 0,
    summary: bool = True,
    fixes: Optional[Mapping[Finding, Any]] = None,
) -> None:
    """`skipped`: files in test fixtures that discovery left out (the text summary says so);
    `summary`: False (`--quiet`) leaves the text summary out; `fixes`: what `--fix` does for a
    finding (`guard.fix.planner.Planned`), for the formats that mark fixable findings."""
    # passed only when off: a reporter without a summary need not know the keyword
    quiet = {} if summary else {"summary": False}
    marks: dict[str, Any] = {"fixes": fixes} if fixes else {}  # likewise, only when there are some
    reporter(output_format)(findings, stream, color=color, checked=checked, skipped=skipped, **quiet, **marks)
