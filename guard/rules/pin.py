"""PIN: how firmly each dependency is pinned (see docs/pinning.md for the levels)."""

from __future__ import annotations

from guard.finding import Severity
from guard.rules.rule import Rule

RULES = [
    Rule(
        code="PIN101",
        name="unpinned-requirement",
        severity=Severity.WARNING,
        summary="A dependency is pinned more loosely than the policy for its file demands.",
        doc="""
## What it does
Computes the pin level of each dependency (any, constrained, floor, bounded, exact, hashed,
locked) and reports those below the minimum level for the kind of file they are written in.
By default requirement and constraints files demand **exact** (`==1.2.3`), and
`requirements*.in` files (inputs to pip-compile or `uv pip compile`) demand nothing.
A constraints file included with `-c` that pins the name counts as a pin.

## Why it matters
An unpinned dependency installs whatever is newest on the day of the install: builds stop
being reproducible and a bad or malicious release reaches you without a code change.

## Example
```
requests
numpy>=1.20
```

## How to fix
Pin one version (`requests==2.32.3`), ideally with hashes, or compile a lock file from a
`requirements.in` with `pip-compile --generate-hashes` or `uv pip compile`. To accept ranges
for one package, set `[tool.guard.packages] "numpy" = "bounded"`.
`guard check --fix` writes the pin with the version of the project's lock file or `.venv`
(offline; `--diff` shows it first).
""",
    ),
    Rule(
        code="PIN102",
        name="mutable-vcs-ref",
        severity=Severity.WARNING,
        summary="A VCS dependency names a branch, a tag or nothing instead of a full commit.",
        doc="""
## What it does
Reports `git+`, `hg+`, `svn+` and `bzr+` URLs whose revision is not a full commit hash
(40 or 64 hex digits for git): a branch such as `@main`, a tag, a short hash, or no
revision at all. Credentials in the URL (`https://${TOKEN}@host/...`, `user:pass@`) are not
part of the revision, and `-e git://host/repo` is read as pip reads it, `git+git://`. The
package is the `name @` before the URL, else `#egg=`, else the repository's name.

In Dockerfiles, scripts and CI steps it also reports installing the directory of a `git
clone` made earlier in the same text without `--branch`/`--revision` and with no `git
checkout`/`switch`/`reset` in between (`git clone URL ; pip install -e repo`): the same
install of a default branch, written in two commands.

## Why it matters
Branches move and tags can be re-pointed: the same line installs different code tomorrow.

## Example
```
mylib @ git+https://github.com/org/mylib@main
```

## How to fix
Use the full commit hash: `git+https://github.com/org/mylib@<40 hex digits>`.
""",
    ),
    Rule(
        code="PIN103",
        name="url-without-hash",
        severity=Severity.WARNING,
        summary="A dependency is installed from a URL without a hash.",
        doc="""
## What it does
Reports a direct archive URL (`https://.../pkg-1.0.tar.gz`, `name @ https://...`) that
carries neither `#sha256=...` nor a `--hash` option.

## Why it matters
The file behind a URL can change without its name changing; only a hash ties the line to
the bytes you reviewed.

## Example
```
pkg @ https://example.com/pkg-1.0.tar.gz
```

## How to fix
Append the hash: `https://example.com/pkg-1.0.tar.gz#sha256=<hex>` or add
`--hash=sha256:<hex>`.
""",
    ),
    Rule(
        code="PIN104",
        name="wildcard-pin",
        severity=Severity.WARNING,
        summary="A `==X.*` specifier looks pinned but is a range.",
        doc="""
## What it does
Reports `==` specifiers that end in `.*`. Its level is **bounded**; where the file demands
exact pins this rule reports it instead of `unpinned-requirement` (one finding per problem;
with this rule switched off, `unpinned-requirement` reports it).

## Why it matters
`urllib3==2.*` reads like a pin but accepts every 2.x release. pip even accepts it in
hash-checking mode, yet its resolver treats it as a range.

## Example
```
urllib3==2.*
```

## How to fix
Pin one version (`urllib3==2.2.3`), or write the range honestly (`urllib3>=2,<3`) in a
file whose policy allows ranges.
""",
    ),
    Rule(
        code="PIN105",
        name="partial-hashing",
        severity=Severity.ERROR,
        summary="Some requirements in a hash-checked install have no hash: pip will fail.",
        doc="""
## What it does
Reports each requirement without `--hash` in a set of files where at least one
requirement has one (pip then switches hash-checking mode on for the whole install), and
each hashed requirement that is not pinned with `==`/`===`.

## Why it matters
In hash-checking mode pip refuses the whole install when one requirement lacks a hash or
an exact pin: the file is broken, not just loose.

## Example
```
requests==2.32.3 --hash=sha256:70761cfe03c773ceb22aa2f671b4757976145175cdfca038c02654d061d6dcc6
idna==3.7
```

## How to fix
Regenerate the file with hashes for every line (`pip-compile --generate-hashes`,
`uv pip compile --generate-hashes`).
""",
    ),
    Rule(
        code="PIN106",
        name="weak-hash",
        severity=Severity.ERROR,
        summary="A hash uses md5, sha1 or sha224.",
        doc="""
## What it does
Reports `--hash` values and `#md5=`-style URL fragments whose algorithm is not sha256,
sha384 or sha512.

## Why it matters
pip only accepts sha256, sha384 and sha512 in hash-checking mode: a weak hash makes the
line invalid, and weak hashes do not protect against a crafted file.

## Example
```
requests==2.32.3 --hash=md5:0123456789abcdef0123456789abcdef
```

## How to fix
Use `sha256` (`pip hash FILE` prints it).
""",
    ),
    Rule(
        code="PIN107",
        name="dynamic-version",
        severity=Severity.WARNING,
        summary="A requirement depends on a variable (`${VAR}`), so its pin cannot be checked.",
        doc="""
## What it does
Reports requirements that contain `${VAR}` (expanded by pip from the environment at install
time), `$VAR` or `${{ ... }}` templates. A variable only in a URL's credentials
(`git+https://${TOKEN}@github.com/org/repo@<commit>`) changes who may fetch, not what is
fetched: such a line is judged by its revision or hash instead.

## Why it matters
What gets installed depends on the environment of whoever runs the install; a reader of the
file cannot tell what it pins.

## Example
```
requests==${REQUESTS_VERSION}
```

## How to fix
Write the version in the file, or suppress the line with a reason
(`# guard: ignore[PIN107] version set by the release job`).
""",
    ),
    Rule(
        code="PIN108",
        name="invalid-requirement",
        severity=Severity.ERROR,
        summary="A requirement pip would reject.",
        doc="""
## What it does
Reports requirement lines that are not valid PEP 508 requirements, URLs or paths, such as
`name=1.0` (a single `=`), and unknown per-requirement options. Also the lines pip reads but
refuses to install: a line ending in `\\` followed by blanks (it does not continue, and the
`\\` stays in the requirement), a `git://` URL without `-e`, `-e name` where no directory
`name` exists (near the file or above it), an editable VCS URL without `#egg=` or `name @`,
a URL whose `#egg=` is not a bare project name (`#egg=pkg[x]`: pip 26 and later), `-e` of a
pin (`-e requests==1.0`), an archive or a URL that is no VCS, a wheel whose file name pip
cannot parse (`pkg.whl`), `==X.*` after a pre-, post- or dev release (`==4.0rc1.*`), a
no-break space inside a requirement, and, in a constraints file, any `-e`, a requirement with
extras, or a directory, sdist or VCS URL that names no project (pip allows only a project
name and versions there). A line that does not start like a requirement is not quoted in the
message, and any other is quoted only up to where it stops being one.

## Why it matters
pip refuses the whole file. Some tools even accept `pip=20.3` as "pinned", so the mistake
survives review.

## Example
```
flask=2.3.3
```

## How to fix
Use `==`: `flask==2.3.3`.
""",
    ),
    Rule(
        code="PIN109",
        name="unpinned-bootstrap",
        severity=Severity.INFO,
        summary="An installer package (`pip`, `setuptools`, `wheel`) is not pinned.",
        doc="""
## What it does
Reports the bootstrap packages listed in the `bootstrap` setting (default `pip`,
`setuptools`, `wheel`) when they are not pinned as the file demands, at information level
instead of as `unpinned-requirement`.

## Why it matters
Upgrading the installer (`pip install --upgrade pip`) is common and mostly harmless, so it
should not drown out real findings; yet a new pip or setuptools can still change how
everything else installs, so it is worth knowing.

## Example
```
pip
setuptools>=68
```

## How to fix
Pin them when you want fully reproducible environments, or remove the names from
`bootstrap` to treat them like any other dependency, or add them to `allow` to silence this.
""",
    ),
    Rule(
        code="PIN201",
        name="exact-pin-in-library",
        severity=Severity.WARNING,
        summary="A library pins a runtime dependency to one version.",
        enabled_by_default=False,
        doc="""
## What it does
Reports `==`/`===` pins and Poetry bare versions among the runtime dependencies of a
library (`[project] dependencies`, `[tool.poetry.dependencies]`, `install_requires`).
Off by default; opt in with `extend-select = ["PIN201"]`. Whether a project is a library
is decided by `project-kind` (see docs/manifests.md).

## Why it matters
A library is installed together with other packages. An exact pin forces every user onto
that one version and makes the library impossible to install beside anything that needs
another: pins belong in the application's lock file, ranges in the library.

## Example
```toml
[project]
dependencies = ["requests==2.32.3"]
```

## How to fix
Declare the range the library supports (`requests>=2.31,<3`) and pin in the applications
that use it, or set `[tool.guard] project-kind = "application"` if this is not a library.
""",
    ),
    Rule(
        code="PIN202",
        name="lock-drift",
        severity=Severity.WARNING,
        summary="A declared dependency is missing from the project's lock file.",
        doc="""
## What it does
When a lock file (`uv.lock`, `poetry.lock`, `pdm.lock`, `pylock.toml`, or `Pipfile.lock`
for a `Pipfile`) sits beside a manifest, reports each dependency the manifest declares that
the lock does not list.

## Why it matters
The lock is what makes the install reproducible. A name it does not list was added after
the last lock: it installs at whatever version is newest, and `uv sync --locked`,
`poetry install` or `pipenv install --deploy` fail or warn.

## Example
`pyproject.toml` declares `httpx>=0.27`, and `uv.lock` has no `httpx` package.

## How to fix
Lock again (`uv lock`, `poetry lock`, `pdm lock`, `pipenv lock`) and commit the lock file.
""",
    ),
    Rule(
        code="PIN203",
        name="lock-entry-without-hash",
        severity=Severity.WARNING,
        summary="A lock file entry from an index or URL has no hash.",
        doc="""
## What it does
Reports packages in `uv.lock`, `poetry.lock`, `pdm.lock`, `Pipfile.lock` and
`pylock.toml` that come from an index or a URL and carry no hash for any of their files.
Local directories and VCS checkouts cannot be hashed and are not reported.

## Why it matters
Without a hash the installer trusts whatever file the index serves today: a replaced or
tampered file installs silently even though the version is locked.

## Example
```toml
[[package]]
name = "requests"
version = "2.32.3"
files = []
```

## How to fix
Regenerate the lock with the tool that wrote it (`uv lock`, `poetry lock`, `pdm lock`,
`pipenv lock`); they record hashes by default. Use an index that publishes hashes.
""",
    ),
    Rule(
        code="PIN204",
        name="lock-vcs-without-commit",
        severity=Severity.WARNING,
        summary="A lock file entry from a VCS repository has no full commit hash.",
        doc="""
## What it does
Reports VCS packages (git, hg, ...) in a lock file whose entry names no full commit
(`resolved_reference`, `revision`, `commit-id`, the `#<sha>` of a uv source, `ref`).

## Why it matters
A lock entry without a commit resolves the branch or tag again at install time: the lock
no longer fixes what gets installed.

## Example
```toml
[[package]]
name = "mylib"
source = { git = "https://github.com/org/mylib?branch=main" }
```

## How to fix
Lock again with a current version of the tool, which records the resolved commit.
""",
    ),
    Rule(
        code="PIN205",
        name="dynamic-setup-py",
        severity=Severity.INFO,
        summary="`setup.py` computes its dependencies, so guard cannot check them.",
        doc="""
## What it does
Reads `setup.py` without running it and reports `install_requires`, `extras_require`,
`setup_requires` or `tests_require` values (or `setup(**kwargs)`) that are not literal
lists of strings, or names bound to them at module level.

## Why it matters
guard never executes a project's code to learn its dependencies, so whatever the code
computes (reading a file, a loop, a function call) is not checked at all.

## Example
```python
setup(install_requires=open("requirements.txt").read().splitlines())
```

## How to fix
Move the metadata to `pyproject.toml` (`[project] dependencies`), or write the list
literally in `setup.py`. If the list is read from a requirements file, guard checks that
file directly; suppress this finding with `# guard: ignore[PIN205]`.
""",
    ),
]
