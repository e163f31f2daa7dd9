BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-KMeansPSModulePath) -Force
    $script:Id = 'KMeansPS.Commands.CompressImageKMeansCommand'

    # Reads a PNG's chunk types and IHDR fields with plain .NET, independent of the module's encoder.
    function Get-PngInfo([string] $Path) {
        $bytes = [IO.File]::ReadAllBytes($Path)
        $chunks = [Collections.Generic.List[string]]::new()
        $pos = 8
        $ihdr = $null
        $plteEntries = 0
        while ($pos -lt $bytes.Length) {
            $len = ([int] $bytes[$pos] -shl 24) -bor ([int] $bytes[$pos + 1] -shl 16) -bor ([int] $bytes[$pos + 2] -shl 8) -bor $bytes[$pos + 3]
            $type = [Text.Encoding]::ASCII.GetString($bytes, $pos + 4, 4)
            $chunks.Add($type)
            if ($type -eq 'IHDR') { $ihdr = @{ BitDepth = $bytes[$pos + 16]; ColorType = $bytes[$pos + 17] } }
            if ($type -eq 'PLTE') { $plteEntries = $len / 3 }
            $pos += 12 + $len
        }
        [pscustomobject]@{ Chunks = $chunks.ToArray(); BitDepth = $ihdr.BitDepth; ColorType = $ihdr.ColorType; PaletteEntries = $plteEntries }
    }
}

AfterAll {
    Remove-Module KMeansPS -ErrorAction SilentlyContinue
}

