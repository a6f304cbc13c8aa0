"""Fuzzer findings: command substitution, `sh -c`, Makefile rule-line recipes and `$(shell)`,
`.RECIPEPREFIX`, YAML aliases in flow collections, and position lookups that were quadratic."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Callable

import pytest

from guard.pipcalls.invocation import _Scanner, find_pip_calls, scan
from guard.pipcalls.makefile import recipes
from guard.text import yamlish

CheckFull = Callable[..., "list[tuple[str, str, int, int, str]]"]


def _unpinned(path: str, line: int, column: int, name: str, where: str) -> tuple[str, str, int, int, str]:
    return ("PIN101", path, line, column, f"`{name}` is not pinned (any version); pip installs in {where} require exact")


# --- command substitution, `sh -c`, `eval` -----------------------------------------------


def test_command_substitution_and_shell_strings_are_scanned(check_full: CheckFull) -> None:
    script = (
        "#!/bin/sh\n"
        "x=$(pip install a)\n"
        "echo `pip install c`\n"
        'echo "$(pip install b)"\n'
        'bash -c "pip install d && pip3 install e"\n'
        "sh -ec 'pip install f'\n"
        'eval "pip install g"\n'
        "echo $(echo $(pip install h))\n"
        "echo $((1 + 2)) 'pip install no' \"pip install no\"\n"
        "bash -c 'echo ok' pip install no\n"
    )
    where = "shell scripts"
    assert check_full({"s.sh": script}) == [
        _unpinned("s.sh", 2, 17, "a", where),
        _unpinned("s.sh", 3, 19, "c", where),
        _unpinned("s.sh", 4, 21, "b", where),
        _unpinned("s.sh", 5, 22, "d", where),
        _unpinned("s.sh", 5, 40, "e", where),
        _unpinned("s.sh", 6, 21, "f", where),
        _unpinned("s.sh", 7, 19, "g", where),
        _unpinned("s.sh", 8, 27, "h", where),
    ]


def test_shell_string_over_continued_lines_in_a_dockerfile(check_full: CheckFull) -> None:
    dockerfile = "FROM python:3.12\nRUN sh -c 'pip install \\\n    a'\n"
    assert check_full({"Dockerfile": dockerfile}) == [
        ("PIN101", "Dockerfile", 3, 5, "`a` is not pinned (any version); Dockerfile pip installs require exact")
    ]


def test_substituted_commands_run_before_the_command_holding_them() -> None:
    calls, errors, commands = find_pip_calls("echo $(pip install a) && pip install b\n", "s.sh")
    assert errors == []
    assert [(call.argv, call.command_index, call.line, call.column) for call in calls] == [
        (("install", "a"), 0, 1, 8),
        (("install", "b"), 2, 1, 26),
    ]
    assert [command.words[0].text for command in commands] == ["pip", "echo", "pip"]


def test_deeply_nested_substitutions_do_not_crash() -> None:
    text = "echo " + "$(" * 2000 + "pip install a" + ")" * 2000 + "\n"
    result = scan(text)
    assert result.errors == []
    assert len(result.commands) == 17  # the outer command and 16 nested levels; deeper is not read


def test_unbalanced_quote_inside_a_substitution_is_reported_where_written() -> None:
    result = scan("echo `echo 'x`\npip install a\n")
    assert [(error.line, error.column) for error in result.errors] == [(1, 12)]
    assert [command.words[0].text for command in result.commands] == ["echo", "pip"]


# --- Makefiles ---------------------------------------------------------------------------


def test_makefile_rule_line_recipes_shell_function_and_recipeprefix(check_full: CheckFull) -> None:
    makefile = (
        "V := $(shell pip install e)\n"
        "x: ; pip install a\n"
        "y: dep ; @echo hi && pip install b \\\n"
        "\t  c\n"
        "w:\n"
        "\techo $(shell pip install g) $$(pip install h)\n"
        "X = a:b\n"
        "q: V = 1; pip install not-a-recipe\n"
        ".RECIPEPREFIX = >\n"
        "z:\n"
        "> pip install d\n"
        ">\t@pip install f\n"
        "\tpip install not-a-recipe-either\n"
    )
    where = "Makefiles"
    assert check_full({"Makefile": makefile}) == [
        _unpinned("Makefile", 1, 26, "e", where),
        _unpinned("Makefile", 2, 18, "a", where),
        _unpinned("Makefile", 3, 34, "b", where),
        _unpinned("Makefile", 4, 4, "c", where),
        _unpinned("Makefile", 6, 27, "g", where),
        _unpinned("Makefile", 6, 45, "h", where),
        _unpinned("Makefile", 11, 15, "d", where),
        _unpinned("Makefile", 12, 16, "f", where),
    ]


def test_makefile_recipe_texts() -> None:
    variables: dict[str, str] = {}
    found = recipes("all: ; echo $(X) $$Y\nX := $(shell pip list)\n", variables)
    assert found == [("echo ${X} $Y", [(0, 1, 8), (9, 1, 17), (11, 1, 20)]), ("pip list", [(0, 2, 14)])]


# --- YAML aliases in flow collections ------------------------------------------------------


def test_flow_aliases_and_anchors() -> None:
    assert yamlish.to_python(yamlish.load("a: &a x\nb: [*a]\n")) == {"a": "x", "b": ["x"]}
    document = yamlish.load("a: [&v 1, {k: *v}, &s [y, z]]\nb: *s\nc: {m: *s}\n")
    assert yamlish.to_python(document) == {"a": [1, {"k": 1}, ["y", "z"]], "b": ["y", "z"], "c": {"m": ["y", "z"]}}
    assert isinstance(document, yamlish.Mapping)
    first = document.get("a")
    assert isinstance(first, yamlish.Sequence)
    assert document.get("b") is first.items[2]  # the anchored node itself, not a copy


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("b: [*nope]", 1, 5, "unknown alias `*nope`"),
        ("b: [&, x]", 1, 5, "an anchor needs a name"),
        ("b: [&a [*a]]", 1, 9, "unknown alias `*a`"),  # an anchor cannot hold itself
    ],
)
def test_flow_alias_errors(text: str, line: int, column: int, message: str) -> None:
    with pytest.raises(yamlish.YamlError) as raised:
        yamlish.load(text)
    assert (raised.value.line, raised.value.column, raised.value.message) == (line, column, message)


def test_gitlab_flow_alias_is_checked(check_full: CheckFull) -> None:
    gitlab = ".a: &a\n  - pip install x\njob:\n  script: [*a, echo]\nother:\n  script: [*a]\n"
    assert check_full({".gitlab-ci.yml": gitlab}) == [_unpinned(".gitlab-ci.yml", 2, 17, "x", "CI files")]


def test_nested_flow_aliases_are_walked_once(check_full: CheckFull) -> None:
    # 2**40 script lines if every alias were expanded
    lines = [".l0: &l0 [pip install x]"] + [f".l{n}: &l{n} [*l{n - 1}, *l{n - 1}]" for n in range(1, 41)]
    gitlab = "\n".join(lines) + "\njob:\n  script: *l40\n"
    assert check_full({".gitlab-ci.yml": gitlab}) == [_unpinned(".gitlab-ci.yml", 1, 23, "x", "CI files")]


# --- position lookups ----------------------------------------------------------------------


def _old_where(text: str, segments: Sequence[tuple[int, int, int]], offset: int) -> tuple[int, int]:
    """The linear lookup this replaced, as the reference for positions."""
    ordered = sorted(segments)
    best = ordered[0]
    for segment in ordered:
        if segment[0] <= offset:
            best = segment
        else:
            break
    start = min(best[0], len(text))
    breaks = text.count("\n", start, offset)
    if breaks == 0:
        return best[1], best[2] + max(0, offset - best[0])
    return best[1] + breaks, offset - text.rfind("\n", start, offset)


def test_where_matches_the_linear_lookup() -> None:
    text = "ab\ncd ef\n\ngh\nij\nkl"
    segments = [(0, 3, 2), (4, 3, 9), (4, 3, 11), (9, 7, 1), (12, 9, 4), (40, 20, 1)]
    scanner = _Scanner(text, segments, {}, {})
    for offset in range(len(text) + 3):
        assert scanner.where(offset) == _old_where(text, segments, offset), offset


def test_long_dockerfile_line_scans_in_linear_time() -> None:
    text = "pip install a && " * 20000 + "true"  # one 340 KB line: 20 s before
    calls, errors, _commands = find_pip_calls(text, "Dockerfile", "dockerfile", ((0, 2, 5),))
    assert errors == []
    assert len(calls) == 20000
    assert (calls[-1].line, calls[-1].column, calls[-1].words[-1].column) == (2, 5 + 17 * 19999, 5 + 17 * 19999 + 12)


def test_long_continued_makefile_recipe_scans_in_linear_time() -> None:
    makefile = "x:\n" + "\tpip install a \\\n" * 50000 + "\tb\n"  # 800 KB: 20 s before
    found = recipes(makefile, {})
    assert len(found) == 1
    text, segments = found[0]
    calls, errors, _commands = find_pip_calls(text, "Makefile", "makefile", segments)
    assert errors == []
    assert len(calls) == 1
    last = calls[0].words[-1]
    assert (len(calls[0].argv), last.text, last.line, last.column) == (150000, "b", 50002, 2)
