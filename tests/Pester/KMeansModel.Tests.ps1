# Reusing a model (predict, saved and read back), restarts, standardization and streaming: what a scikit-learn user
# expects of Invoke-KMeans beyond one fit.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-KMeansPSModulePath) -Force
    $script:Id = ',KMeansPS.Commands.InvokeKMeansCommand'
    $script:train = New-SyntheticClusterData -Count 600 -Center @(0, 0), @(20, 0), @(0, 20) -Spread 2 -Seed 11
    $script:fresh = New-SyntheticClusterData -Count 300 -Center @(0, 0), @(20, 0), @(0, 20) -Spread 2 -Seed 12
    $script:model = $script:train | Invoke-KMeans -K 3 -Seed 1

    # Two labellings split the points the same way (cluster numbers may differ).
    function Test-SamePartitionOf([int[]] $a, [int[]] $b) {
        $pairs = for ($i = 0; $i -lt $a.Count; $i++) { "$($a[$i])-$($b[$i])" }
        $distinct = @($pairs | Sort-Object -Unique)
        $distinct.Count -eq @($a | Sort-Object -Unique).Count -and $distinct.Count -eq @($b | Sort-Object -Unique).Count
    }

    # The nearest centroid of each point, worked out here in double precision.
    function Get-NearestCentroid($points, $centroids) {
        foreach ($p in $points) {
            $best = 0; $bestD = [double]::PositiveInfinity
            for ($c = 0; $c -lt $centroids.Count; $c++) {
                $d = [math]::Pow($p.X - $centroids[$c][0], 2) + [math]::Pow($p.Y - $centroids[$c][1], 2)
                if ($d -lt $bestD) { $bestD = $d; $best = $c }
            }
            $best
        }
    }
}

AfterAll {
    Remove-Module KMeansPS -ErrorAction SilentlyContinue
}

