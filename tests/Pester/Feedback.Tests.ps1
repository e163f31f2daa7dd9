# Progress, -Verbose and -Debug of the image commands and Invoke-KMeans, captured from a separate PowerShell instance
# (its Streams), with $ProgressPreference = 'Continue'. The images are large enough that the work outlasts the first
# progress round many times over; what is asserted is what the records say, not when they came.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-KMeansPSModulePath) -Force
    $script:module = Get-KMeansPSModulePath
    $script:dir = Join-Path $TestDrive 'feedback'
    New-Item -ItemType Directory -Path $script:dir | Out-Null
    $script:big = (New-NoisePng -Path (Join-Path $script:dir 'large-noise.png') -Width 1400 -Height 1000 -Seed 5).FullName
    $script:small = (New-TestPng -Path (Join-Path $script:dir 'small.png') -Width 48 -Height 32).FullName

    # Runs a script in a fresh PowerShell instance with the module loaded; returns it (with its streams) after the run.
    function script:Invoke-Captured([string] $Script, [hashtable] $Arguments = @{}) {
        $ps = [powershell]::Create()
        $null = $ps.AddScript("param(`$a) Import-Module '$script:module'; `$ProgressPreference = 'Continue'; $Script").AddArgument($Arguments)
        $null = $ps.Invoke()
        $ps.Streams.Error | ForEach-Object { $_.ToString() } | Should -BeNullOrEmpty
        $ps
    }

    # For each child activity: its Processing records' percentages never go down, and a Completed record ends it.
    function script:Assert-ChildRecords($records, [int] $ParentId) {
        $children = @($records | Where-Object ParentActivityId -eq $ParentId)
        $children.Count | Should -BeGreaterThan 0
        foreach ($group in $children | Group-Object ActivityId) {
            $processing = @($group.Group | Where-Object RecordType -eq 'Processing')
            for ($i = 1; $i -lt $processing.Count; $i++) {
                $processing[$i].PercentComplete | Should -BeGreaterOrEqual $processing[$i - 1].PercentComplete
            }
            $group.Group[-1].RecordType | Should -Be 'Completed'
        }
        $records[-1].ActivityId | Should -Be $ParentId
        $records[-1].RecordType | Should -Be 'Completed'
    }
}

AfterAll {
    Remove-Module KMeansPS -ErrorAction SilentlyContinue
}

