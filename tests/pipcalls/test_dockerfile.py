from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from guard.check.run import check_paths
from guard.config import load_settings
from guard.pipcalls.dockerfile import distro_of, parse_instructions

Check = Callable[..., "list[tuple[str, int, int, str]]"]
CheckFull = Callable[..., "list[tuple[str, str, int, int, str]]"]


def test_forms_of_run(check: Check) -> None:
    dockerfile = (
        "FROM python:3.12\n"
        "RUN apt-get update \\\n"
        "    # a comment line inside the continuation\n"
        "    && pip install a\n"
        'RUN ["pip", "install", "b"]\n'
        'RUN ["/bin/sh", "-c", "pip install c"]\n'
        "RUN --mount=type=cache,target=/root/.cache pip install d\n"
        "ONBUILD RUN pip install e\n"
        "RUN <<EOF\n"
        "pip install f\n"
        "EOF\n"
        "RUN python3 <<EOF\n"
        "print('pip install not-a-shell')\n"
        "EOF\n"
    )
    assert check({"Dockerfile": dockerfile}) == [
        ("Dockerfile", 4, 20, "PIN101"),
        ("Dockerfile", 5, 24, "PIN101"),
        ("Dockerfile", 6, 36, "PIN101"),
        ("Dockerfile", 7, 56, "PIN101"),
        ("Dockerfile", 8, 25, "PIN101"),
        ("Dockerfile", 10, 13, "PIN101"),
    ]


def test_arg_and_env_defaults_are_resolved(check: Check) -> None:
    dockerfile = (
        "ARG BASE=python:3.12\n"
        "FROM $BASE\n"
        "ARG FLASK_VERSION=3.0.3\n"
        "ENV REQUESTS=2.32.3\n"
        "ARG UNKNOWN\n"
        "RUN pip install flask==$FLASK_VERSION requests==${REQUESTS} idna==${UNKNOWN}\n"
    )
    assert check({"Dockerfile": dockerfile}) == [("Dockerfile", 6, 61, "PIN107")]


def test_requirements_copied_into_the_image_are_followed(check: Check) -> None:
    files = {
        "Dockerfile": "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY req/ /req/\nRUN pip install -r /req/missing.txt\n",
        "requirements.txt": "flask\n",
        "req/base.txt": "idna==3.7\n",
    }
    assert check(files) == [("Dockerfile", 6, 17, "GRD103"), ("requirements.txt", 1, 1, "PIN101")]


def test_project_install_and_bootstrap(check: Check) -> None:
    dockerfile = 'FROM python:3.12\nRUN pip install --upgrade pip && pip install . ".[dev]" && pip install -e .\n'
    assert check({"Dockerfile": dockerfile}) == [("Dockerfile", 2, 27, "PIN109")]


def test_require_hashes_makes_a_hashed_file_locked(check: Check) -> None:
    files = {
        "Dockerfile": "FROM python:3.12\nCOPY r.txt /r.txt\nRUN pip install --require-hashes -r /r.txt flask==3.0.3\n",
        "r.txt": "idna==3.7 --hash=sha256:" + "a" * 64 + "\n",
    }
    # a name on the command line has no hash: pip refuses the install in hash mode
    assert check(files, preset="strict") == [("Dockerfile", 3, 44, "PIN101"), ("Dockerfile", 3, 44, "PIN105")]


def test_bad_dockerfile_is_a_finding_and_the_rest_is_checked(check: Check) -> None:
    dockerfile = 'FROM python:3.12\nBOGUS x\nRUN echo "unbalanced\nRUN pip install flask\nRUN <<EOF\npip install never-closed\n'
    assert check({"Dockerfile": dockerfile}) == [
        ("Dockerfile", 2, 1, "GRD102"),
        ("Dockerfile", 3, 10, "GRD102"),
        ("Dockerfile", 4, 17, "PIN101"),
        ("Dockerfile", 5, 1, "GRD102"),
        ("Dockerfile", 6, 13, "PIN101"),
    ]


def test_escape_directive() -> None:
    instructions, errors = parse_instructions("# escape=`\nFROM x\nRUN pip install `\n  a\n")
    assert errors == []
    assert [(i.keyword, i.line) for i in instructions] == [("FROM", 2), ("RUN", 3)]


