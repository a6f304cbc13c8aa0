"""Positions of TOML keys and values, found in the text (parsers give none)."""

from __future__ import annotations

from typing import Any, Iterator

import pytest

from guard.text.tomlcompat import TOMLDecodeError, loads
from guard.text.tomlpos import TomlPositions, decode_error_position

DOC = '''# leading comment
[project]
name = "demo"
dependencies = [
    "requests>=2",  # a comment with "quotes" and [brackets]
    'literal==1.0',

    # a comment line inside the array
    "esc\\"aped \\u00e9",
]
optional-dependencies.test = ["pytest", { skip = "me" }]

[tool.poetry.dependencies]
python = "^3.9"
flask = { version = "^2.0", extras = ["async"] }
"quoted.key" = "1.0"
multi = """
line "one"
"""
after = 'x'

[[package]]
name = "a"
[package.source]
git = "https://x"

[[package]]
name = "b"
wheels = [
  { url = "https://w", hash = "sha256:00" },
  {url="https://v",hash="sha256:01"},
]
nested = [["x", "y"], ["z"]]
when = 1979-05-27 07:32:00Z
'''


@pytest.mark.parametrize(
    ("path", "position"),
    [
        pytest.param(("project",), (2, 1), id="table-header"),
        pytest.param(("project", "name"), (3, 8), id="simple-value"),
        pytest.param(("project", "dependencies", 0), (5, 5), id="multi-line-array-first"),
        pytest.param(("project", "dependencies", 1), (6, 5), id="literal-string"),
        pytest.param(("project", "dependencies", 2), (9, 5), id="after-blank-and-comment-lines"),
        pytest.param(("project", "optional-dependencies", "test", 0), (11, 31), id="dotted-key-array"),
        pytest.param(("project", "optional-dependencies", "test", 1, "skip"), (11, 50), id="inline-table-in-array"),
        pytest.param(("tool", "poetry", "dependencies", "flask", "version"), (15, 21), id="inline-table-value"),
        pytest.param(("tool", "poetry", "dependencies", "flask", "extras", 0), (15, 39), id="array-in-inline-table"),
        pytest.param(("tool", "poetry", "dependencies", "quoted.key"), (16, 16), id="quoted-key"),
        pytest.param(("tool", "poetry", "dependencies", "multi"), (17, 9), id="multi-line-string"),
        pytest.param(("tool", "poetry", "dependencies", "after"), (20, 9), id="after-multi-line-string"),
        pytest.param(("package", 0, "name"), (23, 8), id="array-of-tables-first"),
        pytest.param(("package", 0, "source", "git"), (25, 7), id="sub-table-of-array-of-tables"),
        pytest.param(("package", 1, "name"), (28, 8), id="array-of-tables-second"),
        pytest.param(("package", 1, "wheels", 0, "hash"), (30, 31), id="inline-table-spaced"),
        pytest.param(("package", 1, "wheels", 1, "hash"), (31, 25), id="inline-table-tight"),
        pytest.param(("package", 1, "nested", 1, 0), (33, 24), id="nested-array"),
        pytest.param(("package", 1, "when"), (34, 8), id="datetime-with-space"),
    ],
)
def test_value_positions(path: tuple[Any, ...], position: tuple[int, int]) -> None:
    assert TomlPositions(DOC).value(*path) == position


def test_key_positions_point_at_the_key() -> None:
    positions = TomlPositions(DOC)
    assert positions.key("tool", "poetry", "dependencies", "flask") == (15, 1)
    assert positions.key("tool", "poetry", "dependencies", "quoted.key") == (16, 1)
    assert positions.locate_key("tool", "poetry", "dependencies", "flask") == (15, 1)


def test_locate_falls_back_to_the_nearest_ancestor() -> None:
    positions = TomlPositions(DOC)
    assert positions.locate("project", "dependencies", 99) == (4, 16)
    assert positions.locate("nowhere") == (1, 1)


def _strings(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, path + (index,))
    elif isinstance(value, str):
        yield path, value


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_every_simple_string_is_found_where_it_is_written(newline: str) -> None:
    text = DOC.replace("\n", newline)
    data = loads(text)
    positions = TomlPositions(text)
    lines = text.split(newline)
    checked = 0
    for path, value in _strings(data):
        line, column = positions.value(*path) or (0, 0)
        written = lines[line - 1][column - 1 :]
        assert written[:1] in ('"', "'"), path
        if "\\" not in written.split(written[0])[1] and "\n" not in value:
            assert written[1:].startswith(value), path
            checked += 1
    assert checked >= 20


def test_escaped_quote_does_not_end_the_string() -> None:
    text = 'a = ["x\\"y", "z"]\n'
    assert TomlPositions(text).value("a", 1) == (1, 14)


def test_unicode_columns_count_characters() -> None:
    text = 'a = ["é", "z"]\n'
    assert TomlPositions(text).value("a", 1) == (1, 11)


def test_multi_line_string_with_extra_closing_quotes() -> None:
    text = 'a = """x""""\nb = "y"\n'
    assert loads(text)["a"] == 'x"'
    assert TomlPositions(text).value("b") == (2, 5)


@pytest.mark.parametrize(
    ("text", "position"),
    [
        pytest.param("a = 1\nb = = 2\n", (2, 5), id="invalid-value"),
        pytest.param("a = 1\nb = [1,\n", (3, 1), id="end-of-document"),
    ],
)
def test_decode_error_position(text: str, position: tuple[int, int]) -> None:
    with pytest.raises(TOMLDecodeError) as caught:
        loads(text)
    assert decode_error_position(caught.value, text) == position
