"""`git clone URL` then `pip install ./dir`: an install of whatever a branch holds that day.

A clone without `--branch`/`--revision` checks out the remote's default branch; installing
that directory (`pip install -e ext-theme`) is `name @ git+URL` without a ref, which PIN102
reports when it is written as a requirement. Found here in the same shell text: the clone
must come first, and no `git checkout`/`switch`/`reset` in between (which may pin it).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, replace
from typing import Optional, Sequence

from guard.pipcalls.invocation import PREFIX_COMMANDS, Command, Word, basename

# `git clone` options that take a value as the next word (git 2.49's list); a ref option
# (`--branch`, `-b`, `--revision`) picks what is checked out, so the clone is no longer
# the default branch's.
_VALUE_OPTIONS = frozenset(
    {
        "--depth",
        "-o",
        "--origin",
        "-u",
        "--upload-pack",
        "--reference",
        "--reference-if-able",
        "--separate-git-dir",
        "-c",
        "--config",
        "-j",
        "--jobs",
        "--filter",
        "--shallow-since",
        "--shallow-exclude",
        "--template",
        "--server-option",
        "--bundle-uri",
        "--ref-format",
    }
)
_REF_OPTIONS = ("-b", "--branch", "--revision")
_GIT_VALUE_OPTIONS = frozenset({"-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path"})
_PINNING_SUBCOMMANDS = frozenset({"checkout", "switch", "reset", "restore"})


@dataclass(frozen=True)
class Clone:
    command_index: int
    directory: str  # as the clone names it, normalised (`ext-theme`)
    url: str
    line: int
    pinned_at: Optional[int] = None  # index of the first later checkout/switch/reset


def _git_subcommand(words: Sequence[Word]) -> Optional[int]:
    """Index of git's subcommand word in `words` (`then git -C x clone`), or None when not git."""
    start = 0
    while start < len(words) and words[start].text in PREFIX_COMMANDS:
        start += 1
    if start >= len(words) or basename(words[start].text) not in ("git", "git.exe"):
        return None
    index = start + 1
    while index < len(words) and words[index].text.startswith("-"):
        index += 2 if words[index].text in _GIT_VALUE_OPTIONS else 1
    return index if index < len(words) else None


def fresh_clones(commands: Sequence[Command]) -> list[Clone]:
    """The `git clone`s of a default branch in `commands`, each with the first later command
    that may pin it (`git checkout`, `switch`, `reset`, `restore`: which clone it acts on is
    not followed, so it ends them all)."""
    clones: list[Clone] = []
    pinning: list[int] = []
    for command in commands:
        words = command.words
        at = _git_subcommand(words)
        if at is None:
            continue
        subcommand = words[at].text
        if subcommand in _PINNING_SUBCOMMANDS:
            pinning.append(command.index)
        elif subcommand == "clone":
            clone = _clone(command, words[at + 1 :])
            if clone is not None:
                clones.append(clone)
    return [replace(clone, pinned_at=next((i for i in pinning if i > clone.command_index), None)) for clone in clones]


def _clone(command: Command, args: Sequence[Word]) -> Optional[Clone]:
    positional: list[Word] = []
    index = 0
    while index < len(args):
        text = args[index].text
        if text == "--":
            positional.extend(args[index + 1 :])
            break
        if text.startswith(_REF_OPTIONS) or any(word.dynamic for word in args[index : index + 1]):
            return None  # a named ref, or a word whose value is not known
        if text in _VALUE_OPTIONS:
            index += 2
            continue
        if not text.startswith("-"):
            positional.append(args[index])
        index += 1
    if not positional or len(positional) > 2:
        return None
    url = positional[0].text
    directory = positional[1].text if len(positional) == 2 else _default_directory(url)
    if not directory or "$" in directory:
        return None
    return Clone(command.index, normalise_directory(directory), url, positional[0].line)


def _default_directory(url: str) -> str:
    """The directory git names a clone of `url` (`.../ext-theme.git/` -> `ext-theme`)."""
    path = url.rstrip("/")
    if path.endswith("/.git"):
        path = path[: -len("/.git")]
    name = path.rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    return name[: -len(".git")] if name.endswith(".git") else name


def normalise_directory(path: str) -> str:
    return posixpath.normpath(path.replace("\\", "/")).rstrip("/")


def cloned_before(clones: Sequence[Clone], spec: str, command_index: int) -> Optional[Clone]:
    """The clone a pip install argument (`ext-theme`, `./ext-theme/`, `ext-theme[docs]`) names."""
    target = spec.split("[", 1)[0] if not spec.startswith(("http:", "https:", "git+", "file:")) else ""
    if not target or "@" in target or target.endswith((".whl", ".tar.gz", ".zip")):
        return None
    wanted = normalise_directory(target)
    for clone in reversed(clones):
        if clone.command_index < command_index and clone.directory == wanted:
            return clone if clone.pinned_at is None or clone.pinned_at > command_index else None
    return None
