"""Replays are hermetic: `guard pip --explain --facts F` and `guard env --facts F` read the
recording only, never the replaying machine's `PIP_*` variables, pip.conf files, PATH or
working directory. `guard pip --dump-facts` records what a call would be judged by."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Tuple

import pytest
from wrapper_helpers import DEBIAN_MARKER, DEBIAN_PIP, REPO

ENVIRONMENT_FACTS = REPO / "tests" / "environment" / "facts"
WRAPPER_FACTS = REPO / "tests" / "wrapper" / "facts"
SCENARIOS = sorted([*ENVIRONMENT_FACTS.glob("*.json"), *WRAPPER_FACTS.glob("*.json")])

# `pip install requests==1.0` replayed on a clean machine, per recorded scenario: the verdicts
# the recordings had before replays became hermetic (recordings without a `pip` section).
RECORDED_VERDICTS = {
    "apple-clt-sudo": "block",
    "apple-clt": "block",
    "apple-system-py2": "block",
    "apple-xcode": "block",
    "homebrew-arm": "block",
    "homebrew-intel-cellar-unmarked": "block",
    "homebrew-venv": "ok",
    "linux-asdf": "warn",
    "linux-ci-toolcache-no-ci": "warn",
    "linux-ci-toolcache": "info",
    "linux-conda-root-env": "warn",
    "linux-container-system": "info",
    "linux-linuxbrew": "block",
    "linux-local-build": "warn",
    "linux-mise": "warn",
    "linux-nix": "block",
    "linux-other-global": "warn",
    "linux-pixi-env": "ok",
    "linux-pre-commit-venv": "warn",
    "linux-uv-tool": "warn",
    "linux-venv-sudo": "warn",
    "linux-venv-system-site": "ok",
    "macos-app-embedded": "block",
    "macos-conda-base": "warn",
    "macos-conda-env": "ok",
    "macos-pipx-venv": "warn",
    "macos-pyenv": "warn",
    "macos-python-org-freethreaded": "warn",
    "macos-python-org-venv": "ok",
    "macos-python-org": "warn",
    "macos-uv-managed": "block",
    "macports": "block",
    "windows-ci-toolcache": "info",
    "windows-conda-base": "warn",
    "windows-msys2": "block",
    "windows-pymanager": "warn",
    "windows-python-org-allusers": "warn",
    "windows-python-org-user": "warn",
    "windows-store": "warn",
    "windows-venv": "ok",
    # recorded with `guard pip --dump-facts` (a `pip` section): what pip read there counts
    "debian-pip-conf-break-system-packages": "warn",
    "debian-pip-target-variable": "info",
    "debian-user-pip-conf-user": "block",
}

Run = Tuple[int, str, str]


def run_guard(args: List[str], env: Dict[str, str], cwd: Path) -> Run:
    done = subprocess.run(
        [sys.executable, "-m", "guard", *args],
        env=env,
        cwd=str(cwd),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )
    return done.returncode, done.stdout, done.stderr


def clean_env(tmp: Path) -> Dict[str, str]:
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "GUARD_CACHE_DIR": str(tmp / "cache")}


def hostile_env(tmp: Path) -> Dict[str, str]:
    """Everything pip would read, set to change a verdict: variables, a pip.conf, another
    pip first on PATH (plus a python3, for `guard env`)."""
    fake = tmp / "hostile-bin"
    fake.mkdir(exist_ok=True)
    for name in ("pip", "pip3", "python3"):
        (fake / name).write_text("#!/bin/sh\necho hostile\n")
        (fake / name).chmod(0o755)
    conf = tmp / "hostile.conf"
    conf.write_text("[global]\nbreak-system-packages = true\n[install]\ntarget = /tmp/hostile-target\nuser = yes\n")
    env = clean_env(tmp)
    env.update(
        PATH=f"{fake}:/usr/bin:/bin",
        PIP_BREAK_SYSTEM_PACKAGES="1",
        PIP_TARGET="/tmp/x",
        PIP_USER="1",
        PIP_CONFIG_FILE=str(conf),
    )
    return env


@pytest.fixture(scope="module")
def machines(tmp_path_factory: pytest.TempPathFactory) -> Tuple[Tuple[Dict[str, str], Path], Tuple[Dict[str, str], Path]]:
    """((environment, cwd) of a clean machine, the same of a hostile one)."""
    tmp = tmp_path_factory.mktemp("replay")
    clean_cwd, hostile_cwd = tmp / "clean-cwd", tmp / "hostile-cwd"
    clean_cwd.mkdir()
    hostile_cwd.mkdir()
    return (clean_env(tmp), clean_cwd), (hostile_env(tmp), hostile_cwd)


def test_every_scenario_has_its_verdict() -> None:
    assert {path.stem for path in SCENARIOS} == set(RECORDED_VERDICTS)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[path.stem for path in SCENARIOS])
def test_a_replay_reads_nothing_of_the_replaying_machine(scenario: Path, machines: Tuple[Tuple[Dict[str, str], Path], ...]) -> None:
    (clean, clean_cwd), (hostile, hostile_cwd) = machines
    explain = ["pip", "--explain", "--format", "json", "--facts", str(scenario), "--", "install", "requests==1.0"]
    on_clean = run_guard(explain, clean, clean_cwd)
    assert on_clean[0] == 0, on_clean
    assert json.loads(on_clean[1])["verdict"] == RECORDED_VERDICTS[scenario.stem]
    assert run_guard(explain, hostile, hostile_cwd) == on_clean
    env_report = ["env", "--facts", str(scenario)]
    assert run_guard(env_report, hostile, hostile_cwd) == run_guard(env_report, clean, clean_cwd)


def test_the_hostile_machine_is_hostile_live(machines: Tuple[Tuple[Dict[str, str], Path], ...]) -> None:
    # what the replays above ignore does change a live call: each source is read live
    if not DEBIAN_MARKER.exists():
        pytest.skip("needs Debian's /usr/bin/python3 with its EXTERNALLY-MANAGED marker")
    (_, _), (hostile, hostile_cwd) = machines
    hostile = {**hostile, "PATH": "/usr/bin:/bin"}
    code, out, err = run_guard(["pip", "--explain", "--", "install", "requests==1.0"], hostile, hostile_cwd)
    conf = hostile["PIP_CONFIG_FILE"]
    assert (code, err) == (0, "")
    assert [line for line in out.splitlines() if line.startswith(("guard: `", "  files:", "  note:"))] == [
        "guard: `pip install` runs under Debian GNU/Linux's system Python 3.11 but leaves it unchanged [info]",
        "  files:   /tmp/x (a plain directory)",
        "  note:    PIP_TARGET=/tmp/x sets `target`, as `--target /tmp/x` would",
        "  note:    PIP_USER=1 sets `user`, as `--user` would",
    ]
    assert f"{conf} [install]" not in out  # PIP_TARGET and PIP_USER beat the file's values


def _explain_lines(facts: Path, argv: List[str], env: Dict[str, str], cwd: Path) -> List[str]:
    code, out, err = run_guard(["pip", "--explain", "--facts", str(facts), "--", *argv], env, cwd)
    assert (code, err) == (0, "")
    return out.splitlines()


def test_recorded_configuration_counts_as_live(machines: Tuple[Tuple[Dict[str, str], Path], ...]) -> None:
    # item 3 in replays: the recorded PIP_TARGET and pip.conf values, as the flags would
    (clean, cwd), _ = machines
    assert _explain_lines(WRAPPER_FACTS / "debian-pip-target-variable.json", ["install", "x==1"], clean, cwd) == [
        "guard: `pip install` runs under Debian GNU/Linux's system Python 3.11 but leaves it unchanged [info]",
        "  python:  /usr/bin/python3 (distro)",
        "  files:   /tmp/vendor (a plain directory)",
        "  why:     `--target /tmp/vendor` installs into a plain directory, not into an environment",
        "  note:    PIP_TARGET=/tmp/vendor sets `target`, as `--target /tmp/vendor` would",
        "  action:  run pip (mode run)",
    ]
    user_conf = WRAPPER_FACTS / "debian-user-pip-conf-user.json"
    lines = _explain_lines(user_conf, ["install", "x==1"], clean, cwd)
    assert "  note:    /tmp/guard-rec/home/.config/pip/pip.conf [install] sets `user`, as `--user` would" in lines
    assert (
        lines[2]
        == "  files:   /tmp/guard-rec/home/.local/lib/python3.11/site-packages (user site), scripts in /tmp/guard-rec/home/.local/bin"
    )
    # `--isolated` skips the user files of the recording, as pip skips them
    isolated = _explain_lines(user_conf, ["--isolated", "install", "x==1"], clean, cwd)
    assert isolated[2] == "  files:   /usr/local/lib/python3.11/dist-packages, scripts in /usr/local/bin"
    assert not any(line.startswith("  note:") for line in isolated)


# --- live: --dump-facts, and one target for `guard env` and the wrapper ----------------------


@pytest.fixture()
def debian_pip() -> str:
    if not (os.path.exists(DEBIAN_PIP) and DEBIAN_MARKER.exists()):
        pytest.skip("needs Debian's /usr/bin/pip and its marked python3")
    return DEBIAN_PIP


def _installed(python: Path) -> List[str]:
    done = subprocess.run([str(python), "-m", "pip", "list", "--format=json"], capture_output=True, text=True, check=True)
    return sorted(entry["name"] for entry in json.loads(done.stdout))


@pytest.mark.parametrize("how", ["PIP_PYTHON", "pip.conf"])
def test_guard_env_and_the_wrapper_choose_the_python_pip_runs_under(
    how: str, debian_pip: str, venv: Path, wheelhouse: Path, tmp_path: Path, machines: Tuple[Tuple[Dict[str, str], Path], ...]
) -> None:
    python = venv / "bin" / "python"
    env = clean_env(tmp_path)
    conf = tmp_path / "pip.conf"
    if how == "PIP_PYTHON":
        env.update(PIP_PYTHON=str(python), PIP_CONFIG_FILE=os.devnull)
        source = f"PIP_PYTHON={python}"
    else:
        conf.write_text(f"[global]\npython = {python}\n")
        env["PIP_CONFIG_FILE"] = str(conf)
        source = f"{conf} [global]"
    code, dumped, err = run_guard(["pip", "--dump-facts", "--", "install", "guardtiny==0.1"], env, tmp_path)
    assert (code, err) == (0, "")
    facts = json.loads(dumped)
    assert facts["target"] == {"how": "pip-python", "spec": str(python), "source": source, "pip": debian_pip}
    assert facts["pip"]["script"] == {"name": "pip", "path": debian_pip, "interpreter": "/usr/bin/python3"}
    assert facts["interpreter"]["executable"] == str(python)
    code, out, err = run_guard(["env", "--format", "json"], env, tmp_path)
    report = json.loads(out)
    assert report["interpreter"] == str(python)
    assert report["target"]["how"] == ("PIP_PYTHON" if how == "PIP_PYTHON" else "pip-config")
    assert report["target"].get("source") == source
    assert report["target"]["via"] == [f"pip re-runs itself under `{python}` ({source})"]
    # from facts: `guard env --dump-facts` recorded the same choice, and replays it
    code, env_dump, err = run_guard(["env", "--dump-facts"], env, tmp_path)
    recorded = tmp_path / "env-facts.json"
    recorded.write_text(env_dump)
    assert json.loads(env_dump)["target"]["source"] == source
    (_, _), (hostile, hostile_cwd) = machines
    replayed = json.loads(run_guard(["env", "--facts", str(recorded), "--format", "json"], hostile, hostile_cwd)[1])
    assert replayed["interpreter"] == str(python)
    # and the real pip agrees: it installs into that venv
    before = _installed(python)
    done = subprocess.run(
        [debian_pip, "install", "-q", "--no-index", "--find-links", str(wheelhouse), "guardtiny==0.1"],
        env={**env, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
        capture_output=True,
        text=True,
    )
    try:
        assert done.returncode == 0, done.stderr
        assert _installed(python) == sorted([*before, "guardtiny"])
    finally:
        subprocess.run([str(python), "-m", "pip", "uninstall", "-q", "-y", "guardtiny"], check=False)


def test_dump_facts_replays_as_the_live_call_under_a_hostile_machine(
    debian_pip: str, tmp_path: Path, machines: Tuple[Tuple[Dict[str, str], Path], ...]
) -> None:
    env = clean_env(tmp_path)
    conf = tmp_path / "pip.conf"
    conf.write_text("[global]\nbreak-system-packages = true\nindex-url = https://user:s3cret@example.invalid/simple\n")
    env.update(PIP_CONFIG_FILE=str(conf), PIP_EXTRA_INDEX_URL="https://me:t0ken@example.invalid/extra")
    argv = ["install", "--upgrade", "guardtiny==0.1"]
    live = run_guard(["pip", "--explain", "--format", "json", "--", *argv], env, tmp_path)
    code, dumped, err = run_guard(["pip", "--dump-facts", "--", *argv], env, tmp_path)
    assert (code, err) == (0, "")
    assert "s3cret" not in dumped and "t0ken" not in dumped  # credentials stay out of a recording
    facts = json.loads(dumped)
    assert facts["guard_facts"] == 2
    assert facts["process"]["cwd"] == str(tmp_path)
    assert facts["pip"]["environ"] == {"PIP_CONFIG_FILE": str(conf), "PIP_EXTRA_INDEX_URL": "https://****@example.invalid/extra"}
    assert facts["pip"]["files"][-1] == {
        "kind": "env",
        "path": str(conf),
        "exists": True,
        "text": "[global]\nbreak-system-packages = true\nindex-url = https://****@example.invalid/simple\n",
        "error": None,
    }
    recorded = tmp_path / "case.json"
    recorded.write_text(dumped)
    (_, _), (hostile, hostile_cwd) = machines
    replayed = run_guard(["pip", "--explain", "--format", "json", "--facts", str(recorded), "--", *argv], hostile, hostile_cwd)
    assert replayed == live
    document = json.loads(live[1])
    assert (document["verdict"], document["overrides"]) == ("warn", [{"source": "pip.conf", "detail": f"{conf} [global]"}])


def test_dump_facts_errors_are_one_line(tmp_path: Path) -> None:
    env = {**clean_env(tmp_path), "PATH": str(tmp_path)}
    assert run_guard(["pip", "--dump-facts", "--", "install", "x"], env, tmp_path) == (127, "", "guard: `pip`: command not found\n")
    facts = str(ENVIRONMENT_FACTS / "apple-clt.json")
    assert run_guard(["pip", "--dump-facts", "--facts", facts, "--", "install", "x"], env, tmp_path) == (
        2,
        "",
        "guard pip: error: --dump-facts records this machine's facts; it cannot read --facts\n",
    )
