BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-KMeansPSModulePath) -Force

    # Adjusted Rand-free check: with well-separated blobs every true cluster maps to exactly one found cluster.
    function Test-SamePartition([int[]] $a, [int[]] $b) {
        $pairs = for ($i = 0; $i -lt $a.Count; $i++) { "$($a[$i])-$($b[$i])" }
        $distinct = $pairs | Sort-Object -Unique
        $distinct.Count -eq ($a | Sort-Object -Unique).Count -and $distinct.Count -eq ($b | Sort-Object -Unique).Count
    }
}

AfterAll {
    Remove-Module KMeansPS -ErrorAction SilentlyContinue
}

Describe 'Invoke-KMeans' {
    Context 'on New-SyntheticClusterData output' {
        BeforeAll {
            $script:points = New-SyntheticClusterData -Count 600 -Center @(0, 0), @(20, 0), @(0, 20) -Spread 1 -NoiseScale 0 -Seed 11
        }

        It 'recovers the true clusters of well-separated blobs' {
            $model = $script:points | Invoke-KMeans -K 3 -Seed 1
            $model | Should -BeOfType ([KMeansPS.Output.KMeansModel])
            $model.K | Should -Be 3
            $model.Count | Should -Be 600
            $model.Properties | Should -Be @('X', 'Y')
            $model.Converged | Should -BeTrue
            Test-SamePartition $script:points.TrueCluster $model.Labels | Should -BeTrue
            $model.ClusterSizes | Sort-Object | Should -Be @(200, 200, 200)
        }

        It 'places the centroids on the true centres' {
            $model = $script:points | Invoke-KMeans -K 3 -Seed 1
            foreach ($center in @(@(0, 0), @(20, 0), @(0, 20))) {
                $nearest = $model.Centroids | Sort-Object { [math]::Pow($_[0] - $center[0], 2) + [math]::Pow($_[1] - $center[1], 2) } | Select-Object -First 1
                [math]::Abs($nearest[0] - $center[0]) | Should -BeLessThan 0.3
                [math]::Abs($nearest[1] - $center[1]) | Should -BeLessThan 0.3
            }
        }

        It 'adds a Cluster property with -PassThru' {
            $out = $script:points | Invoke-KMeans -K 3 -Seed 1 -PassThru
            $out.Count | Should -Be 600
            $out[0].PSObject.Properties.Name | Should -Contain 'Cluster'
            Test-SamePartition $out.TrueCluster $out.Cluster | Should -BeTrue
        }

        It 'leaves the input objects as they were with -PassThru, so the same fit on them gives the same result again' {
            $points = New-SyntheticClusterData -Count 300 -Seed 1
            $before = $points | Invoke-KMeans -K 3 -Seed 1
            $out = $points | Invoke-KMeans -K 3 -Seed 1 -PassThru -IncludeDistance
            $out[0].PSObject.Properties.Name | Should -Contain 'Distance'
            $points[0].PSObject.Properties.Name | Should -Be @('X', 'Y', 'TrueCluster')
            $after = $points | Invoke-KMeans -K 3 -Seed 1
            $after.Properties | Should -Be @('X', 'Y')
            $after.Inertia | Should -Be $before.Inertia
            # CSV rows too.
            $csv = Join-Path $TestDrive 'passthru.csv'
            $points | Export-Csv $csv
            $rows = Import-Csv $csv
            $null = $rows | Invoke-KMeans -K 3 -Seed 1 -PassThru -IncludeDistance
            $rows[0].PSObject.Properties.Name | Should -Be @('X', 'Y', 'TrueCluster')
        }

        It 'leaves out Distance beside Distances (what -IncludeDistance adds) by default, but clusters on a Distance column of its own' {
            $labelled = 1..40 | ForEach-Object { [pscustomobject]@{ X = [double]($_ % 5); Y = [double]($_ % 3); Distance = [double]$_; Distances = [double[]]@(1, 2) } }
            ($labelled | Invoke-KMeans -K 2 -Seed 1).Properties | Should -Be @('X', 'Y')
            $trips = 1..40 | ForEach-Object { [pscustomobject]@{ X = [double]($_ % 5); Distance = [double]$_ } }
            ($trips | Invoke-KMeans -K 2 -Seed 1).Properties | Should -Be @('X', 'Distance')
        }

        It 'gives identical results for the same seed, whatever the thread count' {
            $a = $script:points | Invoke-KMeans -K 3 -Seed 5 -MaxThreads 1
            $b = $script:points | Invoke-KMeans -K 3 -Seed 5 -MaxThreads 2
            $a.Inertia | Should -Be $b.Inertia
            ($a.Labels -join ',') | Should -BeExactly ($b.Labels -join ',')
            ($a.Centroids | ForEach-Object { $_ -join ',' }) -join ';' | Should -BeExactly (($b.Centroids | ForEach-Object { $_ -join ',' }) -join ';')
        }

        It 'runs every algorithm: <Algorithm>' -ForEach @(
            @{ Algorithm = 'Auto' }, @{ Algorithm = 'Lloyd' }, @{ Algorithm = 'Hamerly' }, @{ Algorithm = 'MiniBatch' }
        ) {
            $model = $script:points | Invoke-KMeans -K 3 -Seed 2 -Algorithm $Algorithm -BatchSize 100
            Test-SamePartition $script:points.TrueCluster $model.Labels | Should -BeTrue
        }

        It 'reports the seed it drew when none was given' {
            $model = $script:points | Invoke-KMeans -K 3
            $again = $script:points | Invoke-KMeans -K 3 -Seed $model.Seed
            $again.Inertia | Should -Be $model.Inertia
        }
    }

    It 'accepts the matrix form' {
        $m = New-SyntheticClusterData -Count 3000 -Center @(0, 0, 0), @(30, 30, 30) -Spread 1 -NoiseScale 0 -Seed 4 -AsMatrix
        $model = $m | Invoke-KMeans -K 2 -Seed 1
        $model.Count | Should -Be 3000
        $model.Dimensions | Should -Be 3
        Test-SamePartition $m.TrueCluster $model.Labels | Should -BeTrue
    }

    It 'accepts arrays of numbers' {
        $model = @(@(0, 0), @(0, 1), @(10, 10), @(10, 11)) | ForEach-Object { , $_ } | Invoke-KMeans -K 2 -Seed 1
        $model.Count | Should -Be 4
        $model.Labels[0] | Should -Be $model.Labels[1]
        $model.Labels[2] | Should -Be $model.Labels[3]
        $model.Labels[0] | Should -Not -Be $model.Labels[2]
    }

    It 'clusters CSV rows (numbers as strings) on named properties' {
        $csv = Join-Path $TestDrive 'pts.csv'
        New-SyntheticClusterData -Count 300 -Center @(0, 0), @(50, 50) -NoiseScale 0 -Seed 3 | Export-Csv $csv
        $model = Import-Csv $csv | Invoke-KMeans -K 2 -Property X, Y -Seed 1
        $model.Count | Should -Be 300
        $model.ClusterSizes | Should -Be @(150, 150)
    }

    It 'honours weights: a weighted point pulls its centre' {
        $pts = @(
            [pscustomobject]@{ X = 0.0; W = 1 }
            [pscustomobject]@{ X = 1.0; W = 3 }
        )
        $model = $pts | Invoke-KMeans -K 1 -Weight W -Seed 1
        $model.Centroids[0][0] | Should -Be 0.75
    }

    It 'starts from given centroids' {
        $pts = 0..99 | ForEach-Object { [pscustomobject]@{ X = [double]($_ % 2) * 10 } }
        $model = $pts | Invoke-KMeans -K 2 -InitialCentroids @(10.0), @(0.0) -Seed 1
        $model.Centroids[0][0] | Should -Be 10
        $model.Centroids[1][0] | Should -Be 0
    }

    It 'lowers K with a warning when there are fewer distinct points' {
        $pts = 1..10 | ForEach-Object { [pscustomobject]@{ X = [double]($_ % 2) } }
        $model = $pts | Invoke-KMeans -K 5 -Seed 1 -WarningVariable warn -WarningAction SilentlyContinue
        $model.K | Should -Be 2
        $warn | Should -Not -BeNullOrEmpty
        # One point repeated: said in the singular.
        $one = 1..10 | ForEach-Object { [pscustomobject]@{ X = 4.0 } } | Invoke-KMeans -K 2 -Seed 1 -WarningVariable single -WarningAction SilentlyContinue
        $one.K | Should -Be 1
        "$single" | Should -Be 'Only 1 distinct point (with positive weight) exists, fewer than K = 2; K was lowered to 1 and that point is the centre.'
    }

    It 'splits on both columns with -Standardize where the grams alone decide without it (help example "Columns on different scales")' {
        $random = [Random]::new(7)
        $rows = 1..200 | ForEach-Object { [pscustomobject]@{ Metres = ($_ % 2) * 3 + $random.NextDouble(); Grams = $random.Next(1000) } }
        $scaled = ($rows | Invoke-KMeans -K 2 -Standardize -Seed 1).Centroids
        [math]::Abs($scaled[0][0] - $scaled[1][0]) | Should -BeGreaterThan 2.5   # the metres split
        $raw = ($rows | Invoke-KMeans -K 2 -Seed 1).Centroids
        [math]::Abs($raw[0][0] - $raw[1][0]) | Should -BeLessThan 0.5            # the grams split, metres mixed
        [math]::Abs($raw[0][1] - $raw[1][1]) | Should -BeGreaterThan 400
    }

    It 'names the scheme that ran as the model''s Algorithm (Auto resolved)' {
        $data = New-SyntheticClusterData -Count 5000 -Clusters 60 -Seed 1
        ($data | Invoke-KMeans -K 50 -Seed 1).Algorithm | Should -Be 'Hamerly'
        ($data | Invoke-KMeans -K 3 -Seed 1).Algorithm | Should -Be 'Lloyd'
        ($data | Invoke-KMeans -K 50 -Seed 1 -Algorithm Lloyd).Algorithm | Should -Be 'Lloyd'
    }

    Context 'bad input' {
        It 'reports a point with a missing property and clusters the rest' {
            $pts = @(
                [pscustomobject]@{ X = 0.0; Y = 0.0 }
                [pscustomobject]@{ X = 1.0 }
                [pscustomobject]@{ X = 5.0; Y = 5.0 }
            )
            $model = $pts | Invoke-KMeans -K 2 -Seed 1 -ErrorVariable errs -ErrorAction SilentlyContinue
            $model.Count | Should -Be 2
            $errs[0].FullyQualifiedErrorId | Should -Be 'MissingProperty,KMeansPS.Commands.InvokeKMeansCommand'
            $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
        }

        It 'stops with one PropertyNotFound when -Property names a column the first row lacks (<form>)' -ForEach @(
            @{ form = 'objects' }
            @{ form = 'CSV rows' }
        ) {
            $rows = if ($form -eq 'objects') { 1..50 | ForEach-Object { [pscustomobject]@{ X = $_; Y = $_ % 7 } } }
            else { $csv = Join-Path $TestDrive 'named.csv'; "X,Y`n" + ((1..50 | ForEach-Object { "$_,$($_ % 7)" }) -join "`n") | Set-Content $csv; Import-Csv $csv }
            $err = $null
            try { $rows | Invoke-KMeans -K 2 -Property X, Q -Seed 1 -ErrorVariable errs -ErrorAction SilentlyContinue } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'PropertyNotFound,KMeansPS.Commands.InvokeKMeansCommand'
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err.Exception.Message | Should -Match "-Property names 'Q'.*Its properties are: X, Y"
            @($errs | Where-Object { $_.FullyQualifiedErrorId -like 'MissingProperty*' }).Count | Should -Be 0
        }

        It 'says to pipe a collection of objects given to -InputObject, which reads an array as one point' {
            $pts = New-SyntheticClusterData -Count 30 -Seed 1
            $err = $null
            try { Invoke-KMeans -InputObject $pts -K 3 -ErrorVariable errs -ErrorAction SilentlyContinue } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'NoNumericInput,KMeansPS.Commands.InvokeKMeansCommand'
            $errs[0].Exception.Message | Should -BeLike '*pipe them ($items | Invoke-KMeans)*'
            try { Invoke-KMeans -InputObject (1, 'x') -K 1 -ErrorVariable other -ErrorAction SilentlyContinue } catch { }
            $other[0].Exception.Message | Should -Not -BeLike '*pipe them*'
        }

        It 'names the row''s object as the error''s target when it holds the objects (-PassThru), else the row''s number' {
            $rows = @([pscustomobject]@{ X = 0; Y = 0; Z = 1 }, [pscustomobject]@{ X = 1; Y = 0 }, [pscustomobject]@{ X = 5; Y = 5; Z = 2 }, [pscustomobject]@{ X = 6; Y = 5; Z = 3 })
            $null = $rows | Invoke-KMeans -K 2 -Seed 1 -PassThru -ErrorVariable held -ErrorAction SilentlyContinue
            $held[0].FullyQualifiedErrorId | Should -Be 'MissingProperty,KMeansPS.Commands.InvokeKMeansCommand'
            $held[0].TargetObject.X | Should -Be 1
            $null = $rows | Invoke-KMeans -K 2 -Seed 1 -ErrorVariable numbered -ErrorAction SilentlyContinue
            $numbered[0].TargetObject | Should -Be 2
        }

        It 'reports NaN coordinates' {
            $pts = @([pscustomobject]@{ X = [double]::NaN }, [pscustomobject]@{ X = 1.0 }, [pscustomobject]@{ X = 2.0 })
            $null = $pts | Invoke-KMeans -K 1 -Seed 1 -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].FullyQualifiedErrorId | Should -Be 'NonFiniteInput,KMeansPS.Commands.InvokeKMeansCommand'
        }

        It 'fails clearly on no input' {
            { @() | Invoke-KMeans -K 2 } | Should -Throw -ErrorId 'NoNumericInput,KMeansPS.Commands.InvokeKMeansCommand'
        }

        It 'rejects K below 1 at binding' {
            { 1, 2 | Invoke-KMeans -K 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,KMeansPS.Commands.InvokeKMeansCommand'
        }

        It 'rejects objects with no numeric property' {
            { [pscustomobject]@{ Name = 'a' } | Invoke-KMeans -K 1 } | Should -Throw -ErrorId 'NoNumericInput,KMeansPS.Commands.InvokeKMeansCommand'
        }
    }

    It 'stops promptly when the pipeline is stopped' {
        # A child pwsh runs a long fit; stopping the PowerShell instance must end it within seconds.
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$(Get-KMeansPSModulePath)'; New-SyntheticClusterData -Count 2000000 -Clusters 64 -Dimensions 4 -Seed 1 -AsMatrix | Invoke-KMeans -K 256 -Algorithm Lloyd -MaxIterations 100000 -Tolerance 0 -Seed 1")
        $handle = $ps.BeginInvoke()
        Start-Sleep -Seconds 3
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $ps.Stop()
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
        $handle.IsCompleted | Should -BeTrue
        $ps.Dispose()
    }

    It 'shows the model as a table' {
        $text = New-SyntheticClusterData -Seed 1 | Invoke-KMeans -K 3 -Seed 1 | Out-String
        $text | Should -Match 'K\s+Points\s+Inertia\s+Iterations'
    }
}

