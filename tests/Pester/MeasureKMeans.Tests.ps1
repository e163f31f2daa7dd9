BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-KMeansPSModulePath) -Force
    $script:Id = ',KMeansPS.Commands.MeasureKMeansCommand'
    # Four well-separated blobs: both the silhouette and the elbow should point at K = 4.
    $script:blobs = New-SyntheticClusterData -Count 800 -Center @(0, 0), @(30, 0), @(0, 30), @(30, 30) -Spread 1 -NoiseScale 0 -Seed 21
}

AfterAll {
    Remove-Module KMeansPS -ErrorAction SilentlyContinue
}

Describe 'Measure-KMeans' {
    It 'gives one row per K, ascending, with falling inertia, and suggests the true K' {
        $rows = $script:blobs | Measure-KMeans -K 6, 2, 3, 4, 5, 3 -Seed 1
        $rows | Should -BeOfType ([KMeansPS.Output.KMeansMeasurement])
        $rows.K | Should -Be @(2, 3, 4, 5, 6)
        for ($i = 1; $i -lt $rows.Count; $i++) { $rows[$i].Inertia | Should -BeLessThan $rows[$i - 1].Inertia }
        $suggested = @($rows | Where-Object Suggested)
        $suggested.Count | Should -Be 1
        $suggested[0].K | Should -Be 4
        $suggested[0].Reason | Should -Be 'highest silhouette'
        ($rows | Where-Object Elbow).K | Should -Be 4
        $rows[2].Silhouette | Should -BeGreaterThan 0.8
    }

    It 'reports for each K what Invoke-KMeans -K gives with the same seed' {
        $rows = $script:blobs | Measure-KMeans -K 3, 4 -Seed 5
        $fit = $script:blobs | Invoke-KMeans -K 4 -Seed 5
        $rows[1].Inertia | Should -Be $fit.Inertia
        ($rows[1].Model.Labels -join ',') | Should -BeExactly ($fit.Labels -join ',')
    }

    It 'fits with the -Init and -Tolerance Invoke-KMeans takes, so a row is still that command''s model' {
        # Overlapping blobs: a loose tolerance stops the fit well before its fixed point.
        $points = New-SyntheticClusterData -Count 3000 -Clusters 5 -Spread 6 -Seed 3
        foreach ($case in @{ Init = 'Random'; Tolerance = 0 }, @{ Init = 'KMeansPlusPlus'; Tolerance = 0.05 }) {
            $row = $points | Measure-KMeans -K 5 -Seed 9 -Algorithm Lloyd @case
            $fit = $points | Invoke-KMeans -K 5 -Seed 9 -Algorithm Lloyd @case
            $row.Inertia | Should -Be $fit.Inertia
            $row.Model.Iterations | Should -Be $fit.Iterations
            ($row.Model.Labels -join ',') | Should -BeExactly ($fit.Labels -join ',')
        }
        $fixed = $points | Measure-KMeans -K 5 -Seed 9 -Algorithm Lloyd -Tolerance 0
        $loose = $points | Measure-KMeans -K 5 -Seed 9 -Algorithm Lloyd -Tolerance 0.05
        $fixed.Model.Converged | Should -BeTrue
        $loose.Model.Iterations | Should -BeLessThan $fixed.Model.Iterations
    }

    It 'computes the silhouette on a seeded sample when there are more points than -SampleSize, and says so' {
        $rows = $script:blobs | Measure-KMeans -K 4 -Seed 1 -SampleSize 100
        $rows.SilhouettePoints | Should -Be 100
        $rows.Sampled | Should -BeTrue
        ($rows | Out-String) | Should -Match 'sample 100'
        $again = $script:blobs | Measure-KMeans -K 4 -Seed 1 -SampleSize 100
        $again.Silhouette | Should -Be $rows.Silhouette
        $all = $script:blobs | Measure-KMeans -K 4 -Seed 1
        $all.Sampled | Should -BeFalse
        ($all | Out-String) | Should -Match 'all 800'
    }

    It 'matches a silhouette worked out by hand' {
        # {0, 1} and {10, 11}: s = ((10.5 - 1) / 10.5 + (9.5 - 1) / 9.5) / 2.
        $row = 0, 1, 10, 11 | Measure-KMeans -K 2 -Seed 1
        [math]::Abs($row.Silhouette - (9.5 / 10.5 + 8.5 / 9.5) / 2) | Should -BeLessThan 1e-12
    }

    It 'shows the rows as a table with the Suggested column' {
        # 120 columns: an 80-column console leaves the last column, the reason in words, less room than it needs (numbers are never cut: FormatViews.Tests.ps1)
        $text = $script:blobs | Measure-KMeans -K 2, 4 -Seed 1 | Out-String -Width 120
        $text | Should -Match 'K\s+Inertia\s+Silhouette\s+Scored on\s+Time\s+Elbow\s+Suggested'
        $text | Should -Match '<- highest silhouette'
    }

    It 'reads CSV rows and standardizes like Invoke-KMeans' {
        $csv = Join-Path $TestDrive 'wide.csv'
        $script:blobs | Select-Object X, @{ n = 'Y'; e = { $_.Y * 1000 } } | Export-Csv $csv
        $rows = Import-Csv $csv | Measure-KMeans -K 2, 4 -Standardize -Seed 1
        ($rows | Where-Object Suggested).K | Should -Be 4
        $rows[0].Model.Standardized | Should -BeTrue
    }

    Context '-PlotPath' {
        It 'draws the curve' {
            $png = Join-Path $TestDrive 'curve.png'
            $null = $script:blobs | Measure-KMeans -K (2..5) -Seed 1 -PlotPath $png
            $bytes = [IO.File]::ReadAllBytes($png)
            $bytes.Length | Should -BeGreaterThan 1000
            $bytes[1..3] | Should -Be ([byte[]][char[]]'PNG')
        }

        It 'draws an inertia beyond the largest double (Infinity) at the top, and returns every row' {
            # Groups at 0, 1e160 and 2e160: squared distances overflow at K = 2, not at K = 3 or 4.
            $mix = @(0..9 | ForEach-Object { [pscustomobject]@{ X = $_ * 1e-3; Y = 0 } }) +
                @(0..9 | ForEach-Object { [pscustomobject]@{ X = 1e160 + $_ * 1e150; Y = 0 } }) +
                @(0..9 | ForEach-Object { [pscustomobject]@{ X = 2e160 + $_ * 1e150; Y = 0 } })
            foreach ($case in @{ Name = 'mixed'; Rows = $mix }, @{ Name = 'all'; Rows = @(1..30 | ForEach-Object { [pscustomobject]@{ X = ($_ % 3) * 1e200 + $_ * 1e190; Y = 1 } }) }) {
                $png = Join-Path $TestDrive "inf-$($case.Name).png"
                $rows = $case.Rows | Measure-KMeans -K 2, 3, 4 -Seed 1 -PlotPath $png -WarningAction SilentlyContinue -ErrorAction Stop
                $rows.Count | Should -Be 3 -Because $case.Name
                @($rows | Where-Object { [double]::IsPositiveInfinity($_.Inertia) }).Count | Should -BeGreaterThan 0 -Because $case.Name
                ([IO.File]::ReadAllBytes($png))[1..3] | Should -Be ([byte[]][char[]]'PNG')
            }
        }

        It 'writes nothing with -WhatIf, and still reports' {
            $png = Join-Path $TestDrive 'whatif.png'
            $rows = $script:blobs | Measure-KMeans -K 2, 3 -Seed 1 -PlotPath $png -WhatIf
            $rows.Count | Should -Be 2
            Test-Path $png | Should -BeFalse
        }

        It 'refuses a path on another provider''s drive with NotFileSystemPath, before any fit' {
            { $script:blobs | Measure-KMeans -K 2, 3 -Seed 1 -PlotPath function:curve.png } | Should -Throw -ErrorId "NotFileSystemPath$script:Id"
            Test-Path function:curve.png | Should -BeFalse
        }

        It 'refuses to replace a file without -Force' {
            $png = Join-Path $TestDrive 'exists.png'
            Set-Content $png 'x'
            { $script:blobs | Measure-KMeans -K 2, 3 -Seed 1 -PlotPath $png } | Should -Throw -ErrorId "OutputExists$script:Id"
            $null = $script:blobs | Measure-KMeans -K 2, 3 -Seed 1 -PlotPath $png -Force
            (Get-Item $png).Length | Should -BeGreaterThan 1000
        }

        It 'refuses a device as -PlotPath with PathIsSpecialFile, with -Force too' -Skip:$IsWindows {
            { $script:blobs | Measure-KMeans -K 2, 3 -Seed 1 -PlotPath /dev/zero } | Should -Throw -ErrorId "PathIsSpecialFile$script:Id"
            { $script:blobs | Measure-KMeans -K 2, 3 -Seed 1 -PlotPath /dev/zero -Force } | Should -Throw -ErrorId "PathIsSpecialFile$script:Id"
        }
    }

    It 'passes on the warning when there are fewer distinct points than K' {
        $rows = 1, 2, 3 | Measure-KMeans -K 2, 5 -Seed 1 -WarningVariable warn -WarningAction SilentlyContinue
        $rows[1].Model.K | Should -Be 3
        $warn | Should -Match '^K = 5: Only 3 distinct points'
    }

    It 'shows the clusters each fit has (FittedK) beside the K asked, and never marks a K the fit lowered, on seeded data of <Distinct> distinct points (seed <Seed>)' -ForEach @(
        @{ Distinct = 1; Seed = 11 }, @{ Distinct = 2; Seed = 12 }, @{ Distinct = 3; Seed = 13 }, @{ Distinct = 4; Seed = 14 }, @{ Distinct = 5; Seed = 15 }
        # Without K = the distinct points among the K tried: the lowered rows (3 clusters) score best, but are not K = 4 or 5.
        @{ Distinct = 3; Seed = 16; Ks = @(2, 4, 5, 6, 7) }, @{ Distinct = 4; Seed = 17; Ks = @(2, 3, 5, 7) }
    ) {
        # Distinct random points, each repeated a random number of times, in random order; K from 2 to 7 unless given.
        $random = [System.Random]::new($Seed)
        $centres = @(foreach ($i in 1..$Distinct) { , @(($random.NextDouble() * 100), ($random.NextDouble() * 100)) })
        $points = @(foreach ($c in $centres) { 1..$random.Next(3, 9) | ForEach-Object { [pscustomobject]@{ X = $c[0]; Y = $c[1] } } }) |
            Sort-Object { $random.Next() }
        $ks = if ($Ks) { $Ks } else { 2..7 }
        $rows = $points | Measure-KMeans -K $ks -Seed $Seed -WarningVariable warn -WarningAction SilentlyContinue
        $rows.K | Should -Be $ks
        $rows.FittedK | Should -Be @($ks | ForEach-Object { [math]::Min($_, $Distinct) })
        foreach ($row in $rows) { $row.FittedK | Should -Be $row.Model.K }
        @($warn).Count | Should -Be @($ks | Where-Object { $_ -gt $Distinct }).Count
        # Invoke-KMeans -K gives the same clusters, reported as its K.
        $fit = $points | Invoke-KMeans -K 7 -Seed $Seed -WarningAction SilentlyContinue
        $fit.K | Should -Be $rows[-1].FittedK
        $fit.Inertia | Should -Be $rows[-1].Inertia
        # The elbow and the suggestion are among the K fitted as asked, when there is one.
        $suggested = @($rows | Where-Object Suggested)
        $suggested.Count | Should -Be 1
        $asked = @($rows | Where-Object { $_.FittedK -eq $_.K })
        if ($asked.Count -gt 0) {
            $suggested[0].FittedK | Should -Be $suggested[0].K
        } else {
            $suggested[0].K | Should -Be 2
            $suggested[0].Reason | Should -BeLike "fewer distinct points than any K: the smallest, fitted as $Distinct cluster*"
        }
        if ($asked.Count -eq 1) { $suggested[0].Reason | Should -Be 'the only K the data has enough distinct points for' }
        # A lowered row stays on the inertia curve (so the bend where the inertia reaches its floor is still found) but
        # is never the elbow.
        foreach ($row in @($rows | Where-Object Elbow)) { $row.FittedK | Should -Be $row.K }
        if ($Distinct -eq 3 -and $ks -contains 3) { @($rows | Where-Object Elbow).K | Should -Be 3 }
        # The table shows FittedK/K on a lowered row, and the plain K on the others.
        $shown = ($rows | Format-Table | Out-String -Width 200) -split "`n" | Where-Object { $_ -match '^\s*\d+(/\d+)?\s' } | ForEach-Object { ($_ -split '\s+' | Where-Object { $_ })[0] }
        $shown | Should -Be @($rows | ForEach-Object { if ($_.FittedK -ne $_.K) { "$($_.FittedK)/$($_.K)" } else { "$($_.K)" } })
        $rows[-1].ToString() | Should -BeLike ($(if ($Distinct -lt 7) { "K=7 (fitted $Distinct):*" } else { 'K=7:*' }))
    }

    It 'marks no elbow on a flat inertia curve, and suggests the smallest K saying why' {
        # Thirty copies of one point: every K fits them with inertia 0, and no silhouette exists.
        $rows = 1..30 | ForEach-Object { [pscustomobject]@{ X = 5; Y = 5 } } | Measure-KMeans -K 2, 3, 4 -Seed 1 -WarningAction SilentlyContinue
        $rows.Inertia | Should -Be @(0, 0, 0)
        @($rows | Where-Object Elbow).Count | Should -Be 0
        $suggested = @($rows | Where-Object Suggested)
        $suggested.K | Should -Be 2
        $suggested.Reason | Should -Be 'fewer distinct points than any K: the smallest, fitted as 1 cluster'
        $rows.FittedK | Should -Be @(1, 1, 1)
    }

    It 'marks no elbow on a curve of two K values, which has no bend' {
        $two = $script:blobs | Measure-KMeans -K 2, 3 -Seed 1
        @($two | Where-Object Elbow).Count | Should -Be 0
        @($two | Where-Object Suggested).Reason | Should -Be 'highest silhouette'
    }

    It 'does not call a silhouette "highest" when every K scores the same: the elbow is suggested, saying why' {
        # Two sampled points score 0 at every K.
        $rows = $script:blobs | Measure-KMeans -K 2, 3, 4, 6 -Seed 1 -SampleSize 2
        @($rows.Silhouette | Sort-Object -Unique).Count | Should -Be 1
        $suggested = @($rows | Where-Object Suggested)
        $suggested.Count | Should -Be 1
        $suggested[0].Reason | Should -BeLike 'every K scores the same silhouette; *'
        $suggested[0].Reason | Should -Not -Match 'highest'
        if (@($rows | Where-Object Elbow).Count -eq 1) { $suggested[0].Elbow | Should -BeTrue }
        # Two points: K = 3 is fitted as 2 clusters, so K = 2 is the only K fitted as asked, and the Reason says so.
        $two = New-SyntheticClusterData -Seed 1 | Select-Object -First 2 | Measure-KMeans -K 2, 3 -Seed 1 -WarningAction SilentlyContinue
        $two.FittedK | Should -Be @(2, 2)
        @($two | Where-Object Suggested).K | Should -Be 2
        @($two | Where-Object Suggested).Reason | Should -Be 'the only K the data has enough distinct points for'
    }

    It 'fails clearly on no input' {
        { @() | Measure-KMeans -K 2 } | Should -Throw -ErrorId "NoNumericInput$script:Id"
    }

    It 'rejects K below 2 at binding' {
        { 1, 2, 3 | Measure-KMeans -K 1 } | Should -Throw -ErrorId "ParameterArgumentValidationError$script:Id"
    }
}

