"""Which files discovery reads, by name."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import pytest

from guard.check.filekinds import has_shell_shebang, kind_of

CASES = [
    ("requirements.txt", "requirements"),
    ("dev-requirements.txt", "requirements"),
    ("requirements-dev.in", "requirements"),
    ("requirements/base.txt", "requirements"),
    ("constraints.txt", "requirements"),
    ("notes.txt", None),
    ("pyproject.toml", "pyproject"),
    ("uv.lock", "lockfile"),
    ("pylock.toml", "lockfile"),
    ("pylock.dev.toml", "lockfile"),
    ("Pipfile", "pipfile"),
    ("Pipfile.lock", "lockfile"),
    ("setup.py", "setup-py"),
    ("setup.cfg", "setup-cfg"),
    ("environment.yml", "environment-yml"),
    ("tox.ini", "tox-ini"),
    (".pre-commit-config.yaml", "pre-commit-config"),
    ("Dockerfile", "dockerfile"),
    ("Dockerfile.dev", "dockerfile"),
    ("api.dockerfile", "dockerfile"),
    ("Containerfile", "dockerfile"),
    ("dockerfile.py", "python-script"),
    ("scripts/setup.sh", "shell"),
    ("Makefile", "makefile"),
    ("rules.mk", "makefile"),
    (".github/workflows/ci.yml", "github-workflow"),
    ("other/workflows/ci.yml", None),
    (".gitlab-ci.yml", "gitlab-ci"),
    (".circleci/config.yml", "circleci"),
    ("sub/.circleci/config.yaml", "circleci"),
    ("config.yml", None),
    ("other/config.yml", None),
    (".readthedocs.yaml", "readthedocs"),
    ("docs/.readthedocs.yml", "readthedocs"),
    ("tool.py", "python-script"),
    ("README.md", None),
]


@pytest.mark.parametrize(("path", "kind"), CASES, ids=[p for p, _ in CASES])
def test_kind_of(path: str, kind: Optional[str]) -> None:
    assert kind_of(path) == kind


@pytest.mark.parametrize(
    ("first_line", "expected"),
    [
        ("#!/bin/sh", True),
        ("#!/usr/bin/env bash", True),
        ("#!/usr/bin/env -S bash -e", True),
        ("#!/usr/bin/env VAR=1 zsh", True),
        ("#! /bin/dash -e", True),
        ("#!/usr/bin/env python3", False),
        ("#!/usr/bin/perl", False),
        ("echo no shebang", False),
    ],
)
def test_shell_shebang(tmp_path: Path, first_line: str, expected: bool) -> None:
    script = tmp_path / "script"
    script.write_text(first_line + "\npip install x\n")
    assert has_shell_shebang(str(script)) is expected