Describe 'Invoke-KMeans gives the right answer on ordinary data' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-Module (Get-KMeansPSModulePath) -Force
        $script:Id = ',KMeansPS.Commands.InvokeKMeansCommand'
    }

    Context 'precision: large offsets and mixed scales' {
        It 'finds the true centroids of Unix times 105 s apart, with their inertia' {
            # Means 1700000002 and 1700000107; each group of nine points 0.5 s apart has inertia 0.25 x 60 = 15.
            $rows = foreach ($start in 1700000000.0, 1700000105.0) { 0..8 | ForEach-Object { [pscustomobject]@{ T = $start + $_ * 0.5 } } }
            $model = $rows | Invoke-KMeans -K 2 -Seed 1
            $model.K | Should -Be 2
            ($model.Centroids | ForEach-Object { $_[0] } | Sort-Object) | Should -Be @(1700000002.0, 1700000107.0)
            $model.Inertia | Should -Be 30
            $model.ClusterSizes | Should -Be @(9, 9)
        }

        It 'keeps quarter seconds distinct: no lowered K, a positive inertia' {
            $rows = 0..9 | ForEach-Object { [pscustomobject]@{ T = 1700000000.0 + $_ * 0.25 } }
            $model = $rows | Invoke-KMeans -K 2 -Seed 2 -WarningVariable warn -WarningAction SilentlyContinue
            $warn | Should -BeNullOrEmpty
            $model.K | Should -Be 2
            # The optimum: {0 .. 1} and {1.25 .. 2.25} s, each five points 0.25 s apart (inertia 0.625 each).
            ($model.Centroids | ForEach-Object { $_[0] } | Sort-Object) | Should -Be @(1700000000.5, 1700000001.75)
            $model.Inertia | Should -Be 1.25
        }

        It 'says float32 merged the points when it lowers K for distinct points closer than its resolution' {
            # Pairs 5 s apart in epoch milliseconds 22 years apart: in float32 each pair is one point. The engine sees
            # two points; the data holds four, so the warning must not say only two exist.
            $seed = 7
            $random = [System.Random]::new($seed)
            foreach ($base in 1000000000000, 1300000000000) {
                $far = $base + 700000000000 + $random.Next(0, 1000) * 1000
                $gap = 1000 + $random.Next(0, 4000)
                $rows = $base, ($base + $gap), $far, ($far + $gap) | ForEach-Object { [pscustomobject]@{ T = [double]$_ } }
                $model = $rows | Invoke-KMeans -K 4 -Seed 1 -WarningVariable warn -WarningAction SilentlyContinue
                $model.K | Should -Be 2
                "$warn" | Should -Match '^The data holds at least 4 distinct points, but the engine clusters in float32'
                "$warn" | Should -Match 'K was lowered from 4 to 2'
                "$warn" | Should -Not -Match 'Only 2 distinct points'
                # The inertia is that of the two merged pairs, measured in double: 2 x 2 x (gap / 2)^2.
                $model.Inertia | Should -Be (4 * ($gap / 2) * ($gap / 2))
            }
        }

        It 'says when initial centres given apart are one point in float32' {
            $t = 1000000000000, 1000000005000, 1700000000000, 1700000005000, 1000000002600, 1700000002400
            $rows = $t | ForEach-Object { [pscustomobject]@{ T = [double]$_ } }
            $model = $rows | Invoke-KMeans -K 4 -InitialCentroids @(, 1000000000000), @(, 1000000005000), @(, 1700000000000), @(, 1700000005000) `
                -WarningVariable warn -WarningAction SilentlyContinue
            "$warn" | Should -Match 'Initial centres 0 and 1 differ, but not by the about [0-9.e+]+ \(2\^-24 of the widest column''s range\) that float32 tells apart here, so the engine started them as one point'
        }

        It 'reports centroids and inertia in the input units when the columns differ in scale by 1e6' {
            $rows = foreach ($g in 0, 1) { 0..9 | ForEach-Object { [pscustomobject]@{ Metres = 5e5 + $g * 100 + $_ * 0.001; Ratio = 1e-3 * $_ } } }
            $model = $rows | Invoke-KMeans -K 2 -Seed 1
            $c = $model.Centroids | Sort-Object { $_[0] }
            $c[0][0] | Should -Be 500000.0045
            $c[1][0] | Should -Be 500100.0045
            [math]::Abs($c[0][1] - 0.0045) | Should -BeLessThan 1e-15
            # Per group: 10 points, the two columns each vary by i x 1e-3 around their mean: 2 x 82.5e-6.
            [math]::Abs($model.Inertia - 2 * 2 * 82.5e-6) | Should -BeLessThan 1e-12
        }
    }

    Context 'what counts as a number' {
        It 'reads numeric strings as numbers, not as their length' {
            $model = '1', '2', '10', '11' | Invoke-KMeans -K 2 -Seed 1
            ($model.Centroids | ForEach-Object { $_[0] } | Sort-Object) | Should -Be @(1.5, 10.5)
        }

        It 'does not read "1,5" as a number in any culture: the row is an error naming it' {
            $model = '1.5', '1,5', '2.5' | Invoke-KMeans -K 1 -Seed 1 -ErrorVariable errs -ErrorAction SilentlyContinue
            $model.Count | Should -Be 2
            $model.Centroids[0][0] | Should -Be 2
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be "NoNumericInput$script:Id"
            $errs[0].Exception.Message | Should -Match "Row 2 \('1,5'\) is not a number"
        }

        It 'says what to do when the text is a number in the session''s culture (a CSV written by Export-Csv under de-DE)' {
            $before = [cultureinfo]::CurrentCulture
            # de-DE where the machine has its data (ICU); else the invariant culture with ',' as its decimal point.
            $comma = try { [cultureinfo]::new('de-DE') } catch [System.Management.Automation.MethodInvocationException] { [cultureinfo]::InvariantCulture }
            if ($comma.NumberFormat.NumberDecimalSeparator -ne ',') {
                $comma = [cultureinfo]::InvariantCulture.Clone()
                $comma.NumberFormat.NumberDecimalSeparator = ','
            }
            try {
                [cultureinfo]::CurrentCulture = $comma
                $csv = Join-Path $TestDrive 'de.csv'
                New-SyntheticClusterData -Seed 1 -Count 30 | Export-Csv $csv
                $err = { Import-Csv $csv | Invoke-KMeans -K 3 -Seed 1 } | Should -Throw -ErrorId "NoNumericInput$script:Id" -PassThru
                $err.Exception.Message | Should -Match ("Column 'X' holds '-?\d+,\d+', which is not a number in the invariant culture, though it is one in this session's culture \(" + [regex]::Escape($comma.Name) + "\)")
                $err.Exception.Message | Should -Match ([regex]::Escape('[cultureinfo]::CurrentCulture = [cultureinfo]::InvariantCulture'))
                # What the message says to do works, and the file is then read the same under de-DE.
                [cultureinfo]::CurrentCulture = [cultureinfo]::InvariantCulture
                New-SyntheticClusterData -Seed 1 -Count 30 | Export-Csv $csv
                [cultureinfo]::CurrentCulture = $comma
                (Import-Csv $csv | Invoke-KMeans -K 3 -Seed 1).Properties | Should -Be @('X', 'Y')
                # Beside a column that is used (an integer id), the column left out is named in a warning.
                $rows = 1..20 | ForEach-Object { [pscustomobject]@{ Id = "$_"; Price = (1.5 + $_).ToString($comma) } }
                $model = $rows | Invoke-KMeans -K 2 -Seed 1 -WarningVariable warned -WarningAction SilentlyContinue
                $model.Properties | Should -Be @('Id')
                $warned | Should -Match "Column 'Price' holds '2,5', which is not a number in the invariant culture, though it is one in this session's culture"
                # In an invariant session the same text gets the plain hint.
                [cultureinfo]::CurrentCulture = [cultureinfo]::InvariantCulture
                $null = '1.5', '1,5' | Invoke-KMeans -K 1 -ErrorVariable errs -ErrorAction SilentlyContinue
                $errs[0].Exception.Message | Should -Not -Match 'session'
                # The culture's infinity symbol reads as a number there, but infinity is refused in any culture: no advice
                # to write the file another way.
                [cultureinfo]::CurrentCulture = $comma
                $rows = 1..6 | ForEach-Object { [pscustomobject]@{ Id = "$_"; Level = ($_ -eq 3 ? $comma.NumberFormat.PositiveInfinitySymbol : "$_") } }
                $null = $rows | Invoke-KMeans -K 2 -Seed 1 -WarningVariable infinite -WarningAction SilentlyContinue
                ($infinite -join "`n") | Should -Match "Column 'Level' holds numbers, but row 3 holds"
                ($infinite -join "`n") | Should -Not -Match 'session'
            }
            finally { [cultureinfo]::CurrentCulture = $before }
        }

        It 'warns, once a column, when text like ''1.000'' is read as 1 in a session whose culture groups thousands with ''.''' {
            $before = [cultureinfo]::CurrentCulture
            # A culture that groups thousands with '.' and has ',' as its decimal point (de-DE's, built if ICU lacks it).
            $german = [cultureinfo]::InvariantCulture.Clone()
            $german.NumberFormat.NumberDecimalSeparator = ','
            $german.NumberFormat.NumberGroupSeparator = '.'
            try {
                [cultureinfo]::CurrentCulture = $german
                $rows = '950', '999', '1.000', '1.050', '20.000', '21.500' | ForEach-Object { [pscustomobject]@{ Betrag = $_; Menge = '1.250' } }
                $model = $rows | Invoke-KMeans -K 2 -Seed 1 -WarningVariable warned -WarningAction SilentlyContinue
                @($warned).Count | Should -Be 2 # one a column
                ($warned -join "`n") | Should -Match "Column 'Betrag' holds '1.000' \(row 3\), read as 1: .* reads it as 1000, with '.' grouping thousands"
                ($warned -join "`n") | Should -Match "Column 'Menge' holds '1.250' \(row 1\), read as 1.25: .* reads it as 1250"
                $model.Inertia | Should -BeGreaterThan 0 # the values used as read (documented): 950, 999, 1, 1.05, 20, 21.5
                # Decimals that do not look like grouped thousands (three decimals after a 0 among them: no culture
                # writes 1 as 0.001), and the same text in a culture that does not group with '.', say nothing.
                $null = '1.5', '2.25', '10.5' | Invoke-KMeans -K 1 -WarningVariable quiet -WarningAction SilentlyContinue
                $quiet | Should -BeNullOrEmpty
                $null = '0.001', '-0.250', '0.500', '1.5' | ForEach-Object { [pscustomobject]@{ Share = $_ } } |
                    Invoke-KMeans -K 1 -WarningVariable quiet -WarningAction SilentlyContinue
                $quiet | Should -BeNullOrEmpty
                [cultureinfo]::CurrentCulture = [cultureinfo]::InvariantCulture
                $null = $rows | Invoke-KMeans -K 2 -Seed 1 -WarningVariable invariant -WarningAction SilentlyContinue
                $invariant | Should -BeNullOrEmpty
            }
            finally { [cultureinfo]::CurrentCulture = $before }
        }

        It 'warns when a column left out as text holds numbers with '','' grouping thousands, in any culture' {
            $before = [cultureinfo]::CurrentCulture
            try {
                foreach ($culture in [cultureinfo]::InvariantCulture, [cultureinfo]::GetCultureInfo('en-US')) {
                    [cultureinfo]::CurrentCulture = $culture
                    $random = [System.Random]::new(3)
                    $rows = 1..8 | ForEach-Object {
                        $revenue = $random.Next(1, 99) * 1000 + $random.Next(0, 1000)
                        [pscustomobject]@{ Revenue = $revenue.ToString('N0', [cultureinfo]::GetCultureInfo('en-US')); Visits = "$_" }
                    }
                    $model = $rows | Invoke-KMeans -K 2 -Seed 1 -WarningVariable warned -WarningAction SilentlyContinue
                    $model.Properties | Should -Be @('Visits')
                    ($warned -join "`n") | Should -Match "Column 'Revenue' holds '$([regex]::Escape($rows[0].Revenue))', which is not a number \(numbers are read with '.' as the decimal point and no thousands separator\); the column is not clustered on"
                    # With every column so, the error says why.
                    $err = $null
                    try { $null = $rows | Select-Object Revenue | Invoke-KMeans -K 2 -Seed 1 -ErrorAction Stop } catch { $err = $_ }
                    "$err" | Should -Match "No column holds numbers: Revenue \(text\)\..*holds '[0-9,]+', which is not a number \(numbers are read with '.' as the decimal point and no thousands separator\)"
                }
                # Text with commas that is no grouped number says nothing.
                [cultureinfo]::CurrentCulture = [cultureinfo]::InvariantCulture
                $null = 1..4 | ForEach-Object { [pscustomobject]@{ Name = "Smith, J$_"; V = "$_" } } | Invoke-KMeans -K 2 -Seed 1 -WarningVariable quiet -WarningAction SilentlyContinue
                $quiet | Should -BeNullOrEmpty
            }
            finally { [cultureinfo]::CurrentCulture = $before }
        }

        It 'leaves out a column that mixes numbers and other text, with a warning naming the row' {
            $rows = @(
                [pscustomobject]@{ X = '1'; Price = '1.5' }
                [pscustomobject]@{ X = '2'; Price = '1,5' }
                [pscustomobject]@{ X = '9'; Price = '2.5' }
            )
            $model = $rows | Invoke-KMeans -K 2 -Seed 1 -WarningVariable warn -WarningAction SilentlyContinue
            $model.Properties | Should -Be @('X')
            $warn | Should -Match "Column 'Price'.*row 2 holds '1,5'"
        }

        It 'with -Property, a value that is not a number is an error naming the row and the column' {
            $rows = @(
                [pscustomobject]@{ X = '1'; Price = '1.5' }
                [pscustomobject]@{ X = '2'; Price = 'n/a' }
                [pscustomobject]@{ X = '9'; Price = '2.5' }
            )
            $model = $rows | Invoke-KMeans -K 1 -Property X, Price -Seed 1 -ErrorVariable errs -ErrorAction SilentlyContinue
            $model.Count | Should -Be 2
            $errs[0].FullyQualifiedErrorId | Should -Be "NoNumericInput$script:Id"
            $errs[0].Exception.Message | Should -Match "Row 2: 'Price' holds 'n/a'"
        }

        It 'clusters hashtables on their keys, not on Count' {
            $model = @{ X = 0.0; Y = 0.0 }, @{ X = 0.0; Y = 1.0 }, @{ X = 10.0; Y = 10.0 }, @{ X = 10.0; Y = 11.0 } | Invoke-KMeans -K 2 -Seed 1
            ($model.Properties | Sort-Object) | Should -Be @('X', 'Y')
            $model.K | Should -Be 2
            $model.Inertia | Should -Be 1
        }

        It 'reads values that PowerShell wrapped in PSObject' {
            $rows = 1.0, 2.0, 10.0, 11.0 | ForEach-Object { [pscustomobject]@{ X = $_ } }
            $model = $rows | Invoke-KMeans -K 2 -Seed 1
            ($model.Centroids | ForEach-Object { $_[0] } | Sort-Object) | Should -Be @(1.5, 10.5)
            $wrapped = [psobject][pscustomobject]@{ X = 1; Y = 1 }, [psobject][pscustomobject]@{ X = 5; Y = 5 } | Invoke-KMeans -K 2 -Seed 1
            $wrapped.Properties | Should -Be @('X', 'Y')
        }

        It 'uses a column whose first CSV cell is blank, and reports that row by its number and column' {
            $csv = Join-Path $TestDrive 'blank.csv'
            "A,B`n,1`n2,3`n4,5`n6,7" | Set-Content $csv
            $model = Import-Csv $csv | Invoke-KMeans -K 1 -Seed 1 -ErrorVariable errs -ErrorAction SilentlyContinue
            $model.Properties | Should -Be @('A', 'B')
            $model.Count | Should -Be 3
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be "MissingProperty$script:Id"
            $errs[0].Exception.Message | Should -Match "Row 1 has no value for 'A'"
        }

        It 'counts rows from 1 in errors' {
            $rows = @([pscustomobject]@{ X = 1.0 }, [pscustomobject]@{ X = [double]::NaN }, [pscustomobject]@{ X = 3.0 })
            $null = $rows | Invoke-KMeans -K 1 -Seed 1 -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].FullyQualifiedErrorId | Should -Be "NonFiniteInput$script:Id"
            $errs[0].Exception.Message | Should -Match "^Row 2: 'X' is NaN"
        }

        It 'refuses an integer beyond 1e300 with its own error, without first warning how it would be read' {
            $rows = @([pscustomobject]@{ A = '1' }, [pscustomobject]@{ A = '2' + '0' * 301 }, [pscustomobject]@{ A = '5' }, [pscustomobject]@{ A = '9' })
            $null = $rows | Invoke-KMeans -K 2 -Seed 1 -ErrorVariable errs -ErrorAction SilentlyContinue -WarningVariable warned -WarningAction SilentlyContinue
            @($errs.FullyQualifiedErrorId) | Should -Be @("ValueOutOfRange$script:Id")
            "$warned" | Should -Not -Match 'beyond 2\^53'
        }

        It 'refuses a number beyond double''s range in text ("1e400") as out of range, not as infinite' {
            $rows = @([pscustomobject]@{ A = '1' }, [pscustomobject]@{ A = '1e400' }, [pscustomobject]@{ A = '-1e999' }, [pscustomobject]@{ A = 'Infinity' }, [pscustomobject]@{ A = '5' })
            $model = $rows | Invoke-KMeans -K 2 -Seed 1 -Property A -ErrorVariable errs -ErrorAction SilentlyContinue
            $model.Count | Should -Be 2
            @($errs.FullyQualifiedErrorId) | Should -Be @("ValueOutOfRange$script:Id", "ValueOutOfRange$script:Id", "NonFiniteInput$script:Id")
            $errs[0].Exception.Message | Should -Match "^Row 2: 'A' is at or beyond double's range"
        }

        It 'reports a $null row as a row, so the rows after it keep their numbers' {
            $rows = [pscustomobject]@{ X = 1.0 }, $null, [pscustomobject]@{ X = [double]::NaN }, [pscustomobject]@{ X = 4.0 }
            $model = $rows | Invoke-KMeans -K 1 -Seed 1 -ErrorVariable errs -ErrorAction SilentlyContinue
            $model.Count | Should -Be 2
            @($errs.FullyQualifiedErrorId) | Should -Be @("MissingProperty$script:Id", "NonFiniteInput$script:Id")
            $errs[0].Exception.Message | Should -Match '^Row 2 is \$null'
            $errs[1].Exception.Message | Should -Match "^Row 3: 'X' is NaN"
            $null = 1, $null, 'x', 3, 5, 9 | Measure-KMeans -K 2 -Seed 1 -ErrorVariable merrs -ErrorAction SilentlyContinue
            $merrs[0].Exception.Message | Should -Match '^Row 2 is \$null'
            $merrs[1].Exception.Message | Should -Match '^Row 3 '
        }

        It 'refuses a model whose Properties name a column twice, as -Property does' {
            $json = '{ "Properties": ["A", "a"], "Centroids": [[0, 0], [1, 1]] }'
            $err = { [pscustomobject]@{ A = 0 } | Invoke-KMeans -Model $json } | Should -Throw -PassThru
            $err.Exception.Message | Should -Match "names 'A' 2 times"
        }

        It 'warns when a model''s inertia on new rows is beyond the largest double' {
            $json = '{ "Properties": ["X"], "Centroids": [[0], [10]] }'
            $rows = 1..3 | ForEach-Object { [pscustomobject]@{ X = $_; W = 1e308 } }
            $prediction = $rows | Invoke-KMeans -Model $json -Weight W -WarningVariable warns -WarningAction SilentlyContinue
            $prediction.Inertia | Should -Be ([double]::PositiveInfinity)
            "$warns" | Should -Match 'reported as Infinity'
            $null = 1..3 | ForEach-Object { [pscustomobject]@{ X = $_; W = 1 } } | Invoke-KMeans -Model $json -Weight W -WarningVariable none -WarningAction SilentlyContinue
            $none | Should -BeNullOrEmpty
        }

        It 'reads every numeric type: BigInteger, Int128, Half' {
            $model = [bigint]5, [bigint]6, [Int128]100, [Half]101 | Invoke-KMeans -K 2 -Seed 1
            $model.Properties | Should -Be @('X')
            ($model.Centroids | ForEach-Object { $_[0] } | Sort-Object) | Should -Be @(5.5, 100.5)
            $null = [bigint]::Pow(10, 400), [bigint]1 | Invoke-KMeans -K 1 -Seed 1 -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].FullyQualifiedErrorId | Should -Be "ValueOutOfRange$script:Id"
        }

        It 'reads hashtables whose keys are not text' {
            $model = @{ 1 = 1.0; 2 = 2.0 }, @{ 1 = 2.0; 2 = 3.0 }, @{ 1 = 10.0; 2 = 10.0 } | Invoke-KMeans -K 2 -Seed 1
            ($model.Properties | Sort-Object) | Should -Be @('1', '2')
            $model.Count | Should -Be 3
            $model.Inertia | Should -Be 1
        }

        It 'refuses -Property naming a column twice (it would count twice in every distance)' {
            $err = { [pscustomobject]@{ A = 0; B = 0 }, [pscustomobject]@{ A = 3; B = 4 } | Invoke-KMeans -K 1 -Property A, a, B } |
                Should -Throw -ErrorId "InvalidArgument$script:Id" -PassThru
            $err.Exception.Message | Should -Match "-Property names 'A' 2 times"
        }

        It 'names what a row that is not a number is, also when its text is empty' {
            $null = 1, 2, [pscustomobject]@{ A = 1 }, 10 | Invoke-KMeans -K 2 -Seed 1 -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].Exception.Message | Should -Match '^Row 3 \(an object of type PSCustomObject\) is not a number'
        }

        It 'says with -Verbose which columns it clusters on and which it does not' {
            $rows = 1..4 | ForEach-Object { [pscustomobject]@{ Name = "p$_"; X = $_; Y = 2 * $_ } }
            $verbose = $rows | Invoke-KMeans -K 2 -Seed 1 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            $verbose[0].Message | Should -Be 'Invoke-KMeans: clustering on X, Y; not on Name (text).'
        }
    }

    Context 'weights' {
        It '-Weight naming a property the input does not have is an error (matrix)' {
            { New-SyntheticClusterData -AsMatrix -Seed 1 | Invoke-KMeans -K 3 -Weight NoSuchProperty } |
                Should -Throw -ErrorId "PropertyNotFound$script:Id"
        }

        It '-Weight naming a property the objects do not have is an error' {
            { New-SyntheticClusterData -Seed 1 | Invoke-KMeans -K 3 -Weight NoSuchProperty } |
                Should -Throw -ErrorId "PropertyNotFound$script:Id"
        }

        It 'a weight beyond double''s range ("1e400") is refused, not taken as the largest double, with -Model as well' {
            $rows = @([pscustomobject]@{ X = '1'; W = '1' }, [pscustomobject]@{ X = '2'; W = '1e400' }, [pscustomobject]@{ X = '3'; W = '1' },
                [pscustomobject]@{ X = '100'; W = [double]::MaxValue }, [pscustomobject]@{ X = '101'; W = '1' })
            $model = $rows | Invoke-KMeans -K 2 -Weight W -Seed 1 -ErrorVariable errs -ErrorAction SilentlyContinue
            $model.Count | Should -Be 3
            @($errs.FullyQualifiedErrorId) | Should -Be @("InvalidWeight$script:Id", "InvalidWeight$script:Id")
            $errs[0].Exception.Message | Should -Match "^Row 2: the weight 'W' is at or beyond double's range"
            ($model.Centroids | ForEach-Object { $_[0] } | Sort-Object) | Should -Be @(2, 101)
            $prediction = $rows | Invoke-KMeans -Model $model -Weight W -ErrorVariable perrs -ErrorAction SilentlyContinue
            $prediction.Count | Should -Be 3
            @($perrs.FullyQualifiedErrorId) | Should -Be @("InvalidWeight$script:Id", "InvalidWeight$script:Id")
            # Beyond the range below 0 as well: said so, not printed as the largest double.
            $negative = @([pscustomobject]@{ X = '1'; W = '1' }, [pscustomobject]@{ X = '2'; W = '-1' + '0' * 400 }, [pscustomobject]@{ X = '3'; W = '1' })
            $null = $negative | Invoke-KMeans -K 2 -Weight W -Seed 1 -ErrorVariable nerrs -ErrorAction SilentlyContinue
            $nerrs[0].Exception.Message | Should -Match "^Row 2: the weight 'W' is at or beyond double's range"
        }

        It 'a negative weight is its own error and the row is left out' {
            $rows = @([pscustomobject]@{ X = 0.0; W = 1 }, [pscustomobject]@{ X = 5.0; W = -1 }, [pscustomobject]@{ X = 1.0; W = 1 })
            $model = $rows | Invoke-KMeans -K 1 -Weight W -Seed 1 -ErrorVariable errs -ErrorAction SilentlyContinue
            $model.Centroids[0][0] | Should -Be 0.5
            $errs[0].FullyQualifiedErrorId | Should -Be "InvalidWeight$script:Id"
        }

        It 'every weight refused: the rows'' errors, then "no input row could be read", not a complaint about the columns' {
            foreach ($bad in -1, 'heavy', $true) {
                $rows = 1..4 | ForEach-Object { [pscustomobject]@{ A = $_; B = 2 * $_; W = $bad } }
                $caught = $null
                try { $rows | Invoke-KMeans -K 2 -Weight W -Seed 1 -ErrorVariable errs -ErrorAction SilentlyContinue } catch { $caught = $_ }
                $caught.FullyQualifiedErrorId | Should -Be "NoNumericInput$script:Id"
                $caught.Exception.Message | Should -Be 'No input row could be read; see the errors above.' -Because "weight $bad"
                @($errs | Where-Object { $_.FullyQualifiedErrorId -eq "InvalidWeight$script:Id" }).Count | Should -Be 4
            }
        }
    }

    It 'shows the Cluster column in the default table of -PassThru points' {
        $text = New-SyntheticClusterData -Seed 1 | Invoke-KMeans -K 2 -Seed 1 -PassThru | Select-Object -First 2 | Out-String
        $text | Should -Match 'X\s+Y\s+TrueCluster\s+Cluster'
    }

    Context 'values beyond float32 (issue 12, section 5): clear errors or right answers, never AggregateException' {
        It 'clusters values of 1e39 (finite as a double, infinite as float32) correctly' {
            $model = 1.0, 2.0, 1e39, 1.1e39 | ForEach-Object { [pscustomobject]@{ X = $_ } } | Invoke-KMeans -K 2 -Seed 1
            ($model.Centroids | ForEach-Object { $_[0] } | Sort-Object) | Should -Be @(1.5, 1.05e39)
            $model.Labels[0] | Should -Be $model.Labels[1]
            $model.Inertia | Should -BeGreaterThan 0
            [double]::IsInfinity($model.Inertia) | Should -BeFalse
        }

        It 'clusters values of 1e300, and says so when the inertia overflows a double' {
            $model = 1.0, 2.0, 1e300 | ForEach-Object { [pscustomobject]@{ X = $_ } } | Invoke-KMeans -K 2 -Seed 1
            ($model.Centroids | ForEach-Object { $_[0] } | Sort-Object) | Should -Be @(1.5, 1e300)
            $model.Inertia | Should -Be 0.5
            $one = 1.0, 2.0, 1e300 | ForEach-Object { [pscustomobject]@{ X = $_ } } | Invoke-KMeans -K 1 -Seed 1 -WarningVariable warn -WarningAction SilentlyContinue
            [double]::IsPositiveInfinity($one.Inertia) | Should -BeTrue
            $warn | Should -Match 'Infinity'
        }

        It 'says that float32 merged the data when one far outlier squeezes a column (<Outlier> <Extra>), never "only 2 distinct points"' -ForEach @(
            @{ Outlier = 1e300; Extra = @{} }, @{ Outlier = 1e39; Extra = @{} }, @{ Outlier = 1e39; Extra = @{ Standardize = $true } },
            @{ Outlier = 1e39; Extra = @{ Algorithm = 'MiniBatch'; Stream = $true } }) {
            $rows = @(0..59 | ForEach-Object { [pscustomobject]@{ X = ($_ % 3) * 20 + $_ * 0.1; Y = ($_ % 3) * 5 } }) + [pscustomobject]@{ X = $Outlier; Y = 1 }
            $model = $rows | Invoke-KMeans -K 3 -Seed 1 @Extra -WarningVariable warn -WarningAction SilentlyContinue
            ($warn -join ' ') | Should -Match "float32.*'X'"
            ($warn -join ' ') | Should -Not -Match 'distinct points \(with positive weight\) exist'
            # Every reported centre is the mean of its points, or a warning says which cluster is empty.
            foreach ($c in 0..($model.K - 1)) {
                if ($model.ClusterSizes[$c] -eq 0) { ($warn -join ' ') | Should -Match "Cluster(s)? .*\b$c\b" }
            }
        }

        It 'reports a value beyond 1e300 as a row error (ValueOutOfRange), as NaN rows are' {
            $model = 1.0, 2.0, 1e305 | ForEach-Object { [pscustomobject]@{ X = $_ } } | Invoke-KMeans -K 1 -Seed 1 -ErrorVariable errs -ErrorAction SilentlyContinue
            $model.Count | Should -Be 2
            $errs[0].FullyQualifiedErrorId | Should -Be "ValueOutOfRange$script:Id"
            $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
        }

        It 'honours a weight of 1e39' {
            $rows = @([pscustomobject]@{ X = 0.0; W = 1e39 }, [pscustomobject]@{ X = 1.0; W = 3e39 })
            $model = $rows | Invoke-KMeans -K 1 -Weight W -Seed 1
            $model.Centroids[0][0] | Should -Be 0.75
            $model.Inertia | Should -Be 0.75e39
        }

        It 'keeps a point whose weight is below float32 beside the largest (<Name>)' -ForEach @(
            @{ Name = '1e45 against 1'; Weights = 1e45, 1e45, 1.0; Stream = $false }
            @{ Name = '1e308 against 2 and 1'; Weights = 1e308, 2.0, 1.0; Stream = $false }
            @{ Name = '1e45 against 1, among the first rows of a stream'; Weights = 1e45, 1e45, 1.0; Stream = $true }
        ) {
            # The engine takes float32 weights scaled to the largest: 1 beside 1e45 would round to zero and its point
            # would vanish (K lowered to the points left, a false warning, the inertia of a missing centre).
            $x = 0.0, 1.0, 100.0
            $rows = 0..2 | ForEach-Object { [pscustomobject]@{ X = $x[$_]; W = $Weights[$_] } }
            $model = $rows | Invoke-KMeans -K 3 -Weight W -Seed 1 -Stream:$Stream -WarningVariable warned -WarningAction SilentlyContinue
            $model.K | Should -Be 3
            @($model.Centroids | ForEach-Object { $_[0] } | Sort-Object) | Should -Be @(0.0, 1.0, 100.0)
            $warned | Should -BeNullOrEmpty
            if (-not $Stream) { $model.Inertia | Should -Be 0 }
        }

        It 'a streamed row weighing more than float32 holds at the first rows'' scale is left out with ValueOutOfRange, and the stream goes on' {
            $rows = @(0..5 | ForEach-Object { [pscustomobject]@{ X = [double] $_; W = 1.0 } }) + [pscustomobject]@{ X = 50.0; W = 1e60 } + [pscustomobject]@{ X = 2.0; W = 1.0 }
            $model = $rows | Invoke-KMeans -K 2 -Weight W -Seed 1 -Stream -BatchSize 1 -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be "ValueOutOfRange$script:Id"
            $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $errs[0].Exception.Message | Should -Match "^Row 7's weight 1E\+60 is more than float32 holds at the weight scale the first rows set"
            $errs[0].TargetObject | Should -Be 7
            $model.K | Should -Be 2
            ($model.Centroids | ForEach-Object { $_[0] } | Measure-Object -Maximum).Maximum | Should -BeLessThan 10
        }

        It 'a streamed row too far from the first rows is an error naming its row (counted as read, refused rows included) and column' {
            $rows = @(1..600 | ForEach-Object { [pscustomobject]@{ A = [double]($_ % 7); B = [double]($_ % 5) } })
            $rows += [pscustomobject]@{ A = 'n/a'; B = 1.0 }          # row 601: refused on reading
            $rows += [pscustomobject]@{ A = 1.0; B = 1e200 }          # row 602: too far from the first rows
            $rows += @(1..100 | ForEach-Object { [pscustomobject]@{ A = 1.0; B = 2.0 } })
            $model = $rows | Invoke-KMeans -K 3 -Seed 1 -Stream -BatchSize 100 -Property A, B -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs.Count | Should -Be 2
            $errs[1].FullyQualifiedErrorId | Should -Be "ValueOutOfRange$script:Id"
            $errs[1].Exception.Message | Should -Match "^Row 602: 'B' is 1E\+200, more than 2\^50 times the first rows' spread"
            $errs[1].TargetObject | Should -Be 602
            $model.Count | Should -Be 700
        }

        It 'a stream tells the first number in a column that was blank in every row that decided the columns, once' {
            # Column C is blank in the first 300 rows (3 x -BatchSize), which decide the columns, then holds numbers.
            $rows = @(1..300 | ForEach-Object { [pscustomobject]@{ A = [double]($_ % 7); B = [double]($_ % 5); C = '' } })
            $rows += @(301..700 | ForEach-Object { [pscustomobject]@{ A = [double]($_ % 7); B = [double]($_ % 5); C = [string]($_ % 3) } })
            $model = $rows | Invoke-KMeans -K 3 -Seed 1 -Stream -BatchSize 100 -WarningVariable warned -WarningAction SilentlyContinue
            $model.Properties | Should -Be @('A', 'B')
            $told = @($warned | Where-Object { $_.Message -match "^Column 'C' was blank" })
            $told.Count | Should -Be 1
            $told[0].Message | Should -Match "first 300 rows, which decided the columns.*row 301 holds '1'"
            # Blank throughout: nothing to tell.
            $quiet = @(1..700 | ForEach-Object { [pscustomobject]@{ A = [double]($_ % 7); B = [double]($_ % 5); C = '' } }) |
                Invoke-KMeans -K 3 -Seed 1 -Stream -BatchSize 100 -WarningVariable none -WarningAction SilentlyContinue
            @($none | Where-Object { $_.Message -match 'was blank' }).Count | Should -Be 0
        }

        It 'all weights zero: ZeroTotalWeight' {
            $rows = 1.0, 2.0, 3.0 | ForEach-Object { [pscustomobject]@{ X = $_; W = 0 } }
            { $rows | Invoke-KMeans -K 1 -Weight W -Seed 1 } | Should -Throw -ErrorId "ZeroTotalWeight$script:Id"
        }

        It '-InitialCentroids with a count other than K: InitialCentroidsMismatch' {
            $rows = 1.0, 2.0, 3.0 | ForEach-Object { [pscustomobject]@{ X = $_ } }
            { $rows | Invoke-KMeans -K 2 -InitialCentroids @(, @(1.0)) -Seed 1 } | Should -Throw -ErrorId "InitialCentroidsMismatch$script:Id"
            { $rows | Invoke-KMeans -K 1 -InitialCentroids @(, @(1.0, 2.0)) -Seed 1 } | Should -Throw -ErrorId "InitialCentroidsMismatch$script:Id"
        }

        It '-InitialCentroids holding 1e39 far from the data: InitialCentroidOutOfRange' {
            $rows = 1.0, 2.0, 3.0 | ForEach-Object { [pscustomobject]@{ X = $_ } }
            { $rows | Invoke-KMeans -K 1 -InitialCentroids @(, @(1e39)) -Seed 1 } | Should -Throw -ErrorId "InitialCentroidOutOfRange$script:Id"
        }

        It '-Algorithm MiniBatch -BatchSize 2147483647 uses all the points per step' {
            $rows = 1.0, 2.0, 10.0, 11.0 | ForEach-Object { [pscustomobject]@{ X = $_ } }
            $model = $rows | Invoke-KMeans -K 2 -Algorithm MiniBatch -BatchSize 2147483647 -Seed 1
            ($model.Centroids | ForEach-Object { $_[0] } | Sort-Object) | Should -Be @(1.5, 10.5)
        }

        It 'data near 1e38 has a finite inertia' {
            $model = 1e38, 2e38, 3e38 | ForEach-Object { [pscustomobject]@{ X = $_ } } | Invoke-KMeans -K 1 -Seed 1
            $model.Centroids[0][0] | Should -Be 2e38
            $model.Inertia | Should -Be 2e76
        }
    }
}

