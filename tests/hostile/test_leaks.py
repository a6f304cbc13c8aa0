"""guard never puts a file from outside the checked tree into its findings, unless asked,
and never quotes more of a line that is no requirement than it needs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SECRET = "root:$6$salt$hash:19000:0:99999:7:::\nmachine github.com login bob password hunter2\nAWS_SECRET_ACCESS_KEY=abcd1234\n"
REFUSED = "not read (`read-outside = true` reads it)"


def _guard(cwd: Path, *args: str) -> "subprocess.CompletedProcess[str]":
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "guard", "check", "--isolated", *args], cwd=cwd, env=env, capture_output=True, text=True)


def _findings(cwd: Path, *args: str) -> list[tuple[str, str, int, int, str]]:
    done = _guard(cwd, "--format", "json", *args)
    assert done.returncode in (0, 1), done.stderr
    return [(f["code"], f["path"], f["line"], f["column"], f["message"]) for f in json.loads(done.stdout)["findings"]]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET)
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    return repo


def _add(repo: Path, name: str, text: str = "") -> None:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    subprocess.run(["git", "-C", str(repo), "add", name], check=True)


def test_a_tracked_symlink_out_of_the_tree_is_not_followed(tree: Path) -> None:
    (tree / "requirements.txt").symlink_to(tree.parent / "outside" / "secret.txt")
    subprocess.run(["git", "-C", str(tree), "add", "requirements.txt"], check=True)
    assert _findings(tree) == [
        ("GRD101", "requirements.txt", 0, 0, f"cannot read `requirements.txt`: links outside the checked tree; {REFUSED}")
    ]
    for output_format in ("text", "github", "sarif"):
        assert "hunter2" not in _guard(tree, "--format", output_format).stdout


@pytest.mark.parametrize(
    ("name", "text", "line", "column"),
    [
        pytest.param("requirements.txt", "-r ../outside/secret.txt\n", 1, 1, id="relative -r"),
        pytest.param("requirements.txt", "requests==2.0\n-r {outside}/secret.txt\n", 2, 1, id="absolute -r"),
        pytest.param("tox.ini", "[testenv]\ndeps =\n    -r ../outside/secret.txt\n", 3, 5, id="tox deps"),
        pytest.param("environment.yml", "dependencies:\n  - pip:\n    - -r ../outside/secret.txt\n", 3, 7, id="conda pip list"),
    ],
)
def test_an_include_out_of_the_tree_is_not_read(tree: Path, name: str, text: str, line: int, column: int) -> None:
    outside = tree.parent / "outside"
    _add(tree, name, text.format(outside=outside))
    shown = str(outside / "secret.txt")
    assert _findings(tree) == [
        ("GRD101", name, line, column, f"cannot read included file `{shown}`: is outside the checked tree; {REFUSED}")
    ]


def test_read_outside_reads_it_and_still_quotes_no_secret(tree: Path) -> None:
    _add(tree, "requirements.txt", "-r ../outside/secret.txt\n")
    done = _guard(tree, "--read-outside")
    assert done.returncode == 1 and "secret.txt:2:1: PIN108" in done.stdout, done.stdout
    for secret in ("hunter2", "$6$", "abcd1234", "github.com"):
        assert secret not in done.stdout


def test_a_file_named_on_the_command_line_is_read(tree: Path) -> None:
    found = _findings(tree, "../outside/secret.txt")
    assert [(code, line) for code, _, line, _, _ in found] == [("PIN107", 1), ("PIN108", 2), ("PIN108", 3)]
    assert [message for *_, message in found] == [
        "this line (not shown: it does not start like a requirement) depends on a variable, so its pin cannot be checked",
        "`machine...` is not a valid requirement: Expected semicolon (after name with no version specifier) or end",
        "`AWS_SECRET_ACCESS_KEY...` is not a valid requirement: Expected semicolon (after name with no version specifier) or end",
    ]
