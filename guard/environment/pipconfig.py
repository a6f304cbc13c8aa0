"""pip's own configuration: recorded the way pip would read it, then read from that record.

pip (`_internal/configuration.py`, 23.x-25.x) merges, later wins: the global files
(`$XDG_CONFIG_DIRS/pip/pip.conf` or `/etc/xdg/pip/pip.conf`, then `/etc/pip.conf`; macOS:
`/Library/Application Support/pip/pip.conf`; Windows: `C:\\ProgramData\\pip\\pip.ini`), the
user files (`~/.pip/pip.conf`, then `$XDG_CONFIG_HOME/pip/pip.conf` or
`~/.config/pip/pip.conf`; Windows: `~\\pip\\pip.ini`, then `%APPDATA%\\pip\\pip.ini`; skipped
under `--isolated` and when `PIP_CONFIG_FILE` names an existing file), the site file
`{sys.prefix}/pip.conf` of the interpreter that runs pip, the file named by `PIP_CONFIG_FILE`
(`os.devnull` there skips every file), and finally the `PIP_*` variables (skipped under
`--isolated`; `PIP_VERSION` and `PIP_HELP` never count). Within that, the sections apply in
the order `[global]`, `[<command>]`, environment. pip's command parser decides "isolated" by
the literal word `--isolated` on the command line (not a prefix of it, and not
`PIP_ISOLATED`); its main parser (which reads `python`) never runs isolated.

The live side (`record_pip_config`) reads the variables and the files once, into the facts'
`pip` section (docs/facts-format.md); everything else here reads only such a record, so a
replay on another machine sees exactly what pip saw on the recorded one.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # `typing` stays out of the pip wrapper's start-up
    from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

    # section.key -> (raw value, where it came from)
    ConfigValues = Dict[str, Tuple[str, str]]

# pip's `ENV_NAMES_IGNORED`: `PIP_VERSION` and `PIP_HELP` are never options from the environment.
_IGNORED_VARIABLES = ("PIP_VERSION", "PIP_HELP")
# pip reads this one too (it skips `--python` in the child it starts); not an option.
_SUBPROCESS_MARK = "_PIP_RUNNING_IN_SUBPROCESS"
# A pip.conf is a few lines; a larger "file" is recorded as unreadable, not read whole.
_MAX_CONFIG_BYTES = 1024 * 1024


def _normalize(name: str) -> str:
    name = name.lower().replace("_", "-")
    return name[2:] if name.startswith("--") else name


def _mask_credentials(text: str) -> str:
    """`https://user:token@host` -> `https://****@host`: an index URL's secret stays out of a
    recording (the verdict never depends on it)."""
    if "@" not in text:
        return text
    import re  # already loaded by guard.environment.resolve on the wrapper's path

    return re.sub(r"(://)[^/@\s]+@", r"\1****@", text)


def _basename(platform: str) -> str:
    return "pip.ini" if platform == "win32" else "pip.conf"


def candidate_files(environ: Mapping[str, str], *, platform: str = sys.platform) -> List[Tuple[str, str]]:
    """(kind, path) of the global and user files pip would try, lowest priority first."""
    name = _basename(platform)
    if platform == "win32":
        home = environ.get("USERPROFILE") or environ.get("HOME") or os.path.expanduser("~")
        program_data = environ.get("PROGRAMDATA") or environ.get("ALLUSERSPROFILE") or "C:\\ProgramData"
        appdata = environ.get("APPDATA") or os.path.join(home, "AppData", "Roaming")
        return [
            ("global", os.path.join(program_data, "pip", name)),
            ("user", os.path.join(home, "pip", name)),
            ("user", os.path.join(appdata, "pip", name)),
        ]
    home = environ.get("HOME") or os.path.expanduser("~")
    files: List[Tuple[str, str]] = []
    if platform == "darwin":
        files.append(("global", "/Library/Application Support/pip/pip.conf"))
    else:
        dirs = (environ.get("XDG_CONFIG_DIRS") or "").strip() or "/etc/xdg"
        files += [("global", os.path.join(d, "pip", name)) for d in dirs.split(os.pathsep) if d]
        files.append(("global", "/etc/pip.conf"))
    files.append(("user", os.path.join(home, ".pip", name)))
    if platform == "darwin":
        modern = os.path.join(home, "Library", "Application Support", "pip")
        if not os.path.isdir(modern):
            modern = os.path.join(home, ".config", "pip")
    else:
        xdg = (environ.get("XDG_CONFIG_HOME") or "").strip() or os.path.join(home, ".config")
        modern = os.path.join(xdg, "pip")
    files.append(("user", os.path.join(modern, name)))
    return files


def config_files(
    environ: Mapping[str, str],
    *,
    site_prefix: Optional[str],
    isolated: bool,
    platform: str = sys.platform,
) -> List[str]:
    """pip's configuration files for one call, lowest priority first (existing or not)."""
    config_file = environ.get("PIP_CONFIG_FILE")
    if config_file == os.devnull:
        return []
    skip_user = isolated or bool(config_file and os.path.exists(config_file))
    files = [path for kind, path in candidate_files(environ, platform=platform) if not (kind == "user" and skip_user)]
    if site_prefix:
        files.append(os.path.join(site_prefix, _basename(platform)))
    if config_file:
        files.append(config_file)
    return files


