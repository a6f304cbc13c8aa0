"""The venv way out without a terminal (`GUARD_PIP_ON_BLOCK=venv`, `on-block = "venv"`), the
Python the project asks for (pyenv's, installed on this machine), a venv that cannot be made,
and `guard env --fix`: real guard, real `python -m venv`, real pip, a wheel the tests build."""

from __future__ import annotations

import glob
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest
from wrapper_helpers import DEBIAN_MARKER, base_env, which

pytestmark = pytest.mark.skipif(not DEBIAN_MARKER.exists(), reason="needs Debian's /usr/bin/python3 with its marker")

DEBIAN_PYTHON = "/usr/bin/python3"
PYENV_ROOT = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")


def _version(python: str) -> str:
    return subprocess.run(
        [python, "-c", "import platform; print(platform.python_version())"], capture_output=True, text=True, check=True
    ).stdout.strip()


def _pyenv_python(minor: str) -> str:
    found = sorted(glob.glob(str(PYENV_ROOT / "versions" / f"{minor}.*" / "bin" / f"python{minor}")))
    if not found:
        pytest.skip(f"no pyenv Python {minor} under {PYENV_ROOT} (the CI image installs 3.9-3.13)")
    return found[-1]


@pytest.fixture()
def env(tmp_path: Path, guard_bin: Path, cache_dir: Path) -> Dict[str, str]:
    environment = base_env(tmp_path, cache_dir, [str(guard_bin), "/usr/bin", "/bin"])
    environment.update(GUARD_PIP_CHECK_INSTALLS="0", GUARD_PIP_ON_BLOCK="venv", PYENV_ROOT=str(PYENV_ROOT))
    return environment


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    directory = tmp_path / "proj"
    directory.mkdir()
    (directory / "pyproject.toml").write_text('[project]\nname = "proj"\nversion = "0"\n', encoding="utf-8")
    return directory


def _install(wheelhouse: Path) -> List[str]:
    return ["install", "--no-index", "--find-links", str(wheelhouse), "guardtiny==0.1"]


def _pip_output(wheelhouse: Path) -> List[str]:
    return [
        f"Looking in links: {wheelhouse}",
        f"Processing {wheelhouse}/guardtiny-0.1-py3-none-any.whl",
        "Installing collected packages: guardtiny",
        "Successfully installed guardtiny-0.1",
    ]


def _guard(guard_bin: Path, argv: List[str], env: Dict[str, str], cwd: Path) -> "subprocess.CompletedProcess[str]":
    return subprocess.run([str(guard_bin / "guard"), *argv], env=env, cwd=str(cwd), capture_output=True, text=True, timeout=600)


def _guard_lines(stderr: str) -> List[str]:
    """guard's own lines after the decision's message (those start with two spaces)."""
    lines = stderr.splitlines()
    return [line for line in lines if line.startswith("guard: ") and not line.startswith("guard: `pip")]


def _python_in(venv: Path, env: Dict[str, str], code: str) -> Tuple[int, str]:
    done = subprocess.run([str(venv / "bin" / "python"), "-c", code], env=env, capture_output=True, text=True)
    return done.returncode, (done.stdout or (done.stderr.strip().splitlines() or [""])[-1]).strip()


def test_on_block_venv_installs_without_asking(env: Dict[str, str], guard_bin: Path, project: Path, wheelhouse: Path) -> None:
    env["SHELL"] = "/usr/bin/fish"
    result = _guard(guard_bin, ["pip", "--", "install", "--user", *_install(wheelhouse)[1:]], env, project)
    venv = project / ".venv"
    version = _version(DEBIAN_PYTHON)
    assert (result.returncode, result.stdout.splitlines(), _guard_lines(result.stderr)) == (
        0,
        _pip_output(wheelhouse),
        [
            f"guard: creating {venv} with {DEBIAN_PYTHON} (Python {version})",
            f"guard: running {venv}/bin/python -m pip {' '.join(_install(wheelhouse))}   # without --user",
            "guard: activate the venv in this shell with: source .venv/bin/activate.fish",
        ],
    )
    assert _python_in(venv, env, "import guardtiny; print(guardtiny.VALUE)") == (0, "guardtiny 0.1")
    assert not (Path(env["HOME"]) / ".local").exists()  # `--user` went nowhere


