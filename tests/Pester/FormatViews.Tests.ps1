# The default views print every number whole: a fixed-width column that is too narrow for a value cuts its leading
# characters ("…79126E+09" for 1.79126E+09), which no reader can tell from a small number. Each table view is fed the
# widest values its properties can hold (inertia of any double, K up to 65,536, counts up to int's maximum, an hour's
# elapsed time, ratios of a flat image, synthetic coordinates of any magnitude) and must show none cut.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-KMeansPSModulePath) -Force

    function New-Shown([string] $TypeName, [hashtable] $Properties) {
        $object = [pscustomobject] $Properties
        $object.PSObject.TypeNames.Insert(0, $TypeName)
        $object
    }

    # Every row through the type's own view, at a console wide enough that only a column's own width can cut.
    function Get-Cut([object[]] $Rows) {
        $text = $Rows | Format-Table | Out-String -Width 400
        @($text -split "`n" | Where-Object { $_.Contains([char]0x2026) -or $_.Contains('...') })
    }

    $script:Inertias = @(0.0, 4.94065645841247E-324, 8.0086e-58, 1.0e-5, 0.09443198, 1791257286.5, 102452960.9, 5.32325E+300,
        [double]::MaxValue, [double]::PositiveInfinity, [double]::NaN)
    $script:Elapsed = @([TimeSpan]::FromMilliseconds(0.4), [TimeSpan]::FromMilliseconds(999.7), [TimeSpan]::FromSeconds(59.996),
        [TimeSpan]::FromMinutes(75), [TimeSpan]::FromHours(999.9))
}

AfterAll {
    Remove-Module KMeansPS -ErrorAction SilentlyContinue
}

