<#
.SYNOPSIS
    The interruption red-team at soak size, outside CI: tests/Pester/Interruption.Tests.ps1 run with its trials
    multiplied by -Scale, once per seed. Each seed draws other interrupt points (times, throttle limits, layouts, formats
    and sizes); a failing seed is replayed in CI size with KMEANSPS_INTERRUPT_SEED.
.EXAMPLE
    ./tests/soak/Interruption.ps1 -Seeds 1..5 -Scale 4      # about 5 x 120 interrupt points
#>
param(
    [int[]] $Seeds = @(1, 2, 3),
    [int] $Scale = 4,
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/KMeansPS/KMeansPS.psd1'),
    [string] $PesterPath = (Join-Path $HOME '.nuget/packages/pester/6.2.0/tools/Pester.psd1')
)
$ErrorActionPreference = 'Stop'
$failed = 0
foreach ($seed in $Seeds) {
    $env:KMEANSPS_INTERRUPT_SEED = $seed
    $env:KMEANSPS_INTERRUPT_SCALE = $Scale
    $summary = Join-Path ([IO.Path]::GetTempPath()) "interruption-soak-$seed.json"
    & (Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')) -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot '../../build/Invoke-PesterTests.ps1') -PesterPath $PesterPath -ModulePath (Resolve-Path $ModulePath).Path `
        -TestPath (Join-Path $PSScriptRoot '../Pester/Interruption.Tests.ps1') -SummaryPath $summary -ResultPath ([IO.Path]::ChangeExtension($summary, 'xml'))
    if ($LASTEXITCODE) { $failed++; Write-Host "seed $seed failed: replay with KMEANSPS_INTERRUPT_SEED=$seed" }
}
Remove-Item Env:KMEANSPS_INTERRUPT_SEED, Env:KMEANSPS_INTERRUPT_SCALE
exit $failed
