"""`# guard: ignore[CODE or name] optional reason` comments.

A suppression applies to findings on its own line (for a requirement line continued with
`\\`, on any of its physical lines). Keys are rule codes (`PIN101`, or a prefix `PIN`),
rule names (`unpinned-requirement`) or package names (`requests`); no brackets means every
finding on the line. A suppression that suppresses nothing is reported as GRD105, unless
everything it names is switched off by the settings (then it has nothing to do yet).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Sequence

from guard.config import Settings
from guard.finding import Finding

_SUPPRESSION_RE = re.compile(r"#\s*guard:\s*ignore\b(?:\[(?P<keys>[^\]]*)\])?")
_CODE_RE = re.compile(r"^[A-Z]{3}\d*$")


@dataclass(frozen=True)
class Suppression:
    line: int
    column: int
    keys: tuple[str, ...]  # empty: everything


def find_suppressions(text: str) -> list[Suppression]:
    found: list[Suppression] = []
    if "guard:" not in text:
        return found
    for number, line in enumerate(text.splitlines(), start=1):
        match = _SUPPRESSION_RE.search(line)
        if match:
            keys = tuple(key.strip() for key in (match.group("keys") or "").split(",") if key.strip())
            found.append(Suppression(number, match.start() + 1, keys))
    return found


def _matches(key: str, finding: Finding) -> bool:
    from guard.pins.analysis import normalise_name

    if _CODE_RE.match(key.upper()) and finding.code.startswith(key.upper()):
        return True
    return key == finding.name or (finding.package is not None and normalise_name(key) == finding.package)


def apply_suppressions(
    findings: Sequence[Finding],
    texts: Mapping[str, str],
    line_alias: Mapping[str, Mapping[int, int]],
    settings: Settings,
) -> list[Finding]:
    from guard import rules
    from guard.check.policy import apply_settings, is_enabled

    by_place: dict[tuple[str, int], list[Suppression]] = {}
    for path, text in texts.items():
        aliases = line_alias.get(path, {})
        for suppression in find_suppressions(text):
            target = aliases.get(suppression.line, suppression.line)
            by_place.setdefault((path, target), []).append(suppression)
    if not by_place:
        return list(findings)
    used: set[tuple[str, int, int, str]] = set()
    kept: list[Finding] = []
    for finding in findings:
        suppressed = False
        for suppression in by_place.get((finding.path, finding.line), ()):
            hit = [key for key in suppression.keys if _matches(key, finding)]
            if hit or not suppression.keys:
                suppressed = True
                for key in hit or [""]:
                    used.add((finding.path, suppression.line, suppression.column, key))
        if not suppressed:
            kept.append(finding)
    table = rules.all_rules()
    unused: list[Finding] = []
    grd105 = rules.get("GRD105")
    for (path, _target), suppressions in by_place.items():
        for suppression in suppressions:
            keys = suppression.keys or ("",)
            for key in keys:
                if (path, suppression.line, suppression.column, key) in used:
                    continue
                upper = key.upper()
                if key and _CODE_RE.match(upper) and not rules.codes_matching(upper):
                    unused.append(grd105.finding(path, suppression.line, suppression.column, f"suppression names unknown code `{key}`"))
                    continue
                named = rules.codes_matching(upper) if key and _CODE_RE.match(upper) else [r.code for r in table.values() if r.name == key]
                if named and not any(is_enabled(code, settings, table[code].enabled_by_default) for code in named):
                    continue  # everything it names is switched off: nothing to suppress yet
                what = f"`{key}`" if key else "anything"
                unused.append(grd105.finding(path, suppression.line, suppression.column, f"suppression of {what} suppresses nothing"))
    return sorted(kept + apply_settings(unused, settings), key=lambda f: f.sort_key)
