"""pyproject.toml: each table that declares dependencies, under the library/application policy."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Union

import pytest
from manifest_helpers import COMMIT, at, run
from manifest_locks import pdm_lock, poetry_lock, pylock, uv_lock

LIB = '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n'
APP = ""  # no [build-system]: an application

Needle = Union[str, tuple[str, int]]

# (id, pyproject.toml, other files, settings, expected (code, needle in pyproject.toml, severity))
FLAGGED: list[tuple[str, str, dict[str, str], dict[str, Any], list[tuple[str, Needle, str]]]] = [
    ("app-bare-name", APP + '[project]\nname = "app"\ndependencies = ["requests"]\n', {}, {}, [("PIN101", '"requests"', "warning")]),
    (
        "app-floor-multi-line-array",
        APP + '[project]\nname = "app"\ndependencies = [\n    "flask==3.0.0",\n    "numpy>=1.20",  # fast\n]\n',
        {},
        {},
        [("PIN101", '"numpy>=1.20"', "warning")],
    ),
    (
        "app-wildcard",
        APP + '[project]\nname = "app"\ndependencies = ["urllib3==2.*"]\n',
        {},
        {},
        # one finding per problem: a `==X.*` reported as a range (PIN104) is not also PIN101
        [("PIN104", '"urllib3', "warning")],
    ),
    (
        "app-optional-dependency-literal-string",
        APP + "[project]\nname = 'app'\n[project.optional-dependencies]\ntest = ['pytest']\n",
        {},
        {},
        [("PIN101", "'pytest'", "warning")],
    ),
    (
        "app-vcs-branch",
        APP + '[project]\nname = "app"\ndependencies = ["x @ git+https://github.com/o/x@main"]\n',
        {},
        {},
        [("PIN102", '"x @', "warning")],
    ),
    (
        "app-url-without-hash",
        APP + '[project]\nname = "app"\ndependencies = ["pkg @ https://example.org/pkg-1.0.tar.gz"]\n',
        {},
        {},
        [("PIN103", '"pkg @', "warning")],
    ),
    (
        "app-invalid-requirement",
        APP + '[project]\nname = "app"\ndependencies = ["flask=2.0"]\n',
        {},
        {},
        [("PIN108", '"flask=2.0"', "error")],
    ),
    (
        "app-said-by-tool-guard",
        LIB + '[project]\nname = "app"\ndependencies = ["requests"]\n[tool.guard]\nproject-kind = "application"\n',
        {},
        {},
        [("PIN101", '"requests"', "warning")],
    ),
    (
        "app-said-by-setting",
        LIB + '[project]\nname = "app"\ndependencies = ["requests"]\n',
        {},
        {"project-kind": "application"},
        [("PIN101", '"requests"', "warning")],
    ),
    (
        "app-uv-package-false",
        LIB + '[project]\nname = "app"\ndependencies = ["requests"]\n[tool.uv]\npackage = false\n',
        {},
        {},
        [("PIN101", '"requests"', "warning")],
    ),
    (
        "app-dockerfile-beside-unnamed",
        LIB + '[tool.poetry.dependencies]\nrequests = "*"\n',
        {"Dockerfile": "FROM scratch\n"},
        {},
        [("PIN101", '"*"', "warning")],
    ),
    (
        # a named package is published; the Dockerfile beside it runs or tests it
        "lib-dockerfile-beside-named-package",
        LIB + '[project]\nname = "lib"\ndependencies = ["requests"]\n',
        {"Dockerfile": "FROM scratch\n", "compose.yaml": "services: {}\n"},
        {},
        [("PIN101", '"requests"', "info")],
    ),
    (
        "lib-dockerfile-beside-named-poetry-package",
        LIB + '[tool.poetry]\nname = "lib"\n[tool.poetry.dependencies]\nrequests = "*"\n',
        {"Dockerfile": "FROM scratch\n"},
        {},
        [("PIN101", '"*"', "info")],
    ),
    (
        "lib-no-constraint",
        LIB + '[project]\nname = "lib"\ndependencies = ["requests", "idna<4"]\n',
        {},
        {},
        [("PIN101", '"requests"', "info")],
    ),
    (
        "lib-vcs-branch",
        LIB + '[project]\nname = "lib"\ndependencies = ["x @ git+https://github.com/o/x@v1.0"]\n',
        {},
        {},
        [("PIN102", '"x @', "info")],
    ),
    (
        "lib-exact-pin-opt-in",
        LIB + '[project]\nname = "lib"\ndependencies = ["attrs==23.1.0", "idna>=3"]\n',
        {},
        {"extend-select": ["PIN201"]},
        [("PIN201", '"attrs', "warning")],
    ),
    (
        "build-system-without-bound",
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n[project]\nname = "lib"\n',
        {},
        {},
        [("PIN101", '"hatchling"', "info")],
    ),
    (
        "poetry-caret",
        '[tool.poetry]\npackage-mode = false\n[tool.poetry.dependencies]\npython = "^3.9"\nrequests = "^2.31"\nflask = "3.0.0"\n',
        {},
        {},
        [("PIN101", '"^2.31"', "warning")],
    ),
    (
        "poetry-tilde-and-star",
        '[tool.poetry]\npackage-mode = false\n[tool.poetry.dependencies]\na = "~1.2"\nb = "*"\nc = ">=1,<2 || ^3"\n',
        {},
        {},
        [("PIN101", '"~1.2"', "warning"), ("PIN101", '"*"', "warning"), ("PIN101", '">=1', "warning")],
    ),
    (
        "poetry-git-branch",
        '[tool.poetry]\npackage-mode = false\n[tool.poetry.dependencies]\nmylib = { git = "https://github.com/o/mylib.git", branch = "develop" }\n',
        {},
        {},
        [("PIN102", '"develop"', "warning")],
    ),
    (
        "poetry-git-tag-and-short-rev",
        '[tool.poetry]\npackage-mode = false\n[tool.poetry.dependencies]\na = { git = "https://g/a.git", tag = "v1" }\nb = { git = "https://g/b.git", rev = "abc1234" }\n',
        {},
        {},
        [("PIN102", '"v1"', "warning"), ("PIN102", '"abc1234"', "warning")],
    ),
    (
        "poetry-multiple-constraints",
        '[tool.poetry]\npackage-mode = false\n[tool.poetry.dependencies]\nfoo = [\n  { version = "^1.0", python = "<3.9" },\n  { version = "2.0.0", python = ">=3.9" },\n]\n',
        {},
        {},
        [("PIN101", '"^1.0"', "warning")],
    ),
    (
        "poetry-group-drift",
        '[tool.poetry]\npackage-mode = false\n[tool.poetry.dependencies]\nrequests = "^2.31"\n[tool.poetry.group.dev.dependencies]\npytest = "*"\n',
        {"poetry.lock": poetry_lock("requests")},
        {},
        [("PIN202", '"*"', "warning")],
    ),
    (
        "uv-source-branch",
        '[project]\nname = "app"\ndependencies = ["mylib"]\n[tool.uv.sources]\nmylib = { git = "https://github.com/o/mylib", branch = "main" }\n',
        {},
        {},
        [("PIN102", '"main"', "warning")],
    ),
    (
        "uv-dev-dependencies-drift",
        '[project]\nname = "app"\ndependencies = ["requests"]\n[tool.uv]\ndev-dependencies = ["pytest>=8"]\n',
        {"uv.lock": uv_lock("app", "requests")},
        {},
        [("PIN202", '"pytest>=8"', "warning")],
    ),
    (
        "dependency-groups-drift",
        '[project]\nname = "app"\n[dependency-groups]\ntest = ["pytest", {include-group = "lint"}]\nlint = ["ruff"]\n',
        {"uv.lock": uv_lock("app")},
        {},
        [("PIN202", '"pytest"', "warning"), ("PIN202", '"ruff"', "warning")],
    ),
    (
        "runtime-drift",
        '[project]\nname = "app"\ndependencies = ["requests", "httpx"]\n',
        {"uv.lock": uv_lock("app", "requests")},
        {},
        [("PIN202", '"httpx"', "warning")],
    ),
    (
        "library-drift",
        LIB + '[project]\nname = "lib"\ndependencies = ["requests>=2", "httpx>=0.27"]\n',
        {"uv.lock": uv_lock("lib", "requests")},
        {},
        [("PIN202", '"httpx', "warning")],
    ),
    (
        "pdm-dev-branch",
        '[project]\nname = "app"\n[tool.pdm.dev-dependencies]\ntest = ["x @ git+https://github.com/o/x@main"]\n',
        {},
        {},
        [("PIN102", '"x @', "warning")],
    ),
    (
        "hatch-env-variable",
        '[project]\nname = "app"\n[tool.hatch.envs.default]\ndependencies = ["pytest{env:PYTEST_VERSION}"]\n',
        {},
        {},
        [("PIN107", '"pytest', "warning")],
    ),
    (
        "strict-preset-groups-need-hashes",
        '[project]\nname = "app"\n[dependency-groups]\ndev = ["ruff==0.4.0"]\n',
        {},
        {"preset": "strict"},
        [("PIN101", '"ruff', "warning")],
    ),
    ("dependencies-not-an-array", '[project]\nname = "app"\ndependencies = "requests"\n', {}, {}, [("GRD102", '"requests"', "error")]),
    (
        "optional-dependencies-not-a-table",
        '[project]\nname = "app"\noptional-dependencies = ["x"]\n',
        {},
        {},
        [("GRD102", '["x"]', "error")],
    ),
    (
        "entry-not-a-string-others-still-checked",
        '[project]\nname = "app"\ndependencies = ["requests", 3]\n[dependency-groups]\ndev = ["x @ git+https://g/x@main"]\n',
        {},
        {},
        [("PIN101", '"requests"', "warning"), ("GRD102", "3]", "error"), ("PIN102", '"x @', "warning")],
    ),
    (
        "poetry-dependency-wrong-type",
        '[tool.poetry]\npackage-mode = false\n[tool.poetry.dependencies]\nrequests = 2\nflask = "^3"\n',
        {},
        {},
        [("GRD102", "2\n", "error"), ("PIN101", '"^3"', "warning")],
    ),
]

LEFT_ALONE: list[tuple[str, str, dict[str, str], dict[str, Any]]] = [
    (
        "app-exact-pins",
        '[project]\nname = "app"\ndependencies = ["requests==2.32.3", "idna===3.7", "x @ git+https://g/x@' + COMMIT + '"]\n',
        {},
        {},
    ),
    (
        "app-locked-by-uv",
        '[project]\nname = "app"\ndependencies = ["requests>=2", "Idna"]\n[dependency-groups]\ndev = ["pytest"]\n',
        {"uv.lock": uv_lock("app", "requests", "idna", "pytest")},
        {},
    ),
    (
        "app-locked-by-poetry",
        '[tool.poetry]\npackage-mode = false\n[tool.poetry.dependencies]\npython = "^3.9"\nrequests = "^2.31"\n',
        {"poetry.lock": poetry_lock("requests")},
        {},
    ),
    (
        "app-locked-by-pdm",
        '[project]\nname = "app"\ndependencies = ["requests"]\n[tool.pdm.dev-dependencies]\ntest = ["pytest"]\n',
        {"pdm.lock": pdm_lock("requests", "pytest")},
        {},
    ),
    ("app-locked-by-pylock", '[project]\nname = "app"\ndependencies = ["requests"]\n', {"pylock.toml": pylock("requests")}, {}),
    (
        "app-branch-locked-at-a-commit",
        '[project]\nname = "app"\ndependencies = ["mylib"]\n[tool.uv.sources]\nmylib = { git = "https://g/mylib", branch = "main" }\n',
        {"uv.lock": uv_lock("app", "mylib")},
        {},
    ),
    (
        "lib-ranges-and-exact-pins",
        LIB + '[project]\nname = "lib"\ndependencies = ["requests>=2,<3", "idna<4", "attrs==23.1.0", "six!=1.0"]\n',
        {},
        {},
    ),
    (
        "lib-extras-and-groups-without-lock",
        LIB + '[project]\nname = "lib"\n[project.optional-dependencies]\ntest = ["pytest"]\n[dependency-groups]\ndev = ["ruff"]\n',
        {},
        {},
    ),
    (
        "app-groups-without-lock",
        '[project]\nname = "app"\n[dependency-groups]\ndev = ["ruff", {include-group = "test"}]\ntest = ["pytest"]\n',
        {},
        {},
    ),
    (
        "self-reference",
        '[project]\nname = "My_App"\ndependencies = []\n[project.optional-dependencies]\nall = ["my-app[test]"]\n[dependency-groups]\ndev = ["my.app[all]"]\n',
        {},
        {},
    ),
    (
        "poetry-python-and-bare-versions",
        '[tool.poetry]\npackage-mode = false\n[tool.poetry.dependencies]\npython = "^3.9"\nflask = "3.0.0"\nb = { version = "==1.2.3", extras = ["x"] }\nc = { path = "../c", develop = true }\n',
        {},
        {},
    ),
    (
        "uv-local-sources",
        '[project]\nname = "app"\ndependencies = ["sibling", "member"]\n[tool.uv.sources]\nsibling = { path = "../sibling" }\nmember = { workspace = true }\n',
        {},
        {},
    ),
    (
        "uv-source-at-commit",
        '[project]\nname = "app"\ndependencies = ["mylib"]\n[tool.uv.sources]\nmylib = { git = "https://g/mylib", rev = "'
        + COMMIT
        + '" }\n',
        {},
        {},
    ),
    (
        "uv-constraint-pins-it",
        '[project]\nname = "app"\ndependencies = ["requests"]\n[tool.uv]\nconstraint-dependencies = ["requests==2.32.3"]\n',
        {},
        {},
    ),
    ("build-system-floor", LIB + '[project]\nname = "lib"\n', {}, {}),
    (
        "hatch-root-and-pdm-project-root",
        '[project]\nname = "app"\n[tool.hatch.envs.default]\ndependencies = ["sub @ {root:uri}/sub"]\n[tool.pdm.dev-dependencies]\ndev = ["-e file:///${PROJECT_ROOT}/sub"]\n',
        {},
        {},
    ),
    ("allow-list", '[project]\nname = "app"\ndependencies = ["requests"]\n', {}, {"allow": ["requests"]}),
    ("package-override", '[project]\nname = "app"\ndependencies = ["torch>=2"]\n[tool.guard.packages]\n"torch*" = "floor"\n', {}, {}),
    ("lenient-preset", '[project]\nname = "app"\ndependencies = ["requests<3"]\n', {}, {"preset": "lenient"}),
    (
        "min-level-override",
        '[project]\nname = "app"\ndependencies = ["requests>=2,<3"]\n[tool.guard.min-level]\npyproject-application = "bounded"\n',
        {},
        {},
    ),
    ("no-dependencies-at-all", "[tool.ruff]\nline-length = 100\n", {}, {}),
]


def _expected(text: str, rows: list[tuple[str, Needle, str]]) -> list[tuple[str, str, int, int, str]]:
    out = []
    for code, needle, severity in rows:
        line, column = at(text, needle) if isinstance(needle, str) else at(text, *needle)
        out.append((code, "pyproject.toml", line, column, severity))
    return sorted(out, key=lambda row: (row[1], row[2], row[3], row[0]))


@pytest.mark.parametrize(("text", "files", "settings", "expected"), [pytest.param(*case[1:], id=case[0]) for case in FLAGGED])
def test_flagged(
    tmp_path: Path, text: str, files: dict[str, str], settings: dict[str, Any], expected: list[tuple[str, Needle, str]]
) -> None:
    assert run(tmp_path, {"pyproject.toml": text, **files}, ["pyproject.toml"], **settings) == _expected(text, expected)


@pytest.mark.parametrize(("text", "files", "settings"), [pytest.param(*case[1:], id=case[0]) for case in LEFT_ALONE])
def test_left_alone(tmp_path: Path, text: str, files: dict[str, str], settings: dict[str, Any]) -> None:
    assert run(tmp_path, {"pyproject.toml": text, **files}, ["pyproject.toml"], **settings) == []


def test_this_repository_pyproject_has_no_findings(tmp_path: Path) -> None:
    own = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    assert run(tmp_path, {"pyproject.toml": own}, ["pyproject.toml"]) == []


def test_invalid_toml_is_one_finding(tmp_path: Path) -> None:
    from manifest_helpers import findings

    found = findings(tmp_path, {"pyproject.toml": '[project]\nname = "app"\ndependencies = ["a",\n'}, ["pyproject.toml"])
    assert [(f.code, f.path, f.line, f.column) for f in found] == [("GRD102", "pyproject.toml", 4, 1)]
    assert found[0].message.startswith("`pyproject.toml` is not valid TOML: ")


@pytest.mark.parametrize(
    ("files", "message"),
    [
        pytest.param(
            {"pyproject.toml": '[project]\nname = "app"\ndependencies = ["requests"]\n'},
            "`requests` is not pinned (any version); an application's dependencies require exact",
            id="application",
        ),
        pytest.param(
            {"pyproject.toml": LIB + '[project]\nname = "lib"\ndependencies = ["requests"]\n'},
            "`requests` is not pinned (any version); a library's dependencies require constrained",
            id="library",
        ),
        pytest.param(
            {"pyproject.toml": '[project]\nname = "app"\ndependencies = ["requests"]\n', "uv.lock": uv_lock("app")},
            "`requests` is declared but missing from `uv.lock`",
            id="drift",
        ),
    ],
)
def test_messages(tmp_path: Path, files: dict[str, str], message: str) -> None:
    from manifest_helpers import findings

    assert [f.message for f in findings(tmp_path, files, ["pyproject.toml"])] == [message]


def test_broken_lock_is_not_coverage_and_is_reported(tmp_path: Path) -> None:
    files = {"pyproject.toml": '[project]\nname = "app"\ndependencies = ["requests"]\n', "uv.lock": "version = [\n"}
    assert run(tmp_path, files) == [
        ("PIN101", "pyproject.toml", 3, 17, "warning"),
        ("GRD102", "uv.lock", 2, 1, "error"),
    ]