Describe 'Compress-ImageKMeans' {
    BeforeEach {
        $script:dir = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item -ItemType Directory -Path $script:dir | Out-Null
        New-TestImageSet -Path $script:dir
    }

    It 'binds Get-ChildItem output and writes <name>-k<K>.png beside each source' {
        $results = Get-ChildItem (Join-Path $script:dir '*.png') | Compress-ImageKMeans -K 16 -Seed 1
        $results.Count | Should -Be 3
        foreach ($r in $results) {
            $r | Should -BeOfType ([KMeansPS.Output.ImageCompressionResult])
            $r.Destination | Should -Be (Join-Path $script:dir ("{0}-k16.png" -f [IO.Path]::GetFileNameWithoutExtension($r.Path)))
            Test-Path -LiteralPath $r.Destination | Should -BeTrue
        }
    }

    It 'writes a real palette PNG with PLTE, and tRNS only when there is transparency' {
        $opaque = Compress-ImageKMeans -LiteralPath (Join-Path $script:dir 'photo.png') -K 16 -Seed 1
        $info = Get-PngInfo $opaque.Destination
        $info.ColorType | Should -Be 3
        $info.BitDepth | Should -BeIn 4, 8 # 8 bits when that deflates smaller
        $info.Chunks | Should -Contain 'PLTE'
        $info.Chunks | Should -Not -Contain 'tRNS'
        $info.PaletteEntries | Should -BeLessOrEqual 16

        $alpha = Compress-ImageKMeans -LiteralPath (Join-Path $script:dir 'logo.png') -K 64 -Seed 1
        $info = Get-PngInfo $alpha.Destination
        $info.ColorType | Should -Be 3
        $info.BitDepth | Should -Be 8
        $info.Chunks | Should -Contain 'tRNS'
    }

    It 'reports size, quality and the run in the result' {
        $r = Compress-ImageKMeans -LiteralPath (Join-Path $script:dir 'sample.jpg') -K 64 -Seed 3
        $r.Width | Should -Be 640
        $r.Height | Should -Be 427
        $r.K | Should -Be 64
        $r.ColorsUsed | Should -BeLessOrEqual 64
        $r.ColorsUsed | Should -BeGreaterThan 32
        $r.Psnr | Should -BeGreaterThan 28
        $r.Ssim | Should -BeGreaterThan 0.7
        $r.Ssim | Should -BeLessOrEqual 1
        $r.Mse | Should -BeGreaterThan 0
        $r.OriginalBytes | Should -Be (Get-Item -LiteralPath $r.Path).Length
        $r.CompressedBytes | Should -Be (Get-Item -LiteralPath $r.Destination).Length
        $r.Ratio | Should -Be ($r.OriginalBytes / $r.CompressedBytes)
        $r.Seed | Should -Be 3
        $r.InstructionSet | Should -BeIn @('Vector512', 'Vector256', 'Vector128', 'Scalar')
        $r.Converged | Should -BeTrue
    }

    It 'keeps an image with K or fewer colours losslessly' {
        $r = Compress-ImageKMeans -LiteralPath (Join-Path $script:dir 'few.png') -K 8 -Seed 1
        $r.Lossless | Should -BeTrue
        $r.ColorsUsed | Should -Be 4
        $r.Psnr | Should -Be ([double]::PositiveInfinity)
        (Get-PngInfo $r.Destination).BitDepth | Should -BeIn 2, 8
    }

    It 'is deterministic for a seed' {
        $a = Compress-ImageKMeans -LiteralPath (Join-Path $script:dir 'sample.jpg') -K 32 -Seed 9 -Destination (Join-Path $script:dir 'a.png')
        $b = Compress-ImageKMeans -LiteralPath (Join-Path $script:dir 'sample.jpg') -K 32 -Seed 9 -Destination (Join-Path $script:dir 'b.png')
        (Get-FileHash $a.Destination).Hash | Should -Be (Get-FileHash $b.Destination).Hash
    }

    It 'fits an image with more colours than the histogram holds on colour cells, with a warning, the same for any threads' {
        # 600 x 600 noise: about 360,000 distinct colours, above the 262,144 entries a histogram may hold.
        $noise = New-NoisePng -Path (Join-Path $script:dir 'noise.png')
        $a = Compress-ImageKMeans -LiteralPath $noise.FullName -K 16 -Seed 2 -Destination (Join-Path $script:dir 'a.png') -WarningVariable warned -WarningAction SilentlyContinue -Verbose 4>&1 |
            Tee-Object -Variable streams | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $a.SourceColors | Should -Be 262145
        # A lower bound, and said so: the -Verbose report gives no count the image does not have.
        $a.SourceColorsIsLowerBound | Should -BeTrue
        $report = @($streams | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and "$_" -like '*distinct colours*' })
        $report.Count | Should -Be 1
        "$($report[0])" | Should -BeLike '*more than 262,144 distinct colours;*'
        $a.ColorsUsed | Should -Be 16
        $a.Warning | Should -BeLike '*more than 262,144 distinct colours*'
        @($warned).Count | Should -Be 1
        "$($warned[0])" | Should -BeLike "*noise.png: The image has more than 262,144 distinct colours*"
        $a.Psnr | Should -BeGreaterThan 15
        # The same in a process that sees one processor (one thread everywhere).
        $env:DOTNET_PROCESSOR_COUNT = '1'
        try {
            $b = & (Get-ChildPwshPath) -NoProfile -NonInteractive -Command "Import-Module '$(Get-KMeansPSModulePath)'; (Compress-ImageKMeans -LiteralPath '$($noise.FullName)' -K 16 -Seed 2 -Destination '$(Join-Path $script:dir 'b.png')' -WarningAction SilentlyContinue).Destination"
        }
        finally {
            Remove-Item Env:DOTNET_PROCESSOR_COUNT
        }
        (Get-FileHash $a.Destination).Hash | Should -Be (Get-FileHash "$b").Hash
    }

    It 'writes GIF on request' {
        $r = Compress-ImageKMeans -LiteralPath (Join-Path $script:dir 'photo.png') -K 16 -Format Gif -Seed 1
        $r.Destination | Should -BeLike '*-k16.gif'
        [Text.Encoding]::ASCII.GetString([IO.File]::ReadAllBytes($r.Destination), 0, 6) | Should -Be 'GIF89a'
    }

    It 'says so when a GIF cannot hold a translucent source''s alpha, and not for an opaque one' {
        # A quarter of the pixels at alpha 128, which GIF holds only as transparent or opaque.
        $soft = Join-Path $script:dir 'soft.png'
        New-TestPng -Path $soft -Transparent
        $r = Compress-ImageKMeans -LiteralPath $soft -K 8 -Format Gif -Seed 1 -WarningVariable warned -WarningAction SilentlyContinue
        $r.Warning | Should -Match 'GIF has no partial transparency'
        "$warned" | Should -Match 'GIF has no partial transparency'
        $r.Lossless | Should -BeFalse
        $png = Compress-ImageKMeans -LiteralPath $soft -K 8 -Seed 1 -Suffix '-png' -WarningVariable pngWarned -WarningAction SilentlyContinue
        "$($png.Warning) $pngWarned" | Should -Not -Match 'partial transparency'
        $opaque = Compress-ImageKMeans -LiteralPath (Join-Path $script:dir 'photo.png') -K 16 -Format Gif -Seed 1 -Suffix '-opaque'
        "$($opaque.Warning)" | Should -Not -Match 'partial transparency'
    }

    It 'infers GIF from a -Destination ending in .gif' {
        $r = Compress-ImageKMeans -LiteralPath (Join-Path $script:dir 'photo.png') -K 16 -Destination (Join-Path $script:dir 'out.gif') -Seed 1
        $r.Format | Should -Be 'Gif'
    }

    It 'puts outputs into a -Destination folder, creating it' {
        $out = Join-Path $script:dir 'out/'
        $results = Get-ChildItem (Join-Path $script:dir '*.png') | Compress-ImageKMeans -K 8 -Destination $out -Seed 1
        $results.Destination | ForEach-Object { Split-Path $_ } | Sort-Object -Unique | Should -Be (Join-Path $script:dir 'out')
    }

    It 'writes the comparison figure' {
        $fig = Join-Path $script:dir 'cmp.png'
        $r = Compress-ImageKMeans -LiteralPath (Join-Path $script:dir 'sample.jpg') -K 16 -ComparisonPath $fig -Seed 1
        $r.ComparisonPath | Should -Be $fig
        (Get-Item $fig).Length | Should -BeGreaterThan 1000
    }

    It 'with -WhatIf writes nothing and decodes nothing' {
        $before = Get-ChildItem $script:dir | Sort-Object Name | ForEach-Object Name
        $out = Get-ChildItem (Join-Path $script:dir '*') | Compress-ImageKMeans -K 16 -WhatIf
        $out | Should -BeNullOrEmpty
        Get-ChildItem $script:dir | Sort-Object Name | ForEach-Object Name | Should -Be $before
    }

    It 'refuses to overwrite an existing output without -Force, and overwrites with it' {
        $src = Join-Path $script:dir 'photo.png'
        $first = Compress-ImageKMeans -LiteralPath $src -K 8 -Seed 1
        $stamp = (Get-Item $first.Destination).LastWriteTimeUtc
        # The same command again is a no-op (Rerun.Tests.ps1); other settings are refused.
        (Compress-ImageKMeans -LiteralPath $src -K 8 -Seed 1).Status | Should -Be 'SkippedUpToDate'
        $null = Compress-ImageKMeans -LiteralPath $src -K 8 -Seed 2 -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be "OutputExists,$script:Id"
        $errs[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        Start-Sleep -Milliseconds 20
        $again = Compress-ImageKMeans -LiteralPath $src -K 8 -Seed 2 -Force
        (Get-Item $again.Destination).LastWriteTimeUtc | Should -BeGreaterThan $stamp
    }

    It 'never overwrites the source, even with -Force' {
        $src = Join-Path $script:dir 'photo.png'
        $hash = (Get-FileHash $src).Hash
        $null = Compress-ImageKMeans -LiteralPath $src -K 8 -Destination $src -Force -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be "OutputIsSource,$script:Id"
        (Get-FileHash $src).Hash | Should -Be $hash
    }

    It 'reports bad files among good ones, with the right category, and goes on' -ForEach @(
        @{ Name = 'empty.png'; Make = { param($p) [IO.File]::WriteAllBytes($p, [byte[]]::new(0)) }; ErrorId = 'InvalidImage'; Category = 'InvalidData' }
        @{ Name = 'text.png'; Make = { param($p) Set-Content -Path $p -Value 'not an image' }; ErrorId = 'InvalidImage'; Category = 'InvalidData' }
        @{ Name = 'truncated.png'; Make = { param($p) $b = [IO.File]::ReadAllBytes((Join-Path (Split-Path $p) 'photo.png')); [IO.File]::WriteAllBytes($p, $b[0..99]) }; ErrorId = 'InvalidImage'; Category = 'InvalidData' }
    ) {
        $bad = Join-Path $script:dir $Name
        & $Make $bad
        $files = @((Join-Path $script:dir 'few.png'), $bad, (Join-Path $script:dir 'photo.png'))
        $results = $files | ForEach-Object { Get-Item -LiteralPath $_ } | Compress-ImageKMeans -K 8 -Seed 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $results.Count | Should -Be 2
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be "$ErrorId,$script:Id"
        $errs[0].CategoryInfo.Category | Should -Be $Category
        $errs[0].TargetObject | Should -Be $bad
        $errs[0].Exception.Message | Should -Match ([regex]::Escape($Name))
        Test-Path (Join-Path $script:dir ([IO.Path]::GetFileNameWithoutExtension($Name) + '-k8.png')) | Should -BeFalse
        Get-ChildItem $script:dir -Filter '*.tmp' -Force | Should -BeNullOrEmpty
    }

    It 'reports a missing path as ObjectNotFound' {
        $null = Compress-ImageKMeans -Path (Join-Path $script:dir 'nope.png') -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be "FileNotFound,$script:Id"
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'reports a -Path whose wildcards match nothing but name a file as it is (<Name>), and reads it by -LiteralPath' -ForEach @(
        @{ Name = 'IMG [1].jpg' }, @{ Name = 'a[b]c.jpg' }, @{ Name = 'x[12].jpg' }
    ) {
        $folder = New-Item -ItemType Directory -Force (Join-Path $script:dir "pattern-$([guid]::NewGuid().ToString('N'))")
        Copy-Item -LiteralPath (Join-Path $script:dir 'sample.jpg') -Destination (Join-Path $folder $Name)
        Push-Location $folder
        try {
            $out = Compress-ImageKMeans $Name -K 4 -Seed 1 -ErrorVariable errs -ErrorAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            @($errs).Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be "PatternNamesLiteralFile,$script:Id"
            $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $errs[0].TargetObject | Should -Be $Name
            $errs[0].Exception.Message | Should -Match '-LiteralPath'
            # Piped as a string, and to Measure-ImageKMeans: the same.
            $null = $Name | Compress-ImageKMeans -K 4 -Seed 1 -ErrorVariable piped -ErrorAction SilentlyContinue
            $piped[0].FullyQualifiedErrorId | Should -Be "PatternNamesLiteralFile,$script:Id"
            $null = Measure-ImageKMeans $Name -K 4 -ErrorVariable measured -ErrorAction SilentlyContinue
            $measured[0].FullyQualifiedErrorId | Should -Be 'PatternNamesLiteralFile,KMeansPS.Commands.MeasureImageKMeansCommand'
            (Compress-ImageKMeans -LiteralPath $Name -K 4 -Seed 1).Status | Should -Be 'Written'
            # A pattern that matches nothing and names no file stays silent, as Get-ChildItem's does.
            $null = Compress-ImageKMeans 'none[1].jpg' -K 4 -ErrorVariable quiet -ErrorAction SilentlyContinue
            $quiet | Should -BeNullOrEmpty
        }
        finally { Pop-Location }
    }

    It 'reports a folder given through <Parameter> as PathIsDirectory, an invalid argument' -ForEach @(
        @{ Parameter = 'Path' }, @{ Parameter = 'LiteralPath' }
    ) {
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive "folder-for-$Parameter") -Force
        $splat = @{ $Parameter = $folder.FullName }
        $null = Compress-ImageKMeans @splat -K 8 -Seed 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be "PathIsDirectory,$script:Id"
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $errs[0].TargetObject | Should -Be $folder.FullName
        $errs[0].Exception.Message | Should -Match 'Get-ChildItem'
    }

    It '-Debug stage times add up to no more than the file''s Elapsed, which the line prints, from a session''s first file on' {
        # A fresh session (its first file is where the stages once ran past Elapsed), seeded noise images of several
        # sizes, one at a time and several at once, with and without a comparison figure.
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'stage-times') -Force
        $files = foreach ($seed in 1..6) { $path = Join-Path $folder.FullName "noise$seed.png"; $null = New-NoisePng -Path $path -Width (16 * $seed) -Height (90 - 10 * $seed) -Seed $seed; $path }
        $json = Invoke-ChildScriptWithTimeout -TimeoutSeconds 300 -Script @"
`$DebugPreference = 'Continue'
`$rows = foreach (`$case in @{ ThrottleLimit = 1; Destination = '$($folder.FullName)/one/' }, @{ ThrottleLimit = 3; Destination = '$($folder.FullName)/three/'; ComparisonPath = '$($folder.FullName)/figures/' }) {
    Get-Item '$($files -join "','")' | Compress-ImageKMeans -K 8 -Seed 1 @case 5>&1 | ForEach-Object {
        if (`$_ -is [System.Management.Automation.DebugRecord]) { if (`$_.Message -like '*stage times*') { `$line = `$_.Message } }
        elseif (`$_ -is [KMeansPS.Output.ImageCompressionResult]) { [pscustomobject]@{ Line = `$line; Elapsed = `$_.Elapsed.TotalMilliseconds } }
    }
}
ConvertTo-Json @(`$rows) -Compress
"@
        $rows = @($json | ConvertFrom-Json)
        $rows.Count | Should -Be 12
        foreach ($row in $rows) {
            $match = [regex]::Match($row.Line, '^''.+'' stage times: (?<stages>.+); the file took (?<whole>\d+) ms\.$')
            $match.Success | Should -BeTrue -Because $row.Line
            $whole = [int] $match.Groups['whole'].Value
            $stages = ([regex]::Matches($match.Groups['stages'].Value, ' (\d+) ms') | ForEach-Object { [int] $_.Groups[1].Value } | Measure-Object -Sum).Sum
            $stages | Should -BeLessOrEqual $whole -Because $row.Line
            $whole | Should -Be ([math]::Round($row.Elapsed, [MidpointRounding]::AwayFromZero)) -Because $row.Line
        }
    }

    It 'refuses a pipe (FIFO) named like an image without waiting on it, and goes on with the other files' -Skip:$IsWindows {
        $fifo = Join-Path $script:dir 'b-pipe.png'
        & mkfifo $fifo
        $out = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'fifo-out') -Force
        # In a child pwsh with a timeout: opening the pipe would wait for a writer for ever.
        $json = Invoke-ChildScriptWithTimeout -TimeoutSeconds 120 -Script @"
`$results = Get-ChildItem '$(Join-Path $script:dir '*.png')' | Compress-ImageKMeans -K 8 -Seed 1 -Destination '$($out.FullName)' -ErrorVariable errs -ErrorAction SilentlyContinue
`$one = `$null
try { `$null = Compress-ImageKMeans -LiteralPath '$fifo' -K 8 -Seed 1 -ErrorAction Stop } catch { `$one = `$_.FullyQualifiedErrorId }
`$device = `$null
try { `$null = Compress-ImageKMeans -LiteralPath /dev/zero -K 8 -Seed 1 -ErrorAction Stop } catch { `$device = `$_.FullyQualifiedErrorId }
[pscustomobject]@{
    Results = @(`$results).Count; Ids = @(`$errs.FullyQualifiedErrorId); Categories = @(`$errs | ForEach-Object { `$_.CategoryInfo.Category.ToString() })
    Targets = @(`$errs.TargetObject); Messages = @(`$errs.Exception.Message); One = `$one; Device = `$device
} | ConvertTo-Json -Compress
"@
        $seen = $json | ConvertFrom-Json
        $seen.Results | Should -Be 3
        $seen.Ids | Should -Be @("PathIsSpecialFile,$script:Id")
        $seen.Categories | Should -Be @('InvalidArgument')
        $seen.Targets | Should -Be @($fifo)
        $seen.Messages[0] | Should -BeLike '*pipe, socket or device*'
        $seen.One | Should -Be "PathIsSpecialFile,$script:Id"
        $seen.Device | Should -Be "PathIsSpecialFile,$script:Id"
        @(Get-ChildItem $out.FullName).Count | Should -Be 3
    }

    It 'names a folder piped from Get-ChildItem by its file-system path, and says to list its files' {
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'piped-folder') -Force
        $null = Get-Item -LiteralPath $folder.FullName | Compress-ImageKMeans -K 8 -Seed 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be "PathIsDirectory,$script:Id"
        $errs[0].Exception.Message | Should -BeLike "'$($folder.FullName)' is a folder*Get-ChildItem -File '$($folder.FullName)'*"
        $errs[0].Exception.Message | Should -Not -Match 'FileSystem::'
    }

    It 'names a piped file that vanished before it was read by its file-system path' {
        $gone = Join-Path $TestDrive 'vanishing.png'
        $null = New-TestPng -Path $gone
        $item = Get-Item -LiteralPath $gone
        Remove-Item -LiteralPath $gone
        $null = $item | Compress-ImageKMeans -K 8 -Seed 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be "FileNotFound,$script:Id"
        $errs[0].TargetObject | Should -Be $gone
        $errs[0].Exception.Message | Should -Not -Match 'FileSystem::'
    }

    It 'refuses an image over -MaxPixels as LimitsExceeded' {
        $null = Compress-ImageKMeans -LiteralPath (Join-Path $script:dir 'sample.jpg') -MaxPixels 1000 -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be "ImageTooLarge,$script:Id"
        $errs[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
    }

    It 'takes names with brackets through -LiteralPath and pipeline binding' {
        $odd = Join-Path $script:dir 'odd [1] name.png'
        Copy-Item -LiteralPath (Join-Path $script:dir 'photo.png') -Destination $odd
        $r = Get-Item -LiteralPath $odd | Compress-ImageKMeans -K 8 -Seed 1
        $r.Destination | Should -Be (Join-Path $script:dir 'odd [1] name-k8.png')
        Test-Path -LiteralPath $r.Destination | Should -BeTrue
    }

    It 'expands wildcards in -Path' {
        $r = Compress-ImageKMeans -Path (Join-Path $script:dir 'p*.png') -K 8 -Seed 1
        @($r).Count | Should -Be 1
        $r.Path | Should -Be (Join-Path $script:dir 'photo.png')
    }

    It 'processes files in parallel and emits results in input order' {
        $inputs = 1..6 | ForEach-Object {
            $p = Join-Path $script:dir "img$_.png"
            Copy-Item -LiteralPath (Join-Path $script:dir ($(if ($_ % 2) { 'photo.png' } else { 'logo.png' }))) -Destination $p
            $p
        }
        $results = $inputs | Compress-ImageKMeans -K 8 -ThrottleLimit 3 -Seed 1
        $results.Path | Should -Be $inputs
    }

    It 'writes no later file once an earlier outcome stops the command (<how>)' -ForEach @(
        @{ how = '-ErrorAction Stop' }
        @{ how = 'Select-Object -First' }
    ) {
        # A slow first image, then fast ones that finish long before it: under -ThrottleLimit 3 they used to be
        # published while the first was still running, and stayed on disk, reported by no result, after the stop.
        $big = Join-Path $script:dir 'big.png'
        New-NoisePng -Path $big -Width 700 -Height 500 -Seed 3
        $bad = Join-Path $script:dir 'bad.png'
        Set-Content -LiteralPath $bad -Value 'not an image'
        $smalls = 1..3 | ForEach-Object { $p = Join-Path $script:dir "small$_.png"; Copy-Item (Join-Path $script:dir 'logo.png') $p; $p }
        $out = Join-Path $script:dir 'out'
        if ($how -eq '-ErrorAction Stop') {
            { @($big, $bad) + $smalls | Compress-ImageKMeans -K 256 -Dither FloydSteinberg -ThrottleLimit 3 -Seed 1 -Destination "$out/" -ErrorAction Stop } |
                Should -Throw -ErrorId "InvalidImage,$script:Id"
        }
        else {
            $first = @($big) + $smalls | Compress-ImageKMeans -K 256 -Dither FloydSteinberg -ThrottleLimit 3 -Seed 1 -Destination "$out/" | Select-Object -First 1
            $first.Path | Should -Be $big
        }
        # The stopped workers remove their temporary files as they wind down: wait for that, then for any late publish.
        $deadline = [DateTime]::UtcNow.AddSeconds(20)
        while ([DateTime]::UtcNow -lt $deadline -and @(Get-ChildItem -LiteralPath $out -Force | Where-Object Name -NE 'big-k256.png').Count -gt 0) { Start-Sleep -Milliseconds 100 }
        Start-Sleep -Milliseconds 500
        @(Get-ChildItem -LiteralPath $out -Force).Name | Should -Be @('big-k256.png')
    }

    It 'measures a 16-bit source at 16 bits: never lossless, its 16-bit colours counted, the same figures as Measure-ImageKMeans' {
        $wide = New-SixteenBitPng -Path (Join-Path $script:dir 'wide.png') -Seed 5
        # Far fewer 8-bit colours than 16-bit ones: K = 256 holds every rounded colour, yet the file is not the source.
        $r = Compress-ImageKMeans -LiteralPath $wide.File.FullName -K 256 -Seed 1
        $r.Lossless | Should -BeFalse
        $r.SourceColors | Should -Be $wide.Colours
        $r.SourceColorsIsLowerBound | Should -BeFalse
        [double]::IsFinite($r.Psnr) | Should -BeTrue
        $m = Measure-ImageKMeans -LiteralPath $wide.File.FullName -K 256 -Seed 1
        $m.Psnr | Should -Be $r.Psnr
        $m.CompressedBytes | Should -Be $r.CompressedBytes
    }

    It 'fails at once when -Destination names one file but several images come in' {
        { Get-ChildItem (Join-Path $script:dir '*.png') | Compress-ImageKMeans -K 8 -Destination (Join-Path $script:dir 'one.png') -ErrorAction Stop } |
            Should -Throw -ErrorId "DestinationIsFile,$script:Id"
    }

    It 'rejects K outside 2..256 at binding' {
        { Compress-ImageKMeans -Path (Join-Path $script:dir 'photo.png') -K 1 } | Should -Throw -ErrorId "ParameterArgumentValidationError,$script:Id"
        { Compress-ImageKMeans -Path (Join-Path $script:dir 'photo.png') -K 257 } | Should -Throw -ErrorId "ParameterArgumentValidationError,$script:Id"
    }

    It 'shows results as a compact table' {
        $text = Compress-ImageKMeans -LiteralPath (Join-Path $script:dir 'photo.png') -K 8 -Seed 1 | Out-String
        $text | Should -Match 'Ratio'
        $text | Should -Match 'PSNR'
        $text | Should -Match 'photo.png'
    }
}
