from __future__ import annotations

import os
from typing import Callable

import pytest

from guard.check.run import check_paths
from guard.config import Settings, load_settings


def _settings(**overrides: object) -> Settings:
    return load_settings(cwd="/", environ={}, use_config_file=False, overrides=overrides or None)


@pytest.fixture
def check(tmp_path: os.PathLike[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., list[tuple[str, int, int, str]]]:
    """Write files into a temporary directory, run `guard check` there, return (path, line, column, code)."""

    # guard.check.discovery reads shebangs of explicit paths relative to the process's directory
    monkeypatch.chdir(tmp_path)

    def run(files: dict[str, str], **overrides: object) -> list[tuple[str, int, int, str]]:
        for name, text in files.items():
            target = os.path.join(str(tmp_path), name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as handle:
                handle.write(text)
        findings = check_paths(list(files), _settings(**overrides), str(tmp_path))
        return [(f.path, f.line, f.column, f.code) for f in findings]

    return run


@pytest.fixture
def check_full(tmp_path: os.PathLike[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., list[tuple[str, str, int, int, str]]]:
    """Like `check`, with whole findings: (code, path, line, column, message)."""

    monkeypatch.chdir(tmp_path)

    def run(files: dict[str, str], **overrides: object) -> list[tuple[str, str, int, int, str]]:
        for name, text in files.items():
            target = os.path.join(str(tmp_path), name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as handle:
                handle.write(text)
        findings = check_paths(list(files), _settings(**overrides), str(tmp_path))
        return [(f.code, f.path, f.line, f.column, f.message) for f in findings]

    return run
