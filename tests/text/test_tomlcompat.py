"""`guard.text.tomlcompat.loads`: the standard parser, with limits that keep it linear."""

from __future__ import annotations

import pytest

from guard.text.tomlcompat import MAX_KEY_PARTS, TOMLNestingError, loads, longest_dotted_key


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        pytest.param("a = 1\n", 1, id="plain"),
        pytest.param("a.b.c = 1\n", 3, id="dotted"),
        pytest.param("[tool.poetry.dependencies]\nx = '1.2.3'\n", 3, id="header, dots in a string"),
        pytest.param('"a.b".c = 1  # x.y.z.w\n', 2, id="quoted key, comment"),
        pytest.param('x = """\na.b.c.d.e\n"""\ny.z = 1\n', 2, id="multi-line string"),
        pytest.param("x = [1.5, 2.5]\n", 2, id="floats in an array"),
        pytest.param("x = {a.b = 1, c.d.e = 2}\n", 3, id="inline table"),
    ],
)
def test_longest_dotted_key(text: str, parts: int) -> None:
    assert longest_dotted_key(text) == parts


def test_a_key_at_the_limit_is_read() -> None:
    key = ".".join(["a"] * MAX_KEY_PARTS)
    document = loads(f"{key} = 1\n")
    for _ in range(MAX_KEY_PARTS - 1):
        document = document["a"]
    assert document == {"a": 1}


def test_a_longer_key_is_refused_before_parsing() -> None:
    # 25,000 parts: the standard parser needed gigabytes for this
    with pytest.raises(TOMLNestingError, match=r"^a dotted key of 25000 parts is more than the 256 guard reads$"):
        loads(".".join(["a"] * 25000) + " = 1\n")
