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
    fixes: Optional[Mapping[Finding, Any]] = None,
) -> None:
    """`skipped`: files in test fixtures that discovery left out (the text summary says so).
    `fixes`: what `--fix` does for a finding (`guard.fix.planner.Planned`), for the formats
    that mark fixable findings; reporters that do not take it ignore it."""
    reporter(output_format)(findings, stream, color=color, checked=checked, skipped=skipped, fixes=fixes or {})
