from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from typing import Any, Dict, List, Optional, Tuple

import pytest

from guard.pipcalls.pipargs import SUBCOMMANDS, PipArgs, known_options, parse_pip_argv, strtobool

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


# pip 25.3 and 26.x: the values of these options are not packages.
NEWER_OPTIONS = [
    ("uploaded-prior-to", "install --uploaded-prior-to P3D x==1", {"--uploaded-prior-to": ["P3D"]}),
    ("only-final", "install --only-final :all: x==1", {"--only-final": [":all:"]}),
    ("all-releases", "install --all-releases :all: x==1", {"--all-releases": [":all:"]}),
    ("build-constraint", "wheel --build-constraint bc.txt x==1", {"--build-constraint": ["bc.txt"]}),
    ("refresh-package", "download --refresh-package y x==1", {"--refresh-package": ["y"]}),
    ("requirements-from-script", "lock --requirements-from-script s.py x==1", {"--requirements-from-script": ["s.py"]}),
    ("no-proxy-env-and-only-deps", "--no-proxy-env install --only-deps x==1", {"--only-deps": True}),
    ("only-dependencies-alias", "install --only-dependencies x==1", {"--only-deps": True}),
]

# An abbreviation that some pip versions read as one option, others as ambiguous: those pips
# run the line, so it is read as they read it.
NEWER_OPTIONS += [
    ("abbreviation-before-a-newer-option", "install --requirem r.txt x==1", {"--requirement": ["r.txt"]}),
    ("abbreviation-before-newer-options", "install --only- :all: x==1", {"--only-binary": [":all:"]}),
]

FIELDS += [pytest.param(line, {"requirements": ("x==1",), "options": options}, id=name) for name, line, options in NEWER_OPTIONS]


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


# pip stops at the first error: nothing after it is read, so no value is taken for a package.
STOPS = [
    pytest.param("install --frobnicate value x", 1, (), id="unknown-long-option"),
    pytest.param("install y --frob=1 x", 2, ("y",), id="after-a-requirement"),
    pytest.param("install -Zr req.txt x", 1, (), id="unknown-short-in-cluster"),
    pytest.param("install --us x", 1, (), id="ambiguous"),
    pytest.param("--frob install x", 0, (), id="before-the-subcommand"),
    pytest.param("-q instal x", 1, (), id="unknown-command"),
]


@pytest.mark.parametrize(("line", "error_at", "requirements"), STOPS)
def test_stops_at_first_error(line: str, error_at: int, requirements: Tuple[str, ...]) -> None:
    parsed = parse_pip_argv(shlex.split(line))
    assert (parsed.error_at, parsed.requirements, parsed.requirement_files, len(parsed.errors)) == (error_at, requirements, (), 1)


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


# --- the option table is pip's: every minor release from 23.0 to the newest --------------
#
# The one test here that uses the network, and only the package registry: `pip index
# versions pip` says which releases exist, `pip download pip==X --no-deps` fetches the
# wheels (kept in $GUARD_TEST_CACHE when set, else in this session's temporary directory),
# and each wheel's own parsers are dumped in a subprocess (pip runs from its wheel).

_OLDEST_MINOR = (23, 0)

_DUMP_OPTIONS = """
import json, sys
sys.path.insert(0, sys.argv[1])
from pip._internal.cli.main_parser import create_main_parser
from pip._internal.commands import commands_dict, create_command

def options(parser):
    return [[o._long_opts + o._short_opts, o.takes_value(), o.nargs] for o in parser._get_all_options()]

dump = {"": options(create_main_parser())}
for name in commands_dict:
    dump[name] = options(create_command(name).parser)
print(json.dumps(dump))
"""


