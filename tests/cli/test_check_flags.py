"""`guard check` as editors, scripts and CI call it: standard input, --exit-zero, --statistics,
-q/-s, -v, --show-files, --output-format and the summary's file count. Each runs guard in a
subprocess on real files and compares whole outputs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from guard_runner import guard_run, write

REQUESTS = "`requests` is not pinned (any version); requirement files require exact [unpinned-requirement]"
REQUESTS_HINT = "    hint: pin one version: `requests==<version>`"
FLASK = "`flask` is not pinned (any version); requirement files require exact [unpinned-requirement]"
FLASK_HINT = "    hint: pin one version: `flask==<version>`"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git work tree's top (a `.git` folder is what guard looks for)."""
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    return tmp_path / "repo"


# --- standard input ------------------------------------------------------------------------


def test_dash_reads_a_requirement_file_named_dash_whose_includes_resolve_from_cwd(repo: Path) -> None:
    write(repo, {"base.txt": "flask\n"})
    result = guard_run(repo, "check", "-", stdin=b"requests\n-r base.txt\n")
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout.splitlines() == [
        f"-:1:1: PIN101 {REQUESTS}",
        REQUESTS_HINT,
        f"base.txt:1:1: PIN101 {FLASK}",
        FLASK_HINT,
        "Found 2 findings (2 warnings) in 1 file.",
    ]


@pytest.mark.parametrize(
    ("name", "kind", "text", "expected"),
    [
        (
            "Dockerfile",
            "dockerfile",
            "FROM python:3.12\nRUN pip install flask\n",
            "Dockerfile:2:17: PIN101 `flask` is not pinned (any version); Dockerfile pip installs require exact [unpinned-requirement]",
        ),
        (
            "docker/dev",  # no name to go by: the content says Dockerfile, as for a named file
            "dockerfile",
            "FROM python:3.12\nRUN pip install flask\n",
            "docker/dev:2:17: PIN101 `flask` is not pinned (any version); Dockerfile pip installs require exact [unpinned-requirement]",
        ),
        (
            ".github/workflows/ci.yml",
            "github-workflow",
            "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pip install flask\n",
            ".github/workflows/ci.yml:6:26: PIN101 `flask` is not pinned (any version); pip installs in CI files require exact "
            "[unpinned-requirement]",
        ),
        (
            "pyproject.toml",
            "pyproject",
            '[project]\nname = "app"\ndependencies = ["flask"]\n',
            "pyproject.toml:3:17: PIN101 `flask` is not pinned (any version); an application's dependencies require exact "
            "[unpinned-requirement]",
        ),
        ("requirements/dev.txt", "requirements", "flask\n", f"requirements/dev.txt:1:1: PIN101 {FLASK}"),
    ],
    ids=["dockerfile", "dockerfile-by-content", "workflow", "pyproject", "requirements-folder"],
)
def test_stdin_filename_decides_the_kind_and_is_the_path_shown(repo: Path, name: str, kind: str, text: str, expected: str) -> None:
    result = guard_run(repo, "check", "--stdin-filename", name, stdin=text.encode())
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout.splitlines()[0] == expected
    assert result.stdout.splitlines()[-1] == "Found 1 finding (1 warning) in 1 file."
    shown = guard_run(repo, "check", "--show-files", "--stdin-filename", name, stdin=text.encode())
    assert (shown.returncode, shown.stdout) == (0, f"{name}\t{kind}\n")


def test_stdin_includes_resolve_from_the_stdin_files_folder_within_the_tree(repo: Path, tmp_path: Path) -> None:
    write(repo, {"sub/base.txt": "flask\n"})
    write(tmp_path, {"outside.txt": "secret\n"})
    result = guard_run(repo, "check", "--stdin-filename", "sub/requirements.txt", stdin=b"requests\n-r base.txt\n-r ../../outside.txt\n")
    assert result.stdout.splitlines() == [
        f"sub/base.txt:1:1: PIN101 {FLASK}",
        FLASK_HINT,
        f"sub/requirements.txt:1:1: PIN101 {REQUESTS}",
        REQUESTS_HINT,
        f"sub/requirements.txt:3:1: GRD101 cannot read included file `{tmp_path / 'outside.txt'}`: is outside the checked tree; not read "
        "(`read-outside = true` reads it) [unreadable-file]",
        "Found 3 findings (1 error, 2 warnings) in 1 file.",
    ]


