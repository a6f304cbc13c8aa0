"""GRD: guard itself — inputs it cannot read or parse, and suppression comments."""

from __future__ import annotations

from guard.finding import Severity
from guard.rules.rule import Rule

RULES = [
    Rule(
        code="GRD101",
        name="unreadable-file",
        severity=Severity.ERROR,
        summary="A file guard was asked to check cannot be read.",
        doc="""
## What it does
Reports a file that cannot be opened or read: missing, a directory, a broken symlink,
no permission, larger than guard reads (10 MB), binary (it holds NUL bytes), or not
decodable as text in its declared encoding.

## Why it matters
A dependency file nobody can read is a dependency file nobody checks. pip would fail on it
too, usually later and with a less clear message.

## Example
```
$ guard check requirements.txt
requirements.txt: GRD101 cannot read `requirements.txt`: permission denied [unreadable-file]
```

## How to fix
Fix the path or the permissions, or convert the file to UTF-8 text. If the file is not a
dependency file, stop passing it to guard or add it to `exclude`.
""",
    ),
    Rule(
        code="GRD102",
        name="parse-error",
        severity=Severity.ERROR,
        summary="A file has a syntax error, so part of it could not be checked.",
        doc="""
## What it does
Reports a line that pip (or the file format's parser) would reject as a whole: an options
line that does not parse, unbalanced quotes, invalid TOML or YAML, and a pip call written in
a file with an option pip rejects (no such option, an ambiguous abbreviation, a missing
value), reported at that option; the rest of that call is not checked.

## Why it matters
pip stops at such a line; anything after it is never installed as you expect, and guard
cannot judge what it cannot read.

## Example
```
--index-url
```
(`--index-url` needs a value.)

## How to fix
Correct the syntax at the reported line.
""",
    ),
    Rule(
        code="GRD103",
        name="missing-include",
        severity=Severity.ERROR,
        summary="A `-r`/`-c` include names a file that does not exist.",
        doc="""
## What it does
Reports `-r FILE`, `--requirement FILE`, `-c FILE` or `--constraint FILE` whose file does
not exist, resolved relative to the including file as pip resolves it. On a pip command line,
also `--group [path:]NAME` whose `pyproject.toml` does not exist or has no such dependency
group.

## Why it matters
`pip install -r` fails on it; a constraints file that silently went missing unpins
everything it used to pin.

## Example
```
-r requirements/base.txt   # but requirements/base.txt was renamed
```

## How to fix
Point the include at the right file (relative to the file that includes it).
""",
    ),
    Rule(
        code="GRD104",
        name="include-cycle",
        severity=Severity.ERROR,
        summary="Requirement files include each other in a cycle, or nest includes over 100 deep.",
        doc="""
## What it does
Reports a `-r`/`-c` include that leads back to a file already being read, and an include
nested more than 100 files deep (which is not followed further).

## Why it matters
Older pip versions recurse until they crash; newer ones refuse the file. Either way the
install fails.

## Example
`a.txt` has `-r b.txt` and `b.txt` has `-r a.txt`.

## How to fix
Move the shared requirements into a third file that both include.
""",
    ),
    Rule(
        code="GRD106",
        name="unchecked-include",
        severity=Severity.WARNING,
        summary="A `-r`/`-c` include names a remote file that pip fetches at install time.",
        doc="""
## What it does
Reports `-r URL` and `-c URL` (http, https) in requirement files. A `file:` URL is read like a
path.

## Why it matters
What the remote file says on the day of the install is what gets installed; guard cannot
check it, and nothing in the repository records it.

## Example
```
-r https://example.com/requirements/base.txt
```

## How to fix
Keep the file in the repository and include it by relative path.
""",
    ),
    Rule(
        code="GRD105",
        name="unused-suppression",
        severity=Severity.WARNING,
        summary="A `# guard: ignore[...]` comment suppresses nothing.",
        doc="""
## What it does
Reports a suppression comment on a line where no finding of the named code or package is
reported, and suppression comments that name an unknown code.

## Why it matters
Stale suppressions hide the next real problem on that line and mislead readers.

## Example
```
requests==2.32.3  # guard: ignore[PIN101]
```
(`requests` is pinned: nothing to suppress.)

## How to fix
Delete the comment, or correct the code it names.
""",
    ),
]
