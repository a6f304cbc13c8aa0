"""Shared helpers for the environment tests (imported as a plain module, not a conftest)."""

from __future__ import annotations

import io
import os
from typing import Any, Mapping, Optional

from guard.cli.env import run
from guard.finding import Finding

FACTS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "facts")
PYENV_ROOT = "/root/.pyenv"
DEBIAN_PYTHON = "/usr/bin/python3"


def pyenv_python(version: str) -> str:
    return os.path.join(PYENV_ROOT, "versions", version, "bin", "python")


def whole(findings: list[Finding]) -> list[tuple[str, int, int, str, str, str]]:
    """Findings as comparable tuples: (path, line, column, code, severity, message)."""
    return [(f.path, f.line, f.column, f.code, f.severity.label, f.message) for f in findings]


def run_env(
    argv_like: Mapping[str, Any],
    environ: Mapping[str, str],
    cwd: str,
) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    options: dict[str, Any] = {
        "python": None,
        "dump_facts": False,
        "facts_file": None,
        "output_format": "text",
        "require_venv": False,
    }
    options.update(argv_like)
    # Settings are the lead's; identity postprocess keeps these tests about ENV only.
    code = run(cwd=cwd, environ=environ, stdout=out, stderr=err, postprocess=lambda f: f, **options)
    return code, out.getvalue(), err.getvalue()


def base_environ(tmp: str, path: Optional[str] = None, **extra: str) -> dict[str, str]:
    env = {
        "PATH": path or "/usr/bin:/bin",
        "HOME": os.path.join(tmp, "home"),
        "GUARD_CACHE_DIR": os.path.join(tmp, "cache"),
        "PYENV_ROOT": PYENV_ROOT,
    }
    env.update(extra)
    return env