def test_on_block_venv_from_pyproject_through_the_bash_snippet(env: Dict[str, str], project: Path, wheelhouse: Path) -> None:
    bash = which("bash")
    del env["GUARD_PIP_ON_BLOCK"]
    (project / "pyproject.toml").write_text('[project]\nname = "proj"\n\n[tool.guard.pip]\non-block = "venv"\n', encoding="utf-8")
    (project / "src").mkdir()
    script = "\n".join(['eval "$(guard shell-init bash)"', "pip " + " ".join(shlex.quote(a) for a in _install(wheelhouse)), 'echo "rc=$?"'])
    done = subprocess.run(
        [bash, "--norc", "--noprofile", "-c", script], env=env, cwd=str(project / "src"), capture_output=True, text=True, timeout=600
    )
    venv = project / ".venv"  # the project root's, not the current directory's
    assert (done.stdout.splitlines(), _guard_lines(done.stderr)[-1]) == (
        [*_pip_output(wheelhouse), "rc=0"],
        f"guard: activate the venv in this shell with: source {venv}/bin/activate",
    )
    assert _python_in(venv, env, "import guardtiny; print(guardtiny.VALUE)") == (0, "guardtiny 0.1")


@pytest.mark.parametrize(
    ("files", "minor"),
    [
        pytest.param({".python-version": "3.12\n"}, "3.12", id="python-version"),
        pytest.param({"pyproject.toml": '[project]\nname = "proj"\nrequires-python = ">=3.13"\n'}, "3.13", id="requires-python"),
    ],
)
def test_the_project_chooses_a_pyenv_python(
    env: Dict[str, str], guard_bin: Path, project: Path, wheelhouse: Path, files: Dict[str, str], minor: str
) -> None:
    python = _pyenv_python(minor)
    for name, text in files.items():
        (project / name).write_text(text, encoding="utf-8")
    result = _guard(guard_bin, ["pip", "--", *_install(wheelhouse)], env, project)
    venv = project / ".venv"
    assert (result.returncode, _guard_lines(result.stderr)[0]) == (0, f"guard: creating {venv} with {python} (Python {_version(python)})")
    code = "import sys, guardtiny; print('%d.%d' % sys.version_info[:2], guardtiny.VALUE)"
    assert _python_in(venv, env, code) == (0, f"{minor} guardtiny 0.1")


def test_a_python_version_not_found_falls_back_to_the_blocked_python(
    env: Dict[str, str], guard_bin: Path, project: Path, wheelhouse: Path
) -> None:
    (project / ".python-version").write_text("3.42\n", encoding="utf-8")
    result = _guard(guard_bin, ["pip", "--", *_install(wheelhouse)], env, project)
    venv = project / ".venv"
    assert (result.returncode, _guard_lines(result.stderr)[:2]) == (
        0,
        [
            f"guard: creating {venv} with {DEBIAN_PYTHON} (Python {_version(DEBIAN_PYTHON)})",
            "guard: note: .python-version asks for Python 3.42: not found on this machine",
        ],
    )


