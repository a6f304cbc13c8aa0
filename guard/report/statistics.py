"""`--statistics`: how many findings of each code, instead of the findings (ruff's layout).

Text: one line per code, `count<TAB>code<TAB>name`, the count right-aligned, most frequent
first (ties by code), then the summary line. ruff puts a fixable mark (`[*]`) between code
and name; guard's hints are not applied by a fix, so there is no such column.
JSON: `{"version": 1, "statistics": [{"code", "name", "count"}, ...]}` in the same order
(ruff's keys, less its fixable ones), an empty list when there is nothing to count.
"""

from __future__ import annotations

import json
from typing import Any, Sequence, TextIO

from guard.finding import Finding

FORMATS = ("text", "json")


def counted(findings: Sequence[Finding]) -> list[tuple[Finding, int]]:
    """(the first finding of each code, how many findings have that code), most first."""
    first: dict[str, Finding] = {}
    counts: dict[str, int] = {}
    for finding in findings:
        first.setdefault(finding.code, finding)
        counts[finding.code] = counts.get(finding.code, 0) + 1
    return [(first[code], counts[code]) for code in sorted(counts, key=lambda code: (-counts[code], code))]


def report(
    findings: Sequence[Finding], stream: TextIO, output_format: str, *, checked: int = 0, skipped: int = 0, summary: bool = True
) -> None:
    rows = counted(findings)
    if output_format == "json":
        document: dict[str, Any] = {
            "version": 1,
            "statistics": [{"code": finding.code, "name": finding.name, "count": count} for finding, count in rows],
        }
        stream.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return
    width = len(str(rows[0][1])) if rows else 0
    for finding, count in rows:
        stream.write(f"{count:>{width}}\t{finding.code}\t{finding.name}\n")
    if summary:
        from guard.report.text import write_summary

        write_summary(findings, stream, checked=checked, skipped=skipped)
