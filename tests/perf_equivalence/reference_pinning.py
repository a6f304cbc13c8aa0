"""What one dependency's text pins: its level and the flags beside it (docs/pinning.md).

Pure: text in, `PinInfo` out. The same analysis serves requirement files, pip command lines
and manifests, so every source gets the same notion of "pinned".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

from guard.pins.levels import PinLevel

# Later deliberate behaviour changes, shared with guard/pins/analysis.py so that both readings
# keep agreeing (credentials in a URL are no variable version, VCS URLs named by their
# repository, texts pip refuses for their shape, `-e` URLs as pip's `parse_editable` reads them).
from guard.pins.analysis import (
    _dynamic_beyond_userinfo,
    _dynamic_name,
    _editable_url_info,
    _invalid_egg_info,
    _repository_name,
    refusal,
)

STRONG_HASHES = ("sha256", "sha384", "sha512")
WEAK_HASHES = ("md5", "sha1", "sha224")
VCS_SCHEMES = ("git", "hg", "svn", "bzr")
ARCHIVE_SUFFIXES = (".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tar", ".tar.lz", ".tlz")
_URL_RE = re.compile(r"^(?:(?:git|hg|svn|bzr)\+)?[a-zA-Z][a-zA-Z0-9+.-]*://|^file:", re.I)
_DYNAMIC_RE = re.compile(r"\$\{\{|\$\{[A-Za-z_]|\$[A-Za-z_]")
_FULL_GIT_SHA = re.compile(r"^(?:[0-9a-f]{40}|[0-9a-f]{64})$", re.I)
_FULL_HG_SHA = re.compile(r"^[0-9a-f]{40}$", re.I)
_SVN_REVISION = re.compile(r"^r?\d+$")
_SINGLE_EQUALS = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*=\s*([0-9][^=<>!~;,\s]*)")
_NAME_RE = re.compile(r"[-_.]+")
_SIMPLE_RE = re.compile(
    r"^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*"
    r"(?:(==)\s*(\d+(?:\.\d+)*(?:(?:a|b|rc)\d+)?(?:\.post\d+)?(?:\.dev\d+)?(?:\+[a-z0-9]+(?:\.[a-z0-9]+)*)?(?:\.\*)?))?[ \t]*$"
)


def normalise_name(name: str) -> str:
    """PEP 503 normalised name."""
    return _NAME_RE.sub("-", name).lower()


@dataclass(frozen=True)
class PinInfo:
    name: Optional[str]  # normalised; None when the text names no package (a bare URL)
    level: PinLevel
    first_party: bool = False  # `.`, `./dir`, `-e .`: the project's own code
    local_file: bool = False  # a wheel or sdist on disk
    wildcard: bool = False  # `==X.*`
    vcs_url: Optional[str] = None
    mutable_ref: Optional[str] = None  # the branch/tag/short sha; "" for no ref at all
    url_without_hash: bool = False
    weak_hashes: tuple[str, ...] = ()
    malformed_hashes: tuple[str, ...] = ()
    has_strong_hash: bool = False
    dynamic: bool = False
    invalid: Optional[str] = None  # why pip would reject it
    specifier: str = ""


def analyse(text: str, hashes: Sequence[str] = (), editable: bool = False) -> PinInfo:
    """Analyse one requirement as written (`requests==2.*`, `-e .` value, a URL, a path)."""
    strong, weak, malformed = _split_hashes(hashes)
    if _DYNAMIC_RE.search(text) and _dynamic_beyond_userinfo(text):
        return PinInfo(name=_dynamic_name(text), level=PinLevel.ANY, dynamic=True,
                       weak_hashes=weak, malformed_hashes=malformed, has_strong_hash=bool(strong))
    # Fast path for the common `name` / `name==version` lines; agrees with packaging's parse
    # (trailing blanks included: `name==1.0 \\` + `--hash` continuation lines leave them).
    simple = _SIMPLE_RE.match(text)
    if simple and not editable and not text.lower().endswith(ARCHIVE_SUFFIXES):
        name, operator, version = simple.groups()
        if operator is None:
            level = PinLevel.ANY
        elif version.endswith(".*") and operator == "==":
            return _with_hashes(PinInfo(normalise_name(name), PinLevel.BOUNDED, wildcard=True, specifier=f"=={version}"), strong, weak, malformed)
        else:
            level = PinLevel.HASHED if strong else PinLevel.EXACT
        # What `_with_hashes` would make of it, without the cost of `dataclasses.replace`.
        return PinInfo(normalise_name(name), level, specifier=f"{operator}{version}" if operator else "",
                       has_strong_hash=bool(strong), weak_hashes=weak, malformed_hashes=malformed)
    refused = refusal(text, editable)
    if refused is not None:
        return PinInfo(_leading_name(text), PinLevel.ANY, weak_hashes=weak, malformed_hashes=malformed,
                       has_strong_hash=bool(strong), invalid=refused)
    if editable:
        editable_info = _editable_url_info(text)
        if editable_info is not None:
            return _with_hashes(editable_info, strong, weak, malformed)
    url_part = text.split("; ", 1)[0].strip() if _URL_RE.match(text) else None
    if url_part is not None:
        return _with_hashes(_url_info(None, url_part), strong, weak, malformed)
    if editable or _looks_like_path(text):
        return _path_info(text, strong, weak, malformed, editable)
    return _with_hashes(_requirement_info(text), strong, weak, malformed)


def _looks_like_path(text: str) -> bool:
    # pip's `_looks_like_path` and `_get_url_from_path`: a separator or a leading dot, or an
    # archive name; but `name @ url` is a URL requirement when the part before `@` is no path.
    head = text.split(";", 1)[0].strip()
    if "@" in head:
        before = head.split("@", 1)[0].strip()
        if not ("/" in before or "\\" in before or before.startswith((".", "~"))):
            return False
    return "/" in head or "\\" in head or head.startswith((".", "~")) or head.lower().endswith(ARCHIVE_SUFFIXES)


def _path_info(text: str, strong: tuple[str, ...], weak: tuple[str, ...], malformed: tuple[str, ...], editable: bool) -> PinInfo:
    head = text.split(";", 1)[0].strip()
    if _URL_RE.match(head):
        return _with_hashes(_url_info(None, head), strong, weak, malformed)
    base = re.sub(r"\[[^\]]*\]$", "", head)
    if base.lower().endswith(ARCHIVE_SUFFIXES):
        name = _artifact_name(base)
        return _with_hashes(PinInfo(name, PinLevel.EXACT, local_file=True), strong, weak, malformed)
    return PinInfo(None, PinLevel.EXACT, first_party=True, weak_hashes=weak, malformed_hashes=malformed)


def _artifact_name(path: str) -> Optional[str]:
    filename = re.split(r"[\\/]", path)[-1]
    match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._]*?)-\d", filename)
    return normalise_name(match.group(1)) if match else None


def _requirement_info(text: str) -> PinInfo:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        requirement = Requirement(text)
    except InvalidRequirement as error:
        single = _SINGLE_EQUALS.match(text)
        if single:
            reason = f"`{text}` uses a single `=`; pip needs `==` (`{single.group(1)}{single.group(2) or ''}=={single.group(3)}`)"
        else:
            reason = f"`{text}` is not a valid requirement: {str(error).splitlines()[0]}"
        return PinInfo(_leading_name(text), PinLevel.ANY, invalid=reason)
    name = normalise_name(requirement.name)
    if requirement.url:
        return _url_info(name, requirement.url)
    return specifier_info(name, requirement.specifier)


def specifier_info(name: Optional[str], specifier: object) -> PinInfo:
    """Level of a `packaging.specifiers.SpecifierSet`."""
    specs = list(specifier)  # type: ignore[call-overload]
    wildcard = False
    lower = upper = exact = False
    for spec in specs:
        operator, version = spec.operator, spec.version
        if operator == "===":
            exact = True
        elif operator == "==":
            if version.endswith(".*"):
                wildcard = lower = upper = True
            else:
                exact = True
        elif operator == "~=":
            lower = upper = True
        elif operator in (">=", ">"):
            lower = True
        elif operator in ("<", "<="):
            upper = True
    if exact:
        level = PinLevel.EXACT
    elif lower and upper:
        level = PinLevel.BOUNDED
    elif lower:
        level = PinLevel.FLOOR
    elif specs:
        level = PinLevel.CONSTRAINED
    else:
        level = PinLevel.ANY
    return PinInfo(name, level, wildcard=wildcard and not exact, specifier=str(specifier))


def _url_info(name: Optional[str], url: str) -> PinInfo:
    refused = _invalid_egg_info(name, url)
    if refused is not None:
        return refused
    scheme = url.split(":", 1)[0].lower()
    fragment = url.split("#", 1)[1] if "#" in url else ""
    if name is None:
        egg = re.search(r"(?:^|&)egg=([^&]+)", fragment)
        name = normalise_name(egg.group(1).split("[")[0]) if egg else None
    vcs = scheme.split("+", 1)[0] if "+" in scheme else None
    if vcs in VCS_SCHEMES:
        if name is None:
            name = _repository_name(url)
        ref = _vcs_ref(url)
        if vcs == "git":
            immutable = ref is not None and bool(_FULL_GIT_SHA.match(ref))
        elif vcs == "hg":
            immutable = ref is not None and bool(_FULL_HG_SHA.match(ref))
        elif vcs == "svn":
            immutable = ref is not None and bool(_SVN_REVISION.match(ref))
        else:
            immutable = False
        return PinInfo(name, PinLevel.EXACT if immutable else PinLevel.ANY, vcs_url=url,
                       mutable_ref=None if immutable else (ref or ""))
    if scheme == "file":
        path = url[5:].lstrip("/")
        if path.split("#", 1)[0].lower().endswith(ARCHIVE_SUFFIXES):
            return PinInfo(name or _artifact_name(path.split("#", 1)[0]), PinLevel.EXACT, local_file=True)
        return PinInfo(name, PinLevel.EXACT, first_party=True)
    hashes = re.findall(r"(?:^|&)(md5|sha1|sha224|sha256|sha384|sha512)=([0-9a-fA-F]+)", fragment)
    strong = any(algo in STRONG_HASHES for algo, _ in hashes)
    weak = tuple(f"{algo}:{digest}" for algo, digest in hashes if algo in WEAK_HASHES)
    if name is None:
        name = _artifact_name(url.split("#", 1)[0].split("?", 1)[0])
    # A URL names one file: exact, and hashed when the fragment carries a strong hash.
    return PinInfo(name, PinLevel.HASHED if strong else PinLevel.EXACT, url_without_hash=not strong,
                   weak_hashes=weak, has_strong_hash=strong)


def _vcs_ref(url: str) -> Optional[str]:
    without_fragment = url.split("#", 1)[0]
    after_scheme = without_fragment.split("://", 1)[1] if "://" in without_fragment else without_fragment
    path = after_scheme.split("/", 1)[1] if "/" in after_scheme else ""
    if "@" not in path:
        return None
    return path.rsplit("@", 1)[1] or None


def _split_hashes(hashes: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    strong: list[str] = []
    weak: list[str] = []
    malformed: list[str] = []
    for value in hashes:
        algo, sep, digest = value.partition(":")
        if not sep or not digest:
            malformed.append(value)
        elif algo in STRONG_HASHES:
            strong.append(value)
        elif algo in WEAK_HASHES:
            weak.append(value)
        else:
            malformed.append(value)
    return tuple(strong), tuple(weak), tuple(malformed)


def _with_hashes(info: PinInfo, strong: tuple[str, ...], weak: tuple[str, ...], malformed: tuple[str, ...]) -> PinInfo:
    if not (strong or weak or malformed):
        return info  # nothing to add: `replace` would return an equal copy
    from dataclasses import replace

    level = info.level
    has_strong = info.has_strong_hash or bool(strong)
    if strong and level == PinLevel.EXACT:
        level = PinLevel.HASHED
    return replace(
        info,
        level=level,
        has_strong_hash=has_strong,
        url_without_hash=info.url_without_hash and not has_strong,
        weak_hashes=info.weak_hashes + weak,
        malformed_hashes=info.malformed_hashes + malformed,
    )


def _leading_name(text: str) -> Optional[str]:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", text)
    return normalise_name(match.group(1)) if match else None