def test_a_dot_venv_that_is_no_venv_is_left_alone(env: Dict[str, str], guard_bin: Path, project: Path, wheelhouse: Path) -> None:
    (project / ".venv").mkdir()
    (project / ".venv" / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = _guard(guard_bin, ["pip", "--", *_install(wheelhouse)], env, project)
    assert (result.returncode, result.stdout, _guard_lines(result.stderr)) == (
        1,
        "",
        [
            f"guard: no venv way out ({project}/.venv exists and is not a venv (no pyvenv.cfg)); blocked; pip was not run"
            " (GUARD_ALLOW=1 for one call)"
        ],
    )
    assert sorted(os.listdir(project / ".venv")) == ["notes.txt"]


# Debian's python3 here has python3-venv (so ensurepip): its failure without it is played by
# a stand-in that prints what Debian's venv module prints then (and leaves the half-made
# venv behind, as Debian's does).
STAND_IN = """#!/bin/sh
case "$*" in
  *"-m venv"*)
    mkdir -p "$3/bin" && echo "home = /usr/bin" > "$3/pyvenv.cfg"
    cat <<'EOF'
The virtual environment was not created successfully because ensurepip is not
available.  On Debian/Ubuntu systems, you need to install the python3-venv
package using the following command.

    apt install python3.11-venv

You may need to use sudo with that command.  After installing the python3-venv
package, recreate your virtual environment.

Failing command: $3/bin/python3

EOF
    exit 1 ;;
  *) echo 3.11.2 ;;
esac
"""


@pytest.mark.parametrize("through", ["guard-pip", "bash-snippet"])
def test_a_venv_that_cannot_be_made_stops_with_one_line(
    env: Dict[str, str], guard_bin: Path, project: Path, wheelhouse: Path, tmp_path: Path, through: str
) -> None:
    stand_in = tmp_path / "debian" / "python3.11"
    stand_in.parent.mkdir()
    stand_in.write_text(STAND_IN)
    stand_in.chmod(0o755)
    (project / ".python-version").write_text(f"{stand_in}\n", encoding="utf-8")
    if through == "guard-pip":
        result = _guard(guard_bin, ["pip", "--", *_install(wheelhouse)], env, project)
        status, out, err = result.returncode, result.stdout, result.stderr
    else:
        script = 'eval "$(guard shell-init bash)"\npip ' + " ".join(shlex.quote(a) for a in _install(wheelhouse)) + '\necho "rc=$?"'
        done = subprocess.run(
            [which("bash"), "--norc", "--noprofile", "-c", script], env=env, cwd=str(project), capture_output=True, text=True
        )
        status, out, err = done.returncode, done.stdout, done.stderr
    venv = project / ".venv"
    assert (status, out, _guard_lines(err)) == (
        1 if through == "guard-pip" else 0,
        "" if through == "guard-pip" else "rc=1\n",
        [
            f"guard: creating {venv} with {stand_in} (Python 3.11.2)",
            f"guard: could not create {venv} with {stand_in}: ensurepip is not available"
            " (install it with `apt install python3.11-venv`); pip was not run",
        ],
    )
    assert not venv.exists()  # the half-made venv is gone: a second try starts afresh


def test_venv_mode_is_for_blocked_calls_only(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.guard.pip]\non-warn = "venv"\n', encoding="utf-8")
    (tmp_path / "requirements.txt").write_text("requests==1.0\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "guard", "check"], cwd=str(tmp_path), capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (
        2,
        f"guard: configuration error: {tmp_path / 'pyproject.toml'} [tool.guard]: pip.on-warn: expected one of auto, ask, warn, block, got 'venv'\n",
    )


# --- guard env --fix -------------------------------------------------------------------------


def _env_fix(cwd: Path, env: Dict[str, str], python: Optional[str] = None) -> "subprocess.CompletedProcess[str]":
    argv = [sys.executable, "-m", "guard", "env", *(["--python", python] if python else []), "--fix"]
    return subprocess.run(argv, env=env, cwd=str(cwd), capture_output=True, text=True, timeout=600)


def test_env_fix_makes_the_advised_venv_then_reuses_it(env: Dict[str, str], project: Path) -> None:
    env["SHELL"] = "/bin/bash"
    venv = project / ".venv"
    first = _env_fix(project, env)
    assert (first.returncode, first.stdout, first.stderr) == (
        0,
        "source .venv/bin/activate\n",
        f"guard env: creating {venv} with {DEBIAN_PYTHON} (Python {_version(DEBIAN_PYTHON)})\n",
    )
    assert (venv / "pyvenv.cfg").is_file()
    made = (venv / "pyvenv.cfg").stat().st_mtime_ns
    again = _env_fix(project, env)
    assert (again.returncode, again.stdout, again.stderr) == (
        0,
        "source .venv/bin/activate\n",
        f"guard env: using the project's venv {venv}\n",
    )
    assert (venv / "pyvenv.cfg").stat().st_mtime_ns == made
    # the printed line, evaluated as `eval "$(guard env --fix)"` would
    shell = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", f'eval "{again.stdout.strip()}" && echo "$VIRTUAL_ENV"'],
        env=env,
        cwd=str(project),
        capture_output=True,
        text=True,
    )
    assert shell.stdout == f"{venv}\n"


