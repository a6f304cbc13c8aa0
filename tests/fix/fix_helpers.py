"""Helpers for the `--fix` tests: tiny wheels, lock files naming their hashes, real venvs."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Optional

from wheels import build_wheel  # noqa: F401 (re-exported for the tests of this folder)


def sha256(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def uv_lock(*packages: tuple[str, str, Optional[str]]) -> str:
    """A uv.lock of registry packages (name, version, the hash of its one wheel)."""
    parts = ['version = 1\nrequires-python = ">=3.9"\n']
    for name, version, digest in packages:
        wheel = f'\nwheels = [{{ url = "https://files.example/{name}-{version}-py3-none-any.whl", hash = "{digest}" }}]' if digest else ""
        parts.append(f'\n[[package]]\nname = "{name}"\nversion = "{version}"\nsource = {{ registry = "https://pypi.org/simple" }}{wheel}\n')
    return "".join(parts)


def guard_env(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GUARD_", "VIRTUAL_ENV", "PIP_"))}
    env.update(GUARD_CACHE_DIR=str(tmp_path / "guard-cache"), NO_COLOR="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    return env


def run_guard(cwd: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`guard check ARGS`; the output decoded as it was written (`\r\n` stays)."""
    done = subprocess.run([sys.executable, "-m", "guard", "check", *args], cwd=cwd, capture_output=True, env=env, timeout=300, check=False)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(), done.stderr.decode())


def make_venv(path: Path) -> Path:
    """A real venv without pip (pip runs from the test's interpreter with `--python`)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True, capture_output=True, timeout=300)
    python = path / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    assert python.exists()
    return python


def pip_install(python: Path, wheels: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`pip install --no-index --find-links WHEELS ARGS` into `python`'s environment, offline."""
    return subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-index", "--find-links", str(wheels), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def installed(venv: Path) -> dict[str, str]:
    """name -> version of the distributions in a venv's site-packages, read from disk."""
    found: dict[str, str] = {}
    for metadata in sorted(venv.glob("lib/python*/site-packages/*.dist-info/METADATA")) + sorted(
        venv.glob("Lib/site-packages/*.dist-info/METADATA")
    ):
        headers = dict(line.split(": ", 1) for line in metadata.read_text().splitlines() if ": " in line)
        found[headers["Name"]] = headers["Version"]
    return found
