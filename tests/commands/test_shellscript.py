from __future__ import annotations

from typing import Callable

Check = Callable[..., "list[tuple[str, int, int, str]]"]


def test_script_by_extension(check: Check) -> None:
    script = "#!/bin/sh\nset -e\npip install flask==3.0.3 requests\npython3 -m pip install -r requirements.txt\n"
    files = {"scripts/setup.sh": script, "scripts/requirements.txt": "idna==3.7\n"}
    assert check(files) == [("scripts/setup.sh", 3, 26, "PIN101")]


def test_missing_include_is_reported_at_the_command(check: Check) -> None:
    assert check({"setup.sh": "pip install -r nowhere.txt\n"}) == [("setup.sh", 1, 16, "GRD103")]


def test_exported_require_hashes_applies_to_later_calls(check: Check) -> None:
    files = {"setup.sh": "export PIP_REQUIRE_HASHES=1\npip install -r r.txt\n", "r.txt": "idna==3.7\n"}
    assert check(files) == [("r.txt", 1, 1, "PIN105")]


def test_unbalanced_quotes_then_the_rest(check: Check) -> None:
    assert check({"setup.sh": "echo 'oops\nsudo pip install x==1\n"}) == [("setup.sh", 1, 6, "GRD102"), ("setup.sh", 2, 6, "CMD201")]


def test_suppression_comment(check: Check) -> None:
    assert check({"setup.sh": "pip install flask  # guard: ignore[PIN101]\n"}) == []


def test_shebang_script_without_extension(check: Check) -> None:
    assert check({"bin/bootstrap": "#!/usr/bin/env bash\nsudo pip3 install flask==3.0.3\n"}) == [("bin/bootstrap", 2, 6, "CMD201")]
