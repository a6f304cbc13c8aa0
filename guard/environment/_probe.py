"""Facts about one interpreter, gathered inside that interpreter.

This file is imported in-process for the running interpreter and its *source text* is sent
with `-c` to any other interpreter, so it must stay valid Python 2.7 and 3.6+: no f-strings,
no annotations (type comments only), standard library only, no import of user code.
"""

import os
import sys

# Importing typing costs a probe several milliseconds and does not exist on 2.7: the type
# comments below are for mypy only, which treats `TYPE_CHECKING` as true.
TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict, Mapping, Optional  # noqa: F401

PROBE_VERSION = 1
_MARKER_LIMIT = 16384


def _read_text(path, limit=_MARKER_LIMIT):
    # type: (str, int) -> Optional[str]
    try:
        handle = open(path, "rb")
        try:
            data = handle.read(limit)
        finally:
            handle.close()
    except (IOError, OSError):
        return None
    return data.decode("utf-8", "replace")


def _writable(path):
    # type: (str) -> bool
    # pip creates missing site dirs, so what counts is the nearest existing ancestor.
    current = path
    while current and not os.path.exists(current):
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    return bool(current) and os.access(current, os.W_OK)


def _realpath(path):
    # type: (Optional[str]) -> Optional[str]
    if not path:
        return path
    try:
        return os.path.realpath(path)
    except (OSError, ValueError):
        return path


def _pyvenv_cfg(prefix):
    # type: (str) -> Dict[str, Any]
    path = os.path.join(prefix, "pyvenv.cfg")
    text = _read_text(path)
    values = {}  # type: Dict[str, str]
    if text is not None:
        for line in text.splitlines():
            if "=" in line:
                key, _, value = line.partition("=")
                values[key.strip().lower()] = value.strip()
    return {"path": path, "exists": text is not None, "values": values}


def _prefix_markers(prefix):
    # type: (str) -> Dict[str, bool]
    def exists(*parts):
        # type: (*str) -> bool
        return os.path.exists(os.path.join(prefix, *parts))

    return {
        "conda_meta": exists("conda-meta"),
        "pixi": exists("conda-meta", "pixi"),
        "envs_dir": os.path.isdir(os.path.join(prefix, "envs")),
        "pipx_metadata": exists("pipx_metadata.json"),
        "uv_receipt": exists("uv-receipt.toml"),
    }


def _executable_home(executable):
    # type: (str) -> Dict[str, Any]
    # A venv whose pyvenv.cfg was deleted starts as its base interpreter (sys.prefix is the
    # base), so the only trace left is the layout around the executable.
    exe_dir = os.path.dirname(executable) if executable else ""
    home = os.path.dirname(exe_dir) if exe_dir else ""
    names = ("activate", "activate.bat", "Activate.ps1")
    return {
        "bin_dir": exe_dir,
        "home": home,
        "pyvenv_cfg": bool(home)
        and (os.path.exists(os.path.join(home, "pyvenv.cfg")) or os.path.exists(os.path.join(exe_dir, "pyvenv.cfg"))),
        "activate": bool(exe_dir) and any(os.path.exists(os.path.join(exe_dir, n)) for n in names),
    }


def _user_scheme(framework):
    # type: (str) -> str
    import sysconfig

    get_preferred = getattr(sysconfig, "get_preferred_scheme", None)
    if get_preferred is not None:
        return str(get_preferred("user"))
    if os.name == "nt":
        return "nt_user"
    if sys.platform == "darwin" and framework:
        return "osx_framework_user"
    return "posix_user"


def _default_scheme():
    # type: () -> str
    import sysconfig

    getter = getattr(sysconfig, "get_default_scheme", None) or getattr(sysconfig, "_get_default_scheme", None)
    try:
        return str(getter()) if getter is not None else ""
    except Exception:  # noqa: BLE001 - a distro patch may raise anything
        return ""


def _ids():
    # type: () -> Dict[str, Optional[int]]
    def call(name):
        # type: (str) -> Optional[int]
        func = getattr(os, name, None)
        return int(func()) if func is not None else None

    return {
        "uid": call("getuid"),
        "euid": call("geteuid"),
        "gid": call("getgid"),
        "egid": call("getegid"),
    }


def _pip_version():
    # type: () -> Optional[str]
    """The version of the pip this interpreter imports, from its `pip-X.Y.dist-info` folder on
    sys.path (pip itself is not imported: it is slow, and the probe must not run it)."""
    for entry in sys.path:
        if not entry:
            continue  # the working directory (`-c`): the project's, not the interpreter's
        try:
            names = os.listdir(entry)
        except (OSError, TypeError):
            continue
        for name in names:
            if name.startswith("pip-") and name.endswith((".dist-info", ".egg-info")):
                return name[len("pip-") :].rsplit(".", 1)[0].split("-")[0]
        if "pip" in names:
            return None  # pip found without its metadata: the version is unknown
    return None


