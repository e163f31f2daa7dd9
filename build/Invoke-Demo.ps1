# The README's main job on built-in sample data. Started by `build.ps1 demo` in a fresh pwsh with the
# staged module; prints what it did and where the results are.
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutputPath
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
New-Item -ItemType Directory -Force -Path $OutputPath | Out-Null

Write-Host '1. The blog''s data: 300 noisy 2-D points in 3 clusters (seed 1)'
$points = New-SyntheticClusterData -Seed 1
$csv = Join-Path $OutputPath 'points.csv'
$points | Export-Csv -Path $csv
$points | Group-Object TrueCluster | ForEach-Object {
    $x = ($_.Group | Measure-Object X -Average).Average
    $y = ($_.Group | Measure-Object Y -Average).Average
    Write-Host ('   cluster {0}: {1} points around ({2:N2}, {3:N2})' -f $_.Name, $_.Count, $x, $y)
}
Write-Host "   points: $csv"