# --- recording (the only part that reads the disk and the environment) ---------------------


def _read_entry(kind: str, path: str, prefix: Optional[str] = None) -> Dict[str, Any]:
    entry: Dict[str, Any] = {"kind": kind, "path": path, "exists": os.path.isfile(path), "text": None, "error": None}
    if prefix is not None:
        entry["prefix"] = prefix
    if entry["exists"]:
        try:
            with open(path, "rb") as handle:
                data = handle.read(_MAX_CONFIG_BYTES + 1)
        except OSError as exc:
            entry["error"] = exc.strerror or str(exc)
        else:
            if len(data) > _MAX_CONFIG_BYTES:
                entry["error"] = f"larger than {_MAX_CONFIG_BYTES} bytes"
            else:
                entry["text"] = _mask_credentials(data.decode("utf-8", errors="replace"))
    return entry


def pip_environ(environ: Mapping[str, str]) -> Dict[str, str]:
    """Every variable pip reads as configuration (`PIP_*`), and its subprocess mark."""
    return {name: _mask_credentials(value) for name, value in environ.items() if name.startswith("PIP_") or name == _SUBPROCESS_MARK}


def record_pip_config(
    environ: Mapping[str, str],
    site_prefixes: Sequence[Optional[str]] = (),
    *,
    platform: str = sys.platform,
) -> Dict[str, Any]:
    """The `pip` facts section without its `script`: the variables and the files pip would
    read (each file's text as found), for the interpreters whose `sys.prefix` is given."""
    record: Dict[str, Any] = {"environ": pip_environ(environ), "files": []}
    config_file = environ.get("PIP_CONFIG_FILE")
    if config_file == os.devnull:
        return record  # pip opens no file at all
    record["files"] = [_read_entry(kind, path) for kind, path in candidate_files(environ, platform=platform)]
    for prefix in site_prefixes:
        add_site_file(record, prefix, platform=platform)
    if config_file:
        record["files"].append(_read_entry("env", config_file))
    return record


def add_site_file(record: Dict[str, Any], prefix: Optional[str], *, platform: str = sys.platform) -> None:
    """Record the site file `{prefix}/pip.conf` too (once per prefix; none under os.devnull)."""
    if not prefix or record["environ"].get("PIP_CONFIG_FILE") == os.devnull:
        return
    files = record["files"]
    if any(f.get("kind") == "site" and f.get("prefix") == prefix for f in files):
        return
    position = next((i for i, f in enumerate(files) if f.get("kind") == "env"), len(files))
    files.insert(position, _read_entry("site", os.path.join(prefix, _basename(platform)), prefix))


