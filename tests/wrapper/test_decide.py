from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence

import pytest

from guard.environment.classify import Classification, Verdict
from guard.environment.pipconfig import config_files
from guard.finding import Severity
from guard.pipcalls.pipargs import parse_pip_argv
from guard.pipcalls.specs import unpinned_install_args
from guard.wrapper.decide import BLOCK, INFO, OK, WARN, Decision, Override, decide
from guard.wrapper.wrap import (
    GO,
    REFUSED,
    REFUSED_CHECK,
    choose,
    load_modes,
    overrides_for,
    wrap,
)

DISTRO = Classification(
    kind="distro",
    verdict=Verdict.BLOCK,
    in_venv=False,
    externally_managed=True,
    marker_message="use apt",
    description="Debian GNU/Linux's system Python 3.11",
    reasons=("`/usr` is the system Python.",),
)
VENV = Classification(
    kind="venv",
    verdict=Verdict.OK,
    in_venv=True,
    externally_managed=False,
    marker_message=None,
    description="the venv /p/.venv",
    reasons=("`/p/.venv` is a project venv.",),
)
PYENV = Classification(
    kind="pyenv",
    verdict=Verdict.WARN,
    in_venv=False,
    externally_managed=False,
    marker_message=None,
    description="pyenv-installed Python 3.12",
    reasons=("shared by every project.",),
)


def facts(**interpreter: Any) -> Dict[str, Any]:
    base = {
        "executable": "/usr/bin/python3",
        "prefix": "/usr",
        "base_prefix": "/usr",
        "purelib": "/usr/local/lib/python3.11/dist-packages",
        "scripts": "/usr/local/bin",
        "purelib_writable": True,
        "enable_user_site": True,
        "user_site": "/home/u/.local/lib/python3.11/site-packages",
        "user_scripts": "/home/u/.local/bin",
    }
    base.update(interpreter)
    return {
        "interpreter": base,
        "path_checks": {"user_scripts_on_path": False},
        "project_venv": None,
    }


def run(line: str, classification: Classification = DISTRO, overrides: Sequence[Override] = (), **interp: Any) -> Decision:
    return decide(
        parse_pip_argv(line.split()),
        classification,
        facts(**interp),
        overrides=overrides,
        pip="/usr/bin/pip",
        cwd="/work",
    )


SYSTEM_DEST = {"purelib": "/usr/local/lib/python3.11/dist-packages", "scripts": "/usr/local/bin"}
USER_DEST = {
    "user_site": "/home/u/.local/lib/python3.11/site-packages",
    "user_scripts": "/home/u/.local/bin",
    "user_scripts_on_path": False,
}

VERDICTS = [
    pytest.param("install requests", DISTRO, (), BLOCK, SYSTEM_DEST, id="distro-plain"),
    pytest.param("uninstall -y requests", DISTRO, (), BLOCK, SYSTEM_DEST, id="distro-uninstall"),
    pytest.param("install --user requests", DISTRO, (), BLOCK, USER_DEST, id="distro-user-still-blocks"),
    pytest.param("install --target vendor x", DISTRO, (), INFO, {"target": "/work/vendor"}, id="target"),
    pytest.param("install --prefix /opt/p x", DISTRO, (), INFO, {"prefix": "/opt/p"}, id="prefix-elsewhere"),
    pytest.param("install --prefix /usr/local x", DISTRO, (), BLOCK, {"prefix": "/usr/local"}, id="prefix-debian-local"),
    pytest.param("install --prefix /usr x", DISTRO, (), BLOCK, {"prefix": "/usr"}, id="prefix-base"),
    pytest.param("install --root /stage x", DISTRO, (), INFO, {"root": "/stage"}, id="root-staging"),
    pytest.param("install --root / x", DISTRO, (), BLOCK, SYSTEM_DEST, id="root-slash"),
    pytest.param("install --dry-run --report - x", DISTRO, (), INFO, {}, id="dry-run-report"),
    pytest.param("install --dry-run x", DISTRO, (), BLOCK, SYSTEM_DEST, id="dry-run-alone-as-pip"),
    pytest.param("list", DISTRO, (), INFO, {}, id="read-only"),
    pytest.param("download x", VENV, (), OK, {}, id="read-only-in-venv"),
    pytest.param("install x", VENV, (), OK, SYSTEM_DEST, id="venv"),
    pytest.param("install --user x", PYENV, (), WARN, USER_DEST, id="pyenv-user"),
    pytest.param("install x", DISTRO, (Override("flag", "--brea"),), WARN, SYSTEM_DEST, id="override-turns-block-into-warn"),
    pytest.param("install x", PYENV, (Override("env", "PIP_BREAK_SYSTEM_PACKAGES=1"),), WARN, SYSTEM_DEST, id="override-leaves-warn"),
]


