"""What one dependency's text pins: its level and the flags beside it (docs/pinning.md).

Pure: text in, `PinInfo` out. The same analysis serves requirement files, pip command lines
and manifests, so every source gets the same notion of "pinned".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import repeat
from typing import Optional, Sequence

from guard.pins.levels import PinLevel

STRONG_HASHES = ("sha256", "sha384", "sha512")
WEAK_HASHES = ("md5", "sha1", "sha224")
_STRONG_PREFIXES = tuple(f"{algo}:" for algo in STRONG_HASHES)  # each 7 characters long
VCS_SCHEMES = ("git", "hg", "svn", "bzr")
ARCHIVE_SUFFIXES = (".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tar", ".tar.lz", ".tlz")
# A URL to pip: any `scheme://`, `file:`, and `bzr+lp:project` (a Launchpad branch, the one
# VCS scheme pip's `is_url` knows that is written without `//`).
_URL_RE = re.compile(r"^(?:(?:git|hg|svn|bzr)\+)?[a-zA-Z][a-zA-Z0-9+.-]*://|^file:|^bzr\+lp:", re.I)
_DYNAMIC_RE = re.compile(r"\$\{\{|\$\{[A-Za-z_]|\$[A-Za-z_]")
_FULL_GIT_SHA = re.compile(r"^(?:[0-9a-f]{40}|[0-9a-f]{64})$", re.I)
_FULL_HG_SHA = re.compile(r"^[0-9a-f]{40}$", re.I)
_SVN_REVISION = re.compile(r"^r?\d+$")
_SINGLE_EQUALS = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*=\s*([0-9][^=<>!~;,\s]*)")
_NAME_RE = re.compile(r"[-_.]+")
_SIMPLE_RE = re.compile(
    # Blanks are packaging's, space and tab: a no-break space is no separator to it.
    r"^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)[ \t]*"
    # `.*` only right after the release, as PEP 440 (and pip) allow: `==4.0rc1.*` is invalid.
    r"(?:(==)[ \t]*(\d+(?:\.\d+)*(?:\.\*|(?:(?:a|b|rc)\d+)?(?:\.post\d+)?(?:\.dev\d+)?(?:\+[a-z0-9]+(?:\.[a-z0-9]+)*)?)))?[ \t]*$"
)

# A strict subset of _SIMPLE_RE, with the same groups for what it matches: `name` or
# `name==1.2.3`, no blanks inside, trailing blanks allowed. Most lines are so; it is matched
# first as it costs a quarter of _SIMPLE_RE (whose optional version parts backtrack).
_PLAIN_RE = re.compile(r"([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(?:(==)(\d+(?:\.\d+)*))?[ \t]*$")
# A character neither _PLAIN_RE nor _SIMPLE_RE accepts anywhere: the texts for the next path.
_NOT_SIMPLE = re.compile(r"[;,\[<>~!]")
_BLANK_RUN = re.compile(r"[ \t]{2}")


def normalise_name(name: str) -> str:
    """PEP 503 normalised name."""
    # Each `_` and `.` becomes `-`; when that leaves no `--`, no run of separators had more
    # than one character, so the regex's collapsing would change nothing more: spare it.
    # (str.replace hands the same string back when there is nothing to replace.)
    dashed = name.replace("_", "-").replace(".", "-")
    if "--" not in dashed:
        return dashed.lower()
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

    # Hand-written, and dataclass keeps it: the generated `__init__` of a frozen dataclass
    # stores each field through `object.__setattr__`, which made building a PinInfo (once or
    # twice per requirement) cost more than reading the requirement. Filling `__dict__`
    # directly stores the same values; freezing only guards assignment after construction.
    # Same parameters, order and defaults as the fields (tests/perf_equivalence checks it).
    def __init__(
        self,
        name: Optional[str],
        level: PinLevel,
        first_party: bool = False,
        local_file: bool = False,
        wildcard: bool = False,
        vcs_url: Optional[str] = None,
        mutable_ref: Optional[str] = None,
        url_without_hash: bool = False,
        weak_hashes: tuple[str, ...] = (),
        malformed_hashes: tuple[str, ...] = (),
        has_strong_hash: bool = False,
        dynamic: bool = False,
        invalid: Optional[str] = None,
        specifier: str = "",
    ) -> None:
        values = self.__dict__
        values["name"] = name
        values["level"] = level
        values["first_party"] = first_party
        values["local_file"] = local_file
        values["wildcard"] = wildcard
        values["vcs_url"] = vcs_url
        values["mutable_ref"] = mutable_ref
        values["url_without_hash"] = url_without_hash
        values["weak_hashes"] = weak_hashes
        values["malformed_hashes"] = malformed_hashes
        values["has_strong_hash"] = has_strong_hash
        values["dynamic"] = dynamic
        values["invalid"] = invalid
        values["specifier"] = specifier


# Enum members as plain globals for the hot paths: `PinLevel.EXACT` is a class-attribute
# lookup through the enum machinery, several per requirement.
_ANY, _CONSTRAINED, _FLOOR, _BOUNDED, _EXACT, _HASHED = (
    PinLevel.ANY,
    PinLevel.CONSTRAINED,
    PinLevel.FLOOR,
    PinLevel.BOUNDED,
    PinLevel.EXACT,
    PinLevel.HASHED,
)


def analyse(text: str, hashes: Sequence[str] = (), editable: bool = False) -> PinInfo:
    """Analyse one requirement as written (`requests==2.*`, `-e .` value, a URL, a path)."""
    strong, weak, malformed = _split_hashes(hashes) if hashes else _NO_HASHES
    if text[-1:].isspace() and text.rstrip(" \t")[-1:].isspace():
        # `name\xa0 --hash=...`: pip strips the requirement of any blank (str.strip) before
        # reading it; spaces and tabs the readings below take as they are.
        text = text.rstrip()
    # Every alternative of _DYNAMIC_RE contains `$`: the `in` test spares the regex on most lines.
    if "$" in text and not editable:
        local = _LOCAL_FILE_REQUIREMENT.match(text)
        if local is not None:
            return _with_hashes(PinInfo(normalise_name(local.group(1)), _EXACT, local_file=True), strong, weak, malformed)
    if "$" in text and _DYNAMIC_RE.search(text) and _dynamic_beyond_userinfo(text):
        return PinInfo(
            name=_dynamic_name(text), level=_ANY, dynamic=True, weak_hashes=weak, malformed_hashes=malformed, has_strong_hash=bool(strong)
        )
    # `name[extras] @ URL [; marker]`: no pattern below matches such a text (none takes an `@`
    # right after the name and extras), it is no URL or path to the routing below, and
    # `_requirement_info` would give `_at_url_info`'s reading: taken here, before the rest.
    if not editable and "@" in text:
        at = _at_url_info(text)
        if at is not None:
            return _with_hashes(at, strong, weak, malformed)
    # Fast path for the common `name` / `name==version` lines; agrees with packaging's parse
    # (trailing blanks included: `name==1.0 \\` + `--hash` continuation lines leave them).
    # An archive name is no package name, trailing blanks or not (`pkg-1.0.whl \\` + `--hash`).
    simple = None
    # A run of blanks inside the text makes the patterns' neighbouring `[ \t]*` ambiguous: a
    # match that fails would try every split of the run (`a`, 32,000 blanks, `x` took 28 s).
    # packaging reads such texts in linear time: they go the general way. Trailing blanks
    # (left by `\` continuations) are harmless: nothing can fail after them.
    fast = _no_blank_run(text)
    # Neither pattern can match a text holding any of `;,[<>~!` (markers, extras, ranges):
    # one search for them spares those texts two failing matches, which cost more than
    # a successful one (they backtrack over the whole name).
    if fast and not editable and _NOT_SIMPLE.search(text) is None:
        simple = _PLAIN_RE.match(text)
        # `name==1.2.3` by _PLAIN_RE ends (blanks aside) in digits, and every archive suffix
        # holds letters: only the other matches need the archive test.
        if simple is None or simple.group(3) is None:
            simple = simple or _SIMPLE_RE.match(text)
            if simple is not None and text.rstrip(" \t").lower().endswith(ARCHIVE_SUFFIXES):
                simple = None
    if simple is not None:
        name, operator, version = simple.groups()
        if operator is None:
            level = _ANY
        elif version.endswith(".*") and operator == "==":
            return _with_hashes(PinInfo(normalise_name(name), _BOUNDED, wildcard=True, specifier=f"=={version}"), strong, weak, malformed)
        else:
            level = _HASHED if strong else _EXACT
        # What `_with_hashes` would make of it, without the cost of `dataclasses.replace`.
        # Positional (keywords cost a third more): name, level, first_party, local_file, wildcard,
        # vcs_url, mutable_ref, url_without_hash, weak_hashes, malformed_hashes, has_strong_hash,
        # dynamic, invalid, specifier.
        return PinInfo(
            normalise_name(name),
            level,
            False,
            False,
            False,
            None,
            None,
            False,
            weak,
            malformed,
            bool(strong),
            False,
            None,
            f"{operator}{version}" if operator else "",
        )
    if fast and not editable:
        # The usual shapes of the rest, `name[extras]==1.2; marker` and `name>=1.2,<3`, by a
        # small pattern whose groups give the operators and versions directly: a cheaper match
        # than _FAST_REQUIREMENT_RE and no splitting after it. What it accepts, that one also
        # accepts and reads the same way; anything else (or an invalid marker) goes on below.
        common = _COMMON_RE.fullmatch(text)
        if common is not None:
            name, operator, version, upper_operator, upper_version, marker = common.groups()
            # Two specifiers only as lower bound then upper (`==1,<2` is left to the general path).
            if (upper_operator is None or operator[0] == ">") and (marker is None or _marker_valid(marker)):
                if upper_operator is not None:
                    # Lower and upper bound; `str(SpecifierSet)` sorts them, and `<` sorts first.
                    level = _BOUNDED
                    shown = f"{upper_operator}{upper_version},{operator}{version}"
                else:
                    level = _SINGLE_LEVEL[operator]
                    if strong and level is _EXACT:
                        level = _HASHED
                    shown = operator + version
                # Its head ends in digits: no archive name. Positional, as above.
                return PinInfo(
                    normalise_name(name), level, False, False, False, None, None, False, weak, malformed, bool(strong), False, None, shown
                )
        # `name[extras] <specifiers> [; marker]` without packaging. Such a text is never a URL
        # (no `:` can follow the name) and reads as a path only when it ends in an archive
        # suffix before any `;` (no `@`, `/`, `\\`, leading `.`/`~`): then the routing below.
        quick = _fast_requirement(text)
        if quick is not None and not text.split(";", 1)[0].rstrip().lower().endswith(ARCHIVE_SUFFIXES):
            name, level, wildcard, shown = quick
            # What `_with_hashes` would make of it, built once.
            if strong and level == _EXACT:
                level = _HASHED
            return PinInfo(
                name, level, False, False, wildcard, None, None, False, weak, malformed, bool(strong), False, None, shown
            )  # positional, as above
    # The fast paths above accept none of the texts `refusal` refuses.
    refused = refusal(text, editable)
    if refused is None and not editable and ".whl" in text.lower():
        refused = _wheel_refusal(text)
        if refused is not None:
            return PinInfo(None, _ANY, weak_hashes=weak, malformed_hashes=malformed, has_strong_hash=bool(strong), invalid=refused)
    if refused is not None:
        return PinInfo(
            _leading_name(text), _ANY, weak_hashes=weak, malformed_hashes=malformed, has_strong_hash=bool(strong), invalid=refused
        )
    if editable:
        editable_info = _editable_url_info(text)
        if editable_info is not None:
            return _with_hashes(editable_info, strong, weak, malformed)
    url_part = text.split("; ", 1)[0].strip() if _URL_RE.match(text) else None
    if url_part is not None:
        return _with_hashes(_url_info(None, url_part), strong, weak, malformed)
    if editable or (_looks_like_path(text) and not _words_then_path(text)):
        return _path_info(text, strong, weak, malformed, editable)
    return _with_hashes(_requirement_info(text), strong, weak, malformed)


# `user:password@`, `${TOKEN}@`, `oauth2:$X@`, a CI's `${{ secrets.TOKEN }}@` right after a
# URL's `://`: credentials, which say nothing about what is installed (pip masks them as
# `****` in its output).
# A `$` starts an expression only where `${{` follows, so each text reads one way (linear).
_USERINFO_RE = re.compile(r"(://)(?:\$\{\{[^}/]*\}\}|\$(?!\{\{)|[^/@\s$])*@")


def without_credentials(url: str) -> str:
    """`url` with what stands before `@` after `://` masked as pip masks it (`****@`)."""
    return _USERINFO_RE.sub(r"\1****@", url)


# `name[extras] @ file:...`: whatever a variable makes of the path, pip installs that local
# file (the wheel the job just built: `pdm[locked] @ file://$(ls dist/*.whl)`), no index.
_LOCAL_FILE_REQUIREMENT = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*@\s*file:", re.I)


def _dynamic_beyond_userinfo(text: str) -> bool:
    """Whether a variable in `text` stands anywhere but in a URL's credentials."""
    if "@" not in text:
        return True
    return _DYNAMIC_RE.search(_USERINFO_RE.sub(r"\1", text)) is not None


