# Issue #13 point 1: running the same command again in a folder is a no-op. Every output carries the module's
# marker (a PNG tEXt chunk / GIF comment 'KMeansPS'): the module's own outputs are skipped as inputs, and an output
# made from the same source bytes with the same settings is left alone.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-KMeansPSModulePath) -Force
    $script:Id = 'KMeansPS.Commands.CompressImageKMeansCommand'
    $script:ModulePath = (Resolve-Path (Get-KMeansPSModulePath)).Path

    # The headline command in a fresh pwsh in $Folder: results, verbose lines, error ids and the exit code.
    function Invoke-FreshRun([string] $Folder, [string] $Arguments) {
        $script = @"
`$ErrorActionPreference = 'Continue'
Import-Module '$script:ModulePath'
Set-Location -LiteralPath '$Folder'
`$out = Get-ChildItem *.png | Compress-ImageKMeans $Arguments -Verbose -ErrorVariable errs -ErrorAction SilentlyContinue 4>&1
[pscustomobject]@{
    Results = @(`$out | Where-Object { `$_ -is [KMeansPS.Output.ImageCompressionResult] } | ForEach-Object {
        [pscustomobject]@{ Name = Split-Path -Leaf `$_.Path; Output = Split-Path -Leaf `$_.Destination; Status = `$_.Status.ToString() } })
    Verbose = @(`$out | Where-Object { `$_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
    Errors = @(`$errs | ForEach-Object FullyQualifiedErrorId)
} | ConvertTo-Json -Depth 4
if (`$errs.Count -gt 0) { exit 1 }
"@
        $json = & (Get-ChildPwshPath) -NoProfile -NonInteractive -Command $script
        $run = ($json -join "`n") | ConvertFrom-Json
        $run | Add-Member ExitCode $LASTEXITCODE -PassThru
    }

    # Name, length, hash and write time of every file: what "nothing written" compares.
    function Get-FolderState([string] $Folder) {
        Get-ChildItem -LiteralPath $Folder -Force -File | Sort-Object Name | ForEach-Object {
            '{0} {1} {2} {3}' -f $_.Name, $_.Length, (Get-FileHash -LiteralPath $_.FullName).Hash, $_.LastWriteTimeUtc.Ticks
        }
    }

    function New-Folder {
        $dir = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item -ItemType Directory -Path $dir | Out-Null
        $null = New-TestPng -Path (Join-Path $dir 'photo.png')
        $null = New-TestPng -Path (Join-Path $dir 'logo.png') -Transparent
        $null = New-TestPng -Path (Join-Path $dir 'few.png') -Colors 4
        $dir
    }
}

AfterAll {
    Remove-Module KMeansPS -ErrorAction SilentlyContinue
}

Describe 'Get-ChildItem *.png | Compress-ImageKMeans run twice in one folder (each run a fresh pwsh)' {
    BeforeAll {
        $script:dir = New-Folder
        $script:first = Invoke-FreshRun $script:dir '-K 8'
        $script:afterFirst = Get-FolderState $script:dir
        Start-Sleep -Milliseconds 20 # a rewrite would show in the write times
        $script:second = Invoke-FreshRun $script:dir '-K 8'
    }

    It 'the first run writes one output per source, without errors' {
        $script:first.ExitCode | Should -Be 0
        $script:first.Errors | Should -BeNullOrEmpty
        ($script:first.Results | Sort-Object Name).Output | Should -Be @('few-k8.png', 'logo-k8.png', 'photo-k8.png')
        $script:first.Results.Status | Should -Be @('Written', 'Written', 'Written')
    }

    It 'the second run writes nothing and ends without errors' {
        $script:second.ExitCode | Should -Be 0
        $script:second.Errors | Should -BeNullOrEmpty
        Get-FolderState $script:dir | Should -Be $script:afterFirst
        Get-ChildItem -LiteralPath $script:dir -Filter '*-k8-k8.png' | Should -BeNullOrEmpty
    }

    It 'the second run reports every input skipped: its own outputs and the up-to-date sources' {
        $byName = @{}
        foreach ($r in $script:second.Results) { $byName[$r.Name] = $r.Status }
        $byName.Count | Should -Be 6
        foreach ($stem in 'few', 'logo', 'photo') {
            $byName["$stem.png"] | Should -Be 'SkippedUpToDate'
            $byName["$stem-k8.png"] | Should -Be 'SkippedOwnOutput'
        }
        ($script:second.Results | Where-Object Name -eq 'photo.png').Output | Should -Be 'photo-k8.png'
    }

    It '-Verbose says why each input was skipped' {
        $script:second.Verbose | Where-Object { $_ -match "photo-k8\.png' is up to date" } | Should -Not -BeNullOrEmpty
        $script:second.Verbose | Where-Object { $_ -match "photo-k8\.png' is an output of KMeansPS.*-IncludeOwnOutputs" } | Should -Not -BeNullOrEmpty
    }
}

Describe 'The module''s plots in a folder the nightly command runs over' {
    It 'are passed over as the module''s outputs, not compressed: Export-ClusterPlot, Measure-KMeans and Measure-ImageKMeans' {
        $dir = New-Folder
        $points = New-SyntheticClusterData -Count 200 -Clusters 3 -Seed 4
        $model = $points | Invoke-KMeans -K 3 -Seed 1
        $points | Invoke-KMeans -K 3 -Seed 1 -PassThru | Export-ClusterPlot (Join-Path $dir 'clusters.png') -Model $model
        $null = $points | Measure-KMeans -K 2, 3, 4 -Seed 1 -PlotPath (Join-Path $dir 'k.png')
        $null = Measure-ImageKMeans -LiteralPath (Join-Path $dir 'photo.png') -K 4, 8 -Seed 1 -PlotPath (Join-Path $dir 'curve.png')
        $run = Invoke-FreshRun $dir '-K 8'
        $run.Errors | Should -BeNullOrEmpty
        $byName = @{}
        foreach ($r in $run.Results) { $byName[$r.Name] = $r.Status }
        foreach ($plot in 'clusters.png', 'k.png', 'curve.png') { $byName[$plot] | Should -Be 'SkippedOwnOutput' }
        foreach ($source in 'few.png', 'logo.png', 'photo.png') { $byName[$source] | Should -Be 'Written' }
        Get-ChildItem -LiteralPath $dir -Filter 'clusters-k8.png' | Should -BeNullOrEmpty
        $run.Verbose | Where-Object { $_ -match "curve\.png' is an output of KMeansPS .* with plot" } | Should -Not -BeNullOrEmpty
    }
}

Describe 'The module''s plots drawn again by a scheduled rerun' {
    It 'are left as they are, without an error, when each night''s process draws the same plot; other data is still OutputExists' {
        $dir = New-Folder
        $plots = (New-Item -ItemType Directory -Path (Join-Path $dir 'plots')).FullName
        # Each night a fresh process: the three plotting commands with the same data, settings and seed.
        $night = @"
`$ErrorActionPreference = 'Continue'
Import-Module '$script:ModulePath'
Set-Location -LiteralPath '$dir'
`$points = New-SyntheticClusterData -Count 200 -Clusters 3 -Seed `$env:KMPS_DATA_SEED
`$out = . {
    `$points | Invoke-KMeans -K 3 -Seed 1 -PassThru | Export-ClusterPlot (Join-Path '$plots' 'clusters.png') -Verbose
    `$points | Measure-KMeans -K 2, 3, 4 -Seed 1 -PlotPath (Join-Path '$plots' 'k.svg') -Verbose
    Measure-ImageKMeans -LiteralPath photo.png, logo.png -K 4, 8 -Seed 1 -PlotPath '$plots/' -Verbose
} 4>&1 2>`$null
[pscustomobject]@{
    Verbose = @(`$out | Where-Object { `$_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
    Errors = @(`$Error | ForEach-Object FullyQualifiedErrorId) # Export-ClusterPlot's one file: a terminating error
} | ConvertTo-Json -Depth 3
"@
        $env:KMPS_DATA_SEED = '4'
        try {
            $first = (& (Get-ChildPwshPath) -NoProfile -NonInteractive -Command $night) -join "`n" | ConvertFrom-Json
            $first.Errors | Should -BeNullOrEmpty
            $state = Get-FolderState $plots
            @($state).Count | Should -Be 4 # clusters.png, k.svg, photo-curve.png, logo-curve.png
            foreach ($rerun in 1..2) {
                $again = (& (Get-ChildPwshPath) -NoProfile -NonInteractive -Command $night) -join "`n" | ConvertFrom-Json
                $again.Errors | Should -BeNullOrEmpty
                @($again.Verbose | Where-Object { $_ -match 'already holds this plot' }).Count | Should -Be 4
                Get-FolderState $plots | Should -Be $state
            }
            # Other points draw another plot: that file is not this call's to replace.
            $env:KMPS_DATA_SEED = '5'
            $other = (& (Get-ChildPwshPath) -NoProfile -NonInteractive -Command $night) -join "`n" | ConvertFrom-Json
            $other.Errors | Sort-Object | Should -Be @('OutputExists,KMeansPS.Commands.ExportClusterPlotCommand', 'OutputExists,KMeansPS.Commands.MeasureKMeansCommand')
            Get-FolderState $plots | Should -Be $state
        }
        finally { Remove-Item Env:KMPS_DATA_SEED }
    }
}

Describe 'The module''s SVG plots drawn again in one session, and after an upgrade' {
    It 'are left as they are when the same data is drawn again, by this version or another; other data is OutputExists' {
        $dir = New-Folder
        $points = New-SyntheticClusterData -Count 200 -Clusters 3 -Seed 4
        $fit = $points | Invoke-KMeans -K 3 -Seed 1 -PassThru
        $clusters = Join-Path $dir 'clusters.svg'
        $curve = Join-Path $dir 'k.svg'
        $fit | Export-ClusterPlot $clusters -ErrorAction Stop
        $points | Measure-KMeans -K 2, 3 -Seed 1 -PlotPath $curve -ErrorAction Stop | Out-Null
        # The same session draws them again (the canvas's clip path names used to count on, so this was OutputExists).
        $verbose = . { $fit | Export-ClusterPlot $clusters -ErrorAction Stop -Verbose
            $points | Measure-KMeans -K 2, 3 -Seed 1 -PlotPath $curve -ErrorAction Stop -Verbose | Out-Null } 4>&1
        @($verbose | Where-Object { "$_" -match 'already holds this plot' }).Count | Should -Be 2

        # As another version of the module drew them: its number in the marker, another drawing attribute.
        foreach ($file in $clusters, $curve) {
            $text = [IO.File]::ReadAllText($file)
            $text | Should -Match '<!-- KMeansPS v=1;tool=[0-9.]+;'
            $text = $text -replace 'tool=[0-9.]+;', 'tool=0.0.1;' -replace 'fill="white"', 'fill="#FFFFFF"'
            [IO.File]::WriteAllText($file, $text)
        }
        $state = Get-FolderState $dir
        $fit | Export-ClusterPlot $clusters -ErrorAction Stop
        $points | Measure-KMeans -K 2, 3 -Seed 1 -PlotPath $curve -ErrorAction Stop | Out-Null
        Get-FolderState $dir | Should -Be $state

        # Other points, or other K, draw another plot: not this call's to replace.
        $other = New-SyntheticClusterData -Count 200 -Clusters 3 -Seed 5 | Invoke-KMeans -K 3 -Seed 1 -PassThru
        { $other | Export-ClusterPlot $clusters -ErrorAction Stop } | Should -Throw -ErrorId 'OutputExists,KMeansPS.Commands.ExportClusterPlotCommand'
        { $points | Measure-KMeans -K 2, 3, 4 -Seed 1 -PlotPath $curve -ErrorAction Stop } | Should -Throw -ErrorId 'OutputExists,KMeansPS.Commands.MeasureKMeansCommand'
        Get-FolderState $dir | Should -Be $state
    }
}

Describe 'An output whose bytes changed after it was written (bit rot, a bad copy)' {
    It 'is found damaged by the rerun and written again, the same bytes as before' {
        $dir = New-Folder
        $first = Get-ChildItem (Join-Path $dir '*.png') | Compress-ImageKMeans -K 8 -Seed 1
        $output = ($first | Where-Object { (Split-Path -Leaf $_.Path) -eq 'photo.png' }).Destination
        $good = [IO.File]::ReadAllBytes($output)
        $rotten = [byte[]]$good.Clone()
        $rotten[$rotten.Length - 20] = $rotten[$rotten.Length - 20] -bxor 0x10 # inside the image data, the marker intact
        [IO.File]::WriteAllBytes($output, $rotten)
        $state = Get-FolderState $dir
        $run = @(Get-ChildItem (Join-Path $dir '*.png') | Compress-ImageKMeans -K 8 -Seed 1 -Verbose 4>&1)
        $results = @($run | Where-Object { $_ -is [KMeansPS.Output.ImageCompressionResult] })
        ($results | Where-Object { (Split-Path -Leaf $_.Path) -eq 'photo.png' }).Status | Should -Be 'Written'
        @($results | Where-Object Status -eq 'SkippedUpToDate').Count | Should -Be 2
        ($run | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -match 'photo-k8\.png.* but is damaged \(.*\); it is written again' |
            Should -Not -BeNullOrEmpty
        [IO.File]::ReadAllBytes($output) | Should -Be $good
        # Nothing else changed.
        @(Compare-Object $state (Get-FolderState $dir)).Count | Should -Be 2 # the output's old and new line
    }
}

Describe 'README''s nightly script under cron' {
    It 'exits 1 when a file failed and 0 when none did, and the good files are written either way' {
        $dir = New-Folder
        $small = Join-Path $dir 'small'
        $script = Join-Path $dir 'nightly.ps1'
        # README's two lines, with its folders made this test's.
        Set-Content -LiteralPath $script -Value @"
Import-Module '$script:ModulePath'
Get-ChildItem '$dir/*.png' | Compress-ImageKMeans -K 64 -Destination '$small' -ErrorVariable failed
if (`$failed) { exit 1 }
"@
        & (Get-ChildPwshPath) -NoProfile -NonInteractive -File $script > $null 2>&1
        $LASTEXITCODE | Should -Be 0
        @(Get-ChildItem -LiteralPath $small -Filter '*-k64.png').Count | Should -Be 3
        [IO.File]::WriteAllBytes((Join-Path $dir 'broken.png'), [byte[]](0x89, 0x50, 0x4E, 0x47, 13, 10, 26, 10, 0, 0))
        $null = New-TestPng -Path (Join-Path $dir 'new.png')
        $log = & (Get-ChildPwshPath) -NoProfile -NonInteractive -File $script 2>&1
        $LASTEXITCODE | Should -Be 1
        ($log -join "`n") | Should -Match 'broken\.png'
        Test-Path -LiteralPath (Join-Path $small 'new-k64.png') | Should -BeTrue
    }
}

Describe 'A rerun with other settings, -Force, or a changed source' {
    BeforeEach {
        $script:dir = New-Folder
        $script:first = Get-ChildItem (Join-Path $script:dir '*.png') | Compress-ImageKMeans -K 8
        $script:state = Get-FolderState $script:dir
    }

    It 'a changed -K writes new outputs and does not compress the first run''s outputs' {
        $run = Invoke-FreshRun $script:dir '-K 16'
        $run.ExitCode | Should -Be 0
        $run.Errors | Should -BeNullOrEmpty
        ($run.Results | Where-Object Status -eq 'Written').Output | Sort-Object | Should -Be @('few-k16.png', 'logo-k16.png', 'photo-k16.png')
        ($run.Results | Where-Object Status -eq 'SkippedOwnOutput').Name | Sort-Object | Should -Be @('few-k8.png', 'logo-k8.png', 'photo-k8.png')
        Get-ChildItem -LiteralPath $script:dir -Filter '*-k8-k16.png' | Should -BeNullOrEmpty
        (Get-FolderState $script:dir) | Where-Object { $_ -like '*-k8.png *' } | Should -Be ($script:state | Where-Object { $_ -like '*-k8.png *' })
    }

    It '-Force rewrites outputs that are up to date' {
        Start-Sleep -Milliseconds 20
        $results = Get-ChildItem (Join-Path $script:dir '*.png') | Compress-ImageKMeans -K 8 -Force -ErrorVariable errs
        $errs | Should -BeNullOrEmpty
        ($results | Where-Object Status -eq 'Written').Path | Split-Path -Leaf | Sort-Object | Should -Be @('few.png', 'logo.png', 'photo.png')
        ($results | Where-Object Status -eq 'SkippedOwnOutput').Count | Should -Be 3
        # Rewritten: a new write time (and a new seed in its marker), not the first run's file.
        (Get-FolderState $script:dir) | Where-Object { $_ -like 'photo-k8.png *' } |
            Should -Not -Be ($script:state | Where-Object { $_ -like 'photo-k8.png *' })
    }

    It 'a changed source under the same name, without -Force, is OutputExists and the old output stays' {
        $null = New-TestPng -Path (Join-Path $script:dir 'photo.png') -Colors 4 # other bytes, same name
        $results = Get-ChildItem (Join-Path $script:dir '*.png') | Compress-ImageKMeans -K 8 -Verbose -ErrorVariable errs -ErrorAction SilentlyContinue 4>&1
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be "OutputExists,$script:Id"
        $errs[0].TargetObject | Should -Be (Join-Path $script:dir 'photo.png')
        ($results | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain "'$(Join-Path $script:dir 'photo-k8.png')' was made from other contents of '$(Join-Path $script:dir 'photo.png')' (the source changed since)."
        $skipped = $results | Where-Object { $_ -is [KMeansPS.Output.ImageCompressionResult] -and $_.Status -eq 'SkippedUpToDate' }
        $skipped.Path | Split-Path -Leaf | Sort-Object | Should -Be @('few.png', 'logo.png')
        (Get-FolderState $script:dir) | Where-Object { $_ -like 'photo-k8.png *' } | Should -Be ($script:state | Where-Object { $_ -like 'photo-k8.png *' })
    }

    It 'other settings under the same name (-Dither), without -Force, are OutputExists' {
        $results = Compress-ImageKMeans -LiteralPath (Join-Path $script:dir 'logo.png') -K 8 -Dither FloydSteinberg -ErrorVariable errs -ErrorAction SilentlyContinue
        $results | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Be "OutputExists,$script:Id"
    }

    It 'the same -Seed as the first run is up to date, another -Seed is not' {
        $seed = ($script:first | Where-Object { $_.Path -like '*logo.png' }).Seed
        (Compress-ImageKMeans -LiteralPath (Join-Path $script:dir 'logo.png') -K 8 -Seed $seed).Status | Should -Be 'SkippedUpToDate'
        $null = Compress-ImageKMeans -LiteralPath (Join-Path $script:dir 'logo.png') -K 8 -Seed ($seed -bxor 1) -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be "OutputExists,$script:Id"
    }

    It '-IncludeOwnOutputs compresses the module''s outputs too' {
        $results = Compress-ImageKMeans -LiteralPath (Join-Path $script:dir 'few-k8.png') -K 8 -IncludeOwnOutputs
        $results.Status | Should -Be 'Written'
        Test-Path -LiteralPath (Join-Path $script:dir 'few-k8-k8.png') | Should -BeTrue
    }

    It 'a GIF output is recognised on rerun as well' {
        $gif = Compress-ImageKMeans -LiteralPath (Join-Path $script:dir 'logo.png') -K 8 -Format Gif
        $gif.Status | Should -Be 'Written'
        $again = Compress-ImageKMeans -LiteralPath (Join-Path $script:dir 'logo.png') -K 8 -Format Gif
        $again.Status | Should -Be 'SkippedUpToDate'
        (Compress-ImageKMeans -LiteralPath $gif.Destination -K 8).Status | Should -Be 'SkippedOwnOutput'
    }

    It 'an output whose marker is in the version-1 form (written before the marker shrank) is still up to date and still the module''s own' {
        $source = Join-Path $script:dir 'logo.png'
        $output = Join-Path $script:dir 'logo-k8.png'
        $seed = ($script:first | Where-Object { $_.Path -like '*logo.png' }).Seed
        $sha = [Security.Cryptography.SHA256]::HashData([IO.File]::ReadAllBytes($source))
        $settings = 'k=8,format=Png,space=Rgb,dither=None,algorithm=Auto,maxiter=300,tol=0.0001'
        $text = "v=1;tool=0.0.9;source=sha256:$([Convert]::ToHexString($sha, 0, 16));seed=$seed;settings=$settings"
        # The output with its marker chunk replaced by one holding the version-1 text.
        $bytes = [IO.File]::ReadAllBytes($output)
        $rebuilt = [IO.MemoryStream]::new()
        $rebuilt.Write($bytes, 0, 8)
        $at = 8
        $replaced = 0
        while ($at -lt $bytes.Length) {
            $length = ([int] $bytes[$at] -shl 24) -bor ([int] $bytes[$at + 1] -shl 16) -bor ([int] $bytes[$at + 2] -shl 8) -bor [int] $bytes[$at + 3]
            $type = [Text.Encoding]::ASCII.GetString($bytes, $at + 4, 4)
            $data = [byte[]]::new($length)
            [Array]::Copy($bytes, $at + 8, $data, 0, $length)
            if ($type -eq 'tEXt' -and [Text.Encoding]::Latin1.GetString($data).StartsWith("KMeansPS`0")) {
                $data = [Text.Encoding]::Latin1.GetBytes("KMeansPS`0$text")
                $replaced++
            }
            Write-PngChunk $rebuilt $type $data
            $at += 12 + $length
        }
        $replaced | Should -Be 1
        [IO.File]::WriteAllBytes($output, $rebuilt.ToArray())
        $before = Get-FolderState $script:dir

        $again = Compress-ImageKMeans -LiteralPath $source -K 8 -Verbose 4>&1
        ($again | Where-Object { $_ -is [KMeansPS.Output.ImageCompressionResult] }).Status | Should -Be 'SkippedUpToDate'
        ($again | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message |
            Should -Contain "'$output' is up to date (made by KMeansPS 0.0.9 from the same bytes of '$source' with $settings, seed $seed); skipped."
        $own = Compress-ImageKMeans -LiteralPath $output -K 8
        $own.Status | Should -Be 'SkippedOwnOutput'
        $own.Seed | Should -Be $seed
        Get-FolderState $script:dir | Should -Be $before
    }

    It 'a new marker is the compact form: version 2, well under half the bytes of version 1' {
        $bytes = [IO.File]::ReadAllBytes((Join-Path $script:dir 'photo-k8.png'))
        $latin = [Text.Encoding]::Latin1.GetString($bytes)
        $at = $latin.IndexOf("tEXtKMeansPS`0")
        $at | Should -BeGreaterThan 0
        $length = ([int] $bytes[$at - 4] -shl 24) -bor ([int] $bytes[$at - 3] -shl 16) -bor ([int] $bytes[$at - 2] -shl 8) -bor [int] $bytes[$at - 1]
        $text = $latin.Substring($at + 13, $length - 9)
        $text | Should -Match '^2;[0-9.]+;[A-Za-z0-9_-]{22,};k=8'
        12 + $length | Should -BeLessThan 80
    }

    It 'a PNG that merely has another text chunk is compressed as usual' {
        $png = Join-Path $script:dir 'text.png'
        $bytes = [IO.File]::ReadAllBytes((Join-Path $script:dir 'photo.png'))
        $chunk = [IO.MemoryStream]::new()
        Write-PngChunk $chunk 'tEXt' ([Text.Encoding]::Latin1.GetBytes("Software`0KMeansPS"))
        [IO.File]::WriteAllBytes($png, [byte[]]($bytes[0..32] + $chunk.ToArray() + $bytes[33..($bytes.Length - 1)]))
        (Compress-ImageKMeans -LiteralPath $png -K 8).Status | Should -Be 'Written'
    }
}

Describe 'A rerun finishes what a run left unfinished (a power cut, a kill, a full disk)' {
    BeforeEach {
        $script:dir = New-Folder
        $script:photo = Join-Path $script:dir 'photo.png'
        $script:out = Join-Path $script:dir 'photo-k8.png'
    }

    It 'an output cut short (its marker kept, its end lost) is written again without -Force' {
        $null = Compress-ImageKMeans -LiteralPath $script:photo -K 8 -Seed 3
        $whole = [IO.File]::ReadAllBytes($script:out)
        [IO.File]::WriteAllBytes($script:out, $whole[0..([int]($whole.Length / 2))])
        $r = Compress-ImageKMeans -LiteralPath $script:photo -K 8 -Seed 3 -Verbose -ErrorVariable errs 4>&1
        $errs | Should -BeNullOrEmpty
        ($r | Where-Object { $_ -is [KMeansPS.Output.ImageCompressionResult] }).Status | Should -Be 'Written'
        ($r | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain "'$script:out' was made from the same bytes of '$script:photo' with the same settings but is cut short; it is written again."
        [IO.File]::ReadAllBytes($script:out) | Should -Be $whole # the same seed: the same file as the first run's
        (Compress-ImageKMeans -LiteralPath $script:photo -K 8 -Seed 3).Status | Should -Be 'SkippedUpToDate'
    }

    It 'an output left empty (published, then its data lost to a power cut) is written again without -Force, also when the folder is listed into the call' {
        $null = Compress-ImageKMeans -LiteralPath $script:photo -K 8 -Seed 3
        $whole = [IO.File]::ReadAllBytes($script:out)
        [IO.File]::WriteAllBytes($script:out, [byte[]]@())
        $r = Compress-ImageKMeans -LiteralPath $script:photo -K 8 -Seed 3 -Verbose -ErrorVariable errs 4>&1
        $errs | Should -BeNullOrEmpty
        ($r | Where-Object { $_ -is [KMeansPS.Output.ImageCompressionResult] }).Status | Should -Be 'Written'
        ($r | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain "'$script:out' is empty (its data never reached the disk?); it is written again."
        [IO.File]::ReadAllBytes($script:out) | Should -Be $whole
        # The nightly form: the empty file is listed as an input too (an error for it, as for any empty file), and the
        # source's output is written over it the same night; the next night is quiet.
        [IO.File]::WriteAllBytes($script:out, [byte[]]@())
        $rows = Get-ChildItem -LiteralPath $script:dir -Filter '*.png' | Compress-ImageKMeans -K 8 -Seed 3 -ErrorVariable night -ErrorAction SilentlyContinue
        @($night).Count | Should -Be 1
        $night[0].FullyQualifiedErrorId | Should -Be "InvalidImage,$script:Id"
        ($rows | Where-Object Path -EQ $script:photo).Status | Should -Be 'Written'
        [IO.File]::ReadAllBytes($script:out) | Should -Be $whole
        $null = Get-ChildItem -LiteralPath $script:dir -Filter '*.png' | Compress-ImageKMeans -K 8 -Seed 3 -ErrorVariable quiet -ErrorAction SilentlyContinue
        $quiet | Should -BeNullOrEmpty
    }

    It 'an output whose comparison figure is missing is written again with its figure, without -Force' {
        $figure = Join-Path $script:dir 'photo-k8-comparison.png'
        $null = Compress-ImageKMeans -LiteralPath $script:photo -K 8 -Seed 3 -ComparisonPath $script:dir
        Remove-Item -LiteralPath $figure
        $r = Compress-ImageKMeans -LiteralPath $script:photo -K 8 -Seed 3 -ComparisonPath $script:dir -ErrorVariable errs
        $errs | Should -BeNullOrEmpty
        $r.Status | Should -Be 'Written'
        Test-Path -LiteralPath $figure | Should -BeTrue
        $skip = Compress-ImageKMeans -LiteralPath $script:photo -K 8 -Seed 3 -ComparisonPath $script:dir
        $skip.Status | Should -Be 'SkippedUpToDate'
        $skip.ComparisonPath | Should -Be $figure # the figure kept is named, as a written result names it
    }

    It 'without -Seed, writes an output whose figure is missing again with the seed it was made with: the same bytes, a matching figure' {
        # So a run that overlaps the one still writing that figure writes the same files, never a pair of two palettes.
        $figure = Join-Path $script:dir 'photo-k8-comparison.png'
        Remove-Item -LiteralPath $figure -ErrorAction Ignore
        $first = Compress-ImageKMeans -LiteralPath $script:photo -K 8 -ComparisonPath $script:dir -Force
        $output = [IO.File]::ReadAllBytes($first.Destination)
        $figureBytes = [IO.File]::ReadAllBytes($figure)
        Remove-Item -LiteralPath $figure
        $again = Compress-ImageKMeans -LiteralPath $script:photo -K 8 -ComparisonPath $script:dir -ErrorVariable errs
        $errs | Should -BeNullOrEmpty
        $again.Status | Should -Be 'Written'
        $again.Seed | Should -Be $first.Seed
        [IO.File]::ReadAllBytes($again.Destination) | Should -Be $output
        [IO.File]::ReadAllBytes($figure) | Should -Be $figureBytes
    }

    It 'shows an output under 1 KB in bytes in the table, not as 0 KB' {
        $tiny = Join-Path $script:dir 'tiny.png'
        $null = New-TestPng -Path $tiny -Width 4 -Height 3 -Colors 2
        $r = Compress-ImageKMeans -LiteralPath $tiny -K 2 -Seed 1
        $r.CompressedBytes | Should -BeLessThan 1024
        ($r | Format-Table | Out-String -Width 200) | Should -Match "\b$($r.CompressedBytes) B\b"
    }

    It 'a file of someone else''s at the figure''s name still needs -Force' {
        $figure = Join-Path $script:dir 'photo-k8-comparison.png'
        $null = Compress-ImageKMeans -LiteralPath $script:photo -K 8 -Seed 3
        Set-Content -LiteralPath $figure -Value 'my own notes'
        $null = Compress-ImageKMeans -LiteralPath $script:photo -K 8 -Seed 3 -ComparisonPath $script:dir -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be "OutputExists,$script:Id"
        Get-Content -LiteralPath $figure | Should -Be 'my own notes'
    }

    It 'an output cut short does not let a file of someone else''s at the figure''s name be replaced without -Force' {
        $figure = Join-Path $script:dir 'photo-k8-comparison.png'
        $null = Compress-ImageKMeans -LiteralPath $script:photo -K 8 -Seed 3
        $whole = [IO.File]::ReadAllBytes($script:out)
        [IO.File]::WriteAllBytes($script:out, $whole[0..([int]($whole.Length / 2))])
        Set-Content -LiteralPath $figure -Value 'my own notes'
        $null = Compress-ImageKMeans -LiteralPath $script:photo -K 8 -Seed 3 -ComparisonPath $script:dir -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be "OutputExists,$script:Id"
        $errs[0].Exception.Message | Should -Match ([regex]::Escape($figure))
        Get-Content -LiteralPath $figure | Should -Be 'my own notes'
    }

    It 'another source''s output at the figure''s name is not replaced without -Force (one folder, -Suffix '''')' {
        # x.png's figure would be out/x-comparison.png, which is the output of the source x-comparison.png.
        $src = Join-Path $script:dir 'src'
        $outDir = Join-Path $script:dir 'out'
        $null = New-Item -ItemType Directory -Path $src
        Copy-Item -LiteralPath $script:photo -Destination (Join-Path $src 'x.png')
        $null = New-TestPng -Path (Join-Path $src 'x-comparison.png') -Width 20 -Height 10 -Colors 5
        $null = Compress-ImageKMeans -LiteralPath (Join-Path $src 'x.png') -K 8 -Suffix '' -Destination "$outDir/" -Seed 1
        $null = Compress-ImageKMeans -LiteralPath (Join-Path $src 'x-comparison.png') -K 8 -Suffix '' -Destination "$outDir/" -Seed 1
        $victim = Join-Path $outDir 'x-comparison.png'
        $before = (Get-FileHash -LiteralPath $victim).Hash
        $null = Compress-ImageKMeans -LiteralPath (Join-Path $src 'x.png') -K 8 -Suffix '' -Destination "$outDir/" -ComparisonPath "$outDir/" -Seed 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be "OutputExists,$script:Id"
        $errs[0].Exception.Message | Should -Match ([regex]::Escape($victim))
        (Get-FileHash -LiteralPath $victim).Hash | Should -Be $before
        (Compress-ImageKMeans -LiteralPath (Join-Path $src 'x-comparison.png') -K 8 -Suffix '' -Destination "$outDir/" -Seed 1).Status | Should -Be 'SkippedUpToDate'
    }

    It 'an output of the same source at the figure''s name is not taken for the figure (it carries the same marker)' {
        $cmp = Join-Path $script:dir 'cmp.png'
        $out = Join-Path $script:dir 'out.png'
        $null = Compress-ImageKMeans -LiteralPath $script:photo -K 8 -Seed 3 -Destination $cmp
        $null = Compress-ImageKMeans -LiteralPath $script:photo -K 16 -Seed 3 -Destination $out
        $before = (Get-FileHash -LiteralPath $cmp).Hash
        $null = Compress-ImageKMeans -LiteralPath $script:photo -K 16 -Seed 3 -Destination $out -ComparisonPath $cmp -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be "OutputExists,$script:Id"
        (Get-FileHash -LiteralPath $cmp).Hash | Should -Be $before
        # The same settings too: an output, not a figure, for its size.
        $null = Compress-ImageKMeans -LiteralPath $script:photo -K 16 -Seed 3 -Destination $cmp -Force
        $before = (Get-FileHash -LiteralPath $cmp).Hash
        $null = Compress-ImageKMeans -LiteralPath $script:photo -K 16 -Seed 3 -Destination $out -ComparisonPath $cmp -ErrorVariable errs2 -ErrorAction SilentlyContinue
        $errs2[0].FullyQualifiedErrorId | Should -Be "OutputExists,$script:Id"
        (Get-FileHash -LiteralPath $cmp).Hash | Should -Be $before
    }

    It 'an output of other settings cut short is still not ours to replace' {
        $null = Compress-ImageKMeans -LiteralPath $script:photo -K 8 -Seed 3 -Dither FloydSteinberg
        $whole = [IO.File]::ReadAllBytes($script:out)
        [IO.File]::WriteAllBytes($script:out, $whole[0..([int]($whole.Length / 2))])
        $null = Compress-ImageKMeans -LiteralPath $script:photo -K 8 -Seed 3 -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be "OutputExists,$script:Id"
    }
}

Describe 'Two overlapping runs of one command' -Skip:$IsWindows {
    It 'never tell each other OutputExists, and never leave an output and a figure of two runs' {
        # The same sources, no -Seed, started together: a name one run publishes between the other's up-to-date check and
        # its claim is that run's own output with its own settings, as a rerun would find it. With figures, a run that
        # finds an output whose figure is not there yet writes both again with that output's seed: the same files.
        $dir = Join-Path $TestDrive "overlap-$([guid]::NewGuid())"
        $src = New-Item -ItemType Directory -Path (Join-Path $dir 'src') -Force
        foreach ($i in 0..47) { $null = New-TestPng -Path (Join-Path $src "s$i.png") -Width 8 -Height 8 -Colors (2 + $i % 5) }
        $module = (Resolve-Path (Get-KMeansPSModulePath)).Path
        foreach ($round in 1..4) {
            $figures = $round -ge 3
            $script = Join-Path $dir "run-$round.ps1"
            $extra = $figures ? "-ComparisonPath '$dir/cmp/'" : ''
            Set-Content -LiteralPath $script -Value @"
Import-Module '$module'
`$rows = Get-ChildItem '$src/*.png' | Compress-ImageKMeans -K 4 -Destination '$dir/out/' $extra -ErrorAction SilentlyContinue -ErrorVariable errs
foreach (`$e in `$errs) { 'error ' + `$e.FullyQualifiedErrorId + ' ' + `$e.Exception.Message }
foreach (`$r in `$rows) { 'row ' + `$r.Status }
"@
            Remove-Item -LiteralPath (Join-Path $dir 'out'), (Join-Path $dir 'cmp') -Recurse -Force -ErrorAction SilentlyContinue
            $logs = foreach ($who in 'a', 'b') { Join-Path $dir "$who-$round.log" }
            $children = foreach ($log in $logs) {
                Start-Process -FilePath (Get-ChildPwshPath) -ArgumentList '-NoProfile', '-NonInteractive', '-File', $script -RedirectStandardOutput $log -PassThru
            }
            foreach ($c in $children) { $c.WaitForExit(300000) | Should -BeTrue }
            $lines = $logs | ForEach-Object { Get-Content -LiteralPath $_ }
            @($lines | Where-Object { $_ -like 'error *' }) | Should -BeNullOrEmpty -Because "round $round"
            @($lines | Where-Object { $_ -like 'row *' }).Count | Should -Be 96 -Because "round $round, a row for each source in each run"
            if (-not $figures) { @($lines | Where-Object { $_ -eq 'row Written' }).Count | Should -Be 48 -Because "round ${round}, each name written once" }
            foreach ($output in Get-ChildItem -LiteralPath (Join-Path $dir 'out') -Filter '*.png') {
                if (-not $figures) { continue }
                $figure = Join-Path $dir "cmp/$($output.BaseName)-comparison.png"
                Get-PngMarkerText $figure | Should -Be (Get-PngMarkerText $output.FullName) -Because "round ${round}: $($output.Name) and its figure come from one run"
            }
        }
    }
}
