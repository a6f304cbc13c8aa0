from __future__ import annotations

from typing import Callable

Check = Callable[..., "list[tuple[str, int, int, str]]"]
Full = Callable[..., "list[tuple[str, str, int, int, str]]"]

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
        (".gitlab-ci.yml", 9, 19, "GRD103"),
        (".gitlab-ci.yml", 12, 31, "PIN101"),
    ]


def test_yaml_that_does_not_parse(check: Check) -> None:
    assert check({".github/workflows/bad.yml": "jobs:\n  x:\n    steps: [\n"}) == [(".github/workflows/bad.yml", 3, 12, "GRD102")]


def dynamic(spec: str) -> str:
    return f"`{spec}` depends on a variable, so its pin cannot be checked"


GITHUB_ENV = """\
on: push
env:
  TOP: "2.0.0"
  SHADOWED: "1.0"
  FROM_MATRIX: ${{ matrix.x }}
jobs:
  test:
    env:
      JOB: "1.2.3"
      SHADOWED: "2.0"
    strategy: {matrix: {x: ["1"]}}
    steps:
      - run: pip install a==$TOP b==$JOB c==${{ env.TOP }} d==${SHADOWED}
      - run: pip install e==$STEP f==${{ matrix.x }} g==${{ secrets.X }} h==$NOBODY i==$FROM_MATRIX
        env:
          STEP: "3.0"
          SHADOWED: "3.0"
      - run: pip install j==$STEP k==${{ env.SHADOWED }}
      - run: |
          TOP=9
          pip install l==$TOP
"""


def test_github_env_is_resolved_step_over_job_over_workflow(check_full: Full) -> None:
    # a, b, c (`${{ env.TOP }}`), d and k (the job's SHADOWED) and e (the step's STEP) are exact pins
    path = ".github/workflows/ci.yml"
    assert check_full({path: GITHUB_ENV}) == [
        ("PIN107", path, 14, 35, dynamic("f==${{ matrix.x }}")),
        ("PIN107", path, 14, 54, dynamic("g==${{ secrets.X }}")),
        ("PIN107", path, 14, 74, dynamic("h==$NOBODY")),
        ("PIN107", path, 14, 85, dynamic("i==$FROM_MATRIX")),
        ("PIN107", path, 18, 26, dynamic("j==$STEP")),  # STEP is the other step's
        ("PIN107", path, 21, 23, dynamic("l==$TOP")),  # the script sets TOP itself
    ]


GITLAB_VARIABLES = """\
variables:
  V: "1.0"
  W: "2.0"
  UNPINNED: flask
job:
  variables:
    W: "3.0"
    FROM_OTHER: "$V"
    DESCRIBED: {value: "4.0", description: a pinned version}
  script:
    - pip install a==$V b==${W} c==$DESCRIBED d==$FROM_OTHER e==$CI_JOB_ID $UNPINNED
other:
  script:
    - pip install f==$W g==$DESCRIBED
"""


def test_gitlab_variables_job_over_global(check_full: Full) -> None:
    # a, b (the job's W), c and f (the global W) are exact; `$V` inside a value stays a variable
    assert check_full({".gitlab-ci.yml": GITLAB_VARIABLES}) == [
        ("PIN107", ".gitlab-ci.yml", 11, 47, dynamic("d==$FROM_OTHER")),
        ("PIN107", ".gitlab-ci.yml", 11, 62, dynamic("e==$CI_JOB_ID")),
        ("PIN101", ".gitlab-ci.yml", 11, 76, "`flask` is not pinned (any version); pip installs in CI files require exact"),
        ("PIN107", ".gitlab-ci.yml", 14, 25, dynamic("g==$DESCRIBED")),
    ]


BROKEN_WORKFLOW = """\
on: push
jobs:
  test:
    steps:
      - run: pip install ok1
      - run: "unterminated
        name: the rest of the broken step
      - run: pip install ok2
  lint:
    steps:
      - run: sudo pip install ok3==1
"""


def test_broken_yaml_is_one_finding_and_the_rest_is_checked(check_full: Full) -> None:
    path = ".github/workflows/bad.yml"
    assert check_full({path: BROKEN_WORKFLOW}) == [
        ("PIN101", path, 5, 26, "`ok1` is not pinned (any version); pip installs in CI files require exact"),
        ("GRD102", path, 6, 14, "YAML that does not parse: unclosed double quote (this item is skipped; the rest of the file is checked)"),
        ("PIN101", path, 8, 26, "`ok2` is not pinned (any version); pip installs in CI files require exact"),
        ("CMD201", path, 11, 19, "`sudo pip install` writes into the system Python as root"),
    ]


