# Compress-ImageKMeans -SkipIfLarger and -MinPsnr (issue #13, points 2 and 3), on files the tests make.
BeforeAll {
    # A PNG's bytes with every chunk of one type left out.
    function script:Get-PngWithoutChunk([string] $Path, [string] $Type) {
        $bytes = [IO.File]::ReadAllBytes($Path)
        $kept = [Collections.Generic.List[byte]]::new()
        $kept.AddRange([byte[]] $bytes[0..7])
        for ($p = 8; $p -lt $bytes.Length; $p += 12 + $length) {
            $length = [Net.IPAddress]::NetworkToHostOrder([BitConverter]::ToInt32($bytes, $p)) # big-endian
            if ([Text.Encoding]::ASCII.GetString($bytes, $p + 4, 4) -ne $Type) { $kept.AddRange([byte[]] $bytes[$p..($p + 11 + $length)]) }
        }
        , $kept.ToArray()
    }
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-KMeansPSModulePath) -Force
    $script:Id = 'KMeansPS.Commands.CompressImageKMeansCommand'

    # A low-quality JPEG (cjpeg -quality 10) of seeded noise: a few kilobytes whose palette PNG is larger.
    function New-LowQualityJpeg([string] $Path, [int] $Size = 96) {
        $random = [Random]::new(7)
        $pixels = [byte[]]::new(3 * $Size * $Size)
        $random.NextBytes($pixels)
        $ppm = "$Path.ppm"
        $header = [Text.Encoding]::ASCII.GetBytes("P6`n$Size $Size`n255`n")
        [IO.File]::WriteAllBytes($ppm, [byte[]]($header + $pixels))
        & cjpeg -quality 10 -outfile $Path $ppm 2>$null  # it cautions that q10 tables are coarse
        if ($LASTEXITCODE -ne 0) { throw "cjpeg failed on $ppm" }
        Remove-Item -LiteralPath $ppm
        Get-Item -LiteralPath $Path
    }
}

AfterAll {
    Remove-Module KMeansPS -ErrorAction SilentlyContinue
}