Describe 'Measure-KMeans -PlotPath: checked as Export-ClusterPlot checks -Path, before any input and under -WhatIf' {
    BeforeAll {
        $script:few = 1..40 | ForEach-Object { [pscustomobject]@{ X = $_ % 7; Y = $_ % 5 } }
        function Send-Counted { param($Rows) foreach ($r in $Rows) { $script:sent++; $r } }
    }

    It 'refuses a folder that is <Case> with FileWriteError (WriteError) before any input, creating nothing, -WhatIf <WhatIf>' -ForEach @(
        @{ Case = 'missing'; WhatIf = $false }, @{ Case = 'missing'; WhatIf = $true }, @{ Case = 'a file'; WhatIf = $false }, @{ Case = 'a file'; WhatIf = $true }
    ) {
        $parent = Join-Path $TestDrive "parent-$([guid]::NewGuid())"
        if ($Case -eq 'a file') { Set-Content -LiteralPath $parent -Value 'x' }
        $path = Join-Path $parent 'k.png'
        $script:sent = 0
        $thrown = $null
        $rows = $null
        try { $rows = Send-Counted $script:few | Measure-KMeans -K 2, 3 -Seed 1 -PlotPath $path -WhatIf:$WhatIf } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -Be "FileWriteError$script:Id"
        $thrown.CategoryInfo.Category | Should -Be 'WriteError'
        $why = if ($Case -eq 'a file') { "'$parent' is a file, not a folder" } else { "the folder '$parent' does not exist" }
        $thrown.Exception.Message | Should -Be "Could not write -PlotPath '$path': $why. Nothing was written; create the folder first (New-Item -ItemType Directory)."
        $rows | Should -BeNullOrEmpty
        $script:sent | Should -Be 0
        if ($Case -eq 'a file') { Get-Content -LiteralPath $parent | Should -Be 'x' } else { Test-Path -LiteralPath $parent | Should -BeFalse }
    }

    It 'refuses a name ending in a separator as a folder (PathIsDirectory), and creates none' {
        { $script:few | Measure-KMeans -K 2, 3 -Seed 1 -PlotPath (Join-Path $TestDrive 'curves/') } | Should -Throw -ErrorId "PathIsDirectory$script:Id"
        Test-Path -LiteralPath (Join-Path $TestDrive 'curves') | Should -BeFalse
    }

    It 'refuses a link to a missing target with FileWriteError, with -Force too, and the link stays' -Skip:$IsWindows {
        $link = Join-Path $TestDrive 'k-dangling.png'
        $null = New-Item -ItemType SymbolicLink -Path $link -Target (Join-Path $TestDrive 'not-mounted/k.png')
        { $script:few | Measure-KMeans -K 2, 3 -Seed 1 -PlotPath $link -Force } | Should -Throw -ErrorId "FileWriteError$script:Id"
        (Get-Item -LiteralPath $link -Force).LinkType | Should -Be 'SymbolicLink'
    }

    It 'takes wildcard characters in -PlotPath literally, and a relative path from another file-system drive' {
        $root = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'mk-drive')
        Set-Content -LiteralPath (Join-Path $root 'k1.png') -Value 'x'
        $null = New-PSDrive -Name KmMeasureT -PSProvider FileSystem -Root $root.FullName
        Push-Location KmMeasureT:/
        try { $null = $script:few | Measure-KMeans -K 2, 3 -Seed 1 -PlotPath 'k[1].png' }
        finally {
            Pop-Location
            Remove-PSDrive KmMeasureT
        }
        Test-Path -LiteralPath (Join-Path $root.FullName 'k[1].png') | Should -BeTrue
        Get-Content -LiteralPath (Join-Path $root.FullName 'k1.png') | Should -Be 'x'
    }
}