# `git://`, `hg:...`: pip's `parse_editable` turns `{vcs}:` into `{vcs}+{vcs}:`, but only for
# `-e`; as a requirement such a URL is neither a URL pip knows (`is_url`) nor a requirement.
_BARE_VCS_RE = re.compile(r"(git|hg|svn|bzr):", re.I)


def refusal(text: str, editable: bool) -> Optional[str]:
    """Why pip refuses the requirement `text` for its shape alone, or None."""
    if text[-1:] == "\\" and (len(text) == 1 or text[-2] in " \t"):
        # What a `\` followed by blanks at the end of a line leaves: pip continues a line
        # only when `\` is its very last character, so the `\` stays in the requirement.
        return f"`{text}` is not a valid requirement: a `\\` followed by blanks does not continue the line"
    if not editable:
        bare = _BARE_VCS_RE.match(text)
        if bare is not None:
            vcs = bare.group(1).lower()
            return f"`{text}` is not a valid requirement: pip reads a `{bare.group(0)}` URL only after `-e`; write `{vcs}+{text}`"
    return None


def _wheel_refusal(text: str) -> Optional[str]:
    """Why pip refuses a bare wheel URL or path for its file name, or None: pip reads the
    project and version from the name (`Wheel(link.filename)`, packaging's
    `parse_wheel_filename` since pip 24) before fetching anything. `name @ URL` is not read so."""
    head = text.split(";", 1)[0].strip()
    if not (_URL_RE.match(head) or _looks_like_path(head)):
        return None
    from urllib.parse import unquote, urlsplit

    path = urlsplit(head).path if _URL_RE.match(head) else re.sub(r"\[[^\]]*\]$", "", head.split("#", 1)[0])

    filename = unquote(re.split(r"[\\/]", path.rstrip("/"))[-1])
    if not filename.lower().endswith(".whl") or any(char in filename for char in "*?"):
        # `dist/*.whl` on a command line is a glob the shell expands before pip sees it
        return None
    from packaging.utils import parse_wheel_filename

    try:
        parse_wheel_filename(filename)
    except Exception as error:  # InvalidWheelFilename, or a version packaging refuses
        return f"{quoted_requirement(text)} is not a valid requirement: pip refuses the wheel file name ({error})"
    return None