@pytest.mark.parametrize(("line", "classification", "overrides", "verdict", "destination"), VERDICTS)
def test_verdict_and_destination(
    line: str, classification: Classification, overrides: Sequence[Override], verdict: int, destination: Mapping[str, Any]
) -> None:
    decision = run(line, classification, overrides)
    assert (decision.verdict, dict(decision.destination)) == (verdict, destination)


def test_whole_decision_for_a_blocked_install() -> None:
    decision = run("install requests")
    assert decision == Decision(
        verdict=BLOCK,
        plain_verdict=BLOCK,
        kind="distro",
        description="Debian GNU/Linux's system Python 3.11",
        interpreter="/usr/bin/python3",
        pip="/usr/bin/pip",
        subcommand="install",
        changes_environment=True,
        destination=SYSTEM_DEST,
        reasons=("`/usr` is the system Python.",),
        suggestions=(
            "python3 -m venv .venv && .venv/bin/python -m pip install requests",
            "pipx install requests   # for a command-line tool",
        ),
        marker_message="use apt",
    )


def test_override_is_named() -> None:
    decision = run("install x", overrides=(Override("pip.conf", "/etc/pip.conf [global]"),))
    assert decision.overridden is True
    assert decision.reasons[-1] == "overridden by pip.conf (/etc/pip.conf [global])"


def test_venv_user_install_says_pip_refuses() -> None:
    decision = run("install --user x", VENV, enable_user_site=False)
    assert (decision.verdict, decision.reasons[-1]) == (
        WARN,
        "`--user` in a venv: pip refuses it (user site-packages are not visible here)",
    )


def test_implicit_user_fallback() -> None:
    decision = run("install x", PYENV, purelib_writable=False)
    assert decision.verdict == WARN
    assert dict(decision.destination) == USER_DEST
    assert decision.notes == ("its scripts go to `/home/u/.local/bin`, which is not on PATH",)
    assert decision.reasons[-1] == (
        "`/usr/local/lib/python3.11/dist-packages` is not writable, so pip falls back to the user site without saying so"
    )


def test_suggests_the_project_venv() -> None:
    data = facts()
    data["project_venv"] = {"path": "/p/.venv", "python": "/p/.venv/bin/python"}
    decision = decide(parse_pip_argv(["install", "-r", "req.txt"]), DISTRO, data, cwd="/p")
    assert decision.suggestions == ("/p/.venv/bin/python -m pip install -r req.txt",)


def test_json_document() -> None:
    finding = unpinned_install_args(["requests"])[0].with_severity(Severity.INFO)
    decision = decide(parse_pip_argv(["install", "requests"]), VENV, facts(), findings=[finding], pip="/p/bin/pip")
    assert decision.as_dict() == {
        "verdict": "ok",
        "plain_verdict": "ok",
        "kind": "venv",
        "description": "the venv /p/.venv",
        "interpreter": "/usr/bin/python3",
        "pip": "/p/bin/pip",
        "subcommand": "install",
        "changes_environment": True,
        "destination": SYSTEM_DEST,
        "reasons": ["`/p/.venv` is a project venv."],
        "overrides": [],
        "overridden": False,
        "marker_message": None,
        "suggestions": [],
        "notes": [],
        "findings": [
            {
                "path": "<command line>",
                "line": 0,
                "column": 0,
                "code": "CMD101",
                "name": "unpinned-install-arg",
                "severity": "info",
                "message": "`requests` is not pinned to one version",
                "package": "requests",
                "fix": "pin one version: `requests==<version>`",
                "end_line": 0,
                "end_column": 0,
            }
        ],
    }


