"""`--format junit`: JUnit XML, validated against the Jenkins/Ant JUnit schema."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from guard.finding import Finding, Severity
from guard.report import junit

xmlschema = pytest.importorskip("xmlschema")

SCHEMA = Path(__file__).parent / "schemas" / "junit-10.xsd"


@pytest.fixture(scope="module")
def schema() -> object:
    return xmlschema.XMLSchema10(str(SCHEMA))


def _guard(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GUARD_")}
    return subprocess.run([sys.executable, "-m", "guard", "check", "--isolated", *args], cwd=cwd, capture_output=True, env=environment)


def _errors(schema: object, document: bytes) -> list[str]:
    assert isinstance(schema, xmlschema.XMLSchema10)
    return [str(error.reason) for error in schema.iter_errors(document.decode("utf-8"))]


def test_a_run_with_findings(tmp_path: Path, schema: object) -> None:
    (tmp_path / "requirements.txt").write_text("requests\nflask==2.3.3\nfoo=1\n", encoding="utf-8")
    (tmp_path / "requirements-dev.txt").write_bytes(b"a\x00b")
    result = _guard(tmp_path, "--format", "junit")
    assert result.returncode == 1, result.stderr
    assert _errors(schema, result.stdout) == []
    unpinned = "`requests` is not pinned (any version); requirement files require exact"
    assert result.stdout.decode("utf-8").splitlines() == [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="guard" tests="3" failures="3" errors="0">',
        '  <testsuite name="requirements-dev.txt" tests="1" failures="1" errors="0" skipped="0">',
        '    <testcase name="GRD101 cannot read `requirements-dev.txt`: is a binary file" classname="requirements-dev.txt">',
        '      <failure message="cannot read `requirements-dev.txt`: is a binary file" type="GRD101 unreadable-file">'
        "requirements-dev.txt: GRD101 cannot read `requirements-dev.txt`: is a binary file [unreadable-file]</failure>",
        "    </testcase>",
        "  </testsuite>",
        '  <testsuite name="requirements.txt" tests="2" failures="2" errors="0" skipped="0">',
        f'    <testcase name="PIN101 {unpinned}" classname="requirements.txt">',
        f'      <failure message="{unpinned}" type="PIN101 unpinned-requirement">'
        f"requirements.txt:1:1: PIN101 {unpinned} [unpinned-requirement]",
        "hint: pin one version: `requests==&lt;version&gt;`</failure>",
        "    </testcase>",
        '    <testcase name="PIN108 `foo=1` uses a single `=`; pip needs `==` (`foo==1`)" classname="requirements.txt">',
        '      <failure message="`foo=1` uses a single `=`; pip needs `==` (`foo==1`)" type="PIN108 invalid-requirement">'
        "requirements.txt:3:1: PIN108 `foo=1` uses a single `=`; pip needs `==` (`foo==1`) [invalid-requirement]",
        "hint: `guard check --fix` writes `foo==1`</failure>",
        "    </testcase>",
        "  </testsuite>",
        "</testsuites>",
    ]


def test_a_clean_run_is_one_passing_test(tmp_path: Path, schema: object) -> None:
    (tmp_path / "requirements.txt").write_text("flask==2.3.3\n", encoding="utf-8")
    (tmp_path / "constraints.txt").write_text("click==8.1.7\n", encoding="utf-8")
    result = _guard(tmp_path, "--format", "junit", "--output", "report.xml")
    assert (result.returncode, result.stdout, result.stderr) == (0, b"", b"")
    document = (tmp_path / "report.xml").read_bytes()
    assert _errors(schema, document) == []
    assert document.decode("utf-8").splitlines() == [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="guard" tests="1" failures="0" errors="0">',
        '  <testsuite name="guard" tests="1" failures="0" errors="0" skipped="0">',
        '    <testcase name="guard check" classname="guard">',
        "      <system-out>No findings in 2 files.</system-out>",
        "    </testcase>",
        "  </testsuite>",
        "</testsuites>",
    ]


def test_text_xml_cannot_carry_survives(schema: object) -> None:
    """Markup, quotes, line breaks, non-ASCII and characters XML forbids, in paths and messages."""
    message = "a <b> & \"c\" 'd'\ttab\nnew line\r café 😀 nul\x00 esc\x1b lone\udc80 end\ufffe"
    finding = Finding("dir/ü & <x>.txt", 2, 3, "PIN101", "unpinned-requirement", Severity.WARNING, message, fix="use ==")
    stream = io.StringIO()
    junit.report([finding], stream)
    text = stream.getvalue()
    assert text.isascii()
    assert _errors(schema, text.encode("ascii")) == []
    case = ElementTree.fromstring(text).find("testsuite/testcase")
    assert case is not None
    failure = case.find("failure")
    assert failure is not None
    readable = "a <b> & \"c\" 'd'\ttab\nnew line\r café 😀 nul\\x00 esc\\x1b lone\\udc80 end\\ufffe"
    assert (case.get("name"), case.get("classname")) == (f"PIN101 {readable}", "dir/ü & <x>.txt")
    assert (failure.get("message"), failure.get("type")) == (readable, "PIN101 unpinned-requirement")
    assert failure.text == f"dir/ü & <x>.txt:2:3: PIN101 {readable} [unpinned-requirement]\nhint: use =="
