"""ENV: the Python environment a plain `pip install` would write into (`guard env`).

The checks live in guard/environment/crosscheck.py; this module is the table.
"""

from __future__ import annotations

from guard.finding import Severity
from guard.rules.rule import Rule

SYSTEM_PYTHON_INSTALL = Rule(
    code="ENV101",
    name="system-python-install",
    severity=Severity.ERROR,
    summary="A plain `pip install` would write into a Python owned by the OS or a package manager.",
    doc="""
## What it does

Flags a target interpreter that belongs to the operating system or to a package manager:
a Linux distribution's `/usr` Python, Homebrew, MacPorts, Apple's Command Line Tools or
Xcode Python, macOS's Python 2, uv-managed and Nix Pythons, MSYS2, Python embedded in an
application, and any interpreter with a PEP 668 `EXTERNALLY-MANAGED` marker.

## Why it matters

Files pip writes there collide with files the package manager owns: the next `apt upgrade`
or `brew upgrade` overwrites them, or they break tools of the OS that import the same
packages. pip ≥ 23 refuses marked interpreters; older pip, and unmarked ones, do not.

## Example

```console
$ guard env --python /usr/bin/python3
<environment>:0:0: ENV101 `/usr/bin/python3` is Debian GNU/Linux's system Python 3.11; `pip install` must not write into it.
```

## How to fix

Create a virtual environment for the project and install there:

```console
python3 -m venv .venv && . .venv/bin/activate && python -m pip install ...
```

For a command-line application, use `pipx install NAME`.
""",
)

GLOBAL_PYTHON_INSTALL = Rule(
    code="ENV102",
    name="global-python-install",
    severity=Severity.WARNING,
    summary="A plain `pip install` would write into a global Python shared by every project.",
    doc="""
## What it does

Flags a target interpreter that is not a virtual environment but is not owned by the OS
either: pyenv, asdf and mise versions, python.org installs on macOS and Windows, the
Windows Store Python, a Python built into `/usr/local`, a CI tool-cache Python outside CI.

## Why it matters

Every project that uses that interpreter sees the package, at whatever version was
installed last: projects break each other, and `pip freeze` stops describing any one of
them. Nothing refuses the install, so this goes unnoticed.

## Example

```console
$ guard env --python ~/.pyenv/versions/3.12.4/bin/python
<environment>:0:0: ENV102 `~/.pyenv/versions/3.12.4/bin/python` is a pyenv-installed Python 3.12, shared by every project that uses it.
```

## How to fix

Make a virtual environment from that interpreter and install there:

```console
python -m venv .venv && . .venv/bin/activate && python -m pip install ...
```
""",
)

CONDA_BASE_INSTALL = Rule(
    code="ENV103",
    name="conda-base-install",
    severity=Severity.WARNING,
    summary="A plain `pip install` would write into conda's base environment.",
    doc="""
## What it does

Flags a target that is conda's base environment: the prefix is `_CONDA_ROOT`, or
`CONDA_DEFAULT_ENV` is `base` for it, or it holds `conda-meta/` and `envs/`.

## Why it matters

conda itself runs from the base environment. Packages pip installs there can break `conda`,
and conda cannot see or undo them (conda#12245). pip's `require-virtualenv` and `uv pip`
treat base like any other conda env or as a system Python, so nothing warns.

## Example

```console
$ guard env --python ~/miniconda3/bin/python
<environment>:0:0: ENV103 `~/miniconda3` is conda's base environment; `pip install` into it can break conda.
```

## How to fix

```console
conda create -n myproject python && conda activate myproject
```
""",
)

TOOL_VENV_INSTALL = Rule(
    code="ENV104",
    name="tool-venv-install",
    severity=Severity.WARNING,
    summary="A plain `pip install` would write into a venv owned by guard itself, pipx, uv tool or pre-commit.",
    doc="""
## What it does

Flags a target venv that a tool manages: guard's own installation environment (the venv guard
runs from, on PATH after a development install), pipx (`pipx_metadata.json` or under
`PIPX_HOME/venvs`), `uv tool` (`uv-receipt.toml`), or pre-commit's cache.

## Why it matters

The tool rebuilds such a venv on upgrade or reinstall and drops what was added by hand;
pipx does not know about the extra package, so `pipx upgrade` may break it.

## Example

```console
$ guard env --python ~/.local/share/pipx/venvs/black/bin/python
<environment>:0:0: ENV104 `~/.local/share/pipx/venvs/black` belongs to pipx; packages installed by hand are lost on its next upgrade.
```

## How to fix

Use the tool: `pipx inject black NAME`, `uv tool install black --with NAME`, or
`additional_dependencies` in `.pre-commit-config.yaml`.
""",
)

