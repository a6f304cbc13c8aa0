"""Which files discovery reads, by name."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import pytest

from guard.check.filekinds import has_shell_shebang, kind_of, kind_of_discovered, kind_of_explicit

CASES = [
    ("requirements.txt", "requirements"),
    ("dev-requirements.txt", "requirements"),
    ("requirements-dev.in", "requirements"),
    ("requirements/base.txt", "requirements"),
    ("requirements/extras/redis.txt", "requirements"),
    ("reqs/ci/py311.txt", "requirements"),
    ("src/notes/extras.txt", None),
    ("requirements/README.txt", None),
    ("requirements/extras/LICENSE.txt", None),
    ("constraints.txt", "requirements"),
    ("notes.txt", None),
    ("Dockerfile-linux.template", None),
    ("Dockerfile.template", None),
    ("docker/Dockerfile.j2", None),
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
    ("Dockerfile-dev", "dockerfile"),
    ("Dockerfile_prod", "dockerfile"),
    ("dev.Dockerfile", "dockerfile"),
    ("Containerfile-ci", "dockerfile"),
    ("docker/Dockerfile-3.12", "dockerfile"),
    ("Dockerfile-notes.md", None),
    ("Dockerfile_lint.yaml", None),
    ("Dockerfile-", None),
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


CONDA = "name: dev\nchannels:\n  - conda-forge\ndependencies:\n  - numpy=1.26.4\n"
DOCKERFILE = "# syntax=docker/dockerfile:1\n# a comment\n\nARG BASE=python:3.12 \\\n    EXTRA=1\nFROM ${BASE}\nRUN pip install x\n"

CONTENT_CASES = [
    # (path, text, kind when discovered, kind when named)
    ("environment-dev.yml", CONDA, "environment-yml", "environment-yml"),
    ("environment_py39.yaml", CONDA, "environment-yml", "environment-yml"),
    ("ci/requirements/py311.yml", CONDA, "environment-yml", "environment-yml"),
    ("ci/requirements/flow.yml", "name: x\ndependencies: [numpy]\n", "environment-yml", "environment-yml"),
    ("environment-dev.yml", "jobs:\n  build:\n    dependencies:\n      - a\n", None, "environment-yml"),
    ("ci/requirements/settings.yml", "dependencies_file: x\n", None, "environment-yml"),
    ("ci/settings.yml", "dependencies_file: x\n", None, "requirements"),
    ("conda.yml", CONDA, "environment-yml", "environment-yml"),  # `channels:` and `dependencies:` say conda
    ("docker/dev", DOCKERFILE, "dockerfile", "dockerfile"),
    ("docker/dev", "from python:3.12\n", "dockerfile", "dockerfile"),
    ("docker/notes", "RUN pip install x\nFROM python\n", None, "requirements"),
    ("docker/notes", "FROM\n", None, "requirements"),
    ("LICENSE", "MIT License\n\nFrom the authors...\n", None, "requirements"),
    ("NOTICE", "From the authors of this work.\nKeep this notice.\n", None, "requirements"),
    ("mail", "From 1234 Mon Sep 17 00:00:00 2001\nFrom: A <a@b>\n", None, "requirements"),
    ("docker/notes", "FROM python\nThis is not an instruction\n", None, "requirements"),
    ("docker/app", "FROM --platform=$BUILDPLATFORM python:3.12-slim@sha256:abc AS build\nRUN pip install x\n", "dockerfile", "dockerfile"),
    ("docker/only-from", "FROM scratch\n", "dockerfile", "dockerfile"),
    ("bin/setup", "#!/bin/sh\npip install x\n", "shell", "shell"),
    ("docker/base.conf", DOCKERFILE, None, "dockerfile"),
]


@pytest.mark.parametrize(
    ("path", "text", "discovered", "named"),
    CONTENT_CASES,
    ids=[f"{path}-{index}" for index, (path, *_) in enumerate(CONTENT_CASES)],
)
def test_kind_by_content(tmp_path: Path, path: str, text: str, discovered: Optional[str], named: str) -> None:
    target = tmp_path / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    assert (kind_of_discovered(path, str(target)), kind_of_explicit(str(target))) == (discovered, named)


def test_a_fifo_is_never_opened(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "dev"
    os.mkfifo(fifo)
    assert (kind_of_discovered("dev", str(fifo)), has_shell_shebang(str(fifo))) == (None, False)


@pytest.mark.parametrize("name", ["doc/environment_template.yml", "ci/requirements/environment-template.yaml"])
def test_conda_templates_are_not_discovered(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.parent.mkdir(parents=True)
    path.write_text("name: x\ndependencies:\n  - {{ local-package }}\n  - numpy\n")
    assert kind_of_discovered(name, str(path)) is None


def test_read_the_docs_configuration_only_at_the_top(tmp_path: Path) -> None:
    assert kind_of_discovered(".readthedocs.yaml") == "readthedocs"
    assert kind_of_discovered("docs/user/config-file/examples/mkdocs/.readthedocs.yaml") is None
    assert kind_of_explicit("docs/examples/.readthedocs.yaml") == "readthedocs"  # named: read as what it is


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [
        pytest.param(
            "ci/envs/312-latest.yaml",
            "name: test\nchannels:\n  - conda-forge\ndependencies:\n  - pandas\n",
            "environment-yml",
            id="conda by content",
        ),
        pytest.param("chart/Chart.yaml", "apiVersion: v2\ndependencies:\n  - name: redis\n    version: 1.0\n", None, id="helm chart"),
        pytest.param("ci/envs/env.template.yaml", "channels: [x]\ndependencies:\n  - a\n", None, id="template"),
    ],
)
def test_yaml_found_to_be_a_conda_environment(tmp_path: Path, name: str, text: str, kind: Optional[str]) -> None:
    path = tmp_path / name
    path.parent.mkdir(parents=True)
    path.write_text(text)
    assert kind_of_discovered(name, str(path)) == kind