def test_broken_gitlab_yaml_keeps_the_other_jobs(check_full: Full) -> None:
    # the bracket opened on line 4 swallows line 5 before the reader stops: the item dropped
    # is the one that opened it, so job `b` is still read
    text = "a:\n  script:\n    - pip install one\n    - [unclosed\nb:\n  script:\n    - pip install two\n"
    assert check_full({".gitlab-ci.yml": text}) == [
        ("PIN101", ".gitlab-ci.yml", 3, 19, "`one` is not pinned (any version); pip installs in CI files require exact"),
        (
            "GRD102",
            ".gitlab-ci.yml",
            5,
            2,
            "YAML that does not parse: expected `,` or `]` in a flow sequence (this item is skipped; the rest of the file is checked)",
        ),
        ("PIN101", ".gitlab-ci.yml", 7, 19, "`two` is not pinned (any version); pip installs in CI files require exact"),
    ]


POWERSHELL_WORKFLOW = """\
on: push
jobs:
  win:
    runs-on: windows-latest
    steps:
      - run: |
          $v = "it's"
          Write-Host "done `"quoted`""
          python -m pip install --upgrade a
      - shell: bash
        run: pip install b
  both:
    runs-on: ${{ matrix.os }}
    strategy: {matrix: {os: [ubuntu-latest, windows-latest]}}
    steps:
      - run: echo 'it''s'; pip install c
      - if: runner.os != 'Windows'
        run: echo "$(echo ')')" && pip install d
  cmd:
    runs-on: [self-hosted, windows]
    defaults: {run: {shell: cmd}}
    steps:
      - run: pip install "never read
      - shell: pwsh
        run: |
          & "C:\\Python312\\python.exe" -m pip install e `
            f==$env:F
        env: {F: "1.0"}
  linux:
    runs-on: ubuntu-latest
    steps:
      - shell: python
        run: print("pip install no")
      - shell: powershell
        run: Write-Host 'it''s' ; pip install g
"""


def _unpinned(path: str, line: int, column: int, name: str) -> tuple[str, str, int, int, str]:
    return ("PIN101", path, line, column, f"`{name}` is not pinned (any version); pip installs in CI files require exact")


def test_powershell_steps_are_read_as_powershell(check_full: Full) -> None:
    path = ".github/workflows/release.yml"
    assert check_full({path: POWERSHELL_WORKFLOW}) == [
        _unpinned(path, 9, 43, "a"),
        _unpinned(path, 11, 26, "b"),
        _unpinned(path, 16, 40, "c"),
        _unpinned(path, 18, 48, "d"),
        _unpinned(path, 26, 54, "e"),
        _unpinned(path, 35, 47, "g"),
    ]


WORKFLOW_DEFAULT_SHELL = """\
on: push
defaults:
  run:
    shell: pwsh
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: Write-Host "it's"; pip install x
  b:
    runs-on: ubuntu-latest
    defaults:
      run:
        shell: bash -e {0}
    steps:
      - run: echo "it's"; pip install y
"""


def test_workflow_and_job_default_shells(check_full: Full) -> None:
    path = ".github/workflows/ci.yml"
    assert check_full({path: WORKFLOW_DEFAULT_SHELL}) == [_unpinned(path, 9, 45, "x"), _unpinned(path, 16, 39, "y")]


CIRCLECI = """\
version: 2.1
orbs:
  python: circleci/python@2.1
executors:
  py:
    docker:
      - image: cimg/python:3.12
    environment:
      V: "1.0"
commands:
  setup:
    steps:
      - run: pip install a==<< parameters.version >> b==<<parameters.version>>
jobs:
  test:
    executor: py
    environment:
      W: "2.0"
    steps:
      - checkout
      - setup
      - run: pip install c==$V d==$W e
      - run:
          name: install
          command: |
            cat <<EOF > notes
            pip install not-a-command
            EOF
            pip install f==$X
          environment:
            X: "3.0"
      - run:
          shell: powershell.exe
          command: Write-Host 'it''s'; pip install g
"""


