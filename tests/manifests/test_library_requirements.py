"""Requirement files a library's packaging reads as its own dependencies get the library's policy.

Each case asserts whole findings: code, path, line, column, severity and message.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from manifest_helpers import at, findings

Row = tuple[str, str, int, int, str, str]  # code, path, line, column, severity, message

SETUP_PY_WORDS = "read by setup.py as the package's dependencies"
LIBRARY = "is not pinned (any version); a library's requirement files require constrained"
INSTALL = "is not pinned (any version); requirement files require exact"


def library(path: str, name: str, reason: str = SETUP_PY_WORDS, line: int = 1) -> Row:
    return ("PIN101", path, line, 1, "info", f"`{name}` {LIBRARY} ({reason})")


def install(path: str, name: str, line: int = 1) -> Row:
    return ("PIN101", path, line, 1, "warning", f"`{name}` {INSTALL}")


def computed(setup_py: str, keyword: str = "install_requires", needle: str = "REQUIRES)") -> Row:
    line, column = at(setup_py, needle)
    message = f"`{keyword}` in `setup.py` is computed when setup.py runs, so guard cannot check it"
    return ("PIN205", "setup.py", line, column, "info", message)


# celery's shape: a helper joins a literal directory with parts it is given
JOIN_STAR = """import os
from setuptools import setup

def reqs(*parts):
    with open(os.path.join(os.getcwd(), "requirements", *parts)) as handle:
        return handle.read().splitlines()

REQUIRES = reqs("default.txt")
setup(name="lib", install_requires=REQUIRES)
"""
PATHLIB_JOINPATH = """from pathlib import Path
from setuptools import setup

def reqs(*parts):
    return (Path.cwd() / "reqs").joinpath(*parts).read_text().splitlines()

REQUIRES = reqs("base.txt")
setup(name="lib", install_requires=REQUIRES)
"""
FORMAT_STRING = """from setuptools import setup

def extra(name):
    return open(f"requirements/extras/{name}.txt").read().splitlines()

REQUIRES = extra("redis")
setup(name="lib", install_requires=REQUIRES)
"""
LITERAL_FILE = """import os
from setuptools import setup

here = os.path.dirname(__file__)
REQUIRES = open(os.path.join(here, "requirements.txt")).read().splitlines()
setup(name="lib", install_requires=REQUIRES)
"""
LISTING = """import os
from setuptools import setup

REQUIRES = [line for name in os.listdir("deps") for line in open("deps/" + name)]
setup(name="lib", install_requires=REQUIRES)
"""
NAME_ONLY = """from setuptools import setup

REQUIRES = open(f"{NAME}.txt").read().splitlines()
setup(name="lib", install_requires=REQUIRES)
"""
NOTHING_READ = """from setuptools import setup

setup(name="lib", install_requires=["kombu>=5"])
"""
APP_PYPROJECT = "[tool.uv]\npackage = false\n"
HATCH = """[build-system]
requires = ["hatchling>=1.20", "hatch-requirements-txt>=0.4"]
build-backend = "hatchling.build"

[project]
name = "lib"
dynamic = ["dependencies", "optional-dependencies"]

[tool.hatch.metadata.hooks.requirements_txt]
files = ["requirements.txt"]

