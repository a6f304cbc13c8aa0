"""Where `--fix` takes versions from: the project's lock file, else its environment, else nowhere.

Never the network. A lock is read with the lock readers of `guard.manifests.lockfiles`; an
environment (`.venv`/`venv` beside the project, or the interpreter `--fix-from` names) through
the interpreter probe, which reports its site-packages folders; the installed distributions'
names and versions then come from their `*.dist-info/METADATA` files on disk (no import of
the project's code, nothing run besides the probe).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Optional, Union

from guard.pins.analysis import normalise_name


@dataclass(frozen=True)
class Pin:
    version: str
    hashes: tuple[str, ...] = ()


@dataclass
class VersionSource:
    """Versions by normalised name, from one place (`label` names it in messages)."""

    label: str
    kind: str  # "lock" or "environment"
    versions: dict[str, list[Pin]] = field(default_factory=dict)

    def add(self, name: str, pin: Pin) -> None:
        known = self.versions.setdefault(normalise_name(name), [])
        if all(existing.version != pin.version for existing in known):
            known.append(pin)

    def pin_for(self, name: str) -> Union[Pin, str]:
        """The one version the source has for `name`, or why there is none."""
        known = self.versions.get(normalise_name(name), [])
        if not known:
            return f"{self.label} has no version for `{name}`"
        if len(known) > 1:
            listed = ", ".join(pin.version for pin in known)
            return f"{self.label} has several versions of `{name}` ({listed}); guard does not choose"
        return known[0]


class SourceFinder:
    """The source for each folder of a run, found once per folder.

    A folder's lock is the one its manifest tools use (`find_locks`: a uv workspace root's
    `uv.lock`, the others beside the manifest), looked for from the file's folder up to the
    checked tree's root; the environment is the nearest `.venv`/`venv` in the same folders,
    unless `fix_from` names an interpreter.

    `probe`: whether the environment's interpreter may be run (the probe) to learn its
    site-packages. A plain `guard check` does not: a checkout may hold a `.venv/bin/python`
    that is anything at all, so only `--fix`/`--diff` (asked for by the user) run it;
    otherwise the venv's layout on disk says where its site-packages are.
    """

    def __init__(self, root: str, fix_from: Optional[str] = None, probe: bool = True) -> None:
        self.root = os.path.abspath(root)
        self.fix_from = fix_from
        self.probe = probe
        self._by_folder: dict[str, Optional[VersionSource]] = {}
        self._environments: dict[str, Union[VersionSource, str]] = {}
        self._locks: dict[str, Optional[VersionSource]] = {}  # folder -> its lock, read once
        self.problems: list[str] = []  # environments that could not be read, said once each

    def for_file(self, path: str) -> Optional[VersionSource]:
        folder = os.path.dirname(os.path.abspath(path))
        if folder not in self._by_folder:
            self._by_folder[folder] = self._find(folder)
        return self._by_folder[folder]

    def _folders(self, folder: str) -> list[str]:
        """`folder` and its parents up to the root (only `folder` when it is outside)."""
        chain = [folder]
        current = folder
        while current != self.root and current.startswith(self.root + os.sep):
            current = os.path.dirname(current)
            chain.append(current)
        return chain

    def _find(self, folder: str) -> Optional[VersionSource]:
        for candidate in self._folders(folder):
            if candidate not in self._locks:
                self._locks[candidate] = _lock_source(candidate, self.root)
            lock = self._locks[candidate]
            if lock is not None:
                return lock
        python = self.fix_from
        if python is None:
            python = next((found for found in map(_project_python, self._folders(folder)) if found), None)
        if python is None:
            return None
        if python not in self._environments:
            unprobed = self.probe is False and self.fix_from is None
            self._environments[python] = venv_source_on_disk(python, self.root) if unprobed else environment_source(python, self.root)
        found = self._environments[python]
        if isinstance(found, str):
            if found not in self.problems:
                self.problems.append(found)
            return None
        return found


def _lock_source(folder: str, root: str) -> Optional[VersionSource]:
    from guard.manifests.lockfiles import find_locks, locked_pins

    # a Pipfile's project is locked by Pipfile.lock; any other by the lock its tools write
    pipfile = os.path.isfile(os.path.join(folder, "Pipfile"))
    for path in find_locks(folder, pipfile=pipfile) + find_locks(folder, pipfile=not pipfile):
        pins = locked_pins(path)
        if pins is None:
            continue  # unusable: the `lockfile` check says why
        source = VersionSource(f"`{_shown(path, root)}`", "lock")
        for pin in pins:
            source.add(pin.name, Pin(pin.version, pin.hashes))
        return source
    return None


def _project_python(folder: str) -> Optional[str]:
    for name in (".venv", "venv"):
        venv = os.path.join(folder, name)
        if not os.path.isfile(os.path.join(venv, "pyvenv.cfg")):
            continue
        for parts in (("bin", "python"), ("bin", "python3"), ("Scripts", "python.exe")):
            candidate = os.path.join(venv, *parts)
            if os.path.isfile(candidate):
                return candidate
    return None


def environment_source(python: str, root: str) -> Union[VersionSource, str]:
    """The distributions installed for `python`, or why they cannot be read."""
    from guard.environment.facts import FactsError, probe_interpreter

    try:
        facts = probe_interpreter(python, dict(os.environ))
    except FactsError as error:
        return f"cannot read the environment of `{python}`: {error}"
    prefix = str(facts.get("prefix") or "")
    label = f"the environment `{_shown(prefix, root)}`" if prefix else f"the environment of `{python}`"
    source = VersionSource(label, "environment")
    folders = []
    for key in ("purelib", "platlib"):
        folder = facts.get(key)
        if isinstance(folder, str) and folder and folder not in folders:
            folders.append(folder)
    for folder in folders:
        for name, version in installed_distributions(folder):
            source.add(name, Pin(version))
    return source


def venv_source_on_disk(python: str, root: str) -> Union[VersionSource, str]:
    """A venv's distributions found without running it: its site-packages by the layouts venv
    creates (`lib/pythonX.Y/site-packages`, `Lib/site-packages` on Windows)."""
    import glob

    venv = os.path.dirname(os.path.dirname(python))
    folders = sorted(glob.glob(os.path.join(glob.escape(venv), "lib", "python*", "site-packages")))
    folders += [path for path in (os.path.join(venv, "Lib", "site-packages"),) if os.path.isdir(path)]
    if not folders:
        return f"the environment `{_shown(venv, root)}` has no site-packages folder guard knows"
    source = VersionSource(f"the environment `{_shown(venv, root)}`", "environment")
    for folder in folders:
        for name, version in installed_distributions(folder):
            source.add(name, Pin(version))
    return source


def installed_distributions(site_packages: str) -> list[tuple[str, str]]:
    """(Name, Version) from each `*.dist-info/METADATA` in one site-packages folder."""
    try:
        entries = sorted(os.listdir(site_packages))
    except OSError:
        return []
    found: list[tuple[str, str]] = []
    for entry in entries:
        if not entry.endswith(".dist-info"):
            continue
        if os.path.exists(os.path.join(site_packages, entry, "direct_url.json")):
            continue  # installed from a URL, a folder or VCS (PEP 610): `name==version` is not it
        headers = _metadata_headers(os.path.join(site_packages, entry, "METADATA"))
        if headers.get("name") and headers.get("version"):
            found.append((headers["name"], headers["version"]))
    return found


def _metadata_headers(path: str, limit: int = 65536) -> dict[str, str]:
    """Name and Version from a METADATA file's header block (RFC 822 style, read up to the
    first blank line)."""
    from guard.text.decode import read_regular

    try:
        data = read_regular(path, limit)
    except OSError:
        return {}
    if data is None:
        return {}
    headers: dict[str, str] = {}
    for line in data.decode("utf-8", "replace").splitlines():
        if not line.strip():
            break
        key, colon, value = line.partition(":")
        if colon and key.strip().lower() in ("name", "version"):
            headers.setdefault(key.strip().lower(), value.strip())
    return headers


def _shown(path: str, root: str) -> str:
    absolute = os.path.abspath(path)
    if absolute == root or absolute.startswith(root + os.sep):
        return os.path.relpath(absolute, root).replace(os.sep, "/")
    return absolute
