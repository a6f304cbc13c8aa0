"""`--statistics`: how many findings of each code, instead of the findings (ruff's layout).

Text: one line per code, `count<TAB>code<TAB>[*]<TAB>name`, the count right-aligned, most
frequent first (ties by code), then the summary line; `[*]` when `guard check --fix` can
mend some of that code's findings, else `[ ]` (ruff's layout).
JSON: `{"version": 1, "statistics": [{"code", "name", "count", "fixable", "fixable_count"}, ...]}`
in the same order (ruff's keys), an empty list when there is nothing to count.
"""

from __future__ import annotations

import json
from typing import Any, Mapping, Optional, Sequence, TextIO

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
    findings: Sequence[Finding],
    stream: TextIO,
    output_format: str,
    *,
    checked: int = 0,
    skipped: int = 0,
    summary: bool = True,
    fixes: Optional[Mapping[Finding, Any]] = None,
) -> None:
    rows = counted(findings)
    fixable: dict[str, int] = {}
    for finding, planned in (fixes or {}).items():
        if planned is not None and planned.applicable:
            fixable[finding.code] = fixable.get(finding.code, 0) + 1
    if output_format == "json":
        document: dict[str, Any] = {
            "version": 1,
            "statistics": [
                {
                    "code": finding.code,
                    "name": finding.name,
                    "count": count,
                    "fixable": finding.code in fixable,
                    "fixable_count": fixable.get(finding.code, 0),
                }
                for finding, count in rows
            ],
        }
        stream.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return
    width = len(str(rows[0][1])) if rows else 0
    for finding, count in rows:
        mark = "[*]" if finding.code in fixable else "[ ]"
        stream.write(f"{count:>{width}}\t{finding.code}\t{mark}\t{finding.name}\n")
    if summary:
        from guard.report.text import write_summary

        write_summary(findings, stream, checked=checked, skipped=skipped)