def _editable_url_info(text: str) -> Optional[PinInfo]:
    """What `-e text` installs when it is a URL, read as pip's `parse_editable` reads it
    (pip 26.x; 23.x refuses `-e "name @ URL"`, which the newest pip accepts), or None."""
    if "@" in text:
        at = _at_url_info(text)
        if at is not None:
            if at.vcs_url is None and not (at.first_party or at.local_file):
                return PinInfo(
                    at.name, _ANY, invalid=f"`{text}` is not a valid editable requirement: `-e` takes a local directory or a VCS URL"
                )
            return at
    bare = _BARE_VCS_RE.match(text)
    url = f"{bare.group(1).lower()}+{text}" if bare is not None else text
    if not _URL_RE.match(url) or "+" not in url.split(":", 1)[0]:
        return None
    info = _url_info(None, url.split("; ", 1)[0].strip())
    if info.vcs_url is not None and _egg_name(url) is None:
        # pip names an editable VCS checkout from `#egg=` alone, before fetching anything.
        return PinInfo(
            info.name,
            _ANY,
            invalid=f"`{text}` names no project: pip refuses an editable VCS URL without `#egg=<name>` (or write `<name> @ {text}`)",
        )
    return info


def names_no_project(text: str) -> bool:
    """Whether `text` is a bare URL or path from which pip learns no project name before
    building it: no `name @`, no `#egg=`, no wheel file name (pip reads `name-version` there)."""
    head = text.split(";", 1)[0].strip()
    if "$" in head or not (_URL_RE.match(head) or _looks_like_path(head)):
        return False
    if _egg_name(head) is not None:
        return False
    return not head.split("#", 1)[0].split("?", 1)[0].lower().endswith(".whl")


