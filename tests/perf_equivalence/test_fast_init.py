"""`PinInfo` and `Dep` have hand-written `__init__`s (for speed): they must stay the dataclass's."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from typing import Any

import pytest

from guard.deps.dep import Dep
from guard.pinlevel import PinLevel
from guard.pinning import PinInfo


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
    assert dep == Dep(path="r.txt", line=1, column=1, text="a==1", file_kind="requirements", editable=False, hashes=(), options={}, constraint=False)
    assert repr(dep).startswith("Dep(path='r.txt', line=1, column=1, text='a==1'")
    with pytest.raises(dataclasses.FrozenInstanceError):
        dep.line = 2  # type: ignore[misc]
