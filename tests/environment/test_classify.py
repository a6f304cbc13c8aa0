"""Classification of recorded facts: every macOS and Windows layout of ENVIRONMENTS.md, and the
Linux layouts this machine does not have. The facts files are hand-made (see their `_source`)."""

from __future__ import annotations

import glob
import os

import pytest

from guard.environment.classify import Verdict, classify, parse_marker, with_version
from guard.environment.crosscheck import environment_findings
from guard.environment.facts import load_facts
from tests.environment.helpers import FACTS_DIR, whole

E = "<environment>"

# (facts file, kind, verdict, whole findings)
CASES = [
    (
        "macos-python-org",
        "macos-python-org",
        Verdict.WARN,
        [
            (
                E,
                0,
                0,
                "ENV102",
                "warning",
                "`/usr/local/bin/python3` is a python.org framework Python 3.12 on macOS, shared by every project that uses it.",
            ),
        ],
    ),
    (
        "macos-python-org-freethreaded",
        "macos-python-org",
        Verdict.WARN,
        [
            (
                E,
                0,
                0,
                "ENV102",
                "warning",
                "`/Library/Frameworks/PythonT.framework/Versions/3.13/bin/python3` is a python.org free-threaded framework Python 3.13 on macOS, shared by every project that uses it.",
            ),
        ],
    ),
    ("macos-python-org-venv", "venv", Verdict.OK, []),
    (
        "apple-clt",
        "apple-clt",
        Verdict.BLOCK,
        [
            (
                E,
                0,
                0,
                "ENV101",
                "error",
                "`/Library/Developer/CommandLineTools/usr/bin/python3` is an Apple Command Line Tools Python 3.9; `pip install` must not write into it.",
            ),
            (
                E,
                0,
                0,
                "ENV110",
                "warning",
                "`pip install` would fall back to the user site `/Users/u/Library/Python/3.9/lib/python/site-packages`; its scripts dir `/Users/u/Library/Python/3.9/bin` is not on PATH.",
            ),
        ],
    ),
    (
        "apple-clt-sudo",
        "apple-clt",
        Verdict.BLOCK,
        [
            (
                E,
                0,
                0,
                "ENV101",
                "error",
                "`/Library/Developer/CommandLineTools/usr/bin/python3` is an Apple Command Line Tools Python 3.9; `pip install` must not write into it.",
            ),
            (E, 0, 0, "ENV106", "error", "`pip install` would run as root (`SUDO_USER=u`)."),
        ],
    ),
    (
        "apple-xcode",
        "apple-xcode",
        Verdict.BLOCK,
        [
            (
                E,
                0,
                0,
                "ENV101",
                "error",
                "`/Applications/Xcode.app/Contents/Developer/usr/bin/python3` is Xcode's bundled Python 3.9; `pip install` must not write into it.",
            ),
        ],
    ),
    (
        "apple-system-py2",
        "apple-system-py2",
        Verdict.BLOCK,
        [
            (E, 0, 0, "ENV101", "error", "`/usr/bin/python` is a macOS system Python 2.7; `pip install` must not write into it."),
        ],
    ),
    (
        "homebrew-arm",
        "homebrew",
        Verdict.BLOCK,
        [
            (
                E,
                0,
                0,
                "ENV101",
                "error",
                "`/opt/homebrew/bin/python3` is a Homebrew Python 3.12 (marked EXTERNALLY-MANAGED); `pip install` must not write into it.",
            ),
        ],
    ),
    (
        "homebrew-intel-cellar-unmarked",
        "homebrew",
        Verdict.BLOCK,
        [
            (E, 0, 0, "ENV101", "error", "`/usr/local/bin/python3.11` is a Homebrew Python 3.11; `pip install` must not write into it."),
        ],
    ),
    ("homebrew-venv", "venv", Verdict.OK, []),
    (
        "macports",
        "macports",
        Verdict.BLOCK,
        [
            (E, 0, 0, "ENV101", "error", "`/opt/local/bin/python3.12` is a MacPorts Python 3.12; `pip install` must not write into it."),
        ],
    ),
    (
        "macos-pyenv",
        "pyenv",
        Verdict.WARN,
        [
            (
                E,
                0,
                0,
                "ENV102",
                "warning",
                "`/Users/u/.pyenv/versions/3.12.4/bin/python3` is a pyenv-installed Python 3.12, shared by every project that uses it.",
            ),
        ],
    ),
    (
        "macos-uv-managed",
        "uv-managed",
        Verdict.BLOCK,
        [
            (
                E,
                0,
                0,
                "ENV101",
                "error",
                "`/Users/u/.local/share/uv/python/cpython-3.12.4-macos-aarch64-none/bin/python3` is a uv-managed Python 3.12 (marked EXTERNALLY-MANAGED); `pip install` must not write into it.",
            ),
        ],
    ),
    (
        "macos-conda-base",
        "conda-base",
        Verdict.WARN,
        [
            (E, 0, 0, "ENV103", "warning", "`/Users/u/miniconda3` is conda's base environment; `pip install` into it can break conda."),
        ],
    ),
    ("macos-conda-env", "conda-env", Verdict.OK, []),
    (
        "macos-app-embedded",
        "app-embedded",
        Verdict.BLOCK,
        [
            (
                E,
                0,
                0,
                "ENV101",
                "error",
                "`/Applications/Blender.app/Contents/Resources/4.1/python/bin/python3` is a Python 3.11 embedded in an application bundle; `pip install` must not write into it.",
            ),
        ],
    ),
    (
        "macos-pipx-venv",
        "tool-venv",
        Verdict.WARN,
        [
            (
                E,
                0,
                0,
                "ENV104",
                "warning",
                "`/Users/u/.local/pipx/venvs/black` belongs to pipx; packages installed by hand are lost on its next upgrade.",
            ),
        ],
    ),
    (
        "windows-store",
        "windows-store",
        Verdict.WARN,
        [
            (
                E,
                0,
                0,
                "ENV102",
                "warning",
                "`C:\\Users\\u\\AppData\\Local\\Microsoft\\WindowsApps\\PythonSoftwareFoundation.Python.3.12_qbz5n2kfra8p0\\python.exe` is a Microsoft Store Python 3.12, shared by every project that uses it.",
            ),
            (
                E,
                0,
                0,
                "ENV110",
                "warning",
                "`pip install` would fall back to the user site `C:\\Users\\u\\AppData\\Local\\Packages\\PythonSoftwareFoundation.Python.3.12_qbz5n2kfra8p0\\LocalCache\\local-packages\\Python312\\site-packages`; its scripts dir `C:\\Users\\u\\AppData\\Local\\Packages\\PythonSoftwareFoundation.Python.3.12_qbz5n2kfra8p0\\LocalCache\\local-packages\\Python312\\Scripts` is not on PATH.",
            ),
        ],
    ),
    (
        "windows-python-org-user",
        "windows-python-org-user",
        Verdict.WARN,
        [
            (
                E,
                0,
                0,
                "ENV102",
                "warning",
                "`C:\\Users\\u\\AppData\\Local\\Programs\\Python\\Python312\\python.exe` is a python.org Python 3.12 (per-user install), shared by every project that uses it.",
            ),
        ],
    ),
    (
        "windows-python-org-allusers",
        "windows-python-org-allusers",
        Verdict.WARN,
        [
            (
                E,
                0,
                0,
                "ENV102",
                "warning",
                "`C:\\Program Files\\Python312\\python.exe` is a python.org Python 3.12 (all-users install), shared by every project that uses it.",
            ),
            (
                E,
                0,
                0,
                "ENV110",
                "warning",
                "`pip install` would fall back to the user site `C:\\Users\\u\\AppData\\Roaming\\Python\\Python312\\site-packages`; its scripts dir `C:\\Users\\u\\AppData\\Roaming\\Python\\Python312\\Scripts` is not on PATH.",
            ),
        ],
    ),
    (
        "windows-pymanager",
        "windows-pymanager",
        Verdict.WARN,
        [
            (
                E,
                0,
                0,
                "ENV102",
                "warning",
                "`C:\\Users\\u\\AppData\\Local\\Python\\pythoncore-3.14-64\\python.exe` is a Python install manager Python 3.14, shared by every project that uses it.",
            ),
        ],
    ),
    (
        "windows-msys2",
        "msys2",
        Verdict.BLOCK,
        [
            (
                E,
                0,
                0,
                "ENV101",
                "error",
                "`C:\\msys64\\ucrt64\\bin\\python.exe` is an MSYS2 Python 3.12 (marked EXTERNALLY-MANAGED); `pip install` must not write into it.",
            ),
        ],
    ),
    ("windows-venv", "venv", Verdict.OK, []),
    (
        "windows-ci-toolcache",
        "ci-toolcache",
        Verdict.INFO,
        [
            (E, 0, 0, "ENV112", "info", "`C:\\hostedtoolcache\\windows\\Python\\3.12.4\\x64\\python.exe` is a CI tool-cache Python 3.12."),
        ],
    ),
    (
        "windows-conda-base",
        "conda-base",
        Verdict.WARN,
        [
            (
                E,
                0,
                0,
                "ENV103",
                "warning",
                "`C:\\Users\\u\\miniconda3` is conda's base environment; `pip install` into it can break conda.",
            ),
        ],
    ),
    (
        "linux-nix",
        "nix",
        Verdict.BLOCK,
        [
            (
                E,
                0,
                0,
                "ENV101",
                "error",
                "`/nix/store/9h4x3c1l2fqbq8hdl4k6q3dz3l3x8zzz-python3-3.11.9/bin/python3` is a Nix store Python 3.11; `pip install` must not write into it.",
            ),
        ],
    ),
    (
        "linux-linuxbrew",
        "homebrew",
        Verdict.BLOCK,
        [
            (
                E,
                0,
                0,
                "ENV101",
                "error",
                "`/home/linuxbrew/.linuxbrew/opt/python@3.12/bin/python3` is a Homebrew Python 3.12 (marked EXTERNALLY-MANAGED); `pip install` must not write into it.",
            ),
        ],
    ),
    (
        "linux-container-system",
        "container-system",
        Verdict.INFO,
        [
            (E, 0, 0, "ENV111", "info", "`/usr/local/bin/python3` is the container image's system Python 3.12."),
        ],
    ),
    (
        "linux-local-build",
        "local-build",
        Verdict.WARN,
        [
            (
                E,
                0,
                0,
                "ENV102",
                "warning",
                "`/usr/local/bin/python3.12` is a locally built Python 3.12 (/usr/local), shared by every project that uses it.",
            ),
        ],
    ),
    (
        "linux-ci-toolcache",
        "ci-toolcache",
        Verdict.INFO,
        [
            (E, 0, 0, "ENV112", "info", "`/opt/hostedtoolcache/Python/3.12.4/x64/bin/python3` is a CI tool-cache Python 3.12."),
        ],
    ),
    (
        "linux-ci-toolcache-no-ci",
        "ci-toolcache",
        Verdict.WARN,
        [
            (
                E,
                0,
                0,
                "ENV102",
                "warning",
                "`/opt/hostedtoolcache/Python/3.12.4/x64/bin/python3` is a CI tool-cache Python 3.12, shared by every project that uses it.",
            ),
        ],
    ),
    ("linux-pixi-env", "pixi-env", Verdict.OK, []),
    (
        "linux-conda-root-env",
        "conda-base",
        Verdict.WARN,
        [
            (E, 0, 0, "ENV103", "warning", "`/opt/conda` is conda's base environment; `pip install` into it can break conda."),
        ],
    ),
    (
        "linux-uv-tool",
        "tool-venv",
        Verdict.WARN,
        [
            (
                E,
                0,
                0,
                "ENV104",
                "warning",
                "`/home/u/.local/share/uv/tools/ruff` belongs to uv tool; packages installed by hand are lost on its next upgrade.",
            ),
        ],
    ),
    (
        "linux-pre-commit-venv",
        "tool-venv",
        Verdict.WARN,
        [
            (
                E,
                0,
                0,
                "ENV104",
                "warning",
                "`/home/u/.cache/pre-commit/repo1a2b3c/py_env-python3.12` belongs to pre-commit; packages installed by hand are lost on its next upgrade.",
            ),
        ],
    ),
    (
        "linux-asdf",
        "asdf",
        Verdict.WARN,
        [
            (
                E,
                0,
                0,
                "ENV102",
                "warning",
                "`/home/u/.asdf/installs/python/3.12.4/bin/python3` is an asdf-installed Python 3.12, shared by every project that uses it.",
            ),
        ],
    ),
    (
        "linux-mise",
        "mise",
        Verdict.WARN,
        [
            (
                E,
                0,
                0,
                "ENV102",
                "warning",
                "`/home/u/.local/share/mise/installs/python/3.12.4/bin/python3` is a mise-installed Python 3.12, shared by every project that uses it.",
            ),
        ],
    ),
    (
        "linux-other-global",
        "other-global",
        Verdict.WARN,
        [
            (
                E,
                0,
                0,
                "ENV102",
                "warning",
                "`/opt/python/3.12.4/bin/python3` is a global Python 3.12 of unknown origin, shared by every project that uses it.",
            ),
        ],
    ),
    (
        "linux-venv-system-site",
        "venv",
        Verdict.OK,
        [
            (E, 0, 0, "ENV113", "info", "The venv `/home/u/proj/.venv` includes the system site-packages."),
        ],
    ),
    (
        "linux-venv-sudo",
        "venv",
        Verdict.WARN,
        [
            (E, 0, 0, "ENV106", "warning", "`pip install` would run as root (`SUDO_USER=u`)."),
        ],
    ),
]


