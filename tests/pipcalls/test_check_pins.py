"""What a pip call installs, as `check_calls` judges it: options pip stops at, `pip lock`,
local artifacts, `--group` and pipx (whole findings: code, path, line, column, message)."""

from __future__ import annotations

import os
from typing import Callable

import pytest

from guard.check.run import check_paths
from guard.config import load_settings

Full = Callable[..., "list[tuple[str, str, int, int, str]]"]


def unpinned(
    path: str, line: int, column: int, name: str, level: str, kind: str = "pip installs in shell scripts"
) -> tuple[str, str, int, int, str]:
    return ("PIN101", path, line, column, f"`{name}` is not pinned ({level}); {kind} require exact")


def stops(path: str, line: int, column: int, error: str, program: str = "pip") -> tuple[str, str, int, int, str]:
    return ("GRD102", path, line, column, f"`{program}` stops here ({error}), so the rest of this call is not checked")


PYPROJECT = """\
[project]
name = "demo"
version = "1"

[dependency-groups]
Test = ["pytest>=8", {include-group = "lint"}, "coverage==7.6.1"]
lint = ["ruff==0.5.0", "black", {include-group = "test"}]
pinned = ["attrs==24.2.0"]
"""

READ_BY = " (read by `pip install --group {value}` in {path}:{line})"


