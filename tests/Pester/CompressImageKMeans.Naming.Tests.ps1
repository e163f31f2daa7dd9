# Issue #13 point 5: output names. -Suffix (pngquant's --ext), an output file's extension matching its format, and
# same-stem sources (x.jpg and x.png in one folder) named by one rule that needs neither input order nor the call's
# other inputs, so reruns (each in a fresh pwsh) find the same names and write nothing.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-KMeansPSModulePath) -Force
    $script:Id = 'KMeansPS.Commands.CompressImageKMeansCommand'
    $script:ModulePath = (Resolve-Path (Get-KMeansPSModulePath)).Path

    function New-Folder {
        $dir = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item -ItemType Directory -Path $dir | Out-Null
        $dir
    }

    # Get-ChildItem $Filter | Compress-ImageKMeans $Arguments in a fresh pwsh in $Folder: leaf names, outputs, statuses, error ids.
    function Invoke-FreshRun([string] $Folder, [string] $Filter, [string] $Arguments) {
        $script = @"
`$ErrorActionPreference = 'Continue'
Import-Module '$script:ModulePath'
Set-Location -LiteralPath '$Folder'
`$out = Get-ChildItem $Filter | Compress-ImageKMeans $Arguments -ErrorVariable errs -ErrorAction SilentlyContinue
[pscustomobject]@{
    Results = @(`$out | ForEach-Object { [pscustomobject]@{ Name = Split-Path -Leaf `$_.Path; Output = Split-Path -Leaf `$_.Destination; Status = `$_.Status.ToString() } })
    Errors = @(`$errs | ForEach-Object FullyQualifiedErrorId)
} | ConvertTo-Json -Depth 4
"@
        $json = & (Get-ChildPwshPath) -NoProfile -NonInteractive -Command $script
        ($json -join "`n") | ConvertFrom-Json
    }

    function Get-FolderState([string] $Folder) {
        Get-ChildItem -LiteralPath $Folder -Force -File -Recurse | Sort-Object FullName | ForEach-Object {
            '{0} {1} {2} {3}' -f $_.FullName, $_.Length, (Get-FileHash -LiteralPath $_.FullName).Hash, $_.LastWriteTimeUtc.Ticks
        }
    }

    function Get-Leaves([string] $Folder) { @(Get-ChildItem -LiteralPath $Folder -Force -File | ForEach-Object Name | Sort-Object) }
}

AfterAll {
    Remove-Module KMeansPS -ErrorAction SilentlyContinue
}

