"""What the commands of a Dockerfile `RUN` put into the image's Python story.

CMD204 is about one pip: the one that belongs to the distribution's own Python, whose
`EXTERNALLY-MANAGED` marker makes pip refuse to install. Distribution base images (`debian`,
`ubuntu`, `alpine`, ...) carry no Python at all; a stage gets the distribution's Python only
through its package manager, and a Python built from source or copied into `/usr/local`, or
a Python environment put first on `PATH`, is not the distribution's.
"""

from __future__ import annotations

import re
from typing import Optional, Sequence

from guard.pipcalls.invocation import Command, basename

DISTRO_PIP = "pip"  # the distribution's pip was installed (and with it its Python)
DISTRO_PYTHON = "python"  # only the distribution's Python

_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
# Package names that bring the distribution's pip, per package manager's naming:
# Debian/Ubuntu/Fedora `python3-pip`, Alpine `py3-pip`, Arch `python-pip`, openSUSE `python311-pip`.
_PIP_PACKAGE = re.compile(r"^(?:python3?|py3|python3\.?\d+)-pip$")
# Package names that depend on the distribution's Python: `python3`, `python3.12`,
# `python3-venv`, `python3-numpy`, Alpine `py3-*`, Arch `python` and `python-*`, openSUSE `python311`.
_PYTHON_PACKAGE = re.compile(r"^(?:python(?:3(?:\.?\d+)?)?(?:-.+)?|py3-.+|pipx)$")
# Options of `apt-get` / `apk` / `dnf` / `zypper` that take the next word as their value.
_VALUE_OPTIONS = {
    "-o",
    "-t",
    "-c",
    "--option",
    "--target-release",
    "--config-file",
    "--virtual",
    "-X",
    "--repository",
    "-p",
    "--root",
    "--repo",
    "-r",
    "--from",
}
_INSTALLERS = {
    "apt-get": ("install",),
    "apt": ("install",),
    "aptitude": ("install",),
    "apk": ("add",),
    "dnf": ("install", "in"),
    "dnf5": ("install", "in"),
    "yum": ("install",),
    "microdnf": ("install",),
    "tdnf": ("install",),
    "zypper": ("install", "in"),
}
# A directory put first on PATH that holds some other Python (conda, pyenv, a python.org
# build): bare `pip` / `python3` are that Python's, not the distribution's.
_PYTHON_HOME = re.compile(r"conda|mamba|miniforge|pyenv|python|pixi|\.local/share/uv", re.I)


def installed_python(command: Command) -> Optional[str]:
    """DISTRO_PIP or DISTRO_PYTHON when `command` installs the distribution's pip or Python
    (`apt-get install python3-pip`, `apk add py3-pip`, `pacman -S python`, ...), else None."""
    words = _without_prefixes([word.text for word in command.words])
    if not words:
        return None
    packages = _installed_packages(basename(words[0]), words[1:])
    names = [re.split(r"[=:/<>]", package, maxsplit=1)[0].lower() for package in packages]
    if any(_PIP_PACKAGE.match(name) for name in names):
        return DISTRO_PIP
    if any(_PYTHON_PACKAGE.match(name) for name in names):
        return DISTRO_PYTHON
    return None


def _without_prefixes(words: list[str]) -> list[str]:
    while words and (_ASSIGNMENT.match(words[0]) or words[0] in ("sudo", "env", "doas", "command", "exec", "nice")):
        words = words[1:]
    return words


def _installed_packages(program: str, args: list[str]) -> list[str]:
    operands: list[str] = []
    skip = False
    sync = False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg in _VALUE_OPTIONS:
            skip = True
            continue
        if program == "pacman" and (arg == "--sync" or re.fullmatch(r"-S[yu]*", arg)):
            sync = True
            continue
        if not arg.startswith("-"):
            operands.append(arg)
    if program == "pacman":
        return operands if sync else []
    verbs = _INSTALLERS.get(program)
    if verbs is None or not operands or operands[0] not in verbs:
        return []
    return operands[1:]


def builds_python(commands: Sequence[Command], script: str) -> bool:
    """Whether a `RUN` builds CPython from source and installs it (`./configure` ... `make
    install`, python.org's default prefix `/usr/local`, as the official `python` images do)."""
    if "python" not in script.lower():
        return False
    configured = installed = False
    for command in commands:
        words = _without_prefixes([word.text for word in command.words])
        if not words:
            continue
        program = basename(words[0])
        configured = configured or program == "configure"
        installed = installed or (program in ("make", "gmake") and any(word in ("install", "altinstall") for word in words[1:]))
    return configured and installed


def copies_python(destination: str, sources: Sequence[str], from_image: Optional[str]) -> bool:
    """Whether a `COPY` puts some Python into `/usr/local`: anything from a `python` image,
    a whole `/usr/local` or `/usr/local/bin`, or a `python*` program into `/usr/local/bin`."""
    if from_image is not None and re.match(r"^(?:[^/]+/)*python(?::|@|$)", from_image):
        return True
    target = destination.rstrip("/")
    if target in ("/usr/local", "/usr/local/bin"):
        return True
    return target.startswith("/usr/local/bin/python") or (
        target.startswith("/usr/local/") and any(basename(source.rstrip("/")).startswith("python") for source in sources)
    )


def python_first_on_path(path: str) -> bool:
    """Whether `ENV PATH=...` puts a directory holding another Python before the rest."""
    entries = [entry for entry in path.split(":") if entry]
    for entry in entries:
        if entry.startswith("$"):
            return False  # the inherited PATH: what comes after it comes after /usr/bin
        if _PYTHON_HOME.search(entry):
            return True
    return False
