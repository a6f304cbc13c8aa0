"""From a spec (interpreter, venv dir, pip script, shim) to the interpreter (R0)."""

from __future__ import annotations

import os
import stat

import pytest

from guard.environment.resolve import ResolveError, find_on_path, resolve_chain, resolve_target, shebang_interpreter
from tests.environment.helpers import DEBIAN_PYTHON, PYENV_ROOT, pyenv_python


def script(path: str, text: str) -> str:
    with open(path, "w") as handle:
        handle.write(text)
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
    return path


ENV = {"PATH": "/usr/bin:/bin"}


def test_plain_shebang(tmp_path: pytest.TempPathFactory) -> None:
    pip = script(str(tmp_path / "pip"), "#!/usr/bin/python3\nimport sys\n")
    assert resolve_target(pip, ENV) == "/usr/bin/python3"


def test_shebang_with_arguments(tmp_path: pytest.TempPathFactory) -> None:
    pip = script(str(tmp_path / "pip"), "#!/usr/bin/python3 -E -s\n")
    assert resolve_target(pip, ENV) == "/usr/bin/python3"


def test_env_shebang_searches_path(tmp_path: pytest.TempPathFactory) -> None:
    pip = script(str(tmp_path / "pip"), "#!/usr/bin/env python3\n")
    assert resolve_target(pip, ENV) == "/usr/bin/python3"


def test_distlib_long_path_form(tmp_path: pytest.TempPathFactory) -> None:
    long_dir = tmp_path / ("a very long directory name " * 3).strip()
    long_dir.mkdir()
    python = long_dir / "python"
    python.symlink_to(pyenv_python("3.12.1"))
    pip = script(
        str(tmp_path / "pip"),
        f"#!/bin/sh\n'''exec' \"{python}\" \"$0\" \"$@\"\n' '''\n# -*- coding: utf-8 -*-\nimport re\n",
    )
    interpreter, steps = resolve_chain(pip, ENV)
    assert interpreter == str(python)
    assert steps == [f"`{pip}` starts `{python}`"]


def test_windows_launcher_shebang(tmp_path: pytest.TempPathFactory) -> None:
    exe = tmp_path / "pip.exe"
    exe.write_bytes(b"MZ\x90\x00" + b"\x00" * 2000 + b"#!C:\\Users\\u\\proj\\.venv\\Scripts\\python.exe\r\nPK\x03\x04rest")
    assert shebang_interpreter(str(exe), ENV) == "C:\\Users\\u\\proj\\.venv\\Scripts\\python.exe"
    quoted = tmp_path / "pip2.exe"
    quoted.write_bytes(b"MZ" + b"\x00" * 10 + b'#!"C:\\Program Files\\Python312\\python.exe"\nPK\x03\x04')
    assert shebang_interpreter(str(quoted), ENV) == "C:\\Program Files\\Python312\\python.exe"


def test_venv_directory(tmp_path: pytest.TempPathFactory) -> None:
    bin_dir = tmp_path / "v" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").symlink_to(DEBIAN_PYTHON)
    assert resolve_target(str(tmp_path / "v"), ENV) == str(bin_dir / "python")


def test_bare_name_on_path() -> None:
    assert resolve_target("python3", ENV) == "/usr/bin/python3"


def test_pyenv_shim_through_pyenv_which() -> None:
    env = {"PATH": f"{PYENV_ROOT}/shims:/usr/bin:/bin", "PYENV_ROOT": PYENV_ROOT, "PYENV_VERSION": "3.13.0"}
    interpreter, steps = resolve_chain(f"{PYENV_ROOT}/shims/pip", env)
    assert interpreter == f"{PYENV_ROOT}/versions/3.13.0/bin/python3.13"
    assert steps[0] == f"the pyenv shim `{PYENV_ROOT}/shims/pip` runs `{PYENV_ROOT}/versions/3.13.0/bin/pip` (PYENV_VERSION=3.13.0)"


def test_pyenv_shim_offline_agrees_with_pyenv_which(tmp_path: pytest.TempPathFactory) -> None:
    (tmp_path / ".python-version").write_text("3.9.18\n")
    env = {"PATH": f"{PYENV_ROOT}/shims:/usr/bin:/bin", "PYENV_ROOT": PYENV_ROOT, "HOME": str(tmp_path)}
    online = resolve_target(f"{PYENV_ROOT}/shims/pip", env, cwd=str(tmp_path))
    offline = resolve_target(f"{PYENV_ROOT}/shims/pip", env, cwd=str(tmp_path), subprocess_ok=False)
    assert online == offline == f"{PYENV_ROOT}/versions/3.9.18/bin/python3.9"


def test_find_on_path_skip(tmp_path: pytest.TempPathFactory) -> None:
    assert find_on_path("python3", ENV, skip=lambda c: os.path.basename(os.path.dirname(c)) == "bin") is None
    assert find_on_path("no-such-program-here", ENV) is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("hello\n", "is neither a Python interpreter nor a script naming one"),
        ("#!/bin/sh\necho hi\n", "is a script whose first line names no Python"),
    ],
)
def test_not_a_python(tmp_path: pytest.TempPathFactory, content: str, message: str) -> None:
    path = script(str(tmp_path / "thing"), content)
    with pytest.raises(ResolveError) as info:
        resolve_target(path, ENV)
    assert str(info.value) == f"`{path}` {message}"


def test_missing_paths() -> None:
    with pytest.raises(ResolveError, match=r"^`/no/such/python` does not exist$"):
        resolve_target("/no/such/python", ENV)
    with pytest.raises(ResolveError, match=r"^`nosuchpython3` is not a file, a directory or a program on PATH$"):
        resolve_target("nosuchpython3", ENV)


def test_directory_without_python(tmp_path: pytest.TempPathFactory) -> None:
    with pytest.raises(ResolveError, match="is a directory without"):
        resolve_target(str(tmp_path), ENV)