def _looks_like_path(text: str) -> bool:
    # pip's `_looks_like_path` and `_get_url_from_path`: a separator or a leading dot, or an
    # archive name; but `name @ url` is a URL requirement when the part before `@` is no path.
    head = text.split(";", 1)[0].strip()
    if "@" in head:
        before = head.split("@", 1)[0].strip()
        if not ("/" in before or "\\" in before or before.startswith((".", "~"))):
            return False
    return "/" in head or "\\" in head or head.startswith((".", "~")) or head.lower().endswith(ARCHIVE_SUFFIXES)


# A name-like first word, blanks, then more: `ends in https://x/p.tar.gz#...` (what a `\`
# continuation of a comment leaves). A path to pip's `_looks_like_path`, but no directory
# (pip's working directory holds none of that name) nor an archive: pip then parses it as
# a PEP 508 requirement, and refuses it.
_WORDS_THEN_PATH = re.compile(r"[A-Za-z0-9][^\s/\\]*\s+\S")


def _words_then_path(text: str) -> bool:
    head = text.split(";", 1)[0].strip()
    return _WORDS_THEN_PATH.match(head) is not None and not head.lower().endswith(ARCHIVE_SUFFIXES)


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
    fast = _fast_requirement_info(text)
    if fast is not None:
        return fast
    if "@" in text:
        at = _at_url_info(text)
        if at is not None:
            return at
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        requirement = Requirement(text)
    except InvalidRequirement as error:
        split = _pip_marker_split(text)
        if split is not None:
            return split
        single = _SINGLE_EQUALS.match(text)
        if single:
            reason = f"`{text}` uses a single `=`; pip needs `==` (`{single.group(1)}{single.group(2) or ''}=={single.group(3)}`)"
        else:
            message = str(error).splitlines()
            reason = f"{quoted_requirement(text, _error_column(message))} is not a valid requirement: {message[0]}"
        return PinInfo(_leading_name(text), PinLevel.ANY, invalid=reason)
    name = normalise_name(requirement.name)
    if requirement.url:
        return _url_info(name, requirement.url)
    return specifier_info(name, requirement.specifier)


