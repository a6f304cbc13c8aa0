# guard: route pip through `guard pip` (GUARD_PIP_WRAPPER). Remove: see `guard shell-init --uninstall`.
_guard_pip() {
  emulate -L zsh
  local _guard_name="$1" _guard_rc
  shift
  # Fast path, no Python started: pip's own completion, or the pip of the active venv.
  if [[ -n "${PIP_AUTO_COMPLETE-}" ]]; then command "$_guard_name" "$@"; return; fi
  if [[ -n "${VIRTUAL_ENV-}" ]]; then
    case "${commands[$_guard_name]}" in
      "$VIRTUAL_ENV"/bin/*|"$VIRTUAL_ENV"/Scripts/*) command "$_guard_name" "$@"; return ;;
    esac
  fi
  if (( ${+commands[guard]} )); then
    GUARD_SHELL=zsh command guard pip --check-only --as "$_guard_name" -- "$@"
    _guard_rc=$?
  else
    _guard_rc=127
  fi
  case "$_guard_rc" in
    0) ;;
    100) return 1 ;;
    130) return 130 ;;
    10[1-9]|11[0-9]) return $((_guard_rc - 101)) ;;  # guard ran pip in the project's venv
    *) print -u2 -r -- "guard: not available (status $_guard_rc); running $_guard_name unchecked" ;;
  esac
  command "$_guard_name" "$@"
}
@FUNCTIONS@