def test_stdin_stands_in_for_the_file_on_disk_with_its_suppressions(repo: Path) -> None:
    write(repo, {"requirements.txt": "requests==2.32.3\n"})
    text = b"requests\nflask  # guard: ignore[PIN101] vendored\n"
    result = guard_run(repo, "check", "--stdin-filename", "requirements.txt", stdin=text)
    assert (result.returncode, result.stdout.splitlines()) == (
        1,
        [f"requirements.txt:1:1: PIN101 {REQUESTS}", REQUESTS_HINT, "Found 1 finding (1 warning) in 1 file."],
    )
    assert (repo / "requirements.txt").read_text() == "requests==2.32.3\n"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"requests\n\xff\xfe\n", "is not valid utf-8 (byte 0xff on line 2)"),
        (b"requests\x00\x01\x02", "is a binary file"),
        (b"# comment\n" * (1024 * 1024 + 1), "is larger than the 10 MB guard reads"),
    ],
    ids=["bad-utf8", "binary", "over-10-MB"],
)
def test_bad_or_huge_stdin_is_a_finding_as_for_a_file(repo: Path, data: bytes, reason: str) -> None:
    result = guard_run(repo, "check", "--stdin-filename", "requirements.txt", stdin=data)
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout.splitlines() == [
        f"requirements.txt: GRD101 cannot read `requirements.txt`: {reason} [unreadable-file]",
        "Found 1 finding (1 error) in 1 file.",
    ]


def test_stdin_and_paths(repo: Path) -> None:
    write(repo, {"requirements.txt": "flask\n", "folder/requirements.txt": "flask\n"})
    mixed = guard_run(repo, "check", "-", "requirements.txt", stdin=b"requests\n")
    assert (mixed.returncode, mixed.stdout, mixed.stderr) == (
        2,
        "",
        "guard: `-` (standard input) cannot be checked together with other paths\n",
    )
    # as ruff: with --stdin-filename, other paths are left out with a warning
    named = guard_run(repo, "check", "--stdin-filename", "folder", "requirements.txt", stdin=b"requests\n")
    assert named.stderr == "guard: warning: ignoring requirements.txt: --stdin-filename checks standard input\n"
    assert (named.returncode, named.stdout.splitlines()) == (
        1,
        [f"folder:1:1: PIN101 {REQUESTS}", REQUESTS_HINT, "Found 1 finding (1 warning) in 1 file."],
    )


# --- exit status, statistics, quiet, verbose -----------------------------------------------


def test_exit_zero_reports_and_exits_0_but_errors_keep_their_codes(repo: Path) -> None:
    write(repo, {"requirements.txt": "requests\n"})
    plain = guard_run(repo, "check")
    zero = guard_run(repo, "check", "--exit-zero")
    assert (plain.returncode, zero.returncode) == (1, 0)
    assert (
        zero.stdout == plain.stdout == f"requirements.txt:1:1: PIN101 {REQUESTS}\n{REQUESTS_HINT}\nFound 1 finding (1 warning) in 1 file.\n"
    )
    assert guard_run(repo, "check", "-e").returncode == 0
    assert guard_run(repo, "check", "--exit-zero", "--select", "PIN999").returncode == 2
    write(repo, {"pyproject.toml": "[tool.guard]\nselct = []\n"})
    assert guard_run(repo, "check", "--exit-zero").returncode == 2


def _statistics_tree(repo: Path) -> None:
    write(repo, {"requirements.txt": "".join(f"pkg{i}\n" for i in range(10)) + "foo=1\n", "dev-requirements.txt": "pip\n"})


def test_statistics_text_as_ruff_lays_it_out(repo: Path) -> None:
    _statistics_tree(repo)
    result = guard_run(repo, "check", "--statistics")
    assert (result.returncode, result.stdout) == (
        1,
        "10\tPIN101\t[ ]\tunpinned-requirement\n"
        " 1\tPIN108\t[*]\tinvalid-requirement\n"
        " 1\tPIN109\t[ ]\tunpinned-bootstrap\n"
        "Found 12 findings (1 error, 10 warnings, 1 info) in 2 files.\n",
    )
    quiet = guard_run(repo, "check", "--statistics", "-q")
    assert (
        quiet.stdout == "10\tPIN101\t[ ]\tunpinned-requirement\n 1\tPIN108\t[*]\tinvalid-requirement\n 1\tPIN109\t[ ]\tunpinned-bootstrap\n"
    )
    assert guard_run(repo, "check", "--statistics", "--exit-zero").returncode == 0


