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
