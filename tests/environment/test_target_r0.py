"""R0 without `--python`: guard judges the interpreter behind the `pip` the user would run,
never its own environment just because it runs there (guard may live in another venv and be
called by path)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from guard.environment import resolve as resolve_module
from guard.environment.resolve import resolve_chain
from tests.environment.helpers import DEBIAN_PYTHON, PYENV_ROOT, base_environ, pyenv_python, run_env

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def need(path: str) -> str:
    if not os.path.exists(path):
        pytest.skip(f"{path} is not installed on this machine")
    return path


def guard_cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """guard as a user runs it: this checkout, on the interpreter of its own venv, by path."""
    full = {**env, "PYTHONPATH": REPO}
    return subprocess.run([sys.executable, "-m", "guard", *args], env=full, cwd=str(cwd), capture_output=True, text=True)


def pip_script(directory: Path, python: str, name: str = "pip") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(f"#!{python}\nimport sys\n")
    path.chmod(0o755)
    return path


def test_guard_in_its_own_venv_judges_debians_pip_on_path(tmp_path: Path) -> None:
    # The reviewer's case: `cd /tmp/x; PATH=/usr/bin:/bin /X/.venv/bin/guard env`.
    need(DEBIAN_PYTHON)
    need("/usr/bin/pip")
    env = base_environ(str(tmp_path))
    done = guard_cli(["env", "--format", "json"], env, tmp_path)
    data = json.loads(done.stdout)
    assert (done.returncode, data["kind"], data["verdict"], data["interpreter"]) == (1, "distro", "block", DEBIAN_PYTHON)
    assert data["target"] == {
        "how": "path-pip",
        "spec": "/usr/bin/pip",
        "interpreter": DEBIAN_PYTHON,
        "via": ["`pip` on PATH is `/usr/bin/pip`", "`/usr/bin/pip` starts `/usr/bin/python3`"],
    }
    done = guard_cli(["env", "--require-venv"], env, tmp_path)
    assert (done.returncode, done.stderr) == (
        1,
        "guard env: `/usr/bin/python3` is not a virtual environment: it is Debian GNU/Linux's system Python 3.11 (distro).\n",
    )


def test_pyenv_shims_first_on_path(tmp_path: Path) -> None:
    need(os.path.join(PYENV_ROOT, "shims", "pip"))
    env = base_environ(str(tmp_path), path=f"{PYENV_ROOT}/shims:/usr/bin:/bin", PYENV_VERSION="3.12.1")
    code, out, err = run_env({"output_format": "json"}, env, str(tmp_path))
    data = json.loads(out)
    python = f"{PYENV_ROOT}/versions/3.12.1/bin/python3.12"
    assert (code, err, data["kind"], data["verdict"], data["interpreter"]) == (1, "", "pyenv", "warn", python)
    assert data["target"]["via"] == [
        f"`pip` on PATH is `{PYENV_ROOT}/shims/pip`",
        f"the pyenv shim `{PYENV_ROOT}/shims/pip` runs `{PYENV_ROOT}/versions/3.12.1/bin/pip` (PYENV_VERSION=3.12.1)",
        f"`{PYENV_ROOT}/versions/3.12.1/bin/pip` starts `{python}`",
    ]


def test_activated_venv_pip_is_first(tmp_path: Path) -> None:
    venv = tmp_path / "proj" / ".venv"
    subprocess.run([need(pyenv_python("3.12.1")), "-m", "venv", "--without-pip", str(venv)], check=True)
    pip_script(venv / "bin", str(venv / "bin" / "python"))
    env = base_environ(str(tmp_path), path=f"{venv}/bin:/usr/bin:/bin", VIRTUAL_ENV=str(venv))
    code, out, err = run_env({"output_format": "json", "require_venv": True}, env, str(tmp_path / "proj"))
    data = json.loads(out)
    assert (code, err, data["kind"], data["prefix"], data["findings"]) == (0, "", "venv", str(venv), [])
    assert data["target"]["how"] == "path-pip"


def test_pip3_when_there_is_no_pip(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    pip_script(bin_dir, need(pyenv_python("3.13.0")), name="pip3")
    env = base_environ(str(tmp_path), path=str(bin_dir))
    code, out, _ = run_env({"output_format": "json"}, env, str(tmp_path))
    data = json.loads(out)
    assert (data["kind"], data["interpreter"], data["target"]["spec"]) == ("pyenv", pyenv_python("3.13.0"), str(bin_dir / "pip3"))


def test_python3_when_there_is_no_pip(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(need(pyenv_python("3.11.7")))
    env = base_environ(str(tmp_path), path=str(bin_dir))
    code, out, _ = run_env({"output_format": "json"}, env, str(tmp_path))
    data = json.loads(out)
    assert (data["kind"], data["interpreter"]) == ("pyenv", str(bin_dir / "python3"))
    assert data["target"]["how"] == "path-python"
    assert data["target"]["note"] == "no `pip` or `pip3` on PATH; judging `python3` on PATH instead"


def test_nothing_on_path_judges_the_running_interpreter(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, _ = run_env({"output_format": "json"}, base_environ(str(tmp_path), path=str(empty)), str(tmp_path))
    data = json.loads(out)
    assert data["interpreter"] == sys.executable
    assert data["target"]["how"] == "running"
    assert data["target"]["note"] == "no `pip` or `python3` on PATH; judging the interpreter running guard"


def test_guard_pip_wrapper_scripts_are_not_the_users_pip(tmp_path: Path) -> None:
    wrappers = tmp_path / "wrap"
    wrappers.mkdir()
    (wrappers / "pip").write_text('#!/bin/sh\n# GUARD_PIP_WRAPPER\nexec guard pip -- "$@"\n')
    (wrappers / "pip").chmod(0o755)
    real = pip_script(tmp_path / "real", need(pyenv_python("3.13.0")))
    env = base_environ(str(tmp_path), path=f"{wrappers}:{real.parent}")
    data = json.loads(run_env({"output_format": "json"}, env, str(tmp_path))[1])
    assert (data["interpreter"], data["target"]["spec"]) == (pyenv_python("3.13.0"), str(real))


# --- pyenv shims: pyenv's files answer, `pyenv which` only when unsure ---------------------


def _real_pyenv_which(name: str, env: dict[str, str], cwd: str) -> str:
    done = subprocess.run([f"{PYENV_ROOT}/libexec/pyenv", "which", name], env=env, cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.parametrize(
    ("extra", "local_version", "name"),
    [
        ({}, None, "pip"),  # $PYENV_ROOT/version
        ({"PYENV_VERSION": "system"}, None, "pip"),
        ({"PYENV_VERSION": "3.13.0"}, None, "pip3.13"),
        ({"PYENV_VERSION": "3.9.18:3.13.0"}, None, "pip3.13"),
        ({}, "3.9.18\n", "pip"),  # .python-version in a parent of cwd
        ({}, "# comment\n\npython-3.10.13 extra\n", "pip"),
        ({}, "system\n", "pip3"),
    ],
)
def test_offline_pyenv_agrees_with_pyenv_which(
    extra: dict[str, str], local_version: str | None, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    need(f"{PYENV_ROOT}/libexec/pyenv")
    cwd = tmp_path / "proj" / "sub"
    cwd.mkdir(parents=True)
    if local_version is not None:
        (tmp_path / "proj" / ".python-version").write_text(local_version)
    env = base_environ(str(tmp_path), path=f"{PYENV_ROOT}/shims:/usr/bin:/bin", **extra)
    expected = _real_pyenv_which(name, env, str(cwd))

    def no_subprocess(*args: object, **kwargs: object) -> None:
        raise AssertionError("pyenv was run")

    monkeypatch.setattr(subprocess, "run", no_subprocess)
    _, steps = resolve_chain(f"{PYENV_ROOT}/shims/{name}", env, cwd=str(cwd))
    suffix = f" (PYENV_VERSION={extra['PYENV_VERSION']})" if extra else ""
    assert steps[0] == f"the pyenv shim `{PYENV_ROOT}/shims/{name}` runs `{expected}`{suffix}"


def test_unsure_cases_ask_pyenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `3.12` is a prefix only `pyenv latest` resolves: guard asks pyenv itself.
    need(f"{PYENV_ROOT}/libexec/pyenv")
    env = base_environ(str(tmp_path), path=f"{PYENV_ROOT}/shims:/usr/bin:/bin", PYENV_VERSION="3.12")
    calls: list[object] = []
    real_run = subprocess.run

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(args[0])
        return real_run(*args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(subprocess, "run", counting)
    interpreter, steps = resolve_chain(f"{PYENV_ROOT}/shims/pip", env, cwd=str(tmp_path))
    assert interpreter == f"{PYENV_ROOT}/versions/3.12.1/bin/python3.12"
    assert calls == [[f"{PYENV_ROOT}/libexec/pyenv", "which", "pip"]]
    assert resolve_module.pyenv_which_offline("pip", env, str(tmp_path)) is None


def test_pyenv_failure_names_its_first_line(tmp_path: Path) -> None:
    # `pyenv which pip3.9` under 3.13.0 fails with advice; the reason is its first line.
    need(f"{PYENV_ROOT}/versions/3.9.18/bin/pip3.9")
    env = base_environ(str(tmp_path), path=f"{PYENV_ROOT}/shims:/usr/bin:/bin", PYENV_VERSION="3.13.0")
    with pytest.raises(resolve_module.ResolveError) as info:
        resolve_chain(f"{PYENV_ROOT}/shims/pip3.9", env, cwd=str(tmp_path))
    assert str(info.value) == f"`{PYENV_ROOT}/libexec/pyenv which pip3.9` failed: pyenv: pip3.9: command not found"