def test_env_fix_inside_a_venv_says_there_is_nothing_to_make(env: Dict[str, str], project: Path, tmp_path: Path) -> None:
    venv = tmp_path / "elsewhere"
    subprocess.run([DEBIAN_PYTHON, "-m", "venv", "--without-pip", str(venv)], check=True)
    described = subprocess.run(
        [sys.executable, "-m", "guard", "env", "--python", str(venv / "bin" / "python"), "--format", "json"],
        env=env,
        cwd=str(project),
        capture_output=True,
        text=True,
    )
    description = json.loads(described.stdout)["description"]
    result = _env_fix(project, env, str(venv / "bin" / "python"))
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "",
        f"guard env: {description} is fine for a plain `pip install`: no venv to create\n",
    )
    assert not (project / ".venv").exists()


def test_env_fix_refuses_with_recorded_facts(project: Path, env: Dict[str, str]) -> None:
    (project / "facts.json").write_text("{}", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "guard", "env", "--facts", "facts.json", "--fix"], env=env, cwd=str(project), capture_output=True, text=True
    )
    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        "",
        "guard env: error: --fix works on this machine's environment: not with --facts, --dump-facts or --format json\n",
    )


def test_fish_snippet_names_its_shell_and_returns_pips_status(env: Dict[str, str], project: Path, wheelhouse: Path) -> None:
    fish = which("fish")
    env["SHELL"] = "/bin/bash"  # the snippet's GUARD_SHELL wins over the login shell
    quoted = " ".join("'" + a.replace("\\", "\\\\").replace("'", "\\'") + "'" for a in _install(wheelhouse))
    script = "\n".join(
        [
            "guard shell-init fish | source",
            f"pip {quoted}",
            'echo "rc=$status"',
            f"pip {quoted.replace('==0.1', '==9.9')}",
            'echo "rc=$status"',
        ]
    )
    done = subprocess.run([fish, "--no-config", "-c", script], env=env, cwd=str(project), capture_output=True, text=True, timeout=600)
    activate = "guard: activate the venv in this shell with: source .venv/bin/activate.fish"
    assert (done.stdout.splitlines()[-1:], [line for line in _guard_lines(done.stderr) if line == activate]) == (
        ["rc=1"],
        [activate, activate],
    )
    assert done.stdout.splitlines()[:5] == [*_pip_output(wheelhouse), "rc=0"]


def test_explain_names_the_venv_mode(env: Dict[str, str], guard_bin: Path, project: Path) -> None:
    result = _guard(guard_bin, ["pip", "--explain", "--", "install", "guardtiny==0.1"], env, project)
    assert (result.returncode, result.stdout.splitlines()[-1]) == (
        0,
        "  action:  run this install in the project's venv instead (made first if there is none) (mode venv)",
    )


# Runs guard's CLI as the console script does, then lists the way-out modules it imported.
IMPORTS = """
import sys
from guard.cli import main
status = main(sys.argv[1:])
print(__import__("json").dumps([status, sorted(m for m in sys.modules if m.startswith("guard.wrapper.") and "way" in m or m.endswith("venvplan"))]))
"""


@pytest.mark.parametrize("mode", ["auto", "warn"])
def test_an_allowed_or_warned_call_never_imports_the_way_out(tmp_path: Path, mode: str) -> None:
    # auto without a terminal is warn: the plan is made only when there is someone to ask
    environ = base_env(tmp_path, tmp_path / "cache", ["/usr/bin", "/bin"])
    environ["GUARD_PIP_ON_BLOCK"] = mode
    done = subprocess.run(
        [sys.executable, "-c", IMPORTS, "pip", "--check-only", "--", "install", "requests==1.0"],
        env=environ,
        cwd=str(tmp_path),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    assert json.loads(done.stdout.splitlines()[-1]) == [0, []]
