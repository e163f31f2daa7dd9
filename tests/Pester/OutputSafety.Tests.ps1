# Issue #12 section 2: never overwrite a source, never clobber another writer. Files are compared by identity (links
# followed, hard links included), outputs never replace an input of the same call, names are claimed only when an
# output is written, two processes racing for one name get one winner, and temporary files do not outlive a kill.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-KMeansPSModulePath) -Force
    $script:Id = 'KMeansPS.Commands.CompressImageKMeansCommand'
    $script:MeasureId = 'KMeansPS.Commands.MeasureImageKMeansCommand'
    $script:IsRoot = $IsLinux -and ((& id -u) -eq '0')
    $script:ModulePath = (Resolve-Path (Get-KMeansPSModulePath)).Path

    function New-Folder([string] $Name) {
        New-Item -ItemType Directory -Path (Join-Path $TestDrive $Name) -Force | Select-Object -ExpandProperty FullName
    }
    function Get-Hash([string] $Path) { (Get-FileHash -LiteralPath $Path).Hash }
    function Get-Temp([string] $Path) { @(Get-ChildItem -LiteralPath $Path -Force -File | Where-Object Name -like '.kmps.*.tmp') }
}

AfterAll {
    Remove-Module KMeansPS -ErrorAction SilentlyContinue
}

Describe 'A source is a file, not a name' -Skip:$IsWindows {
    BeforeEach {
        $script:dir = New-Folder ([guid]::NewGuid())
        $script:a = (New-TestPng -Path (Join-Path $script:dir 'a.png')).FullName
        $script:hash = Get-Hash $script:a
    }

    It 'refuses -Force onto the source through a symbolic link (src_link.png -> a.png)' {
        $link = Join-Path $script:dir 'src_link.png'
        $null = New-Item -ItemType SymbolicLink -Path $link -Target $script:a
        $null = Compress-ImageKMeans -LiteralPath $link -K 8 -Seed 1 -Destination $script:a -Force -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be "OutputIsSource,$script:Id"
        $errs[0].Exception.Message | Should -Match ([regex]::Escape($script:a))
        $errs[0].Exception.Message | Should -Match 'src_link\.png'
        Get-Hash $script:a | Should -Be $script:hash
        (Get-Item $link).LinkTarget | Should -Be $script:a
    }

    It 'refuses -Force onto the source through a hard link, either way round' {
        $hard = Join-Path $script:dir 'hard.png'
        & ln $script:a $hard
        $null = Compress-ImageKMeans -LiteralPath $hard -K 8 -Seed 1 -Destination $script:a -Force -ErrorVariable e1 -ErrorAction SilentlyContinue
        $null = Compress-ImageKMeans -LiteralPath $script:a -K 8 -Seed 1 -Destination $hard -Force -ErrorVariable e2 -ErrorAction SilentlyContinue
        $e1.FullyQualifiedErrorId | Should -Be "OutputIsSource,$script:Id"
        $e2.FullyQualifiedErrorId | Should -Be "OutputIsSource,$script:Id"
        Get-Hash $script:a | Should -Be $script:hash
        Get-Hash $hard | Should -Be $script:hash
    }

    It 'refuses as OutputIsSource a hard link to the source made at the output''s name after it was planned' {
        # Two inputs, one worker: a.png's output is planned at once but written only after big.png's. The link to a.png
        # is made at its output's name while big.png is being encoded, so only the checks at write time can see it.
        $big = (New-TestPng -Path (Join-Path $script:dir 'big.png') -Width 1600 -Height 1200).FullName
        $out = New-Folder "late-$([guid]::NewGuid())"
        $target = Join-Path $out 'a.png'   # -Suffix '': each output takes its source's name, in another folder
        $report = Join-Path $script:dir 'report.txt'
        $cmd = "Import-Module '$script:ModulePath'; `$rows = Compress-ImageKMeans -LiteralPath '$big', '$($script:a)' -K 256 -Dither FloydSteinberg " +
            "-Suffix '' -Destination '$out/' -Seed 1 -ThrottleLimit 1 -ErrorVariable errs -ErrorAction SilentlyContinue; " +
            "Set-Content -LiteralPath '$report' -Value ((@(`$rows | ForEach-Object Status) + @(`$errs | ForEach-Object { `$_.FullyQualifiedErrorId + '|' + `$_.CategoryInfo.Category })) -join ';')"
        $p = Start-Process -FilePath (Get-ChildPwshPath) -ArgumentList '-NoProfile', '-NonInteractive', '-Command', $cmd -PassThru
        $deadline = [DateTime]::UtcNow.AddSeconds(120)
        $linked = $false
        while (-not $p.HasExited -and [DateTime]::UtcNow -lt $deadline) {
            if (Get-Temp $out) { & ln $script:a $target; $linked = $LASTEXITCODE -eq 0; break }   # big.png's encode has begun
            Start-Sleep -Milliseconds 2
        }
        $p.WaitForExit(120000) | Should -BeTrue
        $linked | Should -BeTrue
        Get-Content -LiteralPath $report | Should -Be "Written;OutputIsSource,$script:Id|InvalidArgument"
        Get-Hash $script:a | Should -Be $script:hash
        Get-Temp $out | Should -BeNullOrEmpty
    }

    It 'reports a link to the source found by the last checks before a write as OutputIsSource, not as a damaged image' {
        # The checks at the start of the job and of the write, which a link made after planning reaches first (a backup's
        # hard links, a folder swapped for a link): their refusal has the up-front check's id and category.
        $module = Get-Module KMeansPS
        $imaging = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'KMeansPS.Imaging' } | Select-Object -First 1
        $map = $module.ImplementingAssembly.GetType('KMeansPS.Bridge.ImageErrorMap', $true)
        $refusal = [Activator]::CreateInstance($imaging.GetType('KMeansPS.Imaging.IO.OutputIsSourceException', $true), [object[]] @("The destination '/out/a.png' is the source image '/in/a.png' (or a link to it)."))
        $record = $map.GetMethod('Record').Invoke($null, [object[]] @($refusal, '/in/a.png'))
        $record.FullyQualifiedErrorId | Should -Be 'OutputIsSource'
        $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $record.TargetObject | Should -Be '/in/a.png'
    }

    It 'refuses the source reached through a linked folder, and a -ComparisonPath onto it' {
        $alias = Join-Path $TestDrive "alias-$([guid]::NewGuid())"
        $null = New-Item -ItemType SymbolicLink -Path $alias -Target $script:dir
        $null = Compress-ImageKMeans -LiteralPath $script:a -K 8 -Seed 1 -Destination (Join-Path $alias 'a.png') -Force -ErrorVariable e1 -ErrorAction SilentlyContinue
        $null = Compress-ImageKMeans -LiteralPath $script:a -K 8 -Seed 1 -ComparisonPath (Join-Path $alias 'a.png') -Force -ErrorVariable e2 -ErrorAction SilentlyContinue
        $e1.FullyQualifiedErrorId | Should -Be "OutputIsSource,$script:Id"
        $e2.FullyQualifiedErrorId | Should -Be "OutputIsSource,$script:Id"
        Get-Hash $script:a | Should -Be $script:hash
        Get-ChildItem $script:dir -Force | ForEach-Object Name | Should -Be @('a.png')
    }

    It 'never lets Measure-ImageKMeans -PlotPath replace its image, even through a link' {
        $link = Join-Path $script:dir 'link.png'
        $null = New-Item -ItemType SymbolicLink -Path $link -Target $script:a
        $null = Measure-ImageKMeans -LiteralPath $script:a -K 2, 4 -Seed 1 -PlotPath $link -Force -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.FullyQualifiedErrorId | Should -Be "OutputIsSource,$script:MeasureId"
        Get-Hash $script:a | Should -Be $script:hash
    }
}