def test_statistics_json_document(repo: Path) -> None:
    _statistics_tree(repo)
    result = guard_run(repo, "check", "--statistics", "--output-format", "json")
    assert json.loads(result.stdout) == {
        "version": 1,
        "statistics": [
            {"code": "PIN101", "name": "unpinned-requirement", "count": 10, "fixable": False, "fixable_count": 0},
            {"code": "PIN108", "name": "invalid-requirement", "count": 1, "fixable": True, "fixable_count": 1},
            {"code": "PIN109", "name": "unpinned-bootstrap", "count": 1, "fixable": False, "fixable_count": 0},
        ],
    }
    clean = guard_run(repo, "check", "--statistics", "--format", "json", "--select", "GRD")
    assert (clean.returncode, json.loads(clean.stdout)) == (0, {"version": 1, "statistics": []})
    clean_text = guard_run(repo, "check", "--statistics", "--select", "GRD")
    assert clean_text.stdout == "No findings in 2 files.\n"


@pytest.mark.parametrize("output_format", ["github", "sarif"])
def test_statistics_in_another_format_is_a_usage_error(repo: Path, output_format: str) -> None:
    _statistics_tree(repo)
    result = guard_run(repo, "check", "--statistics", "--format", output_format)
    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        "",
        f"guard: --statistics is written as text or json, not {output_format}\n",
    )


def test_quiet_prints_findings_only_and_silent_nothing(repo: Path) -> None:
    write(repo, {"requirements.txt": "requests\n", "tests/data/requirements.txt": "x\n"})
    env = {"GUARD_NOT_A_SETTING": "1"}  # makes a warning on stderr
    quiet = guard_run(repo, "check", "-q", env=env)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (
        1,
        f"requirements.txt:1:1: PIN101 {REQUESTS}\n{REQUESTS_HINT}\n",
        "guard: warning: unknown environment variable GUARD_NOT_A_SETTING ignored\n",
    )
    quiet_json = guard_run(repo, "check", "--quiet", "--format", "json")
    assert json.loads(quiet_json.stdout) == json.loads(guard_run(repo, "check", "--format", "json").stdout)
    for flags in (["-s"], ["--silent"], ["-qq"], ["-s", "--format", "json"]):
        silent = guard_run(repo, "check", *flags, env=env)
        assert (silent.returncode, silent.stdout, silent.stderr) == (1, "", ""), flags
    # a report file asked for is still written
    silent_file = guard_run(repo, "check", "-s", "-o", "report.txt")
    assert (silent_file.returncode, silent_file.stdout) == (1, "")
    assert (repo / "report.txt").read_text() == (
        f"requirements.txt:1:1: PIN101 {REQUESTS}\n{REQUESTS_HINT}\nFound 1 finding (1 warning) in 1 file.\n"
        "(1 file in test fixtures skipped; `--include-fixtures` or `include-fixtures = true` checks it.)\n"
    )
    both = guard_run(repo, "check", "-q", "-v")
    assert both.returncode == 2 and "not allowed with argument" in both.stderr


def _timeless(stderr: str) -> list[str]:
    return [re.sub(r"\d+\.\d{3} s\b", "T s", line) for line in stderr.splitlines()]


def test_verbose_says_config_files_kinds_and_timings_on_stderr(repo: Path) -> None:
    write(
        repo,
        {
            "pyproject.toml": '[tool.guard]\nignore = ["PIN109"]\n',
            "requirements.txt": "requests\n",
            "Dockerfile": "FROM python\nRUN pip install flask==3.0.0\n",
            "tests/fixtures/requirements.txt": "x\n",
        },
    )
    result = guard_run(repo, "check", "-v")
    assert result.stdout == f"requirements.txt:1:1: PIN101 {REQUESTS}\n{REQUESTS_HINT}\nFound 1 finding (1 warning) in 3 files.\n" + (
        "(1 file in test fixtures skipped; `--include-fixtures` or `include-fixtures = true` checks it.)\n"
    )
    assert _timeless(result.stderr) == [
        f"guard: configuration: {repo / 'pyproject.toml'}",
        "guard: found 3 files to check in T s (1 file in test fixtures skipped)",
        "guard: Dockerfile: dockerfile",
        "guard: pyproject.toml: pyproject",
        "guard: requirements.txt: requirements",
        "guard: dockerfile: 1 file in T s",
        "guard: pyproject: 1 file in T s",
        "guard: requirements: 1 file in T s",
        "guard: checked 3 files in T s",
    ]
    isolated = guard_run(repo, "check", "--verbose", "--isolated", "requirements.txt")
    assert _timeless(isolated.stderr) == [
        "guard: configuration: none (--isolated)",
        "guard: found 1 file to check in T s",
        "guard: requirements.txt: requirements",
        "guard: requirements: 1 file in T s",
        "guard: checked 1 file in T s",
    ]


