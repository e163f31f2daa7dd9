# -WhatIf over an existing plot file must say what the run does with it: refuse it (the same error), leave it as it is
# (the same plot: a scheduled rerun), or replace it (the same plot cut short, or -Force). For every command with a plot
# output and every kind of file found there, the call is made under -WhatIf, then for real, and the two are compared.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-KMeansPSModulePath) -Force

    # What a caller sees of $Action: the terminating error, the other errors, the output, the "What if:" lines (written
    # to the host, so read from a transcript, with the host's line breaks taken out).
    function Invoke-Observed([scriptblock] $Action) {
        $transcript = Join-Path $TestDrive "transcript-$([guid]::NewGuid()).txt"
        $thrown = $null
        $all = @()
        $null = Start-Transcript -LiteralPath $transcript
        try { $all = @(& $Action 2>&1) } catch { $thrown = $_ } finally { $null = Stop-Transcript }
        $text = (Get-Content -Raw -LiteralPath $transcript) -replace "`e\[[0-9;]*m", '' -replace '\r?\n', ''
        [pscustomobject]@{
            Thrown = $thrown
            Errors = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            Output = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
            WhatIf = [regex]::Matches($text, 'What if: Performing the operation "(.*?)" on target') | ForEach-Object { $_.Groups[1].Value }
        }
    }

    # Each error as one line: id, category, target and message, so two calls' errors compare whole.
    function Get-ErrorLines($Observed) {
        @(@($Observed.Thrown) + $Observed.Errors | Where-Object { $_ } |
                ForEach-Object { "$($_.FullyQualifiedErrorId) | $($_.CategoryInfo.Category) | $($_.TargetObject) | $($_.Exception.Message)" })
    }

    function Get-Hash([string] $Path) { if (Test-Path -LiteralPath $Path) { (Get-FileHash -LiteralPath $Path).Hash } }

    $script:image = Join-Path $TestDrive 'photo.png'
    $null = New-TestPng -Path $script:image -Width 48 -Height 32
    $script:otherImage = Join-Path $TestDrive 'other.png'
    $null = New-TestPng -Path $script:otherImage -Width 48 -Height 32 -Colors 5

    # The calls, by command: & $Calls[$Command] $Path $Variant [-Force]. Variant 'this' is the call under test; the
    # others draw another plot (other data or other settings) at the same name.
    $script:Calls = @{
        'Export-ClusterPlot' = {
            [CmdletBinding()] param($Path, $Variant, [switch] $Force, [switch] $WhatIf)
            $seed = if ($Variant -eq 'data') { 7 } else { 3 }
            $title = if ($Variant -eq 'settings') { 'another title' } else { 'plot' }
            New-SyntheticClusterData 60 -Seed $seed | Export-ClusterPlot $Path -Title $title -Width 200 -Height 150 -Force:$Force -WhatIf:$WhatIf
        }
        'Measure-KMeans' = {
            [CmdletBinding()] param($Path, $Variant, [switch] $Force, [switch] $WhatIf)
            $seed = if ($Variant -eq 'data') { 7 } else { 3 }
            $k = if ($Variant -eq 'settings') { 2, 4 } else { 2, 3 }
            New-SyntheticClusterData 60 -Seed $seed | Measure-KMeans -K $k -Seed 1 -PlotPath $Path -Force:$Force -WhatIf:$WhatIf
        }
        'Measure-ImageKMeans' = {
            [CmdletBinding()] param($Path, $Variant, [switch] $Force, [switch] $WhatIf)
            $source = if ($Variant -eq 'data') { $script:otherImage } else { $script:image }
            $k = if ($Variant -eq 'settings') { 2, 4 } else { 2, 3 }
            Measure-ImageKMeans -LiteralPath $source -K $k -Seed 1 -PlotPath $Path -Force:$Force -WhatIf:$WhatIf
        }
    }

    # Puts a file of kind $Kind at $Path for $Command's plot.
    function Set-ExistingFile([string] $Command, [string] $Path, [string] $Kind) {
        $call = $script:Calls[$Command]
        switch ($Kind) {
            'this plot' { $null = & $call $Path 'this' -ErrorAction Stop }
            'this plot cut short' {
                $null = & $call $Path 'this' -ErrorAction Stop
                $bytes = [IO.File]::ReadAllBytes($Path)
                [IO.File]::WriteAllBytes($Path, $bytes[0..([int]($bytes.Length / 2))])
            }
            'a plot of other data' { $null = & $call $Path 'data' -ErrorAction Stop }
            'a plot with other settings' { $null = & $call $Path 'settings' -ErrorAction Stop }
            'a plot of another command' {
                $other = if ($Command -eq 'Export-ClusterPlot') { 'Measure-KMeans' } else { 'Export-ClusterPlot' }
                $null = & $script:Calls[$other] $Path 'this' -ErrorAction Stop
            }
            'a text file' { Set-Content -LiteralPath $Path -Value 'notes' }
            'an image of someone else' {
                if ($Path -like '*.svg') { Set-Content -LiteralPath $Path -Value '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="5" height="5"/></svg>' }
                else { $null = New-TestPng -Path $Path -Width 20 -Height 10 }
            }
        }
    }
}

