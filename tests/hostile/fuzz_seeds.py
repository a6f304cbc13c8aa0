"""One small, valid file of every kind guard reads, for the mutation fuzz.

Keys are the paths the files are written at (the name decides the kind, as in a project).
"""

from __future__ import annotations

SHA = "a" * 64

SEEDS: dict[str, str] = {
    "requirements.txt": f"-r base.txt\n-c constraints.txt\nrequests==2.32.3 \\\n    --hash=sha256:{SHA}\nflask>=2 ; python_version < '3.12'\n-e git+https://h/o/r@{'b' * 40}#egg=r\n",
    "base.txt": "idna==3.7\n",
    "constraints.txt": "flask==3.0.3\n",
    "requirements/dev.in": "pytest\n",
    "pyproject.toml": (
        "[build-system]\nrequires = ['setuptools>=77']\nbuild-backend = 'setuptools.build_meta'\n\n"
        "[project]\nname = 'demo'\nversion = '1.0'\ndependencies = ['requests>=2', 'flask==3.0.3']\n"
        "[project.optional-dependencies]\ntest = ['pytest']\n\n[dependency-groups]\ndev = ['ruff==0.6.0', {include-group = 'lint'}]\nlint = ['mypy']\n"
        "[tool.poetry.dependencies]\npython = '^3.9'\nrich = {version = '^13', extras = ['x']}\n"
    ),
    "uv.lock": (
        "version = 1\nrequires-python = '>=3.9'\n\n[[package]]\nname = 'requests'\nversion = '2.32.3'\n"
        f"source = {{ registry = 'https://pypi.org/simple' }}\nsdist = {{ url = 'https://x/r.tar.gz', hash = 'sha256:{SHA}' }}\n"
    ),
    "poetry.lock": "[[package]]\nname = 'requests'\nversion = '2.32.3'\n\n[metadata]\nlock-version = '2.0'\ncontent-hash = 'x'\n",
    "pdm.lock": "[metadata]\ngroups = ['default']\nlock_version = '4.4'\n\n[[package]]\nname = 'requests'\nversion = '2.32.3'\n",
    "Pipfile.lock": '{"_meta": {"pipfile-spec": 6}, "default": {"requests": {"version": "==2.32.3", "hashes": ["sha256:'
    + SHA
    + '"]}}, "develop": {}}\n',
    "pylock.toml": "lock-version = '1.0'\ncreated-by = 'x'\n\n[[packages]]\nname = 'requests'\nversion = '2.32.3'\n",
    "setup.cfg": "[metadata]\nname = demo\n\n[options]\ninstall_requires =\n    requests>=2\n    flask==3.0.3\n",
    "setup.py": "from setuptools import setup\n\nsetup(name='demo', install_requires=['requests', 'flask==3.0.3'], extras_require={'x': ['six']})\n",
    "Pipfile": "[packages]\nrequests = '*'\nflask = '==3.0.3'\n\n[dev-packages]\npytest = {version = '>=8'}\n",
    "environment.yml": "name: demo\nchannels: [conda-forge]\ndependencies:\n  - python=3.12\n  - numpy==1.26.4\n  - pip\n  - pip:\n      - requests==2.32.3\n      - flask\n",
    "tox.ini": "[tox]\nrequires = tox>=4\n\n[testenv]\ndeps =\n    pytest==8.0.0\n    -r requirements.txt\n    {env:EXTRA:}\ncommands = pytest\n",
    ".pre-commit-config.yaml": "repos:\n  - repo: https://github.com/pre-commit/mirrors-mypy\n    rev: v1.10.0\n    hooks:\n      - id: mypy\n        additional_dependencies: [types-requests, 'pydantic==2.7.0']\n",
    "tools/script.py": "# /// script\n# requires-python = '>=3.11'\n# dependencies = [\n#   'requests<3',\n#   'rich==13.7.1',\n# ]\n# ///\nprint('hi')\n",
    "Dockerfile": (
        "# syntax=docker/dockerfile:1\nARG V=3.0.3\nFROM debian:bookworm AS base\nRUN apt-get update && apt-get install -y python3-pip\n"
        "COPY requirements.txt /app/\nWORKDIR /app\nRUN pip install --break-system-packages -r requirements.txt \\\n    && pip install flask==$V\n"
        'RUN ["pip", "install", "requests"]\nRUN <<EOF\npip install six\nEOF\n'
    ),
    "scripts/install.sh": '#!/bin/sh\nset -e\nPKG=${PKG:-"flask"}\nif [ -n "$CI" ]; then\n  python -m pip install "$PKG" \'requests<3\' || pip install requests\nfi\n',
    ".github/workflows/ci.yml": (
        "on: push\nenv:\n  V: '1.0'\njobs:\n  test:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        py: ['3.11', '3.12']\n"
        "    steps:\n      - uses: actions/checkout@v4\n      - run: |\n          pip install -U pip\n          pip install pkg==$V ${{ matrix.py }}\n"
        "      - shell: pwsh\n        run: pip install requests\n"
    ),
    ".gitlab-ci.yml": ".base: &base\n  before_script:\n    - pip install tox\ntest:\n  <<: *base\n  script:\n    - pip install -r requirements.txt\n    - !reference [.base, before_script]\n",
    ".circleci/config.yml": "version: 2.1\njobs:\n  build:\n    docker:\n      - image: cimg/python:3.12\n    steps:\n      - checkout\n      - run: pip install requests\n      - run:\n          command: pip install flask==3.0.3\n",
    ".readthedocs.yaml": "version: 2\nbuild:\n  os: ubuntu-22.04\n  tools: {python: '3.12'}\n  jobs:\n    post_install:\n      - pip install sphinx\npython:\n  install:\n    - requirements: requirements.txt\n",
    ".github/actions/setup/action.yml": "runs:\n  using: composite\n  steps:\n    - run: pip install tox==4.0 ${{ inputs.x }}\n      shell: bash\n",
    "Makefile": "PYTHON ?= python3\nV := $(shell cat VERSION)\ninstall: venv \\\n\tbuild\n\t$(PYTHON) -m pip install flask==$(V) requests\n\t-sudo pip install mypy\n",
}
