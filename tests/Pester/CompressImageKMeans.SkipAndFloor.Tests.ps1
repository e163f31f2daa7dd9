# Compress-ImageKMeans -SkipIfLarger and -MinPsnr (issue #13, points 2 and 3), on files the tests make.
BeforeAll {
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
        $result[0].Status | Should -Be ([KMeansPS.Output.ImageCompressionStatus]::SkippedLarger)
        $result[0].OriginalBytes | Should -Be $jpeg.Length
        $result[0].CompressedBytes | Should -Be $plain.CompressedBytes
        $result[0].Destination | Should -Be (Join-Path $script:dir 'low-k64.png')
        Test-Path -LiteralPath $result[0].Destination | Should -BeFalse
        Test-Path -LiteralPath (Join-Path $script:dir 'cmp.png') | Should -BeFalse
        $result[0].ComparisonPath | Should -BeNullOrEmpty
        @(Get-ChildItem -LiteralPath $script:dir -Filter '*.tmp' -Force).Count | Should -Be 0
        ($verbose.Message -join "`n") | Should -Match 'not smaller than the source.*-SkipIfLarger'
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
        $r.Status | Should -Be ([KMeansPS.Output.ImageCompressionStatus]::Written)
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

    It 'is off by default: a larger output is written' {
        $jpeg = New-LowQualityJpeg (Join-Path $script:dir 'low.jpg')
        $r = Compress-ImageKMeans -LiteralPath $jpeg.FullName -K 64 -Seed 1
        $r.Status | Should -Be 'Written'
        Test-Path -LiteralPath $r.Destination | Should -BeTrue
    }
}
