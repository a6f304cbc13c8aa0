"""docs/rules/ is generated from the rule table; each rule documents itself fully."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from guard import rules
from guard.rules import DOC_HEADINGS
from guard.rules.docgen import pages

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules"


def test_docs_rules_directory_matches_the_rule_table() -> None:
    wanted = pages()
    present = {path.name: path.read_text(encoding="utf-8") for path in DOCS.glob("*.md")}
    stale = sorted(name for name in set(wanted) | set(present) if wanted.get(name) != present.get(name))
    assert stale == [], "run `python -m guard.rules.docgen` to regenerate docs/rules/"


@pytest.mark.parametrize("code", list(rules.all_rules()))
def test_each_rule_is_documented_under_the_fixed_headings(code: str) -> None:
    rule = rules.get(code)
    headings = re.findall(r"^## (.+)$", rule.doc, flags=re.MULTILINE)
    assert tuple(headings) == DOC_HEADINGS
    assert re.fullmatch(r"[A-Z]{3}\d{3}", rule.code)
    assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", rule.name)
    assert rule.summary.endswith(".")


def test_names_are_unique() -> None:
    names = [rule.name for rule in rules.all_rules().values()]
    assert len(names) == len(set(names))


def test_guard_rule_prints_the_same_page() -> None:
    result = subprocess.run([sys.executable, "-m", "guard", "rule", "PIN101"], capture_output=True, text=True, check=True)
    assert result.stdout == (DOCS / "PIN101.md").read_text(encoding="utf-8")


def test_guard_rule_by_name_and_unknown() -> None:
    by_name = subprocess.run([sys.executable, "-m", "guard", "rule", "unpinned-requirement"], capture_output=True, text=True)
    assert by_name.returncode == 0 and by_name.stdout.startswith("# PIN101 `unpinned-requirement`")
    unknown = subprocess.run([sys.executable, "-m", "guard", "rule", "XYZ1"], capture_output=True, text=True)
    assert (unknown.returncode, unknown.stderr) == (2, "guard: unknown rule 'XYZ1' (see `guard rules`)\n")