Describe 'No output replaces an input of the same call' {
    BeforeEach {
        $script:dir = New-Folder ([guid]::NewGuid())
        $script:x = (New-TestPng -Path (Join-Path $script:dir 'x.png')).FullName
        $script:xk8 = (New-TestPng -Path (Join-Path $script:dir 'x-k8.png') -Transparent).FullName
        $script:hash = Get-Hash $script:xk8
    }

    It 'refuses x.png''s output when x-k8.png came in first (pipeline, -Force)' {
        $results = $script:xk8, $script:x | Compress-ImageKMeans -K 8 -Seed 1 -Force -ErrorVariable errs -ErrorAction SilentlyContinue
        @($results).Path | Should -Be @($script:xk8)
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be "OutputIsInput,$script:Id"
        $errs[0].TargetObject | Should -Be $script:x
        $errs[0].Exception.Message | Should -Match ([regex]::Escape($script:x))
        $errs[0].Exception.Message | Should -Match ([regex]::Escape($script:xk8))
        Get-Hash $script:xk8 | Should -Be $script:hash
    }

    It 'refuses x.png''s output when both come in one -Path array, x.png first' {
        $results = Compress-ImageKMeans -Path $script:x, $script:xk8 -K 8 -Seed 1 -Force -ErrorVariable errs -ErrorAction SilentlyContinue
        @($results).Path | Should -Be @($script:xk8)
        $errs.FullyQualifiedErrorId | Should -Be "OutputIsInput,$script:Id"
        Get-Hash $script:xk8 | Should -Be $script:hash
    }

    It 'passes over an input this call has already written, without a row or an error (a folder listed while outputs appear)' {
        Remove-Item $script:xk8
        $out = & { $script:x; $script:xk8 } |
            Compress-ImageKMeans -K 8 -Seed 1 -ThrottleLimit 1 -Verbose -ErrorVariable errs -ErrorAction SilentlyContinue 4>&1
        $results = @($out | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $results.Path | Should -Be @($script:x)
        $errs.Count | Should -Be 0
        @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like "*$(Split-Path -Leaf $script:xk8)' was written by this command*" }).Count | Should -Be 1
        Test-Path (Join-Path $script:dir 'x-k8-k8.png') | Should -BeFalse
    }

    It 'lists a folder into the command while it writes there: one row per original, no errors' {
        $folder = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item -ItemType Directory -Path $folder | Out-Null
        foreach ($i in 1..12) { $null = New-TestPng -Path (Join-Path $folder ("p{0:d2}.png" -f $i)) -Width 24 -Height 16 }
        $results = @(Get-ChildItem -Path (Join-Path $folder '*.png') | Compress-ImageKMeans -K 8 -Seed 1 -ErrorVariable errs -ErrorAction SilentlyContinue)
        $errs.Count | Should -Be 0
        @($results | Where-Object Status -eq 'Written').Count | Should -Be 12
        @(Get-ChildItem -LiteralPath $folder -Filter '*-k8-k8.png').Count | Should -Be 0
    }

    It 'refuses to read an input this call has already written when asked to include own outputs (x.png first, x-k8.png named later)' {
        Remove-Item $script:xk8
        $results = & { $script:x; Start-Sleep -Seconds 3; $script:xk8 } |
            Compress-ImageKMeans -K 8 -Seed 1 -IncludeOwnOutputs -ErrorVariable errs -ErrorAction SilentlyContinue
        @($results).Path | Should -Be @($script:x)
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be "InputIsOutput,$script:Id"
        $errs[0].TargetObject | Should -Be $script:xk8
        $errs[0].Exception.Message | Should -Match ([regex]::Escape($script:x))
        Test-Path (Join-Path $script:dir 'x-k8-k8.png') | Should -BeFalse
    }

    It 'with x.png piped first and x-k8.png right after, gives one error naming both and loses no file' {
        $results = $script:x, $script:xk8 | Compress-ImageKMeans -K 8 -Seed 1 -Force -ErrorVariable errs -ErrorAction SilentlyContinue
        @($results).Count | Should -Be 1
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeIn @("OutputIsInput,$script:Id", "InputIsOutput,$script:Id")
        $errs[0].Exception.Message | Should -Match ([regex]::Escape($script:x))
        $errs[0].Exception.Message | Should -Match ([regex]::Escape($script:xk8))
        # Refused before x.png published: x-k8.png is untouched and was read.
        if ($errs[0].FullyQualifiedErrorId -like 'OutputIsInput*') { Get-Hash $script:xk8 | Should -Be $script:hash }
    }

    It 'never lets a Measure-ImageKMeans plot replace another image of the call' {
        $curve = (New-TestPng -Path (Join-Path $script:dir 'x-curve.png')).FullName
        $curveHash = Get-Hash $curve
        $rows = Measure-ImageKMeans -LiteralPath $curve, $script:x -K 2, 4 -Seed 1 -PlotPath $script:dir -Force -ErrorVariable errs -ErrorAction SilentlyContinue
        @($rows).Count | Should -Be 4
        $errs.FullyQualifiedErrorId | Should -Be "OutputIsInput,$script:MeasureId"
        Get-Hash $curve | Should -Be $curveHash
        Test-Path (Join-Path $script:dir 'x-curve-curve.png') | Should -BeTrue
    }
}

