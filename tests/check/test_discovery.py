"""Which files discovery hands to the checkers: test fixtures, `file-kinds`, directories named."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import pytest

from guard.check.discovery import find_files, fixture_dir_index
from guard.config import load_settings

FILES = {
    "requirements.txt": "x==1\n",
    "tests/requirements.txt": "x==1\n",
    "tests/fixtures/requirements.txt": "x\n",
    "tests/data/project/pyproject.toml": "[project]\nname = 'p'\n",
    "tests/unit/test_data/Dockerfile": "FROM python\n",
    "testing/resources/setup.py": "",
    "src/data/requirements.txt": "x==1\n",
    "test_data/requirements.txt": "x==1\n",
    "tests/fixtures/notes.md": "not a kind guard reads\n",
}


def discovered(root: Path, files: dict[str, str], paths: Optional[list[str]] = None, **overrides: Any) -> tuple[list[tuple[str, str]], int]:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    settings = load_settings(cwd=root, environ={}, overrides=overrides or None)
    found = find_files(paths or [], str(root), settings)
    return found.files, found.skipped_fixtures


FIXTURE_CASES = [
    (
        "skipped-by-default",
        None,
        {},
        [
            ("requirements.txt", "requirements"),
            ("src/data/requirements.txt", "requirements"),
            ("test_data/requirements.txt", "requirements"),
            ("tests/requirements.txt", "requirements"),
        ],
        4,
    ),
    (
        "brought-back-by-the-setting",
        None,
        {"include-fixtures": True},
        [
            ("requirements.txt", "requirements"),
            ("src/data/requirements.txt", "requirements"),
            ("test_data/requirements.txt", "requirements"),
            ("testing/resources/setup.py", "setup-py"),
            ("tests/data/project/pyproject.toml", "pyproject"),
            ("tests/fixtures/requirements.txt", "requirements"),
            ("tests/requirements.txt", "requirements"),
            ("tests/unit/test_data/Dockerfile", "dockerfile"),
        ],
        0,
    ),
    ("a-fixture-directory-named-is-checked", ["tests/fixtures"], {}, [("tests/fixtures/requirements.txt", "requirements")], 0),
    (
        "a-test-directory-named-still-skips-its-fixtures",
        ["tests"],
        {},
        [("tests/requirements.txt", "requirements")],
        3,
    ),
    (
        "an-explicit-file-is-always-checked",
        ["tests/fixtures/requirements.txt"],
        {},
        [("tests/fixtures/requirements.txt", "requirements")],
        0,
    ),
]


@pytest.mark.parametrize(
    ("paths", "settings", "files", "skipped"),
    [pytest.param(*case[1:], id=case[0]) for case in FIXTURE_CASES],
)
def test_test_fixtures(
    tmp_path: Path, paths: Optional[list[str]], settings: dict[str, Any], files: list[tuple[str, str]], skipped: int
) -> None:
    assert discovered(tmp_path, FILES, paths, **settings) == (files, skipped)


@pytest.mark.parametrize(
    ("path", "index"),
    [
        ("tests/fixtures/a.txt", 1),
        ("pkg/tests/unit/data/a.txt", 3),
        ("Tests/Fixtures/a.txt", 1),
        ("src/data/a.txt", -1),
        ("data/tests/a.txt", -1),
        ("tests/a.txt", -1),
        ("tests/data", -1),  # the file itself is not a folder
    ],
)
def test_fixture_dir_index(path: str, index: int) -> None:
    assert fixture_dir_index(path.split("/")) == index


def test_requirement_subdirectories_are_discovered(tmp_path: Path) -> None:
    files = {"requirements/extras/redis.txt": "redis\n", "requirements/base.txt": "x==1\n", "docs/extras/notes.txt": "x\n"}
    assert discovered(tmp_path, files) == (
        [("requirements/base.txt", "requirements"), ("requirements/extras/redis.txt", "requirements")],
        0,
    )
    assert discovered(tmp_path, {}, ["requirements/extras"]) == ([("requirements/extras/redis.txt", "requirements")], 0)


FILE_KIND_FILES = {
    "docker/dev-image": "RUN pip install x\n",
    "deps/pinned.pip": "x==1\n",
    "requirements.txt": "x==1\n",
    "ci/install": "pip install x\n",
}


@pytest.mark.parametrize(
    ("setting", "paths", "expected"),
    [
        pytest.param({}, None, [("requirements.txt", "requirements")], id="names-alone"),
        pytest.param(
            {"docker/dev-image": "dockerfile", "*.pip": "requirements", "ci/*": "shell"},
            None,
            [
                ("ci/install", "shell"),
                ("deps/pinned.pip", "requirements"),
                ("docker/dev-image", "dockerfile"),
                ("requirements.txt", "requirements"),
            ],
            id="globs-say-the-kind",
        ),
        pytest.param({"requirements.txt": "shell"}, None, [("requirements.txt", "shell")], id="over-the-name"),
        pytest.param({"docker/*": "dockerfile"}, ["docker/dev-image"], [("docker/dev-image", "dockerfile")], id="explicit-file"),
        pytest.param(
            ["docker/*=dockerfile"], None, [("docker/dev-image", "dockerfile"), ("requirements.txt", "requirements")], id="flag-form"
        ),
    ],
)
def test_file_kinds_setting(tmp_path: Path, setting: Any, paths: Optional[list[str]], expected: list[tuple[str, str]]) -> None:
    assert discovered(tmp_path, FILE_KIND_FILES, paths, **{"file-kinds": setting}) == (expected, 0)


def test_conda_files_by_other_names_are_checked(tmp_path: Path) -> None:
    from guard.check.run import check_paths

    conda = "name: ci\nchannels:\n  - conda-forge\ndependencies:\n  - numpy\n"
    files = {"ci/requirements/py311.yml": conda, "environment-dev.yml": conda, "ci/requirements/notes.yml": "title: x\n"}
    discovered(tmp_path, files)
    found = check_paths([], load_settings(cwd=tmp_path, environ={}), str(tmp_path))
    message = "`numpy` is not pinned (any version); conda environment files require exact"
    assert [(f.code, f.path, f.line, f.column, f.message) for f in found] == [
        ("PIN101", "ci/requirements/py311.yml", 5, 5, message),
        ("PIN101", "environment-dev.yml", 5, 5, message),
    ]


def test_settings_show_the_new_keys(tmp_path: Path) -> None:
    overrides = {
        "include-fixtures": True,
        "file-kinds": {"docker/dev": "dockerfile"},
        "per-path": {"services/*": {"project-kind": "application", "min-level": {"dockerfile": "hashed"}}},
    }
    shown = load_settings(cwd=tmp_path, environ={}, overrides=overrides).as_dict()
    assert (shown["include-fixtures"], shown["file-kinds"], shown["per-path"]) == (
        True,
        {"docker/dev": "dockerfile"},
        {"services/*": {"project-kind": "application", "min-level": {"dockerfile": "hashed"}}},
    )


def test_a_symlink_into_an_unchecked_out_submodule_is_skipped_and_another_broken_one_reported(tmp_path: Path) -> None:
    import subprocess

    from guard.check.run import check_paths
    from guard.config import load_settings

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitmodules").write_text('[submodule "common"]\n\tpath = common\n\turl = https://example.org/common.git\n')
    (tmp_path / "common").mkdir()  # what a clone without --recurse-submodules leaves
    (tmp_path / ".pre-commit-config.yaml").symlink_to("common/pre-commit-config.yaml")
    (tmp_path / "requirements.txt").symlink_to("missing.txt")
    subprocess.run(["git", "-C", str(tmp_path), "add", ".gitmodules", ".pre-commit-config.yaml", "requirements.txt"], check=True)
    found = check_paths([], load_settings(cwd=str(tmp_path), use_config_file=False), str(tmp_path))
    assert [(f.code, f.path, f.line, f.column, f.message) for f in found] == [
        ("GRD101", "requirements.txt", 0, 0, "cannot read `requirements.txt`: is a broken symbolic link")
    ]
