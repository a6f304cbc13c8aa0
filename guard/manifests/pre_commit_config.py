"""`.pre-commit-config.yaml`: each hook's `additional_dependencies`.

pre-commit installs them with pip into the hook's environment, so each entry is judged as
one requirement (kind `pre-commit-config`, exact by default). Hooks whose `language` is set
to something other than Python, and npm-style entries (`prettier@3.0.0`, `@scope/pkg`),
are not pip requirements and are left alone.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from guard.finding import Finding
from guard.manifests.common import judge
from guard.pins.analysis import analyse
from guard.pins.dep import Dep
from guard.rules import get as rule

if TYPE_CHECKING:
    from guard.check.context import RunContext

_NPM = re.compile(r"^@?[\w.-]+(?:/[\w.-]+)?@[^\s:/]+$")
_PYTHON_LANGUAGES = ("python", "python_venv")


def pre_commit_findings(text: str, shown: str, context: RunContext) -> list[Finding]:
    from guard.text import yamlish

    try:
        root = yamlish.load(text)
    except yamlish.YamlError as error:
        return [
            rule("GRD102").finding(
                shown, error.line, error.column, f"`{shown}` is not valid YAML (or not the subset guard reads): {error.message}"
            )
        ]
    if isinstance(root, yamlish.Scalar) and root.is_null:
        return []
    if not isinstance(root, yamlish.Mapping):
        return [rule("GRD102").finding(shown, root.line, root.column, f"`{shown}` must be a mapping with a `repos` list")]
    repos = root.get("repos")
    if repos is None:
        return []
    if not isinstance(repos, yamlish.Sequence):
        return [rule("GRD102").finding(shown, repos.line, repos.column, "`repos` must be a list")]
    findings: list[Finding] = []
    for repo in repos.items:
        hooks = repo.get("hooks") if isinstance(repo, yamlish.Mapping) else None
        if not isinstance(hooks, yamlish.Sequence):
            continue
        for hook in hooks.items:
            if not isinstance(hook, yamlish.Mapping):
                continue
            language = hook.get("language")
            if isinstance(language, yamlish.Scalar) and language.value not in _PYTHON_LANGUAGES:
                continue
            extra = hook.get("additional_dependencies")
            if extra is None or (isinstance(extra, yamlish.Scalar) and extra.is_null):
                continue
            if not isinstance(extra, yamlish.Sequence):
                findings.append(rule("GRD102").finding(shown, extra.line, extra.column, "`additional_dependencies` must be a list"))
                continue
            for item in extra.items:
                if not isinstance(item, yamlish.Scalar):
                    findings.append(
                        rule("GRD102").finding(shown, item.line, item.column, "`additional_dependencies` entries must be strings")
                    )
                    continue
                value = item.value.strip()
                if not value or (_NPM.match(value) and "://" not in value):
                    continue
                dep = Dep(shown, item.line, item.column, value, "pre-commit-config")
                findings.extend(judge(dep, analyse(value), context.settings))
    return findings


def check_files(paths: list[str], context: RunContext) -> None:
    for path in paths:
        read = context.read(path)
        if read is not None:
            _absolute, shown, text = read
            context.findings.extend(pre_commit_findings(text, shown, context))
