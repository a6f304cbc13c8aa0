"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF consumers."""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence, TextIO

from guard import __version__
from guard.finding import Finding, Severity

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def document(findings: Sequence[Finding], fixes: Optional[Mapping[Finding, Any]] = None) -> dict[str, Any]:
    from guard import rules

    table = rules.all_rules()
    rule_ids = list(table)
    index = {code: position for position, code in enumerate(rule_ids)}
    descriptors = []
    for code in rule_ids:
        rule = table[code]
        page = rules.render_doc(rule)
        descriptors.append(
            {
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": rule.summary},
                "help": {"text": page, "markdown": page},
                "defaultConfiguration": {"level": _LEVEL[rule.severity], "enabled": rule.enabled_by_default},
            }
        )
    results = []
    uris: dict[str, str] = {}  # one quoting per file, not per finding
    for finding in findings:
        location: dict[str, Any] = {
            "artifactLocation": {
                "uri": uris.get(finding.path) or uris.setdefault(finding.path, _uri(finding.path)),
                "uriBaseId": "%SRCROOT%",
            }
        }
        if finding.line > 0:
            location["region"] = _region(finding)
        result: dict[str, Any] = {
            "ruleId": finding.code,
            "level": _LEVEL[finding.severity],
            "message": {"text": finding.message + (f" ({finding.fix})" if finding.fix else "")},
            "locations": [{"physicalLocation": location}],
        }
        if finding.code in index:
            result["ruleIndex"] = index[finding.code]
        if finding.package:
            result["properties"] = {"package": finding.package}
        planned = (fixes or {}).get(finding)
        if planned is not None and planned.applicable:
            result["fixes"] = [_fix(planned)]
        results.append(result)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "guard",
                        "semanticVersion": __version__,
                        "version": __version__,
                        "rules": descriptors,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The directory guard ran in."}}},
                "results": results,
            }
        ],
    }


def _fix(planned: Any) -> dict[str, Any]:
    """A SARIF `fix` (§3.55): the edits as `replacements` of each file's regions."""
    changes: dict[str, list[dict[str, Any]]] = {}
    for edit in planned.edits:
        region = {"startLine": edit.start_line, "startColumn": edit.start_column, "endLine": edit.end_line, "endColumn": edit.end_column}
        changes.setdefault(edit.path, []).append({"deletedRegion": region, "insertedContent": {"text": edit.replacement}})
    return {
        "description": {"text": planned.words},
        "artifactChanges": [
            {"artifactLocation": {"uri": _uri(path), "uriBaseId": "%SRCROOT%"}, "replacements": replacements}
            for path, replacements in changes.items()
        ],
    }


def _region(finding: Finding) -> dict[str, int]:
    """Start and end (SARIF §3.30: 1-based, `endColumn` just past the last character).

    Without an end column a region runs to the end of its last line: a finding whose reader gave
    no end (`finding.end` is its start) keeps that meaning rather than becoming an empty region.
    """
    end_line, end_column = finding.end
    region = {"startLine": finding.line}
    if finding.column > 0:
        region["startColumn"] = finding.column
    region["endLine"] = max(end_line, finding.line)
    if finding.column > 0 and end_column > 0 and (end_line, end_column) > (finding.line, finding.column):
        region["endColumn"] = end_column
    return region


def _uri(path: str) -> str:
    """A relative URI reference (SARIF §3.4.3): forward slashes, spaces and `%` escaped."""
    from urllib.parse import quote

    # `:` is escaped too: `a:requirements.txt` would otherwise read as a URI with scheme `a`.
    return quote(path.replace("\\", "/"), safe="/@!$&'()*+,;=-._~")


def report(findings: Sequence[Finding], stream: TextIO, *, fixes: Optional[Mapping[Finding, Any]] = None, **_: Any) -> None:
    from guard.report.jsontext import dumps

    stream.write(dumps(document(findings, fixes)) + "\n")