@pytest.mark.parametrize(
    "image, distro",
    [
        ("debian", "debian latest"),
        ("debian:bookworm-slim", "debian bookworm"),
        ("docker.io/library/debian:12", "debian 12"),
        ("debian:bullseye", None),
        ("ubuntu:24.04", "ubuntu 24.04"),
        ("ubuntu:jammy", None),
        ("alpine:3.18", None),
        ("alpine:3.20", "alpine 3.20"),
        ("python:3.12-bookworm", None),
        ("archlinux", "arch linux"),
        ("fedora:40", None),
        ("debian@sha256:" + "0" * 64, "debian latest"),
    ],
)
def test_distro_of(image: str, distro: object) -> None:
    assert distro_of(image) == distro


DEPS_UNPINNED = ("PIN101", "deps/deps.txt", 1, 1, "`flask` is not pinned (any version); requirement files require exact")
DEPS_FILE_UNPINNED = ("PIN101", "deps.txt", 1, 1, "`flask` is not pinned (any version); requirement files require exact")

# (id, Dockerfile lines after `FROM python:3.12`, expected): the build context holds
# `deps.txt` and `deps/deps.txt`; each copy must lead `-r` to the file it names.
COPY_FOLLOWED = [
    ("context-without-slash", ["COPY . /app", "RUN pip install -r /app/deps/deps.txt"], [DEPS_UNPINNED]),
    ("context-with-slash", ["COPY . /app/", "RUN pip install -r /app/deps/deps.txt"], [DEPS_UNPINNED]),
    ("chown", ["COPY --chown=1000:1000 . /app", "RUN pip install -r /app/deps.txt"], [DEPS_FILE_UNPINNED]),
    ("json-form", ['COPY [".", "/app"]', "RUN pip install -r /app/deps.txt"], [DEPS_FILE_UNPINNED]),
    ("json-form-after-a-flag", ['COPY --chmod=644 [".", "/app"]', "RUN pip install -r /app/deps.txt"], [DEPS_FILE_UNPINNED]),
    ("add", ["ADD . /app", "RUN pip install -r /app/deps.txt"], [DEPS_FILE_UNPINNED]),
    ("directory-source", ["COPY deps /requirements", "RUN pip install -r /requirements/deps.txt"], [DEPS_UNPINNED]),
    ("relative-to-workdir", ["WORKDIR /srv", "COPY . app", "RUN pip install -r app/deps.txt"], [DEPS_FILE_UNPINNED]),
    ("file-into-the-workdir", ["WORKDIR /app/src", "COPY deps.txt /app", "RUN pip install -r /app/deps.txt"], [DEPS_FILE_UNPINNED]),
    ("file-into-tmp", ["COPY deps.txt /tmp", "RUN pip install -r /tmp/deps.txt"], [DEPS_FILE_UNPINNED]),
    ("file-becomes-the-destination", ["COPY deps.txt /requirements", "RUN pip install -r /requirements"], [DEPS_FILE_UNPINNED]),
    ("wildcard-into-a-directory", ["COPY deps*.txt /app/", "RUN pip install -r /app/deps.txt"], [DEPS_FILE_UNPINNED]),
    ("wildcard-in-a-subdirectory", ["COPY deps/*.txt /app/", "RUN pip install -r /app/deps.txt"], [DEPS_UNPINNED]),
    ("file-is-not-a-directory", ["COPY deps.txt /requirements", "RUN pip install -r /requirements/deps.txt"], []),
    ("from-another-stage", ["COPY --from=build /src /app", "RUN pip install -r /app/deps.txt"], []),
]


