"""pip's own configuration, read the way pip reads it (for R9's overrides and R0's `python`).

pip (`_internal/configuration.py`, 23.x-25.x) merges, later wins: the global files
(`$XDG_CONFIG_DIRS/pip/pip.conf` or `/etc/xdg/pip/pip.conf`, then `/etc/pip.conf`; macOS:
`/Library/Application Support/pip/pip.conf`), the user files (`~/.pip/pip.conf`, then
`$XDG_CONFIG_HOME/pip/pip.conf` or `~/.config/pip/pip.conf`; skipped under `--isolated` and
when `PIP_CONFIG_FILE` names an existing file), the site file `{sys.prefix}/pip.conf` of the
interpreter that runs pip, the file named by `PIP_CONFIG_FILE` (`os.devnull` there skips
every file), and finally the `PIP_*` variables (skipped under `--isolated`). Within that, the
sections apply in the order `[global]`, `[<command>]`, environment. pip's command parser
decides "isolated" by the literal word `--isolated` on the command line (not a prefix of it);
its main parser (which reads `python`) never runs isolated.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # `typing` stays out of the pip wrapper's start-up
    from typing import Dict, List, Mapping, Optional, Tuple

    # section.key -> (raw value, where it came from)
    ConfigValues = Dict[str, Tuple[str, str]]


def _normalize(name: str) -> str:
    name = name.lower().replace("_", "-")
    return name[2:] if name.startswith("--") else name


def config_files(
    environ: Mapping[str, str],
    *,
    site_prefix: Optional[str],
    isolated: bool,
    platform: str = sys.platform,
) -> List[str]:
    """pip's configuration files, lowest priority first (existing or not)."""
    config_file = environ.get("PIP_CONFIG_FILE")
    if config_file == os.devnull:
        return []
    home = environ.get("HOME") or os.path.expanduser("~")
    files: List[str] = []
    if platform == "darwin":
        files.append("/Library/Application Support/pip/pip.conf")
    else:
        dirs = (environ.get("XDG_CONFIG_DIRS") or "").strip() or "/etc/xdg"
        files += [os.path.join(d, "pip", "pip.conf") for d in dirs.split(os.pathsep) if d]
        files.append("/etc/pip.conf")
    if not isolated and not (config_file and os.path.exists(config_file)):
        files.append(os.path.join(home, ".pip", "pip.conf"))
        if platform == "darwin":
            modern = os.path.join(home, "Library", "Application Support", "pip")
            if not os.path.isdir(modern):
                modern = os.path.join(home, ".config", "pip")
        else:
            xdg = (environ.get("XDG_CONFIG_HOME") or "").strip() or os.path.join(home, ".config")
            modern = os.path.join(xdg, "pip")
        files.append(os.path.join(modern, "pip.conf"))
    if site_prefix:
        files.append(os.path.join(site_prefix, "pip.conf"))
    if config_file:
        files.append(config_file)
    return files


def read_pip_config(
    environ: Mapping[str, str],
    *,
    site_prefix: Optional[str],
    isolated: bool,
    platform: str = sys.platform,
) -> Tuple[ConfigValues, List[str]]:
    """Every `section.key` pip would see, with its source; plus problems found (one line each)."""
    values: ConfigValues = {}
    problems: List[str] = []
    for path in config_files(environ, site_prefix=site_prefix, isolated=isolated, platform=platform):
        if not os.path.isfile(path):
            continue
        import configparser  # only when a pip.conf exists (~3 ms)

        parser = configparser.RawConfigParser()
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                parser.read_file(handle, source=path)
        except (OSError, configparser.Error) as exc:
            problems.append(f"cannot read pip configuration `{path}`: {str(exc).splitlines()[0]}")
            continue
        for section in parser.sections():
            for key, value in parser.items(section):
                values[f"{section}.{_normalize(key)}"] = (value, f"{path} [{section}]")
    if not isolated:
        for name, value in environ.items():
            if name.startswith("PIP_") and name not in ("PIP_CONFIG_FILE",):
                values[f":env:.{_normalize(name[4:])}"] = (value, f"{name}={value}")
    return values, problems


def lookup(values: Mapping[str, Tuple[str, str]], key: str, command: Optional[str]) -> Optional[Tuple[str, str]]:
    """The value pip's parser for `command` would take for option `key` (None: unset)."""
    found = None
    sections = ["global"] + ([command] if command else []) + [":env:"]
    for section in sections:
        item = values.get(f"{section}.{key}")
        if item is not None:
            found = item
    return found