Describe 'Invoke-KMeans -Model (predict)' {
    It 'assigns new points to the nearest centroid without refitting' {
        $prediction = $script:fresh | Invoke-KMeans -Model $script:model
        $prediction | Should -BeOfType ([KMeansPS.Output.KMeansPrediction])
        $prediction.Count | Should -Be 300
        ($prediction.Labels -join ',') | Should -Be ((Get-NearestCentroid $script:fresh $script:model.Centroids) -join ',')
        ($prediction.ClusterSizes | Measure-Object -Sum).Sum | Should -Be 300
        $prediction.Inertia | Should -BeGreaterThan 0
    }

    It 'gives the fit''s own labels and inertia back on the fitted data' {
        $prediction = $script:train | Invoke-KMeans -Model $script:model
        ($prediction.Labels -join ',') | Should -BeExactly ($script:model.Labels -join ',')
        $prediction.Inertia | Should -Be $script:model.Inertia
    }

    It 'labels CSV rows from the pipeline with -PassThru' {
        $csv = Join-Path $TestDrive 'new.csv'
        $script:fresh | Select-Object X, Y | Export-Csv $csv
        $rows = Import-Csv $csv | Invoke-KMeans -Model $script:model -PassThru
        $rows.Count | Should -Be 300
        ($rows.Cluster -join ',') | Should -Be ((Get-NearestCentroid $script:fresh $script:model.Centroids) -join ',')
    }

    It 'adds the distances to every centre with -IncludeDistance (scikit-learn''s transform)' {
        $row = $script:fresh | Select-Object -First 1 | Invoke-KMeans -Model $script:model -PassThru -IncludeDistance
        $row.Distances.Count | Should -Be 3
        for ($c = 0; $c -lt 3; $c++) {
            $expected = [math]::Sqrt([math]::Pow($row.X - $script:model.Centroids[$c][0], 2) + [math]::Pow($row.Y - $script:model.Centroids[$c][1], 2))
            [math]::Abs($row.Distances[$c] - $expected) | Should -BeLessThan 1e-9
        }
        $row.Distance | Should -Be ($row.Distances | Measure-Object -Minimum).Minimum
        $row.Distance | Should -Be $row.Distances[$row.Cluster]
    }

    It 'gives distances beyond 1e154 and below 1e-154 as they are, not Infinity or 0 (their squares overflow or vanish)' {
        $model = '{ "Properties": ["X"], "Centroids": [[0], [1e300]] }'
        $rows = 1e200, 2e154, 1e-200, -3e-180 | ForEach-Object { [pscustomobject]@{ X = $_ } } | Invoke-KMeans -Model $model -PassThru -IncludeDistance
        $rows.Distance | Should -Be @(1e200, 2e154, 1e-200, 3e-180)
        $rows[0].Distances[1] | Should -Be (1e300 - 1e200)
    }

    It 'reports rows that lack the model''s properties and labels the rest' {
        $rows = @([pscustomobject]@{ X = 1.0; Y = 1.0 }, [pscustomobject]@{ X = 1.0 }, [pscustomobject]@{ X = 19.0; Y = 0.0 })
        $prediction = $rows | Invoke-KMeans -Model $script:model -ErrorVariable errs -ErrorAction SilentlyContinue
        $prediction.Count | Should -Be 2
        $errs[0].FullyQualifiedErrorId | Should -Be "MissingProperty$script:Id"
        $errs[0].Exception.Message | Should -Match "Row 2 has no property 'Y'"
    }

    It 'stops with PropertyNotFound when the first row lacks a property the model was fitted on' {
        $rows = @([pscustomobject]@{ X = 1.0; Z = 1.0 }, [pscustomobject]@{ X = 1.0; Y = 2.0 })
        $err = $null
        try { $rows | Invoke-KMeans -Model $script:model -ErrorAction SilentlyContinue } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be "PropertyNotFound$script:Id"
        $err.Exception.Message | Should -Match "The model was fitted on 'Y'.*Its properties are: X, Z"
    }

    It 'labels numbers and arrays with a model fitted on numbers and arrays (as the fit named them), and reports a row of another length' {
        $m1 = 1, 2, 3, 10, 11, 12 | Invoke-KMeans -K 2 -Seed 1
        $m1.Properties | Should -Be @('X')
        $labelled = 4, 9, 1 | Invoke-KMeans -Model $m1 -PassThru
        $near = [int[]]@(4, 9, 1 | ForEach-Object { $v = $_; if ([math]::Abs($v - $m1.Centroids[0][0]) -le [math]::Abs($v - $m1.Centroids[1][0])) { 0 } else { 1 } })
        ($labelled.Cluster -join ',') | Should -Be ($near -join ',')
        $labelled.Point | Should -Be @(4, 9, 1)
        $m2 = @(@(0, 0), @(0, 1), @(20, 20), @(21, 20)) | ForEach-Object { , $_ } | Invoke-KMeans -K 2 -Seed 1
        $m2.Properties | Should -Be @('X', 'Y')
        $prediction = @(@(1, 1), @(1, 2, 3), @(19, 19)) | ForEach-Object { , $_ } | Invoke-KMeans -Model $m2 -ErrorVariable errs -ErrorAction SilentlyContinue
        $prediction.Count | Should -Be 2
        $prediction.Labels[0] | Should -Not -Be $prediction.Labels[1]
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be "InconsistentDimensions$script:Id"
        $errs[0].Exception.Message | Should -Match 'Row 2 has 3 coordinates; the model has 2 \(X, Y\)'
        # A model written by hand, as README's JSON: its property names are the names arrays are read as.
        ((3, 8 | Invoke-KMeans -Model '{"Properties":["X"],"Centroids":[[0],[10]]}').Labels -join ',') | Should -Be '0,1'
    }

    It 'streams: more rows than one batch are all labelled, in input order' {
        $many = New-SyntheticClusterData -Count 20000 -Center @(0, 0), @(20, 0), @(0, 20) -Spread 2 -Seed 13 -AsMatrix
        $prediction = $many | Invoke-KMeans -Model $script:model
        $prediction.Count | Should -Be 20000
        $points = 0..19999 | ForEach-Object { [pscustomobject]@{ X = $many.Data[2 * $_]; Y = $many.Data[2 * $_ + 1] } }
        ($prediction.Labels -join ',') | Should -Be ((Get-NearestCentroid $points $script:model.Centroids) -join ',')
    }
}