def test_every_facts_file_has_a_case() -> None:
    files = {os.path.basename(p)[:-5] for p in glob.glob(os.path.join(FACTS_DIR, "*.json"))}
    assert files == {case[0] for case in CASES}


@pytest.mark.parametrize(("name", "kind", "verdict", "findings"), CASES, ids=[c[0] for c in CASES])
def test_recorded_layout(name: str, kind: str, verdict: Verdict, findings: list[tuple[object, ...]]) -> None:
    facts = load_facts(os.path.join(FACTS_DIR, name + ".json"))
    assert "ENVIRONMENTS.md" in facts["_source"]
    classification = classify(facts)
    assert (classification.kind, classification.verdict) == (kind, verdict)
    assert whole(environment_findings(facts, classification)) == findings


def test_marker_visible_through_stdlib_is_ignored_in_a_venv() -> None:
    facts = load_facts(os.path.join(FACTS_DIR, "homebrew-venv.json"))
    assert facts["interpreter"]["marker"]["exists"] is True
    c = classify(facts)
    assert (c.in_venv, c.externally_managed, c.marker_message) == (True, False, None)


def test_homebrew_marker_message_is_kept() -> None:
    c = classify(load_facts(os.path.join(FACTS_DIR, "homebrew-arm.json")))
    assert c.externally_managed
    assert c.marker_message is not None
    assert c.marker_message.startswith("To install Python packages system-wide, try brew install\nxyz,")


