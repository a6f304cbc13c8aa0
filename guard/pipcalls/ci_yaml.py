"""The `github-workflow` and `gitlab-ci` file kinds: pip in CI shell steps.

GitHub Actions: `jobs.<id>.steps[*].run` (skipped when the step's `shell:` is `python`),
with `env:` at workflow, job and step level (the innermost wins). GitLab CI: `script`,
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
from typing import TYPE_CHECKING, Iterator, Optional

from guard.finding import Finding
from guard.pipcalls.check import check_shell_text, environment_findings, finish
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


def _check(paths: list[str], context: RunContext, walker: object) -> None:
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
        for script, environ in walker(document, shown, findings):  # type: ignore[operator]
            literals = literal_values(environ)
            result, _commands = check_shell_text(
                script.value,
                shown,
                "ci",
                context,
                directory=context.cwd,
                segments=script.segments or ((0, script.line, script.column),),
                environ=environ,
                variables=literals,
                expressions={f"env.{name}": value for name, value in literals.items()} if walker is _github else None,
                shadowable=True,
            )
            findings.extend(result)
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


def _github(document: yamlish.Node, path: str, findings: list[Finding]) -> Iterator[tuple[yamlish.Scalar, dict[str, str]]]:
    if not isinstance(document, yamlish.Mapping):
        return
    top_env = _env(document.get("env"), path, findings, {})
    jobs = document.get("jobs")
    if not isinstance(jobs, yamlish.Mapping):
        return
    for _key, job in jobs.items:
        if not isinstance(job, yamlish.Mapping):
            continue
        job_env = _env(job.get("env"), path, findings, top_env)
        steps = job.get("steps")
        if not isinstance(steps, yamlish.Sequence):
            continue
        for step in steps.items:
            if not isinstance(step, yamlish.Mapping):
                continue
            step_env = _env(step.get("env"), path, findings, job_env)
            shell = step.get("shell")
            if isinstance(shell, yamlish.Scalar) and shell.value.split()[:1] == ["python"]:
                continue
            run = step.get("run")
            if isinstance(run, yamlish.Scalar):
                yield run, step_env


def _gitlab(document: yamlish.Node, path: str, findings: list[Finding]) -> Iterator[tuple[yamlish.Scalar, dict[str, str]]]:
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
                yield scalar, environ


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


__all__ = ["check_github_files", "check_gitlab_files", "os"]