[tool.hatch.metadata.hooks.requirements_txt.optional-dependencies]
redis = ["requirements-redis.txt"]
"""
SETUPTOOLS_DYNAMIC = """[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "lib"
dynamic = ["dependencies", "optional-dependencies"]

[tool.setuptools.dynamic]
dependencies = {file = ["requirements/base.txt"]}
optional-dependencies.redis = {file = "requirements/redis.txt"}
"""
SETUP_CFG = """[metadata]
name = lib

[options]
install_requires = file: requirements/base.txt, requirements/more.txt

[options.extras_require]
redis = file: requirements/redis.txt
"""

CASES: list[tuple[str, dict[str, str], dict[str, Any], list[Row]]] = [
    (
        "setup-py-join-with-parts-marks-the-directory",
        {"setup.py": JOIN_STAR, "requirements/default.txt": "kombu\n", "requirements/extras/redis.txt": "redis\n"},
        {},
        [
            library("requirements/default.txt", "kombu"),
            library("requirements/extras/redis.txt", "redis"),
            computed(JOIN_STAR),
        ],
    ),
    (
        "setup-py-pathlib-joinpath",
        {"setup.py": PATHLIB_JOINPATH, "reqs/base.txt": "kombu\n"},
        {},
        [library("reqs/base.txt", "kombu"), computed(PATHLIB_JOINPATH)],
    ),
    (
        "setup-py-format-string-marks-its-files",
        {"setup.py": FORMAT_STRING, "requirements/extras/redis.txt": "redis\n", "requirements/test.txt": "pytest\n"},
        {},
        [
            library("requirements/extras/redis.txt", "redis"),
            install("requirements/test.txt", "pytest"),
            computed(FORMAT_STRING),
        ],
    ),
    (
        "setup-py-literal-file",
        {"setup.py": LITERAL_FILE, "requirements.txt": "kombu\n", "requirements-dev.txt": "pytest\n"},
        {},
        [install("requirements-dev.txt", "pytest"), library("requirements.txt", "kombu"), computed(LITERAL_FILE)],
    ),
    (
        "setup-py-directory-listing",
        {"setup.py": LISTING, "deps/requirements.txt": "kombu\n"},
        {},
        [library("deps/requirements.txt", "kombu"), computed(LISTING)],
    ),
    (
        "included-file-gets-the-same-policy",
        {"setup.py": LITERAL_FILE, "requirements.txt": "-r base-requirements.txt\n", "base-requirements.txt": "kombu\n"},
        {"exclude": ["base-requirements.txt"]},
        [library("base-requirements.txt", "kombu"), computed(LITERAL_FILE)],
    ),
    (
        "hatch-requirements-txt",
        {"pyproject.toml": HATCH, "requirements.txt": "kombu\n", "requirements-redis.txt": "redis\n"},
        {},
        [
            library("requirements-redis.txt", "redis", "read by hatch-requirements-txt as the package's dependencies"),
            library("requirements.txt", "kombu", "read by hatch-requirements-txt as the package's dependencies"),
        ],
    ),
    (
        "setuptools-dynamic-file",
        {"pyproject.toml": SETUPTOOLS_DYNAMIC, "requirements/base.txt": "kombu\n", "requirements/redis.txt": "redis\n"},
        {},
        [
            library("requirements/base.txt", "kombu", "read by `[tool.setuptools.dynamic]` as the package's dependencies"),
            library("requirements/redis.txt", "redis", "read by `[tool.setuptools.dynamic]` as the package's dependencies"),
        ],
    ),
    (
        "setup-cfg-file-directive",
        {
            "setup.cfg": SETUP_CFG,
            "requirements/base.txt": "kombu\n",
            "requirements/more.txt": "vine\n",
            "requirements/redis.txt": "redis\n",
            "requirements/test.txt": "pytest\n",
        },
        {},
        [
            library("requirements/base.txt", "kombu", "named by `file:` in setup.cfg as the package's dependencies"),
            library("requirements/more.txt", "vine", "named by `file:` in setup.cfg as the package's dependencies"),
            library("requirements/redis.txt", "redis", "named by `file:` in setup.cfg as the package's dependencies"),
            install("requirements/test.txt", "pytest"),
        ],
    ),
    (
        "constrained-is-enough-and-exact-pins-are-fine",
        {"setup.py": LITERAL_FILE, "requirements.txt": "kombu>=5,<6\nvine<6\nredis==5.0.4\n"},
        {},
        [computed(LITERAL_FILE)],
    ),
    (
        "per-path-says-library",
        {"requirements/base.txt": "kombu\n"},
        {"per-path": {"requirements/*": {"project-kind": "library"}}},
        [library("requirements/base.txt", "kombu", "`[tool.guard.per-path]` says it is a library's")],
    ),
    # leaves alone: these stay an install's requirement files
    (
        # the project-kind setting is about manifests; only a per-path project-kind names files
        "per-path-min-level-alone-is-not-a-project-kind",
        {"requirements.txt": "kombu\n"},
        {"project-kind": "library", "per-path": {"requirements.txt": {"min-level": "bounded"}}},
        [("PIN101", "requirements.txt", 1, 1, "warning", "`kombu` is not pinned (any version); requirement files require bounded")],
    ),
    (
        "setup-py-that-reads-no-file",
        {"setup.py": NOTHING_READ, "requirements.txt": "kombu\n"},
        {},
        [install("requirements.txt", "kombu")],
    ),
    (
        "format-string-that-names-no-place",
        {"setup.py": NAME_ONLY, "requirements.txt": "kombu\n"},
        {},
        [install("requirements.txt", "kombu"), computed(NAME_ONLY)],
    ),
    (
        "an-application-that-reads-its-requirements",
        {"setup.py": LITERAL_FILE, "pyproject.toml": APP_PYPROJECT, "requirements.txt": "kombu\n"},
        {},
        [
            install("requirements.txt", "kombu"),
            computed(LITERAL_FILE),
        ],
    ),
    (
        "per-path-says-application",
        {"setup.py": LITERAL_FILE, "requirements.txt": "kombu\n"},
        {"per-path": {"requirements.txt": {"project-kind": "application"}}},
        [install("requirements.txt", "kombu"), computed(LITERAL_FILE)],
    ),
]


@pytest.mark.parametrize(("files", "settings", "expected"), [pytest.param(*case[1:], id=case[0]) for case in CASES])
def test_library_requirement_files(tmp_path: Path, files: dict[str, str], settings: dict[str, Any], expected: list[Row]) -> None:
    found = findings(tmp_path, files, **settings)
    assert [(f.code, f.path, f.line, f.column, f.severity.label, f.message) for f in found] == expected


def test_hint_asks_for_a_range(tmp_path: Path) -> None:
    (found,) = findings(tmp_path, {"pyproject.toml": HATCH, "requirements.txt": "kombu\n"})
    assert found.fix == "declare the versions it supports, e.g. `kombu>=<oldest that works>`"


def test_explicitly_named_file_gets_the_same_policy(tmp_path: Path) -> None:
    files = {"setup.py": JOIN_STAR, "requirements/extras/redis.txt": "redis\n"}
    found = findings(tmp_path, files, ["requirements/extras/redis.txt"])
    assert [(f.code, f.path, f.line, f.column, f.severity.label, f.message) for f in found] == [
        library("requirements/extras/redis.txt", "redis")
    ]


READS_DEFAULT = """from setuptools import setup

setup(name="lib", install_requires=open("requirements/default.txt").read().splitlines())
"""


@pytest.mark.parametrize(
    ("installer", "text"),
    [
        pytest.param("requirements-ci.txt", "-r requirements/default.txt\npytest\n", id="a requirement file"),
        pytest.param(
            ".github/workflows/ci.yml",
            "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pip install -r requirements/default.txt\n",
            id="a CI step",
        ),
        pytest.param("tox.ini", "[testenv]\ndeps =\n    -r requirements/default.txt\n", id="tox deps"),
    ],
)
def test_an_install_that_includes_a_librarys_file_leaves_its_ranges_to_the_library(tmp_path: Path, installer: str, text: str) -> None:
    files = {"setup.py": READS_DEFAULT, "requirements/default.txt": "kombu\n", installer: text}
    found = findings(tmp_path, files)
    expected = [library("requirements/default.txt", "kombu"), computed(READS_DEFAULT, needle='open("requirements')]
    if installer == "requirements-ci.txt":
        expected.append(install("requirements-ci.txt", "pytest", line=2))
    assert sorted((f.code, f.path, f.line, f.column, f.severity.label, f.message) for f in found) == sorted(expected)