def record_from_environ(environ: Mapping[str, Any]) -> Dict[str, Any]:
    """The record an older recording stands for: the `PIP_*` variables it kept, no files."""
    return {"environ": {k: v for k, v in environ.items() if isinstance(v, str) and pip_environ({k: v})}, "files": []}


# --- reading a record ------------------------------------------------------------------------


def values_from_record(record: Mapping[str, Any], *, site_prefix: Optional[str], isolated: bool) -> Tuple[ConfigValues, List[str]]:
    """Every `section.key` pip would see for a call, with its source; plus problems found (one
    line each). `site_prefix`: `sys.prefix` of the interpreter running pip."""
    values: ConfigValues = {}
    problems: List[str] = []
    files = [f for f in record.get("files") or () if isinstance(f, dict)]
    env_file_exists = any(f.get("kind") == "env" and f.get("exists") for f in files)
    for entry in files:
        kind, path = entry.get("kind"), str(entry.get("path"))
        if kind == "user" and (isolated or env_file_exists):
            continue
        if kind == "site" and (not site_prefix or entry.get("prefix") != site_prefix):
            continue
        if entry.get("error"):
            problems.append(f"cannot read pip configuration `{path}`: {entry['error']}")
            continue
        text = entry.get("text")
        if isinstance(text, str):
            _parse_into(values, problems, text, path)
    if not isolated:
        for name, value in (record.get("environ") or {}).items():
            if name.startswith("PIP_") and name not in ("PIP_CONFIG_FILE", *_IGNORED_VARIABLES):
                values[f":env:.{_normalize(name[4:])}"] = (value, f"{name}={value}")
    return values, problems


def _parse_into(values: ConfigValues, problems: List[str], text: str, path: str) -> None:
    import configparser  # only when a pip.conf exists (~3 ms)

    parser = configparser.RawConfigParser()
    try:
        parser.read_string(text, source=path)
    except configparser.Error as exc:
        problems.append(f"cannot read pip configuration `{path}`: {str(exc).splitlines()[0]}")
        return
    for section in parser.sections():
        for key, value in parser.items(section):
            values[f"{section}.{_normalize(key)}"] = (value, f"{path} [{section}]")


def read_pip_config(
    environ: Mapping[str, str],
    *,
    site_prefix: Optional[str],
    isolated: bool,
    platform: str = sys.platform,
) -> Tuple[ConfigValues, List[str]]:
    """`values_from_record` of what this machine holds now."""
    record = record_pip_config(environ, [site_prefix], platform=platform)
    return values_from_record(record, site_prefix=site_prefix, isolated=isolated)


def lookup(values: Mapping[str, Tuple[str, str]], key: str, command: Optional[str]) -> Optional[Tuple[str, str]]:
    """The value pip's parser for `command` would take for option `key` (None: unset)."""
    found = None
    sections = ["global"] + ([command] if command else []) + [":env:"]
    for section in sections:
        item = values.get(f"{section}.{key}")
        if item is not None:
            found = item
    return found


def python_choice(python_option: Optional[str], record: Mapping[str, Any], site_prefix: Optional[str]) -> Optional[Tuple[str, str]]:
    """(spec, source) of the interpreter pip would re-run itself under, or None: `--python`,
    else `PIP_PYTHON`, else `python` under `[global]` of pip's files (the main parser reads
    no command section and is never isolated). pip's child run (`_PIP_RUNNING_IN_SUBPROCESS`)
    ignores all three. The one rule for both `guard env` and the pip wrapper."""
    if _SUBPROCESS_MARK in (record.get("environ") or {}):
        return None
    if python_option:
        return python_option, "--python"
    values, _ = values_from_record(record, site_prefix=site_prefix, isolated=False)
    found = lookup(values, "python", None)
    if found is not None and found[0].strip():
        return found[0].strip(), found[1]
    return None
