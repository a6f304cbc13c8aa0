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
        pytest.param("s: [a\n  b: 1]", 2, 4, id="single-pair-key-over-two-lines"),
        pytest.param("run: echo a: b\n", 1, 12, id="colon-space-in-a-plain-value"),
        pytest.param("- run: echo a:\n", 1, 14, id="colon-at-the-end-of-a-plain-value"),
        pytest.param("k: - a\n  - b\n", 1, 4, id="sequence-on-the-line-of-its-key"),
        pytest.param("k: a  # note\n  b\n", 2, 3, id="comment-ends-a-plain-value"),
        pytest.param('&a "x: 1\n', 1, 4, id="unclosed-quote-in-a-key-after-an-anchor"),
        pytest.param("a: 1\nb: " + "[" * 5000 + "\n", 2, 1, id="flow-nesting-too-deep"),
        pytest.param("a: &m {x: 1}\n*m : 2\n", 2, 1, id="alias-of-a-mapping-as-key"),
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


READS = [
    pytest.param('run: "pip install a\\npip install b"\n', {"run": "pip install a\npip install b"}, id="escaped-newline-in-double-quotes"),
    pytest.param('k: "a\\t\n  b"\n', {"k": "a\t b"}, id="escaped-tab-before-a-break"),
    pytest.param('k: "a \\\n  b"\n', {"k": "a b"}, id="escaped-line-break"),
    pytest.param('k: "a\n\n  b"\n', {"k": "a\nb"}, id="empty-line-in-double-quotes"),
    pytest.param("k: 'a  \n  b'\n", {"k": "a b"}, id="spaces-before-a-break-in-single-quotes"),
    pytest.param("f: >\n  a\n\n  b\n", {"f": "a\nb\n"}, id="folded-empty-line"),
    pytest.param("f: >\n  a\n    b\n  c\n", {"f": "a\n  b\nc\n"}, id="folded-more-indented"),
    pytest.param("f: >\n  a\n\n    b\n", {"f": "a\n\n  b\n"}, id="folded-empty-line-before-more-indented"),
    pytest.param("f: >\n\n  a\n", {"f": "\na\n"}, id="folded-leading-empty-line"),
    pytest.param("f: >-\n  a\n   b\n\n", {"f": "a\n b"}, id="folded-strip"),
    pytest.param("k: |+\n\n", {"k": "\n"}, id="keep-with-only-an-empty-line"),
    pytest.param("k: |\n  x\n   \n", {"k": "x\n \n"}, id="literal-line-of-spaces-is-text"),
    pytest.param("m: [\n  a,\n  b\n  # c\n]\n", {"m": ["a", "b"]}, id="flow-comment-after-last-item"),
    pytest.param("m: [\n  a,\n  # b,\n  c\n]\n", {"m": ["a", "c"]}, id="flow-comment-between-items"),
    pytest.param("m: {\n  a: 1\n  # b: 2\n}\n", {"m": {"a": 1}}, id="flow-mapping-comment"),
    pytest.param("s: [!reference [.setup, script], echo]\n", {"s": [[".setup", "script"], "echo"]}, id="reference-in-flow"),
    pytest.param("s: [!!str 1, b]\n", {"s": [1, "b"]}, id="tag-dropped-in-flow"),
    pytest.param("s: [&x , *x]\n", {"s": [None, None]}, id="empty-anchored-item-in-flow"),
    pytest.param("s: {a: !t , b: c}\n", {"s": {"a": None, "b": "c"}}, id="empty-tagged-value-in-flow"),
    pytest.param("s: [a: 1, b]\n", {"s": [{"a": 1}, "b"]}, id="single-pair-in-flow-sequence"),
    pytest.param("s: {a: , b:\n}\n", {"s": {"a": None, "b": None}}, id="empty-values-in-flow-mapping"),
    pytest.param("s: [a: ]\n", {"s": [{"a": None}]}, id="empty-value-of-a-single-pair"),
    pytest.param("&k a: 1\n*k : 2\n", {"a": 2}, id="anchored-key-and-alias-key"),
    pytest.param('!!str &k "a": 1\nb: *k\n', {"a": 1, "b": "a"}, id="quoted-key-with-properties"),
    pytest.param("a: b\n \tc\n", {"a": "b c"}, id="tab-after-indentation-in-plain"),
    pytest.param("text\n... # end\n", "text", id="document-end-after-plain"),
    pytest.param("---\ttext\n", "text", id="document-start-with-tab"),
    pytest.param(":\n", {"": None}, id="empty-key"),
]


