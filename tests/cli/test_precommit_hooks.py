"""The hooks in .pre-commit-hooks.yaml, run for real by `pre-commit try-repo`.

The hooks repository is a temporary git repository holding a copy of this working tree
(guard/, pyproject.toml, README.md, .pre-commit-hooks.yaml), so the test does not depend on
what is committed. pre-commit builds the hook's environment with pip from the package index,
once per session (a session-wide PRE_COMMIT_HOME).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytest.importorskip("pre_commit")

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env={**os.environ, **GIT_ENV})


@pytest.fixture(scope="session")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path_factory.mktemp("hooks-repo")
    shutil.copytree(ROOT / "guard", repo / "guard", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "LICENSE"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, repo / name)
    if not (repo / "README.md").exists():
        (repo / "README.md").write_text("guard\n")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "hooks")
    return repo


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    _git(tmp_path, "init", "-q")
    yield tmp_path


def _try_repo(hooks_repo: Path, home: Path, project: Path, hook: str, files: dict[str, str]) -> tuple[int, str]:
    for name, text in files.items():
        target = project / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        if text.startswith("#!"):
            target.chmod(0o755)
    _git(project, "add", ".")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GUARD_", "PRE_COMMIT", "VIRTUAL_ENV"))}
    env.update(GIT_ENV, PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never", NO_COLOR="1")
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hooks_repo), hook, "--all-files", "--color=never", "--verbose"],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    return result.returncode, result.stdout + result.stderr


def test_guard_deps(hooks_repo: Path, pre_commit_home: Path, project: Path) -> None:
    code, output = _try_repo(
        hooks_repo,
        pre_commit_home,
        project,
        "guard-deps",
        {
            "requirements.txt": "flask\nidna==3.7\n",
            "requirements-dev.in": "pytest\n",
            "notes.txt": "flask\n",
        },
    )
    assert code == 1, output
    assert "guard (dependency pins)" in output and "Failed" in output
    assert "requirements.txt:1:1: PIN101 `flask` is not pinned" in output
    assert "notes.txt" not in output.split("Failed", 1)[1]


def test_guard_deps_passes_on_pinned_files(hooks_repo: Path, pre_commit_home: Path, project: Path) -> None:
    code, output = _try_repo(hooks_repo, pre_commit_home, project, "guard-deps", {"requirements.txt": "flask==3.0.3\n"})
    assert code == 0, output
    assert "Passed" in output


def test_guard_pip_usage(hooks_repo: Path, pre_commit_home: Path, project: Path) -> None:
    code, output = _try_repo(
        hooks_repo,
        pre_commit_home,
        project,
        "guard-pip-usage",
        {
            "Dockerfile": "FROM debian:12\nRUN apt-get install -y python3-pip\nRUN pip install flask==3.0.3\n",
            "bin/setup": "#!/bin/bash\nsudo pip install idna==3.7\n",
            ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pip install requests\n",
            "Makefile": "all:\n\tpip install --break-system-packages rich==13.7.1\n",
            "docker-compose.yml": "services:\n  a:\n    command: pip install notchecked\n",
            "requirements.txt": "notthishook\n",
        },
    )
    assert code == 1, output
    for expected in (
        "Dockerfile:3:5: CMD204",
        "bin/setup:2:6: CMD201",
        ".github/workflows/ci.yml:6:26: PIN101",
        "Makefile:2:14: CMD202",
    ):
        assert expected in output, output
    assert "docker-compose.yml" not in output and "notthishook" not in output


def test_guard_pip_usage_passes(hooks_repo: Path, pre_commit_home: Path, project: Path) -> None:
    code, output = _try_repo(
        hooks_repo,
        pre_commit_home,
        project,
        "guard-pip-usage",
        {
            "Dockerfile": "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n",
        },
    )
    assert code == 0, output
    assert "Passed" in output


def test_guard_deps_fix_pins_fails_then_passes(hooks_repo: Path, pre_commit_home: Path, project: Path) -> None:
    lock = (
        'version = 1\nrequires-python = ">=3.9"\n\n[[package]]\nname = "flask"\nversion = "3.0.3"\n'
        'source = { registry = "https://pypi.org/simple" }\n'
        'wheels = [{ url = "https://files.example/flask-3.0.3-py3-none-any.whl", hash = "sha256:' + "f" * 64 + '" }]\n'
    )
    files = {"requirements.txt": "flask  # web\n", "uv.lock": lock}
    code, output = _try_repo(hooks_repo, pre_commit_home, project, "guard-deps-fix", files)
    # pre-commit's convention for fixers: the hook changed files, so it fails for the user to stage them
    assert code == 1, output
    assert "guard (pin dependencies from the lock file or .venv)" in output and "files were modified by this hook" in output
    assert "Fixed 1 finding in 1 file (versions from `uv.lock`); 0 left." in output
    assert (project / "requirements.txt").read_text() == "flask==3.0.3  # web\n"
    code, output = _try_repo(hooks_repo, pre_commit_home, project, "guard-deps-fix", {})
    assert code == 0, output
    assert "Passed" in output


def _run_configured(hooks_repo: Path, home: Path, project: Path, hook: str) -> tuple[int, str]:
    """`pre-commit run` with a .pre-commit-config.yaml naming the hooks repository, as a user
    has it (unlike try-repo, this uses PRE_COMMIT_HOME, which guard recognises)."""
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=hooks_repo, capture_output=True, text=True, check=True).stdout.strip()
    (project / ".pre-commit-config.yaml").write_text(f"repos:\n- repo: {hooks_repo}\n  rev: {rev}\n  hooks:\n  - id: {hook}\n")
    _git(project, "add", ".")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GUARD_", "PRE_COMMIT", "VIRTUAL_ENV"))}
    env.update(GIT_ENV, PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never", NO_COLOR="1")
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", hook, "--all-files", "--color=never", "--verbose"],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    return result.returncode, result.stdout + result.stderr


def test_guard_env_judges_the_project_venv_not_pre_commits(hooks_repo: Path, pre_commit_home: Path, project: Path) -> None:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(project / ".venv")], check=True)
    (project / ".gitignore").write_text(".venv/\n")
    code, output = _run_configured(hooks_repo, pre_commit_home, project, "guard-env")
    assert "guard (the Python environment pip would install into)" in output
    assert f"Interpreter: {project / '.venv'}" in output, output
    assert str(pre_commit_home) not in output, output
    assert code == 0, output


def test_guard_env_under_try_repo(hooks_repo: Path, pre_commit_home: Path, project: Path) -> None:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(project / ".venv")], check=True)
    code, output = _try_repo(hooks_repo, pre_commit_home, project, "guard-env", {".gitignore": ".venv/\n"})
    assert f"Interpreter: {project / '.venv'}" in output, output
    assert code == 0, output


def test_this_repositorys_guard_hooks_match_the_published_ones() -> None:
    """The repository dogfoods its hooks through `repo: local`: same file patterns as published."""
    import yaml

    published = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    local = {hook["id"]: hook for repo in config["repos"] if repo["repo"] == "local" for hook in repo["hooks"]}
    keys = ("files", "exclude", "types", "types_or", "pass_filenames")
    for hook_id in ("guard-deps", "guard-pip-usage"):
        assert local[hook_id]["entry"] == "python -m " + published[hook_id]["entry"]
        assert {k: local[hook_id].get(k) for k in keys} == {k: published[hook_id].get(k) for k in keys}
