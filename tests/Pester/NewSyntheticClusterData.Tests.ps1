BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-KMeansPSModulePath) -Force
}

AfterAll {
    Remove-Module KMeansPS -ErrorAction SilentlyContinue
}

Describe 'New-SyntheticClusterData' {
    It 'makes the blog''s 300 points in 3 clusters by default' {
        $points = New-SyntheticClusterData -Seed 1
        $points.Count | Should -Be 300
        ($points.TrueCluster | Sort-Object -Unique) | Should -Be @(0, 1, 2)
        ($points | Group-Object TrueCluster | ForEach-Object Count) | Should -Be @(100, 100, 100)
        $points[0].PSObject.Properties.Name | Should -Be @('X', 'Y', 'TrueCluster')
        $points[0].X | Should -BeOfType [double]
    }

    It 'exports to CSV with the expected columns' {
        $csv = Join-Path $TestDrive 'pts.csv'
        New-SyntheticClusterData -Seed 1 | Export-Csv $csv
        $rows = Import-Csv $csv
        $rows.Count | Should -Be 300
        ($rows[0].PSObject.Properties.Name) | Should -Be @('X', 'Y', 'TrueCluster')
    }

    It 'gives the same points for the same seed and different points otherwise' {
        $a = New-SyntheticClusterData -Seed 7 | ConvertTo-Json -Compress
        $b = New-SyntheticClusterData -Seed 7 | ConvertTo-Json -Compress
        $c = New-SyntheticClusterData -Seed 8 | ConvertTo-Json -Compress
        $a | Should -BeExactly $b
        $a | Should -Not -BeExactly $c
    }

    It 'names coordinates X, Y, Z in 3-D and X1..Xn beyond' {
        (New-SyntheticClusterData -Count 5 -Clusters 1 -Dimensions 3 -Seed 1)[0].PSObject.Properties.Name | Should -Be @('X', 'Y', 'Z', 'TrueCluster')
        (New-SyntheticClusterData -Count 5 -Clusters 1 -Dimensions 5 -Seed 1)[0].PSObject.Properties.Name | Should -Be @('X1', 'X2', 'X3', 'X4', 'X5', 'TrueCluster')
    }

    It 'puts points around explicit centres' {
        $points = New-SyntheticClusterData -Count 3000 -Center @(0, 0), @(100, 100) -Spread 1 -NoiseScale 0 -Seed 3
        $far = $points | Where-Object TrueCluster -eq 1
        ($far | Measure-Object X -Average).Average | Should -BeGreaterThan 99
        ($far | Measure-Object X -Average).Average | Should -BeLessThan 101
    }

    It 'returns one matrix object with -AsMatrix' {
        $m = New-SyntheticClusterData -Count 1000 -Clusters 4 -Dimensions 3 -Seed 2 -AsMatrix
        $m | Should -BeOfType ([KMeansPS.Output.SyntheticClusterMatrix])
        $m.Count | Should -Be 1000
        $m.Data.Count | Should -Be 3000
        $m.Clusters | Should -Be 4
        $m.Seed | Should -Be 2
    }

    It 'matrix and objects hold the same points for one seed' {
        $m = New-SyntheticClusterData -Seed 5 -AsMatrix
        $p = New-SyntheticClusterData -Seed 5
        $p[17].X | Should -Be $m.Data[34]
        $p[17].Y | Should -Be $m.Data[35]
        $p[17].TrueCluster | Should -Be $m.TrueCluster[17]
    }

    It 'reports a drawn seed in the verbose stream' {
        $verbose = New-SyntheticClusterData -Count 3 -Clusters 1 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $verbose.Message | Should -Match 'Seed \d+'
    }

    It 'formats points as a compact table' {
        $text = New-SyntheticClusterData -Count 2 -Clusters 1 -Seed 1 | Format-Table | Out-String
        $text | Should -Match 'X\s+Y\s+TrueCluster'
    }

    It 'lists points of 4 or more dimensions without a Cluster row they do not have, and no errors under strict mode' {
        $text = & {
            Set-StrictMode -Version Latest
            $Error.Clear()
            New-SyntheticClusterData -Count 2 -Clusters 1 -Dimensions 4 -Seed 1 | Out-String
        }
        $Error.Count | Should -Be 0
        $text | Should -Match 'Coordinates : '
        $text | Should -Match 'TrueCluster : 0'
        $text | Should -Not -Match 'Cluster\s+:\s*$'
        $clustered = New-SyntheticClusterData -Count 6 -Clusters 2 -Dimensions 4 -Seed 1 | Invoke-KMeans -K 2 -Seed 1 -PassThru | Out-String
        $clustered | Should -Match 'Cluster\s+: \d'
    }

    Context 'bad input' {
        It 'rejects <Name> at parameter binding' -ForEach @(
            @{ Name = 'Count 0'; Splat = @{ Count = 0 } }
            @{ Name = 'Clusters 0'; Splat = @{ Clusters = 0 } }
            @{ Name = 'Dimensions 0'; Splat = @{ Dimensions = 0 } }
            @{ Name = 'NaN spread'; Splat = @{ Spread = [double]::NaN } }
            @{ Name = 'infinite noise'; Splat = @{ NoiseScale = [double]::PositiveInfinity } }
            @{ Name = 'NaN centre'; Splat = @{ Center = @(, @(0, [double]::NaN)) } }
        ) {
            { New-SyntheticClusterData @Splat } | Should -Throw -ErrorId 'ParameterArgumentValidationError,KMeansPS.Commands.NewSyntheticClusterDataCommand'
        }

        It 'rejects more clusters than points with a terminating InvalidArgument error' {
            $err = { New-SyntheticClusterData -Count 2 -Clusters 3 } | Should -Throw -ErrorId 'InvalidArgument,KMeansPS.Commands.NewSyntheticClusterDataCommand' -PassThru
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.Exception.Message | Should -Match 'cannot exceed Count'
        }

        It 'rejects centres of different lengths' {
            { New-SyntheticClusterData -Center @(0, 0), @(1, 1, 1) } | Should -Throw -ErrorId 'InvalidArgument,KMeansPS.Commands.NewSyntheticClusterDataCommand'
        }

        It 'rejects a spread list of the wrong length' {
            { New-SyntheticClusterData -Clusters 3 -Spread 1, 2 } | Should -Throw -ErrorId 'InvalidArgument,KMeansPS.Commands.NewSyntheticClusterDataCommand'
        }

        It 'emits no point beyond ±1e300 (never Infinity or NaN): <Name> is an InvalidArgument error and nothing is written' -ForEach @(
            @{ Name = 'a spread whose noise overflows'; Splat = @{ Spread = 1e155 } }
            @{ Name = 'a huge spread'; Splat = @{ Spread = 1e301; NoiseScale = 0 } }
            @{ Name = 'a box as wide as double'; Splat = @{ CenterBox = -1e308, 1e308 } }
            @{ Name = 'huge noise'; Splat = @{ NoiseScale = 1e300 } }
            @{ Name = 'centres at 1e308'; Splat = @{ Center = @(1e308, 0), @(-1e308, 0); NoiseScale = 0 } }
        ) {
            $out = [Collections.Generic.List[object]]::new()
            $err = { New-SyntheticClusterData -Seed 1 @Splat | ForEach-Object { $out.Add($_) } } |
                Should -Throw -ErrorId 'InvalidArgument,KMeansPS.Commands.NewSyntheticClusterDataCommand' -PassThru
            $err.Exception.Message | Should -Match 'beyond ±1e300'
            $err.Exception.Message | Should -Not -Match 'Infinity|NaN' # an overflow is said to be one, not shown as a value
            $out.Count | Should -Be 0
        }

        It 'still makes points with a large but representable spread, every one finite' {
            $points = New-SyntheticClusterData -Seed 1 -Spread 1e150
            @($points | Where-Object { -not [double]::IsFinite($_.X) -or -not [double]::IsFinite($_.Y) }).Count | Should -Be 0
            ($points | Invoke-KMeans -K 3 -Seed 1).K | Should -Be 3
        }

        It 'rejects a negative noise scale' {
            { New-SyntheticClusterData -NoiseScale -1 } | Should -Throw -ErrorId 'InvalidArgument,KMeansPS.Commands.NewSyntheticClusterDataCommand'
        }
    }
}
