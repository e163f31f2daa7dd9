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

Describe 'Export-ClusterPlot: which properties it plots, and rows that lack them' {
    BeforeAll {
        # CSV rows as Import-Csv gives them: text cells, a text column first, no X or Y.
        $csv = Join-Path $TestDrive 'flowers.csv'
        New-SyntheticClusterData -Count 300 -Seed 4 |
            Select-Object @{ n = 'Species'; e = { "s$($_.TrueCluster)" } }, @{ n = 'SepalLength'; e = { $_.X } }, @{ n = 'SepalWidth'; e = { $_.Y } }, @{ n = 'PetalLength'; e = { $_.X * 2 } } |
            Export-Csv -LiteralPath $csv
        $script:flowers = Import-Csv -LiteralPath $csv
        $script:fclustered = $script:flowers | Invoke-KMeans -K 3 -Seed 1 -PassThru
    }

    It 'plots Invoke-KMeans -PassThru rows without X and Y on their first two numeric properties, without an error, and says so in -Verbose' {
        $path = Join-Path $TestDrive 'flowers.svg'
        $verbose = $script:fclustered | Export-ClusterPlot $path -ErrorVariable errs -Verbose 4>&1
        $errs | Should -BeNullOrEmpty
        $svg = Get-Content -LiteralPath $path -Raw
        $svg | Should -Match '>\s*SepalLength\s*<'
        $svg | Should -Match '>\s*SepalWidth\s*<'
        ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message |
            Should -Contain "Export-ClusterPlot: plotting 'SepalLength' across and 'SepalWidth' up (the first properties of input 1 that hold numbers; name others with -XProperty and -YProperty)."
    }

    It 'takes the first two properties -Model was fitted on when no axis is named, and the other one when one is' {
        $model = $script:flowers | Invoke-KMeans -K 3 -Seed 1 -Property PetalLength, SepalWidth
        $path = Join-Path $TestDrive 'by-model.svg'
        $verbose = $script:fclustered | Export-ClusterPlot $path -Model $model -ErrorVariable errs -Verbose 4>&1
        $errs | Should -BeNullOrEmpty
        ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message |
            Should -Contain "Export-ClusterPlot: plotting 'PetalLength' across and 'SepalWidth' up (the first two properties -Model was fitted on; name others with -XProperty and -YProperty)."
        $path2 = Join-Path $TestDrive 'by-model-y.svg'
        $script:fclustered | Export-ClusterPlot $path2 -Model $model -XProperty SepalWidth -ErrorVariable errs
        $errs | Should -BeNullOrEmpty
        $svg = Get-Content -LiteralPath $path2 -Raw
        $svg | Should -Match '>\s*SepalWidth\s*<'
        $svg | Should -Match '>\s*PetalLength\s*<'
    }

    It 'keeps X and Y as the default when the first input has both, in whatever order a hashtable gives its keys' {
        $rows = 1..6 | ForEach-Object { @{ Z = 100 + $_; Y = $_ % 3; X = $_; Cluster = $_ % 2 } }
        $path = Join-Path $TestDrive 'xy.svg'
        $verbose = $rows | Export-ClusterPlot $path -Verbose 4>&1
        ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message |
            Should -Contain "Export-ClusterPlot: plotting 'X' across and 'Y' up (input 1 has X and Y; name others with -XProperty and -YProperty)."
    }

    It 'refuses a -Model fitted on one property, with nothing named, before reading the input' {
        $model = $script:flowers | Invoke-KMeans -K 2 -Seed 1 -Property SepalLength
        $path = Join-Path $TestDrive 'one-d.png'
        { $script:fclustered | Export-ClusterPlot $path -Model $model } | Should -Throw -ErrorId "ModelPropertyMismatch,$script:Id"
        Test-Path -LiteralPath $path | Should -BeFalse
    }

    It 'stops with one PropertyNotFound error, not one per row, when the first input lacks a named property (<Case>)' -ForEach @(
        @{ Case = '-XProperty'; Splat = @{ XProperty = 'Sepal_Length'; YProperty = 'SepalWidth' }; Match = "-XProperty is 'Sepal_Length', but input 1 has no such property. Its properties are: Species, SepalLength, SepalWidth, PetalLength, Cluster.*" }
        @{ Case = 'only one numeric'; Splat = @{}; Rows = 'one'; Match = "Input 1 has only one property, 'N', besides the cluster labels that holds a number*" }
    ) {
        $path = Join-Path $TestDrive 'named.png'
        $rows = if ($Rows -eq 'one') { 1..2000 | ForEach-Object { [pscustomobject]@{ Name = "n$_"; N = $_; Cluster = 0 } } } else { $script:fclustered }
        $thrown = $null
        try { $rows | Export-ClusterPlot $path @Splat -ErrorVariable errs -ErrorAction SilentlyContinue } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -Be "PropertyNotFound,$script:Id"
        $thrown.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $thrown.Exception.Message | Should -BeLike $Match
        @($errs).Count | Should -BeLessOrEqual 1 # the terminating error itself, no error per row
        Test-Path -LiteralPath $path | Should -BeFalse
    }

    It 'writes the first 10 errors of a kind and then one summary with the count, and plots the rest' {
        $rows = 1..1000 | ForEach-Object { [pscustomobject]@{ X = if ($_ % 2) { '' } else { $_ }; Y = $_ % 7; Cluster = $_ % 3 } }
        $path = Join-Path $TestDrive 'half.png'
        $rows | Export-ClusterPlot $path -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 11
        $errs[0].Exception.Message | Should -Be "Input 1 has no finite numeric 'X' and 'Y' properties; it is left out."
        $errs[9].Exception.Message | Should -Be "Input 19 has no finite numeric 'X' and 'Y' properties; it is left out."
        $errs[10].FullyQualifiedErrorId | Should -Be "MissingProperty,$script:Id"
        $errs[10].Exception.Message | Should -Be "490 more inputs were left out for the same reason (500 in all; the first 10 are reported above): no finite numeric 'X' and 'Y' properties."
        Test-Path -LiteralPath $path | Should -BeTrue
    }

    It 'counts each kind of fault apart ($null, out of range, bad labels)' {
        $rows = @(1..12 | ForEach-Object { $null }) + @(1..12 | ForEach-Object { [pscustomobject]@{ X = 1e305; Y = 1; Cluster = 0 } }) +
            @(1..12 | ForEach-Object { [pscustomobject]@{ X = 1; Y = 1; Cluster = 0.5 } }) + @([pscustomobject]@{ X = 1; Y = 2; Cluster = 1 })
        $path = Join-Path $TestDrive 'kinds.png'
        $rows | Export-ClusterPlot $path -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 33
        ($errs | Where-Object { $_.Exception.Message -like '2 more inputs were left out*' }).Count | Should -Be 3
        Test-Path -LiteralPath $path | Should -BeTrue
    }

    It 'with no row plottable: the first 10 errors, a summary, one NoNumericInput, and no file' {
        $rows = 1..500 | ForEach-Object { [pscustomobject]@{ X = 'n/a'; Y = $_; Cluster = 0 } }
        $path = Join-Path $TestDrive 'none-plottable.png'
        $thrown = $null
        try { $rows | Export-ClusterPlot $path -ErrorVariable errs -ErrorAction SilentlyContinue } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -Be "NoNumericInput,$script:Id"
        $thrown.Exception.Message | Should -Be 'No points to plot: each of the 500 inputs was left out (see the errors above).'
        @($errs | Where-Object { $_.FullyQualifiedErrorId -eq "MissingProperty,$script:Id" }).Count | Should -Be 11
        Test-Path -LiteralPath $path | Should -BeFalse
    }
}