Describe 'Compress-ImageKMeans -SkipIfLarger' {
    BeforeEach {
        $script:dir = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item -ItemType Directory -Path $script:dir | Out-Null
    }

    It 'writes nothing when the output would not be smaller, reports SkippedLarger with both sizes, and says why with -Verbose' {
        $jpeg = New-LowQualityJpeg (Join-Path $script:dir 'low.jpg')
        # The fixture is meaningful only if the PNG really is larger: measured without the switch, elsewhere.
        $plain = Compress-ImageKMeans -LiteralPath $jpeg.FullName -K 64 -Seed 1 -Destination (Join-Path $script:dir 'plain/')
        $plain.CompressedBytes | Should -BeGreaterOrEqual $plain.OriginalBytes

        $out = Compress-ImageKMeans -LiteralPath $jpeg.FullName -K 64 -Seed 1 -SkipIfLarger -ComparisonPath (Join-Path $script:dir 'cmp.png') -Verbose 4>&1
        $verbose = @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $result = @($out | Where-Object { $_ -is [KMeansPS.Output.ImageCompressionResult] })
        $result.Count | Should -Be 1
        $result[0].Status | Should -Be ([KMeansPS.Output.CompressionStatus]::SkippedLarger)
        $result[0].OriginalBytes | Should -Be $jpeg.Length
        $result[0].CompressedBytes | Should -Be $plain.CompressedBytes
        $result[0].Destination | Should -Be (Join-Path $script:dir 'low-k64.png')
        Test-Path -LiteralPath $result[0].Destination | Should -BeFalse
        Test-Path -LiteralPath (Join-Path $script:dir 'cmp.png') | Should -BeFalse
        $result[0].ComparisonPath | Should -BeNullOrEmpty
        @(Get-ChildItem -LiteralPath $script:dir -Filter '*.tmp' -Force).Count | Should -Be 0
        ($verbose.Message -join "`n") | Should -Match 'not smaller than the source.*-SkipIfLarger'
    }

    It 'with -Force, warns that an earlier output left at the name does not show what this run would have written' {
        $jpeg = New-LowQualityJpeg (Join-Path $script:dir 'low.jpg')
        $stale = Join-Path $script:dir 'low-k64.png'
        $null = New-TestPng -Path $stale -Colors 2 # an earlier output of other contents
        $before = (Get-FileHash -LiteralPath $stale).Hash
        $r = Compress-ImageKMeans -LiteralPath $jpeg.FullName -K 64 -Seed 1 -SkipIfLarger -Force -WarningVariable warned -WarningAction SilentlyContinue
        $r.Status | Should -Be 'SkippedLarger'
        (Get-FileHash -LiteralPath $stale).Hash | Should -Be $before
        $r.Warning | Should -Match 'was left as it was: it is an earlier output'
        ($warned -join ' ') | Should -Match ([regex]::Escape($stale))
    }

    It 'leaves the skipped name free: the same command without the switch then writes it' {
        $jpeg = New-LowQualityJpeg (Join-Path $script:dir 'low.jpg')
        $skipped = Compress-ImageKMeans -LiteralPath $jpeg.FullName -K 64 -Seed 1 -SkipIfLarger
        $skipped.Status | Should -Be 'SkippedLarger'
        $written = Compress-ImageKMeans -LiteralPath $jpeg.FullName -K 64 -Seed 1 -ErrorVariable errs
        $errs.Count | Should -Be 0
        $written.Status | Should -Be 'Written'
        (Get-Item -LiteralPath $written.Destination).Length | Should -Be $skipped.CompressedBytes
    }

    It 'writes the output when it is smaller, with Status Written' {
        $png = New-TestPng -Path (Join-Path $script:dir 'photo.png') -Width 96 -Height 64
        $r = Compress-ImageKMeans -LiteralPath $png.FullName -K 16 -Seed 1 -SkipIfLarger
        $r.Status | Should -Be ([KMeansPS.Output.CompressionStatus]::Written)
        $r.CompressedBytes | Should -BeLessThan $r.OriginalBytes
        (Get-Item -LiteralPath $r.Destination).Length | Should -Be $r.CompressedBytes
    }

    It 'treats each file of one call on its own, in input order' {
        $jpeg = New-LowQualityJpeg (Join-Path $script:dir 'a-low.jpg')
        $png = New-TestPng -Path (Join-Path $script:dir 'b-photo.png') -Width 96 -Height 64
        $results = $jpeg, $png | Compress-ImageKMeans -K 64 -Seed 1 -SkipIfLarger -ThrottleLimit 2
        $results.Status | Should -Be @('SkippedLarger', 'Written')
        Test-Path -LiteralPath $results[0].Destination | Should -BeFalse
        Test-Path -LiteralPath $results[1].Destination | Should -BeTrue
    }

    It 'leaves no empty folder behind when it skips into a -Destination folder it made' {
        $jpeg = New-LowQualityJpeg (Join-Path $script:dir 'low.jpg')
        $made = Join-Path $script:dir 'new'
        $r = Compress-ImageKMeans -LiteralPath $jpeg.FullName -K 64 -Seed 1 -SkipIfLarger -Destination (Join-Path $made 'deeper/') `
            -ComparisonPath (Join-Path $script:dir 'figures/x/')
        $r.Status | Should -Be 'SkippedLarger'
        $r.Destination | Should -Be (Join-Path $made 'deeper' 'low-k64.png')
        Test-Path -LiteralPath $made | Should -BeFalse
        Test-Path -LiteralPath (Join-Path $script:dir 'figures') | Should -BeFalse
        # A folder that was there before stays, even when empty.
        $kept = New-Item -ItemType Directory -Path (Join-Path $script:dir 'kept')
        $r = Compress-ImageKMeans -LiteralPath $jpeg.FullName -K 64 -Seed 1 -SkipIfLarger -Destination (Join-Path $kept.FullName 'sub/')
        $r.Status | Should -Be 'SkippedLarger'
        Test-Path -LiteralPath $kept.FullName | Should -BeTrue
        Test-Path -LiteralPath (Join-Path $kept.FullName 'sub') | Should -BeFalse
    }

    It 'keeps a made folder that another file of the run writes into, whichever finishes first, nested too' {
        $files = foreach ($i in 1..4) {
            New-LowQualityJpeg (Join-Path $script:dir "low$i.jpg") -Size (48 + 8 * $i)
            New-TestPng -Path (Join-Path $script:dir "photo$i.png") -Width (48 + 8 * $i) -Height 40
        }
        # Skipped files remove the folders they made while the others make and write into them: every round, each
        # written file is there and nothing fails (a folder above another being removed while it is made included).
        foreach ($round in 1..4) {
            $made = Join-Path $script:dir "out$round"
            $target = if ($round % 2) { "$made/" } else { "$made/deeper/still/" }
            $results = $files | Compress-ImageKMeans -K 64 -Seed 1 -SkipIfLarger -ThrottleLimit 4 -Destination $target -ErrorVariable errs
            $errs.Count | Should -Be 0
            @($results | Where-Object Status -EQ 'SkippedLarger').Count | Should -Be 4
            $written = @($results | Where-Object Status -EQ 'Written')
            $written.Count | Should -Be 4
            foreach ($w in $written) { Test-Path -LiteralPath $w.Destination | Should -BeTrue }
            @(Get-ChildItem -LiteralPath $target -Force).Count | Should -Be 4
        }
    }

    It 'is off by default: a larger output is written' {
        $jpeg = New-LowQualityJpeg (Join-Path $script:dir 'low.jpg')
        $r = Compress-ImageKMeans -LiteralPath $jpeg.FullName -K 64 -Seed 1
        $r.Status | Should -Be 'Written'
        Test-Path -LiteralPath $r.Destination | Should -BeTrue
    }
}

Describe 'Compress-ImageKMeans -MinPsnr' {
    BeforeEach {
        $script:dir = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item -ItemType Directory -Path $script:dir | Out-Null
        $script:photo = New-TestPng -Path (Join-Path $script:dir 'photo.png') -Width 96 -Height 64
        # The floor: 6 dB below what 64 colours give, so fewer colours reach it.
        $full = Compress-ImageKMeans -LiteralPath $script:photo.FullName -K 64 -Seed 1 -Destination (Join-Path $script:dir 'full/')
        $script:floor = $full.Psnr - 6
    }

    It 'uses the fewest colours that reach the floor, reports ChosenK, and says so with -Verbose' {
        $out = Compress-ImageKMeans -LiteralPath $script:photo.FullName -K 64 -Seed 1 -MinPsnr $script:floor -Verbose 4>&1
        $r = @($out | Where-Object { $_ -is [KMeansPS.Output.ImageCompressionResult] })[0]
        $r.K | Should -Be 64
        $r.MinPsnr | Should -Be $script:floor
        $r.ChosenK | Should -BeLessThan 64
        $r.ChosenK | Should -BeGreaterOrEqual 2
        $r.ColorsUsed | Should -BeLessOrEqual $r.ChosenK
        $r.Psnr | Should -BeGreaterOrEqual $script:floor
        $r.Destination | Should -Be (Join-Path $script:dir 'photo-k64.png')
        Test-Path -LiteralPath $r.Destination | Should -BeTrue
        (@($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n") |
            Should -Match ("{0} colours \(of at most 64\) reach -MinPsnr" -f $r.ChosenK)
    }

    It 'chooses a K whose PSNR is the one Measure-ImageKMeans and a plain run at that K report, and one colour fewer misses' {
        $r = Compress-ImageKMeans -LiteralPath $script:photo.FullName -K 64 -Seed 1 -MinPsnr $script:floor
        $plain = Compress-ImageKMeans -LiteralPath $script:photo.FullName -K $r.ChosenK -Seed 1 -Destination (Join-Path $script:dir 'plain/')
        $plain.Psnr | Should -Be $r.Psnr
        # The same image bytes; only the KMeansPS marker differs (it records -K and -MinPsnr).
        $plainImage = Get-PngWithoutChunk $plain.Destination 'tEXt'
        $floorImage = Get-PngWithoutChunk $r.Destination 'tEXt'
        $plainImage | Should -Be $floorImage
        $floorImage.Length | Should -BeLessThan (Get-Item $r.Destination).Length
        $measured = Measure-ImageKMeans -LiteralPath $script:photo.FullName -K ($r.ChosenK - 1), $r.ChosenK -Seed 1
        ($measured | Where-Object K -eq $r.ChosenK).Psnr | Should -Be $r.Psnr
        ($measured | Where-Object K -eq ($r.ChosenK - 1)).Psnr | Should -BeLessThan $script:floor
    }

    It 'gives QualityTooLow (InvalidResult) naming the file and writes nothing when even -K colours miss the floor; other files go on' {
        $few = New-TestPng -Path (Join-Path $script:dir 'few.png') -Colors 4
        $results = $script:photo, $few | Compress-ImageKMeans -K 4 -Seed 1 -MinPsnr 60 -ComparisonPath (Join-Path $script:dir 'cmp/') -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be "QualityTooLow,$script:Id"
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidResult'
        $errs[0].TargetObject | Should -Be $script:photo.FullName
        $errs[0].Exception.Message | Should -Match ([regex]::Escape($script:photo.FullName))
        Test-Path -LiteralPath (Join-Path $script:dir 'photo-k4.png') | Should -BeFalse
        Test-Path -LiteralPath (Join-Path $script:dir 'cmp/photo-k4-comparison.png') | Should -BeFalse
        @(Get-ChildItem -LiteralPath $script:dir -Recurse -Filter '*.tmp' -Force).Count | Should -Be 0
        # A 4-colour image is kept exactly (infinite PSNR) and is written.
        @($results).Count | Should -Be 1
        $results.Path | Should -Be $few.FullName
        $results.Lossless | Should -BeTrue
        Test-Path -LiteralPath $results.Destination | Should -BeTrue
    }

    It 'chooses the same K and bytes on every run and thread count' {
        $second = New-TestPng -Path (Join-Path $script:dir 'logo.png') -Width 80 -Height 60 -Transparent
        $one = $script:photo, $second | Compress-ImageKMeans -K 128 -Seed 5 -MinPsnr 30 -Destination (Join-Path $script:dir 'one/') -ThrottleLimit 1
        $two = $script:photo, $second | Compress-ImageKMeans -K 128 -Seed 5 -MinPsnr 30 -Destination (Join-Path $script:dir 'two/') -ThrottleLimit 2
        $two.ChosenK | Should -Be $one.ChosenK
        for ($i = 0; $i -lt 2; $i++) {
            [IO.File]::ReadAllBytes($two[$i].Destination) | Should -Be ([IO.File]::ReadAllBytes($one[$i].Destination))
        }
    }

    It 'works with -SkipIfLarger in one nightly line' {
        $jpeg = New-LowQualityJpeg (Join-Path $script:dir 'low.jpg')
        $results = $script:photo, $jpeg | Compress-ImageKMeans -K 256 -Seed 1 -MinPsnr 20 -SkipIfLarger
        $results.Count | Should -Be 2
        foreach ($r in $results) {
            $r.Psnr | Should -BeGreaterOrEqual 20
            $larger = $r.CompressedBytes -ge $r.OriginalBytes
            $r.Status | Should -Be ($larger ? 'SkippedLarger' : 'Written')
            Test-Path -LiteralPath $r.Destination | Should -Be (-not $larger)
        }
        $results[0].ChosenK | Should -BeLessThan 256
    }
}
