"""Configuration files as ruff's: `.guard.toml` > `guard.toml` > `[tool.guard]`, the closest
folder first, `--config` taking any of them, and `extend` chains (run as a user runs guard)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

GUARD = [sys.executable, "-m", "guard"]


def guard_run(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GUARD_") and k not in ("NO_COLOR", "FORCE_COLOR")}
    environment.update(env or {})
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


def settings(cwd: Path, *args: str) -> dict[str, Any]:
    result = guard_run(cwd, "check", "--show-settings", *args)
    assert result.returncode == 0, result.stderr
    shown: dict[str, Any] = json.loads(result.stdout)
    return shown


def unpinned(path: str, name: str, words: str = "requirement files require exact", line: int = 1) -> tuple[str, int, int, str, str]:
    return (path, line, 1, "PIN101", f"`{name}` is not pinned (any version); {words}")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    return tmp_path


# --- which file --------------------------------------------------------------------------


def test_in_one_folder_dot_guard_toml_wins_then_guard_toml_then_pyproject(repo: Path) -> None:
    write(
        repo,
        {
            "requirements.txt": "requests\n",
            "pyproject.toml": '[tool.guard]\nfail-on = "error"\n',
            "guard.toml": 'preset = "lenient"\n',
            ".guard.toml": 'preset = "strict"\n',
        },
    )
    shown = settings(repo)
    assert (shown["config-file"], shown["config-files"], shown["preset"], shown["fail-on"]) == (
        str(repo / ".guard.toml"),
        [str(repo / ".guard.toml")],
        "strict",
        "warning",  # one file is read, never a merge of the three
    )
    (repo / ".guard.toml").unlink()
    assert (settings(repo)["config-file"], settings(repo)["preset"]) == (str(repo / "guard.toml"), "lenient")
    (repo / "guard.toml").unlink()
    assert (settings(repo)["config-file"], settings(repo)["fail-on"]) == (str(repo / "pyproject.toml"), "error")


def test_the_closest_folder_wins_and_a_pyproject_without_tool_guard_is_skipped(repo: Path) -> None:
    write(
        repo,
        {
            "guard.toml": 'ignore = ["PIN101"]\n',
            "app/pyproject.toml": '[project]\nname = "app"\nversion = "1"\n',  # no [tool.guard]: skipped
            "app/requirements.txt": "requests\n",
            "lib/pyproject.toml": "[tool.guard]\n",  # an empty table is a configuration
            "lib/requirements.txt": "flask\n",
        },
    )
    assert settings(repo / "app")["config-file"] == str(repo / "guard.toml")
    assert findings(repo / "app", "requirements.txt") == []
    assert settings(repo / "lib")["config-file"] == str(repo / "lib" / "pyproject.toml")
    assert findings(repo / "lib", "requirements.txt") == [unpinned("requirements.txt", "flask")]


def test_a_guard_toml_above_the_repository_root_is_never_read(tmp_path: Path) -> None:
    write(tmp_path, {"guard.toml": 'ignore = ["PIN"]\n', "repo/requirements.txt": "requests\n"})
    (tmp_path / "repo" / ".git").mkdir()
    assert settings(tmp_path / "repo")["config-file"] is None
    assert findings(tmp_path / "repo") == [unpinned("requirements.txt", "requests")]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("guard.toml", 'ignore = ["PIN101"]\n'),
        (".guard.toml", 'ignore = ["PIN101"]\n'),
        ("pyproject.toml", '[tool.guard]\nignore = ["PIN101"]\n'),
        ("ci/strict-settings.toml", 'ignore = ["PIN101"]\n'),  # any other name reads as guard.toml
    ],
)
def test_config_flag_takes_any_kind_of_file(repo: Path, name: str, text: str) -> None:
    write(repo, {"requirements.txt": "requests\n", "elsewhere/" + name: text, ".guard.toml": 'select = ["GRD"]\n'})
    shown = settings(repo, "--config", f"elsewhere/{name}")
    assert (shown["config-file"], shown["ignore"], shown["select"]) == (f"elsewhere/{name}", ["PIN101"], ["ALL"])
    assert findings(repo, "--config", f"elsewhere/{name}") == []


def test_a_tool_guard_table_in_guard_toml_is_a_one_line_error(repo: Path) -> None:
    write(repo, {"guard.toml": '[tool.guard]\nignore = ["PIN101"]\n', "requirements.txt": "requests\n"})
    result = guard_run(repo, "check")
    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        "",
        f"guard: configuration error: {repo / 'guard.toml'}: unknown key 'tool' "
        "(outside pyproject.toml the settings are top-level keys, without [tool.guard])\n",
    )


def test_errors_in_guard_toml_name_the_file_and_key(repo: Path) -> None:
    write(repo, {".guard.toml": 'ignore = ["PIN999"]\n', "requirements.txt": "requests\n"})
    result = guard_run(repo, "check")
    assert (result.returncode, result.stderr) == (
        2,
        f"guard: configuration error: {repo / '.guard.toml'}: ignore: unknown rule code or prefix 'PIN999'\n",
    )


def test_the_pip_wrapper_reads_guard_toml(tmp_path: Path) -> None:
    """`guard pip` takes its modes from a `.guard.toml` as from `[tool.guard.pip]`."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "GUARD_CACHE_DIR": str(tmp_path / "cache")}
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("GUARD_", "PIP_")) and k != "VIRTUAL_ENV"}
    environment.update(env)
    command = [*GUARD, "pip", "--explain", "--", "install", "six"]
    before = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env=environment)
    (tmp_path / ".guard.toml").write_text('[pip]\non-block = "block"\n')
    after = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env=environment)
    assert before.stdout.splitlines()[-1] == "  action:  ask y/N on a terminal, else warn and run pip (mode auto)"
    assert after.stdout.splitlines()[-1] == "  action:  refuse; pip not run (mode block)"