@pytest.mark.parametrize("text, expected", READS)
def test_reads(text: str, expected: object) -> None:
    assert yamlish.to_python(yamlish.load(text)) == expected


# PyYAML reads neither tags it does not know nor tabs after indentation, and keys are not
# always strings there
PYYAML_DIFFERS = {
    "reference-in-flow",
    "tag-dropped-in-flow",
    "empty-tagged-value-in-flow",
    "tab-after-indentation-in-plain",
    "document-start-with-tab",
    "empty-key",
}


@pytest.mark.parametrize("text, expected", [param for param in READS if param.id not in PYYAML_DIFFERS])
def test_reads_agree_with_pyyaml(text: str, expected: object) -> None:
    assert yaml.safe_load(text) == expected


def test_flow_item_before_a_comment_line_keeps_its_place() -> None:
    document = yamlish.load("m: [\n  a,\n  b\n  # - c\n]\n")
    assert isinstance(document, yamlish.Mapping)
    sequence = document.get("m")
    assert isinstance(sequence, yamlish.Sequence)
    assert [(item.value, item.line, item.column) for item in sequence.items if isinstance(item, yamlish.Scalar)] == [
        ("a", 2, 3),
        ("b", 3, 3),
    ]


def test_multi_line_quote_positions() -> None:
    document = yamlish.load('a: 1\nk: "ab\n   cd" # c\nz: 2\n')
    assert isinstance(document, yamlish.Mapping)
    scalar = document.get("k")
    assert isinstance(scalar, yamlish.Scalar)
    assert (scalar.value, scalar.line, scalar.column) == ("ab cd", 2, 4)
    assert (scalar.position(0), scalar.position(3)) == ((2, 5), (3, 4))
    assert yamlish.to_python(document) == {"a": 1, "k": "ab cd", "z": 2}


def _doubling_chain(levels: int) -> str:
    """Each level merges the one before twice: expanded naively, 2**levels mappings."""
    text = ".l0: &l0\n  k0: v\n"
    for level in range(1, levels):
        text += f".l{level}: &l{level}\n  <<: [*l{level - 1}, *l{level - 1}]\n  k{level}: v\n"
    return text + f"job:\n  <<: [*l{levels - 1}, *l{levels - 1}]\n  script: x\n"


def test_merge_chain_is_expanded_once_per_mapping() -> None:
    document = yamlish.load(_doubling_chain(40))
    assert isinstance(document, yamlish.Mapping)
    job = document.get("job")
    assert isinstance(job, yamlish.Mapping)
    assert sorted(job.merged()) == sorted([f"k{level}" for level in range(40)] + ["script"])


def test_merges_past_the_budget_are_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlish, "MERGE_BUDGET", 10)
    text = "a: &a {k1: 1, k2: 2, k3: 3, k4: 4, k5: 5, k6: 6}\nb:\n  <<: *a\nc:\n  <<: *a\n"
    with pytest.raises(yamlish.YamlError) as caught:
        yamlish.load(text)
    assert (caught.value.line, caught.value.column, caught.value.message) == (5, 3, "merge keys (`<<`) expand to more than 10 entries")