# --- R9: where overrides come from ---------------------------------------------------------


def _env(tmp_path: Path, **extra: str) -> Dict[str, str]:
    env = {"HOME": str(tmp_path / "home"), "XDG_CONFIG_DIRS": str(tmp_path / "xdg")}
    env.update(extra)
    return env


def _overrides(argv: List[str], env: Mapping[str, str], site: Optional[str] = None) -> List[Override]:
    problems: List[str] = []
    found = overrides_for(parse_pip_argv(argv), argv, env, site, problems)
    assert problems == []
    return found


def test_override_flag_prefix(tmp_path: Path) -> None:
    assert _overrides(["install", "--brea", "x"], _env(tmp_path)) == [Override("flag", "--brea")]


def test_override_env(tmp_path: Path) -> None:
    env = _env(tmp_path, PIP_BREAK_SYSTEM_PACKAGES="1")
    assert _overrides(["install", "x"], env) == [Override("env", "PIP_BREAK_SYSTEM_PACKAGES=1")]


def test_override_env_ignored_under_isolated(tmp_path: Path) -> None:
    env = _env(tmp_path, PIP_BREAK_SYSTEM_PACKAGES="1")
    assert _overrides(["--isolated", "install", "x"], env) == []


def test_override_env_not_ignored_under_isolated_prefix(tmp_path: Path) -> None:
    # pip decides isolation by the literal word `--isolated` (cli/main.py)
    env = _env(tmp_path, PIP_BREAK_SYSTEM_PACKAGES="yes")
    assert _overrides(["--isol", "install", "x"], env) == [Override("env", "PIP_BREAK_SYSTEM_PACKAGES=yes")]


def test_override_user_pip_conf(tmp_path: Path) -> None:
    conf = tmp_path / "home" / ".config" / "pip" / "pip.conf"
    conf.parent.mkdir(parents=True)
    conf.write_text("[install]\nbreak_system_packages = true\n")
    assert _overrides(["install", "x"], _env(tmp_path)) == [Override("pip.conf", f"{conf} [install]")]
    # a user file is skipped under --isolated, the section of another command never applies
    assert _overrides(["--isolated", "install", "x"], _env(tmp_path)) == []
    assert _overrides(["uninstall", "x"], _env(tmp_path)) == []


def test_override_env_false_beats_pip_conf(tmp_path: Path) -> None:
    conf = tmp_path / "site.conf"
    conf.write_text("[global]\nbreak-system-packages = on\n")
    assert _overrides(["install", "x"], _env(tmp_path, PIP_CONFIG_FILE=str(conf))) == [Override("pip.conf", f"{conf} [global]")]
    env = _env(tmp_path, PIP_CONFIG_FILE=str(conf), PIP_BREAK_SYSTEM_PACKAGES="0")
    assert _overrides(["install", "x"], env) == []


def test_site_pip_conf(tmp_path: Path) -> None:
    site = tmp_path / "prefix"
    site.mkdir()
    (site / "pip.conf").write_text("[global]\nbreak-system-packages = true\n")
    assert _overrides(["install", "x"], _env(tmp_path), str(site)) == [Override("pip.conf", f"{site / 'pip.conf'} [global]")]


def test_devnull_config_file_skips_all_files(tmp_path: Path) -> None:
    assert config_files({"PIP_CONFIG_FILE": os.devnull, "HOME": "/h"}, site_prefix="/p", isolated=False) == []


