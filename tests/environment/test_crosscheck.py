"""R8 cross-checks, live: stale VIRTUAL_ENV, a mismatched pip on PATH, a pyenv shim, an unused
project venv, and pre-commit's hook environment."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from guard.environment.classify import Verdict, classify
from guard.environment.crosscheck import crosscheck, environment_findings
from guard.environment.facts import probe_facts
from tests.environment.helpers import DEBIAN_PYTHON, PYENV_ROOT, base_environ, pyenv_python, run_env, whole

E = "<environment>"


def need(path: str) -> str:
    if not os.path.exists(path):
        pytest.skip(f"{path} is not installed on this machine")
    return path


def make_venv(base: str, where: str) -> str:
    subprocess.run([base, "-m", "venv", "--without-pip", where], check=True)
    return where


def test_virtual_env_that_no_longer_exists(tmp_path: pytest.TempPathFactory) -> None:
    gone = str(tmp_path / "gone" / ".venv")
    env = base_environ(str(tmp_path), VIRTUAL_ENV=gone)
    facts = probe_facts(need(DEBIAN_PYTHON), env, cwd=str(tmp_path))
    findings = crosscheck(facts, classify(facts))
    assert whole(findings) == [
        (E, 0, 0, "ENV107", "warning", f"`VIRTUAL_ENV` points to `{gone}`, which no longer exists."),
    ]
    # The target is no venv: nothing to activate, only the stale variable to drop.
    assert [f.fix for f in findings] == ["deactivate 2>/dev/null || unset VIRTUAL_ENV"]


def test_virtual_env_of_another_venv(tmp_path: pytest.TempPathFactory) -> None:
    other = make_venv(need(pyenv_python("3.12.1")), str(tmp_path / "other"))
    env = base_environ(str(tmp_path), VIRTUAL_ENV=other)
    facts = probe_facts(need(DEBIAN_PYTHON), env, cwd=str(tmp_path))
    assert whole(crosscheck(facts, classify(facts))) == [
        (E, 0, 0, "ENV107", "warning", f"`VIRTUAL_ENV` points to `{other}`, but the target is `/usr`."),
    ]


def test_stale_virtual_env_fix_activates_the_target_venv(tmp_path: pytest.TempPathFactory) -> None:
    # No `.venv` anywhere: the fix names the target's own activate script, and it runs.
    target = make_venv(need(pyenv_python("3.12.1")), str(tmp_path / "target env"))
    gone = str(tmp_path / "gone")
    env = base_environ(str(tmp_path), VIRTUAL_ENV=gone)
    facts = probe_facts(os.path.join(target, "bin", "python"), env, cwd=str(tmp_path))
    findings = crosscheck(facts, classify(facts))
    assert [(f.code, f.fix) for f in findings] == [("ENV107", f". '{target}/bin/activate'")]
    done = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", f'{findings[0].fix} && printf %s "$VIRTUAL_ENV"'],
        env={**env, "VIRTUAL_ENV": gone},
        capture_output=True,
        text=True,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, target, "")


def _every_fix(facts: dict[str, object]) -> list[str]:
    from guard.environment.crosscheck import fix_commands

    c = classify(facts)
    return [f.fix for f in environment_findings(facts, c) if f.fix] + fix_commands(facts, c)


def test_every_fix_is_valid_shell(tmp_path: pytest.TempPathFactory) -> None:
    """Every `fix:` and `To fix:` line guard env can print parses as a bash command."""
    from tests.environment.helpers import FACTS_DIR

    fixes: set[str] = set()
    cases = []
    for name in sorted(os.listdir(FACTS_DIR)):
        with open(os.path.join(FACTS_DIR, name)) as handle:
            cases.append(json.load(handle))
    for facts in list(cases):
        prefix = facts["interpreter"]["prefix"]
        # The same layouts with every cross-check firing: stale VIRTUAL_ENV, an unused
        # project venv, a mismatched pip/python, sudo.
        extra = dict(facts)
        extra["virtual_env"] = {"path": "/gone/.venv", "exists": False, "realpath": "/gone/.venv", "pre_commit": False}
        extra["project_venv"] = {"path": "/home/u/it's here/.venv", "realpath": "/home/u/it's here/.venv", "python": None}
        extra["shell"] = {
            "pip": {
                "name": "pip",
                "path": "/usr/bin/pip",
                "shim": None,
                "interpreter": "/usr/bin/python3",
                "identity": "/usr/bin/python3.11",
            },
            "python": {
                "name": "python3",
                "path": "/opt/x/python3",
                "shim": None,
                "interpreter": "/opt/x/python3",
                "identity": "/opt/x/python3",
                "realpath": "/opt/x/python3",
                "venv": False,
                "prefix": "/usr",
                "marker": True,
            },
        }
        sudo = dict(facts, environ={**(facts.get("environ") or {}), "SUDO_USER": "u"}, process={"euid": 0})
        cases += [extra, sudo, dict(extra, project_venv=None), dict(facts, virtual_env=extra["virtual_env"])]
        assert prefix
    for facts in cases:
        fixes.update(_every_fix(facts))
    live = probe_facts(need(DEBIAN_PYTHON), base_environ(str(tmp_path), VIRTUAL_ENV="/gone"), cwd=str(tmp_path))
    fixes.update(_every_fix(live))
    assert len(fixes) > 20
    for fix in sorted(fixes):
        done = subprocess.run(["bash", "-n", "-c", fix], capture_output=True, text=True)
        assert (fix, done.returncode, done.stderr) == (fix, 0, "")


def test_virtual_env_of_the_target_is_fine(tmp_path: pytest.TempPathFactory) -> None:
    venv = make_venv(need(pyenv_python("3.12.1")), str(tmp_path / "v"))
    env = base_environ(str(tmp_path), VIRTUAL_ENV=venv)
    facts = probe_facts(os.path.join(venv, "bin", "python"), env, cwd=str(tmp_path))
    assert environment_findings(facts) == []


def test_pip_on_path_for_another_interpreter(tmp_path: pytest.TempPathFactory) -> None:
    # python3 on PATH is pyenv's 3.12; the first pip is Debian's (#!/usr/bin/python3).
    bin_dir = tmp_path / "pybin"
    bin_dir.mkdir()
    target = need(pyenv_python("3.12.1"))
    (bin_dir / "python3").symlink_to(target)
    env = base_environ(str(tmp_path), path=f"{bin_dir}:/usr/bin:/bin")
    facts = probe_facts(target, env, cwd=str(tmp_path))
    assert facts["shell"]["pip"]["path"] == "/usr/bin/pip"
    assert whole(crosscheck(facts, classify(facts))) == [
        (
            E,
            0,
            0,
            "ENV108",
            "warning",
            f"`pip` installs for `/usr/bin/python3`, but `python3` is `{bin_dir}/python3` "
            f"(really `{PYENV_ROOT}/versions/3.12.1/bin/python3.12`, a pyenv-installed Python 3.12).",
        ),
    ]
    # That python3 is a shared global Python (ENV102 for it): the fix is a venv, not `python3 -m pip`.
    fixes = [f.fix for f in crosscheck(facts, classify(facts))]
    assert fixes == ["python3 -m venv .venv && .venv/bin/python -m pip install PACKAGE"]


def test_pip_mismatch_with_debian_python3_suggests_a_venv(tmp_path: pytest.TempPathFactory) -> None:
    # The first pip is pyenv's 3.12; python3 is Debian's marked one, which would refuse
    # `python3 -m pip install`: the message names its real path and the fix is a venv.
    bin_dir = tmp_path / "pipbin"
    bin_dir.mkdir()
    target = need(pyenv_python("3.12.1"))
    (bin_dir / "pip").write_text(f"#!{target}\nimport sys\n")
    (bin_dir / "pip").chmod(0o755)
    env = base_environ(str(tmp_path), path=f"{bin_dir}:/usr/bin:/bin")
    facts = probe_facts(target, env, cwd=str(tmp_path))
    findings = crosscheck(facts, classify(facts))
    assert whole(findings) == [
        (
            E,
            0,
            0,
            "ENV108",
            "warning",
            f"`pip` installs for `{target}`, but `python3` is `/usr/bin/python3` "
            "(really `/usr/bin/python3.11`, Debian GNU/Linux's system Python 3.11).",
        ),
    ]
    assert [f.fix for f in findings] == ["python3 -m venv .venv && .venv/bin/python -m pip install PACKAGE"]
    # With a project venv, the fix uses it.
    venv = make_venv(target, str(tmp_path / ".venv"))
    facts = probe_facts(target, env, cwd=str(tmp_path))
    assert [f.fix for f in crosscheck(facts, classify(facts)) if f.code == "ENV108"] == [f"{venv}/bin/python -m pip install PACKAGE"]


def test_pip_mismatch_with_a_venv_python3_keeps_python_m_pip(tmp_path: pytest.TempPathFactory) -> None:
    venv = make_venv(need(pyenv_python("3.12.1")), str(tmp_path / "v"))
    env = base_environ(str(tmp_path), path=f"{venv}/bin:/usr/bin:/bin")  # no pip in v: Debian's
    facts = probe_facts(DEBIAN_PYTHON, env, cwd=str(tmp_path))
    findings = crosscheck(facts, classify(facts))
    assert whole(findings) == [
        (
            E,
            0,
            0,
            "ENV108",
            "warning",
            f"`pip` installs for `/usr/bin/python3`, but `python3` is `{venv}/bin/python3` "
            f"(really `{PYENV_ROOT}/versions/3.12.1/bin/python3.12`).",
        ),
    ]
    assert [f.fix for f in findings] == ["python3 -m pip install PACKAGE"]


def test_pip_of_a_venv_and_base_python_differ(tmp_path: pytest.TempPathFactory) -> None:
    # A venv's python is a symlink to its base: realpaths alone would call these the same.
    venv = make_venv(need(pyenv_python("3.12.1")), str(tmp_path / "v"))
    pip = os.path.join(venv, "bin", "pip")
    with open(pip, "w") as handle:
        handle.write(f"#!{venv}/bin/python\nimport sys\n")
    os.chmod(pip, 0o755)
    bin_dir = tmp_path / "pybin"
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(pyenv_python("3.12.1"))
    env = base_environ(str(tmp_path), path=f"{venv}/bin:{bin_dir}:/usr/bin:/bin")
    facts = probe_facts(DEBIAN_PYTHON, env, cwd=str(tmp_path))
    # python3 is found in the venv first too, so they agree; with python3 first, they differ.
    assert [f.code for f in crosscheck(facts, classify(facts))] == []
    env["PATH"] = f"{bin_dir}:{venv}/bin:/usr/bin:/bin"
    facts = probe_facts(DEBIAN_PYTHON, env, cwd=str(tmp_path))
    assert whole(crosscheck(facts, classify(facts))) == [
        (
            E,
            0,
            0,
            "ENV108",
            "warning",
            f"`pip` installs for `{venv}/bin/python`, but `python3` is `{bin_dir}/python3` "
            f"(really `{PYENV_ROOT}/versions/3.12.1/bin/python3.12`, a pyenv-installed Python 3.12).",
        ),
    ]


def test_pyenv_shim_resolving_to_system_pip(tmp_path: pytest.TempPathFactory) -> None:
    shim = need(os.path.join(PYENV_ROOT, "shims", "pip"))
    env = base_environ(str(tmp_path), path=f"{PYENV_ROOT}/shims:/usr/bin:/bin", PYENV_VERSION="system")
    code, out, err = run_env({"python": shim, "output_format": "json"}, env, str(tmp_path))
    data = json.loads(out)
    assert (code, err) == (1, "")
    assert (data["kind"], data["verdict"], data["interpreter"]) == ("distro", "block", "/usr/bin/python3")
    assert data["target"]["via"] == [
        f"the pyenv shim `{shim}` runs `/usr/bin/pip` (PYENV_VERSION=system)",
        "`/usr/bin/pip` starts `/usr/bin/python3`",
    ]
    text = run_env({"python": shim}, env, str(tmp_path))[1]
    assert f"via: the pyenv shim `{shim}` runs `/usr/bin/pip` (PYENV_VERSION=system)" in text


def test_pyenv_shims_on_path_resolve_without_subprocess(tmp_path: pytest.TempPathFactory) -> None:
    env = base_environ(str(tmp_path), path=f"{PYENV_ROOT}/shims:/usr/bin:/bin", PYENV_VERSION="3.12.1")
    facts = probe_facts(need(pyenv_python("3.12.1")), env, cwd=str(tmp_path))
    assert facts["shell"]["pip"]["shim"] == "pyenv"
    assert facts["shell"]["pip"]["interpreter"] == f"{PYENV_ROOT}/versions/3.12.1/bin/python3.12"
    assert crosscheck(facts, classify(facts)) == []
    env["PYENV_VERSION"] = "system"
    facts = probe_facts(need(pyenv_python("3.12.1")), env, cwd=str(tmp_path))
    assert crosscheck(facts, classify(facts)) == []  # both shims resolve to Debian's


def test_project_venv_not_used(tmp_path: pytest.TempPathFactory) -> None:
    project = tmp_path / "proj"
    (project / "src").mkdir(parents=True)
    venv = make_venv(need(pyenv_python("3.12.1")), str(project / ".venv"))
    env = base_environ(str(tmp_path))
    facts = probe_facts(DEBIAN_PYTHON, env, cwd=str(project / "src"))
    findings = environment_findings(facts)
    assert whole(findings)[-1] == (E, 0, 0, "ENV109", "warning", f"The project venv `{venv}` is not the target `/usr/bin/python3`.")
    assert findings[-1].fix == f"{venv}/bin/python -m pip install PACKAGE"
    # The fix for the system install uses the project venv too, and the text says it.
    code, out, _ = run_env({"python": DEBIAN_PYTHON}, env, str(project / "src"))
    assert code == 1
    assert out.endswith(f"To fix:\n  {venv}/bin/python -m pip install PACKAGE\n")


@pytest.fixture()
def pre_commit_layout(tmp_path: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path / "pc"
    hook_venv = make_venv(need(pyenv_python("3.12.1")), str(home / "repoabc123" / "py_env-python3"))
    project = tmp_path / "proj"
    project.mkdir()
    env = base_environ(
        str(tmp_path),
        path=f"{hook_venv}/bin:/usr/bin:/bin",
        PRE_COMMIT="1",
        PRE_COMMIT_HOME=str(home),
        VIRTUAL_ENV=hook_venv,
    )
    return {"hook_venv": hook_venv, "project": str(project), **{f"env:{k}": v for k, v in env.items()}}


def _env(layout: dict[str, str]) -> dict[str, str]:
    return {k[4:]: v for k, v in layout.items() if k.startswith("env:")}


def test_pre_commit_judges_python_on_path_without_its_own_venv(pre_commit_layout: dict[str, str]) -> None:
    code, out, err = run_env({"output_format": "json"}, _env(pre_commit_layout), pre_commit_layout["project"])
    data = json.loads(out)
    assert (data["kind"], data["verdict"], data["interpreter"]) == ("distro", "block", "/usr/bin/python3")
    # R0: the first pip on PATH outside pre-commit's environments (the hook venv has none).
    assert data["target"]["how"] == "path-pip"
    assert data["target"]["via"] == ["`pip` on PATH is `/usr/bin/pip`", "`/usr/bin/pip` starts `/usr/bin/python3`"]
    # pre-commit's VIRTUAL_ENV is not reported as stale.
    assert [f["code"] for f in data["findings"]] == ["ENV101"]


def test_pre_commit_judges_the_project_venv(pre_commit_layout: dict[str, str]) -> None:
    venv = make_venv(pyenv_python("3.11.7"), os.path.join(pre_commit_layout["project"], ".venv"))
    code, out, err = run_env({"output_format": "json"}, _env(pre_commit_layout), pre_commit_layout["project"])
    data = json.loads(out)
    assert (code, data["kind"], data["verdict"], data["prefix"]) == (0, "venv", "ok", venv)
    assert data["target"]["how"] == "project-venv"
    assert data["findings"] == []


def test_pre_commit_hook_venv_itself_is_never_the_verdict(pre_commit_layout: dict[str, str]) -> None:
    code, out, _ = run_env({"require_venv": True}, _env(pre_commit_layout), pre_commit_layout["project"])
    assert pre_commit_layout["hook_venv"] not in out.split("\n")[0]
    assert code == 1


def test_include_system_site_packages_is_still_a_venv(tmp_path: pytest.TempPathFactory) -> None:
    venv = str(tmp_path / "ssp")
    subprocess.run([need(DEBIAN_PYTHON), "-m", "venv", "--without-pip", "--system-site-packages", venv], check=True)
    facts = probe_facts(os.path.join(venv, "bin", "python"), base_environ(str(tmp_path)), cwd=str(tmp_path))
    c = classify(facts)
    assert (c.kind, c.verdict) == ("venv", Verdict.OK)
    assert whole(environment_findings(facts, c)) == [
        (E, 0, 0, "ENV113", "info", f"The venv `{venv}` includes the system site-packages."),
    ]
