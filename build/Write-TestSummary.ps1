# Sums every runner's results in one or more folders (xunit XML files and Pester's JSON summary) and prints the one
# closing line CI reads: "N passed, N failed" (", N skipped" when any were skipped). Exit 1 if any failed.
param([Parameter(Mandatory)] [string[]] $ResultsPath)
$ErrorActionPreference = 'Stop'
$passed = 0; $failed = 0; $skipped = 0
# A folder a runner never wrote (it failed before its first leg) adds nothing; that runner's own exit fails the run.
$folders = @($ResultsPath | Where-Object { Test-Path $_ })
$files = if ($folders) { Get-ChildItem $folders -Filter '*.xml' | Where-Object Name -ne 'pester.xml' } else { @() }
foreach ($file in $files) {
    [xml] $doc = Get-Content -Raw $file.FullName
    foreach ($assembly in $doc.SelectNodes('//assembly')) {
        $passed += [int] $assembly.passed
        $failed += [int] $assembly.failed + [int] $assembly.errors
        $skipped += [int] $assembly.skipped + [int] $assembly.'not-run'
    }
}
$pester = $folders | ForEach-Object { Join-Path $_ 'pester.json' } | Where-Object { Test-Path $_ } | Select-Object -First 1
if ($pester) {
    $p = Get-Content -Raw $pester | ConvertFrom-Json
    $passed += $p.Passed; $failed += $p.Failed; $skipped += $p.Skipped
}
else {
    Write-Host 'No Pester results found.' -ForegroundColor Yellow
}
$line = "$passed passed, $failed failed"
if ($skipped) { $line += ", $skipped skipped" }
Write-Host $line
# No result at all is no pass: a runner that never started must not read as a green run.
if ($passed + $failed -eq 0) { Write-Host 'No test results found.' -ForegroundColor Red; exit 1 }
if ($failed -gt 0) { exit 1 }
exit 0
