"""Helpers for the pip wrapper tests (fixtures live in conftest.py)."""

from __future__ import annotations

import json
import os
import pty
import select
import shutil
import signal
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest
from wheels import build_wheel  # noqa: F401 (re-exported for the tests of this folder)

REPO = Path(__file__).resolve().parents[2]
DEBIAN_PIP = "/usr/bin/pip"
DEBIAN_MARKER = Path("/usr/lib/python3.11/EXTERNALLY-MANAGED")


def base_env(tmp: Path, cache: Path, path: List[str]) -> Dict[str, str]:
    """A small, deterministic environment: no pip config, no venv, a private HOME."""
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    return {
        "PATH": os.pathsep.join(path),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_NO_INPUT": "1",
        "GUARD_CACHE_DIR": str(cache),
        "TERM": "dumb",
    }


def read_log(path: Path) -> List[Dict[str, object]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8", errors="surrogateescape").splitlines()]


def which(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"`{name}` is not installed (CI installs it with apt-get)")
    return found


FAKE_PIP = """#!{python}
import json, os, sys
with open(os.environ["FAKE_PIP_LOG"], "a", encoding="utf-8", errors="surrogateescape") as log:
    log.write(json.dumps({{"argv": sys.argv, "active": os.environ.get("GUARD_PIP_ACTIVE")}}) + "\\n")
sys.exit(int(os.environ.get("FAKE_PIP_EXIT", "0")))
"""


def slow_probe_venv(tmp_path: Path, pip_source: str) -> Path:
    """The bin directory of a venv whose probe never answers (a hung network mount, a wedged
    conda): its site hook sleeps when started as guard's probe starts it (`-E`), and only
    then; its `pip` is `pip_source` (FAKE_PIP-like) run by that venv's python."""
    import subprocess
    import sys

    slow = tmp_path / "slow"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(slow)], check=True)
    (site,) = slow.glob("lib/python3*/site-packages")
    (site / "sitecustomize.py").write_text("import sys, time\nif sys.flags.ignore_environment:\n    time.sleep(60)\n")
    (slow / "bin" / "pip").write_text(pip_source.format(python=slow / "bin" / "python"))
    (slow / "bin" / "pip").chmod(0o755)
    return slow / "bin"


def _read_until(fd: int, needle: Optional[bytes], buffer: bytearray, limit: float = 240.0) -> bool:
    while needle is None or needle not in buffer:
        ready, _, _ = select.select([fd], [], [], limit)
        if not ready:
            return False
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            return needle is None
        if not chunk:
            return needle is None
        buffer.extend(chunk)
    return True


def drive_pty(
    argv: List[str], env: Dict[str, str], answer: Optional[bytes], needle: bytes, cwd: Optional[Path] = None
) -> Tuple[int, List[str]]:
    """Run argv (in cwd) on a new pseudo-terminal, type `answer` once `needle` (the prompt) is
    shown, return (exit status, output lines); no answer: read to the end."""
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            if cwd is not None:
                os.chdir(cwd)
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    buffer = bytearray()
    try:
        if answer is not None:
            if not _read_until(fd, needle, buffer):
                os.kill(pid, signal.SIGKILL)  # never wait for a child that waits for an answer
                raise AssertionError(buffer.decode(errors="replace"))
            os.write(fd, answer)
        _read_until(fd, None, buffer)
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    text = buffer.decode("utf-8", errors="replace").replace("\r\n", "\n")
    return os.waitstatus_to_exitcode(status), text.splitlines()
