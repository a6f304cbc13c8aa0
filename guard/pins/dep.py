"""`Dep`: one dependency as written, whatever file it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional


@dataclass(frozen=True)
class Dep:
    """One dependency at one place.

    `text` is the requirement exactly as pip would hand it to its requirement parser (for a
    requirement file: after joining continuations and dropping comments and options).
    `file_kind` selects the pin policy (`requirements`, `constraints`, `requirements-in`, ...).
    `hashes` are `algo:digest` strings from `--hash` options.
    """

    path: str
    line: int
    column: int
    text: str
    file_kind: str
    editable: bool = False
    hashes: tuple[str, ...] = ()
    options: Mapping[str, object] = field(default_factory=dict)
    constraint: bool = False

    # Hand-written, and dataclass keeps it: the generated `__init__` of a frozen dataclass
    # stores each field through `object.__setattr__`, a large share of reading a requirement
    # file (one Dep a requirement). Filling `__dict__` stores the same values; freezing only
    # guards assignment afterwards. Same parameters, order and defaults as the fields
    # (`options=None` stands for the default, a fresh dict; tests/perf_equivalence checks it).
    def __init__(
        self,
        path: str,
        line: int,
        column: int,
        text: str,
        file_kind: str,
        editable: bool = False,
        hashes: tuple[str, ...] = (),
        options: Optional[Mapping[str, object]] = None,
        constraint: bool = False,
    ) -> None:
        values: dict[str, Any] = self.__dict__
        values["path"] = path
        values["line"] = line
        values["column"] = column
        values["text"] = text
        values["file_kind"] = file_kind
        values["editable"] = editable
        values["hashes"] = hashes
        values["options"] = {} if options is None else options
        values["constraint"] = constraint
