"""Live facts and classification of the interpreters on this machine."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from guard.environment import facts as facts_module
from guard.environment.classify import Verdict, classify
from guard.environment.crosscheck import environment_findings
from guard.environment.facts import current_facts, probe_facts
from tests.environment.helpers import DEBIAN_PYTHON, base_environ, pyenv_python, whole

E = "<environment>"
PYENV_VERSIONS = ["3.9.18", "3.10.13", "3.11.7", "3.12.1", "3.13.0"]


def need(path: str) -> str:
    if not os.path.exists(path):
        pytest.skip(f"{path} is not installed on this machine")
    return path


def make_venv(base: str, where: str) -> str:
    subprocess.run([base, "-m", "venv", "--without-pip", where], check=True)
    return where


@pytest.fixture(scope="module")
def venvs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("venvs")
    made = {"debian": make_venv(need(DEBIAN_PYTHON), str(root / "debian-venv"))}
    for version in PYENV_VERSIONS:
        made[version] = make_venv(need(pyenv_python(version)), str(root / f"pyenv-{version}"))
    return made


def probe(interpreter: str, tmp: str, **extra: str) -> dict[str, object]:
    return probe_facts(interpreter, base_environ(tmp, **extra), cwd=tmp)


def test_debian_system_python_is_distro_block(tmp_path: pytest.TempPathFactory) -> None:
    facts = probe(need(DEBIAN_PYTHON), str(tmp_path))
    c = classify(facts)
    assert (c.kind, c.verdict, c.in_venv, c.externally_managed) == ("distro", Verdict.BLOCK, False, True)
    assert c.marker_message is not None
    assert c.marker_message.startswith("To install Python packages system-wide, try apt install\npython3-xyz,")
    assert facts["interpreter"]["marker"]["path"] == "/usr/lib/python3.11/EXTERNALLY-MANAGED"
    assert facts["interpreter"]["default_scheme"] == "posix_local"
    assert facts["interpreter"]["purelib"] == "/usr/local/lib/python3.11/dist-packages"
    assert whole(environment_findings(facts, c)) == [
        (
            E,
            0,
            0,
            "ENV101",
            "error",
            "`/usr/bin/python3` is Debian GNU/Linux's system Python 3.11 (marked EXTERNALLY-MANAGED); "
            "`pip install` must not write into it.",
        ),
    ]


@pytest.mark.parametrize("version", PYENV_VERSIONS)
def test_pyenv_interpreters_are_pyenv_warn(version: str, tmp_path: pytest.TempPathFactory) -> None:
    python = need(pyenv_python(version))
    facts = probe(python, str(tmp_path))
    c = classify(facts)
    assert (c.kind, c.verdict, c.in_venv, c.externally_managed) == ("pyenv", Verdict.WARN, False, False)
    short = ".".join(version.split(".")[:2])
    assert whole(environment_findings(facts, c)) == [
        (E, 0, 0, "ENV102", "warning", f"`{python}` is a pyenv-installed Python {short}, shared by every project that uses it."),
    ]


@pytest.mark.parametrize("base", ["debian", *PYENV_VERSIONS])
def test_venvs_are_venv_ok_without_marker_false_positive(base: str, venvs: dict[str, str], tmp_path: pytest.TempPathFactory) -> None:
    venv = venvs[base]
    facts = probe(os.path.join(venv, "bin", "python"), str(tmp_path))
    c = classify(facts)
    assert (c.kind, c.verdict, c.in_venv, c.externally_managed, c.marker_message) == ("venv", Verdict.OK, True, False, None)
    if base == "debian":
        # The marker is visible through stdlib: a checker that only looks for it is wrong here.
        assert facts["interpreter"]["marker"]["exists"] is True
        assert c.base_kind == "distro"
    assert environment_findings(facts, c) == []


@pytest.mark.parametrize(
    ("base", "kind_verdict", "base_finding"),
    [
        (
            "3.12.1",
            ("broken-venv", Verdict.WARN),
            ("ENV102", "warning", "`{venv}/bin/python` is a pyenv-installed Python 3.12, shared by every project that uses it."),
        ),
        (
            "debian",
            ("broken-venv", Verdict.BLOCK),
            (
                "ENV101",
                "error",
                "`{venv}/bin/python` is Debian GNU/Linux's system Python 3.11 (marked EXTERNALLY-MANAGED); `pip install` must not write into it.",
            ),
        ),
    ],
)
def test_venv_without_pyvenv_cfg_is_broken(
    base: str, kind_verdict: tuple[str, Verdict], base_finding: tuple[str, str, str], tmp_path: pytest.TempPathFactory
) -> None:
    base_python = DEBIAN_PYTHON if base == "debian" else pyenv_python(base)
    venv = make_venv(need(base_python), str(tmp_path / "broken"))
    os.remove(os.path.join(venv, "pyvenv.cfg"))
    facts = probe(os.path.join(venv, "bin", "python"), str(tmp_path))
    c = classify(facts)
    assert (c.kind, c.verdict) == kind_verdict
    prefix = facts["interpreter"]["prefix"]
    code, severity, message = base_finding
    assert whole(environment_findings(facts, c)) == [
        (E, 0, 0, "ENV105", "warning", f"`{venv}` has no `pyvenv.cfg`; its python runs as `{prefix}` and installs there."),
        (E, 0, 0, code, severity, message.format(venv=venv)),
    ]


def test_current_facts_match_a_probe_of_the_same_interpreter(tmp_path: pytest.TempPathFactory) -> None:
    # In-process facts take the user site from this process's own `site` module: same HOME.
    env = base_environ(str(tmp_path), HOME=os.path.expanduser("~"))
    here = current_facts(env, cwd=str(tmp_path))["interpreter"]
    there = probe_facts(sys.executable, env, cwd=str(tmp_path))["interpreter"]
    for key in (
        "prefix",
        "base_prefix",
        "stdlib",
        "purelib",
        "scripts",
        "default_scheme",
        "version",
        "user_site",
        "user_scripts",
        "enable_user_site",
        "marker",
        "pyvenv_cfg",
    ):
        assert here[key] == there[key], key


def test_probe_runs_on_old_pythons(tmp_path: pytest.TempPathFactory) -> None:
    for version in ("2.7.18", "3.6.15"):
        facts = probe(need(pyenv_python(version)), str(tmp_path))
        assert classify(facts).kind == "pyenv"
        assert facts["interpreter"]["version_string"].startswith(version[:3])


def test_probe_is_cached_and_a_broken_cache_is_ignored(tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    python = need(pyenv_python("3.12.1"))
    first = probe(python, str(tmp_path))
    cache = os.path.join(str(tmp_path), "cache")
    entries = [n for n in os.listdir(cache) if n.startswith("probe-")]
    assert len(entries) == 1

    def no_subprocess(*args: object, **kwargs: object) -> None:
        raise AssertionError("the probe ran again")

    monkeypatch.setattr(subprocess, "run", no_subprocess)
    assert probe(python, str(tmp_path))["interpreter"] == first["interpreter"]
    monkeypatch.undo()

    with open(os.path.join(cache, entries[0]), "w") as handle:
        handle.write("{not json")
    assert probe(python, str(tmp_path))["interpreter"]["prefix"] == first["interpreter"]["prefix"]
    with open(os.path.join(cache, entries[0])) as handle:
        assert json.load(handle)["prefix"] == first["interpreter"]["prefix"]


def test_unwritable_cache_is_not_fatal(tmp_path: pytest.TempPathFactory) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    env = base_environ(str(tmp_path), GUARD_CACHE_DIR=str(blocker / "cache"))
    facts = probe_facts(need(pyenv_python("3.12.1")), env, cwd=str(tmp_path))
    assert classify(facts).kind == "pyenv"


def test_probe_does_not_import_from_the_current_directory(tmp_path: pytest.TempPathFactory) -> None:
    (tmp_path / "json.py").write_text("raise SystemExit('user code ran')\n")
    (tmp_path / "sysconfig.py").write_text("raise SystemExit('user code ran')\n")
    old = os.getcwd()
    os.chdir(str(tmp_path))
    try:
        facts = probe(need(pyenv_python("3.12.1")), str(tmp_path))
    finally:
        os.chdir(old)
    assert classify(facts).kind == "pyenv"


def test_copy_of_facts_replays(tmp_path: pytest.TempPathFactory) -> None:
    facts = probe(need(DEBIAN_PYTHON), str(tmp_path))
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(facts))
    replayed = facts_module.load_facts(str(path))
    assert classify(replayed) == classify(facts)
    shutil.rmtree(str(tmp_path / "cache"), ignore_errors=True)


def test_the_probe_names_the_pip_of_the_interpreter() -> None:
    from guard.environment import _probe

    done = subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True, text=True, check=True)
    assert _probe.gather()["pip_version"] == done.stdout.split()[1]
    if os.path.exists("/usr/bin/pip"):
        debian = subprocess.run(["/usr/bin/pip", "--version"], capture_output=True, text=True, check=True).stdout.split()[1]
        probed = facts_module.probe_interpreter("/usr/bin/python3", {"PATH": "/usr/bin:/bin"})
        assert probed["pip_version"] == debian
