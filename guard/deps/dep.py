"""`Dep`: one dependency as written, whatever file it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional


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
