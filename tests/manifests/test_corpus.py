"""`guard check` over a realistic repository that mixes every manifest format.

Every finding is asserted; everything not listed must stay quiet.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from manifest_helpers import COMMIT, findings
from manifest_locks import hashed, pipfile_lock

ROOT_PYPROJECT = """[project]
name = "webshop"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = [
    "fastapi>=0.110",
    "httpx~=0.27.0",
    "mylib",
    "core",
    "jinja2",          # added after the last `uv lock`
]

[project.optional-dependencies]
s3 = ["boto3"]

[dependency-groups]
dev = [
    "pytest>=8",
    "ruff",
    {include-group = "typing"},
]
typing = ["mypy==1.10.0"]

[tool.uv]
package = false
constraint-dependencies = ["urllib3<3"]

[tool.uv.sources]
mylib = { git = "https://github.com/example/mylib", branch = "main" }
core = { path = "libs/core", editable = true }

[tool.guard]
exclude = ["vendor"]
"""

UV_LOCK = f"""version = 1
revision = 2
requires-python = ">=3.11"

[[package]]
name = "webshop"
version = "0.1.0"
source = {{ virtual = "." }}

[[package]]
name = "core"
version = "0.3.0"
source = {{ editable = "libs/core" }}

[[package]]
name = "fastapi"
version = "0.111.0"
source = {{ registry = "https://pypi.org/simple" }}
sdist = {{ url = "https://files.example/fastapi-0.111.0.tar.gz", hash = "sha256:aa", size = 1 }}

[[package]]
name = "httpx"
version = "0.27.0"
source = {{ registry = "https://internal.example/simple" }}

[[package]]
name = "mylib"
version = "1.2.0"
source = {{ git = "https://github.com/example/mylib?branch=main#{COMMIT}" }}

[[package]]
name = "boto3"
version = "1.34.0"
source = {{ registry = "https://pypi.org/simple" }}
wheels = [
    {{ url = "https://files.example/boto3-1.34.0-py3-none-any.whl", hash = "sha256:bb", size = 1 }},
]

[[package]]
name = "pytest"
version = "8.2.0"
source = {{ registry = "https://pypi.org/simple" }}
wheels = [{{ url = "https://files.example/pytest-8.2.0-py3-none-any.whl", hash = "sha256:cc", size = 1 }}]

[[package]]
name = "mypy"
version = "1.10.0"
source = {{ registry = "https://pypi.org/simple" }}
wheels = [{{ url = "https://files.example/mypy-1.10.0-py3-none-any.whl", hash = "sha256:dd", size = 1 }}]
"""

CORE_PYPROJECT = """[build-system]
requires = ["hatchling>=1.20"]
build-backend = "hatchling.build"

[project]
name = "core"
dynamic = ["version"]
dependencies = [
    "pydantic>=2,<3",
    "orjson",
    "attrs==23.1.0",
    "plugins @ git+https://github.com/example/plugins@v2",
]

[project.optional-dependencies]
docs = ["sphinx"]

[tool.hatch.envs.test]
dependencies = ["pytest", "coverage[toml]>=7"]
"""

LEGACY_SETUP_PY = """from setuptools import setup

with open("requirements.txt") as handle:
    REQUIRES = handle.read().splitlines()

setup(
    name="legacy",
    install_requires=REQUIRES,
    extras_require={"yaml": ["pyyaml>=6"]},
)
"""

WORKER_PIPFILE = """[packages]
celery = "==5.4.0"
redis = "*"
kombu = ">=5.3"

[dev-packages]
pytest = "*"
"""

ENVIRONMENT = """name: analysis
channels:
  - conda-forge
dependencies:
  - python=3.11
  - pandas=2.2
  - numpy==1.26.4
  - pip
  - pip:
      - seaborn==0.13.2
      - statsmodels
"""

TOX = """[tox]
env_list = py311

[testenv]
deps =
    pytest==8.2.0
    pytest-cov
commands = pytest
"""

PRE_COMMIT = """repos:
  - repo: https://github.com/astral-sh/ruff-pre-commit
    rev: v0.4.4
    hooks:
      - id: ruff
  - repo: https://github.com/pre-commit/mirrors-mypy
    rev: v1.10.0
    hooks:
      - id: mypy
        additional_dependencies:
          - types-requests==2.32.0.20240523
          - pydantic