BROKEN_VENV = Rule(
    code="ENV105",
    name="broken-venv",
    severity=Severity.WARNING,
    summary="The target looks like a virtual environment but has no `pyvenv.cfg`.",
    doc="""
## What it does

Flags a virtual environment whose `pyvenv.cfg` is missing. Without it, Python does not know it
is in a venv: its `python` runs as the base interpreter, with the base's `sys.prefix`.

## Why it matters

`pip install` from that venv writes into the base interpreter (a system Python, a pyenv
version), not the venv, while the prompt still says the venv is active.

## Example

```console
$ guard env --python .venv
<environment>:0:0: ENV105 `.venv` has no `pyvenv.cfg`; its python runs as `/usr` and installs there.
```

## How to fix

Recreate the venv: `rm -rf .venv && python3 -m venv .venv`.
""",
)

SUDO_INSTALL = Rule(
    code="ENV106",
    name="sudo-install",
    severity=Severity.ERROR,
    summary="pip would run as root through `sudo`.",
    doc="""
## What it does

Flags a run as root through sudo (effective uid 0 with `SUDO_USER` set). Outside a venv this
is an error; into a venv a warning (the finding's severity is lowered).

## Why it matters

`sudo pip` writes into the system regardless of the user's venv (sudo resets `VIRTUAL_ENV`
and PATH), leaves root-owned files that later user installs cannot replace, and on macOS's
Command Line Tools Python puts scripts in `/usr/local/bin`, Homebrew's prefix.

## Example

```console
$ sudo guard env
<environment>:0:0: ENV106 `pip install` would run as root (`SUDO_USER=alice`).
```

## How to fix

Drop `sudo` and install into a venv the user owns:
`python3 -m venv .venv && .venv/bin/python -m pip install ...`.
""",
)

STALE_VIRTUAL_ENV = Rule(
    code="ENV107",
    name="stale-virtual-env",
    severity=Severity.WARNING,
    summary="`VIRTUAL_ENV` is set but is not the environment pip would install into.",
    doc="""
## What it does

Flags `VIRTUAL_ENV` when it points to a directory that no longer exists, or to a venv other
than the target interpreter's. Under pre-commit (`PRE_COMMIT=1`), pre-commit's own venv is
not reported.

## Why it matters

The prompt and tools that trust `VIRTUAL_ENV` say a venv is active while `python` and `pip`
on PATH are another interpreter: a deleted-and-recreated venv, a `deactivate` that never ran,
or a PATH reordered by a shell rc file.

## Example

```console
$ guard env
<environment>:0:0: ENV107 `VIRTUAL_ENV` points to `/home/u/old/.venv`, which no longer exists.
```

## How to fix

Run `deactivate` (or `unset VIRTUAL_ENV`) and activate the venv you mean:
`. .venv/bin/activate`.
""",
)

PIP_PYTHON_MISMATCH = Rule(
    code="ENV108",
    name="pip-python-mismatch",
    severity=Severity.WARNING,
    summary="`pip` on PATH installs for another interpreter than `python` on PATH.",
    doc="""
## What it does

Resolves the first `pip` on PATH to its interpreter (shebang, distlib's `/bin/sh` form,
pyenv shims) and compares that environment with the one of `python3` (or `python`) on PATH.

## Why it matters

`pip install x` then `python -c "import x"` fails with `ModuleNotFoundError`, the most
common pip question there is (pip#11227).

## Example

```console
$ guard env
<environment>:0:0: ENV108 `pip` installs for `/usr/bin/python3.11`, but `python3` is `/home/u/.pyenv/versions/3.12.4/bin/python3.12`.
```

## How to fix

Call pip through the interpreter you use: `python3 -m pip install ...`.
""",
)

PROJECT_VENV_NOT_USED = Rule(
    code="ENV109",
    name="project-venv-not-used",
    severity=Severity.WARNING,
    summary="The project has a `.venv` (or `venv`) but the target is another interpreter.",
    doc="""
## What it does

Finds the nearest `.venv` or `venv` with a `pyvenv.cfg` in the current directory or a parent,
and flags a target interpreter that is not that venv.

## Why it matters

The project's dependencies live in its venv; an install elsewhere is invisible to the project
and pollutes another environment.

## Example

```console
$ guard env
<environment>:0:0: ENV109 the project venv `/home/u/proj/.venv` is not the target `/usr/bin/python3`.
```

## How to fix

Use the venv's interpreter: `/home/u/proj/.venv/bin/python -m pip install ...`, or activate it
with `. .venv/bin/activate`.
""",
)

