BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-KMeansPSModulePath) -Force
    $script:Id = 'KMeansPS.Commands.MeasureImageKMeansCommand'
    $script:dir = Join-Path $TestDrive 'images'
    New-Item -ItemType Directory -Path $script:dir | Out-Null
    New-TestImageSet -Path $script:dir
}

AfterAll {
    Remove-Module KMeansPS -ErrorAction SilentlyContinue
}

Describe 'Measure-ImageKMeans' {
    It 'gives one row per K, in K order, with quality rising and nothing written' {
        $before = @(Get-ChildItem $script:dir).Count
        $rows = Measure-ImageKMeans -Path (Join-Path $script:dir 'sample.jpg') -K 32, 4, 16, 8 -Seed 1
        @(Get-ChildItem $script:dir).Count | Should -Be $before
        $rows.K | Should -Be @(4, 8, 16, 32)
        $rows[0] | Should -BeOfType ([KMeansPS.Output.ImageKMeasurement])
        for ($i = 1; $i -lt $rows.Count; $i++) {
            $rows[$i].Psnr | Should -BeGreaterThan $rows[$i - 1].Psnr
            $rows[$i].Inertia | Should -BeLessThan $rows[$i - 1].Inertia
        }
        $rows | ForEach-Object { $_.CompressedBytes | Should -BeGreaterThan 0 }
        $rows | ForEach-Object { $_.Ssim | Should -BeGreaterThan 0; $_.Ssim | Should -BeLessOrEqual 1 }
    }

    It 'reports the same size and PSNR as Compress-ImageKMeans writes for the same K and seed (<Name>)' -ForEach @(
        @{ Name = 'sample.jpg' }, @{ Name = 'logo.png' }
    ) {
        # logo.png is translucent: its error is a sum of fractions, so both must add it up the same way.
        $row = Measure-ImageKMeans -LiteralPath (Join-Path $script:dir $Name) -K 16 -Seed 4
        $real = Compress-ImageKMeans -LiteralPath (Join-Path $script:dir $Name) -K 16 -Seed 4 -Destination (Join-Path $TestDrive 'k16.png') -Force
        $row.CompressedBytes | Should -Be $real.CompressedBytes
        $row.Psnr | Should -Be $real.Psnr
    }

    It 'sizes each K at -CompressionLevel <Level>: the bytes Compress-ImageKMeans writes at that level, the same PSNR' -ForEach @(
        @{ Level = 'SmallestSize' }, @{ Level = 'Fastest' }, @{ Level = 'NoCompression' }
    ) {
        $source = Join-Path $script:dir 'sample.jpg'
        $default = Measure-ImageKMeans -LiteralPath $source -K 8, 32 -Seed 5
        $rows = Measure-ImageKMeans -LiteralPath $source -K 8, 32 -Seed 5 -CompressionLevel $Level
        foreach ($i in 0, 1) {
            $rows[$i].CompressionLevel | Should -Be $Level
            $default[$i].CompressionLevel | Should -Be 'Optimal'
            $real = Compress-ImageKMeans -LiteralPath $source -K $rows[$i].K -Seed 5 -CompressionLevel $Level -Destination (Join-Path $TestDrive "level-$Level-$i.png") -Force
            $rows[$i].CompressedBytes | Should -Be $real.CompressedBytes
            $rows[$i].CompressedBytes | Should -Be (Get-Item -LiteralPath $real.Destination).Length
            $rows[$i].Psnr | Should -Be $default[$i].Psnr
            if ($Level -eq 'SmallestSize') { $rows[$i].CompressedBytes | Should -BeLessThan $default[$i].CompressedBytes }
            else { $rows[$i].CompressedBytes | Should -BeGreaterThan $default[$i].CompressedBytes }
        }
    }

    It 'suggests exactly one K: the elbow by default' {
        $rows = Measure-ImageKMeans -LiteralPath (Join-Path $script:dir 'sample.jpg') -K 2, 4, 8, 16, 32, 64 -Seed 1
        @($rows | Where-Object Suggested).Count | Should -Be 1
        ($rows | Where-Object Suggested).Reason | Should -Be 'elbow'
    }

    It 'says no elbow where every K is as good: an image of <Colors> colours at K <Colors> and up' -ForEach @(
        @{ Colors = 2 }, @{ Colors = 3 }, @{ Colors = 5 }
    ) {
        $png = Join-Path $TestDrive "stripes$Colors.png"
        New-TestPng -Path $png -Colors $Colors
        $rows = Measure-ImageKMeans -LiteralPath $png -K $Colors, ($Colors + 1), ($Colors * 2), 16 -Seed 1
        $rows | ForEach-Object { $_.Mse | Should -Be 0 }
        $pick = @($rows | Where-Object Suggested)
        $pick.Count | Should -Be 1
        $pick[0].K | Should -Be $Colors
        $pick[0].Reason | Should -Not -Be 'elbow'
        $pick[0].Reason | Should -Match 'same error'
    }

    It 'suggests the smallest K meeting -MinPsnr' {
        $rows = Measure-ImageKMeans -LiteralPath (Join-Path $script:dir 'sample.jpg') -K 4, 8, 16, 32, 64 -MinPsnr 28 -Seed 1
        $pick = $rows | Where-Object Suggested
        $pick.Psnr | Should -BeGreaterOrEqual 28
        $rows | Where-Object { $_.K -lt $pick.K } | ForEach-Object { $_.Psnr | Should -BeLessThan 28 }
    }

    It 'suggests the largest K when none meets -MinPsnr' {
        $rows = Measure-ImageKMeans -LiteralPath (Join-Path $script:dir 'sample.jpg') -K 2, 4 -MinPsnr 80 -Seed 1
        ($rows | Where-Object Suggested).K | Should -Be 4
    }

    It 'words the Reason the same in every culture (it is a value that goes into logs)' {
        $culture = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = 'de-DE'
            $met = Measure-ImageKMeans -LiteralPath (Join-Path $script:dir 'sample.jpg') -K 2, 4 -MinPsnr 20.5 -Seed 1 | Where-Object Suggested
            $none = Measure-ImageKMeans -LiteralPath (Join-Path $script:dir 'sample.jpg') -K 2, 4 -MinPsnr 80.5 -Seed 1 | Where-Object Suggested
        }
        finally {
            [cultureinfo]::CurrentCulture = $culture
        }
        $met.Reason | Should -Be 'first >= 20.5 dB'
        $none.Reason | Should -Be 'none >= 80.5 dB: largest K'
    }

    It 'takes pipeline input from Get-ChildItem and reports bad files without stopping' {
        Set-Content -Path (Join-Path $script:dir 'bad.png') -Value 'nope'
        $rows = Get-ChildItem (Join-Path $script:dir '*.png') | Measure-ImageKMeans -K 4, 8 -Seed 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        ($rows.Path | Sort-Object -Unique).Count | Should -Be 3
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be "InvalidImage,$script:Id"
        $errs[0].TargetObject | Should -BeLike '*bad.png'
    }

    It 'reports a folder given as an image as PathIsDirectory' {
        $null = Measure-ImageKMeans -Path $TestDrive -K 4 -Seed 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be "PathIsDirectory,$script:Id"
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'refuses a pipe (FIFO) named like an image as PathIsSpecialFile, without waiting on it' -Skip:$IsWindows {
        $fifo = Join-Path $TestDrive 'pipe.png'
        & mkfifo $fifo
        # In a child pwsh with a timeout: opening the pipe would wait for a writer for ever.
        try {
            $json = Invoke-ChildScriptWithTimeout -TimeoutSeconds 120 -Script @"
`$null = Measure-ImageKMeans -LiteralPath '$fifo' -K 4 -Seed 1 -ErrorVariable errs -ErrorAction SilentlyContinue
[pscustomobject]@{ Ids = @(`$errs.FullyQualifiedErrorId); Targets = @(`$errs.TargetObject) } | ConvertTo-Json -Compress
"@
        }
        finally {
            Remove-Item -LiteralPath $fifo -Force # no later test may find it and wait on it
        }
        $seen = $json | ConvertFrom-Json
        $seen.Ids | Should -Be @("PathIsSpecialFile,$script:Id")
        $seen.Targets | Should -Be @($fifo)
    }

    It 'shows a table grouped by image' {
        $text = Measure-ImageKMeans -LiteralPath (Join-Path $script:dir 'photo.png') -K 4, 8, 16 -Seed 1 | Out-String
        $text | Should -Match 'Path: .*photo\.png'
        $text | Should -Match '<- '
    }
}

Describe 'Measure-ImageKMeans -PlotPath' {
    It 'draws the curve to a PNG of real content' {
        $plot = Join-Path $TestDrive 'curve.png'
        $null = Measure-ImageKMeans -LiteralPath (Join-Path $script:dir 'sample.jpg') -K 4, 8, 16, 32 -Seed 1 -PlotPath $plot
        $bytes = [IO.File]::ReadAllBytes($plot)
        [Text.Encoding]::ASCII.GetString($bytes, 1, 3) | Should -Be 'PNG'
        $bytes.Length | Should -BeGreaterThan 10000
    }

    It 'refuses a plot named like another image format (x.jpg would hold PNG bytes), writing nothing' {
        $plot = Join-Path $TestDrive 'curve.jpg'
        $err = { Measure-ImageKMeans -LiteralPath (Join-Path $script:dir 'sample.jpg') -K 4, 8 -Seed 1 -PlotPath $plot } |
            Should -Throw -ErrorId "DestinationExtensionMismatch,$script:Id" -PassThru
        $err.Exception.Message | Should -Match "-PlotPath '.*curve\.jpg' ends in '\.jpg'"
        Test-Path $plot | Should -BeFalse
    }

    It 'refuses a pipe or device as the plot with PathIsSpecialFile before measuring anything' -Skip:$IsWindows {
        $fifo = Join-Path $TestDrive 'curve-fifo.png'
        & mkfifo $fifo
        foreach ($plot in $fifo, '/dev/null') {
            { Measure-ImageKMeans -LiteralPath (Join-Path $script:dir 'sample.jpg') -K 4, 8 -Seed 1 -PlotPath $plot -Force } |
                Should -Throw -ErrorId "PathIsSpecialFile,$script:Id"
        }
    }

    It 'refuses the source as the plot, without naming a parameter it does not have' {
        $source = Join-Path $script:dir 'photo.png'
        $before = (Get-FileHash $source).Hash
        $null = Measure-ImageKMeans -LiteralPath $source -K 4 -Seed 1 -PlotPath $source -Force -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be "OutputIsSource,$script:Id"
        $errs[0].Exception.Message | Should -Not -Match '-Destination'
        (Get-FileHash $source).Hash | Should -Be $before
    }

    It 'draws SVG for an .svg path, well-formed, with the suggested K' {
        $plot = Join-Path $TestDrive 'curve.svg'
        $rows = Measure-ImageKMeans -LiteralPath (Join-Path $script:dir 'sample.jpg') -K 4, 8, 16, 32 -Seed 1 -PlotPath $plot
        [xml] $svg = Get-Content -Raw $plot
        $svg.DocumentElement.LocalName | Should -Be 'svg'
        $svg.OuterXml | Should -Match ("Suggested K = {0}" -f ($rows | Where-Object Suggested).K)
    }

    It 'writes one curve per image into a folder' {
        $folder = Join-Path $TestDrive 'curves'
        $null = Get-ChildItem (Join-Path $script:dir '*.png') | Where-Object Name -ne 'bad.png' | Measure-ImageKMeans -K 4, 8 -Seed 1 -PlotPath $folder
        (Get-ChildItem $folder).Name | Sort-Object | Should -Be @('few-curve.png', 'logo-curve.png', 'photo-curve.png')
    }

    It 'names the curves of same-stem images as Compress-ImageKMeans names their outputs (x-jpg-curve.png, x-png-curve.png)' {
        $twins = Join-Path $TestDrive 'twins'
        New-Item -ItemType Directory -Path $twins | Out-Null
        Copy-Item (Join-Path $script:dir 'sample.jpg') (Join-Path $twins 'x.jpg')
        Copy-Item (Join-Path $script:dir 'photo.png') (Join-Path $twins 'x.png')
        Copy-Item (Join-Path $script:dir 'logo.png') (Join-Path $twins 'solo.png')
        $folder = Join-Path $TestDrive 'twin-curves'
        $null = Get-ChildItem $twins | Measure-ImageKMeans -K 2, 4 -Seed 1 -PlotPath $folder -ErrorVariable errs
        @($errs).Count | Should -Be 0
        (Get-ChildItem $folder).Name | Sort-Object | Should -Be @('solo-curve.png', 'x-jpg-curve.png', 'x-png-curve.png')
    }

    It 'keeps an image''s curve under its name when a same-stem twin arrives later, as Compress-ImageKMeans keeps its outputs''' {
        $dir = Join-Path $TestDrive "late-twin-$([guid]::NewGuid())"
        $folder = Join-Path $dir 'curves'
        New-Item -ItemType Directory -Path $dir | Out-Null
        Copy-Item (Join-Path $script:dir 'photo.png') (Join-Path $dir 'x.png')
        $null = Measure-ImageKMeans -LiteralPath (Join-Path $dir 'x.png') -K 2, 4 -Seed 1 -PlotPath "$folder/"
        (Get-ChildItem $folder).Name | Should -Be @('x-curve.png')
        Copy-Item (Join-Path $script:dir 'sample.jpg') (Join-Path $dir 'x.jpg')
        $drawn = (Get-Item (Join-Path $folder 'x-curve.png')).LastWriteTimeUtc
        # The next night: x.png's curve is still x-curve.png (no second x-png-curve.png), the same plot, so left as it
        # is; the new twin gets x-jpg-curve.png.
        $null = Get-ChildItem $dir -File | Measure-ImageKMeans -K 2, 4 -Seed 1 -PlotPath "$folder/" -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs | Should -BeNullOrEmpty
        (Get-ChildItem $folder).Name | Sort-Object | Should -Be @('x-curve.png', 'x-jpg-curve.png')
        (Get-Item (Join-Path $folder 'x-curve.png')).LastWriteTimeUtc | Should -Be $drawn
        # Other settings draw another curve, which that file is not this call's to replace.
        $null = Get-ChildItem $dir -File | Measure-ImageKMeans -K 2, 8 -Seed 1 -PlotPath "$folder/" -ErrorVariable errs -ErrorAction SilentlyContinue
        @($errs).Count | Should -Be 2
        $errs | ForEach-Object { $_.FullyQualifiedErrorId | Should -Match '^OutputExists,' }
        ($errs | ForEach-Object { $_.Exception.Message }) -join "`n" | Should -Match 'x-curve\.png'
        $null = Get-ChildItem $dir -File | Measure-ImageKMeans -K 2, 4 -Seed 1 -PlotPath "$folder/" -Force
        (Get-ChildItem $folder).Name | Sort-Object | Should -Be @('x-curve.png', 'x-jpg-curve.png')
    }
}

Describe 'Measure-ImageKMeans manners' {
    It '-WhatIf writes no plot (the plot is the only file it writes) and still returns the rows' {
        $folder = Join-Path $TestDrive "whatif-$([guid]::NewGuid())"
        New-Item -ItemType Directory -Path $folder | Out-Null
        $before = @(Get-ChildItem -LiteralPath $script:dir -Force -Recurse | ForEach-Object FullName)
        $rows = Measure-ImageKMeans -LiteralPath (Join-Path $script:dir 'photo.png') -K 4, 8 -Seed 1 -PlotPath (Join-Path $folder 'curve.png') -WhatIf
        $rows.K | Should -Be @(4, 8)
        Get-ChildItem -LiteralPath $folder -Force | Should -BeNullOrEmpty
        @(Get-ChildItem -LiteralPath $script:dir -Force -Recurse | ForEach-Object FullName) | Should -Be $before
        (Get-Command Measure-ImageKMeans).Parameters.ContainsKey('Confirm') | Should -BeTrue
    }

    It 'writes rows and errors in input order, a missing path after the images before it' {
        $photo = Join-Path $script:dir 'photo.png'
        $few = Join-Path $script:dir 'few.png'
        $bad = Join-Path $TestDrive 'bad.png'
        Set-Content -LiteralPath $bad -Value 'not an image'
        $missing = Join-Path $TestDrive 'missing.png'
        $stream = Measure-ImageKMeans -Path $photo, $bad, $missing, $few -K 4 -Seed 1 -ErrorAction Continue 2>&1
        $order = foreach ($item in $stream) { if ($item -is [System.Management.Automation.ErrorRecord]) { $item.FullyQualifiedErrorId.Split(',')[0] } else { Split-Path $item.Path -Leaf } }
        $order | Should -Be @('photo.png', 'InvalidImage', 'FileNotFound', 'few.png')
        # Under -ErrorAction Stop the image before the missing path is measured first.
        $rows = [System.Collections.Generic.List[object]]::new()
        { Measure-ImageKMeans -Path $photo, $missing -K 4 -Seed 1 -ErrorAction Stop | ForEach-Object { $rows.Add($_) } } | Should -Throw -ErrorId "FileNotFound,$script:Id"
        $rows.Count | Should -Be 1
    }

    It 'an object with only FullName binds to -LiteralPath; Get-ChildItem output binds once' {
        $photo = Join-Path $script:dir 'photo.png'
        $rows = [pscustomobject]@{ FullName = $photo } | Measure-ImageKMeans -K 4 -Seed 1
        $rows.Path | Should -Be $photo
        $rows = Get-Item -LiteralPath $photo | Measure-ImageKMeans -K 4, 8 -Seed 1
        @($rows).Count | Should -Be 2
    }
}
