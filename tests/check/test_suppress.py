"""Suppression comments (guard.check.suppress): the end-of-line form, and the form on a line of
its own that applies to what comes next, as hadolint's `# hadolint ignore=` does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

GUARD = [sys.executable, "-m", "guard"]
Found = tuple[str, int, int, str, str]


def check(root: Path, files: dict[str, str], *args: str) -> list[Found]:
    (root / ".git").mkdir(exist_ok=True)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GUARD_")}
    result = subprocess.run(
        [*GUARD, "check", "--isolated", "--format", "json", *args], cwd=root, capture_output=True, text=True, env=environment
    )
    assert result.returncode in (0, 1), result.stderr
    return [(f["path"], f["line"], f["column"], f["code"], f["message"]) for f in json.loads(result.stdout)["findings"]]


def unpinned(path: str, line: int, column: int, name: str, words: str) -> Found:
    return (path, line, column, "PIN101", f"`{name}` is not pinned (any version); {words} require exact")


def unused(path: str, line: int, column: int, key: str) -> Found:
    return (path, line, column, "GRD105", f"suppression of `{key}` suppresses nothing")


DOCKER = "Dockerfile pip installs"

DOCKERFILE = """\
FROM python:3.12-slim
# guard: ignore[PIN101] the base image's constraints pin these
# hadolint ignore=DL3042
RUN pip install \\
    requests \\
    # a comment line inside the instruction
    flask
RUN pip install six
"""


def test_an_own_line_suppression_covers_the_whole_next_dockerfile_instruction(tmp_path: Path) -> None:
    assert check(tmp_path, {"Dockerfile": DOCKERFILE}) == [unpinned("Dockerfile", 8, 17, "six", DOCKER)]
    without = DOCKERFILE.replace("# guard: ignore[PIN101] the base image's constraints pin these\n", "")
    assert check(tmp_path, {"Dockerfile": without}) == [
        unpinned("Dockerfile", 4, 5, "requests", DOCKER),
        unpinned("Dockerfile", 6, 5, "flask", DOCKER),
        unpinned("Dockerfile", 7, 17, "six", DOCKER),
    ]


def test_it_covers_a_here_document_and_inside_an_instruction_only_the_next_line(tmp_path: Path) -> None:
    dockerfile = (
        "FROM python:3.12-slim\n"
        "# guard: ignore[PIN101]\n"
        "RUN <<EOF\n"
        "pip install requests\n"
        "pip install flask\n"
        "EOF\n"
        "RUN pip install \\\n"
        "    # guard: ignore[PIN101] only this one\n"
        "    attrs \\\n"
        "    six\n"
    )
    assert check(tmp_path, {"Dockerfile": dockerfile}) == [unpinned("Dockerfile", 10, 5, "six", DOCKER)]


def test_the_end_of_line_form_stays_on_its_line(tmp_path: Path) -> None:
    dockerfile = "FROM python:3.12-slim\nRUN pip install requests \\\n    flask  # guard: ignore[PIN101]\n"
    requirements = "requests  # guard: ignore[PIN101] pinned by the image\nflask\n"
    assert check(tmp_path, {"Dockerfile": dockerfile, "requirements.txt": requirements}) == [
        unpinned("Dockerfile", 2, 17, "requests", DOCKER),
        unpinned("requirements.txt", 2, 1, "flask", "requirement files"),
    ]


WORKFLOW = """\
on: push
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      # guard: ignore[PIN101]
      - run: |
          pip install requests
          pip install \\
            flask

      - name: deps
        # guard: ignore[PIN101]
        run: pip install attrs
        env:
          X: pip install not-a-command
      - run: pip install six
      # guard: ignore[PIN101] a whole step, all its keys
      - name: tools
        run: pip install attrs
        shell: bash
      - run: pip install tomli