Describe 'Formatting of points' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-Module (Get-KMeansPSModulePath) -Force
    }

    It 'shows clustered matrix points as a compact table' {
        $text = New-SyntheticClusterData -Count 20 -Clusters 2 -Seed 1 -AsMatrix | Invoke-KMeans -K 2 -Seed 1 -PassThru | Select-Object -First 2 | Out-String
        $text | Should -Match 'X\s+Y\s+TrueCluster\s+Cluster'
    }

    It 'shows points of more than three dimensions as a list with all coordinates' {
        $text = New-SyntheticClusterData -Count 4 -Clusters 1 -Dimensions 5 -Seed 1 | Select-Object -First 1 | Out-String
        $text | Should -Match 'Coordinates : (-?[\d.,]+, ){4}-?[\d.,]+'
        $text | Should -Match 'TrueCluster : 0'
    }
}

Describe 'The best of -Restarts is judged by the inertia printed' {
    BeforeAll {
        # Seeded normal values (Box-Muller), so the data is the same on every machine.
        function New-Normal([System.Random] $Random) {
            [math]::Sqrt(-2 * [math]::Log(1 - $Random.NextDouble())) * [math]::Cos(2 * [math]::PI * $Random.NextDouble())
        }
        $random = [System.Random]::new(15)
        # Positions on a national grid in metres, three groups 0.3-1 m apart with 1 cm spread.
        $centres = @(@(6000000.0, 500000.0), @(6000000.3, 500000.2), @(6000001.0, 500000.0))
        $script:grid = foreach ($i in 1..600) {
            $c = $centres[$random.Next(3)]
            [pscustomobject]@{ N = $c[0] + 0.01 * (New-Normal $random); E = $c[1] + 0.01 * (New-Normal $random) }
        }
        # Three groups of unit spread and one point ten billion away, which float32 cannot place beside them.
        $script:outlier = @(foreach ($i in 1..200) {
                $c = @(@(0, 0), @(3, 0), @(0, 3))[$random.Next(3)]
                [pscustomobject]@{ A = $c[0] + (New-Normal $random); B = $c[1] + (New-Normal $random) }
            }) + [pscustomobject]@{ A = 1e10; B = 0.0 }
    }

    It 'never prints a higher inertia for ten restarts than for the first run alone (Invoke-KMeans and Measure-KMeans)' {
        $worse = foreach ($set in @(@{ Name = 'grid'; Rows = $script:grid }, @{ Name = 'outlier'; Rows = $script:outlier })) {
            foreach ($seed in 1..12) {
                $one = $set.Rows | Invoke-KMeans -K 5 -Seed $seed -WarningAction SilentlyContinue
                $ten = $set.Rows | Invoke-KMeans -K 5 -Seed $seed -Restarts 10 -WarningAction SilentlyContinue
                if ($ten.Inertia -gt $one.Inertia) { '{0} seed {1}: {2:R} after 10 restarts, {3:R} after one run' -f $set.Name, $seed, $ten.Inertia, $one.Inertia }
                $measured = $set.Rows | Measure-KMeans -K 5, 6 -Seed $seed -Restarts 10 -WarningAction SilentlyContinue
                if ($measured[0].Inertia -ne $ten.Inertia) { '{0} seed {1}: Measure-KMeans {2:R}, Invoke-KMeans {3:R}' -f $set.Name, $seed, $measured[0].Inertia, $ten.Inertia }
            }
        }
        $worse | Should -BeNullOrEmpty
    }
}