Describe '-Suffix' {
    BeforeAll {
        $script:dir = New-Folder
        $script:photo = (New-TestPng -Path (Join-Path $script:dir 'photo.png')).FullName
    }

    It 'defaults to -k{K}: NAME-kK.png as before' {
        $r = Compress-ImageKMeans -LiteralPath $script:photo -K 8 -Seed 1 -Destination (Join-Path $script:dir 'default/')
        Split-Path -Leaf $r.Destination | Should -Be 'photo-k8.png'
        (Get-Command Compress-ImageKMeans).Parameters['Suffix'] | Should -Not -BeNullOrEmpty
    }

    It 'replaces -k{K}, with {K} expanded to the K asked for' {
        $r = Compress-ImageKMeans -LiteralPath $script:photo -K 12 -Seed 1 -Suffix '.{K}colours' -Destination (Join-Path $script:dir 'custom/')
        Split-Path -Leaf $r.Destination | Should -Be 'photo.12colours.png'
        Test-Path -LiteralPath $r.Destination | Should -BeTrue
        $g = Compress-ImageKMeans -LiteralPath $script:photo -K 12 -Seed 1 -Suffix '-small' -Format Gif -Destination (Join-Path $script:dir 'custom/')
        Split-Path -Leaf $g.Destination | Should -Be 'photo-small.gif'
    }

    It 'may be empty, for the bare name in another folder' {
        $r = Compress-ImageKMeans -LiteralPath $script:photo -K 8 -Seed 1 -Suffix '' -Destination (Join-Path $script:dir 'bare/')
        $r.Destination | Should -Be (Join-Path $script:dir 'bare/photo.png')
    }

    It 'names the comparison figure too' {
        $r = Compress-ImageKMeans -LiteralPath $script:photo -K 8 -Seed 1 -Suffix '_q{K}' -Destination (Join-Path $script:dir 'cmp/') -ComparisonPath (Join-Path $script:dir 'cmp/')
        Split-Path -Leaf $r.ComparisonPath | Should -Be 'photo_q8-comparison.png'
    }

    It 'refuses <Label> with InvalidSuffix before anything is written' -ForEach @(
        @{ Label = 'a slash'; Suffix = '-k/8' }
        @{ Label = 'a backslash'; Suffix = '-k\8' }
        @{ Label = 'a NUL'; Suffix = "-k`08" }
    ) {
        $out = Join-Path $script:dir "refused-$([guid]::NewGuid())"
        { Compress-ImageKMeans -LiteralPath $script:photo -K 8 -Seed 1 -Suffix $Suffix -Destination "$out/" -ErrorAction Stop } |
            Should -Throw -ErrorId "InvalidSuffix,$script:Id"
        try { Compress-ImageKMeans -LiteralPath $script:photo -K 8 -Seed 1 -Suffix $Suffix -ErrorAction Stop }
        catch { $_.CategoryInfo.Category | Should -Be 'InvalidArgument'; $_.Exception.Message | Should -BeLike '*-Suffix*' }
        Test-Path -LiteralPath $out | Should -BeFalse
        Get-Leaves $script:dir | Should -Not -Contain 'photo-k8.png'
    }

    It 'is part of how reruns find their outputs: a second run in a fresh pwsh writes nothing' {
        $dir = New-Folder
        $null = New-TestPng -Path (Join-Path $dir 'a.png')
        $null = New-TestPng -Path (Join-Path $dir 'b.png') -Transparent
        $first = Invoke-FreshRun $dir '*.png' "-K 8 -Suffix '_small{K}'"
        $first.Errors | Should -BeNullOrEmpty
        ($first.Results | Sort-Object Name).Output | Should -Be @('a_small8.png', 'b_small8.png')
        $state = Get-FolderState $dir
        Start-Sleep -Milliseconds 20
        $second = Invoke-FreshRun $dir '*.png' "-K 8 -Suffix '_small{K}'"
        $second.Errors | Should -BeNullOrEmpty
        Get-FolderState $dir | Should -Be $state
        ($second.Results | Where-Object Name -in 'a.png', 'b.png').Status | Should -Be @('SkippedUpToDate', 'SkippedUpToDate')
        ($second.Results | Where-Object Name -like '*_small8.png').Status | Should -Be @('SkippedOwnOutput', 'SkippedOwnOutput')
    }
}

Describe 'An output file''s extension matches its format' {
    BeforeAll {
        $script:dir = New-Folder
        $script:photo = (New-TestPng -Path (Join-Path $script:dir 'photo.png')).FullName
    }

    It 'refuses <Label> with DestinationExtensionMismatch and writes nothing' -ForEach @(
        @{ Label = 'PNG into -Destination x.jpg'; Arguments = @{ Destination = 'x.jpg' }; Leaf = 'x.jpg' }
        @{ Label = 'PNG into -Destination x.GIF given -Format Png'; Arguments = @{ Destination = 'x.GIF'; Format = 'Png' }; Leaf = 'x.GIF' }
        @{ Label = 'GIF into -Destination y.png'; Arguments = @{ Destination = 'y.png'; Format = 'Gif' }; Leaf = 'y.png' }
        @{ Label = 'GIF into -Destination y.WebP'; Arguments = @{ Destination = 'y.WebP'; Format = 'Gif' }; Leaf = 'y.WebP' }
        @{ Label = 'a -ComparisonPath c.jpg (always PNG)'; Arguments = @{ ComparisonPath = 'c.jpg' }; Leaf = 'c.jpg' }
    ) {
        $before = Get-Leaves $script:dir
        $named = @{}
        foreach ($key in $Arguments.Keys) { $named[$key] = if ($key -eq 'Format') { $Arguments[$key] } else { Join-Path $script:dir $Arguments[$key] } }
        $err = $null
        try { Compress-ImageKMeans -LiteralPath $script:photo -K 8 -Seed 1 @named -ErrorAction Stop }
        catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -Be "DestinationExtensionMismatch,$script:Id"
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -BeLike "*$Leaf*"
        Get-Leaves $script:dir | Should -Be $before
    }

    It 'compares extensions without case: <Leaf> is written as <Format>' -ForEach @(
        @{ Leaf = 'Upper.PNG'; Arguments = @{}; Format = 'Png' }
        @{ Leaf = 'Upper.Gif'; Arguments = @{}; Format = 'Gif' }
        @{ Leaf = 'explicit.GIF'; Arguments = @{ Format = 'Gif' }; Format = 'Gif' }
    ) {
        $r = Compress-ImageKMeans -LiteralPath $script:photo -K 8 -Seed 1 -Destination (Join-Path $script:dir $Leaf) @Arguments
        $r.Format | Should -Be $Format
        $head = [System.IO.File]::ReadAllBytes($r.Destination)[0..3]
        if ($Format -eq 'Gif') { [System.Text.Encoding]::ASCII.GetString($head[0..2]) | Should -Be 'GIF' }
        else { $head | Should -Be @(0x89, 0x50, 0x4E, 0x47) }
    }

    It 'writes a name whose extension is no image format''s as asked (out.v2), and a -ComparisonPath .png file' {
        $r = Compress-ImageKMeans -LiteralPath $script:photo -K 8 -Seed 1 -Destination (Join-Path $script:dir 'out.v2') -ComparisonPath (Join-Path $script:dir 'fig.PNG')
        $r.Destination | Should -Be (Join-Path $script:dir 'out.v2')
        $r.ComparisonPath | Should -Be (Join-Path $script:dir 'fig.PNG')
    }
}