# --- extend ------------------------------------------------------------------------------


def test_extend_chains_and_the_extending_file_wins_key_by_key(repo: Path) -> None:
    write(
        repo,
        {
            "shared/base.toml": 'preset = "strict"\nfail-on = "error"\nbootstrap = ["pip"]\n[severity]\nPIN101 = "info"\n',
            "shared/team.toml": 'extend = "base.toml"\npreset = "lenient"\n[severity]\nPIN102 = "error"\n',
            "app/pyproject.toml": '[tool.guard]\nextend = "../shared/team.toml"\nbootstrap = ["pip", "wheel"]\n',
        },
    )
    shown = settings(repo / "app")
    assert shown["config-files"] == [
        str(repo / "app" / "pyproject.toml"),
        str(repo / "shared" / "team.toml"),
        str(repo / "shared" / "base.toml"),
    ]
    # preset from team.toml over base.toml; the severity table replaced whole, as ruff's keys are
    assert (shown["preset"], shown["fail-on"], shown["bootstrap"], shown["severity"]) == (
        "lenient",
        "error",
        ["pip", "wheel"],
        {"PIN102": "error"},
    )


def test_extend_ignore_and_extend_select_add_up_and_select_starts_afresh(repo: Path) -> None:
    write(
        repo,
        {
            "base.toml": 'ignore = ["PIN109"]\nextend-select = ["PIN201"]\n',
            "guard.toml": 'extend = "base.toml"\nignore = ["PIN102"]\n',
            "sub/.guard.toml": 'extend = "../base.toml"\nselect = ["PIN", "GRD"]\n',
        },
    )
    shown = settings(repo)
    assert (shown["select"], shown["ignore"], shown["extend-select"]) == (["ALL"], ["PIN109", "PIN102"], ["PIN201"])
    shown = settings(repo / "sub")
    assert (shown["select"], shown["ignore"], shown["extend-select"]) == (["PIN", "GRD"], [], [])


def test_extend_is_relative_to_the_file_that_says_it_and_expands_the_home_directory(repo: Path, tmp_path: Path) -> None:
    write(repo, {"a/b/guard.toml": 'extend = "../../c/guard.toml"\n', "c/guard.toml": 'extend = "~/shared.toml"\n'})
    home = tmp_path / "home"
    write(home, {"shared.toml": 'ignore = ["GRD"]\n'})
    result = guard_run(repo / "a" / "b", "check", "--show-settings", env={"HOME": str(home)})
    shown = json.loads(result.stdout)
    assert (shown["config-files"], shown["ignore"]) == (
        [str(repo / "a" / "b" / "guard.toml"), str(repo / "c" / "guard.toml"), str(home / "shared.toml")],
        ["GRD"],
    )


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"guard.toml": 'extend = "missing.toml"\n'}, "{root}/guard.toml: extend: {root}/missing.toml: no such configuration file"),
        (
            {"guard.toml": 'extend = "a.toml"\n', "a.toml": 'extend = "b.toml"\n', "b.toml": 'extend = "guard.toml"\n'},
            "{root}/b.toml: extend: {root}/guard.toml makes a cycle ({root}/guard.toml -> {root}/a.toml -> {root}/b.toml -> {root}/guard.toml)",
        ),
        (
            {"guard.toml": 'extend = "guard.toml"\n'},
            "{root}/guard.toml: extend: {root}/guard.toml makes a cycle ({root}/guard.toml -> {root}/guard.toml)",
        ),
        ({"guard.toml": "extend = 1\n"}, "{root}/guard.toml: extend: expected the path of a configuration file"),
        (
            {"guard.toml": 'extend = "a.toml"\n', "a.toml": 'preset = "tight"\n'},
            "{root}/a.toml: preset: unknown preset 'tight' (expected default, strict, lenient)",
        ),
        ({"guard.toml": 'extend = "a.toml"\n', "a.toml": "preset = \n"}, "{root}/a.toml: invalid TOML: "),
    ],
)
def test_extend_errors_are_one_line_naming_the_path(repo: Path, files: dict[str, str], message: str) -> None:
    write(repo, {**files, "requirements.txt": "requests\n"})
    result = guard_run(repo, "check")
    expected = "guard: configuration error: " + message.format(root=repo)
    assert (result.returncode, result.stdout, len(result.stderr.splitlines())) == (2, "", 1)
    assert result.stderr.startswith(expected) and (expected.endswith(": ") or result.stderr == expected + "\n")