Describe 'Labels against centres far closer together than the data''s range (float32 cannot tell them apart)' {
    It 'labels every point with the centre nearest in double precision, as its own Distances say (-Model)' {
        # Centres 1 apart at 1e6 from a third at -1e6: in float32 the pair's distances round alike near the boundary.
        $model = '{ "Properties": ["X"], "Centroids": [[-1000000], [1000000], [1000001]] }'
        $random = [Random]::new(1206)
        $xs = 1..400 | ForEach-Object { 1000000.5 + ($random.NextDouble() - 0.5) * 0.2 }
        $rows = $xs | ForEach-Object { [pscustomobject]@{ X = $_ } } | Invoke-KMeans -Model $model -PassThru -IncludeDistance
        $wrong = @($rows | Where-Object { $_.Distances[$_.Cluster] -ne ($_.Distances | Measure-Object -Minimum).Minimum })
        $wrong.Count | Should -Be 0
        @($rows | Where-Object Cluster -EQ 1).Count | Should -BeGreaterThan 100
        @($rows | Where-Object Cluster -EQ 2).Count | Should -BeGreaterThan 100
    }

    It 'ends a -Tolerance 0 fit at a fixed point: each centroid the mean of the points labelled with it' {
        # Two columns at 1e6 (Unix-time-like offsets) with two overlapping clusters 1 apart and a far one, from given centres.
        $random = [Random]::new(1207)
        $points = foreach ($i in 1..600) {
            $c = $i % 3
            $base = if ($c -eq 0) { -1000000 } else { 1000000 + $c }
            [pscustomobject]@{ A = $base + $random.NextDouble() * 1.6; B = 1000000 + $random.NextDouble() * 1.6 }
        }
        $init = @(@(-999999, 1000000.8), @(1000001.5, 1000000.8), @(1000002.5, 1000000.8))
        $model = $points | Invoke-KMeans -K 3 -InitialCentroids $init -Tolerance 0 -WarningAction SilentlyContinue # float32's resolution here: warned, and why labels are decided again in double
        $model.Converged | Should -BeTrue
        $rows = $points | Invoke-KMeans -Model $model -PassThru -IncludeDistance
        ($rows.Cluster -join ',') | Should -Be ($model.Labels -join ',')
        @($rows | Where-Object { $_.Distances[$_.Cluster] -ne ($_.Distances | Measure-Object -Minimum).Minimum }).Count | Should -Be 0
        foreach ($group in $rows | Group-Object Cluster) {
            $c = [int]$group.Name
            foreach ($p in 'A', 'B') {
                $mean = ($group.Group.$p | Measure-Object -Average).Average
                $j = [array]::IndexOf($model.Properties, $p)
                [math]::Abs($model.Centroids[$c][$j] - $mean) | Should -BeLessThan 1e-6
            }
        }
    }
}

Describe 'A model''s own checks' {
    It 'Predict and Transform refuse a coordinate that is NaN or infinite, as the cmdlet refuses the row' {
        foreach ($bad in [double]::NaN, [double]::PositiveInfinity) {
            { $script:model.Predict([double[]]@($bad, 1)) } | Should -Throw '*must be a finite number*'
            { $script:model.Transform([double[]]@(1, $bad)) } | Should -Throw '*must be a finite number*'
        }
    }

    It 'refuses a saved Standardized flag that contradicts its Means and StandardDeviations' {
        $err = { 1, 2 | Invoke-KMeans -Model '{ "Properties": ["X"], "Centroids": [[0], [5]], "Standardized": true }' } | Should -Throw -PassThru
        $err.Exception.Message | Should -Match 'Standardized = true but has no Means'
        $err = { 1, 2 | Invoke-KMeans -Model '{ "Properties": ["X"], "Centroids": [[0], [5]], "Standardized": false, "Means": [1], "StandardDeviations": [2] }' } | Should -Throw -PassThru
        $err.Exception.Message | Should -Match 'Standardized = false but has Means'
        (1, 2 | Invoke-KMeans -Model '{ "Properties": ["X"], "Centroids": [[0], [5]], "Standardized": true, "Means": [1], "StandardDeviations": [2] }').Count | Should -Be 2
        ($script:model | ConvertTo-Json -Depth 5 | ForEach-Object { $script:fresh | Invoke-KMeans -Model $_ }).Count | Should -Be 300
    }
}