Describe 'Measure-KMeans: rows left out' {
    It 'writes the first 10 errors of a kind and then one that counts the rest, not one per row' {
        $rows = 1..1000 | ForEach-Object { [pscustomobject]@{ X = if ($_ % 2) { '' } else { $_ % 13 }; Y = $_ % 7 } }
        $out = $rows | Measure-KMeans -K 2, 3 -Seed 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $out.Count | Should -Be 2
        $errs.Count | Should -Be 11
        $errs[0].Exception.Message | Should -Be "Row 1 has no value for 'X'; it is left out."
        $errs[10].FullyQualifiedErrorId | Should -Be "MissingProperty$script:Id"
        $errs[10].Exception.Message | Should -Be "490 more rows were left out for the same reason (500 in all; the first 10 are reported above): no value for 'X'."
    }

    It 'counts each kind apart, and summarizes before saying that no row could be read' {
        $rows = @(1..15 | ForEach-Object { [pscustomobject]@{ X = 'n/a'; Y = 1 } }) + @(1..12 | ForEach-Object { $null })
        $thrown = $null
        try { $rows | Measure-KMeans -K 2 -Seed 1 -Property X, Y -ErrorVariable errs -ErrorAction SilentlyContinue } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -Be "NoNumericInput$script:Id"
        $real = @($errs | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) # not the terminating one, which comes wrapped
        $real.Count | Should -Be 22
        @($real | Where-Object { $_.Exception.Message -like '5 more rows were left out for the same reason (15 in all*' }).Count | Should -Be 1
        @($real | Where-Object { $_.Exception.Message -like '2 more rows were left out for the same reason (12 in all*' }).Count | Should -Be 1
    }
}