# --- which files, summary, format spelling, help -------------------------------------------

LIBRARY = """[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "lib"
dynamic = ["dependencies"]

[tool.setuptools.dynamic]
dependencies = {file = ["requirements/base.txt"]}
"""


def test_show_files_lists_kinds_in_check_order_and_checks_nothing(repo: Path) -> None:
    write(
        repo,
        {
            "pyproject.toml": LIBRARY,
            "requirements/base.txt": "requests>=2\n",
            "requirements/dev.txt": "pytest\n",
            "docker/Dockerfile.dev": "FROM python\nRUN pip install flask\n",
            "scripts/setup.sh": "pip install httpx\n",
            ".github/workflows/ci.yml": "on: push\n",
            "notes.txt": "not a dependency file\n",
            "tests/fixtures/requirements.txt": "x\n",
        },
    )
    result = guard_run(repo, "check", "--show-files")
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        ".github/workflows/ci.yml\tgithub-workflow\n"
        "docker/Dockerfile.dev\tdockerfile\n"
        "pyproject.toml\tpyproject\n"
        "requirements/base.txt\trequirements-library\n"
        "requirements/dev.txt\trequirements\n"
        "scripts/setup.sh\tshell\n",
        "guard: 1 file in test fixtures skipped (`--include-fixtures` shows them)\n",
    )
    named = guard_run(repo, "check", "--show-files", "notes.txt", "docker", "--file-kind", "notes.txt=shell")
    assert (named.returncode, named.stdout) == (0, "notes.txt\tshell\ndocker/Dockerfile.dev\tdockerfile\n")
    assert guard_run(repo, "check").returncode == 1


def test_summary_counts_files_with_and_without_findings(repo: Path) -> None:
    write(repo, {"requirements.txt": "requests\nfoo=1\n", "Dockerfile": "FROM python\n", "dev-requirements.txt": "flask==3.0.0\n"})
    result = guard_run(repo, "check")
    assert result.stdout.splitlines()[-1] == "Found 2 findings (1 error, 1 warning) in 3 files."
    clean = guard_run(repo, "check", "Dockerfile", "dev-requirements.txt")
    assert clean.stdout == "No findings in 2 files.\n"


def test_output_format_is_ruffs_name_for_format(repo: Path) -> None:
    write(repo, {"requirements.txt": "requests\n"})
    ruff_name = guard_run(repo, "check", "--output-format", "json")
    assert (ruff_name.returncode, ruff_name.stdout) == (1, guard_run(repo, "check", "--format", "json").stdout)
    assert json.loads(ruff_name.stdout)["findings"][0]["code"] == "PIN101"
    bad = guard_run(repo, "check", "--output-format", "xml")
    assert bad.returncode == 2 and "argument --format/--output-format: invalid choice: 'xml'" in bad.stderr
    env = guard_run(repo, "check", env={"GUARD_FORMAT": "github"})
    assert env.stdout.startswith("::warning file=requirements.txt,line=1,endLine=1,col=1,endColumn=9,title=PIN101 unpinned-requirement::")


def test_help_lists_every_new_flag(repo: Path) -> None:
    result = guard_run(repo, "check", "--help", env={"COLUMNS": "200"})
    assert result.returncode == 0
    lines = [line.strip() for line in result.stdout.splitlines()]
    for start in (
        "--format {",
        "--stdin-filename PATH",
        "-e, --exit-zero",
        "--statistics",
        "--show-files",
        "-q, --quiet",
        "-s, --silent",
        "-v, --verbose",
    ):
        assert any(line.startswith(start) for line in lines), start
    assert any(re.match(r"--format \{[a-z,]+\}, --output-format \{[a-z,]+\}", line) for line in lines)
