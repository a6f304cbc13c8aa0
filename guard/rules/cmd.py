"""CMD: pip invocations, typed at the shell or written in Dockerfiles, scripts and CI files."""

from __future__ import annotations

from guard.finding import Severity
from guard.rules.rule import Rule

TYPE_CHECKING = False
if TYPE_CHECKING:  # `typing` stays out of the pip wrapper's start-up
    pass

UNPINNED_INSTALL_ARG = Rule(
    code="CMD101",
    name="unpinned-install-arg",
    severity=Severity.WARNING,
    summary="`pip install` names a package on its command line without pinning one version.",
    doc="""
## What it does
Looks at the requirement specifiers given as arguments to `pip install` (not the option
values such as `--index-url URL`, and not the files named by `-r`, which the PIN rules read)
and reports those that do not pin one exact version (`==1.2.3` or `===1.2.3`). Local paths
(`.`, `./pkg`, `dist/x.whl`), URLs and direct references (`name @ url`), the bootstrap
installers (`pip`, `setuptools`, `wheel`) and calls with a constraints file (`-c`) are left
alone. Only the pip wrapper reports this rule, as a note before pip runs; the same argument
written in a Dockerfile, script or CI file is reported by the PIN rules (PIN101).

## Why it matters
`pip install requests` installs whatever is newest on the day it runs: the same command
gives different environments on different days, and a bad release arrives without a change.

## Example
```
pip install requests "numpy>=1.26"
```

## How to fix
Pin the version you tested (`pip install requests==2.32.3`), or install from a pinned,
preferably hashed, requirements file (`pip install -r requirements.txt --require-hashes`).
""",
)

RULES: list[Rule] = [UNPINNED_INSTALL_ARG]

# --- pip usage written in files: CMD201 and up ----------------------------------

SUDO_PIP = Rule(
    code="CMD201",
    name="sudo-pip",
    severity=Severity.ERROR,
    summary="`sudo pip` (or `sudo python -m pip`) installs into the system Python as root.",
    doc="""
## What it does
Reports `pip install` and `pip uninstall` run through `sudo` or `doas` in a Dockerfile,
shell script, CI file or Makefile, in every form: `sudo pip`, `sudo -H pip3`,
`sudo python3 -m pip`, `sudo env VAR=x pip`, `sudo uv pip install --system`.

## Why it matters
Root pip writes into the interpreter the operating system owns, overwriting files its
package manager installed; `sudo` also resets `VIRTUAL_ENV` and `PATH`, so the pip that runs
is rarely the one you meant. A shell wrapper around pip never sees it: only a lint of the
files can.

## Example
```
sudo pip install -r requirements.txt
```

## How to fix
Create a virtual environment and install into it
(`python3 -m venv .venv && .venv/bin/pip install -r requirements.txt`), or use the
distribution's packages (`apt-get install python3-requests`). For tools, use `pipx`.
""",
)

BREAK_SYSTEM_PACKAGES = Rule(
    code="CMD202",
    name="break-system-packages",
    severity=Severity.WARNING,
    summary="`--break-system-packages` or `PIP_BREAK_SYSTEM_PACKAGES` overrides PEP 668.",
    doc="""
## What it does
Reports `pip install --break-system-packages` (also abbreviated, `--break`), a
`PIP_BREAK_SYSTEM_PACKAGES` set to a true value (`ENV` in a Dockerfile, `export` in a
script, `env:`/`variables:` in CI, `VAR=1 pip ...`), `pip config set
global.break-system-packages true`, and removing the `EXTERNALLY-MANAGED` marker file.

## Why it matters
The marker (PEP 668) is how a distribution says "this Python belongs to the package
manager". Overriding it lets pip replace files `apt`/`apk` installed, which breaks system
tools in ways that show up much later.

## Example
```
RUN pip install --break-system-packages flask==3.0.3
```

## How to fix
Install into a virtual environment (`python3 -m venv /opt/venv` and
`ENV PATH=/opt/venv/bin:$PATH`), or start from an official `python:` image whose Python is
not the distribution's.
""",
)

USER_INSTALL_IN_IMAGE = Rule(
    code="CMD203",
    name="user-install-in-image",
    severity=Severity.WARNING,
    summary="`pip install --user` in a Dockerfile.",
    doc="""
## What it does
Reports `pip install --user` (and `PIP_USER=1`) in a Dockerfile `RUN` instruction.

## Why it matters
A user install lands in the home directory of whoever the build runs as (often root's
`/root/.local`), is invisible to other users of the image, puts scripts off `PATH`, and on
a distribution Python is refused under PEP 668 all the same.

## Example
```
RUN pip install --user requests==2.32.3
```

## How to fix
Install into a virtual environment created in the image (`python -m venv /opt/venv`,
`ENV PATH=/opt/venv/bin:$PATH`), or into the image's own Python on an official `python:`
image.
""",
)