def _pip_marker_split(text: str) -> Optional[PinInfo]:
    """The reading of a text packaging refuses whole but pip accepts: pip cuts the marker off
    at the first `;` and parses the two halves apart (`parse_req_from_line`), so an empty
    marker (`name;`) is none, or None when pip refuses the halves too."""
    if ";" not in text:
        return None
    head, marker = text.split(";", 1)
    head = head.strip()
    if not head or ";" in head or (marker.strip() and not _marker_valid(marker.strip())):
        return None
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        requirement = Requirement(head)
    except InvalidRequirement:
        return None
    name = normalise_name(requirement.name)
    if requirement.url:
        return _url_info(name, requirement.url)
    return specifier_info(name, requirement.specifier)


def _at_url_info(text: str) -> Optional[PinInfo]:
    """`name[extras] @ URL [; marker]` without packaging: what its parse gives for the strict
    shape `_AT_URL_RE` accepts (a subset of packaging's), or None when packaging must decide."""
    at = _AT_URL_RE.fullmatch(text)
    if at is None:
        return None
    name, url, marker = at.groups()
    if marker is not None and marker.strip() and not _marker_valid(marker):
        return None  # an empty marker is none to pip (`pkg @ URL;`)
    return _url_info(normalise_name(name), url)


# The fast path of `_requirement_info`: `name[extras] <specifiers> [; marker]` read without
# packaging, whose tokenizer costs 50-100 µs a requirement. The patterns accept a SUBSET of
# what packaging (>= 22) accepts, and read it the same way; anything else, valid or not, goes
# to packaging, which also words the errors. tests/perf_equivalence holds the two readings
# together over many thousands of generated texts.
#
# Versions, per operator, as in `packaging.specifiers.Specifier`'s grammar (ASCII only, any
# case); separators are optional there as here. `~=` needs two release segments; only `==`
# and `!=` take a local label or a `.*` wildcard; `===` takes any version-like string.
_V_RELEASE = r"v?(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)*"
_V_PRE = r"(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?[0-9]*)?"
_V_POST = r"(?:-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?"
_V_DEV = r"(?:[-_.]?dev[-_.]?[0-9]*)?"
_V_LOCAL = r"(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?"
_V_SUFFIX = _V_PRE + _V_POST + _V_DEV
_SPEC = (
    r"(?:===[ \t]*[A-Za-z0-9._+!-]+"
    rf"|(?:==|!=)[ \t]*{_V_RELEASE}(?:\.\*|{_V_SUFFIX}{_V_LOCAL})"
    rf"|~=[ \t]*v?(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)+{_V_SUFFIX}"
    rf"|(?:<=|>=|<|>)[ \t]*{_V_RELEASE}{_V_SUFFIX})"
)
# A PEP 508 name (packaging's IDENTIFIER, ending in a letter or digit); blanks only where
# packaging's tokenizer skips them. Group 1: the name, 2: the specifiers, 3: the marker text.
_IDENTIFIER = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_FAST_REQUIREMENT_RE = re.compile(
    rf"({_IDENTIFIER})[ \t]*"
    rf"(?:\[[ \t]*(?:{_IDENTIFIER}(?:[ \t]*,[ \t]*{_IDENTIFIER})*)?[ \t]*\][ \t]*)?"
    rf"((?:{_SPEC}(?:[ \t]*,[ \t]*{_SPEC})*)?)[ \t]*"
    r"(?:;(.*))?",
    re.IGNORECASE | re.ASCII,
)
# A subset of _FAST_REQUIREMENT_RE's language with the same reading: one specifier with a
# plain release version (`~=` needing two segments), or two where the second is `<`/`<=`
# (the caller takes only a `>=`/`>` first one).
# Group 1: the name, 2-3: operator and version, 4-5: the upper bound, 6: the marker text.
# No IGNORECASE: nothing here has a case the classes do not spell out.
_RELEASE = r"[0-9]+(?:\.[0-9]+)*"
_COMMON_RE = re.compile(
    rf"({_IDENTIFIER})[ \t]*"
    rf"(?:\[[ \t]*(?:{_IDENTIFIER}(?:[ \t]*,[ \t]*{_IDENTIFIER})*)?[ \t]*\][ \t]*)?"
    rf"(==|!=|>=|<=|<|>|~=(?=[ \t]*[0-9]+\.[0-9]))[ \t]*({_RELEASE})"
    rf"(?:[ \t]*,[ \t]*(<=|<)[ \t]*({_RELEASE}))?[ \t]*"
    r"(?:;(.*))?",
    re.ASCII,
)
# `name[extras] @ URL [; marker]` as packaging's tokenizer reads it: the name and extras as in
# _FAST_REQUIREMENT_RE, the URL its `\S+` (Unicode blanks end it there too: no ASCII flag) up to
# the first `;`, where pip cuts the marker off before packaging sees the text (so `URL;marker`
# is a URL and a marker to pip, though packaging would read one URL), then the end or blanks
# and the end, or `;` and the marker (checked by `_marker_valid`).
# Group 1: the name, 2: the URL, 3: the marker text.
_AT_URL_RE = re.compile(
    rf"({_IDENTIFIER})[ \t]*"
    rf"(?:\[[ \t]*(?:{_IDENTIFIER}(?:[ \t]*,[ \t]*{_IDENTIFIER})*)?[ \t]*\][ \t]*)?"
    r"@[ \t]*([^\s;]+)(?:[ \t]*;(.*)|[ \t]*)"
)
# Marker text (after the `;`) -> whether packaging accepts it. Few distinct markers occur, so
# each is parsed by packaging once; the bound only guards against pathological inputs.
_MARKER_VALID: dict[str, bool] = {}
_MARKER_CACHE_SIZE = 4096


