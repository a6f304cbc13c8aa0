"""Each CMD2xx rule: cases it flags and cases it leaves alone (whole findings: path, line, column, code)."""

from __future__ import annotations

from typing import Callable

import pytest

from guard import rules
from guard.rules import DOC_HEADINGS

Check = Callable[..., "list[tuple[str, int, int, str]]"]
Full = Callable[..., "list[tuple[str, str, int, int, str]]"]

BSP_SET = "`PIP_BREAK_SYSTEM_PACKAGES` lets pip overwrite packages the system Python's owner installed"
MARKER_RM = "removing `EXTERNALLY-MANAGED` switches PEP 668 off for the whole system Python"
USER = "`pip install --user` in an image installs into one user's home directory"
USER_TOO = " (`--user` does not get around it: pip applies PEP 668 to user installs too)"


def distro(program: str, python: str, image: str, extra: str = "") -> str:
    return f"`{program} install` into the {python} Python of `{image}`, which no venv replaced: pip refuses it (PEP 668){extra}"


# (files, every finding guard reports for them: code, path, line, column, message)
FLAGGED = [
    pytest.param(
        {"s.sh": "sudo pip install x==1\n"},
        [("CMD201", "s.sh", 1, 6, "`sudo pip install` writes into the system Python as root")],
        id="sudo-pip",
    ),
    pytest.param(
        {"s.sh": "sudo -H python3 -m pip install x==1\n"},
        [("CMD201", "s.sh", 1, 9, "`sudo python3 -m pip install` writes into the system Python as root")],
        id="sudo-python-m-pip",
    ),
    pytest.param(
        {"s.sh": "doas python3 -m pip uninstall z\n"},
        [("CMD201", "s.sh", 1, 6, "`doas python3 -m pip uninstall` writes into the system Python as root")],
        id="doas-uninstall",
    ),
    pytest.param(
        {"s.sh": "sudo uv pip install --system x==1\n"},
        [("CMD201", "s.sh", 1, 6, "`sudo uv pip install` writes into the system Python as root")],
        id="sudo-uv",
    ),
    pytest.param(
        {"s.sh": "pip install --break-system-packages x==1\n"},
        [("CMD202", "s.sh", 1, 13, "`--break-system-packages` lets pip overwrite packages the system Python's owner installed")],
        id="bsp-flag",
    ),
    pytest.param(
        {"s.sh": "export PIP_BREAK_SYSTEM_PACKAGES=1\n"},
        [("CMD202", "s.sh", 1, 8, "`PIP_BREAK_SYSTEM_PACKAGES=1` lets every later pip overwrite the system Python's packages")],
        id="bsp-export",
    ),
    pytest.param(
        {"Dockerfile": "FROM python:3.12\nENV PIP_BREAK_SYSTEM_PACKAGES=true\n"},
        [("CMD202", "Dockerfile", 2, 5, "`PIP_BREAK_SYSTEM_PACKAGES=true` lets every later pip overwrite the system Python's packages")],
        id="bsp-env",
    ),
    # the finding points at the assignment, not at the program after it
    pytest.param({"s.sh": "PIP_BREAK_SYSTEM_PACKAGES=1 pip install x==1\n"}, [("CMD202", "s.sh", 1, 1, BSP_SET)], id="bsp-prefix"),
    pytest.param(
        {"s.sh": "sudo env A=1 PIP_BREAK_SYSTEM_PACKAGES=yes pip install x==1\n"},
        [("CMD202", "s.sh", 1, 14, BSP_SET), ("CMD201", "s.sh", 1, 44, "`sudo pip install` writes into the system Python as root")],
        id="bsp-prefix-behind-env",
    ),
    pytest.param(
        {"Dockerfile": "FROM debian:12\nRUN apt-get install -y python3-pip\nRUN PIP_BREAK_SYSTEM_PACKAGES=1 pip install x==1\n"},
        [("CMD202", "Dockerfile", 3, 5, BSP_SET)],
        id="bsp-prefix-in-run",
    ),
    pytest.param(
        {"s.sh": "pip config set global.break-system-packages true\n"},
        [("CMD202", "s.sh", 1, 1, "`pip config set ...break-system-packages true` switches PEP 668 off for every later pip")],
        id="bsp-config",
    ),
    pytest.param(
        {"Dockerfile": "FROM debian:12\nRUN apt-get install -y python3-pip\nRUN rm /usr/lib/python3.11/EXTERNALLY-MANAGED\n"},
        [("CMD202", "Dockerfile", 3, 8, MARKER_RM)],
        id="marker-removed",
    ),
    # the removal applies to the commands after it in the same RUN, and not to those before
    pytest.param(
        {
            "Dockerfile": "FROM debian:12\nRUN apt-get install -y python3-pip\nRUN rm /usr/lib/python3.11/EXTERNALLY-MANAGED && pip install same==1\n"
        },
        [("CMD202", "Dockerfile", 3, 8, MARKER_RM)],
        id="marker-removed-then-pip",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM debian:12\nRUN apt-get install -y python3-pip\nRUN sudo rm -f /usr/lib/python3*/EXTERNALLY-MANAGED; pip install same==1\n"
        },
        [("CMD202", "Dockerfile", 3, 16, MARKER_RM)],
        id="marker-removed-sudo-glob",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM debian:12\nRUN apt-get install -y python3-pip\nRUN mv /usr/lib/python3.11/EXTERNALLY-MANAGED /tmp/ && pip install same==1\n"
        },
        [("CMD202", "Dockerfile", 3, 8, MARKER_RM)],
        id="marker-moved-then-pip",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM debian:12\nRUN apt-get install -y python3-pip\nRUN pip install before==1 && rm /usr/lib/python3.11/EXTERNALLY-MANAGED && pip install after==1\nRUN pip install later==1\n"
        },
        [("CMD204", "Dockerfile", 3, 5, distro("pip", "debian 12", "debian:12")), ("CMD202", "Dockerfile", 3, 33, MARKER_RM)],
        id="pip-before-marker-removal",
    ),
    pytest.param(
        {"Dockerfile": "FROM python:3.12\nRUN pip install --user x==1\n"}, [("CMD203", "Dockerfile", 2, 17, USER)], id="user-install"
    ),
    pytest.param(
        {"Dockerfile": "FROM python:3.12\nRUN PIP_USER=1 pip install x==1\n"},
        [("CMD203", "Dockerfile", 2, 5, USER)],
        id="user-install-prefix",
    ),
    # pip applies PEP 668 to `--user` installs: on a marked distro image both rules fire
    pytest.param(
        {"Dockerfile": "FROM debian:12\nRUN apt-get install -y python3-pip\nRUN pip install --user u==1\n"},
        [("CMD204", "Dockerfile", 3, 5, distro("pip", "debian 12", "debian:12", USER_TOO)), ("CMD203", "Dockerfile", 3, 17, USER)],
        id="user-on-debian",
    ),
    pytest.param(
        {"Dockerfile": "FROM alpine:3.20\nRUN apk add py3-pip\nRUN pip install --user u==1\n"},
        [("CMD204", "Dockerfile", 3, 5, distro("pip", "alpine 3.20", "alpine:3.20", USER_TOO)), ("CMD203", "Dockerfile", 3, 17, USER)],
        id="user-on-alpine",
    ),
    pytest.param(
        {"Dockerfile": "FROM debian:bookworm-slim\nRUN apt-get install -y python3-pip\nRUN pip install --user u==1\n"},
        [
            ("CMD204", "Dockerfile", 3, 5, distro("pip", "debian bookworm", "debian:bookworm-slim", USER_TOO)),
            ("CMD203", "Dockerfile", 3, 17, USER),
        ],
        id="user-on-bookworm-slim",
    ),
    pytest.param(
        {"Dockerfile": "FROM debian:12\nRUN apt-get install -y python3-pip\nENV PIP_USER=1\nRUN pip install u==1\n"},
        [("CMD203", "Dockerfile", 4, 5, USER), ("CMD204", "Dockerfile", 4, 5, distro("pip", "debian 12", "debian:12", USER_TOO))],
        id="pip-user-env-on-debian",
    ),
    pytest.param(
        {"Dockerfile": "FROM debian:bookworm-slim\nRUN apt-get install -y python3-pip\nRUN pip install x==1\n"},
        [("CMD204", "Dockerfile", 3, 5, distro("pip", "debian bookworm", "debian:bookworm-slim"))],
        id="distro-debian",
    ),
    pytest.param(
        {"Dockerfile": "FROM ubuntu:24.04\nRUN apt-get install -y python3-pip\nRUN python3 -m pip install x==1\n"},
        [("CMD204", "Dockerfile", 3, 5, distro("python3 -m pip", "ubuntu 24.04", "ubuntu:24.04"))],
        id="distro-ubuntu",
    ),
    pytest.param(
        {"Dockerfile": "FROM alpine:3.20\nRUN apk add py3-pip\nRUN pip3 install x==1\n"},
        [("CMD204", "Dockerfile", 3, 5, distro("pip3", "alpine 3.20", "alpine:3.20"))],
        id="distro-alpine",
    ),
    pytest.param(
        {"Dockerfile": "FROM debian:12 AS base\nRUN apt-get install -y python3-pip\nFROM base\nRUN pip install x==1\n"},
        [("CMD204", "Dockerfile", 4, 5, distro("pip", "debian 12", "debian:12"))],
        id="distro-inherited-stage",
    ),
    pytest.param(
        {"Dockerfile": "FROM debian:12\nRUN apt-get install -y python3-pip\nRUN python3 -m venv /opt/venv\nRUN pip install x==1\n"},
        [("CMD204", "Dockerfile", 4, 5, distro("pip", "debian 12", "debian:12"))],
        id="venv-not-on-path",
    ),
    # pip skips PEP 668 only for `--dry-run` *with* `--report` (pip/_internal/commands/install.py)
    pytest.param(
        {"Dockerfile": "FROM debian:12\nRUN apt-get install -y python3-pip\nRUN pip install --dry-run x==1\n"},
        [("CMD204", "Dockerfile", 3, 5, distro("pip", "debian 12", "debian:12"))],
        id="dry-run-without-report",
    ),
    pytest.param(
        {"Dockerfile": "FROM debian:12\nRUN apt-get install -y python3-pip\nRUN pip install --report /r.json x==1\n"},
        [("CMD204", "Dockerfile", 3, 5, distro("pip", "debian 12", "debian:12"))],
        id="report-without-dry-run",
    ),
    # `--isolated` makes pip ignore PIP_BREAK_SYSTEM_PACKAGES
    pytest.param(
        {
            "Dockerfile": "FROM debian:12\nRUN apt-get install -y python3-pip\nENV PIP_BREAK_SYSTEM_PACKAGES=1\nRUN pip install --isolated x==1\n"
        },
        [
            ("CMD202", "Dockerfile", 3, 5, "`PIP_BREAK_SYSTEM_PACKAGES=1` lets every later pip overwrite the system Python's packages"),
            ("CMD204", "Dockerfile", 4, 5, distro("pip", "debian 12", "debian:12")),
        ],
        id="isolated-ignores-bsp-env",
    ),
    pytest.param(
        {"s.sh": "pip install --require-hashes -r r.txt || pip install x==1\n", "r.txt": "x==1 --hash=sha256:" + "a" * 64 + "\n"},
        [
            (
                "CMD205",
                "s.sh",
                1,
                42,
                "this fallback runs when the hash-checked install before `||` fails, and installs without hash checking",
            )
        ],
        id="fallback",
    ),
    pytest.param(
        {"s.sh": "uv pip install --no-verify-hashes -r r.txt\n", "r.txt": "x==1\n"},
        [("CMD205", "s.sh", 1, 16, "`--no-verify-hashes` switches hash checking off")],
        id="no-verify-hashes",
    ),
    pytest.param(
        {"s.sh": "PIP_REQUIRE_HASHES=0 pip install x==1\n"},
        [("CMD205", "s.sh", 1, 1, "`PIP_REQUIRE_HASHES=0` switches hash checking off")],
        id="require-hashes-off-prefix",
    ),
    pytest.param(
        {"s.sh": "pip install x==1 --hash=sha256:abc\n"},
        [("CMD206", "s.sh", 1, 18, "`--hash` is not a pip command-line option: pip stops with `no such option`")],
        id="cli-hash",
    ),
]

