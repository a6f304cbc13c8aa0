"""The `github-workflow`, `gitlab-ci`, `circleci` and `readthedocs` file kinds: pip in CI steps.

GitHub Actions: `jobs.<id>.steps[*].run`, with `env:` at workflow, job and step level (the
innermost wins), read in the step's shell: its `shell:`, else `defaults.run.shell` of the
job or workflow, else the runner's default (PowerShell on Windows runners, bash elsewhere).
PowerShell steps are read by guard.pipcalls.powershell; `cmd`, `python` and other programs
are not read. CircleCI: the `run` steps of `jobs` and reusable `commands`, with the
`environment:` of the executor, job and step. Read the Docs: `build.commands`, the
`build.jobs` lists, and `python.install[*].requirements` as `pip install -r FILE`. GitLab CI: `script`,
`before_script` and `after_script` of every job (hidden `.template` jobs and `default:`
included; `<<: *anchor` merges applied; nested lists flattened), with `variables:` globally
and per job (the job's win).

Literal values of those variables are substituted where the shell reads `$NAME` /
`${NAME}`, and on GitHub where `${{ env.NAME }}` is written, so `pip install x==$V` with
`V: "1.2.3"` is an exact pin. A value that holds `$` or `${{` (set from another variable, a
matrix, a secret) or characters the shell would split or re-read stays a variable, as do
names the script assigns itself and every name nobody set here: PIN107.

YAML is read by guard.text.yamlish. A file that does not parse is one GRD102 finding at the
first error, and the rest is still checked: `yamlish.load_recovering` drops the broken item
(its line and the lines nested under it) and reads the file again, so the steps before and
after it are checked where they are written. `-r FILE` in CI is looked up relative to the
repository root (where CI runs), then to the CI file's directory.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Callable, Iterator, Optional

from guard.finding import Finding
from guard.pipcalls.check import Surroundings, check_calls, check_shell_text, environment_findings, finish, requirement_reader
from guard.pipcalls.invocation import PipCall, Word
from guard.rules import get as rule
from guard.text import yamlish

if TYPE_CHECKING:
    from guard.check.context import RunContext

# A value substituted into the text must read as one shell word with the same characters.
_LITERAL = re.compile(r"^[A-Za-z0-9_.,:/@%+=~^-]+$")
_NOT_JOBS = {"stages", "variables", "include", "workflow", "image", "services", "cache", "before_script", "after_script", "default", "spec"}


def check_github_files(paths: list[str], context: RunContext) -> None:
    _check(paths, context, _github)


def check_gitlab_files(paths: list[str], context: RunContext) -> None:
    _check(paths, context, _gitlab)


def check_github_action_files(paths: list[str], context: RunContext) -> None:
    _check(paths, context, _github_action)


def check_circleci_files(paths: list[str], context: RunContext) -> None:
    _check(paths, context, _circleci)


def check_readthedocs_files(paths: list[str], context: RunContext) -> None:
    _check(paths, context, _readthedocs, _readthedocs_requirements)


def _check(paths: list[str], context: RunContext, walker: object, extra: Optional[Extra] = None) -> None:
    for path in paths:
        read = context.read(path)
        if read is None:
            continue
        full, shown, text = read
        document, error = yamlish.load_recovering(text)
        findings: list[Finding] = []
        if error is not None:
            findings.append(
                rule("GRD102").finding(
                    shown,
                    error.line,
                    error.column,
                    f"YAML that does not parse: {error.message} (this item is skipped; the rest of the file is checked)",
                )
            )
        for script, environ, language, workdir in walker(document, shown, findings):  # type: ignore[operator]
            literals = literal_values(environ)
            value, segments = script.value, script.segments or ((0, script.line, script.column),)
            written: dict[str, str] = {}
            if walker is _circleci:
                value, written = circleci_parameters(value)
            result, _commands = check_shell_text(
                value,
                shown,
                "ci",
                context,
                directory=os.path.normpath(os.path.join(context.cwd, workdir)) if workdir else context.cwd,
                segments=segments,
                environ=environ,
                variables=literals,
                expressions={f"env.{name}": value for name, value in literals.items()} if walker in (_github, _github_action) else None,
                shadowable=True,
                powershell=language == _POWERSHELL,
            )
            findings.extend(_as_written(finding, written) for finding in result)
        if extra is not None:
            findings.extend(extra(document, shown, context))
        context.findings.extend(findings)
    finish(context)


def literal_values(environ: dict[str, str]) -> dict[str, str]:
    """The variables whose value the shell would see exactly as written in the file."""
    return {name: value for name, value in environ.items() if _LITERAL.match(value)}


def _env(node: Optional[yamlish.Node], path: str, findings: list[Finding], inherited: dict[str, str]) -> dict[str, str]:
    """`inherited` overridden by the variables of `node` (`<<: *anchor` merges applied);
    findings about the ones written here (a merged one is reported where it is written)."""
    environ = dict(inherited)
    if not isinstance(node, yamlish.Mapping):
        return environ
    for name, value in node.merged().items():
        text = _variable_value(value)
        if text is not None:
            environ[name] = text
    for key, value in node.items:
        text = _variable_value(value)
        if text is not None and not (key.value == "<<" and key.style == "plain"):
            findings.extend(environment_findings(path, key.value, text, key.line, key.column))
    return environ


def _variable_value(node: yamlish.Node) -> Optional[str]:
    if isinstance(node, yamlish.Scalar):
        return node.value
    if isinstance(node, yamlish.Mapping):  # GitLab `NAME: {value: ..., description: ...}`
        inner = node.get("value")
        if isinstance(inner, yamlish.Scalar):
            return inner.value
    return None


# A step's script as what reads it: a POSIX shell, PowerShell, or something else (`cmd`,
# `python`, a custom program), which guard does not read.
_SH, _POWERSHELL, _OTHER = "sh", "powershell", "other"
# (the script, its environment, its language, the directory it runs in relative to the
# repository, or "")
Script = tuple[yamlish.Scalar, dict[str, str], str, str]


def _shell_language(value: str) -> Optional[str]:
    """The language of a `shell:` value (`bash`, `pwsh`, `bash -e {0}`, `cmd`), or None for
    an expression (`${{ matrix.shell }}`), which leaves the runner's default."""
    if "${{" in value or not value.split():
        return None
    program = re.split(r"[\\/]", value.split()[0])[-1].lower().removesuffix(".exe")
    if program in ("bash", "sh", "msys2", "wsl-bash"):  # the last two: MSYS2's and WSL's bash on Windows
        return _SH
    if program in ("pwsh", "powershell"):
        return _POWERSHELL
    # a program that hands the script on to a shell: `script -q -e -c "bash -eo pipefail {0}"`
    wrapped = _WRAPPED_SHELL.search(value.lower())
    if wrapped:
        return _POWERSHELL if wrapped.group(1) in ("pwsh", "powershell") else _SH
    return _OTHER