def gather(environ=None):
    # type: (Optional[Mapping[str, str]]) -> Dict[str, Any]
    """Everything guard needs to know about this interpreter, as JSON-able data."""
    import site
    import sysconfig

    env = os.environ if environ is None else environ
    executable = sys.executable or ""
    prefix = sys.prefix
    # `real_prefix` is what virtualenv < 20 set instead of `base_prefix`.
    base_prefix = str(getattr(sys, "real_prefix", None) or getattr(sys, "base_prefix", prefix))
    framework = sysconfig.get_config_var("PYTHONFRAMEWORK") or ""
    scheme = _default_scheme()
    paths = sysconfig.get_paths()
    stdlib = paths.get("stdlib", "")
    pyvenv = _pyvenv_cfg(prefix)
    in_venv = prefix != base_prefix

    user_base = site.getuserbase() if hasattr(site, "getuserbase") else None
    user_site = site.getusersitepackages() if hasattr(site, "getusersitepackages") else None
    user_scheme = _user_scheme(framework)
    user_scripts = None  # type: Optional[str]
    if user_base:
        try:
            user_scripts = sysconfig.get_path("scripts", user_scheme, {"userbase": user_base})
        except (KeyError, ValueError):
            user_scripts = None

    ids = _ids()
    # The probe runs with -s, so site.ENABLE_USER_SITE says nothing about a later pip run:
    # redo site.check_enableusersite() and site.venv() for an ordinary start instead.
    if in_venv:
        system_site = pyvenv["values"].get("include-system-site-packages", "false")
        enable_user_site = system_site.lower() == "true"
    else:
        enable_user_site = True
    if env.get("PYTHONNOUSERSITE"):
        enable_user_site = False
    if ids["uid"] is not None and (ids["uid"] != ids["euid"] or ids["gid"] != ids["egid"]):
        enable_user_site = False

    marker_path = os.path.join(stdlib, "EXTERNALLY-MANAGED") if stdlib else ""
    marker_text = _read_text(marker_path) if marker_path else None

    implementation = getattr(sys, "implementation", None)
    return {
        "probe_version": PROBE_VERSION,
        "pip_version": _pip_version(),
        "executable": executable,
        "executable_realpath": _realpath(executable),
        "executable_home": _executable_home(executable),
        "prefix": prefix,
        "prefix_realpath": _realpath(prefix),
        "base_prefix": base_prefix,
        "base_prefix_realpath": _realpath(base_prefix),
        "exec_prefix": sys.exec_prefix,
        "base_exec_prefix": getattr(sys, "base_exec_prefix", sys.exec_prefix),
        "real_prefix": getattr(sys, "real_prefix", None),
        "in_venv": in_venv,
        "version": list(sys.version_info[:3]),
        "version_string": sys.version.split()[0],
        "implementation": implementation.name if implementation is not None else "cpython",
        "platform": sys.platform,
        "os_name": os.name,
        "sysconfig_platform": sysconfig.get_platform(),
        "framework": getattr(sys, "_framework", None),
        "pythonframework": framework,
        "pythonframeworkprefix": sysconfig.get_config_var("PYTHONFRAMEWORKPREFIX") or "",
        "stdlib": stdlib,
        "default_scheme": scheme,
        "purelib": paths.get("purelib", ""),
        "platlib": paths.get("platlib", ""),
        "scripts": paths.get("scripts", ""),
        "data": paths.get("data", ""),
        "purelib_writable": _writable(paths.get("purelib", "")),
        "scripts_writable": _writable(paths.get("scripts", "")),
        "user_base": user_base,
        "user_site": user_site,
        "user_scheme": user_scheme,
        "user_scripts": user_scripts,
        "enable_user_site": enable_user_site,
        "site_enable_user_site_flag": getattr(site, "ENABLE_USER_SITE", None),
        "marker": {
            "path": marker_path,
            "exists": marker_text is not None,
            "text": marker_text,
        },
        "pyvenv_cfg": pyvenv,
        "prefix_markers": _prefix_markers(prefix),
        "base_prefix_markers": _prefix_markers(base_prefix),
        "ids": ids,
    }


def refresh(facts, environ=None):
    # type: (Dict[str, Any], Optional[Mapping[str, str]]) -> Dict[str, Any]
    """Recompute the parts of cached facts that depend on the disk, not the interpreter."""
    env = os.environ if environ is None else environ
    updated = dict(facts)
    updated["purelib_writable"] = _writable(facts.get("purelib") or "")
    updated["scripts_writable"] = _writable(facts.get("scripts") or "")
    marker_path = (facts.get("marker") or {}).get("path") or ""
    marker_text = _read_text(marker_path) if marker_path else None
    updated["marker"] = {"path": marker_path, "exists": marker_text is not None, "text": marker_text}
    updated["pyvenv_cfg"] = _pyvenv_cfg(facts["prefix"])
    updated["prefix_markers"] = _prefix_markers(facts["prefix"])
    updated["base_prefix_markers"] = _prefix_markers(facts["base_prefix"])
    updated["executable_home"] = _executable_home(facts.get("executable") or "")
    ids = _ids()
    updated["ids"] = ids
    enable = facts.get("enable_user_site")
    if env.get("PYTHONNOUSERSITE") or (ids["uid"] is not None and (ids["uid"] != ids["euid"] or ids["gid"] != ids["egid"])):
        enable = False
    updated["enable_user_site"] = enable
    return updated


def _main():
    # type: () -> None
    import json

    sys.stdout.write(json.dumps(gather(), sort_keys=True))
    sys.stdout.write("\n")
    sys.stdout.flush()