def test_circleci_run_steps(check_full: Full) -> None:
    path = ".circleci/config.yml"
    assert check_full({path: CIRCLECI}) == [
        ("PIN107", path, 13, 26, dynamic("a==<< parameters.version >>")),
        ("PIN107", path, 13, 54, dynamic("b==<<parameters.version>>")),
        _unpinned(path, 22, 38, "e"),
        _unpinned(path, 34, 52, "g"),
    ]


READTHEDOCS = """\
version: 2
build:
  os: ubuntu-22.04
  tools: {python: "3.12"}
  jobs:
    post_install:
      - pip install a
  commands:
    - pip install b==1
python:
  install:
    - requirements: docs/requirements.txt
    - requirements: docs/missing.txt
    - method: pip
      path: .
"""


def test_readthedocs_commands_and_requirements(check_full: Full) -> None:
    files = {".readthedocs.yaml": READTHEDOCS, "docs/requirements.txt": "sphinx\n"}
    assert check_full(files) == [
        _unpinned(".readthedocs.yaml", 7, 21, "a"),
        (
            "GRD103",
            ".readthedocs.yaml",
            13,
            21,
            "`-r docs/missing.txt` names a file that does not exist (looked for `docs/missing.txt`)",
        ),
        ("PIN101", "docs/requirements.txt", 1, 1, "`sphinx` is not pinned (any version); requirement files require exact"),
    ]


WRAPPED_SHELLS = """\
on: push
defaults:
  run:
    shell: 'script -q -e -c "bash --noprofile --norc -eo pipefail {0}"'
jobs:
  a:
    runs-on: windows-latest
    steps:
      - run: echo "it's"; pip install x
      - shell: msys2 {0}
        run: echo "it's"; pip install y
      - shell: perl {0}
        run: pip install "not read
"""


def test_shells_that_run_a_posix_shell(check_full: Full) -> None:
    path = ".github/workflows/ci.yml"
    assert check_full({path: WRAPPED_SHELLS}) == [_unpinned(path, 9, 39, "x"), _unpinned(path, 11, 39, "y")]


WORKING_DIRECTORY = """on: push
defaults:
  run:
    working-directory: top
jobs:
  t:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: job
    steps:
      - run: pip install -r deps.pins
      - working-directory: step
        run: pip install -r deps.pins
  u:
    runs-on: ubuntu-latest
    steps:
      - run: pip install -r deps.pins
"""


def test_github_steps_run_in_their_working_directory(check_full: Full) -> None:
    # `deps.pins` is no name discovery reads: each is checked only as the step's `-r`
    files = {".github/workflows/ci.yml": WORKING_DIRECTORY}
    for directory in ("top", "job", "step"):
        files[f"{directory}/deps.pins"] = f"{directory}-pkg\n"
    message = "`{}-pkg` is not pinned (any version); requirement files require exact"
    assert check_full(files) == [
        ("PIN101", "job/deps.pins", 1, 1, message.format("job")),
        ("PIN101", "step/deps.pins", 1, 1, message.format("step")),
        ("PIN101", "top/deps.pins", 1, 1, message.format("top")),
    ]


COMPOSITE_ACTION = """name: setup
inputs:
  spec:
    default: poetry
runs:
  using: composite
  steps:
    - run: pip install tox
      shell: bash
    - run: pip install "${{ inputs.spec }}"
      shell: bash
    - run: pip install requests
      shell: pwsh
"""


def test_composite_action_steps_are_read(check_full: Full) -> None:
    files = {".github/actions/setup/action.yml": COMPOSITE_ACTION, "action.yaml": "runs:\n  using: node20\n  main: index.js\n"}
    path = ".github/actions/setup/action.yml"
    assert check_full(files) == [
        ("PIN101", path, 8, 24, "`tox` is not pinned (any version); pip installs in CI files require exact"),
        ("PIN107", path, 10, 24, "`${{ inputs.spec }}` depends on a variable, so its pin cannot be checked"),
        ("PIN101", path, 12, 24, "`requests` is not pinned (any version); pip installs in CI files require exact"),
    ]


def test_a_composite_action_installing_its_own_checkout(check_full: Full) -> None:
    action = (
        "name: x\nruns:\n  using: composite\n  steps:\n"
        '    - run: pip install "${{ github.action_path }}" && pip install -e "${{ github.workspace }}/tools"\n'
        "      shell: bash\n"
    )
    assert check_full({"action.yml": action}) == []
