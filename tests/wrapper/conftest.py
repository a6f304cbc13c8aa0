"""Fixtures for the pip wrapper: a `guard` command, real venvs, a tiny wheel, a fake pip."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

pytest.register_assert_rewrite("wrapper_shellcases", "wrapper_helpers")

from wrapper_helpers import FAKE_PIP, REPO, build_wheel  # noqa: E402


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("wheelhouse")
    build_wheel(directory)
    return directory


@pytest.fixture(scope="session")
def guard_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding only a `guard` command that runs this checkout with this Python."""
    directory = tmp_path_factory.mktemp("guardbin")
    script = directory / "guard"
    script.write_text(f'#!/bin/sh\nPYTHONPATH="{REPO}${{PYTHONPATH:+:$PYTHONPATH}}" exec "{sys.executable}" -m guard "$@"\n')
    script.chmod(0o755)
    return directory


@pytest.fixture(scope="session")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real venv (python -m venv) with pip."""
    directory = tmp_path_factory.mktemp("venvs") / "proj venv"
    subprocess.run([sys.executable, "-m", "venv", str(directory)], check=True)
    return directory


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("guard-cache")


@pytest.fixture()
def fake_pip(tmp_path: Path) -> Iterator[Path]:
    """A directory with `pip`, `pip3`, `pip3.11` that record their argv; its interpreter is
    Debian's system Python, so guard judges them as a distro pip."""
    directory = tmp_path / "fakebin"
    directory.mkdir()
    for name in ("pip", "pip3", "pip3.11"):
        script = directory / name
        script.write_text(FAKE_PIP.format(python="/usr/bin/python3"))
        script.chmod(0o755)
    yield directory
