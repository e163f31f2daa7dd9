BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-KMeansPSModulePath) -Force
    $script:Id = 'KMeansPS.Commands.ExportClusterPlotCommand'

    # Width and height from a PNG's IHDR chunk (colour variety is checked through Compress-ImageKMeans' colour count).
    function Get-PngSize([string] $Path) {
        $b = [IO.File]::ReadAllBytes($Path)
        [pscustomobject]@{
            Width  = ([int] $b[16] -shl 24) -bor ([int] $b[17] -shl 16) -bor ([int] $b[18] -shl 8) -bor $b[19]
            Height = ([int] $b[20] -shl 24) -bor ([int] $b[21] -shl 16) -bor ([int] $b[22] -shl 8) -bor $b[23]
        }
    }
}

AfterAll {
    Remove-Module KMeansPS -ErrorAction SilentlyContinue
}

Describe 'Export-ClusterPlot' {
    BeforeAll {
        $script:points = New-SyntheticClusterData -Seed 1
        $script:model = $script:points | Invoke-KMeans -K 3 -Seed 1
        $script:clustered = $script:points | Invoke-KMeans -K 3 -Seed 1 -PassThru
    }

    It 'warns when a later point carries Cluster but the first had no label (the plot is drawn in one colour)' {
        $points = @([pscustomobject]@{ X = 1; Y = 1 }) + @(1..4 | ForEach-Object { [pscustomobject]@{ X = $_; Y = 2 * $_; Cluster = $_ % 2 } })
        $path = Join-Path $TestDrive 'unlabelled-first.png'
        $null = $points | Export-ClusterPlot -Path $path -WarningVariable warned -WarningAction SilentlyContinue
        @($warned).Count | Should -Be 1
        $warned[0] | Should -Match "Input 2 has a 'Cluster' property, but input 1 had neither Cluster nor TrueCluster"
        Test-Path -LiteralPath $path | Should -BeTrue
        $null = $points | Export-ClusterPlot -Path (Join-Path $TestDrive 'named.png') -ClusterProperty Cluster -ErrorVariable errs -ErrorAction SilentlyContinue -WarningVariable none -WarningAction SilentlyContinue
        $none | Should -BeNullOrEmpty
        @($errs).Count | Should -Be 1 # input 1, without the named property, reported and left out
    }

    It 'writes a PNG of the asked size that is not blank' {
        $path = Join-Path $TestDrive 'plot.png'
        $file = $script:clustered | Export-ClusterPlot $path -Model $script:model -Width 640 -Height 480 -PassThru
        $file | Should -BeOfType ([IO.FileInfo])
        $file.FullName | Should -Be $path
        $size = Get-PngSize $path
        $size.Width | Should -Be 640
        $size.Height | Should -Be 480
        # Pixel variety: a plot with three cluster colours, text and axes has many distinct colours.
        $r = Compress-ImageKMeans -LiteralPath $path -K 256 -Destination (Join-Path $TestDrive 'plot-k.png') -Seed 1 -IncludeOwnOutputs   # the plot carries the module's marker
        $r.SourceColors | Should -BeGreaterThan 50
    }

    It 'writes well-formed SVG with title, legend and centroids' {
        $path = Join-Path $TestDrive 'plot.svg'
        $script:clustered | Export-ClusterPlot $path -Model $script:model -Title 'The blog, K = 3'
        [xml] $svg = Get-Content -Raw $path
        $svg.DocumentElement.LocalName | Should -Be 'svg'
        $svg.OuterXml | Should -Match 'The blog, K = 3'
        $svg.OuterXml | Should -Match 'Centroids'
        $svg.OuterXml | Should -Match 'Cluster 2'
    }

    It 'colours by TrueCluster when there is no Cluster property' {
        $path = Join-Path $TestDrive 'truth.svg'
        New-SyntheticClusterData -Seed 2 | Export-ClusterPlot $path
        (Get-Content -Raw $path) | Should -Match 'True cluster 2'
    }

    It 'leaves out, with an error each, points beyond ±1e300 ("1e400" in text too) and $null, and plots the rest' {
        $points = [System.Collections.Generic.List[object]]::new()
        foreach ($p in (New-SyntheticClusterData -Seed 1 | Select-Object X, Y, TrueCluster)) { $points.Add($p) }
        $points[5].X = '1e400'
        $points[7].Y = -2e300
        $points.Insert(10, $null)
        $path = Join-Path $TestDrive 'huge.svg'
        $points | Export-ClusterPlot $path -ErrorVariable errs -ErrorAction SilentlyContinue
        Test-Path -LiteralPath $path | Should -BeTrue
        @($errs.FullyQualifiedErrorId) | Should -Be @("ValueOutOfRange,$script:Id", "ValueOutOfRange,$script:Id", "MissingProperty,$script:Id")
        $errs[0].Exception.Message | Should -Match "^Input 6's 'X' is at or beyond double's range"
        $errs[1].Exception.Message | Should -Match "^Input 8's 'Y' is -2E\+300"
        $errs[2].Exception.Message | Should -Match '^Input 11 is \$null'
    }

    It 'plots hashtables, as Invoke-KMeans takes them' {
        $path = Join-Path $TestDrive 'hashtables.svg'
        @{ X = 1; Y = 2; Cluster = 0 }, @{ x = 3; y = 4; cluster = 1 }, @{ X = 5; Y = 1; Cluster = 1 } | Export-ClusterPlot $path
        (Get-Content -Raw $path) | Should -Match 'Cluster 1'
    }

    It 'refuses to overwrite another plot without -Force, leaves the same plot as it is, and overwrites with -Force' {
        $path = Join-Path $TestDrive 'again.png'
        $script:clustered | Export-ClusterPlot $path
        $written = (Get-Item $path).LastWriteTimeUtc
        # The same points again (a scheduled rerun): the file already is this plot.
        @($script:clustered | Export-ClusterPlot $path -Verbose 4>&1) -match 'already holds this plot' | Should -Not -BeNullOrEmpty
        (Get-Item $path).LastWriteTimeUtc | Should -Be $written
        $other = $script:clustered | Select-Object -First 20
        { $other | Export-ClusterPlot $path } | Should -Throw -ErrorId "OutputExists,$script:Id"
        { $other | Export-ClusterPlot $path -Force } | Should -Not -Throw
        # A file that is not one of the module's plots is refused before any work, as before.
        Set-Content (Join-Path $TestDrive 'notes.png') 'x'
        { $script:clustered | Export-ClusterPlot (Join-Path $TestDrive 'notes.png') } | Should -Throw -ErrorId "OutputExists,$script:Id"
    }

    It 'writes nothing with -WhatIf' {
        $path = Join-Path $TestDrive 'whatif.png'
        $script:clustered | Export-ClusterPlot $path -WhatIf
        Test-Path $path | Should -BeFalse
    }

    It 'reports points without coordinates and plots the rest' {
        $path = Join-Path $TestDrive 'some.png'
        $items = @([pscustomobject]@{ X = 1; Y = 2; Cluster = 0 }, [pscustomobject]@{ X = 'a'; Y = 2; Cluster = 0 }, [pscustomobject]@{ X = 3; Y = 1; Cluster = 1 })
        $items | Export-ClusterPlot $path -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be "MissingProperty,$script:Id"
        $errs[0].Exception.Message | Should -BeLike 'Input 2 has no finite numeric*' # counted from 1, as Invoke-KMeans counts rows
        Test-Path $path | Should -BeTrue
    }

    It 'fails clearly with no points' {
        { @() | Export-ClusterPlot (Join-Path $TestDrive 'none.png') } | Should -Throw -ErrorId "NoNumericInput,$script:Id"
    }

    It 'refuses a path on another provider''s drive (<Drive>) with NotFileSystemPath and writes nothing' -ForEach @(
        @{ Drive = 'variable:' }, @{ Drive = 'function:' }
    ) {
        # .NET would take such a provider path relative to the process's working folder: make that one to watch.
        $cwd = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item -ItemType Directory -Path (Join-Path $cwd 'sub') | Out-Null
        $before = [Environment]::CurrentDirectory
        try {
            [Environment]::CurrentDirectory = $cwd
            { $script:clustered | Export-ClusterPlot "$($Drive)sub/p.png" } | Should -Throw -ErrorId "NotFileSystemPath,$script:Id"
        }
        finally {
            [Environment]::CurrentDirectory = $before
        }
        @(Get-ChildItem -LiteralPath $cwd -Recurse -File).Count | Should -Be 0
    }

    It 'fails clearly when the folder does not exist, or is a file' {
        $err = { $script:clustered | Export-ClusterPlot (Join-Path $TestDrive 'no/such/folder.png') } | Should -Throw -ErrorId "FileWriteError,$script:Id" -PassThru
        $err.CategoryInfo.Category | Should -Be 'WriteError'
        $file = Join-Path $TestDrive 'a-file.txt'
        Set-Content -LiteralPath $file -Value 'x'
        $err = { $script:clustered | Export-ClusterPlot (Join-Path $file 'p.png') } | Should -Throw -ErrorId "FileWriteError,$script:Id" -PassThru
        $err.CategoryInfo.Category | Should -Be 'WriteError'
        $err.Exception.Message | Should -Match 'is a file, not a folder'
    }

    It 'refuses a folder as the path, with -Force too, and leaves it as it was' {
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'plot-folder')
        $err = { $script:clustered | Export-ClusterPlot $folder.FullName } | Should -Throw -ErrorId "PathIsDirectory,$script:Id" -PassThru
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        { $script:clustered | Export-ClusterPlot $folder.FullName -Force } | Should -Throw -ErrorId "PathIsDirectory,$script:Id"
        (Get-Item $folder.FullName).PSIsContainer | Should -BeTrue
        @(Get-ChildItem $folder.FullName).Count | Should -Be 0
    }

    It 'refuses a pipe or device as the path with PathIsSpecialFile, not "use -Force", with -Force too' -Skip:$IsWindows {
        $fifo = Join-Path $TestDrive 'plot-fifo.png'
        & mkfifo $fifo
        foreach ($path in $fifo, '/dev/null') {
            { $script:clustered | Export-ClusterPlot $path } | Should -Throw -ErrorId "PathIsSpecialFile,$script:Id"
            { $script:clustered | Export-ClusterPlot $path -Force } | Should -Throw -ErrorId "PathIsSpecialFile,$script:Id"
        }
    }

    It 'says what it would do with -WhatIf on an existing plot, and changes nothing' {
        $path = Join-Path $TestDrive 'whatif-existing.png'
        $script:clustered | Export-ClusterPlot $path
        $before = (Get-FileHash $path).Hash
        $script:clustered | Export-ClusterPlot $path -WhatIf -ErrorVariable errs
        $errs.Count | Should -Be 0
        (Get-FileHash $path).Hash | Should -Be $before
    }

    It 'says that text cluster labels left every point out, not that X and Y are missing' {
        $rows = [pscustomobject]@{ X = 1; Y = 2; Cluster = 'a' }, [pscustomobject]@{ X = 2; Y = 3; Cluster = 'b' }
        $thrown = $null
        try { $rows | Export-ClusterPlot (Join-Path $TestDrive 'text-labels.png') -ErrorVariable errs -ErrorAction SilentlyContinue } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -Be "NoNumericInput,$script:Id"
        $thrown.Exception.Message | Should -Be "No points to plot: each of the 2 inputs was left out (see the errors above); the 'Cluster' labels must be whole numbers, as Invoke-KMeans gives them."
        @($errs | Where-Object { $_.FullyQualifiedErrorId -eq "MissingProperty,$script:Id" }).Count | Should -Be 2
    }

    It 'leaves out points whose axis would overflow double (ValueOutOfRange), writing nothing when none is left' {
        $path = Join-Path $TestDrive 'huge.png'
        $rows = [pscustomobject]@{ X = 1e308; Y = 1; Cluster = 0 }, [pscustomobject]@{ X = -1e308; Y = 2; Cluster = 1 }
        $thrown = $null
        try { $rows | Export-ClusterPlot $path -ErrorVariable errs -ErrorAction SilentlyContinue } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -Be "NoNumericInput,$script:Id"
        $thrown.CategoryInfo.Category | Should -Be 'InvalidData'
        $thrown.Exception.Message | Should -BeLike 'No points to plot: each of the 2 inputs was left out (see the errors above)*'
        @($errs | Where-Object { $_.FullyQualifiedErrorId -eq "ValueOutOfRange,$script:Id" }).Count | Should -Be 2
        Test-Path $path | Should -BeFalse
        # Up to ±1e300 an axis scales.
        [pscustomobject]@{ X = 1e300; Y = 1; Cluster = 0 }, [pscustomobject]@{ X = -1e300; Y = 2; Cluster = 1 } | Export-ClusterPlot $path
        Test-Path $path | Should -BeTrue
    }

    It 'reports a cluster label beyond int instead of merging it with others' {
        $path = Join-Path $TestDrive 'labels.png'
        $rows = [pscustomobject]@{ X = 1; Y = 1; Cluster = 2147483648 }, [pscustomobject]@{ X = 2; Y = 2; Cluster = 1e10 }, [pscustomobject]@{ X = 3; Y = 1; Cluster = 0 }
        $rows | Export-ClusterPlot $path -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 2
        $errs[0].FullyQualifiedErrorId | Should -Be "ValueOutOfRange,$script:Id"
        $errs[0].Exception.Message | Should -Match "Input 1's 'Cluster' is 2147483648"
        Test-Path $path | Should -BeTrue
    }
}