# (files, every finding: code, path, line, column, message)
FLAGGED = [
    # --- options pip stops at: reported once, and nothing after them is taken for a package
    pytest.param(
        {"s.sh": "pip install --frobnicate value requests\n"},
        [stops("s.sh", 1, 13, "no such option: `--frobnicate`")],
        id="unknown-option",
    ),
    pytest.param(
        {"s.sh": "python3 -m pip install x==1 --us y\n"},
        [
            stops(
                "s.sh",
                1,
                29,
                "ambiguous option: `--us` could be `--use-deprecated`, `--use-feature`, `--use-pep517`, `--user`",
                "python3 -m pip",
            )
        ],
        id="ambiguous-option",
    ),
    pytest.param(
        {"s.sh": "pip --frob install y\n"},
        [stops("s.sh", 1, 5, "no such option: `--frob`")],
        id="unknown-general-option",
    ),
    pytest.param(
        {"s.sh": "pip install y==1 -r\n"},
        [stops("s.sh", 1, 18, "`-r` option requires an argument")],
        id="missing-value",
    ),
    pytest.param(
        {"s.sh": "pip install --no-deps=1 y\n"},
        [stops("s.sh", 1, 13, "`--no-deps` option does not take a value")],
        id="flag-with-value",
    ),
    # --- local artifacts only when the index is off and every --find-links is on disk
    pytest.param(
        {"s.sh": "pip install -f https://example.org/wheels/ y\n"},
        [unpinned("s.sh", 1, 44, "y", "any version")],
        id="remote-find-links-with-the-index",
    ),
    pytest.param(
        {"s.sh": "pip install --no-index --find-links https://example.org/wheels/ y\n"},
        [unpinned("s.sh", 1, 65, "y", "any version")],
        id="remote-find-links-without-the-index",
    ),
    pytest.param(
        {"s.sh": "pip install --no-index -f dist -f http://example.org/w/ y\n"},
        [unpinned("s.sh", 1, 57, "y", "any version")],
        id="one-remote-find-links",
    ),
    pytest.param(
        {"s.sh": "pip install --no-index -f $WHEELS y\n"},
        [unpinned("s.sh", 1, 35, "y", "any version")],
        id="find-links-from-a-variable",
    ),
    pytest.param(
        {"s.sh": "pip install -f dist y\n"},
        [unpinned("s.sh", 1, 21, "y", "any version")],
        id="local-find-links-with-the-index",
    ),
    # --- --group follows [dependency-groups], includes too, at the pyproject's lines
    pytest.param(
        {"pyproject.toml": PYPROJECT, "s.sh": "pip install --group test\n"},
        [
            (
                "PIN101",
                "pyproject.toml",
                6,
                9,
                "`pytest` is not pinned (only a lower bound); pip installs in shell scripts require exact"
                + READ_BY.format(value="test", path="s.sh", line=1),
            ),
            (
                "PIN101",
                "pyproject.toml",
                7,
                24,
                "`black` is not pinned (any version); pip installs in shell scripts require exact"
                + READ_BY.format(value="test", path="s.sh", line=1),
            ),
        ],
        id="group-with-includes",
    ),
    pytest.param(
        {"pyproject.toml": PYPROJECT, "s.sh": "pip install --group test\npip install --group test\npip install --group lint\n"},
        [
            (
                "PIN101",
                "pyproject.toml",
                6,
                9,
                "`pytest` is not pinned (only a lower bound); pip installs in shell scripts require exact"
                + READ_BY.format(value="test", path="s.sh", line=1)[:-1]
                + " and 2 more installs)",
            ),
            (
                "PIN101",
                "pyproject.toml",
                7,
                24,
                "`black` is not pinned (any version); pip installs in shell scripts require exact"
                + READ_BY.format(value="test", path="s.sh", line=1)[:-1]
                + " and 2 more installs)",
            ),
        ],
        id="group-read-by-several-installs-is-reported-once",
    ),
    pytest.param(
        {"pyproject.toml": PYPROJECT, "s.sh": "pip install --group lint --group Test\n"},
        [
            (
                "PIN101",
                "pyproject.toml",
                6,
                9,
                "`pytest` is not pinned (only a lower bound); pip installs in shell scripts require exact"
                " (read by `pip install --group lint --group Test` in s.sh:1)",
            ),
            (
                "PIN101",
                "pyproject.toml",
                7,
                24,
                "`black` is not pinned (any version); pip installs in shell scripts require exact"
                " (read by `pip install --group lint --group Test` in s.sh:1)",
            ),
        ],
        id="an-install-of-two-groups-names-both",
    ),
    pytest.param(
        {
            "sub/pyproject.toml": PYPROJECT,
            "Dockerfile": "FROM python:3.12\nCOPY sub/pyproject.toml /src/\nWORKDIR /src\nRUN pip install --group=lint\n",
        },
        [
            (
                "PIN101",
                "sub/pyproject.toml",
                6,
                9,
                "`pytest` is not pinned (only a lower bound); Dockerfile pip installs require exact"
                + READ_BY.format(value="lint", path="Dockerfile", line=4),
            ),
            (
                "PIN101",
                "sub/pyproject.toml",
                7,
                24,
                "`black` is not pinned (any version); Dockerfile pip installs require exact"
                + READ_BY.format(value="lint", path="Dockerfile", line=4),
            ),
        ],
        id="group-copied-into-an-image",
    ),
    pytest.param(
        {"sub/pyproject.toml": PYPROJECT, "s.sh": "pip install --group sub/pyproject.toml:lint\n"},
        [
            (
                "PIN101",
                "sub/pyproject.toml",
                6,
                9,
                "`pytest` is not pinned (only a lower bound); pip installs in shell scripts require exact"
                + READ_BY.format(value="sub/pyproject.toml:lint", path="s.sh", line=1),
            ),
            (
                "PIN101",
                "sub/pyproject.toml",
                7,
                24,
                "`black` is not pinned (any version); pip installs in shell scripts require exact"
                + READ_BY.format(value="sub/pyproject.toml:lint", path="s.sh", line=1),
            ),
        ],
        id="group-of-another-pyproject",
    ),
    pytest.param(
        {"pyproject.toml": PYPROJECT, "s.sh": "pip install --group docs\n"},
        [("GRD103", "s.sh", 1, 13, "`--group docs`: `pyproject.toml` has no group `docs` in `[dependency-groups]`")],
        id="missing-group",
    ),
    pytest.param(
        {"pyproject.toml": '[project]\nname = "x"\n', "s.sh": "pip install --group dev\n"},
        [("GRD103", "s.sh", 1, 13, "`--group dev`: `pyproject.toml` has no `[dependency-groups]` table")],
        id="no-dependency-groups",
    ),
    pytest.param(
        {"s.sh": "pip install --group lib/pyproject.toml:dev\n"},
        [("GRD103", "s.sh", 1, 13, "`--group lib/pyproject.toml:dev` names a file that does not exist (looked for `lib/pyproject.toml`)")],
        id="missing-pyproject",
    ),
    pytest.param(
        {"pyproject.toml": "[dependency-groups\n", "s.sh": "pip install --group dev\n"},
        [
            (
                "GRD102",
                "s.sh",
                1,
                13,
                "`--group dev` reads `pyproject.toml`, which is not valid TOML: Expected ']' at the end of a table declaration",
            )
        ],
        id="pyproject-not-toml",
    ),
    # --- pipx installs packages too
    pytest.param({"s.sh": "pipx install tool\n"}, [unpinned("s.sh", 1, 14, "tool", "any version")], id="pipx-install"),
    pytest.param({"s.sh": "pipx run tool --tool-flag x\n"}, [unpinned("s.sh", 1, 10, "tool", "any version")], id="pipx-run"),
    pytest.param({"s.sh": "pipx run --spec 'tool>=1' tool\n"}, [unpinned("s.sh", 1, 17, "tool", "only a lower bound")], id="pipx-run-spec"),
    pytest.param({"s.sh": "pipx run --with dep tool==1.2\n"}, [unpinned("s.sh", 1, 17, "dep", "any version")], id="pipx-run-with"),
    pytest.param({"s.sh": "pipx inject venv pkg\n"}, [unpinned("s.sh", 1, 18, "pkg", "any version")], id="pipx-inject"),
    pytest.param({"s.sh": "pipx install --global tool\n"}, [unpinned("s.sh", 1, 23, "tool", "any version")], id="pipx-global-is-a-flag"),
    pytest.param(
        {"s.sh": "pipx install --preinstall helper tool==1\n"},
        [unpinned("s.sh", 1, 27, "helper", "any version")],
        id="pipx-preinstall",
    ),
]