Describe 'Output names are claimed only by outputs that are written' {
    # Two sources with one output name: same stems from two folders into one -Destination folder (same-stem sources in
    # one folder get their extensions in their names, so they no longer share one).
    It 'gives the name to a later valid input when an earlier one fails to decode' {
        $dir = New-Folder 'claims'
        $null = New-Item -ItemType Directory -Path (Join-Path $dir 'one'), (Join-Path $dir 'two')
        Set-Content -Path (Join-Path $dir 'one/a.png') -Value 'not an image'
        Copy-Item -LiteralPath (Get-SampleImagePath) -Destination (Join-Path $dir 'two/a.jpg')
        $results = (Join-Path $dir 'one/a.png'), (Join-Path $dir 'two/a.jpg') |
            Compress-ImageKMeans -K 8 -Seed 1 -ThrottleLimit 2 -Destination (Join-Path $dir 'out/') -ErrorVariable errs -ErrorAction SilentlyContinue
        @($results).Path | Should -Be @(Join-Path $dir 'two/a.jpg')
        $errs.FullyQualifiedErrorId | Should -Be "InvalidImage,$script:Id"
        $results.Destination | Should -Be (Join-Path $dir 'out/a-k8.png')
    }

    It 'gives the name to the first of two valid inputs in input order, and tells the second' {
        $dir = New-Folder 'claims2'
        $null = New-Item -ItemType Directory -Path (Join-Path $dir 'one'), (Join-Path $dir 'two')
        $null = New-TestPng -Path (Join-Path $dir 'two/b.png')
        Copy-Item -LiteralPath (Get-SampleImagePath) -Destination (Join-Path $dir 'one/b.jpg')
        $results = (Join-Path $dir 'one/b.jpg'), (Join-Path $dir 'two/b.png') |
            Compress-ImageKMeans -K 8 -Seed 1 -ThrottleLimit 2 -Destination (Join-Path $dir 'out/') -Force -ErrorVariable errs -ErrorAction SilentlyContinue
        @($results).Path | Should -Be @(Join-Path $dir 'one/b.jpg')
        $errs.FullyQualifiedErrorId | Should -Be "OutputExists,$script:Id"
        $errs[0].Exception.Message | Should -Match 'b\.jpg'
        (Get-Item (Join-Path $dir 'out/b-k8.png')).Length | Should -Be $results.CompressedBytes
    }

    It 'tells the second of two sources of one name, on a rerun too, that -Force would not help' {
        $dir = New-Folder 'claims3'
        $null = New-Item -ItemType Directory -Path (Join-Path $dir '2023'), (Join-Path $dir '2024')
        $null = New-TestPng -Path (Join-Path $dir '2023/x.png')
        $null = New-TestPng -Path (Join-Path $dir '2024/x.png') -Transparent
        $out = Join-Path $dir 'small/'
        foreach ($night in 1, 2) {
            $rows = Get-ChildItem -LiteralPath (Join-Path $dir '2023'), (Join-Path $dir '2024') -File |
                Compress-ImageKMeans -K 8 -Seed 1 -Destination $out -ErrorVariable errs -ErrorAction SilentlyContinue
            $rows.Status | Should -Be $(if ($night -eq 1) { 'Written' } else { 'SkippedUpToDate' })
            $errs.FullyQualifiedErrorId | Should -Be "OutputExists,$script:Id"
            $errs[0].Exception.Message | Should -Match '2023.x\.png.*2024.x\.png. would overwrite it\. Two inputs give this output name'
            $errs[0].Exception.Message | Should -Not -Match '-Force'
        }
    }
}