def test_classify_is_pure(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    facts = load_facts(os.path.join(FACTS_DIR, "apple-clt.json"))

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("classify touched the disk")

    monkeypatch.setattr(builtins, "open", forbidden)
    monkeypatch.setattr(os.path, "exists", forbidden)
    monkeypatch.setattr(os, "stat", forbidden)
    monkeypatch.delenv("HOME", raising=False)
    c = classify(facts)
    environment_findings(facts, c)
    assert c.kind == "apple-clt"


MARKERS = [
    ("plain", "[externally-managed]\nError=Use apt.\n", "Use apt."),
    ("continued", "[externally-managed]\nError=one\n two\n\n three\n", "one\ntwo\n\nthree"),
    ("other keys", "[externally-managed]\nError-de_DE=Nein\nError = yes\n", "yes"),
    ("no error key", "[externally-managed]\n", None),
    ("not ini", "garbage", None),
    ("empty", "", None),
]


@pytest.mark.parametrize(("text", "expected"), [m[1:] for m in MARKERS], ids=[m[0] for m in MARKERS])
def test_parse_marker(text: str, expected: object) -> None:
    assert parse_marker(text) == expected


def test_unparsable_marker_still_blocks() -> None:
    facts = load_facts(os.path.join(FACTS_DIR, "linux-other-global.json"))
    facts["interpreter"]["marker"] = {"path": "/opt/python/3.12.4/lib/python3.12/EXTERNALLY-MANAGED", "exists": True, "text": "\x00garbage"}
    c = classify(facts)
    assert (c.verdict, c.externally_managed, c.marker_message) == (Verdict.BLOCK, True, None)


@pytest.mark.parametrize(
    ("words", "version", "expected"),
    [
        ("global Python of unknown origin", "3.12", "global Python 3.12 of unknown origin"),
        ("Python install manager Python", "3.14", "Python install manager Python 3.14"),
        ("Homebrew Python", "", "Homebrew Python"),
    ],
)
def test_with_version(words: str, version: str, expected: str) -> None:
    assert with_version(words, version) == expected


def test_verdict_labels_and_order() -> None:
    assert [v.label for v in sorted(Verdict)] == ["ok", "info", "warn", "block"]
    assert max(Verdict.WARN, Verdict.BLOCK) is Verdict.BLOCK


def test_guards_own_installation_environment_is_not_the_users_venv() -> None:
    facts = load_facts(os.path.join(FACTS_DIR, "linux-venv-system-site.json"))
    assert classify(facts).kind == "venv"
    facts["guard_environment"] = facts["interpreter"]["prefix"]
    c = classify(facts)
    prefix = facts["interpreter"]["prefix"]
    assert (c.kind, c.verdict, c.reasons[0]) == (
        "tool-venv",
        Verdict.WARN,
        f"`{prefix}` is guard's own installation environment, not your project's.",
    )
    assert [(f.code, f.message) for f in environment_findings(facts, c) if f.code == "ENV104"] == [
        ("ENV104", f"`{prefix}` is guard's own installation environment; your project's packages belong in its own venv.")
    ]


def test_the_live_facts_name_the_venv_guard_runs_from() -> None:
    import sys

    from guard.environment.facts import context_facts

    facts = context_facts({}, {}, ".", {})
    in_venv = sys.prefix != sys.base_prefix
    assert facts["guard_environment"] == (os.path.realpath(sys.prefix) if in_venv else None)
