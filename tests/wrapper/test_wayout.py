"""The venv way out, from facts: activation lines per shell (Windows included), the shell
guard assumes, the snippet's status range, venv failures in one line, where the venv goes
and which Python makes it (pyenv trees built in tmp_path, versions given by hand)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Dict, List, Optional, Tuple

import pytest

from guard.wrapper.venvplan import Candidate, VenvPlan, choose_python, make_plan, project_root, read_python_version
from guard.wrapper.wayout import activation_command, encode_for_snippet, offer_lines, unavailable, user_shell, venv_failure

# What Debian's python3.11 prints for `python3 -m venv .venv` without python3-venv
# (/usr/lib/python3.11/venv/__init__.py, `_setup_pip`).
DEBIAN_NO_ENSUREPIP = """\
The virtual environment was not created successfully because ensurepip is not
available.  On Debian/Ubuntu systems, you need to install the python3-venv
package using the following command.

    apt install python3.11-venv

You may need to use sudo with that command.  After installing the python3-venv
package, recreate your virtual environment.

Failing command: /home/me/proj/.venv/bin/python3

"""


@pytest.mark.parametrize(
    ("shell", "venv", "cwd", "windows", "line"),
    [
        ("bash", "/home/me/proj/.venv", "/home/me/proj", False, "source .venv/bin/activate"),
        ("zsh", "/home/me/proj/.venv", "/home/me/proj", False, "source .venv/bin/activate"),
        ("fish", "/home/me/proj/.venv", "/home/me/proj", False, "source .venv/bin/activate.fish"),
        ("sh", "/home/me/proj/.venv", "/home/me/proj", False, ". .venv/bin/activate"),
        ("tcsh", "/home/me/proj/.venv", "/home/me/proj", False, "source .venv/bin/activate.csh"),
        ("powershell", "/home/me/proj/.venv", "/home/me/proj", False, ".venv/bin/Activate.ps1"),
        ("bash", "/home/me/proj/.venv", "/home/me/proj/src/pkg", False, "source /home/me/proj/.venv/bin/activate"),
        ("bash", "/home/me/my proj/.venv", "/home/me/my proj/src", False, "source '/home/me/my proj/.venv/bin/activate'"),
        ("fish", "/home/me/it's/.venv", "/tmp", False, "source '/home/me/it'\\''s/.venv/bin/activate.fish'"),
        ("powershell", r"C:\Users\me\proj\.venv", r"C:\Users\me\proj", True, r".venv\Scripts\Activate.ps1"),
        ("powershell", r"C:\Users\me\proj\.venv", r"c:\users\me\PROJ", True, r".venv\Scripts\Activate.ps1"),
        ("cmd", r"C:\Users\me\proj\.venv", r"C:\Users\me\proj", True, r".venv\Scripts\activate.bat"),
        ("powershell", r"C:\My Projects\app\.venv", r"C:\My Projects\app\src", True, r"& 'C:\My Projects\app\.venv\Scripts\Activate.ps1'"),
        ("cmd", r"C:\My Projects\app\.venv", r"C:\My Projects\app\src", True, r'"C:\My Projects\app\.venv\Scripts\activate.bat"'),
        ("bash", r"C:\Users\me\proj\.venv", r"C:\Users\me\proj", True, "source .venv/Scripts/activate"),
        ("bash", r"C:\Users\me\proj\.venv", r"C:\Users\me", True, "source C:/Users/me/proj/.venv/Scripts/activate"),
    ],
)
def test_activation_command(shell: str, venv: str, cwd: str, windows: bool, line: str) -> None:
    assert activation_command(shell, venv, cwd, windows) == line


@pytest.mark.parametrize(
    ("environ", "windows", "shell"),
    [
        ({"GUARD_SHELL": "zsh", "SHELL": "/bin/bash"}, False, "zsh"),  # the snippet knows best
        ({"SHELL": "/usr/bin/fish"}, False, "fish"),
        ({"SHELL": "/usr/local/bin/pwsh"}, False, "powershell"),
        ({"GUARD_SHELL": "nonsense", "SHELL": "/bin/bash"}, False, "bash"),
        ({}, False, "sh"),
        ({}, True, "powershell"),
        ({"SHELL": "C:/Program Files/Git/usr/bin/bash.exe"}, True, "bash"),
    ],
)
def test_user_shell(environ: Dict[str, str], windows: bool, shell: str) -> None:
    assert user_shell(environ, windows) == shell


@pytest.mark.parametrize(("pip_status", "guard_status"), [(0, 101), (1, 102), (2, 103), (18, 119), (23, 102), (130, 130), (-1, 102)])
def test_check_only_status_carries_pips(pip_status: int, guard_status: int) -> None:
    assert encode_for_snippet(pip_status) == guard_status


@pytest.mark.parametrize(
    ("output", "line"),
    [
        (DEBIAN_NO_ENSUREPIP, "ensurepip is not available (install it with `apt install python3.11-venv`)"),
        ("Error: [Errno 13] Permission denied: '/srv/proj/.venv'\n", "Error: [Errno 13] Permission denied: '/srv/proj/.venv'"),
        ("", "`python -m venv` failed without a message"),
    ],
)
def test_venv_failure_in_one_line(output: str, line: str) -> None:
    assert venv_failure(output) == line


# --- where and with which Python -------------------------------------------------------------


def _tree(root: Path, files: Dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _pyenv(tmp_path: Path, versions: Tuple[str, ...]) -> Dict[str, str]:
    """A pyenv root whose `versions/X.Y.Z/bin/python3.Y` are executables (never run: the
    versions come from `_versions`)."""
    root = tmp_path / "pyenv"
    for version in versions:
        major, minor = version.split(".")[:2]
        exe = root / "versions" / version / "bin" / f"python{major}.{minor}"
        exe.parent.mkdir(parents=True)
        exe.write_text("#!/bin/sh\nexit 1\n")
        exe.chmod(0o755)
    return {"PYENV_ROOT": str(root), "PATH": ""}


def _versions(blocked: str, version: Tuple[int, ...]) -> Callable[[str], Optional[Tuple[int, ...]]]:
    def version_of(path: str) -> Optional[Tuple[int, ...]]:
        if path == blocked:
            return version
        name = Path(path).parent.parent.name  # versions/X.Y.Z/bin/pythonX.Y
        return tuple(int(part) for part in name.split("."))

    return version_of


BLOCKED = "/usr/bin/python3"


@pytest.mark.parametrize(
    ("files", "pyenv", "chosen", "notes"),
    [
        pytest.param({}, ("3.12.1",), (BLOCKED, (3, 11, 2)), [], id="nothing-asked-the-blocked-one"),
        pytest.param({".python-version": "3.12\n"}, ("3.12.1", "3.12.4", "3.13.0"), ("3.12.4", (3, 12, 4)), [], id="minor-newest-patch"),
        pytest.param({".python-version": "3.12.1\n"}, ("3.12.1", "3.12.4"), ("3.12.1", (3, 12, 1)), [], id="exact-patch"),
        pytest.param({".python-version": "# pinned\n\n3.11 3.12\n"}, ("3.12.1",), (BLOCKED, (3, 11, 2)), [], id="first-word-blocked-fits"),
        pytest.param({".python-version": "system\n"}, ("3.13.0",), (BLOCKED, (3, 11, 2)), [], id="pyenv-system"),
        pytest.param(
            {"pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.12"\n'},
            ("3.12.1", "3.13.0"),
            ("3.13.0", (3, 13, 0)),
            [],
            id="requires-python-newest",
        ),
        pytest.param(
            {"pyproject.toml": '[project]\nrequires-python = ">=3.9,<3.11"\n'},
            ("3.9.18", "3.10.13"),
            ("3.10.13", (3, 10, 13)),
            [],
            id="range",
        ),
        pytest.param(
            {".python-version": "3.14\n", "pyproject.toml": '[project]\nrequires-python = ">=3.10"\n'},
            ("3.12.1",),
            (BLOCKED, (3, 11, 2)),
            [".python-version asks for Python 3.14: not found on this machine"],
            id="not-found-falls-back",
        ),
    ],
)
def test_choose_python(
    tmp_path: Path, files: Dict[str, str], pyenv: Tuple[str, ...], chosen: Tuple[str, Tuple[int, ...]], notes: List[str]
) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    _tree(project, files)
    environ = _pyenv(tmp_path, pyenv)
    minor = ".".join(chosen[0].split(".")[:2])
    path = chosen[0] if chosen[0] == BLOCKED else str(tmp_path / "pyenv" / "versions" / chosen[0] / "bin" / f"python{minor}")
    source = "the blocked interpreter" if chosen[0] == BLOCKED else "pyenv"
    found = choose_python(BLOCKED, str(project), environ, _versions(BLOCKED, (3, 11, 2)))
    assert found == (Candidate(path, chosen[1], source), notes, None)


@pytest.mark.parametrize(
    ("files", "reason"),
    [
        (
            {"pyproject.toml": '[project]\nrequires-python = ">=3.99"\n'},
            "the project asks for Python >=3.99 (pyproject.toml requires-python), and no Python found here satisfies it",
        ),
        (
            {".python-version": "3.14\n", "pyproject.toml": '[project]\nrequires-python = ">=3.14"\n'},
            "the project asks for Python 3.14 (.python-version) and Python >=3.14 (pyproject.toml requires-python),"
            " and no Python found here satisfies it",
        ),
        (
            {"pyproject.toml": '[project]\nrequires-python = "three"\n'},
            "requires-python `three` in pyproject.toml is not a valid version specifier",
        ),
        (
            {"pyproject.toml": "[project\n"},
            "{root}/pyproject.toml is not valid TOML (Expected ']' at the end of a table declaration (at line 1, column 9))",
        ),
        ({"pyproject.toml": "[project]\nrequires-python = 3\n"}, "{root}/pyproject.toml: requires-python is not a string"),
    ],
)
def test_no_python_for_the_project(tmp_path: Path, files: Dict[str, str], reason: str) -> None:
    _tree(tmp_path, files)
    found = choose_python(BLOCKED, str(tmp_path), _pyenv(tmp_path, ("3.12.1",)), _versions(BLOCKED, (3, 11, 2)))
    assert found[0] is None and found[2] == reason.format(root=tmp_path)


def test_python_version_path_is_used_as_is(tmp_path: Path) -> None:
    prefix = tmp_path / "opt" / "py"
    exe = prefix / "bin" / "python3"
    exe.parent.mkdir(parents=True)
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    _tree(tmp_path / "proj", {".python-version": "../opt/py\n"})
    found = choose_python(BLOCKED, str(tmp_path / "proj"), {"PATH": ""}, lambda path: (3, 10, 4))
    assert found == (Candidate(str(tmp_path / "proj" / ".." / "opt" / "py" / "bin" / "python3"), (3, 10, 4), ".python-version"), [], None)


def test_project_root_is_the_nearest_marker(tmp_path: Path) -> None:
    _tree(tmp_path, {"outer/.git/HEAD": "ref\n", "outer/inner/setup.cfg": "", "outer/inner/src/pkg/mod.py": ""})
    assert project_root(str(tmp_path / "outer" / "inner" / "src" / "pkg")) == str(tmp_path / "outer" / "inner")
    assert project_root(str(tmp_path / "outer")) == str(tmp_path / "outer")


def test_project_root_without_marker_is_cwd(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    # tmp_path's parents have no marker on this machine's /tmp; the test says so if they do
    assert not any((parent / marker).exists() for parent in tmp_path.parents for marker in (".git", "pyproject.toml", "setup.py"))
    assert project_root(str(tmp_path / "a" / "b")) == str(tmp_path / "a" / "b")


def test_read_python_version_skips_comments_and_bom(tmp_path: Path) -> None:
    (tmp_path / ".python-version").write_bytes(b"\xef\xbb\xbf# team default\n  3.12.4  # why not\n3.11\n")
    assert read_python_version(str(tmp_path)) == "3.12.4"


def test_plan_reuses_an_existing_venv_between_cwd_and_root(tmp_path: Path) -> None:
    _tree(tmp_path, {"pyproject.toml": "", "venv/pyvenv.cfg": "home = /usr/bin\n", "src/x.py": ""})
    python = tmp_path / "venv" / "bin" / "python"
    python.parent.mkdir()
    python.write_text("#!/bin/sh\n")
    python.chmod(0o755)
    plan = make_plan(BLOCKED, str(tmp_path / "src"), {}, windows=False, version_of=lambda path: (3, 11, 2))
    assert plan == VenvPlan(str(tmp_path), str(tmp_path / "venv"), str(python), existing=True)
    assert offer_lines(plan) == [f"  venv:    v: run this install with the project's venv {tmp_path / 'venv'}"]


def test_plan_refuses_a_dot_venv_that_is_no_venv(tmp_path: Path) -> None:
    _tree(tmp_path, {"pyproject.toml": "", ".venv/notes.txt": "mine\n"})
    plan = make_plan(BLOCKED, str(tmp_path), {}, windows=False, version_of=lambda path: (3, 11, 2))
    assert offer_lines(plan) == [f"  venv:    no venv way out: {tmp_path / '.venv'} exists and is not a venv (no pyvenv.cfg)"]


def test_plan_for_windows_facts_names_scripts_python(tmp_path: Path) -> None:
    _tree(tmp_path, {"pyproject.toml": ""})
    plan = make_plan("C:/Python312/python.exe", str(tmp_path), {"PATH": ""}, windows=True, version_of=lambda path: (3, 12, 4))
    assert (plan.python, plan.creator) == (
        os.path.join(str(tmp_path), ".venv", "Scripts", "python.exe"),
        Candidate("C:/Python312/python.exe", (3, 12, 4), "the blocked interpreter"),
    )


def _decision(kind: str, subcommand: str = "install", destination: Optional[Dict[str, str]] = None) -> "Decision":
    from guard.wrapper.decide import BLOCK, Decision

    return Decision(BLOCK, BLOCK, kind, f"a {kind} Python", "/usr/bin/python3", "/usr/bin/pip", subcommand, True, destination or {})


@pytest.mark.parametrize(
    ("decision", "why"),
    [
        (_decision("distro"), None),
        (_decision("homebrew"), None),
        (_decision("macos-python-org"), None),
        (_decision("windows-store"), None),
        (_decision("distro", "uninstall"), "only `pip install` has one (this is `pip uninstall`)"),
        (_decision("conda-base"), "the target is a conda-base Python, not a Python outside any environment"),
        (_decision("tool-venv"), "the target is a tool-venv Python, not a Python outside any environment"),
        # `--prefix` of the system's own prefix is stopped like a plain install (the way out drops it)
        (_decision("distro", destination={"prefix": "/usr/local"}), None),
    ],
)
def test_which_calls_have_a_way_out(decision: "Decision", why: Optional[str]) -> None:
    assert unavailable(decision) == why


if TYPE_CHECKING:
    from guard.wrapper.decide import Decision