def test_config_file_order(tmp_path: Path) -> None:
    env = {"HOME": "/h", "PIP_CONFIG_FILE": "/nonexistent.conf"}
    assert config_files(env, site_prefix="/p", isolated=False, platform="linux") == [
        "/etc/xdg/pip/pip.conf",
        "/etc/pip.conf",
        "/h/.pip/pip.conf",
        "/h/.config/pip/pip.conf",
        "/p/pip.conf",
        "/nonexistent.conf",
    ]


# --- modes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("verdict", "mode"),
    [(OK, "run"), (INFO, "run"), (WARN, "warn"), (BLOCK, "auto")],
)
def test_choose_default_modes(verdict: int, mode: str) -> None:
    assert choose(verdict, "auto", "warn") == mode


def test_load_modes_from_environment(tmp_path: Path) -> None:
    env = {"GUARD_PIP_ON_BLOCK": "block", "GUARD_PIP_ON_WARN": "ask", "GUARD_PIP_CHECK_INSTALLS": "0"}
    assert load_modes(env, str(tmp_path), print) == ("block", "ask", False)


def test_load_modes_from_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.guard.pip]\non-block = "warn"\ncheck-installs = false\n')
    assert load_modes({}, str(tmp_path), print) == ("warn", "warn", False)


def test_bad_config_warns_once_and_uses_defaults(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.guard.pip]\non-block = "sometimes"\n')
    lines: List[str] = []
    assert load_modes({}, str(tmp_path), lines.append) == ("auto", "warn", True)
    assert len(lines) == 1 and lines[0].startswith("ignoring bad configuration (")


def test_bad_config_line_has_one_prefix(tmp_path: Path) -> None:
    """`guard pip --explain` and the wrapper say `guard: ignoring ...` once, not `guard: guard:`."""
    import io

    from guard.cli.pip import run
    from guard.config import load_settings

    (tmp_path / "pyproject.toml").write_text('[tool.guard.pip]\non-block = "sometimes"\n')
    try:
        load_settings(cwd=str(tmp_path), environ={})
    except Exception as exc:  # noqa: BLE001 - the message is what matters
        reason = str(exc).strip().splitlines()[0]
    expected = f"guard: ignoring bad configuration ({reason}); using defaults"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "GUARD_CACHE_DIR": str(tmp_path / "cache")}
    out, err = io.StringIO(), io.StringIO()
    assert run(pip_argv=["list"], explain=True, environ=env, stdout=out, stderr=err, cwd=str(tmp_path)) == 0
    assert out.getvalue().splitlines()[0] == expected
    err = io.StringIO()
    status = run(pip_argv=["install", "x"], environ=env, stderr=err, cwd=str(tmp_path), check_only=True)
    assert status == 0  # Debian's pip, no terminal: the default `auto` warns and lets pip run
    assert err.getvalue().splitlines()[0] == expected


# --- wrap(): escape hatch, fail open, statuses ---------------------------------------------


class Recorder:
    def __init__(self) -> None:
        self.calls: List[Any] = []

    def __call__(self, pip: Optional[str], name: str, argv: Sequence[str], env: Mapping[str, str], err: Any) -> int:
        self.calls.append((pip, name, list(argv)))
        return 42


def _wrap(argv: List[str], env: Dict[str, str], **kwargs: Any) -> Any:
    err = io.StringIO()
    recorder = Recorder()
    status = wrap(argv, environ=env, stderr=err, stdin=io.StringIO(), runner=recorder, cwd="/", **kwargs)
    return status, err.getvalue(), recorder.calls