def _fast_requirement_info(text: str) -> Optional[PinInfo]:
    """`_requirement_info` for the common shapes, or None when packaging must decide."""
    fast = _fast_requirement(text)
    if fast is None:
        return None
    name, level, wildcard, shown = fast
    return PinInfo(name, level, wildcard=wildcard, specifier=shown)


def _no_blank_run(text: str) -> bool:
    """No two blanks in a row before the trailing ones: the fast patterns stay linear."""
    return ("  " not in text and "\t" not in text) or _BLANK_RUN.search(text.rstrip(" \t")) is None


def _fast_requirement(text: str) -> Optional[tuple[str, PinLevel, bool, str]]:
    """(name, level, wildcard, specifier text) as packaging would read `text`, or None."""
    if not _no_blank_run(text):
        return None  # see `analyse`: packaging reads it
    match = _FAST_REQUIREMENT_RE.fullmatch(text)
    if match is None:
        return None
    name, specifiers, marker = match.groups()
    if marker is not None and not _marker_valid(marker):
        return None  # packaging words the error
    if not specifiers:
        return normalise_name(name), _ANY, False, ""
    if "," not in specifiers:
        # One specifier (most lines): its operator, as `Specifier.__init__` splits it. The
        # pattern leaves no blank around the group and only `[ \t]` after the operator; the
        # second character is `=` exactly for the two-character operators (no version starts
        # with `=`). Its level as `_pairs_level` would give it, without the pairs.
        if specifiers.startswith("==="):
            operator = "==="
        elif specifiers[1] == "=":
            operator = specifiers[:2]
        else:
            operator = specifiers[0]
        version = specifiers[len(operator) :].strip()
        if operator == "==" and version.endswith(".*"):
            return normalise_name(name), _BOUNDED, True, operator + version
        return normalise_name(name), _SINGLE_LEVEL[operator], False, operator + version
    pairs: list[tuple[str, str]] = []
    for spec in specifiers.split(","):
        # As `Specifier.__init__` splits a specifier into operator and version.
        spec = spec.strip()
        if spec.startswith("==="):
            operator, version = spec[:3], spec[3:].strip()
        elif spec.startswith(("~=", "==", "!=", "<=", ">=")):
            operator, version = spec[:2], spec[2:].strip()
        else:
            operator, version = spec[:1], spec[1:].strip()
        pairs.append((operator, version))
    if len(pairs) == 1:
        shown = operator + version  # `str(SpecifierSet)` of one specifier: as written
    elif len({operator for operator, _ in pairs}) < len(pairs):
        # `str(SpecifierSet)` drops specifiers equal after version normalisation
        # (`>=1.0,>=1`): leave that to packaging. Distinct operators never compare equal.
        return None
    else:
        shown = ",".join(sorted([operator + version for operator, version in pairs]))  # sorted by text
    level, wildcard = _pairs_level(pairs)
    return normalise_name(name), level, wildcard, shown