Describe 'A model saved and read back' {
    It 'survives Export-Clixml and Import-Clixml' {
        $path = Join-Path $TestDrive 'model.xml'
        $script:model | Export-Clixml $path
        $restored = Import-Clixml $path
        $prediction = $script:train | Invoke-KMeans -Model $restored
        ($prediction.Labels -join ',') | Should -BeExactly ($script:model.Labels -join ',')
        $prediction.Inertia | Should -Be $script:model.Inertia
    }

    It 'survives ConvertTo-Json and ConvertFrom-Json, and JSON text works as it is' {
        $json = $script:model | ConvertTo-Json -Compress
        foreach ($saved in ($json | ConvertFrom-Json), $json) {
            $prediction = $script:train | Invoke-KMeans -Model $saved
            ($prediction.Labels -join ',') | Should -BeExactly ($script:model.Labels -join ',')
        }
    }

    It 'needs only Properties and Centroids (the documented shape)' {
        $minimal = @{ Properties = 'X', 'Y'; Centroids = $script:model.Centroids } | ConvertTo-Json -Depth 3
        $prediction = $script:fresh | Invoke-KMeans -Model $minimal
        ($prediction.Labels -join ',') | Should -Be ((Get-NearestCentroid $script:fresh $script:model.Centroids) -join ',')
    }

    It 'keeps the standardization of a standardized model' {
        $rows = foreach ($i in 0..99) { [pscustomobject]@{ A = ($i % 2) * 3 + ($i % 7) * 0.01; B = ($i * 37) % 1000 } }
        $model = $rows | Invoke-KMeans -K 2 -Standardize -Seed 1
        $path = Join-Path $TestDrive 'std.xml'
        $model | Export-Clixml $path
        foreach ($saved in (Import-Clixml $path), ($model | ConvertTo-Json | ConvertFrom-Json)) {
            $prediction = $rows | Invoke-KMeans -Model $saved
            ($prediction.Labels -join ',') | Should -BeExactly ($model.Labels -join ',')
            $prediction.Inertia | Should -Be $model.Inertia
        }
    }

    It 'gives the inertia back to the last bit on rows beyond one block of the sum (16,384), standardized or not' {
        # Predicted in batches that are not the fit's blocks, the sum was added in another order: last digits apart.
        $rows = New-SyntheticClusterData -Count 40000 -Clusters 3 -Seed 4
        foreach ($standardize in $false, $true) {
            $model = $rows | Invoke-KMeans -K 3 -Seed 1 -Standardize:$standardize
            $prediction = $rows | Invoke-KMeans -Model $model
            ($prediction.Labels -join ',') | Should -BeExactly ($model.Labels -join ',')
            $prediction.Inertia.ToString('R') | Should -BeExactly $model.Inertia.ToString('R')
        }
    }

    It 'refuses something that is not a model, saying why' {
        { $script:fresh | Invoke-KMeans -Model @{ Properties = 'X', 'Y' } } |
            Should -Throw -ErrorId "ParameterArgumentTransformationError$script:Id" -ExpectedMessage '*Centroids is missing*'
        { $script:fresh | Invoke-KMeans -Model @{ Properties = 'X', 'Y'; Centroids = @(, @(1.0)) } } |
            Should -Throw -ErrorId "ParameterArgumentTransformationError$script:Id" -ExpectedMessage '*has 1 values; the model has 2 properties*'
    }

    It 'draws its centroids with Export-ClusterPlot after Import-Clixml' {
        $path = Join-Path $TestDrive 'model2.xml'
        $script:model | Export-Clixml $path
        $png = Join-Path $TestDrive 'restored.png'
        $script:train | Export-ClusterPlot $png -Model (Import-Clixml $path)
        (Get-Item $png).Length | Should -BeGreaterThan 1000
    }
}