LEFT_ALONE = [
    # pip 25.3 and 26.x options: their values are not packages
    pytest.param(
        "pip install --uploaded-prior-to P3D --only-final :all: --all-releases :all: --refresh-package y --build-constraint bc.txt x==1",
        id="newer-finder-options",
    ),
    pytest.param("pip lock --requirements-from-script tool.py --no-proxy-env --only-deps x==1", id="newer-lock-options"),
    # an unknown `uv pip` word may be uv's own option: not pip's error, and nothing after it is read
    pytest.param("uv pip install --some-uv-option value y", id="uv-unknown-option"),
    pytest.param("pip install --$EXTRA value y", id="option-from-a-variable"),
    # pip lock writes pylock.toml: what it is given is a lock's input; it installs nothing
    pytest.param("pip lock -r requirements.in flask .", id="lock"),
    pytest.param("sudo pip lock flask", id="lock-as-root"),
    # only the local directory's files can be installed
    pytest.param("uv pip install pydantic-core --no-index --find-links dist", id="no-index-local-dir"),
    pytest.param("pip install --no-index -f ./wheels -f /tmp/w --find-links=file:///w 'x>=1' y", id="no-index-local-dirs"),
    # pinned groups, or a group from a lock
    pytest.param("pip install --group pinned", id="pinned-group"),
    pytest.param("pip install --group pylock.toml:dev", id="group-of-a-lock"),
    pytest.param("pip install --group $GROUP", id="group-from-a-variable"),
    pytest.param("pip lock --group test", id="lock-group"),
    # pipx with a pinned package
    pytest.param("pipx install tool==1.2", id="pipx-install-pinned"),
    pytest.param("pipx run tool==1.2 --tool-flag unpinned", id="pipx-run-pinned"),
    pytest.param("pipx run --spec tool==1.2 tool arg", id="pipx-run-spec-pinned"),
    pytest.param("pipx run --spec=tool==1.2 tool", id="pipx-run-spec-equals"),
    pytest.param("pipx run -- tool==1.2 --spec x", id="pipx-run-double-dash"),
    pytest.param("pipx run ./script.py dep", id="pipx-run-script"),
    pytest.param("pipx run --path tool arg", id="pipx-run-path"),
    pytest.param("pipx inject venv pkg==1 --include-apps", id="pipx-inject-pinned"),
    pytest.param("pipx install --lock pylock.toml tool", id="pipx-install-lock"),
    pytest.param("pipx install --python python3.12 --suffix=@2 tool==2", id="pipx-value-options"),
]


@pytest.fixture
def check_calls_in(tmp_path: os.PathLike[str], monkeypatch: pytest.MonkeyPatch) -> Full:
    """Write every file, check only those that are not a pyproject.toml (the files the calls
    read are judged through the calls alone); whole findings."""
    monkeypatch.chdir(tmp_path)

    def run(files: dict[str, str]) -> list[tuple[str, str, int, int, str]]:
        for name, text in files.items():
            target = os.path.join(str(tmp_path), name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as handle:
                handle.write(text)
        checked = [name for name in files if os.path.basename(name) != "pyproject.toml" and not name.endswith(".in")]
        findings = check_paths(checked, load_settings(cwd="/", environ={}, use_config_file=False), str(tmp_path))
        return [(f.code, f.path, f.line, f.column, f.message) for f in findings]

    return run


@pytest.mark.parametrize(("files", "expected"), FLAGGED)
def test_flagged(check_calls_in: Full, files: dict[str, str], expected: list[tuple[str, str, int, int, str]]) -> None:
    assert check_calls_in(files) == expected


@pytest.mark.parametrize("line", LEFT_ALONE)
def test_left_alone(check_calls_in: Full, line: str) -> None:
    assert check_calls_in({"s.sh": line + "\n", "requirements.in": "django\n", "pyproject.toml": PYPROJECT}) == []


def test_lock_in_a_distro_image_is_not_refused(check_calls_in: Full) -> None:
    # PEP 668 guards installs; `pip lock` writes pylock.toml and leaves the Python alone
    assert check_calls_in({"Dockerfile": "FROM debian:12\nRUN pip lock flask\n"}) == []


def test_a_group_requirement_is_suppressed_where_it_is_written(check_calls_in: Full) -> None:
    pyproject = '[dependency-groups]\nlint = [\n  "black",  # guard: ignore[PIN101]\n  "ruff",\n]\n'
    assert check_calls_in({"pyproject.toml": pyproject, "s.sh": "pip install --group lint\n"}) == [
        (
            "PIN101",
            "pyproject.toml",
            4,
            3,
            "`ruff` is not pinned (any version); pip installs in shell scripts require exact"
            + READ_BY.format(value="lint", path="s.sh", line=1),
        )
    ]
