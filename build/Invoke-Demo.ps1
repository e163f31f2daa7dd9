# The README's main job on built-in sample data: the blog, end to end. Started by `build.ps1 demo` in a
# fresh pwsh with the staged module; prints what it did and where the results are.
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutputPath
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
New-Item -ItemType Directory -Force -Path $OutputPath | Out-Null
$OutputPath = (Resolve-Path $OutputPath).ProviderPath

Write-Host "`n1. The blog's data: 300 noisy 2-D points in 3 clusters (seed 1)" -ForegroundColor Cyan
$points = New-SyntheticClusterData -Seed 1
$csv = Join-Path $OutputPath 'points.csv'
$points | Export-Csv -Path $csv

Write-Host "`n2. K-means with K = 3" -ForegroundColor Cyan
$clustered = $points | Invoke-KMeans -K 3 -Seed 1 -PassThru
$model = $points | Invoke-KMeans -K 3 -Seed 1
$model | Format-Table | Out-Host
for ($c = 0; $c -lt $model.K; $c++) {
    $truth = $clustered | Where-Object Cluster -eq $c | Group-Object TrueCluster | Sort-Object Count -Descending | Select-Object -First 1
    Write-Host ('   cluster {0}: {1,3} points, centroid ({2,7:N3}, {3,7:N3}), {4} of them from true cluster {5}' -f $c, $model.ClusterSizes[$c], $model.Centroids[$c][0], $model.Centroids[$c][1], $truth.Count, $truth.Name)
}
Write-Host "   points: $csv"

$plot = Join-Path $OutputPath 'clusters.png'
$null = $clustered | Export-ClusterPlot -Path $plot -Model $model -Title 'K-means on the blog''s data, K = 3' -Force
Write-Host "   scatter plot: $plot"

Write-Host "`n3. A photo reduced to 64 colours (samples/china.jpg, CC-BY-2.0; see samples/README.md)" -ForegroundColor Cyan
$sample = Join-Path $PSScriptRoot '../samples/china.jpg'
$compressed = Join-Path $OutputPath 'china-k64.png'
$figure = Join-Path $OutputPath 'china-k64-comparison.png'
$result = Compress-ImageKMeans -LiteralPath $sample -K 64 -Seed 1 -Destination $compressed -ComparisonPath $figure -Force
$result | Format-Table | Out-Host
Write-Host ('   {0:N0} KB / {1:N0} KB = {2:N1}x smaller, PSNR {3:N2} dB, SSIM {4:N4}, {5} colours, {6} iterations on {7}, {8:N0} ms' -f
    ($result.OriginalBytes / 1KB), ($result.CompressedBytes / 1KB), $result.Ratio, $result.Psnr, $result.Ssim,
    $result.ColorsUsed, $result.Iterations, $result.InstructionSet, $result.Elapsed.TotalMilliseconds)
Write-Host "   compressed image: $compressed"
Write-Host "   side by side (original | 64 colours | difference): $figure"

Write-Host "`n4. Was 64 the right K? Quality and size over K" -ForegroundColor Cyan
$curve = Join-Path $OutputPath 'china-k-curve.png'
Measure-ImageKMeans -LiteralPath $sample -K 4, 8, 16, 32, 64, 128, 256 -Seed 1 -PlotPath $curve -Force | Format-Table | Out-Host
Write-Host "   curve: $curve"
Write-Host "`nEverything is in $OutputPath" -ForegroundColor Green