Describe 'Export-ClusterPlot -Model fitted on other properties' {
    It 'is an error with its own id, and writes nothing' {
        $other = 1..20 | ForEach-Object { [pscustomobject]@{ Height = $_; Weight = 2 * $_ } } | Invoke-KMeans -K 2 -Seed 1
        $png = Join-Path $TestDrive 'mismatch.png'
        { $script:train | Export-ClusterPlot $png -Model $other } |
            Should -Throw -ErrorId 'ModelPropertyMismatch,KMeansPS.Commands.ExportClusterPlotCommand'
        Test-Path $png | Should -BeFalse
    }
}

Describe 'Invoke-KMeans -Restarts' {
    It 'keeps the best of several seeded runs, the same every time' {
        $points = 0..9 | ForEach-Object { [pscustomobject]@{ T = 1700000000.0 + $_ * 0.25 } }
        $one = $points | Invoke-KMeans -K 2 -Seed 1
        $best = $points | Invoke-KMeans -K 2 -Seed 1 -Restarts 10
        $one.Inertia | Should -Be 1.40625    # seed 1 alone stops in a local optimum
        $best.Inertia | Should -Be 1.25      # the best split of ten points 0.25 s apart
        $best.Restarts | Should -Be 10
        $again = $points | Invoke-KMeans -K 2 -Seed 1 -Restarts 10 -MaxThreads 1
        ($again.Centroids | ForEach-Object { $_ -join ',' }) -join ';' | Should -BeExactly (($best.Centroids | ForEach-Object { $_ -join ',' }) -join ';')
    }

    It 'is never worse than its first run, whose seed is the seed itself' {
        $data = New-SyntheticClusterData -Count 3000 -Clusters 12 -Spread 2 -Seed 3
        $one = $data | Invoke-KMeans -K 12 -Seed 2 -Init Random
        $eight = $data | Invoke-KMeans -K 12 -Seed 2 -Init Random -Restarts 8
        $eight.Inertia | Should -BeLessOrEqual $one.Inertia
    }

    It 'cannot be combined with -InitialCentroids' {
        { $script:train | Invoke-KMeans -K 1 -Restarts 3 -InitialCentroids @(, @(0.0, 0.0)) } | Should -Throw -ErrorId "InvalidArgument$script:Id"
    }
}

Describe 'Invoke-KMeans -Standardize' {
    BeforeAll {
        # Two groups 3 m apart; grams are noise over 0..1000 that would otherwise decide everything.
        $script:scaled = foreach ($i in 0..199) { [pscustomobject]@{ Metres = ($i % 2) * 3 + ($i % 5) * 0.01; Grams = ($i * 389) % 1000 } }
    }

    It 'clusters on z-scores, so the small-scale property counts' {
        $plain = $script:scaled | Invoke-KMeans -K 2 -Seed 1
        $standardized = $script:scaled | Invoke-KMeans -K 2 -Seed 1 -Standardize
        $byMetres = 0..199 | ForEach-Object { $_ % 2 }
        Test-SamePartitionOf $byMetres $standardized.Labels | Should -BeTrue
        Test-SamePartitionOf $byMetres $plain.Labels | Should -BeFalse
    }

    It 'reports centroids in the input''s units, and the scaling it used' {
        $model = $script:scaled | Invoke-KMeans -K 2 -Seed 1 -Standardize
        $model.Standardized | Should -BeTrue
        $group = $script:scaled | Where-Object Metres -lt 1
        $c = $model.Centroids | Sort-Object { $_[0] } | Select-Object -First 1
        [math]::Abs($c[0] - ($group.Metres | Measure-Object -Average).Average) | Should -BeLessThan 1e-12
        [math]::Abs($c[1] - ($group.Grams | Measure-Object -Average).Average) | Should -BeLessThan 1e-9
        [math]::Abs($model.Means[1] - ($script:scaled.Grams | Measure-Object -Average).Average) | Should -BeLessThan 1e-9
        $model.StandardDeviations[0] | Should -BeGreaterThan 1
    }
}