USER_SITE_FALLBACK = Rule(
    code="ENV110",
    name="user-site-fallback",
    severity=Severity.WARNING,
    summary="pip would silently install into the user site because site-packages is not writable.",
    doc="""
## What it does

Flags a non-venv target whose `purelib` is not writable while the user site is enabled: pip
then installs into the user site without being asked (pip#10831). The message says where,
and whether the user scripts directory is on PATH.

## Why it matters

The install seems to succeed, but its commands land in a directory that is often not on PATH
(`~/Library/Python/3.9/bin` with Apple's Python, `%APPDATA%\\Python\\Python312\\Scripts` on
Windows), and every project using that interpreter sees the package.

## Example

```console
$ guard env --python /usr/bin/python3
<environment>:0:0: ENV110 `pip install` would fall back to the user site `~/Library/Python/3.9/lib/python/site-packages`; its scripts dir `~/Library/Python/3.9/bin` is not on PATH.
```

## How to fix

Use a venv: `python3 -m venv .venv && . .venv/bin/activate`.
""",
)

CONTAINER_SYSTEM_INSTALL = Rule(
    code="ENV111",
    name="container-system-install",
    severity=Severity.INFO,
    summary="A plain `pip install` would write into a container image's own Python.",
    doc="""
## What it does

Notes a target that is the `/usr/local` Python of a container (`/.dockerenv`,
`/run/.containerenv` or `container=`), as in Docker's `python:*` images.

## Why it matters

In a throwaway container this is usually intended. It is still the image's global Python:
tools baked into the image share it, and the same command outside a container would not be
fine.

## Example

```console
$ docker run --rm python:3.12 guard env
<environment>:0:0: ENV111 `/usr/local/bin/python3` is the container image's system Python 3.12.
```

## How to fix

Nothing is required. For isolation, `python -m venv /opt/venv` and put `/opt/venv/bin` first
on PATH in the image.
""",
)

CI_TOOLCACHE_INSTALL = Rule(
    code="ENV112",
    name="ci-toolcache-install",
    severity=Severity.INFO,
    summary="A plain `pip install` would write into a CI runner's tool-cache Python.",
    doc="""
## What it does

Notes a target under a CI tool cache (`/opt/hostedtoolcache/`, as set up by
`actions/setup-python`) while a CI variable is set.

## Why it matters

On an ephemeral runner this is normal. On a self-hosted runner the tool cache survives jobs,
so packages leak from one job into the next.

## Example

```console
$ guard env
<environment>:0:0: ENV112 `/opt/hostedtoolcache/Python/3.12.4/x64/bin/python` is the CI tool-cache Python 3.12.
```

## How to fix

Nothing on hosted runners. On self-hosted ones, `python -m venv .venv` in the job.
""",
)

VENV_SYSTEM_SITE_PACKAGES = Rule(
    code="ENV113",
    name="venv-system-site-packages",
    severity=Severity.INFO,
    summary="The target venv also sees its base interpreter's site-packages.",
    doc="""
## What it does

Notes a venv made with `--system-site-packages` (`include-system-site-packages = true`).

## Why it matters

Installs still go into the venv, but imports may silently resolve to the base interpreter's
packages, and pip treats those as already installed.

## Example

```console
$ guard env
<environment>:0:0: ENV113 the venv `/home/u/proj/.venv` includes the system site-packages.
```

## How to fix

Nothing is required. For full isolation, recreate it without `--system-site-packages`.
""",
)

RULES: list[Rule] = [
    SYSTEM_PYTHON_INSTALL,
    GLOBAL_PYTHON_INSTALL,
    CONDA_BASE_INSTALL,
    TOOL_VENV_INSTALL,
    BROKEN_VENV,
    SUDO_INSTALL,
    STALE_VIRTUAL_ENV,
    PIP_PYTHON_MISMATCH,
    PROJECT_VENV_NOT_USED,
    USER_SITE_FALLBACK,
    CONTAINER_SYSTEM_INSTALL,
    CI_TOOLCACHE_INSTALL,
    VENV_SYSTEM_SITE_PACKAGES,
]
