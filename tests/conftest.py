"""Shared fixtures: guard's own environment variables never leak into a test."""

from __future__ import annotations

import os
from typing import Iterator

import pytest


@pytest.fixture(autouse=True)
def _clean_guard_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in list(os.environ):
        if name.startswith("GUARD_") or name in ("NO_COLOR", "FORCE_COLOR", "PIP_REQUIRE_HASHES"):
            monkeypatch.delenv(name, raising=False)
    yield
