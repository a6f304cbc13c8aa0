from __future__ import annotations

import os
import shlex
from typing import Any, Dict, Optional, Tuple

import pytest

from guard.pipcalls.pipargs import PipArgs, parse_pip_argv, strtobool

# --- R1: which command lines change an environment ----------------------------------------

CHANGES = [
    pytest.param("install requests", id="install"),
    pytest.param("-q install requests", id="general-option-first"),
    pytest.param("--log /tmp/x.log install requests", id="general-option-with-value"),
    pytest.param("--timeout 5 --retries 2 install -U pip", id="several-general-options"),
    pytest.param("uninstall -y requests", id="uninstall"),
    pytest.param("--isolated install -r req.txt", id="isolated"),
    pytest.param("--python /usr/bin/python3 install x", id="python-option"),
    pytest.param("install --dry-run x", id="dry-run-is-still-install"),
    pytest.param("-v -v install --user x", id="user"),
    pytest.param("--no-cache-dir install .", id="project"),
    pytest.param("install --version x", id="version-after-subcommand-is-ignored-by-pip"),
]

LEAVES_ALONE = [
    pytest.param("", id="no-arguments"),
    pytest.param("--version", id="version"),
    pytest.param("-V", id="version-short"),
    pytest.param("list", id="list"),
    pytest.param("show requests", id="show"),
    pytest.param("freeze --all", id="freeze"),
    pytest.param("download -d dist requests", id="download"),
    pytest.param("wheel -w dist requests", id="wheel"),
    pytest.param("check", id="check"),
    pytest.param("config list", id="config"),
    pytest.param("cache purge", id="cache"),
    pytest.param("debug --verbose", id="debug"),
    pytest.param("hash x.whl", id="hash"),
    pytest.param("help install", id="help-command"),
    pytest.param("install --help", id="help-flag"),
    pytest.param("install -h requests", id="help-short"),
    pytest.param("index versions requests", id="index"),
    pytest.param("inspect", id="inspect"),
    pytest.param("search x", id="search"),
    pytest.param("completion --bash", id="completion"),
    pytest.param("lock -r requirements.in", id="lock"),
    pytest.param("--log install list", id="option-value-looks-like-command"),
    pytest.param("instal requests", id="unknown-command"),
]


@pytest.mark.parametrize("line", CHANGES)
def test_changes_environment(line: str) -> None:
    assert parse_pip_argv(shlex.split(line)).changes_environment is True


@pytest.mark.parametrize("line", LEAVES_ALONE)
def test_leaves_environment_alone(line: str) -> None:
    assert parse_pip_argv(shlex.split(line)).changes_environment is False


# --- R6: option values are never packages; the fields the rules need ----------------------

FIELDS = [
    pytest.param(
        "install --index-url https://example.org/simple requests==2.32.3",
        {"requirements": ("requests==2.32.3",), "options": {"--index-url": ["https://example.org/simple"]}},
        id="index-url-value",
    ),
    pytest.param(
        "install -i https://x/simple --extra-index-url $X -f ./wh pkg",
        {"requirements": ("pkg",), "options": {"--index-url": ["https://x/simple"], "--extra-index-url": ["$X"], "--find-links": ["./wh"]}},
        id="short-index-options",
    ),
    pytest.param(
        "install -rreq.txt -c=c.txt --requirement=dev.txt -e . --editable=../lib",
        {"requirement_files": ("req.txt", "dev.txt"), "constraint_files": ("=c.txt",), "editables": (".", "../lib"), "requirements": ()},
        id="attached-and-equals-forms",
    ),
    pytest.param(
        "install -Ur req.txt",
        {"upgrade": True, "requirement_files": ("req.txt",)},
        id="short-cluster-then-value",
    ),
    pytest.param(
        "install --brea --targ=vendor x",
        {"break_system_packages": True, "target": "vendor", "requirements": ("x",)},
        id="long-prefixes",
    ),
    pytest.param(
        "install --user --no-user x",
        {"user": False},
        id="no-user-wins-when-last",
    ),
    pytest.param(
        "install --no-user --user x",
        {"user": True},
        id="user-wins-when-last",
    ),
    pytest.param(
        "install --prefix /usr/local --root / x",
        {"prefix": "/usr/local", "root": "/"},
        id="prefix-and-root",
    ),
    pytest.param(
        "install --dry-run --report - x",
        {"dry_run": True, "report": "-", "requirements": ("x",)},
        id="dry-run-report-stdout",
    ),
    pytest.param(
        "--python .venv install --require-hashes --no-deps -r r.txt",
        {"python": ".venv", "require_hashes": True, "no_deps": True},
        id="python-require-hashes-no-deps",
    ),
    pytest.param(
        "install --python /x y",
        {"python": None, "options": {"--python": ["/x"]}, "requirements": ("y",)},
        id="python-after-subcommand-does-not-reinvoke",
    ),
    pytest.param(
        "install --isolated x",
        {"isolated": True},
        id="isolated-after-subcommand",
    ),
    pytest.param(
        "install -- --user",
        {"user": False, "requirements": ("--user",)},
        id="double-dash-ends-options",
    ),
    pytest.param(
        "-- install --user",
        {"subcommand": "install", "user": False, "requirements": ("--user",)},
        id="double-dash-before-subcommand",
    ),
    pytest.param(
        "install 'requests[socks] >= 2' 'x @ https://h/x.whl'",
        {"requirements": ("requests[socks] >= 2", "x @ https://h/x.whl")},
        id="specs-with-spaces",
    ),
    pytest.param(
        "-qqq install -q x",
        {"general": {"--quiet": True}, "options": {"--quiet": True}},
        id="counted-flags",
    ),
    pytest.param(
        "list -e",
        {"editables": (), "options": {"--editable": True}},
        id="list-e-is-a-flag",
    ),
    pytest.param(
        "download -d dist -r r.txt",
        {"requirement_files": ("r.txt",), "options": {"--dest": ["dist"], "--requirement": ["r.txt"]}},
        id="download-dest",
    ),
]