Describe 'An inertia too small for a double says so' {
    It 'warns when the points lie apart from their centres but the inertia underflows, and not otherwise' {
        $said = foreach ($scale in 1.0, 1e-150, 1e-162, 1e-170) {
            $random = [System.Random]::new(5)
            $points = foreach ($i in 1..90) { $c = $i % 3; [pscustomobject]@{ X = ($c * 5 + $random.NextDouble()) * $scale; Y = ($c * 3 + $random.NextDouble()) * $scale } }
            $model = $points | Invoke-KMeans -K 3 -Seed 1 -WarningVariable warned -WarningAction SilentlyContinue
            $again = $points | Invoke-KMeans -Model $model -WarningVariable predicted -WarningAction SilentlyContinue
            [pscustomobject]@{ Scale = $scale; Inertia = $model.Inertia; Fit = "$warned"; Model = "$($model.Warning)"; Predict = "$predicted"; Predicted = $again.Inertia }
        }
        foreach ($row in $said) {
            $underflowed = $row.Inertia -lt 2.2250738585072014E-308
            $row.Scale -le 1e-162 | Should -Be $underflowed   # 1e-150 squared is 1e-300: still normal
            ($row.Fit -match 'below 2\.2e-308') | Should -Be $underflowed
            ($row.Model -match 'below 2\.2e-308') | Should -Be $underflowed
            ($row.Predict -match 'below 2\.2e-308') | Should -Be $underflowed
            $row.Predicted | Should -Be $row.Inertia
        }
        # Points at their centres exactly: an inertia of 0 that is true, so nothing to say.
        $exact = 1..9 | ForEach-Object { [pscustomobject]@{ X = ($_ % 3) * 1e-200; Y = 0 } } | Invoke-KMeans -K 3 -Seed 1 -WarningVariable none -WarningAction SilentlyContinue
        $exact.Inertia | Should -Be 0
        $none | Should -BeNullOrEmpty
    }

    It 'says nothing when the only point apart from its centre weighs 0, fitting or predicting' {
        # Points on their centres and one 1e-170 from one, of weight 0: it adds exactly 0, so the inertia of 0 is exact.
        $rows = @(1..9 | ForEach-Object { [pscustomobject]@{ X = ($_ % 3) * 10; Y = 0; W = 1 } }) + [pscustomobject]@{ X = 10; Y = 1e-170; W = 0 }
        $model = $rows | Invoke-KMeans -K 3 -Seed 1 -Weight W -WarningVariable fitted -WarningAction SilentlyContinue
        $again = $rows | Invoke-KMeans -Model $model -Weight W -WarningVariable predicted -WarningAction SilentlyContinue
        $model.Inertia | Should -Be 0
        $again.Inertia | Should -Be 0
        "$fitted $($model.Warning) $predicted" | Should -Not -Match 'below 2\.2e-308'
        # The same point weighing 1 is apart and underflows: then it is said.
        $rows[-1].W = 1
        $null = $rows | Invoke-KMeans -Model $model -Weight W -WarningVariable weighed -WarningAction SilentlyContinue
        "$weighed" | Should -Match 'below 2\.2e-308'
    }
}

