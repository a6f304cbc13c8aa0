"""`--format json`: a stable contract (docs/json-format.md). Version 1 never loses a key."""

from __future__ import annotations

from typing import Any, Sequence, TextIO

from guard.finding import Finding

FORMAT_VERSION = 1


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    end_line, end_column = finding.end
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
        "end_line": end_line,  # added in version 1: the start when guard knows no more
        "end_column": end_column,
    }


def report(findings: Sequence[Finding], stream: TextIO, *, skipped: int = 0, **_: Any) -> None:
    from guard.report.jsontext import dumps

    document: dict[str, Any] = {"version": FORMAT_VERSION, "findings": [finding_to_dict(f) for f in findings]}
    if skipped:
        document["skipped_fixtures"] = skipped  # added in version 1, only when files were skipped
    stream.write(dumps(document) + "\n")
