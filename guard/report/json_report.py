"""`--format json`: a stable contract (docs/json-format.md). Version 1 never loses a key."""

from __future__ import annotations

import json
from typing import Any, Sequence, TextIO

from guard.finding import Finding

FORMAT_VERSION = 1


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    return {
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.label,
        "message": finding.message,
        "package": finding.package,
        "fix": finding.fix,
    }


def report(findings: Sequence[Finding], stream: TextIO, *, skipped: int = 0, **_: Any) -> None:
    document: dict[str, Any] = {"version": FORMAT_VERSION, "findings": [finding_to_dict(f) for f in findings]}
    if skipped:
        document["skipped_fixtures"] = skipped  # added in version 1, only when files were skipped
    stream.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