Describe 'Numbers below the smallest double are told, not read as 0 in silence' {
    It 'warns once per column for text such as 1e-400, and not for zeros or for numbers a double holds' {
        $rows = @([pscustomobject]@{ A = '1e-400'; B = '0.0e5' }, [pscustomobject]@{ A = '2e-500'; B = '1e-300' }, [pscustomobject]@{ A = '5'; B = '0' }, [pscustomobject]@{ A = '6'; B = '-0' })
        $model = $rows | Invoke-KMeans -K 2 -Seed 1 -WarningVariable warned -WarningAction SilentlyContinue
        $model.Count | Should -Be 4
        $told = @($warned | Where-Object { $_.Message -match 'below the smallest double' })
        $told.Count | Should -Be 1
        $told[0].Message | Should -Match "^Column 'A' holds '1e-400' \(row 1\), a number below the smallest double \(4\.9E-324\): it is read as 0"
    }
}

Describe 'Integers a double cannot hold are told, not rounded in silence' {
    It 'warns once per column for integers beyond 2^53 that change on reading (text, [long], [decimal]), and not for those it holds' {
        # Nanosecond Unix times: 40 readings in two bursts 300 ns apart, which a double cannot tell apart.
        $start = [System.Numerics.BigInteger]::Parse('1700000000123456789')
        $rows = foreach ($i in 0..39) { [pscustomobject]@{ T = [string]($start + ($i % 20) + 300 * [int]($i -ge 20)); V = $i % 3 } }
        $null = $rows | Invoke-KMeans -K 2 -Seed 1 -WarningVariable warned -WarningAction SilentlyContinue
        $told = @($warned | Where-Object { $_.Message -match 'beyond 2\^53' })
        $told.Count | Should -Be 1
        $told[0].Message | Should -Match "Column 'T' holds 1700000000123456789 \(row 1\)"
        $told[0].Message | Should -Match 'nearest 256'
        [long[]] $longs = 0..9 | ForEach-Object { 1700000000123456700L + $_ }
        $null = $longs | Invoke-KMeans -K 2 -Seed 1 -WarningVariable fromLongs -WarningAction SilentlyContinue
        @($fromLongs | Where-Object { $_.Message -match 'beyond 2\^53' }).Count | Should -Be 1
        $null = 0..9 | ForEach-Object { [pscustomobject]@{ T = [decimal]'123456789012345678901' + $_ } } | Measure-KMeans -K 2, 3 -Seed 1 -WarningVariable fromDecimals -WarningAction SilentlyContinue
        @($fromDecimals | Where-Object { $_.Message -match 'beyond 2\^53' }).Count | Should -Be 1
        # The boundary: 2^53 + 1 reads as 2^53 itself (and -(2^53 + 1) as -2^53); integer text with a point and zeros.
        foreach ($v in '9007199254740993', '-9007199254740993', '1700000000000000001.0', '+1700000000000000001.000') {
            $null = @([pscustomobject]@{ T = $v; V = 1 }, [pscustomobject]@{ T = '1'; V = 2 }) | Invoke-KMeans -K 2 -Seed 1 -WarningVariable edge -WarningAction SilentlyContinue
            @($edge | Where-Object { $_.Message -match 'beyond 2\^53' }).Count | Should -Be 1 -Because "$v is read as another integer"
        }
        [long[]] $boundary = 9007199254740993L, 1L
        $null = $boundary | Invoke-KMeans -K 2 -Seed 1 -WarningVariable fromBoundary -WarningAction SilentlyContinue
        @($fromBoundary | Where-Object { $_.Message -match 'beyond 2\^53' }).Count | Should -Be 1
        # Exact in a double: 2^53 itself, round numbers past it, and everything smaller; scientific notation asks for a double.
        $exact = foreach ($v in '9007199254740992', '1000000000000000000000', '-9007199254740992.0', '12', '1e30', '9.007199254740993e15') { [pscustomobject]@{ T = $v; V = 1 } }
        $null = $exact | Invoke-KMeans -K 2 -Seed 1 -WarningVariable none -WarningAction SilentlyContinue
        @($none | Where-Object { $_.Message -match 'beyond 2\^53' }).Count | Should -Be 0
    }
}

