"""`guard rules`: every rule, with its code, name, default severity and summary."""

from __future__ import annotations

import sys

from guard.cli import EXIT_OK

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse

DESCRIPTION = "List every rule: code, name, default severity and summary."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", dest="output_format", choices=["text", "json"], default="text")


def main(ns: argparse.Namespace) -> int:
    return _rules(ns.output_format)


def _rules(output_format: str) -> int:
    from guard import rules

    table = rules.all_rules()
    if output_format == "json":
        import json

        rows = [
            {"code": r.code, "name": r.name, "severity": r.severity.label, "summary": r.summary, "enabled_by_default": r.enabled_by_default}
            for r in table.values()
        ]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return EXIT_OK
    width = max(len(rule.name) for rule in table.values())
    for family, description in rules.FAMILIES.items():
        members = [r for r in table.values() if r.family == family]
        if not members:
            continue
        sys.stdout.write(f"{family}: {description}\n")
        for rule in members:
            opt_in = "" if rule.enabled_by_default else " (opt-in)"
            sys.stdout.write(f"  {rule.code}  {rule.name:<{width}} {rule.severity.label:<8}{opt_in} {rule.summary}\n")
    return EXIT_OK