def _debian_env(tmp_path: Path, **extra: str) -> Dict[str, str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PIP_CONFIG_FILE": os.devnull, "GUARD_CACHE_DIR": str(tmp_path / "c")}
    env.update(extra)
    return env


def test_guard_allow_runs_pip_and_says_so(tmp_path: Path) -> None:
    status, err, calls = _wrap(["install", "x"], _debian_env(tmp_path, GUARD_ALLOW="1", GUARD_PIP_ON_BLOCK="block"))
    assert (status, err, calls) == (42, "guard: GUARD_ALLOW is set: `pip` runs unchecked\n", [("/usr/bin/pip", "pip", ["install", "x"])])


def test_internal_error_fails_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import guard.wrapper.wrap

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("kaput")

    monkeypatch.setattr(guard.wrapper.wrap, "evaluate", boom)
    status, err, calls = _wrap(["install", "x"], _debian_env(tmp_path, GUARD_PIP_ON_BLOCK="block"))
    assert (status, err, calls) == (
        42,
        "guard: internal error (RuntimeError: kaput); running pip anyway\n",
        [("/usr/bin/pip", "pip", ["install", "x"])],
    )


@pytest.mark.skipif(not os.path.exists("/usr/lib/python3.11/EXTERNALLY-MANAGED"), reason="needs Debian's marked Python")
def test_block_mode_refuses(tmp_path: Path) -> None:
    env = _debian_env(tmp_path, GUARD_PIP_ON_BLOCK="block", GUARD_PIP_CHECK_INSTALLS="0")
    status, err, calls = _wrap(["install", "x==1"], env)
    assert (status, calls) == (REFUSED, [])
    assert err.splitlines()[-1] == "guard: blocked; pip was not run (GUARD_ALLOW=1 for one call, or GUARD_PIP_ON_BLOCK=warn)"
    status, err, calls = _wrap(["install", "x==1"], env, check_only=True)
    assert (status, calls) == (REFUSED_CHECK, [])


@pytest.mark.skipif(not os.path.exists("/usr/lib/python3.11/EXTERNALLY-MANAGED"), reason="needs Debian's marked Python")
def test_explicit_ask_without_terminal_refuses_and_auto_warns(tmp_path: Path) -> None:
    env = _debian_env(tmp_path, GUARD_PIP_ON_BLOCK="ask", GUARD_PIP_CHECK_INSTALLS="0")
    status, err, calls = _wrap(["install", "x==1"], env)
    assert (status, calls) == (REFUSED, [])
    assert err.splitlines()[-1] == "guard: no terminal to ask on; not running pip (set GUARD_PIP_ON_BLOCK=warn to allow)"
    env["GUARD_PIP_ON_BLOCK"] = "auto"
    status, err, calls = _wrap(["install", "x==1"], env, check_only=True)
    assert (status, calls) == (GO, [])
    assert err.splitlines()[-1] == "guard: running pip anyway (warn mode)"


def test_read_only_passes_without_probe(tmp_path: Path) -> None:
    status, err, calls = _wrap(["list"], _debian_env(tmp_path, GUARD_PIP_ON_BLOCK="block"))
    assert (status, err, calls) == (42, "", [("/usr/bin/pip", "pip", ["list"])])
    assert not (tmp_path / "c").exists()


def test_missing_pip_in_check_mode_lets_the_shell_report_it(tmp_path: Path) -> None:
    status, err, calls = _wrap(["install", "x"], _debian_env(tmp_path, PATH=str(tmp_path)), check_only=True)
    assert (status, err, calls) == (GO, "", [])


# --- CMD101 --------------------------------------------------------------------------------

FLAGGED = [
    pytest.param("requests", id="bare"),
    pytest.param("requests>=2", id="floor"),
    pytest.param("requests~=2.32.0", id="compatible"),
    pytest.param("urllib3==2.*", id="wildcard"),
    pytest.param("Django[argon2]<5", id="extras-upper-bound"),
]
LEFT_ALONE = [
    pytest.param("requests==2.32.3", id="exact"),
    pytest.param("requests===2.32.3", id="arbitrary-equality"),
    pytest.param(".", id="project"),
    pytest.param("./lib", id="relative-dir"),
    pytest.param("dist/x-1.0-py3-none-any.whl", id="wheel-file"),
    pytest.param("x @ https://example.org/x-1.0.tar.gz", id="direct-reference"),
    pytest.param("git+https://github.com/o/r@abc", id="vcs-url"),
    pytest.param("pip", id="bootstrap-pip"),
    pytest.param("setuptools>=70", id="bootstrap-setuptools"),
    pytest.param("not a requirement!", id="invalid-left-to-pip"),
]


@pytest.mark.parametrize("spec", FLAGGED)
def test_cmd101_flags(spec: str) -> None:
    findings = unpinned_install_args([spec])
    assert [(f.code, f.message) for f in findings] == [("CMD101", f"`{spec}` is not pinned to one version")]


@pytest.mark.parametrize("spec", LEFT_ALONE)
def test_cmd101_leaves_alone(spec: str) -> None:
    assert unpinned_install_args([spec]) == []


@pytest.mark.parametrize(
    "spec",
    ["requests", "Requests", "zope.interface", "a_b-c.d", "x==1", "x==1.2.3", "Foo_Bar==2.0.10", "x-==1", "-x", "x.", "9==9"],
)
def test_cmd101_fast_path_agrees_with_packaging(spec: str) -> None:
    from guard.pipcalls.specs import _packaging_verdict
    from guard.pipcalls.specs import fast_verdict as _fast_verdict

    fast = _fast_verdict(spec)
    if fast is not None:
        assert fast == _packaging_verdict(spec)


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"GUARD_PIP_ON_BLOCK": "block"},
        {"GUARD_PIP_ON_BLOCK": " ask ", "GUARD_PIP_ON_WARN": "block"},
        {"GUARD_PIP_CHECK_INSTALLS": "off"},
        {"GUARD_PIP_CHECK_INSTALLS": "Yes", "GUARD_PIP_ON_WARN": "auto"},
        {"GUARD_PIP_ON_BLOCK": "Block"},
        {"GUARD_PIP_CHECK_INSTALLS": "maybe"},
    ],
)
def test_env_only_modes_agree_with_guard_config(env: Dict[str, str], tmp_path: Path) -> None:
    from guard.config import ConfigError, load_settings

    (tmp_path / ".git").mkdir()  # stop the walk: no [tool.guard] in reach
    lines: List[str] = []
    ours = load_modes(env, str(tmp_path), lines.append)
    try:
        settings = load_settings(cwd=str(tmp_path), environ=env)
    except ConfigError:
        assert (ours, len(lines)) == (("auto", "warn", True), 1)
    else:
        assert (ours, lines) == ((settings.pip_on_block, settings.pip_on_warn, settings.pip_check_installs), [])


