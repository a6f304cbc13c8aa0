from __future__ import annotations

import random

import pytest

from guard.text import yamlish

yaml = pytest.importorskip("yaml")  # PyYAML comes with pre-commit, a test dependency

AGREES_WITH_PYYAML = [
    pytest.param("a: 1\nb:\n  - x\n  - y: 2\n    z: 3\n", id="nested"),
    pytest.param("key:\n- a\n- b\nother: c\n", id="compact-sequence"),
    pytest.param("run: |\n  echo a\n  pip install x\n\nnext: 1\n", id="literal"),
    pytest.param("run: |-\n  a\n  b\n", id="literal-strip"),
    pytest.param("run: |+\n  a\n\n\nz: 1\n", id="literal-keep"),
    pytest.param("f: >\n  a\n  b\n\n  c\n    d\n  e\n", id="folded"),
    pytest.param("q: 'it''s'\nd: \"a\\tb\\u0041\"\n", id="quoted"),
    pytest.param("l: [a, 'b c', \"d\"]\nm: {x: 1, y: [2, 3]}\n", id="flow"),
    pytest.param("p: this is\n  a plain\n  scalar\n", id="plain-multiline"),
    pytest.param("base: &b\n  x: 1\nuse:\n  <<: *b\n  y: 2\nal: *b\n", id="anchors-merge"),
    pytest.param("- - a\n  - b\n- c\n", id="nested-sequences"),
    pytest.param('a: "multi\n  line"\n', id="quoted-multiline"),
    pytest.param("# c\n---\na: b\n...\n", id="markers"),
    pytest.param("url: http://x:8080/a # comment\n", id="colon-in-plain"),
    pytest.param("empty:\nnext: ~\n", id="nulls"),
    pytest.param("a:\n  - b: |\n      x\n      y\n    c: d\n", id="block-in-sequence"),
    pytest.param("", id="empty"),
]


@pytest.mark.parametrize("text", AGREES_WITH_PYYAML)
def test_agrees_with_pyyaml(text: str) -> None:
    assert yamlish.to_python(yamlish.load(text)) == yaml.safe_load(text)


def test_positions() -> None:
    document = yamlish.load("jobs:\n  a:\n    steps:\n      - run: |\n          one\n          two\n")
    assert isinstance(document, yamlish.Mapping)
    run = document.value["jobs"].value["a"].value["steps"].value[0].value["run"]  # type: ignore[union-attr]
    assert isinstance(run, yamlish.Scalar)
    assert (run.line, run.column, run.value) == (4, 14, "one\ntwo\n")
    assert run.position(4) == (6, 11)


@pytest.mark.parametrize(
    "text, line, column",
    [
        pytest.param('a: "x\nb: 1', 1, 4, id="unclosed-quote"),
        pytest.param("a: [1, 2\nb: 3", 2, 2, id="unclosed-flow"),
        pytest.param("a:\n\t- b", 2, 1, id="tab-indent"),
        pytest.param("a: b\n  c: d", 2, 3, id="mapping-in-plain"),
        pytest.param("? x\n", 1, 1, id="complex-key"),
        pytest.param("- a\nb: c", 2, 1, id="mixed-top-level"),
        pytest.param("a: *nope", 1, 4, id="unknown-alias"),
        pytest.param("a:\n  b: 1\n c: 2", 3, 2, id="bad-indentation"),
    ],
)
def test_errors_have_a_place(text: str, line: int, column: int) -> None:
    with pytest.raises(yamlish.YamlError) as caught:
        yamlish.load(text)
    assert (caught.value.line, caught.value.column) == (line, column)


def test_random_input_never_raises_anything_but_yaml_error() -> None:
    alphabet = "ab: -\n\"'[]{}|>#&*!\t,?%~"
    generator = random.Random(6)
    for _ in range(3000):
        text = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 40)))
        try:
            yamlish.load(text)
        except yamlish.YamlError:
            pass


@pytest.mark.parametrize(
    "text, error_at, recovered",
    [
        pytest.param("a: 1\nb: 2\n", None, {"a": "1", "b": "2"}, id="no-error"),
        pytest.param(
            's:\n  - run: one\n  - run: "two\n    name: x\n  - run: three\n',
            (3, 10),
            {"s": [{"run": "one"}, {"run": "three"}]},
            id="unclosed-quote-item",
        ),
        pytest.param("a: [1, 2\nb: 3\nc: 4\n", (2, 2), {"b": "3", "c": "4"}, id="bracket-swallows-next-line"),
        pytest.param("a:\n  b: 1\n c: 2\nd: 3\n", (3, 2), {"a": {"b": "1"}, "d": "3"}, id="bad-indentation"),
        pytest.param("x: 1\nsteps: [\n", (2, 8), {"x": "1"}, id="unclosed-at-end"),
        pytest.param('"', (1, 1), None, id="nothing-left"),
    ],
)
def test_load_recovering_drops_the_broken_item(text: str, error_at: object, recovered: object) -> None:
    node, error = yamlish.load_recovering(text)
    assert (None if error is None else (error.line, error.column)) == error_at
    assert _plain(yamlish.to_python(node)) == recovered


def _plain(value: object) -> object:
    """Scalars as strings, so the expectations read like the text."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return None if value is None else str(value)


def test_load_recovering_keeps_positions() -> None:
    node, error = yamlish.load_recovering("a:\n  - run: 'x\n  - run: pip install y\n")
    assert error is not None and (error.line, error.column) == (2, 10)
    assert isinstance(node, yamlish.Mapping)
    sequence = node.get("a")
    assert isinstance(sequence, yamlish.Sequence) and len(sequence.items) == 1
    run = sequence.items[0]
    assert isinstance(run, yamlish.Mapping)
    scalar = run.get("run")
    assert isinstance(scalar, yamlish.Scalar) and (scalar.line, scalar.column) == (3, 10)


def test_load_recovering_never_raises() -> None:
    alphabet = "ab: -\n\"'[]{}|>#&*!\t,?%~"
    generator = random.Random(7)
    for _ in range(2000):
        text = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 60)))
        yamlish.load_recovering(text)
