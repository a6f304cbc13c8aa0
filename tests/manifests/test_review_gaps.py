"""Regressions for the gaps a review of the manifest checks found.

Each case asserts whole findings: code, path, line, column, severity, message and hint.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional, Union

import pytest
from manifest_helpers import SHA, at, findings
from manifest_locks import hashed, pipfile_lock, poetry_lock, uv_lock

Needle = Union[str, tuple[str, int]]
# code, file, needle in that file, severity, message, hint
Expected = tuple[str, str, Needle, str, str, Optional[str]]

LIB = '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n'
POETRY_APP = '[tool.poetry]\npackage-mode = false\n\n[tool.poetry.dependencies]\npython = "^3.9"\nrequests = "^2.31"\n'
MULTI = 'multi = [\n  {version="1.0.0",python="<3.10"},\n  {version=">=2",python=">=3.10"},\n]\n'
APP_X = '[project]\nname = "app"\ndependencies = ["x"]\n'
LOCK_HINT = "pin one version: `x==<version>`, or lock the project (`uv lock`, `poetry lock`, `pdm lock`)"
X_UNPINNED = (
    "PIN101",
    "pyproject.toml",
    '"x"',
    "warning",
    "`x` is not pinned (any version); an application's dependencies require exact",
    LOCK_HINT,
)


def _flask_in_setup_py(code: str) -> tuple[str, dict[str, str], dict[str, Any], list[Expected]]:
    return (
        code.splitlines()[0],
        {"setup.py": code},
        {},
        [
            (
                "PIN101",
                "setup.py",
                '"flask"',
                "info",
                "`flask` is not pinned (any version); a library's dependencies require constrained",
                "declare the versions it supports, e.g. `flask>=<oldest that works>`",
            ),
        ],
    )


def _bad_lock(
    name: str, text: str, needle: Needle, what: str, files: Optional[dict[str, str]] = None
) -> tuple[str, dict[str, str], dict[str, Any], list[Expected]]:
    """A lock with a wrong type beside an application: one GRD102, and the lock is not used."""
    kind = {
        "uv.lock": "uv lock file",
        "poetry.lock": "Poetry lock file",
        "pdm.lock": "PDM lock file",
        "pylock.toml": "PEP 751 lock file",
        "Pipfile.lock": "pipenv lock file",
    }[name]
    manifest = files if files is not None else {"pyproject.toml": APP_X}
    unpinned = (
        [X_UNPINNED]
        if "pyproject.toml" in manifest
        else [
            (
                "PIN101",
                "Pipfile",
                '"*"',
                "warning",
                "`x` is not pinned (any version); Pipfile packages require exact",
                "pin one version: `x==<version>`, or lock the project (`pipenv lock`)",
            )
        ]
    )
    return (
        f"wrong-type-{name}-{what.split('`')[1]}",
        {name: text, **manifest},
        {},
        [
            ("GRD102", name, needle, "error", f"`{name}` is not a valid {kind}: {what}; it was not used", None),
            *unpinned,
        ],
    )


CRLF_SCRIPT = '# /// script\r\n# dependencies = [\r\n#   "crlfdep",\r\n# ]\r\n# ///\r\n'
CR_SCRIPT = '# /// script\r# dependencies = [\r#   "crdep",\r# ]\r# ///\r'
BACK_TO_BACK = '# /// script\n# dependencies = ["a==1.0"]\n# ///\n# /// script\n# dependencies = ["b==1.0"]\n# ///\n'
APART = '# /// script\n# dependencies = ["a==1.0"]\n# ///\n\nimport os\n\n# /// script\n# dependencies = ["b==1.0"]\n# ///\n'

FLAGGED: list[tuple[str, dict[str, str], dict[str, Any], list[Expected]]] = [
    # 1. PEP 723 blocks with CRLF (or CR) line endings are read, at the right line and column
    (
        "pep723-crlf",
        {"crlf.py": CRLF_SCRIPT},
        {},
        [
            (
                "PIN101",
                "crlf.py",
                '"crlfdep"',
                "warning",
                "`crlfdep` is not pinned (any version); inline script dependencies require exact",
                "pin one version: `crlfdep==<version>`",
            ),
        ],
    ),
    (
        "pep723-crlf-locked-drift",
        {"s.py": CRLF_SCRIPT, "s.py.lock": uv_lock("other")},
        {},
        [
            (
                "PIN202",
                "s.py",
                '"crlfdep"',
                "warning",
                "`crlfdep` is declared but missing from `s.py.lock`",
                "run `uv lock --script s.py` and commit the lock file",
            ),
        ],
    ),
    # 2. two `script` blocks: "more than one block", also when written back to back
    (
        "pep723-two-blocks-back-to-back",
        {"two.py": BACK_TO_BACK},
        {},
        [
            ("GRD102", "two.py", ("# /// script", 2), "error", "`two.py` has more than one `# /// script` block", None),
        ],
    ),
    (
        "pep723-two-blocks-apart",
        {"two.py": APART},
        {},
        [
            ("GRD102", "two.py", ("# /// script", 2), "error", "`two.py` has more than one `# /// script` block", None),
        ],
    ),
    # 3. a library's URL dependency without a hash: PIN103 at info, as PIN102 for a branch
    (
        "library-url-without-hash",
        {"pyproject.toml": LIB + '[project]\nname = "l"\ndependencies = ["u @ https://x/u-1.tar.gz", "g @ git+https://g/g@main"]\n'},
        {},
        [
            (
                "PIN103",
                "pyproject.toml",
                '"u @',
                "info",
                "`u @ https://x/u-1.tar.gz` is a URL without a hash",
                "append `#sha256=<hex>` to the URL",
            ),
            (
                "PIN102",
                "pyproject.toml",
                '"g @',
                "info",
                "`g @ git+https://g/g@main` names `@main`, not a full commit hash",
                "pin the full commit: `@<40 hex digits>`",
            ),
        ],
    ),
    (
        "library-extra-url-without-hash",
        {"pyproject.toml": LIB + '[project]\nname = "l"\n[project.optional-dependencies]\nfast = ["u @ https://x/u-1.whl"]\n'},
        {},
        [
            (
                "PIN103",
                "pyproject.toml",
                '"u @',
                "info",
                "`u @ https://x/u-1.whl` is a URL without a hash",
                "append `#sha256=<hex>` to the URL",
            ),
        ],
    ),
    (
        "setup-cfg-library-url-without-hash",
        {"setup.cfg": "[options]\ninstall_requires =\n    u @ https://x/u-1.tar.gz\n"},
        {},
        [
            (
                "PIN103",
                "setup.cfg",
                "u @",
                "info",
                "`u @ https://x/u-1.tar.gz` is a URL without a hash",
                "append `#sha256=<hex>` to the URL",
            ),
        ],
    ),
    # 4. wrong types inside a lock: one GRD102, and the lock does not claim coverage
    _bad_lock(
        "pylock.toml", 'lock-version = "1.0"\n[[packages]]\nname = 3\n', "3\n", "`packages[0].name` must be a string, not an integer"
    ),
    _bad_lock("pylock.toml", 'lock-version = "1.0"\n[[packages]]\nversion = "1.0"\n', "[[packages]]", "`packages[0]` has no `name`"),
    _bad_lock("pylock.toml", "lock-version = 1\n", "1\n", "`lock-version` must be a string, not an integer"),
    _bad_lock(
        "uv.lock", 'version = 1\n[[package]]\nname = "x"\nversion = 2\n', "2\n", "`package[0].version` must be a string, not an integer"
    ),
    _bad_lock("uv.lock", 'version = "1"\n', '"1"', "`version` must be an integer, not a string"),
    _bad_lock("uv.lock", 'version = 1\npackage = "x"\n', '"x"', "`package` must be an array, not a string"),
    _bad_lock(
        "uv.lock", 'version = 1\n[[package]]\nname = "x"\nsource = "pypi"\n', '"pypi"', "`package[0].source` must be a table, not a string"
    ),
    _bad_lock(
        "poetry.lock",
        '[[package]]\nname = "x"\nfiles = "none"\n[metadata]\nlock-version = "2.0"\n',
        '"none"',
        "`package[0].files` must be an array, not a string",
    ),
    _bad_lock("poetry.lock", "[metadata]\nlock-version = 2.0\n", "2.0", "`metadata.lock-version` must be a string, not a float"),
    _bad_lock("pdm.lock", "[metadata]\nlock_version = 4\n", "4\n", "`metadata.lock_version` must be a string, not an integer"),
    _bad_lock(
        "pdm.lock",
        '[metadata]\nlock_version = "4.4"\n[[package]]\nname = "x"\ngit = true\n',
        "true",
        "`package[0].git` must be a string, not a boolean",
    ),
    _bad_lock(
        "Pipfile.lock",
        '{"_meta": {"pipfile-spec": 6}, "default": {"x": {"version": 1}}}\n',
        '"version"',
        "`default.x.version` must be a string, not an integer",
        {"Pipfile": '[packages]\nx = "*"\n'},
    ),
    _bad_lock(
        "Pipfile.lock",
        '{"_meta": {"pipfile-spec": "6"}, "default": {}}\n',
        '"pipfile-spec"',
        "`_meta.pipfile-spec` must be an integer, not a string",
        {"Pipfile": '[packages]\nx = "*"\n'},
    ),
    _bad_lock(
        "Pipfile.lock", '{"default": []}\n', '"default"', "`default` must be an object, not an array", {"Pipfile": '[packages]\nx = "*"\n'}
    ),
    # 5. a Poetry dependency with several constraint tables is one dependency (the weakest
    #    alternative), reported once at its first table
    (
        "poetry-multiple-constraints-drift",
        {"pyproject.toml": POETRY_APP + MULTI, "poetry.lock": poetry_lock("requests")},
        {},
        [
            (
                "PIN202",
                "pyproject.toml",
                '"1.0.0"',
                "warning",
                "`multi` is declared but missing from `poetry.lock`",
                "run `poetry lock` and commit the lock file",
            ),
        ],
    ),
    (
        "poetry-multiple-constraints-without-lock",
        {"pyproject.toml": POETRY_APP.replace('"^2.31"', '"2.31.0"') + MULTI},
        {},
        [
            (
                "PIN101",
                "pyproject.toml",
                '"1.0.0"',
                "warning",
                "`multi` is not pinned (only a lower bound); an application's dependencies require exact",
                "pin one version: `multi==<version>`, or lock the project (`uv lock`, `poetry lock`, `pdm lock`)",
            ),
        ],
    ),
    # 6. a `||` union of different versions is a range, not one version
    (
        "poetry-union-of-versions",
        {"pyproject.toml": POETRY_APP.replace('"^2.31"', '"2.31.0"') + 'alt = "1.0 || 2.0"\n'},
        {},
        [
            (
                "PIN101",
                "pyproject.toml",
                '"1.0 || 2.0"',
                "warning",
                "`alt` is pinned to a range, not one version; an application's dependencies require exact",
                "pin one version: `alt==<version>`, or lock the project (`uv lock`, `poetry lock`, `pdm lock`)",
            ),
        ],
    ),
    (
        "conda-union-of-versions",
        {"environment.yml": "dependencies:\n  - numpy 1.26.4|1.26.3\n"},
        {},
        [
            (
                "PIN101",
                "environment.yml",
                "numpy",
                "warning",
                "`numpy` is pinned to a range, not one version; conda environment files require exact",
                "pin one version: `numpy==<version>`",
            ),
        ],
    ),
    # 7. setup() found through import aliases
    _flask_in_setup_py('from setuptools import setup as s\ns(install_requires=["flask"])\n'),
    _flask_in_setup_py('import setuptools as st\nst.setup(install_requires=["flask"])\n'),
    _flask_in_setup_py('import distutils.core\ndistutils.core.setup(install_requires=["flask"])\n'),
    _flask_in_setup_py('from distutils.core import setup as make\nmake(install_requires=["flask"])\n'),
    _flask_in_setup_py('import setuptools\nmake = setuptools.setup\nmake(install_requires=["flask"])\n'),
    (
        "setup-py-alias-dynamic",
        {"setup.py": "from setuptools import setup as s\ns(install_requires=read())\n"},
        {},
        [
            (
                "PIN205",
                "setup.py",
                "read()",
                "info",
                "`install_requires` in `setup.py` is computed when setup.py runs, so guard cannot check it",
                "write the list literally, or declare the dependencies in pyproject.toml",
            ),
        ],
    ),
    # 8. environment.yml: what comes before a YAML error is still checked
    (
        "environment-yml-error-after-a-dependency",
        {"environment.yml": 'name: x\ndependencies:\n  - numpy\n  - "scipy\n  - pandas\n'},
        {},
        [
            (
                "PIN101",
                "environment.yml",
                "numpy",
                "warning",
                "`numpy` is not pinned (any version); conda environment files require exact",
                "pin one version: `numpy==<version>`",
            ),
            (
                "GRD102",
                "environment.yml",
                '"scipy',
                "error",
                "`environment.yml` is not valid YAML (or not the subset guard reads): unclosed double quote",
                None,
            ),
        ],
    ),
    (
        "environment-yml-error-after-a-pip-list",
        {"environment.yml": "dependencies:\n  - numpy==1.26.4\n  - pip:\n    - flask\n  - [a,\n"},
        {},
        [
            (
                "PIN101",
                "environment.yml",
                "flask",
                "warning",
                "`flask` is not pinned (any version); requirement files require exact",
                "pin one version: `flask==<version>`",
            ),
            (
                "GRD102",
                "environment.yml",
                "[a",
                "error",
                "`environment.yml` is not valid YAML (or not the subset guard reads): unclosed flow collection",
                None,
            ),
        ],
    ),
    # 9. an include-group naming no group
    (
        "include-group-missing",
        {"pyproject.toml": '[project]\nname = "app"\n[dependency-groups]\ndev = ["ruff", {include-group = "nope"}]\n'},
        {},
        [
            (
                "GRD102",
                "pyproject.toml",
                '"nope"',
                "error",
                "`dependency-groups.dev[1]` includes group `nope`, which `[dependency-groups]` does not define",
                None,
            ),
        ],
    ),
    (
        "include-group-not-a-string",
        {"pyproject.toml": '[project]\nname = "app"\n[dependency-groups]\ndev = [{include-group = 3}]\n'},
        {},
        [
            ("GRD102", "pyproject.toml", "3}", "error", "`dependency-groups.dev[0].include-group` must be a string, not an integer", None),
        ],
    ),
    # 10. the hint asks for the level the policy requires
    (
        "build-system-floor-hint",
        {"pyproject.toml": '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n[project]\nname = "lib"\n'},
        {},
        [
            (
                "PIN101",
                "pyproject.toml",
                '"hatchling"',
                "info",
                "`hatchling` is not pinned (any version); build requirements require floor",
                "give a lower bound: `hatchling>=<version>`",
            ),
        ],
    ),
    (
        "setup-cfg-setup-requires-floor-hint",
        {"setup.cfg": "[options]\nsetup_requires =\n    setuptools\n    cython\n"},
        {},
        [
            (
                "PIN109",
                "setup.cfg",
                "setuptools",
                "info",
                "installer package `setuptools` is not pinned (any version)",
                "give a lower bound: `setuptools>=<version>`",
            ),
            (
                "PIN101",
                "setup.cfg",
                "cython",
                "info",
                "`cython` is not pinned (any version); build requirements require floor",
                "give a lower bound: `cython>=<version>`",
            ),
        ],
    ),
    (
        "bounded-min-level-hint",
        {
            "pyproject.toml": '[project]\nname = "app"\n[dependency-groups]\ndev = ["ruff>=0.1"]\n[tool.guard.min-level]\ndependency-groups = "bounded"\n'
        },
        {},
        [
            (
                "PIN101",
                "pyproject.toml",
                '"ruff',
                "warning",
                "`ruff` is not pinned (only a lower bound); development dependencies require bounded",
                "give a range: `ruff~=<version>` or `ruff>=<version>,<<next major>`, or lock the project (`uv lock`, `poetry lock`, `pdm lock`)",
            ),
        ],
    ),
    (
        "tox-floor-min-level-hint",
        {"tox.ini": "[testenv]\ndeps =\n    pytest\n", "pyproject.toml": '[tool.guard.min-level]\ntox-ini = "floor"\n'},
        {},
        [
            (
                "PIN101",
                "tox.ini",
                "pytest",
                "warning",
                "`pytest` is not pinned (any version); tox deps require floor",
                "give a lower bound: `pytest>=<version>`",
            ),
        ],
    ),
    # 11. tox substitutions are quoted as written
    (
        "tox-env-substitution-as-written",
        {"tox.ini": "[testenv]\ndeps =\n    lib=={env:LIBV}\n    other{env:X:1.0}\n    py3: z=={posargs}\n"},
        {},
        [
            (
                "PIN107",
                "tox.ini",
                "lib==",
                "warning",
                "`lib=={env:LIBV}` depends on a variable, so its pin cannot be checked",
                "write the version in the file",
            ),
            (
                "PIN107",
                "tox.ini",
                "other",
                "warning",
                "`other{env:X:1.0}` depends on a variable, so its pin cannot be checked",
                "write the version in the file",
            ),
            (
                "PIN107",
                "tox.ini",
                "z==",
                "warning",
                "`z=={posargs}` depends on a variable, so its pin cannot be checked",
                "write the version in the file",
            ),
        ],
    ),
]

LEFT_ALONE: list[tuple[str, dict[str, str], dict[str, Any]]] = [
    ("pep723-crlf-pinned", {"s.py": CRLF_SCRIPT.replace('"crlfdep"', '"crlfdep==1.0"')}, {}),
    ("pep723-crlf-locked", {"s.py": CRLF_SCRIPT, "s.py.lock": uv_lock("crlfdep")}, {}),
    (
        "pep723-script-then-another-block-type",
        {"s.py": '# /// script\n# dependencies = ["a==1.0"]\n# ///\n# /// other\n# anything\n# ///\n'},
        {},
    ),
    (
        "library-url-with-hash",
        {"pyproject.toml": LIB + f'[project]\nname = "l"\ndependencies = ["u @ https://x/u-1.tar.gz#sha256={SHA[7:]}"]\n'},
        {},
    ),
    (
        "library-url-in-lock",
        {"pyproject.toml": LIB + '[project]\nname = "l"\ndependencies = ["u @ https://x/u-1.tar.gz"]\n', "uv.lock": uv_lock("u")},
        {},
    ),
    (
        "library-url-allowed",
        {"pyproject.toml": LIB + '[project]\nname = "l"\ndependencies = ["u @ https://x/u-1.tar.gz"]\n'},
        {"allow": ["u"]},
    ),
    ("valid-pipfile-lock", {"Pipfile": '[packages]\nx = "*"\n', "Pipfile.lock": pipfile_lock({"x": hashed()})}, {}),
    ("poetry-multiple-constraints-locked", {"pyproject.toml": POETRY_APP + MULTI, "poetry.lock": poetry_lock("requests", "multi")}, {}),
    (
        "poetry-multiple-constraints-exact",
        {"pyproject.toml": POETRY_APP.replace('"^2.31"', '"2.31.0"') + MULTI.replace('">=2"', '"2.0.0"')},
        {},
    ),
    ("poetry-union-of-one-version", {"pyproject.toml": POETRY_APP.replace('"^2.31"', '"2.31.0"') + 'same = "1.0 || ==1.0.0"\n'}, {}),
    (
        "setup-py-other-function-named-setup-by-alias",
        {
            "setup.py": "from mymod import configure as setup\nimport numpy as np\nsetup(install_requires=['flask'])\nnp.build(install_requires=['flask'])\n"
        },
        {},
    ),
    ("environment-yml-error-after-exact-pins", {"environment.yml": "dependencies:\n  - numpy==1.26.4\n"}, {}),
    (
        "include-group-normalised-name",
        {"pyproject.toml": '[project]\nname = "app"\n[dependency-groups]\ndev = [{include-group = "Test_X"}]\ntest-x = []\n'},
        {},
    ),
    (
        "tox-floor-min-level-met",
        {"tox.ini": "[testenv]\ndeps =\n    pytest>=8\n", "pyproject.toml": '[tool.guard.min-level]\ntox-ini = "floor"\n'},
        {},
    ),
]


def _rows(files: dict[str, str], expected: list[Expected]) -> list[tuple[Any, ...]]:
    out = []
    for code, name, needle, severity, message, fix in expected:
        line, column = at(files[name], needle) if isinstance(needle, str) else at(files[name], *needle)
        out.append((code, name, line, column, severity, message, fix))
    return sorted(out, key=lambda row: (row[1], row[2], row[3], row[0]))


def _found(tmp_path: Path, files: dict[str, str], settings: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(f.code, f.path, f.line, f.column, f.severity.label, f.message, f.fix) for f in findings(tmp_path, files, **settings)]


@pytest.mark.parametrize(("files", "settings", "expected"), [pytest.param(*case[1:], id=case[0]) for case in FLAGGED])
def test_flagged(tmp_path: Path, files: dict[str, str], settings: dict[str, Any], expected: list[Expected]) -> None:
    assert _found(tmp_path, files, settings) == _rows(files, expected)


@pytest.mark.parametrize(("files", "settings"), [pytest.param(*case[1:], id=case[0]) for case in LEFT_ALONE])
def test_left_alone(tmp_path: Path, files: dict[str, str], settings: dict[str, Any]) -> None:
    assert _found(tmp_path, files, settings) == []


def test_crlf_script_invalid_toml_is_placed_as_with_lf(tmp_path: Path) -> None:
    lf = findings(tmp_path / "lf", {"s.py": '# /// script\n# dependencies = [\n#   "a",\n# ]]\n# ///\n'})
    crlf = findings(tmp_path / "crlf", {"s.py": '# /// script\r\n# dependencies = [\r\n#   "a",\r\n# ]]\r\n# ///\r\n'})
    assert [(f.code, f.line, f.column, f.message) for f in crlf] == [(f.code, f.line, f.column, f.message) for f in lf]
    assert [(f.code, f.line, f.column) for f in lf] == [("GRD102", 4, 4)]


def test_cr_only_script_is_read_at_its_lines(tmp_path: Path) -> None:
    # `at` counts `\n` only; a CR-only file's lines are counted as Python (and editors) do
    assert _found(tmp_path, {"cr.py": CR_SCRIPT}, {}) == [
        (
            "PIN101",
            "cr.py",
            3,
            5,
            "warning",
            "`crdep` is not pinned (any version); inline script dependencies require exact",
            "pin one version: `crdep==<version>`",
        ),
    ]