def test_globs_of_an_inherited_file_are_rooted_at_its_own_folder(repo: Path) -> None:
    """As ruff's `extend`: `exclude`, `per-path`, `file-kinds` and `per-file-ignores` globs of
    the shared file name paths below the shared file's folder; globs without `/` match names."""
    write(
        repo,
        {
            "shared/guard.toml": (
                'exclude = ["vendor/requirements.txt"]\n'
                '[per-path]\n"docker/*" = { min-level = "any" }\n'
                '[file-kinds]\n"tools/install" = "shell"\n'
                '[per-file-ignores]\n"ci/requirements.txt" = ["PIN101"]\n"*.in" = ["PIN"]\n'
            ),
            "proj/guard.toml": 'extend = "../shared/guard.toml"\n',
            "proj/vendor/requirements.txt": "requests\n",
            "proj/docker/requirements.txt": "flask\n",
            "proj/tools/install": "pip install six\n",  # no shebang: read only as the file-kinds say
            "proj/ci/requirements.txt": "attrs\n",
            "proj/dev.in": "-c nothing.txt\n",
            "shared/ci/requirements.txt": "attrs\n",
        },
    )
    shown = settings(repo / "proj")
    shared = (repo / "shared").as_posix()
    assert (shown["exclude"], shown["per-path"], shown["file-kinds"], shown["per-file-ignores"]) == (
        [f"{shared}/vendor/requirements.txt"],
        {f"{shared}/docker/*": {"min-level": {kind: "any" for kind in shown["min-level"]}}},
        {f"{shared}/tools/install": "shell"},
        {f"{shared}/ci/requirements.txt": ["PIN101"], "*.in": ["PIN"]},
    )
    assert findings(repo / "proj") == [
        unpinned("ci/requirements.txt", "attrs"),
        unpinned("docker/requirements.txt", "flask"),
        unpinned("vendor/requirements.txt", "requests"),
    ]
    # the shared file's own `ci/requirements.txt` is the one its glob names
    assert findings(repo / "proj", "../shared/ci/requirements.txt") == []


def test_globs_of_a_file_inherited_from_a_parent_folder_reach_into_the_project(repo: Path) -> None:
    write(
        repo,
        {
            "guard.toml": '[per-file-ignores]\n"services/api/legacy/*" = ["PIN101"]\n"services/*/docs/*" = ["PIN"]\n',
            "services/api/.guard.toml": 'extend = "../../guard.toml"\n',
            "services/api/legacy/requirements.txt": "requests\n",
            "services/api/docs/requirements.txt": "sphinx\n",
            "services/api/requirements.txt": "flask\n",
        },
    )
    assert findings(repo / "services" / "api") == [unpinned("requirements.txt", "flask")]


def test_check_help_says_what_config_takes_and_lists_the_per_file_ignores_flags(tmp_path: Path) -> None:
    result = guard_run(tmp_path, "check", "--help", env={"COLUMNS": "400"})
    options: list[list[str]] = []
    for line in result.stdout.splitlines():
        if line.startswith("  -"):
            options.append(line.split())
        elif options and line.startswith("    "):
            options[-1].extend(line.split())  # argparse puts the help of a long option on the next line
    lines = {words[0]: " ".join(words) for words in options}
    assert (lines["--config"], lines["--per-file-ignores"], lines["--extend-per-file-ignores"]) == (
        "--config FILE read this configuration file instead of searching for one: a guard.toml or .guard.toml "
        "(top-level keys), or a pyproject.toml ([tool.guard])",
        "--per-file-ignores GLOB:CODES comma-separated GLOB:CODE pairs not to report in the files GLOB matches "
        "(as ruff's); repeatable; replaces the configured per-file-ignores",
        "--extend-per-file-ignores GLOB:CODES like --per-file-ignores, added to the configured ones",
    )


def test_extend_reads_a_pyproject_for_its_tool_guard_table_and_any_other_name_for_its_top_level(repo: Path) -> None:
    write(
        repo,
        {
            "shared/pyproject.toml": '[project]\nname = "shared"\n[tool.guard]\nignore = ["PIN109"]\n',
            "shared/org-settings": 'extend = "pyproject.toml"\nfail-on = "error"\n',
            "guard.toml": 'extend = "shared/org-settings"\n',
            "requirements.txt": "requests\npip\n",
        },
    )
    shown = settings(repo)
    assert (shown["config-files"], shown["ignore"], shown["fail-on"]) == (
        [str(repo / "guard.toml"), str(repo / "shared" / "org-settings"), str(repo / "shared" / "pyproject.toml")],
        ["PIN109"],
        "error",
    )
    assert findings(repo) == [unpinned("requirements.txt", "requests")]  # PIN109 for `pip` ignored
    assert guard_run(repo, "check").returncode == 0  # a warning, under fail-on = "error"
