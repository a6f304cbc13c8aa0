from __future__ import annotations

from typing import Callable

import pytest

from guard.pipcalls.makefile import recipes

Check = Callable[..., "list[tuple[str, int, int, str]]"]
CheckFull = Callable[..., "list[tuple[str, str, int, int, str]]"]


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


# A line that is not a recipe line keeps its `\` continuation lines, even tab-indented ones:
# GNU make reads `VAR = a \` + `<TAB>b` as the value `a b` and `x: a \` + `<TAB>b` as the
# prerequisites `a b` (checked with `make -n` / `make -p`, GNU make 4.3).
CONTINUED_LEFT_ALONE = [
    ("variable-value", "HELP = run \\\n\tpip install guard first\nhelp:\n\t@echo $(HELP)\n"),
    ("prerequisites", "install: venv \\\n\tpip install flask\n\techo done\n"),
    ("comment", "# the old way: \\\n\tpip install flask\nall:\n\t@echo hi\n"),
    ("export-variable", "export HINT = \\\n\tpip install flask\n"),
]


@pytest.mark.parametrize("makefile", [pytest.param(text, id=name) for name, text in CONTINUED_LEFT_ALONE])
def test_continued_non_recipe_lines_are_not_recipes(check_full: CheckFull, makefile: str) -> None:
    assert check_full({"Makefile": makefile}) == []


def test_recipe_after_a_continued_prerequisite_line_is_checked(check_full: CheckFull) -> None:
    makefile = "install: venv \\\n\tbuild\n\tpip install flask\n"
    assert check_full({"Makefile": makefile}) == [
        ("PIN101", "Makefile", 3, 14, "`flask` is not pinned (any version); pip installs in Makefiles require exact")
    ]


def test_continued_variable_value_is_joined() -> None:
    variables: dict[str, str] = {}
    recipes("VERSION := \\\n\t3.0.3\nall:\n\techo $(VERSION)\n", variables)
    assert variables == {"VERSION": "3.0.3"}


def test_an_even_number_of_backslashes_does_not_continue(check_full: CheckFull) -> None:
    makefile = "DIR = C:\\\\\ninstall: ; pip install flask\n"
    assert check_full({"Makefile": makefile}) == [
        ("PIN101", "Makefile", 2, 24, "`flask` is not pinned (any version); pip installs in Makefiles require exact")
    ]


def test_nested_shell_functions_are_read_once(check_full: CheckFull) -> None:
    # the outer `$(shell ...)` is scanned with what it nests: each inner one is not taken again
    # (2,000 levels used to take 30 s)
    makefile = "X := $(shell echo $(shell pip install requests))\nY := $(shell pip install flask) $(shell pip install six)\n"
    message = "`{}` is not pinned (any version); pip installs in Makefiles require exact"
    assert check_full({"Makefile": makefile}) == [
        ("PIN101", "Makefile", 1, 39, message.format("requests")),
        ("PIN101", "Makefile", 2, 26, message.format("flask")),
        ("PIN101", "Makefile", 2, 53, message.format("six")),
    ]


def test_an_unclosed_shell_function_ends_the_search(check_full: CheckFull) -> None:
    assert check_full({"Makefile": "X := $(shell pip install a $(shell pip install b\n"}) == []