Describe 'Export-ClusterPlot: the path, checked before any input and under -WhatIf' {
    BeforeAll {
        $script:few = 1..20 | ForEach-Object { [pscustomobject]@{ X = $_; Y = $_ % 5; Cluster = $_ % 2 } }
        # Counts the inputs the command took before it stopped.
        function Send-Counted { param($Rows) foreach ($r in $Rows) { $script:sent++; $r } }
    }

    It 'refuses a missing folder (<Case>) with FileWriteError before reading any input, and creates nothing, -WhatIf included' -ForEach @(
        @{ Case = 'missing'; WhatIf = $false }, @{ Case = 'missing'; WhatIf = $true }, @{ Case = 'a file'; WhatIf = $false }, @{ Case = 'a file'; WhatIf = $true }
    ) {
        $parent = Join-Path $TestDrive "parent-$([guid]::NewGuid())"
        if ($Case -eq 'a file') { Set-Content -LiteralPath $parent -Value 'x' }
        $path = Join-Path $parent 'p.png'
        $script:sent = 0
        $thrown = $null
        try { Send-Counted $script:few | Export-ClusterPlot $path -WhatIf:$WhatIf } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -Be "FileWriteError,$script:Id"
        $thrown.CategoryInfo.Category | Should -Be 'WriteError'
        $thrown.Exception.Message | Should -BeLike "Could not write -Path '$path': *. Nothing was written; create the folder first (New-Item -ItemType Directory)."
        $script:sent | Should -BeLessOrEqual 1
        if ($Case -eq 'a file') { Get-Content -LiteralPath $parent | Should -Be 'x' } else { Test-Path -LiteralPath $parent | Should -BeFalse }
    }

    It 'says OutputExists under -WhatIf for a file that is not a plot, as the call would' {
        $path = Join-Path $TestDrive 'notes-whatif.png'
        Set-Content -LiteralPath $path -Value 'x'
        { $script:few | Export-ClusterPlot $path -WhatIf } | Should -Throw -ErrorId "OutputExists,$script:Id"
        Get-Content -LiteralPath $path | Should -Be 'x'
    }

    It 'refuses a name ending in a separator as a folder (PathIsDirectory), existing or not' {
        foreach ($value in (Join-Path $TestDrive 'new-folder/'), "$TestDrive/") {
            { $script:few | Export-ClusterPlot $value } | Should -Throw -ErrorId "PathIsDirectory,$script:Id"
        }
        Test-Path -LiteralPath (Join-Path $TestDrive 'new-folder') | Should -BeFalse
    }

    It 'refuses a link to a missing target with FileWriteError, with -Force too, and the link stays' -Skip:$IsWindows {
        $link = Join-Path $TestDrive 'dangling.png'
        $null = New-Item -ItemType SymbolicLink -Path $link -Target (Join-Path $TestDrive 'not-mounted/p.png')
        { $script:few | Export-ClusterPlot $link -Force } | Should -Throw -ErrorId "FileWriteError,$script:Id"
        (Get-Item -LiteralPath $link -Force).LinkType | Should -Be 'SymbolicLink'
        Test-Path -LiteralPath (Join-Path $TestDrive 'not-mounted') | Should -BeFalse
    }

    It 'takes wildcard characters in -Path literally' {
        $path = Join-Path $TestDrive 'plot[1].png'
        Set-Content -LiteralPath (Join-Path $TestDrive 'plot1.png') -Value 'x'
        $file = $script:few | Export-ClusterPlot $path -PassThru
        $file.Name | Should -Be 'plot[1].png'
        Test-Path -LiteralPath $path | Should -BeTrue
        Get-Content -LiteralPath (Join-Path $TestDrive 'plot1.png') | Should -Be 'x'
    }

    It 'resolves a relative path from the location on another file-system drive' {
        $root = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'drive-root')
        $null = New-Item -ItemType Directory -Path (Join-Path $root 'sub')
        $null = New-PSDrive -Name KmPlotT -PSProvider FileSystem -Root $root.FullName
        Push-Location KmPlotT:/sub
        try {
            $file = $script:few | Export-ClusterPlot 'rel.png' -PassThru
            $file.FullName | Should -Be (Join-Path $root.FullName 'sub/rel.png')
            { $script:few | Export-ClusterPlot 'nope/rel.png' } | Should -Throw -ErrorId "FileWriteError,$script:Id"
        }
        finally {
            Pop-Location
            Remove-PSDrive KmPlotT
        }
        Test-Path -LiteralPath (Join-Path $root.FullName 'sub/rel.png') | Should -BeTrue
    }

    It 'reports a read-only folder as FileWriteError naming the file, and leaves nothing there' -Skip:(-not $IsLinux) {
        $ro = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'ro-plot')
        $root = (& id -u) -eq '0'
        if ($root) { & chattr +i $ro.FullName } else { & chmod 555 $ro.FullName }
        try {
            $err = { $script:few | Export-ClusterPlot (Join-Path $ro.FullName 'p.png') } | Should -Throw -ErrorId "FileWriteError,$script:Id" -PassThru
            $err.CategoryInfo.Category | Should -Be 'WriteError'
            $err.Exception.Message | Should -BeLike "*$(Join-Path $ro.FullName 'p.png')*"
        }
        finally {
            if ($root) { & chattr -i $ro.FullName } else { & chmod 755 $ro.FullName }
        }
        Get-ChildItem -LiteralPath $ro.FullName -Force | Should -BeNullOrEmpty
    }
}

Describe 'Export-ClusterPlot: a -Model whose properties the points lack' {
    It 'stops with one ModelPropertyMismatch error naming both, not one error per row, and writes nothing' {
        $other = 1..20 | ForEach-Object { [pscustomobject]@{ Height = $_; Weight = 2 * $_ } } | Invoke-KMeans -K 2 -Seed 1
        $rows = 1..500 | ForEach-Object { [pscustomobject]@{ X = $_; Y = $_ % 9; Cluster = $_ % 2 } }
        $png = Join-Path $TestDrive 'model-other.png'
        $thrown = $null
        try { $rows | Export-ClusterPlot $png -Model $other -ErrorVariable errs -ErrorAction SilentlyContinue } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -Be "ModelPropertyMismatch,$script:Id"
        $thrown.Exception.Message | Should -Be "The model was fitted on Height, Weight, but input 1 has no 'Height' property. Its properties are: X, Y, Cluster. Plot the points the model was fitted on, or leave out -Model."
        @($errs).Count | Should -BeLessOrEqual 1
        Test-Path -LiteralPath $png | Should -BeFalse
    }
}
