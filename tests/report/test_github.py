from __future__ import annotations

import io

import pytest

from guard.finding import Finding, Severity
from guard.report import github


def _lines(findings: list[Finding]) -> list[str]:
    stream = io.StringIO()
    github.report(findings, stream)
    return stream.getvalue().splitlines()


@pytest.mark.parametrize(
    "finding, line",
    [
        pytest.param(
            Finding("Dockerfile", 3, 5, "CMD201", "sudo-pip", Severity.ERROR, "`sudo pip install` writes as root", fix="use a venv"),
            "::error file=Dockerfile,line=3,endLine=3,col=5,endColumn=5,title=CMD201 sudo-pip::`sudo pip install` writes as root (use a venv)",
            id="error-with-fix",
        ),
        pytest.param(
            Finding("requirements.txt", 2, 1, "PIN101", "unpinned-requirement", Severity.WARNING, "`requests` is not pinned"),
            "::warning file=requirements.txt,line=2,endLine=2,col=1,endColumn=1,title=PIN101 unpinned-requirement::`requests` is not pinned",
            id="warning",
        ),
        pytest.param(
            Finding("setup.sh", 0, 0, "GRD101", "unreadable-file", Severity.INFO, "cannot read"),
            "::notice file=setup.sh,title=GRD101 unreadable-file::cannot read",
            id="notice-whole-file",
        ),
        pytest.param(
            Finding("a,b:c.txt", 1, 0, "PIN101", "unpinned-requirement", Severity.WARNING, "100% sure\nsecond line"),
            "::warning file=a%2Cb%3Ac.txt,line=1,endLine=1,title=PIN101 unpinned-requirement::100%25 sure%0Asecond line",
            id="escaping",
        ),
        pytest.param(
            Finding("Dockerfile", 4, 5, "CMD201", "sudo-pip", Severity.ERROR, "root", end_line=4, end_column=21),
            "::error file=Dockerfile,line=4,endLine=4,col=5,endColumn=21,title=CMD201 sudo-pip::root",
            id="single-line-span",
        ),
        pytest.param(
            # GitHub takes no columns on an annotation over several lines
            Finding(".github/workflows/ci.yml", 7, 9, "CMD201", "sudo-pip", Severity.ERROR, "root", end_line=9, end_column=4),
            "::error file=.github/workflows/ci.yml,line=7,endLine=9,title=CMD201 sudo-pip::root",
            id="multi-line-span",
        ),
    ],
)
def test_annotation(finding: Finding, line: str) -> None:
    assert _lines([finding]) == [line]


def test_a_point_and_a_whole_file() -> None:
    """Without an end from its reader a finding is a point: endColumn is its column (GitHub's default too)."""
    point = Finding("requirements.txt", 5, 3, "PIN101", "unpinned-requirement", Severity.WARNING, "x")
    whole = Finding("requirements.txt", 0, 0, "GRD101", "unreadable-file", Severity.ERROR, "y", end_line=0, end_column=0)
    assert _lines([point, whole]) == [
        "::warning file=requirements.txt,line=5,endLine=5,col=3,endColumn=3,title=PIN101 unpinned-requirement::x",
        "::error file=requirements.txt,title=GRD101 unreadable-file::y",
    ]