# The level one specifier gives, by operator (`==X.*` aside), as `_pairs_level` reads it.
_SINGLE_LEVEL = {
    "===": _EXACT,
    "==": _EXACT,
    "~=": _BOUNDED,
    ">=": _FLOOR,
    ">": _FLOOR,
    "<=": _CONSTRAINED,
    "<": _CONSTRAINED,
    "!=": _CONSTRAINED,
}


def _marker_valid(marker: str) -> bool:
    valid = _MARKER_VALID.get(marker)
    if valid is None:
        from packaging.requirements import Requirement

        try:
            # The marker as packaging reads it after a requirement's `;` (the same tokenizer
            # state whatever came before the `;`), extra-value normalisation included.
            Requirement("a;" + marker)
        except Exception:  # invalid, or anything else: the slow path reproduces it
            valid = False
        else:
            valid = True
        if len(_MARKER_VALID) >= _MARKER_CACHE_SIZE:
            _MARKER_VALID.clear()
        _MARKER_VALID[marker] = valid
    return valid


def specifier_info(name: Optional[str], specifier: object) -> PinInfo:
    """Level of a `packaging.specifiers.SpecifierSet`."""
    pairs = [(spec.operator, spec.version) for spec in specifier]  # type: ignore[attr-defined]
    return _specifier_pairs_info(name, pairs, str(specifier))


def _specifier_pairs_info(name: Optional[str], pairs: Sequence[tuple[str, str]], shown: str) -> PinInfo:
    """Level of specifiers given as (operator, version) pairs; `shown` is their text."""
    level, wildcard = _pairs_level(pairs)
    return PinInfo(name, level, wildcard=wildcard, specifier=shown)


def _pairs_level(pairs: Sequence[tuple[str, str]]) -> tuple[PinLevel, bool]:
    """The level of (operator, version) pairs, and whether a `==X.*` wildcard gives it."""
    wildcard = False
    lower = upper = exact = False
    for operator, version in pairs:
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
        level = _EXACT
    elif lower and upper:
        level = _BOUNDED
    elif lower:
        level = _FLOOR
    elif pairs:
        level = _CONSTRAINED
    else:
        level = _ANY
    return level, wildcard and not exact


def _egg_name(url: str) -> Optional[str]:
    """The normalised project name of a URL's `#egg=` fragment, or None."""
    fragment = url.split("#", 1)[1] if "#" in url else ""
    egg = re.search(r"(?:^|&)egg=([^&]+)", fragment)
    return normalise_name(egg.group(1).split("[")[0]) if egg else None


