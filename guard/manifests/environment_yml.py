"""conda `environment.yml`: `dependencies` (conda match specs) and their `pip:` list.

Conda specs convert to pin levels: `numpy` any; `numpy=1.26` and `numpy=1.26.*` are fuzzy
(a prefix match: bounded); `numpy==1.26.4`, `numpy=1.26.4=py311h...` (version and build)
and `numpy 1.26.4` exact; `>=`, `<`, `,` and `|` as in PEP 440. `python` is the interpreter
and is not judged. The `pip:` list is handed to pip as a requirements file, so it follows
the requirement-file rules (kind `requirements`), `-r` included. A YAML error is one GRD102;
the dependencies written before it are still checked.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Optional

from guard.finding import Finding
from guard.manifests.common import judge, requirement_text_findings
from guard.manifests.pyproject import all_same_version
from guard.pins.analysis import PinInfo, normalise_name
from guard.pins.dep import Dep
from guard.pins.levels import PinLevel
from guard.rules import get as rule

if TYPE_CHECKING:
    from guard.check.context import RunContext
    from guard.text import yamlish

_NAME = re.compile(r"^([A-Za-z0-9_][A-Za-z0-9_.-]*)")
_PART = re.compile(r"^(==|!=|>=|<=|>|<|~=|=)?\s*([0-9A-Za-z_.*+!-]+)$")
INTERPRETER = "python"


def conda_info(spec: str) -> PinInfo:
    """Level of one conda match spec (`channel::name[version=...] version build` forms)."""
    text = spec.strip()
    if "::" in text:
        text = text.split("::", 1)[1]
    match = _NAME.match(text)
    if match is None:
        return PinInfo(None, PinLevel.ANY, invalid=f"`{spec}` is not a conda package spec")
    name = normalise_name(match.group(1))
    rest = text[match.end() :].strip()
    bracket = re.fullmatch(r"\[(.*)\]", rest)
    if bracket:
        found = re.search(r"version\s*=\s*['\"]?([^'\",\]]+(?:,[^'\",\]]+)*)", bracket.group(1))
        rest = found.group(1) if found else ""
    if not rest or rest == "*":
        return PinInfo(name, PinLevel.ANY)
    invalid = PinInfo(name, PinLevel.ANY, invalid=f"`{spec}` is not a valid conda package spec")
    if rest.startswith("=") and not rest.startswith("=="):
        # `=1.2` fuzzy; `=1.2.3=build`: one version and build
        version, _, build = rest[1:].partition("=")
        if not version or not _PART.match(version):
            return invalid
        if build and "*" not in version:
            return PinInfo(name, PinLevel.EXACT, specifier=rest)
        return PinInfo(name, PinLevel.BOUNDED, wildcard=False, specifier=rest)
    version_text = rest.split()[0] if " " in rest and not re.search(r"[<>=!~,|]\s", rest) else rest.replace(" ", "")
    has_build = " " in rest and version_text != rest.replace(" ", "")
    levels: list[PinLevel] = []
    versions: list[str] = []  # the version each exact alternative allows
    for alternative in version_text.split("|"):
        lower = upper = exact = constrained = False
        for part in alternative.split(","):
            part_match = _PART.match(part.strip())
            if part_match is None:
                return invalid
            operator, version = part_match.group(1) or "", part_match.group(2)
            if operator in ("", "==") and not version.endswith("*"):
                exact = True
                versions.append(version)
            elif operator in ("", "==", "=", "~="):
                lower = upper = True  # `1.2.*`, `=1.2`: a prefix match
            elif operator in (">=", ">"):
                lower = True
            elif operator in ("<", "<="):
                upper = True
            else:
                constrained = True
        if exact or (has_build and not (lower or upper or constrained)):
            levels.append(PinLevel.EXACT)
        elif lower and upper:
            levels.append(PinLevel.BOUNDED)
        elif lower:
            levels.append(PinLevel.FLOOR)
        else:
            levels.append(PinLevel.CONSTRAINED if (upper or constrained) else PinLevel.ANY)
    level = min(levels)
    if level == PinLevel.EXACT and len(levels) > 1 and not all_same_version(versions):
        level = PinLevel.BOUNDED  # `1.26.4|1.26.3` allows either: a choice, not one version
    return PinInfo(name, level, specifier=rest)


def environment_findings(text: str, absolute: str, shown: str, context: RunContext) -> list[Finding]:
    from guard.text import yamlish

    try:
        root = yamlish.load(text)
    except yamlish.YamlError as error:
        broken = rule("GRD102").finding(
            shown, error.line, error.column, f"`{shown}` is not valid YAML (or not the subset guard reads): {error.message}"
        )
        readable = _readable_prefix(text, error.line)
        if readable is None:
            return [broken]
        # what comes before the error is still checked; what follows it cannot be read
        return [broken] + [
            finding
            for finding in _document_findings(readable, text, absolute, shown, context)
            if finding.code != "GRD102" or finding.path != shown
        ]
    return _document_findings(root, text, absolute, shown, context)


def _readable_prefix(text: str, error_line: int) -> Optional[yamlish.Node]:
    """The document made of the lines before a YAML error, when that much parses.

    An error found at the end of a construct that started earlier (an unclosed bracket or
    quote) makes the shorter text fail too, a little higher: cut again, a few times at most.
    """
    from guard.text import yamlish

    lines = text.splitlines(keepends=True)
    cut = error_line - 1
    for _ in range(8):
        if cut <= 0:
            return None
        try:
            return yamlish.load("".join(lines[:cut]))
        except yamlish.YamlError as error:
            cut = min(cut - 1, error.line - 1)
    return None


def _document_findings(root: yamlish.Node, text: str, absolute: str, shown: str, context: RunContext) -> list[Finding]:
    from guard.text import yamlish

    if isinstance(root, yamlish.Scalar) and root.is_null:
        return []
    if not isinstance(root, yamlish.Mapping):
        return [rule("GRD102").finding(shown, root.line, root.column, f"`{shown}` must be a mapping with a `dependencies` list")]
    dependencies = root.get("dependencies")
    if dependencies is None or (isinstance(dependencies, yamlish.Scalar) and dependencies.is_null):
        return []
    if not isinstance(dependencies, yamlish.Sequence):
        return [rule("GRD102").finding(shown, dependencies.line, dependencies.column, "`dependencies` must be a list")]
    findings: list[Finding] = []
    for item in dependencies.items:
        if isinstance(item, yamlish.Scalar):
            info = conda_info(item.value)
            if info.name == INTERPRETER:
                continue
            dep = Dep(shown, item.line, item.column, item.value.strip(), "environment-yml")
            findings.extend(judge(dep, info, context.settings))
        elif isinstance(item, yamlish.Mapping) and item.get("pip") is not None:
            findings.extend(_pip_list(item.get("pip"), text, absolute, shown, context))
        else:
            findings.append(
                rule("GRD102").finding(shown, item.line, item.column, "`dependencies` entries must be package specs or a `pip:` list")
            )
    return findings


def _pip_list(node: Optional[yamlish.Node], text: str, absolute: str, shown: str, context: RunContext) -> list[Finding]:
    from guard.text import yamlish

    if not isinstance(node, yamlish.Sequence):
        line, column = (node.line, node.column) if node is not None else (1, 1)
        return [rule("GRD102").finding(shown, line, column, "`pip:` must be a list of requirements")]
    total = len(text.splitlines())
    texts: list[list[str]] = []  # one virtual file per batch of items that share no line
    findings: list[Finding] = []
    for item in node.items:
        if not isinstance(item, yamlish.Scalar):
            findings.append(rule("GRD102").finding(shown, item.line, item.column, "`pip:` entries must be strings"))
            continue
        batch = next((lines for lines in texts if not lines[item.line - 1]), None)
        if batch is None:
            batch = [""] * total
            texts.append(batch)
        batch[item.line - 1] = " " * (item.column - 1) + item.value.replace("\n", " ")
    for lines in texts:
        findings.extend(requirement_text_findings("\n".join(lines) + "\n", absolute, shown, "requirements", context))
    return findings


def check_files(paths: list[str], context: RunContext) -> None:
    for path in paths:
        read = context.read(path)
        if read is not None:
            absolute, shown, text = read
            context.findings.extend(environment_findings(text, absolute, shown, context))