def _pip(*args: str) -> "subprocess.CompletedProcess[str]":
    environ = {name: value for name, value in os.environ.items() if not name.startswith("GUARD_")}
    environ["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return subprocess.run([sys.executable, "-m", "pip", *args], capture_output=True, text=True, env=environ, timeout=300)


def _latest_patch_of_each_minor(versions: List[str]) -> List[str]:
    from packaging.version import InvalidVersion, Version

    latest: Dict[Tuple[int, int], Version] = {}
    for text in versions:
        try:
            version = Version(text)
        except InvalidVersion:
            continue
        minor = (version.major, version.minor)
        if version.is_prerelease or minor < _OLDEST_MINOR:
            continue
        if minor not in latest or version > latest[minor]:
            latest[minor] = version
    return [str(latest[minor]) for minor in sorted(latest)]


def _registry_versions() -> List[str]:
    listed = _pip("index", "versions", "pip")
    for line in listed.stdout.splitlines():
        if line.startswith("Available versions:"):
            return [text.strip() for text in line.partition(":")[2].split(",")]
    pytest.skip(f"the package registry is unreachable (`pip index versions pip`: {listed.stderr.strip()[-300:]})")


@pytest.fixture(scope="session")
def pip_option_dumps(tmp_path_factory: pytest.TempPathFactory) -> Dict[str, Dict[str, List[Any]]]:
    """{pip version: {command ("" for the main parser): [[names, takes value, nargs], ...]}}."""
    # session fixtures are set up before the autouse fixture that clears GUARD_* variables
    cache = os.environ.get("GUARD_TEST_CACHE") or str(tmp_path_factory.getbasetemp())
    wheels = os.path.join(cache, "pip-wheels")
    os.makedirs(wheels, exist_ok=True)
    versions = _latest_patch_of_each_minor(_registry_versions())
    assert versions, "the registry lists no pip release from 23.0 on"
    paths: Dict[str, str] = {}
    for version in versions:
        path = os.path.join(wheels, f"pip-{version}-py3-none-any.whl")
        if not os.path.isfile(path):
            fetched = _pip("download", f"pip=={version}", "--no-deps", "--only-binary", ":all:", "--dest", wheels)
            assert fetched.returncode == 0, fetched.stderr
        paths[version] = path
    # a wheel's dump never changes: kept beside it
    running = {
        version: subprocess.Popen(
            [sys.executable, "-I", "-c", _DUMP_OPTIONS, path], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for version, path in paths.items()
        if not os.path.isfile(path + ".options.json")
    }
    for version, process in running.items():
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, f"pip {version}: {err}"
        with open(paths[version] + ".options.json", "w", encoding="utf-8") as handle:
            handle.write(out)
    dumps: Dict[str, Dict[str, List[Any]]] = {}
    for version, path in paths.items():
        with open(path + ".options.json", encoding="utf-8") as handle:
            dumps[version] = json.load(handle)
    return dumps


def _differences_from_pip(dumps: Dict[str, Dict[str, List[Any]]]) -> List[str]:
    differences: List[str] = []
    for version, commands in dumps.items():
        for command, options in commands.items():
            if command and command not in SUBCOMMANDS:
                differences.append(f"pip {version}: command `{command}` unknown")
                continue
            ours = known_options(command or None)
            for names, takes_value, nargs in options:
                if nargs not in (None, 1):
                    differences.append(f"pip {version} {command}: {names} takes {nargs} values")
                known = {ours.get(name) for name in names}
                if None in known:
                    differences.append(f"pip {version} {command}: {[n for n in names if n not in ours]} unknown")
                elif len(known) > 1:
                    differences.append(f"pip {version} {command}: {names} are one option in pip, several in guard")
                else:
                    canonical, ours_takes_value, _since, _until = next(iter(known))  # type: ignore[misc]
                    if ours_takes_value != takes_value:
                        differences.append(f"pip {version} {command}: {names} {'takes' if takes_value else 'takes no'} value")
                    if canonical not in names:
                        differences.append(f"pip {version} {command}: {names} known as `{canonical}`")
    return differences


def _wrong_spans(dumps: Dict[str, Dict[str, List[Any]]]) -> List[str]:
    """Long option names whose span of pip versions in guard's table is not where pip has them
    (abbreviations are resolved with the spans)."""
    wrong: List[str] = []
    for version, commands in dumps.items():
        major, minor = (int(part) for part in version.split(".")[:2])
        for command, options in commands.items():
            if command and command not in SUBCOMMANDS:
                continue
            pips = {name for names, _value, _nargs in options for name in names}
            for name, (_canonical, _value, since, until) in known_options(command or None).items():
                if name.startswith("--") and (name in pips) != (since <= (major, minor) <= until):
                    wrong.append(f"pip {version} {command or 'general'}: `{name}` {'has' if name in pips else 'lacks'} it")
    return wrong


def _inventions(dumps: Dict[str, Dict[str, List[Any]]]) -> List[str]:
    """Option names guard knows that no pip release has for that command."""
    pips: Dict[str, set[str]] = {}
    for commands in dumps.values():
        for command, options in commands.items():
            pips.setdefault(command, set()).update(name for names, _value, _nargs in options for name in names)
    inventions: List[str] = []
    for command in ("", *SUBCOMMANDS):
        extra = sorted(set(known_options(command or None)) - pips.get(command, set()))
        if extra:
            inventions.append(f"{command or 'general'}: {extra}")
    return inventions


def test_option_table_is_every_pips(pip_option_dumps: Dict[str, Dict[str, List[Any]]]) -> None:
    assert _differences_from_pip(pip_option_dumps) == []
    assert _inventions(pip_option_dumps) == []
    assert _wrong_spans(pip_option_dumps) == []
