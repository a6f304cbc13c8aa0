"""The package as the index and its users get it: the sdist, and the wheel built from it.

The build runs offline (`python -m build --no-isolation`: the backend comes from the test
environment, nothing from the network) on a copy of the source tree, so that the checkout
gains no build/ or egg-info folder. `build` makes the sdist first and then the wheel from the
unpacked sdist, so a file the sdist forgot breaks the wheel too.
"""

from __future__ import annotations

import email.message
import email.parser
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import NamedTuple

import pytest

from guard import __version__

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
REPOSITORY = "https://github.com/guard-lint/guard"
# What a checkout has and the sdist leaves out: CI's own script and git's files.
NOT_IN_SDIST = {".ci/run", ".gitignore", ".git-blame-ignore-revs"}
# What the build adds to the sdist.
SDIST_GENERATED = {"PKG-INFO", "setup.cfg"}
# Test folders run from the unpacked sdist: the generated rule docs against the rule table
# (docs/), the reporters, the package layout, and the equivalence tests (benchmarks/).
SDIST_TEST_SELECTION = ["tests/rules", "tests/report", "tests/test_layout.py", "tests/perf_equivalence"]


class Built(NamedTuple):
    sdist: Path
    wheel: Path


def _source_files(root: Path) -> list[str]:
    """The files of the source tree: what git knows (tracked, or untracked and not ignored) in
    a checkout; in an unpacked sdist, every file but the build's own."""
    if (root / ".git").exists() and shutil.which("git"):
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=root,
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8")
        return sorted(name for name in set(listed.split("\0")) if name and (root / name).is_file())
    skipped_dirs = {"__pycache__", ".pytest_cache", ".mypy_cache", ".venv", "build", "dist"}
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [name for name in dirs if name not in skipped_dirs and not name.endswith(".egg-info")]
        found.extend(Path(folder, name).relative_to(root).as_posix() for name in files)
    return sorted(name for name in found if name not in SDIST_GENERATED and not name.endswith((".pyc", ".pyo")))


def _copy_source(destination: Path) -> Path:
    for name in _source_files(ROOT):
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    return destination


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    source = _copy_source(tmp_path_factory.mktemp("source"))
    dist = tmp_path_factory.mktemp("dist")
    # No network: pip may not look anything up, and setuptools' pyproject validation checks
    # classifiers against the installed trove-classifiers instead of downloading the list.
    env = {**os.environ, "PIP_NO_INDEX": "1", "VALIDATE_PYPROJECT_NO_NETWORK": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(source)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (sdist,) = dist.glob("*.tar.gz")
    (wheel,) = dist.glob("*.whl")
    return Built(sdist, wheel)


def _sdist_members(sdist: Path) -> dict[str, bytes]:
    with tarfile.open(sdist) as archive:
        prefix = sdist.name[: -len(".tar.gz")] + "/"
        members = {}
        for member in archive.getmembers():
            if member.isfile():
                assert member.name.startswith(prefix), member.name
                handle = archive.extractfile(member)
                assert handle is not None
                members[member.name[len(prefix) :]] = handle.read()
        return members


def _wheel_members(wheel: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name) for name in archive.namelist() if not name.endswith("/")}


def _metadata(text: bytes) -> email.message.Message:
    return email.parser.Parser().parsestr(text.decode("utf-8"))


def _pyproject() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


# --- links in Markdown -----------------------------------------------------------------------

