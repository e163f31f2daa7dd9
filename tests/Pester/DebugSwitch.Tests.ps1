# -Debug never stops a command to ask. PowerShell has a compiled cmdlet's verbose and warning records ask "Continue with
# this operation?" under -Debug; in a run that cannot answer (scheduled, -NonInteractive, redirected) the prompt fails and
# ends the command, losing the files after it. The module sends those lines to the debug stream instead, unless -Verbose
# or -WarningAction is given as well.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-KMeansPSModulePath) -Force
    $script:dir = Join-Path $TestDrive 'debug'
    New-Item -ItemType Directory -Path $script:dir | Out-Null
    New-TestImageSet -Path $script:dir

    # Runs $Script in a -NonInteractive child pwsh with the module imported and $a (a hashtable) given; returns its
    # output lines and exit code. Records of every stream are turned into 'Type|Message' lines by the script itself.
    function script:Invoke-NonInteractive([string] $Script, [hashtable] $Arguments) {
        $encoded = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes((ConvertTo-Json $Arguments -Compress)))
        $prelude = "`$ErrorActionPreference = 'Continue'; Import-Module '$(Get-KMeansPSModulePath)'; " +
            "`$a = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('$encoded')) | ConvertFrom-Json; " +
            "function Show([object[]] `$records) { foreach (`$r in `$records) { '{0}|{1}' -f `$r.GetType().Name, `$(if (`$r -is [Management.Automation.InformationalRecord] -or `$r -is [Management.Automation.ErrorRecord]) { `"`$r`" } else { `$r.ToString() }) } }; "
        $lines = & (Get-ChildPwshPath) -NoProfile -NonInteractive -Command ($prelude + $Script) 2>&1
        @{ Lines = @($lines | ForEach-Object { "$_" }); ExitCode = $LASTEXITCODE }
    }
}

AfterAll {
    Remove-Module KMeansPS -ErrorAction SilentlyContinue
}

Describe '-Debug in a run that cannot answer a prompt' {
    It 'Compress-ImageKMeans writes every file, with its report and stage times as debug lines' {
        $out = Join-Path $script:dir 'out'
        New-Item -ItemType Directory -Path $out | Out-Null
        $run = Invoke-NonInteractive 'Show @(Compress-ImageKMeans -LiteralPath $a.one, $a.two -K 8 -Seed 1 -Destination $a.out -Debug 5>&1 4>&1 3>&1)' @{
            one = (Join-Path $script:dir 'photo.png'); two = (Join-Path $script:dir 'logo.png'); out = $out
        }
        $run.ExitCode | Should -Be 0
        $run.Lines | Where-Object { $_ -like 'ErrorRecord|*' -or $_ -like '*Continue with this operation*' -or $_ -like '*NonInteractive*' } | Should -BeNullOrEmpty
        @($run.Lines -like 'DebugRecord|*stage times*').Count | Should -Be 2
        @($run.Lines -like "DebugRecord|*K 8 asked*").Count | Should -Be 2
        @($run.Lines -like 'VerboseRecord|*').Count | Should -Be 0
        @(Get-ChildItem $out -Filter *.png).Count | Should -Be 2
    }

    It 'Invoke-KMeans goes on past a warning and its verbose lines, all as debug lines' {
        # Three distinct points and K = 5: the fit lowers K and warns.
        $run = Invoke-NonInteractive 'Show @(1..30 | ForEach-Object { [pscustomobject]@{ X = $_ % 3; Y = 1 } } | Invoke-KMeans -K 5 -Seed 1 -Debug 5>&1 4>&1 3>&1); "done"' @{}
        $run.ExitCode | Should -Be 0
        $run.Lines | Where-Object { $_ -like 'ErrorRecord|*' -or $_ -like 'WarningRecord|*' -or $_ -like 'VerboseRecord|*' } | Should -BeNullOrEmpty
        @($run.Lines -like 'DebugRecord|WARNING: *distinct*').Count | Should -Be 1
        @($run.Lines -like 'DebugRecord|*clustering on X, Y*').Count | Should -Be 1
        @($run.Lines -like 'DebugRecord|K=3:*').Count | Should -Be 1
        $run.Lines[-1] | Should -Be 'done'
    }

    It 'New-SyntheticClusterData and Measure-KMeans run to the end under -Debug' {
        $run = Invoke-NonInteractive '$p = New-SyntheticClusterData -Debug 5>$null; Show @($p | Measure-KMeans -K 2, 3 -Seed 1 -Debug 5>&1 4>&1 3>&1); "points $($p.Count)"' @{}
        $run.ExitCode | Should -Be 0
        $run.Lines | Where-Object { $_ -like 'ErrorRecord|*' -or $_ -like '*NonInteractive*' } | Should -BeNullOrEmpty
        @($run.Lines -like 'KMeansMeasurement|*').Count | Should -Be 2
        $run.Lines[-1] | Should -Match '^points \d+$'
    }
}

Describe '-Debug with -Verbose or -WarningAction' {
    It 'keeps verbose lines and warnings in their own streams when those are asked for too' {
        $points = 1..30 | ForEach-Object { [pscustomobject]@{ X = $_ % 3; Y = 1 } }
        $records = @($points | Invoke-KMeans -K 5 -Seed 1 -Debug -Verbose -WarningAction Continue -WarningVariable warned 5>&1 4>&1 3>&1)
        @($records | Where-Object { $_ -is [Management.Automation.VerboseRecord] -and $_.Message -like 'K=3:*' }).Count | Should -Be 1
        @($records | Where-Object { $_ -is [Management.Automation.WarningRecord] -and $_.Message -like '*distinct*' }).Count | Should -Be 1
        @($warned).Count | Should -Be 1
        @($records | Where-Object { $_ -is [Management.Automation.DebugRecord] -and $_.Message -like 'WARNING: *' }).Count | Should -Be 0
    }

    It 'without -Debug, verbose lines and warnings are where they always were' {
        $points = 1..30 | ForEach-Object { [pscustomobject]@{ X = $_ % 3; Y = 1 } }
        $records = @($points | Invoke-KMeans -K 5 -Seed 1 -Verbose -WarningVariable warned -WarningAction SilentlyContinue 5>&1 4>&1)
        @($records | Where-Object { $_ -is [Management.Automation.VerboseRecord] -and $_.Message -like 'K=3:*' }).Count | Should -Be 1
        @($records | Where-Object { $_ -is [Management.Automation.DebugRecord] }).Count | Should -Be 0
        @($warned).Count | Should -Be 1
    }
}