_WRAPPED_SHELL = re.compile(r"(?<![\w.-])(bash|sh|dash|zsh|pwsh|powershell)(?:\.exe)?(?![\w.-])")


def _defaults_shell(node: Optional[yamlish.Node]) -> Optional[str]:
    """`defaults: run: shell:` of a workflow or job, as a language."""
    defaults = node.get("defaults") if isinstance(node, yamlish.Mapping) else None
    run = defaults.get("run") if isinstance(defaults, yamlish.Mapping) else None
    shell = run.get("shell") if isinstance(run, yamlish.Mapping) else None
    return _shell_language(shell.value) if isinstance(shell, yamlish.Scalar) else None


def _defaults_directory(node: Optional[yamlish.Node]) -> str:
    """`defaults: run: working-directory:` of a workflow or job."""
    defaults = node.get("defaults") if isinstance(node, yamlish.Mapping) else None
    run = defaults.get("run") if isinstance(defaults, yamlish.Mapping) else None
    return _working_directory(run)


def _working_directory(node: Optional[yamlish.Node]) -> str:
    """A step's `working-directory` when it is a literal path, else "" (the repository root)."""
    value = node.get("working-directory") if isinstance(node, yamlish.Mapping) else None
    if isinstance(value, yamlish.Scalar) and value.value and "${{" not in value.value and "$" not in value.value:
        return value.value
    return ""


