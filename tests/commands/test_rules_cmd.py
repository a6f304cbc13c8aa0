"""Each CMD2xx rule: cases it flags and cases it leaves alone (whole findings: path, line, column, code)."""
from __future__ import annotations

from typing import Callable

import pytest

from guard import rules
from guard.rules import DOC_HEADINGS

Check = Callable[..., "list[tuple[str, int, int, str]]"]

FLAGGED = [
    pytest.param({"s.sh": "sudo pip install x==1\n"}, ("s.sh", 1, 6, "CMD201"), id="sudo-pip"),
    pytest.param({"s.sh": "sudo -H python3 -m pip install x==1\n"}, ("s.sh", 1, 9, "CMD201"), id="sudo-python-m-pip"),
    pytest.param({"s.sh": "sudo uv pip install --system x==1\n"}, ("s.sh", 1, 6, "CMD201"), id="sudo-uv"),
    pytest.param({"s.sh": "pip install --break-system-packages x==1\n"}, ("s.sh", 1, 13, "CMD202"), id="bsp-flag"),
    pytest.param({"s.sh": "export PIP_BREAK_SYSTEM_PACKAGES=1\n"}, ("s.sh", 1, 8, "CMD202"), id="bsp-export"),
    pytest.param({"Dockerfile": "FROM python:3.12\nENV PIP_BREAK_SYSTEM_PACKAGES=true\n"}, ("Dockerfile", 2, 5, "CMD202"), id="bsp-env"),
    pytest.param({"s.sh": "PIP_BREAK_SYSTEM_PACKAGES=1 pip install x==1\n"}, ("s.sh", 1, 29, "CMD202"), id="bsp-prefix"),
    pytest.param({"s.sh": "pip config set global.break-system-packages true\n"}, ("s.sh", 1, 1, "CMD202"), id="bsp-config"),
    pytest.param({"Dockerfile": "FROM debian:12\nRUN rm /usr/lib/python3.11/EXTERNALLY-MANAGED\n"}, ("Dockerfile", 2, 8, "CMD202"), id="marker-removed"),
    pytest.param({"Dockerfile": "FROM python:3.12\nRUN pip install --user x==1\n"}, ("Dockerfile", 2, 17, "CMD203"), id="user-install"),
    pytest.param({"Dockerfile": "FROM debian:bookworm-slim\nRUN pip install x==1\n"}, ("Dockerfile", 2, 5, "CMD204"), id="distro-debian"),
    pytest.param({"Dockerfile": "FROM ubuntu:24.04\nRUN python3 -m pip install x==1\n"}, ("Dockerfile", 2, 5, "CMD204"), id="distro-ubuntu"),
    pytest.param({"Dockerfile": "FROM alpine:3.20\nRUN pip3 install x==1\n"}, ("Dockerfile", 2, 5, "CMD204"), id="distro-alpine"),
    pytest.param({"Dockerfile": "FROM debian:12 AS base\nFROM base\nRUN pip install x==1\n"}, ("Dockerfile", 3, 5, "CMD204"), id="distro-inherited-stage"),
    pytest.param({"Dockerfile": "FROM debian:12\nRUN python3 -m venv /opt/venv\nRUN pip install x==1\n"}, ("Dockerfile", 3, 5, "CMD204"), id="venv-not-on-path"),
    pytest.param({"s.sh": "pip install --require-hashes -r r.txt || pip install x==1\n", "r.txt": "x==1 --hash=sha256:" + "a" * 64 + "\n"}, ("s.sh", 1, 42, "CMD205"), id="fallback"),
    pytest.param({"s.sh": "uv pip install --no-verify-hashes -r r.txt\n", "r.txt": "x==1\n"}, ("s.sh", 1, 16, "CMD205"), id="no-verify-hashes"),
    pytest.param({"s.sh": "pip install x==1 --hash=sha256:abc\n"}, ("s.sh", 1, 18, "CMD206"), id="cli-hash"),
]