Describe 'Rows left out do not flood the error stream' {
    It 'writes the first 10 errors of a kind, then one that counts the rest (<Case>)' -ForEach @(
        @{ Case = 'a fit'; Splat = @{ K = 2; Seed = 1 } }
        @{ Case = 'a stream'; Splat = @{ K = 2; Seed = 1; Stream = $true; BatchSize = 50 } }
        @{ Case = 'labelling with -Model'; Splat = @{ Model = '{ "Properties": ["X", "Y"], "Centroids": [[0, 0], [10, 5]] }' } }
    ) {
        $rows = 1..1000 | ForEach-Object { [pscustomobject]@{ X = if ($_ % 2) { '' } else { $_ % 13 }; Y = $_ % 7 } }
        $null = $rows | Invoke-KMeans @Splat -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 11
        $errs[0].Exception.Message | Should -Be "Row 1 has no value for 'X'; it is left out."
        $errs[9].Exception.Message | Should -Be "Row 19 has no value for 'X'; it is left out."
        $errs[10].FullyQualifiedErrorId | Should -Be 'MissingProperty,KMeansPS.Commands.InvokeKMeansCommand'
        $errs[10].Exception.Message | Should -Be "490 more rows were left out for the same reason (500 in all; the first 10 are reported above): no value for 'X'."
    }
}

