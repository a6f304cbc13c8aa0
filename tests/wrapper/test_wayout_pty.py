"""The venv way out, live: Debian's marked /usr/bin/python3 refuses `pip install`, the user
answers `v` on a real pseudo-terminal (bash and zsh through the shell-init snippet, and
`guard pip` itself), guard makes the project's `.venv` with the real `python -m venv`, runs
the same install there with the real pip (a wheel the tests build, `--no-index`), and prints
the line that activates it; the script then runs that very line."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest
from wrapper_helpers import DEBIAN_MARKER, base_env, drive_pty, which

pytestmark = pytest.mark.skipif(not DEBIAN_MARKER.exists(), reason="needs Debian's /usr/bin/python3 with its marker")

PROMPT = b"[y/N/v] "
PROMPT_NO_V = b"Run pip anyway? [y/N] "
DEBIAN_PYTHON = "/usr/bin/python3"


def drive(argv: List[str], env: Dict[str, str], cwd: Path, answer: Optional[bytes], needle: bytes = PROMPT) -> Tuple[int, List[str]]:
    return drive_pty(argv, env, answer, needle, cwd)


def _version(python: str) -> str:
    return subprocess.run(
        [python, "-c", "import platform; print(platform.python_version())"], capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.fixture()
def env(tmp_path: Path, guard_bin: Path, cache_dir: Path) -> Dict[str, str]:
    environment = base_env(tmp_path, cache_dir, [str(guard_bin), "/usr/bin", "/bin"])
    environment.update(GUARD_PIP_CHECK_INSTALLS="0", TERM="dumb")
    return environment


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    directory = tmp_path / "proj"
    directory.mkdir()
    (directory / "pyproject.toml").write_text('[project]\nname = "proj"\nversion = "0"\n', encoding="utf-8")
    return directory


def _install(wheelhouse: Path, version: str = "0.1") -> List[str]:
    return ["install", "--no-index", "--find-links", str(wheelhouse), f"guardtiny=={version}"]


def _installed(python: str, env: Dict[str, str]) -> Tuple[int, str]:
    done = subprocess.run([python, "-c", "import guardtiny; print(guardtiny.VALUE)"], env=env, capture_output=True, text=True)
    return done.returncode, (done.stdout or done.stderr.strip().splitlines()[-1]).strip()


def _after_venv_line(lines: List[str]) -> List[str]:
    start = next(i for i, line in enumerate(lines) if line.startswith("  venv:"))
    return lines[start:]


def _pip_output(wheelhouse: Path) -> List[str]:
    return [
        f"Looking in links: {wheelhouse}",
        f"Processing {wheelhouse}/guardtiny-0.1-py3-none-any.whl",
        "Installing collected packages: guardtiny",
        "Successfully installed guardtiny-0.1",
    ]


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_v_through_the_snippet_makes_the_venv_installs_there_and_activates(
    shell: str, env: Dict[str, str], project: Path, wheelhouse: Path
) -> None:
    exe = which(shell)
    script = "\n".join(
        [
            f'eval "$(guard shell-init {shell})"',
            "pip " + " ".join(shlex.quote(a) for a in ["--disable-pip-version-check", *_install(wheelhouse)]),
            'echo "rc=$?"',
            # the line guard printed, run as printed: the venv is then the shell's
            "source .venv/bin/activate",
            'echo "venv=$VIRTUAL_ENV"',
            "python -c 'import guardtiny; print(guardtiny.VALUE)'",
        ]
    )
    argv = [exe, "--norc", "--noprofile", "-c", script] if shell == "bash" else [exe, "-f", "-c", script]
    code, lines = drive(argv, env, project, b"v\n")
    version = _version(DEBIAN_PYTHON)
    venv = project / ".venv"
    assert (code, _after_venv_line(lines)) == (
        0,
        [
            f"  venv:    v: run this install in a new venv {venv}, made with {DEBIAN_PYTHON} (Python {version})",
            "Run pip anyway? [y/N/v] v",
            f"guard: creating {venv} with {DEBIAN_PYTHON} (Python {version})",
            f"guard: running {venv}/bin/python -m pip --disable-pip-version-check {' '.join(_install(wheelhouse))}",
            *_pip_output(wheelhouse),
            "guard: activate the venv in this shell with: source .venv/bin/activate",
            "rc=0",
            f"venv={venv}",
            "guardtiny 0.1",
        ],
    )
    assert (venv / "pyvenv.cfg").is_file()
    assert _installed(DEBIAN_PYTHON, env) == (1, "ModuleNotFoundError: No module named 'guardtiny'")


def test_v_in_exec_mode_returns_pips_status(env: Dict[str, str], guard_bin: Path, project: Path, wheelhouse: Path) -> None:
    env["SHELL"] = "/usr/bin/zsh"  # no snippet to say which shell: guard reads SHELL
    argv = [str(guard_bin / "guard"), "pip", "--", *_install(wheelhouse, "9.9")]
    code, lines = drive(argv, env, project, b"v\n")
    venv = project / ".venv"
    assert (code, lines[-3:]) == (
        1,  # pip's own status: no such version in the wheelhouse
        [
            "ERROR: Could not find a version that satisfies the requirement guardtiny==9.9 (from versions: 0.1)",
            "ERROR: No matching distribution found for guardtiny==9.9",
            "guard: activate the venv in this shell with: source .venv/bin/activate",
        ],
    )
    assert _installed(str(venv / "bin" / "python"), env) == (1, "ModuleNotFoundError: No module named 'guardtiny'")


def test_a_failing_pip_through_the_snippet_is_not_run_again_on_the_system(env: Dict[str, str], project: Path, wheelhouse: Path) -> None:
    zsh = which("zsh")
    script = "\n".join(['eval "$(guard shell-init zsh)"', "pip " + " ".join(_install(wheelhouse, "9.9")), 'echo "rc=$?"'])
    code, lines = drive([zsh, "-f", "-c", script], env, project, b"v\n")
    assert (code, lines[-4:]) == (
        0,
        [
            "ERROR: Could not find a version that satisfies the requirement guardtiny==9.9 (from versions: 0.1)",
            "ERROR: No matching distribution found for guardtiny==9.9",
            "guard: activate the venv in this shell with: source .venv/bin/activate",
            "rc=1",
        ],
    )
    assert not any("externally-managed-environment" in line for line in lines)


@pytest.mark.parametrize(("answer", "shown"), [(b"\x03", "^C"), (b"\x04", ""), (b"\n", "")], ids=["ctrl-c", "eof", "enter"])
def test_anything_but_v_or_y_refuses_and_makes_nothing(
    env: Dict[str, str], guard_bin: Path, project: Path, wheelhouse: Path, answer: bytes, shown: str
) -> None:
    argv = [str(guard_bin / "guard"), "pip", "--", *_install(wheelhouse)]
    code, lines = drive(argv, env, project, answer)
    assert (code, lines[-2:]) == (1, [f"Run pip anyway? [y/N/v] {shown}", "guard: not running pip"])
    assert not (project / ".venv").exists()


def test_existing_venv_is_reused_never_recreated(env: Dict[str, str], guard_bin: Path, project: Path, wheelhouse: Path) -> None:
    venv = project / ".venv"
    subprocess.run([DEBIAN_PYTHON, "-m", "venv", str(venv)], check=True, env=env)
    before = (venv / "pyvenv.cfg").stat()
    argv = [str(guard_bin / "guard"), "pip", "--", *_install(wheelhouse)]
    code, lines = drive(argv, env, project, b"v\n")
    assert (code, _after_venv_line(lines)) == (
        0,
        [
            f"  venv:    v: run this install with the project's venv {venv}",
            "Run pip anyway? [y/N/v] v",
            f"guard: using the project's venv {venv}",
            f"guard: running {venv}/bin/python -m pip {' '.join(_install(wheelhouse))}",
            *_pip_output(wheelhouse),
            "guard: activate the venv in this shell with: . .venv/bin/activate",
        ],
    )
    after = (venv / "pyvenv.cfg").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert _installed(str(venv / "bin" / "python"), env) == (0, "guardtiny 0.1")


def test_no_v_when_no_python_fits(env: Dict[str, str], guard_bin: Path, project: Path, wheelhouse: Path) -> None:
    (project / "pyproject.toml").write_text('[project]\nname = "proj"\nrequires-python = ">=3.99"\n', encoding="utf-8")
    argv = [str(guard_bin / "guard"), "pip", "--", *_install(wheelhouse)]
    code, lines = drive(argv, env, project, b"v\n", needle=PROMPT_NO_V)
    assert (code, _after_venv_line(lines)) == (
        1,
        [
            "  venv:    no venv way out: the project asks for Python >=3.99 (pyproject.toml requires-python),"
            " and no Python found here satisfies it",
            "Run pip anyway? [y/N] v",
            "guard: not running pip",
        ],
    )
    assert not (project / ".venv").exists()
