"""The rule table: every code guard can report, with its name, default severity and docs.

One explicit table, no plugin discovery. Each family lives in its own module and lists its
`Rule`s; this module merges them. A code is never reused: a retired rule keeps its entry
with `retired=True`.
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
    ) -> Finding:
        # Positional and without the constructor call: one per finding, thousands per run.
        return make_finding(path, line, column, self.code, self.name, self.severity, message, package, fix)


FAMILIES = {
    "GRD": "guard itself: files it cannot read or parse, suppressions",
    "PIN": "pinning of dependencies in requirement files and manifests",
    "ENV": "the Python environment pip would install into",
    "CMD": "pip invocations written in Dockerfiles, scripts and CI files",
}


def _load() -> dict[str, Rule]:
    from guard.rules import cmd, env, grd, pin

    table: dict[str, Rule] = {}
    for module in (grd, pin, env, cmd):
        for rule in module.RULES:
            if rule.code in table:
                raise RuntimeError(f"duplicate rule code {rule.code}")
            table[rule.code] = rule
    return table


_TABLE: Optional[dict[str, Rule]] = None


def all_rules() -> dict[str, Rule]:
    """Code -> Rule, in table order."""
    global _TABLE
    if _TABLE is None:
        _TABLE = _load()
    return _TABLE


def get(code: str) -> Rule:
    return all_rules()[code]


def by_name_or_code(key: str) -> Optional[Rule]:
    key = key.strip()
    table = all_rules()
    if key.upper() in table:
        return table[key.upper()]
    for rule in table.values():
        if rule.name == key:
            return rule
    return None


def codes_matching(prefix: str) -> list[str]:
    """Codes selected by a prefix such as `PIN`, `PIN1`, `PIN101` or `ALL`."""
    prefix = prefix.strip().upper()
    if prefix == "ALL":
        return list(all_rules())
    return [code for code in all_rules() if code.startswith(prefix)]


def render_doc(rule: Rule) -> str:
    """The page printed by `guard rule CODE` and written to `docs/rules/CODE.md`."""
    status = " (retired)" if rule.retired else ""
    default = "on" if rule.enabled_by_default else "off (opt in with `select`)"
    return (
        f"# {rule.code} `{rule.name}`{status}\n\n"
        f"{rule.summary}\n\n"
        f"- Default severity: {rule.severity.label}\n"
        f"- Enabled by default: {default}\n\n"
        f"{rule.doc.strip()}\n"
    )
