"""setup.cfg, setup.py, Pipfile, environment.yml, tox.ini, .pre-commit-config.yaml, PEP 723
scripts and requirements.in: cases each flags and cases each leaves alone."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any, Union

import pytest
from manifest_helpers import COMMIT, SHA, at, findings, run
from manifest_locks import hashed, pipfile_lock, uv_lock

from guard.manifests.environment_yml import conda_info
from guard.manifests.kind import APPLICATION, LIBRARY, project_kind
from guard.pins.levels import PinLevel

Needle = Union[str, tuple[str, int]]

SETUP_CFG = """[metadata]
name = lib

[options]
install_requires =
    requests
    # a comment
    numpy>=1.2  # inline comment
    attrs==23.1.0
setup_requires = setuptools; wheel==0.42.0
tests_require = pytest

[options.extras_require]
test =
    pytest @ git+https://github.com/pytest-dev/pytest@main
"""

SETUP_PY = """from setuptools import setup

REQUIRES = ["requests", "numpy>=1"]

setup(
    name="lib",
    install_requires=REQUIRES,
    extras_require={
        "dev": ["tool @ git+https://g/tool@main"],
        "docs": open("docs.txt").read().split(),
    },
    setup_requires="wheel==0.42.0\\nsetuptools>=40",
    **extra,
)
"""

PIPFILE = """[[source]]
url = "https://pypi.org/simple"
verify_ssl = true
name = "pypi"

[packages]
requests = "*"
flask = "==3.0.0"
django = {version = ">=4.2", extras = ["argon2"]}
mylib = {git = "https://github.com/o/mylib.git", ref = "main"}
local = {path = ".", editable = true}

[dev-packages]
pytest = ">=8"

[requires]
python_version = "3.12"
"""

ENVIRONMENT = """name: demo
channels:
  - conda-forge
dependencies:
  - python=3.11
  - numpy=1.26
  - scipy==1.11.4
  - pandas=2.1.4=py311h1234_0
  - conda-forge::xarray
  - matplotlib >=3.8
  - pip=23.3.1
  - pip:
      - requests
      - "flask==3.0.0"
      - -r requirements-extra.txt
"""

TOX = """[tox]
requires = tox>=4
env_list = py311, lint

[testenv]
deps =
    pytest==8.0.0
    py311: coverage
    -r{toxinidir}/requirements-test.txt
    mypy{env:MYPY_VERSION}
commands = pytest {posargs}

[testenv:lint]
deps =
    {[testenv]deps}
    ruff>=0.1
commands = ruff check .
"""

PRE_COMMIT = """repos:
  - repo: https://github.com/pre-commit/mirrors-mypy
    rev: v1.8.0
    hooks:
      - id: mypy
        additional_dependencies: [types-requests, "pydantic==2.5.3"]
  - repo: https://github.com/pre-commit/mirrors-prettier
    rev: v3.0.0
    hooks:
      - id: prettier
        additional_dependencies:
          - prettier@3.0.0
          - "@prettier/plugin-xml@3.2.2"
  - repo: local
    hooks:
      - id: js
        name: js
        entry: eslint
        language: node
        additional_dependencies: [eslint]
      - id: py
        name: py
        entry: flake8
        language: python
        additional_dependencies:
          - flake8-bugbear>=23
"""

# Indented in this file and dedented, so that guard does not read this test as a script.
SCRIPT = textwrap.dedent("""\
    #!/usr/bin/env python3
    # /// script
    # requires-python = ">=3.11"
    # dependencies = [
    #   "requests<3",
    #   "rich==13.7.1",
    # ]
    # ///
    import requests
""")

SCRIPT_TIME_PINNED = textwrap.dedent("""\
    # /// script
    # dependencies = ["requests"]
    # [tool.uv]
    # exclude-newer = "2024-01-01T00:00:00Z"
    # ///
