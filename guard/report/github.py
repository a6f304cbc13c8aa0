"""`--format github`: GitHub Actions workflow commands, shown as annotations on the diff.

https://docs.github.com/actions/reference/workflow-commands-for-github-actions
"""

from __future__ import annotations

from typing import Any, Sequence, TextIO

from guard.finding import Finding, Severity

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _position(finding: Finding) -> list[str]:
    """`line`, `endLine`, `col`, `endColumn`: GitHub takes columns only on a single-line annotation."""
    if finding.line <= 0:
        return []
    end_line, end_column = finding.end
    end_line = max(end_line, finding.line)
    properties = [f"line={finding.line}", f"endLine={end_line}"]
    if finding.column > 0 and end_line == finding.line:
        properties.append(f"col={finding.column}")
        properties.append(f"endColumn={max(end_column, finding.column)}")
    return properties


def report(findings: Sequence[Finding], stream: TextIO, **_: Any) -> None:
    for finding in findings:
        properties = [f"file={_escape_property(finding.path)}", *_position(finding)]
        properties.append(f"title={_escape_property(f'{finding.code} {finding.name}')}")
        message = finding.message + (f" ({finding.fix})" if finding.fix else "")
        stream.write(f"::{_COMMAND[finding.severity]} {','.join(properties)}::{_escape_data(message)}\n")
