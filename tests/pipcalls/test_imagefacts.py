"""What a Dockerfile's commands tell about the Pythons in the image (for CMD204)."""

from __future__ import annotations

from typing import Optional

import pytest

from guard.pipcalls.imagefacts import DISTRO_PIP, DISTRO_PYTHON, builds_python, copies_python, installed_python, python_first_on_path
from guard.pipcalls.invocation import scan

INSTALLS = [
    ("apt-get-pip", "apt-get install -y --no-install-recommends python3-pip", DISTRO_PIP),
    ("apt-with-frontend-and-version", "DEBIAN_FRONTEND=noninteractive apt-get install -y python3-pip=23.0.1+dfsg-1", DISTRO_PIP),
    ("apt-option-with-value", "apt-get -o Dpkg::Options::=--force-confnew install -y python3", DISTRO_PYTHON),
    ("apt-venv-package", "apt install -y python3.11-venv", DISTRO_PYTHON),
    ("apt-python-library", "apt-get install -y python3-numpy", DISTRO_PYTHON),
    ("apt-pipx", "apt-get install -y pipx", DISTRO_PYTHON),
    ("sudo-apt", "sudo apt-get install python3-pip", DISTRO_PIP),
    ("apk-pip", "apk add --no-cache python3 py3-pip", DISTRO_PIP),
    ("apk-python", "apk add --no-cache python3", DISTRO_PYTHON),
    ("pacman-python", "pacman -Syu --noconfirm python", DISTRO_PYTHON),
    ("pacman-pip", "pacman -S --needed python-pip", DISTRO_PIP),
    ("dnf-pip", "dnf install -y python3-pip", DISTRO_PIP),
    ("microdnf-python", "microdnf install python3.12", DISTRO_PYTHON),
    ("zypper-pip", "zypper --non-interactive in python311-pip", DISTRO_PIP),
    ("apt-other-packages", "apt-get install -y gcc make libpython3.11", None),
    ("apt-python2", "apt-get install -y python2", None),
    ("apt-remove", "apt-get remove -y python3-pip", None),
    ("apt-update", "apt-get update", None),
    ("apk-virtual-name-is-not-a-package", "apk add --virtual py3-pip gcc", None),
    ("pacman-search", "pacman -Ss python-pip", None),
    ("pip-itself", "pip install python3-pip", None),
]


@pytest.mark.parametrize(("line", "expected"), [pytest.param(*case[1:], id=case[0]) for case in INSTALLS])
def test_installed_python(line: str, expected: Optional[str]) -> None:
    assert installed_python(scan(line).commands[0]) == expected


BUILDS = [
    (
        "configure-make-install",
        'wget "https://www.python.org/ftp/python/3.12.4/Python-3.12.4.tar.xz" && ./configure && make && make install',
        True,
    ),
    ("altinstall-out-of-tree", "cd /usr/src/python/build && ../configure --enable-shared && make -j4 altinstall", True),
    ("another-program", "cd /usr/src/redis && ./configure && make install", False),
    ("install-without-configure", "cd /usr/src/python && make install", False),
    ("configure-without-install", "cd /usr/src/python && ./configure && make", False),
]


@pytest.mark.parametrize(("script", "expected"), [pytest.param(*case[1:], id=case[0]) for case in BUILDS])
def test_builds_python(script: str, expected: bool) -> None:
    assert builds_python(scan(script).commands, script) is expected


PATHS = [
    ("conda-first", "/opt/conda/bin:$PATH", True),
    ("pyenv-first", "/root/.pyenv/shims:/root/.pyenv/bin:$PATH", True),
    ("conda-last", "$PATH:/opt/conda/bin", False),
    ("usr-local-bin", "/usr/local/bin:$PATH", False),
    ("app-bin", "/app/bin:${PATH}", False),
]


@pytest.mark.parametrize(("path", "expected"), [pytest.param(*case[1:], id=case[0]) for case in PATHS])
def test_python_first_on_path(path: str, expected: bool) -> None:
    assert python_first_on_path(path) is expected


COPIES = [
    ("python-image", "/app", ["/app"], "python:3.12-slim", True),
    ("python-image-with-registry", "/opt/x", ["/opt/x"], "docker.io/library/python:3.12", True),
    ("whole-usr-local", "/usr/local", ["/usr/local"], "builder", True),
    ("python-program", "/usr/local/bin/python3", ["/usr/local/bin/python3"], "builder", True),
    ("python-tree-into-usr-local", "/usr/local/lib/", ["/usr/local/lib/python3.12"], "builder", True),
    ("application", "/app", ["/app"], "builder", False),
    ("uv-binary", "/bin/", ["/uv"], "ghcr.io/astral-sh/uv:0.4", False),
    ("context-file", "/app/", ["requirements.txt"], None, False),
]


@pytest.mark.parametrize(("destination", "sources", "from_image", "expected"), [pytest.param(*case[1:], id=case[0]) for case in COPIES])
def test_copies_python(destination: str, sources: list[str], from_image: Optional[str], expected: bool) -> None:
    assert copies_python(destination, sources, from_image) is expected
