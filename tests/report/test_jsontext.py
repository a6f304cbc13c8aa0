"""The JSON and SARIF writers' text is byte for byte what `json.dumps(..., indent=2)` gave."""

from __future__ import annotations

import collections
import io
import json
import random
from typing import Any, Callable

import pytest

from guard.finding import Finding, Severity
from guard.report import json_report, jsontext, sarif

STRINGS = [
    "",
    "plain",
    'quote " backslash \\ slash /',
    "line\nbreak\r\ttab\x00nul\x1b\x7f",
    "é ü ß 中文 😀 \u2028\u2029 \ufeff",
    "lone \udc80 surrogate",
    'looks like json: {"a": [1, 2]},\n  ',
    ",\n  ",
]


def _random_value(rng: random.Random, depth: int) -> Any:
    roll = rng.random()
    if depth >= 4 or roll < 0.45:
        return rng.choice([*STRINGS, 0, -7, 2**70, 1.5, -0.0, 1e300, True, False, None, float("inf")])
    if roll < 0.75:
        return {rng.choice(STRINGS) + str(i): _random_value(rng, depth + 1) for i in range(rng.randrange(0, 5))}
    return [_random_value(rng, depth + 1) for _ in range(rng.randrange(0, 5))]


def _findings() -> list[Finding]:
    rng = random.Random(7)
    found = []
    for number in range(300):
        found.append(
            Finding(
                rng.choice(["requirements.txt", "dir with space/ci.yml", "ü/Dockerfile", "a\\b.txt"]),
                rng.randrange(0, 50),
                rng.randrange(0, 9),
                rng.choice(["PIN101", "GRD102", "CMD201", "XYZ999"]),
                "some-rule",
                rng.choice(list(Severity)),
                rng.choice(STRINGS) + f" #{number}",
                package=rng.choice([None, "requests", "café"]),
                fix=rng.choice([None, *STRINGS]),
                end_line=rng.choice([None, rng.randrange(1, 60)]),
                end_column=rng.choice([None, rng.randrange(1, 30)]),
            )
        )
    return found


FIXED: list[Any] = [
    {},
    [],
    {"a": {}},
    {"a": []},
    [[]],
    [{}],
    [1, [2, [3, {}]]],
    {"k": STRINGS},
    {"flat": {s: s for s in STRINGS}},
    (1, (2, "x")),
    collections.OrderedDict(a={"b": [1, {"c": None}]}),
    "top-level string",
    1.25,
    None,
    {"a": {"b": {"c": [1, 2, {"d": "e"}]}}, "z": [{"y": 1}, {}], "t": (1, 2)},
]


@pytest.mark.parametrize("dumps", [jsontext.dumps, jsontext.spliced], ids=["dumps", "spliced"])
def test_equal_to_json_dumps_on_every_shape(dumps: Callable[[Any], str]) -> None:
    rng = random.Random(2024)
    values = FIXED + [_random_value(rng, 0) for _ in range(2000)]
    mismatches = [value for value in values if dumps(value) != json.dumps(value, indent=2, ensure_ascii=False)]
    assert mismatches == []


@pytest.mark.parametrize("dumps", [jsontext.dumps, jsontext.spliced], ids=["dumps", "spliced"])
def test_equal_on_report_documents(dumps: Callable[[Any], str]) -> None:
    findings = _findings()
    documents = [
        {"version": 1, "findings": [json_report.finding_to_dict(f) for f in findings], "skipped_fixtures": 3},
        sarif.document(findings),
        sarif.document([]),
    ]
    for document in documents:
        assert dumps(document) == json.dumps(document, indent=2, ensure_ascii=False)


def test_the_writers_print_what_json_dumps_printed() -> None:
    findings = _findings()
    for write, build in [
        (
            json_report.report,
            lambda: {"version": 1, "findings": [{**json_report.finding_to_dict(f), **json_report.fix_to_dict(None)} for f in findings]},
        ),
        (sarif.report, lambda: sarif.document(findings)),
    ]:
        stream = io.StringIO()
        write(findings, stream)
        assert stream.getvalue() == json.dumps(build(), indent=2, ensure_ascii=False) + "\n"


def test_keys_and_refusals_as_json() -> None:
    keys = {1: [], 2.5: [], False: [{}], None: [[]], "s": [1]}
    assert jsontext.spliced(keys) == json.dumps(keys, indent=2, ensure_ascii=False)
    for bad in [{"a": [object()]}, {(1, 2): [[]]}, {"a": {"b": [{(1, 2): []}]}}]:
        with pytest.raises(TypeError):
            json.dumps(bad, indent=2)
        with pytest.raises(TypeError):
            jsontext.spliced(bad)