Describe 'Same-stem sources in one folder' {
    BeforeAll {
        # x.jpg and x.png (both compressed), X.bmp's twin in another case, and a lone photo that keeps the usual name.
        $script:dir = New-Folder
        Copy-Item -LiteralPath (Get-SampleImagePath) -Destination (Join-Path $script:dir 'x.jpg')
        $null = New-TestPng -Path (Join-Path $script:dir 'x.png')
        $null = New-TestPng -Path (Join-Path $script:dir 'lone.png') -Transparent
        $script:first = Invoke-FreshRun $script:dir '*.jpg, *.png' '-K 8 -Seed 1'
        $script:afterFirst = Get-FolderState $script:dir
        Start-Sleep -Milliseconds 20
        $script:second = Invoke-FreshRun $script:dir '*.png, *.jpg' '-K 8 -Seed 1'
    }

    It 'writes both, each named with its source extension; a source without a twin keeps NAME-kK.png' {
        $script:first.Errors | Should -BeNullOrEmpty
        $byName = @{}
        foreach ($r in $script:first.Results) { $byName[$r.Name] = $r }
        $byName['x.jpg'].Output | Should -Be 'x-jpg-k8.png'
        $byName['x.png'].Output | Should -Be 'x-png-k8.png'
        $byName['lone.png'].Output | Should -Be 'lone-k8.png'
        $script:first.Results.Status | Should -Be @('Written', 'Written', 'Written')
    }

    It 'a rerun in a fresh pwsh (inputs in the other order) writes nothing and reports every input skipped' {
        $script:second.Errors | Should -BeNullOrEmpty
        Get-FolderState $script:dir | Should -Be $script:afterFirst
        $byName = @{}
        foreach ($r in $script:second.Results) { $byName[$r.Name] = $r.Status }
        foreach ($source in 'x.jpg', 'x.png', 'lone.png') { $byName[$source] | Should -Be 'SkippedUpToDate' }
        foreach ($output in 'x-jpg-k8.png', 'x-png-k8.png', 'lone-k8.png') { $byName[$output] | Should -Be 'SkippedOwnOutput' }
    }

    It 'does not depend on which of the twins a call gets, nor on their order' {
        $dir = New-Folder
        Copy-Item -LiteralPath (Get-SampleImagePath) -Destination (Join-Path $dir 'x.jpg')
        $null = New-TestPng -Path (Join-Path $dir 'X.PNG')
        $one = Compress-ImageKMeans -LiteralPath (Join-Path $dir 'X.PNG') -K 4 -Seed 1
        Split-Path -Leaf $one.Destination | Should -Be 'X-PNG-k4.png' -Because 'x.jpg has the same stem in another case'
        $both = Compress-ImageKMeans -LiteralPath (Join-Path $dir 'X.PNG'), (Join-Path $dir 'x.jpg') -K 4 -Seed 1
        $both | ForEach-Object { Split-Path -Leaf $_.Destination } | Should -Be @('X-PNG-k4.png', 'x-jpg-k4.png')
        $both[0].Status | Should -Be 'SkippedUpToDate'
    }

    It 'counts Netpbm twins too (x.ppm, x.pgm, y.png beside y.ppm), both ways' {
        $dir = New-Folder
        [IO.File]::WriteAllBytes((Join-Path $dir 'x.ppm'), [byte[]]([Text.Encoding]::ASCII.GetBytes("P6`n2 2`n255`n") + (1..12 | ForEach-Object { [byte](20 * $_) })))
        [IO.File]::WriteAllBytes((Join-Path $dir 'x.pgm'), [byte[]]([Text.Encoding]::ASCII.GetBytes("P5`n2 2`n255`n") + [byte[]](70, 80, 160, 240)))
        $null = New-TestPng -Path (Join-Path $dir 'y.png')
        Copy-Item -LiteralPath (Join-Path $dir 'x.ppm') -Destination (Join-Path $dir 'y.ppm')
        $rows = Get-ChildItem -LiteralPath $dir | Compress-ImageKMeans -K 4 -Seed 1 -ErrorVariable errs
        $errs | Should -BeNullOrEmpty
        ($rows | ForEach-Object { Split-Path -Leaf $_.Destination } | Sort-Object) | Should -Be @('x-pgm-k4.png', 'x-ppm-k4.png', 'y-png-k4.png', 'y-ppm-k4.png')
    }

    It 'keeps a source''s up-to-date output under its plain name when a twin arrives on a later night' {
        $dir = New-Folder
        $null = New-TestPng -Path (Join-Path $dir 'x.png')
        $first = Invoke-FreshRun $dir '-File' '-K 8 -Seed 1 -ComparisonPath cmp/'
        $first.Results.Output | Should -Be 'x-k8.png'
        Copy-Item -LiteralPath (Get-SampleImagePath) -Destination (Join-Path $dir 'x.jpg')   # the twin, dropped in later
        $second = Invoke-FreshRun $dir '-File' '-K 8 -Seed 1 -ComparisonPath cmp/'
        $second.Errors | Should -BeNullOrEmpty
        $byName = @{}
        foreach ($r in $second.Results) { $byName[$r.Name] = $r }
        $byName['x.png'].Status | Should -Be 'SkippedUpToDate'
        $byName['x.png'].Output | Should -Be 'x-k8.png'
        $byName['x.jpg'].Status | Should -Be 'Written'
        $byName['x.jpg'].Output | Should -Be 'x-jpg-k8.png'
        Test-Path -LiteralPath (Join-Path $dir 'x-png-k8.png') | Should -BeFalse
        (Get-ChildItem -LiteralPath (Join-Path $dir 'cmp')).Name | Sort-Object | Should -Be @('x-jpg-k8-comparison.png', 'x-k8-comparison.png')
        # -Force writes it again under the name it has, not as a second output.
        $forced = Compress-ImageKMeans -LiteralPath (Join-Path $dir 'x.png') -K 8 -Seed 1 -ComparisonPath (Join-Path $dir 'cmp/') -Force
        $forced.Status | Should -Be 'Written'
        Split-Path -Leaf $forced.Destination | Should -Be 'x-k8.png'
        Test-Path -LiteralPath (Join-Path $dir 'x-png-k8.png') | Should -BeFalse
        # Changed, it is written again under the name the rule gives now; other settings do not keep the old name either.
        $null = New-TestPng -Path (Join-Path $dir 'x.png') -Colors 3
        $third = Invoke-FreshRun $dir 'x.png' '-K 8 -Seed 1 -ComparisonPath cmp/'
        $third.Results.Output | Should -Be 'x-png-k8.png'
        $third.Results.Status | Should -Be 'Written'
    }

    It 'keeps a source''s output under its tagged name when its twin goes away, also after it changed with the twin there' {
        $dir = New-Folder
        $null = New-TestPng -Path (Join-Path $dir 'x.png')
        Copy-Item -LiteralPath (Get-SampleImagePath) -Destination (Join-Path $dir 'x.jpg')
        (Invoke-FreshRun $dir '*.png, *.jpg' '-K 8 -Seed 1').Results.Output | Sort-Object | Should -Be @('x-jpg-k8.png', 'x-png-k8.png')
        Remove-Item -LiteralPath (Join-Path $dir 'x.jpg'), (Join-Path $dir 'x-jpg-k8.png')
        $alone = Invoke-FreshRun $dir 'x.png' '-K 8 -Seed 1'
        $alone.Errors | Should -BeNullOrEmpty
        $alone.Results.Status | Should -Be 'SkippedUpToDate'
        $alone.Results.Output | Should -Be 'x-png-k8.png'
        Test-Path -LiteralPath (Join-Path $dir 'x-k8.png') | Should -BeFalse

        # Done alone as x-k8.png; then the twin comes and the source changes the same night (x-png-k8.png); then the twin goes.
        $dir = New-Folder
        $null = New-TestPng -Path (Join-Path $dir 'x.png')
        $null = Invoke-FreshRun $dir 'x.png' '-K 8 -Seed 1'
        Copy-Item -LiteralPath (Get-SampleImagePath) -Destination (Join-Path $dir 'x.jpg')
        $null = New-TestPng -Path (Join-Path $dir 'x.png') -Colors 5
        (Invoke-FreshRun $dir 'x.png' '-K 8 -Seed 1').Results.Output | Should -Be 'x-png-k8.png'
        Remove-Item -LiteralPath (Join-Path $dir 'x.jpg')
        $after = Invoke-FreshRun $dir 'x.png' '-K 8 -Seed 1'
        $after.Errors | Should -BeNullOrEmpty
        $after.Results.Status | Should -Be 'SkippedUpToDate'
        $after.Results.Output | Should -Be 'x-png-k8.png'
    }

    It 'counts an image without an extension as a twin: y and y.png give y-k8.png and y-png-k8.png, and a rerun writes nothing' {
        $dir = New-Folder
        $null = New-TestPng -Path (Join-Path $dir 'y.png')
        $null = New-TestPng -Path (Join-Path $dir 'y') -Transparent
        $first = Invoke-FreshRun $dir '-File' '-K 8 -Seed 1'
        $first.Errors | Should -BeNullOrEmpty
        ($first.Results | Sort-Object Name).Output | Should -Be @('y-k8.png', 'y-png-k8.png')
        $second = Invoke-FreshRun $dir '-File' '-K 8 -Seed 1'
        $second.Errors | Should -BeNullOrEmpty
        @($second.Results | Where-Object Status -EQ 'Written').Count | Should -Be 0
    }

    It 'counts only images as twins: not <Kind> named x<Extension>' -ForEach @(
        @{ Kind = 'an empty file'; Extension = '.gif'; Make = { param($p) New-Item -ItemType File -Path $p | Out-Null } }
        @{ Kind = 'a text file'; Extension = '.bmp'; Make = { param($p) Set-Content -LiteralPath $p -Value 'notes, not a bitmap' } }
        @{ Kind = 'a link to nothing'; Extension = '.jpg'; Make = { param($p) New-Item -ItemType SymbolicLink -Path $p -Target (Join-Path (Split-Path $p) 'gone.jpg') | Out-Null } }
        @{ Kind = 'a pipe'; Extension = '.webp'; Make = { param($p) & mkfifo $p } }
    ) {
        if ($IsWindows -and $Kind -in 'a link to nothing', 'a pipe') { Set-ItResult -Skipped -Because 'POSIX only'; return }
        $dir = New-Folder
        $null = New-TestPng -Path (Join-Path $dir 'x.png')
        & $Make (Join-Path $dir "x$Extension")
        $r = Compress-ImageKMeans -LiteralPath (Join-Path $dir 'x.png') -K 4 -Seed 1
        Split-Path -Leaf $r.Destination | Should -Be 'x-k4.png'
        # A real image of that stem still is one.
        Remove-Item -LiteralPath (Join-Path $dir "x$Extension"), $r.Destination
        $null = New-TestPng -Path (Join-Path $dir 'x.tif.png')   # another stem: not a twin
        Copy-Item -LiteralPath (Join-Path $dir 'x.png') -Destination (Join-Path $dir "x$Extension")
        $r = Compress-ImageKMeans -LiteralPath (Join-Path $dir 'x.png') -K 4 -Seed 1
        Split-Path -Leaf $r.Destination | Should -Be 'x-png-k4.png'
    }

    It 'does not count the module''s own output as a twin: -Suffix '''' beside the source reruns as a no-op' {
        $dir = New-Folder
        Copy-Item -LiteralPath (Get-SampleImagePath) -Destination (Join-Path $dir 'pic.jpg')
        $first = Invoke-FreshRun $dir '*.jpg' '-K 4 -Seed 1 -Suffix ""'
        $first.Errors | Should -BeNullOrEmpty
        $first.Results.Output | Should -Be 'pic.png'
        $state = Get-FolderState $dir
        Start-Sleep -Milliseconds 20
        $second = Invoke-FreshRun $dir '*' '-K 4 -Seed 1 -Suffix ""'
        $second.Errors | Should -BeNullOrEmpty
        Get-FolderState $dir | Should -Be $state
        ($second.Results | Sort-Object Name).Status | Should -Be @('SkippedUpToDate', 'SkippedOwnOutput')
    }
}

Describe 'A -Destination or -ComparisonPath folder is made when its output is written' {
    BeforeEach {
        $script:dir = New-Folder
        $null = New-TestPng -Path (Join-Path $script:dir 'a.png')
        Set-Content -LiteralPath (Join-Path $script:dir 'bad.png') -Value 'not a png'
    }

    It 'leaves no folder behind for a source that fails to decode' {
        $null = Compress-ImageKMeans -LiteralPath (Join-Path $script:dir 'bad.png') -K 4 -Destination (Join-Path $script:dir 'new/deeper/') `
            -ComparisonPath (Join-Path $script:dir 'cmp/') -ErrorVariable errs -ErrorAction SilentlyContinue
        @($errs).Count | Should -Be 1
        Test-Path -LiteralPath (Join-Path $script:dir 'new') | Should -BeFalse
        Test-Path -LiteralPath (Join-Path $script:dir 'cmp') | Should -BeFalse
    }

    It 'leaves no folder behind for a source below its -MinPsnr' {
        $null = Compress-ImageKMeans -LiteralPath (Join-Path $script:dir 'a.png') -K 2 -MinPsnr 90 -Destination (Join-Path $script:dir 'floor/') `
            -ErrorVariable errs -ErrorAction SilentlyContinue
        @($errs).Count | Should -Be 1
        Test-Path -LiteralPath (Join-Path $script:dir 'floor') | Should -BeFalse
    }

    It 'makes both folders, nested, for an output that is written' {
        $r = Compress-ImageKMeans -LiteralPath (Join-Path $script:dir 'a.png') -K 4 -Seed 1 -Destination (Join-Path $script:dir 'new/deeper/') `
            -ComparisonPath (Join-Path $script:dir 'cmp/side/')
        $r.Status | Should -Be 'Written'
        Test-Path -LiteralPath (Join-Path $script:dir 'new/deeper/a-k4.png') | Should -BeTrue
        @(Get-ChildItem -LiteralPath (Join-Path $script:dir 'cmp/side') -Filter *.png).Count | Should -Be 1
    }
}

Describe 'An output path on another provider''s drive' {
    It 'is refused with NotFileSystemPath: Compress-ImageKMeans -<Parameter> <Value>' -ForEach @(
        @{ Parameter = 'Destination'; Value = 'variable:out/' }
        @{ Parameter = 'ComparisonPath'; Value = 'function:cmp.png' }
    ) {
        $dir = New-Folder
        $null = New-TestPng -Path (Join-Path $dir 'a.png')
        $splat = @{ $Parameter = $Value }
        { Compress-ImageKMeans -LiteralPath (Join-Path $dir 'a.png') -K 4 @splat } | Should -Throw -ErrorId "NotFileSystemPath,$script:Id"
        @(Get-ChildItem -LiteralPath $dir).Name | Should -Be @('a.png')
    }

    It 'is refused with NotFileSystemPath: Measure-ImageKMeans -PlotPath' {
        $dir = New-Folder
        $null = New-TestPng -Path (Join-Path $dir 'a.png')
        { Measure-ImageKMeans -LiteralPath (Join-Path $dir 'a.png') -K 2, 4 -PlotPath env:curve.png } | Should -Throw -ErrorId 'NotFileSystemPath,KMeansPS.Commands.MeasureImageKMeansCommand'
    }
}
