"""`--format json`: version 1 keeps every key and gains where each finding ends."""

from __future__ import annotations

import io
import json

from guard.finding import Finding, Severity
from guard.report import json_report


def test_end_positions_and_every_earlier_key() -> None:
    findings = [
        Finding("Dockerfile", 2, 5, "CMD201", "sudo-pip", Severity.ERROR, "root", fix="use a venv", end_line=3, end_column=12),
        Finding("requirements.txt", 4, 1, "PIN101", "unpinned-requirement", Severity.WARNING, "`x` is not pinned", package="x"),
    ]
    stream = io.StringIO()
    json_report.report(findings, stream, skipped=2)
    assert json.loads(stream.getvalue()) == {
        "version": 1,
        "findings": [
            {
                "path": "Dockerfile",
                "line": 2,
                "column": 5,
                "code": "CMD201",
                "name": "sudo-pip",
                "severity": "error",
                "message": "root",
                "package": None,
                "fix": "use a venv",
                "end_line": 3,
                "end_column": 12,
                "fix_applicable": False,
                "fix_edit": None,
            },
            {
                "path": "requirements.txt",
                "line": 4,
                "column": 1,
                "code": "PIN101",
                "name": "unpinned-requirement",
                "severity": "warning",
                "message": "`x` is not pinned",
                "package": "x",
                "fix": None,
                "end_line": 4,
                "end_column": 1,
                "fix_applicable": False,
                "fix_edit": None,
            },
        ],
        "skipped_fixtures": 2,
    }
