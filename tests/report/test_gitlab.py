"""`--format gitlab`: GitLab Code Quality, validated against the schema GitLab itself applies."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Optional

import pytest

from guard.finding import Finding, Severity
from guard.report import gitlab

jsonschema = pytest.importorskip("jsonschema")

SCHEMA = Path(__file__).parent / "schemas" / "gitlab-codeclimate.json"
SEVERITIES = {"info", "minor", "major", "critical", "blocker"}

REQUIREMENTS = "requests\nflask==2.3.3\nfoo=1\nrequests\n"
SETUP_CFG = "[metadata]\nname = x\nthis is junk\n[options]\ninstall_requires =\n    requests\n"


def _guard(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GUARD_")}
    return subprocess.run([sys.executable, "-m", "guard", "check", "--isolated", *args], cwd=cwd, capture_output=True, env=environment)


def _project(root: Path, requirements: str = REQUIREMENTS, setup_cfg: str = SETUP_CFG) -> None:
    (root / "requirements.txt").write_text(requirements, encoding="utf-8")
    (root / "setup.cfg").write_text(setup_cfg, encoding="utf-8")
    (root / "requirements-dev.txt").write_bytes(b"a\x00b")


def _report(root: Path) -> Any:
    result = _guard(root, "--format", "gitlab")
    assert result.returncode == 1, result.stderr
    assert not result.stdout.startswith(b"\xef\xbb\xbf")  # GitLab's parser refuses a byte order mark
    return json.loads(result.stdout.decode("utf-8"))


def _sha(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _at(line: int, column: int, end_column: Optional[int] = None) -> dict[str, Any]:
    end = column if end_column is None else end_column
    return {"begin": {"line": line, "column": column}, "end": {"line": line, "column": end}}


def _documented_rules(issue: dict[str, Any]) -> list[str]:
    """What GitLab's documentation asks beyond its schema (which takes any string as a severity)."""
    problems = []
    if not isinstance(issue.get("check_name"), str) or not issue["check_name"]:
        problems.append("check_name")
    if issue.get("severity") not in SEVERITIES:
        problems.append("severity")
    if not isinstance(issue["location"].get("path"), str) or issue["location"]["path"].startswith("/"):
        problems.append("path")
    begin = issue["location"].get("positions", {}).get("begin", {}).get("line")
    if not isinstance(begin, int) or begin < 1:
        problems.append("line")
    return problems


def test_a_real_run_is_valid_for_gitlab(tmp_path: Path) -> None:
    _project(tmp_path)
    issues = _report(tmp_path)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    assert isinstance(issues, list)
    assert [sorted(map(str, validator.iter_errors(issue))) for issue in issues] == [[]] * len(issues)
    assert [_documented_rules(issue) for issue in issues] == [[]] * len(issues)
    hint = "pin one version: `requests==<version>`"
    unpinned = "`requests` is not pinned (any version); requirement files require exact"
    junk = "`setup.cfg` line 3 is neither a section, a `key = value` nor a continuation"
    library = "`requests` is not pinned (any version); a library's dependencies require constrained"
    assert issues == [
        {
            "description": "GRD101 cannot read `requirements-dev.txt`: is a binary file",
            "check_name": "GRD101",
            "fingerprint": _sha("requirements-dev.txt", "GRD101", "cannot read `requirements-dev.txt`: is a binary file"),
            "severity": "major",
            "location": {"path": "requirements-dev.txt", "positions": _at(1, 1)},
        },
        {
            "description": f"PIN101 {unpinned} ({hint})",
            "check_name": "PIN101",
            "fingerprint": _sha("requirements.txt", "PIN101", "requests"),
            "severity": "minor",
            "location": {"path": "requirements.txt", "positions": _at(1, 1, 9)},
        },
        {
            "description": "PIN108 `foo=1` uses a single `=`; pip needs `==` (`foo==1`) (`guard check --fix` writes `foo==1`)",
            "check_name": "PIN108",
            "fingerprint": _sha("requirements.txt", "PIN108", "foo"),
            "severity": "major",
            "location": {"path": "requirements.txt", "positions": _at(3, 1, 6)},
        },
        {
            "description": f"PIN101 {unpinned} ({hint})",
            "check_name": "PIN101",
            "fingerprint": _sha("requirements.txt", "PIN101", "requests", "1"),
            "severity": "minor",
            "location": {"path": "requirements.txt", "positions": _at(4, 1, 9)},
        },
        {
            "description": f"GRD102 {junk}",
            "check_name": "GRD102",
            "fingerprint": _sha("setup.cfg", "GRD102", junk.replace("line 3", "line N")),
            "severity": "major",
            "location": {"path": "setup.cfg", "positions": _at(3, 1, 13)},
        },
        {
            "description": f"PIN101 {library} (declare the versions it supports, e.g. `requests>=<oldest that works>`)",
            "check_name": "PIN101",
            "fingerprint": _sha("setup.cfg", "PIN101", "requests"),
            "severity": "info",
            "location": {"path": "setup.cfg", "positions": _at(6, 5, 13)},
        },
    ]


