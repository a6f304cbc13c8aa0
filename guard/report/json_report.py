"""`--format json`: a stable contract (docs/json-format.md). Version 1 never loses a key."""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence, TextIO

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


def fix_to_dict(planned: Any) -> dict[str, Any]:
    """`fix_applicable` and `fix_edit` (added in version 1; `fix` stays the one-line hint)."""
    if planned is None or not planned.applicable:
        return {"fix_applicable": False, "fix_edit": None}
    edits = [
        {
            "path": edit.path,
            "start": {"line": edit.start_line, "column": edit.start_column},
            "end": {"line": edit.end_line, "column": edit.end_column},
            "replacement": edit.replacement,
        }
        for edit in planned.edits
    ]
    return {"fix_applicable": True, "fix_edit": {"description": planned.words, "edits": edits}}


def report(
    findings: Sequence[Finding], stream: TextIO, *, skipped: int = 0, fixes: Optional[Mapping[Finding, Any]] = None, **_: Any
) -> None:
    from guard.report.jsontext import dumps

    marks = fixes or {}
    document: dict[str, Any] = {
        "version": FORMAT_VERSION,
        "findings": [{**finding_to_dict(f), **fix_to_dict(marks.get(f))} for f in findings],
    }
    if skipped:
        document["skipped_fixtures"] = skipped  # added in version 1, only when files were skipped
    stream.write(dumps(document) + "\n")
