"""Reporters: plain functions `report(findings, stream, *, color, summary)`, one per format."""

from __future__ import annotations

import importlib
from typing import Callable, Sequence, TextIO

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
    findings: Sequence[Finding], stream: TextIO, output_format: str, *, color: bool = False, checked: int = 0, skipped: int = 0
) -> None:
    """`skipped`: files in test fixtures that discovery left out (the text summary says so)."""
    reporter(output_format)(findings, stream, color=color, checked=checked, skipped=skipped)
