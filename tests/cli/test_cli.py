"""`guard check` end to end: exit codes, formats, colour, settings, bad input, discovery."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from guard_runner import GUARD, guard_run, write

import guard
from guard import cli


def test_version() -> None:
    result = subprocess.run([*GUARD, "--version"], capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, f"guard {guard.__version__}\n")


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "guard"
    assert script.exists(), "guard must be installed (pip install -e .) for the tests"
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    assert result.stdout == f"guard {guard.__version__}\n"


@pytest.mark.parametrize("command", ["check", "rules", "rule", "env", "pip", "shell-init"])
def test_every_subcommand_explains_itself(command: str) -> None:
    result = subprocess.run([*GUARD, command, "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.startswith(f"usage: guard {command}")


def test_no_arguments_prints_help_and_is_a_usage_error() -> None:
    result = subprocess.run(GUARD, capture_output=True, text=True)
    assert result.returncode == 2 and "usage: guard" in result.stdout


def test_clean_findings_and_usage_exit_codes(tmp_path: Path) -> None:
    write(tmp_path, {"requirements.txt": "requests==2.32.3\n"})
    clean = guard_run(tmp_path, "check")
    assert (clean.returncode, clean.stdout) == (0, "No findings in 1 file.\n")
    write(tmp_path, {"requirements.txt": "requests\n"})
    dirty = guard_run(tmp_path, "check")
    assert dirty.returncode == 1
    assert dirty.stdout == (
        "requirements.txt:1:1: PIN101 `requests` is not pinned (any version); requirement files require exact [unpinned-requirement]\n"
        "    hint: pin one version: `requests==<version>`\n"
        "Found 1 finding (1 warning) in 1 file.\n"
    )
    usage = guard_run(tmp_path, "check", "--format", "xml")
    assert usage.returncode == 2 and "invalid choice: 'xml'" in usage.stderr


@pytest.mark.parametrize(("fail_on", "code"), [("info", 1), ("warning", 0), ("error", 0)])
def test_fail_on(tmp_path: Path, fail_on: str, code: int) -> None:
    write(tmp_path, {"requirements.txt": "pip\n"})  # one info finding (PIN109)
    assert guard_run(tmp_path, "check", "--fail-on", fail_on).returncode == code


def test_internal_error_is_one_line_and_a_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setenv("GUARD_CRASH_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("guard.check.run.run_check", explode)
    assert cli.main(["check"]) == 3
    err = capsys.readouterr().err
    reports = list(tmp_path.glob("guard-crash-*.txt"))
    assert len(reports) == 1
    assert err == f"guard: internal error: RuntimeError: boom (full report in {reports[0]})\n"
    assert "Traceback" in reports[0].read_text()


def test_json_contract(tmp_path: Path) -> None:
    write(tmp_path, {"requirements.txt": "requests\nflask==2.3.3\n"})
    result = guard_run(tmp_path, "check", "--format", "json")
    assert result.returncode == 1
    assert json.loads(result.stdout) == {
        "version": 1,
        "findings": [
            {
                "path": "requirements.txt",
                "line": 1,
                "column": 1,
                "code": "PIN101",
                "name": "unpinned-requirement",
                "severity": "warning",
                "message": "`requests` is not pinned (any version); requirement files require exact",
                "package": "requests",
                "fix": "pin one version: `requests==<version>`",
                "end_line": 1,
                "end_column": 9,
                "fix_applicable": False,
                "fix_edit": None,
            }
        ],
    }


def test_github_annotations(tmp_path: Path) -> None:
    write(tmp_path, {"requirements.txt": "requests\nfoo=1\n"})
    result = guard_run(tmp_path, "check", "--format", "github")
    assert result.stdout.splitlines() == [
        "::warning file=requirements.txt,line=1,endLine=1,col=1,endColumn=9,title=PIN101 unpinned-requirement::`requests` is not pinned (any version); requirement files require exact (pin one version: `requests==<version>`)",
        "::error file=requirements.txt,line=2,endLine=2,col=1,endColumn=6,title=PIN108 invalid-requirement::`foo=1` uses a single `=`; pip needs `==` (`foo==1`) (`guard check --fix` writes `foo==1`)",
    ]


@pytest.mark.parametrize(
    ("args", "env", "coloured"),
    [
        (["--color", "always"], {}, True),
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
        ([], {"FORCE_COLOR": "1"}, True),
        ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        ([], {}, False),  # not a terminal
        (["--color", "always"], {"NO_COLOR": "1"}, True),
    ],
    ids=["always", "never-beats-force", "force", "no-color-beats-force", "auto-pipe", "always-beats-no-color"],
)
def test_colour(tmp_path: Path, args: list[str], env: dict[str, str], coloured: bool) -> None:
    write(tmp_path, {"requirements.txt": "requests\n"})
    result = guard_run(tmp_path, "check", *args, env=env)
    assert ("\033[" in result.stdout) is coloured


def test_output_file(tmp_path: Path) -> None:
    write(tmp_path, {"requirements.txt": "requests\n"})
    result = guard_run(tmp_path, "check", "--format", "json", "-o", "report.json")
    assert result.returncode == 1 and result.stdout == ""
    assert json.loads((tmp_path / "report.json").read_text())["findings"][0]["code"] == "PIN101"


def test_configuration_from_pyproject_env_and_flags(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".git/HEAD": "",
            "pyproject.toml": '[tool.guard]\nignore = ["PIN109"]\nfail-on = "error"\n[tool.guard.severity]\nPIN101 = "error"\n',
            "sub/requirements.txt": "requests\npip\n",
        },
    )
    result = guard_run(tmp_path / "sub", "check", "--format", "json")
    assert [(f["code"], f["severity"]) for f in json.loads(result.stdout)["findings"]] == [("PIN101", "error")]
    assert result.returncode == 1
    env_result = guard_run(tmp_path / "sub", "check", "--format", "json", env={"GUARD_IGNORE": "PIN1"})
    assert (env_result.returncode, json.loads(env_result.stdout)["findings"]) == (0, [])
    flag_result = guard_run(tmp_path / "sub", "check", "--format", "json", "--ignore", "GRD", env={"GUARD_IGNORE": "PIN1"})
    assert [f["code"] for f in json.loads(flag_result.stdout)["findings"]] == ["PIN101", "PIN109"]


def test_config_search_stops_at_the_repository_root(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[tool.guard]\nignore = ["PIN"]\n',
            "repo/.git/HEAD": "",
            "repo/requirements.txt": "requests\n",
        },
    )
    assert guard_run(tmp_path / "repo", "check").returncode == 1


@pytest.mark.parametrize(
    ("pyproject", "message"),
    [
        ('[tool.guard]\nselct = ["PIN"]\n', "unknown key 'selct'"),
        ('[tool.guard]\nselect = ["PIN999"]\n', "select: unknown rule code or prefix 'PIN999'"),
        ('[tool.guard]\nfail-on = "fatal"\n', "fail-on: unknown severity 'fatal'"),
        ('[tool.guard.min-level]\nrequirements = "tight"\n', "min-level.requirements: unknown pin level 'tight'"),
        ('[tool.guard.min-level]\ndockerfiles = "exact"\n', "unknown file kind 'dockerfiles'"),
        ('[tool.guard.pip]\non-block = "maybe"\n', "pip.on-block: expected one of auto, ask, warn, block"),
        ("[tool.guard\n", "invalid TOML"),
    ],
    ids=["unknown-key", "unknown-code", "bad-severity", "bad-level", "bad-kind", "bad-pip-mode", "bad-toml"],
)
def test_configuration_errors_name_the_key(tmp_path: Path, pyproject: str, message: str) -> None:
    write(tmp_path, {"pyproject.toml": pyproject, "requirements.txt": "requests==1.0\n"})
    result = guard_run(tmp_path, "check")
    assert result.returncode == 2
    assert result.stderr.startswith("guard: configuration error: ") and message in result.stderr
    assert result.stderr.count("\n") == 1


def test_environment_errors_name_the_variable(tmp_path: Path) -> None:
    write(tmp_path, {"requirements.txt": "requests==1.0\n"})
    result = guard_run(tmp_path, "check", env={"GUARD_SELECT": "NOPE1"})
    assert (result.returncode, result.stderr) == (
        2,
        "guard: configuration error: environment: select: unknown rule code or prefix 'NOPE1'\n",
    )


def test_show_settings(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": '[tool.guard]\npreset = "strict"\n[tool.guard.packages]\n"torch*" = "bounded"\n'})
    result = guard_run(tmp_path, "check", "--show-settings", "--ignore", "PIN109", env={"GUARD_FAIL_ON": "error"})
    shown = json.loads(result.stdout)
    assert shown["preset"] == "strict"
    assert shown["min-level"]["requirements"] == "hashed"
    assert shown["packages"] == {"torch*": "bounded"}
    assert shown["ignore"] == ["PIN109"]
    assert shown["fail-on"] == "error"
    assert shown["config-file"] == str(tmp_path / "pyproject.toml")


# --- bad input: a finding or a one-line error naming the path, and the rest still checked ---


def test_bad_files_are_findings_and_the_rest_is_checked(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "binary-requirements.txt": b"requests\x00\x01\x02",
            "latin1-requirements.txt": "caf\xe9==1.0\n".encode("latin-1"),
            "dir-requirements.txt/keep": "",
            "requirements.txt": "requests\n",
        },
    )
    (tmp_path / "broken-requirements.txt").symlink_to(tmp_path / "nowhere.txt")
    with open(tmp_path / "huge-requirements.txt", "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    names = [
        "binary-requirements.txt",
        "latin1-requirements.txt",
        "dir-requirements.txt",
        "broken-requirements.txt",
        "huge-requirements.txt",
        "requirements.txt",
    ]
    result = guard_run(tmp_path, "check", "--format", "json", *names)
    assert result.returncode == 1 and result.stderr == ""
    found = [(f["path"], f["line"], f["code"], f["message"]) for f in json.loads(result.stdout)["findings"]]
    assert found == [
        ("binary-requirements.txt", 0, "GRD101", "cannot read `binary-requirements.txt`: is a binary file"),
        ("broken-requirements.txt", 0, "GRD101", "cannot read `broken-requirements.txt`: is a broken symbolic link"),
        ("huge-requirements.txt", 0, "GRD101", "cannot read `huge-requirements.txt`: is 50.0 MB, larger than the 10 MB guard reads"),
        ("latin1-requirements.txt", 0, "GRD101", "cannot read `latin1-requirements.txt`: is not valid utf-8 (byte 0xe9 on line 1)"),
        ("requirements.txt", 1, "PIN101", "`requests` is not pinned (any version); requirement files require exact"),
    ]


def test_directory_given_where_a_file_belongs(tmp_path: Path) -> None:
    write(tmp_path, {"requirements.txt": "-r requirements\nidna==3.7\n", "requirements/keep.md": ""})
    result = guard_run(tmp_path, "check", "--format", "json", "requirements.txt")
    assert [(f["path"], f["line"], f["column"], f["code"], f["message"]) for f in json.loads(result.stdout)["findings"]] == [
        ("requirements.txt", 1, 1, "GRD101", "cannot read included file `requirements`: is a directory"),
    ]


def test_declared_encoding_is_honoured(tmp_path: Path) -> None:
    write(tmp_path, {"requirements.txt": "# -*- coding: latin-1 -*-\n# caf\xe9\nrequests==1.0\n".encode("latin-1")})
    assert guard_run(tmp_path, "check").returncode == 0


def test_unreadable_file(tmp_path_factory: pytest.TempPathFactory) -> None:
    import tempfile

    # A directory of its own under /tmp, since pytest's base directory is closed to others.
    tmp_path = Path(tempfile.mkdtemp(prefix="guard-unreadable-"))
    tmp_path.chmod(0o755)
    write(tmp_path, {"secret-requirements.txt": "requests\n", "requirements.txt": "requests==1.0\n"})
    (tmp_path / "secret-requirements.txt").chmod(0o000)
    if os.geteuid() != 0:
        findings = _check_in_process(tmp_path)
    else:
        # Root reads everything: run the check in a forked child that drops to `nobody`.
        # Everything it imports is imported first, since /root (pyenv's home) is closed to it.
        _check_in_process(tmp_path)
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - child
            try:
                os.setgid(65534)
                os.setuid(65534)
                os.write(write_end, json.dumps(_check_in_process(tmp_path)).encode())
            finally:
                os._exit(0)
        os.close(write_end)
        with os.fdopen(read_end) as pipe:
            findings = json.loads(pipe.read())
        os.waitpid(pid, 0)
    shutil.rmtree(tmp_path)
    assert findings == [["secret-requirements.txt", 0, 0, "GRD101", "cannot read `secret-requirements.txt`: permission denied"]]


def _check_in_process(root: Path) -> list[list[object]]:
    from guard.check.run import check_paths
    from guard.config import Settings

    found = check_paths(["secret-requirements.txt", "requirements.txt"], Settings(), str(root))
    return [[f.path, f.line, f.column, f.code, f.message] for f in found]


# --- discovery ---


def test_discovery_in_a_git_work_tree(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".gitignore": "ignored/\n",
            "requirements.txt": "requests\n",
            "requirements/dev.txt": "pytest\n",
            "untracked-requirements.txt": "flask\n",
            "ignored/requirements.txt": "numpy\n",
            "vendor/requirements.txt": "six\n",
            "notes.txt": "not a requirement file\n",
            "pyproject.toml": '[tool.guard]\nexclude = ["vendor"]\n',
        },
    )
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(
        ["git", "add", "requirements.txt", "requirements/dev.txt", "vendor", ".gitignore", "notes.txt"], cwd=tmp_path, check=True
    )
    result = guard_run(tmp_path, "check", "--format", "json")
    assert [(f["path"], f["package"]) for f in json.loads(result.stdout)["findings"]] == [
        ("requirements.txt", "requests"),
        ("requirements/dev.txt", "pytest"),
        ("untracked-requirements.txt", "flask"),
    ]
    explicit = guard_run(tmp_path, "check", "--format", "json", "vendor/requirements.txt", "notes.txt")
    assert [(f["path"], f["code"]) for f in json.loads(explicit.stdout)["findings"]] == [
        ("notes.txt", "PIN108"),
        ("vendor/requirements.txt", "PIN101"),
    ]


def test_discovery_walk_skips_venvs_node_modules_and_build_output(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "app/requirements.txt": "requests\n",
            "env/pyvenv.cfg": "home = /usr/bin\n",
            "env/requirements.txt": "a\n",
            ".venv/requirements.txt": "b\n",
            "node_modules/x/requirements.txt": "c\n",
            "build/requirements.txt": "d\n",
            "dist/requirements.txt": "e\n",
            ".tox/py/requirements.txt": "f\n",
            "pkg.egg-info/requires.txt": "g\n",
        },
    )
    result = guard_run(tmp_path, "check", "--format", "json", env={"GIT_CEILING_DIRECTORIES": str(tmp_path.parent)})
    assert [f["path"] for f in json.loads(result.stdout)["findings"]] == ["app/requirements.txt"]


def test_discovery_finds_scripts_by_shebang_and_skips_untracked_venvs(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "bin/bootstrap": "#!/usr/bin/env bash\npip install noext\n",
            "bin/tool": "#!/usr/bin/env python3\nprint('pip install notshell')\n",
            "venv2/pyvenv.cfg": "home = /usr/bin\n",
            "venv2/requirements.txt": "inside-a-venv\n",
            "requirements.txt": "requests\n",
        },
    )
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    result = guard_run(tmp_path, "check", "--format", "json")
    assert [(f["path"], f["line"], f["column"], f["code"], f["package"]) for f in json.loads(result.stdout)["findings"]] == [
        ("bin/bootstrap", 2, 13, "PIN101", "noext"),
        ("requirements.txt", 1, 1, "PIN101", "requests"),
    ]


def test_fifo_is_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo-requirements.txt")
    write(tmp_path, {"requirements.txt": "requests==1.0\n"})
    result = guard_run(tmp_path, "check", "--format", "json")
    assert [(f["path"], f["code"], f["message"]) for f in json.loads(result.stdout)["findings"]] == [
        ("fifo-requirements.txt", "GRD101", "cannot read `fifo-requirements.txt`: is not a regular file"),
    ]


def test_deleted_working_directory_is_a_usage_error(tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    code = "import os, sys; os.chdir(sys.argv[1]); os.rmdir(sys.argv[1]); from guard.cli import main; raise SystemExit(main(['check']))"
    result = subprocess.run([sys.executable, "-c", code, str(gone)], capture_output=True, text=True)
    assert (result.returncode, result.stderr) == (2, "guard: the working directory cannot be read: No such file or directory\n")


def test_docgen_only_replaces_rule_pages(tmp_path: Path) -> None:
    (tmp_path / "guide.md").write_text("keep me\n")
    (tmp_path / "XYZ999.md").write_text("a removed rule\n")
    result = subprocess.run([sys.executable, "-m", "guard.rules.docgen", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0
    assert (tmp_path / "guide.md").read_text() == "keep me\n"
    assert not (tmp_path / "XYZ999.md").exists()
    assert (tmp_path / "PIN101.md").exists()
    help_run = subprocess.run([sys.executable, "-m", "guard.rules.docgen", "--help"], capture_output=True, text=True, cwd=tmp_path)
    assert help_run.returncode == 0 and not (tmp_path / "--help").exists()


def test_paths_outside_the_working_directory_are_shown_as_given(tmp_path: Path) -> None:
    write(tmp_path, {"requirements.txt": "requests\n", "sub/deep/keep": ""})
    result = guard_run(tmp_path / "sub" / "deep", "check", "--format", "json", "../../requirements.txt", str(tmp_path / "requirements.txt"))
    assert [f["path"] for f in json.loads(result.stdout)["findings"]] == ["../../requirements.txt"]


# --- inputs a fuzzer found: each is a finding or a clean report, never exit 3 ---


def test_deeply_nested_toml_is_a_finding(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": "x = " + "[" * 600 + "]" * 600 + "\n"})
    result = guard_run(tmp_path, "check", "--isolated", "--format", "json", "pyproject.toml")
    assert result.returncode == 1, result.stderr
    assert [(f["code"], f["path"]) for f in json.loads(result.stdout)["findings"]] == [("GRD102", "pyproject.toml")]


def test_deeply_nested_config_is_a_configuration_error(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": "[tool.guard]\nx = " + "[" * 600 + "]" * 600 + "\n", "requirements.txt": "six==1.16.0\n"})
    result = guard_run(tmp_path, "check")
    assert result.returncode == 2
    assert result.stderr.startswith(f"guard: configuration error: {tmp_path / 'pyproject.toml'}: invalid TOML: nested too deeply")


def test_lone_surrogates_are_written_escaped(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "Pipfile.lock": '{"_meta": {}, "default": {"\\ud800": {"version": "*"}}}\n',
            "Dockerfile": 'FROM python:3.12\nRUN ["pip", "install", "--\\ud800"]\n',
        },
    )
    for output_format in ("text", "json", "sarif", "github"):
        result = guard_run(tmp_path, "check", "--isolated", "--format", output_format, "Dockerfile")
        assert result.returncode == 1 and "\\ud800" in result.stdout, (output_format, result.stderr)
    to_file = guard_run(tmp_path, "check", "--isolated", "--format", "json", "-o", "out.json", "Dockerfile")
    assert to_file.returncode == 1 and "\\ud800" in (tmp_path / "out.json").read_text()


def test_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / os.fsdecode(b"\xff-requirements.txt")).write_text("requests\n")
    result = guard_run(tmp_path, "check", "--isolated", "-o", "out.txt", ".")
    assert result.returncode == 1, result.stderr
    assert (tmp_path / "out.txt").read_text().startswith("\\udcff-requirements.txt:1:1: PIN101")


def test_include_chains_and_remote_includes(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {f"r{i}.txt": f"-r r{i + 1}.txt\n" for i in range(150)}
    files["r150.txt"] = "six==1.16.0\n"
    files["requirements.txt"] = f"-r https://example.com/r.txt\n--constraint=http://x/c.txt\n-r file://{tmp_path}/local.txt\n"
    files["local.txt"] = "flask\n"
    write(tmp_path, files)
    result = guard_run(tmp_path, "check", "--isolated", "--format", "json", "r0.txt", "requirements.txt")
    assert [(f["path"], f["line"], f["column"], f["code"], f["message"]) for f in json.loads(result.stdout)["findings"]] == [
        ("local.txt", 1, 1, "PIN101", "`flask` is not pinned (any version); requirement files require exact"),
        ("r99.txt", 1, 1, "GRD104", "includes nested more than 100 deep; `-r r100.txt` is not followed"),
        ("requirements.txt", 1, 1, "GRD106", "`-r https://example.com/r.txt` is fetched by pip at install time; guard does not read it"),
        ("requirements.txt", 2, 1, "GRD106", "`-c http://x/c.txt` is fetched by pip at install time; guard does not read it"),
    ]


def test_deeply_nested_facts_file(tmp_path: Path) -> None:
    write(tmp_path, {"deep.json": '{"interpreter": ' + "[" * 100000 + "]" * 100000 + "}"})
    result = guard_run(tmp_path, "env", "--facts", "deep.json")
    assert (result.returncode, result.stderr) == (2, "guard env: error: `deep.json`: nested too deeply to read\n")


def _crash(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("guard.check.run.run_check", explode)
    assert cli.main(["check"]) == 3
    return capsys.readouterr().err


def test_crash_reports_go_to_a_private_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("GUARD_CRASH_DIR", raising=False)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    err = _crash(monkeypatch, tmp_path, capsys)
    directory = tmp_path / f"guard-crash-{os.getuid()}"
    (report,) = directory.iterdir()
    assert err == f"guard: internal error: RuntimeError: boom (full report in {report})\n"
    assert (directory.stat().st_mode & 0o777, report.stat().st_mode & 0o777) == (0o700, 0o600)


@pytest.mark.parametrize("planted", ["symlink", "shared"])
def test_a_planted_crash_directory_is_never_written_through(
    planted: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("GUARD_CRASH_DIR", raising=False)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    victim = tmp_path / "victim"
    victim.mkdir()
    directory = tmp_path / f"guard-crash-{os.getuid()}"
    if planted == "symlink":
        directory.symlink_to(victim)
    else:
        directory.mkdir(mode=0o777)
        directory.chmod(0o777)  # anyone could have put links in it
    err = _crash(monkeypatch, tmp_path, capsys)
    assert err == "guard: internal error: RuntimeError: boom (no report could be written)\n"
    assert list(victim.iterdir()) == []


def test_only_the_newest_crash_reports_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GUARD_CRASH_DIR", str(tmp_path))
    old = [f"guard-crash-20260101-0000{i:02d}-1.txt" for i in range(7)]
    for name in old:
        (tmp_path / name).write_text("old\n")
    _crash(monkeypatch, tmp_path, capsys)
    kept = sorted(path.name for path in tmp_path.glob("guard-crash-*.txt"))
    assert kept[:4] == old[3:] and len(kept) == 5 and kept[4] not in old


# --- per-path policy, file kinds, test fixtures ---


@pytest.mark.parametrize(
    ("pyproject", "message"),
    [
        (
            '[tool.guard.per-path."vendor/*"]\nproject-kind = "library"\nmin-levle = "exact"\nkind = 1\n',
            "per-path.vendor/*: unknown keys 'kind', 'min-levle' (expected project-kind, min-level)",
        ),
        (
            '[tool.guard.per-path."vendor/*"]\nproject-kind = "app"\n',
            "per-path.vendor/*.project-kind: expected application or library, got 'app'",
        ),
        ('[tool.guard.per-path."vendor/*"]\nmin-level = "tight"\n', "per-path.vendor/*.min-level: unknown pin level 'tight'"),
        (
            '[tool.guard.per-path."vendor/*"]\nmin-level = {dockerfiles = "exact"}\n',
            "per-path.vendor/*.min-level: unknown file kind 'dockerfiles'",
        ),
        ('[tool.guard.per-path."vendor/*"]\n', "per-path.vendor/*: expected project-kind or min-level"),
        (
            '[tool.guard.file-kinds]\n"docker/*" = "docker"\n',
            "file-kinds.docker/*: unknown file kind 'docker' (expected requirements, pyproject",
        ),
        ('[tool.guard]\ninclude-fixtures = "yes"\n', "include-fixtures: expected true or false"),
    ],
    ids=["per-path-unknown-keys", "per-path-kind", "per-path-level", "per-path-level-kind", "per-path-empty", "file-kind", "fixtures"],
)
def test_policy_configuration_errors_name_the_key(tmp_path: Path, pyproject: str, message: str) -> None:
    write(tmp_path, {"pyproject.toml": pyproject, "requirements.txt": "requests==1.0\n"})
    result = guard_run(tmp_path, "check")
    assert (result.returncode, result.stderr.count("\n")) == (2, 1)
    assert result.stderr.startswith(f"guard: configuration error: {tmp_path / 'pyproject.toml'} [tool.guard]: {message}")


def test_file_kind_flag(tmp_path: Path) -> None:
    write(tmp_path, {"docker/dev": "FROM python:3.12\nRUN pip install flask\n", "tools/install": "pip install httpx\n"})
    result = guard_run(tmp_path, "check", "--file-kind", "tools/*=shell", "--isolated")
    assert (result.returncode, result.stdout.splitlines()) == (
        1,
        [
            "docker/dev:2:17: PIN101 `flask` is not pinned (any version); Dockerfile pip installs require exact [unpinned-requirement]",
            "    hint: pin one version: `flask==<version>`",
            "tools/install:1:13: PIN101 `httpx` is not pinned (any version); pip installs in shell scripts require exact [unpinned-requirement]",
            "    hint: pin one version: `httpx==<version>`",
            "Found 2 findings (2 warnings) in 2 files.",
        ],
    )
    bad = guard_run(tmp_path, "check", "--file-kind", "tools/install")
    assert (bad.returncode, bad.stderr) == (
        2,
        "guard: configuration error: command line: file-kinds: expected GLOB=KIND, got 'tools/install'\n",
    )


def test_fixtures_skipped_are_counted_in_the_summary(tmp_path: Path) -> None:
    write(tmp_path, {"requirements.txt": "x==1\n", "tests/fixtures/requirements.txt": "x\n", "tests/data/Dockerfile": "FROM python\n"})
    skipped = guard_run(tmp_path, "check")
    assert (skipped.returncode, skipped.stdout) == (
        0,
        "No findings in 1 file.\n(2 files in test fixtures skipped; `--include-fixtures` or `include-fixtures = true` checks them.)\n",
    )
    as_json = json.loads(guard_run(tmp_path, "check", "--format", "json").stdout)
    assert as_json == {"version": 1, "findings": [], "skipped_fixtures": 2}
    included = guard_run(tmp_path, "check", "--include-fixtures", "--format", "json")
    assert [(f["path"], f["line"], f["column"], f["code"]) for f in json.loads(included.stdout)["findings"]] == [
        ("tests/fixtures/requirements.txt", 1, 1, "PIN101")
    ]


def test_per_path_min_level_and_project_kind(tmp_path: Path) -> None:
    pyproject = (
        "[tool.guard.per-path]\n"
        '"docker/*" = { min-level = "bounded" }\n'
        '"services/api" = { project-kind = "application" }\n'
        '"ci/requirements.txt" = { min-level = { requirements = "hashed" } }\n'
    )
    api = '[build-system]\nrequires = ["hatchling>=1"]\n[project]\nname = "api"\ndependencies = ["fastapi>=0.110"]\n'
    write(
        tmp_path,
        {
            "pyproject.toml": pyproject,
            "docker/Dockerfile": "FROM python\nRUN pip install 'flask>=3,<4' 'httpx>=0.27'\n",
            "services/api/pyproject.toml": api,
            "ci/requirements.txt": "x==1\n",
        },
    )
    result = guard_run(tmp_path, "check", "--format", "json")
    assert [(f["path"], f["line"], f["column"], f["code"], f["severity"], f["message"]) for f in json.loads(result.stdout)["findings"]] == [
        ("ci/requirements.txt", 1, 1, "PIN101", "warning", "`x` is pinned but not hashed; requirement files require hashed"),
        (
            "docker/Dockerfile",
            2,
            31,
            "PIN101",
            "warning",
            "`httpx` is not pinned (only a lower bound); Dockerfile pip installs require bounded",
        ),
        (
            "services/api/pyproject.toml",
            5,
            17,
            "PIN101",
            "warning",
            "`fastapi` is not pinned (only a lower bound); an application's dependencies require exact",
        ),
    ]