AfterAll {
    Remove-Module KMeansPS -ErrorAction SilentlyContinue
}

Describe '-WhatIf over an existing plot says what the run does with it' {
    It '<Command> over <Kind> (<Extension>, -Force <Force>)' -ForEach @(
        foreach ($command in 'Export-ClusterPlot', 'Measure-KMeans', 'Measure-ImageKMeans') {
            foreach ($extension in '.png', '.svg') {
                foreach ($kind in 'this plot', 'this plot cut short', 'a plot of other data', 'a plot with other settings',
                    'a plot of another command', 'a text file', 'an image of someone else') {
                    @{ Command = $command; Extension = $extension; Kind = $kind; Force = $false }
                }
                @{ Command = $command; Extension = $extension; Kind = 'a plot of other data'; Force = $true }
            }
        }
    ) {
        $folder = Join-Path $TestDrive ([guid]::NewGuid())
        $null = New-Item -ItemType Directory -Path $folder
        $path = Join-Path $folder "plot$Extension"
        Set-ExistingFile $Command $path $Kind
        $before = Get-Hash $path
        $call = $script:Calls[$Command]

        $whatIf = Invoke-Observed { & $call $path 'this' -Force:$Force -WhatIf }
        Get-Hash $path | Should -Be $before -Because '-WhatIf writes nothing'
        @(Get-ChildItem -LiteralPath $folder -Force).Count | Should -Be 1 -Because '-WhatIf leaves no other file'

        $run = Invoke-Observed { & $call $path 'this' -Force:$Force }
        $written = (Get-Hash $path) -ne $before

        # The same errors, word for word, and the same rows.
        Get-ErrorLines $whatIf | Should -Be (Get-ErrorLines $run)
        $whatIf.Output.Count | Should -Be $run.Output.Count
        $refused = @(Get-ErrorLines $run).Count -gt 0
        if ($refused) {
            $written | Should -BeFalse
            $whatIf.WhatIf | Should -BeNullOrEmpty -Because 'a refused plot is not promised'
        }
        elseif ($written) {
            @($whatIf.WhatIf).Count | Should -Be 1
            $whatIf.WhatIf | Should -Match '^Write .*, replacing the file there$'
        }
        else {
            $whatIf.WhatIf | Should -Be 'Leave it as it is: the same plot is there (the same data, settings and seed)'
        }
        # And the run did what the kind calls for.
        $expected = switch ($Kind) {
            { $Force } { 'written' }
            'this plot' { 'kept' }
            'this plot cut short' { 'written' }
            default { 'refused' }
        }
        $(if ($refused) { 'refused' } elseif ($written) { 'written' } else { 'kept' }) | Should -Be $expected
        if ($refused) { $run.Errors + @($run.Thrown) | Where-Object { $_ } | ForEach-Object { $_.FullyQualifiedErrorId } | Should -BeLike 'OutputExists,*' }
    }

    It '<Command> with no file there: -WhatIf says it writes, and the run writes' -ForEach @(
        @{ Command = 'Export-ClusterPlot' }, @{ Command = 'Measure-KMeans' }, @{ Command = 'Measure-ImageKMeans' }
    ) {
        $folder = Join-Path $TestDrive ([guid]::NewGuid())
        $null = New-Item -ItemType Directory -Path $folder
        $path = Join-Path $folder 'plot.png'
        $call = $script:Calls[$Command]
        $whatIf = Invoke-Observed { & $call $path 'this' -WhatIf }
        Test-Path -LiteralPath $path | Should -BeFalse
        @($whatIf.WhatIf).Count | Should -Be 1
        $whatIf.WhatIf | Should -Match '^Write '
        $whatIf.WhatIf | Should -Not -Match 'replacing'
        Get-ErrorLines $whatIf | Should -BeNullOrEmpty
        $run = Invoke-Observed { & $call $path 'this' }
        Get-ErrorLines $run | Should -BeNullOrEmpty
        Test-Path -LiteralPath $path | Should -BeTrue
    }
}
