# guard: route pip through `guard pip` (GUARD_PIP_WRAPPER). Remove: see `guard shell-init --uninstall`.
function global:__guard_pip {
    $name = $args[0]
    $rest = @($args | Select-Object -Skip 1)
    $pip = Get-Command -Name $name -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    # Fast path, no Python started: pip's own completion, or the pip of the active venv.
    if ($pip -and ($env:PIP_AUTO_COMPLETE -or ($env:VIRTUAL_ENV -and $pip.Source.StartsWith($env:VIRTUAL_ENV)))) {
        & $pip.Source @rest
        return
    }
    $rc = 127
    $guard = Get-Command -Name guard -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($guard) {
        $shellBefore = $env:GUARD_SHELL
        $env:GUARD_SHELL = 'powershell'
        & $guard.Source pip --check-only --as $name -- @rest
        $rc = $LASTEXITCODE
        $env:GUARD_SHELL = $shellBefore
    }
    if ($rc -eq 100) { $global:LASTEXITCODE = 1; return }
    if ($rc -eq 130) { $global:LASTEXITCODE = 130; return }
    # guard ran pip in the project's venv
    if ($rc -ge 101 -and $rc -le 119) { $global:LASTEXITCODE = $rc - 101; return }
    if ($rc -ne 0) { [Console]::Error.WriteLine("guard: not available (status $rc); running $name unchecked") }
    if (-not $pip) {
        Write-Error "${name}: The term '$name' is not recognized as a name of a cmdlet, function, script file, or executable program."
        $global:LASTEXITCODE = 127
        return
    }
    & $pip.Source @rest
}
@FUNCTIONS@