def _texts(node: Optional[yamlish.Node]) -> Iterator[str]:
    """Every scalar under `node`, for the runner labels of `runs-on` and a matrix."""
    if isinstance(node, yamlish.Scalar):
        yield node.value
    elif isinstance(node, yamlish.Sequence):
        for item in node.items:
            yield from _texts(item)
    elif isinstance(node, yamlish.Mapping):
        for _key, value in node.items:
            yield from _texts(value)


def _may_run_on_windows(job: yamlish.Mapping) -> bool:
    """A `windows-*` (or `windows` labelled) runner, written or among the matrix values that
    an expression in `runs-on` picks from."""
    labels = list(_texts(job.get("runs-on")))
    if any("${{" in label for label in labels):
        strategy = job.get("strategy")
        labels.extend(_texts(strategy.get("matrix") if isinstance(strategy, yamlish.Mapping) else None))
    return any(label.strip().lower().startswith("windows") for label in labels)


_WINDOWS_CONDITION = re.compile(r"(==|!=)\s*'windows", re.I)


def _step_language(step: yamlish.Mapping, job_shell: Optional[str], windows: bool) -> str:
    """What runs a step's `run:`: its `shell:`, else `defaults.run.shell`, else the runner's
    default, PowerShell on Windows and bash elsewhere. On a matrix of Windows and other
    runners, an `if:` comparing with Windows tells which one the step runs on."""
    shell = step.get("shell")
    language = _shell_language(shell.value) if isinstance(shell, yamlish.Scalar) else None
    if language is not None:
        return language
    if job_shell is not None:
        return job_shell
    condition = step.get("if")
    if windows and isinstance(condition, yamlish.Scalar):
        match = _WINDOWS_CONDITION.search(condition.value)
        if match:
            return _POWERSHELL if match.group(1) == "==" else _SH
    return _POWERSHELL if windows else _SH


def _github(document: yamlish.Node, path: str, findings: list[Finding]) -> Iterator[Script]:
    if not isinstance(document, yamlish.Mapping):
        return
    top_env = _env(document.get("env"), path, findings, {})
    top_shell = _defaults_shell(document)
    top_directory = _defaults_directory(document)
    jobs = document.get("jobs")
    if not isinstance(jobs, yamlish.Mapping):
        return
    for _key, job in jobs.items:
        if not isinstance(job, yamlish.Mapping):
            continue
        job_env = _env(job.get("env"), path, findings, top_env)
        job_shell = _defaults_shell(job) or top_shell
        job_directory = _defaults_directory(job) or top_directory
        windows = _may_run_on_windows(job)
        steps = job.get("steps")
        if not isinstance(steps, yamlish.Sequence):
            continue
        for step in steps.items:
            if not isinstance(step, yamlish.Mapping):
                continue
            step_env = _env(step.get("env"), path, findings, job_env)
            language = _step_language(step, job_shell, windows)
            run = step.get("run")
            if isinstance(run, yamlish.Scalar) and language != _OTHER:
                yield run, step_env, language, _working_directory(step) or job_directory