def test_explain_pyenv_failure_shows_pyenvs_first_line(tmp_path: Path) -> None:
    """`guard pip --explain --as pip3.9` under pyenv 3.13.0: pyenv's first line, not its advice."""
    import io

    from guard.cli.pip import run

    root = "/root/.pyenv"
    if not os.path.exists(f"{root}/shims/pip3.9"):
        pytest.skip("pyenv with a 3.9 is not installed here")
    env = {
        "PATH": f"{root}/shims:/usr/bin:/bin",
        "PYENV_ROOT": root,
        "PYENV_VERSION": "3.13.0",
        "HOME": str(tmp_path),
        "GUARD_CACHE_DIR": str(tmp_path / "cache"),
    }
    out, err = io.StringIO(), io.StringIO()
    code = run(pip_argv=["install", "x"], explain=True, command_name="pip3.9", environ=env, stdout=out, stderr=err, cwd=str(tmp_path))
    assert (code, out.getvalue(), err.getvalue()) == (
        2,
        "",
        f"guard: `{root}/libexec/pyenv which pip3.9` failed: pyenv: pip3.9: command not found\n",
    )


def _decision_for(argv: list[str], **interp: Any) -> Decision:
    return decide(parse_pip_argv(argv), DISTRO, facts(**interp), pip="/usr/bin/pip", cwd="/work", argv=argv)


