# Compress-ImageKMeans -CompressionLevel (issue #15, section 4): the same pixels at every level, SmallestSize the
# smallest file, the level recorded in the marker so reruns know it, and GIF outputs refuse a level they cannot have.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-KMeansPSModulePath) -Force
    $script:Id = 'KMeansPS.Commands.CompressImageKMeansCommand'

    # A PNG's scanlines (filter bytes and packed indices): its IDAT inflated by the runtime's zlib.
    function script:Get-PngScanlines([string] $Path) {
        $bytes = [IO.File]::ReadAllBytes($Path)
        $idat = [IO.MemoryStream]::new()
        for ($p = 8; $p -lt $bytes.Length; $p += 12 + $length) {
            $length = [Net.IPAddress]::NetworkToHostOrder([BitConverter]::ToInt32($bytes, $p))
            if ([Text.Encoding]::ASCII.GetString($bytes, $p + 4, 4) -eq 'IDAT') { $idat.Write($bytes, $p + 8, $length) }
        }
        $idat.Position = 0
        $inflater = [IO.Compression.ZLibStream]::new($idat, [IO.Compression.CompressionMode]::Decompress)
        $raw = [IO.MemoryStream]::new()
        $inflater.CopyTo($raw)
        , $raw.ToArray()
    }
    $script:Sample = Get-SampleImagePath
}

AfterAll {
    Remove-Module KMeansPS -ErrorAction SilentlyContinue
}

Describe 'Compress-ImageKMeans -CompressionLevel' {
    BeforeEach {
        $script:dir = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item -ItemType Directory -Path $script:dir | Out-Null
    }

    It 'writes the same pixels at every level, SmallestSize smallest and NoCompression largest' {
        $results = @{}
        foreach ($level in 'Optimal', 'SmallestSize', 'Fastest', 'NoCompression') {
            $results[$level] = Compress-ImageKMeans -LiteralPath $script:Sample -K 16 -Seed 3 -CompressionLevel $level `
                -Destination (Join-Path $script:dir "$level.png")
            $results[$level].Status | Should -Be 'Written'
            $results[$level].CompressedBytes | Should -Be (Get-Item (Join-Path $script:dir "$level.png")).Length
        }
        foreach ($level in 'SmallestSize', 'Fastest', 'NoCompression') {
            $results[$level].Psnr | Should -Be $results['Optimal'].Psnr
            $results[$level].Ssim | Should -Be $results['Optimal'].Ssim
        }
        # The same indices in the same layout for the default and the smallest (NoCompression and Fastest keep the usual
        # 4-bit layout, which the default may not).
        $optimal = Get-PngScanlines (Join-Path $script:dir 'Optimal.png')
        $smallest = Get-PngScanlines (Join-Path $script:dir 'SmallestSize.png')
        [Linq.Enumerable]::SequenceEqual($optimal, $smallest) | Should -BeTrue
        (Get-PngScanlines (Join-Path $script:dir 'Fastest.png')).Length | Should -Be (Get-PngScanlines (Join-Path $script:dir 'NoCompression.png')).Length

        $results['SmallestSize'].CompressedBytes | Should -BeLessThan $results['Optimal'].CompressedBytes
        $results['Optimal'].CompressedBytes | Should -BeLessThan $results['Fastest'].CompressedBytes
        $results['Fastest'].CompressedBytes | Should -BeLessThan $results['NoCompression'].CompressedBytes
    }

    It 'records the level: a rerun at the same level is up to date, at another it is not' {
        $out = Join-Path $script:dir 'small.png'
        (Compress-ImageKMeans -LiteralPath $script:Sample -K 16 -Seed 1 -CompressionLevel SmallestSize -Destination $out).Status | Should -Be 'Written'
        (Compress-ImageKMeans -LiteralPath $script:Sample -K 16 -Seed 1 -CompressionLevel SmallestSize -Destination $out).Status | Should -Be 'SkippedUpToDate'

        $err = $null
        $null = Compress-ImageKMeans -LiteralPath $script:Sample -K 16 -Seed 1 -Destination $out -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike "OutputExists,$script:Id"
        (Compress-ImageKMeans -LiteralPath $script:Sample -K 16 -Seed 1 -Destination $out -Force).Status | Should -Be 'Written'
        # The default level writes no compression setting, so outputs of earlier versions stay up to date.
        (Compress-ImageKMeans -LiteralPath $script:Sample -K 16 -Seed 1 -Destination $out).Status | Should -Be 'SkippedUpToDate'
    }

    It 'refuses a level other than Optimal for a GIF output before anything is written (<Case>)' -ForEach @(
        @{ Case = '-Format Gif'; Extra = @{ Format = 'Gif' } }
        @{ Case = 'a .gif destination'; Extra = @{ Destination = 'out.gif' } }
    ) {
        $arguments = @{ LiteralPath = $script:Sample; K = 8; CompressionLevel = 'Fastest' } + $Extra
        if ($arguments.Destination) { $arguments.Destination = Join-Path $script:dir $arguments.Destination }
        else { $arguments.Destination = Join-Path $script:dir 'out/' }
        $thrown = { Compress-ImageKMeans @arguments } | Should -Throw -PassThru
        $thrown.FullyQualifiedErrorId | Should -BeLike "CompressionLevelNotForGif,$script:Id"
        $thrown.CategoryInfo.Category | Should -Be 'InvalidArgument'
        @(Get-ChildItem -LiteralPath $script:dir -Recurse -File) | Should -HaveCount 0
        # Optimal (the default, named or not) is every GIF's level.
        (Compress-ImageKMeans -LiteralPath $script:Sample -K 8 -Seed 1 -Format Gif -CompressionLevel Optimal -Destination (Join-Path $script:dir 'ok/')).Status |
            Should -Be 'Written'
    }
}
