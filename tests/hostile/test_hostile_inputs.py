"""Every hostile input finishes with findings or a clean error: no hang, no traceback.

Each case runs in its own `guard check` process with a generous limit that only catches a
hang (the figures, well under a second each, are in benchmarks/README.md: `python
benchmarks/hostile.py`); memory is capped so that an explosion fails instead of swapping.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_inputs import CASES

REPO = Path(__file__).resolve().parents[2]
HANG = 60  # seconds: a hang, not a slow run
MEMORY = 1 << 30  # bytes of address space


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input_finishes_cleanly(name: str, tmp_path: Path) -> None:
    file_name, content = CASES[name]()
    (tmp_path / file_name).write_text(content, encoding="utf-8", newline="")
    done = subprocess.run(
        [sys.executable, "-m", "guard", "check", "--isolated", "--format", "json", file_name],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=HANG,
        preexec_fn=_limit_memory,
    )
    assert done.returncode in (0, 1), done.stderr
    assert done.stderr == ""


def _guard(args: list[str], cwd: Path) -> "subprocess.CompletedProcess[str]":
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "guard", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=HANG)


def test_a_fifo_found_by_the_walk_is_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "deploy")  # no dot: the walk would sniff it for a shebang
    (tmp_path / "requirements.txt").write_text("requests==2.0\n")
    done = _guard(["check", "--isolated", "."], tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "No findings in 1 file.\n", "")


def test_a_fifo_named_on_the_command_line_is_reported_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "deploy")
    done = _guard(["check", "--isolated", "--format", "json", "deploy"], tmp_path)
    import json

    findings = [(f["code"], f["path"], f["line"], f["column"], f["message"]) for f in json.loads(done.stdout)["findings"]]
    assert findings == [("GRD101", "deploy", 0, 0, "cannot read `deploy`: is not a regular file")]


def test_the_checked_trees_git_config_runs_no_command(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    hook = tmp_path / "fsmonitor.sh"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\nexit 1\n")
    hook.chmod(0o755)
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-C", str(repo)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "config", "core.fsmonitor", str(hook)], check=True)
    (repo / "requirements.txt").write_text("requests==2.0\n")
    subprocess.run([*git, "add", "requirements.txt"], check=True)
    assert marker.exists()  # `git add` ran it: the hook works
    marker.unlink()
    done = _guard(["check", "--isolated"], repo)
    assert (done.returncode, done.stdout, marker.exists()) == (0, "No findings in 1 file.\n", False)
