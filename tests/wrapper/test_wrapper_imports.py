"""What `guard pip --check-only` imports on the shell snippet's path.

The snippet starts guard before every pip call, so its start-up is the wrapper's cost. With
the probe answered from the cache, a plain `pip install NAME==1.0` must not import the
modules that used to make up most of it: `typing`, `dataclasses` (and its `inspect`),
`subprocess` (only a cache miss runs the probe), `hashlib` (the cache key), `tempfile`
(only a cache write), `configparser` (only when a pip.conf exists), `packaging` (the
`name==1.0` fast path) and the TOML parser (only for `--group`). Checked in a fresh
interpreter, at exit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest

HEAVY = (
    "typing",
    "dataclasses",
    "inspect",
    "subprocess",
    "hashlib",
    "tempfile",
    "configparser",
    "packaging",
    "argparse",
    "shutil",
    "tomllib",
    "tomli",
)

# Runs guard as the console script does, then reports which HEAVY modules were imported.
SCRIPT = """
import sys
from guard.cli import main
status = main(sys.argv[1:])
print(__import__("json").dumps({"status": status, "imported": sorted(m for m in %r if m in sys.modules)}))
""" % (HEAVY,)


def _env(tmp_path: Path) -> Dict[str, str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "PIP_CONFIG_FILE": os.devnull,
        "GUARD_CACHE_DIR": str(tmp_path / "cache"),
        "GUARD_PIP_ON_BLOCK": "warn",
        "GUARD_PIP_ON_WARN": "warn",
    }


def _run(argv: List[str], tmp_path: Path, path: str = "/usr/bin:/bin") -> Dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *argv],
        env={**_env(tmp_path), "PATH": path},
        cwd=str(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: Dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


@pytest.fixture
def debian_pip() -> str:
    if not os.path.exists("/usr/bin/pip"):
        pytest.skip("no /usr/bin/pip on this machine")
    return "/usr/bin/pip"


def test_judged_install_with_a_warm_cache_imports_none_of_the_heavy_modules(tmp_path: Path, debian_pip: str) -> None:
    argv = ["pip", "--check-only", "--", "install", "requests==1.0"]
    cold = _run(argv, tmp_path)  # fills the probe cache
    assert cold["status"] == 0
    assert "subprocess" in cold["imported"]  # type: ignore[operator]  # the probe ran
    assert any(name.startswith("probe-") for name in os.listdir(tmp_path / "cache"))
    warm = _run(argv, tmp_path)
    assert warm == {"status": 0, "imported": []}


def test_read_only_call_imports_none_of_the_heavy_modules(tmp_path: Path, debian_pip: str) -> None:
    assert _run(["pip", "--check-only", "--", "--version"], tmp_path) == {"status": 0, "imported": []}


def test_an_unpinned_install_still_gets_its_note(tmp_path: Path, debian_pip: str) -> None:
    # Not on the fast path: the CMD101 rule (and packaging, for a specifier) is imported.
    result = _run(["pip", "--check-only", "--", "install", "requests>=2"], tmp_path)
    assert result["status"] == 0
    assert "packaging" in result["imported"]  # type: ignore[operator]


def test_only_a_group_install_reads_toml(tmp_path: Path) -> None:
    # a pip of unknown version (its venv has no pip dist-info) may know `--group`: read then
    (tmp_path / "pyproject.toml").write_text('[dependency-groups]\ndev = ["idna==3.7"]\n')
    bare = tmp_path / "bare"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True)
    (bare / "bin" / "pip").write_text(f"#!{bare / 'bin' / 'python'}\n")
    (bare / "bin" / "pip").chmod(0o755)
    path = f"{bare / 'bin'}:/usr/bin:/bin"
    grouped = _run(["pip", "--check-only", "--", "install", "--group", "dev"], tmp_path, path)
    assert grouped["status"] == 0
    assert "tomllib" in grouped["imported"] or "tomli" in grouped["imported"]  # type: ignore[operator]
    plain = _run(["pip", "--check-only", "--", "install", "idna==3.7"], tmp_path, path)
    assert plain == {"status": 0, "imported": []}
