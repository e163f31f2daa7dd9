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