@pytest.mark.parametrize(("lines", "expected"), [pytest.param(*case[1:], id=case[0]) for case in COPY_FOLLOWED])
def test_copies_from_the_build_context(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lines: list[str], expected: list[tuple[str, str, int, int, str]]
) -> None:
    (tmp_path / "deps").mkdir()
    for name in ("deps.txt", "deps/deps.txt"):
        (tmp_path / name).write_text("flask\n", encoding="utf-8")
    (tmp_path / "Dockerfile").write_text("\n".join(["FROM python:3.12", *lines]) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    settings = load_settings(cwd="/", environ={}, use_config_file=False)
    found = check_paths(["Dockerfile"], settings, str(tmp_path))
    assert [(f.code, f.path, f.line, f.column, f.message) for f in found] == expected


def _cmd204(program: str, distro: str, base: str) -> str:
    return f"`{program} install` into the {distro} Python of `{base}`, which no venv replaced: pip refuses it (PEP 668)"


# The shape of the official `python` images (docker-library/python): a distribution base
# without Python, a build-time `python3`, CPython built from source into /usr/local.
OFFICIAL_SHAPE = (
    "FROM debian:bookworm-slim\n"
    "ENV PATH /usr/local/bin:$PATH\n"
    "RUN set -eux; \\\n"
    "\tapt-get update; apt-get install -y --no-install-recommends gcc make python3 wget; \\\n"
    '\twget -O python.tar.xz "https://www.python.org/ftp/python/3.12.4/Python-3.12.4.tar.xz"; \\\n'
    "\tmkdir -p /usr/src/python; tar --extract --directory /usr/src/python --file python.tar.xz; \\\n"
    "\tcd /usr/src/python; ./configure --enable-shared; make -j 2; make install\n"
    "RUN pip install --no-cache-dir wheel==0.43.0\n"
)

# (id, Dockerfile, expected findings): CMD204 only for the pip of a distribution Python the stage installed
DISTRO_PIP_CASES = [
    (
        "apt-installed-pip3",
        "FROM debian:bookworm\nRUN apt-get update && apt-get install -y python3-pip\nRUN pip3 install flask==3.0.3\n",
        [("CMD204", "Dockerfile", 3, 5, _cmd204("pip3", "debian bookworm", "debian:bookworm"))],
    ),
    (
        "installed-in-the-same-run",
        "FROM ubuntu:24.04\nRUN apt-get install -y python3-pip && python3 -m pip install flask==3.0.3\n",
        [("CMD204", "Dockerfile", 2, 39, _cmd204("python3 -m pip", "ubuntu 24.04", "ubuntu:24.04"))],
    ),
    (
        "apk-installed",
        "FROM alpine:3.20\nRUN apk add --no-cache python3 py3-pip\nRUN pip install flask==3.0.3\n",
        [("CMD204", "Dockerfile", 3, 5, _cmd204("pip", "alpine 3.20", "alpine:3.20"))],
    ),
    (
        "exec-form-install",
        'FROM archlinux\nRUN ["pacman", "-Syu", "--noconfirm", "python-pip"]\nRUN pip install flask==3.0.3\n',
        [("CMD204", "Dockerfile", 3, 5, _cmd204("pip", "arch linux", "archlinux"))],
    ),
    (
        "inherited-from-a-stage",
        "FROM debian:12 AS base\nRUN apt-get install -y python3-pip\nFROM base\nRUN pip install flask==3.0.3\n",
        [("CMD204", "Dockerfile", 4, 5, _cmd204("pip", "debian 12", "debian:12"))],
    ),
    (
        "distro-pip-by-path-beside-a-local-python",
        "FROM debian:12\nRUN apt-get install -y python3-pip\nCOPY --from=python:3.12-slim /usr/local /usr/local\n"
        "RUN /usr/bin/pip3 install flask==3.0.3\n",
        [("CMD204", "Dockerfile", 4, 5, _cmd204("pip3", "debian 12", "debian:12"))],
    ),
    ("official-python-image-shape", OFFICIAL_SHAPE, []),
    ("base-image-has-no-python", "FROM debian:bookworm-slim\nRUN pip install flask==3.0.3\n", []),
    ("distro-python-without-its-pip", "FROM debian:12\nRUN apt-get install -y python3\nRUN pip install flask==3.0.3\n", []),
    (
        "python-copied-into-usr-local",
        "FROM debian:12\nRUN apt-get install -y python3-pip\nCOPY --from=python:3.12-slim /usr/local /usr/local\n"
        "RUN pip install flask==3.0.3\n",
        [],
    ),
    (
        "conda-first-on-path",
        "FROM ubuntu:24.04\nRUN apt-get install -y python3-pip\nENV PATH=/opt/conda/bin:$PATH\nRUN pip install flask==3.0.3\n",
        [],
    ),
]


@pytest.mark.parametrize(("dockerfile", "expected"), [pytest.param(*case[1:], id=case[0]) for case in DISTRO_PIP_CASES])
def test_cmd204_needs_the_distribution_pip(check_full: CheckFull, dockerfile: str, expected: list[tuple[str, str, int, int, str]]) -> None:
    assert check_full({"Dockerfile": dockerfile}) == expected


UNPINNED_FLASK = "`flask` is not pinned (any version); Dockerfile pip installs require exact"

# (id, Dockerfile, expected): hadolint's DL3013 pragmas stand for guard's pin findings on that RUN
HADOLINT_PRAGMAS = [
    ("ignore-above", "FROM python:3.12\n# hadolint ignore=DL3013\nRUN pip install flask\n", []),
    ("ignore-among-others", "FROM python:3.12\n# hadolint ignore=DL3008, DL3013\nRUN pip install flask \\\n  requests\n", []),
    ("global-ignore-anywhere", "FROM python:3.12\nRUN pip install flask\n# hadolint global ignore=DL3013\n", []),
    (
        "ignore-other-rule-only",
        "FROM python:3.12\n# hadolint ignore=DL3042\nRUN pip install flask\n",
        [("PIN101", "Dockerfile", 3, 17, UNPINNED_FLASK)],
    ),
    (
        "not-directly-above",
        "FROM python:3.12\n# hadolint ignore=DL3013\n\nRUN pip install flask\n",
        [("PIN101", "Dockerfile", 4, 17, UNPINNED_FLASK)],
    ),
    (
        "codes-are-case-sensitive",
        "FROM python:3.12\n# hadolint ignore=dl3013\nRUN pip install flask\n",
        [("PIN101", "Dockerfile", 3, 17, UNPINNED_FLASK)],
    ),
    (
        "only-the-next-instruction",
        "FROM python:3.12\n# hadolint ignore=DL3013\nRUN pip install six\nRUN pip install flask\n",
        [("PIN101", "Dockerfile", 4, 17, UNPINNED_FLASK)],
    ),
    (
        "errors-are-not-hidden",
        "FROM python:3.12\n# hadolint ignore=DL3013\nRUN pip install 'flask=3.0'\n",
        [("PIN108", "Dockerfile", 3, 17, "`flask=3.0` uses a single `=`; pip needs `==` (`flask==3.0`)")],
    ),
    ("nothing-to-ignore-is-no-unused-suppression", "FROM python:3.12\n# hadolint ignore=DL3013,DL3008\nRUN pip install flask==3.0.3\n", []),
]


@pytest.mark.parametrize(("dockerfile", "expected"), [pytest.param(*case[1:], id=case[0]) for case in HADOLINT_PRAGMAS])
def test_hadolint_pragmas(check_full: CheckFull, dockerfile: str, expected: list[tuple[str, str, int, int, str]]) -> None:
    assert check_full({"Dockerfile": dockerfile}) == expected


def test_hadolint_pragma_leaves_the_requirement_file_findings(check_full: CheckFull) -> None:
    files = {
        "Dockerfile": "FROM python:3.12\nCOPY r.txt /r.txt\n# hadolint ignore=DL3013\nRUN pip install -r /r.txt six\n",
        "r.txt": "flask\n",
    }
    assert check_full(files) == [("PIN101", "r.txt", 1, 1, "`flask` is not pinned (any version); requirement files require exact")]


_PROJECT = (
    '[build-system]\nrequires = ["hatchling==1.27.0"]\nbuild-backend = "hatchling.build"\n[project]\nname = "My_App"\nversion = "1"\n'
)


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        pytest.param("pip install dist/*.whl && pip install 'my-app[extra]'", [], id="extras-of-the-wheel-just-installed"),
        pytest.param("pip install . && pip install my_app[a,b]", [], id="extras-after-dot"),
        pytest.param("pip install ./wheels/tool-2.0-py3-none-any.whl && pip install 'tool[x]'", [], id="a-named-wheel"),
        pytest.param(
            "pip install 'my-app[extra]'",
            [("PIN101", "Dockerfile", 2, 17, "`my-app` is not pinned (any version); Dockerfile pip installs require exact")],
            id="no-local-install-before",
        ),
        pytest.param(
            "pip install dist/*.whl && pip install 'other[extra]'",
            [("PIN101", "Dockerfile", 2, 43, "`other` is not pinned (any version); Dockerfile pip installs require exact")],
            id="another-name",
        ),
        pytest.param(
            "pip install dist/*.whl && pip install my-app",
            [("PIN101", "Dockerfile", 2, 43, "`my-app` is not pinned (any version); Dockerfile pip installs require exact")],
            id="no-extras-may-reinstall-from-the-index",
        ),
    ],
)
def test_extras_of_the_project_installed_from_disk(
    check_full: Callable[..., list[tuple[str, str, int, int, str]]], run: str, expected: list[tuple[str, str, int, int, str]]
) -> None:
    found = check_full({"Dockerfile": f"FROM python:3.12\nRUN {run}\n", "pyproject.toml": _PROJECT}, select=["PIN"])
    assert found == expected
