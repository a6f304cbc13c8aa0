"""`guard rule CODE`: one rule's documentation, the same text as its page in docs/rules/."""

from __future__ import annotations

import sys

from guard.cli import EXIT_OK, EXIT_USAGE

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse

DESCRIPTION = "Print one rule's documentation (by code or name)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", metavar="CODE", help="a rule code such as PIN101, or its name")


def main(ns: argparse.Namespace) -> int:
    return _rule(ns.code)


def _rule(code: str) -> int:
    from guard import rules

    rule = rules.by_name_or_code(code)
    if rule is None:
        sys.stderr.write(f"guard: unknown rule {code!r} (see `guard rules`)\n")
        return EXIT_USAGE
    sys.stdout.write(rules.render_doc(rule))
    return EXIT_OK
