# guard: route pip through `guard pip` (GUARD_PIP_WRAPPER). Remove: see `guard shell-init --uninstall`.
_guard_pip() {
  local _guard_name="$1" _guard_rc _guard_where=
  shift
  # Fast path, no Python started: pip's own completion, or the pip of the active venv
  # (found through bash's command hash, BASH_CMDS, so that not even a subshell is forked).
  if [ -n "${PIP_AUTO_COMPLETE-}" ]; then command "$_guard_name" "$@"; return; fi
  if [ -n "${VIRTUAL_ENV-}" ] && hash "$_guard_name" 2>/dev/null; then
    _guard_where="${BASH_CMDS[$_guard_name]-}"
    [ -n "$_guard_where" ] || _guard_where="$(type -P "$_guard_name")"
    case "$_guard_where" in
      "$VIRTUAL_ENV"/bin/*|"$VIRTUAL_ENV"/Scripts/*) command "$_guard_name" "$@"; return ;;
    esac
  fi
  if command -v guard >/dev/null 2>&1; then
    GUARD_SHELL=bash command guard pip --check-only --as "$_guard_name" -- "$@"
    _guard_rc=$?
  else
    _guard_rc=127
  fi
  case "$_guard_rc" in
    0) ;;
    100) return 1 ;;
    130) return 130 ;;
    10[1-9]|11[0-9]) return $((_guard_rc - 101)) ;;  # guard ran pip in the project's venv
    *) printf 'guard: not available (status %s); running %s unchecked\n' "$_guard_rc" "$_guard_name" >&2 ;;
  esac
  command "$_guard_name" "$@"
}
@FUNCTIONS@