def test_merges_within_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlish, "MERGE_BUDGET", 12)
    text = "a: &a {k1: 1, k2: 2, k3: 3, k4: 4, k5: 5, k6: 6}\nb:\n  <<: *a\nc:\n  <<: *a\n"
    assert yamlish.to_python(yamlish.load(text))["c"] == {"k1": 1, "k2": 2, "k3": 3, "k4": 4, "k5": 5, "k6": 6}


def test_to_python_converts_a_shared_node_once() -> None:
    text = "l0: &l0 [x]\n" + "".join(f"l{n}: &l{n} [*l{n - 1}, *l{n - 1}]\n" for n in range(1, 60))
    value = yamlish.to_python(yamlish.load(text))
    assert value["l59"][0] is value["l59"][1] is value["l58"]
    assert value["l1"] == [["x"], ["x"]]


class _Counting:
    """Counts how often a construct is read from the start: once per batch of lines."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
        self.calls = 0
        original = getattr(yamlish, name)

        def counted(*args: object, **kwargs: object) -> object:
            self.calls += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(yamlish, name, counted)


def test_unclosed_bracket_is_read_a_logarithmic_number_of_times(monkeypatch: pytest.MonkeyPatch) -> None:
    counting = _Counting(monkeypatch, "_FlowParser")
    text = "name: x\ndependencies: [\n" + "".join(f"  - pkg{n}=1.0\n" for n in range(1000))
    node, error = yamlish.load_recovering(text)
    assert error is not None and (error.line, error.column, error.message) == (2, 15, "unclosed flow collection")
    assert yamlish.to_python(node) == {"name": "x"}
    assert counting.calls <= 2 * (1 + (1002).bit_length())  # line by line, it was 1000 reads per load


def test_long_quote_is_read_a_logarithmic_number_of_times(monkeypatch: pytest.MonkeyPatch) -> None:
    counting = _Counting(monkeypatch, "_quoted")
    text = 'k: "start\n' + "".join(f"  w{n}\n" for n in range(1000)) + '  end"\nz: 1\n'
    assert yamlish.to_python(yamlish.load(text)) == {"k": " ".join(["start"] + [f"w{n}" for n in range(1000)] + ["end"]), "z": 1}
    assert counting.calls <= 1 + (1002).bit_length()


@pytest.mark.parametrize(
    "text, offset, position",
    [
        pytest.param('run: "pip a\\npip b"\n', 6, (1, 14), id="after-an-escaped-newline"),
        pytest.param('run: "pip a\\npip b"\n', 10, (1, 18), id="further-after-an-escaped-newline"),
        pytest.param('run: "\\tx"\n', 1, (1, 9), id="after-an-escaped-tab"),
        pytest.param('run: "a\n\n   b"\n', 2, (3, 4), id="after-an-empty-line"),
        pytest.param('run: "a \\\n   b"\n', 2, (2, 4), id="after-an-escaped-line-break"),
        pytest.param("run: 'it''s x'\n", 5, (1, 13), id="single-quoted-without-escapes"),
    ],
)
def test_positions_inside_double_quotes_follow_the_text(text: str, offset: int, position: tuple[int, int]) -> None:
    document = yamlish.load(text)
    assert isinstance(document, yamlish.Mapping)
    scalar = document.get("run")
    assert isinstance(scalar, yamlish.Scalar)
    assert scalar.position(offset) == position


def test_load_recovering_keeps_a_document_whose_merges_are_past_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlish, "MERGE_BUDGET", 10)
    text = "a: &a {k1: 1, k2: 2, k3: 3, k4: 4, k5: 5, k6: 6}\nb:\n  <<: *a\nc:\n  <<: *a\nd:\n  <<: *a\n  x: 1\n"
    node, error = yamlish.load_recovering(text)
    assert error is not None and (error.line, error.column, error.message) == (5, 3, "merge keys (`<<`) expand to more than 10 entries")
    value = yamlish.to_python(node)
    assert (sorted(value["b"]), sorted(value["c"]), value["d"]) == (["k1", "k2", "k3", "k4", "k5", "k6"],) * 2 + ({"x": 1},)