def _github_action(document: yamlish.Node, path: str, findings: list[Finding]) -> Iterator[Script]:
    """A composite action's `runs.steps[*].run` (each names its `shell:`, as GitHub requires);
    its inputs (`${{ inputs.x }}`) are values the caller fills in."""
    runs = document.get("runs") if isinstance(document, yamlish.Mapping) else None
    using = runs.get("using") if isinstance(runs, yamlish.Mapping) else None
    if not (isinstance(using, yamlish.Scalar) and using.value == "composite"):
        return
    assert isinstance(runs, yamlish.Mapping)
    steps = runs.get("steps")
    if not isinstance(steps, yamlish.Sequence):
        return
    for step in steps.items:
        if not isinstance(step, yamlish.Mapping):
            continue
        step_env = _env(step.get("env"), path, findings, {})
        language = _step_language(step, None, False)
        run = step.get("run")
        if isinstance(run, yamlish.Scalar) and language != _OTHER:
            yield run, step_env, language, _working_directory(step)


def _gitlab(document: yamlish.Node, path: str, findings: list[Finding]) -> Iterator[Script]:
    if not isinstance(document, yamlish.Mapping):
        return
    items = document.merged()
    top_env = _env(items.get("variables"), path, findings, {})
    jobs: list[yamlish.Mapping] = [document]
    default = items.get("default")
    if isinstance(default, yamlish.Mapping):
        jobs.append(default)
    for name, job in items.items():
        if name not in _NOT_JOBS and isinstance(job, yamlish.Mapping):
            jobs.append(job)
    seen: set[int] = set()
    for job in jobs:
        fields = job.merged()
        environ = _env(fields.get("variables"), path, findings, top_env) if job is not document else top_env
        for key in ("before_script", "script", "after_script"):
            for scalar in _scalars(fields.get(key)):
                if id(scalar) in seen:
                    continue
                seen.add(id(scalar))
                yield scalar, environ, _SH, ""


def _scalars(node: Optional[yamlish.Node], visited: Optional[set[int]] = None) -> Iterator[yamlish.Scalar]:
    """The script lines of `node`, nested lists flattened. An alias is the anchored node
    itself, so each list is walked once (`visited`): nested aliases of aliases (`[*a, *a]`
    under `&b`, `[*b, *b]` ...) cost what is written, never an exponential expansion."""
    visited = set() if visited is None else visited
    if isinstance(node, yamlish.Scalar):
        if not node.is_null:
            yield node
    elif isinstance(node, yamlish.Sequence) and id(node) not in visited:
        visited.add(id(node))
        for item in node.items:
            yield from _scalars(item, visited)


# --- CircleCI ------------------------------------------------------------------------------

_CIRCLECI_PARAMETER = re.compile(r"<<(\s*)((?:parameters|pipeline)\.[A-Za-z0-9_.-]+)(\s*)>>")


def circleci_parameters(text: str) -> tuple[str, dict[str, str]]:
    """`<< parameters.v >>` (filled in by CircleCI before the shell runs) as an expansion of
    the same length, so that positions stay where they are written and the scanner takes it
    for a value it does not know (PIN107), not for a here-document: `${{parameters.v }}`,
    or `${parameters.v}}` for `<<parameters.v>>`. Also what each stands for, to name it as
    written in messages."""
    written: dict[str, str] = {}

    def replace(match: re.Match[str]) -> str:
        before, name, after = match.group(1), match.group(2), match.group(3)
        expansion = "${{" + before[1:] + name + after + "}}" if before else "${" + name + after + "}}"
        written[expansion] = match.group(0)
        return expansion

    return _CIRCLECI_PARAMETER.sub(replace, text), written


def _as_written(finding: Finding, written: dict[str, str]) -> Finding:
    message = finding.message
    for expansion, original in written.items():
        message = message.replace(expansion, original)
    return finding if message == finding.message else finding.replace(message=message)