_FENCE = re.compile(r"^(`{3,}|~{3,}).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
_INLINE = re.compile(r"\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_HTML = re.compile(r"\b(?:href|src)\s*=\s*[\"']([^\"']*)[\"']", re.IGNORECASE)
_ABSOLUTE = re.compile(r"^(?:https?://|mailto:)")


def markdown_links(text: str) -> list[str]:
    """Link and image targets of a Markdown text (inline, reference definitions, HTML),
    code blocks and code spans left out."""
    prose = _CODE_SPAN.sub("", _FENCE.sub("", text))
    targets = [match.group(1) for pattern in (_INLINE, _REFERENCE, _HTML) for match in pattern.finditer(prose)]
    return sorted(set(targets))


def relative_links(text: str) -> list[str]:
    return [target for target in markdown_links(text) if not _ABSOLUTE.match(target)]


def github_anchor(heading: str) -> str:
    """The id GitHub gives a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = _FENCE.sub("", path.read_text(encoding="utf-8"))
    return {github_anchor(match.group(1)) for match in re.finditer(r"^#{1,6}\s+(.+?)\s*#*\s*$", text, re.MULTILINE)}


def test_the_link_finder_finds_every_kind_of_link() -> None:
    text = (
        "[a](docs/a.md) [b](https://x.org/b \"t\") ![c](img/c.png) <a href='d.html'>d</a>\n"
        '[ref]: e.md\n`[not](code.md)`\n```\n[nor](fenced.md)\n```\n<img src="https://x.org/f.png">\n'
    )
    assert markdown_links(text) == ["d.html", "docs/a.md", "e.md", "https://x.org/b", "https://x.org/f.png", "img/c.png"]
    assert relative_links(text) == ["d.html", "docs/a.md", "e.md", "img/c.png"]
    assert github_anchor("Install") == "install"
    assert github_anchor("GitHub Actions: annotations, and `code` scanning") == "github-actions-annotations-and-code-scanning"


def broken_repository_links(text: str, root: Path) -> list[str]:
    """The links into this repository that reach no file of `root` (or no heading in it)."""
    broken = []
    for target in markdown_links(text):
        if target in (REPOSITORY, f"{REPOSITORY}/issues") or not target.startswith(REPOSITORY):
            continue
        match = re.fullmatch(re.escape(REPOSITORY) + r"/(?:blob|tree)/main/([^#]+)(?:#(.+))?", target)
        path = root / match.group(1) if match else None
        if path is None or not path.exists() or (match and match.group(2) and match.group(2) not in _anchors(path)):
            broken.append(target)
    return broken


# --- the README as the index shows it ---------------------------------------------------------


def test_readme_links_are_absolute_and_reach_files_of_this_repository() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert relative_links(readme) == []
    assert broken_repository_links(readme, ROOT) == []
    # The checker can fail: a missing file and a missing heading.
    assert broken_repository_links(f"[x]({REPOSITORY}/blob/main/docs/nothing.md) [y]({REPOSITORY}/blob/main/README.md#nowhere)", ROOT) == [
        f"{REPOSITORY}/blob/main/README.md#nowhere",
        f"{REPOSITORY}/blob/main/docs/nothing.md",
    ]


def test_metadata_carries_license_urls_classifiers_and_an_absolute_readme(built: Built) -> None:
    sdist = _sdist_members(built.sdist)
    wheel = _wheel_members(built.wheel)
    project = _pyproject()["project"]
    assert isinstance(project, dict)
    dist_info = f"guard_lint-{__version__}.dist-info"
    license_text = (ROOT / "LICENSE").read_bytes()
    assert license_text.startswith(b"MIT License\n\nCopyright (c) 2026 the guard authors\n")
    assert sdist["LICENSE"] == license_text
    assert wheel[f"{dist_info}/licenses/LICENSE"] == license_text

    import trove_classifiers

    for metadata in (_metadata(sdist["PKG-INFO"]), _metadata(wheel[f"{dist_info}/METADATA"])):
        assert metadata["Name"] == "guard-lint"
        assert metadata["License-Expression"] == "MIT"
        assert metadata.get_all("License-File") == ["LICENSE"]
        assert metadata.get_all("Project-URL") == [
            f"Homepage, {REPOSITORY}",
            f"Documentation, {REPOSITORY}/tree/main/docs",
            f"Source, {REPOSITORY}",
            f"Issues, {REPOSITORY}/issues",
        ]
        classifiers = metadata.get_all("Classifier")
        assert classifiers == project["classifiers"]
        assert [name for name in classifiers if name not in trove_classifiers.classifiers] == []
        # With a License-Expression, a license classifier is a second, deprecated statement.
        assert [name for name in classifiers if name.startswith("License ::")] == []
        assert "Programming Language :: Python :: 3.9" in classifiers  # requires-python >= 3.9
        assert metadata["Description-Content-Type"] == "text/markdown"
        description = metadata.get_payload()
        assert isinstance(description, str)
        assert description.strip() == (ROOT / "README.md").read_text(encoding="utf-8").strip()
        assert relative_links(description) == []


def test_the_sdist_carries_the_tests_docs_and_benchmarks(built: Built) -> None:
    members = _sdist_members(built.sdist)
    expected = sorted(set(_source_files(ROOT)) - NOT_IN_SDIST)
    assert sorted(name for name in members if name not in SDIST_GENERATED and ".egg-info/" not in name) == expected
    for folder in ("tests/", "docs/", "benchmarks/"):
        assert any(name.startswith(folder) for name in members), folder


def test_the_wheel_holds_the_package_and_nothing_else(built: Built) -> None:
    names = sorted(name for name in _wheel_members(built.wheel) if ".dist-info/" not in name)
    assert names == sorted(name for name in _source_files(ROOT) if name.startswith("guard/") and not name.endswith((".pyc", ".pyo")))


def _collected(root: Path) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *SDIST_TEST_SELECTION],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return sorted(line for line in done.stdout.splitlines() if "::" in line)


def test_tests_run_from_the_unpacked_sdist_alone(built: Built, tmp_path: Path) -> None:
    with tarfile.open(built.sdist) as archive:
        if sys.version_info >= (3, 12):
            archive.extractall(tmp_path, filter="data")
        else:
            archive.extractall(tmp_path)
    (unpacked,) = tmp_path.iterdir()
    env = {**os.environ, "PYTHONPATH": str(unpacked)}
    # The guard those tests import is the sdist's, not the checkout's editable install.
    where = subprocess.run(
        [sys.executable, "-c", "import guard; print(guard.__file__)"], cwd=unpacked, capture_output=True, text=True, env=env
    )
    assert where.stdout.strip() == str(unpacked / "guard" / "__init__.py")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *SDIST_TEST_SELECTION],
        cwd=unpacked,
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    last = done.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ passed in [\d.]+s", last), last
    # The same tests ran there as the checkout holds for those folders.
    assert _collected(unpacked) == _collected(ROOT)
