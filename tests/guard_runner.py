"""Running guard as a user does, for the tests that drive its command line: a subprocess of
`python -m guard` with guard's own variables and colour switches cleared, stdin empty."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

GUARD = [sys.executable, "-m", "guard"]


def guard_run(cwd: Path, *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GUARD_") and k not in ("NO_COLOR", "FORCE_COLOR")}
    environment.update(env or {})
    done = subprocess.run([*GUARD, *args], cwd=cwd, input=stdin if stdin is not None else b"", capture_output=True, env=environment)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(), done.stderr.decode())


def write(root: Path, files: dict[str, str] | dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def findings(cwd: Path, *args: str) -> list[tuple[str, int, int, str, str]]:
    """(path, line, column, code, message) of `guard check --format json ARGS` in `cwd`."""
    result = guard_run(cwd, "check", "--format", "json", *args)
    assert result.returncode in (0, 1), result.stderr
    return [(f["path"], f["line"], f["column"], f["code"], f["message"]) for f in json.loads(result.stdout)["findings"]]
