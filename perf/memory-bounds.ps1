<#
.SYNOPSIS
    Peak memory and time of Compress-ImageKMeans on images with tens of millions of distinct colours (issue #12,
    section 3), against the budget of 3 x decoded bytes + 100 MB.

.DESCRIPTION
    Writes the seeded cases once (perf/KMeansPS.Benchmarks memory-cases: photo-noise.png, noise.png,
    alpha-noise.png, -Size x -Size), then runs Compress-ImageKMeans -K $K on each in a fresh child pwsh under
    /usr/bin/time, which reports the child's peak resident set (the whole process: runtime, module, decode,
    histogram, fit, mapping, encoding, metrics). One row per case: peak MB, the budget, seconds, PSNR, source
    colours and the fit's warning. The load average is printed next to the times: the machine is shared.

.EXAMPLE
    dotnet pwsh ./build.ps1 build; dotnet pwsh perf/memory-bounds.ps1

.EXAMPLE
    dotnet pwsh perf/memory-bounds.ps1 -Size 4000 -Case photo-noise -ModulePath /tmp/other/KMeansPS
#>
[CmdletBinding()]
param(
    [ValidateRange(16, 16384)] [int] $Size = 8000,
    [ValidateRange(2, 256)] [int] $K = 256,
    [int] $Seed = 1,
    [ValidateSet('photo-noise', 'noise', 'alpha-noise')] [string[]] $Case = @('photo-noise', 'noise', 'alpha-noise'),
    # The staged module to measure (default: this worktree's out/KMeansPS).
    [string] $ModulePath,
    # Where the generated images and outputs go (default: out/memory-bounds).
    [string] $WorkPath
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

. (Join-Path $PSScriptRoot 'ChildPeak.ps1')
$root = Split-Path $PSScriptRoot
$manifest = Resolve-StagedManifest $ModulePath
if (-not $WorkPath) { $WorkPath = Join-Path $root 'out/memory-bounds' }
$cases = Join-Path $WorkPath "cases-$Size-seed$Seed"

if (@($Case | Where-Object { -not (Test-Path (Join-Path $cases "$_.png")) }).Count -gt 0) {
    & dotnet run -c Release --project (Join-Path $root 'perf/KMeansPS.Benchmarks') -- memory-cases $cases $Size $Seed
    if ($LASTEXITCODE) { throw "memory-cases failed: $LASTEXITCODE" }
}

$rows = foreach ($name in $Case) {
    $source = Join-Path $cases "$name.png"
    $destination = Join-Path $WorkPath "$name-k$K.png"
    $report = Join-Path $WorkPath "$name-k$K.json"
    $timeLog = Join-Path $WorkPath "$name-k$K.time"
    $script = "Import-Module '$manifest'; Compress-ImageKMeans -LiteralPath '$source' -Destination '$destination' -K $K -Seed $Seed -Force -WarningVariable w -WarningAction SilentlyContinue | " +
        "Select-Object Width, Height, SourceColors, ColorsUsed, Psnr, Iterations, @{ n = 'Warning'; e = { `$w -join ' ' } } | ConvertTo-Json | Set-Content '$report'"
    $run = Measure-ChildPeak $script $timeLog
    if ($run.ExitCode) { throw "Compress-ImageKMeans failed on $source ($($run.ExitCode)): $($run.Text)" }
    $result = Get-Content $report -Raw | ConvertFrom-Json
    $decodedBytes = 4L * $result.Width * $result.Height
    $budget = 3 * $decodedBytes + 100MB
    [pscustomobject]@{
        Case         = $name
        Pixels       = "$($result.Width)x$($result.Height)"
        PeakMB       = $run.PeakMB
        BudgetMB     = [math]::Round($budget / 1MB)
        WithinBudget = $run.PeakKB * 1KB -le $budget
        Seconds      = $run.Seconds
        LoadBefore   = $run.Load
        Psnr         = [math]::Round($result.Psnr, 3)
        SourceColors = $result.SourceColors
        Iterations   = $result.Iterations
        Warning      = $result.Warning
    }
}
$rows | Format-Table -AutoSize | Out-String -Width 250 | Write-Host
"uptime: $(& uptime)" | Write-Host
$rows
