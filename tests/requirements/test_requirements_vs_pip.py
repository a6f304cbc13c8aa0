"""guard reads requirement files exactly as pip's own parser does.

Each corpus case is written to disk, read by `pip._internal.req.req_file.parse_requirements`
(the pip installed beside the tests) and by guard, and the two readings are compared
requirement by requirement: text, file, line, editable, constraint and hashes.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from guard.check.context import PathDisplay
from guard.requirements.check import RequirementReader
from guard.requirements.reader import pip_version_of

pip_req_file = pytest.importorskip("pip._internal.req.req_file")
PipSession = pytest.importorskip("pip._internal.network.session").PipSession

H1 = "sha256:" + "a" * 64
H2 = "sha256:" + "b" * 64
H3 = "sha512:" + "c" * 128

CORPUS: dict[str, dict[str, bytes]] = {
    "comments-and-blank-lines": {
        "requirements.txt": b"# a comment\n\nrequests==2.32.3  # trailing comment\n   \n\t# indented comment\nidna#notacomment\n",
    },
    "continuations": {
        "requirements.txt": b"requests==2.32.3 \\\n    --hash=" + H1.encode() + b" \\\n    --hash=" + H2.encode() + b"\nflask\\\n==2.3.3\n",
    },
    "comment-line-ending-in-backslash-does-not-continue": {
        "requirements.txt": b"# a comment \\\nrequests==2.32.3\n  # indented comment \\\nidna==3.7\n",
    },
    "backslash-on-last-line": {
        "requirements.txt": b"six==1.16.0 \\",
    },
    "utf8-bom-and-crlf": {
        "requirements.txt": b"\xef\xbb\xbfrequests==2.32.3\r\nidna==3.7 \\\r\n  --hash=" + H1.encode() + b"\r\n",
    },
    "options-lines": {
        "requirements.txt": (
            b"--index-url https://example.org/simple\n-i https://example.org/simple\n--extra-index-url=https://x.org/simple\n"
            b"--find-links ./wheels\n-f ./wheels\n--pre\n--no-binary :all:\n--only-binary=:none:\n--prefer-binary\n"
            b"--trusted-host example.org\n--no-index\nrequests==2.32.3\n"
        ),
    },
    "per-requirement-options": {
        "requirements.txt": (
            b"requests==2.32.3 --hash=" + H1.encode() + b" --hash " + H3.encode() + b"\n"
            b"mypkg==1.0 --config-settings=key=value --global-option=--quiet\n"
            b"idna==3.7 --hash='" + H2.encode() + b"'\n"
        ),
    },
    "editables-urls-vcs": {
        "requirements.txt": (
            b"-e .\n--editable ./sub[extra]\n-e git+https://github.com/o/r@main#egg=r\n"
            b"pkg @ https://example.org/pkg-1.0.tar.gz#sha256=" + b"d" * 64 + b"\n"
            b"https://example.org/other-2.0-py3-none-any.whl\n"
            b"git+https://github.com/o/lib.git@" + b"e" * 40 + b"#egg=lib\n"
            b"./local-dir\n.\n"
        ),
    },
    "markers-and-extras": {
        "requirements.txt": (
            b'requests[socks,security]==2.32.3 ; python_version < "3.11"\n'
            b"tomli>=1.1;python_version<'3.11'\n"
            b'colorama==0.4.6; sys_platform == "win32"\n'
        ),
    },
    "includes-space-and-equals": {
        "requirements.txt": b"-r base.txt\n--requirement=sub/dev.txt\n-c constraints.txt\n--constraint extra-constraints.txt\nflask\n",
        "base.txt": b"requests==2.32.3\n",
        "sub/dev.txt": b"-r ../common.txt\npytest==8.0.0\n",
        "common.txt": b"idna==3.7\n",
        "constraints.txt": b"flask==2.3.3\n",
        "extra-constraints.txt": b"click==8.1.7\n",
    },
    "attached-and-abbreviated-options": {
        "requirements.txt": b"-rbase.txt\n--requirem=other.txt\n--constr=cons.txt\nsix==1.16.0 --ha=" + H1.encode() + b"\n",
        "base.txt": b"requests==2.32.3\n",
        "other.txt": b"idna==3.7\n",
        "cons.txt": b"idna==3.7\n",
    },
    "tabs-and-odd-spacing": {
        "requirements.txt": b"requests\t==\t2.32.3\n  idna == 3.7  \nsix==1.16.0\t# comment after tab\n",
    },
    "unexpanded-variables": {
        "requirements.txt": b"requests==${GUARD_TEST_UNSET_VERSION}\n",
    },
    "credentials-in-urls": {
        "requirements.txt": (
            b"git+https://${GUARD_TEST_UNSET_VERSION}@github.com/o/r.git@9.5.30\n"
            b"r2 @ git+https://oauth2:${GUARD_TEST_UNSET_VERSION}@github.com/o/r2.git\n"
            b"git+https://user:secret@github.com/o/r3.git@" + b"f" * 40 + b"#egg=r3\n"
        ),
    },
    "editable-git-scheme-and-quoted-name-at-url": {
        "requirements.txt": b"-e git://host/r.git@" + b"b" * 40 + b'#egg=r\n-e "pkg[x] @ git+https://github.com/o/r"\n',
    },
    "newest-pip-features": {
        "requirements.txt": b"--use-feature=fast-deps\n--use-feature truststore\nidna==3.7\n",
    },
    "marker-cut-at-the-first-semicolon": {
        "requirements.txt": b'requests==2.32.3;\npkg @ https://example.org/p-1.0.tar.gz;python_version>"3"\nidna==3.7 ; \n',
    },
    "launchpad-branch-short-config-settings-and-no-break-space-before-options": {
        "requirements.txt": b"bzr+lp:proj#egg=proj\nsix==1.16.0 -C key=value\nidna==3.7\xc2\xa0 --hash=" + H1.encode() + b"\n",
    },
    "requirement-file-included-by-a-constraints-file": {
        "requirements.txt": b"-c constraints.txt\n",
        "constraints.txt": b"idna==3.7\n-r more.txt\n",
        "more.txt": b"six==1.16.0\n",
    },
    "form-feed-and-unicode-line-separators": {
        "requirements.txt": "requests==2.32.3\u2028idna==3.7\x0csix==1.16.0\n".encode("utf-8"),
    },
}


def _write(root: Path, files: dict[str, bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def _pip_reading(path: Path) -> list[tuple[str, str, int, bool, bool, tuple[str, ...]]]:
    rows = []
    for parsed in pip_req_file.parse_requirements(str(path), session=PipSession()):
        comes_from = parsed.comes_from  # "-r /abs/file (line N)"
        source, _, line = comes_from[3:].rpartition(" (line ")
        hashes = parsed.options.get("hashes", {}) if parsed.options else {}
        flat = tuple(sorted(f"{algo}:{digest}" for algo, digests in hashes.items() for digest in digests))
        rows.append((parsed.requirement, os.path.normpath(source), int(line.rstrip(")")), parsed.is_editable, parsed.constraint, flat))
    return rows


# guard reads as the newest pip unless told the target's version; here the target is the
# installed pip, whose parser the readings are compared with.
PIP_VERSION = pip_version_of(pytest.importorskip("pip").__version__)


def _guard_reading(path: Path) -> list[tuple[str, str, int, bool, bool, tuple[str, ...]]]:
    reader = RequirementReader(PathDisplay("/"), pip_version=PIP_VERSION)
    tree = reader.tree(str(path), "requirements")
    assert tree.findings == []
    return [
        (dep.text, os.path.normpath(os.path.join("/", dep.path)), dep.line, dep.editable, dep.constraint, tuple(sorted(dep.hashes)))
        for dep in tree.deps
    ]


@pytest.mark.parametrize("case", sorted(CORPUS), ids=sorted(CORPUS))
def test_guard_reads_what_pip_reads(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GUARD_TEST_UNSET_VERSION", raising=False)
    _write(tmp_path, CORPUS[case])
    main = tmp_path / "requirements.txt"
    expected = _pip_reading(main)
    assert expected, "the corpus case must give pip something to read"
    assert sorted(_guard_reading(main)) == sorted(expected)


# Lines pip refuses as a whole (it raises for the file); guard reports each as GRD102 at its
# line and goes on with the rest.
INVALID = {
    "ambiguous-abbreviation": (b"requests==2.32.3\n--requir=other.txt\n", 2),
    "option-without-value": (b"--index-url\nidna==3.7\n", 1),
    "unknown-option": (b"requests==2.32.3 --frobnicate\n", 1),
    "unbalanced-quote": (b"requests==2.32.3 --hash='sha256:abc\n", 1),
    "config-settings-without-equals": (b"pkg==1.0 --config-settings=novalue\n", 1),
    "unknown-feature": (b"idna==3.7\n--use-feature=resolvelib\n", 2),
    "no-break-space-joins-option-and-value": (b"--index-url\xc2\xa0https://example.org/simple\n", 1),
    "no-binary-given-the-next-option": (b"--no-binary --pre\nidna==3.7\n", 1),
}


@pytest.mark.parametrize("case", sorted(INVALID), ids=sorted(INVALID))
def test_lines_pip_refuses_are_parse_errors(case: str, tmp_path: Path) -> None:
    content, line = INVALID[case]
    path = tmp_path / "requirements.txt"
    path.write_bytes(content)
    with pytest.raises(Exception) as raised:
        list(pip_req_file.parse_requirements(str(path), session=PipSession()))
    # (`CommandError`: pip's `--no-binary` callback refuses a value starting with `-`.)
    assert type(raised.value).__name__ in ("RequirementsFileParseError", "InstallationError", "CommandError")
    tree = RequirementReader(PathDisplay(str(tmp_path))).tree(str(path), "requirements")
    assert [(f.code, f.path, f.line, f.column) for f in tree.findings] == [("GRD102", "requirements.txt", line, 1)]


# Lines pip reads but then refuses to make a requirement of (`InstallationError` for the line);
# guard reports each as PIN108 at its line and column. (file name, content, line, column)
REFUSED = {
    "blank-after-trailing-backslash": ("requirements.txt", b"idna==3.7 \\ \n    --hash=" + H1.encode() + b"\n", 1, 1),
    "backslash-alone": ("requirements.txt", b"idna==3.7\n \\ \n", 2, 2),
    "editable-not-a-directory": ("requirements.txt", b"-e notadir\n", 1, 4),
    "git-scheme-without-editable": ("requirements.txt", b"git://host/r.git@" + b"b" * 40 + b"#egg=r\n", 1, 1),
    "editable-vcs-without-egg": ("requirements.txt", b"-e git+https://github.com/o/r@" + b"c" * 40 + b"\n", 1, 4),
    "constraint-with-extras": ("constraints.txt", b"idna[x]==3.7\n", 1, 1),
    "unnamed-constraint": ("constraints.txt", b"git+https://github.com/o/r@" + b"c" * 40 + b"\n", 1, 1),
    "no-break-space-inside-requirement": ("requirements.txt", "requests\xa0==2.32.3\n".encode(), 1, 1),
    "wheel-name-without-version": ("requirements.txt", b"https://example.org/pkg.whl\n", 1, 1),
    "editable-of-a-pin": ("requirements.txt", b"-e requests==1.0\n", 1, 4),
    "editable-of-an-archive-url": ("requirements.txt", b"-e https://example.org/p-1.0.tar.gz\n", 1, 4),
    "editable-in-constraints": ("constraints.txt", b"-e git+https://github.com/o/r@" + b"c" * 40 + b"#egg=r\n", 1, 4),
}


def _pip_refuses(path: Path, constraint: bool) -> list[int]:
    """Lines of `path` pip refuses: when making the requirement, or (pip < 26, which makes
    an editable constraint) when the resolver checks the constraint's form."""
    from pip._internal.exceptions import InstallationError
    from pip._internal.req.constructors import install_req_from_parsed_requirement
    from pip._internal.req.req_install import check_invalid_constraint_type

    refused = []
    for parsed in pip_req_file.parse_requirements(str(path), session=PipSession(), constraint=constraint):
        line = int(parsed.comes_from.rpartition(" (line ")[2].rstrip(")"))
        try:
            requirement = install_req_from_parsed_requirement(parsed)
        except InstallationError:
            refused.append(line)
        else:
            if requirement.constraint and check_invalid_constraint_type(requirement):
                refused.append(line)
    return refused


@pytest.mark.parametrize("case", sorted(REFUSED), ids=sorted(REFUSED))
def test_lines_pip_refuses_to_install_are_invalid_requirements(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from guard.check.run import check_paths
    from guard.config import load_settings

    name, content, line, column = REFUSED[case]
    path = tmp_path / name
    path.write_bytes(content)
    monkeypatch.chdir(tmp_path)  # pip looks for `-e notadir` in the working directory
    assert _pip_refuses(path, name == "constraints.txt") == [line]
    findings = check_paths([name], load_settings(cwd=tmp_path, environ={}), str(tmp_path))
    assert [(f.code, f.path, f.line, f.column) for f in findings] == [("PIN108", name, line, column)]
