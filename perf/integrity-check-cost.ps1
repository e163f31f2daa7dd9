<#
.SYNOPSIS
    Times the structure check alone (Integrity/FileIntegrity.Check, before any decoding) on the given files, for one
    staged module: the median of 7 calls in one process, after one untimed call.
.EXAMPLE
    dotnet pwsh perf/integrity-check-cost.ps1 -ModulePath out/KMeansPS -Path big.webp, big.tif
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string[]] $Path
)
$ErrorActionPreference = 'Stop'
$imaging = Join-Path (Resolve-Path $ModulePath) 'Dependencies/KMeansPS.Imaging.dll'
$type = [Reflection.Assembly]::LoadFrom($imaging).GetType('KMeansPS.Imaging.Integrity.FileIntegrity')
$check = $type.GetMethods([Reflection.BindingFlags]'Static,Public,NonPublic') |
    Where-Object { $_.Name -eq 'Check' -and $_.GetParameters()[0].ParameterType -eq [IO.Stream] } | Select-Object -First 1
foreach ($file in $Path) {
    $bytes = [IO.File]::ReadAllBytes((Resolve-Path $file))
    $report = $check.Invoke($null, @([IO.MemoryStream]::new($bytes), $null))
    $times = 1..7 | ForEach-Object {
        $stream = [IO.MemoryStream]::new($bytes)
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $null = $check.Invoke($null, @($stream, $null))
        $clock.Elapsed.TotalMilliseconds
    } | Sort-Object
    [pscustomobject]@{ File = Split-Path $file -Leaf; Verdict = "$($report.Verdict)"; MedianMs = [math]::Round($times[3], 1) }
}
