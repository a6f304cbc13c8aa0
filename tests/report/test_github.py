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
            "::error file=Dockerfile,line=3,col=5,title=CMD201 sudo-pip::`sudo pip install` writes as root (use a venv)",
            id="error-with-fix",
        ),
        pytest.param(
            Finding("requirements.txt", 2, 1, "PIN101", "unpinned-requirement", Severity.WARNING, "`requests` is not pinned"),
            "::warning file=requirements.txt,line=2,col=1,title=PIN101 unpinned-requirement::`requests` is not pinned",
            id="warning",
        ),
        pytest.param(
            Finding("setup.sh", 0, 0, "GRD101", "unreadable-file", Severity.INFO, "cannot read"),
            "::notice file=setup.sh,title=GRD101 unreadable-file::cannot read",
            id="notice-whole-file",
        ),
        pytest.param(
            Finding("a,b:c.txt", 1, 0, "PIN101", "unpinned-requirement", Severity.WARNING, "100% sure\nsecond line"),
            "::warning file=a%2Cb%3Ac.txt,line=1,title=PIN101 unpinned-requirement::100%25 sure%0Asecond line",
            id="escaping",
        ),
    ],
)
def test_annotation(finding: Finding, line: str) -> None:
    assert _lines([finding]) == [line]