Describe 'Two processes racing for one name' -Skip:$IsWindows {
    It 'publishes exactly one of them for every name, and the loser is told OutputExists' {
        $dir = New-Folder 'race'
        $srcA = (New-TestPng -Path (Join-Path $dir 'srcA.png') -Width 96 -Height 64).FullName
        $srcB = (New-TestPng -Path (Join-Path $dir 'srcB.png') -Width 96 -Height 64 -Transparent).FullName
        $out = New-Folder 'race/out'
        $refA = (Compress-ImageKMeans -LiteralPath $srcA -K 8 -Seed 1 -Destination (Join-Path $dir 'refA.png')).Destination
        $refB = (Compress-ImageKMeans -LiteralPath $srcB -K 8 -Seed 1 -Destination (Join-Path $dir 'refB.png')).Destination
        $trials = 60
        $start = [DateTime]::UtcNow.AddSeconds(8).Ticks
        $children = foreach ($who in 'A', 'B') {
            $src = $who -eq 'A' ? $srcA : $srcB
            $log = Join-Path $dir "$who.log"
            # Both start each trial at the same instant, so both pass the early existence check and race at publishing.
            $script = @"
Import-Module '$script:ModulePath'
`$lines = foreach (`$i in 0..$($trials - 1)) {
    `$at = [DateTime]::new($start + `$i * 2500000L, 'Utc')
    `$wait = `$at - [DateTime]::UtcNow
    if (`$wait -gt [TimeSpan]::Zero) { Start-Sleep -Milliseconds `$wait.TotalMilliseconds }
    `$r = Compress-ImageKMeans -LiteralPath '$src' -K 8 -Seed 1 -Destination (Join-Path '$out' "o`$i.png") -ErrorVariable e -ErrorAction SilentlyContinue
    if (`$r) { "`$i won" } else { "`$i lost `$(`$e[0].FullyQualifiedErrorId) `$(`$e[0].Exception.Message -like '*another writer*')" }
}
Set-Content -LiteralPath '$log' -Value `$lines
"@
            $file = Join-Path $dir "$who.ps1"
            Set-Content -LiteralPath $file -Value $script
            Start-Process -FilePath (Get-ChildPwshPath) -ArgumentList '-NoProfile', '-NonInteractive', '-File', $file -PassThru
        }
        foreach ($c in $children) { $c.WaitForExit(600000) | Should -BeTrue; $c.ExitCode | Should -Be 0 }
        $logA = Get-Content (Join-Path $dir 'A.log'); $logB = Get-Content (Join-Path $dir 'B.log')
        $atPublish = 0
        for ($i = 0; $i -lt $trials; $i++) {
            $a = $logA[$i]; $b = $logB[$i]
            $wins = @($a, $b) -like '* won'
            $wins.Count | Should -Be 1 -Because "trial $i`: A '$a', B '$b'"
            $loser = (@($a, $b) -notlike '* won')[0]
            $loser | Should -BeLike "$i lost OutputExists,$script:Id *"
            if ($loser -like '* True') { $atPublish++ }
            $expected = $a -like '* won' ? $refA : $refB
            Get-Hash (Join-Path $out "o$i.png") | Should -Be (Get-Hash $expected) -Because "trial $i's file is the winner's"
        }
        Get-Temp $out | Should -BeNullOrEmpty
        (Get-ChildItem $out).Count | Should -Be $trials
        Write-Host "  race: $trials names, $atPublish decided at the atomic publish, $($trials - $atPublish) at the early check"
        $atPublish | Should -BeGreaterThan 0
    }
}

Describe 'Temporary files' {
    It 'are short: output names of <Bytes> bytes can be written' -ForEach @(@{ Bytes = 211 }, @{ Bytes = 248 }, @{ Bytes = 255 }) {
        $dir = New-Folder "long$Bytes"
        $name = ('n' * ($Bytes - 7)) + '.png'          # the output adds '-k8' (3 bytes) to the stem
        $src = (New-TestPng -Path (Join-Path $dir $name)).FullName
        $r = Compress-ImageKMeans -LiteralPath $src -K 8 -Seed 1
        [Text.Encoding]::UTF8.GetByteCount([IO.Path]::GetFileName($r.Destination)) | Should -Be $Bytes
        Test-Path -LiteralPath $r.Destination | Should -BeTrue
    }

    It 'an output name over the 255-byte limit is a write error, not a read error' -Skip:(-not $IsLinux) {
        $dir = New-Folder 'toolong'
        $src = (New-TestPng -Path (Join-Path $dir (('n' * 251) + '.png'))).FullName
        $null = Compress-ImageKMeans -LiteralPath $src -K 8 -Seed 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.FullyQualifiedErrorId | Should -Be "FileWriteError,$script:Id"
        $errs[0].CategoryInfo.Category | Should -Be 'WriteError'
        $errs[0].Exception.Message | Should -BeLike 'Could not write*'
        Get-Temp $dir | Should -BeNullOrEmpty
    }

    It 'are removed when the process gets SIGTERM mid-write' -Skip:$IsWindows {
        $dir = New-Folder 'sigterm'
        $src = (New-TestPng -Path (Join-Path $dir 'big.png') -Width 1600 -Height 1200).FullName
        $out = New-Folder 'sigterm/out'
        $caught = 0
        for ($trial = 0; $trial -lt 4 -and $caught -lt 2; $trial++) {
            $cmd = "Import-Module '$script:ModulePath'; Compress-ImageKMeans -LiteralPath '$src' -K 256 -Dither FloydSteinberg -Destination '$out' -ComparisonPath '$out' -Seed 1 -Force | Out-Null"
            $p = Start-Process -FilePath (Get-ChildPwshPath) -ArgumentList '-NoProfile', '-NonInteractive', '-Command', $cmd -PassThru
            $deadline = [DateTime]::UtcNow.AddSeconds(120)
            $seen = $null
            while (-not $p.HasExited -and [DateTime]::UtcNow -lt $deadline) {
                if ($seen = Get-Temp $out | Select-Object -First 1) { break }
                Start-Sleep -Milliseconds 2
            }
            if ($seen) { & kill -TERM $p.Id; $caught++ }
            $p.WaitForExit(60000) | Should -BeTrue
            if ($seen) { $p.ExitCode | Should -Be 143 }   # the host's own SIGTERM handling is unchanged
            Get-Temp $out | Should -BeNullOrEmpty
            Get-ChildItem $out -Filter '*.png' | Remove-Item
        }
        $caught | Should -BeGreaterThan 0
    }

    It 'are never read as inputs: another run''s live one, a killed run''s stale one, one gone before it is read' {
        $dir = New-Folder 'temp-as-input'
        $src = (New-TestPng -Path (Join-Path $dir 'a.png')).FullName
        $dead = Start-Process -FilePath (Get-ChildPwshPath) -ArgumentList '-NoProfile', '-Command', 'exit' -PassThru
        $dead.WaitForExit()
        $stale = Join-Path $dir ".kmps.$($dead.Id).deadbeef.tmp"
        $live = Join-Path $dir ".kmps.$PID.cafebabe.tmp"
        New-Item -ItemType File -Path $stale, $live | Out-Null   # empty, as a run killed before its first byte leaves one
        (Get-Item -LiteralPath $stale -Force).LastWriteTimeUtc = [DateTime]::UtcNow.AddMinutes(-5)
        $listed = Get-ChildItem -LiteralPath $dir -Force -File
        $listed.Count | Should -Be 3
        $out = $listed | Compress-ImageKMeans -K 8 -Seed 1 -ErrorVariable errs -Verbose 4>&1
        $errs.Count | Should -Be 0
        $rows = @($out | Where-Object { $_ -is [KMeansPS.Output.ImageCompressionResult] })
        $rows.Path | Should -Be @($src)
        (@($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n") | Should -Match 'temporary file of a KMeansPS output'
        # The stale one went with that run's sweep; named again, as a listing made before the sweep would, it is still no error.
        Test-Path -LiteralPath $stale | Should -BeFalse
        # Named as arguments they are answered with a warning each (a user who names one sees why nothing came back);
        # piped, or matched by a wildcard, only -Verbose says so.
        $null = Compress-ImageKMeans -LiteralPath $stale, $live -K 8 -ErrorVariable again -WarningVariable warned -WarningAction SilentlyContinue
        $again.Count | Should -Be 0
        $warned.Count | Should -Be 2   # the stale one, gone, too: a name of that form is never read
        $warned[1].Message | Should -Match ([regex]::Escape($live))
        $warned[1].Message | Should -Match 'temporary file of a KMeansPS output'
        $null = Measure-ImageKMeans -LiteralPath $live -K 4 -ErrorVariable measured -WarningVariable measureWarned -WarningAction SilentlyContinue
        $measured.Count | Should -Be 0
        $measureWarned.Count | Should -Be 1
        # Gone and named with -Path (no wildcard) or by position, as a listing taken before a run published it: a warning too.
        $null = Compress-ImageKMeans -Path $stale -K 8 -ErrorVariable gonePath -WarningVariable gonePathWarned -WarningAction SilentlyContinue
        $null = Measure-ImageKMeans $stale -K 4 -ErrorVariable gonePositional -WarningVariable gonePositionalWarned -WarningAction SilentlyContinue
        @($gonePath).Count | Should -Be 0
        @($gonePositional).Count | Should -Be 0
        $gonePathWarned.Count | Should -Be 1
        $gonePositionalWarned.Count | Should -Be 1
        $null = Compress-ImageKMeans -Path (Join-Path $dir '.kmps.*.tmp') -K 8 -ErrorVariable wild -WarningVariable wildWarned -WarningAction SilentlyContinue
        $wild.Count | Should -Be 0
        $wildWarned.Count | Should -Be 0
        $null = Get-Item -LiteralPath $live -Force | Compress-ImageKMeans -K 8 -WarningVariable pipedWarned -WarningAction SilentlyContinue
        $pipedWarned.Count | Should -Be 0
    }

    It 'left by a killed process are removed by the next run, and only those' {
        $dir = New-Folder 'stale'
        $src = (New-TestPng -Path (Join-Path $dir 'a.png')).FullName
        $dead = Start-Process -FilePath (Get-ChildPwshPath) -ArgumentList '-NoProfile', '-Command', 'exit' -PassThru
        $dead.WaitForExit()
        $stale = Join-Path $dir ".kmps.$($dead.Id).deadbeef.tmp"
        $live = Join-Path $dir ".kmps.$PID.cafebabe.tmp"      # a process that is running: not touched
        $mine = Join-Path $dir '.a.png.0123456789abcdef.tmp'    # not our name: not touched
        foreach ($f in $stale, $live, $mine) { Set-Content -LiteralPath $f -Value 'partial' }
        foreach ($f in $stale, $mine) { (Get-Item -LiteralPath $f -Force).LastWriteTimeUtc = [DateTime]::UtcNow.AddMinutes(-5) }
        $null = Compress-ImageKMeans -LiteralPath $src -K 8 -Seed 1
        Test-Path -LiteralPath $stale | Should -BeFalse
        Test-Path -LiteralPath $live | Should -BeTrue
        Test-Path -LiteralPath $mine | Should -BeTrue
    }

    It 'left by a killed process are removed by a rerun that finds every output up to date, but not under -WhatIf' {
        $dir = New-Folder 'stale-up-to-date'
        $src = (New-TestPng -Path (Join-Path $dir 'a.png')).FullName
        (Compress-ImageKMeans -LiteralPath $src -K 8 -Seed 1).Status | Should -Be 'Written'
        $dead = Start-Process -FilePath (Get-ChildPwshPath) -ArgumentList '-NoProfile', '-Command', 'exit' -PassThru
        $dead.WaitForExit()
        $stale = Join-Path $dir ".kmps.$($dead.Id).deadbeef.tmp"
        Set-Content -LiteralPath $stale -Value 'partial'
        (Get-Item -LiteralPath $stale -Force).LastWriteTimeUtc = [DateTime]::UtcNow.AddMinutes(-5)
        $null = Compress-ImageKMeans -LiteralPath $src -K 8 -Seed 1 -WhatIf
        Test-Path -LiteralPath $stale | Should -BeTrue
        (Compress-ImageKMeans -LiteralPath $src -K 8 -Seed 1).Status | Should -Be 'SkippedUpToDate'
        Test-Path -LiteralPath $stale | Should -BeFalse
    }
}

Describe 'Write errors say write' {
    BeforeAll {
        $script:wdir = New-Folder 'writes'
        $script:src = (New-TestPng -Path (Join-Path $script:wdir 'a.png')).FullName
    }

    It 'a -Destination that ends in a separator but is a file' {
        $plain = Join-Path $script:wdir 'plainfile'
        Set-Content -LiteralPath $plain -Value 'x'
        { Compress-ImageKMeans -LiteralPath $script:src -K 8 -Seed 1 -Destination "$plain/" -ErrorAction Stop } |
            Should -Throw -ErrorId "FileWriteError,$script:Id"
        try { Compress-ImageKMeans -LiteralPath $script:src -K 8 -Seed 1 -Destination "$plain/" -ErrorAction Stop }
        catch { $_.CategoryInfo.Category | Should -Be 'WriteError'; $_.Exception.Message | Should -BeLike 'Could not write*' }
        Get-Content -LiteralPath $plain | Should -Be 'x'
    }

    It 'a -Destination, -ComparisonPath or -PlotPath that is a link to a missing folder (a share not mounted) is refused, even with -Force, and the link stays' -Skip:$IsWindows {
        $link = Join-Path $script:wdir 'share'
        $null = New-Item -ItemType SymbolicLink -Path $link -Target (Join-Path $script:wdir 'not-mounted/small')
        foreach ($call in @(
                { Compress-ImageKMeans -LiteralPath $script:src -K 8 -Seed 1 -Destination $link -Force -ErrorAction Stop },
                { Compress-ImageKMeans -LiteralPath $script:src -K 8 -Seed 1 -Destination "$link/" -ErrorAction Stop },
                { Compress-ImageKMeans -LiteralPath $script:src -K 8 -Seed 1 -Destination (Join-Path $script:wdir 'o/') -ComparisonPath $link -Force -ErrorAction Stop })) {
            $call | Should -Throw -ErrorId "FileWriteError,$script:Id"
            try { & $call } catch { $_.Exception.Message | Should -BeLike "*is a symbolic link to '*not-mounted*small', which does not exist*" }
        }
        { Measure-ImageKMeans -LiteralPath $script:src -K 4, 8 -PlotPath $link -Force -ErrorAction Stop } | Should -Throw -ErrorId "FileWriteError,$script:MeasureId"
        (Get-Item -LiteralPath $link -Force).LinkType | Should -Be 'SymbolicLink'
        Test-Path -LiteralPath (Join-Path $script:wdir 'not-mounted') | Should -BeFalse
    }

    It 'a comparison figure''s folder that refuses it: refused when the pair is planned (-WhatIf too), neither written, and a rerun writes the pair' -Skip:(-not $IsLinux) {
        $out = New-Folder 'writes/pair-out'
        $ro = New-Folder 'writes/pair-ro'
        if ($script:IsRoot) { & chattr +i $ro } else { & chmod 555 $ro }
        try {
            $null = Compress-ImageKMeans -LiteralPath $script:src -K 8 -Seed 1 -Destination $out -ComparisonPath $ro -WhatIf -ErrorVariable whatIf -ErrorAction SilentlyContinue
            $null = Compress-ImageKMeans -LiteralPath $script:src -K 8 -Seed 1 -Destination $out -ComparisonPath $ro -ErrorVariable errs -ErrorAction SilentlyContinue
        }
        finally {
            if ($script:IsRoot) { & chattr -i $ro } else { & chmod 755 $ro }
        }
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be "FileWriteError,$script:Id"
        $errs[0].CategoryInfo.Category | Should -Be 'WriteError'
        @(Get-ChildItem -LiteralPath $out -Filter '*.png').Count | Should -Be 0 -Because 'no output without its figure'
        $errs[0].Exception.Message | Should -BeLike "Could not write '$ro*-comparison.png' (the output of '$($script:src)'): the folder '$ro' does not let this user create files in it (permission denied)."
        "$whatIf" | Should -Be "$errs"
        # As it says: the folder writable again, a rerun without -Force writes the pair.
        $again = Compress-ImageKMeans -LiteralPath $script:src -K 8 -Seed 1 -Destination $out -ComparisonPath $ro
        $again.Status | Should -Be 'Written'
        @(Get-ChildItem -LiteralPath $ro -Filter '*.png').Count | Should -Be 1
    }

    It 'a link in a loop or to a missing file at the output''s own name is refused, even with -Force, and stays' -Skip:$IsWindows {
        $dir = New-Folder 'writes/links-at-name'
        $source = Join-Path $dir 'a.png'
        Copy-Item -LiteralPath $script:src $source
        $output = Join-Path $dir 'a-k8.png'
        foreach ($case in 'loop', 'missing') {
            Remove-Item -LiteralPath $output, (Join-Path $dir 'b.png') -Force -ErrorAction Ignore
            if ($case -eq 'loop') {
                $null = New-Item -ItemType SymbolicLink -Path $output -Target (Join-Path $dir 'b.png')
                $null = New-Item -ItemType SymbolicLink -Path (Join-Path $dir 'b.png') -Target $output
            }
            else { $null = New-Item -ItemType SymbolicLink -Path $output -Target (Join-Path $dir 'share/gone.png') }
            foreach ($force in $false, $true) {
                $null = Compress-ImageKMeans -LiteralPath $source -K 8 -Seed 1 -Force:$force -ErrorVariable errs -ErrorAction SilentlyContinue
                $errs.Count | Should -Be 1
                $errs[0].FullyQualifiedErrorId | Should -Be "FileWriteError,$script:Id"
                $errs[0].Exception.Message | Should -BeLike ("Could not write '$output' (the output of '$source'): it is a symbolic link " +
                    $(if ($case -eq 'loop') { 'in a loop of links*' } else { "to '*gone.png', which does not exist*" }))
                (Get-Item -LiteralPath $output -Force).LinkType | Should -Be 'SymbolicLink'
                Get-Temp $dir | Should -BeNullOrEmpty
            }
        }
    }

    It 'a device such as /dev/null is never replaced, even with -Force' -Skip:$IsWindows {
        $null = Compress-ImageKMeans -LiteralPath $script:src -K 8 -Seed 1 -Destination '/dev/null' -Force -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be "FileWriteError,$script:Id"
        $errs[0].CategoryInfo.Category | Should -Be 'WriteError'
        $errs[0].Exception.Message | Should -BeLike "Could not write '/dev/null'*"
        (Get-Item '/dev/null').UnixFileMode | Should -Not -BeNullOrEmpty
        & test -c /dev/null; $LASTEXITCODE | Should -Be 0
    }

    It 'a read-only folder' -Skip:(-not $IsLinux) {
        $ro = New-Folder 'writes/ro'
        if ($script:IsRoot) { & chattr +i $ro } else { & chmod 555 $ro }
        try {
            $null = Compress-ImageKMeans -LiteralPath $script:src -K 8 -Seed 1 -Destination $ro -ErrorVariable errs -ErrorAction SilentlyContinue
        }
        finally {
            if ($script:IsRoot) { & chattr -i $ro } else { & chmod 755 $ro }
        }
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be "FileWriteError,$script:Id"
        $errs[0].CategoryInfo.Category | Should -Be 'WriteError'
        $errs[0].Exception.Message | Should -BeLike "Could not write '$ro*"
        # The folder is named, not the hidden temporary file the runtime was refused.
        $errs[0].Exception.Message | Should -BeLike "*the folder '$ro' does not let this user create files in it (permission denied)."
        $errs[0].Exception.Message | Should -Not -Match '\.kmps\.'
        Get-ChildItem $ro -Force | Should -BeNullOrEmpty
    }
}

Describe '-Destination: folder or file, by one rule' {
    BeforeAll {
        $script:ddir = New-Folder 'dest'
        $script:one = (New-TestPng -Path (Join-Path $script:ddir 'one.png')).FullName
        $script:two = (New-TestPng -Path (Join-Path $script:ddir 'two.png') -Transparent).FullName
    }

    It 'a new name with an extension and several inputs is an error, with nothing written' {
        $target = Join-Path $script:ddir 'out.v2'
        { $script:one, $script:two | Compress-ImageKMeans -K 8 -Seed 1 -Destination $target -ErrorAction Stop } |
            Should -Throw -ErrorId "DestinationIsFile,$script:Id"
        Test-Path $target | Should -BeFalse
        Get-ChildItem $script:ddir -Force | ForEach-Object Name | Sort-Object | Should -Be @('one.png', 'two.png')
    }

    It 'the same with a trailing separator is a folder, created' {
        $results = $script:one, $script:two | Compress-ImageKMeans -K 8 -Seed 1 -Destination (Join-Path $script:ddir 'out.v2/')
        $results.Destination | Should -Be @((Join-Path $script:ddir 'out.v2/one-k8.png'), (Join-Path $script:ddir 'out.v2/two-k8.png'))
    }

    It 'an existing folder is a folder, a new name without extension is a folder, a new name with one is a file' {
        $null = New-Item -ItemType Directory -Path (Join-Path $script:ddir 'out.v2') -Force
        $r1 = Compress-ImageKMeans -LiteralPath $script:one -K 8 -Seed 1 -Destination (Join-Path $script:ddir 'out.v2') -Force
        $r1.Destination | Should -Be (Join-Path $script:ddir 'out.v2/one-k8.png') -Because 'out.v2 exists as a folder'
        $r2 = Compress-ImageKMeans -LiteralPath $script:one -K 8 -Seed 1 -Destination (Join-Path $script:ddir 'plain')
        $r2.Destination | Should -Be (Join-Path $script:ddir 'plain/one-k8.png')
        $r3 = Compress-ImageKMeans -LiteralPath $script:one -K 8 -Seed 1 -Destination (Join-Path $script:ddir 'single.v3')
        $r3.Destination | Should -Be (Join-Path $script:ddir 'single.v3')
        Test-Path -LiteralPath $r3.Destination -PathType Leaf | Should -BeTrue
    }

    It 'Measure-ImageKMeans -PlotPath naming one file with two images writes no plot' {
        $plot = Join-Path $script:ddir 'curve.png'
        { Measure-ImageKMeans -LiteralPath $script:one, $script:two -K 2, 4 -Seed 1 -PlotPath $plot -ErrorAction Stop } |
            Should -Throw -ErrorId "DestinationIsFile,$script:MeasureId"
        Test-Path $plot | Should -BeFalse
    }
}

Describe 'A pipe where an output would go' -Skip:$IsWindows {
    It 'is refused at once, with or without -Force, and the next input is still done' {
        $dir = New-Folder ([guid]::NewGuid())
        $null = New-TestPng -Path (Join-Path $dir 'img1.png')
        $null = New-TestPng -Path (Join-Path $dir 'img2.png') -Colors 4
        & mkfifo (Join-Path $dir 'img1-k8.png')
        foreach ($force in '', ' -Force') {
            # A child process with a deadline: reading the pipe for a rerun marker used to wait for a writer forever.
            $script = "Import-Module '$script:ModulePath'; Get-ChildItem '$dir' -Filter 'img?.png' | Compress-ImageKMeans -K 8 -Seed 1$force -ErrorVariable errs -ErrorAction SilentlyContinue | ForEach-Object { 'written ' + (Split-Path -Leaf `$_.Destination) }; `$errs | ForEach-Object { 'error ' + `$_.FullyQualifiedErrorId.Split(',')[0] }"
            $info = [Diagnostics.ProcessStartInfo]::new((Get-ChildPwshPath))
            foreach ($a in '-NoProfile', '-NonInteractive', '-Command', $script) { $info.ArgumentList.Add($a) }
            $info.RedirectStandardOutput = $true
            $info.RedirectStandardInput = $true
            $child = [Diagnostics.Process]::Start($info)
            $child.StandardInput.Close()
            $output = $child.StandardOutput.ReadToEndAsync()
            $done = $child.WaitForExit(120000)
            if (-not $done) { $child.Kill($true) }
            $done | Should -BeTrue -Because "a pipe at the output path must not hang the run (-Force: '$force')"
            $lines = @($output.Result -split "`n" | ForEach-Object Trim | Where-Object { $_ })
            $lines | Should -Contain 'written img2-k8.png'
            $lines | Should -Contain 'error FileWriteError'
            Remove-Item -LiteralPath (Join-Path $dir 'img2-k8.png')
        }
        & stat -c %F (Join-Path $dir 'img1-k8.png') | Should -Be 'fifo' # still the pipe
    }
}

Describe 'An output is readable by no one its source hides from' -Skip:$IsWindows {
    BeforeEach {
        $script:dir = New-Folder ([guid]::NewGuid())
    }

    It 'gives a private source (0600) a private output and comparison, and a shared source the umask''s bits' {
        $private = (New-TestPng -Path (Join-Path $script:dir 'private.png')).FullName
        $shared = (New-TestPng -Path (Join-Path $script:dir 'shared.png') -Colors 5).FullName
        & chmod 600 $private
        & chmod 644 $shared
        $probe = Join-Path $script:dir 'probe'
        $null = New-Item -ItemType File -Path $probe
        $umaskBits = [int](Get-Item $probe).UnixFileMode
        $rows = Compress-ImageKMeans -LiteralPath $private, $shared -K 8 -Seed 1 -ComparisonPath (Join-Path $script:dir 'side/')
        $rows.Count | Should -Be 2
        [int](Get-Item $rows[0].Destination).UnixFileMode -band 0x3F | Should -Be 0
        [int](Get-Item $rows[0].ComparisonPath).UnixFileMode -band 0x3F | Should -Be 0
        [int](Get-Item $rows[1].Destination).UnixFileMode | Should -Be ($umaskBits -band 0x1A4)
    }

    It 'keeps the bits the user set on an output it replaces with -Force' {
        $src = (New-TestPng -Path (Join-Path $script:dir 'a.png')).FullName
        $row = Compress-ImageKMeans -LiteralPath $src -K 8 -Seed 1
        & chmod 640 $row.Destination
        $null = Compress-ImageKMeans -LiteralPath $src -K 16 -Seed 1 -Destination $row.Destination -Force
        (Get-Item $row.Destination).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite, GroupRead')
    }
}

Describe 'A file output whose folder is missing or a file: one error, named alike by every command, before any work and under -WhatIf' {
    BeforeAll {
        $script:mdir = New-Folder 'missing-folders'
        $script:msrc = (New-TestPng -Path (Join-Path $script:mdir 'a.png')).FullName
    }

    It '<Command> <Parameter> into a folder that is <Case>, -WhatIf <WhatIf>' -ForEach @(
        foreach ($case in 'missing', 'a file') {
            foreach ($whatIf in $false, $true) {
                @{ Command = 'Measure-ImageKMeans'; Parameter = 'PlotPath'; Case = $case; WhatIf = $whatIf }
                @{ Command = 'Compress-ImageKMeans'; Parameter = 'ComparisonPath'; Case = $case; WhatIf = $whatIf }
                @{ Command = 'Compress-ImageKMeans'; Parameter = 'Destination'; Case = $case; WhatIf = $whatIf }
            }
        }
    ) {
        $parent = Join-Path $script:mdir "parent-$([guid]::NewGuid())"
        if ($Case -eq 'a file') { Set-Content -LiteralPath $parent -Value 'x' }
        $path = Join-Path $parent 'out.png'
        $splat = @{ LiteralPath = $script:msrc; Seed = 1; $Parameter = $path; WhatIf = $WhatIf }
        if ($Command -eq 'Measure-ImageKMeans') { $splat.K = 2, 4 } else { $splat.K = 4 }
        if ($Parameter -eq 'ComparisonPath') { $splat.Destination = New-Folder "missing-folders/out-$([guid]::NewGuid())" }
        $thrown = $null
        $rows = $null
        try { $rows = & $Command @splat } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -Be "FileWriteError,KMeansPS.Commands.$($Command -replace '-', '')Command"
        $thrown.CategoryInfo.Category | Should -Be 'WriteError'
        $why = if ($Case -eq 'a file') { "'$parent' is a file, not a folder" } else { "the folder '$parent' does not exist" }
        $thrown.Exception.Message | Should -Be "Could not write -$Parameter '$path': $why. Nothing was written; create the folder first (New-Item -ItemType Directory)."
        $rows | Should -BeNullOrEmpty
        if ($Case -eq 'a file') { Get-Content -LiteralPath $parent | Should -Be 'x' } else { Test-Path -LiteralPath $parent | Should -BeFalse }
    }
}

Describe 'A folder the OS says refuses new files: the missing folder''s error, before any work and under -WhatIf, where the call must write there' -Skip:$IsWindows {
    BeforeAll {
        $script:rdir = New-Folder 'refusing-folders'
        $script:rsrc = (New-TestPng -Path (Join-Path $script:rdir 'a.png')).FullName
        $script:refusing = [System.Collections.Generic.List[string]]::new()
        # A folder that takes no new file. The tests run as root, for whom a mode of 555 means nothing (root may write
        # anyway, and access(2) says so): an immutable folder (chattr +i) refuses root too. Others get chmod 555.
        function New-RefusingFolder([scriptblock] $Fill = {}) {
            $folder = New-Folder "refusing-folders/ro-$([guid]::NewGuid())"
            & $Fill $folder
            if ($script:IsRoot) { & chattr +i $folder } else { & chmod 555 $folder }
            $script:refusing.Add($folder)
            $folder
        }
        # Counts the inputs a command took before it stopped.
        function Send-Counted { param($Rows) foreach ($r in $Rows) { $script:sent++; $r } }
        $script:rows = 1..40 | ForEach-Object { [pscustomobject]@{ X = $_ % 7; Y = $_ % 5; Cluster = $_ % 2 } }
    }

    AfterAll {
        foreach ($folder in $script:refusing) { if ($script:IsRoot) { & chattr -i $folder } else { & chmod 755 $folder } }
    }

    It '<Command> -<Parameter> <Name>, -WhatIf <WhatIf>: FileWriteError before any input, nothing written' -ForEach @(
        foreach ($whatIf in $false, $true) {
            @{ Command = 'Export-ClusterPlot'; Parameter = 'Path'; Name = 'p.png'; WhatIf = $whatIf }
            @{ Command = 'Export-ClusterPlot'; Parameter = 'Path'; Name = 'p.svg'; WhatIf = $whatIf }
            @{ Command = 'Measure-KMeans'; Parameter = 'PlotPath'; Name = 'p.png'; WhatIf = $whatIf }
            @{ Command = 'Measure-ImageKMeans'; Parameter = 'PlotPath'; Name = 'p.png'; WhatIf = $whatIf }
            @{ Command = 'Measure-ImageKMeans'; Parameter = 'PlotPath'; Name = 'new-folder/'; WhatIf = $whatIf }
            @{ Command = 'Compress-ImageKMeans'; Parameter = 'Destination'; Name = 'out.png'; WhatIf = $whatIf }
            @{ Command = 'Compress-ImageKMeans'; Parameter = 'Destination'; Name = 'new-folder/'; WhatIf = $whatIf }
            @{ Command = 'Compress-ImageKMeans'; Parameter = 'ComparisonPath'; Name = 'cmp.png'; WhatIf = $whatIf }
        }
    ) {
        $folder = New-RefusingFolder
        $path = Join-Path $folder $Name
        $script:sent = 0
        $thrown = $null
        $out = $null
        try {
            $out = switch ($Command) {
                'Export-ClusterPlot' { Send-Counted $script:rows | Export-ClusterPlot $path -WhatIf:$WhatIf }
                'Measure-KMeans' { Send-Counted $script:rows | Measure-KMeans -K 2, 3 -Seed 1 -PlotPath $path -WhatIf:$WhatIf }
                'Measure-ImageKMeans' { Measure-ImageKMeans -LiteralPath $script:rsrc -K 2, 3 -Seed 1 -PlotPath $path -WhatIf:$WhatIf }
                'Compress-ImageKMeans' {
                    $splat = @{ LiteralPath = $script:rsrc; K = 4; Seed = 1; $Parameter = $path; WhatIf = $WhatIf }
                    if ($Parameter -eq 'ComparisonPath') { $splat.Destination = New-Folder "refusing-folders/out-$([guid]::NewGuid())" }
                    Compress-ImageKMeans @splat
                }
            }
        }
        catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -Be "FileWriteError,KMeansPS.Commands.$($Command -replace '-', '')Command"
        $thrown.CategoryInfo.Category | Should -Be 'WriteError'
        $thrown.Exception.Message | Should -Be "Could not write -$Parameter '$path': the folder '$folder' does not let this user create files in it (permission denied). Nothing was written; make the folder writable, or write elsewhere."
        $script:sent | Should -BeLessOrEqual 1 -Because 'the folder is checked before the input is read'
        $out | Should -BeNullOrEmpty
        @(Get-ChildItem -LiteralPath $folder -Force).Count | Should -Be 0
    }

    It 'Compress-ImageKMeans into such an existing folder: each output refused when planned, under -WhatIf as in the run' {
        $folder = New-RefusingFolder
        $other = (New-TestPng -Path (Join-Path $script:rdir "b-$([guid]::NewGuid()).png") -Colors 3).FullName
        $null = Compress-ImageKMeans -LiteralPath $script:rsrc, $other -K 4 -Seed 1 -Destination $folder -WhatIf -ErrorVariable whatIf -ErrorAction SilentlyContinue
        $null = Compress-ImageKMeans -LiteralPath $script:rsrc, $other -K 4 -Seed 1 -Destination $folder -ErrorVariable run -ErrorAction SilentlyContinue
        $run.Count | Should -Be 2
        $whatIf.Count | Should -Be 2
        foreach ($i in 0, 1) {
            $whatIf[$i].FullyQualifiedErrorId | Should -Be "FileWriteError,$script:Id"
            $whatIf[$i].FullyQualifiedErrorId | Should -Be $run[$i].FullyQualifiedErrorId
            $whatIf[$i].CategoryInfo.Category | Should -Be $run[$i].CategoryInfo.Category
            $whatIf[$i].TargetObject | Should -Be $run[$i].TargetObject
            "$($whatIf[$i])" | Should -BeLike "Could not write '$folder*' (the output of '*'): the folder '$folder' does not let this user create files in it (permission denied)."
            "$($whatIf[$i])" | Should -Be "$($run[$i])"
        }
        @(Get-ChildItem -LiteralPath $folder -Force).Count | Should -Be 0
    }

    It 'a plot already there and up to date is still left as it is, and a plot of other data is refused as before' {
        $plot = $null
        $folder = New-RefusingFolder { param($f) $script:rows | Export-ClusterPlot (Join-Path $f 'p.png') }
        $plot = Join-Path $folder 'p.png'
        $hash = Get-Hash $plot
        foreach ($whatIf in $true, $false) {
            $thrown = $null
            try { $script:rows | Export-ClusterPlot $plot -WhatIf:$whatIf } catch { $thrown = $_ }
            $thrown | Should -BeNullOrEmpty
        }
        $thrown = $null
        try { $script:rows | Select-Object -First 30 | Export-ClusterPlot $plot } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -Be 'OutputExists,KMeansPS.Commands.ExportClusterPlotCommand'
        # With -Force the plot must be written: refused before the input, as a new one is.
        $script:sent = 0
        $thrown = $null
        try { Send-Counted $script:rows | Export-ClusterPlot $plot -Force -WhatIf } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -Be 'FileWriteError,KMeansPS.Commands.ExportClusterPlotCommand'
        $script:sent | Should -BeLessOrEqual 1
        Get-Hash $plot | Should -Be $hash
    }

    It 'Compress-ImageKMeans outputs already there and up to date are still skipped, under -WhatIf too' {
        $folder = New-RefusingFolder { param($f) $null = Compress-ImageKMeans -LiteralPath $script:rsrc -K 4 -Seed 1 -Destination $f }
        foreach ($whatIf in $true, $false) {
            $rows = Compress-ImageKMeans -LiteralPath $script:rsrc -K 4 -Seed 1 -Destination $folder -WhatIf:$whatIf -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs.Count | Should -Be 0
            if (-not $whatIf) { $rows.Status | Should -Be 'SkippedUpToDate' }
        }
    }
}