"""

# Indented here and dedented, so that guard does not read this test file as a script.
REPORT_SCRIPT = textwrap.dedent("""\
    # /// script
    # requires-python = ">=3.11"
    # dependencies = [
    #     "rich",
    #     "typer==0.12.3",  # guard: ignore[PIN101]
    # ]
    # ///
    import rich
""")

FILES = {
    "pyproject.toml": ROOT_PYPROJECT,
    "uv.lock": UV_LOCK,
    "requirements-dev.in": "pytest\nruff\n",
    "libs/core/pyproject.toml": CORE_PYPROJECT,
    "libs/core/src/core/__init__.py": "VERSION = '0.3.0'\n",
    "legacy/setup.py": LEGACY_SETUP_PY,
    "legacy/requirements.txt": "requests==2.32.3\nclick\n",
    "services/worker/Pipfile": WORKER_PIPFILE,
    "services/worker/Pipfile.lock": pipfile_lock({"celery": hashed("==5.4.0"), "redis": hashed("==5.0.4"), "kombu": hashed("==5.3.7")}),
    "analysis/environment.yml": ENVIRONMENT,
    "tox.ini": TOX,
    ".pre-commit-config.yaml": PRE_COMMIT,
    "scripts/report.py": REPORT_SCRIPT,
    "scripts/util.py": "import os\n",
    "vendor/pyproject.toml": '[project]\nname = "vendored"\ndependencies = ["anything"]\n',
}

EXPECTED = [
    (
        ".pre-commit-config.yaml",
        12,
        13,
        "PIN101",
        "warning",
        "`pydantic` is not pinned (any version); pre-commit additional_dependencies require exact",
    ),
    (
        "analysis/environment.yml",
        6,
        5,
        "PIN101",
        "warning",
        "`pandas` is pinned to a range, not one version; conda environment files require exact",
    ),
    ("analysis/environment.yml", 8, 5, "PIN109", "info", "installer package `pip` is not pinned (any version)"),
    ("analysis/environment.yml", 11, 9, "PIN101", "warning", "`statsmodels` is not pinned (any version); requirement files require exact"),
    # setup.py reads it into install_requires: the library's policy, not an install's
    (
        "legacy/requirements.txt",
        2,
        1,
        "PIN101",
        "info",
        "`click` is not pinned (any version); a library's requirement files require constrained"
        " (read by setup.py as the package's dependencies)",
    ),
    (
        "legacy/setup.py",
        8,
        22,
        "PIN205",
        "info",
        "`install_requires` in `legacy/setup.py` is computed when setup.py runs, so guard cannot check it",
    ),
    (
        "libs/core/pyproject.toml",
        10,
        5,
        "PIN101",
        "info",
        "`orjson` is not pinned (any version); a library's dependencies require constrained",
    ),
    (
        "libs/core/pyproject.toml",
        12,
        5,
        "PIN102",
        "info",
        "`plugins @ git+https://github.com/example/plugins@v2` names `@v2`, not a full commit hash",
    ),
    ("pyproject.toml", 10, 5, "PIN202", "warning", "`jinja2` is declared but missing from `uv.lock`"),
    ("pyproject.toml", 19, 5, "PIN202", "warning", "`ruff` is declared but missing from `uv.lock`"),
    ("scripts/report.py", 4, 7, "PIN101", "warning", "`rich` is not pinned (any version); inline script dependencies require exact"),
    # `typer` is pinned: the suppression on its line has nothing to suppress
    ("scripts/report.py", 5, 25, "GRD105", "warning", "suppression of `PIN101` suppresses nothing"),
    ("services/worker/Pipfile", 7, 10, "PIN202", "warning", "`pytest` is declared but missing from `Pipfile.lock`"),
    ("tox.ini", 7, 5, "PIN101", "warning", "`pytest-cov` is not pinned (any version); tox deps require exact"),
    ("uv.lock", 22, 8, "PIN203", "warning", "lock entry `httpx` 0.27.0 has no hash"),
]


def test_every_finding_of_a_multi_format_repository(tmp_path: Path) -> None:
    found = findings(tmp_path, FILES)
    assert [(f.path, f.line, f.column, f.code, f.severity.label, f.message) for f in found] == EXPECTED


def test_opting_in_to_exact_pins_in_libraries(tmp_path: Path) -> None:
    found = findings(tmp_path, FILES, **{"extend-select": ["PIN201"]})
    extra = [(f.path, f.line, f.column, f.code) for f in found if f.code == "PIN201"]
    assert extra == [("libs/core/pyproject.toml", 11, 5, "PIN201")]
