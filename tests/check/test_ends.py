"""Every finding says where it ends: the end of the requirement, shell word or value it is about."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from guard.check.ends import subject_end
from guard.check.run import check_paths
from guard.config import load_settings


def _findings(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, str, int, int, int, int, str]]:
    for name, text in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))
    settings = load_settings(cwd="/", environ={}, use_config_file=False)
    findings = check_paths(list(files), settings, str(tmp_path))
    out = []
    for f in findings:
        assert f.end_line is not None and f.end_column is not None, f
        lines = (tmp_path / f.path).read_text(encoding="utf-8").splitlines()
        if f.end_line == f.line:
            covered = lines[f.line - 1][f.column - 1 : f.end_column - 1]
        else:
            covered = "\n".join(
                [lines[f.line - 1][f.column - 1 :], *lines[f.line : f.end_line - 1], lines[f.end_line - 1][: f.end_column - 1]]
            )
        out.append((f.code, f.path, f.line, f.column, f.end_line, f.end_column, covered))
    return out


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_requirement_lines_end_before_comments_and_options(tmp_path: Path) -> None:
    text = (
        "requests\n"
        "flask>=1   # web\n"
        'numpy >= 1.0 ; python_version < "3.9" --config-settings x=y\n'
        "  click\t\n"
        "-e git+https://example.org/y#egg=y\n"
    )
    assert _findings(tmp_path, {"requirements.txt": text}) == [
        ("PIN101", "requirements.txt", 1, 1, 1, 9, "requests"),
        ("PIN101", "requirements.txt", 2, 1, 2, 9, "flask>=1"),
        ("PIN101", "requirements.txt", 3, 1, 3, 38, 'numpy >= 1.0 ; python_version < "3.9"'),
        ("PIN101", "requirements.txt", 4, 3, 4, 8, "click"),
        ("PIN102", "requirements.txt", 5, 4, 5, 35, "git+https://example.org/y#egg=y"),
    ]


def test_a_continued_requirement_ends_on_its_last_physical_line(tmp_path: Path) -> None:
    text = "pkg \\\n    >=1.0 \\\n    ; python_version < '3.9'  # why\nother==1\n"
    assert _findings(tmp_path, {"requirements.txt": text}) == [
        ("PIN101", "requirements.txt", 1, 1, 3, 29, "pkg \\\n    >=1.0 \\\n    ; python_version < '3.9'"),
    ]


def test_missing_include_covers_the_include(tmp_path: Path) -> None:
    assert _findings(tmp_path, {"requirements.txt": "-r missing.txt  # gone\n"}) == [
        ("GRD103", "requirements.txt", 1, 1, 1, 15, "-r missing.txt"),
    ]


def test_shell_words_in_a_dockerfile(tmp_path: Path) -> None:
    text = "FROM python:3.12\nRUN pip install \"flask>=1\" django && \\\n    pip install 'a b'x click;echo\n"
    found = _findings(tmp_path, {"Dockerfile": text})
    assert found == [
        ("PIN101", "Dockerfile", 2, 17, 2, 27, '"flask>=1"'),
        ("PIN101", "Dockerfile", 2, 28, 2, 34, "django"),
        ("PIN108", "Dockerfile", 3, 17, 3, 23, "'a b'x"),
        ("PIN101", "Dockerfile", 3, 24, 3, 29, "click"),
    ]


def test_a_dynamic_word_ends_after_its_command_substitution(tmp_path: Path) -> None:
    text = "#!/bin/sh\npip install \"$(grep '^x==' r.txt)\" $(echo a b)\n"
    found = _findings(tmp_path, {"install.sh": text})
    assert found == [
        ("PIN107", "install.sh", 2, 13, 2, 35, "\"$(grep '^x==' r.txt)\""),
        ("PIN107", "install.sh", 2, 36, 2, 47, "$(echo a b)"),
    ]


def test_workflow_run_block(tmp_path: Path) -> None:
    text = "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          pip install tox\n"
    assert _findings(tmp_path, {".github/workflows/ci.yml": text}) == [
        ("PIN101", ".github/workflows/ci.yml", 7, 23, 7, 26, "tox"),
    ]


def test_toml_strings_end_at_their_closing_quote(tmp_path: Path) -> None:
    text = '[project]\nname = "app"\nversion = "1"\ndependencies = ["requests", \'fla"sk>=1\', "x; extra == \\"a\\""]\n'
    found = _findings(tmp_path, {"pyproject.toml": text, "Dockerfile": "FROM python:3.12\nCOPY . /app\n"})
    assert [f for f in found if f[1] == "pyproject.toml"] == [
        ("PIN101", "pyproject.toml", 4, 17, 4, 27, '"requests"'),
        ("PIN108", "pyproject.toml", 4, 29, 4, 40, "'fla\"sk>=1'"),
        ("PIN101", "pyproject.toml", 4, 42, 4, 61, '"x; extra == \\"a\\""'),
    ]


def test_setup_py_expression(tmp_path: Path) -> None:
    text = "from setuptools import setup\nsetup(name='a', install_requires=reqs('base.txt'), extras_require={'x': ['y']})\n"
    assert [f for f in _findings(tmp_path, {"setup.py": text}) if f[0] == "PIN205"] == [
        ("PIN205", "setup.py", 2, 34, 2, 50, "reqs('base.txt')"),
    ]


def test_a_whole_file_finding_keeps_no_end(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_bytes(b"\xff\xfe\x00\x00bad\x00")
    settings = load_settings(cwd="/", environ={}, use_config_file=False)
    findings = check_paths(["requirements.txt"], settings, str(tmp_path))
    assert [(f.code, f.line, f.column, f.end_line, f.end_column, f.end) for f in findings] == [("GRD101", 0, 0, None, None, (0, 0))]


@pytest.mark.parametrize(
    ("line", "syntax", "expected"),
    [
        ("pkg", "requirement", (1, 4)),
        ("pkg  ", "requirement", (1, 4)),
        ("pkg  #c", "requirement", (1, 4)),
        ("pkg#egg", "requirement", (1, 8)),
        ("pkg --hash=sha256:0", "requirement", (1, 4)),
        ("pkg \\", "requirement", (1, 4)),
        ("a\\ b c", "shell", (1, 5)),
        ("a'b c'd e", "shell", (1, 8)),
        ('"unclosed', "shell", (1, 10)),
        ("x>=1", "shell", (1, 2)),
        ("x;y", "shell", (1, 2)),
        ("$(a (b) c)d e", "shell", (1, 12)),
        ('"a\\"b" c', "value", (1, 7)),
        ("'a\\' c", "value", (1, 5)),
        ("numpy >=1.2  # c", "value", (1, 12)),
        ("f(a, g(b)), c", "python", (1, 11)),
        ("'s,t', c", "python", (1, 6)),
    ],
)
def test_subject_end(line: str, syntax: str, expected: tuple[int, int]) -> None:
    assert subject_end([line], 1, 1, syntax, {}) == expected


def test_a_place_past_the_line_ends_where_it_starts() -> None:
    assert subject_end(["abc"], 1, 9, "shell", {}) == (1, 9)


def test_ends_never_precede_starts(tmp_path: Path) -> None:
    text = "  \\\n  \\\n#x\n"
    (tmp_path / "requirements.txt").write_text(text)
    assert os.path.exists(tmp_path / "requirements.txt")
    for line in range(1, 4):
        for column in range(1, 6):
            end = subject_end(text.splitlines(), line, column, "requirement", {2: 1, 3: 1})
            assert end >= (line, column)


def test_an_option_and_the_file_it_names(tmp_path: Path) -> None:
    assert _findings(tmp_path, {"setup.sh": "pip install -r  nowhere.txt && pip install -rgone.txt\n"}) == [
        ("GRD103", "setup.sh", 1, 13, 1, 28, "-r  nowhere.txt"),
        ("GRD103", "setup.sh", 1, 44, 1, 54, "-rgone.txt"),
    ]


def test_plain_scalars_in_a_yaml_flow_list(tmp_path: Path) -> None:
    text = "repos:\n  - repo: local\n    hooks:\n      - id: x\n        additional_dependencies: [requests , numpy]\n"
    assert _findings(tmp_path, {".pre-commit-config.yaml": text}) == [
        ("PIN101", ".pre-commit-config.yaml", 5, 35, 5, 43, "requests"),
        ("PIN101", ".pre-commit-config.yaml", 5, 46, 5, 51, "numpy"),
    ]
