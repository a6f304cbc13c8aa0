"""Which files guard reads, and which checker reads each kind.

One explicit table. A checker is named by "module:function" and imported only when a file of
its kind is checked, so `guard --version` and the pip wrapper never pay for it. A checker is
`check_files(paths: list[str], context: RunContext) -> None`: it appends findings to
`context.findings` and the texts it read to `context.texts` (for suppressions).
"""

from __future__ import annotations

import fnmatch
import os
import re
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
    "github-action": "guard.pipcalls.ci_yaml:check_github_action_files",
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
        if "requirements" in name or "constraints" in name:
            return "requirements"
        if _below_requirement_dir(path) and not name.startswith(_PROSE_NAMES):
            return "requirements"
        return None
    if fnmatch.fnmatch(name, "pylock.*.toml"):
        return "lockfile"
    if name.endswith(".py"):
        return "python-script"  # before the Dockerfile names: `dockerfile.py` is Python
    if is_template(name):
        return None
    if (
        name == "dockerfile"
        or name.startswith("dockerfile.")
        or name.endswith((".dockerfile", ".containerfile"))
        or name == "containerfile"
        or _dockerfile_variant(name)
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
    if name in ("action.yml", "action.yaml"):
        return "github-action"  # an action's definition: a composite action's steps run shell
    return None


# Text files a requirements folder may hold that are not requirement files.
_PROSE_NAMES = ("readme", "license", "licence", "changelog", "changes", "notice", "authors")


def _below_requirement_dir(path: str) -> bool:
    """`requirements/base.txt`, and `requirements/extras/redis.txt` below it."""
    directories = os.path.dirname(path).replace(os.sep, "/").lower().split("/")
    return any(directory in _REQUIREMENT_DIRS for directory in directories)


# Names that end like a document or data file are about a Dockerfile, not one.
_NOT_DOCKERFILE_SUFFIXES = (".md", ".rst", ".txt", ".json", ".yml", ".yaml", ".toml", ".cfg", ".ini", ".sh", ".lock")
# A template renders into a file of the kind its name says (docker-library/python's
# `Dockerfile-linux.template`, xarray's `doc/environment_template.yml`): its placeholders are
# not that file's syntax, so it is not read as one. Named explicitly, it is read all the same.
_TEMPLATE_SUFFIXES = (".template", ".tmpl", ".tpl", ".j2", ".jinja", ".jinja2", ".erb", ".mustache", ".hbs", ".m4")


def is_template(name: str) -> bool:
    stem = name.rsplit(".", 1)[0] if name.endswith((".yml", ".yaml")) else name
    return name.endswith(_TEMPLATE_SUFFIXES) or stem.endswith(("template", "-tmpl", "_tmpl")) or ".template." in name


def _dockerfile_variant(name: str) -> bool:
    """`Dockerfile-dev`, `Dockerfile_prod`, `Containerfile-ci` (and `dev.Dockerfile` above)."""
    for stem in ("dockerfile", "containerfile"):
        if name.startswith((stem + "-", stem + "_")) and len(name) > len(stem) + 1:
            return not name.endswith(_NOT_DOCKERFILE_SUFFIXES)
    return False


def conda_candidate(path: str) -> bool:
    """Names a conda environment file may have besides `environment.yml`: `environment-dev.yml`,
    `environment_py39.yaml`, and YAML files below a requirements directory
    (`ci/requirements/py311.yml`). Only its content makes it one (`looks_like_conda_env`)."""
    name = os.path.basename(path).lower()
    if not name.endswith((".yml", ".yaml")) or is_template(name):
        return False
    return name.startswith(("environment-", "environment_")) or _below_requirement_dir(path)


def kind_of_discovered(path: str, real_path: Optional[str] = None) -> Optional[str]:
    """The kind of a discovered file: by name, else by a cheap look at its first bytes for the
    names that say nothing (an extensionless script or Dockerfile, a conda file's YAML).
    `path` is what the name is judged on (relative to the project); `real_path` is read."""
    kind = kind_of(path)
    if kind == "readthedocs" and os.path.dirname(path) not in ("", "."):
        # Read the Docs reads its configuration at the repository's top; one deeper is an
        # example in the docs (readthedocs.org's own `docs/.../examples/`), unless
        # `file-kinds` says otherwise
        return None
    if kind is not None:
        return kind
    if conda_candidate(path):
        return "environment-yml" if looks_like_conda_env(real_path or path) else None
    name = os.path.basename(path).lower()
    if name.endswith((".yml", ".yaml")) and not is_template(name):
        # any other YAML is a conda environment only when it says both what conda reads
        # first: `channels:` and a `dependencies:` list (geopandas' `ci/envs/312-latest.yaml`)
        return "environment-yml" if looks_like_conda_env(real_path or path, channels=True) else None
    if "." not in os.path.basename(path):
        return _kind_by_content(real_path or path)
    return None


def kind_of_explicit(path: str) -> str:
    """A path the user named is always checked: besides the names above, a conda file's other
    names (`environment-dev.yml`) make it one, its content can say it is a shell script (a
    shebang), a Dockerfile (`FROM` first) or a conda environment file, and anything else is
    read as a requirement file (as `pip -r`)."""
    kind = kind_of(path)
    if kind is not None:
        return kind
    name = os.path.basename(path).lower()
    if name.endswith((".yml", ".yaml")) and (conda_candidate(path) or looks_like_conda_env(path)):
        return "environment-yml"  # named so, or shaped so: a YAML file is no requirement file
    return _kind_by_content(path) or "requirements"


_HEAD_BYTES = 4096


def _head(path: str, size: int = _HEAD_BYTES) -> bytes:
    """The first few KB of a regular file; nothing for a FIFO, a device or what cannot be read
    (opening a FIFO would block the run, and pip may be about to read it)."""
    from guard.text.decode import read_regular

    try:
        return read_regular(path, size) or b""
    except OSError:
        return b""


def _kind_by_content(path: str) -> Optional[str]:
    head = _head(path)
    if _shell_shebang(head):
        return "shell"
    if _dockerfile_start(head):
        return "dockerfile"
    return None


_DIRECTIVE_OR_COMMENT = re.compile(rb"\s*(#.*)?")
_ARG = re.compile(rb"\s*arg\s", re.IGNORECASE)
# `FROM [--platform=...] image[:tag][@digest] [AS name]`, and nothing else on the line: prose
# ("From the authors ...") and mail headers ("From: a@b") have more words or a colon after it
_FROM = re.compile(rb"\s*from(?:\s+--[a-z]+=\S+)*\s+[\w.${}/:@-]+(?:\s+as\s+[\w.-]+)?\s*", re.IGNORECASE)
_INSTRUCTIONS = frozenset(
    b"add arg cmd copy entrypoint env expose from healthcheck label maintainer onbuild run shell stopsignal user volume workdir".split()
)


def _dockerfile_start(head: bytes) -> bool:
    """Whether the first instruction is `FROM image` (after comments, parser directives such as
    `# syntax=` and `ARG` lines, which are all Docker allows before it) and the next line that
    is not a comment is an instruction too."""
    lines = head.split(b"\n")
    if len(head) == _HEAD_BYTES:
        lines = lines[:-1]  # cut in the middle
    continued = False
    seen_from = False
    for line in lines:
        line = line.rstrip(b"\r")
        if continued:
            continued = line.rstrip().endswith(b"\\")
            continue
        if _DIRECTIVE_OR_COMMENT.fullmatch(line):
            continue
        if seen_from:
            words = line.split(None, 1)
            return words[0].lower() in _INSTRUCTIONS
        if not seen_from and _ARG.match(line):
            continued = line.rstrip().endswith(b"\\")
            continue
        if not _FROM.fullmatch(line):
            return False
        seen_from = True
    return seen_from


_CONDA_CHANNELS = re.compile(rb"(?m)^channels:[ \t]*(?:#.*)?$|^channels:[ \t]*\[")
_CONDA_DEPENDENCIES = re.compile(rb"^dependencies[ \t]*:[ \t]*(?:#[^\n]*)?\r?$", re.MULTILINE)
_CONDA_FLOW_DEPENDENCIES = re.compile(rb"^dependencies[ \t]*:[ \t]*\[", re.MULTILINE)


def looks_like_conda_env(path: str, channels: bool = False) -> bool:
    """A top-level `dependencies:` key holding a list: how conda environment files start (a
    CI file or a schema that merely mentions dependencies has them indented); with
    `channels`, a top-level `channels:` key too."""
    head = _head(path, 4 * _HEAD_BYTES)
    if channels and not _CONDA_CHANNELS.search(head):
        return False
    return bool(_CONDA_DEPENDENCIES.search(head) or _CONDA_FLOW_DEPENDENCIES.search(head))


def has_shell_shebang(path: str) -> bool:
    """Whether the file starts with a `#!` line naming a POSIX-family shell (directly or via env)."""
    return _shell_shebang(_head(path))


def _shell_shebang(head: bytes) -> bool:
    first = head.split(b"\n", 1)[0][:200]
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