Describe 'Default table views print every value whole' {
    It 'KMeansModel and KMeansPrediction: any inertia, K up to 65,536, counts and iterations up to int''s maximum' {
        $rows = foreach ($inertia in $script:Inertias) {
            foreach ($elapsed in $script:Elapsed) {
                New-Shown 'KMeansPS.Output.KMeansModel' @{ K = 65536; Count = [int]::MaxValue; Inertia = $inertia; Iterations = [int]::MaxValue
                    Converged = $false; InstructionSet = 'Vector512'; Elapsed = $elapsed; Seed = [int]::MinValue }
                New-Shown 'KMeansPS.Output.KMeansPrediction' @{ K = 65536; Count = [int]::MaxValue; Inertia = $inertia; ClusterSizes = @(1, 2) }
            }
        }
        Get-Cut $rows | Should -BeNullOrEmpty
    }

    It 'KMeansMeasurement: any inertia and K (fitted as asked or lowered), sampled or not, an hour''s sweep' {
        $rows = foreach ($inertia in $script:Inertias) {
            foreach ($elapsed in $script:Elapsed) {
                New-Shown 'KMeansPS.Output.KMeansMeasurement' @{ K = 65536; FittedK = 65535; Count = [int]::MaxValue; Inertia = $inertia; Silhouette = -0.99999
                    SilhouettePoints = [int]::MaxValue; Sampled = $true; Elapsed = $elapsed; Elbow = $true; Suggested = $true; Reason = 'elbow' }
                New-Shown 'KMeansPS.Output.KMeansMeasurement' @{ K = 2; FittedK = 2; Count = [int]::MaxValue; Inertia = $inertia; Silhouette = [double]::NaN
                    SilhouettePoints = 0; Sampled = $false; Elapsed = $elapsed; Elbow = $false; Suggested = $false; Reason = $null }
            }
        }
        Get-Cut $rows | Should -BeNullOrEmpty
    }

    It 'ImageCompressionResult and ImageKMeasurement: files of gigabytes, ratios of flat images, negative SSIM, long sweeps' {
        $rows = foreach ($bytes in @(12L, 999L, 1000L, (999L * 1KB + 1000), (999.96 * 1MB), (999.96 * 1GB), (900L * 1GB), (5000L * 1TB))) {
            foreach ($elapsed in $script:Elapsed) {
                New-Shown 'KMeansPS.Output.ImageCompressionResult' @{ Path = '/x/a.png'; Destination = '/x/a-k256.png'; Status = 'SkippedOwnOutput'
                    K = 256; ChosenK = 255; OriginalBytes = $bytes; CompressedBytes = $bytes; Ratio = 987654.3; Psnr = 148.13 }
                New-Shown 'KMeansPS.Output.ImageKMeasurement' @{ Path = '/x/a.png'; K = 256; ColorsUsed = 256; Psnr = 148.13; Ssim = -0.9999
                    Inertia = [double]::MaxValue; CompressedBytes = $bytes; Ratio = 987654.3; Elapsed = $elapsed; Suggested = $true; Reason = 'elbow' }
            }
        }
        Get-Cut $rows | Should -BeNullOrEmpty
    }

    It 'ImageCompressionResult and ImageKMeasurement: a Ratio column that reads above 1 for a smaller output and below 1 for a larger one' {
        # Seeded sizes around the source's: outputs a byte to a third larger or smaller, and the same size.
        $random = [Random]::new(20261208)
        $group = [cultureinfo]::CurrentCulture.NumberFormat.NumberGroupSeparator
        $decimal = [cultureinfo]::CurrentCulture.NumberFormat.NumberDecimalSeparator
        $pairs = foreach ($i in 1..60) {
            $original = [long]$random.Next(50, 5000000)
            $change = switch ($i % 4) { 0 { 0 } 1 { $random.Next(1, 4) } 2 { [long]($original * $random.NextDouble() / 3) + 1 } 3 { -[long]($original * $random.NextDouble() / 3) - 1 } }
            if ($i % 8 -eq 1) { $change = -$change }
            , @($original, ($original + $change))
        }
        foreach ($pair in $pairs) {
            $original, $compressed = $pair
            foreach ($type in 'KMeansPS.Output.ImageCompressionResult', 'KMeansPS.Output.ImageKMeasurement') {
                $row = New-Shown $type @{ Path = '/x/a.png'; Destination = '/x/a-k8.png'; Status = 'Written'; K = 8; ChosenK = 8; ColorsUsed = 8
                    OriginalBytes = $original; CompressedBytes = $compressed; Ratio = $original / $compressed; Psnr = 30.0; Ssim = 0.9; Inertia = 1.0
                    Elapsed = [TimeSpan]::FromSeconds(1); Suggested = $false; Reason = $null }
                $lines = @(($row | Format-Table | Out-String -Width 400) -split "`n" | Where-Object { $_.Trim() })
                $h = [array]::FindIndex([string[]]$lines, [Predicate[string]] { param($l) $l -match '\bRatio\b' }) # ImageKMeasurement's table is grouped by Path
                $at = $lines[$h].IndexOf('Ratio')
                $cell = $lines[$h + 2].Substring(0, $at + 5).Split(' ', [StringSplitOptions]::RemoveEmptyEntries)[-1]
                $shown = [double]::Parse(($cell.TrimStart('<', '>').Replace($group, '').Replace($decimal, '.')), [cultureinfo]::InvariantCulture)
                $because = "$type, $original bytes in, $compressed out, shown as '$cell'"
                if ($compressed -gt $original) { ($cell.StartsWith('<') -or $shown -lt 1) | Should -BeTrue -Because $because }
                elseif ($compressed -lt $original) { ($cell.StartsWith('>') -or $shown -gt 1) | Should -BeTrue -Because $because }
                else { $shown | Should -Be 1 -Because $because }
            }
        }
    }

    It 'ImageKMeasurement: an SSIM short of 1 never shown as 1.0000' {
        # Seeded SSIMs from 0.999 to just under 1 (a 16-bit source at K = its 8-bit colours measured 0.99995), and 1.
        $random = [Random]::new(20261208)
        $decimal = [cultureinfo]::CurrentCulture.NumberFormat.NumberDecimalSeparator
        $values = @(1.0, 0.99995338679, (1 - 1e-12)) + @(1..40 | ForEach-Object { 1 - [math]::Pow(10, -3 - 5 * $random.NextDouble()) })
        foreach ($ssim in $values) {
            $row = New-Shown 'KMeansPS.Output.ImageKMeasurement' @{ Path = '/x/a.png'; K = 8; ColorsUsed = 8; Psnr = 50.0; Ssim = $ssim; Inertia = 1.0
                CompressedBytes = 100; Ratio = 2.0; Elapsed = [TimeSpan]::FromSeconds(1); Suggested = $false; Reason = $null }
            $lines = @(($row | Format-Table | Out-String -Width 400) -split "`n" | Where-Object { $_.Trim() })
            $h = [array]::FindIndex([string[]]$lines, [Predicate[string]] { param($l) $l -match '\bSSIM\b' })
            $at = $lines[$h].IndexOf('SSIM')
            $cell = $lines[$h + 2].Substring(0, $at + 4).Split(' ', [StringSplitOptions]::RemoveEmptyEntries)[-1]
            $identical = $cell -eq ('1' + $decimal + '0000')
            $identical | Should -Be ($ssim -eq 1) -Because "SSIM $($ssim.ToString('R')) shown as '$cell'"
        }
    }

    It 'synthetic and clustered points: coordinates of any magnitude, and none that is not zero shown as zero' {
        $values = @(0.0, -1.0e-5, 12.3456, -1700000000.125, 6000000.01, -1.0e300, 4.9e-324)
        $rows = foreach ($v in $values) {
            New-Shown 'KMeansPS.SyntheticPoint#1D' @{ X = $v; TrueCluster = 1000 }
            New-Shown 'KMeansPS.SyntheticPoint#2D' @{ X = $v; Y = $v; TrueCluster = 1000 }
            New-Shown 'KMeansPS.SyntheticPoint#3D' @{ X = $v; Y = $v; Z = $v; TrueCluster = 1000 }
            New-Shown 'KMeansPS.ClusteredPoint#1D' @{ X = $v; TrueCluster = 1000; Cluster = 65535 }
            New-Shown 'KMeansPS.ClusteredPoint#2D' @{ X = $v; Y = $v; TrueCluster = 1000; Cluster = 65535 }
            New-Shown 'KMeansPS.ClusteredPoint#3D' @{ X = $v; Y = $v; Z = $v; TrueCluster = 1000; Cluster = 65535 }
        }
        Get-Cut $rows | Should -BeNullOrEmpty
        # In an 80-column console the headers stay on one line (the free text of the last column may be cut).
        foreach ($row in $rows | Select-Object -First 2) {
            $lines = @(($row | Format-Table | Out-String -Width 80) -split "`n" | Where-Object { $_.Trim() })
            $lines.Count | Should -Be 3 -Because ($lines -join "`n")
        }
        $shown = (New-Shown 'KMeansPS.SyntheticPoint#1D' @{ X = -1.0e-5; TrueCluster = 0 } | Format-Table | Out-String)
        $shown | Should -Not -Match '\s-?0[.,]000\s'
    }
}
