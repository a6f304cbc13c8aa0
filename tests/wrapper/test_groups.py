"""`pip install --group [PATH:]NAME` through the wrapper: the group's pins, with a real pip
that has `--group` (pip >= 25.1, from virtualenv's embedded wheels) in a real venv."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Tuple

import pytest
from wrapper_helpers import base_env

PYPROJECT = """\
[project]
name = "demo"
version = "0"

[dependency-groups]
lint = ["ruff>=0.5", {include-group = "types"}]
types = [
  "mypy==1.10.0",
  "types-requests",
]
test = ["guardtiny==0.1"]
"""


@pytest.fixture(scope="module")
def group_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv whose pip knows `--group`: virtualenv seeds it from its embedded pip wheel."""
    directory = tmp_path_factory.mktemp("groups") / "venv"
    subprocess.run(
        [sys.executable, "-m", "virtualenv", "-q", "--pip=embed", "--no-setuptools", "--no-wheel", "--no-periodic-update", str(directory)],
        check=True,
    )
    version = subprocess.run([str(directory / "bin" / "pip"), "--version"], capture_output=True, text=True, check=True).stdout
    assert tuple(int(part) for part in version.split()[1].split(".")[:2]) >= (25, 1), version
    return directory


def _guard(args: List[str], env: Dict[str, str], cwd: Path) -> Tuple[int, List[str]]:
    done = subprocess.run(
        [sys.executable, "-m", "guard", "pip", *args], env=env, cwd=str(cwd), capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    return done.returncode, (done.stdout + done.stderr).splitlines()


@pytest.fixture()
def project(tmp_path: Path, group_venv: Path, cache_dir: Path) -> Tuple[Path, Dict[str, str]]:
    directory = tmp_path / "proj"
    directory.mkdir()
    (directory / "pyproject.toml").write_text(PYPROJECT)
    env = base_env(tmp_path, cache_dir, [str(group_venv / "bin"), "/usr/bin", "/bin"])
    return directory, env


def test_a_groups_unpinned_requirements_are_noted_where_they_are(project: Tuple[Path, Dict[str, str]]) -> None:
    directory, env = project
    # `lint` includes `types`; naming `types` again notes each requirement once
    code, lines = _guard(["--explain", "--", "install", "--group", "lint", "--group", "./pyproject.toml:types"], env, directory)
    assert code == 0
    assert [line for line in lines if "CMD101" in line or "cannot check" in line] == [
        "guard: pyproject.toml:6:9: CMD101 `ruff>=0.5` is not pinned to one version (in `--group lint`)",
        "guard: pyproject.toml:9:3: CMD101 `types-requests` is not pinned to one version (in `--group lint`)",
    ]
    # the `PATH:NAME` form, from another directory
    code, lines = _guard(["--explain", "--", "install", "--group", "proj/pyproject.toml:types"], env, directory.parent)
    assert [line for line in lines if "CMD101" in line] == [
        "guard: proj/pyproject.toml:9:3: CMD101 `types-requests` is not pinned to one version (in `--group proj/pyproject.toml:types`)",
    ]


def test_pip_installs_the_group_after_the_check(project: Tuple[Path, Dict[str, str]], group_venv: Path, wheelhouse: Path) -> None:
    directory, env = project
    code, lines = _guard(["--", "install", "-q", "--no-index", "--find-links", str(wheelhouse), "--group", "test"], env, directory)
    assert (code, lines) == (0, [])
    check = subprocess.run(
        [str(group_venv / "bin" / "python"), "-c", "import guardtiny; print(guardtiny.VALUE)"], capture_output=True, text=True
    )
    assert check.stdout == "guardtiny 0.1\n"
    subprocess.run([str(group_venv / "bin" / "pip"), "uninstall", "-q", "-y", "guardtiny"], check=True, env=env)


def test_a_missing_group_is_one_line_and_pip_still_runs(project: Tuple[Path, Dict[str, str]]) -> None:
    directory, env = project
    code, lines = _guard(["--", "install", "--no-index", "--group", "nope"], env, directory)
    assert (code, lines) == (
        1,
        [
            "guard: cannot check `--group nope`: `pyproject.toml` has no group `nope` in `[dependency-groups]`",
            "ERROR: [dependency-groups] resolution failed for 'nope' from 'pyproject.toml': Dependency group 'nope' not found",
        ],
    )


@pytest.mark.parametrize(
    ("content", "line"),
    [
        pytest.param(None, "guard: cannot check `--group dev`: `pyproject.toml` does not exist", id="no-pyproject"),
        pytest.param(
            "[dependency-groups\n",
            "guard: cannot check `--group dev`: `pyproject.toml` is not valid TOML: Expected ']' at the end of a table declaration",
            id="broken-toml",
        ),
        pytest.param(
            "[project]\nname = 'x'\n",
            "guard: cannot check `--group dev`: `pyproject.toml` has no `[dependency-groups]` table",
            id="no-table",
        ),
    ],
)
def test_an_unreadable_pyproject_is_one_line(content: str, line: str, tmp_path: Path, group_venv: Path, cache_dir: Path) -> None:
    if content is not None:
        (tmp_path / "pyproject.toml").write_text(content)
    env = base_env(tmp_path, cache_dir, [str(group_venv / "bin"), "/usr/bin", "/bin"])
    code, lines = _guard(["--explain", "--", "install", "--group", "dev"], env, tmp_path)
    assert code == 0
    assert lines[0] == line
    assert lines[-1] == "  action:  run pip (mode run)"


def test_a_pip_without_group_is_left_to_say_so(project: Tuple[Path, Dict[str, str]], venv: Path) -> None:
    # `python -m venv` seeds pip 23: it stops at `--group` with its own error, so no note
    directory, env = project
    env["PATH"] = f"{venv / 'bin'}:/usr/bin:/bin"
    code, lines = _guard(["--explain", "--", "install", "--group", "lint"], env, directory)
    assert code == 0
    assert not any("CMD101" in line or "cannot check" in line for line in lines), lines
