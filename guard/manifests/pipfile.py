"""`Pipfile` (pipenv): `[packages]` and `[dev-packages]`.

A Pipfile belongs to an application and expects a `Pipfile.lock`: a package the lock lists
is locked, one it does not list is drift (PIN202). Without a lock, `[packages]` follow the
`pipfile` kind (exact by default) and `[dev-packages]` the `dependency-groups` kind.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Mapping

from guard.finding import Finding
from guard.manifests.common import judge, vcs_info
from guard.pins.analysis import PinInfo, analyse, normalise_name
from guard.pins.dep import Dep
from guard.pins.levels import PinLevel
from guard.rules import get as rule
from guard.text.tomlpos import Key, TomlPositions, decode_error_message, decode_error_position, type_name

if TYPE_CHECKING:
    from guard.check.context import RunContext
    from guard.config import Settings

SECTIONS = {"packages": "pipfile", "dev-packages": "dependency-groups"}


def _spec_info(name: str, spec: str) -> PinInfo:
    spec = spec.strip()
    if spec in ("", "*"):
        return PinInfo(name, PinLevel.ANY)
    return analyse(f"{name}{spec}" if spec[0] in "<>=!~" else f"{name}=={spec}")


def _table_info(name: str, table: Mapping[str, Any]) -> tuple[PinInfo, str]:
    for vcs in ("git", "hg", "svn", "bzr"):
        if vcs in table:
            ref = table.get("ref")
            return vcs_info(name, str(table[vcs]), str(ref) if ref else None, vcs), "ref" if ref else vcs
    if "path" in table:
        return PinInfo(name, PinLevel.EXACT, first_party=True), "path"
    if "file" in table:
        return analyse(f"{name} @ {table['file']}"), "file"
    version = table.get("version", "*")
    if not isinstance(version, str):
        return PinInfo(name, PinLevel.ANY, invalid=f"`{name}` version must be a string, not {type_name(version)}"), "version"
    return _spec_info(name, version), "version" if "version" in table else ""


def pipfile_findings(text: str, absolute: str, shown: str, settings: Settings) -> list[Finding]:
    from guard.manifests.lockfiles import locked_names
    from guard.text.tomlcompat import TOMLDecodeError, loads

    try:
        data = loads(text)
    except TOMLDecodeError as error:
        line, column = decode_error_position(error, text)
        return [rule("GRD102").finding(shown, line, column, f"`{shown}` is not valid TOML: {decode_error_message(error)}")]
    pos = TomlPositions(text)
    lock = locked_names(os.path.dirname(os.path.abspath(absolute)), pipfile=True)
    findings: list[Finding] = []
    for section, kind in SECTIONS.items():
        table = data.get(section)
        if table is None:
            continue
        if not isinstance(table, Mapping):
            line, column = pos.locate(section)
            findings.append(rule("GRD102").finding(shown, line, column, f"`[{section}]` must be a table, not {type_name(table)}"))
            continue
        for key, value in table.items():
            name = normalise_name(key)
            path: tuple[Key, ...] = (section, key)
            if isinstance(value, str):
                info, at = _spec_info(name, value), ""
            elif isinstance(value, Mapping):
                info, at = _table_info(name, value)
            else:
                line, column = pos.locate(*path)
                findings.append(
                    rule("GRD102").finding(
                        shown, line, column, f"`{section}.{key}` must be a version string or a table, not {type_name(value)}"
                    )
                )
                continue
            line, column = pos.locate(*(path + ((at,) if at else ())))
            dep = Dep(shown, line, column, key, kind)
            findings.extend(judge(dep, info, settings, lock=lock, lock_label="`Pipfile.lock`"))
    return findings


def check_files(paths: list[str], context: RunContext) -> None:
    for path in paths:
        read = context.read(path)
        if read is not None:
            absolute, shown, text = read
            context.findings.extend(pipfile_findings(text, absolute, shown, context.settings))
