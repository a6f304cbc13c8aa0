from __future__ import annotations

from typing import Callable

Check = Callable[..., "list[tuple[str, int, int, str]]"]

WORKFLOW = """\
name: ci
on: [push, pull_request]
env:
  PIP_BREAK_SYSTEM_PACKAGES: "1"
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix: {python: ["3.11", "3.12"]}
    steps:
      - uses: actions/checkout@v4
      - run: pip install flask
      - name: several lines
        run: |
          python -m pip install --upgrade pip
          sudo pip install requests==2.32.3 numpy==${{ matrix.numpy }}
      - shell: python
        run: print("pip install not-shell")
      - run: >-
          pip install
          idna
"""

GITLAB = """\
variables:
  PIP_REQUIRE_HASHES: "0"
.setup: &setup
  - pip install black
test:
  image: python:3.12
  before_script: *setup
  script:
    - pip install -r missing.txt
    - |
      echo hi
      uv pip install --system ruff
"""


def test_github_workflow(check: Check) -> None:
    assert check({".github/workflows/ci.yml": WORKFLOW}) == [
        (".github/workflows/ci.yml", 4, 3, "CMD202"),
        (".github/workflows/ci.yml", 12, 26, "PIN101"),
        (".github/workflows/ci.yml", 15, 43, "PIN109"),
        (".github/workflows/ci.yml", 16, 16, "CMD201"),
        (".github/workflows/ci.yml", 16, 45, "PIN107"),
        (".github/workflows/ci.yml", 21, 11, "PIN101"),
    ]


def test_gitlab_ci(check: Check) -> None:
    assert check({".gitlab-ci.yml": GITLAB}) == [
        (".gitlab-ci.yml", 2, 3, "CMD205"),
        (".gitlab-ci.yml", 4, 17, "PIN101"),
        (".gitlab-ci.yml", 9, 22, "GRD103"),
        (".gitlab-ci.yml", 12, 31, "PIN101"),
    ]


def test_yaml_that_does_not_parse(check: Check) -> None:
    assert check({".github/workflows/bad.yml": "jobs:\n  x:\n    steps: [\n"}) == [(".github/workflows/bad.yml", 3, 12, "GRD102")]