"""


def test_in_yaml_it_covers_the_next_key_and_its_whole_value(tmp_path: Path) -> None:
    path = ".github/workflows/ci.yml"
    assert check(tmp_path, {path: WORKFLOW}) == [
        unpinned(path, 17, 26, "six", "pip installs in CI files"),
        unpinned(path, 22, 26, "tomli", "pip installs in CI files"),
    ]
    without = "".join(line for line in WORKFLOW.splitlines(keepends=True) if "guard:" not in line)
    assert check(tmp_path, {path: without}) == [
        unpinned(path, 7, 23, "requests", "pip installs in CI files"),
        unpinned(path, 9, 13, "flask", "pip installs in CI files"),
        unpinned(path, 12, 26, "attrs", "pip installs in CI files"),
        unpinned(path, 15, 26, "six", "pip installs in CI files"),
        unpinned(path, 17, 26, "attrs", "pip installs in CI files"),
        unpinned(path, 19, 26, "tomli", "pip installs in CI files"),
    ]


def test_in_gitlab_ci_it_covers_a_script_list(tmp_path: Path) -> None:
    gitlab = (
        "test:\n"
        "  # guard: ignore[PIN101]\n"
        "  script:\n"
        "    - pip install requests\n"
        "    - pip install flask\n"
        "  after_script:\n"
        "    - pip install six\n"
    )
    assert check(tmp_path, {".gitlab-ci.yml": gitlab}) == [unpinned(".gitlab-ci.yml", 7, 19, "six", "pip installs in CI files")]


def test_in_shell_scripts_and_makefiles_it_covers_the_next_command_with_its_continuations(tmp_path: Path) -> None:
    script = "#!/bin/sh\nset -e\n# guard: ignore[PIN101]\npip install requests \\\n    flask\npip install six\n"
    makefile = "install:\n\t# guard: ignore[PIN101]\n\tpip install requests \\\n\t  flask\n\tpip install six\n"
    assert check(tmp_path, {"install.sh": script, "Makefile": makefile}) == [
        unpinned("Makefile", 5, 14, "six", "pip installs in Makefiles"),
        unpinned("install.sh", 6, 13, "six", "pip installs in shell scripts"),
    ]


def test_in_requirement_files_it_covers_the_next_requirement_and_suppressions_stack(tmp_path: Path) -> None:
    requirements = (
        "# guard: ignore[PIN101] pinned by constraints.txt\n"
        "requests \\\n"
        "    --config-settings=x=y\n"
        "# guard: ignore[PIN101]\n"
        "# guard: ignore[PIN105]\n"
        "flask\n"
        "six\n"
    )
    assert check(tmp_path, {"requirements.txt": requirements}) == [
        unused("requirements.txt", 5, 1, "PIN105"),
        unpinned("requirements.txt", 7, 1, "six", "requirement files"),
    ]
    without = requirements.replace("# guard: ignore[PIN101]\n", "")
    assert check(tmp_path, {"requirements.txt": without}) == [
        unused("requirements.txt", 4, 1, "PIN105"),
        unpinned("requirements.txt", 5, 1, "flask", "requirement files"),
        unpinned("requirements.txt", 6, 1, "six", "requirement files"),
    ]


def test_a_blank_line_after_it_leaves_it_applying_to_nothing(tmp_path: Path) -> None:
    requirements = "# guard: ignore[PIN101]\n\nrequests\n# guard: ignore\n"
    assert check(tmp_path, {"requirements.txt": requirements}) == [
        unused("requirements.txt", 1, 1, "PIN101"),
        unpinned("requirements.txt", 3, 1, "requests", "requirement files"),
        ("requirements.txt", 4, 1, "GRD105", "suppression of anything suppresses nothing"),
    ]


def test_in_toml_and_ini_it_covers_a_value_over_several_lines(tmp_path: Path) -> None:
    pyproject = (
        '[project]\nname = "app"\nversion = "1"\n'
        "# guard: ignore[PIN101]\n"
        'dependencies = [\n  "requests",  # a comment ]\n  "flask[async]",\n]\n'
        '[project.optional-dependencies]\ndev = ["six"]\n'
    )
    tox = "[testenv]\n# guard: ignore[PIN101]\ndeps =\n    requests\n    flask\ncommands = pytest\n[testenv:lint]\ndeps = six\n"
    assert check(tmp_path, {"pyproject.toml": pyproject, "tox.ini": tox}) == [
        ("pyproject.toml", 10, 8, "PIN101", "`six` is not pinned (any version); an application's dependencies require exact"),
        unpinned("tox.ini", 8, 8, "six", "tox deps"),
    ]


def test_in_an_inline_script_block_it_covers_the_next_line(tmp_path: Path) -> None:
    script = '# /// script\n# dependencies = [\n#   # guard: ignore[PIN101]\n#   "requests",\n#   "flask",\n# ]\n# ///\nprint(\'hi\')\n'
    assert check(tmp_path, {"tool.py": script}, "tool.py") == [
        ("tool.py", 5, 5, "PIN101", "`flask` is not pinned (any version); inline script dependencies require exact")
    ]


def test_many_own_line_suppressions_each_cover_their_own_requirement(tmp_path: Path) -> None:
    """20,000 suppressions over 20,000 requirements: each covers its own line (the spans are
    found in one pass over the file), and the one left without a requirement is reported."""
    lines = [f"# guard: ignore[PIN101]\npackage-{index}\n" for index in range(20_000)]
    assert check(tmp_path, {"requirements.txt": "".join(lines) + "# guard: ignore[PIN101]\n"}) == [
        unused("requirements.txt", 40_001, 1, "PIN101")
    ]


def test_inside_a_run_block_it_covers_the_next_shell_command(tmp_path: Path) -> None:
    workflow = (
        "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: |\n"
        "          # guard: ignore[PIN101]\n"
        "          pip install requests \\\n"
        "            flask\n"
        "          pip install six\n"
    )
    path = ".github/workflows/ci.yml"
    assert check(tmp_path, {path: workflow}) == [unpinned(path, 10, 23, "six", "pip installs in CI files")]


def test_a_comment_line_inside_a_continued_requirement_stays_part_of_it(tmp_path: Path) -> None:
    """pip joins `requests \\` with the next line, comment and all: the comment is the end of
    the `requests` line, not a suppression of what follows."""
    assert check(tmp_path, {"requirements.txt": "requests \\\n# guard: ignore[PIN101]\nflask\n"}) == [
        unpinned("requirements.txt", 3, 1, "flask", "requirement files")
    ]
