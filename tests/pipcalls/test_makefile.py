from __future__ import annotations

from typing import Callable

from guard.pipcalls.makefile import recipes

Check = Callable[..., "list[tuple[str, int, int, str]]"]


def test_recipes_prefixes_variables_and_continuations(check: Check) -> None:
    makefile = (
        "PYTHON ?= python3\n"
        "VERSION := 3.0.3\n"
        "install:\n"
        "\t@$(PYTHON) -m pip install flask==$(VERSION) requests\n"
        "\t-sudo pip install \\\n"
        "\t\tmypy==1.10.0\n"
        "\techo $$HOME pip\n"
    )
    assert check({"Makefile": makefile}) == [("Makefile", 4, 46, "PIN101"), ("Makefile", 5, 8, "CMD201")]


def test_recipe_text() -> None:
    variables: dict[str, str] = {}
    found = recipes("X = 1\nall:\n\t@echo $(X) $$Y\n", variables)
    assert [text for text, _segments in found] == ["echo ${X} $Y"]
    assert variables == {"X": "1"}
