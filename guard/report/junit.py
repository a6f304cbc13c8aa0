"""`--format junit`: JUnit XML (`artifacts:reports:junit` in GitLab, test report actions on GitHub, Jenkins).

One `<testsuite>` per file, one failing `<testcase>` per finding: a CI test view then groups the
findings where they are fixed, as ruff's and ESLint's JUnit output do. A clean run is one passing
test case, so the run shows in the CI's test view rather than vanishing. The shape follows the
Jenkins/Ant JUnit schema (tests/report/schemas/), which allows no line attribute on a test case:
the place is in the failure text. Everything outside ASCII is written as character references,
so the document stays UTF-8 whatever the stream's encoding.
"""

from __future__ import annotations

import re
from typing import Any, Sequence, TextIO

from guard.finding import Finding

# Characters XML 1.0 cannot carry at all, even as references: written as Python escapes instead.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ATTRIBUTE_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}
_TEXT_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_ATTRIBUTE_SPECIAL = re.compile('[&<>"\t\n\r]')
_TEXT_SPECIAL = re.compile("[&<>\r]")


def _clean(text: str) -> str:
    return _NOT_XML.sub(lambda match: ascii(match.group())[1:-1], text)


def _attribute(text: str) -> str:
    return '"' + _ATTRIBUTE_SPECIAL.sub(lambda match: _ATTRIBUTE_ESCAPES[match.group()], _clean(text)) + '"'


def _text(text: str) -> str:
    return _TEXT_SPECIAL.sub(lambda match: _TEXT_ESCAPES[match.group()], _clean(text))


def _place(finding: Finding) -> str:
    return f"{finding.path}:{finding.line}:{finding.column}:" if finding.line > 0 else f"{finding.path}:"


def _testcase(finding: Finding) -> str:
    body = f"{_place(finding)} {finding.code} {finding.message} [{finding.name}]"
    if finding.fix:
        body += f"\nhint: {finding.fix}"
    return (
        f"    <testcase name={_attribute(f'{finding.code} {finding.message}')} classname={_attribute(finding.path)}>\n"
        f"      <failure message={_attribute(finding.message)} type={_attribute(f'{finding.code} {finding.name}')}>"
        f"{_text(body)}</failure>\n"
        "    </testcase>\n"
    )


def _by_file(findings: Sequence[Finding]) -> dict[str, list[Finding]]:
    files: dict[str, list[Finding]] = {}
    for finding in findings:
        files.setdefault(finding.path, []).append(finding)
    return files


def _clean_run(checked: int) -> list[str]:
    summary = f"No findings in {checked} file{'s' if checked != 1 else ''}."
    return [
        '  <testsuite name="guard" tests="1" failures="0" errors="0" skipped="0">\n',
        '    <testcase name="guard check" classname="guard">\n',
        f"      <system-out>{summary}</system-out>\n",
        "    </testcase>\n",
        "  </testsuite>\n",
    ]


def document(findings: Sequence[Finding], *, checked: int = 0) -> str:
    tests = max(len(findings), 1)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<testsuites name="guard" tests="{tests}" failures="{len(findings)}" errors="0">\n',
    ]
    if not findings:
        parts.extend(_clean_run(checked))
    for path, in_file in _by_file(findings).items():
        count = len(in_file)
        parts.append(f'  <testsuite name={_attribute(path)} tests="{count}" failures="{count}" errors="0" skipped="0">\n')
        parts.extend(_testcase(finding) for finding in in_file)
        parts.append("  </testsuite>\n")
    parts.append("</testsuites>\n")
    return "".join(parts).encode("ascii", "xmlcharrefreplace").decode("ascii")


def report(findings: Sequence[Finding], stream: TextIO, *, checked: int = 0, **_: Any) -> None:
    stream.write(document(findings, checked=checked))