# (files, the rule left alone, every finding guard reports for them)
LEFT_ALONE = [
    pytest.param({"s.sh": "pip install x==1\n"}, "CMD201", [], id="no-sudo"),
    pytest.param({"s.sh": "sudo pip list\n"}, "CMD201", [], id="sudo-read-only"),
    pytest.param({"s.sh": "sudo pipx install black==24.1.0\n"}, "CMD201", [], id="sudo-pipx"),
    pytest.param({"s.sh": "export PIP_BREAK_SYSTEM_PACKAGES=0\n"}, "CMD202", [], id="bsp-false"),
    pytest.param(
        {"Dockerfile": "FROM debian:12\nRUN apt-get install -y python3-pip\nRUN mv /tmp/saved /usr/lib/python3.11/EXTERNALLY-MANAGED\n"},
        "CMD202",
        [],
        id="marker-restored",
    ),
    pytest.param({"s.sh": "pip install --user x==1\n"}, "CMD203", [], id="user-outside-image"),
    pytest.param({"Dockerfile": "FROM python:3.12-slim-bookworm\nRUN pip install x==1\n"}, "CMD204", [], id="python-image"),
    pytest.param(
        {"Dockerfile": "FROM debian:bullseye\nRUN apt-get install -y python3-pip\nRUN pip install x==1\n"},
        "CMD204",
        [],
        id="debian-11-unmarked",
    ),
    pytest.param(
        {"Dockerfile": "FROM ubuntu:22.04\nRUN apt-get install -y python3-pip\nRUN pip install x==1\n"},
        "CMD204",
        [],
        id="ubuntu-22-unmarked",
    ),
    pytest.param(
        {"Dockerfile": "FROM fedora:40\nRUN dnf install -y python3-pip\nRUN pip install x==1\n"}, "CMD204", [], id="fedora-unmarked"
    ),
    pytest.param(
        {
            "Dockerfile": "FROM debian:12\nRUN apt-get install -y python3-pip\nRUN python3 -m venv /opt/venv\nENV PATH=/opt/venv/bin:$PATH\nRUN pip install x==1\n"
        },
        "CMD204",
        [],
        id="venv-on-path",
    ),
    pytest.param(
        {"Dockerfile": "FROM debian:12\nRUN apt-get install -y python3-pip\nRUN python3 -m venv /v && /v/bin/pip install x==1\n"},
        "CMD204",
        [],
        id="venv-pip-path",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM debian:12\nRUN apt-get install -y python3-pip\nRUN python3 -m venv /v && . /v/bin/activate && pip install x==1\n"
        },
        "CMD204",
        [],
        id="venv-activated",
    ),
    pytest.param(
        {"Dockerfile": "FROM debian:12\nRUN apt-get install -y python3-pip\nRUN pip install --target /deps x==1\n"},
        "CMD204",
        [],
        id="target",
    ),
    pytest.param(
        {"Dockerfile": "FROM debian:12\nRUN apt-get install -y python3-pip\nRUN pip install --prefix /opt/deps x==1\n"},
        "CMD204",
        [],
        id="prefix",
    ),
    pytest.param(
        {"Dockerfile": "FROM debian:12\nRUN apt-get install -y python3-pip\nRUN pip install --root /staging x==1\n"},
        "CMD204",
        [],
        id="root",
    ),
    pytest.param(
        {"Dockerfile": "FROM debian:12\nRUN apt-get install -y python3-pip\nRUN pip install --dry-run --report /r.json x==1\n"},
        "CMD204",
        [],
        id="dry-run-with-report",
    ),
    pytest.param(
        {"Dockerfile": "FROM debian:12\nRUN apt-get install -y python3-pip\nRUN uv pip install x==1\n"},
        "CMD204",
        [],
        id="uv-without-system",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM debian:12\nRUN apt-get install -y python3-pip\nRUN rm /usr/lib/python3.11/EXTERNALLY-MANAGED\nRUN pip install later==1\n"
        },
        "CMD204",
        [("CMD202", "Dockerfile", 3, 8, MARKER_RM)],
        id="marker-removed-earlier-run",
    ),
    pytest.param({"s.sh": "pip install -r r.txt || pip install x==1\n", "r.txt": "x==1\n"}, "CMD205", [], id="fallback-without-hashes"),
    pytest.param(
        {"s.sh": "pip install --require-hashes -r r.txt || echo failed\n", "r.txt": "x==1 --hash=sha256:" + "a" * 64 + "\n"},
        "CMD205",
        [],
        id="fallback-not-pip",
    ),
    pytest.param({"s.sh": "pip install x==1\n"}, "CMD206", [], id="no-cli-hash"),
]