def test_fingerprints_survive_runs_and_moved_lines(tmp_path: Path) -> None:
    _project(tmp_path)
    first = _report(tmp_path)
    assert _report(tmp_path) == first
    _project(
        tmp_path,
        requirements="# moved down\n\nrequests\nflask==2.3.3\nfoo=1\nrequests\n",
        setup_cfg="# moved\n[metadata]\nname = x\n\nthis is junk\n[options]\ninstall_requires =\n    requests\n",
    )
    moved = _report(tmp_path)
    assert [issue["fingerprint"] for issue in moved] == [issue["fingerprint"] for issue in first]
    assert [issue["location"]["positions"]["begin"]["line"] for issue in moved] == [1, 3, 5, 6, 5, 8]
    assert [issue["location"]["positions"]["begin"]["line"] for issue in first] == [1, 1, 3, 4, 3, 6]


def test_identical_findings_in_one_file_differ(tmp_path: Path) -> None:
    _project(tmp_path, requirements="requests\nrequests\nrequests\n")
    fingerprints = [issue["fingerprint"] for issue in _report(tmp_path) if issue["location"]["path"] == "requirements.txt"]
    assert fingerprints == [
        _sha("requirements.txt", "PIN101", "requests"),
        _sha("requirements.txt", "PIN101", "requests", "1"),
        _sha("requirements.txt", "PIN101", "requests", "2"),
    ]


def test_a_clean_run_is_an_empty_array(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("flask==2.3.3\n", encoding="utf-8")
    result = _guard(tmp_path, "--format", "gitlab")
    assert (result.returncode, result.stdout, result.stderr) == (0, b"[]\n", b"")


def test_severity_mapping_and_end_positions() -> None:
    findings = [
        Finding("Dockerfile", 2, 5, "CMD201", "sudo-pip", Severity.ERROR, "`sudo pip install` writes as root", end_line=2, end_column=25),
        Finding("a\\b.txt", 1, 1, "PIN101", "unpinned-requirement", Severity.WARNING, "`x` is not pinned", package="x"),
        Finding("ci.yml", 3, 7, "CMD210", "x", Severity.INFO, "multi-line", end_line=5, end_column=3),
    ]
    stream = io.StringIO()
    gitlab.report(findings, stream)
    issues = json.loads(stream.getvalue())
    assert [issue["severity"] for issue in issues] == ["major", "minor", "info"]
    assert [issue["location"] for issue in issues] == [
        {"path": "Dockerfile", "positions": {"begin": {"line": 2, "column": 5}, "end": {"line": 2, "column": 25}}},
        {"path": "a/b.txt", "positions": _at(1, 1)},
        {"path": "ci.yml", "positions": {"begin": {"line": 3, "column": 7}, "end": {"line": 5, "column": 3}}},
    ]


def test_help_lists_the_formats(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "guard", "check", "--help"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0
    # the choices as argparse prints them, whatever other names the option gains
    assert "{text,json,github,sarif,gitlab,junit}\n" in result.stdout
