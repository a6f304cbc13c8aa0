"""`PinInfo` and `Dep` have hand-written `__init__`s (for speed): they must stay the dataclass's."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from typing import Any

import pytest

from guard.pins.analysis import PinInfo
from guard.pins.dep import Dep
from guard.pins.levels import PinLevel


@pytest.mark.parametrize("cls", [PinInfo, Dep])
def test_init_parameters_are_the_fields(cls: Any) -> None:
    parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    fields = dataclasses.fields(cls)
    assert [p.name for p in parameters] == [f.name for f in fields]
    for parameter, field in zip(parameters, fields):
        if field.default is not dataclasses.MISSING:
            assert parameter.default == field.default, field.name
        elif field.default_factory is not dataclasses.MISSING:
            assert parameter.default is None, field.name  # None stands for a fresh default
        else:
            assert parameter.default is inspect.Parameter.empty, field.name


def test_dataclass_behaviour_kept() -> None:
    info = PinInfo("a", PinLevel.EXACT, specifier="==1")
    assert info == PinInfo("a", PinLevel.EXACT, False, False, False, None, None, False, (), (), False, False, None, "==1")
    assert hash(info) == hash(PinInfo("a", PinLevel.EXACT, specifier="==1"))
    assert dataclasses.replace(info, level=PinLevel.HASHED).level == PinLevel.HASHED
    assert pickle.loads(pickle.dumps(info)) == info
    with pytest.raises(dataclasses.FrozenInstanceError):
        info.name = "b"  # type: ignore[misc]
    dep = Dep("r.txt", 1, 1, "a==1", "requirements")
    assert dep.options == {} and dep.options is not Dep("r.txt", 1, 1, "a==1", "requirements").options
    assert dep == Dep(
        path="r.txt", line=1, column=1, text="a==1", file_kind="requirements", editable=False, hashes=(), options={}, constraint=False
    )
    assert repr(dep).startswith("Dep(path='r.txt', line=1, column=1, text='a==1'")
    with pytest.raises(dataclasses.FrozenInstanceError):
        dep.line = 2  # type: ignore[misc]


def test_finding_fast_construction_is_the_constructor() -> None:
    from guard._frozen import FrozenInstanceError
    from guard.finding import Finding, Severity, make_finding
    from guard.rules import get

    args = ("r.txt", 3, 1, "PIN105", "x", Severity.ERROR, "msg", "pkg", "fix it")
    made = make_finding(*args)
    built = Finding(*args)
    keywords = Finding(
        path="r.txt", line=3, column=1, code="PIN105", name="x", severity=Severity.ERROR, message="msg", package="pkg", fix="fix it"
    )
    assert type(made) is Finding and made == built == keywords and hash(made) == hash(built)
    assert repr(made) == repr(built)
    assert pickle.loads(pickle.dumps(made)) == made
    assert made.replace(fix=None) == Finding(*args[:8])
    assert made.with_severity(Severity.INFO).severity is Severity.INFO
    assert make_finding(*args[:7]) == Finding(*args[:7]) and make_finding(*args[:7]).fix is None
    with pytest.raises(FrozenInstanceError):
        made.line = 4
    with pytest.raises(FrozenInstanceError):
        del made.line
    rule = get("PIN105")
    assert rule.finding("r.txt", 3, 1, "msg", package="pkg") == Finding(
        "r.txt", 3, 1, rule.code, rule.name, rule.severity, "msg", "pkg", None
    )
