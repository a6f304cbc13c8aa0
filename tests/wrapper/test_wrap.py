"""`guard pip -- ...` run as a command: exec of the real pip, statuses, --explain."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional

import pytest
from wrapper_helpers import DEBIAN_MARKER, FAKE_PIP, REPO, base_env, read_log, slow_probe_venv

from guard.wrapper.wrap import time_budget

WEIRD = ["install", "a b", 'q"uote', "it's", "", "ünï", "$HOME", "*", "-x", "tab\there"]


def guard(guard_bin: Path, args: List[str], env: Dict[str, str], cwd: Path) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(
        [str(guard_bin / "guard"), *args], env=env, cwd=str(cwd), capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300
    )


@pytest.fixture()
def env(tmp_path: Path, guard_bin: Path, fake_pip: Path, cache_dir: Path) -> Dict[str, str]:
    environment = base_env(tmp_path, cache_dir, [str(fake_pip), str(guard_bin), "/usr/bin", "/bin"])
    environment.update(FAKE_PIP_LOG=str(tmp_path / "pip.log"), GUARD_PIP_CHECK_INSTALLS="0")
    return environment


def test_exec_passes_argv_and_status(env: Dict[str, str], guard_bin: Path, fake_pip: Path, tmp_path: Path) -> None:
    env.update(FAKE_PIP_EXIT="9", GUARD_PIP_ON_BLOCK="warn")
    result = guard(guard_bin, ["pip", "--as", "pip3", "--", *WEIRD], env, tmp_path)
    assert result.returncode == 9
    assert result.stderr.splitlines()[-1] == "guard: running pip anyway (warn mode)"
    # argv[0] is the name typed; the child knows it runs under guard (no recursion)
    assert read_log(tmp_path / "pip.log") == [{"argv": [str(fake_pip / "pip3"), *WEIRD], "active": "1"}]


def test_exec_leaves_signals_to_pip(env: Dict[str, str], guard_bin: Path, fake_pip: Path, tmp_path: Path) -> None:
    (fake_pip / "pip").write_text("#!/usr/bin/python3\nimport os, signal\nos.kill(os.getpid(), signal.SIGTERM)\n")
    result = guard(guard_bin, ["pip", "--", "list"], env, tmp_path)
    assert (result.returncode, result.stderr) == (-15, "")


def test_nested_call_is_not_checked_again(env: Dict[str, str], guard_bin: Path, tmp_path: Path) -> None:
    env.update(GUARD_PIP_ACTIVE="1", GUARD_PIP_ON_BLOCK="block")
    result = guard(guard_bin, ["pip", "--", "install", "x"], env, tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert [entry["argv"][1:] for entry in read_log(tmp_path / "pip.log")] == [["install", "x"]]


def test_block_in_exec_mode(env: Dict[str, str], guard_bin: Path, tmp_path: Path) -> None:
    env.update(GUARD_PIP_ON_BLOCK="block")
    result = guard(guard_bin, ["pip", "--", "install", "x"], env, tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "guard: blocked; pip was not run (GUARD_ALLOW=1 for one call, or GUARD_PIP_ON_BLOCK=warn)"
    assert read_log(tmp_path / "pip.log") == []


def test_missing_pip(env: Dict[str, str], guard_bin: Path, tmp_path: Path) -> None:
    result = guard(guard_bin, ["pip", "--as", "pip3.14", "--", "install", "x"], env, tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (127, "", "pip3.14: command not found\n")


def test_install_into_a_venv_that_is_not_activated(tmp_path: Path, guard_bin: Path, venv: Path, wheelhouse: Path, cache_dir: Path) -> None:
    env = base_env(tmp_path, cache_dir, [str(venv / "bin"), str(guard_bin), "/usr/bin", "/bin"])
    env["GUARD_PIP_ON_BLOCK"] = env["GUARD_PIP_ON_WARN"] = "block"
    args = ["pip", "--", "install", "-q", "--no-index", "--find-links", str(wheelhouse), "guardtiny==0.1"]
    result = guard(guard_bin, args, env, tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    check = subprocess.run([str(venv / "bin" / "python"), "-c", "import guardtiny; print(guardtiny.VALUE)"], capture_output=True, text=True)
    assert check.stdout == "guardtiny 0.1\n"
    subprocess.run([str(venv / "bin" / "pip"), "uninstall", "-q", "-y", "guardtiny"], check=True, env=env)


def test_unpinned_note_and_requirement_file(env: Dict[str, str], guard_bin: Path, tmp_path: Path) -> None:
    env.update(GUARD_PIP_ON_BLOCK="warn", GUARD_PIP_CHECK_INSTALLS="1")
    (tmp_path / "req.txt").write_text("requests\nidna==3.7\n")
    result = guard(guard_bin, ["pip", "--", "install", "-r", "req.txt", "flask", "click==8.1.7"], env, tmp_path)
    lines = result.stderr.splitlines()
    assert result.returncode == 0
    assert "guard: CMD101 `flask` is not pinned to one version" in lines
    assert any(line.startswith("guard: ") and "req.txt:1:1:" in line and "requests" in line for line in lines), lines


def test_check_installs_off(env: Dict[str, str], guard_bin: Path, tmp_path: Path) -> None:
    env.update(GUARD_PIP_ON_BLOCK="warn", GUARD_PIP_CHECK_INSTALLS="0")
    result = guard(guard_bin, ["pip", "--", "install", "flask"], env, tmp_path)
    assert not any("CMD101" in line for line in result.stderr.splitlines())


@pytest.mark.skipif(not DEBIAN_MARKER.exists(), reason="needs Debian's marked /usr/bin/python3")
def test_explain_json_replays_a_facts_file(tmp_path: Path, guard_bin: Path) -> None:
    from guard.environment.facts import probe_facts

    # a private probe cache: the cache key does not include HOME, which the user site follows
    env = base_env(tmp_path, tmp_path / "cache", [str(guard_bin), "/usr/bin", "/bin"])
    facts_file = tmp_path / "facts.json"
    facts_file.write_text(json.dumps(probe_facts("/usr/bin/python3", env, cwd=str(tmp_path))))
    env["PATH"] = str(tmp_path)  # no pip at all: the recorded environment is all that is judged
    args = ["pip", "--explain", "--format", "json", "--facts", str(facts_file), "--", "install", "--user", "requests"]
    result = guard(guard_bin, args, env, tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    document = json.loads(result.stdout)
    assert {k: document[k] for k in ("verdict", "plain_verdict", "kind", "interpreter", "subcommand", "overridden", "mode", "action")} == {
        "verdict": "block",
        "plain_verdict": "block",
        "kind": "distro",
        "interpreter": "/usr/bin/python3",
        "subcommand": "install",
        "overridden": False,
        "mode": "auto",
        "action": "ask y/N on a terminal, else warn and run pip",
    }
    assert document["destination"]["user_site"].startswith(str(tmp_path / "home" / ".local" / "lib" / "python3.11"))
    assert [f["code"] for f in document["findings"]] == ["CMD101"]
    assert document["command"] == ["pip", "install", "--user", "requests"]


def test_explain_text(env: Dict[str, str], guard_bin: Path, fake_pip: Path, tmp_path: Path) -> None:
    result = guard(guard_bin, ["pip", "--explain", "--", "install", "--target", "vendor", "x==1"], env, tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines()[2:] == [
        f"  files:   {tmp_path / 'vendor'} (a plain directory)",
        "  why:     `--target vendor` installs into a plain directory, not into an environment",
        "  action:  run pip (mode run)",
    ]
    assert read_log(tmp_path / "pip.log") == []


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--as", "pip3", "--explain", "--", "install", "x==1"], id="options-then-double-dash"),
        pytest.param(["--as=pip3", "--explain", "install", "x==1"], id="equals-and-no-double-dash"),
    ],
)
def test_main_argv_fast_entry(
    args: List[str],
    env: Dict[str, str],
    fake_pip: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from guard.cli.pip import main_argv

    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)
    assert main_argv(args) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "guard: `pip3 install` would change Debian GNU/Linux's system Python 3.11 [block]"
    assert out[-1] == "  action:  ask y/N on a terminal, else warn and run pip (mode auto)"


def test_exec_mode_budget_runs_pip_without_guards_timers(tmp_path: Path, guard_bin: Path, cache_dir: Path) -> None:
    # pip runs longer than the budget left: it must not inherit guard's interval timers
    source = FAKE_PIP.replace("sys.exit(", "__import__('time').sleep(2)\nsys.exit(")
    bin_dir = slow_probe_venv(tmp_path, source)
    env = base_env(tmp_path, tmp_path / "cache", [str(bin_dir), str(guard_bin), "/usr/bin", "/bin"])
    env.update(FAKE_PIP_LOG=str(tmp_path / "pip.log"), GUARD_PIP_TIMEOUT="1", FAKE_PIP_EXIT="4")
    result = guard(guard_bin, ["pip", "--", "install", "guardtiny==0.1"], env, tmp_path)
    assert (result.returncode, result.stderr) == (4, "guard: no verdict within 1 s (GUARD_PIP_TIMEOUT); running pip unchecked\n")
    assert [entry["argv"][1:] for entry in read_log(tmp_path / "pip.log")] == [["install", "guardtiny==0.1"]]


def _under_deadline(statement: str) -> "subprocess.CompletedProcess[str]":
    code = f"from guard.wrapper.wrap import _deadline, OutOfTime\ntry:\n    with _deadline(0.5):\n        {statement}\nexcept OutOfTime:\n    print('out of time')\n"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)


def test_the_wall_clock_timer_interrupts_a_runaway_regular_expression() -> None:
    done = _under_deadline("__import__('re').match(r'(a+)+$', 'a' * 64 + 'b')")
    assert (done.returncode, done.stdout) == (0, "out of time\n")


def test_the_cpu_timer_stops_guard_inside_one_long_c_call() -> None:
    # `sum` over a range never returns to Python, so no Python handler can run: the CPU
    # timer's default action ends the process (the shell snippets then run pip)
    done = _under_deadline("sum(range(10**13))")
    assert (done.returncode, done.stdout) == (-signal.SIGPROF, "")


@pytest.mark.parametrize(
    ("value", "budget", "warning"),
    [
        (None, 5.0, ""),
        ("0", 0.0, ""),
        ("2.5", 2.5, ""),
        ("soon", 5.0, "guard: ignoring GUARD_PIP_TIMEOUT='soon' (seconds expected); using 5\n"),
        ("-1", 5.0, "guard: ignoring GUARD_PIP_TIMEOUT='-1' (seconds expected); using 5\n"),
        ("nan", 5.0, "guard: ignoring GUARD_PIP_TIMEOUT='nan' (seconds expected); using 5\n"),
    ],
)
def test_time_budget_setting(value: Optional[str], budget: float, warning: str) -> None:
    err = io.StringIO()
    environ = {} if value is None else {"GUARD_PIP_TIMEOUT": value}
    assert (time_budget(environ, err), err.getvalue()) == (budget, warning)


def test_requirement_files_are_read_as_the_target_pip_reads_them(env: Dict[str, str], guard_bin: Path, tmp_path: Path) -> None:
    # the fake pips run Debian's python3, whose pip is 23.0: `--global-option` is still an
    # option there (pip 25 dropped it), so the wrapper does not call the line an error
    if not DEBIAN_MARKER.exists():
        pytest.skip("needs Debian's /usr/bin/python3 and its pip")
    env.update(GUARD_PIP_ON_BLOCK="warn", GUARD_PIP_CHECK_INSTALLS="1")
    (tmp_path / "req.txt").write_text("idna==3.7 --global-option=--quiet\n")
    result = guard(guard_bin, ["pip", "--", "install", "-r", "req.txt"], env, tmp_path)
    assert result.returncode == 0
    assert [line for line in result.stderr.splitlines() if "req.txt:" in line] == []
    # read as the newest pip (`guard check`), the same line is pip's error
    done = subprocess.run(
        [str(guard_bin / "guard"), "check", "--isolated", "req.txt"], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert "req.txt:1:" in done.stdout and "GRD102" in done.stdout, done.stdout


@pytest.mark.parametrize(
    ("variables", "config", "returncode", "note"),
    [
        pytest.param(
            {"PIP_TARGET": "/tmp/vendor"}, None, 0, "PIP_TARGET=/tmp/vendor sets `target`, as `--target /tmp/vendor` would", id="PIP_TARGET"
        ),
        pytest.param(
            {},
            "[install]\ntarget = /tmp/vendor\n",
            0,
            "{config} [install] sets `target`, as `--target /tmp/vendor` would",
            id="pip.conf target",
        ),
        pytest.param(
            {"PIP_PREFIX": "/opt/tools"}, None, 0, "PIP_PREFIX=/opt/tools sets `prefix`, as `--prefix /opt/tools` would", id="PIP_PREFIX"
        ),
        pytest.param({"PIP_USER": "1"}, None, 1, "PIP_USER=1 sets `user`, as `--user` would", id="PIP_USER"),
    ],
)
def test_destinations_from_pip_configuration_count_as_the_flags(
    env: Dict[str, str], guard_bin: Path, tmp_path: Path, variables: Dict[str, str], config: Optional[str], returncode: int, note: str
) -> None:
    if not DEBIAN_MARKER.exists():
        pytest.skip("needs Debian's /usr/bin/python3 with its EXTERNALLY-MANAGED marker")
    env.update(GUARD_PIP_ON_BLOCK="block", GUARD_PIP_ON_WARN="block", **variables)
    if config is not None:
        (tmp_path / "pip.conf").write_text(config)
        env["PIP_CONFIG_FILE"] = str(tmp_path / "pip.conf")
    result = guard(guard_bin, ["pip", "--explain", "--", "install", "guardtiny==0.1"], env, tmp_path)
    assert f"  note:    {note.format(config=tmp_path / 'pip.conf')}" in result.stdout.splitlines(), result.stdout
    assert ("[block]" in result.stdout.splitlines()[0]) is (returncode == 1)
