"""`--format gitlab`: a GitLab Code Quality report (`artifacts:reports:codequality`).

https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format: a JSON array of
issues, each with a description, a check name, a fingerprint, a severity and a location. GitLab
shows a finding as new in a merge request when its fingerprint is not in the target branch's
report, so the fingerprint leaves out where the finding is: editing lines above it must not make
it new. Two findings that would share one are told apart by how many came before (GitLab shows
findings with one fingerprint as one).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Sequence, TextIO

from guard.finding import Finding, Severity

# GitLab's scale is info < minor < major < critical < blocker; guard's error is a real defect
# (major), a warning a weakness (minor); nothing guard finds blocks on its own.
SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}

# Some parse errors say where they are ("line 3, column 7"); the fingerprint does not.
_POSITION_WORDS = re.compile(r"\b(line|column) \d+")


def issues(findings: Sequence[Finding]) -> list[dict[str, Any]]:
    seen: dict[str, int] = {}
    result = []
    for finding in findings:
        key = _identity(finding)
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        result.append(_issue(finding, _fingerprint(key, occurrence)))
    return result


def _identity(finding: Finding) -> str:
    """What makes a finding the same one across runs: its file, rule and what it is about."""
    subject = finding.package if finding.package else _POSITION_WORDS.sub(r"\1 N", finding.message)
    return "\0".join((_path(finding.path), finding.code, subject))


def _fingerprint(identity: str, occurrence: int) -> str:
    text = identity if occurrence == 0 else f"{identity}\0{occurrence}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _issue(finding: Finding, fingerprint: str) -> dict[str, Any]:
    # GitLab does not show `check_name`, so the description starts with the code, as in the text format.
    description = f"{finding.code} {finding.message}" + (f" ({finding.fix})" if finding.fix else "")
    return {
        "description": description,
        "check_name": finding.code,
        "fingerprint": fingerprint,
        "severity": SEVERITY[finding.severity],
        "location": {"path": _path(finding.path), "positions": _positions(finding)},
    }


def _positions(finding: Finding) -> dict[str, Any]:
    """Code Climate positions, 1-based; a finding about a whole file points at its first line."""
    line = max(finding.line, 1)
    column = max(finding.column, 1)
    end_line, end_column = finding.end
    end = (line, column) if (end_line, end_column) <= (line, column) else (end_line, max(end_column, 1))
    return {"begin": {"line": line, "column": column}, "end": {"line": end[0], "column": end[1]}}


def _path(path: str) -> str:
    return path.replace("\\", "/")


def report(findings: Sequence[Finding], stream: TextIO, **_: Any) -> None:
    from guard.report.jsontext import dumps

    stream.write(dumps(issues(findings)) + "\n")
