"""`per-file-ignores` (guard.check.policy), as ruff's: globs -> codes or prefixes not reported in
the files they match, applied after the findings are made; `--per-file-ignores` and
`--extend-per-file-ignores` as ruff's flags."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

GUARD = [sys.executable, "-m", "guard"]


def guard_run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GUARD_")}
    return subprocess.run([*GUARD, *args], cwd=cwd, capture_output=True, text=True, env=environment)


def write(root: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


def findings(cwd: Path, *args: str) -> list[tuple[str, int, int, str, str]]:
    result = guard_run(cwd, "check", "--format", "json", *args)
    assert result.returncode in (0, 1), result.stderr
    return [(f["path"], f["line"], f["column"], f["code"], f["message"]) for f in json.loads(result.stdout)["findings"]]


def unpinned(path: str, name: str, line: int = 1) -> tuple[str, int, int, str, str]:
    return (path, line, 1, "PIN101", f"`{name}` is not pinned (any version); requirement files require exact")


TREE = {
    ".git/HEAD": "",
    "requirements.txt": "requests\n",
    "tests/requirements.txt": "pytest\n",
    "tests/unit/requirements.txt": "coverage\n",
    "docs/requirements.txt": "sphinx\n",
}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    write(tmp_path, TREE)
    return tmp_path


def test_globs_to_codes_and_prefixes(tree: Path) -> None:
    write(tree, {"pyproject.toml": '[tool.guard.per-file-ignores]\n"tests/**" = ["PIN101"]\n"docs/*" = ["PIN"]\n'})
    assert findings(tree) == [unpinned("requirements.txt", "requests")]


def test_a_glob_names_a_file_a_file_name_or_a_folder_as_per_path_globs_do(tree: Path) -> None:
    write(tree, {"guard.toml": '[per-file-ignores]\n"tests" = ["PIN101"]\n'})
    assert findings(tree) == [unpinned("docs/requirements.txt", "sphinx"), unpinned("requirements.txt", "requests")]
    write(tree, {"guard.toml": '[per-file-ignores]\n"requirements.txt" = ["PIN101"]\n'})
    assert findings(tree) == []


def test_a_negated_glob_applies_to_every_other_file(tree: Path) -> None:
    write(tree, {"guard.toml": '[per-file-ignores]\n"!tests/**" = ["PIN101"]\n'})
    assert findings(tree) == [unpinned("tests/requirements.txt", "pytest"), unpinned("tests/unit/requirements.txt", "coverage")]


def test_globs_are_rooted_at_the_configuration_file_wherever_guard_runs(tree: Path) -> None:
    write(tree, {"guard.toml": '[per-file-ignores]\n"tests/unit/*" = ["PIN101"]\n'})
    assert findings(tree / "tests") == [unpinned("requirements.txt", "pytest")]


def test_whatever_the_selection_a_matching_prefix_drops_the_finding(tree: Path) -> None:
    write(tree, {"guard.toml": 'select = ["PIN101"]\n[per-file-ignores]\n"docs/*" = ["PIN"]\n"tests/**" = ["ALL"]\n'})
    assert findings(tree) == [unpinned("requirements.txt", "requests")]


def test_a_suppression_of_a_code_the_file_ignores_is_not_unused_and_grd105_can_be_ignored(tree: Path) -> None:
    write(
        tree,
        {
            "tests/requirements.txt": "pytest  # guard: ignore[PIN101] test-only\n",
            "docs/requirements.txt": "sphinx==7.0.0  # guard: ignore[PIN102]\n",
            "guard.toml": '[per-file-ignores]\n"tests/**" = ["PIN101"]\n',
        },
    )
    assert findings(tree) == [
        ("docs/requirements.txt", 1, 16, "GRD105", "suppression of `PIN102` suppresses nothing"),
        unpinned("requirements.txt", "requests"),
    ]
    write(tree, {"guard.toml": '[per-file-ignores]\n"tests/**" = ["PIN101"]\n"docs/*" = ["GRD105"]\n'})
    assert findings(tree) == [unpinned("requirements.txt", "requests")]


def test_extend_per_file_ignores_adds_along_an_extend_chain_per_file_ignores_replaces(tree: Path) -> None:
    write(
        tree,
        {
            "shared.toml": '[per-file-ignores]\n"requirements.txt" = ["PIN101"]\n[extend-per-file-ignores]\n"docs/*" = ["PIN101"]\n',
            "guard.toml": 'extend = "shared.toml"\n[per-file-ignores]\n"tests/**" = ["PIN101"]\n[extend-per-file-ignores]\n"docs/*" = ["GRD"]\n',
        },
    )
    shown: dict[str, Any] = json.loads(guard_run(tree, "check", "--show-settings").stdout)
    assert shown["per-file-ignores"] == {"tests/**": ["PIN101"], "docs/*": ["PIN101", "GRD"]}
    assert findings(tree) == [unpinned("requirements.txt", "requests")]


def test_the_flags_replace_and_extend_the_configured_ones(tree: Path) -> None:
    write(tree, {"guard.toml": '[per-file-ignores]\n"tests/**" = ["PIN101"]\n'})
    assert findings(tree, "--per-file-ignores", "docs/*:PIN101,requirements.txt:PIN1") == []
    assert findings(tree, "--per-file-ignores", "docs/*:PIN101", "--per-file-ignores", "tests/unit/*:PIN1") == [
        unpinned("requirements.txt", "requests"),
        unpinned("tests/requirements.txt", "pytest"),
    ]
    assert findings(tree, "--extend-per-file-ignores", "docs/*:PIN101") == [unpinned("requirements.txt", "requests")]
    shown: dict[str, Any] = json.loads(guard_run(tree, "check", "--show-settings", "--extend-per-file-ignores", "docs/*:PIN101").stdout)
    assert shown["per-file-ignores"] == {"tests/**": ["PIN101"], "docs/*": ["PIN101"]}


@pytest.mark.parametrize(
    ("config", "args", "message"),
    [
        (
            '[per-file-ignores]\n"tests/**" = ["PIN999"]\n',
            (),
            "{root}/guard.toml: per-file-ignores.tests/**: unknown rule code or prefix 'PIN999'",
        ),
        ('[per-file-ignores]\n"tests/**" = "PIN101"\n', (), None),  # a string of codes is accepted as for `ignore`
        ('[per-file-ignores]\n"tests/**" = [1]\n', (), "{root}/guard.toml: per-file-ignores.tests/**: expected a list of strings"),
        ('per-file-ignores = ["tests"]\n', (), "{root}/guard.toml: per-file-ignores: expected GLOB:CODE, got 'tests'"),
        (
            '[extend-per-file-ignores]\n"x" = ["NOPE"]\n',
            (),
            "{root}/guard.toml: extend-per-file-ignores.x: unknown rule code or prefix 'NOPE'",
        ),
        ("", ("--per-file-ignores", "tests"), "command line: per-file-ignores: expected GLOB:CODE, got 'tests'"),
        (
            "",
            ("--extend-per-file-ignores", "tests:PIN9"),
            "command line: extend-per-file-ignores.tests: unknown rule code or prefix 'PIN9'",
        ),
    ],
)
def test_bad_entries_are_the_configuration_error_ignore_gives(tree: Path, config: str, args: tuple[str, ...], message: str | None) -> None:
    write(tree, {"guard.toml": config})
    result = guard_run(tree, "check", *args)
    if message is None:
        assert (result.returncode, result.stderr) == (1, "")
        return
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"guard: configuration error: {message.format(root=tree)}\n")


def test_ignore_gives_the_same_error_for_an_unknown_code(tree: Path) -> None:
    write(tree, {"guard.toml": 'ignore = ["PIN999"]\n'})
    assert (
        guard_run(tree, "check").stderr
        == f"guard: configuration error: {tree / 'guard.toml'}: ignore: unknown rule code or prefix 'PIN999'\n"
    )
