"""Which files guard reads, and which checker reads each kind.

One explicit table. A checker is named by "module:function" and imported only when a file of
its kind is checked, so `guard --version` and the pip wrapper never pay for it. A checker is
`check_files(paths: list[str], context: RunContext) -> None`: it appends findings to
`context.findings` and the texts it read to `context.texts` (for suppressions).
"""

from __future__ import annotations

import fnmatch
import os
from typing import Optional

CHECKERS: dict[str, str] = {
    "requirements": "guard.requirements.kind:check_files",
    # manifests: pyproject, lock files and the other files that declare dependencies
    "pyproject": "guard.manifests.pyproject:check_files",
    "lockfile": "guard.manifests.lockfiles:check_files",
    "setup-cfg": "guard.manifests.setup_cfg:check_files",
    "setup-py": "guard.manifests.setup_py:check_files",
    "pipfile": "guard.manifests.pipfile:check_files",
    "environment-yml": "guard.manifests.environment_yml:check_files",
    "tox-ini": "guard.manifests.tox_ini:check_files",
    "pre-commit-config": "guard.manifests.pre_commit_config:check_files",
    "python-script": "guard.manifests.pep723:check_files",
    # pip calls written in Dockerfiles, scripts, CI files and Makefiles
    "dockerfile": "guard.pipcalls.dockerfile:check_files",
    "shell": "guard.pipcalls.shellscript:check_files",
    "github-workflow": "guard.pipcalls.ci_yaml:check_github_files",
    "gitlab-ci": "guard.pipcalls.ci_yaml:check_gitlab_files",
    "circleci": "guard.pipcalls.ci_yaml:check_circleci_files",
    "readthedocs": "guard.pipcalls.ci_yaml:check_readthedocs_files",
    "makefile": "guard.pipcalls.makefile:check_files",
}

_REQUIREMENT_DIRS = {"requirements", "reqs", "requirements.d"}
_EXACT_NAMES = {
    "pyproject.toml": "pyproject",
    "uv.lock": "lockfile",
    "poetry.lock": "lockfile",
    "pdm.lock": "lockfile",
    "pipfile.lock": "lockfile",
    "pylock.toml": "lockfile",
    "setup.cfg": "setup-cfg",
    "setup.py": "setup-py",
    "pipfile": "pipfile",
    "environment.yml": "environment-yml",
    "environment.yaml": "environment-yml",
    "tox.ini": "tox-ini",
    ".pre-commit-config.yaml": "pre-commit-config",
    ".pre-commit-config.yml": "pre-commit-config",
    ".gitlab-ci.yml": "gitlab-ci",
    ".gitlab-ci.yaml": "gitlab-ci",
    ".readthedocs.yaml": "readthedocs",
    ".readthedocs.yml": "readthedocs",
    "readthedocs.yaml": "readthedocs",
    "readthedocs.yml": "readthedocs",
    "makefile": "makefile",
    "gnumakefile": "makefile",
}
_SHELL_SUFFIXES = (".sh", ".bash", ".zsh", ".ksh")


def kind_of(path: str) -> Optional[str]:
    """The kind of a discovered file, or None when guard does not read it (by name only)."""
    name = os.path.basename(path).lower()
    if name in _EXACT_NAMES:
        return _EXACT_NAMES[name]
    if name.endswith((".txt", ".in")):
        parent = os.path.basename(os.path.dirname(path)).lower()
        if "requirements" in name or "constraints" in name or parent in _REQUIREMENT_DIRS:
            return "requirements"
        return None
    if fnmatch.fnmatch(name, "pylock.*.toml"):
        return "lockfile"
    if name.endswith(".py"):
        return "python-script"  # before the Dockerfile names: `dockerfile.py` is Python
    if (
        name == "dockerfile"
        or name.startswith("dockerfile.")
        or name.endswith((".dockerfile", ".containerfile"))
        or name == "containerfile"
    ):
        return "dockerfile"
    if name.endswith(_SHELL_SUFFIXES):
        return "shell"
    if name.endswith((".mk", ".make")):
        return "makefile"
    normalised = path.replace(os.sep, "/")
    if name.endswith((".yml", ".yaml")) and "/.github/workflows/" in f"/{normalised}":
        return "github-workflow"
    if name in ("config.yml", "config.yaml") and f"/{normalised}".endswith(f"/.circleci/{name}"):
        return "circleci"
    return None


def kind_of_explicit(path: str) -> str:
    """A path the user named is always checked: besides the names above, a shebang can say
    it is a shell script, and anything else is read as a requirement file (as `pip -r`)."""
    kind = kind_of(path)
    if kind is not None:
        return kind
    if has_shell_shebang(path):
        return "shell"
    return "requirements"


def has_shell_shebang(path: str) -> bool:
    """Whether the file starts with a `#!` line naming a POSIX-family shell (directly or via env)."""
    try:
        with open(path, "rb") as handle:
            first = handle.readline(200)
    except OSError:
        return False
    if not first.startswith(b"#!"):
        return False
    words = first[2:].decode("latin-1").strip().split()
    if not words:
        return False
    program = os.path.basename(words[0])
    if program == "env":
        # `#!/usr/bin/env bash`, `#!/usr/bin/env -S bash -e`, `#!/usr/bin/env VAR=1 sh`
        rest = [word for word in words[1:] if not word.startswith("-") and "=" not in word]
        program = os.path.basename(rest[0]) if rest else ""
    return program in ("sh", "bash", "dash", "zsh", "ksh", "ash")