Describe 'Compress-ImageKMeans feedback' {
    It 'shows a record per file in flight, under the overall one, naming the file and its stage' {
        $ps = Invoke-Captured '$null = Compress-ImageKMeans -LiteralPath $a.big, $a.small -K 64 -Seed 1 -ThrottleLimit 2 -Force -WarningAction SilentlyContinue' @{ big = $script:big; small = $script:small }
        $records = @($ps.Streams.Progress)
        Assert-ChildRecords $records 42
        $mine = @($records | Where-Object { $_.ParentActivityId -eq 42 -and $_.Activity -eq 'large-noise.png' -and $_.RecordType -eq 'Processing' })
        # How many records land depends on the machine's speed (a few rounds a second): at least one, each a stage.
        $mine.Count | Should -BeGreaterThan 0
        $stages = $mine | ForEach-Object { ($_.StatusDescription -split ':')[0] } | Select-Object -Unique
        $stages | ForEach-Object { $_ | Should -BeIn @('decode', 'histogram', 'fit', 'map', 'encode', 'metrics', 'comparison') }
        $overall = @($records | Where-Object { $_.ActivityId -eq 42 -and $_.RecordType -eq 'Processing' })
        $overall[0].Activity | Should -Be 'Compress-ImageKMeans'
        $overall[0].StatusDescription | Should -Match 'of 2 files done'
    }

    # Which records land depends on how fast the machine is (a few rounds a second are written), so this asserts their
    # form; FileStagesTests (KMeansPS.Tests) checks the rows and iterations each report turns into.
    It 'words each record of a large PNG as a stage, with rows decoded or iterations where it tells them' {
        $ps = Invoke-Captured '$null = Compress-ImageKMeans -LiteralPath $a.big -K 128 -Seed 2 -Force -WarningAction SilentlyContinue' @{ big = $script:big }
        $status = @($ps.Streams.Progress | Where-Object { $_.ParentActivityId -eq 42 -and $_.RecordType -eq 'Processing' } | ForEach-Object StatusDescription)
        $status.Count | Should -BeGreaterThan 0
        $status | ForEach-Object { $_ | Should -Match '^(decode(: \d+ of 1000 rows)?|histogram|fit(: iteration \d+ of at most 300)?|map|encode|metrics|comparison)$' }
        Assert-ChildRecords @($ps.Streams.Progress) 42
    }

    It '-Verbose tells the K asked and chosen, iterations, pixels, colours, bytes and time' {
        $ps = Invoke-Captured '$script:r = Compress-ImageKMeans -LiteralPath $a.small -K 8 -Seed 1 -Force -Verbose; $script:r' @{ small = $script:small }
        $r = $ps.Runspace.SessionStateProxy.GetVariable('r')
        $line = @($ps.Streams.Verbose | ForEach-Object Message | Where-Object { $_ -like "*K 8 asked*" })
        $line.Count | Should -Be 1
        $line[0] | Should -Match "K 8 asked, $($r.ChosenK) chosen, $($r.ColorsUsed) used; $($r.Iterations) iterations, (converged|not converged)"
        $line[0] | Should -Match ([regex]::Escape("{0:N0} pixels (48 x 32)" -f 1536))
        $line[0] | Should -Match ([regex]::Escape(('{0:N0} bytes in, {1:N0} bytes out' -f $r.OriginalBytes, $r.CompressedBytes)))
        $line[0] | Should -Match '\d+\.\d\d s\.$'
    }

    It '-Debug tells each stage''s time per file' {
        $ps = Invoke-Captured '$DebugPreference = ''Continue''; $null = Compress-ImageKMeans -LiteralPath $a.small -K 8 -Seed 1 -Force' @{ small = $script:small }
        $line = @($ps.Streams.Debug | ForEach-Object Message | Where-Object { $_ -like '*stage times*' })
        $line.Count | Should -Be 1
        $line[0] | Should -Match "small\.png' stage times: decode \d+ ms, histogram \d+ ms, fit \d+ ms, map \d+ ms, encode \d+ ms"
    }

    It '-Verbose tells why an input was skipped' {
        $own = (Get-Item -LiteralPath (Compress-ImageKMeans -LiteralPath $script:small -K 4 -Seed 1 -Force).Destination).FullName
        $ps = Invoke-Captured '$null = Compress-ImageKMeans -LiteralPath $a.own -K 4 -Seed 1 -Verbose' @{ own = $own }
        ($ps.Streams.Verbose | ForEach-Object Message) -join "`n" | Should -Match 'KMeansPS'
    }
}

Describe 'Measure-ImageKMeans feedback' {
    It 'names the file, the K being fitted and its stage, percentages rising' {
        $ps = Invoke-Captured '$null = Measure-ImageKMeans -LiteralPath $a.big -K 4, 16, 64 -Seed 1 -WarningAction SilentlyContinue' @{ big = $script:big }
        $records = @($ps.Streams.Progress)
        Assert-ChildRecords $records 43
        $mine = @($records | Where-Object { $_.ParentActivityId -eq 43 -and $_.RecordType -eq 'Processing' })
        $mine | ForEach-Object { $_.Activity | Should -Be 'large-noise.png' }
        ($mine.StatusDescription -match '^K=(4|16|64) \([123] of 3\), (histogram|fit|map|encode|metrics)').Count | Should -BeGreaterThan 0
    }
}

Describe 'Invoke-KMeans feedback' {
    It 'tells the phase, the run and the iteration while fitting' {
        # The fit must outlast the 300 ms quiet period by far on any machine: about 2 s of Lloyd passes here
        # (D = 3, K = 40 had become fast enough to finish inside it on CI).
        $ps = Invoke-Captured @'
$rows = New-SyntheticClusterData -Count 300000 -Clusters 40 -Dimensions 16 -Seed 3 -AsMatrix
$null = $rows | Invoke-KMeans -K 96 -Seed 1 -Algorithm Lloyd -Tolerance 0 -MaxIterations 150 -Restarts 2
'@
        $records = @($ps.Streams.Progress | Where-Object ActivityId -eq 41)
        $fitting = @($records | Where-Object StatusDescription -match '^Fitting: run [12] of 2, iteration \d+ of at most 150$')
        $fitting.Count | Should -BeGreaterThan 0
        for ($i = 1; $i -lt $fitting.Count; $i++) { $fitting[$i].PercentComplete | Should -BeGreaterOrEqual $fitting[$i - 1].PercentComplete }
        $records[-1].RecordType | Should -Be 'Completed'
    }
}