Describe 'Invoke-KMeans -Algorithm MiniBatch -Stream' {
    It 'keeps K with -InitialCentroids when the first rows are one point repeated (a sorted file)' {
        $rows = @(1..3100 | ForEach-Object { [pscustomobject]@{ X = 1; Y = 1 } }) +
            @(1..3000 | ForEach-Object { [pscustomobject]@{ X = ($_ % 3) * 10 + ($_ % 7) * 0.1; Y = ($_ % 3) * 10 } })
        $model = $rows | Invoke-KMeans -K 3 -Stream -InitialCentroids @(1, 1), @(10, 10), @(20, 20) -Seed 1 -WarningVariable w -WarningAction SilentlyContinue
        $model.K | Should -Be 3
        $model.Centroids.Count | Should -Be 3
        "$w" | Should -Not -Match 'distinct points'
        foreach ($center in @(10, 10), @(20, 20)) {
            $nearest = $model.Centroids | Sort-Object { [math]::Pow($_[0] - $center[0], 2) + [math]::Pow($_[1] - $center[1], 2) } | Select-Object -First 1
            [math]::Abs($nearest[0] - $center[0]) | Should -BeLessThan 1.5
        }
    }

    It 'fits a stream without keeping its rows, and finds the clusters' {
        $stream = New-SyntheticClusterData -Count 20000 -Center @(0, 0), @(20, 0), @(0, 20) -Spread 1 -NoiseScale 0 -Seed 14 -AsMatrix
        $model = $stream | Invoke-KMeans -K 3 -Algorithm MiniBatch -Stream -BatchSize 500 -Seed 1
        $model.Streamed | Should -BeTrue
        $model.Count | Should -Be 20000
        # The first 1,500 rows fitted whole, then one step per batch of 500: 37 steps.
        $model.Iterations | Should -BeGreaterThan 37
        $model.Labels.Count | Should -Be 0
        [double]::IsNaN($model.Inertia) | Should -BeTrue
        foreach ($center in @(0, 0), @(20, 0), @(0, 20)) {
            $nearest = $model.Centroids | Sort-Object { [math]::Pow($_[0] - $center[0], 2) + [math]::Pow($_[1] - $center[1], 2) } | Select-Object -First 1
            [math]::Abs($nearest[0] - $center[0]) | Should -BeLessThan 0.2
            [math]::Abs($nearest[1] - $center[1]) | Should -BeLessThan 0.2
        }
        ($model.ClusterSizes | Measure-Object -Sum).Sum | Should -Be 20000
    }

    It 'streams CSV rows, and the model then labels them in a second pass' {
        $csv = Join-Path $TestDrive 'stream.csv'
        New-SyntheticClusterData -Count 5000 -Center @(0, 0), @(30, 30) -Spread 1 -Seed 15 | Export-Csv $csv
        $model = Import-Csv $csv | Invoke-KMeans -K 2 -Algorithm MiniBatch -Stream -BatchSize 256 -Seed 1
        $model.Properties | Should -Be @('X', 'Y')
        $labelled = Import-Csv $csv | Invoke-KMeans -Model $model -PassThru
        Test-SamePartitionOf ([int[]] $labelled.TrueCluster) ([int[]] $labelled.Cluster) | Should -BeTrue
    }

    It 'is deterministic for a seed' {
        $data = New-SyntheticClusterData -Count 5000 -Clusters 4 -Seed 16 -AsMatrix
        $a = $data | Invoke-KMeans -K 4 -Algorithm MiniBatch -Stream -BatchSize 200 -Seed 3
        $b = $data | Invoke-KMeans -K 4 -Algorithm MiniBatch -Stream -BatchSize 200 -Seed 3 -MaxThreads 1
        ($a.Centroids | ForEach-Object { $_ -join ',' }) -join ';' | Should -BeExactly (($b.Centroids | ForEach-Object { $_ -join ',' }) -join ';')
    }

    It 'waits for K distinct points before it starts: a file that begins with one reading repeated still gets K centres' {
        $same = 1..3072 | ForEach-Object { [pscustomobject]@{ A = 0.0; B = 0.0 } }
        $varied = 1..6000 | ForEach-Object { $c = $_ % 4; [pscustomobject]@{ A = $c * 100.0 + $_ % 7; B = $c * 50.0 } }
        $model = @($same) + @($varied) | Invoke-KMeans -K 4 -Algorithm MiniBatch -Stream -BatchSize 256 -Seed 1 -WarningVariable w -WarningAction SilentlyContinue
        $model.K | Should -Be 4
        "$w" | Should -Not -Match 'distinct points'
        # Not random order, though: 3,072 rows of one point, then four groups.
        $w.Count | Should -Be 1
        $model.Warning | Should -Match '^The rows do not come in random order: rows 3,0\d\d-'
        $model.Count | Should -Be 9072
        # Every group of the later rows has a centre of its own near it.
        foreach ($c in 1..3) {
            $nearest = $model.Centroids | Sort-Object { [math]::Pow($_[0] - $c * 100 - 3, 2) + [math]::Pow($_[1] - $c * 50, 2) } | Select-Object -First 1
            [math]::Abs($nearest[1] - $c * 50) | Should -BeLessThan 1
        }
    }

    It 'says K was lowered for the whole stream when the stream holds fewer distinct points than K' {
        $rows = 1..2000 | ForEach-Object { [pscustomobject]@{ A = [double]($_ % 2); B = 1.0 } }
        $model = $rows | Invoke-KMeans -K 3 -Algorithm MiniBatch -Stream -BatchSize 256 -Seed 1 -WarningVariable w -WarningAction SilentlyContinue
        $model.K | Should -Be 2
        $model.Warning | Should -Match 'Only 2 distinct points \(with positive weight\) are among the first 2000 rows, from which the stream starts, fewer than K = 3; K was lowered to 2 for the whole stream'
    }

    It 'warns when the rows come sorted by cluster, naming the first batch far from the rows before it, and not when they come shuffled' {
        $data = New-SyntheticClusterData -Count 20000 -Clusters 5 -Dimensions 2 -Seed 21
        $csv = Join-Path $TestDrive 'sorted.csv'
        $data | Sort-Object TrueCluster | Export-Csv $csv
        $sorted = Import-Csv $csv | Invoke-KMeans -K 5 -Algorithm MiniBatch -Stream -Property X, Y -Seed 1 -WarningVariable w -WarningAction SilentlyContinue
        $w.Count | Should -Be 1
        "$w" | Should -BeExactly $sorted.Warning
        # CSV rows counted as the file counts them; the first 3 x 1,024 rows start the stream.
        $sorted.Warning -match '^The rows do not come in random order: rows (\d{1,2},\d{3})-(\d{1,2},\d{3}) fall into the clusters in other proportions than the rows before them \((\d+) % of them would have to change cluster to match, where random order gives at most (\d+) %\), and (\d+) of 17 batches were that far\.' | Should -BeTrue -Because $sorted.Warning
        $first = [int]($Matches[1] -replace ',', ''); $last = [int]($Matches[2] -replace ',', '')
        $first | Should -BeGreaterThan 3072
        ($first - 3073) % 1024 | Should -Be 0
        $last - $first | Should -Be 1023
        [int]$Matches[3] | Should -BeGreaterThan ([int]$Matches[4])
        $sorted.Warning | Should -Match 'Shuffle the rows first \(Get-Random -Shuffle\), or fit without -Stream\.$'

        $shuffled = $data | Invoke-KMeans -K 5 -Algorithm MiniBatch -Stream -Property X, Y -Seed 1 -WarningVariable w2 -WarningAction SilentlyContinue
        $w2 | Should -BeNullOrEmpty
        $shuffled.Warning | Should -BeNullOrEmpty
        # What the warning is for: the sorted stream's centres fit the rows worse.
        ($data | Invoke-KMeans -Model $sorted).Inertia | Should -BeGreaterThan (1.5 * ($data | Invoke-KMeans -Model $shuffled).Inertia)
    }

    It 'refuses -PassThru, which would need every row kept' {
        { $script:train | Invoke-KMeans -K 3 -Algorithm MiniBatch -Stream -PassThru } | Should -Throw -ErrorId "InvalidArgument$script:Id"
    }
}
