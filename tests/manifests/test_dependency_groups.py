from __future__ import annotations

from guard.manifests.groups import group_key, group_requirements

GROUPS = {
    "Test_Tools": ["pytest>=8", {"include-group": "lint"}, {"include-group": "missing"}, 3],
    "lint": ["ruff==0.17.6", {"include-group": "test-tools"}],
    "docs": "not a list",
}


def test_names_compare_normalised() -> None:
    assert group_key(GROUPS, "test.tools") == "Test_Tools"
    assert group_key(GROUPS, "nope") is None


def test_includes_are_followed_once_and_cycles_end() -> None:
    assert group_requirements(GROUPS, "Test_Tools") == [("Test_Tools", 0, "pytest>=8"), ("lint", 0, "ruff==0.17.6")]


def test_a_group_that_is_not_a_list_has_no_requirements() -> None:
    assert group_requirements(GROUPS, "docs") == []
