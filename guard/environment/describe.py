"""What `guard env` prints: human text, and the JSON document (docs/environment.md)."""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence

from guard.environment.classify import Classification, Verdict, plain_install_destination
from guard.environment.crosscheck import fix_commands
from guard.finding import Finding

JSON_VERSION = 1

_VERDICT_WORDS = {
    Verdict.OK: "a plain `pip install` here is fine",
    Verdict.INFO: "a plain `pip install` here is acceptable",
    Verdict.WARN: "a plain `pip install` here is not safe",
    Verdict.BLOCK: "a plain `pip install` here must not happen",
}


def to_json(facts: Mapping[str, Any], c: Classification, findings: Sequence[Finding]) -> dict[str, Any]:
    interpreter = facts.get("interpreter") or {}
    checks = facts.get("path_checks") or {}
    marker = interpreter.get("marker") or {}
    from guard.report.json_report import finding_to_dict as convert

    return {
        "version": JSON_VERSION,
        "interpreter": interpreter.get("executable"),
        "python_version": interpreter.get("version_string"),
        "kind": c.kind,
        "base_kind": c.base_kind,
        "description": c.description,
        "verdict": c.verdict.label,
        "in_venv": c.in_venv,
        "externally_managed": c.externally_managed,
        "marker_path": marker.get("path") if c.externally_managed else None,
        "marker_message": c.marker_message,
        "prefix": interpreter.get("prefix"),
        "base_prefix": interpreter.get("base_prefix"),
        "purelib": interpreter.get("purelib"),
        "scripts": interpreter.get("scripts"),
        "scripts_on_path": checks.get("scripts_on_path"),
        "user_site": interpreter.get("user_site"),
        "user_scripts": interpreter.get("user_scripts"),
        "enable_user_site": interpreter.get("enable_user_site"),
        "install_destination": plain_install_destination(facts, c),
        "sudo": c.sudo,
        "reasons": list(c.reasons),
        "notes": list(c.notes),
        "fix_commands": fix_commands(facts, c),
        "target": dict(facts.get("target") or {}),
        "findings": [convert(f) for f in findings],
    }


def _yes(value: Optional[bool]) -> str:
    return "unknown" if value is None else ("on PATH" if value else "NOT on PATH")


def render_text(facts: Mapping[str, Any], c: Classification, findings: Sequence[Finding]) -> str:
    interpreter = facts.get("interpreter") or {}
    target = facts.get("target") or {}
    checks = facts.get("path_checks") or {}
    destination = plain_install_destination(facts, c)
    lines: list[str] = []

    def row(label: str, value: str) -> None:
        lines.append(f"{label + ':' if label else '':<13}{value}")

    version = interpreter.get("version_string")
    row("Interpreter", f"{interpreter.get('executable')}" + (f" (Python {version})" if version else ""))
    if target.get("note"):
        row("", str(target["note"]))
    for step in target.get("via") or []:
        row("", f"via: {step}")
    row("Kind", f"{c.description} [{c.kind}]")
    if c.in_venv:
        row("Venv", f"yes, prefix {interpreter.get('prefix')} (base {interpreter.get('base_prefix')})")
    else:
        row("Venv", f"no, prefix {interpreter.get('prefix')}")
    if c.externally_managed:
        marker = interpreter.get("marker") or {}
        row("Marker", f"{marker.get('path')} (PEP 668: externally managed)")
        for text in (c.marker_message or "").splitlines():
            lines.append(" " * 13 + "| " + text if text else " " * 13 + "|")
    else:
        row("Marker", "none" if not c.in_venv else "not applicable inside a venv")
    row("purelib", str(interpreter.get("purelib") or "unknown"))
    row("scripts", f"{interpreter.get('scripts') or 'unknown'} ({_yes(checks.get('scripts_on_path'))})")
    if destination["where"] == "user-site":
        row(
            "Installs to",
            f"the user site {destination['path']} (purelib is not writable); scripts in "
            f"{destination['scripts'] or 'unknown'} ({_yes(destination['scripts_on_path'])})",
        )
    elif destination["where"] == "refused":
        row("Installs to", "nowhere: pip refuses (externally managed)")
    else:
        row("Installs to", str(destination["path"]))
    row("Verdict", f"{c.verdict.label.upper()}: {_VERDICT_WORDS[c.verdict]}")
    for reason in c.reasons:
        lines.append(" " * 13 + f"- {reason}")
    for note in c.notes:
        lines.append(" " * 13 + f"- {note}")
    if findings:
        lines.append("")
        lines.append("Findings:")
        for f in findings:
            lines.append(f"  {f.path}:{f.line}:{f.column}: {f.code} [{f.severity.label}] {f.message}")
            if f.fix:
                lines.append(f"    fix: {f.fix}")
    commands = fix_commands(facts, c)
    if commands:
        lines.append("")
        lines.append("To fix:")
        lines.extend(f"  {command}" for command in commands)
    return "\n".join(lines) + "\n"
