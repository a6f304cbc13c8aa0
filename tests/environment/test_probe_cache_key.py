"""The probe cache's key holds everything the probe's answer depends on.

The cache is keyed on the interpreter's path and modification time, plus what the probe
reads from its environment: the user site and user scripts follow HOME (and PYTHONUSERBASE).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from guard.environment import facts as facts_module
from guard.environment.facts import probe_facts, read_private_file


def _env(tmp_path: Path, home: str, **extra: str) -> dict[str, str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path / home), "GUARD_CACHE_DIR": str(tmp_path / "cache")}
    env.update(extra)
    return env


def test_another_home_gets_its_own_user_site(tmp_path: Path) -> None:
    first = probe_facts(sys.executable, _env(tmp_path, "alice"), cwd=str(tmp_path))["interpreter"]
    second = probe_facts(sys.executable, _env(tmp_path, "bob"), cwd=str(tmp_path))["interpreter"]
    assert str(first["user_site"]).startswith(str(tmp_path / "alice") + os.sep)
    assert str(second["user_site"]).startswith(str(tmp_path / "bob") + os.sep)
    assert str(second["user_scripts"]).startswith(str(tmp_path / "bob") + os.sep)
    entries = [n for n in os.listdir(tmp_path / "cache") if n.startswith("probe-")]
    assert len(entries) == 2


def test_same_inputs_are_answered_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = _env(tmp_path, "alice", PYTHONUSERBASE=str(tmp_path / "base"))
    first = probe_facts(sys.executable, env, cwd=str(tmp_path))["interpreter"]
    assert str(first["user_site"]).startswith(str(tmp_path / "base") + os.sep)
    calls = []
    real_run = subprocess.run

    def counting_run(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return real_run(*args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(subprocess, "run", counting_run)
    again = probe_facts(sys.executable, env, cwd=str(tmp_path))["interpreter"]
    other = probe_facts(sys.executable, dict(env, PYTHONUSERBASE=str(tmp_path / "other")), cwd=str(tmp_path))["interpreter"]
    monkeypatch.undo()
    assert again == first
    assert "guard_cache_key" not in again
    assert str(other["user_site"]).startswith(str(tmp_path / "other") + os.sep)
    assert len(calls) == 1  # only the changed PYTHONUSERBASE ran the probe


def test_an_entry_whose_key_does_not_match_is_not_used(tmp_path: Path) -> None:
    env = _env(tmp_path, "alice")
    probe_facts(sys.executable, env, cwd=str(tmp_path))
    (entry,) = [tmp_path / "cache" / n for n in os.listdir(tmp_path / "cache") if n.startswith("probe-")]
    text = entry.read_text(encoding="utf-8")
    entry.write_text(text.replace('"guard_cache_key": "', '"guard_cache_key": "x'), encoding="utf-8")
    source = facts_module._probe_source()
    key = facts_module._cache_key(sys.executable, source, env)
    assert key is not None
    assert facts_module._cache_read(str(tmp_path / "cache"), key) is None
    assert probe_facts(sys.executable, env, cwd=str(tmp_path))["interpreter"]["user_site"]


@pytest.mark.parametrize("kind", ["fifo", "symlink to /dev/zero", "symlink to a file", "another user's", "too large", "device"])
def test_a_cache_entry_is_read_only_when_it_is_a_small_regular_file_of_ours(kind: str, tmp_path: Path) -> None:
    entry = tmp_path / "probe-entry.json"
    if kind == "fifo":
        os.mkfifo(entry)
    elif kind == "symlink to /dev/zero":
        entry.symlink_to("/dev/zero")
    elif kind == "symlink to a file":
        (tmp_path / "real.json").write_text("{}")
        entry.symlink_to(tmp_path / "real.json")
    elif kind == "another user's":
        entry.write_text("{}")
        os.chown(entry, 65534, 65534)
    elif kind == "too large":
        entry.write_text(" " * 300_000 + "{}")
    else:
        entry = Path("/dev/null")
    assert read_private_file(str(entry), 256 * 1024) is None


def test_a_plain_cache_entry_is_read(tmp_path: Path) -> None:
    entry = tmp_path / "probe-entry.json"
    entry.write_text('{"probe_version": 1}')
    assert read_private_file(str(entry), 256 * 1024) == '{"probe_version": 1}'