def test_the_suggestion_is_the_users_command_less_what_leaves_the_venv() -> None:
    argv = [
        "install", "--user", "requests==2.0", "--index-url", "https://x/simple", "--upgrade", "--no-deps", "-c", "c.txt",
        "--pre", "--extra-index-url=https://y/simple", "--uploaded-prior-to", "P3D", "--brea", "--group", "test",
    ]  # fmt: skip
    (venv, _pipx) = _decision_for(argv).suggestions
    assert venv == (
        "python3 -m venv .venv && .venv/bin/python -m pip install requests==2.0 --index-url https://x/simple --upgrade"
        " --no-deps -c c.txt --pre --extra-index-url=https://y/simple --uploaded-prior-to P3D --group test"
        "   # without --user --brea"
    )


def test_the_suggestion_on_windows_uses_windows_paths_and_quoting() -> None:
    (venv, pipx) = _decision_for(["install", "my pkg==1.0"], os_name="nt", platform="win32").suggestions
    assert venv == 'py -m venv .venv; .venv\\Scripts\\python.exe -m pip install "my pkg==1.0"'
    assert pipx == 'pipx install "my pkg==1.0"   # for a command-line tool'


def _pip_reading(argv: list[str]) -> tuple[dict[str, Any], list[str]]:
    from pip._internal.commands import create_command

    command = create_command(argv[0])
    options, args = command.parse_args(list(argv[1:]))
    return vars(options), args


def _command_lines(count: int) -> list[list[str]]:
    import random

    rng = random.Random(12)
    options = [
        ["--upgrade"], ["-U"], ["--no-deps"], ["--pre"], ["--user"], ["--break-system-packages"], ["--brea"],
        ["--index-url", "https://x/simple"], ["-i", "https://x/simple"], ["--extra-index-url=https://y/simple"],
        ["-c", "c.txt"], ["--constraint", "c.txt"], ["-r", "r.txt"], ["--requirement=r.txt"], ["--no-cache-dir"],
        ["--prefix", "/usr/local"], ["--root", "/"], ["-q"], ["-v"], ["--only-binary", ":all:"], ["--no-binary=:none:"],
        ["--find-links", "./wheels"], ["-f", "./w"], ["--upgrade-strategy", "eager"], ["--force-reinstall"],
        ["--trusted-host", "x"], ["--timeout", "60"], ["--retries=3"], ["--ignore-installed"], ["--no-build-isolation"],
    ]  # fmt: skip
    specs = ["requests", "flask==3.0.3", "numpy>=1.26", "pkg[extra]==1.0", "./local", "git+https://h/o/r@v1#egg=r", "it's==1"]
    lines = []
    for _ in range(count):
        words = ["install"]
        for _ in range(rng.randint(0, 6)):
            words += rng.choice(options) if rng.random() < 0.6 else [rng.choice(specs)]
        if rng.random() < 0.3:
            words = ["--python", "/usr/bin/python3", *words]
        lines.append(words)
    return lines


def test_pips_own_parser_reads_the_suggestion_as_the_command_less_what_it_names() -> None:
    import shlex

    from guard.pipcalls.pipargs import without_options

    compared = 0
    for argv in _command_lines(300):
        suggestion = _decision_for(argv).suggestions[0]
        command, _, _comment = suggestion.partition("   # without ")
        words = shlex.split(command)
        suggested = words[words.index("pip") + 1 :]
        expected, _removed = without_options(argv, ("--python", "--user", "--break-system-packages", "--prefix", "--root"))
        if expected and expected[0] != "install":
            continue  # the case of `--python X install`: pip reads from the subcommand on
        assert _pip_reading(suggested) == _pip_reading(expected), (argv, suggestion)
        original, _ = _pip_reading([word for word in argv if word not in ("--python", "/usr/bin/python3")])
        reading, _ = _pip_reading(suggested)
        for dest in ("use_user_site", "override_externally_managed", "prefix_path", "root_path"):
            original.pop(dest, None), reading.pop(dest, None)
        assert reading == original, (argv, suggestion)
        compared += 1
    assert compared == 300