@pytest.mark.parametrize("files, expected", FLAGGED)
def test_flagged(check_full: Full, files: dict[str, str], expected: list[tuple[str, str, int, int, str]]) -> None:
    assert check_full(files) == expected


@pytest.mark.parametrize("files, code, expected", LEFT_ALONE)
def test_left_alone(check_full: Full, files: dict[str, str], code: str, expected: list[tuple[str, str, int, int, str]]) -> None:
    found = check_full(files)
    assert [f for f in found if f[0] == code] == []
    assert found == expected


def test_first_party_unlocked_is_opt_in(check: Check) -> None:
    files = {"s.sh": "pip install -e . '.[dev]'\npip install --no-deps .\n"}
    assert [f for f in check(files) if f[3].startswith(("CMD207", "PIN"))] == []
    assert [f for f in check(files, **{"extend-select": ["CMD207"]}) if f[3] == "CMD207"] == [
        ("s.sh", 1, 16, "CMD207"),
        ("s.sh", 1, 18, "CMD207"),
    ]


@pytest.mark.parametrize("code", [c for c in rules.all_rules() if c.startswith("CMD2")])
def test_rule_docs_have_the_four_sections(code: str) -> None:
    doc = rules.get(code).doc
    assert [line[3:] for line in doc.splitlines() if line.startswith("## ")] == list(DOC_HEADINGS)