def _repository_name(url: str) -> Optional[str]:
    """The project a VCS URL most likely holds: its last path segment, less `.git` and the
    `@ref` (what a checkout's directory is called; pip learns the real name only by building)."""
    without_fragment = url.split("#", 1)[0].split("?", 1)[0]
    after_scheme = without_fragment.split("://", 1)[1] if "://" in without_fragment else without_fragment
    path = after_scheme.split("/", 1)[1] if "/" in after_scheme else ""
    segment = path.rsplit("@", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    if segment.lower().endswith(".git"):
        segment = segment[:-4]
    match = re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?", segment)
    return normalise_name(segment) if match else None


# pip's `Link._egg_fragment`: the value after `egg=` must be a PEP 508 project name and
# nothing else; pip 26 refuses the URL otherwise (23.x to 25.x only warned: "gone in 26.0").
_EGG_VALUE_RE = re.compile(r"[#&]egg=([^&]*)")
_PROJECT_NAME_RE = re.compile(r"[A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9]", re.I)


def _invalid_egg_info(name: Optional[str], url: str) -> Optional[PinInfo]:
    """The reading of a URL whose `egg=` pip refuses, or None when it has none or a valid one."""
    egg_value = _EGG_VALUE_RE.search(url)
    if egg_value is None or _PROJECT_NAME_RE.fullmatch(egg_value.group(1)):
        return None
    value = egg_value.group(1)
    return PinInfo(
        name or _egg_name(url),
        _ANY,
        invalid=f"`{url}` is not a valid URL for pip: its `#egg=` must be a project name alone"
        + (f" (it is `{value}`)" if value else " (it is empty)"),
    )


def _url_info(name: Optional[str], url: str) -> PinInfo:
    scheme = url.split(":", 1)[0].lower()
    fragment = url.split("#", 1)[1] if "#" in url else ""
    if "egg=" in url:
        refused = _invalid_egg_info(name, url)
        if refused is not None:
            return refused
    if name is None:
        name = _egg_name(url)
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
        return PinInfo(name, PinLevel.EXACT if immutable else PinLevel.ANY, vcs_url=url, mutable_ref=None if immutable else (ref or ""))
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
    return PinInfo(
        name, PinLevel.HASHED if strong else PinLevel.EXACT, url_without_hash=not strong, weak_hashes=weak, has_strong_hash=strong
    )


def _vcs_ref(url: str) -> Optional[str]:
    without_fragment = url.split("#", 1)[0]
    after_scheme = without_fragment.split("://", 1)[1] if "://" in without_fragment else without_fragment
    path = after_scheme.split("/", 1)[1] if "/" in after_scheme else ""
    if "@" not in path:
        return None
    return path.rsplit("@", 1)[1] or None


def _split_hashes(hashes: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    # Usual case first: every value `sha256:<digest>` (or sha384/sha512), all strong.
    # (`map` keeps both tests in C: every value has a strong prefix and a digest after it.)
    if all(map(str.startswith, hashes, repeat(_STRONG_PREFIXES))) and min(map(len, hashes)) > 7:
        return tuple(hashes), (), ()
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


_NO_HASHES: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] = ((), (), ())


def _with_hashes(info: PinInfo, strong: tuple[str, ...], weak: tuple[str, ...], malformed: tuple[str, ...]) -> PinInfo:
    if not (strong or weak or malformed):
        return info  # nothing to add: a copy would be equal
    level = info.level
    has_strong = info.has_strong_hash or bool(strong)
    if strong and level == _EXACT:
        level = _HASHED
    # What `dataclasses.replace` would build, without its per-call field introspection.
    return PinInfo(
        info.name,
        level,
        info.first_party,
        info.local_file,
        info.wildcard,
        info.vcs_url,
        info.mutable_ref,
        info.url_without_hash and not has_strong,
        info.weak_hashes + weak,
        info.malformed_hashes + malformed,
        has_strong,
        info.dynamic,
        info.invalid,
        info.specifier,
    )


def _dynamic_name(text: str) -> Optional[str]:
    """The project a text holding a variable names: a bare URL's `#egg=` or repository, else
    the leading name (`name @ URL`, `name==${V}`)."""
    if _URL_RE.match(text):
        url = text.split(None, 1)[0]
        if "+" in url.split(":", 1)[0]:
            return _egg_name(url) or _repository_name(url)
        return _egg_name(url) or _artifact_name(url.split("#", 1)[0].split("?", 1)[0])
    return _leading_name(text)


# What a requirement's name may be followed by: extras, a specifier, a marker, `@`, blanks.
_REQUIREMENT_START = re.compile(r"\s*[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?(?:$|[\s\[(<>=!~;@,{$])")
QUOTE_LIMIT = 60


def quoted_requirement(text: str, upto: Optional[int] = None) -> str:
    """How a message shows a line that is no valid requirement: in backticks when it starts
    like one, up to where it stops being one (`upto`) and at most `QUOTE_LIMIT` characters;
    else not at all.

    Such a line may be anything a file holds (a `-r` that named the wrong file, a `.netrc`
    or password line): findings go to CI logs and code scanning, so they never repeat more
    of it than the reader needs to find it.
    """
    if not (_REQUIREMENT_START.match(text) or _URL_RE.match(text) or text.lstrip().startswith((".", "/", "~", "-"))):
        return "this line (not shown: it does not start like a requirement)"
    shown = text if upto is None else text[:upto].rstrip()
    cut = len(shown) < len(text.rstrip())
    if len(shown) > QUOTE_LIMIT:
        shown, cut = shown[: QUOTE_LIMIT - 3], True
    return f"`{shown}...`" if cut else f"`{shown}`"


def _error_column(message: list[str]) -> Optional[int]:
    """Where packaging stopped reading: its message ends with the text and a `^` under it."""
    if len(message) >= 3 and "^" in message[-1]:
        return max(0, message[-1].index("^") - (len(message[-2]) - len(message[-2].lstrip())))
    return None


def _leading_name(text: str) -> Optional[str]:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", text)
    return normalise_name(match.group(1)) if match else None
