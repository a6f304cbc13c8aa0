"""`guard shell-init bash|zsh|fish|powershell [--uninstall]`: the pip wrapper's shell code.

The snippet (package data in `guard/wrapper/shells/`) defines one helper and a function per pip
name: `pip`, `pip3`, and `pip3.X` for every minor version from 3.8 to 3.14 plus any other
`pip3.X` found on PATH when the snippet is generated. A name with no program behind it
behaves as before (the shell's "command not found"), so defining a few spare ones is harmless.
"""

from __future__ import annotations

import os
import re
import sys
from typing import IO, TYPE_CHECKING, List, Mapping, Optional

if TYPE_CHECKING:
    import argparse

SHELLS = ("bash", "zsh", "fish", "powershell")
_FILES = {"bash": "bash.sh", "zsh": "zsh.zsh", "fish": "fish.fish", "powershell": "powershell.ps1"}
_DEFINE = {
    "bash": 'function {name} {{ _guard_pip {name} "$@"; }}',
    "zsh": 'function {name} {{ _guard_pip {name} "$@"; }}',
    "fish": "function {name}; __guard_pip {name} $argv; end",
    "powershell": "function global:{name} {{ __guard_pip {name} @args }}",
}
_HELPER = {"bash": "_guard_pip", "zsh": "_guard_pip", "fish": "__guard_pip", "powershell": "__guard_pip"}
INSTALL_LINES = {
    "bash": ("~/.bashrc", 'eval "$(guard shell-init bash)"'),
    "zsh": ("~/.zshrc", 'eval "$(guard shell-init zsh)"'),
    "fish": ("~/.config/fish/config.fish", "guard shell-init fish | source"),
    "powershell": ("$PROFILE", "Invoke-Expression (& guard shell-init powershell | Out-String)"),
}
DEFAULT_MINORS = tuple(range(8, 15))
NAMES_VARIABLE = "_GUARD_PIP_NAMES"
_PIP_MINOR = re.compile(r"^pip3\.(\d{1,2})$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("shell", nargs="?", choices=SHELLS, help="the shell to print code for (default: from $SHELL)")
    parser.add_argument("--uninstall", action="store_true", help="print how to remove the wrapper instead")


def main(namespace: argparse.Namespace) -> int:
    return run(shell=namespace.shell, uninstall=namespace.uninstall, stdout=sys.stdout)


def pip_names(environ: Optional[Mapping[str, str]] = None) -> List[str]:
    """`pip`, `pip3` and the `pip3.X` names to wrap, in version order."""
    env = os.environ if environ is None else environ
    minors = set(DEFAULT_MINORS)
    for directory in (env.get("PATH") or "").split(os.pathsep):
        try:
            entries = os.listdir(directory) if directory else []
        except OSError:
            continue
        for entry in entries:
            match = _PIP_MINOR.match(entry)
            if match:
                minors.add(int(match.group(1)))
    return ["pip", "pip3", *(f"pip3.{m}" for m in sorted(minors))]


def snippet(shell: str, names: Optional[List[str]] = None) -> str:
    """The code `guard shell-init SHELL` prints."""
    from importlib import resources

    text = resources.files("guard.wrapper").joinpath("shells", _FILES[shell]).read_text(encoding="utf-8")
    names = pip_names() if names is None else names
    functions = "\n".join(_DEFINE[shell].format(name=name) for name in names)
    # The names defined here, for `--uninstall`: PATH may hold other pip3.X names by then.
    return text.replace("@FUNCTIONS@", functions + "\n" + _record_names(shell, names))


def _record_names(shell: str, names: List[str]) -> str:
    if shell == "fish":
        return f"set -g {NAMES_VARIABLE} {' '.join(names)}"
    if shell == "powershell":
        return f"$global:{NAMES_VARIABLE} = @(" + ", ".join(f"'{n}'" for n in names) + ")"
    return f'{NAMES_VARIABLE}="{" ".join(names)}"'


def uninstall_text(shell: str, names: Optional[List[str]] = None) -> str:
    """How to remove the wrapper. The functions to remove are the ones the snippet recorded
    in `_GUARD_PIP_NAMES` when it ran; `names` (today's PATH) only for a snippet without it."""
    names = pip_names() if names is None else names
    rc_file, line = INSTALL_LINES[shell]
    fallback = " ".join(names)
    helper = _HELPER[shell]
    var = NAMES_VARIABLE
    if shell == "bash":
        now = f"unset -f ${{{var}-{fallback}}} {helper}; unset {var}"
    elif shell == "zsh":
        now = f"unfunction ${{={var}:-{fallback}}} {helper}; unset {var}"
    elif shell == "fish":
        now = f"if set -q {var}; functions -e ${var}; set -e {var}; else; functions -e {fallback}; end; functions -e {helper}"
    else:
        listed = ", ".join(f"'{n}'" for n in names)
        now = (
            f"$names = if ($global:{var}) {{ $global:{var} }} else {{ @({listed}) }}; "
            f"foreach ($n in @($names) + '{helper}') {{ Remove-Item \"Function:$n\" -ErrorAction SilentlyContinue }}; "
            f"Remove-Variable -Name {var} -Scope Global -ErrorAction SilentlyContinue"
        )
    return (
        f"# To remove guard's pip wrapper from {shell}:\n"
        f"# 1. delete this line from {rc_file}:\n"
        f"#      {line}\n"
        f"# 2. in a shell that already has it, run:\n"
        f"{now}\n"
    )


def run(*, shell: Optional[str], uninstall: bool, stdout: IO[str], environ: Optional[Mapping[str, str]] = None) -> int:
    env = os.environ if environ is None else environ
    if shell is None:
        guess = os.path.basename(env.get("SHELL") or "")
        shell = {"pwsh": "powershell", "pwsh-preview": "powershell"}.get(guess, guess)
        if shell not in SHELLS:
            sys.stderr.write("guard: name the shell: guard shell-init bash|zsh|fish|powershell\n")
            return 2
    names = pip_names(env)
    stdout.write(uninstall_text(shell, names) if uninstall else snippet(shell, names))
    return 0