""")

# (id, files, settings, expected (code, file, needle in that file, severity))
FLAGGED: list[tuple[str, dict[str, str], dict[str, Any], list[tuple[str, str, Needle, str]]]] = [
    (
        "setup-cfg-library",
        {"setup.cfg": SETUP_CFG},
        {},
        [
            ("PIN101", "setup.cfg", "requests", "info"),
            ("PIN109", "setup.cfg", "setuptools;", "info"),
            ("PIN102", "setup.cfg", "pytest @", "info"),
        ],
    ),
    (
        "setup-cfg-application",
        {"setup.cfg": SETUP_CFG},
        {"project-kind": "application"},
        [
            ("PIN101", "setup.cfg", "requests", "warning"),
            ("PIN101", "setup.cfg", "numpy", "warning"),
            ("PIN109", "setup.cfg", "setuptools;", "info"),
            ("PIN102", "setup.cfg", "pytest @", "warning"),
        ],
    ),
    (
        "setup-py-literal-and-dynamic",
        {"setup.py": SETUP_PY},
        {},
        [
            ("PIN101", "setup.py", '"requests"', "info"),
            ("PIN102", "setup.py", '"tool @', "info"),
            ("PIN205", "setup.py", "open(", "info"),
            ("PIN205", "setup.py", "extra,", "info"),
        ],
    ),
    ("setup-py-syntax-error", {"setup.py": "setup(install_requires=[\n"}, {}, [("GRD102", "setup.py", "[", "error")]),
    (
        "pipfile-without-lock",
        {"Pipfile": PIPFILE},
        {},
        [
            ("PIN101", "Pipfile", '"*"', "warning"),
            ("PIN101", "Pipfile", '">=4.2"', "warning"),
            ("PIN102", "Pipfile", '"main"', "warning"),
        ],
    ),
    (
        "pipfile-lock-drift",
        {
            "Pipfile": PIPFILE,
            "Pipfile.lock": pipfile_lock(
                {
                    "requests": hashed(),
                    "flask": hashed(),
                    "django": hashed(),
                    "mylib": {"git": "https://github.com/o/mylib.git", "ref": COMMIT},
                }
            ),
        },
        {},
        [
            ("PIN202", "Pipfile", '">=8"', "warning"),
        ],
    ),
    (
        "environment-yml",
        {"environment.yml": ENVIRONMENT, "requirements-extra.txt": "attrs\n"},
        {},
        [
            ("PIN101", "environment.yml", "numpy", "warning"),
            ("PIN101", "environment.yml", "conda-forge::xarray", "warning"),
            ("PIN101", "environment.yml", "matplotlib", "warning"),
            ("PIN109", "environment.yml", "pip=23", "info"),
            ("PIN101", "environment.yml", "requests", "warning"),
            ("PIN101", "requirements-extra.txt", "attrs", "warning"),
        ],
    ),
    (
        "environment-yml-missing-include",
        {"environment.yml": "dependencies:\n  - pip:\n    - -r nowhere.txt\n"},
        {},
        [
            ("GRD103", "environment.yml", "-r", "error"),
        ],
    ),
    (
        "environment-yml-invalid-yaml",
        {"environment.yml": "dependencies:\n  - 'numpy\n"},
        {},
        [
            ("GRD102", "environment.yml", "'numpy", "error"),
        ],
    ),
    (
        "tox-ini",
        {"tox.ini": TOX, "requirements-test.txt": "attrs\n"},
        {},
        [
            ("PIN101", "requirements-test.txt", "attrs", "warning"),
            ("PIN101", "tox.ini", "tox>=4", "warning"),
            ("PIN101", "tox.ini", "coverage", "warning"),
            ("PIN107", "tox.ini", "mypy", "warning"),
            ("PIN101", "tox.ini", "ruff", "warning"),
        ],
    ),
    (
        "pre-commit-config",
        {".pre-commit-config.yaml": PRE_COMMIT},
        {},
        [
            ("PIN101", ".pre-commit-config.yaml", "types-requests", "warning"),
            ("PIN101", ".pre-commit-config.yaml", "flake8-bugbear", "warning"),
        ],
    ),
    ("pep723-script", {"tools/fetch.py": SCRIPT}, {}, [("PIN101", "tools/fetch.py", '"requests<3"', "warning")]),
    ("pep723-invalid-toml", {"s.py": "# /// script\n# dependencies = [\n# ///\n"}, {}, [("GRD102", "s.py", "# ///\n", "error")]),
    ("pep723-lock-drift", {"s.py": SCRIPT, "s.py.lock": uv_lock("requests")}, {}, [("PIN202", "s.py", '"rich', "warning")]),
]

LEFT_ALONE: list[tuple[str, dict[str, str], dict[str, Any]]] = [
    (
        "setup-cfg-pinned-application",
        {"setup.cfg": "[options]\ninstall_requires =\n    requests==2.32.3\nsetup_requires = setuptools>=61\n"},
        {"project-kind": "application"},
    ),
    (
        "setup-cfg-file-directive",
        {"setup.cfg": "[options]\ninstall_requires = file: requirements.in\n", "requirements.in": "requests\n"},
        {},
    ),
    ("setup-py-ranges", {"setup.py": "import setuptools\nsetuptools.setup(install_requires=('requests>=2', 'idna<4'))\n"}, {}),
    ("setup-py-without-setup-call", {"setup.py": "print('hello')\n"}, {}),
    (
        "pipfile-locked",
        {
            "Pipfile": '[packages]\nrequests = "*"\n[dev-packages]\npytest = "*"\n',
            "Pipfile.lock": pipfile_lock({"requests": hashed()}, {"pytest": hashed()}),
        },
        {},
    ),
    (
        "environment-yml-exact",
        {
            "environment.yml": "dependencies:\n  - python=3.12\n  - numpy==1.26.4\n  - scipy 1.11.4\n  - pandas=2.1.4=py311h_0\n  - pip:\n    - requests==2.32.3\n"
        },
        {},
    ),
    ("environment-yml-no-dependencies", {"environment.yml": "name: empty\n"}, {}),
    ("tox-ini-pinned", {"tox.ini": "[testenv]\ndeps =\n    pytest==8.0.0\n    -e .\ncommands = pytest\n"}, {}),
    (
        "pre-commit-pinned-and-not-python",
        {
            ".pre-commit-config.yaml": "repos:\n  - repo: local\n    hooks:\n      - id: a\n        name: a\n        entry: a\n        language: python\n        additional_dependencies: ['black==24.1.0']\n"
        },
        {},
    ),
    ("pep723-pinned", {"s.py": '# /// script\n# dependencies = ["rich==13.7.1"]\n# ///\n'}, {}),
    ("pep723-time-pin", {"s.py": SCRIPT_TIME_PINNED}, {}),
    ("pep723-locked", {"s.py": SCRIPT, "s.py.lock": uv_lock("requests", "rich")}, {}),
    ("python-without-block", {"m.py": "# /// not a script\nimport os\n"}, {}),
    ("requirements-in", {"requirements.in": "requests\nflask>=3\n"}, {}),
]


def _rows(files: dict[str, str], expected: list[tuple[str, str, Needle, str]]) -> list[tuple[str, str, int, int, str]]:
    out = []
    for code, name, needle, severity in expected:
        line, column = at(files[name], needle) if isinstance(needle, str) else at(files[name], *needle)
        out.append((code, name, line, column, severity))
    return sorted(out, key=lambda row: (row[1], row[2], row[3], row[0]))


@pytest.mark.parametrize(("files", "settings", "expected"), [pytest.param(*case[1:], id=case[0]) for case in FLAGGED])
def test_flagged(tmp_path: Path, files: dict[str, str], settings: dict[str, Any], expected: list[tuple[str, str, Needle, str]]) -> None:
    assert run(tmp_path, files, **settings) == _rows(files, expected)


@pytest.mark.parametrize(("files", "settings"), [pytest.param(*case[1:], id=case[0]) for case in LEFT_ALONE])
def test_left_alone(tmp_path: Path, files: dict[str, str], settings: dict[str, Any]) -> None:
    assert run(tmp_path, files, **settings) == []


@pytest.mark.parametrize(
    ("spec", "level"),
    [
        pytest.param("numpy", PinLevel.ANY, id="bare"),
        pytest.param("numpy=1.26", PinLevel.BOUNDED, id="fuzzy"),
        pytest.param("numpy=1.26.4", PinLevel.BOUNDED, id="fuzzy-full-version"),
        pytest.param("numpy=1.26.*", PinLevel.BOUNDED, id="fuzzy-star"),
        pytest.param("numpy==1.26.4", PinLevel.EXACT, id="double-equals"),
        pytest.param("numpy=1.26.4=py311h_0", PinLevel.EXACT, id="version-and-build"),
        pytest.param("numpy 1.26.4", PinLevel.EXACT, id="space-version"),
        pytest.param("numpy 1.26.4 py311h_0", PinLevel.EXACT, id="space-version-build"),
        pytest.param("numpy >=1.26", PinLevel.FLOOR, id="floor"),
        pytest.param("numpy>=1.26,<2", PinLevel.BOUNDED, id="range"),
        pytest.param("numpy <2", PinLevel.CONSTRAINED, id="upper"),
        pytest.param("numpy 1.26.4|1.26.3", PinLevel.BOUNDED, id="or-of-two-versions-is-a-choice"),
        pytest.param("numpy 1.26.4|1.26.4.0", PinLevel.EXACT, id="or-of-one-version"),
        pytest.param("numpy 1.26.4|>=2", PinLevel.FLOOR, id="or-takes-weakest"),
        pytest.param("conda-forge::numpy==1.26.4", PinLevel.EXACT, id="channel"),
        pytest.param("numpy[version='>=1.26,<2']", PinLevel.BOUNDED, id="bracket"),
    ],
)
def test_conda_levels(spec: str, level: PinLevel) -> None:
    info = conda_info(spec)
    assert (info.name, info.level, info.invalid) == ("numpy", level, None)


@pytest.mark.parametrize(
    ("files", "pyproject", "kind"),
    [
        pytest.param({}, '[project]\nname = "x"\n', APPLICATION, id="no-build-system"),
        pytest.param({}, '[build-system]\nrequires = ["hatchling"]\n', LIBRARY, id="build-system"),
        pytest.param({"setup.py": ""}, "[tool.black]\n", LIBRARY, id="legacy-setup-py"),
        pytest.param({}, '[build-system]\nrequires = ["x"]\n[tool.uv]\npackage = false\n', APPLICATION, id="uv-package-false"),
        pytest.param({}, '[build-system]\nrequires = ["x"]\n[tool.poetry]\npackage-mode = false\n', APPLICATION, id="poetry-package-mode"),
        pytest.param({"Pipfile": ""}, '[build-system]\nrequires = ["x"]\n', APPLICATION, id="pipfile"),
        pytest.param({"compose.yaml": ""}, '[build-system]\nrequires = ["x"]\n', APPLICATION, id="compose"),
        pytest.param({"Dockerfile": ""}, '[build-system]\nrequires = ["x"]\n', APPLICATION, id="dockerfile-unnamed"),
        pytest.param(
            {"Dockerfile": ""}, '[build-system]\nrequires = ["x"]\n[project]\nname = "black"\n', LIBRARY, id="dockerfile-named-package"
        ),
        pytest.param({"Dockerfile": "", "setup.py": ""}, "[tool.black]\n", LIBRARY, id="dockerfile-legacy-package"),
        pytest.param({"Dockerfile": ""}, '[project]\nname = "x"\n', APPLICATION, id="dockerfile-named-no-build-system"),
        pytest.param({"setup.py": ""}, "[tool.uv]\npackage = false\n", APPLICATION, id="uv-package-false-beats-setup-py"),
        pytest.param({}, '[project]\nname = "x"\n[tool.guard]\nproject-kind = "library"\n', LIBRARY, id="said"),
    ],
)
def test_project_kind_guess(tmp_path: Path, files: dict[str, str], pyproject: str, kind: str) -> None:
    from guard.text.tomlcompat import loads

    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert project_kind(str(tmp_path), loads(pyproject)).kind == kind


def test_suppression_comment_in_a_manifest(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": '[project]\nname = "app"\ndependencies = [\n  "requests",  # guard: ignore[PIN101] pinned by the base image\n  "flask",\n]\n'
    }
    assert run(tmp_path, files) == [("PIN101", "pyproject.toml", 5, 3, "warning")]


def test_tox_hash_mode_follows_requirement_file_rules(tmp_path: Path) -> None:
    files = {"tox.ini": f"[testenv]\ndeps =\n    idna==3.7 --hash={SHA}\n    attrs==23.1.0\n"}
    found = findings(tmp_path, files)
    assert [(f.code, f.line, f.column) for f in found] == [("PIN105", 4, 5)]


def test_pep723_blocks_are_found_as_the_reference_expression_finds_them() -> None:
    import random

    from guard.manifests.pep723 import BLOCK_RE, reference_matches

    pieces = ["# /// script", "# /// pyproject", "# ///", "#", "# x = 1", "#x", "", "code()", "  # /// script", "# /// bad type"]
    rng = random.Random(723)
    for _ in range(3000):
        text = "\n".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) + rng.choice(["", "\n"])
        lines = text.split("\n")
        starts = [text.count("\n", 0, m.start()) for m in BLOCK_RE.finditer(text)]
        ends = [text.count("\n", 0, m.end()) for m in BLOCK_RE.finditer(text)]
        assert reference_matches(lines) == list(zip(starts, ends)), text


def test_pep723_many_unclosed_blocks_are_read_in_one_pass(tmp_path: Path) -> None:
    from guard.manifests.pep723 import reference_matches

    lines = ["# /// script"] * 16000 + ["# ///"]
    # the last start before the closing line is the only one with content up to it: one match
    assert reference_matches(lines) == [(0, 16000)]


def test_a_huge_dotted_key_in_pyproject_is_one_parse_error(tmp_path: Path) -> None:
    from guard.check.run import check_paths
    from guard.config import load_settings

    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n" + ".".join(["k"] * 25000) + " = 1\n")
    found = check_paths(["pyproject.toml"], load_settings(cwd=str(tmp_path), use_config_file=False), str(tmp_path))
    assert [(f.code, f.path, f.line, f.column, f.message) for f in found] == [
        (
            "GRD102",
            "pyproject.toml",
            1,
            1,
            "`pyproject.toml` is not valid TOML: a dotted key of 25000 parts is more than the 256 guard reads",
        )
    ]


def test_each_tox_section_read_on_its_own_keeps_its_positions(tmp_path: Path) -> None:
    from guard.check.run import check_paths
    from guard.config import load_settings

    (tmp_path / "tox.ini").write_text("".join("[testenv]\ndeps = requests==2.0\n    flask\n" for _ in range(3000)))
    found = check_paths(["tox.ini"], load_settings(cwd=str(tmp_path), use_config_file=False), str(tmp_path))
    # every section's `flask` at its own line: positions stay right with the shorter texts
    assert sorted({(f.code, f.line, f.column) for f in found}) == [("PIN101", 3 + 3 * i, 5) for i in range(3000)]