Describe 'Invoke-KMeans: ClusterSizes count rows, ClusterWeights sum -Weight' {
    It 'on seeded weighted data with zero weights (seed <Seed>): sizes as numpy.bincount(labels), weights as bincount(labels, weights), fitted and predicted' -ForEach @(
        @{ Seed = 1 }, @{ Seed = 2 }, @{ Seed = 3 }, @{ Seed = 4 }
    ) {
        $random = [System.Random]::new($Seed)
        $rows = New-SyntheticClusterData -Count (50 + 25 * $Seed) -Clusters 3 -Seed $Seed | ForEach-Object {
            [pscustomobject]@{ X = $_.X; Y = $_.Y; W = @(0, 0, 0.5, 1, 3)[$random.Next(5)] }
        }
        $model = $rows | Invoke-KMeans -K 3 -Seed $Seed -Weight W -WarningAction SilentlyContinue
        $sizes = [int[]]::new($model.K)
        $weights = [double[]]::new($model.K)
        for ($i = 0; $i -lt $rows.Count; $i++) { $sizes[$model.Labels[$i]]++; $weights[$model.Labels[$i]] += $rows[$i].W }
        @($rows | Where-Object W -eq 0).Count | Should -BeGreaterThan 0
        $model.ClusterSizes | Should -Be $sizes
        ($model.ClusterSizes | Measure-Object -Sum).Sum | Should -Be $rows.Count
        $model.ClusterWeights | Should -Be $weights
        # Assigning the same rows to the model counts them the same way.
        $predicted = $rows | Invoke-KMeans -Model $model -Weight W
        $predicted.ClusterSizes | Should -Be $sizes
        $predicted.ClusterWeights | Should -Be $weights
        # Without -Weight every row weighs 1: the two are the same numbers.
        $plain = $rows | Invoke-KMeans -K 3 -Seed $Seed -Property X, Y
        $plain.ClusterWeights | Should -Be ([double[]] $plain.ClusterSizes)
    }

    It 'leaves ClusterWeights empty for a stream, which keeps no rows' {
        $streamed = New-SyntheticClusterData -Count 3000 -Clusters 3 -Seed 5 | Invoke-KMeans -K 3 -Seed 5 -Algorithm MiniBatch -Stream -WarningAction SilentlyContinue
        @($streamed.ClusterWeights).Count | Should -Be 0
    }
}