def _circleci(document: yamlish.Node, path: str, findings: list[Finding]) -> Iterator[Script]:
    """`run` steps of every job and reusable command (`run: CMD` or `run: {command: CMD}`),
    with `environment:` of the executor, the job and the step (the innermost wins)."""
    if not isinstance(document, yamlish.Mapping):
        return
    executors = document.get("executors")
    for section in ("jobs", "commands"):
        entries = document.get(section)
        if not isinstance(entries, yamlish.Mapping):
            continue
        for _name, entry in entries.items:
            if not isinstance(entry, yamlish.Mapping):
                continue
            environ = _env(_executor_environment(entry, executors), path, findings, {})
            environ = _env(entry.get("environment"), path, findings, environ)
            yield from _circleci_steps(entry.get("steps"), entry, path, findings, environ)


def _executor_environment(job: yamlish.Mapping, executors: Optional[yamlish.Node]) -> Optional[yamlish.Node]:
    executor = job.get("executor")
    name = executor.get("name") if isinstance(executor, yamlish.Mapping) else executor
    if isinstance(name, yamlish.Scalar) and isinstance(executors, yamlish.Mapping):
        found = executors.get(name.value)
        if isinstance(found, yamlish.Mapping):
            return found.get("environment")
    return None


def _circleci_steps(
    steps: Optional[yamlish.Node], job: yamlish.Mapping, path: str, findings: list[Finding], environ: dict[str, str]
) -> Iterator[Script]:
    if not isinstance(steps, yamlish.Sequence):
        return
    job_shell = job.get("shell")
    for step in steps.items:
        run = step.get("run") if isinstance(step, yamlish.Mapping) else None
        shell: Optional[yamlish.Node] = job_shell
        step_env = environ
        if isinstance(run, yamlish.Mapping):
            shell = run.get("shell") or job_shell
            step_env = _env(run.get("environment"), path, findings, environ)
            run = run.get("command")
        language = _shell_language(shell.value) if isinstance(shell, yamlish.Scalar) else None
        if isinstance(run, yamlish.Scalar) and not run.is_null and language != _OTHER:
            yield run, step_env, language or _SH, ""


# --- Read the Docs ---------------------------------------------------------------------------


def _readthedocs(document: yamlish.Node, path: str, findings: list[Finding]) -> Iterator[Script]:
    """`build.commands` and the `build.jobs.<phase>` lists: each line runs in bash."""
    build = document.get("build") if isinstance(document, yamlish.Mapping) else None
    if not isinstance(build, yamlish.Mapping):
        return
    jobs = build.get("jobs")
    lists = [build.get("commands")] + ([phase for _name, phase in jobs.items] if isinstance(jobs, yamlish.Mapping) else [])
    for commands in lists:
        for scalar in _scalars(commands):
            yield scalar, {}, _SH, ""


def _readthedocs_requirements(document: yamlish.Node, path: str, context: RunContext) -> list[Finding]:
    """`python.install[*].requirements: FILE`: Read the Docs runs `pip install -r FILE`
    (the path relative to the repository root), so FILE is checked as that install."""
    python = document.get("python") if isinstance(document, yamlish.Mapping) else None
    installs = python.get("install") if isinstance(python, yamlish.Mapping) else None
    if not isinstance(installs, yamlish.Sequence):
        return []
    calls: list[PipCall] = []
    for item in installs.items:
        requirement = item.get("requirements") if isinstance(item, yamlish.Mapping) else None
        if isinstance(requirement, yamlish.Scalar) and not requirement.is_null:
            where = (requirement.line, requirement.column)
            words = (Word("install", *where), Word("-r", *where), Word(requirement.value, *where))
            calls.append(
                PipCall(path, *where, tuple(word.text for word in words), words, "pip", "pip", "pip", command_index=len(calls), source="ci")
            )
    surroundings = Surroundings(path=path, directory=context.cwd, kind="ci", cwd=context.cwd)
    return check_calls(calls, surroundings, context.settings, requirement_reader(context))


Extra = Callable[[yamlish.Node, str, "RunContext"], "list[Finding]"]

__all__ = ["check_circleci_files", "check_github_files", "check_gitlab_files", "check_readthedocs_files", "circleci_parameters", "os"]
