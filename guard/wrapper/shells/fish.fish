# guard: route pip through `guard pip` (GUARD_PIP_WRAPPER). Remove: see `guard shell-init --uninstall`.
function __guard_pip --description 'run pip after guard checks where it would install'
    set -l name $argv[1]
    set -e argv[1]
    # Fast path, no Python started: pip's own completion, or the pip of the active venv.
    if set -q PIP_AUTO_COMPLETE
        command $name $argv
        return $status
    end
    if set -q VIRTUAL_ENV
        set -l found (command -s $name)
        if string match -q -- "$VIRTUAL_ENV/bin/*" "$found"; or string match -q -- "$VIRTUAL_ENV/Scripts/*" "$found"
            command $name $argv
            return $status
        end
    end
    set -l rc 127
    if command -q guard
        GUARD_SHELL=fish command guard pip --check-only --as $name -- $argv
        set rc $status
    end
    if test $rc -ge 101 -a $rc -le 119  # guard ran pip in the project's venv
        return (math $rc - 101)
    end
    switch $rc
        case 0
        case 100
            return 1
        case 130
            return 130
        case '*'
            printf 'guard: not available (status %s); running %s unchecked\n' $rc $name >&2
    end
    command $name $argv
end
@FUNCTIONS@
