from __future__ import annotations

import inspect
from typing import Any, Callable

import pytest
from wrapper_helpers import which
from wrapper_shellcases import CASES, Shell


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__[len("case_") :])
def test_zsh(case: Callable[..., None], request: pytest.FixtureRequest) -> None:
    shell = Shell("zsh", which("zsh"))
    names = [name for name in inspect.signature(case).parameters if name != "shell"]
    kwargs: dict[str, Any] = {name: request.getfixturevalue(name) for name in names}
    case(shell, **kwargs)
