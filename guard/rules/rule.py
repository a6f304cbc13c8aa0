"""One rule's record: code, name, default severity, summary and documentation.

Its own module so that the family modules (`cmd`, `env`, `grd`, `pin`) and the table that
merges them (`guard.rules`) do not import each other.
"""

from __future__ import annotations

from guard._frozen import Frozen, _set
from guard.finding import Finding, Severity, make_finding

TYPE_CHECKING = False
if TYPE_CHECKING:  # `typing` and `dataclasses` stay out of the pip wrapper's start-up
    from typing import Optional

DOC_HEADINGS = ("What it does", "Why it matters", "Example", "How to fix")


class Rule(Frozen):
    """Metadata of one rule. `doc` is Markdown with the four `DOC_HEADINGS` as `##` sections.

    A frozen record (guard._frozen: equality, hashing and repr of a frozen dataclass).
    """

    _fields = ("code", "name", "severity", "summary", "doc", "enabled_by_default", "retired")
    __slots__ = _fields

    def __init__(
        self,
        code: str,
        name: str,
        severity: Severity,
        summary: str,
        doc: str,
        enabled_by_default: bool = True,
        retired: bool = False,
    ) -> None:
        _set(self, "code", code)
        _set(self, "name", name)
        _set(self, "severity", severity)
        _set(self, "summary", summary)
        _set(self, "doc", doc)
        _set(self, "enabled_by_default", enabled_by_default)
        _set(self, "retired", retired)

    code: str
    name: str
    severity: Severity
    summary: str
    doc: str
    enabled_by_default: bool
    retired: bool

    @property
    def family(self) -> str:
        return self.code.rstrip("0123456789")

    def finding(
        self,
        path: str,
        line: int,
        column: int,
        message: str,
        *,
        package: Optional[str] = None,
        fix: Optional[str] = None,
        end: Optional[tuple[int, int]] = None,
    ) -> Finding:
        # Positional and without the constructor call: one per finding, thousands per run.
        if end is None:
            return make_finding(path, line, column, self.code, self.name, self.severity, message, package, fix)
        return make_finding(path, line, column, self.code, self.name, self.severity, message, package, fix, end[0], end[1])