@pytest.mark.parametrize(("line", "expected"), FIELDS)
def test_fields(line: str, expected: Dict[str, Any]) -> None:
    parsed = parse_pip_argv(shlex.split(line))
    for name, value in expected.items():
        assert getattr(parsed, name) == value, name
    assert parsed.errors == ()


ERRORS = [
    pytest.param(
        "install x --hash=sha256:abc",
        "`--hash` is not a pip option on the command line (only inside a requirements file)",
        id="hash-on-command-line",
    ),
    pytest.param(
        "install --us x",
        "ambiguous option: `--us` could be `--use-deprecated`, `--use-feature`, `--use-pep517`, `--user`",
        id="ambiguous-prefix",
    ),
    pytest.param(
        "install --sour x",
        "ambiguous option: `--sour` could be `--source`, `--source-dir`, `--source-directory`",
        id="ambiguous-between-aliases",
    ),
    pytest.param("install --frobnicate x", "no such option: `--frobnicate`", id="unknown-long"),
    pytest.param("install -Z x", "no such option: `-Z`", id="unknown-short"),
    pytest.param("install -r", "`-r` option requires an argument", id="missing-value-short"),
    pytest.param("install --target", "`--target` option requires an argument", id="missing-value-long"),
    pytest.param("install --user=yes x", "`--user` option does not take a value", id="flag-with-value"),
    pytest.param("instal x", "unknown command `instal`", id="unknown-command"),
    pytest.param("--frob install x", "no such option: `--frob`", id="unknown-general"),
]


@pytest.mark.parametrize(("line", "error"), ERRORS)
def test_errors(line: str, error: str) -> None:
    assert parse_pip_argv(shlex.split(line)).errors == (error,)


def test_whole_record() -> None:
    assert parse_pip_argv(["-q", "install", "--user", "-r", "r.txt", "a==1"]) == PipArgs(
        subcommand="install",
        general={"--quiet": True},
        options={"--user": True, "--requirement": ["r.txt"]},
        requirements=("a==1",),
        requirement_files=("r.txt",),
        user=True,
        changes_environment=True,
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [("1", True), ("yes", True), ("On", True), ("0", False), ("off", False), ("maybe", None)],
)
def test_strtobool(text: str, value: Optional[bool]) -> None:
    assert strtobool(text) is value


# --- agreement with pip's own parser (the pip that runs these tests) -----------------------

DIFFERENTIAL = [
    "install requests",
    "-q install -rreq.txt --brea -U x y",
    "--timeout=5 install --targ vendor --no-deps 'a b'",
    "install -e . -c c.txt --prefix /opt/p --root /r x",
    "install --user --no-user x",
    "install -- --user x",
    "uninstall -y -r r.txt a",
    "download -d dist --platform manylinux2014_x86_64 --only-binary=:all: x",
    "wheel -w w -r r.txt --no-deps",
    "install --us x",
    "install --hash=sha256:00 x",
    "install --sour x",
    "install -Z x",
    "install --isol x",
    "list -e --format json",
    "install --dry-run --report - x",
    "--log l install --log-file m x",
    "install --config-settings k=v -C k2=v2 x",
]


def _pip_reference(argv: list[str]) -> Optional[Tuple[str, Any, list[str]]]:
    """What pip's own parser makes of argv: (command, options, args), or None on an error."""
    from pip._internal.cli.main_parser import parse_command
    from pip._internal.commands import create_command

    try:
        name, cmd_args = parse_command(list(argv))
        command = create_command(name, isolated=("--isolated" in cmd_args))
        options, args = command.parse_args(cmd_args)
    except SystemExit:
        return None
    return name, options, args


@pytest.mark.parametrize("line", DIFFERENTIAL)
def test_agrees_with_pip(line: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pip._internal.cli.main_parser")
    for name in list(os.environ):
        if name.startswith("PIP_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    argv = shlex.split(line)
    ours = parse_pip_argv(argv)
    reference = _pip_reference(argv)
    capsys.readouterr()
    if reference is None:
        assert ours.errors != ()
        return
    assert ours.errors == ()
    name, options, args = reference
    assert ours.subcommand == name
    assert list(ours.requirements) == args
    assert list(ours.requirement_files) == list(getattr(options, "requirements", []) or [])
    assert list(ours.constraint_files) == list(getattr(options, "constraints", []) or [])
    if name != "list":
        assert list(ours.editables) == list(getattr(options, "editables", []) or [])
    assert ours.target == getattr(options, "target_dir", None)
    assert ours.prefix == getattr(options, "prefix_path", None)
    assert ours.root == getattr(options, "root_path", None)
    assert ours.user == bool(getattr(options, "use_user_site", False))
    assert ours.break_system_packages == bool(getattr(options, "override_externally_managed", False))
    assert ours.isolated == bool(options.isolated_mode)
    assert ours.dry_run == bool(getattr(options, "dry_run", False))
    assert ours.report == getattr(options, "json_report_file", None)
    assert ours.no_deps == bool(getattr(options, "ignore_dependencies", False))
    assert ours.upgrade == bool(getattr(options, "upgrade", False))