LEFT_ALONE = [
    pytest.param({"s.sh": "pip install x==1\n"}, "CMD201", id="no-sudo"),
    pytest.param({"s.sh": "sudo pip list\n"}, "CMD201", id="sudo-read-only"),
    pytest.param({"s.sh": "sudo pipx install black==24.1.0\n"}, "CMD201", id="sudo-pipx"),
    pytest.param({"s.sh": "export PIP_BREAK_SYSTEM_PACKAGES=0\n"}, "CMD202", id="bsp-false"),
    pytest.param({"s.sh": "pip install --user x==1\n"}, "CMD203", id="user-outside-image"),
    pytest.param({"Dockerfile": "FROM python:3.12-slim-bookworm\nRUN pip install x==1\n"}, "CMD204", id="python-image"),
    pytest.param({"Dockerfile": "FROM debian:bullseye\nRUN pip install x==1\n"}, "CMD204", id="debian-11-unmarked"),
    pytest.param({"Dockerfile": "FROM ubuntu:22.04\nRUN pip install x==1\n"}, "CMD204", id="ubuntu-22-unmarked"),
    pytest.param({"Dockerfile": "FROM fedora:40\nRUN pip install x==1\n"}, "CMD204", id="fedora-unmarked"),
    pytest.param({"Dockerfile": "FROM debian:12\nRUN python3 -m venv /opt/venv\nENV PATH=/opt/venv/bin:$PATH\nRUN pip install x==1\n"}, "CMD204", id="venv-on-path"),
    pytest.param({"Dockerfile": "FROM debian:12\nRUN python3 -m venv /v && /v/bin/pip install x==1\n"}, "CMD204", id="venv-pip-path"),
    pytest.param({"Dockerfile": "FROM debian:12\nRUN python3 -m venv /v && . /v/bin/activate && pip install x==1\n"}, "CMD204", id="venv-activated"),
    pytest.param({"Dockerfile": "FROM debian:12\nRUN pip install --target /deps x==1\n"}, "CMD204", id="target"),
    pytest.param({"Dockerfile": "FROM debian:12\nRUN uv pip install x==1\n"}, "CMD204", id="uv-without-system"),
    pytest.param({"s.sh": "pip install -r r.txt || pip install x==1\n", "r.txt": "x==1\n"}, "CMD205", id="fallback-without-hashes"),
    pytest.param({"s.sh": "pip install --require-hashes -r r.txt || echo failed\n", "r.txt": "x==1 --hash=sha256:" + "a" * 64 + "\n"}, "CMD205", id="fallback-not-pip"),
    pytest.param({"s.sh": "pip install x==1\n"}, "CMD206", id="no-cli-hash"),
]


@pytest.mark.parametrize("files, expected", FLAGGED)
def test_flagged(check: Check, files: dict[str, str], expected: tuple[str, int, int, str]) -> None:
    assert expected in check(files)


@pytest.mark.parametrize("files, code", LEFT_ALONE)
def test_left_alone(check: Check, files: dict[str, str], code: str) -> None:
    assert [f for f in check(files) if f[3] == code] == []


def test_first_party_unlocked_is_opt_in(check: Check) -> None:
    files = {"s.sh": "pip install -e . '.[dev]'\npip install --no-deps .\n"}
    assert [f for f in check(files) if f[3].startswith(("CMD207", "PIN"))] == []
    assert [f for f in check(files, **{"extend-select": ["CMD207"]}) if f[3] == "CMD207"] == [("s.sh", 1, 16, "CMD207"), ("s.sh", 1, 18, "CMD207")]


@pytest.mark.parametrize("code", [c for c in rules.all_rules() if c.startswith("CMD2")])
def test_rule_docs_have_the_four_sections(code: str) -> None:
    doc = rules.get(code).doc
    assert [line[3:] for line in doc.splitlines() if line.startswith("## ")] == list(DOC_HEADINGS)
