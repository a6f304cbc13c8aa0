"""The rule table: every code guard can report, with its name, default severity and docs.

One explicit table, no plugin discovery. Each family lives in its own module and lists its
`Rule`s; this module merges them. A code is never reused: a retired rule keeps its entry
with `retired=True`.
"""

from __future__ import annotations

from guard.rules.rule import DOC_HEADINGS, Rule

TYPE_CHECKING = False
if TYPE_CHECKING:  # `typing` and `dataclasses` stay out of the pip wrapper's start-up
    from typing import Optional

__all__ = ["DOC_HEADINGS", "FAMILIES", "Rule", "all_rules", "by_name_or_code", "codes_matching", "get", "render_doc"]


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