DISTRO_PYTHON_INSTALL = Rule(
    code="CMD204",
    name="pip-install-into-distro-python",
    severity=Severity.ERROR,
    summary="`pip install` into a distribution's Python in an image that created no venv.",
    doc="""
## What it does
In a Dockerfile stage on a distribution whose Python carries the PEP 668
`EXTERNALLY-MANAGED` marker (Debian 12 and later, Ubuntu 23.04 and later, Alpine 3.19 and
later, Arch Linux, openSUSE Tumbleweed), reports `pip install` run by that distribution's
pip: the stage installed it with the package manager (`apt-get install python3-pip`, `apk
add py3-pip`, `pacman -S python-pip`, ...; the base images themselves carry no Python), no
virtual environment was created (`python3 -m venv`, `virtualenv`, `uv venv`) and put on
`PATH` (or `VIRTUAL_ENV`) before it, and the pip used is not one inside a venv directory.
A Python built from source into `/usr/local` (as the official `python` images are made),
copied there (`COPY --from=python:3.12 /usr/local /usr/local`) or put first on `PATH`
(conda, pyenv) is the one `pip` and `python3` name, so only `/usr/bin/pip3` and the like
are reported then. `python:*` images are not distribution Pythons. Exactly where pip
skips the check, guard does too: `--target`, `--prefix`, `--root`, and `--dry-run` together
with `--report`; `--break-system-packages` or `PIP_BREAK_SYSTEM_PACKAGES` (ignored under
`--isolated`) override it; a marker removed earlier in the stage, or earlier in the same
`RUN` (`rm .../EXTERNALLY-MANAGED && pip install ...`), no longer applies. `--user` and a
plain `--dry-run` do not escape it: pip refuses them too (CMD203 also reports `--user`).

## Why it matters
pip refuses the install with `error: externally-managed-environment`: the build fails.
The usual "fix", `--break-system-packages`, lets pip overwrite files the distribution owns.

## Example
```
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y python3-pip
RUN pip install flask==3.0.3
```

## How to fix
Create a venv and use it:
```
RUN python3 -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
RUN pip install flask==3.0.3
```
or start from `python:3.12-slim`.
""",
)

HASH_MODE_FALLBACK = Rule(
    code="CMD205",
    name="hash-mode-fallback",
    severity=Severity.WARNING,
    summary="A fallback or option switches hash checking off for an install that had it.",
    doc="""
## What it does
Reports `pip install ... || pip install ...` where the first install checks hashes
(`--require-hashes`, `PIP_REQUIRE_HASHES=1`, or a requirements file with hashes) and the
fallback does not, and the options that turn hash checking off (`--no-require-hashes`,
uv's `--no-verify-hashes`, `PIP_REQUIRE_HASHES=0`).

## Why it matters
The fallback runs exactly when hash checking failed, which is when the downloaded files did
not match what was reviewed: it installs them anyway.

## Example
```
pip install --require-hashes -r requirements.lock || pip install -r requirements.txt
```

## How to fix
Let the build fail, and regenerate the lock file when its hashes are out of date.
""",
)

HASH_OPTION_ON_COMMAND_LINE = Rule(
    code="CMD206",
    name="hash-option-on-command-line",
    severity=Severity.ERROR,
    summary="`--hash` given to pip on the command line, where pip has no such option.",
    doc="""
## What it does
Reports `pip install pkg==1.0 --hash=sha256:...` written on a command line.

## Why it matters
`--hash` is a requirement-file option only; pip stops with `no such option: --hash`, so the
line never installed anything the way it reads.

## Example
```
pip install requests==2.32.3 --hash=sha256:70761cfe03c773ceb22aa2f671b4757976145175cdfca038c02654d061d6dcc6
```

## How to fix
Put the requirement and its hashes into a requirements file and install it with
`pip install --require-hashes -r requirements.txt`.
""",
)

FIRST_PARTY_UNLOCKED = Rule(
    code="CMD207",
    name="first-party-unlocked",
    severity=Severity.INFO,
    summary="The project's own install resolves its dependencies without a lock.",
    enabled_by_default=False,
    doc="""
## What it does
Reports installs of the project itself (`pip install .`, `".[dev]"`, `-e .`) that resolve
its dependencies freshly: no `--no-deps`, no constraints file (`-c`), no hash-checked
requirements in the same call. The install itself is never "unpinned"; this rule is about
what it pulls in. Off by default; enable it with `extend-select = ["CMD207"]`.

## Why it matters
The project's dependencies are then whatever is newest that day, even when every other
line of the file is pinned.

## Example
```
RUN pip install ".[dev]"
```

## How to fix
Install the locked dependencies first and the project without them:
`pip install --require-hashes -r requirements.lock && pip install --no-deps .`, or pass a
constraints file: `pip install -c constraints.txt .`.
""",
)

SHELL_REDIRECT_IN_SPEC = Rule(
    code="CMD208",
    name="shell-redirect-in-spec",
    severity=Severity.ERROR,
    summary="An unquoted `>` or `<` in a requirement on a command line is a shell redirection.",
    doc="""
## What it does
Reports a requirement written unquoted with `>` or `<` in a `pip install`, `pip download`,
`pip wheel`, `uv pip install` or `pipx install` argument of a Dockerfile `RUN`, shell
script, CI step or Makefile recipe: `pip install pip>=26.1`, `x>1.0`, `x<2`, `x>=1,<2`.
A quoted requirement (`"x>=1,<2"`, `'x<2'`) is what pip receives and is left alone.

## Why it matters
The shell reads `>` as "write the output into a file" and `<` as "read the input from a
file" before pip runs: `pip install pip>=26.1` installs the newest `pip`, with no version
at all, and writes pip's output into a file named `=26.1`; `pip install x<2` fails unless
a file named `2` exists, and then installs the newest `x`. The line reads as a pin and is
none, and nothing on the screen says so.

## Example
```
pip install --upgrade pip>=26.1.1 "setuptools<81"
```

## How to fix
Quote the requirement: `pip install --upgrade "pip>=26.1.1"`, or pin it exactly
(`pip==26.1.1`), which needs no quotes.
""",
)

FILE_RULES: list[Rule] = [
    SUDO_PIP,
    BREAK_SYSTEM_PACKAGES,
    USER_INSTALL_IN_IMAGE,
    DISTRO_PYTHON_INSTALL,
    HASH_MODE_FALLBACK,
    HASH_OPTION_ON_COMMAND_LINE,
    FIRST_PARTY_UNLOCKED,
    SHELL_REDIRECT_IN_SPEC,
]
RULES.extend(FILE_RULES)
